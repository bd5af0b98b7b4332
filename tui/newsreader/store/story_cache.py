"""The stories of an archive, found with what the last search left: signatures by fingerprint, and its grouping.

Two files in the user cache, each written whole and atomically. `SignatureCache` holds MinHash signatures
by fingerprint (for every archive opened): a grown archive hashes only what is new. `GroupCache` holds one
archive's last grouping: the fingerprints in the order they were grouped, the `stories.Grouping` and its
stories. A start where nothing changed reads the stories and does no LSH work; new articles are grouped
after the others (`stories.extend`), and articles gone are dropped, so the stories are those one grouping
of the whole archive in that order finds (see `find_stories`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsreader.atomic_files import atomic_bytes
from newsreader.cache_folder import cache_folder
from newsreader.ingest.parse import Article
from newsreader.ingest.snapshot import opened_paths_digest
from newsreader.store import stories
from newsreader.store.stories import NUM_PERM, Grouping, Stories, body_of, regroup, signatures

STORIES_FOLDER = "stories"
FINGERPRINT_BYTES = 16


class CacheError(Exception):
    """A stories cache cannot be used; the message says why."""


def signature_scheme() -> str:
    """Every parameter a signature depends on, datasketch's hashing scheme included."""
    from datasketch import __version__ as version

    scheme = "legacy" if int(version.split(".")[0]) < 2 else "affine32"
    return (
        f"perm={NUM_PERM} seed={stories.SEED} words={stories.SHINGLE_WORDS} min={stories.MIN_SHINGLES} "
        f"hash=crc32 scheme={scheme}"
    )


class SignatureCache:
    """MinHash signatures by fingerprint, in one file of the user cache, written whole and atomically.

    The file: a header line naming the format and every parameter a signature depends on, the count, then
    the fingerprints (16 bytes each) and the signatures (NUM_PERM uint32 each). A file written with other
    parameters is ignored; one that is damaged raises CacheError (the caller warns, and hashes afresh)."""

    FORMAT = 1
    MAX_ENTRIES = 2_000_000  # the cache serves several archives; past this, the current one's are kept

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_folder() / STORIES_FOLDER / "signatures.bin"

    @staticmethod
    def header() -> bytes:
        return f"newsreader-stories format={SignatureCache.FORMAT} {signature_scheme()}\n".encode()

    def read(self) -> dict[str, np.ndarray]:
        """Fingerprint -> signature; empty when there is no file or it was written with other parameters."""
        try:
            data = self.path.read_bytes()
        except (
            FileNotFoundError,
            NotADirectoryError,
        ):  # none written yet (or its folder is not one: the write says so)
            return {}
        except OSError as error:
            raise CacheError(f"cannot read it ({error.strerror or error})") from None
        header = self.header()
        if not data.startswith(header):
            return {}
        body = memoryview(data)[len(header) :]
        if len(body) < 8:
            raise CacheError("damaged (cut short)")
        count = int.from_bytes(body[:8], "little")
        names_end = 8 + FINGERPRINT_BYTES * count
        if len(body) != names_end + 4 * NUM_PERM * count:
            raise CacheError("damaged (wrong length)")
        names = bytes(body[8:names_end])
        matrix = np.frombuffer(body[names_end:], dtype=np.uint32).reshape(count, NUM_PERM)
        return {names[at * FINGERPRINT_BYTES : (at + 1) * FINGERPRINT_BYTES].hex(): matrix[at] for at in range(count)}

    def write(self, fingerprints: Sequence[str], matrix: np.ndarray, kept: dict[str, np.ndarray]) -> None:
        """These signatures, and as many `kept` ones (of other archives) as fit; atomically. Raises OSError."""
        current = set(fingerprints)
        room = max(self.MAX_ENTRIES - len(fingerprints), 0)
        extra = [name for name in kept if name not in current][:room]
        names = list(fingerprints) + extra
        rows = [matrix] + ([np.vstack([kept[name] for name in extra])] if extra else [])
        packed = b"".join(bytes.fromhex(name) for name in names)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_bytes(self.path) as handle:  # a stop signal too leaves no partial file
            handle.write(self.header())
            handle.write(len(names).to_bytes(8, "little"))
            handle.write(packed)
            for part in rows:
                handle.write(np.ascontiguousarray(part, dtype=np.uint32).tobytes())


@dataclass(frozen=True)
class Grouped:
    """An archive's articles as last grouped: their fingerprints in the order grouped, the grouping, its stories."""

    fingerprints: list[str]
    grouping: Grouping
    groups: list[list[int]]


class GroupCache:
    """One archive's last grouping (`Grouped`), in one file of the user cache, written whole and atomically.

    The file: a header line naming the format and every parameter the grouping depends on; a CRC-32 of the
    rest; the counts of rows and pairs; then by row the story (-1: alone), whether indexed and the
    fingerprint, and by pair the two rows and the values they share. A file written with other parameters,
    damaged, or not consistent raises CacheError: the caller warns once, and groups afresh."""

    FORMAT = 1
    _COUNTS = 20  # CRC-32, rows, pairs

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_archive(cls, paths: Sequence[str]) -> GroupCache:
        """One file per set of opened paths, as for the snapshots."""
        return cls(cache_folder() / STORIES_FOLDER / f"groups-{opened_paths_digest(paths)}.bin")

    @staticmethod
    def header() -> bytes:
        return (
            f"newsreader-story-groups format={GroupCache.FORMAT} {signature_scheme()} lsh={stories.LSH_THRESHOLD} "
            f"same={stories.SAME_STORY} duplicate={stories.DUPLICATE} neighbours={stories.NEIGHBOURS} "
            f"candidates={stories.MAX_CANDIDATES} cap={stories.MAX_STORY}\n"
        ).encode()

    def read(self) -> Grouped | None:
        """The last grouping; None when none was written yet. Raises CacheError."""
        try:
            data = self.path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # none written yet (or its folder is not one: the write says)
            return None
        except OSError as error:
            raise CacheError(f"cannot be read ({error.strerror or error})") from None
        header = self.header()
        if not data.startswith(header):
            ours = data.startswith(header.split(b" ")[0] + b" ")
            raise CacheError("written with other parameters" if ours else "damaged (not a story groups file)")
        body = memoryview(data)[len(header) :]
        if len(body) < self._COUNTS:
            raise CacheError("damaged (cut short)")
        rows, pairs = (int.from_bytes(body[at : at + 8], "little") for at in (4, 12))
        if len(body) != self._COUNTS + rows * (4 + 1 + FINGERPRINT_BYTES) + pairs * (4 + 4 + 2):
            raise CacheError("damaged (wrong length)")
        if zlib.crc32(body[4:]) != int.from_bytes(body[:4], "little"):
            raise CacheError("damaged (checksum)")
        parts = iter(
            np.split(
                np.frombuffer(body, np.uint8, offset=self._COUNTS),
                np.cumsum([4 * rows, 4 * pairs, 4 * pairs, 2 * pairs, rows]),
            )
        )
        labels, first, second = (next(parts).view("<i4").astype(np.int64) for _ in range(3))
        shared = next(parts).view("<u2").astype(np.int64)
        indexed = next(parts).astype(bool)
        names = bytes(next(parts)).hex()
        fingerprints = [names[at : at + 2 * FINGERPRINT_BYTES] for at in range(0, len(names), 2 * FINGERPRINT_BYTES)]
        grouping = Grouping(first, second, shared, indexed)
        if not _consistent(grouping, labels, fingerprints):
            raise CacheError("damaged (not consistent)")
        return Grouped(fingerprints, grouping, _groups_of(labels))

    def write(self, grouped: Grouped) -> None:
        """Atomically. Raises OSError."""
        grouping = grouped.grouping
        labels = np.full(grouping.rows, -1, dtype="<i4")
        for number, rows in enumerate(grouped.groups):
            labels[rows] = number
        rest = b"".join(
            [
                grouping.rows.to_bytes(8, "little"),
                len(grouping.first).to_bytes(8, "little"),
                labels.tobytes(),
                grouping.first.astype("<i4").tobytes(),
                grouping.second.astype("<i4").tobytes(),
                grouping.shared.astype("<u2").tobytes(),
                grouping.indexed.astype(np.uint8).tobytes(),
                bytes.fromhex("".join(grouped.fingerprints)),
            ]
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_bytes(self.path) as handle:
            handle.write(self.header())
            handle.write(zlib.crc32(rest).to_bytes(4, "little"))
            handle.write(rest)


def _consistent(grouping: Grouping, labels: np.ndarray, fingerprints: list[str]) -> bool:
    """Pairs of an earlier row and a later one, within the rows; stories numbered within them; no row twice."""
    rows = grouping.rows
    pairs_fit = bool(((grouping.first >= 0) & (grouping.first < grouping.second) & (grouping.second < rows)).all())
    shares_fit = bool(((grouping.shared >= 0) & (grouping.shared <= NUM_PERM)).all())
    labels_fit = bool(((labels >= -1) & (labels < rows)).all())
    return pairs_fit and shares_fit and labels_fit and len(set(fingerprints)) == rows


def _groups_of(labels: np.ndarray) -> list[list[int]]:
    members: dict[int, list[int]] = {}
    for row, label in enumerate(labels.tolist()):
        if label >= 0:
            members.setdefault(label, []).append(row)
    return [rows for rows in members.values() if len(rows) > 1]


def find_stories(
    articles: Sequence[Article],
    cache: SignatureCache | None,
    warnings: list[str],
    hash_bodies: Callable[[list[str]], np.ndarray] = signatures,
    group_rows: Callable[[Grouping, np.ndarray], tuple[Grouping, list[list[int]]]] = regroup,
    progress: Callable[[int, int], None] = lambda done, total: None,
    groups: GroupCache | None = None,
) -> Stories:
    """The stories of `articles`. When `groups` holds a grouping of these very articles, its stories, and
    nothing is hashed or grouped. Otherwise the articles it grouped that are still here keep its order and the
    new ones follow, and the rows up to the first indexed article gone keep their pairs: only the rows after
    them are grouped (`stories.extend`), hashing only the articles whose signature `cache` lacks. The stories
    are then exactly those of one grouping of all the articles in that order.

    `hash_bodies` and `group_rows` may run elsewhere (the app's low-priority process); `progress` hears
    (articles hashed, articles to hash) after each chunk. A cache that cannot be read or written is a
    warning in `warnings`, and the stories are found all the same."""
    by_fingerprint = {article.fingerprint: article for article in articles}
    before = _read_groups(groups, warnings)
    if before is not None and len(before.fingerprints) == len(by_fingerprint):
        if all(name in by_fingerprint for name in before.fingerprints):
            return Stories.of(before.fingerprints, before.groups)
    order, kept = _carried_over(before, by_fingerprint)
    matrix, unsaved = _signatures(cache, [by_fingerprint[name] for name in order], warnings, hash_bodies, progress)
    grouping, found = group_rows(kept, matrix)
    if groups is not None:
        try:
            groups.write(Grouped(order, grouping, found))
        except OSError as error:
            if unsaved is None:  # else one problem (the cache folder, most likely), said once below
                reason = error.strerror or error
                warnings.append(f"{groups.path}: story groups not saved ({reason}); the next start groups again")
            else:
                unsaved = f"{unsaved}, nor the groups"
    if unsaved is not None:
        warnings.append(f"{unsaved}; the next start hashes again")
    return Stories.of(order, found)


def _read_groups(groups: GroupCache | None, warnings: list[str]) -> Grouped | None:
    if groups is None:
        return None
    try:
        return groups.read()
    except CacheError as error:
        warnings.append(f"{groups.path}: story groups {error}; every article is grouped again")
        return None


def _carried_over(before: Grouped | None, present: dict[str, Article]) -> tuple[list[str], Grouping]:
    """The order to group in (the articles grouped before that are still here, in that order, then the new
    ones) and the grouping kept: the rows before the first indexed article gone (later rows might have found
    it), without the other articles gone (no query found them)."""
    if before is None:
        return list(present), Grouping.empty()
    keep = np.fromiter((name in present for name in before.fingerprints), dtype=bool, count=len(before.fingerprints))
    gone = np.flatnonzero(before.grouping.indexed & ~keep)
    cut = int(gone[0]) if len(gone) else before.grouping.rows
    order = [name for name, here in zip(before.fingerprints, keep.tolist(), strict=True) if here]
    seen = set(order)
    order += [name for name in present if name not in seen]
    return order, before.grouping.head(cut).keeping(keep[:cut])


def _signatures(
    cache: SignatureCache | None,
    articles: list[Article],
    warnings: list[str],
    hash_bodies: Callable[[list[str]], np.ndarray],
    progress: Callable[[int, int], None],
) -> tuple[np.ndarray, str | None]:
    """The articles' signatures, as rows: those `cache` lacks are hashed, and the cache written anew; and, when
    it could not be, what to say."""
    known: dict[str, np.ndarray] = {}
    if cache is not None:
        try:
            known = cache.read()
        except CacheError as error:
            warnings.append(f"{cache.path}: story signatures {error}; every article is hashed again")
    missing = [article for article in articles if article.fingerprint not in known]
    hashed: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), stories.CHUNK):
        part = missing[start : start + stories.CHUNK]
        made = hash_bodies([body_of(article.text, article.title) for article in part])
        hashed.update(zip((article.fingerprint for article in part), made, strict=True))
        progress(start + len(part), len(missing))
    fingerprints = [article.fingerprint for article in articles]
    rows = [hashed[name] if name in hashed else known[name] for name in fingerprints]
    matrix = np.vstack(rows) if rows else np.empty((0, NUM_PERM), dtype=np.uint32)
    if cache is not None and missing:
        try:
            cache.write(fingerprints, matrix, known)
        except OSError as error:
            return matrix, f"{cache.path}: story signatures not saved ({error.strerror or error})"
    return matrix, None

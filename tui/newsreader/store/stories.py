"""Stories across outlets: the articles that report the same story (near-duplicates and rewrites), grouped.

Each article's body (the title left out, so different headlines still group) is cut into paragraphs,
folded (case, ё), split into words, and made a set of word 5-grams within each paragraph (a shuffled
order changes no shingle). A MinHash signature of that set (datasketch) stands for it; an LSH index
over the signatures proposes pairs, and a pair counts only when its estimated Jaccard similarity is
high enough, so two stories on one topic that share a few phrases and names are not joined. Confirmed
pairs are joined most similar first, and a looser join that would make a story larger than MAX_STORY
is refused: a chain of loose matches cannot swallow a topic (copies of one text always join). The
parameters are measured in tests/test_stories.py (precision and recall on a labelled set) and
bench/bench_stories.py (speed).

Signatures are plain uint32 rows, kept per fingerprint in the user cache (`SignatureCache`), so a warm
start or a grown archive hashes only the articles it has not seen.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import numpy as np

from newsreader.atomic_files import atomic_bytes
from newsreader.cache_folder import cache_folder
from newsreader.folding import fold_key
from newsreader.ingest.parse import Article
from newsreader.store.corpus import ArticleView

# Measured on the labelled set (tests/story_corpus.py, seeds 14-16): with 3-grams, stories of one topic that share
# names and stock phrases reach 0.39 while loose rewrites fall to 0.16; with 5-grams the first stay under 0.2 and the
# rewrites' 5th percentile is 0.21, and chains through the other reports join the loosest. Real and generated
# archives agree: different articles of gen-10k stay under 0.2 with 5-grams.
SHINGLE_WORDS = 5
NUM_PERM = 128  # the estimate is good to ±0.04 at 0.25 (64: ±0.055, and precision fell to 0.84 at 3-grams)
SEED = 1
LSH_THRESHOLD = 0.2  # what the LSH bands are tuned to propose: below SAME_STORY, so a pair there is seldom missed
SAME_STORY = 0.25  # estimated Jaccard at which a proposed pair is the same story
MIN_SHINGLES = 8  # a body shorter than this says too little to be matched
MAX_STORY = 64  # no story grows past this many articles by looser matches
DUPLICATE = 0.9  # all but the same text: joins whatever the story's size, and is not indexed again
NEIGHBOURS = 16  # confirmed pairs kept for each article: its most similar (enough to join a story)
MAX_CANDIDATES = 1024  # LSH candidates checked for one article at most
CHUNK = 500  # articles hashed at a time: progress is told, and a stop is heard, between chunks
NO_SIGNATURE = np.uint32(0xFFFFFFFF)  # every value of an empty MinHash: a body too short to match

_WORD = re.compile(r"\w+")


def body_of(text: str, title: str) -> str:
    """The article's text after its title."""
    return text[len(title) :] if text.startswith(title) else text


def shingles(body: str) -> set[bytes]:
    """The word SHINGLE_WORDS-grams of each paragraph of `body`, folded; a short paragraph is one shingle."""
    found: set[bytes] = set()
    for paragraph in body.split("\n"):
        words = _WORD.findall(fold_key(paragraph))
        if not words:
            continue
        last = max(len(words) - SHINGLE_WORDS, 0)
        found.update(" ".join(words[at : at + SHINGLE_WORDS]).encode() for at in range(last + 1))
    return found


def signatures(bodies: Iterable[str]) -> np.ndarray:
    """One MinHash signature per body, as rows of uint32; a row of NO_SIGNATURE for a body with too few shingles.
    Runs in a background process (`signatures_wire`): it is the CPU-heavy part."""
    from datasketch import MinHash

    template = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)
    rows = []
    for body in bodies:
        found = shingles(body)
        if len(found) < MIN_SHINGLES:
            rows.append(np.full(NUM_PERM, NO_SIGNATURE, dtype=np.uint32))
            continue
        minhash = template.copy()
        minhash.update_batch(found)
        rows.append(minhash.hashvalues.astype(np.uint32))
    return np.vstack(rows) if rows else np.empty((0, NUM_PERM), dtype=np.uint32)


def signatures_wire(bodies: list[str]) -> bytes:
    """`signatures` as bytes, for a pool: an array pickles as much, but bytes say what crosses."""
    return signatures(bodies).tobytes()


def from_wire(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint32).reshape(-1, NUM_PERM)


def similar_pairs(matrix: np.ndarray) -> list[tuple[float, int, int]]:
    """(estimated Jaccard, i, j) of the pairs of rows the LSH proposes and the estimate confirms, i < j: for each
    row, its NEIGHBOURS most similar earlier rows at most.

    A row whose text all but repeats an earlier one (DUPLICATE) is not put in the index: that row stands for it.
    An archive with hundreds of copies of one text then keeps one bucket entry, not hundreds, and each query
    stays short."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    probe = MinHash(num_perm=NUM_PERM, seed=SEED)
    usable = np.flatnonzero((matrix != NO_SIGNATURE).any(axis=1))
    pairs: list[tuple[float, int, int]] = []
    for row in usable.tolist():
        probe.hashvalues = matrix[row].astype(np.uint64)
        candidates = np.array(lsh.query(probe), dtype=np.int64)[:MAX_CANDIDATES]
        similarity = np.count_nonzero(matrix[candidates] == matrix[row], axis=1) / NUM_PERM
        confirmed = np.flatnonzero(similarity >= SAME_STORY)
        if len(confirmed) > NEIGHBOURS:
            confirmed = confirmed[np.argpartition(similarity[confirmed], -NEIGHBOURS)[-NEIGHBOURS:]]
        pairs += zip(similarity[confirmed].tolist(), candidates[confirmed].tolist(), repeat(row))
        if not len(confirmed) or similarity[confirmed].max() < DUPLICATE:
            lsh.insert(row, probe, check_duplication=False)
    return pairs


def group(matrix: np.ndarray) -> list[list[int]]:
    """The stories among the rows of `matrix`: lists of two or more row numbers, each sorted. Pairs join most
    similar first; a looser pair that would make a story of more than MAX_STORY articles is left out (copies,
    DUPLICATE, always join)."""
    parent = list(range(len(matrix)))
    size = [1] * len(matrix)

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for similarity, first, second in sorted(similar_pairs(matrix), reverse=True):
        a, b = root(first), root(second)
        if a != b and (similarity >= DUPLICATE or size[a] + size[b] <= MAX_STORY):
            if size[a] < size[b]:
                a, b = b, a
            parent[b] = a
            size[a] += size[b]
    members: dict[int, list[int]] = {}
    for row in range(len(matrix)):
        members.setdefault(root(row), []).append(row)
    return [rows for rows in members.values() if len(rows) > 1]


def group_wire(data: bytes) -> list[list[int]]:
    """`group` of a matrix sent as bytes (`signatures_wire`'s shape), for a pool."""
    return group(from_wire(data))


@dataclass(frozen=True)
class Stories:
    """The stories of an archive, by fingerprint. A story's id is the smallest fingerprint among its articles."""

    members: dict[str, tuple[str, ...]] = field(default_factory=dict)  # story id -> its fingerprints, sorted
    story_of: dict[str, str] = field(default_factory=dict)  # fingerprint -> story id, for grouped articles only

    @classmethod
    def of(cls, fingerprints: Sequence[str], groups: Iterable[Iterable[int]]) -> Stories:
        members, story_of = {}, {}
        for rows in groups:
            names = tuple(sorted(fingerprints[row] for row in rows))
            members[names[0]] = names
            story_of.update(dict.fromkeys(names, names[0]))
        return cls(members, story_of)

    def story(self, fingerprint: str) -> str:
        """The story id of an article: its own fingerprint when no other article reports its story."""
        return self.story_of.get(fingerprint, fingerprint)

    def others(self, fingerprint: str) -> tuple[str, ...]:
        """The fingerprints of the other articles of its story."""
        story = self.story_of.get(fingerprint)
        return () if story is None else tuple(each for each in self.members[story] if each != fingerprint)

    def __len__(self) -> int:
        return len(self.members)


class CollapsedView(ArticleView):
    """A view with each story in one row: the story's first article in the view stands for the others."""

    def __init__(self, view: ArticleView, stories: Stories) -> None:
        story_of = stories.story_of
        rows: dict[str, int] = {}  # story id -> the row that stands for it
        counts: dict[str, int] = {}  # story id -> its articles in the view
        kept: list[Article] = []
        left_out: dict[str, str] = {}  # article id -> its story, for those not shown
        for article in view:
            story = story_of.get(article.fingerprint)
            if story is None:
                kept.append(article)
            elif story not in rows:
                rows[story], counts[story] = len(kept), 1
                kept.append(article)
            else:
                left_out[article.id] = story
                counts[story] += 1
        super().__init__(kept)
        self._counts = {row: counts[story] for story, row in rows.items() if counts[story] > 1}
        self._rows = rows
        self._left_out = left_out

    def reports(self, index: int) -> int:
        """How many articles of the view row `index` stands for."""
        return self._counts.get(index, 1)

    def position(self, article_id: str) -> int | None:
        """An article left out is at the row of its story."""
        story = self._left_out.get(article_id)
        return super().position(article_id) if story is None else self._rows[story]


class CacheError(Exception):
    """The signature cache cannot be used; the message says why."""


class SignatureCache:
    """MinHash signatures by fingerprint, in one file of the user cache, written whole and atomically.

    The file: a header line naming the format and every parameter a signature depends on, the count, then
    the fingerprints (16 bytes each) and the signatures (NUM_PERM uint32 each). A file written with other
    parameters is ignored; one that is damaged raises CacheError (the caller warns, and hashes afresh)."""

    FORMAT = 1
    MAX_ENTRIES = 2_000_000  # the cache serves several archives; past this, the current one's are kept

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_folder() / "stories" / "signatures.bin"

    @staticmethod
    def header() -> bytes:
        from datasketch import __version__ as version

        scheme = "legacy" if int(version.split(".")[0]) < 2 else "affine32"
        return (
            f"newsreader-stories format={SignatureCache.FORMAT} perm={NUM_PERM} seed={SEED} "
            f"words={SHINGLE_WORDS} min={MIN_SHINGLES} hash=crc32 scheme={scheme}\n"
        ).encode()

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
        names_end = 8 + 16 * count
        if len(body) != names_end + 4 * NUM_PERM * count:
            raise CacheError("damaged (wrong length)")
        names = bytes(body[8:names_end])
        matrix = np.frombuffer(body[names_end:], dtype=np.uint32).reshape(count, NUM_PERM)
        return {names[at * 16 : at * 16 + 16].hex(): matrix[at] for at in range(count)}

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


def find_stories(
    articles: Sequence[Article],
    cache: SignatureCache | None,
    warnings: list[str],
    hash_bodies: Callable[[list[str]], np.ndarray] = signatures,
    group_rows: Callable[[np.ndarray], list[list[int]]] = group,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Stories:
    """The stories of `articles`, hashing only those whose signature `cache` lacks, then writing it anew.
    `hash_bodies` and `group_rows` may run elsewhere (the app's low-priority process); `progress` hears
    (articles hashed, articles to hash) after each chunk. A cache that cannot be read or written is a
    warning in `warnings`, and the stories are found all the same."""
    known: dict[str, np.ndarray] = {}
    if cache is not None:
        try:
            known = cache.read()
        except CacheError as error:
            warnings.append(f"{cache.path}: story signatures {error}; every article is hashed again")
    fingerprints = [article.fingerprint for article in articles]
    missing = [article for article in articles if article.fingerprint not in known]
    hashed: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), CHUNK):
        part = missing[start : start + CHUNK]
        made = hash_bodies([body_of(article.text, article.title) for article in part])
        hashed.update(zip((article.fingerprint for article in part), made, strict=True))
        progress(start + len(part), len(missing))
    rows = [hashed[name] if name in hashed else known[name] for name in fingerprints]
    matrix = np.vstack(rows) if rows else np.empty((0, NUM_PERM), dtype=np.uint32)
    groups = group_rows(matrix)
    if cache is not None and missing:
        try:
            cache.write(fingerprints, matrix, known)
        except OSError as error:
            warnings.append(
                f"{cache.path}: story signatures not saved ({error.strerror or error}); the next start hashes again"
            )
    return Stories.of(fingerprints, groups)

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

Signatures are plain uint32 rows. What a row finds depends only on the rows before it (`Grouping`), so
an archive grouped once and grown since groups only its new rows; `story_cache` keeps the signatures and
the last grouping in the user cache.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

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
BANDS, BAND_ROWS = 28, 2  # datasketch's optimum for LSH_THRESHOLD at NUM_PERM (equal weights of misses and false hits)
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


@dataclass(frozen=True)
class Grouping:
    """Rows grouped in order, as far as they went: the confirmed pairs (an earlier row, a later one, how many
    signature values they share) and which rows went into the LSH index. What a row finds depends only on the
    rows before it, so more rows can be grouped after these (`extend`) without going back over them."""

    first: np.ndarray  # int64, one a pair: the earlier row (always an indexed one: it is what a query finds)
    second: np.ndarray  # int64: the later row, whose query found the pair
    shared: np.ndarray  # int64: signature values the two share; the estimated Jaccard is shared / NUM_PERM
    indexed: np.ndarray  # bool, one a row: put in the LSH index (not a copy of an earlier row)

    @classmethod
    def empty(cls) -> Grouping:
        none = np.empty(0, dtype=np.int64)
        return cls(none, none, none, np.empty(0, dtype=bool))

    @property
    def rows(self) -> int:
        return len(self.indexed)

    def head(self, rows: int) -> Grouping:
        """The grouping of the first `rows` rows alone (what they found does not depend on the rows after them)."""
        mine = self.second < rows
        return Grouping(self.first[mine], self.second[mine], self.shared[mine], self.indexed[:rows])

    def keeping(self, keep: np.ndarray) -> Grouping:
        """The rows `keep` marks, renumbered in order, as if the others had never been there. True only when no row
        left out is indexed: no other row's query could find it, so it changed nothing but its own pairs."""
        if (self.indexed & ~keep).any():
            raise ValueError("an indexed row cannot be left out: later rows found it")
        mine = keep[self.second]
        number = np.cumsum(keep) - 1
        return Grouping(number[self.first[mine]], number[self.second[mine]], self.shared[mine], self.indexed[keep])

    def groups(self) -> list[list[int]]:
        """The stories: lists of two or more row numbers, each sorted. Pairs join most similar first (ties: the
        later rows first); a looser pair that would make a story of more than MAX_STORY articles is left out
        (copies, DUPLICATE, always join)."""
        parent = list(range(self.rows))
        size = [1] * self.rows

        def root(node: int) -> int:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        order = np.lexsort((self.second, self.first, self.shared))[::-1]
        for shared, first, second in zip(
            self.shared[order].tolist(), self.first[order].tolist(), self.second[order].tolist(), strict=True
        ):
            a, b = root(first), root(second)
            if a != b and (shared / NUM_PERM >= DUPLICATE or size[a] + size[b] <= MAX_STORY):
                if size[a] < size[b]:
                    a, b = b, a
                parent[b] = a
                size[a] += size[b]
        members: dict[int, list[int]] = {}
        for row in range(self.rows):
            members.setdefault(root(row), []).append(row)
        return [rows for rows in members.values() if len(rows) > 1]


class BandIndex:
    """The LSH index: rows by band, a band being BAND_ROWS signature values; a query finds the rows that share
    a band with it. datasketch's MinHashLSH with its bands (tests/test_stories.py checks they are its tuning for
    LSH_THRESHOLD, and that the two propose the same rows), without what it keeps to remove a row or to store
    elsewhere: it fills faster, which a grown archive's grouping does first (docs/benchmarks.md)."""

    _BAND = np.dtype((np.void, 4 * BAND_ROWS))  # a band's values as one bytes key

    def __init__(self) -> None:
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]

    def _keys(self, signature: np.ndarray) -> list[bytes]:
        return signature[: BANDS * BAND_ROWS].view(self._BAND).tolist()

    def insert(self, row: int, signature: np.ndarray) -> None:
        for bucket, key in zip(self._buckets, self._keys(signature), strict=True):
            bucket.setdefault(key, []).append(row)

    def query(self, signature: np.ndarray) -> set[int]:
        found: set[int] = set()
        for bucket, key in zip(self._buckets, self._keys(signature), strict=True):
            rows = bucket.get(key)
            if rows is not None:
                found.update(rows)
        return found


def extend(before: Grouping, matrix: np.ndarray) -> Grouping:
    """The grouping of every row of `matrix`, its first `before.rows` rows grouped already (`before`): the LSH
    index is filled again with the indexed ones, and only the rows after them are queried.

    Each row asks the index for the earlier rows that share a band, and keeps as pairs the NEIGHBOURS most
    similar of those the estimate confirms. A row whose text all but repeats an earlier one (DUPLICATE) is not
    put in the index: that row stands for it. An archive with hundreds of copies of one text then keeps one
    bucket entry, not hundreds, and each query stays short. Filled in the same order, the index answers as it
    did, so grouping rows in two goes gives what one go over all of them gives. The candidates are taken in row
    order (the earliest MAX_CANDIDATES, ties among the neighbours broken alike), not the index's set order: what
    a row finds then does not hang on the rows' numbers, which change when an article before it is dropped."""
    index = BandIndex()
    for row in np.flatnonzero(before.indexed).tolist():
        index.insert(row, matrix[row])
    usable = (matrix[before.rows :] != NO_SIGNATURE).any(axis=1)
    indexed = np.zeros(len(matrix) - before.rows, dtype=bool)
    firsts, seconds, shareds = [before.first], [before.second], [before.shared]
    for offset in np.flatnonzero(usable).tolist():
        row = before.rows + offset
        candidates = np.sort(np.fromiter(index.query(matrix[row]), dtype=np.int64))[:MAX_CANDIDATES]  # see above
        shared = np.count_nonzero(matrix[candidates] == matrix[row], axis=1)
        similarity = shared / NUM_PERM
        confirmed = np.flatnonzero(similarity >= SAME_STORY)
        if len(confirmed) > NEIGHBOURS:
            confirmed = confirmed[np.argpartition(similarity[confirmed], -NEIGHBOURS)[-NEIGHBOURS:]]
        firsts.append(candidates[confirmed])
        seconds.append(np.full(len(confirmed), row, dtype=np.int64))
        shareds.append(shared[confirmed].astype(np.int64))
        if not len(confirmed) or similarity[confirmed].max() < DUPLICATE:
            index.insert(row, matrix[row])
            indexed[offset] = True
    pairs = (np.concatenate(firsts), np.concatenate(seconds), np.concatenate(shareds))
    return Grouping(*pairs, np.concatenate([before.indexed, indexed]))


def regroup(before: Grouping, matrix: np.ndarray) -> tuple[Grouping, list[list[int]]]:
    """`extend`, and the stories of the grouping it makes."""
    grouping = extend(before, matrix)
    return grouping, grouping.groups()


def regroup_wire(before: Grouping, data: bytes) -> tuple[Grouping, list[list[int]]]:
    """`regroup` with the matrix sent as bytes (`signatures_wire`'s shape), for a pool."""
    return regroup(before, from_wire(data))


def group(matrix: np.ndarray) -> list[list[int]]:
    """The stories among the rows of `matrix`, grouped in one go."""
    return regroup(Grouping.empty(), matrix)[1]


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
    """A view with each story in one row: the story's first article in the view stands for the others. Made
    whole, where an article stands included, so that it can be made off the key path and shown at once."""

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
        self._positions = {article.id: index for index, article in enumerate(kept)}
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

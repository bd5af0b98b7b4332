"""Reading in chunks, here or in worker processes, with the results in the listing's order.

The walk stays in this process; the files it lists go out in ordered chunks to read, decode,
sanitise and parse (`read_article`), and come back as a `Batch`: the chunk's fields in columns,
without their texts unless the caller keeps texts. So articles and warnings come out in the same
order, with the same ids, as when every file is read here, and a store that keeps the first of two
duplicates keeps the same one.

Starting a worker process takes a while (0.1-1 s, and about as much CPU as reading 2,000 files),
so chunks are read here, in order, until a worker has started: the first rows appear at once,
and the next ones keep coming. Workers are asked for only once POOL_AFTER files have been read
here, so a small archive is read as fast as without a pool, and never pays for starting one.
Then every worker has a chunk to read and the next one queued. A chunk whose worker fails is read
here after a warning that says why; a broken pool is given no more.
"""

import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from itertools import islice, repeat
from typing import NamedTuple

from newsreader.ingest.load import Listed, LoadWarning, display_path
from newsreader.ingest.parse import NO_DATE, Article, article_of, date_of, read_article
from newsreader.ingest.sanitize import sanitize_line

FIRST_CHUNK = 16  # files; then each chunk doubles, up to LARGEST_CHUNK
LARGEST_CHUNK = 512  # ~20 ms of work: the round trip to a worker is well under 1% of it
CHUNKS_AHEAD = 2 * (os.cpu_count() or 1)  # sent and not yet taken back: every worker has the next one queued
POOL_AFTER = 4096  # files read here before workers are started: ~0.2 s, about what starting two of them costs

Chunk = list[Listed | LoadWarning]
SEPARATOR = "\n"  # between the titles, credits and fingerprints of a batch: none of them holds a line break


class Batch(NamedTuple):
    """What reading a chunk gives, in columns for the files that gave an article, in order.

    A few long strings and lists of small ints cross from a worker process for a fraction of what
    a tuple of fields a file costs to pickle and unpickle (about 1 µs a file on each side); dates
    come as ordinals, which pickle as ints. A title, credit or fingerprint is one line of text.
    """

    reasons: dict[int, list[str]]  # a file's place among the chunk's files -> its warnings' reasons
    skipped: frozenset[int]  # places of the files that gave no article
    dates: list[int]  # ordinals (`date.toordinal`); NO_DATE for none
    titles: str  # joined by SEPARATOR
    lede_lengths: list[int]
    credits: str  # joined by SEPARATOR; "" for none
    fingerprints: str  # joined by SEPARATOR
    texts: list[str] | None  # None unless texts are kept
    encodings: list[str]
    sizes: list[int]
    mtimes_ns: list[int]


def iter_chunks(
    listed: Iterable[Listed | LoadWarning], pool: Executor | None, max_bytes: int, keep_text: bool
) -> Iterator[Article | LoadWarning]:
    """Articles and warnings of the listed files, in order; files are read in `pool` when it is given.

    Closing the iterator cancels the chunks not yet started; the pool stays the caller's to stop.
    """
    chunks = _chunked(listed)
    starting: list[Future[None]] = []
    pending: deque[tuple[Chunk, Future[Batch] | None]] = deque()  # None: read here when its turn comes
    read_here = 0
    try:
        for chunk in chunks:  # here, in order, until a worker has started: a pool takes a while to start
            files = _files(chunk)
            yield from _merge(chunk, read_chunk(files, max_bytes, keep_text), keep_text)
            read_here += len(files)
            if pool is None or read_here < POOL_AFTER:
                continue
            try:
                starting = starting or [pool.submit(_started) for _ in range(CHUNKS_AHEAD)]
            except RuntimeError as error:  # shut down or broken
                yield _failed(error)
                pool = None
                continue
            if any(each.done() for each in starting):
                if not all(each.done() and each.exception() for each in starting):
                    break
                yield _failed(next(failure for each in starting if (failure := each.exception())))
                pool = None
        else:
            return
        while True:
            while pool is not None and len(pending) < CHUNKS_AHEAD and (later := next(chunks, None)) is not None:
                try:
                    pending.append((later, pool.submit(read_chunk, _files(later), max_bytes, keep_text)))
                except RuntimeError as error:
                    yield _failed(error)
                    pool = None
                    pending.append((later, None))
            if not pending and (later := next(chunks, None)) is not None:
                pending.append((later, None))
            if not pending:
                return
            chunk, work = pending.popleft()
            results = None
            if work is not None:
                try:
                    results = work.result()
                except Exception as error:  # a worker's failure is said, never lost, and its files still read
                    if pool is not None:
                        yield _failed(error)
                    if isinstance(error, BrokenExecutor):
                        pool = None  # every chunk still out there fails the same way: read each here, quietly
            if results is None:
                results = read_chunk(_files(chunk), max_bytes, keep_text)
            yield from _merge(chunk, results, keep_text)
    finally:
        left: list[Future] = [*starting, *(work for _, work in pending if work is not None)]
        for future in left:
            future.cancel()


def read_chunk(files: list[Listed], max_bytes: int, keep_text: bool) -> Batch:
    """What a worker does with a chunk: each file's warnings and fields, the texts left out unless kept."""
    reasons: dict[int, list[str]] = {}
    skipped = []
    read = []
    for place, (path, _, how) in enumerate(files):
        said, fields = read_article(path, how, max_bytes, keep_text)
        if said:
            reasons[place] = said
        if fields is None:
            skipped.append(place)
        else:
            read.append(fields)
    if not read:
        return Batch(reasons, frozenset(skipped), [], "", [], "", "", [] if keep_text else None, [], [], [])
    dates, titles, lede_lengths, credits, fingerprints, texts, encodings, sizes, mtimes_ns = zip(*read, strict=True)
    return Batch(
        reasons,
        frozenset(skipped),
        [NO_DATE if date is None else date.toordinal() for date in dates],
        SEPARATOR.join(titles),
        list(lede_lengths),
        SEPARATOR.join([credit or "" for credit in credits]),
        SEPARATOR.join(fingerprints),
        list(texts) if keep_text else None,
        list(encodings),
        list(sizes),
        list(mtimes_ns),
    )


def _started() -> None:
    """A worker's first task: once it is done, the worker has started and imported this module."""


def _chunked(listed: Iterable[Listed | LoadWarning]) -> Iterator[Chunk]:
    """The listing cut into chunks of FIRST_CHUNK files, then twice as many each time up to LARGEST_CHUNK;
    warnings ride along in their place."""
    chunk: Chunk = []
    files, size = 0, FIRST_CHUNK
    for found in listed:
        chunk.append(found)
        if not isinstance(found, LoadWarning):
            files += 1
            if files == size:
                yield chunk
                chunk, files, size = [], 0, min(2 * size, LARGEST_CHUNK)
    if chunk:
        yield chunk


def _files(chunk: Chunk) -> list[Listed]:
    return [found for found in chunk if not isinstance(found, LoadWarning)]


def _merge(chunk: Chunk, batch: Batch, keep_text: bool) -> Iterator[Article | LoadWarning]:
    """The chunk's walk warnings and its files' warnings and articles, in the listing's order."""
    reasons, skipped, count = batch.reasons, batch.skipped, len(batch.sizes)
    dates = map(date_of, batch.dates)
    titles = batch.titles.split(SEPARATOR) if count else []
    credits = [credit or None for credit in batch.credits.split(SEPARATOR)] if count else []
    fingerprints = batch.fingerprints.split(SEPARATOR) if count else []
    texts = [None] * count if batch.texts is None else batch.texts
    if count and len(chunk) == count + len(skipped):  # no warning of the walk: every item is a file
        paths, relatives, _ = zip(*chunk, strict=True)
        names = "".join(paths)
        if names.isascii() and names.isprintable():  # each shown as it is (`display_path`), and so its id
            read = [place for place in range(len(paths)) if place not in skipped] if skipped else range(len(paths))
            articles = map(
                tuple.__new__,
                repeat(Article),
                zip(
                    map(relatives.__getitem__, read),
                    map(paths.__getitem__, read),
                    dates,
                    titles,
                    batch.lede_lengths,
                    credits,
                    map(sys.intern, batch.encodings),
                    fingerprints,
                    map(paths.__getitem__, read),
                    batch.sizes,
                    batch.mtimes_ns,
                    repeat(None),
                    texts,
                ),
            )
            yield from _interleave(articles, paths, batch)
            return
    fields = zip(
        dates,
        titles,
        batch.lede_lengths,
        credits,
        fingerprints,
        texts,
        batch.encodings,
        batch.sizes,
        batch.mtimes_ns,
        strict=True,
    )
    place = 0
    for found in chunk:
        if isinstance(found, LoadWarning):
            yield found
            continue
        path, relative, _ = found
        shown = display_path(path)
        if place in reasons:
            for reason in reasons[place]:
                yield LoadWarning(shown, reason)
        if place not in skipped:
            yield article_of(path, shown, relative, next(fields), keep_text)
        place += 1


def _interleave(articles: Iterator[Article], paths: tuple[str, ...], batch: Batch) -> Iterator[Article | LoadWarning]:
    """The articles of a chunk of files only, each shown under its own name, with the files' warnings in
    their places: the runs of articles between two files with warnings go by in C."""
    done = 0
    for place in sorted(batch.reasons.keys() | batch.skipped):
        yield from islice(articles, place - done)  # the files in between: none skipped, none with a warning
        for reason in batch.reasons.get(place, ()):
            yield LoadWarning(paths[place], reason)
        if place not in batch.skipped:
            yield next(articles)
        done = place + 1
    yield from articles


def _failed(error: BaseException) -> LoadWarning:
    """Said once per failure; the files are still read, in this process."""
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return LoadWarning("loading", sanitize_line(f"a loading process failed ({detail}); its files are read in the app"))

"""Loading in worker processes gives what loading here gives: the same items, in the same order, with
the same ids; the first ones at once; a failing worker said and its files still read; stopping on time."""

import os
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool

import pytest

from conftest import article_bytes
from newsreader.ingest import parallel
from newsreader.ingest.load import WALKED, LoadWarning, display_path
from newsreader.ingest.parse import Article, article_of, iter_articles, read_article
from newsreader.runtime.processes import background_pool, stop_pool

FILES = 600  # more than the first few chunks, so most are read by the workers


def comparable(item: Article | LoadWarning) -> tuple:
    if isinstance(item, LoadWarning):
        return ("warning", item.path, item.reason)
    return ("article", item.id, item.path, item.date, item.title, item.lede, item.credit, item.fingerprint, item.stamp)


@pytest.fixture(autouse=True)
def workers_at_once(monkeypatch):
    """Workers are asked for after the first chunk, not after POOL_AFTER files: these archives are small."""
    monkeypatch.setattr(parallel, "POOL_AFTER", 0)


@pytest.fixture
def archive(hostile_dir):
    """The hostile folder, and enough good files after it for chunks to go to the pool."""
    many = hostile_dir / "many"
    many.mkdir()
    for number in range(FILES):
        (many / f"{number:04}.txt").write_bytes(article_bytes(f"Статья номер {number}", body=f"Текст {number % 7}."))
    return hostile_dir


@pytest.fixture(scope="module")
def pool():
    pool = background_pool(2, niceness=0)
    pool.submit(int).result()  # started, so the workers rather than this process read most chunks
    yield pool
    stop_pool(pool)


def test_a_pool_gives_the_same_items_in_the_same_order(archive, pool):
    here = [comparable(item) for item in iter_articles([archive])]
    in_pool = list(iter_articles([archive], pool=pool, keep_text=False))
    assert [comparable(item) for item in in_pool] == here
    assert all(item.held_text is None for item in in_pool if isinstance(item, Article))


def test_texts_cross_back_only_when_kept(archive, pool):
    texts = {item.id: item.text for item in iter_articles([archive]) if isinstance(item, Article)}
    kept = [item for item in iter_articles([archive], pool=pool) if isinstance(item, Article)]
    assert {item.id: item.held_text for item in kept} == texts


class _Failing(Executor):
    """A pool whose every chunk fails as `error` does."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        future: Future = Future()
        future.set_exception(self.error)
        return future


@pytest.mark.parametrize("error", [RuntimeError("boom"), BrokenProcessPool("a worker died")])
def test_a_failing_worker_is_said_once_and_its_files_are_read_here(archive, error):
    here = [comparable(item) for item in iter_articles([archive])]
    failing = _Failing(error)
    items = [comparable(item) for item in iter_articles([archive], pool=failing)]
    failures = [item for item in items if item[:2] == ("warning", "loading")]
    assert [item for item in items if item not in failures] == here
    assert failures and all(type(error).__name__ in reason for *_, reason in failures)
    if isinstance(error, BrokenProcessPool):  # a broken pool fails every chunk: said once, given no more
        assert len(failures) == 1 and failing.submitted <= parallel.CHUNKS_AHEAD


class _Lazy(Future):
    """A chunk that is read only when its result is asked for: a pool that never answers on its own."""

    def __init__(self, fn, args) -> None:
        super().__init__()
        self.work = fn, args

    def result(self, timeout=None):
        if not self.done():
            fn, args = self.work
            self.set_result(fn(*args))
        return super().result(timeout)


class _LazyPool(Executor):
    """Starts at once, then reads a chunk only when its result is asked for."""

    def __init__(self) -> None:
        self.futures: list[_Lazy] = []

    def submit(self, fn, /, *args, **kwargs):
        future = _Lazy(fn, args)
        if fn is not parallel.read_chunk:
            future.result()
        else:
            self.futures.append(future)
        return future


def test_first_items_come_before_any_worker_answers(archive):
    lazy = _LazyPool()
    assert isinstance(next(iter_articles([archive], pool=lazy)), (Article, LoadWarning))
    assert not lazy.futures


def test_closing_the_items_cancels_the_chunks_not_started(archive):
    lazy = _LazyPool()
    items = iter_articles([archive], pool=lazy, keep_text=False)
    articles = 0
    while articles <= 2 * parallel.FIRST_CHUNK:  # into the first chunk sent out
        articles += isinstance(next(items), Article)
    items.close()
    assert lazy.futures[0].done()
    assert lazy.futures[1:] and all(future.cancelled() for future in lazy.futures[1:])


def test_stopping_a_pool_mid_load_ends_it(archive):
    pool = background_pool(1, niceness=0)
    items = iter_articles([archive / "many"], pool=pool, keep_text=False)
    assert isinstance(next(items), Article)
    items.close()
    stop_pool(pool)
    pool.shutdown(wait=True)  # returns: nothing is left running


def test_only_unchanged_files_are_left_out(archive, pool):
    skip = {os.path.join(archive, "many", f"{number:04}.txt") for number in range(0, FILES, 3)}
    items = iter_articles([archive / "many"], pool=pool, unchanged=lambda path, size, mtime: path in skip)
    ids = [item.id for item in items if isinstance(item, Article)]
    assert ids == [f"{number:04}.txt" for number in range(FILES) if number % 3]


class _Counting(Executor):
    """Counts what is submitted, and does it here."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        future: Future = Future()
        future.set_result(fn(*args))
        return future


def test_a_small_archive_never_starts_a_worker(archive, monkeypatch):
    monkeypatch.setattr(parallel, "POOL_AFTER", FILES + 100)  # more files than the archive holds
    here = [comparable(item) for item in iter_articles([archive])]
    counting = _Counting()
    assert [comparable(item) for item in iter_articles([archive], pool=counting)] == here
    assert counting.submitted == 0


def test_workers_are_asked_for_once_enough_files_are_read_here(archive, monkeypatch):
    monkeypatch.setattr(parallel, "POOL_AFTER", FILES // 2)
    here = [comparable(item) for item in iter_articles([archive])]
    counting = _Counting()
    assert [comparable(item) for item in iter_articles([archive], pool=counting)] == here
    assert counting.submitted > parallel.CHUNKS_AHEAD  # the start-up tasks, then chunks


def test_a_batch_gives_each_file_what_reading_it_alone_gives(tmp_path):
    """The columns a chunk crosses back in (joined titles, credits and fingerprints, ordinal dates) come
    apart into every file's own fields: with and without a date, a credit, warnings, and no article."""
    files = {
        "a.txt": article_bytes("Первая", body="Фото: ТАСС\n\nТекст."),
        "b.txt": "без заголовка\n\nТекст второй.".encode(),
        "c.txt": b"",
        "d.txt": article_bytes("Четвёртая", header="date 2025-13-45"),
        "e.txt": b"\x00\x01\x02" * 50,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    listed: list = [(str(tmp_path / name), name, WALKED) for name in files]
    for keep_text in (False, True):
        merged = list(parallel._merge(listed, parallel.read_chunk(listed, 1 << 20, keep_text), keep_text))
        alone: list = []
        for path, relative, how in listed:
            reasons, fields = read_article(path, how, 1 << 20)
            alone += [LoadWarning(display_path(path), reason) for reason in reasons]
            if fields is not None:
                alone.append(article_of(path, display_path(path), relative, fields, keep_text))
        assert [_every_field(item) for item in merged] == [_every_field(item) for item in alone]
        assert sum(isinstance(item, Article) for item in merged) == 3
        assert any(item.credit for item in merged if isinstance(item, Article))
        assert any(item.date is None for item in merged if isinstance(item, Article))


def _every_field(item: Article | LoadWarning) -> tuple:
    return ("warning", item.path, item.reason) if isinstance(item, LoadWarning) else tuple(item)


def test_a_chunk_where_no_file_gives_an_article_gives_only_its_warnings(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    listed: list = [(str(tmp_path / "empty.txt"), "empty.txt", WALKED)]
    merged = list(parallel._merge(listed, parallel.read_chunk(listed, 1 << 20, False), False))
    assert [(item.path, item.reason) for item in merged] == [(display_path(listed[0][0]), "empty file")]


def test_a_chunk_merged_in_runs_gives_what_each_file_gives(tmp_path):
    """A chunk of files under plain names is merged in runs between the files with warnings or without an
    article; one with a name not shown as it is, or with a warning of the walk, file by file: all alike."""
    files = {
        "a.txt": article_bytes("Первая"),
        "b.txt": b"",
        "c.txt": article_bytes("Третья", header="date 2025-13-45"),
        "d.txt": article_bytes("Четвёртая"),
        "e.txt": article_bytes("Пятая", body="Фото: ТАСС\n\nТекст."),
        "f.txt": b"\x00\x01\x02" * 50,
        "g.txt": article_bytes("Седьмая"),
        "h.txt": article_bytes("Восьмая").replace(b"\xd0\xb0", b"\xd0"),  # invalid UTF-8 bytes replaced
        "и.txt": article_bytes("Девятая"),
        "j\x1b.txt": article_bytes("Десятая"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    every: list = [(str(tmp_path / name), name, WALKED) for name in files]
    plain = [found for found in every if found[1].isascii() and found[1].isprintable()]
    for listed in (every, plain, plain[:1], plain[1:2], [LoadWarning("x", "a walk's warning"), *plain]):
        for keep_text in (False, True):
            files_only = [found for found in listed if not isinstance(found, LoadWarning)]
            merged = list(parallel._merge(listed, parallel.read_chunk(files_only, 1 << 20, keep_text), keep_text))
            alone: list = []
            for found in listed:
                if isinstance(found, LoadWarning):
                    alone.append(found)
                    continue
                path, relative, how = found
                reasons, fields = read_article(path, how, 1 << 20, keep_text)
                alone += [LoadWarning(display_path(path), reason) for reason in reasons]
                if fields is not None:
                    alone.append(article_of(path, display_path(path), relative, fields, keep_text))
            assert [_every_field(item) for item in merged] == [_every_field(item) for item in alone]

"""A dump read whole is cached with its texts: the next read takes its rows from the cache, a changed dump is
read again, and a damaged or unusable cache costs a warning, never a row twice or a row lost."""

import os
import shutil
from concurrent.futures import Executor, Future

import pytest
from tests.test_dump_articles import ROWS, loaded, write_csv

from newsreader.cache_folder import cache_folder
from newsreader.ingest import dumpcache, dumpload, records
from newsreader.runtime.processes import background_pool, stop_pool


def entries():
    folder = cache_folder() / dumpcache.FOLDER
    return sorted(path.suffix for path in folder.iterdir()) if folder.exists() else []


def summary(items):
    articles, warnings = items
    return [(a.id, a.title, a.fingerprint, a.date, a.origin.url, a.text) for a in articles], warnings


def many_rows(count):
    return [
        ROWS[0],
        *(
            [f"https://lenta.ru/news/2019/01/{1 + n % 28:02}/a{n}/", f"Заголовок {n}", f"Текст {n}.", "", "", ""]
            for n in range(count)
        ),
    ]


def test_a_dump_read_twice_is_parsed_once_and_gives_the_same_rows_texts_and_warnings(tmp_path, monkeypatch):
    write_csv(tmp_path / "lenta.csv", [*ROWS, ["https://x.ru/1", "", "", "", "", ""]])  # a row with no text
    first = summary(loaded([tmp_path], keep_text=False))
    assert first[1] and entries() == [".rows", ".texts"]
    monkeypatch.setattr(records, "iter_records", lambda *_a, **_k: pytest.fail("parsed again"))
    assert summary(loaded([tmp_path], keep_text=False)) == first


def test_a_changed_dump_is_read_again_and_its_old_entry_goes(tmp_path):
    write_csv(tmp_path / "lenta.csv")
    loaded([tmp_path])
    write_csv(tmp_path / "lenta.csv", ROWS[:2])
    os.utime(tmp_path / "lenta.csv", ns=(1, 1))
    articles, _ = loaded([tmp_path])
    assert [article.id for article in articles] == ["lenta.csv#1"]
    assert entries() == [".rows", ".texts"]


def test_a_cache_damaged_midway_gives_each_row_once_with_a_warning_and_is_written_anew(tmp_path, monkeypatch):
    monkeypatch.setattr(dumpcache, "FIRST_CHUNK_ITEMS", 4)
    monkeypatch.setattr(dumpcache, "CHUNK_ITEMS", 4)
    write_csv(tmp_path / "lenta.csv", many_rows(10))
    expected = summary(loaded([tmp_path]))[0]
    (rows_file,) = (cache_folder() / dumpcache.FOLDER).glob("*.rows")
    rows_file.write_bytes(rows_file.read_bytes()[:-40])  # the last chunks cut short
    articles, warnings = loaded([tmp_path])
    assert summary((articles, []))[0] == expected
    assert [warning.reason.split(" (")[0] for warning in warnings] == ["its cached rows could not be used"]
    assert summary(loaded([tmp_path]))[0] == expected and entries() == [".rows", ".texts"]


def test_an_unusable_cache_folder_is_said_and_the_rows_still_read_their_texts(tmp_path, monkeypatch):
    write_csv(tmp_path / "lenta.csv")
    cache_home = tmp_path / "cache-home"
    cache_home.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    articles, warnings = loaded([tmp_path / "lenta.csv"], keep_text=False)
    assert [warning.path for warning in warnings] == [str(tmp_path / "lenta.csv"), "dump texts"]
    assert warnings[0].reason.startswith("not cached") and "next start" in warnings[0].reason
    assert str(cache_home) in warnings[1].reason and "kept in memory" in warnings[1].reason
    assert articles[0].text.endswith("Об этом сообщает ТАСС.")


def test_a_read_stopped_early_leaves_no_entry(tmp_path):
    from newsreader.ingest.parse import iter_articles

    write_csv(tmp_path / "lenta.csv", many_rows(10))
    items = iter_articles([str(tmp_path)])
    next(items)
    items.close()
    assert entries() == []


class FailingPool(Executor):
    """A pool whose every task fails at once, or that cannot take one."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse

    def submit(self, fn, /, *args, **kwargs):
        if self.refuse:
            raise RuntimeError("cannot schedule new futures after shutdown")
        failed = Future()
        failed.set_exception(MemoryError("the worker ran out of memory"))
        return failed


@pytest.fixture
def big_enough(monkeypatch):
    """Every dump goes to the worker, and the rows read here while it starts are few: the worker's count."""
    monkeypatch.setattr(dumpload, "WORKER_MIN_BYTES", 0)
    monkeypatch.setattr(dumpload, "HEAD_MAX_ITEMS", 16)


def test_a_big_dump_read_in_a_worker_gives_what_reading_it_here_gives_and_is_cached(tmp_path, big_enough):
    write_csv(tmp_path / "lenta.csv", [*many_rows(3000), ["https://x.ru/1", "", "", "", "", ""]])
    here = summary(loaded([tmp_path / "lenta.csv"], keep_text=False))
    shutil.rmtree(cache_folder() / dumpcache.FOLDER)
    pool = background_pool(1)
    try:
        there = summary(loaded([tmp_path / "lenta.csv"], keep_text=False, pool=pool))
    finally:
        stop_pool(pool)
    assert there == here and len(there[0]) == 3000 and [w.reason for w in there[1]] == ["no text"]
    assert entries() == [".rows", ".texts"]


@pytest.mark.parametrize(
    ("pool", "said"),
    [
        (FailingPool(), "a loading process failed (MemoryError: the worker ran out of memory)"),
        (FailingPool(True), "a loading process could not start"),
    ],
)
def test_a_worker_that_fails_is_said_and_the_dump_is_read_here_with_no_row_twice(tmp_path, big_enough, pool, said):
    write_csv(tmp_path / "lenta.csv", many_rows(100))
    expected = summary(loaded([tmp_path / "lenta.csv"], keep_text=False))[0]
    shutil.rmtree(cache_folder() / dumpcache.FOLDER)
    articles, warnings = loaded([tmp_path / "lenta.csv"], keep_text=False, pool=pool)
    assert summary((articles, []))[0] == expected
    assert [warning.reason.startswith(said) for warning in warnings] == [True]
    assert entries() == [".rows", ".texts"]


def test_a_dump_named_three_ways_has_one_cache_entry(tmp_path, monkeypatch):
    (tmp_path / "d").mkdir()
    write_csv(tmp_path / "d" / "lenta.csv")
    monkeypatch.chdir(tmp_path)
    for named in ("d", "d/lenta.csv", str(tmp_path / "d" / "lenta.csv")):
        assert len(loaded([named])[0]) == 2
    assert entries() == [".rows", ".texts"]

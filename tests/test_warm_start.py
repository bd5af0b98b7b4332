"""Warm start: a second run shows the list from the snapshot without reading a file, then takes in what changed."""

import os
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Static
from textual.worker import get_current_worker

import newsreader.ingest.load as load_module
import newsreader.ui.controllers.loading as loading_module
from conftest import article_bytes
from newsreader.ingest.parse import Article, iter_articles
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_list import ArticleList

SIZE = (120, 40)


def snapshots() -> list[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"], "newsreader", "snapshots").glob("*.snapshot"))


async def run_app(root: Path, seen: list[str] | None = None, seen_checking: threading.Event | None = None) -> dict:
    """Run the app on `root` until loading and the check for changes are over; what it showed (the status
    lines in `seen`; `seen_checking` is set once one said it is checking for changes)."""
    app = NewsreaderApp([str(root)], enrich=False)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(400):
            await pilot.pause(0.02)
            status = str(app.query_one("#status", Static).visual)
            if seen is not None:
                seen.append(status)
            if seen_checking is not None and "checking files for changes" in status:
                seen_checking.set()
            loading = any(worker.group == "load" and not worker.is_finished for worker in app.workers)
            if app.main.loader.done and not app.main.loader.checking and not loading:
                break
        await pilot.pause()
        view = app.store.ordered()
        assert app.query_one(ArticleList).row_count == len(view)
        return {
            "list": [(article.id, article.title) for article in view],
            "warnings": sorted(map(str, (w for w in app.load_warnings if "search index" not in w.path))),
            "status": str(app.query_one("#status", Static).visual),
        }


def names_under(root: Path, opened: list[str]) -> list[str]:
    return sorted(os.path.relpath(name, root) for name in opened if name.startswith(f"{root}{os.sep}"))


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Every file the loading thread opens, by name (not the reader's nor the search index's text reads)."""
    names: list[str] = []
    original = load_module.os.open

    def counting_open(path, *args, **kwargs):
        thread = threading.current_thread()
        if thread is not threading.main_thread() and not thread.name.startswith("search-index"):
            names.append(os.fsdecode(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(load_module.os, "open", counting_open)
    return names


async def test_warm_start_reads_no_file_and_shows_the_same_list_and_warnings(hostile_dir, opened):
    cold = await run_app(hostile_dir)
    assert len(snapshots()) == 1 and opened
    opened.clear()
    warm = await run_app(hostile_dir)
    assert names_under(hostile_dir, opened) == []
    assert warm["list"] == cold["list"] and warm["warnings"] == cold["warnings"]
    assert any("empty file" in warning for warning in warm["warnings"])  # a file that gave only a warning


async def test_new_changed_and_deleted_files_are_taken_in(tmp_path, opened, monkeypatch):
    root = tmp_path / "archive"
    root.mkdir()
    for name in ("a", "b", "c", "d"):
        (root / f"{name}.txt").write_bytes(article_bytes(f"Статья {name}", body=f"Текст статьи {name}."))
    (root / "dup.txt").write_bytes(article_bytes("Статья a", body="Текст статьи a."))  # repeats a.txt
    await run_app(root)
    (root / "a.txt").unlink()  # deleted: dup.txt, which repeated it, is now the article
    (root / "b.txt").write_bytes(article_bytes("Статья b, исправленная", body="Новый текст."))
    (root / "c.txt").write_bytes(b"")  # was an article, now only a warning
    (root / "e.txt").write_bytes(article_bytes("Статья e", body="Текст статьи e."))
    opened.clear()
    statuses: list[str] = []
    checking = threading.Event()

    def after_a_look(paths, **options):  # the check waits until the status bar has been seen saying so
        checking.wait(timeout=10)
        return iter_articles(paths, **options)

    monkeypatch.setattr(loading_module, "iter_articles", after_a_look)
    warm = await run_app(root, statuses, checking)
    assert sorted(title for _, title in warm["list"]) == ["Статья a", "Статья b, исправленная", "Статья d", "Статья e"]
    assert dict(warm["list"])["dup.txt"] == "Статья a"
    assert [warning.split(": ", 1)[1] for warning in warm["warnings"]] == ["empty file"]
    assert names_under(root, opened) == ["b.txt", "c.txt", "e.txt"]
    assert any("checking files for changes" in status for status in statuses)
    assert "checking" not in warm["status"]
    opened.clear()
    again = await run_app(root)  # the snapshot was written again: nothing is read
    assert sorted(again["list"]) == sorted(warm["list"]) and again["warnings"] == warm["warnings"]
    assert not names_under(root, opened)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-40] + bytes(b ^ 0xFF for b in data[-40:]), id="corrupt"),
        pytest.param(lambda data: b"PK\x03\x04" + data[4:], id="foreign"),
    ],
)
async def test_a_damaged_snapshot_is_one_warning_and_a_cold_load(seed_copy, damage):
    cold = await run_app(seed_copy)
    [snapshot] = snapshots()
    snapshot.write_bytes(damage(snapshot.read_bytes()))
    warm = await run_app(seed_copy)
    assert warm["list"] == cold["list"]
    [warning] = warm["warnings"]
    assert "snapshot" in warning and "every file is read again" in warning
    assert (await run_app(seed_copy))["warnings"] == []  # written anew


async def test_quitting_midway_keeps_what_loaded(tmp_path, monkeypatch, opened):
    root = tmp_path / "archive"
    root.mkdir()
    for number in range(6):
        (root / f"{number}.txt").write_bytes(article_bytes(f"Статья {number}", body=f"Текст {number}."))
    three_read = threading.Event()

    def three_until_quit(paths, **options):
        items = iter_articles(paths, **options)
        for _ in range(3):
            yield next(items)
        three_read.set()
        deadline = time.monotonic() + 10
        while not get_current_worker().is_cancelled and time.monotonic() < deadline:
            time.sleep(0.01)
        yield from items

    monkeypatch.setattr(loading_module, "iter_articles", three_until_quit)
    app = NewsreaderApp([str(root)], enrich=False)
    async with app.run_test(size=SIZE) as pilot:
        while not three_read.is_set():
            await pilot.pause(0.02)
    monkeypatch.setattr(loading_module, "iter_articles", iter_articles)
    opened.clear()
    warm = await run_app(root)
    assert len(warm["list"]) == 6
    read_again = names_under(root, opened)  # the fourth may have been read as the loading thread stopped
    assert "5.txt" in read_again and set(read_again) <= {"3.txt", "4.txt", "5.txt"}


def test_rows_come_back_as_the_articles_written(tmp_path, hostile_dir):
    from newsreader.ingest.snapshot import Journal, Snapshot, write_snapshot

    journal = Journal()
    list(journal.recorded(iter_articles([str(hostile_dir)], unchanged=journal.file_met)))
    path = tmp_path / "snapshot"
    write_snapshot(path, journal, [str(hostile_dir)], 1 << 20)
    snapshot = Snapshot(path, [str(hostile_dir)], 1 << 20)
    again = snapshot.journal(snapshot.head())
    assert again is not None and again.rows == journal.rows and again.warnings == journal.warnings
    articles = [row for row in again.rows if isinstance(row, Article)]
    assert articles and all(article.held_text is None and article.text for article in articles)  # read when asked

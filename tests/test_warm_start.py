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
    """Every file the loading thread opens, by name (not the reader's, the search index's or the stories' reads)."""
    names: list[str] = []
    original = load_module.os.open

    def counting_open(path, *args, **kwargs):
        thread = threading.current_thread()
        if thread is not threading.main_thread() and not thread.name.startswith(("search-index", "stories")):
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


def two_roots(tmp_path: Path) -> list[str]:
    """Two archives whose files share names (so ids collide), with a duplicate, undated articles, a file that
    gives only a warning, and titles that are not Cyrillic only."""
    roots = [tmp_path / "one", tmp_path / "two"]
    for number, root in enumerate(roots):
        root.mkdir()
        (root / "same.txt").write_bytes(article_bytes(f"Статья {number} «в кавычках»", body=f"Текст {number}."))
        (root / "undated.txt").write_bytes(article_bytes(f"Без даты {number}", header="без даты"))
        (root / "old.txt").write_bytes(article_bytes(f"Old news {number}", header=f"date 201{number}-05-06"))
        (root / "empty.txt").write_bytes(b"")
    (roots[1] / "copy.txt").write_bytes(article_bytes("Статья 0 «в кавычках»", body="Текст 0."))  # repeats one's
    return [str(root) for root in roots]


def test_a_store_filled_from_the_plan_is_the_store_add_many_makes(tmp_path):
    from newsreader.ingest.snapshot import Journal, Snapshot, write_snapshot
    from newsreader.store.corpus import Store

    paths = two_roots(tmp_path)
    journal = Journal()
    list(journal.recorded(iter_articles(paths, unchanged=journal.file_met)))
    write_snapshot(tmp_path / "snapshot", journal, paths, 1 << 20)
    snapshot = Snapshot(tmp_path / "snapshot", paths, 1 << 20)
    rows = snapshot.journal(snapshot.head())
    assert rows is not None
    message = loading_module._replay(rows, snapshot.plan())  # noqa: SLF001 - what the loading thread does
    cold = Store()
    cold_duplicates = cold.add_many(journal.articles())
    warm = message.store
    assert warm.unmapped is not None  # the maps are built after the list is shown
    assert [warning for _, warning in cold_duplicates] == [warning for _, warning in message.duplicates]
    for newest_first in (True, False):
        assert [a.id for a in warm.ordered(newest_first)] == [a.id for a in cold.ordered(newest_first)]
    assert len(warm) == len(cold) == 6 and [a.id for a in warm] == [a.id for a in cold]
    assert any(a.id.endswith(os.path.join("two", "same.txt")) for a in warm)  # an id two files had: the path
    view = warm.ordered()
    unmapped = warm.unmapped
    for index, article in list(enumerate(view))[:2]:  # before the maps: found by scanning
        assert warm.get(article.id) is article and warm.by_fingerprint(article.fingerprint) is article
        assert view.position(article.id) == index
    assert warm.get("nothing") is None and warm.by_fingerprint("nothing") is None
    assert warm.unmapped is unmapped  # a few lookups do not build the maps
    assert warm.map_with(unmapped, loading_module.article_maps(unmapped)) and warm.unmapped is None
    assert not warm.map_with(unmapped, ({}, {}))  # once only
    for index, article in enumerate(view):
        assert warm.get(article.id) is article and view.position(article.id) == index
    again = loading_module._replay(rows, snapshot.plan()).store  # noqa: SLF001
    for article in [*view, *view]:  # many lookups (a search's hits): the maps are built here
        assert again.get(article.id) == article
    assert again.unmapped is None and len(again) == 6


def test_a_store_needing_its_maps_before_they_come_builds_them():
    from newsreader.store.corpus import Store

    items = [Article(f"id{n}", f"/a/{n}", None, f"T{n}", 0, None, "utf-8", f"f{n}", f"/a/{n}", 1, 2) for n in range(3)]
    store = Store.filled(items, [], [], mapped=False)
    assert store.add(Article("id9", "/a/9", None, "T9", 0, None, "utf-8", "f0", "/a/9", 1, 2)) is not None  # a dup
    assert store.unmapped is None and len(store) == 3
    assert not store.map_with(items, ({}, {}))  # too late: built already
    assert store.remove([items[1]]) == [items[1]] and [a.id for a in store.ordered()] == ["id0", "id2"]


def test_articles_are_equal_without_their_texts_and_travel_whole(tmp_path):
    import pickle

    from newsreader.ingest.load import FileStamp

    held = Article.of("a", "/r/a", None, "T", 0, None, "utf-8", "f", FileStamp("/r/a", 5, 7), "T\n\nтекст")
    released = held.released()
    assert released.held_text is None and released == held and hash(released) == hash(held)
    assert released.stamp == FileStamp("/r/a", 5, 7) and (released.source, released.size) == ("/r/a", 5)
    assert released != held._replace(size=6) and released != tuple(released)
    assert pickle.loads(pickle.dumps(held)) == held and pickle.loads(pickle.dumps(held)).held_text == held.held_text
    bare = Article("b", "b", None, "T", 0, None, "utf-8", "g", held_text="T")
    assert bare.stamp is None and bare.released() is bare


def test_titles_with_a_nul_are_kept_as_they_are(tmp_path):
    from newsreader.ingest.load import FileStamp, LoadWarning
    from newsreader.ingest.snapshot import Journal, Snapshot, write_snapshot

    journal = Journal()
    titles = ["обычный", "с\0нулём", "", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
    for number, title in enumerate(titles):
        stamp = FileStamp(f"/r/{number}", number, number)
        journal.rows.append(Article.of(str(number), f"/r/{number}", None, title, 0, None, "utf-8", str(number), stamp))
    journal.rows.append(FileStamp("/r/x", 1, 1))  # a file that gave only a warning
    journal.warnings.append((4, 4, LoadWarning("/r/x", "empty file")))
    write_snapshot(tmp_path / "snapshot", journal, ["/r"], 1)
    snapshot = Snapshot(tmp_path / "snapshot", ["/r"], 1)
    again = snapshot.journal(snapshot.head())
    assert again is not None and again.rows == journal.rows and again.warnings == journal.warnings
    assert [row.title for row in again.rows[:4]] == titles  # type: ignore[union-attr]

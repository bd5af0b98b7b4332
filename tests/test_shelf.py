"""Packed analysis results live on a shelf off the heap: a nameless file, or memory when no file will do, and
a store's results survive the file failing midway."""

import gc
from array import array

from tests.test_store import analysed

from newsreader import shelf as packing
from newsreader.shelf import Shelf
from newsreader.store.corpus import Store


def test_what_is_put_is_got_back_from_a_file_that_has_no_name(tmp_path):
    shelf = Shelf(tmp_path / "cache")
    first, second = shelf.put(b"abc"), shelf.put(bytes(range(256)) * 10)
    assert (shelf.get(first, 3), shelf.get(second, 2560)) == (b"abc", bytes(range(256)) * 10)
    assert not shelf.in_memory
    assert list((tmp_path / "cache").iterdir()) == []  # unlinked: it goes with the process
    shelf.close()


def test_a_folder_that_cannot_be_made_keeps_the_shelf_in_memory(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    shelf = Shelf(tmp_path / "file" / "cache")
    at = shelf.put(b"packed")
    assert shelf.in_memory
    assert shelf.get(at, 6) == b"packed"


def test_a_disk_that_fills_midway_moves_what_the_shelf_holds_to_memory(tmp_path, monkeypatch):
    shelf = Shelf(tmp_path)
    first = shelf.put(b"before")

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(packing.os, "pwrite", full)
    second = shelf.put(b"after")
    assert shelf.in_memory
    assert (shelf.get(first, 6), shelf.get(second, 5)) == (b"before", b"after")


def test_a_store_keeps_no_object_an_analysed_article_and_reads_its_result_back():
    store = Store()
    before = sum(isinstance(obj, array) for obj in gc.get_objects())
    bodies = [f"Песков сказал 10 января, что встреча {number} прошла." for number in range(200)]
    for number, body in enumerate(bodies):
        analysed(store, f"a{number}", "2025-01-02", body)
    store._unpacked.clear()  # the results rebuilt for reading: not what is held
    arrays = sum(isinstance(obj, array) for obj in gc.get_objects()) - before
    assert arrays < 20  # columns and one list per entity key, none per article
    assert store.enriched_count == 200
    result = store.enrichment("a123")
    assert result is not None and [entity.text for entity in result.entities] == ["Песков"]
    assert store.article_events("a123")[0].event.value == "2025-01-10"


def test_a_store_whose_shelf_fails_midway_keeps_every_result(monkeypatch):
    store = Store()
    analysed(store, "a", "2025-01-02", "Песков сказал 10 января.")

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(packing.os, "pwrite", full)
    analysed(store, "b", "2025-01-03", "Песков напомнил 10 января.")
    store._unpacked.clear()
    assert [store.enrichment(name).entities[0].text for name in "ab"] == ["Песков", "Песков"]


def test_a_shelf_whose_file_cannot_be_read_back_says_so_and_keeps_later_offsets(tmp_path, monkeypatch):
    shelf = Shelf(tmp_path)
    shelf.put(b"lost")

    def broken(*_args):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(packing.os, "pwrite", broken)
    monkeypatch.setattr(packing.os, "pread", broken)
    later = shelf.put(b"kept")
    assert shelf.in_memory and shelf.get(later, 4) == b"kept"
    assert shelf.problem is not None and "could not be read back" in shelf.problem


def test_a_store_tells_its_shelf_problem_once(monkeypatch):
    store = Store()

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(packing.os, "pwrite", full)
    analysed(store, "a", "2025-01-02", "Песков сказал 10 января.")
    problem = store.take_shelf_problem()
    assert problem is not None and "No space left on device" in problem
    assert store.take_shelf_problem() is None

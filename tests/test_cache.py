import json
import sqlite3
import zlib
from pathlib import Path

import pytest

from full_disk import FullDisk
from newsreader.nlp import cache as cache_module
from newsreader.nlp.cache import EnrichmentCache
from newsreader.nlp.dates import DateMention
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.events import Event

TEXT = "Галузин прибыл в Баку 25 октября."


def sample() -> Enrichment:
    return Enrichment(
        entities=(
            EntityMention(0, 7, "PER", "Галузин", "Галузин", "PER:михаил галузин"),
            EntityMention(17, 21, "LOC", "Баку", "Баку", "LOC:баку"),
        ),
        dates=(DateMention(22, 32, "25 октября", "2025-10-25", "day"),),
        events=(Event("2025-10-25", "day", 22, 32, 0, 33, ("PER:михаил галузин", "LOC:баку")),),
    )


@pytest.fixture
def path(tmp_path):
    return tmp_path / "cache" / "enrichment.sqlite3"


def test_round_trip_survives_reopening(path):
    cache = EnrichmentCache(path)
    cache.put_many([("fp1", sample())])
    cache.close()
    again = EnrichmentCache(path)
    assert again.get("fp1", TEXT) == sample()
    assert again.get("other", TEXT) is None
    assert again.warnings == []


def test_new_pipeline_version_misses(path, monkeypatch):
    monkeypatch.setattr(cache_module, "ENRICHMENT_VERSION", "v1")
    EnrichmentCache(path).put_many([("fp1", sample())])
    monkeypatch.setattr(cache_module, "ENRICHMENT_VERSION", "v2")
    assert EnrichmentCache(path).get("fp1", TEXT) is None
    monkeypatch.setattr(cache_module, "ENRICHMENT_VERSION", "v1")
    assert EnrichmentCache(path).get("fp1", TEXT) == sample()


def test_corrupt_file_is_moved_aside_with_a_warning(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database at all" * 100)
    cache = EnrichmentCache(path)
    assert len(cache.warnings) == 1 and "corrupt cache" in cache.warnings[0]
    assert list(path.parent.glob("enrichment.sqlite3.corrupt-*"))
    cache.put_many([("fp1", sample())])
    assert cache.get("fp1", TEXT) == sample()


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        json.dumps([[[0, 999, "PER", "x", "k"]], [], []]),
        json.dumps({"a": 1}),
        b"not compressed",
        zlib.compress(b"not json"),
        zlib.compress(json.dumps([[[0, 999, "PER", "x", "k"]], [], []]).encode()),
    ],
)
def test_corrupt_entry_is_discarded_never_trusted(path, payload):
    cache = EnrichmentCache(path)
    cache.put_many([("fp1", sample())])
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE enrichment SET payload = ?", (payload,))
    assert cache.get("fp1", TEXT) is None
    assert "discarded a corrupt cache entry" in cache.warnings[0]
    assert cache.get("fp1", TEXT) is None


def test_an_entry_stored_as_plain_json_by_an_earlier_version_is_read(path):
    cache = EnrichmentCache(path)
    cache.put_many([("fp1", sample())])
    with sqlite3.connect(path) as connection:
        [(stored,)] = connection.execute("SELECT payload FROM enrichment").fetchall()
        assert isinstance(stored, bytes)  # compressed
        connection.execute("UPDATE enrichment SET payload = ?", (zlib.decompress(stored).decode(),))
    assert cache.get("fp1", TEXT) == sample() and cache.warnings == []


def assert_off_with_one_warning(cache: EnrichmentCache, reason: str) -> None:
    """Said once, naming the file; after that nothing is read or written, and nothing raises."""
    assert len(cache.warnings) == 1, cache.warnings
    assert str(cache.path) in cache.warnings[0] and reason in cache.warnings[0]
    assert "not cached this session" in cache.warnings[0]
    cache.put_many([("fp1", sample())])
    assert cache.get("fp1", TEXT) is None
    assert len(cache.warnings) == 1
    cache.close()


def test_cache_folder_that_is_a_file_turns_the_cache_off(tmp_path):
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    assert_off_with_one_warning(EnrichmentCache(tmp_path / "cache" / "enrichment.sqlite3"), "cannot open")


def test_full_disk_turns_the_cache_off_once_and_keeps_what_was_written(path, monkeypatch):
    full_disk = FullDisk(monkeypatch, cache_module)
    cache = EnrichmentCache(path)
    cache.put_many([("fp1", sample())])
    full_disk.now()
    cache.put_many([(f"fp{number}", sample()) for number in range(2, 2000)])
    assert_off_with_one_warning(cache, "full")
    assert EnrichmentCache(path).get("fp1", TEXT) == sample()


def test_a_corrupt_cache_that_cannot_be_moved_aside_turns_the_cache_off(path, monkeypatch):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database at all" * 100)

    def read_only_folder(self, target):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "replace", read_only_folder)
    assert_off_with_one_warning(EnrichmentCache(path), "Permission denied")
    assert path.read_bytes().startswith(b"this is not a database")

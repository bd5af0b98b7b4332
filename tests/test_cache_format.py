"""The portable analysis cache (docs/cache-format.md): made by `analyse --output` under one user's folders,
used read-only beside the archive by extract and the app under another's; a wrong version is ignored, said."""

import json
import sqlite3

import pytest

from conftest import article_bytes
from newsreader.cli.main import main
from newsreader.nlp.cache import ARCHIVE_CACHE_FOLDER, CACHE_FILE, EnrichmentCache
from newsreader.ui.app import NewsreaderApp
from test_analyse import forbid_nlp

BODIES = [
    "Министр иностранных дел Сергей Лавров прибыл в Баку на переговоры.",
    "Мэр Санкт-Петербурга Александр Беглов открыл новую станцию метро 5 мая.",
]


@pytest.fixture
def analysed(tmp_path, monkeypatch, capsys):
    """An archive analysed into its own .newsreader folder; then the XDG folders of another user."""
    archive = tmp_path / "archive"
    archive.mkdir()
    for number, body in enumerate(BODIES):
        (archive / f"{number}.txt").write_bytes(article_bytes(f"Новость {number}", body=body))
    assert main(["analyse", str(archive), "--workers", "1", "--output", str(archive / ARCHIVE_CACHE_FOLDER)]) == 0
    capsys.readouterr()
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "elsewhere" / name.lower()))
    return archive


def extracted(archive, capsys) -> tuple[int, list[dict], str]:
    code = main(["extract", str(archive), "--workers", "1"])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_a_cache_beside_the_archive_is_used_read_only_by_extract(analysed, capsys, monkeypatch):
    folder = analysed / ARCHIVE_CACHE_FOLDER
    before = sorted(path.name for path in folder.iterdir())
    assert before == [CACHE_FILE], "one self-contained file, no write-ahead log to forget when copying"
    forbid_nlp(monkeypatch)
    code, records, err = extracted(analysed, capsys)
    assert code == 0 and err == ""
    assert {"PER:сергей лавров", "LOC:баку"} <= {entity["key"] for entity in records[0]["entities"]}
    assert sorted(path.name for path in folder.iterdir()) == before, "nothing written into the archive"


async def test_the_app_opens_the_archive_analysed_from_the_cache_beside_it(analysed, monkeypatch):
    forbid_nlp(monkeypatch)
    app = NewsreaderApp([str(analysed)], workers=1)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            service = app.main.loader.service
            if service is not None and service.idle and app.store.enriched_count == len(BODIES):
                break
            await pilot.pause(0.05)
        assert app.main.loader.service.from_cache == len(BODIES)
        assert app.store.enriched_count == len(BODIES)
        assert not [warning for warning in app.load_warnings if warning.path == "analysis"]


def rewrite(archive, sql: str) -> None:
    connection = sqlite3.connect(archive / ARCHIVE_CACHE_FOLDER / CACHE_FILE)
    with connection:
        connection.execute(sql)
    connection.close()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("UPDATE format SET value = '99' WHERE name = 'format'", "cache format 99, this newsreader reads format 1"),
        ("DROP TABLE format", "not a newsreader analysis cache"),
        ("UPDATE enrichment SET key = 'e0-d0-s0-p0' || substr(key, instr(key, ':'))", "made by analysis e0-d0-s0-p0"),
    ],
)
def test_a_cache_of_another_version_is_ignored_with_a_warning(analysed, capsys, change, said):
    rewrite(analysed, change)
    code, records, err = extracted(analysed, capsys)
    assert code == 0 and len(records) == len(BODIES) and records[0]["entities"], "analysed afresh instead"
    [warning] = err.splitlines()
    assert warning.startswith(str(analysed / ARCHIVE_CACHE_FOLDER / CACHE_FILE)) and said in warning
    assert warning.endswith("analysis cache ignored")


def test_the_user_cache_of_a_newer_format_is_left_alone(tmp_path):
    path = tmp_path / CACHE_FILE
    EnrichmentCache(path).close()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE format SET value = '2' WHERE name = 'format'")
    connection.close()
    cache = EnrichmentCache(path)
    assert not cache.usable and "cache format 2" in cache.warnings[0]
    assert sqlite3.connect(path).execute("SELECT value FROM format WHERE name = 'format'").fetchone() == ("2",)

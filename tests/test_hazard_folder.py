"""Loading the hazard folder of tests/hazards.py: no exception, no hang, and every entry
ends as its article or as a warning naming it and the reason."""

import os
import threading
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from hazards import MANY_FILES, PAYLOAD, RACE_MAX_BYTES, UNSAFE, build_hazards, build_race, dismantle
from newsreader.ingest import load
from newsreader.ingest.load import iter_documents
from newsreader.ingest.parse import Article, iter_articles

LOAD_DEADLINE_SECONDS = 120


@dataclass
class Loaded:
    articles: dict[str, Article] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    error: BaseException | None = None


def load_in_thread(root, items) -> Loaded:
    """Consume `items` in a thread with a deadline, so a blocking open fails the test instead of hanging it."""
    loaded = Loaded()
    prefix = str(root) + os.sep

    def consume() -> None:
        try:
            for item in items:
                if isinstance(item, Article):
                    loaded.articles[item.id] = item
                else:
                    loaded.warnings[item.path.removeprefix(prefix)].append(item.reason)
        except BaseException as error:  # noqa: BLE001  (the test reports it)
            loaded.error = error

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    thread.join(LOAD_DEADLINE_SECONDS)
    assert not thread.is_alive(), "loading froze"
    return loaded


@pytest.fixture(scope="module")
def hazards(tmp_path_factory):
    built = build_hazards(tmp_path_factory.mktemp("hazards"), many_files=MANY_FILES, huge_line=True)
    yield built
    dismantle(built)


@pytest.fixture(scope="module")
def loaded(hazards) -> Loaded:
    return load_in_thread(hazards.root, iter_articles([hazards.root]))


def test_loading_never_raises(loaded):
    assert loaded.error is None, repr(loaded.error)


def test_every_readable_file_is_an_article_with_its_title(hazards, loaded):
    assert {id: article.title for id, article in loaded.articles.items()} == hazards.titles


def test_every_bad_entry_gets_one_specific_warning(hazards, loaded):
    assert dict(loaded.warnings) == {path: [reason] for path, reason in hazards.warnings.items()}


def test_neither_escape_payloads_nor_files_outside_the_folder_reach_any_article(loaded):
    assert not any(PAYLOAD in article.text or PAYLOAD in article.id for article in loaded.articles.values())


def test_no_displayed_string_keeps_a_control_bidi_or_invisible_character(loaded):
    shown = [(article.id, article.path, article.title, article.text) for article in loaded.articles.values()]
    shown += [(path, *reasons) for path, reasons in loaded.warnings.items()]
    assert [strings for strings in shown if any(UNSAFE.search(each) for each in strings)] == []


def test_escapes_markup_and_encodings_keep_their_words(loaded):
    articles = loaded.articles
    assert articles["escapes.txt"].text.endswith("Конец")  # the unterminated OSC is cut at the end of its line
    assert "[@click=app.quit]выход[/]" in articles["markup.txt"].text  # markup stays literal text
    assert len(articles["huge_line.txt"].text) > 1_000_000
    assert articles["cp1251.txt"].encoding == "cp1251" and articles["koi8.txt"].encoding == "koi8_r"


def test_files_that_vanish_or_change_between_listing_and_reading(tmp_path, monkeypatch):
    change, expected = build_race(tmp_path / "race")
    real_scandir = os.scandir

    def scandir_then_change(path):
        """List the folder as it was, then change it before any file is read."""
        with real_scandir(path) as scan:
            entries = list(scan)
        change()
        return _Listing(entries)

    monkeypatch.setattr(load.os, "scandir", scandir_then_change)
    result = load_in_thread(tmp_path / "race", iter_documents([tmp_path / "race"], max_bytes=RACE_MAX_BYTES))
    assert result.error is None
    assert set(result.warnings) == set(expected)
    assert {name: reasons[0] for name, reasons in result.warnings.items()} == expected


class _Listing(list):
    """A finished directory listing that can stand in for `os.scandir`'s context manager."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None

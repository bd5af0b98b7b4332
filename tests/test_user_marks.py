"""Stars, tags and notes: kept as read marks are (crash-safe, memory fallback), read by tag:/note:/is: filters."""

import json
import sqlite3
import subprocess
import sys

import pytest

from conftest import article_bytes
from newsreader.cli.main import main
from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.search.index import SearchIndex
from newsreader.search.marks import with_marks
from newsreader.search.query import parse_query
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store
from newsreader.userdata import state as state_module
from newsreader.userdata.marks import MAX_NOTE_CHARS, MAX_TAG_CHARS, UserMarks, clean_note, parse_tags
from newsreader.userdata.state import ReadingState


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "state.sqlite3"


def test_marks_survive_reopening(path):
    state = ReadingState(path)
    state.set_star(["aa", "bb"], True)
    state.set_star(["bb"], False)
    state.set_tags("aa", ("проверить", "Белоусов"))
    state.set_tags("bb", ("проверить",))
    state.set_tags("bb", ())
    state.set_note("aa", "Позвонить автору.\nВторая строка")
    state.set_note("cc", "удалить")
    state.set_note("cc", "")
    state.close()
    marks = ReadingState(path).user_marks()
    assert marks.starred == {"aa"}
    assert marks.tags == {"aa": ("Белоусов", "проверить")}
    assert marks.notes == {"aa": "Позвонить автору.\nВторая строка"}
    assert marks.all_tags() == [("Белоусов", 1), ("проверить", 1)]


def test_a_star_survives_a_crash_without_close(path):
    crash = (
        "from newsreader.userdata.state import ReadingState; import os, pathlib\n"
        f"s = ReadingState(pathlib.Path({str(path)!r})); s.set_star(['aa'], True); s.set_note('aa', 'x'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", crash], check=True)
    marks = ReadingState(path).user_marks()
    assert marks.starred == {"aa"} and marks.notes == {"aa": "x"}


def test_a_state_file_from_before_marks_gains_them(path):
    path.parent.mkdir(parents=True)
    old = sqlite3.connect(path)
    old.executescript(state_module.SCHEMA)  # the schema as it was: read marks and positions only
    old.execute("INSERT INTO read VALUES ('aa')")
    old.commit()
    old.close()
    state = ReadingState(path)
    state.set_star(["aa"], True)
    assert state.read_fingerprints() == {"aa"} and state.user_marks().starred == {"aa"}


def test_marks_go_on_in_memory_when_the_file_fails(path, monkeypatch):
    monkeypatch.setattr(state_module, "BUSY_TIMEOUT_SECONDS", 0)
    state = ReadingState(path)
    state.set_tags("aa", ("до",))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    state.set_tags("aa", ("после",))
    assert state.user_marks().tags == {"aa": ("после",)}
    assert len(state.warnings) == 1 and "in memory" in state.warnings[0]
    blocker.execute("ROLLBACK")


def test_tags_are_split_cleaned_and_never_repeated():
    assert parse_tags(" проверить,  Белоусов ; проверить #ПРОВЕРИТЬ\n суд ") == ("Белоусов", "проверить", "суд")
    assert parse_tags('a "b" \x1b[31mc') == ("a b c",)
    assert parse_tags(",, ;") == ()
    assert parse_tags("х" * 100) == ("х" * MAX_TAG_CHARS,)


def test_a_note_is_sanitised_and_cut():
    assert clean_note("строка\x00 \x1b[2J\n\n") == "строка"
    assert len(clean_note("я" * (MAX_NOTE_CHARS + 5))) == MAX_NOTE_CHARS


def article(store: Store, name: str, date: str, body: str):
    parsed, _ = parse(Document(name, f"{name}.txt", f"date {date}\nЗаголовок {name}\n\n{body}\n", "utf-8"))
    store.add(parsed)
    return parsed


@pytest.fixture
def marked():
    store = Store()
    a = article(store, "a", "2025-01-10", "Суд в Москве отложил заседание.")
    b = article(store, "b", "2025-02-10", "Суд в Казани вынес решение.")
    c = article(store, "c", "2025-03-10", "Погода в Москве.")
    marks = UserMarks(
        starred=frozenset({a.fingerprint, c.fingerprint}),
        tags={a.fingerprint: ("проверить",), b.fingerprint: ("Проверить", "суд")},
        notes={b.fingerprint: "Позвонить в пресс-службу суда"},
    )
    return store, marks


@pytest.mark.parametrize("engine", ["scan", "index"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is:starred", ["c", "a"]),
        ("is:starred суд", ["a"]),
        ("is:starred date:2025-03", ["c"]),
        ("tag:проверить", ["b", "a"]),
        ('tag:"ПРОВЕРИТЬ" is:starred', ["a"]),
        ("tag:нет", []),
        ("note:пресс-службу", ["b"]),
        ("note:пресс-служба", ["b"]),  # any form of the note's words
        ('note:"суд позвонить"', ["b"]),  # every word, in any order
        ("note:звон", ["b"]),  # as typed, within a word
        ('note:"суд москва"', []),
        ("is:noted", ["b"]),
        ("is:tagged Москве", ["a"]),
    ],
)
def test_mark_filters_find_the_marked_articles(marked, engine, query, expected, tmp_path):
    store, marks = marked
    parsed = with_marks(parse_query(query), marks)
    if engine == "scan":
        hits = search_without_index(parsed, store)
    else:
        index = SearchIndex(tmp_path / "index.sqlite3")
        index.add(store)
        hits = index.search(parsed, store)
    assert [hit.article_id for hit in hits] == expected


def test_an_unknown_state_is_a_problem_note():
    assert parse_query("is:прочитано").problems == ("is:прочитано is not one of is:starred, is:tagged, is:noted",)


def test_the_command_line_search_reads_the_saved_marks(capsys, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_bytes(article_bytes("Первая", body="Суд в Москве."))
    (folder / "b.txt").write_bytes(article_bytes("Вторая", body="Суд в Казани."))
    parsed, _ = parse(Document("a", "a.txt", (folder / "a.txt").read_text("utf-8"), "utf-8"))
    state = ReadingState()  # the app's own file, in the test's user folders
    state.set_tags(parsed.fingerprint, ("важное",))
    state.close()
    status = main(["search", "tag:важное суд", str(folder)])
    out, _ = capsys.readouterr()
    assert status == 0
    assert [json.loads(line)["path"].rsplit("/", 1)[-1] for line in out.splitlines()] == ["a.txt"]

"""`newsreader search` with hostile queries: JSON Lines and status 0, or one line on stderr and status 2."""

import json
import os
import subprocess
import sys

import pytest

from conftest import article_bytes
from newsreader.cli.main import main
from newsreader.search.query import MAX_QUERY_WORDS

HOSTILE = [
    '"unbalanced',
    'a "b',
    "NEAR(Москва",
    "Москва OR NOT",
    "forms : x",
    "{forms stems}: *",
    "^Москва",
    "'; DROP TABLE documents; --",
    "Москва\x00",
    "😀 Москва",
    "Москва*",
    "Москва**",
    "Мос\u00a0ква",
    "\x1b[31mМосква",
    "%_ Москва",
    "Москва-Москва",
]
BAD_DATES = ["date:2020-13-45", "date:..", "date:99999-01-01", "date:", "Москва date:никогда", "date:2024 date:2025"]


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_bytes(article_bytes("Новости из Москвы", body="Жители Москвы обсуждают погоду."))
    (folder / "b.txt").write_bytes(article_bytes("Погода", body="Тепло и сухо."))
    return folder


def run(capsys, *argv):
    status = main(["search", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def assert_refused(status, out, err):
    assert status == 2 and out == ""
    assert err.startswith("newsreader search: ") and err.endswith("\n") and err[:-1].isprintable()


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_answers_with_json_lines(capsys, archive, query):
    status, out, err = run(capsys, query, str(archive))
    assert status == 0 and err == ""
    assert all(json.loads(line)["path"].endswith(".txt") for line in out.splitlines())


@pytest.mark.parametrize("query", ["Москва", "Москва\x00", "Моск\u200bва", '"москва', "Москв*", "^Москва"])
def test_hostile_spellings_still_find_the_article(capsys, archive, query):
    status, out, _ = run(capsys, query, str(archive))
    assert status == 0 and [json.loads(line)["title"] for line in out.splitlines()] == ["Новости из Москвы"]


@pytest.mark.parametrize("query", [*BAD_DATES, "", "   ", "\x00", "😀", '"', '""', "*", "-- --", "per:", 'org:"'])
def test_unusable_query_is_refused_in_one_line(capsys, archive, query):
    assert_refused(*run(capsys, query, str(archive)))


def test_refusal_names_the_bad_date(capsys, archive):
    _, _, err = run(capsys, "Москва date:2020-13-45", str(archive))
    refusal = 'date:2020-13-45 is no date: try 2019-03, "март 2019" or FROM..TO (nothing searched)'
    assert err == f"newsreader search: {refusal}\n"


def test_a_literal_of_symbols_is_searched(capsys, tmp_path):
    (tmp_path / "a.txt").write_bytes(article_bytes("Смайлик 😀 в заголовке"))
    status, out, err = run(capsys, "--literal", "😀", str(tmp_path))
    assert status == 0 and err == "" and len(out.splitlines()) == 1


def test_100_kb_query_is_refused_at_once_with_the_limit(capsys, archive):
    status, out, err = run(capsys, "Москва " * 17_000, str(archive))
    assert_refused(status, out, err)
    assert f"more than {MAX_QUERY_WORDS} words" in err and "longer than" in err
    assert "only" not in err, "no claim the CLI searched part"


def test_100_kb_literal_is_searched(capsys, archive):
    status, out, err = run(capsys, "--literal", "Москва " * 17_000, str(archive))
    assert (status, out, err) == (0, "", "")


@pytest.mark.parametrize("limit", ["0", "-5"])
def test_a_limit_below_one_is_refused(capsys, archive, limit):
    assert_refused(*run(capsys, "--limit", limit, "Москва", str(archive)))


def test_undecodable_command_line_bytes_reach_no_traceback(archive):
    """A real process: argv bytes that are not UTF-8 arrive as lone surrogates."""
    for query, expected_status in ((b"\xff\xfe", 2), (b"\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0\xff", 0)):
        result = subprocess.run(
            [sys.executable, "-m", "newsreader", "search", os.fsdecode(query), str(archive)],
            capture_output=True,
            timeout=120,
        )
        assert result.returncode == expected_status and b"Traceback" not in result.stderr, result.stderr
        assert result.stderr.count(b"\n") == (1 if expected_status else 0)


@pytest.mark.parametrize("command", [["search", "Москва"], ["extract"], []])
@pytest.mark.parametrize("size", ["nan", "inf", "-1", "0", "1e300", "lots"])
def test_a_max_size_that_is_not_a_positive_size_is_a_usage_error(archive, capsys, command, size):
    with pytest.raises(SystemExit) as stopped:
        main([*command, str(archive), "--max-size", size])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "--max-size" in err and "Traceback" not in err


def test_a_search_cut_at_its_limit_says_so_on_stderr(capsys, archive):
    assert main(["search", "Москва", str(archive), "--limit", "1"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1 and "the best 1 matches are printed" in captured.err
    assert main(["search", "Москва", str(archive), "--limit", "5"]) == 0
    assert "--limit" not in capsys.readouterr().err


def test_a_date_typed_in_words_filters_the_hits(capsys, tmp_path):
    folder = tmp_path / "dated"
    folder.mkdir()
    (folder / "march.txt").write_bytes(article_bytes("Мартовская", body="Москва весной.", header="date 2019-03-05"))
    (folder / "may.txt").write_bytes(article_bytes("Майская", body="Москва летом.", header="date 2019-05-05"))
    status, out, _ = run(capsys, 'Москва date:"с 3 по 7 марта 2019"', str(folder))
    assert status == 0
    assert [json.loads(line)["path"].rsplit("/", 1)[-1] for line in out.splitlines()] == ["march.txt"]

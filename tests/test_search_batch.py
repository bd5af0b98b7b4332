"""`newsreader search --batch FILE`: one query a line, every hit a row, a count for each query."""

import csv
import json

import pytest

from conftest import article_bytes
from newsreader.cli.main import main
from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.search.batch import BatchFileError, batch_lines, batch_text
from newsreader.userdata.state import ReadingState

ZAKHAROVA_BODY = "Официальный представитель МИД России Мария Захарова заявила в Москве, что диалог идёт."
BATCH = """# names to look for
Москва

per:Захарова
   # an indented comment
date:2020-13-45
погода date:2025-03
#хэштег нигде
"""


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "zakharova.txt").write_bytes(article_bytes("Захарова о диалоге", body=ZAKHAROVA_BODY))
    moscow = article_bytes("=Москва сегодня", body="В Москве тепло.", header="date 2025-04-01")
    (folder / "moscow.txt").write_bytes(moscow)
    (folder / "weather.txt").write_bytes(article_bytes("Погода", body="Тепло и сухо.", header="date 2025-03-06"))
    return folder


@pytest.fixture
def batch_file(tmp_path):
    path = tmp_path / "queries.txt"
    path.write_text(BATCH, encoding="utf-8")
    return path


def run(capsys, *argv):
    status = main(["search", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_lines_are_numbered_and_comments_and_blanks_skipped():
    lines = list(batch_lines(BATCH))
    assert [(line.number, line.text) for line in lines] == [
        (2, "Москва"),
        (4, "per:Захарова"),
        (6, "date:2020-13-45"),
        (7, "погода date:2025-03"),
    ]
    assert [line.error is None for line in lines] == [True, True, False, True]
    assert "date:2020-13-45" in lines[2].error
    assert lines[1].query.entities and lines[3].query.dates


def test_a_hash_inside_a_query_is_part_of_it():
    [line] = batch_lines("Москва #выборы\n")
    assert line.text == "Москва #выборы"


def test_a_list_saved_on_windows_is_read():
    assert batch_text("Москва\r\nper:Захарова\r\n".encode("cp1251")) == "Москва\r\nper:Захарова\r\n"
    assert [line.text for line in batch_lines(batch_text("\ufeff# bom\r\nМосква\r\n".encode()))] == ["Москва"]


def test_a_binary_file_is_not_a_batch():
    with pytest.raises(BatchFileError, match="not a text file"):
        batch_text(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def test_batch_to_stdout_gives_a_row_a_hit_and_a_count_a_query(capsys, archive, batch_file):
    status, out, err = run(capsys, "--batch", str(batch_file), str(archive))
    assert status == 2, "a bad line makes the status 2 once the others have run"
    rows = [json.loads(line) for line in out.splitlines()]
    by_query = {}
    for row in rows:
        by_query.setdefault((row["line"], row["query"]), []).append((row["rank"], row["id"]))
    assert by_query[(4, "per:Захарова")] == [(1, "zakharova.txt")]
    assert sorted(article for _, article in by_query[(2, "Москва")]) == ["moscow.txt", "zakharova.txt"]
    assert [rank for rank, _ in by_query[(2, "Москва")]] == [1, 2]
    assert (6, "date:2020-13-45") not in by_query and (7, "погода date:2025-03") in by_query
    for row in rows:
        assert {"path", "date", "title", "score", "matches", "snippet"} <= set(row)
    err_lines = err.splitlines()
    assert f"newsreader search: {batch_file}, line 2: 2 hits: Москва" in err_lines
    assert f"newsreader search: {batch_file}, line 4: 1 hit: per:Захарова" in err_lines
    assert f"newsreader search: {batch_file}, line 7: 1 hit: погода date:2025-03" in err_lines
    [bad] = [line for line in err_lines if ", line 6: " in line]
    assert "date:2020-13-45 is no date" in bad and bad.endswith("(nothing searched)")


def test_batch_to_csv_with_counts(capsys, archive, batch_file, tmp_path):
    hits, counts = tmp_path / "hits.csv", tmp_path / "counts.csv"
    status, out, _ = run(
        capsys, "--batch", str(batch_file), "--output", str(hits), "--counts", str(counts), str(archive)
    )
    assert status == 2 and out == ""
    with open(hits, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert {(row["line"], row["id"]) for row in rows} == {
        ("2", "zakharova.txt"),
        ("2", "moscow.txt"),
        ("4", "zakharova.txt"),
        ("7", "weather.txt"),
    }
    [moscow] = [row for row in rows if row["id"] == "moscow.txt"]
    assert moscow["title"] == "'=Москва сегодня" and int(moscow["matches"]) >= 1 and "Москв" in moscow["snippet"]
    with open(counts, encoding="utf-8-sig", newline="") as file:
        columns = ("line", "query", "hits", "complete", "error")
        tallies = [tuple(row[column] for column in columns) for row in csv.DictReader(file)]
    assert tallies[:2] == [("2", "Москва", "2", "True", ""), ("4", "per:Захарова", "1", "True", "")]
    assert tallies[2][:4] == ("6", "date:2020-13-45", "", "") and "is no date" in tallies[2][4]
    assert tallies[3] == ("7", "погода date:2025-03", "1", "True", "")


def test_format_by_option_over_extension(capsys, archive, batch_file, tmp_path):
    output = tmp_path / "hits.csv"
    assert run(capsys, "--batch", str(batch_file), "--format", "jsonl", "--output", str(output), str(archive))[0] == 2
    assert all(json.loads(line)["id"] for line in output.read_text("utf-8").splitlines())


def test_limit_cuts_each_query_and_says_so(capsys, archive, tmp_path):
    queries, counts = tmp_path / "q.txt", tmp_path / "counts.csv"
    queries.write_text("Москва\n", encoding="utf-8")
    status, out, err = run(capsys, "--batch", str(queries), "--limit", "1", "--counts", str(counts), str(archive))
    assert status == 0 and len(out.splitlines()) == 1
    assert "1 hit (the best 1; --limit N for more): Москва" in err
    with open(counts, encoding="utf-8-sig", newline="") as file:
        [row] = list(csv.DictReader(file))
    assert (row["hits"], row["complete"]) == ("1", "False")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"# only a comment\n\n", "holds no query"), (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a text file")],
)
def test_a_file_without_queries_is_refused(capsys, archive, tmp_path, content, message):
    queries = tmp_path / "q.txt"
    queries.write_bytes(content)
    status, out, err = run(capsys, "--batch", str(queries), str(archive))
    assert status == 2 and out == "" and message in err and err.count("\n") == 1


def test_a_missing_batch_file_is_said(capsys, archive, tmp_path):
    status, _, err = run(capsys, "--batch", str(tmp_path / "nope.txt"), str(archive))
    assert status == 2 and err == f"newsreader search: cannot read {tmp_path / 'nope.txt'}: No such file or directory\n"


def test_an_unwritable_output_leaves_nothing(capsys, archive, batch_file, tmp_path):
    output = tmp_path / "missing" / "hits.csv"
    status, out, err = run(capsys, "--batch", str(batch_file), "--output", str(output), str(archive))
    assert status == 1 and out == "" and "cannot write" in err and "nothing written" in err
    assert not output.parent.exists()


def test_csv_needs_an_output_file(capsys, archive, batch_file):
    status, _, err = run(capsys, "--batch", str(batch_file), "--format", "csv", str(archive))
    assert status == 2 and "CSV rows need --output FILE" in err


def test_batch_options_need_batch_and_a_query_needs_no_batch(capsys, archive, tmp_path):
    for argv in (["Москва", "--output", str(tmp_path / "x.csv"), str(archive)], []):
        with pytest.raises(SystemExit) as exited:
            main(["search", *argv])
        assert exited.value.code == 2
    assert not (tmp_path / "x.csv").exists()


def test_batch_and_export_read_the_saved_marks(capsys, archive, tmp_path):
    """tag:, note: and is: in a batch line or an export's --query are the app's marks, as in `newsreader search`."""
    text = (archive / "weather.txt").read_text("utf-8")
    weather, _ = parse(Document("weather.txt", "weather.txt", text, "utf-8"))
    state = ReadingState()  # the app's own file, in the test's user folders
    state.set_tags(weather.fingerprint, ("важное",))
    state.close()
    queries = tmp_path / "q.txt"
    queries.write_text("tag:важное\nis:starred\n", encoding="utf-8")
    status, out, _ = run(capsys, "--batch", str(queries), str(archive))
    assert status == 0
    assert [(row["line"], row["id"]) for row in map(json.loads, out.splitlines())] == [(1, "weather.txt")]
    output = tmp_path / "tagged.jsonl"
    assert main(["export", "--format", "jsonl", "-o", str(output), "--query", "tag:важное", str(archive)]) == 0
    assert [json.loads(line)["id"] for line in output.read_text("utf-8").splitlines()] == ["weather.txt"]

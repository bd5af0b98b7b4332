"""`newsreader export`: every format from a real (small, generated) archive through the real analysis, read back."""

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import article_bytes
from newsreader.cli.main import main

ZAKHAROVA_BODY = (
    "Официальный представитель МИД России Мария Захарова заявила в Москве 3 марта 2025 года, что диалог идёт."
)
PUTIN_BODY = "Президент России Владимир Путин провёл встречу в Москве 5 марта 2025 года."
WEATHER_BODY = "Тепло и сухо. Без происшествий."


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "zakharova.txt").write_bytes(article_bytes("=Захарова о диалоге", body=ZAKHAROVA_BODY))
    (folder / "putin.txt").write_bytes(article_bytes("Встреча в Кремле", body=PUTIN_BODY, header="date 2025-03-05"))
    (folder / "weather.txt").write_bytes(article_bytes("Погода", body=WEATHER_BODY, header="date 2025-03-06"))
    return folder


def export(capsys, *argv):
    status = main(["export", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_csv_of_the_whole_archive(capsys, archive, tmp_path):
    output = tmp_path / "articles.csv"
    status, out, err = export(capsys, "--format", "csv", "--output", str(output), str(archive))
    assert status == 0 and out == ""
    assert err.endswith(f"newsreader export: 3 articles written to {output}\n")
    with open(output, encoding="utf-8-sig", newline="") as file:
        rows = {row["id"]: row for row in csv.DictReader(file)}
    assert set(rows) == {"zakharova.txt", "putin.txt", "weather.txt"}
    assert rows["zakharova.txt"]["title"] == "'=Захарова о диалоге"
    assert "Мария Захарова" in rows["zakharova.txt"]["persons"].split("; ")
    assert "Владимир Путин" in rows["putin.txt"]["persons"].split("; ")
    assert rows["weather.txt"]["persons"] == ""


def test_a_query_exports_only_its_hits(capsys, archive, tmp_path):
    output = tmp_path / "hits.jsonl"
    status, _, err = export(capsys, "--format", "jsonl", "-o", str(output), "--query", "per:Захарова", str(archive))
    assert status == 0, err
    [record] = [json.loads(line) for line in output.read_text("utf-8").splitlines()]
    assert record["id"] == "zakharova.txt"
    assert "PER:мария захарова" in {entity["key"] for entity in record["entities"]}


def test_jsonl_export_is_what_extract_prints(capsys, archive, tmp_path):
    output = tmp_path / "all.jsonl"
    assert export(capsys, "--format", "jsonl", "-o", str(output), str(archive))[0] == 0
    assert main(["extract", str(archive)]) == 0
    assert output.read_text("utf-8") == capsys.readouterr().out


def test_network_and_entity_table_agree(capsys, archive, tmp_path):
    graph, table = tmp_path / "net.gexf", tmp_path / "entities.csv"
    assert export(capsys, "--format", "gexf", "-o", str(graph), str(archive))[0] == 0
    assert export(capsys, "--format", "entities-csv", "-o", str(table), str(archive))[0] == 0
    namespace = "{http://www.gexf.net/1.2draft}"
    root = ET.parse(graph).getroot()
    nodes = {
        node.get("id"): {value.get("for"): value.get("value") for value in node.iter(namespace + "attvalue")}
        for node in root.iter(namespace + "node")
    }
    with open(table, encoding="utf-8-sig", newline="") as file:
        rows = {row["key"]: row for row in csv.DictReader(file)}
    assert set(nodes) == set(rows) and "PER:мария захарова" in rows
    for key, row in rows.items():
        assert (nodes[key]["mentions"], nodes[key]["articles"]) == (row["mentions"], row["articles"])
    pairs = {frozenset({edge.get("source"), edge.get("target")}) for edge in root.iter(namespace + "edge")}
    assert frozenset({"PER:мария захарова", "LOC:москва"}) in pairs
    assert frozenset({"PER:мария захарова", "PER:владимир путин"}) not in pairs, "never in the same article"


def test_graphml_export_parses(capsys, archive, tmp_path):
    output = tmp_path / "net.graphml"
    status, _, err = export(capsys, "--format", "graphml", "-o", str(output), str(archive))
    assert status == 0 and "entities written" in err
    ids = {node.get("id") for node in ET.parse(output).getroot().iter("{http://graphml.graphdrawing.org/xmlns}node")}
    assert {"PER:мария захарова", "PER:владимир путин", "LOC:москва"} <= ids


def test_timeline_export(capsys, archive, tmp_path):
    output = tmp_path / "timeline.json"
    assert export(capsys, "--format", "timelinejs", "-o", str(output), str(archive))[0] == 0
    timeline = json.loads(output.read_text("utf-8"))
    starts = {(event["start_date"]["year"], event["start_date"].get("month")) for event in timeline["events"]}
    assert (2025, 3) in starts
    assert all({"start_date", "text"} <= set(event) for event in timeline["events"])


@pytest.mark.parametrize("query", ["date:2020-13-45", "", "per:"])
def test_a_bad_query_is_refused_before_anything_is_written(capsys, archive, tmp_path, query):
    output = tmp_path / "out.csv"
    status, _, err = export(capsys, "--format", "csv", "-o", str(output), "--query", query, str(archive))
    assert status == 2 and err.startswith("newsreader export: ") and err.count("\n") == 1
    assert not output.exists()


def test_an_output_that_cannot_be_written_is_said_in_one_line(capsys, archive, tmp_path):
    output = tmp_path / "no such folder" / "out.csv"
    status, _, err = export(capsys, "--format", "csv", "-o", str(output), str(archive))
    assert status == 1
    assert err == f"newsreader export: cannot write {output}: No such file or directory; nothing written\n"


def test_an_output_that_is_a_folder_is_refused_and_left_alone(capsys, archive, tmp_path):
    status, _, err = export(capsys, "--format", "jsonl", "-o", str(tmp_path), str(archive))
    assert status == 1 and "cannot write" in err and "Traceback" not in err
    assert [name for name in os.listdir(tmp_path) if name.endswith(".tmp")] == []


def test_usage_errors_exit_2(capsys, archive, tmp_path):
    with pytest.raises(SystemExit) as exited:
        main(["export", "--format", "xlsx", "-o", str(tmp_path / "x"), str(archive)])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["export", "--format", "csv", str(archive)])
    assert exited.value.code == 2
    assert main(["export", "--format", "csv", "-o", str(tmp_path / "x.csv"), str(tmp_path / "missing")]) == 2
    assert not (tmp_path / "x.csv").exists()


def test_the_default_archive_is_the_seeds(tmp_path):
    output = tmp_path / "seeds.csv"
    result = subprocess.run(
        [sys.executable, "-m", "newsreader", "export", "--format", "csv", "-o", str(output)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with open(output, encoding="utf-8-sig", newline="") as file:
        [row] = list(csv.DictReader(file))
    assert row["id"] == "000_f43e71b30eac417d.txt" and "Мария Захарова" in row["persons"]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--format", "csv", "--min-weight", "2"], "applies to the network formats only"),
        (["--format", "gexf", "--min-weight", "0"], "must be 1 or more"),
    ],
)
def test_a_minimum_weight_is_refused_where_it_means_nothing(capsys, tmp_path, argv, said):
    with pytest.raises(SystemExit) as stopped:
        main(["export", *argv, "-o", str(tmp_path / "out")])
    assert stopped.value.code == 2 and said in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_json_lines_give_each_article_its_story_as_extract_does(capsys, tmp_path):
    from story_corpus import six_reports_each
    from test_stories import write_archive

    texts = six_reports_each()
    write_archive(tmp_path / "stories", texts[:6] + texts[-1:])  # one story of six reports, one lone article
    output = tmp_path / "stories.jsonl"
    assert export(capsys, "--format", "jsonl", "-o", str(output), str(tmp_path / "stories"))[0] == 0
    exported = {record["id"]: record["story"] for record in map(json.loads, output.read_text("utf-8").splitlines())}
    assert main(["extract", str(tmp_path / "stories")]) == 0
    extracted = {record["id"]: record["story"] for record in map(json.loads, capsys.readouterr().out.splitlines())}
    assert exported == extracted and len(set(exported.values())) == 2, "the story of six, and the lone article's"

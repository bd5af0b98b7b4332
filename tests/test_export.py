"""The export writers, each file read back with the parser its users' tools use (csv, json, xml.etree)."""

import csv
import datetime
import html
import io
import itertools
import json
import os
import random
import stat
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

import newsreader.export.entities as entities_module
from export_fixtures import FIRM, FORMULA_TITLE, HTML_TITLE, MOSCOW, ZAKHAROVA, analysed_store
from newsreader.atomic_files import atomic_output
from newsreader.export.analyses import FETCH_CHUNK, FetchedAnalyses
from newsreader.export.cells import spreadsheet_cell
from newsreader.export.entities import PairCounts
from newsreader.export.formats import FORMATS, ExportSettings, export_to
from newsreader.export.network import xml_text
from newsreader.export.timeline import _source_line, timeline_dates
from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.ingest.records import Origin
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.store.corpus import Store

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://www.gexf.net/1.2draft}"


@pytest.fixture
def analysed():
    return analysed_store()


def written(tmp_path, format_name, store, articles, title="newsreader"):
    path = tmp_path / f"out.{format_name}"
    said = export_to(path, format_name, store, articles, ExportSettings(title))
    return path, said


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_json_lines_are_extract_records_with_canonical_keys(tmp_path, analysed):
    store, articles = analysed
    path, said = written(tmp_path, "jsonl", store, articles)
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert said == "3 articles"
    assert [record["id"] for record in records] == ["first.txt", "second.txt", "third.txt"]
    assert records[0]["title"] == FORMULA_TITLE, "JSON Lines is not for spreadsheets: text as it is"
    for record in records:
        for entity in record["entities"]:
            assert record["text"][entity["start"] : entity["end"]] == entity["text"]
    assert [entity["key"] for entity in records[1]["entities"]] == [ZAKHAROVA, FIRM, MOSCOW]


def test_article_csv_has_metadata_entities_by_type_and_no_formula(tmp_path, analysed):
    store, articles = analysed
    path, _ = written(tmp_path, "csv", store, articles)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "the byte-order mark makes Excel read UTF-8"
    rows = csv_rows(path)
    assert [row["id"] for row in rows] == ["first.txt", "second.txt", "third.txt"]
    first, second, third = rows
    assert first["title"] == "'" + FORMULA_TITLE
    assert (first["date"], third["date"]) == ("2025-03-04", "")
    assert first["persons"] == "Мария Захарова" and first["places"] == "Москва"
    assert second["organisations"] == 'ООО "Рога & <Копыта>"'
    assert second["title"] == HTML_TITLE
    assert (third["persons"], third["places"]) == ("", "Москва")


@pytest.mark.parametrize("value", ["=1+1", "+7 999", "-5 градусов", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_that_would_start_a_formula_is_quoted(value):
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize(("value", "cell"), [("Москва", "Москва"), (None, ""), (["a", "b"], "a; b"), (3, 3)])
def test_other_cells_are_kept(value, cell):
    assert spreadsheet_cell(value) == cell


def test_entity_table_counts_within_the_exported_articles(tmp_path, analysed):
    store, articles = analysed
    path, said = written(tmp_path, "entities-csv", store, articles)
    rows = {row["key"]: row for row in csv_rows(path)}
    assert said == "3 entities"
    assert list(rows) == [MOSCOW, ZAKHAROVA, FIRM], "most mentioned first"
    moscow = rows[MOSCOW]
    assert (moscow["type"], moscow["name"], moscow["mentions"], moscow["articles"]) == ("LOC", "Москва", "4", "3")
    assert (moscow["first_date"], moscow["last_date"]) == ("2025-03-04", "2025-03-05"), "the undated one adds none"
    path, _ = written(tmp_path, "entities-csv", store, articles[1:2])
    only_second = {row["key"]: (row["mentions"], row["articles"]) for row in csv_rows(path)}
    assert only_second == {ZAKHAROVA: ("1", "1"), FIRM: ("1", "1"), MOSCOW: ("1", "1")}


EXPECTED_EDGES = {frozenset({ZAKHAROVA, MOSCOW}): 2, frozenset({ZAKHAROVA, FIRM}): 1, frozenset({MOSCOW, FIRM}): 1}


def test_graphml_nodes_and_weighted_edges(tmp_path, analysed):
    store, articles = analysed
    path, said = written(tmp_path, "graphml", store, articles)
    root = ET.parse(path).getroot()
    assert root.tag == GRAPHML + "graphml" and said == "3 entities"
    keys = {key.get("id"): (key.get("for"), key.get("attr.name")) for key in root.iter(GRAPHML + "key")}
    assert keys["weight"] == ("edge", "weight") and keys["label"] == ("node", "label")
    [graph] = root.iter(GRAPHML + "graph")
    assert graph.get("edgedefault") == "undirected"
    nodes = {
        node.get("id"): {data.get("key"): data.text for data in node.iter(GRAPHML + "data")}
        for node in graph.iter(GRAPHML + "node")
    }
    assert nodes[FIRM] == {"label": 'ООО "Рога & <Копыта>"', "type": "ORG", "mentions": "1", "articles": "1"}
    assert nodes[ZAKHAROVA]["mentions"] == "2" and nodes[MOSCOW]["articles"] == "3"
    edges = {
        frozenset({edge.get("source"), edge.get("target")}): int(edge.find(GRAPHML + "data").text)
        for edge in graph.iter(GRAPHML + "edge")
    }
    assert edges == EXPECTED_EDGES


def test_gexf_nodes_attributes_and_weighted_edges(tmp_path, analysed):
    store, articles = analysed
    path, _ = written(tmp_path, "gexf", store, articles)
    root = ET.parse(path).getroot()
    assert (root.tag, root.get("version")) == (GEXF + "gexf", "1.2")
    [graph] = root.iter(GEXF + "graph")
    assert graph.get("defaultedgetype") == "undirected"
    declared = {attribute.get("id"): attribute.get("type") for attribute in graph.iter(GEXF + "attribute")}
    assert declared == {"type": "string", "mentions": "integer", "articles": "integer"}
    nodes = {node.get("id"): node for node in graph.iter(GEXF + "node")}
    assert nodes[FIRM].get("label") == 'ООО "Рога & <Копыта>"'
    values = {value.get("for"): value.get("value") for value in nodes[MOSCOW].iter(GEXF + "attvalue")}
    assert values == {"type": "LOC", "mentions": "4", "articles": "3"}
    edges = {
        frozenset({edge.get("source"), edge.get("target")}): int(edge.get("weight"))
        for edge in graph.iter(GEXF + "edge")
    }
    assert edges == EXPECTED_EDGES
    assert len({edge.get("id") for edge in graph.iter(GEXF + "edge")}) == 3


@pytest.mark.parametrize("format_name", ["graphml", "gexf"])
def test_a_minimum_weight_keeps_the_strong_ties_and_the_entities_they_join(tmp_path, analysed, format_name):
    store, articles = analysed
    path = tmp_path / f"strong.{format_name}"
    said = export_to(path, format_name, store, articles, ExportSettings(min_weight=2))
    namespace = GRAPHML if format_name == "graphml" else GEXF
    root = ET.parse(path).getroot()
    assert {node.get("id") for node in root.iter(namespace + "node")} == {ZAKHAROVA, MOSCOW}
    assert [{edge.get("source"), edge.get("target")} for edge in root.iter(namespace + "edge")] == [{ZAKHAROVA, MOSCOW}]
    assert said == "2 entities"
    export_to(path, format_name, store, articles, ExportSettings(min_weight=3))
    assert list(ET.parse(path).getroot().iter(namespace + "node")) == [], "no tie that strong: an empty network"


HOSTILE_NAME = "Рога\x0b\x00\ud800\ufffe <Копыта>"


def test_xml_gets_no_character_it_cannot_hold():
    assert xml_text(HOSTILE_NAME) == "Рога\ufffd\ufffd\ufffd\ufffd <Копыта>"


@pytest.mark.parametrize("format_name", ["graphml", "gexf"])
def test_a_name_xml_cannot_hold_still_gives_a_file_xml_parsers_read(tmp_path, format_name):
    article, _ = parse(Document("x.txt", "root/x.txt", "date 2025-01-01\nРога\n\nРога и копыта.", "utf-8"))
    store = Store()
    store.add(article)
    mention = EntityMention(0, 4, "ORG", "Рога", HOSTILE_NAME, "ORG:рога")
    store.set_enrichment(article.fingerprint, Enrichment((mention,), (), ()))
    path, _ = written(tmp_path, format_name, store, [article])
    text = ET.tostring(ET.parse(path).getroot(), encoding="unicode")
    assert xml_text(HOSTILE_NAME).replace("<", "&lt;").replace(">", "&gt;") in text


def test_timeline_js_events_with_escaped_text(tmp_path, analysed):
    store, articles = analysed
    path, said = written(tmp_path, "timelinejs", store, articles, title="per:<Захарова>")
    timeline = json.loads(path.read_text("utf-8"))
    assert said == "2 events"
    assert timeline["title"]["text"]["headline"] == "per:&lt;Захарова&gt;"
    first, second = timeline["events"]
    assert first["start_date"] == {"year": 2025, "month": 3, "day": 3} and "end_date" not in first
    assert second["start_date"] == {"year": 2025, "month": 2}, "a month the text names is a month"
    assert first["text"]["headline"] == "=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)"
    assert second["text"]["headline"] == "Встреча &lt;b&gt;в Москве&lt;/b&gt; &amp; после"
    assert "3 марта 2025 года Мария Захарова прибыла в Москву." in first["text"]["text"]
    assert "Мария Захарова, Москва" in first["text"]["text"]
    assert "<b>" not in json.dumps(timeline, ensure_ascii=False)
    assert len({event["unique_id"] for event in timeline["events"]}) == 2


@pytest.mark.parametrize(
    ("first", "last", "dates"),
    [
        ("2025-03-03", "2025-03-03", {"start_date": {"year": 2025, "month": 3, "day": 3}}),
        ("2024-02-01", "2024-02-29", {"start_date": {"year": 2024, "month": 2}}),
        ("2025-01-01", "2025-12-31", {"start_date": {"year": 2025}}),
        (
            "2025-06-30",
            "2025-07-01",
            {"start_date": {"year": 2025, "month": 6, "day": 30}, "end_date": {"year": 2025, "month": 7, "day": 1}},
        ),
        (
            "2025-02-01",
            "2025-02-27",
            {"start_date": {"year": 2025, "month": 2, "day": 1}, "end_date": {"year": 2025, "month": 2, "day": 27}},
        ),
    ],
)
def test_timeline_dates_keep_the_precision_of_the_period(first, last, dates):
    assert timeline_dates(datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)) == dates


def test_a_link_is_made_only_of_a_web_address(analysed):
    _, articles = analysed
    article = articles[0]
    assert "<a " not in _source_line(article) and "root/first.txt" in _source_line(article)
    for url, linked in [
        ("https://ria.ru/a?b=1&c=2", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
    ]:
        origin = Origin(0, None, url, "РИА", (), (), None, 0, 0)  # no texts: only its URL is read
        line = _source_line(article._replace(origin=origin))
        assert ("<a " in line) == linked
        assert "&amp;c=2" in line if linked else html.escape(url) in line


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_rows_are_written_as_the_articles_come(format_name, analysed):
    """Article rows stream: the first is in the file before the second article is even asked for. (The network
    and entity table aggregate first, and are bounded by the entities, so they only need to finish.)"""
    store, articles = analysed
    out = io.StringIO()
    seen_before_second: list[str] = []

    def articles_one_by_one():
        yield articles[0]
        seen_before_second.append(out.getvalue())
        yield from articles[1:]

    FORMATS[format_name].write(out, store, articles_one_by_one(), ExportSettings("t"))
    if format_name in ("csv", "jsonl", "timelinejs"):
        assert "first.txt" in seen_before_second[0]
    assert out.getvalue()


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_a_failed_export_leaves_no_partial_file_and_the_old_one_intact(tmp_path, analysed, format_name):
    store, articles = analysed
    target = tmp_path / "out"
    target.write_text("the previous export")

    def failing_midway():
        yield articles[0]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        export_to(target, format_name, store, failing_midway())
    assert target.read_text() == "the previous export"
    assert os.listdir(tmp_path) == ["out"], "no temporary file is left behind"
    fresh = tmp_path / "fresh"
    with pytest.raises(OSError):
        export_to(fresh, format_name, store, failing_midway())
    assert not fresh.exists() and os.listdir(tmp_path) == ["out"]


def test_atomic_output_fails_before_the_work_in_a_folder_that_cannot_be_written(tmp_path):
    ran = []
    with pytest.raises(FileNotFoundError), atomic_output(tmp_path / "missing" / "out.csv"):
        ran.append(True)
    assert ran == []


def test_atomic_output_makes_the_file_as_open_would(tmp_path):
    previous = os.umask(0o027)
    try:
        with atomic_output(tmp_path / "shared.csv") as out:
            out.write("x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "shared.csv").stat().st_mode) == 0o640
    assert (tmp_path / "shared.csv").read_text() == "x"


def test_a_stop_signal_midway_leaves_nothing(tmp_path):
    class Stop(BaseException):
        pass

    with pytest.raises(Stop), atomic_output(tmp_path / "out.jsonl") as out:
        out.write("{}\n")
        raise Stop
    assert os.listdir(tmp_path) == []


class OwnedStore:
    """The store, refusing to be read from any thread but its owner's."""

    def __init__(self, store, owner_prefix):
        self._store, self._owner_prefix = store, owner_prefix

    def __getattr__(self, name):
        assert threading.current_thread().name.startswith(self._owner_prefix), f"store.{name} read off its thread"
        return getattr(self._store, name)


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_an_export_off_the_owner_thread_reads_the_store_only_through_it(tmp_path, analysed, format_name):
    """The reader's export: the same file as from the store directly, the store read only on its owner thread."""
    store, articles = analysed
    direct, _ = written(tmp_path, format_name, store, articles)
    with ThreadPoolExecutor(1, thread_name_prefix="owner") as owner:
        fetched = FetchedAnalyses(OwnedStore(store, "owner"), lambda work: owner.submit(work).result())
        through_owner = tmp_path / "through-owner"
        said = export_to(through_owner, format_name, fetched, fetched.articles(articles))
    assert through_owner.read_bytes() == direct.read_bytes()
    assert said == export_to(tmp_path / "again", format_name, store, articles)


def test_fetching_keeps_one_chunk_of_analyses(analysed):
    store, articles = analysed
    calls = []
    fetched = FetchedAnalyses(store, lambda work: calls.append(work) or work())
    seen = [(article.id, fetched.enrichment(article.id) is not None) for article in fetched.articles(articles * 30)]
    assert len(seen) == 90 and all(analysed_ for _, analysed_ in seen)
    assert len(calls) == -(-90 // FETCH_CHUNK)
    assert fetched.entity(ZAKHAROVA).name == "Мария Захарова" and fetched.entity(ZAKHAROVA).article_ids == ()


def test_pair_counts_merged_a_buffer_at_a_time_are_the_counts(monkeypatch):
    monkeypatch.setattr(entities_module, "PAIR_BUFFER", 5)  # a merge every article or two
    generator = random.Random(14)
    articles = [sorted(generator.sample(range(40), generator.randint(0, 8))) for _ in range(300)]
    counts = PairCounts()
    for numbers in articles:
        counts.add(numbers)
    expected = Counter(pair for numbers in articles for pair in itertools.combinations(numbers, 2))
    edges = list(counts.heaviest_first())
    assert {(low, high): weight for low, high, weight in edges} == expected
    assert [weight for _, _, weight in edges] == sorted(expected.values(), reverse=True)

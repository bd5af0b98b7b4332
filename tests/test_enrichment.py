"""The seed, enriched in process: dates, events, the store's entity timeline, the extract record."""

import datetime

import pytest

from conftest import SEED_FILE
from newsreader.export.records import article_record
from newsreader.ingest.load import Document
from newsreader.ingest.parse import Article, iter_articles, parse
from newsreader.nlp.enrich import Enrichment, analysed_part, enrich, from_payload, to_payload
from newsreader.nlp.entities import EntityMention, EntityRecognizer
from newsreader.store.corpus import Store


@pytest.fixture(scope="module")
def seed() -> Article:
    [article] = [item for item in iter_articles([SEED_FILE]) if isinstance(item, Article)]
    return article


@pytest.fixture(scope="module")
def enrichment(seed):
    return enrich(EntityRecognizer(), seed.text, seed.date)


@pytest.fixture
def store(seed, enrichment):
    store = Store()
    store.add(seed)
    assert store.set_enrichment(seed.fingerprint, enrichment) == seed
    return store


def test_seed_dates_are_exactly_these(enrichment):
    assert [(d.text.replace("\xa0", " "), d.value, d.granularity) for d in enrichment.dates] == [
        ("30 июня по 1 июля 2025 года", "2025-06-30/2025-07-01", "interval"),
        ("25 октября", "2025-10-25", "day"),
        ("июле", "2025-07", "month"),
        ("10 октября", "2025-10-10", "day"),
    ]


def test_seed_events_carry_sentence_and_entities(seed, enrichment):
    by_value = {event.value: event for event in enrichment.events}
    assert set(by_value) == {"2025-06-30/2025-07-01", "2025-10-25", "2025-07", "2025-10-10"}
    released = by_value["2025-10-25"]
    sentence = seed.text[released.sentence_start : released.sentence_end]
    assert sentence.startswith("25 октября из-под стражи был освобожден")
    assert sentence.endswith("арестованный в Баку в июле.")
    assert "PER:евгений белоусов" in released.keys
    assert {"PER:игорь картавых", "PER:владимир путин", "PER:ильхам алиев"} <= set(by_value["2025-10-10"].keys)
    assert {"PER:михаил галузин", "LOC:баку"} <= set(by_value["2025-06-30/2025-07-01"].keys)


def test_entity_has_its_own_timeline(store, seed):
    timeline = [(item.event.value, item.first_day) for item in store.events("PER:евгений белоусов").in_time_order()]
    assert timeline == [("2025-07", datetime.date(2025, 7, 1)), ("2025-10-25", datetime.date(2025, 10, 25))]
    info = store.entity("PER:евгений белоусов")
    assert (info.name, info.type, info.article_ids) == ("Евгений Белоусов", "PER", (seed.id,))
    assert info.mentions == 2


def test_events_can_be_put_in_time_order(store):
    events = store.events().in_time_order()
    firsts = [item.first_day for item in events]
    assert firsts == sorted(firsts) and len(events) == len(store.events())
    october = [item.event.value for item in events if item.first_day.month == 10]
    assert october == ["2025-10-10", "2025-10-25"]


def test_the_store_gives_back_the_enrichment_it_packed(store, seed, enrichment):
    assert store.enrichment(seed.id) == enrichment
    assert store.enrichment("no such article") is None


def test_payload_round_trip(seed, enrichment):
    assert from_payload(to_payload(enrichment), seed.text) == enrichment


def test_extract_record_offsets_hold(seed, enrichment, store):
    record = article_record(seed, enrichment, store.canonical_key)
    for item in record["entities"] + record["dates"] + record["events"]:
        assert record["text"][item["start"] : item["end"]] == item["text"]
    galuzin = [e for e in record["entities"] if e["text"] in ("Галузин", "Михаил Галузин")]
    assert len(galuzin) >= 2 and {e["key"] for e in galuzin} == {"PER:михаил галузин"}


def test_bare_surname_joins_the_one_full_name_in_the_corpus():
    store = Store()
    people = {"a": ["Дмитрий Песков"], "b": ["Песков", "Иванов"], "c": ["Петр Иванов"], "d": ["Иван Иванов"]}
    for name, mentions in people.items():
        text = " и ".join(mentions)
        article, _ = parse(Document(name, name, f"date 2025-01-01\n{text}", "utf-8"))
        store.add(article)
        entities, start = [], 0
        for mention in mentions:
            key = "PER:" + mention.lower()
            entities.append(EntityMention(start, start + len(mention), "PER", mention, mention, key))
            start += len(mention) + 3
        store.set_enrichment(article.fingerprint, Enrichment(tuple(entities), (), ()))
    assert store.canonical_key("PER:песков") == "PER:дмитрий песков"
    assert store.canonical_key("PER:иванов") == "PER:иванов", "two full names end with it: no guess"
    assert set(store.entity("PER:песков").article_ids) == {"a", "b"}


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("short", 10, "short"),
        ("first line\nsecond line", 15, "first line"),  # cut at the line break before the limit
        ("one two three", 10, "one two"),  # no line break in the second half: at a space
        ("x" * 30, 10, "x" * 10),  # no break at all: at the limit
    ],
)
def test_the_analysed_part_ends_at_a_break_before_the_limit(monkeypatch, text, limit, expected):
    monkeypatch.setattr("newsreader.nlp.enrich.MAX_ANALYSED_CHARS", limit)
    assert analysed_part(text) == expected

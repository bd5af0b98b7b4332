"""Entity filters as arrays (`search.entities.Mentioned`): the same articles, counts and order as spelled out."""

import datetime
import random

import pytest

from newsreader.folding import fold_key
from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.search.entities import entity_articles, entity_mentions, normal_forms
from newsreader.search.index import SearchIndex
from newsreader.search.query import parse_query
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store

PEOPLE = ["Иван Петров", "Анна Петрова", "Олег Смирнов", "Мария Смирнова", "Петр Иванов", "Игорь Кузнецов"]
WORDS = ["суд", "пожар", "выборы", "бюджет", "погода"]
ARTICLES = 700  # more than FEW_CANDIDATES mention the commonest names


def _article(number: int, rng: random.Random):
    day = None if number % 37 == 0 else datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
    people = rng.sample(PEOPLE, rng.randint(0, 2))
    people += people[:1] * rng.randint(0, 2)  # some named more than once
    words = rng.sample(WORDS, 2)
    body = ". ".join(f"{person} говорил о теме {word}" for person, word in zip(people, words * 3, strict=False))
    header = f"date {day.isoformat()}" if day else "date unknown"
    text = f"{header}\nСтатья {number}: {words[0]}\n\n{body or 'Без имен'}. Еще {words[1]}.\n"
    return parse(Document(f"a{number}", f"archive/a{number}.txt", text, "utf-8"))[0], people


@pytest.fixture(scope="module")
def store() -> Store:
    rng = random.Random(11)
    store = Store()
    named = []
    for number in range(ARTICLES):
        article, people = _article(number, rng)
        store.add(article)
        named.append((article, people))
    for article, people in named:
        stored = store.get(article.id)
        mentions, start = [], 0
        for person in people:
            start = stored.text.index(person, start)
            mentions.append(EntityMention(start, start + len(person), "PER", person, person, "PER:" + fold_key(person)))
            start += len(person)
        store.set_enrichment(stored.fingerprint, Enrichment(tuple(mentions), (), ()))
    return store


@pytest.fixture(scope="module")
def index(store, tmp_path_factory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("index") / "search.sqlite3")
    index.add(store.ordered(newest_first=False))
    yield index
    index.close()


def spelled_out(store: Store, query: str) -> dict[str, int]:
    """Mentions per article of the entities a query's filters name, as a dict per entity key (the way
    before the arrays): each filter word in any normal form is a word of the entity's canonical name."""
    parsed = parse_query(query)
    passing: dict[str, int] | None = None
    for entity in parsed.entities:
        counts: dict[str, int] = {}
        for key in store.entity_keys():
            kind, _, name = store.canonical_key(key).partition(":")
            if kind == entity.type and all(normal_forms(word) & set(name.split()) for word in entity.words):
                for article_id, count in store.mention_counts(key).items():
                    counts[article_id] = counts.get(article_id, 0) + count
        passing = counts if passing is None else {key: passing[key] + counts[key] for key in passing.keys() & counts}
    return {article_id: count for article_id, count in (passing or {}).items() if parsed.allows(store.get(article_id))}


@pytest.mark.parametrize(
    "query", ["per:Смирнов", "per:Петрова", "per:Кузнецов", 'per:"Олег Смирнов"', "per:Смирнов date:2016..2018"]
)
def test_a_filter_finds_each_mentioning_article_with_its_mention_count(store, query):
    expected = spelled_out(store, query)
    assert expected
    assert entity_mentions(parse_query(query), store) == expected


def test_two_filters_keep_the_articles_of_both_and_add_their_mentions(store):
    query = "per:Смирнов per:Петров"
    both = spelled_out(store, query)
    assert both and both.keys() < spelled_out(store, "per:Смирнов").keys()
    assert entity_mentions(parse_query(query), store) == both


def test_filters_alone_rank_by_mentions_then_newest_then_undated(store, index):
    query = "per:Смирнов"
    mentions = spelled_out(store, query)
    for limit in (5, 50, 1000):
        for results in (index.search(query, store, limit), search_without_index(query, store, limit)):
            got = [hit.article_id for hit in results]
            assert len(got) == min(limit, len(mentions))
            dates = [store.get(article_id).date for article_id in got]
            keys = [
                (-mentions[article_id], day is None, -(day or datetime.date.min).toordinal())
                for article_id, day in zip(got, dates, strict=True)
            ]
            assert keys == sorted(keys)
            if limit >= len(mentions):
                assert set(got) == set(mentions)
            assert [hit.score for hit in results] == [float(mentions[article_id]) for article_id in got]


@pytest.mark.parametrize("few", [0, 300, 10_000])
@pytest.mark.parametrize("window", [1, 256])
@pytest.mark.parametrize(
    "query", ["per:Смирнов суд", "per:Петрова пожар date:2017..", "per:Смирнов per:Петров бюджет", "per:Иванов погода"]
)
def test_a_filter_with_words_finds_what_the_scan_finds(store, index, monkeypatch, few, window, query):
    monkeypatch.setattr("newsreader.search.index.FEW_CANDIDATES", few)
    monkeypatch.setattr("newsreader.search.index.FIRST_WINDOW", window)
    monkeypatch.setattr("newsreader.search.index.LAST_WINDOW", max(window, 16))
    indexed, scanned = index.search(query, store, 1000), search_without_index(query, store, 1000)
    assert indexed.indexed and not scanned.indexed
    assert {hit.article_id for hit in indexed} == {hit.article_id for hit in scanned}
    assert indexed


def test_an_article_removed_after_its_analysis_is_no_longer_found():
    store = Store()
    texts = {"kept": "Олег Смирнов выступил.", "gone": "Олег Смирнов приехал."}
    for name, body in texts.items():
        store.add(parse(Document(name, f"archive/{name}.txt", f"date 2025-01-02\nЗаголовок\n\n{body}\n", "utf-8"))[0])
        stored = store.get(name)
        start = stored.text.index("Олег")
        mention = EntityMention(start, start + 11, "PER", "Олег Смирнов", "Олег Смирнов", "PER:олег смирнов")
        store.set_enrichment(stored.fingerprint, Enrichment((mention,), (), ()))
    assert entity_mentions(parse_query("per:Смирнов"), store) == {"kept": 1, "gone": 1}
    store.remove([store.get("gone")])
    assert entity_mentions(parse_query("per:Смирнов"), store) == {"kept": 1}
    found = entity_articles(parse_query("per:Смирнов"), store)
    assert len(found) == 1 and [article.id for article in store.numbered(found.numbers.tolist())] == ["kept"]


@pytest.mark.parametrize("window", [1, 256])
def test_beyond_the_rank_window_a_filter_with_words_ranks_its_most_recently_indexed_hits(
    store, index, monkeypatch, window
):
    monkeypatch.setattr("newsreader.search.index.FEW_CANDIDATES", 0)
    monkeypatch.setattr("newsreader.search.index.RANK_WINDOW", 3)
    monkeypatch.setattr("newsreader.search.index.FIRST_WINDOW", window)
    indexed_order = [article.id for article in store.ordered(newest_first=False)]  # as the fixture indexed them
    scanned = [hit.article_id for hit in search_without_index("per:Смирнов суд", store, 1000)]
    latest = sorted(scanned, key=indexed_order.index)[-3:]
    assert {hit.article_id for hit in index.search("per:Смирнов суд", store, 3)} == set(latest)


def test_the_rows_remembered_by_number_follow_removed_and_added_articles(tmp_path, monkeypatch):
    monkeypatch.setattr("newsreader.search.index.FEW_CANDIDATES", 0)
    store = Store()

    def add(name: str, body: str) -> None:
        text = f"date 2025-01-02\nЗаголовок\n\n{body}\n"
        store.add(parse(Document(name, f"archive/{name}.txt", text, "utf-8"))[0])
        stored = store.get(name)
        start = stored.text.index("Олег")
        mention = EntityMention(start, start + 11, "PER", "Олег Смирнов", "Олег Смирнов", "PER:олег смирнов")
        store.set_enrichment(stored.fingerprint, Enrichment((mention,), (), ()))

    add("first", "Олег Смирнов подал в суд.")
    add("second", "Олег Смирнов выиграл суд.")
    add("other", "Олег Смирнов уехал.")
    index = SearchIndex(tmp_path / "search.sqlite3")
    index.add(store)
    found = {hit.article_id for hit in index.search("per:Смирнов суд", store)}
    assert found == {"first", "second"}
    store.remove([store.get("first")])
    assert {hit.article_id for hit in index.search("per:Смирнов суд", store)} == {"second"}
    add("third", "Олег Смирнов снова в суде.")
    index.add(store)
    assert {hit.article_id for hit in index.search("per:Смирнов суд", store)} == {"second", "third"}
    index.close()

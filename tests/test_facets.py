"""The store's entity facets, co-occurrence and mention months, over hand-made analysis: no NLP models run."""

import datetime

import pytest

from newsreader.ingest.load import Document
from newsreader.ingest.parse import Article, parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.store.corpus import Store
from newsreader.store.facets import (
    Facets,
    FacetTable,
    bar_rows,
    month_buckets,
    month_index,
    month_label,
)

HOSTILE = "PER:[b]x[/b] [@click=app.quit]"


def add(store: Store, article_id: str, date: str | None, *mentions: tuple[str, str]) -> Article:
    """An article naming each (key, normal form) of `mentions` once, analysed as the NLP would store it."""
    header = f"date {date}\n" if date else ""
    article = parse(Document(article_id, f"{article_id}.txt", f"{header}Заголовок {article_id}\n\nТекст.\n", "utf-8"))[
        0
    ]
    store.add(article)
    entities = tuple(EntityMention(0, 1, key.partition(":")[0], "З", normal, key) for key, normal in mentions)
    store.set_enrichment(article.fingerprint, Enrichment(entities, (), ()))
    return store.get(article.id)


PESKOV, SURNAME = ("PER:дмитрий песков", "Дмитрий Песков"), ("PER:песков", "Песков")
MOSCOW, KREMLIN, YOLKIN = ("LOC:москва", "Москва"), ("ORG:кремль", "Кремль"), ("PER:елкин", "Ёлкин")


@pytest.fixture
def store() -> Store:
    """Песков in a, b (as the bare surname, twice) and c; Москва in a, b, d; Кремль in c; Ёлкин in undated e."""
    store = Store()
    add(store, "a", "2025-01-10", PESKOV, MOSCOW)
    add(store, "b", "2025-02-03", SURNAME, SURNAME, MOSCOW)
    add(store, "c", "2025-02-20", PESKOV, KREMLIN, (HOSTILE, "[b]x[/b] [@click=app.quit]"))
    add(store, "d", "2024-12-31", MOSCOW, MOSCOW, MOSCOW)
    add(store, "e", None, YOLKIN)
    return store


def facets_of(store: Store) -> Facets:
    return store.facets(store.facet_table())


def rows(facets: Facets, sort="count", types=frozenset({"PER", "ORG", "LOC"}), text="") -> list[tuple]:
    selection = facets.select(sort, types, text)
    return [
        (row.key, row.mentions, row.articles, row.first) for row in map(selection.__getitem__, range(len(selection)))
    ]


def test_counts_join_a_bare_surname_to_its_full_name(store):
    facets = facets_of(store)
    assert rows(facets) == [
        ("LOC:москва", 5, 3, datetime.date(2024, 12, 31)),
        ("PER:дмитрий песков", 4, 3, datetime.date(2025, 1, 10)),
        (HOSTILE, 1, 1, datetime.date(2025, 2, 20)),  # ties go by name, and "[b]…" sorts before Cyrillic
        ("PER:елкин", 1, 1, None),
        ("ORG:кремль", 1, 1, datetime.date(2025, 2, 20)),
    ]
    assert facets.joined_keys("PER:дмитрий песков") == ["PER:дмитрий песков", "PER:песков"]
    assert store.entity_name(facets.joined_keys("PER:дмитрий песков")) == "Дмитрий Песков"


def test_sorts_by_name_and_first_date_undated_last(store):
    facets = facets_of(store)
    names = [HOSTILE, "PER:дмитрий песков", "PER:елкин", "ORG:кремль", "LOC:москва"]
    assert [key for key, *_ in rows(facets, "name")] == names
    assert [key for key, *_ in rows(facets, "date")][::2] == ["LOC:москва", HOSTILE, "PER:елкин"]
    with pytest.raises(ValueError):
        facets.order("size")


def test_types_and_typed_text_filter_folded_as_keys_are(store):
    facets = facets_of(store)
    assert [key for key, *_ in rows(facets, types=frozenset({"ORG", "LOC"}))] == ["LOC:москва", "ORG:кремль"]
    assert [key for key, *_ in rows(facets, text="ЕЛК")] == ["PER:елкин"], "case and ё fold"
    assert [key for key, *_ in rows(facets, text="  пес ")] == ["PER:дмитрий песков"]
    assert rows(facets, text="[@click") == [(HOSTILE, 1, 1, datetime.date(2025, 2, 20))]
    assert rows(facets, types=frozenset(), text="") == []


def test_narrowing_a_selection_gives_what_a_fresh_one_does(store):
    facets = facets_of(store)
    people = frozenset({"PER"})
    first = facets.select("name", people, "е")
    narrowed = facets.select("name", people, "ес", within=first)
    assert list(narrowed.rows) == list(facets.select("name", people, "ес").rows) and len(narrowed) == 1
    other_sort = facets.select("count", people, "еск", within=first)
    assert list(other_sort.rows) == list(facets.select("count", people, "еск").rows)
    shorter = facets.select("name", people, "", within=narrowed)
    assert len(shorter) == 3, "deleting a character widens the list again"
    assert shorter.index_of("PER:елкин") == 2 and shorter.index_of("ORG:кремль") is None


def test_the_table_follows_analysis_and_removal(store):
    version = store.facet_version
    add(store, "f", "2023-05-05", KREMLIN)
    assert store.facet_version != version
    assert ("ORG:кремль", 2, 2, datetime.date(2023, 5, 5)) in rows(facets_of(store))
    store.remove([store.get("d"), store.get("f")])
    facets = facets_of(store)
    assert ("LOC:москва", 2, 2, datetime.date(2025, 1, 10)) in rows(facets)
    assert ("ORG:кремль", 1, 1, datetime.date(2025, 2, 20)) in rows(facets)
    store.remove([store.get("e")])
    assert "PER:елкин" not in [key for key, *_ in rows(facets_of(store))], "no article names it any more"


def test_a_copy_does_not_change_with_the_table():
    table = FacetTable()
    table.add([("LOC:москва", 2)], 10)
    copy = table.copy()
    table.add([("LOC:москва", 1), ("ORG:кремль", 1)], 5)
    assert (copy.keys, list(copy.mentions), list(copy.first)) == (["LOC:москва"], [2], [10])
    assert (list(table.mentions), list(table.articles), list(table.first)) == ([3, 1], [2, 1], [5, 5])


def test_co_occurrence_counts_shared_articles_joined_and_newest_first(store):
    facets = facets_of(store)
    found = store.co_occurrence(facets, "PER:дмитрий песков", cap=10)
    assert found.counts[0] == ("LOC:москва", 2) and sorted(found.counts[1:]) == [("ORG:кремль", 1), (HOSTILE, 1)]
    assert (found.scanned, found.total) == (3, 3)
    moscow = store.co_occurrence(facets, "LOC:москва", cap=10)
    assert moscow.counts == [("PER:дмитрий песков", 2)], "the bare surname of b counts for the full name, once"
    newest = store.co_occurrence(facets, "LOC:москва", cap=1)
    assert (newest.counts, newest.scanned, newest.total) == ([("PER:дмитрий песков", 1)], 1, 3), "b is the newest"


def test_articles_naming_every_or_any_of_several_entities(store):
    both = store.articles_mentioning(["PER:дмитрий песков", "LOC:москва"])
    assert [article.id for article in both] == ["b", "a"]
    either = store.articles_mentioning(["ORG:кремль", "LOC:москва"], every=False)
    assert [article.id for article in either] == ["c", "b", "a", "d"]
    oldest_first = store.articles_mentioning(["ORG:кремль", "LOC:москва"], newest_first=False, every=False)
    assert [article.id for article in oldest_first] == ["d", "a", "b", "c"]
    assert len(store.articles_mentioning(["ORG:кремль", "PER:елкин"])) == 0


def test_mentions_by_month_from_dates_and_counts(store):
    by_month = store.mentions_by_month("PER:дмитрий песков")
    assert {month_label(month): count for month, count in by_month.items()} == {"2025-01": 1, "2025-02": 3}
    assert store.mentions_by_month("PER:елкин") == {}, "undated articles are not on the chart"


def test_month_buckets_fill_quiet_months_and_fit_the_width():
    march, june = month_index(datetime.date(2025, 3, 1)), month_index(datetime.date(2025, 6, 1))
    buckets = month_buckets({march: 4, june: 1}, 80)
    assert [bucket.mentions for bucket in buckets] == [4, 0, 0, 1]
    squeezed = month_buckets({march: 4, march + 1: 2, june: 1}, 2)
    assert [(bucket.first_month, bucket.last_month, bucket.mentions) for bucket in squeezed] == [
        (march, march + 1, 6),
        (march + 2, june, 1),
    ]
    assert month_buckets({}, 80) == [] and month_label(march) == "2025-03"


def test_bars_in_eighths_of_a_row():
    assert bar_rows([8, 4, 1, 0], 1) == ["█▄▁ "]
    assert bar_rows([16, 4, 0], 2) == ["█  ", "█▄ "]
    assert bar_rows([1000, 1], 1) == ["█▁"], "any mention shows"


def test_a_few_narrowed_rows_are_filtered_as_all_the_rows_are():
    table = FacetTable()
    table.add([(f"LOC:город {number}", 1) for number in range(100)] + [("LOC:село 7", 2), ("LOC:село 8", 1)], 1)
    facets = Facets.joined(table.copy(), len)
    everywhere = frozenset({"PER", "ORG", "LOC"})
    villages = facets.select("count", everywhere, "село")
    assert [facets.keys[row] for row in villages.rows] == ["LOC:село 7", "LOC:село 8"]
    narrowed = facets.select("count", everywhere, "село 8", within=villages)
    assert list(narrowed.rows) == list(facets.select("count", everywhere, "село 8").rows) and len(narrowed) == 1


def test_typed_text_finds_a_group_of_the_alias_table_by_any_of_its_names():
    """США is keyed by its group's canonical name: typing "сша" (or "штаты", its own words) lists it."""
    store = Store()
    add(store, "a", "2025-01-10", ("LOC:соединенные штаты америки", "США"), MOSCOW)
    add(store, "b", "2025-01-11", ("LOC:сша по патентам", "США по патентам"))
    facets = facets_of(store)
    for typed in ("сша", "США", "сш"):
        assert {key for key, *_ in rows(facets, text=typed)} == {"LOC:соединенные штаты америки", "LOC:сша по патентам"}
    assert [key for key, *_ in rows(facets, text="штаты")] == ["LOC:соединенные штаты америки"]
    assert [key for key, *_ in rows(facets, types=frozenset({"ORG"}), text="сша")] == [], "types still hold"
    first = facets.select("count", frozenset({"LOC"}), "с")
    narrowed = facets.select("count", frozenset({"LOC"}), "сша", within=first)
    assert list(narrowed.rows) == list(facets.select("count", frozenset({"LOC"}), "сша").rows)


def test_names_are_tested_a_slice_at_a_time_with_the_same_result(monkeypatch):
    table = FacetTable()
    table.add([(f"LOC:город {number}", 1) for number in range(25)], 1)
    facets = Facets.joined(table.copy(), len)
    whole = list(facets.select("name", frozenset({"LOC"}), "город 1").rows)
    monkeypatch.setattr("newsreader.store.facets.STEP", 4)  # 25 names in 7 slices, the last short
    assert list(facets.select("name", frozenset({"LOC"}), "город 1").rows) == whole
    assert [facets.keys[row] for row in whole][:2] == ["LOC:город 1", "LOC:город 10"] and len(whole) == 11

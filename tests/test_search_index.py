"""The archive index: filters, ranking, offsets, persistence, corruption and the scan fallback."""

import json
import sqlite3
from functools import partial

import pytest

from newsreader.cli.search import run_search
from newsreader.folding import fold_key
from newsreader.ingest.load import Document
from newsreader.ingest.parse import Article, iter_articles, parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.search.index import SearchIndex, default_index_path
from newsreader.search.query import parse_query
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store
from newsreader.userdata.sqlite_files import open_or_rebuild


def article(name: str, title: str, body: str, date: str = "2025-10-25"):
    return parse(Document(name, f"archive/{name}.txt", f"date {date}\n{title}\n\n{body}\n", "utf-8"))[0]


def mention(text: str, words: str, kind: str, normal: str):
    start = text.index(words)
    key = f"{kind}:{fold_key(normal)}"
    return EntityMention(start, start + len(words), kind, words, normal, key)


@pytest.fixture
def store() -> Store:
    store = Store()
    articles = [
        article(
            "putin", "Путин провел совещание", "Владимира Путина поддержали в Кремле. Освобождение заложников обсудили."
        ),
        article("baku", "Встреча в Баку", "В Баку задержаны россияне. МИД добивается их освобождения.", "2025-06-10"),
        article("gazprom", "Газпром повысил цены", "Газпром и Минфин договорились о бюджете.", "2025-07-31"),
        article(
            "peskov", "Песков ответил журналистам", "Дмитрий Песков не стал комментировать слова Путина.", "2024-12-31"
        ),
        article("moscow", "Погода в Москве", "В Москве идет снег, на дорогах пробки.", "2025-10-01"),
    ]
    for item in articles:
        store.add(item)
    entities = {
        "putin": [("Владимира Путина", "PER", "Владимир Путин")],
        "peskov": [("Дмитрий Песков", "PER", "Дмитрий Песков"), ("Путина", "PER", "Путин")],
        "gazprom": [("Газпром", "ORG", "Газпром")],
        "baku": [("Баку", "LOC", "Баку")],
        "moscow": [("Москве", "LOC", "Москва")],
    }
    analyse(store, entities)
    return store


def analyse(store: Store, named_in: dict[str, list[tuple[str, str, str]]]) -> None:
    """Each article's (words, type, normal form) mentions stored as its analysis."""
    for name, found in named_in.items():
        item = store.get(name)
        mentions = tuple(mention(item.text, words, kind, normal) for words, kind, normal in found)
        store.set_enrichment(item.fingerprint, Enrichment(entities=mentions, dates=(), events=()))


@pytest.fixture
def index(store, tmp_path) -> SearchIndex:
    index = SearchIndex(tmp_path / "search.sqlite3")
    assert index.add(store) == len(store)
    return index


def ids(hits) -> set[str]:
    return {hit.article_id for hit in hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Путин", {"putin", "peskov"}),
        ("россиянин", {"baku"}),
        ("освобождение", {"putin", "baku"}),
        ("баку", {"baku"}),
        ('"Владимир Путин"', {"putin"}),
        ("газпр*", {"gazprom"}),
        ("москва снег", {"moscow"}),
        ("per:Путин", {"putin", "peskov"}),
        ('per:"Владимир Путин"', {"putin", "peskov"}),  # PER:путин is the bare surname of PER:владимир путин
        ("per:Владимира", {"putin", "peskov"}),
        ("per:Пескова", {"peskov"}),
        ("org:Газпрома", {"gazprom"}),
        ("loc:Москва", {"moscow"}),
        ("loc:Москва снег", {"moscow"}),
        ("loc:Москва Газпром", set()),
        ("date:2025-10", {"putin", "moscow"}),
        ("date:2025-06..2025-07", {"baku", "gazprom"}),
        ("date:2025-10-25", {"putin"}),
        ("date:2025 Путин", {"putin"}),
        ("date:..2024 Путин", {"peskov"}),
        ("date:2025-07.. Путин", {"putin"}),
        ("date:2024-12-31..2025-10-24 Путин", {"peskov"}),
        ("date:2026.. Путин", set()),
        ("несуществующееслово", set()),
        ('[/] \\ * ( " 😀', set()),
    ],
)
def test_queries_find_what_they_say_with_and_without_index(store, index, query, expected):
    indexed, scanned = index.search(query, store), search_without_index(query, store)
    assert (indexed.indexed, scanned.indexed) == (True, False)
    assert ids(indexed) == expected
    assert ids(scanned) == expected


@pytest.mark.parametrize("literal", ["[/]", "\\", "*", "(", '"', "😀", "ин", "Баку з", "в Баку", "заложник"])
def test_literal_search_finds_exact_substrings(store, index, literal):
    store.add(article("hostile", 'Разметка [/] и \\ * ( " 😀', "Текст."))
    index.add(store)
    query = parse_query(literal, literal=True)
    expected = {item.id for item in store if literal.lower() in item.text.lower()}
    assert expected
    assert ids(index.search(query, store)) == expected == ids(search_without_index(query, store))


def test_more_mentions_and_the_title_rank_above_one_mention(tmp_path):
    store = Store()
    store.add(article("once", "Новости дня", "Вчера прошло много событий. Среди них были и санкции. " * 3))
    store.add(article("often", "Санкции продлены", "Санкции против банков. Новые санкции. Санкциями недовольны."))
    store.add(article("other", "Погода", "Тепло."))
    index = SearchIndex(tmp_path / "index.sqlite3")
    index.add(store)
    for results in (index.search("санкция", store), search_without_index("санкция", store)):
        assert [hit.article_id for hit in results] == ["often", "once"]
        assert results[0].score > results[1].score


def test_beyond_the_rank_window_the_newest_hits_are_ranked_and_stale_rows_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr("newsreader.search.index.RANK_WINDOW", 2)
    monkeypatch.setattr("newsreader.search.index.FIRST_WINDOW", 1)  # and the windows grow 1, 4, ...
    articles = [article(f"n{day}", "Санкции", "Санкции. " * day, f"2025-01-0{day}") for day in range(1, 8)]
    articles.append(article("undated", "Санкции", "Санкции продлены.", "unknown"))
    store = Store()
    for item in articles:
        store.add(item)
    index = SearchIndex(tmp_path / "index.sqlite3")
    index.add(store.ordered(newest_first=False))  # as the app builds: newest last
    assert [hit.article_id for hit in index.search("санкция", store, limit=2)] == ["n7", "undated"]
    without_newest = Store()
    for item in articles[:5]:
        without_newest.add(item)  # n6, n7 and the undated one deleted: their rows stay in the index
    results = index.search("санкция", without_newest, limit=2)
    assert [hit.article_id for hit in results] == ["n5", "n4"] and results.indexed
    assert [hit.article_id for hit in index.search("date:2025-01-02..2025-01-03 санкция", store)] == ["n3", "n2"]


def test_filters_alone_list_the_most_mentions_then_the_newest(store, index):
    twice = article("twice", "Старое", "Путин и снова Путин.", "2020-01-01")
    store.add(twice)
    starts = (twice.text.index("Путин"), twice.text.rindex("Путин"))
    mentions = tuple(EntityMention(start, start + 5, "PER", "Путин", "Путин", "PER:путин") for start in starts)
    store.set_enrichment(twice.fingerprint, Enrichment(entities=mentions, dates=(), events=()))
    index.add(store)
    for results in (index.search("per:Путин", store), search_without_index("per:Путин", store)):
        assert [hit.article_id for hit in results] == ["twice", "putin", "peskov"]
    for results in (index.search("date:2025", store), search_without_index("date:2025", store)):
        assert [hit.article_id for hit in results] == ["putin", "moscow", "gazprom", "baku"]


def test_an_open_date_range_reaches_articles_added_after_it_was_first_used(store, index):
    assert ids(index.search("date:2025-11.. снег", store)) == set()
    store.add(article("later", "Снег в ноябре", "Выпал снег.", "2025-11-20"))
    index.add(store)
    assert ids(index.search("date:2025-11.. снег", store)) == {"later"}


@pytest.mark.parametrize("few", [0, 300])
def test_an_entity_filter_with_words_finds_the_same_by_its_articles_or_by_the_index(store, index, monkeypatch, few):
    monkeypatch.setattr("newsreader.search.index.FEW_CANDIDATES", few)
    assert ids(index.search("per:Путин Кремле", store)) == {"putin"}
    assert ids(index.search("per:Путин комментировать", store)) == {"peskov"}
    assert ids(index.search("loc:Москва снег date:2025", store)) == {"moscow"}
    assert ids(index.search("loc:Москва Газпром", store)) == set()


@pytest.mark.parametrize("most_forms", [0, 5000])
def test_a_prefix_finds_the_same_spelled_out_or_left_to_fts5(store, index, monkeypatch, most_forms):
    monkeypatch.setattr("newsreader.search.index.MAX_PREFIX_FORMS", most_forms)
    assert ids(index.search("пут*", store)) == {"putin", "peskov"}
    assert ids(index.search("москв* снег*", store)) == {"moscow"}
    assert ids(index.search("щщщ*", store)) == set()


def test_hits_carry_offsets_into_article_text_and_a_snippet_around_them(store, index):
    (hit,) = index.search("россиянин", store)
    text = store.get(hit.article_id).text
    assert [text[start:end] for start, end in hit.matches] == ["россияне"]
    start, end = hit.snippet
    assert start <= hit.matches[0][0] and hit.matches[0][1] <= end and "\n" not in text[start:end]


def test_search_results_are_limited_to_the_given_store(store, index):
    other = Store()
    other.add(store.get("moscow"))
    assert ids(index.search("Москва", other)) == {"moscow"}
    assert ids(index.search("Путин", other)) == set()


def test_index_persists_and_adds_only_new_articles(store, tmp_path):
    path = tmp_path / "search.sqlite3"
    first = SearchIndex(path)
    assert first.add(store) == 5
    assert first.add(store) == 0
    first.close()
    again = SearchIndex(path)
    assert again.covers(store) and again.add(store) == 0
    changed = article("moscow2", "Погода в Москве", "В Москве снова идет снег.", "2025-10-02")
    store.add(changed)
    assert not again.covers(store)
    assert again.search("снег", store).indexed is False  # the new article is not indexed yet: scan
    assert again.add(store) == 1
    results = again.search("снег", store)
    assert results.indexed and ids(results) == {"moscow", "moscow2"}


def test_default_path_is_in_the_user_cache(isolated_user_dirs):
    assert str(default_index_path()).startswith(str(isolated_user_dirs))
    assert SearchIndex().path == default_index_path()


def test_corrupt_index_is_moved_aside_and_rebuilt(store, tmp_path):
    path = tmp_path / "search.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    index = SearchIndex(path)
    assert len(index.warnings) == 1 and "corrupt" in index.warnings[0]
    assert list(tmp_path.glob("search.sqlite3.corrupt-*"))
    assert index.add(store) == 5
    assert ids(index.search("Путин", store)) == {"putin", "peskov"}


def test_an_index_from_another_normaliser_version_starts_over(store, tmp_path):
    path = tmp_path / "search.sqlite3"
    first = SearchIndex(path)
    first.add(store)
    first.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE settings SET value = 'old' WHERE name = 'version'")
    again = SearchIndex(path)
    assert not again.covers(store) and again.warnings == [] and not list(tmp_path.glob("*.corrupt-*"))
    assert again.add(store) == len(store)


def test_without_an_index_search_scans_the_store(store, tmp_path):
    index = SearchIndex(tmp_path / "empty.sqlite3")
    results = index.search("освобождение", store)
    assert results.indexed is False
    assert ids(results) == {"putin", "baku"}


def test_cli_prints_json_lines_whose_offsets_match_extract(tmp_path, capsys):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_text("date 2025-10-25\nРоссияне в Баку\n\nЗадержанных россиян освободили.\n", "utf-8")
    (folder / "b.txt").write_text("date 2025-10-26\nПогода\n\nТепло.\n", "utf-8")
    assert run_search("россиянин", [str(folder)], max_bytes=10**6) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert set(record) == {"id", "path", "date", "title", "url", "outlet", "authors", "topics", "score", "matches"}
    assert (record["url"], record["outlet"], record["authors"], record["topics"]) == (None, None, [], [])
    (loaded,) = [item for item in iter_articles([str(folder / "a.txt")]) if isinstance(item, Article)]
    assert [loaded.text[m["start"] : m["end"]] for m in record["matches"]] == [m["text"] for m in record["matches"]]
    assert [m["text"] for m in record["matches"]] == ["Россияне", "россиян"]


def assert_turned_off_and_scanning(index: SearchIndex, store: Store, reason: str) -> None:
    """One warning naming the file and the reason; searches give the scan's hits; nothing is written."""
    assert len(index.warnings) == 1, index.warnings
    assert str(index.path) in index.warnings[0] and reason in index.warnings[0] and "scans" in index.warnings[0]
    assert index.add(store) == 0
    results = index.search("освобождение", store)
    assert results.indexed is False and ids(results) == {"putin", "baku"}
    assert len(index.warnings) == 1
    index.close()


def test_cache_folder_that_is_a_file_turns_the_index_off(store, tmp_path):
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    assert_turned_off_and_scanning(SearchIndex(tmp_path / "cache" / "search.sqlite3"), store, "cannot open")


def test_a_second_instance_scans_and_leaves_the_owner_alone(store, index, tmp_path):
    second = SearchIndex(index.path)
    assert_turned_off_and_scanning(second, store, "in use by another newsreader")
    assert ids(index.search("освобождение", store)) == {"putin", "baku"} and index.warnings == []
    index.close()
    third = SearchIndex(index.path)
    assert third.warnings == [] and third.covers(store), "the lock goes with its owner"


def test_a_locked_index_is_not_taken_for_corrupt(store, index, tmp_path, monkeypatch):
    index.close()
    blocker = sqlite3.connect(index.path, isolation_level=None)
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr("newsreader.search.index.open_or_rebuild", partial(open_or_rebuild, timeout=0))
    assert_turned_off_and_scanning(SearchIndex(index.path), store, "locked")
    assert not list(tmp_path.glob("*.corrupt-*"))
    blocker.close()
    assert SearchIndex(index.path).covers(store)


def test_a_write_failure_turns_the_index_off_once(store, tmp_path):
    def full_disk(path, first_id, documents):
        raise sqlite3.OperationalError("database or disk is full")

    index = SearchIndex(tmp_path / "search.sqlite3")
    assert index.add(store, full_disk) == 0
    assert len(index.warnings) == 1 and "write failed (database or disk is full)" in index.warnings[0]
    assert_turned_off_and_scanning(index, store, "full")


def test_an_entity_filter_naming_an_alias_finds_the_entity_keyed_by_its_group(tmp_path):
    """loc:США finds the LOC key "соединенные штаты америки" the analysis gives США; a longer name holding the
    word (a patent office tagged LOC by mistake) is still found by its own word, as any name is."""
    store = Store()
    usa_text = "США ввели пошлины."
    office_text = "Бюро США по патентам выдало патент."
    union_text = "Евросоюз продлил санкции."
    for name, body in (("usa", usa_text), ("office", office_text), ("eu", union_text)):
        store.add(article(name, f"Заголовок {name}", body))
    analyse(
        store,
        {
            "usa": [("США", "LOC", "Соединённые Штаты Америки")],
            "office": [("США по патентам", "LOC", "США по патентам")],
            "eu": [("Евросоюз", "ORG", "Европейский союз")],
        },
    )
    index = SearchIndex(tmp_path / "search.sqlite3")
    index.add(store)
    assert ids(index.search("loc:США", store)) == {"usa", "office"}
    assert ids(index.search("loc:Штатов", store)) == {"usa"}
    assert ids(index.search("org:ЕС", store)) == ids(index.search("org:Евросоюза", store)) == {"eu"}
    assert ids(index.search("loc:ЕС", store)) == set(), "the group's key has its own type"


def test_an_entity_filter_naming_a_body_and_its_country_finds_that_country_s_body(tmp_path):
    """org:"МИД России" (or "российский МИД", "МИДа РФ") finds the key "министерство иностранных дел|россия" the
    analysis gives a Russian МИД, and not Ukraine's; org:МИД alone finds both."""
    store = Store()
    for name, body in (("ru", "МИД России выразил протест."), ("ua", "МИД Украины выразил протест.")):
        store.add(article(name, f"Заголовок {name}", body))
    analyse(
        store,
        {
            "ru": [("МИД России", "ORG", "министерство иностранных дел|россия")],
            "ua": [("МИД Украины", "ORG", "министерство иностранных дел|украина")],
        },
    )
    index = SearchIndex(tmp_path / "search.sqlite3")
    index.add(store)
    russian = ('org:"МИД России"', 'org:"российский МИД"', 'org:"МИДа РФ"', 'org:"Министерства иностранных дел России"')
    for query in russian:
        assert ids(index.search(query, store)) == {"ru"}, query
    assert ids(index.search('org:"МИД Украины"', store)) == {"ua"}
    assert ids(index.search("org:МИД", store)) == {"ru", "ua"}

"""Property tests of query parsing, FTS5 expressions and in-article matching.

Any text: no exception, and the invariants hold.
"""

import sqlite3
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsreader.folding import fold_aligned
from newsreader.ingest.parse import Document, parse
from newsreader.runtime.processes import wire_text
from newsreader.search.fts import query_expression
from newsreader.search.index import SCHEMA, IndexedForms, SearchIndex, write_documents
from newsreader.search.matching import find_matches
from newsreader.search.normalise import WORD
from newsreader.search.query import MAX_PROBLEMS, MAX_QUERY_WORDS, clean_query_text, parse_query
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store

# Pieces of the search language, of FTS5's and SQL's, and characters that have broken parsers before
FRAGMENTS = [
    '"',
    '""',
    "*",
    ":",
    "per:",
    "ORG:",
    "loc:",
    "date:",
    "DATE:",
    "..",
    "-",
    " ",
    "\x00",
    "\ud800",
    "\udcff",
    "😀",
    "\u00a0",
    "\u0301",
    "\u200b",
    "OR",
    "AND",
    "NOT",
    "NEAR(",
    "(",
    ")",
    "^",
    "+",
    "{forms stems}:",
    "forms:",
    "'",
    ";",
    "--",
    "2025",
    "2025-10",
    "-13-45",
    "99999",
    "..2025",
    "Москва",
    "путин",
    "Ёлка",
    "İ",
    "ß",
    "ǅ",
    "\n",
    "\t",
    "\x1b[31m",
    "[/]",
    "\\",
    "%",
    "_",
]
query_texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=12).map("".join)
words = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВxyzQ019", min_size=1, max_size=10)
CORPUS = [
    "Президент России Владимир Путин провёл встречу в Москве.",
    "Нью-Йорк и нью-йоркский «Газпром» — 10:30, 2025-10-25.",
    'İstanbul, Straße, ǅemal; forms stems NEAR OR AND NOT "кавычки" [/] 😀.',
]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def articles():
    return [
        parse(Document(f"n{i}", f"archive/n{i}.txt", f"date 2025-10-2{i}\nЗаголовок {i}\n\n{text}\n", "utf-8"))[0]
        for i, text in enumerate(CORPUS)
    ]


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    """The index's own schema and writer, in memory."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    for statement in SCHEMA:
        connection.execute(statement)
    write_documents(connection, 1, [(a.fingerprint, a.date.isoformat(), wire_text(a.text)) for a in articles()])
    return connection


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    store = Store()
    for article in articles():
        store.add(article)
    index = SearchIndex(tmp_path_factory.mktemp("index") / "search.sqlite3")
    index.add(store)
    yield index, store
    index.close()


def assert_sorted_disjoint_within(spans, text):
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert all(end <= following for (_, end), (following, _) in pairwise(spans))


@FAST
@given(query_texts)
def test_parsing_any_text_keeps_the_query_bounded_and_clean(text):
    query = parse_query(text)
    all_words = [word.text for term in query.terms for word in term.words]
    all_words += [name for entity in query.entities for name in entity.words]
    assert len(all_words) <= MAX_QUERY_WORDS
    assert all(WORD.fullmatch(word) for word in all_words)
    assert len(query.dates) <= 1 and len(query.problems) <= MAX_PROBLEMS
    assert all(problem.isprintable() and len(problem) < 120 for problem in query.problems)
    assert query.literal is None


@FAST
@given(query_texts)
def test_a_literal_query_is_sanitised_text_or_nothing(text):
    literal = parse_query(text, literal=True).literal
    assert literal is None or (fold_aligned(literal).strip() and literal == clean_query_text(text))
    assert literal is None or not any("\ud800" <= char <= "\udfff" or char == "\x00" for char in literal)


@FAST
@given(query_texts, st.booleans())
@example("\U00017000Москва", False)  # a letter unicodedata leaves unnamed broke pymorphy3's Latin check
def test_every_fts_expression_runs_in_sqlite(fts, text, literal):
    expression = query_expression(parse_query(text, literal), IndexedForms(fts))
    if expression is not None:
        fts.execute("SELECT rowid FROM words WHERE words MATCH ?", (expression,)).fetchall()


@FAST
@given(query_texts, st.booleans())
def test_the_index_and_the_scan_find_the_same_articles(indexed, text, literal):
    index, store = indexed
    query = parse_query(text, literal)
    from_index = index.search(query, store)
    assert index.warnings == []
    assert {hit.article_id for hit in from_index} == {hit.article_id for hit in search_without_index(query, store)}


@FAST
@given(st.text(max_size=40) | st.sampled_from(CORPUS), query_texts, st.booleans())
def test_matches_are_sorted_disjoint_and_inside_the_text(text, query, literal):
    assert_sorted_disjoint_within(find_matches(text, query, literal), text)


@FAST
@given(st.text(max_size=10), query_texts, st.text(max_size=10))
def test_a_literal_is_found_in_any_text_that_holds_it(before, needle, after):
    needle = clean_query_text(needle)
    text = before + needle + after
    spans = find_matches(text, needle, literal=True)
    assert all(fold_aligned(text[start:end]) == fold_aligned(needle) for start, end in spans)
    assert bool(spans) == bool(fold_aligned(needle).strip())


@FAST
@given(st.lists(words, min_size=1, max_size=4), st.sampled_from([" ", ", ", " — ", "\n"]))
def test_a_word_or_phrase_is_found_where_it_stands_as_typed(typed, separator):
    text = f"Начало{separator}{' '.join(typed)}{separator}конец."
    query = '"' + " ".join(typed) + '"'
    assert find_matches(text, query), (text, query)

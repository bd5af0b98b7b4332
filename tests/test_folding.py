"""Case and ё folding: the aligned fold keeps offsets, the key fold makes one identity per name."""

from hypothesis import given
from hypothesis import strategies as st

from newsreader.folding import fold_aligned, fold_key, lower_aligned
from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.search.entities import entity_mentions
from newsreader.search.query import parse_query
from newsreader.store.corpus import Store

RUSSIAN_AND_LATIN = st.text(st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЯabcxyzABCXYZ -.1"))


@given(st.text())
def test_aligned_fold_keeps_every_offset(text):
    folded = fold_aligned(text)
    assert len(folded) == len(lower_aligned(text)) == len(text)
    assert all(folded[index] == fold_aligned(char) for index, char in enumerate(text))


@given(st.text())
def test_aligned_fold_is_lower_case_without_yo(text):
    assert fold_aligned(text) == lower_aligned(text).replace("ё", "е")
    assert "ё" not in fold_aligned(text) and "Ё" not in fold_aligned(text)


@given(RUSSIAN_AND_LATIN)
def test_both_folds_agree_on_russian_and_latin_text(text):
    assert fold_key(text) == fold_aligned(text)


def test_dotted_capital_i_stays_one_character_in_the_aligned_fold():
    assert fold_aligned("İСТАНБУЛ") == "İстанбул"
    assert lower_aligned("ЁЛКИН İ") == "ёлкин İ"


def test_key_fold_is_caseless_matching():
    assert fold_key("Ёлкин") == fold_key("ЕЛКИН") == "елкин"
    assert fold_key("Straße") == fold_key("STRASSE") == "strasse"
    assert fold_aligned("Straße") == "straße"  # one character for one: ß stays


def _store_with(body: str, mentions: list[tuple[str, str, str, str]]) -> Store:
    """A store of one article whose enrichment names `(words, kind, normal, key)`, found in text order."""
    store = Store()
    store.add(parse(Document("a", "root/a", f"date 2025-10-01\nЗаголовок\n\n{body}", "utf-8"))[0])
    article = store.get("a")
    entities, start = [], 0
    for words, kind, normal, key in mentions:
        start = article.text.index(words, start)
        entities.append(EntityMention(start, start + len(words), kind, words, normal, key))
        start += len(words)
    store.set_enrichment(article.fingerprint, Enrichment(tuple(entities), (), ()))
    return store


def test_entity_filter_folds_as_the_keys_do():
    """Regression: the filter word was lower-cased (groß) while the key is casefolded (gross)."""
    store = _store_with("Hans Groß sagte.", [("Hans Groß", "PER", "Hans Groß", "PER:hans gross")])
    assert entity_mentions(parse_query("per:Groß"), store) == {"a": 1}


def test_entity_name_is_the_normal_form_its_key_came_from():
    """Regression: the display name compared a lower-cased name with a casefolded key, so it fell back to
    the most frequent name (the bare surname linked to the full name) instead of the full one."""
    key = "PER:hans gross"
    store = _store_with(
        "Hans Groß sagte. Groß ging. Groß kam.",
        [("Hans Groß", "PER", "Hans Groß", key), ("Groß", "PER", "Groß", key), ("Groß", "PER", "Groß", key)],
    )
    info = store.entity(key)
    assert info is not None and info.name == "Hans Groß"

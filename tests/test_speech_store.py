"""Roles and quotes through the wire form and the store: packed, indexed by person, forgotten with their article."""

import pytest

from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.nlp.enrich import Enrichment, from_payload, to_payload
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.quotes import Quote
from newsreader.nlp.roles import RoleMention
from newsreader.store.corpus import Store
from newsreader.store.packing import StringTable, pack, unpack
from newsreader.store.speech import SaidQuote

PESKOV = "PER:дмитрий песков"
BODY = "Пресс-секретарь Кремля Дмитрий Песков заявил, что встреча пройдет. Пресс-секретарь Кремля добавил, что всё."


def enrichment_of(text: str, key: str = PESKOV, role: str = "пресс-секретарь Кремля") -> Enrichment:
    """Песков titled and referred to by his post, and his two reported quotes, as the NLP gives them."""
    name = text.index("Дмитрий Песков") if "Дмитрий Песков" in text else text.index("Песков")
    person = EntityMention(name, text.index("Песков", name) + 6, "PER", text[name : name + 14], "Дмитрий Песков", key)
    title_at, reference_at = text.index("Пресс-секретарь Кремля"), text.rindex("Пресс-секретарь Кремля")
    roles = (
        RoleMention(title_at, title_at + 22, role, key, "title"),
        RoleMention(reference_at, reference_at + 22, role, key, "reference"),
    )
    first, second = text.index("встреча пройдет"), text.index("всё")
    quotes = (
        Quote(first, first + 15, key, "reported", title_at, first + 16),
        Quote(second, second + 3, key, "reported", reference_at, second + 4),
    )
    return Enrichment((person,), (), (), roles, quotes)


def stored(store: Store, name: str, date: str, text: str = BODY, **kwargs) -> str:
    article, _ = parse(Document(name, name, f"date {date}\nЗаголовок {name}\n\n{text}", "utf-8"))
    store.add(article)
    store.set_enrichment(article.fingerprint, enrichment_of(article.text, **kwargs))
    return article.text


def test_roles_and_quotes_survive_the_payload_and_the_packed_form():
    text = "Заголовок\n\n" + BODY
    enrichment = enrichment_of(text)
    assert from_payload(to_payload(enrichment), text) == enrichment
    strings = StringTable()
    assert unpack(pack(enrichment, strings), text, strings) == enrichment


@pytest.mark.parametrize("part, row", [(3, [0, 10_000, "роль", PESKOV, "title"]), (4, [5, 2, PESKOV, "direct", 0, 9])])
def test_a_payload_whose_role_or_quote_does_not_fit_the_text_is_refused(part, row):
    text = "Заголовок\n\n" + BODY
    payload = to_payload(enrichment_of(text))
    payload[part].append(row)
    with pytest.raises(ValueError):
        from_payload(payload, text)


def test_an_earlier_payload_without_roles_and_quotes_is_refused():
    text = "Заголовок\n\n" + BODY
    with pytest.raises(ValueError):
        from_payload(to_payload(enrichment_of(text))[:3], text)


def test_the_store_gives_a_persons_roles_and_quotes_newest_first():
    store = Store()
    stored(store, "old", "2025-01-01")
    stored(store, "new", "2025-02-01")
    assert store.roles(PESKOV) == ["пресс-секретарь Кремля"]
    assert store.quotes(PESKOV) == [SaidQuote("new", 0), SaidQuote("new", 1), SaidQuote("old", 0), SaidQuote("old", 1)]
    assert store.roles("PER:сергей лавров") == [] and store.quotes("PER:сергей лавров") == []


def test_a_bare_surname_speaker_joins_the_full_name():
    store = Store()
    stored(store, "full", "2025-01-01")
    stored(
        store,
        "bare",
        "2025-02-01",
        "Пресс-секретарь Кремля Песков заявил, что встреча пройдет. Пресс-секретарь Кремля добавил, что всё.",
        key="PER:песков",
        role="пресс-секретарь",
    )
    assert store.roles("PER:песков") == ["пресс-секретарь Кремля", "пресс-секретарь"]
    assert [said.article_id for said in store.quotes("PER:песков")] == ["bare", "bare", "full", "full"]


def test_a_removed_article_takes_its_roles_and_quotes_with_it():
    store = Store()
    stored(store, "a", "2025-01-01")
    stored(store, "b", "2025-02-01", role="официальный представитель")
    store.remove([store.get("b")])
    assert store.roles(PESKOV) == ["пресс-секретарь Кремля"]
    assert store.quotes(PESKOV) == [SaidQuote("a", 0), SaidQuote("a", 1)]
    store.remove([store.get("a")])
    assert store.roles(PESKOV) == [] and store.quotes(PESKOV) == []

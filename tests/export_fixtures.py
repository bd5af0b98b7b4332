"""A small analysed store for the export tests: hand-made analyses, so every count is known.

Three articles: two name Мария Захарова and Москва, one of them also a firm whose name holds
XML's special characters; the third, undated, names Москва alone. Titles carry a formula and
HTML, as hostile article text can.
"""

from newsreader.ingest.load import Document
from newsreader.ingest.parse import Article, parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.events import Event
from newsreader.store.corpus import Store

ZAKHAROVA = "PER:мария захарова"
MOSCOW = "LOC:москва"
FIRM = 'ORG:ооо "рога & <копыта>"'
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'
HTML_TITLE = "Встреча <b>в Москве</b> & после"
FIRST_SENTENCE = "3 марта 2025 года Мария Захарова прибыла в Москву."
SECOND_SENTENCE = 'В феврале 2025 года Захарова и ООО "Рога & <Копыта>" подписали договор в Москве.'


def _article(name: str, date: str | None, title: str, body: str) -> Article:
    header = f"date {date}\n" if date else ""
    parsed, _ = parse(Document(id=name, path=f"root/{name}", text=f"{header}{title}\n\n{body}", encoding="utf-8"))
    return parsed


def _mention(text: str, found: str, kind: str, normal: str, key: str, after: int = 0) -> EntityMention:
    start = text.index(found, after)
    return EntityMention(start, start + len(found), kind, found, normal, key)


def _event(text: str, sentence: str, said: str, value: str, granularity: str, keys: tuple[str, ...]) -> Event:
    sentence_start = text.index(sentence)
    start = text.index(said, sentence_start)
    return Event(value, granularity, start, start + len(said), sentence_start, sentence_start + len(sentence), keys)


def _analyse(store: Store, article: Article, mentions: list[tuple], events: list[tuple] = ()) -> None:
    """Mentions as (text, type, normal form, key, a text it comes after); events as `_event`'s arguments."""
    text = article.text
    entities = tuple(
        _mention(text, found, kind, normal, key, text.index(after) if after else len(article.title))
        for found, kind, normal, key, after in mentions
    )
    store.set_enrichment(article.fingerprint, Enrichment(entities, (), tuple(_event(text, *each) for each in events)))


def analysed_store() -> tuple[Store, list[Article]]:
    """The store and its articles in load order."""
    first = _article("first.txt", "2025-03-04", FORMULA_TITLE, FIRST_SENTENCE + "\n\nМосква ждёт.")
    second = _article("second.txt", "2025-03-05", HTML_TITLE, SECOND_SENTENCE)
    third = _article("third.txt", None, "Без даты", "Москва без даты.")
    store = Store()
    for article in (first, second, third):
        assert store.add(article) is None
    firm = 'ООО "Рога & <Копыта>"'
    _analyse(
        store,
        first,
        [
            ("Мария Захарова", "PER", "Мария Захарова", ZAKHAROVA, None),
            ("Москву", "LOC", "Москва", MOSCOW, None),
            ("Москва", "LOC", "Москва", MOSCOW, "Москва ждёт"),
        ],
        [(FIRST_SENTENCE, "3 марта 2025 года", "2025-03-03", "day", (ZAKHAROVA, MOSCOW))],
    )
    _analyse(
        store,
        second,
        [
            ("Захарова", "PER", "Захарова", ZAKHAROVA, None),
            (firm, "ORG", firm, FIRM, None),
            ("Москве", "LOC", "Москва", MOSCOW, "договор"),
        ],
        [(SECOND_SENTENCE, "В феврале 2025 года", "2025-02", "month", (ZAKHAROVA, FIRM))],
    )
    _analyse(store, third, [("Москва", "LOC", "Москва", MOSCOW, None)])
    return store, [first, second, third]

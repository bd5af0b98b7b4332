import datetime

from newsreader.ingest.load import Document, LoadWarning
from newsreader.ingest.parse import parse
from newsreader.store.corpus import Store


def article(name: str, date: str | None, title: str, body: str = "Текст."):
    header = f"date {date}" if date else "без даты"
    parsed, _ = parse(Document(id=name, path=f"root/{name}", text=f"{header}\n{title}\n\n{body}", encoding="utf-8"))
    return parsed


def test_order_by_date_unknown_last():
    store = Store()
    for item in [
        article("a", "2024-01-01", "A"),
        article("u", None, "U"),
        article("c", "2025-06-01", "C"),
        article("b", "2024-01-01", "B"),
    ]:
        assert store.add(item) is None
    assert [a.id for a in store.ordered()] == ["c", "a", "b", "u"]
    assert [a.id for a in store.ordered(newest_first=False)] == ["a", "b", "c", "u"]


def test_lookup_by_id_and_position():
    store = Store()
    store.add(article("a", "2024-01-01", "A"))
    store.add(article("b", "2025-01-01", "B"))
    assert store.get("a").title == "A"
    assert store.get("missing") is None
    view = store.ordered()
    assert view.position("a") == 1
    assert view.position("missing") is None


def test_same_text_twice_is_one_article():
    store = Store()
    first, again = article("one.txt", "2024-01-01", "Same"), article("copy/one.txt", "2024-01-01", "Same")
    assert store.add(first) is None
    warning = store.add(again)
    assert len(store) == 1
    assert warning.reason == "duplicate of root/one.txt, skipped"


def test_same_id_different_text_keeps_both():
    store = Store()
    store.add(article("x.txt", "2024-01-01", "First"))
    store.add(article("x.txt", "2024-01-02", "Second"))
    assert len(store) == 2
    assert {a.title for a in store} == {"First", "Second"}


def test_order_cache_is_refreshed_on_add():
    store = Store()
    store.add(article("a", "2024-01-01", "A"))
    assert len(store.ordered()) == 1
    store.add(article("b", "2025-01-01", "B"))
    assert [a.id for a in store.ordered()] == ["b", "a"]
    assert store.ordered()[0].date == datetime.date(2025, 1, 1)


def analysed(store: Store, name: str, date: str, body: str) -> None:
    """Store an article whose every "Песков" is one person and whose date in the text is an event naming him."""
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.entities import EntityMention
    from newsreader.nlp.events import Event

    item = article(name, date, f"Заголовок {name}", body)
    assert store.add(item) is None
    text = item.text
    start = text.index("Песков")
    mention = EntityMention(start, start + 6, "PER", "Песков", "Песков", "PER:песков")
    when = text.index("10 января")
    event = Event("2025-01-10", "day", when, when + 9, 0, len(text), ("PER:песков",))
    store.set_enrichment(item.fingerprint, Enrichment((mention,), (), (event,)))


def test_removed_article_leaves_views_lookups_entities_and_events():
    store = Store()
    for name, date in (("a", "2025-01-11"), ("b", "2025-01-12"), ("c", "2025-01-13")):
        analysed(store, name, date, f"Песков {name} сказал 10 января.")
    b = store.get("b")
    old_events = store.events()
    assert [x.id for x in store.remove([b])] == ["b"]
    assert store.remove([b]) == []  # not here any more
    assert len(store) == 2 and store.get("b") is None and store.by_fingerprint(b.fingerprint) is None
    assert [x.id for x in store.ordered()] == ["c", "a"] and [x.id for x in store.ordered(False)] == ["a", "c"]
    assert store.mention_counts("PER:песков") == {"a": 1, "c": 1} and store.enriched_count == 2
    assert set(store.entity("PER:песков").article_ids) == {"a", "c"}
    assert [event.article_id for event in store.events()] == ["a", "c"]
    assert [event.article_id for event in store.events("PER:песков")] == ["a", "c"]
    assert store.events().source != old_events.source  # the timeline counts again rather than only what is new
    assert len(store.article_events("b")) == 0
    analysed(store, "b", "2025-01-14", "Песков снова сказал 10 января, в другой день.")  # changed: same id, new text
    assert store.mention_counts("PER:песков") == {"a": 1, "c": 1, "b": 1}
    assert [event.article_id for event in store.events()] == ["a", "c", "b"]
    assert store.top_entities(1)[0].mentions == 3


def test_add_many_is_add_for_each_and_absorb_takes_over_a_filled_store():
    items = [article("a", "2024-01-01", "A"), article("b", None, "B"), article("c", "2025-01-01", "A")]
    again = article("a2", "2024-01-01", "A")
    store = Store()
    store.add_many(items[:1])
    other = Store()
    assert other.add_many([*items[:1], *items[1:], again]) == [
        (3, LoadWarning("root/a2", "duplicate of root/a, skipped"))
    ]
    other.ordered()
    assert store.absorb(other) and len(other) == 0
    assert [x.id for x in store.ordered()] == ["c", "a", "b"] and store.get("b") is items[1]
    elsewhere = Store()
    analysed(elsewhere, "d", "2025-01-14", "Песков сказал 10 января.")
    assert not elsewhere.absorb(store) and len(store) == 3  # this one holds analysis: it is not replaced
    assert not store.absorb(elsewhere) and len(elsewhere) == 1  # nor is analysis dropped


def test_events_of_several_entities_by_all_or_any():
    """An entity filter of several keys: the timeline's events name one of them, in articles naming all (or any)."""
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.entities import EntityMention
    from newsreader.nlp.events import Event

    store = Store()
    named_in = {"a": ("Песков", "Лавров"), "b": ("Песков",), "c": ("Лавров",), "d": ("Шойгу",)}
    for name, people in named_in.items():
        item = article(name, "2025-02-01", f"Заголовок {name}", " и ".join(people) + " сказали 10 января.")
        assert store.add(item) is None
        mentions = []
        for person in people:
            start = item.text.index(person)
            key = f"PER:{person.lower()}"
            mentions.append(EntityMention(start, start + len(person), "PER", person, person, key))
        when = item.text.index("10 января")
        event = Event("2025-01-10", "day", when, when + 9, 0, len(item.text), tuple(m.key for m in mentions))
        store.set_enrichment(item.fingerprint, Enrichment(tuple(mentions), (), (event,)))
    both = ["PER:песков", "PER:лавров"]
    assert [event.article_id for event in store.events(both, every=True)] == ["a"]
    assert [event.article_id for event in store.events(both, every=False)] == ["a", "b", "c"]
    assert [event.article_id for event in store.events("PER:шойгу")] == ["d"]
    assert store.events(both, every=True).source != store.events(both, every=False).source

import datetime

from newsreader.ingest.load import Document
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

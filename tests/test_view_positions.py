"""The store's date-order view finds an article by bisection: it must agree with where the article really stands."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.store.corpus import Store

DAYS = st.one_of(st.none(), st.integers(0, 6).map(lambda day: datetime.date(2024, 1, 1) + datetime.timedelta(days=day)))


def article(number: int, date: datetime.date | None, duplicate_id: bool):
    """Few dates, so ties are common; some ids repeat, so the store renames them."""
    header = f"date {date.isoformat()}" if date else "без даты"
    name = "same" if duplicate_id else f"a{number}"
    document = Document(
        id=name, path=f"root/{number}.txt", text=f"{header}\nЗаголовок {number}\n\nТекст {number}.", encoding="utf-8"
    )
    return parse(document)[0]


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(st.lists(st.tuples(DAYS, st.booleans()), max_size=8), min_size=1, max_size=5),
    newest_first=st.booleans(),
)
def test_position_is_where_the_article_stands_batch_after_batch(batches, newest_first):
    store, number = Store(), 0
    for batch in batches:
        earlier = store.ordered(newest_first)
        for date, duplicate_id in batch:
            store.add(article(number, date, duplicate_id))
            number += 1
        for view in (earlier, store.ordered(newest_first)):  # the earlier view lacks the batch's articles
            listed = list(view)
            for each in store:
                assert view.position(each.id) == next((i for i, shown in enumerate(listed) if shown is each), None)
            assert view.position("missing") is None

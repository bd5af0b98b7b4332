"""Pilot tests of the entity panel over a small hand-enriched store: no NLP models run."""

import re
from pathlib import Path

import pytest
from textual.app import App
from textual.signal import Signal
from textual.widgets import Static

import newsreader.ui
from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.events import Event
from newsreader.nlp.quotes import Quote
from newsreader.nlp.roles import RoleMention
from newsreader.store.corpus import Store
from newsreader.ui.screens.entity_panel import (
    EntityArticles,
    EntityPanel,
    EntityQuotes,
    EntityTimeline,
    FilterByEntity,
    OpenArticle,
)

UI = Path(newsreader.ui.__file__).parent
KEY = "PER:дмитрий песков"
HOSTILE_TITLE = "[b]Песков[/] [@click=app.quit]выход"


def add(
    store: Store,
    article_id: str,
    date: str,
    title: str,
    body: str,
    dates: dict[str, str] | None = None,
    said: tuple[str, ...] = (),
) -> None:
    """Store an article as the NLP would: every "Песков" is the one person, each of `dates`
    (expression: value) an event of its sentence, naming him if the sentence does; "пресс-секретарь"
    before a name is his title, and each of `said` is a quote of his, direct if in «»."""
    document = Document(article_id, article_id, f"date {date}\n{title}\n\n{body}\n", "utf-8")
    article = parse(document)[0]
    store.add(article)
    text = article.text
    mentions = tuple(
        EntityMention(m.start(), m.end(), "PER", m[0], "Дмитрий Песков", KEY)
        for m in re.finditer("Дмитрий Песков|Песков", text)
    )
    events = []
    for expression, value in (dates or {}).items():
        start = text.index(expression)
        sentence_start, sentence_end = text.rfind("\n", 0, start) + 1, text.find(".", start) + 1
        keys = (KEY,) if "Песков" in text[sentence_start:sentence_end] else ()
        events.append(Event(value, "day", start, start + len(expression), sentence_start, sentence_end, keys))
    roles = tuple(
        RoleMention(m.start(), m.end(), "пресс-секретарь Кремля", KEY, "title")
        for m in re.finditer("пресс-секретарь Кремля(?= Дмитрий)", text)
    )
    quotes = []
    for words in said:
        start = text.index(words)
        sentence_start, sentence_end = text.rfind("\n", 0, start) + 1, text.find(".", start) + 1
        kind = "direct" if text[start - 1] == "«" else "reported"
        quotes.append(Quote(start, start + len(words), KEY, kind, sentence_start, sentence_end))
    enrichment = Enrichment(mentions, (), tuple(events), roles, tuple(quotes))
    store.set_enrichment(article.fingerprint, enrichment)


@pytest.fixture
def store() -> Store:
    store = Store()
    add(
        store,
        "jan.txt",
        "2025-01-10",
        "Песков о переговорах",
        "Дмитрий Песков заявил 10 января, что переговоры идут.",
        {"10 января": "2025-01-10"},
    )
    add(store, "mar.txt", "2025-03-04", HOSTILE_TITLE, "Песков [/] был там 3 марта.", {"3 марта": "2025-03-03"})
    add(store, "feb.txt", "2025-02-01", "Кремль ответил", "Ответ пришёл 1 февраля.", {"1 февраля": "2025-02-01"})
    return store  # feb.txt names nobody, so it is in neither list


class PanelApp(App):
    """Opens the panel over an empty screen and records how it was dismissed."""

    CSS_PATH = [UI / "app.tcss", UI / "widgets" / "virtual_list.tcss", UI / "screens" / "entity_panel.tcss"]

    def __init__(self, store: Store, key: str = KEY) -> None:
        super().__init__()
        self.store, self.key = store, key
        self.results: list = []
        self.analysed: Signal[None] = Signal(self, "analysed")  # as the main screen publishes corpus_updated

    def on_mount(self) -> None:
        self.push_screen(EntityPanel(self.store, self.key, self.analysed), self.results.append)


def text_of(app: App, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).visual)


def row_text(app: App, widget: type, row: int) -> str:
    return app.screen.query_one(widget).render_line(row).text


async def test_header_and_lists(store):
    add(store, "apr.txt", "2025-04-01", "Песков снова", "Песков и Песков.")
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)):
        assert text_of(app, "#entity-name") == "Дмитрий Песков"
        assert text_of(app, "#entity-facts") == "person · 7 mentions in 3 articles"
        assert app.screen.query_one("#entity-facts", Static).visual.spans[0].style == "bold $text-warning"
        articles = app.screen.query_one(EntityArticles).items
        assert [article.id for article in articles] == ["apr.txt", "mar.txt", "jan.txt"]
        assert [item.event.value for item in app.screen.query_one(EntityTimeline).items] == ["2025-01-10", "2025-03-03"]
        assert row_text(app, EntityArticles, 2).startswith(" 2025-01-10  Песков о переговорах")


async def test_enter_on_an_article_opens_it(store):
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "enter")
        assert app.results == [OpenArticle("jan.txt")]


async def test_enter_on_an_event_opens_its_article_at_the_event(store):
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(EntityTimeline)
        await pilot.press("G", "enter")
        event = store.enrichment("mar.txt").events[0]
        assert app.results == [OpenArticle("mar.txt", event)]


@pytest.mark.parametrize("key, result", [("f", FilterByEntity(KEY)), ("escape", None), ("q", None)])
async def test_filter_and_close_keys(store, key, result):
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(key)
        assert app.results == [result]
        assert not isinstance(app.screen, EntityPanel)


async def test_unknown_key_says_not_analysed(store):
    app = PanelApp(store, "ORG:газпром")
    async with app.run_test(size=(100, 30)) as pilot:
        assert text_of(app, "#entity-name") == "газпром"
        assert text_of(app, "#entity-facts") == "organisation · not analysed yet"
        await pilot.press("enter", "tab", "enter")
        assert app.results == [] and isinstance(app.screen, EntityPanel)


async def test_hostile_text_shows_literally_and_a_click_opens(store):
    app = PanelApp(store)
    async with app.run_test(size=(160, 30)) as pilot:
        assert HOSTILE_TITLE in row_text(app, EntityArticles, 0)
        assert "Песков [/] был там 3 марта." in row_text(app, EntityTimeline, 1)
        await pilot.click(EntityArticles, offset=(20, 1))
        assert app.results == [OpenArticle("mar.txt")] and app.is_running


async def test_the_update_signal_picks_up_a_new_article(store):
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        panel = app.screen
        articles = panel.query_one(EntityArticles)
        shown = articles.items
        app.analysed.publish(None)
        await pilot.pause()
        assert articles.items is shown, "nothing analysed since: the store is not scanned again"
        await pilot.press("j")  # on jan.txt, which must stay under the cursor as may.txt lands above it
        add(store, "may.txt", "2025-05-09", "Песков в мае", "Песков выступил 9 мая.", {"9 мая": "2025-05-09"})
        app.analysed.publish(None)
        await pilot.pause()
        assert text_of(app, "#entity-facts") == "person · 6 mentions in 3 articles"
        assert [article.id for article in articles.items] == ["may.txt", "mar.txt", "jan.txt"] and articles.cursor == 2
        assert panel.query_one(EntityTimeline).items[-1].article_id == "may.txt"


async def test_lists_stack_when_narrow(store):
    app = PanelApp(store)
    async with app.run_test(size=(60, 30)):
        articles, timeline = app.screen.query_one(EntityArticles), app.screen.query_one(EntityTimeline)
        assert timeline.region.y > articles.region.y and timeline.region.x == articles.region.x


def test_snapshot(snap_compare, store):
    assert snap_compare(PanelApp(store), terminal_size=(100, 30))


@pytest.fixture
def quoted(store) -> Store:
    """Two articles quoting Песков, one of them with his title and a quote full of markup."""
    add(
        store,
        "apr.txt",
        "2025-04-02",
        "Песков ответил",
        "Ответил пресс-секретарь Кремля Дмитрий Песков. «Мы [b]готовы[/] к диалогу», — сказал Песков.",
        said=("Мы [b]готовы[/] к диалогу",),
    )
    add(
        store,
        "may.txt",
        "2025-05-09",
        "Песков о параде",
        "Песков заявил, что парад пройдет по плану.",
        said=("парад пройдет по плану",),
    )
    return store


async def test_roles_are_shown_under_the_counts(quoted):
    app = PanelApp(quoted)
    async with app.run_test(size=(100, 30)):
        assert text_of(app, "#entity-facts") == "person · 9 mentions in 4 articles\nroles: пресс-секретарь Кремля"


async def test_quotes_list_what_the_person_said_newest_first_and_literally(quoted):
    app = PanelApp(quoted)
    async with app.run_test(size=(100, 30)):
        quotes = app.screen.query_one(EntityQuotes)
        assert quotes.display and quotes.row_count == 2
        assert row_text(app, EntityQuotes, 0).startswith(" 2025-05-09  парад пройдет по плану")
        assert row_text(app, EntityQuotes, 1).startswith(" 2025-04-02  «Мы [b]готовы[/] к диалогу»")


async def test_a_long_quote_is_cut_to_its_row(quoted):
    long_words = "Мы готовы " + "очень " * 60 + "долго ждать"
    add(quoted, "jun.txt", "2025-06-01", "Песков долго", f"«{long_words}», — сказал Песков.", said=(long_words,))
    app = PanelApp(quoted)
    async with app.run_test(size=(100, 30)):
        row = row_text(app, EntityQuotes, 0).rstrip()
        assert row.startswith(" 2025-06-01  «Мы готовы очень") and row.endswith("…")


async def test_enter_on_a_quote_opens_its_article_at_the_quote(quoted):
    app = PanelApp(quoted)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "tab")
        assert app.focused is app.screen.query_one(EntityQuotes)
        await pilot.press("j", "enter")
        [quote] = quoted.enrichment("apr.txt").quotes
        assert app.results == [OpenArticle("apr.txt", quote)]


async def test_no_quotes_no_quotes_list_and_no_roles_line(store):
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.screen.query_one(EntityQuotes).display
        assert "roles" not in text_of(app, "#entity-facts")
        await pilot.press("tab", "tab")
        assert app.focused is app.screen.query_one(EntityArticles), "the hidden list is no tab stop"


def test_snapshot_with_roles_and_quotes(snap_compare, quoted):
    assert snap_compare(PanelApp(quoted), terminal_size=(100, 30))

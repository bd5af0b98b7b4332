"""The mention chart of the entity panel: bars per month from the store's dates and counts, in theme colours."""

import threading

from newsreader.store.corpus import Store
from newsreader.ui.screens import entity_panel
from newsreader.ui.widgets.mention_chart import MentionChart
from test_entity_panel import KEY, PanelApp, add


def chart_store() -> Store:
    """Песков: once in January 2025, twice in March, four times in June; never in February, April or May."""
    store = Store()
    add(store, "jan.txt", "2025-01-10", "Заявление", "Дмитрий Песков заявил.")
    add(store, "mar.txt", "2025-03-04", "Ответ", "Песков ответил, Песков уточнил.")
    add(store, "jun.txt", "2025-06-04", "Итоги", "Песков, Песков, Песков и Песков.")
    return store


async def test_one_bar_a_month_quiet_months_empty_and_the_peak_named():
    app = PanelApp(chart_store())
    async with app.run_test(size=(100, 30)):
        chart = app.screen.query_one(MentionChart)
        text = chart.render()
        *bars, axis = text.plain.split("\n")
        assert [row[::4] for row in bars] == ["     █", "  ▄  █", "▆ █  █"], "1, 0, 2, 0, 0, 4 mentions"
        assert axis.startswith("2025-01") and "2025-06   peak 4 mentions in 2025-06 · a bar is a month" in axis


async def test_years_of_months_are_grouped_to_fit_the_width():
    store = chart_store()
    add(store, "old.txt", "2015-06-01", "Давно", "Песков тогда.")
    app = PanelApp(store)
    async with app.run_test(size=(60, 30)):
        chart = app.screen.query_one(MentionChart)
        *bars, axis = chart.render().plain.split("\n")
        width = chart.content_region.width
        assert width // 2 < len(bars[0]) <= width, "121 months in a few months a bar"
        assert bars[2][0] == "▆" and bars[0][-1] == "█" and axis.startswith("2015-06") and "2025-06" in axis
        assert axis.startswith("2015-06 – 2025-06   peak 4 mentions in 2025-"), "too wide for both: the span, short"


async def test_no_dated_mention_no_chart():
    store = Store()
    add(store, "jan.txt", "2025-01-10", "Заявление", "Дмитрий Песков заявил.")
    app = PanelApp(store, "ORG:газпром")
    async with app.run_test(size=(100, 30)):
        assert not app.screen.query_one(MentionChart).display


async def test_bars_take_the_theme_colour_of_their_component_class():
    app = PanelApp(chart_store())
    async with app.run_test(size=(100, 30)) as pilot:
        chart = app.screen.query_one(MentionChart)
        dark = chart.render().spans[0].style
        assert dark.color == chart.get_component_rich_style("mention-chart--bar").color
        app.theme = "nord"
        await pilot.pause()
        nord = chart.render().spans[0].style
        assert nord.color != dark.color and nord.color == chart.get_component_rich_style("mention-chart--bar").color


def test_snapshot(snap_compare):
    assert snap_compare(PanelApp(chart_store(), KEY), terminal_size=(100, 30))


async def test_an_entity_in_many_articles_is_charted_off_the_ui_thread(monkeypatch):
    monkeypatch.setattr(entity_panel, "CHART_INLINE_ARTICLES", 2)  # three articles: "many"
    store = chart_store()
    counted_on = []
    counted = store.mentions_by_month

    def counting(key):
        counted_on.append(threading.current_thread())
        return counted(key)

    monkeypatch.setattr(store, "mentions_by_month", counting)
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        *bars, _ = app.screen.query_one(MentionChart).render().plain.split("\n")
        assert [row[::4] for row in bars] == ["     █", "  ▄  █", "▆ █  █"]
        assert counted_on and threading.main_thread() not in counted_on


async def test_a_chart_that_cannot_be_counted_is_reported(monkeypatch):
    monkeypatch.setattr(entity_panel, "CHART_INLINE_ARTICLES", 2)
    store = chart_store()

    def broken(key):
        raise KeyError("gone")

    monkeypatch.setattr(store, "mentions_by_month", broken)
    app = PanelApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("mentions by month: KeyError" in note.message for note in app._notifications)
        assert not app.screen.query_one(MentionChart).display

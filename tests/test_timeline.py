"""The timeline pane: bucketing arithmetic, keys, zoom, the event list, mouse, on a short screen, snapshots."""

import datetime
from pathlib import Path

import numpy as np
import pytest
from rich.cells import cell_len
from rich.style import Style
from textual.app import App
from textual.content import Content
from textual.events import MouseScrollDown, MouseScrollUp

from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.events import Event
from newsreader.store.corpus import Store
from newsreader.ui.timeline import axis as ta
from newsreader.ui.timeline import buckets as tb
from newsreader.ui.timeline import widget as timeline_module
from newsreader.ui.timeline.widget import DensityStrip, EventList, Timeline
from newsreader.ui.widgets.sentence_row import sentence_segments

D = datetime.date
DAY = datetime.timedelta(days=1)
TIMELINE_CSS = Path(timeline_module.__file__).with_name("timeline.tcss")
HOSTILE_TITLE = "Бюджет [/] утверждён [b]"
HOSTILE_SENTENCE = "В июле 2025 года [@click=app.quit] депутаты приняли бюджет."


def add_article(store: Store, article_id: str, title: str, sentence: str, expression: str, value: str) -> None:
    """An article whose one event is `expression` (resolved to `value`) inside `sentence`."""
    article, _ = parse(Document(article_id, f"{article_id}.txt", f"date 2025-11-20\n{title}\n\n{sentence}\n", "utf-8"))
    store.add(article)
    sentence_start = article.text.index(sentence)
    start = article.text.index(expression, sentence_start)
    event = Event(value, "day", start, start + len(expression), sentence_start, sentence_start + len(sentence), ())
    store.set_enrichment(article.fingerprint, Enrichment(entities=(), dates=(), events=(event,)))


@pytest.fixture
def store() -> Store:
    """Events in 2019 (a whole year), late June to early July, July, 25 October and week 46 of 2025."""
    store = Store()
    add_article(store, "year", "Как всё начиналось", "В 2019 году всё началось.", "В 2019 году", "2019")
    heat, heat_dates = "С 30 июня по 1 июля", "2025-06-30/2025-07-01"
    add_article(store, "heat", "Жара", f"{heat} стояла жара.", heat, heat_dates)
    add_article(store, "budget", HOSTILE_TITLE, HOSTILE_SENTENCE, "В июле 2025 года", "2025-07")
    add_article(store, "summit", "Саммит в Москве", "Встреча пройдёт 25 октября в Кремле.", "25 октября", "2025-10-25")
    add_article(store, "vote", "Выборы", "На 46-й неделе пройдут выборы.", "46-й неделе", "2025-W46")
    return store


class TimelineApp(App):
    """Only the timeline, filling the screen, showing every event of `store`."""

    CSS_PATH = [TIMELINE_CSS]
    CSS = "Timeline { height: 1fr; }"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.chosen: list[Timeline.EventChosen] = []

    def compose(self):
        yield Timeline(self.store, id="timeline")

    def on_mount(self) -> None:
        self.query_one(Timeline).show(self.store.events(), "all articles")
        self.query_one(Timeline).focus()

    def on_timeline_event_chosen(self, message: Timeline.EventChosen) -> None:
        self.chosen.append(message)


@pytest.fixture
async def running(store):
    """The timeline app on `store`, started, with its pilot and its Timeline."""
    app = TimelineApp(store)
    async with app.run_test(size=(120, 14)) as pilot:
        yield app, pilot, app.query_one(Timeline)


def ordinals(*days: D) -> np.ndarray:
    return np.array([day.toordinal() for day in days], dtype=np.int64)


def lines(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


def plain(markup: str) -> str:
    """A border title as shown; Textual hands titles back as escaped markup."""
    return Content.from_markup(markup).plain


def month(bucket: int) -> str:
    return ta.bucket_name("month", bucket)


@pytest.mark.parametrize(
    ("zoom", "name", "first", "last"),
    [
        ("day", "2024-02-29", D(2024, 2, 29), D(2024, 2, 29)),
        ("week", "2024-W09", D(2024, 2, 26), D(2024, 3, 3)),  # weeks start on Monday
        ("month", "2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("year", "2024", D(2024, 1, 1), D(2024, 12, 31)),
    ],
)
def test_a_day_and_its_bucket(zoom, name, first, last):
    bucket = ta.bucket_of(zoom, D(2024, 2, 29))
    assert ta.bucket_name(zoom, bucket) == name
    assert (tb.bucket_start(zoom, bucket), tb.bucket_end(zoom, bucket)) == (first, last)
    days = [D(1, 1, 1), D(1999, 12, 31), D(2024, 2, 29), D(2025, 1, 5), D(2025, 1, 6), D(9999, 12, 31)]
    assert tb.buckets_of(zoom, ordinals(*days)).tolist() == [ta.bucket_of(zoom, day) for day in days]
    assert tb.bucket_end(zoom, ta.bucket_of(zoom, D.max)) == D.max


@pytest.mark.parametrize(
    ("zoom", "expected"),
    [
        ("day", {"2025-06-30": 1, "2025-07-01": 2, "2025-07-02": 1, "2025-07-31": 1, "2025-10-25": 1}),
        ("week", {"2025-W27": 2, "2025-W31": 1, "2025-W43": 1}),
        ("month", {"2025-06": 1, "2025-07": 2, "2025-10": 1}),
        ("year", {"2025": 3}),
    ],
)
def test_counts_per_bucket_spread_intervals_over_every_bucket_they_touch(zoom, expected):
    firsts = ordinals(D(2025, 6, 30), D(2025, 7, 1), D(2025, 10, 25))
    lasts = ordinals(D(2025, 7, 1), D(2025, 7, 31), D(2025, 10, 25))
    buckets = tb.Buckets.build(zoom, firsts, lasts)
    for name, count in expected.items():
        assert buckets.count(next(b for b in buckets.nonempty if ta.bucket_name(zoom, b) == name)) == count
    assert int(buckets.counts.sum()) == {"day": 34, "week": 7, "month": 4, "year": 3}[zoom]
    assert buckets.count(ta.bucket_of(zoom, D(2024, 1, 1))) == 0


def test_a_long_interval_is_capped_and_an_empty_timeline_has_no_buckets():
    decade = tb.Buckets.build("day", ordinals(D(2010, 1, 1)), ordinals(D(2019, 12, 31)))
    assert len(decade.nonempty) == tb.MAX_SPAN_BUCKETS
    empty = tb.Buckets.build("month", ordinals(), ordinals())
    assert empty.peak == 0 and empty.densest() is None and empty.next_nonempty(0) is None
    assert len(empty.events_in(24_000, ordinals(), ordinals())) == 0


def test_a_buckets_own_events_come_before_those_reaching_past_it():
    year, quarter = (D(2019, 1, 1), D(2019, 12, 31)), (D(2019, 1, 1), D(2019, 3, 31))
    day, week, later_day = (D(2019, 3, 8), D(2019, 3, 8)), (D(2019, 3, 4), D(2019, 3, 10)), (D(2019, 3, 20),) * 2
    spans = [year, later_day, quarter, day, week]
    firsts, lasts = ordinals(*(span[0] for span in spans)), ordinals(*(span[1] for span in spans))
    buckets = tb.Buckets.build("month", firsts, lasts)
    march = ta.bucket_of("month", D(2019, 3, 1))
    assert buckets.events_in(march, firsts, lasts).tolist() == [4, 3, 1, 2, 0], "March's own by day, then wider"


def test_jumps_skip_empty_buckets_and_zooming_lands_inside_the_old_bucket():
    days = ordinals(D(2025, 1, 5), D(2025, 4, 5))
    buckets = tb.Buckets.build("month", days, days)
    january, april = ta.bucket_of("month", D(2025, 1, 1)), ta.bucket_of("month", D(2025, 4, 1))
    assert buckets.jump(january, "next") == april and buckets.jump(april, "previous") == january
    assert buckets.jump(april, "next") is None and buckets.jump(january, "previous") is None
    assert buckets.jump(april, "first") == january and buckets.jump(january, "last") == april
    assert buckets.nearest_nonempty(january + 2) == april and buckets.nearest_nonempty(january + 1) == january
    assert buckets.events_in(april, days, days).tolist() == [1]
    days = tb.Buckets.build("day", ordinals(D(2025, 4, 5)), ordinals(D(2025, 4, 5)))
    assert days.landing("month", D(2025, 4, 1)) == D(2025, 4, 5).toordinal()
    assert ta.clamp_day("day", D(2025, 4, 5).toordinal(), D(2025, 4, 1)) == D(2025, 4, 5)
    assert ta.clamp_day("month", april, D(2025, 4, 20)) == D(2025, 4, 20)
    assert ta.clamp_day("month", april, None) == D(2025, 4, 1)


@pytest.mark.parametrize("zoom", ta.ZOOMS)
@pytest.mark.parametrize("cell_width", [1, 2, 3, 6])
def test_axis_labels_never_touch_and_are_never_cut(zoom, cell_width):
    first, count = ta.bucket_of(zoom, D(2023, 5, 17)), 40
    labels = ta.axis_labels(zoom, first, count, cell_width)
    assert labels
    for (column, label), (next_column, _) in zip(labels, labels[1:], strict=False):
        assert column + len(label) < next_column
    assert all(column + len(label) <= count * cell_width for column, label in labels)


def test_bars_show_quiet_buckets_and_set_the_cursor_apart():
    days = ordinals(D(2025, 1, 1), *[D(2025, 1, 3)] * 10_000)
    levels = tb.Buckets.build("day", days, days).bar_levels(D(2025, 1, 1).toordinal(), 3, rows=3)
    assert levels[1] == 0 and levels[0] >= 1 and levels[2] == 24
    assert [ta.bar_text(4, row, 3) for row in range(3)] == [" ", " ", "▄"]
    assert ta.bar_row([8, 24, 0], 2, 3, 1, cursor=1) == ("█", "█", " ")
    assert ta.bar_row([8, 24], 0, 3, 3, cursor=None) == ("   ██ ", "", "")  # wide buckets keep a gap


def sentence_row(sentence: str, expression: str, room: int, **fit) -> list[str]:
    """The texts of the (before, date, after) segments of `sentence` fitted to `room`, the date underlined."""
    start = sentence.index(expression)
    event = Event("2025-10-25", "day", start, start + len(expression), 0, len(sentence), ())
    before, date, after = sentence_segments(sentence, event, room, Style(underline=True), **fit)
    assert date.style.underline and not before.style and not after.style
    return [before.text, date.text, after.text]


def test_the_view_follows_a_cursor_that_strays():
    assert ta.follow(100, 110, visible=40) == 100
    assert ta.follow(100, 139, visible=40) == 119
    assert ta.follow(100, 20, visible=40) == 0


def test_sentences_are_cut_around_the_date_as_each_pane_keeps_context():
    sentence = "Очень " * 40 + "всё решится 25 октября, и " + "потом " * 20
    before, date, after = sentence_row(sentence, "25 октября", 50, context_before=50 // 4)  # the timeline
    assert (before, date) == ("…" + sentence[: sentence.index("25")][-12:], "25 октября")
    assert len(before + date + after) == 50 and after.endswith("…")
    before, date, after = sentence_row(sentence, "25 октября", 50, context_after=50 // 3, mark_cut_end=False)  # panel
    assert len(before + date) + 16 == 50 and before.startswith("…") and date == "25 октября"
    assert len(after) > 16 and sentence.index(after) and "…" not in after, "the row crops the end, unmarked"
    assert sentence_row("Коротко 5 мая.", "5 мая", 50) == ["Коротко ", "5 мая", "."]
    wide = sentence_row("中文" * 30 + " 5 мая " + "中文" * 30, "5 мая", 20, context_before=5)
    assert cell_len("".join(wide)) == 20 and wide[1] == "5 мая", "measured in cells"


async def test_cursor_starts_on_the_busiest_bucket_and_jumps_over_empty_ones(running):
    app, pilot, timeline = running
    visited = [month(timeline.cursor_bucket)]
    for key in ["right", "l", "l", "left", "h", "h", "h", "home", "end"]:
        await pilot.press(key)
        visited.append(month(timeline.cursor_bucket))
    assert visited == [
        "2025-07",
        "2025-10",
        "2025-11",
        "2025-11",
        "2025-10",
        "2025-07",
        "2025-06",
        "2019-12",
        "2019-01",
        "2025-11",
    ]
    assert plain(timeline.border_subtitle) == "2025-11 · 1 event"


async def test_zooming_keeps_the_date(running):
    app, pilot, timeline = running
    await pilot.press("right")
    visited = []
    for key in ["plus", "equals_sign", "plus", "minus", "minus", "minus", "plus"]:
        await pilot.press(key)
        visited.append((timeline.zoom, ta.bucket_name(timeline.zoom, timeline.cursor_bucket)))
    assert visited == [
        ("week", "2025-W43"),
        ("day", "2025-10-25"),
        ("day", "2025-10-25"),
        ("week", "2025-W43"),
        ("month", "2025-10"),
        ("year", "2025"),
        ("month", "2025-10"),
    ]
    assert plain(timeline.border_title) == "Timeline · all articles · month"


async def test_the_list_shows_the_events_of_the_bucket_and_enter_chooses_one(running):
    app, pilot, timeline = running
    event_list = app.query_one(EventList)
    rows = [line for line in lines(event_list) if line.strip()]
    assert len(rows) == 2
    assert f"2025-07     {HOSTILE_TITLE} — {HOSTILE_SENTENCE}" in rows[0], "July's own event first"
    assert "2025-06-30/2025-07-01  Жара — С 30 июня по 1 июля стояла жара." in rows[1], "then one reaching past it"
    segments = list(event_list.render_line(0))
    [date] = [segment for segment in segments if segment.text == "В июле 2025 года"]  # styled by its offsets
    assert date.style.underline and not segments[-1].style.underline
    await pilot.press("j", "enter")
    await pilot.click(EventList, offset=(5, 0))  # the literal "[@click=app.quit]" above must not quit
    assert app.is_running and [chosen.article_id for chosen in app.chosen] == ["heat", "budget"]
    assert app.chosen[1].event == app.store.enrichment("budget").events[0]


async def test_a_click_selects_a_bucket_and_the_wheel_pans(running):
    app, pilot, timeline = running
    strip = app.query_one(DensityStrip)
    origin = ta.bucket_of("month", D(2019, 1, 1))  # 83 months fit, one cell each
    await pilot.click(DensityStrip, offset=(ta.bucket_of("month", D(2025, 11, 1)) - origin, 1))
    assert month(timeline.cursor_bucket) == "2025-11"
    await pilot.click(DensityStrip, offset=(ta.bucket_of("month", D(2025, 9, 1)) - origin, 1))
    assert month(timeline.cursor_bucket) == "2025-10"  # an empty bucket: the nearest busy one
    await pilot.press("plus", "plus")
    cursor, axis = timeline.cursor_day, lines(strip)[-1]
    strip.post_message(MouseScrollUp(strip, 1, 1, 0, -1, 0, False, False, False))
    await pilot.pause()
    assert lines(strip)[-1] != axis and timeline.cursor_day == cursor
    strip.post_message(MouseScrollDown(strip, 1, 1, 0, 1, 0, False, False, False))
    await pilot.pause()
    assert lines(strip)[-1] == axis


async def test_new_events_keep_the_cursor_on_its_date(running):
    app, pilot, timeline = running
    await pilot.press("right")
    add_article(app.store, "august", "Август", "Было это 5 августа.", "5 августа", "2025-08-05")
    timeline.show(app.store.events(), "all articles")
    assert month(timeline.cursor_bucket) == "2025-10"
    hostile_scope = "[b]Евгений[/b] [@click=app.quit]"
    timeline.show(app.store.article_events("august"), hostile_scope)
    assert month(timeline.cursor_bucket) == "2025-08"
    assert plain(timeline.border_title) == f"Timeline · {hostile_scope} · month"


@pytest.mark.parametrize("store", [Store()], ids=["empty"])
async def test_an_empty_timeline_says_why(running):
    app, pilot, timeline = running
    assert lines(app.query_one(DensityStrip))[0].strip() == "no events yet"
    timeline.show(Store().events(), "all articles", analysing=True)
    await pilot.pause()
    assert lines(app.query_one(DensityStrip))[0].strip() == "analysing…"
    await pilot.press("right", "plus", "enter", "end")
    assert app.chosen == [] and timeline.cursor_day is None


async def test_the_event_cursor_shows_focus_only_while_the_timeline_has_it(running):
    app, pilot, timeline = running
    events = app.query_one(EventList)
    assert events.has_class("-focused")
    timeline.blur()
    await pilot.pause()
    assert not events.has_class("-focused")
    timeline.focus()
    await pilot.pause()
    assert events.has_class("-focused")


class ShortScreenApp(TimelineApp):
    """The timeline under the main screen's breakpoints: a screen under 30 rows has the class -short."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]


async def test_a_short_screen_shows_one_line_of_bars(store):
    app = ShortScreenApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        timeline = app.query_one(Timeline)
        assert timeline.region.height == 40 and app.query_one(EventList).display
        await pilot.resize_terminal(120, 14)
        await pilot.pause()
        assert app.screen.has_class("-short")
        assert timeline.region.height == 1 and not app.query_one(EventList).display
        [strip_line] = lines(app.query_one(DensityStrip))
        assert set(strip_line) - {" "} <= set("▁▂▃▄▅▆▇█") and strip_line.strip()
        await pilot.press("right", "enter")
        assert app.chosen[0].article_id == "summit"


@pytest.mark.parametrize("zoom", ta.ZOOMS)
def test_counting_new_events_only_gives_the_counts_of_counting_them_all(zoom):
    rng = np.random.default_rng(7)
    firsts = rng.integers(D(2015, 1, 1).toordinal(), D(2025, 1, 1).toordinal(), 5_000)
    lasts = firsts + rng.integers(0, 90, len(firsts)) * (rng.random(len(firsts)) < 0.2)
    grown = tb.Buckets.build(zoom, firsts[:10], lasts[:10])
    for start, stop in [(10, 11), (11, 2_000), (2_000, 2_000), (2_000, 5_000)]:
        grown = grown.extend(firsts[start:stop], lasts[start:stop])
    whole = tb.Buckets.build(zoom, firsts, lasts)
    assert (grown.origin, grown.peak, grown.counts.tolist()) == (whole.origin, whole.peak, whole.counts.tolist())
    assert grown.nonempty.tolist() == whole.nonempty.tolist() and grown.firsts.tolist() == whole.firsts.tolist()


async def test_a_growing_archive_updates_the_timeline_in_place(running):
    app, pilot, timeline = running
    before = timeline.buckets
    add_article(app.store, "august", "Август", "Было это 5 августа.", "5 августа", "2025-08-05")
    timeline.show(app.store.events(), "all articles")
    assert timeline.buckets.count(ta.bucket_of("month", D(2025, 8, 1))) == 1
    assert timeline.buckets.counts.sum() == before.counts.sum() + 1
    assert len(timeline.buckets.firsts) == len(app.store.events()) == 6


@pytest.mark.parametrize("keys", [["right"], ["plus", "plus"], ["minus"]], ids=["month", "day", "year"])
def test_snapshot(snap_compare, store, keys):
    assert snap_compare(TimelineApp(store), terminal_size=(120, 12), press=keys)


async def go_to(pilot, typed: str) -> None:
    """`d`, the text typed into the prompt, Enter; then wait for the date to be read."""
    await pilot.press("d")
    await pilot.press(*typed)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def notes(app) -> list[str]:
    return [notification.message for notification in app._notifications]


@pytest.mark.parametrize(
    ("typed", "zoom", "bucket"),
    [
        ("25 октября 2025", "day", "2025-10-25"),
        ("2025-10-25", "day", "2025-10-25"),
        ("2025-W46", "week", "2025-W46"),
        ("март 2019", "month", "2019-03"),
        ("с 1 по 3 июля 2025", "week", "2025-W27"),
        ("2025", "year", "2025"),
        ("October 2025", "month", "2025-10"),
    ],
)
async def test_go_to_a_typed_date(running, typed, zoom, bucket):
    app, pilot, timeline = running
    await go_to(pilot, typed)
    assert (timeline.zoom, ta.bucket_name(timeline.zoom, timeline.cursor_bucket)) == (zoom, bucket)
    assert timeline.has_focus and not notes(app)


async def test_go_to_a_period_without_events_stands_on_the_nearest(running):
    app, pilot, timeline = running
    await go_to(pilot, "2023")
    assert ta.bucket_name(timeline.zoom, timeline.cursor_bucket) == "2025"
    assert notes(app) == ["No events in that period: the nearest are shown"]


async def test_go_to_words_that_are_no_date_says_so_and_stays(running):
    app, pilot, timeline = running
    before = timeline.cursor_day
    await go_to(pilot, "[b]никогда[/b]")
    assert timeline.cursor_day == before and app.is_running
    assert notes(app) == ["Not a date or a period: [b]никогда[/b]"]
    await pilot.press("d", "2", "0", "1", "9", "escape")
    assert timeline.cursor_day == before and app.screen is app.screen_stack[0]

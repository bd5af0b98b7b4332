""" "Also reported by" makes its options a few at a time: a story reprinted by hundreds of outlets made all of them
at every step to one of its articles (140-230 ms on the UI thread, in the frame the open article waited for)."""

from textual.app import App, ComposeResult

from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.ui.widgets.story_reports import REPORTS_AT_ONCE, StoryReports


def report(index: int):
    name = f"outlet{index}.ru/report.txt"
    return parse(Document(name, name, f"date 2024-05-01\nЗаголовок {index}\n\nТекст.", "utf-8"))[0]


class ReportsApp(App):
    def compose(self) -> ComposeResult:
        yield StoryReports()


REPORTS = [report(index) for index in range(3 * REPORTS_AT_ONCE + 5)]


async def showing(app: App, pilot, reports: list) -> StoryReports:
    widget = app.query_one(StoryReports)
    widget.show_reports(reports, archive_has_stories=True)
    await pilot.pause()
    return widget


async def test_a_long_story_makes_its_first_options_only_and_more_as_the_highlight_nears_their_end():
    app = ReportsApp()
    async with app.run_test(size=(80, 10)) as pilot:
        reports = await showing(app, pilot, REPORTS)
        assert reports.option_count == REPORTS_AT_ONCE
        assert reports.border_title == f"Also reported by {len(REPORTS)}", "the count is of them all"
        reports.focus()
        reports.highlighted = REPORTS_AT_ONCE - 2
        await pilot.pause()
        assert reports.option_count == 2 * REPORTS_AT_ONCE
        await pilot.press("end")
        assert reports.option_count == len(REPORTS)
        assert reports.highlighted == len(REPORTS) - 1
        assert reports.get_option_at_index(len(REPORTS) - 1).prompt.plain.startswith(f"outlet{len(REPORTS) - 1}.ru")


async def test_scrolling_to_the_end_of_the_options_made_makes_more():
    app = ReportsApp()
    async with app.run_test(size=(80, 10)) as pilot:
        reports = await showing(app, pilot, REPORTS)
        reports.scroll_to(y=REPORTS_AT_ONCE, animate=False, immediate=True)
        await pilot.pause()
        assert reports.option_count == 2 * REPORTS_AT_ONCE


async def test_a_short_story_makes_every_option_at_once_in_the_order_given():
    app = ReportsApp()
    async with app.run_test(size=(80, 10)) as pilot:
        reports = await showing(app, pilot, REPORTS[:3])
        assert [reports.get_option_at_index(i).prompt.plain.split(" · ")[0] for i in range(3)] == [
            "outlet0.ru",
            "outlet1.ru",
            "outlet2.ru",
        ]

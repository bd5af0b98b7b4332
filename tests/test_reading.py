"""Pilot tests of the reading experience: read marks, unread keys, entities, filter, help, keymap, palette, state,
huge articles."""

import pytest
from textual.binding import Binding
from textual.command import CommandList
from textual.content import Content
from textual.widgets import Static

from conftest import SEED_FILE, article_bytes, shown_text, wrapped_lines
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.enrich import Enrichment, enrich
from newsreader.nlp.entities import EntityMention, EntityRecognizer
from newsreader.nlp.roles import RoleMention
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.messages import Enriched
from newsreader.ui.screens.entity_panel import EntityPanel, EntityQuotes
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.timeline.widget import Timeline
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.wrapping import iter_lines
from newsreader.userdata.keymap import keymap_path
from newsreader.userdata.state import ReadingState, default_state_path


@pytest.fixture(scope="module")
def seed_enrichment():
    [seed] = [item for item in iter_articles([SEED_FILE]) if isinstance(item, Article)]
    return seed, enrich(EntityRecognizer(), seed.text, seed.date)


@pytest.fixture
def archive(tmp_path, seed_enrichment):
    """The seed plus three plain articles, newest first: seed (2025-11-21), c, b, a."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    for name, date, title in [
        ("a.txt", "2025-01-01", "Январская"),
        ("b.txt", "2025-02-01", "Февральская"),
        ("c.txt", "2025-03-01", "Мартовская"),
    ]:
        (folder / name).write_bytes(article_bytes(title, header=f"date {date}"))
    return folder


async def start(app, pilot, seed_enrichment=None):
    await app.workers.wait_for_complete()
    await pilot.pause()
    if seed_enrichment is not None:
        seed, enrichment = seed_enrichment
        app.main.post_message(Enriched(seed, enrichment))
        await pilot.pause()
    return app.query_one(ArticleList), app.query_one(ReaderPane)


def enumerate_cells(strip):
    """(column, segment) for each segment of a rendered line."""
    column = 0
    for segment in strip:
        yield column, segment
        column += segment.cell_length


def row_text(article_list: ArticleList, index: int) -> str:
    return "".join(segment.text for segment in article_list.render_row(index, 80))


async def test_unread_marks_open_next_unread_toggle_and_undo(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader = await start(app, pilot)
        assert all(row_text(article_list, i).startswith("●") for i in range(4))
        await pilot.press("enter")
        assert app.focused is reader and not row_text(article_list, 0).startswith("●")
        await pilot.press("n")
        assert article_list.cursor == 1 and article_list.article.title == "Мартовская"
        await pilot.press("n", "n")
        assert article_list.cursor == 3
        await pilot.press("n")
        assert article_list.cursor == 3, "no more unread: stays"
        await pilot.press("N")
        assert row_text(article_list, 3).startswith("●")
        await pilot.press("k", "k", "n")
        assert article_list.cursor == 3, "next unread skips the read rows"
        article_list.cursor = 0
        await pilot.press("N")
        article_list.cursor = 3
        await pilot.press("p")
        assert article_list.cursor == 0, "previous unread skips the read rows"
        await pilot.press("A")
        assert not any(row_text(article_list, i).startswith("●") for i in range(4))
        await pilot.press("u")
        assert row_text(article_list, 3).startswith("●")


async def test_reverse_order_keeps_unknown_last(archive):
    (archive / "undated.txt").write_bytes(article_bytes("Без даты", header="нет заголовка"))
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _ = await start(app, pilot)
        await pilot.press("s")
        titles = [article_list.article_at(i).title for i in range(5)]
        assert titles[0] == "Январская" and titles[-1] == "нет заголовка"


async def test_entity_cursor_panel_and_filter(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader = await start(app, pilot, seed_enrichment)
        await pilot.press("enter", "right_square_bracket")
        assert reader.mention == 0
        await pilot.press("right_square_bracket", "left_square_bracket", "left_square_bracket")
        assert reader.mention == len(reader.visible_mentions()) - 1, "wraps around"
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        key = reader.visible_mentions()[reader.mention][3]
        await pilot.press("enter")
        assert isinstance(app.screen, EntityPanel)
        await pilot.press("f")
        assert not isinstance(app.screen, EntityPanel)
        assert app.main.reading.filter_keys == (app.store.canonical_key(key),)
        assert article_list.row_count == 1 and "Articles · " in article_list.border_title
        await pilot.press("escape")
        assert app.main.reading.filter_keys == () and article_list.row_count == 4


async def test_f_in_the_reader_filters_the_list_to_the_entity_and_escape_clears_it(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader = await start(app, pilot, seed_enrichment)
        january = next(article_list.article_at(i) for i in range(4) if article_list.article_at(i).title == "Январская")
        enrichment = enrich(EntityRecognizer(), january.text, january.date)  # mentions России
        app.main.post_message(Enriched(january, enrichment))
        await pilot.pause()
        await pilot.press("enter", "f")
        assert app.main.reading.filter_keys == () and article_list.row_count == 4, (
            "no entity under the cursor yet: nothing to filter"
        )
        for _ in reader.visible_mentions():
            await pilot.press("right_square_bracket")
            if reader.visible_mentions()[reader.mention][3] == "LOC:россия":
                break
        await pilot.press("f")
        assert app.main.reading.filter_keys == ("LOC:россия",)
        titles = {article_list.article_at(i).title for i in range(article_list.row_count)}
        assert titles == {reader.article.title, "Январская"}, "only the articles that mention it"
        assert app.focused is article_list and "Articles · " in article_list.border_title
        await pilot.press("escape")
        assert app.main.reading.filter_keys == () and article_list.row_count == 4


async def test_click_on_a_mention_opens_its_panel(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        _, reader = await start(app, pilot, seed_enrichment)
        await pilot.press("enter")
        title_line = reader.header_height
        cells = enumerate_cells(reader.render_line(title_line))
        column = next(x for x, segment in cells if segment.text.strip() == "МИД")
        border, padding = 1, 2
        await pilot.click(reader, offset=(border + padding + column, border + title_line))
        assert isinstance(app.screen, EntityPanel)
        await pilot.press("enter")
        assert not isinstance(app.screen, EntityPanel)
        assert app.query_one(ReaderPane).article.title.startswith("В МИД России")


async def test_highlight_toggles_and_legend(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        _, reader = await start(app, pilot, seed_enrichment)
        await pilot.press("enter")
        kinds = {kind for _, _, kind, _ in reader.visible_mentions()}
        assert kinds == {"PER", "ORG", "LOC", "DATE"}
        await pilot.press("1", "4")
        assert {kind for _, _, kind, _ in reader.visible_mentions()} == {"ORG", "LOC"}
        legend = reader.legend
        struck = {legend.plain[span.start : span.end] for span in legend.spans if "strike" in str(span.style)}
        assert struck == {"people", "dates"}
        await pilot.press("1")
        assert "PER" in {kind for _, _, kind, _ in reader.visible_mentions()}


async def test_help_lists_the_live_bindings_of_the_focused_pane(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await pilot.press("enter", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).visual)
        assert "Next entity" in text and "reader.next_mention" in text and "Quit" in text
        assert "Oldest/newest first" not in text, "list keys are not live in the reader"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_state_lasts_across_runs(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        article_list, reader = await start(app, pilot)
        await pilot.press("enter", "j", "j", "j", "j")
        scrolled = reader.scroll_y
        assert scrolled > 0
        await pilot.press("q")
    again = NewsreaderApp([str(archive)], enrich=False)
    async with again.run_test(size=(100, 30)) as pilot:
        article_list, reader = await start(again, pilot)
        await pilot.pause(0.2)
        assert article_list.article.title.startswith("В МИД России")
        assert not row_text(article_list, 0).startswith("●")
        assert row_text(article_list, 1).startswith("●")
        assert reader.scroll_y == scrolled


async def test_corrupt_state_file_is_set_aside_and_the_app_starts(archive):
    path = default_state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database" * 500)
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        article_list, _ = await start(app, pilot)
        assert article_list.row_count == 4
        assert any("reading state" == warning.path for warning in app.load_warnings)


def write_keymap(keys: str) -> None:
    """The user's keymap.toml, its [keys] table holding `keys`."""
    path = keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[keys]\n{keys}")


async def test_user_keymap_rebinds_and_bad_entries_warn(archive):
    write_keymap('"list.down" = "x"\n"app.quit" = "ctrl+q"\n"nonsense" = 5\n"list.dwon" = "z"\n')
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        article_list, _ = await start(app, pilot)
        await pilot.press("x")
        assert article_list.cursor == 1
        await pilot.press("q")
        assert app.is_running, "q was rebound away"
        assert any(warning.path == "keymap" for warning in app.load_warnings)
        assert any("list.dwon" in warning.reason for warning in app.load_warnings), "a mistyped id goes unreported"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0


async def test_palette_filters_by_entity(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _ = await start(app, pilot, seed_enrichment)
        await pilot.press("ctrl+p")
        await pilot.press(*"Filter by Евгений Белоусов")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.reading.filter_keys == ("PER:евгений белоусов",)
        assert article_list.row_count == 1
        assert "Clear the entity filter" in await palette_prompts(app, pilot, "Clear the entity")
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.reading.filter_keys == () and article_list.row_count > 1
        assert "Clear the entity filter" not in await palette_prompts(app, pilot, "Clear the entity"), "no filter"


async def palette_prompts(app, pilot, typed: str) -> set[str]:
    """What the command palette offers for `typed`, first lines only; the palette stays open."""
    await pilot.press("ctrl+p", *typed)
    await pilot.pause(0.5)
    return {option.prompt.plain.split("\n")[0] for option in app.screen.query_one(CommandList).options}


async def test_palette_hints_the_keys_bound_now(archive):
    write_keymap('"app.next_unread" = "x"\n"list.first" = "ctrl+home"\n')
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"article")
        await pilot.pause(0.5)
        hints = dict(option.prompt.plain.split("\n") for option in app.screen.query_one(CommandList).options)
        assert hints["Next unread article"] == "x", "the keymap's key, not n"
        assert hints["First article"] == app.get_key_display(Binding("ctrl+home", "")) + " in the list"


async def test_palette_ranks_entities_once_per_opening_not_per_keystroke(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot, seed_enrichment)
        ranked = []
        top_entities = app.store.top_entities
        app.store.top_entities = lambda count: ranked.append(count) or top_entities(count)
        await pilot.press("ctrl+p")
        await pilot.press(*"Filter by Белоусов")
        await pilot.pause(0.5)
        assert len(ranked) == 1, "ranked again for a keystroke"


async def test_timeline_event_opens_the_article_with_the_sentence_marked(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        _, reader = await start(app, pilot, seed_enrichment)
        app.main.reading.refresh_timeline()
        await pilot.pause()
        seed, enrichment = seed_enrichment
        seed_id = app.store.by_fingerprint(seed.fingerprint).id
        event = enrichment.events[1]
        app.main.post_message(Timeline.EventChosen(seed_id, event))
        await pilot.pause()
        assert reader.article.id == seed_id and app.focused is reader
        assert reader.mark == (event.sentence_start, event.sentence_end)
        await pilot.press("t")
        assert app.main.reading.timeline_scope == "article"


async def test_small_terminal_collapses_the_timeline(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(app, pilot)
        assert app.main.has_class("-short") and app.query_one(Timeline).region.height == 1


async def test_entity_name_with_markup_is_shown_literally_in_titles(archive):
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.entities import EntityMention

    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _ = await start(app, pilot)
        article = article_list.article
        name = "[@click=app.quit]Злодей[/]"
        entity = EntityMention(0, 3, "PER", article.text[:3], name, "PER:злодей")
        app.main.post_message(Enriched(article, Enrichment((entity,), (), ())))
        await pilot.pause()
        app.main.reading.filter_by_entity("PER:злодей")
        await pilot.pause()
        shown = Content.from_markup(article_list.border_title).plain  # what Textual draws from the stored title
        assert shown == f"Articles · {name}"
        await pilot.click(ArticleList, offset=(10, 0))
        await pilot.pause()
        assert app.is_running


# -- huge articles: wrapped lazily, the keys never wait -------------------------------------------

# 6 MB: wrapping it all takes far longer than the slice wrapped when it opens.
HUGE_BODY = "Слово за\u00a0словом, строка за строкой. " * 150_000


def made_article(title: str, body: str) -> Article:
    return Article(title, f"{title}.txt", None, title, 0, None, "utf-8", title, held_text=f"{title}\n\n{body}")


async def empty_app_reader(app, pilot) -> ReaderPane:
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.query_one(ReaderPane)


async def wrapped(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_huge_article_shows_its_first_screen_at_once_and_wraps_the_rest_in_the_background(tmp_path):
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await empty_app_reader(app, pilot)
        for body in (HUGE_BODY, "я" * 2_000_000):
            article = made_article("Огромная", body)
            reader.show(article)
            everything = list(iter_lines(article.text, reader.scrollable_content_region.width))
            first_screen = reader.scrollable_content_region.height
            assert first_screen <= len(wrapped_lines(reader)) < len(everything), "the first screen now, the rest later"
            assert "Огромная" in shown_text(reader)
            await wrapped(app, pilot)
            assert wrapped_lines(reader) == everything
            assert reader.virtual_size.height == reader.header_height + len(everything), "the scrollbar grew to the end"


async def test_keys_work_while_a_huge_article_wraps_and_the_end_waits_for_it(tmp_path):
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await empty_app_reader(app, pilot)
        reader.show(made_article("Огромная", HUGE_BODY))
        reader.focus()
        await pilot.press("j", "j", "space", "k")
        assert reader.scroll_y == 2 + reader.scrollable_content_region.height - 1
        await pilot.press("G")
        await wrapped(app, pilot)
        bottom = reader.virtual_size.height - reader.scrollable_content_region.height
        assert reader.scroll_y == reader.max_scroll_y == bottom


async def test_switching_articles_drops_the_stale_wrapping(tmp_path):
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await empty_app_reader(app, pilot)
        reader.show(made_article("Огромная", HUGE_BODY))
        small = made_article("Короткая", "Президент России провёл встречу с министрами в Москве.")
        reader.show(small)
        await wrapped(app, pilot)
        assert wrapped_lines(reader) == list(iter_lines(small.text, reader.scrollable_content_region.width))
        assert reader.virtual_size.height == reader.header_height + len(wrapped_lines(reader))


async def test_a_position_or_offset_beyond_the_wrapped_lines_is_reached_once_they_are(tmp_path):
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await empty_app_reader(app, pilot)
        article = made_article("Огромная", HUGE_BODY)
        reader.show(article)
        height = reader.scrollable_content_region.height
        total = reader.header_height + len(list(iter_lines(article.text, reader.scrollable_content_region.width)))
        reader.scroll_to_line(total - height - 7)
        assert reader.scroll_y == 0, "waiting"
        assert reader.reading_position == total - height - 7, "remembered as reached"
        app.main.reading.remember_position()
        assert ReadingState().last_position() == (article.fingerprint, total - height - 7), "stored"
        await wrapped(app, pilot)
        assert reader.scroll_y == total - height - 7
        other = made_article("Другая", HUGE_BODY)
        reader.show(other)
        offset = len(other.text) // 2  # a far mention or search match
        reader.scroll_to_offset(offset)
        assert reader.scroll_y == 0
        await wrapped(app, pilot)
        start, end = wrapped_lines(reader)[int(reader.scroll_y) - reader.header_height + height // 3]
        assert start <= offset < end, "the line holding the offset is a third of the way down"


async def test_a_resize_keeps_the_text_at_the_top_of_the_pane(tmp_path):
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await empty_app_reader(app, pilot)
        reader.show(made_article("Огромная", HUGE_BODY))
        await wrapped(app, pilot)
        reader.scroll_to(y=5000, animate=False, immediate=True)
        top_offset = wrapped_lines(reader)[5000 - reader.header_height][0]
        await pilot.resize_terminal(140, 30)
        await wrapped(app, pilot)
        start, end = wrapped_lines(reader)[int(reader.scroll_y) - reader.header_height]
        assert start <= top_offset < end


async def test_a_quote_in_the_entity_panel_opens_the_article_with_its_sentence_marked(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        _, reader = await start(app, pilot, seed_enrichment)
        seed, enrichment = seed_enrichment
        [quote] = [quote for quote in enrichment.quotes if quote.key == "PER:мария захарова"]
        app.main.post_message(ReaderPane.EntityChosen("PER:мария захарова"))
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, EntityPanel)
        assert "roles: официальный представитель МИД РФ" in str(panel.query_one("#entity-facts").visual)
        await pilot.press("tab", "tab")
        assert app.focused is panel.query_one(EntityQuotes) and app.focused.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, EntityPanel)
        assert reader.article.fingerprint == seed.fingerprint and app.focused is reader
        assert reader.mark == (quote.sentence_start, quote.sentence_end)
        assert "Захарова заявила" in seed.text[quote.sentence_start : quote.sentence_end]


async def test_a_role_standing_for_a_person_is_highlighted_as_that_person_and_opens_their_panel(tmp_path):
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await empty_app_reader(app, pilot)
        article = made_article("Визит", "Президент России Владимир Путин прибыл. Глава государства выступил.")
        text, key = article.text, "PER:владимир путин"
        name, reference = text.index("Владимир Путин"), text.index("Глава государства")
        enrichment = Enrichment(
            (EntityMention(name, name + 14, "PER", "Владимир Путин", "Владимир Путин", key),),
            (),
            (),
            (RoleMention(reference, reference + 17, "глава государства", key, "reference"),),
        )
        app.store.add(article)
        app.store.set_enrichment(article.fingerprint, enrichment)
        reader.show(article, enrichment)
        assert reader.visible_mentions() == [(name, name + 14, "PER", key), (reference, reference + 17, "PER", key)]
        reader.focus()
        await pilot.press("right_square_bracket", "right_square_bracket", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntityPanel) and app.screen.key == key


async def test_palette_offers_a_typed_date_its_articles_and_its_timeline(archive, seed_enrichment):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _ = await start(app, pilot, seed_enrichment)
        app.main.reading.refresh_timeline()
        prompts = await palette_prompts(app, pilot, "февраль 2025")
        assert {"Articles dated 2025-02-01 to 2025-02-28", "Timeline: go to 2025-02-01 to 2025-02-28"} <= prompts
        await pilot.press("escape")
        assert "Articles dated" not in " ".join(await palette_prompts(app, pilot, "Москва")), "no date in it"
        await pilot.press("escape")
        await palette_prompts(app, pilot, "2025-02-01..2025-03-01")
        choice = app.screen.query_one(CommandList)
        choice.highlighted = next(
            i for i, option in enumerate(choice.options) if option.prompt.plain.startswith("Articles dated")
        )
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [article_list.article_at(row).title for row in range(article_list.row_count)] == [
            "Мартовская",
            "Февральская",
        ]
        await palette_prompts(app, pilot, "2025-11-21")
        choice = app.screen.query_one(CommandList)
        choice.highlighted = next(i for i, option in enumerate(choice.options) if "Timeline" in option.prompt.plain)
        await pilot.press("enter")
        await pilot.pause()
        timeline = app.query_one(Timeline)
        assert timeline.zoom == "day" and timeline.has_focus


async def test_star_tag_and_note_the_article_and_find_them_after_a_restart(archive):
    hostile_tag = "[b]x[/b] [@click=app.quit]"
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader = await start(app, pilot)
        await pilot.press("j", "asterisk")  # the second article, from the list
        starred = article_list.article
        assert row_text(article_list, 1)[1] == "★"
        await pilot.press("number_sign")
        await pilot.press(*f"проверить, {hostile_tag}", "enter")
        assert row_text(article_list, 1).endswith(' #"[b]x[/b] [@click=app.quit]" #проверить'), "as typed, quoted"
        narrow = "".join(segment.text for segment in article_list.render_row(1, 40))
        assert len(narrow) == 40 and narrow.endswith("…"), "tags past the edge end in an ellipsis"
        await pilot.press("enter", "m")  # the reader has focus: the note is on the article it shows
        await pilot.press(*"Позвонить в суд")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running and row_text(article_list, 1).endswith(" ✎")
        await pilot.press("m", "escape")  # a cancelled edit changes nothing
        assert app.main.marking.marks.notes[starred.fingerprint] == "Позвонить в суд"
    again = NewsreaderApp([str(archive)], enrich=False)
    async with again.run_test(size=(120, 40)) as pilot:
        article_list, _ = await start(again, pilot)
        for query in ("is:starred", "tag:проверить", "note:суд"):
            await pilot.press("slash", *query, "enter")
            await again.workers.wait_for_complete()
            await pilot.pause()
            assert [article_list.article_at(row).id for row in range(article_list.row_count)] == [starred.id], query
            await pilot.press("escape")
        assert "Articles tagged проверить" in await palette_prompts(again, pilot, "tagged")

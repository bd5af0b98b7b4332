"""Render the README's SVG screenshots from the real app on the bundled seeds, and (for stories and marks) on
the tests' labelled story set written to a throw-away folder.

    python docs/make_screenshots.py          # writes docs/screenshots/*.svg

Runs headless with throw-away user directories, so your read marks are untouched.
"""

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).with_name("screenshots")
SEEDS = ROOT / "seeds"
SIZE = (120, 40)


async def wait_for_analysis(app, pilot) -> None:
    await app.workers.wait_for_complete()
    for _ in range(600):
        if len(app.store) and app.store.enriched_count == len(app.store) and not app.main.loader.views_stale:
            break  # analysed, and the timeline and progress have caught up (they refresh once a second)
        await pilot.pause(0.1)
    await pilot.pause(0.6)


async def wait_for_stories(app, pilot) -> None:
    for _ in range(600):
        if app.main.stories.stories is not None:
            return
        await pilot.pause(0.1)
    raise TimeoutError("no stories were found")


async def shoot(name: str, keys: list[str], prepare=None, folder: Path = SEEDS, stories: bool = False) -> None:
    from newsreader.ui.app import NewsreaderApp

    app = NewsreaderApp([str(folder)], workers=1)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_analysis(app, pilot)
        if stories:
            await wait_for_stories(app, pilot)
        if prepare is not None:
            prepare(app)
            await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()  # the entity browser counts on a worker
        await pilot.pause(0.3)
        app.save_screenshot(f"{name}.svg", path=str(OUT))
    print(f"wrote {OUT / name}.svg")


def open_entity_panel(app) -> None:
    from newsreader.ui.screens.entity_panel import EntityPanel

    app.push_screen(EntityPanel(app.store, "PER:евгений белоусов", app.main.corpus_updated))


def story_archive(root: Path) -> Path:
    """Two stories told by six outlets each, and one lone article, as the stories' Pilot tests have them."""
    sys.path.insert(0, str(ROOT / "tests"))
    from story_corpus import six_reports_each
    from test_stories import write_archive

    texts = six_reports_each()
    write_archive(root, texts[:12] + texts[-1:])
    return root


# c: one row a story; on the first story: a star, a tag and a note; then its text, with "Also reported by" below
STORIES_AND_MARKS = [
    *("c", "j", "asterisk", "number_sign", *"санкции", "enter"),
    *("m", *"проверить цифры", "ctrl+s", "enter"),
]


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as archive:
        await shoot("stories-and-marks", STORIES_AND_MARKS, folder=story_archive(Path(archive)), stories=True)
    await shoot("main", ["enter", "right_square_bracket", "right_square_bracket"])
    await shoot("entity-panel", [], open_entity_panel)
    await shoot("timeline", ["tab", "tab", "plus", "left"])
    await shoot("help", ["enter", "question_mark"])
    await shoot("entity-browser", ["e", "tab"])


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as home:
        for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
            os.environ[variable] = os.path.join(home, variable.lower())
        asyncio.run(main())

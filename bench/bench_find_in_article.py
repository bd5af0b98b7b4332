"""Find-in-article cost per keystroke on a 100 KB article, inside the real app.

For queries typed letter by letter, measures (0) the keystroke's own work on the
UI thread (find, restyle, draw the reader's visible lines), (1) the time until the
frame is painted, through Textual's Pilot (which adds its own waiting): the literal pass, the highlight spans and the
redraw of the visible lines; and (2) the time until the word-form pass, which
runs once typing pauses for 150 ms, has been painted (that includes the pause).

    python bench/bench_find_in_article.py
"""

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

PARAGRAPH = (
    "Заместитель главы МИД России Михаил Галузин в ходе переговоров с послом Азербайджана "
    "сообщил о необходимости освобождения задержанных в Баку россиян. Российская сторона "
    "выражает сожаление, а россиянин, задержанный в июле, был освобожден 25 октября."
)
QUERIES = ["россиянин", "освобождение", "Баку", '"задержанных в Баку"', "осв*"]


def make_article(folder: Path) -> Path:
    paragraphs = [PARAGRAPH] * (100_000 // len(PARAGRAPH.encode()) + 1)
    path = folder / "big.txt"
    path.write_text("date 2025-11-21\nБольшая статья\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


async def measure(path: Path) -> dict[str, list[float]]:
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.widgets.reader import ReaderPane

    app = NewsreaderApp([str(path)], enrich=False)
    timings: dict[str, list[float]] = {}
    refined: dict[str, list[float]] = {}
    work: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        reader = app.query_one(ReaderPane)
        for query in QUERIES:
            for length in range(1, len(query) + 1):
                started = time.perf_counter()
                app.main.searching.find_in_article(query[:length], False)
                for y in range(reader.size.height):  # the frame's share of this widget: its visible lines
                    reader.render_line(y)
                work.setdefault(query, []).append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                app.main.searching.find_in_article(query[:length], False)
                reader.refresh()
                await pilot.pause()
                timings.setdefault(query, []).append((time.perf_counter() - started) * 1000)
                await pilot.pause(0.2)  # past the pause after which every word form is looked up
                refined.setdefault(query, []).append((time.perf_counter() - started) * 1000)
    return work, timings, refined


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = make_article(Path(folder))
        size_kb = path.stat().st_size / 1024
        work, timings, refined = asyncio.run(measure(path))
    print(f"article: {size_kb:.0f} KB\n")
    print(
        "| query (typed letter by letter) | find + restyle + draw visible lines, mean / max ms "
        "| keystroke to painted frame (Pilot), mean / max ms | word forms shown, mean / max ms |"
    )
    print("| --- | --: | --: | --: |")
    for query in timings:
        cells = [
            f"{statistics.mean(values):.1f} / {max(values):.1f}"
            for values in (work[query], timings[query], refined[query])
        ]
        print(f"| `{query}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

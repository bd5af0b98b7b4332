"""Opening a huge article: time to its first screen, keys while the rest is wrapped, time to the end.

For each corpus, one headless app (`run_test`, analysis off) reads a folder holding a short article
and the huge one. After loading, `G` in the list jumps to the huge article, which the reader shows
at once. Keys are sent from a thread through the driver, as the terminal's input thread does, and
each is timed to the end of the first frame that shows its effect (frames pay the terminal encoding
headless mode skips; `bench_ui.frame_clock`):

1. first screen: `G` to the first frame showing the huge article;
2. keys while wrapping: `g` and `enter` read the short article (the reader takes the focus); then
   `n` opens the next unread article, the huge one (the reader follows the list cursor once it
   rests, 30 ms); once it is painted, `j` every 30 ms while the worker wraps the rest; each `j` to
   the first frame showing the reader moved that far;
3. all lines wrapped: from `n` to the first frame after the worker's last slice;
4. `G` in the reader then: to the frame showing the real last line (at once if the wrapping is done;
   otherwise the end of what is wrapped first, and the real end when the wrapping gets there).

Besides, on the UI thread: the time `ReaderPane.show` takes for the huge article (wrapping its first
screen) and the longest slice the wrapping worker held the event loop, wall clock and thread CPU
(CPU is what the app spends; wall also counts other processes on a busy machine).

Then highlights on a huge analysed article: the factRuEval dev texts repeated to 10 MB with their
gold entity mentions as the analysis, shown in the reader; the UI-thread work of the analysis landing,
of `]` (next mention) and of `1` (hide people), each with drawing the reader's visible lines.

Corpora: generated Russian words (10 MB), the factRuEval-2016 dev texts repeated to 10 MB (real text:
dashes, «quotes», numbers; its no-break spaces become plain ones when it is loaded), a 2 MB line
without spaces (generated, under a short title and alone, when it is the title; and the real text
with its white space taken out), and a 2 MB line of CJK characters (two cells each: the path that
measures by graphemes).

    python bench/bench_first_screen.py [--factru /work/shared/eval/factru_dev.jsonl] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ui import app_css, frame_clock, send_key  # noqa: E402

SIZE = (120, 40)
HUGE_FILE = "huge.txt"
MIB = 1024 * 1024
KEY_SPACING = 0.03
SETTLE_SECONDS = 0.5  # after focusing the reader, whose footer and bindings change
READER_KEYS = 15


def corpora(factru: Path) -> dict[str, str]:
    """The text after the date line of each huge article measured, by name."""
    lines = factru.read_text(encoding="utf-8").splitlines()
    real = "\n\n".join(json.loads(line)["text"] for line in lines if line.strip())
    rng = random.Random(9)
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    words = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(1, 12))) for _ in range(200_000))
    paragraphs = "\n\n".join(words[i : i + 600] for i in range(0, len(words), 600))
    no_spaces = repeat_to("".join(rng.choice(letters) for _ in range(100_000)), 2 * MIB)
    title = "Огромная статья\n\n"
    cjk = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(10_000))
    return {
        "generated words, 10 MB": title + repeat_to(paragraphs, 10 * MIB),
        "real text (factRuEval dev ×N), 10 MB": title + repeat_to(real, 10 * MIB),
        "generated line without spaces, 2 MB": title + no_spaces,
        "the same line alone: it is the title": no_spaces,
        "real text without white space, 2 MB": title + repeat_to(re.sub(r"\s+", "", real), 2 * MIB),
        "CJK line (wide characters), 2 MB": title + repeat_to(cjk, 2 * MIB),
    }


def repeat_to(text: str, size: int) -> str:
    """`text` repeated and cut to `size` bytes of UTF-8 (at a character boundary)."""
    encoded = text.encode("utf-8")
    return (encoded * (size // len(encoded) + 1))[:size].decode("utf-8", errors="ignore")


def write_folder(folder: Path, content: str) -> None:
    """The articles, and fresh user folders: no read mark or scroll position from an earlier run."""
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(folder / name.lower())
    (folder / "short.txt").write_text("date 2025-11-21\nКороткая статья\n\nПервый абзац.\n", encoding="utf-8")
    (folder / HUGE_FILE).write_text(f"date 2025-01-01\n{content}\n", encoding="utf-8")


class Held:
    """Wall and CPU milliseconds of each call of some ReaderPane methods, while `article` is shown."""

    def __init__(self) -> None:
        from newsreader.ui.widgets.reader import ReaderPane

        self.calls: dict[str, list[tuple[float, float]]] = {"show": [], "_wrap_slice": []}
        for name in self.calls:
            setattr(ReaderPane, name, self._timed(name, getattr(ReaderPane, name)))

    def _timed(self, name: str, method):
        def timed(reader, *args, **kwargs):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return method(reader, *args, **kwargs)
            finally:
                if reader.article is not None and reader.article.path.endswith(HUGE_FILE):
                    self.calls[name].append(((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000))

        return timed

    def take(self) -> dict[str, list[tuple[float, float]]]:
        taken = {name: list(calls) for name, calls in self.calls.items()}
        for calls in self.calls.values():
            calls.clear()
        return taken


async def measure(folder: Path, held: Held) -> dict:
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.widgets.reader import ReaderPane

    class Bench(frame_clock(), NewsreaderApp):
        CSS_PATH = app_css(NewsreaderApp)

        def __init__(self) -> None:
            super().__init__([str(folder)], max_bytes=64 * MIB, enrich=False)
            self.frames: list[tuple[float, tuple]] = []
            self.probe = lambda: ()

        def frame_painted(self, now: float) -> None:
            self.frames.append((now, self.probe()))

    app = Bench()
    loop = asyncio.get_running_loop()

    async def frame_after(sent: float, condition, timeout: float = 60.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for painted, probe in app.frames:
                if painted > sent and condition(probe):
                    return painted
            await asyncio.sleep(0.002)
        raise TimeoutError("no frame showed the key's effect")

    async def keys_from_thread(keys: list[tuple[str, float]]) -> list[float]:
        """Send each key at its time (seconds from now) from a thread; return when each was sent."""
        start, sent = time.monotonic(), []

        def run() -> None:
            for key, at in keys:
                time.sleep(max(0.0, start + at - time.monotonic()))
                sent.append(send_key(app, loop, key))

        thread = threading.Thread(target=run)
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.005)
        return sent

    async with app.run_test(size=SIZE) as pilot:
        while not app.main.loader.done:
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        reader = app.query_one(ReaderPane)
        huge = next(article for article in app.store.ordered(True) if article.path.endswith(HUGE_FILE))
        held.take()
        app.probe = lambda: (
            reader.article is huge,
            reader.scroll_y,
            reader._wrapping is None,
            len(reader._line_starts),
        )

        [opened] = await keys_from_thread([("G", 0.0)])
        first_screen = await frame_after(opened, lambda probe: probe and probe[0])
        wrapped_at_first = next(probe[3] for painted, probe in app.frames if painted == first_screen)

        await keys_from_thread([("g", 0.0), ("enter", 0.05)])  # read the short article: the reader has the focus
        await pilot.pause(SETTLE_SECONDS)
        [next_sent] = await keys_from_thread([("n", 0.0)])  # the next unread article: the huge one
        next_shown = await frame_after(next_sent, lambda probe: probe[0])
        sent = await keys_from_thread([("j", KEY_SPACING * i) for i in range(READER_KEYS)])
        latencies, during = [], 0
        for number, key_sent in enumerate(sent, start=1):
            painted = await frame_after(key_sent, lambda probe, y=number: probe[0] and probe[1] >= y)
            latencies.append((painted - key_sent) * 1000)
            state = next(probe for at, probe in app.frames if at == painted)
            during += not state[2]
        wrapped = await frame_after(next_sent, lambda probe: probe[0] and probe[2])
        [end_sent] = await keys_from_thread([("G", 0.0)])
        end = await frame_after(end_sent, lambda probe: probe[2] and probe[1] == reader.max_scroll_y)
        total_lines = len(reader._line_starts)
    calls = held.take()
    return {
        "show": calls["show"],
        "slices": calls["_wrap_slice"],
        "first_screen_ms": (first_screen - opened) * 1000,
        "next_unread_ms": (next_shown - next_sent) * 1000,
        "lines_at_first_screen": wrapped_at_first,
        "total_lines": total_lines,
        "key_ms": latencies,
        "keys_while_wrapping": during,
        "end_ms": (end - end_sent) * 1000,
        "wrapped_ms": (wrapped - next_sent) * 1000,
    }


async def measure_highlights(factru: Path, size: int) -> dict[str, list[float]]:
    from newsreader.ingest.parse import Article
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.entities import EntityMention
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.widgets.reader import ReaderPane

    documents = [json.loads(line) for line in factru.read_text(encoding="utf-8").splitlines() if line.strip()]
    parts, entities, position = [], [], 0
    while position < size:
        for document in documents:
            for entity in document["entities"]:
                start, end = position + entity["start"], position + entity["stop"]
                entities.append(
                    EntityMention(
                        start,
                        end,
                        entity["type"],
                        entity["text"],
                        entity["text"],
                        f"{entity['type']}:{entity['text'].lower()}",
                    )
                )
            parts.append(document["text"])
            position += len(document["text"]) + 1
    text = "\n".join(parts)
    article = Article("huge", "huge.txt", None, parts[0].partition("\n")[0], 0, None, "utf-8", "huge", held_text=text)
    analysis = Enrichment(tuple(entities), (), ())
    timings: dict[str, list[float]] = {"mentions": [len(entities)], "chars": [len(text)]}

    def timed(name: str, action) -> None:
        started = time.perf_counter()
        action()
        for y in range(reader.size.height):  # the frame's share of the reader: its visible lines
            reader.render_line(y)
        timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)

    with tempfile.TemporaryDirectory() as folder:
        write_folder(Path(folder), "")
        app = NewsreaderApp([str(Path(folder) / "short.txt")], enrich=False)
        async with app.run_test(size=SIZE):
            await app.workers.wait_for_complete()
            reader = app.query_one(ReaderPane)
            reader.show(article)
            await app.workers.wait_for_complete()
            timed("analysis lands", lambda: reader.show(article, analysis))
            for _ in range(20):
                timed("`]`", reader.action_next_mention)
            for _ in range(4):
                timed("`1`", lambda: reader.action_toggle_kind("PER"))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factru", type=Path, default=Path("/work/shared/eval/factru_dev.jsonl"))
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    held, rows, load = Held(), [], [os.getloadavg()[0]]
    for name, content in corpora(options.factru).items():
        results = []
        for _ in range(options.runs):
            with tempfile.TemporaryDirectory() as folder:
                write_folder(Path(folder), content)
                results.append(asyncio.run(measure(Path(folder), held)))
        rows.append((name, results))
        load.append(os.getloadavg()[0])
        print(f"{name}: done", file=sys.stderr)
    print(
        f"terminal {SIZE[0]}×{SIZE[1]}, analysis off, {options.runs} runs each, {os.cpu_count()} cores, "
        f"load average {min(load):.1f}–{max(load):.1f} during the runs; median (max) over runs and keys\n"
    )
    print(
        "| article | lines | `ReaderPane.show`, wall / CPU ms | `G` in the list to first screen, ms "
        "| `n` in the reader to first screen, ms | longest wrapping slice, wall / CPU ms "
        "| `j` while it wraps, key to frame, ms | all lines wrapped, from `n`, ms "
        "| `G` in the reader to the real end, ms |"
    )
    print("| --- | --: | --: | --: | --: | --: | --: | --: | --: |")
    for name, results in rows:
        keys = [value for result in results for value in result["key_ms"]]
        shows = [call for result in results for call in result["show"]]
        slices = [call for result in results for call in result["slices"]]
        waits = sum(result["keys_while_wrapping"] for result in results)
        print(
            f"| {name} | {results[0]['total_lines']:,} "
            f"| {cell([wall for wall, _ in shows])} / {cell([cpu for _, cpu in shows])} "
            f"| {cell([result['first_screen_ms'] for result in results])} "
            f"| {cell([result['next_unread_ms'] for result in results])} "
            f"| {max(wall for wall, _ in slices):.1f} / {max(cpu for _, cpu in slices):.1f} "
            f"| {cell(keys)} ({waits} of {len(keys)} keys before the end) "
            f"| {cell([result['wrapped_ms'] for result in results])} "
            f"| {cell([result['end_ms'] for result in results])} |"
        )
    highlights = asyncio.run(measure_highlights(options.factru, 10 * MIB))
    print(
        f"\nHighlights: real text ×N, {highlights['chars'][0]:,} characters, "
        f"{highlights['mentions'][0]:,} gold mentions; "
        "UI-thread work including drawing the visible lines, median (max) ms\n"
    )
    print("| the analysis lands | `]` next mention (20×) | `1` hide / show people (4×) |")
    print("| --: | --: | --: |")
    print(f"| {cell(highlights['analysis lands'])} | {cell(highlights['`]`'])} | {cell(highlights['`1`'])} |")


def cell(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ({max(values):.0f})"


if __name__ == "__main__":
    main()

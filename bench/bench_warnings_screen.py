"""How long the warnings screen takes to count the wrapped lines of many warnings (on opening it, and per resize).

    python bench/bench_warnings_screen.py [--count 100000]

Generated warnings, as a big bad archive gives: `archive/<n>/file-<n>.txt` with a reason of 0 to 3 sentences, so at
80 columns about half wrap. Prints the median of five passes of the count at 80 and 200 columns.
"""

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from textual.app import App

import newsreader.ui
from newsreader.ingest.load import LoadWarning
from newsreader.ui.screens.warnings import WarningList, WarningsScreen


class WarningsApp(App):
    CSS_PATH = [
        Path(newsreader.ui.__file__).parent / name
        for name in ("app.tcss", "screens/warnings.tcss", "widgets/virtual_list.tcss")
    ]


def generated(count: int) -> list[LoadWarning]:
    reason = "not valid text in any known encoding (a byte 0x89 at offset 0), skipped. "
    return [LoadWarning(f"archive/{n % 997}/file-{n}.txt", reason * (n % 4) or "empty file") for n in range(count)]


async def main(count: int) -> None:
    app = WarningsApp()
    async with app.run_test(size=(80, 40)) as pilot:
        await app.push_screen(WarningsScreen(generated(count)))
        await pilot.pause()
        warning_list = app.screen.query_one(WarningList)
        for columns in (80, 200):
            await pilot.resize_terminal(columns, 40)
            await pilot.pause()
            seconds = []
            for _ in range(5):
                warning_list._wrap_width = 0  # noqa: SLF001 - count again at the same width
                start = time.perf_counter()
                warning_list._rewrap()  # noqa: SLF001 - what opening the screen and a resize run
                seconds.append(time.perf_counter() - start)
            lines = warning_list._starts[-1]  # noqa: SLF001
            print(f"{count:,} warnings, {columns} columns: {lines:,} lines, {statistics.median(seconds) * 1000:.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().count))

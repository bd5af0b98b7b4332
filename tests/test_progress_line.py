"""The analyse progress line: redrawn in place on a terminal, a line now and then into a log."""

import io

from newsreader.analysis.progress import Progress
from newsreader.cli.progress import ProgressLine, describe


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_line_says_counts_rate_and_time_left():
    line = describe(Progress(total=1000, analysed=300, cached=150), elapsed=10.0)
    assert "45%  450/1,000" in line and "300 analysed, 150 cached, 0 failed" in line
    assert "30.0/s" in line and "0:00:18 left" in line
    assert describe(Progress(total=10, indexed=5), elapsed=1.0).startswith(
        "indexing  [############------------]  50%  5/10"
    )


def test_into_a_log_a_line_every_so_often_and_the_last():
    stream, clock = io.StringIO(), Clock()
    line = ProgressLine(stream, interactive=False, clock=clock)
    progress = Progress(total=100)
    for step in range(100):
        clock.now = step * 0.5  # 50 s in all: lines at 0, 10, 20, 30, 40 s, and the last
        progress.analysed = step + 1
        line.show(progress)
    clock.now += 1
    line.show(progress)  # the end, told again by the caller: said once
    written = stream.getvalue().splitlines()
    assert len(written) == 6 and "\r" not in stream.getvalue()
    assert written[-1].startswith("analysing [########################] 100%  100/100")


def test_on_a_terminal_warnings_go_above_the_bar():
    stream, clock = io.StringIO(), Clock()
    line = ProgressLine(stream, interactive=True, clock=clock)
    line.show(Progress(total=4, analysed=1))
    line.warn("a.txt: enrichment failed")
    line.close()
    assert stream.getvalue().split("\r\x1b[K")[1:] == [
        describe(Progress(total=4, analysed=1), 0.0),
        "a.txt: enrichment failed\n" + describe(Progress(total=4, analysed=1), 0.0) + "\n",
    ]

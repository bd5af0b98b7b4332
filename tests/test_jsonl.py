"""JSON Lines output of `extract` and `search`: the bytes, and what happens when stdout cannot take them."""

import io
import json
import os
import subprocess
import sys

import pytest

from newsreader.cli.jsonl import write_json_lines

WRITER = (
    "import sys; from newsreader.cli.jsonl import write_json_lines; "
    "records = ({'n': n, 'text': 'Москва ' * 50} for n in range(int(sys.argv[1]))); "
    "sys.exit(write_json_lines(records, 'newsreader test'))"
)


def run_writer(count: int, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(count)], stderr=subprocess.PIPE, **options)


def test_one_utf8_object_a_line_whatever_the_locale(monkeypatch):
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", out)
    assert write_json_lines([{"title": "Москва", "n": 1}, {"title": None}], "newsreader test") == 0
    assert out.buffer.getvalue() == '{"title": "Москва", "n": 1}\n{"title": null}\n'.encode()


def test_a_reader_that_goes_away_is_not_an_error():
    writer = run_writer(100_000, stdout=subprocess.PIPE)
    assert json.loads(writer.stdout.readline())["n"] == 0
    writer.stdout.close()
    assert writer.wait(timeout=60) == 0
    assert writer.stderr.read() == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_status_1():
    with open("/dev/full", "w") as full:
        writer = run_writer(1000, stdout=full)
        assert writer.wait(timeout=60) == 1
    assert writer.stderr.read().decode() == "newsreader test: cannot write the output (No space left on device)\n"


def test_a_closed_stdout_is_one_line_and_status_1():
    writer = run_writer(1, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert writer.wait(timeout=60) == 1
    assert writer.stderr.read().decode() == "newsreader test: cannot write the output (stdout is closed)\n"

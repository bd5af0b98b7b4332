"""SIGKILL during reading-state writes, 40 times: the state stays readable and keeps every completed action."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

from newsreader.userdata.state import ReadingState, default_state_path

KILLS = 40
BATCH = 50  # fingerprints per mark: a write long enough for a kill to land inside it
DRIVER = textwrap.dedent("""
    import sys
    from newsreader.userdata.state import ReadingState
    from test_state_crash import actions

    state = ReadingState()
    print("ready", flush=True)
    for number, (kind, fingerprints, read) in enumerate(actions(int(sys.argv[1]))):
        if kind == "mark":
            state.mark(fingerprints, read)
        else:
            state.remember_position(fingerprints[0], float(number))
        print(number, flush=True)
""")


def actions(run: int):
    """The driver's endless, deterministic work: mark batches read, unmark some, move the position."""
    batch = 0
    while True:
        fingerprints = [f"{run}-{batch}-{item}" for item in range(BATCH)]
        yield "mark", fingerprints, True
        yield "position", fingerprints, True
        if batch % 3 == 2:
            yield "mark", [f"{run}-{batch - 1}-{item}" for item in range(BATCH)], False
        batch += 1


def run_and_kill(run: int, delay: float) -> list[int]:
    """Start the driver, kill it `delay` seconds into its writes, return the actions it reported done."""
    environment = os.environ | {"PYTHONPATH": os.pathsep.join([os.path.dirname(__file__), *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(run)], stdout=subprocess.PIPE, text=True, env=environment
    )
    assert child.stdout.readline() == "ready\n"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    output = child.stdout.read()  # not communicate(): it would skip what readline already buffered
    assert child.wait(timeout=10) == -signal.SIGKILL
    return [int(line) for line in output.splitlines() if line.strip().isdigit()]


def test_state_survives_sigkill_during_writes_with_every_completed_action():
    chance = random.Random(9)
    expected_read: dict[str, bool] = {}
    last_position = None
    for run in range(KILLS):
        done = run_and_kill(run, chance.uniform(0.0, 0.03))
        assert done == list(range(len(done))), "the driver reports actions in order"
        work = actions(run)
        for number in range(len(done)):
            kind, fingerprints, read = next(work)
            if kind == "mark":
                expected_read.update(dict.fromkeys(fingerprints, read))
            else:
                last_position = (fingerprints[0], float(number))
        in_flight_kind, in_flight, in_flight_read = next(work)  # killed during this one: all of it or none
        state = ReadingState()
        try:
            assert state.warnings == [], "never corrupt, never moved aside"
            read = state.read_fingerprints()
            if in_flight_kind == "mark":
                landed = {fingerprint in read for fingerprint in in_flight}
                assert len(landed) == 1, "a write is atomic"
                if landed == {in_flight_read}:
                    expected_read.update(dict.fromkeys(in_flight, in_flight_read))
            assert {fingerprint for fingerprint, is_read in expected_read.items() if is_read} <= read
            assert not {fingerprint for fingerprint, is_read in expected_read.items() if not is_read} & read
            if state.last_position() == (in_flight[0], float(len(done))) and in_flight_kind == "position":
                last_position = state.last_position()
            if last_position is not None:
                assert state.last_position() == last_position
        finally:
            state.close()
    assert sum(expected_read.values()) > KILLS * BATCH, "the kills landed after real work, not only at start-up"
    assert not list(default_state_path().parent.glob("*.corrupt-*"))

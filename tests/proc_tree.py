"""Processes as /proc shows them (Linux): a process's descendants, and waiting for processes to end."""

import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces); None once it has gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat[stat.rindex(")") + 2 :].split()


def is_running(pid: int) -> bool:
    """A zombie has ended: it only waits for a parent to collect its exit code."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def is_stopped(pid: int) -> bool:
    """Stopped by a signal (SIGSTOP), not ended."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] == "T"


def parent_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return None if fields is None else int(fields[1])


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, children first."""
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (parent := parent_of(int(entry.name))) is not None:
            parents[int(entry.name)] = parent
    found, frontier = [], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def command_line(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def workers_of(pid: int) -> list[int]:
    """The multiprocessing workers below `pid` (the resource tracker is not one)."""
    return [child for child in descendants(pid) if "spawn_main" in command_line(child)]


def still_running(pids: list[int], timeout: float) -> list[int]:
    """The pids that have not ended within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while (running := [pid for pid in pids if is_running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.02)
    return running


def wait_for(find, timeout: float, what: str):
    """Poll `find()` until it returns something true."""
    deadline = time.monotonic() + timeout
    while not (found := find()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened within {timeout} s")
        time.sleep(0.05)
    return found


def end_all(pids: list[int]) -> list[int]:
    """Kill what a failing test would leave running; returns the pids for its assertion."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return pids

import sqlite3
import subprocess
import sys

import pytest

from full_disk import FullDisk
from newsreader.userdata import state as state_module
from newsreader.userdata.state import ReadingState


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "state.sqlite3"


def test_default_file_lives_in_the_user_data_folder(isolated_user_dirs):
    state = ReadingState()
    assert state.path == isolated_user_dirs / "xdg_data_home" / "newsreader" / "state.sqlite3"
    assert state.path.is_file() and state.warnings == []


def test_everything_survives_reopening(path):
    state = ReadingState(path)
    assert state.read_fingerprints() == set() and state.last_position() is None
    state.mark(["aa", "bb"], read=True)
    state.remember_position("aa", 12.5)
    state.remember_position("bb", 3.0)
    state.close()
    again = ReadingState(path)
    assert again.read_fingerprints() == {"aa", "bb"}
    assert again.last_position() == ("bb", 3.0)
    assert (again.scroll_position("aa"), again.scroll_position("bb"), again.scroll_position("cc")) == (12.5, 3.0, 0.0)
    assert again.warnings == []


def test_marks_survive_a_crash_without_close(path):
    crash = (
        f"from newsreader.userdata.state import ReadingState; import os, pathlib\n"
        f"ReadingState(pathlib.Path({str(path)!r})).mark(['aa'], read=True); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", crash], check=True)
    assert ReadingState(path).read_fingerprints() == {"aa"}


def test_many_marks_and_unmarks_in_one_call(path):
    fingerprints = [f"{number:064x}" for number in range(100_000)]
    state = ReadingState(path)
    state.mark(fingerprints, read=True)
    state.mark(fingerprints[:60_000], read=False)
    state.mark(fingerprints[-10:], read=True)
    assert state.read_fingerprints() == set(fingerprints[60_000:])
    state.close()
    assert ReadingState(path).read_fingerprints() == set(fingerprints[60_000:])


def test_scroll_is_kept_per_article_and_cleaned(path):
    state = ReadingState(path)
    state.remember_position("aa", 40.0)
    state.remember_position("bb", 7.0)
    state.remember_position("aa", 0.0)
    state.remember_position("cc", float("nan"))
    assert (state.scroll_position("aa"), state.scroll_position("bb"), state.scroll_position("cc")) == (0.0, 7.0, 0.0)
    assert state.last_position() == ("cc", 0.0)


def test_corrupt_file_is_moved_aside_and_a_fresh_one_works(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage, not a database\xff" * 200)
    path.with_name("state.sqlite3-wal").write_bytes(b"stale log")
    state = ReadingState(path)
    assert len(state.warnings) == 1
    assert str(path) in state.warnings[0] and "corrupt" in state.warnings[0]
    [aside] = path.parent.glob("state.sqlite3.corrupt-*[0-9]")
    assert aside.read_bytes().startswith(b"\x00garbage") and aside.name in state.warnings[0]
    state.mark(["aa"], read=True)
    state.close()
    assert ReadingState(path).read_fingerprints() == {"aa"}


def assert_works_in_memory(state: ReadingState) -> None:
    before = state.read_fingerprints()
    state.mark(["aa", "bb"], read=True)
    state.mark(["bb"], read=False)
    state.remember_position("aa", 5.0)
    assert state.read_fingerprints() == before | {"aa"}
    assert state.last_position() == ("aa", 5.0) and state.scroll_position("aa") == 5.0


def test_path_that_is_a_directory_falls_back_to_memory(path):
    path.mkdir(parents=True)
    state = ReadingState(path)
    assert len(state.warnings) == 1 and str(path) in state.warnings[0] and "in memory" in state.warnings[0]
    assert_works_in_memory(state)
    assert path.is_dir() and list(path.iterdir()) == []


def test_folder_that_cannot_be_made_falls_back_to_memory(tmp_path):
    (tmp_path / "data").write_text("a file where the folder should be")
    state = ReadingState(tmp_path / "data" / "state.sqlite3")
    assert len(state.warnings) == 1 and "cannot open" in state.warnings[0]
    assert_works_in_memory(state)


def test_read_only_folder_falls_back_to_memory(path, monkeypatch):
    real_connect = sqlite3.connect

    def refuse_files(target, *args, **kwargs):
        if target != ":memory:":
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", refuse_files)
    state = ReadingState(path)
    assert len(state.warnings) == 1 and "readonly" in state.warnings[0]
    assert_works_in_memory(state)


def test_write_failure_mid_session_keeps_going_in_memory_with_one_warning(path, monkeypatch):
    monkeypatch.setattr(state_module, "BUSY_TIMEOUT_SECONDS", 0)
    state = ReadingState(path)
    state.mark(["before"], read=True)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    state.mark(["during"], read=True)
    state.remember_position("during", 2.0)
    assert state.read_fingerprints() == {"before", "during"}
    assert state.last_position() == ("during", 2.0)
    assert len(state.warnings) == 1 and "locked" in state.warnings[0] and str(path) in state.warnings[0]
    blocker.execute("ROLLBACK")
    state.close()
    assert ReadingState(path).read_fingerprints() == {"before"}


def test_full_disk_mid_session_keeps_going_in_memory(path, monkeypatch):
    full_disk = FullDisk(monkeypatch, state_module)
    state = ReadingState(path)
    state.mark(["before"], read=True)
    full_disk.now()
    state.mark([f"{number:064x}" for number in range(1000)], read=True)
    assert len(state.read_fingerprints()) == 1001
    assert len(state.warnings) == 1 and "full" in state.warnings[0]


def test_use_after_close_is_a_bug_not_a_fallback(path):
    state = ReadingState(path)
    state.close()
    with pytest.raises(sqlite3.ProgrammingError):
        state.mark(["aa"], read=True)
    assert state.warnings == [] and path.is_file()


def saved_state(path) -> bytes:
    state = ReadingState(path)
    state.mark(["saved"], read=True)
    state.remember_position("saved", 4.0)
    state.close()
    return path.read_bytes()


def test_a_file_that_cannot_be_written_carries_on_in_memory_from_what_it_saved(path, monkeypatch):
    saved = saved_state(path)

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(state_module, "open_or_rebuild", read_only)
    state = ReadingState(path)
    assert len(state.warnings) == 1 and "readonly" in state.warnings[0] and "in memory" in state.warnings[0]
    assert state.read_fingerprints() == {"saved"} and state.last_position() == ("saved", 4.0)
    assert_works_in_memory(state)
    state.close()
    assert path.read_bytes() == saved, "the memory copy is never written back"


def test_a_truncated_file_is_kept_aside_not_deleted(path):
    saved = saved_state(path)
    path.write_bytes(saved[: len(saved) // 2])
    state = ReadingState(path)
    assert len(state.warnings) == 1 and "corrupt" in state.warnings[0]
    [aside] = path.parent.glob("state.sqlite3.corrupt-*")
    assert aside.read_bytes() == saved[: len(saved) // 2]
    assert state.read_fingerprints() == set()


def test_a_file_locked_by_another_instance_is_not_taken_for_corrupt(path, monkeypatch):
    monkeypatch.setattr(state_module, "BUSY_TIMEOUT_SECONDS", 0)
    saved_state(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("BEGIN EXCLUSIVE")
    state = ReadingState(path)
    assert len(state.warnings) == 1 and "locked" in state.warnings[0] and "in memory" in state.warnings[0]
    assert not list(path.parent.glob("*.corrupt-*"))
    assert state.read_fingerprints() == {"saved"}, "what the file held when last closed"
    assert_works_in_memory(state)
    blocker.close()
    assert ReadingState(path).read_fingerprints() == {"saved"}


def test_a_file_moved_aside_keeps_its_log_beside_it(tmp_path):
    from newsreader.userdata.sqlite_files import move_aside

    path = tmp_path / "state.sqlite3"
    for suffix, content in (("", b"main"), ("-wal", b"log"), ("-shm", b"index")):
        path.with_name(path.name + suffix).write_bytes(content)
    aside = move_aside(path)
    moved = [aside.with_name(aside.name + suffix).read_bytes() for suffix in ("", "-wal", "-shm")]
    assert moved == [b"main", b"log", b"index"]
    assert list(tmp_path.iterdir()) and not list(tmp_path.glob("state.sqlite3-*")), "nothing left to be replayed"

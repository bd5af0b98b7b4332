"""The folder walk meets every hazard of issue 9 with a specific warning: never an exception, never a hang."""

import errno
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import article_bytes
from newsreader.ingest import load
from newsreader.ingest.load import NOT_UTF8, VANISHED, Document, LoadWarning, iter_documents
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.warnings import WarningList, WarningsScreen


def walk(*paths, **options) -> tuple[dict[str, Document], dict[str, list[str]]]:
    """Documents by id and warning reasons by full display path, loaded on a thread with a deadline."""
    items = []
    thread = threading.Thread(target=lambda: items.extend(iter_documents(paths, **options)), daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "loading froze"
    documents, warnings = {}, {}
    for item in items:
        if isinstance(item, Document):
            documents[item.id] = item
        else:
            warnings.setdefault(item.path, []).append(item.reason)
    return documents, warnings


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A folder with one good article, so each test also shows its hazard does not stop the rest."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "good.txt").write_bytes(article_bytes("Хорошая новость"))
    return folder


def test_self_mutual_and_chained_symlink_loops(root):
    os.symlink("self.txt", root / "self.txt")
    os.symlink("b.txt", root / "a.txt")
    os.symlink("a.txt", root / "b.txt")
    for name, target in [("c1", "c2"), ("c2", "c3"), ("c3", "c1")]:
        os.symlink(target, root / name)
    documents, warnings = walk(root)
    assert list(documents) == ["good.txt"]
    assert warnings == {str(root / name): ["symlink loop"] for name in ["a.txt", "b.txt", "c1", "c2", "c3", "self.txt"]}


def test_a_loop_or_dangling_link_named_directly(root):
    os.symlink("loop.txt", root / "loop.txt")
    os.symlink("gone", root / "dangling")
    assert walk(root / "loop.txt", root / "dangling") == (
        {},
        {
            str(root / "loop.txt"): ["symlink loop"],
            str(root / "dangling"): ["dangling link (to gone, which does not exist)"],
        },
    )


def test_dangling_links_name_their_target(root):
    os.symlink("gone.txt", root / "dangling.txt")
    os.symlink("gone", root / "dangling_folder")
    os.symlink("good.txt/x", root / "through_a_file.txt")
    _, warnings = walk(root)
    assert warnings == {
        str(root / "dangling.txt"): ["dangling link (to gone.txt, which does not exist)"],
        str(root / "dangling_folder"): ["dangling link (to gone, which does not exist)"],
        str(root / "through_a_file.txt"): ["dangling link (to good.txt/x, which does not exist)"],
    }


def test_links_outside_the_folder_are_not_followed(root, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(article_bytes("Секрет снаружи"))
    os.symlink(outside, root / "dir_out")
    os.symlink(outside / "secret.txt", root / "file_out.txt")
    os.symlink(outside / "secret.txt", root / "not_an_article.dat")
    documents, warnings = walk(root)
    assert list(documents) == ["good.txt"]
    assert warnings == {
        str(root / "dir_out"): [f"link leads outside the folder (to {outside})"],
        str(root / "file_out.txt"): [f"link leads outside the folder (to {outside / 'secret.txt'})"],
    }


def test_directory_loops_through_links_end_with_a_warning(root):
    deep = root / "2025" / "03"
    deep.mkdir(parents=True)
    (deep / "march.txt").write_bytes(article_bytes("Мартовская статья"))
    os.symlink("../..", deep / "up")
    os.symlink(root, root / "self")
    os.symlink("2025/03", root / "a_latest")
    documents, warnings = walk(root)
    assert sorted(documents) == ["2025/03/march.txt", "good.txt"], "each article once, by its real place"
    assert warnings == {
        str(root / "a_latest"): [f"same folder as {deep}, not walked twice"],
        str(root / "self"): [f"directory loop: leads back to {root}"],
        str(deep / "up"): [f"directory loop: leads back to {root}"],
    }


def test_a_folder_reached_only_through_a_link_inside_is_read_once(root, monkeypatch):
    """A link is followed when its folder was not read: here the real folder cannot be listed, the link's name can."""
    hidden = root / "hidden" / "inner"
    hidden.mkdir(parents=True)
    (hidden / "inside.txt").write_bytes(article_bytes("Через ссылку"))
    os.symlink("hidden/inner", root / "via")
    os.symlink("..", hidden / "back")
    monkeypatch.setattr(load.os, "scandir", _refusing(os.scandir, root / "hidden"))
    documents, warnings = walk(root)
    assert sorted(documents) == ["good.txt", "via/inside.txt"]
    assert warnings == {
        str(root / "hidden"): ["permission denied"],
        str(root / "via" / "back"): [f"same folder as {root / 'hidden'}, not walked twice"],
    }


def _refusing(real_call, refused: Path):
    """`real_call`, except that it raises PermissionError for `refused`: we run as root, where chmod 000 does not."""

    def call(path, *args, **kwargs):
        if os.fspath(path) == os.fspath(refused):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_call(path, *args, **kwargs)

    return call


def test_unreadable_link_and_file_are_warnings(root, monkeypatch):
    os.symlink("good.txt", root / "link.txt")
    (root / "other.txt").write_bytes(article_bytes("Другая"))
    monkeypatch.setattr(load.os, "stat", _refusing(os.stat, root / "link.txt"))
    monkeypatch.setattr(load.os, "open", _refusing(os.open, root / "other.txt"))
    documents, warnings = walk(root)
    assert list(documents) == ["good.txt"]
    assert warnings == {str(root / "link.txt"): ["permission denied"], str(root / "other.txt"): ["permission denied"]}


def test_fifo_socket_and_links_to_them_are_skipped_without_blocking(root):
    os.mkfifo(root / "fifo.txt")
    os.mkfifo(root / "fifo.dat")
    os.symlink("fifo.txt", root / "to_fifo.txt")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(os.fspath(root / "sock.txt"))
        documents, warnings = walk(root)
    finally:
        server.close()
    assert list(documents) == ["good.txt"]
    assert warnings == {
        str(root / "fifo.txt"): ["not a regular file (FIFO)"],
        str(root / "to_fifo.txt"): ["not a regular file (FIFO)"],
        str(root / "sock.txt"): ["not a regular file (socket)"],
    }


def test_a_fifo_swapped_in_after_listing_does_not_block(root):
    (root / "z.txt").write_bytes(article_bytes("Будет заменён"))
    stream = iter_documents([root])
    assert next(stream).id == "good.txt"
    os.unlink(root / "z.txt")
    os.mkfifo(root / "z.txt")
    assert list(stream) == [LoadWarning(str(root / "z.txt"), "not a regular file (FIFO)")]


def test_files_and_folders_that_vanish_after_listing(root):
    (root / "later.txt").write_bytes(article_bytes("Исчезнет"))
    (root / "sub").mkdir()
    (root / "sub" / "x.txt").write_bytes(article_bytes("Тоже исчезнет"))
    stream = iter_documents([root])
    assert next(stream).id == "good.txt", "the folder is listed, its first file read"
    os.unlink(root / "later.txt")
    os.unlink(root / "sub" / "x.txt")
    os.rmdir(root / "sub")
    assert list(stream) == [LoadWarning(str(root / "later.txt"), VANISHED), LoadWarning(str(root / "sub"), VANISHED)]


def _appending_read(monkeypatch, path: Path, times: int) -> None:
    """Make the first os.read of each of the first `times` opens of `path` append to it, as a writer would."""
    real_open, real_read = os.open, os.read
    appending: set[int] = set()
    opens = []

    def open_(name, *args):
        descriptor = real_open(name, *args)
        if os.fspath(name) == os.fspath(path) and len(opens) < times:
            opens.append(descriptor)
            appending.add(descriptor)
        return descriptor

    def read(descriptor, size):
        if descriptor in appending:
            appending.discard(descriptor)
            with open(path, "ab") as writer:
                writer.write(" Дописано.".encode())
        return real_read(descriptor, size)

    monkeypatch.setattr(load.os, "open", open_)
    monkeypatch.setattr(load.os, "read", read)


def test_a_file_that_changed_while_read_is_read_again(root, monkeypatch):
    _appending_read(monkeypatch, root / "good.txt", times=1)
    documents, warnings = walk(root)
    assert documents["good.txt"].text.endswith("Дописано.")
    assert warnings == {}


def test_a_file_that_keeps_changing_is_kept_as_read_with_a_warning(root, monkeypatch):
    _appending_read(monkeypatch, root / "good.txt", times=2)
    documents, warnings = walk(root)
    assert documents["good.txt"].text.endswith("Дописано.")
    assert warnings == {str(root / "good.txt"): ["changed while being read, twice; shown as last read"]}


def test_names_that_are_not_utf8_load_with_distinct_displayable_ids(root):
    base = os.fsencode(root)
    for name in [b"caf\xe9.txt", b"\xfe.txt", b"\xff.txt"]:
        Path(os.fsdecode(base + b"/" + name)).write_bytes(article_bytes(f"Статья {name!r}"))
    os.mkdir(base + b"/\xc0folder")
    Path(os.fsdecode(base + b"/\xc0folder/in.txt")).write_bytes(article_bytes("Во вложенной папке"))
    documents, warnings = walk(root)
    assert sorted(documents) == ["\\xc0folder/in.txt", "\\xfe.txt", "\\xff.txt", "caf\\xe9.txt", "good.txt"]
    assert documents["\\xc0folder/in.txt"].path == f"{root}/\\xc0folder/in.txt"
    undecodable = ["\\xc0folder", "\\xfe.txt", "\\xff.txt", "caf\\xe9.txt"]
    assert warnings == {f"{root}/{name}": [NOT_UTF8] for name in undecodable}
    for text in [*documents, *(document.path for document in documents.values()), *warnings]:
        text.encode("utf-8")


def _chain(base: Path, name: str, depth: int) -> None:
    """`depth` nested folders, made through folder descriptors: the full path may exceed PATH_MAX."""
    folder = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(depth):
        os.mkdir(name, dir_fd=folder)
        inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=folder)
        os.close(folder)
        folder = inner
    with open(os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, dir_fd=folder), "wb", closefd=True) as bottom:
        bottom.write(article_bytes("На самом дне"))
    os.close(folder)


def _remove_chain(base: Path, name: str) -> None:
    """Remove what `_chain` made, without recursion (shutil.rmtree of 3.11 recurses once per level)."""
    folders = [os.open(base, os.O_RDONLY | os.O_DIRECTORY)]
    while True:
        try:
            folders.append(os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=folders[-1]))
        except FileNotFoundError:
            break
    os.unlink("bottom.txt", dir_fd=folders.pop())
    for folder in reversed(folders):
        os.rmdir(name, dir_fd=folder)
        os.close(folder)


@pytest.fixture
def deep_chains(root):
    made = []
    yield lambda name, depth: made.append(name) or _chain(root, name, depth)
    for name in made:
        _remove_chain(root, name)


def test_a_tree_1000_levels_deep_loads(root, deep_chains):
    deep_chains("d", 1000)
    documents, warnings = walk(root)
    assert sorted(documents) == ["d/" * 1000 + "bottom.txt", "good.txt"]
    assert warnings == {}


def test_a_path_longer_than_the_system_allows_is_a_warning(root, deep_chains):
    deep_chains("long_name_" * 10, 50)
    documents, warnings = walk(root)
    assert list(documents) == ["good.txt"]
    [(path, reasons)] = warnings.items()
    assert reasons == ["path too long for the system"]
    assert path.startswith(str(root))


@pytest.fixture
def hazards(root, tmp_path) -> Path:
    """The hazards that used to crash the walk, beside a good article and one with an undecodable name."""
    os.symlink("x.txt", root / "x.txt")
    os.symlink(".", root / "again")
    os.symlink("gone.txt", root / "dangling.txt")
    os.symlink(tmp_path, root / "outside")
    os.mkfifo(root / "fifo.txt")
    Path(os.fsdecode(os.fsencode(root) + b"/caf\xe9.txt")).write_bytes(article_bytes("Имя не в UTF-8"))
    return root


HAZARD_REASONS = {
    "x.txt": "symlink loop",
    "again": "directory loop: leads back to {root}",
    "dangling.txt": "dangling link (to gone.txt, which does not exist)",
    "outside": "link leads outside the folder (to {root.parent})",
    "fifo.txt": "not a regular file (FIFO)",
    "caf\\xe9.txt": NOT_UTF8,
}


def test_extract_prints_articles_and_a_line_per_hazard(hazards):
    result = subprocess.run(
        [sys.executable, "-m", "newsreader", "extract", "--workers", "1", str(hazards)],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert sorted(record["id"] for record in records) == ["caf\\xe9.txt", "good.txt"]
    assert {record["path"] for record in records} == {f"{hazards}/caf\\xe9.txt", f"{hazards}/good.txt"}
    expected = {f"{hazards}/{name}: {reason.format(root=hazards)}" for name, reason in HAZARD_REASONS.items()}
    assert set(result.stderr.decode("utf-8").splitlines()) == expected


async def test_reader_lists_each_hazard_among_its_warnings(hazards):
    app = NewsreaderApp([str(hazards)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.store) == 2
        shown = {(warning.path, warning.reason) for warning in app.load_warnings}
        assert shown == {(f"{hazards}/{name}", reason.format(root=hazards)) for name, reason in HAZARD_REASONS.items()}
        await pilot.press("w")
        assert isinstance(app.screen, WarningsScreen)
        assert app.screen.query_one(WarningList).row_count == len(HAZARD_REASONS)


def test_entries_swapped_for_links_between_listing_and_reading_are_not_read(root, tmp_path, monkeypatch):
    outside = tmp_path / "secret.txt"
    outside.write_bytes(article_bytes("Чужой секрет"))
    (root / "plain.txt").write_bytes(article_bytes("Подменят"))
    (root / "linked.txt").write_bytes(article_bytes("Цель ссылки"))
    (root / "link.txt").symlink_to("linked.txt")  # an inside link: read only if it still leads where it did
    real_open, swapped = os.open, set()

    def swapped_then_opened(path, *args):
        if os.path.basename(path) in {"plain.txt", "link.txt"} - swapped:  # after the listing, before the read
            swapped.add(os.path.basename(path))
            os.unlink(path)
            os.symlink(outside, path)
        return real_open(path, *args)

    monkeypatch.setattr(load.os, "open", swapped_then_opened)
    documents, warnings = walk(root)
    assert warnings == {str(root / "plain.txt"): [load.REPLACED], str(root / "link.txt"): [load.REPLACED]}
    assert set(documents) == {"good.txt", "linked.txt"}, "nothing outside is read"


def test_a_chain_of_links_to_a_file_leaves_the_real_file_its_id(root):
    (root / "z_real.txt").write_bytes(article_bytes("Настоящий файл"))
    (root / "c2.txt").symlink_to("z_real.txt")
    (root / "c1.txt").symlink_to("c2.txt")
    (root / "c0.txt").symlink_to("c1.txt")
    items = list(iter_documents([root]))
    documents = [item.id for item in items if isinstance(item, Document)]
    assert documents.index("z_real.txt") < min(documents.index(link) for link in ("c0.txt", "c1.txt", "c2.txt"))

import os
import threading
from pathlib import Path

import pytest

from newsreader.ingest import load
from newsreader.ingest.load import Document, LoadWarning, iter_documents
from newsreader.ingest.parse import Article, iter_articles


def load_all(*paths, **options):
    documents, warnings = {}, {}
    for item in iter_documents(paths, **options):
        if isinstance(item, Document):
            documents[item.id] = item
        else:
            warnings.setdefault(os.path.basename(item.path), []).append(item.reason)
    return documents, warnings


@pytest.fixture
def loaded(hostile_dir):
    """Loading runs in a thread with a deadline, so a blocking open fails the test instead of hanging it."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=load_all(hostile_dir)), daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive(), "loading froze"
    return result["value"]


def test_good_and_legacy_files_decode(loaded):
    documents, _ = loaded
    assert "Новости экономики в Москве" in documents["cp1251.txt"].text
    assert documents["cp1251.txt"].encoding == "cp1251"
    assert documents["koi8.txt"].encoding == "koi8_r"
    assert "Правительство утвердило бюджет" in documents["koi8.txt"].text
    assert documents["cp866.txt"].encoding == "cp866"
    for name, encoding in [("short_cp1251.txt", "cp1251"), ("short_koi8.txt", "koi8_r"), ("short_cp866.txt", "cp866")]:
        assert documents[name].encoding == encoding
        assert "Привет" in documents[name].text


def test_boms(loaded):
    documents, _ = loaded
    assert documents["bom8.txt"].text.startswith("date 2025-03-04")
    assert documents["bom16.txt"].encoding == "utf-16"
    assert "Файл в UTF-16" in documents["bom16.txt"].text
    assert documents["bom32.txt"].encoding == "utf-32"


def test_degraded_files_load_with_a_specific_warning(loaded):
    documents, warnings = loaded
    assert "\ufffd" in documents["badbytes.txt"].text
    assert warnings["badbytes.txt"] == ["3 invalid UTF-8 bytes replaced"]
    assert "\r" not in documents["cr_only.txt"].text
    assert documents["cr_only.txt"].text.splitlines()[1] == "Старый Mac"
    assert "Нульвнутри" in documents["nul.txt"].text


def test_bad_files_are_skipped_with_reasons(loaded, hostile_dir):
    documents, warnings = loaded
    for name in [
        "empty.txt",
        "blank.txt",
        "binary.txt",
        "random.txt",
        "sparse.txt",
        "fifo.txt",
        "link_out.txt",
        "dir_out",
        "loop",
        "dangling.txt",
    ]:
        assert name not in documents
    assert warnings["empty.txt"] == ["empty file"]
    assert warnings["blank.txt"] == ["empty file"]
    assert warnings["binary.txt"] == ["binary"]
    assert warnings["random.txt"][0].startswith("binary")
    assert warnings["sparse.txt"] == ["too large (2.0 GiB > 8 MiB)"]
    assert warnings["fifo.txt"] == ["not a regular file (FIFO)"]
    outside = hostile_dir.parent / "outside"
    assert warnings["link_out.txt"] == [f"link leads outside the folder (to {outside / 'secret.txt'})"]
    assert warnings["dir_out"] == [f"link leads outside the folder (to {outside})"]
    assert warnings["loop"] == [f"directory loop: leads back to {hostile_dir}"]
    assert warnings["dangling.txt"] == [f"dangling link (to {hostile_dir / 'missing.txt'}, which does not exist)"]


def test_folders_are_walked_recursively_even_when_named_txt(loaded):
    documents, _ = loaded
    assert "folder.txt/inside.txt" in documents
    assert "2025/03/deep.txt" in documents
    assert "link_in.txt" in documents


def test_nothing_outside_the_folder_is_read(loaded):
    documents, _ = loaded
    assert not any("Секрет снаружи" in document.text for document in documents.values())


def test_hostile_file_name_is_sanitised(loaded):
    documents, _ = loaded
    [name] = [name for name in documents if name.startswith("name_")]
    assert "\x1b" not in name
    assert name == "name_red_[@click=app.quit].txt"


def test_size_cap_is_configurable(hostile_dir):
    documents, warnings = load_all(hostile_dir / "good.txt", max_bytes=10)
    assert not documents
    assert warnings["good.txt"][0].startswith("too large")


def test_explicit_files_and_missing_paths(hostile_dir):
    documents, warnings = load_all(hostile_dir / "good.txt", hostile_dir / "fifo.txt", hostile_dir / "nope.txt")
    assert list(documents) == ["good.txt"]
    assert warnings["fifo.txt"] == ["not a regular file (FIFO)"]
    assert warnings["nope.txt"] == ["no such file or directory"]


def test_permission_denied_is_a_warning(hostile_dir, monkeypatch):
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if os.fspath(path).endswith("good.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(load.os, "open", refusing_open)
    documents, warnings = load_all(hostile_dir)
    assert "good.txt" not in documents
    assert warnings["good.txt"] == ["permission denied"]


def test_unreadable_folder_is_a_warning(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def refusing_scandir(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(load.os, "scandir", refusing_scandir)
    assert load_all(tmp_path)[1] == {"locked": ["permission denied"]}


def test_loading_streams(hostile_dir):
    stream = iter_articles([hostile_dir])
    first = next(item for item in stream if isinstance(item, Article))
    assert first.title


def test_every_hostile_file_yields_an_article_or_a_warning(hostile_dir):
    items = list(iter_articles([hostile_dir]))
    assert all(isinstance(item, (Article, LoadWarning)) for item in items)
    warned = {Path(item.path).name for item in items if isinstance(item, LoadWarning)}
    assert {"empty.txt", "binary.txt", "sparse.txt", "fifo.txt", "bad_header.txt", "no_header.txt"} <= warned


def test_files_said_to_be_unchanged_are_not_read(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"date 2025-01-02\n{name}\nТекст.\n", "utf-8")
    asked = {}

    def unchanged(path, size, mtime_ns):
        asked[os.path.basename(path)] = (size, mtime_ns)
        return path.endswith("a.txt")

    read = [item.id for item in iter_documents([tmp_path], unchanged=unchanged)]
    assert read == ["b.txt"]
    info = (tmp_path / "a.txt").stat()
    assert asked["a.txt"] == (info.st_size, info.st_mtime_ns)

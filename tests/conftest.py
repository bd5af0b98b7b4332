"""Shared fixtures: the seed folder and a folder of hostile files made on the spot."""

import gc
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores the same examples on every run, so a red CI is this change's doing; runs elsewhere
# explore afresh and keep finding new failures (each becomes an explicit @example).
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_FILE = SEEDS / "000_f43e71b30eac417d.txt"
RUSSIAN_BODY = "Президент России провёл встречу с министрами в Москве.\n\nОбсуждались вопросы экономики и бюджета."


def article_bytes(
    title: str, body: str = RUSSIAN_BODY, header: str = "date 2025-03-04", encoding: str = "utf-8"
) -> bytes:
    return f"{header}\n{title}\n\n{body}\n".encode(encoding)


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Caches, state and config of every test live in a fresh folder, never in the real home."""
    base = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(base / name.lower()))
    return base


@pytest.fixture(autouse=True)
def unfrozen_heap():
    """The app freezes its heap (newsreader.runtime.heap); one test's app must not outlive it in this process."""
    yield
    gc.unfreeze()


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    """A folder with one file for each way a real archive goes wrong, plus good neighbours."""
    root = tmp_path / "archive"
    root.mkdir()
    write = lambda name, data: (root / name).write_bytes(data)  # noqa: E731
    write("good.txt", article_bytes("Хорошая новость"))
    write("cp1251.txt", article_bytes("Новости экономики в Москве", encoding="cp1251"))
    write("koi8.txt", article_bytes("Правительство утвердило бюджет", encoding="koi8_r"))
    write("cp866.txt", article_bytes("Депутаты обсудили законопроект", encoding="cp866"))
    write("short_cp1251.txt", "date 2025-01-02\nПривет\n".encode("cp1251"))
    write("short_koi8.txt", "date 2025-01-02\nПривет\n".encode("koi8_r"))
    write("short_cp866.txt", "date 2025-01-02\nПривет\n".encode("cp866"))
    write("bom8.txt", b"\xef\xbb\xbf" + article_bytes("С меткой порядка байтов"))
    write("bom16.txt", article_bytes("Файл в UTF-16", encoding="utf-16"))
    write("bom32.txt", article_bytes("Файл в UTF-32", encoding="utf-32"))
    write("badbytes.txt", article_bytes("Почти правильный UTF-8").replace("экономики".encode(), b"\xff\xfe\xfa"))
    write("cr_only.txt", article_bytes("Старый Mac").replace(b"\n", b"\r"))
    write("crlf.txt", article_bytes("Windows").replace(b"\n", b"\r\n"))
    write("empty.txt", b"")
    write("blank.txt", b"  \n\n ")
    write("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    write("random.txt", bytes((i * 7919 + 13) % 256 for i in range(4096)))
    write("nul.txt", article_bytes("Нуль\x00внутри"))
    write("bad_header.txt", article_bytes("Плохая дата", header="date 2025-13-45 cookie"))
    write("no_header.txt", "Заголовок без даты\n\nТекст статьи.\n".encode())
    write(
        "markup.txt",
        article_bytes("[bold]Жирный[/] [@click=app.quit]выход[/]", body="Текст [/] и [link=x]ссылка[/link]"),
    )
    write(
        "escapes.txt",
        article_bytes(
            "Заголовок\x1b[31mкрасный\x1b[0m\x1b]0;взлом\x07", body="Тело\x1b]8;;http://evil\x1b\\ссылка\x9b2J конец"
        ),
    )
    write("name_\x1b[31mred\x1b[0m_[@click=app.quit].txt", article_bytes("Опасное имя файла"))
    with open(root / "sparse.txt", "wb") as sparse:
        sparse.truncate(2 * 1024**3 + 1)
    os.mkfifo(root / "fifo.txt")
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inside.txt").write_bytes(article_bytes("Статья в папке с именем .txt"))
    nested = root / "2025" / "03"
    nested.mkdir(parents=True)
    (nested / "deep.txt").write_bytes(article_bytes("Глубоко вложенная статья"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(article_bytes("Секрет снаружи"))
    os.symlink(outside / "secret.txt", root / "link_out.txt")
    os.symlink(outside, root / "dir_out")
    os.symlink(root, root / "loop")
    os.symlink(root / "missing.txt", root / "dangling.txt")
    os.symlink(root / "good.txt", root / "link_in.txt")
    return root


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def shown_text(widget) -> str:
    """The rows a scrolling widget shows, as plain text: what its public render_line draws."""
    return "\n".join(widget.render_line(y).text for y in range(widget.scrollable_content_region.height))


def wrapped_lines(reader) -> list[tuple[int, int]]:
    """(start, end) of every line the reader has wrapped so far, below its header."""
    spans: list[tuple[int, int]] = []
    while (span := reader.line_span(len(spans))) is not None:
        spans.append(span)
    return spans

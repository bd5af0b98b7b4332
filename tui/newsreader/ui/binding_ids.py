"""Every binding id the reader declares, so a keymap entry for any other id can be reported.

Found by importing each module of this package that declares BINDINGS and reading the
BINDINGS of its widgets and screens, so a new widget's ids are known without a list to
keep in step. Modules without bindings are not imported: some are costly and load on
first use (the timeline's buckets take ~0.3 s).
"""

import importlib
import sys
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

import newsreader.ui

PACKAGE = newsreader.ui.__name__


def declared_binding_ids() -> set[str]:
    root = Path(newsreader.ui.__path__[0])
    for source in sorted(root.rglob("*.py")):
        name = ".".join((PACKAGE, *source.relative_to(root).with_suffix("").parts))
        if name not in sys.modules and _declares_bindings(source):
            importlib.import_module(name)
    ids: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        node_class = pending.pop()
        pending.extend(node_class.__subclasses__())
        if node_class.__module__.startswith(f"{PACKAGE}."):
            ids.update(
                binding.id
                for binding in vars(node_class).get("BINDINGS", ())
                if isinstance(binding, Binding) and binding.id
            )
    return ids


def _declares_bindings(source: Path) -> bool:
    """True unless the source is readable and never mentions BINDINGS (then importing it could not add any)."""
    try:
        return "BINDINGS" in source.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return True

"""Every binding id the reader declares, so a keymap entry for any other id can be reported.

Found by importing each module of this package and reading the BINDINGS of its widgets
and screens, so a new widget's ids are known without a list to keep in step.
"""

import importlib
import pkgutil

from textual.binding import Binding
from textual.dom import DOMNode

import newsreader.ui


def declared_binding_ids() -> set[str]:
    for module in pkgutil.iter_modules(newsreader.ui.__path__):
        importlib.import_module(f"{newsreader.ui.__name__}.{module.name}")
    ids, pending = set(), [DOMNode]
    while pending:
        node_class = pending.pop()
        pending.extend(node_class.__subclasses__())
        if node_class.__module__.startswith(f"{newsreader.ui.__name__}."):
            ids.update(binding.id for binding in vars(node_class).get("BINDINGS", ())
                       if isinstance(binding, Binding) and binding.id)
    return ids

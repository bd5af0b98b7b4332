"""The store's index of who holds which role and who said what, for the entity panel.

Roles are few per person: key -> role -> how often the archive gives it. Quotes are kept as
integers, key -> [article number, quote index, ...]; the quote itself is rebuilt from the
article's packed analysis only when its row is drawn.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from newsreader.store.packing import PackedKeys, StringTable

if TYPE_CHECKING:
    from newsreader.nlp.enrich import Enrichment


@dataclasses.dataclass(frozen=True, slots=True)
class SaidQuote:
    """Quote number `index` of the article `article_id`'s analysis."""

    article_id: str
    index: int


class SpeechIndex:
    def __init__(self) -> None:
        self._roles: dict[str, dict[str, int]] = {}
        self._quotes: dict[str, array] = {}

    def add(self, number: int, enrichment: Enrichment, intern: Callable[[str], str]) -> None:
        for role in enrichment.roles:
            held = self._roles.setdefault(intern(role.key), {})
            held[intern(role.role)] = held.get(role.role, 0) + 1
        for index, quote in enumerate(enrichment.quotes):
            self._quotes.setdefault(intern(quote.key), array("i")).extend((number, index))

    def forget(self, number: int, packed: PackedKeys, strings: StringTable) -> None:
        """Take out what `add` put in for article `number`, given its packed keys."""
        for role, key in packed.roles:
            held = self._roles[strings[key]]
            held[strings[role]] -= 1
            if not held[strings[role]]:
                del held[strings[role]]
            if not held:
                del self._roles[strings[key]]
        for key in dict.fromkeys(packed.quotes):
            pairs = self._quotes[strings[key]]
            kept = array("i")
            for at in range(0, len(pairs), 2):
                if pairs[at] != number:
                    kept.extend(pairs[at : at + 2])
            if kept:
                self._quotes[strings[key]] = kept
            else:
                del self._quotes[strings[key]]

    def roles(self, keys: Iterable[str]) -> list[str]:
        """The roles held under any of `keys`, the most often given first."""
        counts: dict[str, int] = {}
        for key in keys:
            for role, count in self._roles.get(key, {}).items():
                counts[role] = counts.get(role, 0) + count
        return sorted(counts, key=lambda role: -counts[role])

    def quotes(self, keys: Iterable[str]) -> list[tuple[int, int]]:
        """(article number, quote index) of every quote said under any of `keys`."""
        found: list[tuple[int, int]] = []
        for key in keys:
            pairs = self._quotes.get(key, array("i"))
            found.extend(zip(pairs[0::2], pairs[1::2], strict=True))
        return found

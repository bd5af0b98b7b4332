"""A date mention and the shapes the resolvers share."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression at `text[start:end]`; `value` is None when it cannot be resolved."""

    start: int
    end: int
    text: str
    value: str | None
    granularity: str
    # False for a date that is no event of the story: a dateline, a comparison year, a model year.
    # Only the timeline reads it; the payload leaves it out, so it takes no part in equality.
    eventful: bool = field(default=True, compare=False)


Resolution = tuple[str | None, str]  # (value, granularity)


class Groups:
    """One rule's groups of a match, by short name: `get("mod")` may be None, `get["unit"]` the rule always fills."""

    __slots__ = ("_match", "_prefix")

    def __init__(self, match: re.Match[str], prefix: str) -> None:
        self._match, self._prefix = match, prefix

    def __call__(self, key: str) -> str | None:
        """The group's text; None when it took no part in the match or the rule has no such group."""
        try:
            return self._match.group(self._prefix + key)
        except IndexError:
            return None

    def __getitem__(self, key: str) -> str:
        value = self(key)
        if value is None:
            raise KeyError(f"{self._prefix}{key} is empty: the rule's pattern and its resolver disagree")
        return value


Resolver = Callable[[Groups, datetime.date | None], Resolution | None]  # None: not a date after all

UNRESOLVED: Resolution = (None, "unknown")

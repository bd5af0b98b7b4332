"""Clauses of a sentence, so that a timeline event takes the entities of its own clause.

"В 2015 году Иванов ушел из Газпрома, а в 2017 году Петров возглавил Роснефть" tells two events: 2015 is
Иванов's and Газпром's, 2017 Петров's and Роснефть's. A sentence is cut where Russian starts a new clause:
at ";", and after a comma before a coordinating word (", а", ", но", ", однако", ", и") or a subordinating
one (", когда", ", где", ", который", ", если"...). A subordinate clause runs to the next comma, and the
clause it interrupted goes on after it: "Компания, которую в 2005 году основал Иванов, в 2020 году купила
Яндекс" gives 2005 to Иванов and 2020 to the company and Яндекс.

A clause without a date of its own lends its entities to a dated one: a subordinate clause to the clause it
depends on, any other to the nearest dated clause before it, else after it. So a sentence with one dated
clause keeps every entity of the sentence, as a sentence with one event should.
"""

import re
from bisect import bisect_right
from collections.abc import Iterable

_BOUNDARY = re.compile(
    r"(?P<coordinate>;|,\s+(?:а|но|однако|зато|и|или|тогда\s+как)\b)"
    r"|(?P<subordinate>,\s+(?:когда|где|куда|откуда|пока|если|хотя|после\s+того\s+как|перед\s+тем\s+как"
    r"|котор(?:ый|ая|ое|ые|ого|ой|ому|ым|ом|ую|ых|ыми)|чей|чья|чь[её]|чьи)\b)"
    r"|(?P<comma>,)",
    re.IGNORECASE,
)


class Clauses:
    """The clauses of `text[start:end]`: which clause each position is in, and who owns an undated one."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._segment_starts = [start]
        self._segment_clauses = [0]
        self._parents: list[int | None] = [None]
        current = 0
        interrupted: list[int] = []  # the clauses a subordinate clause interrupted, innermost last
        for match in _BOUNDARY.finditer(text, start, end):
            if match.lastgroup == "comma":
                if not interrupted:
                    continue
                current = interrupted.pop()
            elif match.lastgroup == "coordinate":
                interrupted.clear()
                current = self._new_clause(None)
            else:
                interrupted.append(current)
                current = self._new_clause(current)
            self._segment_starts.append(match.start())
            self._segment_clauses.append(current)

    def _new_clause(self, parent: int | None) -> int:
        self._parents.append(parent)
        return len(self._parents) - 1

    def clause_at(self, position: int) -> int:
        return self._segment_clauses[bisect_right(self._segment_starts, position) - 1]

    def owners(self, dated: Iterable[int]) -> list[int | None]:
        """For each clause, the dated clause its entities go to (None when no clause is dated)."""
        dated = set(dated)
        if not dated:
            return [None] * len(self._parents)
        ordered = sorted(dated)
        owners: list[int | None] = []
        for clause in range(len(self._parents)):
            root: int | None = clause
            while root is not None and root not in dated and self._parents[root] is not None:
                root = self._parents[root]
            if root not in dated:  # a main clause without a date: the nearest dated clause before, else after
                index = bisect_right(ordered, clause)
                root = ordered[index - 1] if index else ordered[0]
            owners.append(root)
        return owners

"""The rule files parsing tests short lines against (boilerplate, photo credits), and cheap tests
that say when a line cannot match, so most lines never reach the regular expressions.

A rule file holds one regular expression a line; trying a whole file costs about 1.3 µs a line,
a large part of loading. What a line must begin with, or must contain, is read from each rule's
parsed expression (`re._parser`), so the files stay plain regular expressions. Each reading may
give a larger set than the truth, never a smaller one: a line it lets through is still matched
in full, so the tests change the speed and never the outcome.
"""

import re
from functools import cache
from importlib import resources
from re import _constants, _parser  # type: ignore[attr-defined]

PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
FIRST_CHARACTERS_KEPT = 4096  # patterns by first character, for every character seen up to this many

_BOILERPLATE = "boilerplate.txt"
_CREDITS = "credits.txt"
_by_first: dict[str, re.Pattern | None] = {}  # a dict, as an lru_cache call would cost 0.2 µs a line
_credits_by_first: dict[str, tuple[tuple[str, ...] | None, re.Pattern] | None] = {}


def is_boilerplate(line: str) -> bool:
    """Whether a non-empty stripped line is one of the boilerplate rules' lines (case ignored).

    Only the rules that can begin with the line's first character are tried; most lines begin
    with a character no rule does.
    """
    first = line[0]
    rules = _by_first[first] if first in _by_first else _boilerplate_beginning_with(first)
    return rules is not None and rules.fullmatch(line) is not None


def is_credit(line: str) -> bool:
    """Whether a non-empty line is a photo credit (case matters): only the rules that can begin with
    the line's first character are tried, and only when the line holds a character one of them
    requires (a colon or dash, ©, a slash). Most ledes begin with a capital, as the name-slash-agency
    rule does, but hold no slash."""
    first = line[0]
    found = _credits_by_first[first] if first in _credits_by_first else _credits_beginning_with(first)
    if found is None:
        return False
    marks, pattern = found
    if marks is not None:
        for mark in marks:  # `in` is a fast scan; a regex class scan costs ten times more
            if mark in line:
                break
        else:
            return False
    return pattern.fullmatch(line) is not None


@cache
def rules(name: str, flags: int) -> re.Pattern:
    """A rule file shipped in `newsreader/ingest/rules/` compiled into one pattern."""
    return _union(_rule_lines(name), flags)


def _boilerplate_beginning_with(first: str) -> re.Pattern | None:
    """The boilerplate rules a line beginning with `first` may match, as one pattern (None: no rule)."""
    fitting = _fitting(_rule_lines(_BOILERPLATE), first)
    pattern = _union(fitting, re.IGNORECASE) if fitting else None
    if len(_by_first) < FIRST_CHARACTERS_KEPT:
        _by_first[first] = pattern
    return pattern


def _credits_beginning_with(first: str) -> tuple[tuple[str, ...] | None, re.Pattern] | None:
    """The credit rules a line beginning with `first` may match, as one pattern, and the characters a
    line must hold one of to match any of them (None: not known); None when no rule fits."""
    fitting = _fitting(_rule_lines(_CREDITS), first)
    found = None
    if fitting:
        required = [_rule_marks(rule) for rule in fitting]
        known = [each for each in required if each is not None]
        marks = tuple(sorted(set().union(*known))) if len(known) == len(required) else None
        found = (marks, _union(fitting, 0))
    if len(_credits_by_first) < FIRST_CHARACTERS_KEPT:
        _credits_by_first[first] = found
    return found


def _fitting(every: list[str], first: str) -> list[str]:
    """The rules of `every` that a line beginning with `first` may match.

    Rules whose first characters are not known (see `_first_characters`) are always tried. Those
    that are known begin with plain letters or digits, so they can match a line beginning with the
    same letter in either case, and never one beginning with a character that has no case. Other
    characters try every rule: case-insensitive matching has surprises there (K, the Kelvin sign, is k).
    """
    letter = first.lower()
    if letter in PLAIN:
        return [rule for rule in every if (known := _first_characters(rule)) is None or letter in known]
    if letter == first.upper():
        return [rule for rule in every if _first_characters(rule) is None]
    return every


@cache
def _rule_marks(rule: str) -> frozenset[str] | None:
    """Characters a line matching `rule` must hold one of (see `_required`); None when none is known."""
    parsed = _parser.parse(rule)
    return None if parsed.state.flags & re.IGNORECASE else _required(parsed.data)


@cache
def _first_characters(rule: str) -> frozenset[str] | None:
    """The plain characters (lower case) a string matching `rule` can begin with; None when it may
    begin with anything else, or when the rule uses what `_firsts` does not follow."""
    found, _ = _firsts(_parser.parse(rule).data)
    if found is None:
        return None
    lowered = frozenset(character.lower() for character in found)
    return lowered if lowered <= PLAIN else None


def _firsts(items: list) -> tuple[set[str] | None, bool]:
    """The characters a match of this sequence of parsed items can begin with (None: not known), and
    whether it can match the empty string. Zero-width items (anchors, look-arounds) only narrow a
    match, so they are skipped."""
    found: set[str] = set()
    first: set[str] | None
    for op, value in items:
        if op in (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT):
            continue
        if op is _constants.LITERAL:
            first, empty = {chr(value)}, False
        elif op is _constants.IN:
            first, empty = _set_members(value), False
        elif op is _constants.BRANCH:
            branches = [_firsts(branch) for branch in value[1]]
            if any(each is None for each, _ in branches):
                return None, False
            first = set().union(*(each for each, _ in branches if each is not None))
            empty = any(can for _, can in branches)
        elif op is _constants.SUBPATTERN:
            first, empty = _firsts(value[3])
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            first, empty = _firsts(value[2])
            empty = empty or value[0] == 0
        elif op is _constants.ATOMIC_GROUP:
            first, empty = _firsts(value)
        else:
            return None, False
        if first is None:
            return None, False
        found |= first
        if not empty:
            return found, False
    return found, True


def _required(items: list) -> frozenset[str] | None:
    """The smallest set of characters found among the items of a parsed sequence that every match
    must contain one of; None when none is known. Case-insensitive parts are left out."""
    found: list[frozenset[str] | None] = []
    for op, value in items:
        if op is _constants.LITERAL:
            found.append(frozenset(chr(value)))
        elif op is _constants.IN and (members := _set_members(value)) is not None:
            found.append(frozenset(members))
        elif op is _constants.SUBPATTERN and not value[1] & re.IGNORECASE:
            found.append(_required(value[3]))
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT) and value[0] > 0:
            found.append(_required(value[2]))
        elif op is _constants.BRANCH:
            branches = [_required(branch) for branch in value[1]]
            if all(each is not None for each in branches):
                found.append(frozenset().union(*(each for each in branches if each is not None)))
    known = [each for each in found if each is not None]
    return min(known, key=len) if known else None


def _set_members(members: list) -> set[str] | None:
    """The characters of a parsed [...] set of literals and short ranges; None for anything else."""
    found = set()
    for kind, value in members:
        if kind is _constants.LITERAL:
            found.add(chr(value))
        elif kind is _constants.RANGE and value[1] - value[0] < len(PLAIN):
            found.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return found


def _rule_lines(name: str) -> list[str]:
    source = resources.files("newsreader.ingest").joinpath("rules", name).read_text("utf-8")
    return [line for line in source.splitlines() if line.strip() and not line.startswith("#")]


def _union(every: list[str], flags: int) -> re.Pattern:
    return re.compile("|".join(f"(?:{rule})" for rule in every), flags)

"""Homonyms kept apart: the МВД of Ukraine and of Russia, «Динамо» of Kyiv and of Moscow.

A name that rules/aliases.txt marks "country:" or "city:" gets a place in its key,
"ORG:министерство внутренних дел|украина", or every country's ministry would be one entity
across the archive. The place is, in this order:

1. the one the mention names: a place right after it ("МВД Украины", "«Динамо» (Киев)"), a
   place adjective right before it ("казахстанское МВД", "киевское «Динамо»"), or either
   inside its own span ("Министерство обороны Российской Федерации");
2. that of the nearest mention of the same name in the article that names one, before it,
   else after it ("МВД Украины заявило … В МВД добавили");
3. the article's: the country its places (rules/places.txt maps cities to countries) name
   most, home (the file's first country) winning a tie and standing in when there is none or
   when a foreign country is named only once (one foreign place is mostly where someone went:
   "Глава МИД Сергей Лавров прибыл в Анкару"); for a "city:" name, that country's capital.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsreader.folding import fold_key
from newsreader.nlp.aliases import (
    alias_table,
    canonical,
    case_form_index,
    group_canonical,
    qualified_by,
    read_rules,
)
from newsreader.nlp.morph import parse

PLACES_FILE = Path(__file__).parent / "rules" / "places.txt"
PLACE_SEPARATOR = "|"
QUALIFIER_SEPARATOR = "|"
MAX_PLACE_WORDS = 3
PLACE_AFTER = re.compile(r"[»\"“”]?\s*(\(\s*)?")
WORD_BEFORE = re.compile(r"(\w+)[\s«\"„“]*$")
LOOK_BEHIND_CHARS = 40
FOREIGN_NAMED_AT_LEAST = 2  # times the article names a foreign country before its bodies are taken as that country's

Mention = tuple[int, int, str, str]  # start, end, type, normal form


@dataclass(frozen=True)
class Places:
    """Folded canonical names: place (country or city) -> its country, country -> capital,
    adjective -> place; `home` is the country a body no text places belongs to."""

    country_of: dict[str, str]
    capital_of: dict[str, str]
    by_adjective: dict[str, str]
    home: str


def parse_places(lines: Sequence[str], source: str) -> Places:
    """The places of rules/places.txt lines; a malformed line raises ValueError naming it."""
    country_of: dict[str, str] = {}
    capital_of: dict[str, str] = {}
    by_adjective: dict[str, str] = {}
    country = ""
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        names = [fold_key(name.strip()) for name in line.split(PLACE_SEPARATOR)]
        if not all(names):
            raise ValueError(f"{source}:{number}: an empty name: {line!r}")
        place = canonical(names[0])
        if line[0].isspace():
            if not country:
                raise ValueError(f"{source}:{number}: a city before any country: {line!r}")
            capital_of.setdefault(country, place)
        else:
            country = place
        country_of[place] = country
        by_adjective.update(dict.fromkeys(names[1:], place))
    if not country_of:
        raise ValueError(f"{source}: no countries")
    return Places(country_of, capital_of, by_adjective, next(iter(country_of)))


@cache
def places() -> Places:
    """The shipped places, read once per process."""
    return read_rules(parse_places, PLACES_FILE)


@cache
def _place_names() -> dict[str, str]:
    """A folded place name in any case ("российской федерации", "украины") -> its folded canonical name."""
    known = places().country_of
    names = {name: place for name, place in alias_table().canonical_of.items() if place in known}
    names.update((place, place) for place in known)
    return names | case_form_index(names.items(), exclude=names)


@cache
def _placed_names() -> dict[str, tuple[str, str]]:
    """Table names that name their place, in any case: "банка россии" -> ("центральный банк", "россия")."""
    placed: dict[str, tuple[str, str]] = {}
    for name, group in alias_table().canonical_of.items():
        words = name.split()
        for count in range(1, min(MAX_PLACE_WORDS, len(words) - 1) + 1):
            place = _place_names().get(" ".join(words[-count:]))
            if place and qualified_by(group):
                placed[name] = (group, place)
                break
    forms = case_form_index(((name, name) for name in placed), exclude=placed)
    return placed | {form: placed[name] for form, name in forms.items()}


def qualified_keys(text: str, mentions: Sequence[Mention], keys: Sequence[str]) -> list[str]:
    """`keys` (one per mention, in text order) with the place added to those of qualified names."""
    out = list(keys)
    named: dict[str, list[tuple[int, str]]] = {}  # qualified key -> (mention index, place) it names
    qualified: list[tuple[int, str, str]] = []  # (mention index, key, kind)
    for index, key in enumerate(keys):
        entity_type, _, name = key.partition(":")
        if entity_type == "PER":
            continue
        start, end, _, normal = mentions[index]
        placed = _placed_names()
        found = placed.get(fold_key(normal)) or placed.get(fold_key(text[start:end]))
        base, place = found or _split_place(name)
        kind = qualified_by(base)
        if kind is None:
            continue
        base_key = f"{entity_type}:{base}"
        place = place or _place_after(text, mentions, keys, index) or _adjective_before(text, mentions[index][0])
        qualified.append((index, base_key, kind))
        if place:
            named.setdefault(base_key, []).append((index, place))
    if not qualified:
        return out
    country = None
    for index, base_key, kind in qualified:
        place = _nearest(named.get(base_key, ()), index)
        if place is None:
            country = country or _article_country(keys)
            place = country if kind == "country" else places().capital_of.get(country)
        out[index] = f"{base_key}{QUALIFIER_SEPARATOR}{place}" if place else base_key
    return out


def placed_name(folded_phrase: str) -> str | None:
    """The name in a key ("министерство иностранных дел|россия") that a phrase typed in a search names: a name
    many bodies bear with its place, in any case ("мид россии", "мида рф", "российский мид", "банка россии");
    None when the phrase names no such pair."""
    if found := _placed_names().get(folded_phrase):
        return f"{found[0]}{QUALIFIER_SEPARATOR}{found[1]}"
    words = folded_phrase.split()
    pairs = [(" ".join(words[:-count]), _place_names().get(" ".join(words[-count:]))) for count in range(1, len(words))]
    if len(words) > 1:
        pairs.append((" ".join(words[1:]), _adjective_place(words[0])))
    for name, place in pairs:
        base = group_canonical(name)
        if place and base and qualified_by(base):
            return f"{base}{QUALIFIER_SEPARATOR}{place}"
    return None


def _split_place(name: str) -> tuple[str, str | None]:
    """("министерство обороны", "россия") of "министерство обороны российской федерации", or of
    "российское министерство обороны"; (name, None) when it names no place."""
    if qualified_by(name):
        return name, None
    words = name.split()
    adjective = _adjective_place(words[0]) if len(words) > 1 else None
    if adjective and qualified_by(base := canonical(" ".join(words[1:]))):
        return base, adjective
    for count in range(1, min(MAX_PLACE_WORDS, len(words) - 1) + 1):
        place = _place_names().get(" ".join(words[-count:]))
        if place and qualified_by(base := canonical(" ".join(words[:-count]))):
            return base, place
    return name, None


def _place_after(text: str, mentions: Sequence[Mention], keys: Sequence[str], index: int) -> str | None:
    """The place of a LOC mention right after mention `index` ("МВД Украины", "«Динамо» (Киев)")."""
    following = index + 1
    if following == len(mentions) or mentions[following][2] != "LOC":
        return None
    gap = PLACE_AFTER.fullmatch(text, mentions[index][1], mentions[following][0])
    if gap is None or (gap.group(1) and not text.startswith(")", mentions[following][1])):
        return None
    return keys[following].partition(":")[2]


def _adjective_before(text: str, start: int) -> str | None:
    """The place of an adjective right before `start`, opening quotes between: "киевское «Динамо»"."""
    word = WORD_BEFORE.search(text, max(0, start - LOOK_BEHIND_CHARS), start)
    return _adjective_place(word.group(1)) if word else None


def _adjective_place(word: str) -> str | None:
    by_adjective = places().by_adjective
    return next((by_adjective[p.normal_form] for p in parse(word) if p.normal_form in by_adjective), None)


def _nearest(named: Sequence[tuple[int, str]], index: int) -> str | None:
    """The place named by the nearest mention before `index` (itself included), else the first after."""
    before = [place for at, place in named if at <= index]
    if before:
        return before[-1]
    return named[0][1] if named else None


def _article_country(keys: Sequence[str]) -> str:
    """The country the article's LOC mentions name most; home wins a tie, then the first named; home
    when they name none, or a foreign one only once."""
    country_of, home = places().country_of, places().home
    counts: dict[str, int] = {}
    for key in keys:
        entity_type, _, name = key.partition(":")
        country = country_of.get(name) if entity_type == "LOC" else None
        if country:
            counts[country] = counts.get(country, 0) + 1
    if not counts:
        return home
    most = max(counts, key=lambda country: (counts[country], country == home))
    return most if most == home or counts[most] >= FOREIGN_NAMED_AT_LEAST else home

"""Names that mean one entity: the shipped alias table and abbreviations an article defines.

The table (rules/aliases.txt) is data, one group a line, so adding "Минцифры" or
"Роскомнадзор | РКН" needs no code. A mention finds its group by its normal form or, where
the normal form went wrong ("Банка России" read as a jar), by its surface text among the
case forms of the table's names, made once per process. A group marked "country:" or "city:"
names a body that many states or cities have (МВД, «Динамо»): `homonyms` adds the place to
its key. An article defines an abbreviation by putting it in brackets after a name,
"Европейский парламент (ЕП)", or the name after it, "ВОЗ (Всемирная организация
здравоохранения)": within that article, the mentions of the abbreviation take the name's key
(and type), whether or not the table knows it.
"""

import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from pymorphy3.analyzer import Parse

from newsreader.folding import fold_key
from newsreader.nlp.morph import MorphForm, parse

ALIAS_FILE = Path(__file__).parent / "rules" / "aliases.txt"
GROUP_SEPARATOR = "|"
QUALIFIERS = ("country", "city")
ABBREVIATION_PATTERN = r"[А-ЯЁA-Z][А-ЯЁA-Zа-яё]{0,2}[А-ЯЁA-Z]{1,6}"
ABBREVIATION = re.compile(ABBREVIATION_PATTERN)
DEFINED_ABBREVIATION = re.compile(rf"\s*\(\s*({ABBREVIATION_PATTERN})\s*\)")
OPENING_BRACKET = re.compile(r"\s*\(")
OBLIQUE_CASES = ("gent", "datv", "accs", "ablt", "loct")
HEAD_POS = frozenset({"NOUN", "ADJF", "PRTF"})

Mention = tuple[int, int, str, str]  # start, end, type, normal form
Table = TypeVar("Table")


@dataclass(frozen=True)
class AliasTable:
    """Folded names -> folded canonical names and -> the names as written; `qualified_by`: canonical ->
    "country" or "city"."""

    canonical_of: dict[str, str]
    qualified_by: dict[str, str]
    written: dict[str, str]


def parse_aliases(lines: Sequence[str], source: str) -> AliasTable:
    """The table of alias lines; a malformed line raises ValueError naming it."""
    canonical_of: dict[str, str] = {}
    qualified_by: dict[str, str] = {}
    written: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        qualifier, marked, rest = line.partition(":")
        qualifier = qualifier.strip() if marked and qualifier.strip() in QUALIFIERS else ""
        names = [name.strip() for name in (rest if qualifier else line).split(GROUP_SEPARATOR)]
        if len(names) < (1 if qualifier else 2) or not all(names):
            raise ValueError(f"{source}:{number}: an alias group needs two names or more: {line!r}")
        canonical = fold_key(names[0])
        for name in names:
            folded = fold_key(name)
            if canonical_of.get(folded, canonical) != canonical:
                raise ValueError(f"{source}:{number}: {name!r} is in two alias groups")
            canonical_of[folded] = canonical
            written[folded] = name
        if qualifier:
            qualified_by[canonical] = qualifier
    return AliasTable(canonical_of, qualified_by, written)


def read_rules(parser: Callable[[Sequence[str], str], Table], path: Path) -> Table:
    """A rules file's lines through `parser`, which names the file in its errors."""
    return parser(path.read_text(encoding="utf-8").splitlines(), str(path))


@cache
def alias_table() -> AliasTable:
    """The shipped table, read once per process."""
    return read_rules(parse_aliases, ALIAS_FILE)


@cache
def _inflected_names() -> dict[str, str]:
    """Folded case form of a table name -> the folded name (the names themselves excluded)."""
    table = alias_table().canonical_of
    return case_form_index(((name, name) for name in table), exclude=table)


def case_form_index(names: Iterable[tuple[str, str]], exclude: Container[str]) -> dict[str, str]:
    """Each oblique case form of each (folded name, value) -> value; a form two values share, or one in
    `exclude`, is left out."""
    index: dict[str, str] = {}
    clashes: set[str] = set()
    for name, value in names:
        for form in case_forms(name):
            if form in exclude or index.setdefault(form, value) != value:
                clashes.add(form)
    return {form: value for form, value in index.items() if form not in clashes}


def case_forms(name: str) -> set[str]:
    """The oblique case forms of a folded name: its leading adjectives and first noun inflect, the rest
    stays ("совет федерации" -> "совета федерации", ...)."""
    words = name.split()
    head: list[tuple[int, MorphForm]] = []
    for index, word in enumerate(words):
        reading = next((p for p in parse(word) if p.tag.case == "nomn" and p.tag.POS in HEAD_POS), None)
        if reading is None:
            break
        head.append((index, reading))
        if reading.tag.POS == "NOUN":
            break
    forms = set()
    for case in OBLIQUE_CASES:
        inflected = list(words)
        for index, reading in head:
            form = Parse.inflect(reading, {case})  # pymorphy's grammemes, not natasha's UD ones
            if form is not None:
                inflected[index] = form.word.replace("ё", "е")
        forms.add(" ".join(inflected))
    return forms - {name}


def canonical(folded_name: str) -> str:
    """The folded canonical name of a folded name, or the name itself."""
    return alias_table().canonical_of.get(folded_name, folded_name)


def table_name(folded_name: str, folded_surface: str) -> str | None:
    """The table's name, as written, of a mention whose normal form is not a table name but whose text is
    a case form of one ("Банка России", its normal form read as a jar: "Банк России"); else None."""
    table = alias_table()
    if folded_name in table.canonical_of:
        return None
    name = folded_surface if folded_surface in table.canonical_of else _inflected_names().get(folded_surface)
    return None if name is None else table.written[name]


def group_canonical(folded_phrase: str) -> str | None:
    """The folded canonical name of the table's group that `folded_phrase` names, in any case ("сша", "ес",
    "евросоюза"); None when no group has that name. A search for `loc:США` finds the entity keyed by it."""
    table = alias_table().canonical_of
    name = folded_phrase if folded_phrase in table else _inflected_names().get(folded_phrase)
    return None if name is None else table[name]


@cache
def group_names() -> dict[str, tuple[str, ...]]:
    """The folded canonical name of each group of the table -> every folded name of the group (the entity
    browser finds "США" by the name typed, though its key holds "соединенные штаты америки")."""
    names: dict[str, list[str]] = {}
    for name, canonical in alias_table().canonical_of.items():
        names.setdefault(canonical, []).append(name)
    return {canonical: tuple(each) for canonical, each in names.items()}


def qualified_by(folded_canonical: str) -> str | None:
    """ "country" or "city" for a name many bodies bear (aliases.txt marks them), else None."""
    return alias_table().qualified_by.get(folded_canonical)


def defined_abbreviations(text: str, mentions: Sequence[Mention]) -> dict[str, int]:
    """Folded abbreviation -> index of the mention it abbreviates, for each "Name (ABBR)" or "ABBR (Name)"
    in `text` where ABBR's letters run through the name in order from its first letter (ЕП, РКН for
    Роскомнадзор). `mentions` are in text order."""
    defined: dict[str, int] = {}
    for index, (start, end, entity_type, _) in enumerate(mentions):
        if entity_type == "PER":
            continue
        match = DEFINED_ABBREVIATION.match(text, end)
        if match and _abbreviates(match.group(1), text[start:end]):
            defined.setdefault(fold_key(match.group(1)), index)
        following = index + 1
        if following < len(mentions) and ABBREVIATION.fullmatch(text, start, end):
            name_start, name_end = mentions[following][:2]
            bracketed = OPENING_BRACKET.fullmatch(text, end, name_start) and text.startswith(")", name_end)
            if bracketed and _abbreviates(text[start:end], text[name_start:name_end]):
                defined.setdefault(fold_key(text[start:end]), following)
    return defined


def _abbreviates(abbreviation: str, name: str) -> bool:
    letters, name = fold_key(abbreviation), fold_key(name)
    if not name.startswith(letters[0]) or len(letters) > len(name.split()) + 3:
        return False
    position = 0
    for letter in letters:
        position = name.find(letter, position) + 1
        if not position:
            return False
    return True

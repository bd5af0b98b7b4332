"""Names that mean one entity: the shipped alias table and abbreviations an article defines.

The table (rules/aliases.txt) is data, one group a line, so adding "Минцифры" or
"Роскомнадзор | РКН" needs no code. An article defines an abbreviation by putting it in
brackets after a name, "Европейский парламент (ЕП)", or the name after it, "ВОЗ (Всемирная
организация здравоохранения)": within that article, the mentions
of the abbreviation take the name's key (and type), whether or not the table knows it.
"""

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from newsreader.folding import fold_key

ALIAS_FILE = Path(__file__).parent / "rules" / "aliases.txt"
GROUP_SEPARATOR = "|"
ABBREVIATION_PATTERN = r"[А-ЯЁA-Z][А-ЯЁA-Zа-яё]{0,2}[А-ЯЁA-Z]{1,6}"
ABBREVIATION = re.compile(ABBREVIATION_PATTERN)
DEFINED_ABBREVIATION = re.compile(rf"\s*\(\s*({ABBREVIATION_PATTERN})\s*\)")
OPENING_BRACKET = re.compile(r"\s*\(")

Mention = tuple[int, int, str, str]  # start, end, type, normal form


def parse_aliases(lines: Sequence[str], source: str) -> dict[str, str]:
    """Folded name -> folded canonical name, from alias lines; a malformed line raises ValueError naming it."""
    canonical_of: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [name.strip() for name in line.split(GROUP_SEPARATOR)]
        if len(names) < 2 or not all(names):
            raise ValueError(f"{source}:{number}: an alias group needs two names or more: {line!r}")
        canonical = fold_key(names[0])
        for name in names:
            folded = fold_key(name)
            if canonical_of.get(folded, canonical) != canonical:
                raise ValueError(f"{source}:{number}: {name!r} is in two alias groups")
            canonical_of[folded] = canonical
    return canonical_of


@cache
def alias_table() -> dict[str, str]:
    """The shipped table, read once per process."""
    return parse_aliases(ALIAS_FILE.read_text(encoding="utf-8").splitlines(), str(ALIAS_FILE))


def canonical(folded_name: str) -> str:
    """The folded canonical name of a folded name, or the name itself."""
    return alias_table().get(folded_name, folded_name)


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

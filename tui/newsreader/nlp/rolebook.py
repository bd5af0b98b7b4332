"""The shipped word lists of roles and quotes (rules/roles.txt, rules/speech_verbs.txt), read once per process.

They are data so that a new post ("омбудсмен") or speech verb ("посетовать") needs a line, not code.
Words are matched by their pymorphy3 lemma, case- and ё-folded; every singular form of a listed
word is known up front, so finding candidates in a text is a set lookup per word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from newsreader.folding import fold_aligned as fold
from newsreader.nlp.aliases import read_rules
from newsreader.nlp.morph import parse

RULES = Path(__file__).parent / "rules"
ROLES_FILE = RULES / "roles.txt"
SPEECH_VERBS_FILE = RULES / "speech_verbs.txt"
NEEDS_COMPLEMENT = "+"
SECTIONS = ("heads", "institutions", "same", "places")


def lemma(word: str) -> str:
    """The folded lemma pymorphy3 ranks first (the folded word itself when it has no parse)."""
    parses = parse(word)
    return fold(parses[0].normal_form) if parses else fold(word)


def lemmas(phrase: str) -> tuple[str, ...]:
    return tuple(lemma(word) for word in phrase.split())


@dataclass(frozen=True)
class RoleBook:
    heads: dict[tuple[str, ...], bool]  # head lemmas -> whether it needs a complement
    head_forms: dict[str, set[str]]  # folded singular form -> lemmas of head words it can be
    institutions: frozenset[str]
    same: dict[tuple[str, ...], str]  # lemmas of a name of a post -> its canonical name
    place_adjectives: dict[str, str]  # lemma of a country's adjective -> the country
    place_names: dict[tuple[str, ...], str]  # lemmas of a country's name -> the country

    @cached_property
    def longest_head(self) -> int:
        return max(map(len, self.heads))


def parse_roles(lines: Sequence[str], source: str) -> RoleBook:
    """The role book of roles.txt lines; a malformed line raises ValueError naming it."""
    section = ""
    heads: dict[tuple[str, ...], bool] = {}
    institutions: set[str] = set()
    same: dict[tuple[str, ...], str] = {}
    adjectives: dict[str, str] = {}
    names: dict[tuple[str, ...], str] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            if section not in SECTIONS:
                raise ValueError(f"{source}:{number}: unknown section {line!r}")
            continue
        parts = [part.strip() for part in line.split("|")]
        if section == "heads":
            heads[lemmas(line.rstrip(NEEDS_COMPLEMENT))] = line.endswith(NEEDS_COMPLEMENT)
        elif section == "institutions":
            institutions.add(lemma(line))
        elif section in ("same", "places") and len(parts) >= 2 and all(parts):
            if section == "same":
                same.update((lemmas(part), " ".join(lemmas(parts[0]))) for part in parts)
            else:
                adjectives[lemma(parts[0])] = fold(parts[1])
                names.update((lemmas(part), fold(parts[1])) for part in parts[1:])
        else:
            raise ValueError(f"{source}:{number}: not a line of section [{section}]: {line!r}")
    return RoleBook(
        heads,
        _singular_forms(word for head in heads for word in head),
        frozenset(institutions),
        same,
        adjectives,
        names,
    )


def _singular_forms(words: Iterable[str]) -> dict[str, set[str]]:
    """Folded singular forms of each lemma -> the lemmas they are forms of."""
    forms: dict[str, set[str]] = {}
    for word in set(words):
        for each in parse(word):
            if fold(each.normal_form) != word:
                continue
            for form in each.lexeme:
                if "plur" not in form.tag:
                    forms.setdefault(fold(form.word), set()).add(word)
        forms.setdefault(word, set()).add(word)
    return forms


def parse_speech_verbs(lines: Sequence[str]) -> frozenset[str]:
    """The folded singular past, present third-person and short-adjective forms of the listed lemmas: what
    introduces something said ("заявил", "считает", "уверен"), not what may be ("заявит", "заяви")."""
    forms: set[str] = set()
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for each in parse(line):
            if fold(each.normal_form) != fold(line):
                continue
            for form in each.lexeme:
                tag = form.tag
                short = tag.POS in ("ADJS", "PRTS") and "neut" not in tag  # "уверен", "уверена", "убеждён"
                said = short or (tag.POS == "VERB" and tag.tense in ("past", "pres"))
                if said and "plur" not in tag and tag.person in (None, "3per"):
                    forms.add(fold(form.word))
    return frozenset(forms)


@cache
def role_book() -> RoleBook:
    return read_rules(parse_roles, ROLES_FILE)


@cache
def speech_verbs() -> frozenset[str]:
    return read_rules(lambda lines, _source: parse_speech_verbs(lines), SPEECH_VERBS_FILE)

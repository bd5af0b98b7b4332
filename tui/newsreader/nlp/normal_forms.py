"""Nominative normal forms of entity mentions from pymorphy3 parses (and, in doubt, the sentence).

natasha's `DocSpan.normalize` needs its morph tagger first (~13 ms per 4 KB article,
more than the NER itself), so the case is read off the words instead:

- PER: the (case, gender) that most name words share wins (then the one most first names
  share: "Ларисы Долиной" is genitive, not the instrumental of долина), and those words go to the
  nominative singular of that gender: "Рахманом Мустафаевым" -> "Рахман Мустафаев",
  "Путина" -> "Путин". A word's readings are its Name/Surn/Patr ones, else its other
  singular nouns or adjectives ("Долгорукому"). Indeclinable ("Шойгу") and plural-only
  ("Картавых") words stay as written.
- ORG/LOC: only the head group is inflected, leading adjectives + the first noun; the
  rest stays verbatim: "Министерства обороны" -> "Министерство обороны". The head's
  reading is the one most adjectives agree with, then a dictionary one, then a
  Geox/Orgn one from the dictionary ("Ливана" is Ливан, not the name Ливана), then a singular one unless
  the word only has plural readings ("Соединённых Штатах" -> "Соединённые Штаты").
- A paradigm pymorphy guessed for an unknown word may only drop a case ending
  ("Клинсмана" -> "Клинсман", "Рымашевского" -> "Рымашевский"): guesses that rewrite
  the stem make nonsense of foreign names ("Пелоси" -> "Пелося", "Шольцу" -> "Шолец").
- An abbreviation with a case ending loses it: "МИДа" -> "МИД".
- Where two (case, gender) readings of a PER span tie ("Марину Ковалеву": accusative
  Марина or dative Марин; "Евгения Соколова": nominative feminine or genitive
  masculine), the caller's `context` says which the sentence means (natasha's morph
  tagger reads the words around the name); it is asked only then.
- A surname the dictionary cannot inflect to the chosen gender goes by the regular
  Russian surname endings: "Набиуллиной" -> "Набиуллина", "Гайды" -> "Гайда" for a man.
"""

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

from pymorphy3.units import DictionaryAnalyzer

from newsreader.folding import fold_aligned
from newsreader.nlp.morph import MorphForm, parse


class Token(Protocol):
    start: int
    stop: int
    text: str


NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
PLACE_OR_ORGANISATION = frozenset({"Geox", "Orgn"})
ADJECTIVE_POS = frozenset({"ADJF", "PRTF"})
GENDERS = ("masc", "femn")
GENDERS_OTHER_THAN = {"masc": frozenset({"femn", "neut"}), "femn": frozenset({"masc", "neut"})}
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")  # no vocative: news does not address people
OBLIQUE = frozenset(CASES) - {"nomn"}
CASE_VARIANTS = {"gen2": "gent", "acc2": "accs", "loc2": "loct"}
GUESSED_NOMINATIVE_ENDINGS = ("", "ий", "ый", "ой")
INFLECTED_ABBREVIATION = re.compile(r"([А-ЯЁ]{2,})[а-яё]{1,3}")
CYRILLIC_WORD = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
CACHE_SIZE = 50_000
SURNAME_ENDINGS = {  # gender -> (cases, pattern on the lowercased word, nominative ending for the stem)
    "femn": (
        (OBLIQUE, re.compile(r"(.+(?:ов|ев|ёв|ин|ын))(?:ой|ою|у)"), "а"),
        (OBLIQUE, re.compile(r"(.+(?:ск|цк))(?:ой|ую)"), "ая"),
    ),
    "masc": (
        (OBLIQUE, re.compile(r"(.+(?:ов|ев|ёв|ин|ын))(?:а|у|ым|е)"), ""),
        (OBLIQUE, re.compile(r"(.+(?:ск|цк))(?:ого|ому|им|ом)"), "ий"),
        ({"gent"}, re.compile(r"(.+[^аеёиоуыэюяй])ы|(.+[кгхжшчщ])и"), "а"),  # a man's surname in -а: Гайды
        ({"gent", "accs"}, re.compile(r"(.+[бвгджзклмнпрстфхцчшщ])а"), ""),  # a foreign name: Олафа Шольца
        ({"datv"}, re.compile(r"(.+[бвгджзклмнпрстфхцчшщ])у"), ""),
        ({"ablt"}, re.compile(r"(.+[бвгджзклмнпрстфхцчшщ])(?:ом|ем)"), ""),
    ),
}
GUESSED_ENDING_SWAPS = (  # a guessed a-declension noun ("Нарендры" -> "Нарендра"), or one in -ь ("Эмманюэлем")
    ("а", "ы"),
    ("а", "ой"),
    ("ия", "ии"),
    ("ь", "я"),
    ("ь", "ю"),
    ("ь", "ем"),
)

OPENING_QUOTES = '«"„“'
VOWELS = "аеёиоуыэюяй"
Context = Callable[[], tuple[str, str] | None]  # the (case, gender) the sentence gives a name, if it says


def normal_form(
    text: str, start: int, end: int, entity_type: str, tokens: Sequence[Token], context: Context | None = None
) -> str:
    """Nominative of `text[start:end]`; `tokens` are the razdel tokens inside it.

    Only token texts change: the spacing and anything outside the tokens stay verbatim.
    """
    if not tokens:
        return text[start:end]
    words = [token.text for token in tokens]
    if entity_type == "PER":
        normal = person_words(words, context)
    else:
        quoted = start > 0 and text[start - 1] in OPENING_QUOTES
        normal = head_group_words(words, keep_nominative=quoted)
    pieces = [text[start : tokens[0].start]]
    for index, (token, word) in enumerate(zip(tokens, normal, strict=True)):
        if index:
            pieces.append(text[tokens[index - 1].stop : token.start])
        pieces.append(word)
    pieces.append(text[tokens[-1].stop : end])
    return "".join(pieces)


def person_words(words: list[str], context: Context | None = None) -> list[str]:
    """Each name word in the nominative, in the case and gender the words agree on."""
    out = [_drop_abbreviation_ending(word) for word in words]
    readings = {index: _name_readings(word) for index, word in enumerate(words) if _is_inflectable_name(word)}
    scored = []
    for case in CASES:  # ties go to the earlier case, so a nominative reading wins them
        for gender in GENDERS:
            chosen = {i: by_form[case, gender] for i, by_form in readings.items() if (case, gender) in by_form}
            from_dictionary = sum(_from_dictionary(p) for p in chosen.values())
            first_names = sum("Name" in p.tag.grammemes for p in chosen.values())  # the surest guide
            if chosen:
                score = (len(chosen), first_names, from_dictionary, sum(p.score for p in chosen.values()))
                scored.append((score, case, gender, chosen))
    if not scored:
        return out
    best = max(score[:2] for score, *_ in scored)
    best_count = best[0]
    tied = [candidate for candidate in scored if candidate[0][:2] == best]
    # a nominative read off some words only may be wrong ("Олафа Шольца": Олафа as a woman's name)
    doubtful_nominative = best_count < len(readings) and all(case == "nomn" for _, case, _, _ in tied)
    readings_differ = len({(c == "nomn", g) for _, c, g, _ in tied}) > 1  # gent or accs: the same nominative
    wanted = context() if context is not None and (readings_differ or doubtful_nominative) else None
    # the tagger's case is surer than its gender ("оштрафовал Петрову": accusative, read masculine)
    _, case, gender, chosen = max(
        tied, key=lambda c: (c[1:3] == wanted, wanted is not None and c[1] == wanted[0], c[0])
    )
    if doubtful_nominative and wanted is not None and wanted[0] != "nomn":  # the sentence gives an oblique
        case, gender = wanted  # case: the words without a reading in it go by the regular endings
        chosen = next((c for _, *form, c in scored if tuple(form) == wanted), {})
    if case == "nomn":
        return out
    for index in readings:
        reading = chosen.get(index)
        if reading is not None:
            target = {"nomn", "sing"} | ({gender} & reading.tag.grammemes)
            out[index] = inflect(words[index], reading, frozenset(target))
        if reading is None or (out[index] == words[index] and not _from_dictionary(reading)):
            if not _indeclinable(words[index]):
                out[index] = _surname_nominative(words[index], case, gender) or out[index]
    return out


def _indeclinable(word: str) -> bool:
    return any("Fixd" in reading.tag.grammemes for reading in parse(word))


def _surname_nominative(word: str, case: str, gender: str) -> str | None:
    """`word` (in `case`) as a name of `gender` in the nominative, by the regular endings."""
    lowered = word.lower()
    for cases, pattern, ending in SURNAME_ENDINGS[gender]:
        match = pattern.fullmatch(lowered) if case in cases else None
        if match:
            stem = match.group(1) or match.group(2)
            return word[: len(stem)] + ending
    return None


def head_group_words(words: list[str], keep_nominative: bool = False) -> list[str]:
    """Leading adjectives and the first noun in the nominative; the rest verbatim. A quoted name whose
    likeliest reading is a nominative keeps its form (keep_nominative): «Ведомости», not Ведомость."""
    out = [_drop_abbreviation_ending(word) for word in words]
    if keep_nominative and (parses := parse(words[0])) and parses[0].tag.case == "nomn":
        return out
    adjectives, head, nouns = [], None, []
    for index, word in enumerate(words):
        if not CYRILLIC_WORD.fullmatch(word) or word.isupper() or INFLECTED_ABBREVIATION.fullmatch(word):
            break
        parses = parse(word)
        nouns = [
            p for p in parses if p.tag.POS == "NOUN" and not NAME_GRAMMEMES & p.tag.grammemes and _plausible(p, word)
        ]
        could_be_adjective = any(p.tag.POS in ADJECTIVE_POS for p in parses)
        if index < len(words) - 1 and could_be_adjective and (not nouns or parses[0].tag.POS in ADJECTIVE_POS):
            adjectives.append(index)
            continue
        head = index if nouns else None
        break
    if head is None:
        return out
    scored = []
    for noun in nouns:
        agreeing: dict[int, MorphForm] = {}
        for index in adjectives:
            reading = _agreeing_adjective(parse(words[index]), noun)
            if reading is not None:
                agreeing[index] = reading
        proper = bool(PLACE_OR_ORGANISATION & noun.tag.grammemes) and _from_dictionary(noun)
        singular = "sing" in noun.tag.grammemes
        bare_stem = not _from_dictionary(noun) and noun.normal_form[-1:] not in VOWELS  # Росстата: Росстат
        nominative = noun.tag.case == "nomn"
        score = (len(agreeing), _from_dictionary(noun), proper, singular, bare_stem, nominative, noun.score)
        scored.append((score, noun, agreeing))
    _, noun, agreeing = max(scored, key=lambda candidate: candidate[0])  # the first of equal scores
    if noun.tag.case == "nomn":
        return out
    # a singular adjective with a plural noun: Курской и Белгородской областях
    coordinated = any("sing" in reading.tag.grammemes for reading in agreeing.values())
    number = "plur" if "plur" in noun.tag.grammemes and not coordinated else "sing"
    out[head] = inflect(words[head], noun, frozenset({"nomn", number}))
    adjective_target = {"nomn", number} | ({noun.tag.gender} if number == "sing" and noun.tag.gender else set())
    for index, reading in agreeing.items():
        out[index] = inflect(words[index], reading, frozenset(adjective_target))
    return out


def inflect(word: str, reading: MorphForm, target: frozenset[str]) -> str:
    """`word` (read as `reading`) in the form with the `target` grammemes, or `word` itself."""
    form = _lexeme_form(word.lower(), reading, target)
    if form is None or not (_from_dictionary(reading) or _only_ending_changed(word.lower(), form)):
        return word
    if "ё" not in word.lower():
        form = form.replace("ё", "е")
    return _same_shape(form, word)


@lru_cache(maxsize=CACHE_SIZE)
def _lexeme_form(word: str, reading: MorphForm, target: frozenset[str]) -> str | None:
    """Among the lexeme's forms with `target`, the one closest to `word`: same part of
    speech and degree ("Высшей" -> "Высшая", not "Высочайшая"), then the longest
    common prefix, then the most grammemes in common (passive stays passive)."""
    superlative = "Supr" in reading.tag.grammemes
    best, best_key = None, None
    for form in reading.lexeme:
        grammemes = form.tag.grammemes
        if not target <= grammemes or form.tag.POS != reading.tag.POS or ("Supr" in grammemes) != superlative:
            continue
        shared = len(grammemes & reading.tag.grammemes)
        key = (_common_prefix_length(fold_aligned(form.word), fold_aligned(word)), shared, -len(form.word))
        if best_key is None or key > best_key:
            best, best_key = form.word, key
    return best


@lru_cache(maxsize=CACHE_SIZE)
def _name_readings(word: str) -> dict[tuple[str, str], MorphForm]:
    """The likeliest reading of a name word for each (case, gender) it fits; none for
    an indeclinable word."""
    singular = [p for p in parse(word) if "sing" in p.tag.grammemes and _case(p) in CASES and _plausible(p, word)]
    candidates = (
        [p for p in singular if p.tag.POS == "NOUN" and NAME_GRAMMEMES & p.tag.grammemes]
        or [p for p in singular if p.tag.POS == "NOUN"]
        or [p for p in singular if p.tag.POS == "ADJF"]
    )
    if any("Fixd" in p.tag.grammemes for p in candidates):
        return {}
    readings: dict[tuple[str, str], MorphForm] = {}
    for reading in sorted(candidates, key=lambda p: p.score, reverse=True):
        for gender in GENDERS:
            if not GENDERS_OTHER_THAN[gender] & reading.tag.grammemes:
                readings.setdefault((_case(reading), gender), reading)
    return readings


def _agreeing_adjective(parses: Sequence[MorphForm], noun: MorphForm) -> MorphForm | None:
    """The adjective's reading that agrees with `noun`; a singular one agrees with a plural noun of its gender,
    as coordinated adjectives do ("Курской и Белгородской областях")."""
    for reading in parses:
        tag = reading.tag
        if tag.POS in ADJECTIVE_POS and _case(reading) == _case(noun):
            if tag.number == noun.tag.number == "plur" or (tag.number == "sing" and tag.gender == noun.tag.gender):
                return reading
    return None


def _from_dictionary(reading: MorphForm) -> bool:
    """Read off a dictionary paradigm, not guessed from the ending or past an unknown prefix."""
    stack = reading.methods_stack
    return len(stack) == 1 and type(stack[0][0]) is DictionaryAnalyzer


def _plausible(reading: MorphForm, word: str) -> bool:
    return _from_dictionary(reading) or _only_ending_changed(word.lower(), reading.normal_form)


def _only_ending_changed(word: str, form: str) -> bool:
    """`form` is `word` less a case ending of up to three letters, plus maybe an adjective's -ий/-ый/-ой,
    or a noun in -а whose genitive or instrumental `word` is."""
    for ending in GUESSED_NOMINATIVE_ENDINGS:
        stem = form[: len(form) - len(ending)]
        if form.endswith(ending) and word.startswith(stem) and len(word) - len(stem) <= 3:
            return True
    return any(form.endswith(a) and word == form[: -len(a)] + b for a, b in GUESSED_ENDING_SWAPS)


def _case(reading: MorphForm) -> str:
    """The reading's case, its variants merged into the main case; "" for a word without case."""
    case = reading.tag.case or ""
    return CASE_VARIANTS.get(case, case)


def _is_inflectable_name(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and not word.isupper() and CYRILLIC_WORD.fullmatch(word) is not None


def _drop_abbreviation_ending(word: str) -> str:
    match = INFLECTED_ABBREVIATION.fullmatch(word)
    return match.group(1) if match else word


def _same_shape(form: str, source: str) -> str:
    """Capitalise `form` the way `source` is: "ростов-на-дону" like "Ростове-на-Дону"."""
    if source.isupper() and len(source) > 1:
        return form.upper()
    parts, source_parts = form.split("-"), source.split("-")
    if len(parts) != len(source_parts):
        return form.capitalize() if source[:1].isupper() else form
    return "-".join(p.capitalize() if s[:1].isupper() else p for p, s in zip(parts, source_parts, strict=True))


def _common_prefix_length(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):  # up to the shorter one
        if x != y:
            break
        length += 1
    return length

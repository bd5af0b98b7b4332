"""Who said what: direct and reported speech, attributed to a person of the article.

Found around the speech verbs of rules/speech_verbs.txt, in the shapes Russian news uses:

    «Мы готовы», — заявил Петров.          direct, the speaker after the verb
    — Мы готовы, — сказал он.              direct (dialogue); "он" is the nearest person before
    Петров заявил: «Мы готовы».            direct, the speaker before the verb
    Петров заявил, что они готовы.         reported
    Как сообщил Петров, они готовы.        reported
    Они готовы, сообщил глава МИД Сергей Лавров.
    По словам Петрова, они готовы.
    «Мы готовы». Об этом заявил Петров.    the speaker in the next sentence

The speaker is a person mention, a role standing for one (`roles`: "глава МИД", linked), or
"он"/"она" resolved to the nearest person of the same gender in that sentence or the one
before. A verb with no person beside it ("заявил источник", "говорится в сообщении") gives
nothing: precision first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsreader.folding import fold_aligned as fold
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.morph import parse
from newsreader.nlp.rolebook import speech_verbs
from newsreader.nlp.roles import REFERENCE, TITLE, TOKEN, RoleMention

DIRECT = "direct"
REPORTED = "reported"
OPENING_MARKS = '«„“"'
OPENING_QUOTES = {"»": "«", '"': '"', "”": "“„", "“": "„"}
BEFORE_VERB = re.compile(r"(?P<close>[»\"”“])?\s*(?P<punct>[,.!?…]*)\s*(?P<dash>[—–-])?\s*$")
DIALOGUE_START = re.compile(r"\s*[—–]\s*")
DIALOGUE_RESUMES = re.compile(r"[.!?…]\s+[—–]\s+")
THAT = re.compile(r"(?:\s+[\w-]+){0,4}?\s*,\s*(?:что|будто|якобы)\s+")
COLON_QUOTE = re.compile(r"\s*:\s*(?P<open>[«\"„“])")
ACCORDING_TO = re.compile(r"\b[Пп]о\s+(?:словам|мнению|оценке|утверждению|признанию)\s+")
RELATIVE = re.compile(r"котор", re.IGNORECASE)
LEADING_THAT = re.compile(r"(?:[Оо]\s+том\s*,\s*)?[Чч]то\s+")
ABOUT_THIS = frozenset({("об", "этом"), ("так",), ("это",), ("о", "том")})
PRONOUNS = {"он": "masc", "она": "femn"}
GAP_WORDS = frozenset({"ADVB", "PRCL", "CONJ"})
MAX_GAP_WORDS = 2
MAX_QUOTE_CHARS = 3_000  # a quotation mark further than this from its pair is not looked for: no quadratic scans
RECENT_QUOTES = 8
EDGES = ' \t\n.,;:!?…—–-«»"„“”()'
FEMININE_SURNAME = re.compile(r"(?:ова|ева|ёва|ина|ына|ая|ской|цкая)$")
MASCULINE_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ий|ой|ский|цкий)$")


@dataclass(frozen=True, slots=True)
class Quote:
    """`text[start:end]` is what the person `key` said; `kind` is DIRECT (in quotation marks or a dialogue
    dash) or REPORTED; sentence_start..sentence_end is the quote with its attribution, what the reader marks."""

    start: int
    end: int
    key: str
    kind: str
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True, slots=True)
class _Speaker:
    """A person's span; a pronoun has no key yet and its gender instead, resolved once its quote is known."""

    key: str
    start: int
    end: int
    gender: str = ""


class _Speakers:
    """Where each person mention, or role standing for a person, starts and ends; a pronoun is found here and
    given its person by `resolve` once its quote is known."""

    def __init__(self, text: str, entities: Sequence[EntityMention], roles: Sequence[RoleMention]) -> None:
        self.text = text
        self.persons = [_Speaker(e.key, e.start, e.end) for e in entities if e.type == "PER"]
        self.genders = {e.key: _gender(e.normal) for e in entities if e.type == "PER"}
        self.by_start = {person.start: person for person in self.persons}
        self.by_end = {person.end: person for person in self.persons}
        for role in roles:
            if role.kind == REFERENCE:
                self.persons.append(_Speaker(role.key, role.start, role.end))
                self.by_start[role.start] = self.by_end[role.end] = self.persons[-1]
            elif role.kind == TITLE:
                name = self.by_start.get(_skip_space(text, role.end))
                if name is not None and name.key == role.key:  # "глава МИД Сергей Лавров"
                    self.by_start[role.start] = _Speaker(role.key, role.start, name.end)
                else:  # "Сергей Лавров, глава МИД,"
                    self.by_end[role.end] = _Speaker(role.key, role.start, role.end)
        self.persons.sort(key=lambda person: person.start)
        self._person_starts = [person.start for person in self.persons]

    def after(self, position: int) -> _Speaker | None:
        """The speaker right after `position` (spaces between); a pronoun has no key yet."""
        start = _skip_space(self.text, position)
        return self.by_start.get(start) or self._pronoun(start, ahead=True)

    def before(self, position: int) -> _Speaker | None:
        """The speaker right before `position`, with at most two adverbs or particles between ("Петров также")."""
        end = _space_before(self.text, position)
        if self.text[end - 1 : end] == ",":  # "Сергей Лавров, глава МИД, заявил"
            title = self.by_end.get(_space_before(self.text, end - 1))
            return title if title is not None and title.start != title.end else None
        for _ in range(MAX_GAP_WORDS + 1):
            end = _space_before(self.text, end)
            found = self.by_end.get(end) or self._pronoun(end, ahead=False)
            if found is not None:
                return found
            word = re.search(r"[\w-]+$", self.text[max(end - 40, 0) : end])
            if word is None or not word.group().islower() or parse(word.group())[0].tag.POS not in GAP_WORDS:
                return None
            end -= len(word.group())
        return None

    def agreeing(self, speaker: _Speaker | None, gender: str | None) -> _Speaker | None:
        """The speaker, unless the verb's gender says it is someone else: "Пресс-служба Кадырова заявила"."""
        if speaker is None or gender is None:
            return speaker
        known = speaker.gender if not speaker.key else self.genders.get(speaker.key)
        return speaker if known in (gender, None) else None

    def _pronoun(self, at: int, ahead: bool) -> _Speaker | None:
        match = re.match(r"[Оо]на?\b", self.text[at : at + 4]) if ahead else None
        if not ahead:
            match = re.search(r"\b[Оо]на?$", self.text[max(at - 4, 0) : at])
            at -= len(match.group()) if match else 0
        if match is None:
            return None
        return _Speaker("", at, at + len(match.group()), PRONOUNS[match.group().lower()])

    def resolve(self, quote: Quote, pronoun: _Speaker, since: int) -> Quote | None:
        """The quote of a pronoun given to the last person of its gender mentioned before both (not before
        `since`): "— Мы готовы, — сказал он." skips the people named inside the quote."""
        position = min(quote.start, pronoun.start)
        for index in range(bisect_right(self._person_starts, position - 1) - 1, -1, -1):
            person = self.persons[index]
            if person.start < since:
                return None
            if person.end <= position and self.genders.get(person.key) in (pronoun.gender, None):
                return replace(quote, key=person.key)
        return None


def find_quotes(
    text: str, entities: Sequence[EntityMention], roles: Sequence[RoleMention], sentences: Sequence[tuple[int, int]]
) -> list[Quote]:
    """Every attributed quote of `text`, in text order."""
    speakers = _Speakers(text, entities, roles)
    verbs = speech_verbs()
    found: list[Quote] = []
    sentence_starts = [start for start, _ in sentences]
    folded = fold(text)  # one character for one: a word's folded form is at its offsets
    for index, (start, end) in enumerate(sentences):
        previous = sentences[index - 1] if index else None
        quotes = []
        for quote, speaker in _sentence_quotes(text, folded, start, end, previous, speakers, verbs):
            if not speaker.key:  # the person is in the sentence where the quote opens, or the one before
                opens = bisect_right(sentence_starts, min(quote.start, speaker.start)) - 1
                quote = speakers.resolve(quote, speaker, since=sentences[max(opens - 1, 0)][0])
            recent = found[-RECENT_QUOTES:]  # only a quote of this sentence or the one before can overlap
            if quote is not None and not any(quote.start < other.end and other.start < quote.end for other in recent):
                quotes.append(quote)
        if not quotes and found:
            quotes = _dialogue_goes_on(text, start, end, found[-1])
        found += quotes
    return sorted(found, key=lambda quote: quote.start)


def _dialogue_goes_on(text: str, start: int, end: int, last: Quote) -> list[Quote]:
    """ "— Мы справимся, — заявил Воробьев. — Помощь уже в пути.": a dash opening the next sentence of the same
    line goes on with the same speaker's words."""
    dialogue = last.kind == DIRECT and text[last.sentence_start] in "—–" and last.sentence_end <= start
    if not dialogue or "\n" in text[last.sentence_end : start] or not DIALOGUE_START.match(text, start):
        return []
    if re.search("[—–]", text[_skip_dash(text, start) : end]):  # an attribution of its own, not understood
        return []
    quote = _quote(text, _skip_dash(text, start), end, _Speaker(last.key, start, start), DIRECT, start, end)
    return [] if quote is None else [quote]


def _sentence_quotes(text, folded, start, end, previous, speakers: _Speakers, verbs: frozenset[str]):
    """(quote, speaker) of each speech verb of the sentence with a quote and a speaker, and of "По словам"."""
    found = []
    tokens = [match.span() for match in TOKEN.finditer(text, start, end)]
    for position, (verb_start, verb_end) in enumerate(tokens):
        if folded[verb_start:verb_end] not in verbs or (text[verb_start].isupper() and position > 0):
            continue
        if position and folded[tokens[position - 1][0] : tokens[position - 1][1]] == "не":
            continue  # "не уверен, что …", "не сказал, что …": not a claim
        word = text[verb_start:verb_end]
        before = [folded[s:e] for s, e in tokens[:position] if text[s].isalnum()]
        quote = None
        gender = _verb_gender(word)
        speaker = speakers.agreeing(speakers.after(verb_end), gender)
        if speaker is not None:
            lead = _adverb_start(text, tokens, position)  # "«…», — также отметил Греф"
            quote = _inverted(text, start, end, lead, speaker, before[: len(before) - (lead < verb_start)], previous)
        if quote is None and (speaker := speakers.agreeing(speakers.before(verb_start), gender)) is not None:
            quote = _speaker_first(text, start, end, verb_end, speaker)
        if quote is not None and speaker is not None:
            found.append((quote, speaker))
    return found + _according_to(text, start, end, speakers)


def _inverted(text, start, end, verb_start, speaker: _Speaker, before, previous) -> Quote | None:
    """The verb before its speaker: a quote before them, "Как заявил Петров, …", "Об этом заявил Петров"."""
    line_start = text.rfind("\n", max(verb_start - MAX_QUOTE_CHARS, 0), verb_start) + 1
    if line_start == 0 and verb_start > MAX_QUOTE_CHARS:  # no line break near: no dialogue line, a bounded search
        line_start = verb_start - MAX_QUOTE_CHARS
    window = max(line_start, verb_start - 12)
    shape = BEFORE_VERB.search(text, window, verb_start)
    assert shape is not None  # every part of the pattern is optional
    close, punct, dash = shape.group("close"), shape.group("punct"), shape.group("dash")
    if close and (punct or dash):
        opening = _opening(text, shape.start("close"), line_start)
        if opening is not None:
            return _quote(text, opening + 1, shape.start("close"), speaker, DIRECT, min(opening, start), end)
    at_line_start = line_start == 0 or text[line_start - 1] == "\n"
    if dash and punct and at_line_start and DIALOGUE_START.match(text, line_start):
        resumed = [match.end() for match in DIALOGUE_RESUMES.finditer(text, line_start, shape.start())]
        quote_start = resumed[-1] if resumed else _skip_dash(text, line_start)
        return _quote(text, quote_start, shape.start("punct"), speaker, DIRECT, line_start, end)
    if punct == "," and before:  # "«Утверждают, что это правило, — пояснила она, — но …»" is in quotation marks
        kind = DIRECT if text[_skip_space(text, start)] in OPENING_MARKS else REPORTED
        return _quote(text, start, shape.start("punct"), speaker, kind, start, end)
    if before == ["как"]:
        comma = text.find(",", speaker.end, end)
        return None if comma < 0 else _quote(text, comma + 1, end, speaker, REPORTED, start, end)
    if tuple(before) in ABOUT_THIS and previous is not None and text[previous[1] : start].isspace():
        sentence = text[previous[0] : previous[1]].strip()
        direct = sentence[:1] in '«"„“' and sentence.rstrip(".!?…")[-1:] in '»"”“'
        return _quote(text, previous[0], previous[1], speaker, DIRECT if direct else REPORTED, previous[0], end)
    colon = COLON_QUOTE.match(text, speaker.end)
    if colon:
        return _quoted_after(text, colon.start("open"), speaker, start, end)
    that = THAT.match(text, speaker.end, end)
    if that and not before:
        return _quote(text, that.end(), end, speaker, REPORTED, start, end)
    return None


def _adverb_start(text: str, tokens: list[tuple[int, int]], verb: int) -> int:
    """Where the adverb or particle right before the verb starts, or the verb's start when there is none."""
    if verb == 0:
        return tokens[verb][0]
    word = text[tokens[verb - 1][0] : tokens[verb - 1][1]]
    if word.islower() and parse(word)[0].tag.POS in ("ADVB", "PRCL"):  # not "как" of ", как заявил Петров,"
        return tokens[verb - 1][0]
    return tokens[verb][0]


def _speaker_first(text, start, end, verb_end, speaker: _Speaker) -> Quote | None:
    """ "Петров заявил, что …", "Петров заявил: «…»"."""
    colon = COLON_QUOTE.match(text, verb_end)
    if colon:
        return _quoted_after(text, colon.start("open"), speaker, start, end)
    that = THAT.match(text, verb_end, end)
    if that:
        return _quote(text, that.end(), end, speaker, REPORTED, min(start, speaker.start), end)
    return None


def _according_to(text, start, end, speakers: _Speakers) -> list[tuple[Quote, _Speaker]]:
    """ "По словам Петрова, …" at the start of a sentence: the rest of it is what he said."""
    match = ACCORDING_TO.match(text, _skip_space(text, start))
    speaker = speakers.after(match.end()) if match else None
    if speaker is None:
        return []
    comma = text.find(",", speaker.end, end)
    if comma < 0:
        return []
    title = speakers.by_end.get(text.find(",", comma + 1, end))
    if title is not None and title.key == speaker.key:  # "По словам Сергея Лаврова, главы МИД, …"
        comma = title.end
    if RELATIVE.match(text, _skip_space(text, comma + 1)):  # "По словам Петрова, которого цитирует ТАСС, …"
        comma = text.find(",", comma + 1, end)
        if comma < 0:
            return []
    quote = _quote(text, comma + 1, end, speaker, REPORTED, start, end)
    return [] if quote is None else [(quote, speaker)]


def _quoted_after(text, opening: int, speaker: _Speaker, start: int, end: int) -> Quote | None:
    """The quotation that opens at `opening`, to its closing mark on the same line."""
    closing_marks = {"«": "»", '"': '"', "„": "“”", "“": "”"}[text[opening]]
    line_end = text.find("\n", opening, opening + MAX_QUOTE_CHARS)
    line_end = min(len(text), opening + MAX_QUOTE_CHARS) if line_end < 0 else line_end
    depth = 0
    for at in range(opening + 1, line_end):
        if text[at] == text[opening] and text[opening] == "«":
            depth += 1
        elif text[at] in closing_marks:
            if depth == 0:
                return _quote(text, opening + 1, at, speaker, DIRECT, min(start, speaker.start), max(end, at + 1))
            depth -= 1
    return None


def _opening(text: str, closing: int, line_start: int) -> int | None:
    """Where the quotation closed at `closing` opens, on the same line; «» nest."""
    opens = OPENING_QUOTES[text[closing]]
    depth = 0
    for at in range(closing - 1, line_start - 1, -1):
        char = text[at]
        if char == text[closing] and char == "»":
            depth += 1
        elif char in opens:
            if depth == 0:
                return at
            depth -= 1
    return None


def _quote(
    text: str, start: int, end: int, speaker: _Speaker, kind: str, mark_start: int, mark_end: int
) -> Quote | None:
    """The quote with its edges trimmed, or None when nothing is left of it."""
    while start < end and text[start] in EDGES:
        start += 1
    while end > start and text[end - 1] in EDGES:
        end -= 1
    that = LEADING_THAT.match(text, start, end) if kind == REPORTED else None
    start = that.end() if that else start  # "О том, что …, заявил Петров"
    if end - start < 2 or not any(char.isalpha() for char in text[start:end]):
        return None
    return Quote(start, end, speaker.key, kind, min(mark_start, start, speaker.start), max(mark_end, end, speaker.end))


def _skip_dash(text: str, position: int) -> int:
    """After the dash (and spaces) that opens a line of dialogue at `position`."""
    opening = DIALOGUE_START.match(text, position)
    return opening.end() if opening else position


def _space_before(text: str, position: int) -> int:
    """Where the spaces right before `position` start."""
    while position > 0 and text[position - 1] in " \t\xa0\n":
        position -= 1
    return position


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\xa0":
        position += 1
    return position


def _verb_gender(word: str) -> str | None:
    """masc or femn for a past or short form that shows it ("заявила", "уверен"), else None ("считает")."""
    genders = {p.tag.gender for p in parse(word) if p.tag.POS in ("VERB", "ADJS", "PRTS")}
    return next(iter(genders)) if len(genders) == 1 and genders <= {"masc", "femn"} else None


def _gender(normal: str) -> str | None:
    """masc or femn from the first name (or the surname's ending) of a person's normal form; None if unsure."""
    words = normal.split()
    for p in parse(words[0]) if words else ():
        if "Name" in p.tag and p.tag.gender in ("masc", "femn"):
            return p.tag.gender
    last = words[-1].lower() if words else ""
    if FEMININE_SURNAME.search(last):
        return "femn"
    if MASCULINE_SURNAME.search(last):
        return "masc"
    return None

"""People, organisations and places in article text: spans, normal forms, entity keys.

natasha's NewsNERTagger finds the spans; general post-rules fix its systematic errors;
`normal_forms` puts each mention in the nominative from pymorphy3 parses; mentions of
one person inside an article share a key. The text is tokenized once (razdel, as
natasha's Segmenter does) and the NER model and every rule read those tokens.

Any length, linear time, bounded memory: the tokens are found piece by piece and kept as
offset arrays (`tokens`), the model runs in chunks (`tagging`), and every rule is a pass
over the tokens or the spans, with bisection where it looks something up. Results are
those of one pass over the whole text: `tests/test_long_articles.py` checks it.

Post-rules, in order, with the exact-span micro F1 each added on the FactRuEval dev set
in the prototype (plain natasha 0.8681, all rules 0.9112; this token-based version 0.9114):

    split      +0.0201  split at ( ) [ ] • | and line breaks, trim edge punctuation
    quotes     +0.0060  keep the quoted name, drop a one-word descriptor: ОАО «Газпром»
    stoplist   +0.0017  drop generic abbreviations (СМИ, ОАО) and parts of domain names
    sentstart  +0.0011  drop a one-word span at a sentence start that is a common word
    propagate  +0.0036  tag the untagged repeats of a capitalised tagged form
    orglex     +0.0102  supranational bodies are ORG (ЕС, НАТО), natasha says LOC; so is the
                        Kremlin, which news names as the administration (±0: dev set has none)
    surnprop   +0.0004  the surname of a full PER name tags its bare repeats
    abbrev     ±0       an abbreviation the text defines, "Европейский парламент (ЕП)", tags its
                        untagged uses with the name's type (`aliases`), which then share its key

Keys: the shipped alias table (rules/aliases.txt) gives "Минобороны" and "Министерство
обороны" one key; an abbreviation the article defines takes its name's key.

Rejected: per-document type vote (-0.0008), propagation by lemma (-0.0022), splitting
at "/" and PER-only lemma propagation (±0), "МКС" as LOC (+0.0068, but that is the
dev set's labelling convention, not an error).
"""

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial

from razdel import sentenize, tokenize

from newsreader.folding import fold_key
from newsreader.nlp.aliases import ALIAS_FILE, canonical, defined_abbreviations, table_name
from newsreader.nlp.homonyms import PLACES_FILE, qualified_keys
from newsreader.nlp.morph import morph_vocab, parse
from newsreader.nlp.normal_forms import Context, head_group_words, normal_form
from newsreader.nlp.tagging import MorphModel, NerModel, Span
from newsreader.nlp.tokens import Tokens

Mention = tuple[int, int, str, str]  # start, end, type, normal form


def _rules_digest() -> str:
    """A digest of the shipped rules files: editing aliases.txt or places.txt changes the version, so the
    analysis cache is not kept past an edit."""
    digest = hashlib.sha256()
    for path in (ALIAS_FILE, PLACES_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# 2: names in context, aliases, defined abbreviations; 3: homonyms placed, case-form aliases; 4: a foreign
# country named once does not place an article's bodies
PIPELINE_VERSION = f"4.{_rules_digest()}"


@dataclass(frozen=True, slots=True)
class EntityMention:
    """`text == article_text[start:end]`; `key` is shared by the mentions of one entity."""

    start: int
    end: int
    type: str
    text: str
    normal: str
    key: str


@dataclass(frozen=True, slots=True)
class TextAnalysis:
    entities: tuple[EntityMention, ...]
    sentences: tuple[tuple[int, int], ...]


@cache
def _embedding():
    from natasha import NewsEmbedding

    return NewsEmbedding()


@cache
def _ner_tagger():
    from natasha import NewsNERTagger

    return NewsNERTagger(_embedding())


@cache
def _morph_model() -> MorphModel:
    """natasha's morph tagger (its model is in the wheel), loaded the first time a name's case is in doubt."""
    from natasha import NewsMorphTagger

    return MorphModel(NewsMorphTagger(_embedding()))


@cache
def _ner_model() -> NerModel:
    return NerModel(_ner_tagger())


class EntityRecognizer:
    """Loads natasha's models once (per process); nothing downloads at run time.

    `tagger` is natasha's NewsNERTagger; `tagging` runs its slovnet model in chunks,
    several texts at a time.
    """

    def __init__(self) -> None:
        self.tagger = _ner_tagger()
        self._model = _ner_model()
        morph_vocab()

    def analyze(self, text: str) -> TextAnalysis:
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str]) -> list[TextAnalysis]:
        """`analyze` of each text; the NER model runs over several at once, and so does the morph tagger that
        reads the case of the names in doubt, which is faster."""
        all_tokens = [Tokens(text) for text in texts]
        found = self._model.spans(all_tokens)
        drafts = [_draft(text, tokens, spans) for text, tokens, spans in zip(texts, all_tokens, found, strict=True)]
        names = [
            (draft.tokens, draft.sentences, first, last) for draft in drafts for _, first, last, _ in draft.in_doubt
        ]
        readings = iter(_cases_in_context(names))
        return [_analysis(draft, [next(readings) for _ in draft.in_doubt]) for draft in drafts]


@dataclass(frozen=True, slots=True)
class _Draft:
    """A text's mentions before the names in doubt are read in context: `in_doubt` holds (mention index,
    first token, last token, tokens inside) of each."""

    text: str
    tokens: Tokens
    sentences: tuple[tuple[int, int], ...]
    mentions: list[Mention]
    in_doubt: list[tuple[int, int, int, list]]


def _draft(text: str, tokens: Tokens, ner_spans: list[Span]) -> _Draft:
    spans = _post_rules(text, tokens, ner_spans)
    mentions: list[Mention] = []
    first_names = _first_names_by_surname(text, spans)
    in_doubt: list[tuple[int, int, int, list]] = []
    for start, end, entity_type in spans:
        first, last = bisect_right(tokens.starts, start - 1), bisect_right(tokens.starts, end - 1)
        inside = [token for token in tokens.substrings(first, last) if token.stop <= end]
        asked: list[bool] = []
        # a bare surname of one person's full name takes that surname: no need to read its case
        moot = entity_type == "PER" and _one_person_named(text[start:end], first_names)
        normal = normal_form(text, start, end, entity_type, inside, None if moot else partial(asked.append, True))
        if asked:  # read again in `_analysis`, with the case the morph tagger gives
            in_doubt.append((len(mentions), first, last, inside))
        mentions.append((start, end, entity_type, normal))
    return _Draft(text, tokens, sentence_bounds(text), mentions, in_doubt)


def _analysis(draft: _Draft, readings: list[Context]) -> TextAnalysis:
    text, mentions = draft.text, list(draft.mentions)
    for (index, _, _, inside), reading in zip(draft.in_doubt, readings, strict=True):
        start, end, entity_type, _ = mentions[index]
        mentions[index] = (start, end, entity_type, normal_form(text, start, end, entity_type, inside, reading))
    mentions = _coordinated_heads(text, mentions)
    linked = _normals_and_keys(text, mentions)
    keys = qualified_keys(text, mentions, [key for _, key in linked])
    linked = [(normal, key) for (normal, _), key in zip(linked, keys, strict=True)]
    types = [entity_type for _, _, entity_type, _ in mentions]
    for index, defining in _abbreviation_uses(text, mentions).items():
        types[index], linked[index] = types[defining], (linked[index][0], linked[defining][1])
    entities = tuple(EntityMention(s, e, types[i], text[s:e], *linked[i]) for i, (s, e, _, _) in enumerate(mentions))
    return TextAnalysis(entities, draft.sentences)


def _first_names_by_surname(text: str, spans: list[Span]) -> dict[str, set[str]]:
    """Surname variant -> lemmas of the first names of the full PER names ending in it; a variant that is
    also a one-word place of the text (Королёв) gets a second, empty first name: it stays in doubt."""
    first_names: dict[str, set[str]] = {}
    for start, end, entity_type in spans:
        words = text[start:end].split()
        if entity_type == "PER" and len(words) >= 2 and not INITIAL.fullmatch(words[0]):
            for variant in _surname_variants(words[-1]):
                first_names.setdefault(variant, set()).add(_lemma(words[0]))
    for start, end, entity_type in spans:
        if entity_type == "LOC" and WORD.fullmatch(text, start, end):
            for variant in _surname_variants(text[start:end]) & first_names.keys():
                first_names[variant].add("")
    return first_names


def _one_person_named(surface: str, first_names: dict[str, set[str]]) -> bool:
    """Whether `surface` is one word that the full names of one person only (by first name) end in:
    the bare surname will join that person, so its case and gender are moot. Reading them costs a run
    of the morph tagger, the dearest step of a name's normal form."""
    if not WORD.fullmatch(surface):
        return False
    found: set[str] = set()
    for variant in _surname_variants(surface):
        found |= first_names.get(variant, set())
    return len(found) == 1


def _coordinated_heads(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Курской" in "в Курской, Брянской и Белгородской областях" is the Курская область: a one-word
    mention coordinated with the next one shares its plural head noun, which it takes in the singular."""
    out = list(mentions)
    heads: dict[int, str] = {}  # mention index -> the plural head noun it has or shares
    for index in range(len(mentions) - 1, -1, -1):
        start, end, entity_type, _ = mentions[index]
        last = text[start:end].split()[-1]
        if any("plur" in p.tag.grammemes and p.tag.POS == "NOUN" for p in parse(last)):
            heads[index] = last
        following = index + 1
        if following not in heads or entity_type == "PER" or mentions[following][2] != entity_type:
            continue
        if WORD.fullmatch(text, start, end) and COORDINATION.fullmatch(text, end, mentions[following][0]):
            adjective, noun = head_group_words([text[start:end], heads[following]])
            if noun != heads[following]:
                out[index] = (start, end, entity_type, f"{adjective} {noun}")
                heads[index] = heads[following]
    return out


def _abbreviation_uses(text: str, mentions: list[Mention]) -> dict[int, int]:
    """Mention index -> index of the mention whose name it abbreviates, by the article's own
    "Name (ABBR)" definitions: the uses of ABBR get that name's type and key."""
    defined = defined_abbreviations(text, mentions)
    uses = {}
    for index, (start, end, _, _) in enumerate(mentions):
        defining = defined.get(fold_key(text[start:end]))
        if defining is not None and defining != index:
            uses[index] = defining
    return uses


def _cases_in_context(names: Sequence[tuple[Tokens, Sequence[tuple[int, int]], int, int]]) -> list[Context]:
    """For each name (tokens first..last-1 of a text with those sentences), the (case, gender) natasha's morph
    tagger reads for it in its sentence (at most CONTEXT_TOKENS either side), as `normal_form`'s context: the
    commonest case of the words, the gender of the first. The tagger reads all the windows in one run. A name
    that opens its sentence before a singular finite verb is its subject, whatever the tagger says: "Ткачёва
    подозревается" (a woman, not "Ткачёв" in the accusative), "Петрова признала" (the verb's gender)."""
    windows = [_window(tokens, sentences, first, last) for tokens, sentences, first, last in names]
    reads = [
        (tokens, low, high, first, min(last + 1, high))
        for (tokens, _, first, last), (low, high, _) in zip(names, windows, strict=True)
    ]
    readings: list[Context] = []
    for (_, _, first, last), (_, high, opens_sentence), features in zip(
        names, windows, _morph_model().features(reads), strict=True
    ):
        name = features[: last - first]
        cases = [UD_CASES[case] for feats in name if (case := feats.get("Case", "")) in UD_CASES]
        gender = UD_GENDERS.get(name[0].get("Gender", "")) if name else None
        verb = features[last - first] if opens_sentence and last < high else {}
        reading = None
        if verb.get("VerbForm") == "Fin" and verb.get("Number") == "Sing":
            reading = ("nomn", UD_GENDERS.get(verb.get("Gender", ""), gender or ""))
        elif cases and gender is not None:
            reading = (max(cases, key=cases.count), gender)
        readings.append(partial(_given, reading))
    return readings


def _given(reading: tuple[str, str] | None) -> tuple[str, str] | None:
    return reading


def _window(tokens: Tokens, sentences: Sequence[tuple[int, int]], first: int, last: int) -> tuple[int, int, bool]:
    """The tokens the tagger reads for a name: its sentence, at most CONTEXT_TOKENS either side; and whether
    the name opens the sentence."""
    sentence = bisect_right(sentences, (tokens.starts[first], len(tokens.text))) - 1
    low, high = first - CONTEXT_TOKENS, last + CONTEXT_TOKENS
    if sentence >= 0:
        low = max(low, bisect_left(tokens.starts, sentences[sentence][0]))
        high = min(high, bisect_left(tokens.starts, sentences[sentence][1]))
    opens_sentence = sentence >= 0 and first == low
    return max(low, 0), max(min(high, len(tokens)), last), opens_sentence


def _post_rules(text: str, tokens: Tokens, spans: list[Span]) -> list[Span]:
    """natasha's spans (found on our tokens) with its systematic errors fixed."""
    spans = _split(text, spans)
    spans = _quotes(text, spans)
    spans = _stoplist(text, spans)
    spans = _sentence_start(text, tokens, spans)
    spans = _propagate(text, tokens, spans)
    spans = [(s, e, "ORG" if ORG_LEXICON.fullmatch(text, s, e) else t) for s, e, t in spans]
    spans = _person_repeats(text, spans)
    spans = _surname_propagate(text, tokens, spans)
    spans = _abbreviation_propagate(text, tokens, spans)
    return without_overlaps(spans)


EDGE_CHARS = " \t\r\n.,;:!?-–—()[]•|/\\'\"«»„“”*"
SPLIT_AT = re.compile(r"[()\[\]•|\n\r\t]+")
QUOTE = re.compile(r"[«»\"„“”]")
QUOTE_OPENS = {"«": True, "„": True, "»": False, "”": False}  # '"' and '“' toggle
ORG_LEXICON = re.compile(
    r"ЕС|Евросоюз\w*|Европейск\w+ [сС]оюз\w*|Еврокомисси\w+|Европарламент\w*"
    r"|Европейск\w+ комисси\w+|Европейск\w+ парламент\w*|НАТО|ООН|СНГ|ОБСЕ|ШОС|БРИКС"
    r"|ЕАЭС|ОДКБ|АСЕАН|ОПЕК|Кремл[ьяеюё]\w*"
)
STOP_FORMS = frozenset({"СМИ", "ПАО", "ОАО", "ЗАО", "ООО", "АО", "ГУП", "ФГУП", "МУП", "НКО", "Все", "Всё"})
SENTENCE_END = ".!?…"
SENTENCE_OPENERS = frozenset('«"„(—–-')
PROPER_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})
WORD = re.compile(r"\w+(?:-\w+)*")
LINE = re.compile(r"[^\n]+")
MAX_LINE_CHARS = 10_000
WINDOW_MARGIN = 20
PATRONYMIC = re.compile(r"(?:вич|вна|чна)$")
INITIAL = re.compile(r"(?:\w\.)+")
CONTEXT_TOKENS = 30
COORDINATION = re.compile(r"\s+(?:и|или)\s+|\s*,\s*")
UD_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
UD_GENDERS = {"Masc": "masc", "Fem": "femn"}


def sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """razdel's sentences within each line: razdel joins an unpunctuated title to the
    paragraph after it, and no sentence spans a paragraph break."""
    sentences: list[tuple[int, int]] = []
    for line in LINE.finditer(text):
        sentences.extend(_line_sentences(text, *line.span()))
    return tuple(sentences)


def _line_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """razdel's sentences in text[start:end], read in windows of MAX_LINE_CHARS: razdel's cost
    grows with the square of a sentence it keeps joining. A window keeps the sentences that
    end WINDOW_MARGIN before its end (razdel looks 10 characters either side of a full
    stop); the next starts where the first one it dropped starts. A window holding one
    unfinished sentence is cut at its end."""
    while start < end:
        window_end = min(start + MAX_LINE_CHARS, end)
        found = [(start + s.start, start + s.stop) for s in sentenize(text[start:window_end]) if s.stop > s.start]
        kept = found if window_end == end else [bounds for bounds in found if bounds[1] <= window_end - WINDOW_MARGIN]
        if not kept:
            kept = found
        yield from kept
        start = found[len(kept)][0] if len(kept) < len(found) else window_end


def _split(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for start, end, entity_type in spans:
        bounds = [start, *(bound for match in SPLIT_AT.finditer(text, start, end) for bound in match.span()), end]
        for piece_start, piece_end in zip(bounds[::2], bounds[1::2], strict=True):
            piece_start, piece_end = _trim(text, piece_start, piece_end)
            if piece_end > piece_start and _has_letter(text, piece_start, piece_end):
                out.append((piece_start, piece_end, entity_type))
    return out


def _quotes(text: str, spans: list[Span]) -> list[Span]:
    """Quoted parts are names of their own; a one-word unquoted part is a descriptor."""
    out = []
    for start, end, entity_type in spans:
        if not QUOTE.search(text, start, end):
            out.append((start, end, entity_type))
            continue
        parts, inside, position = [], False, start
        for quote in QUOTE.finditer(text, start, end):
            parts.append((position, quote.start(), inside))
            inside = QUOTE_OPENS.get(quote.group(), not inside)
            position = quote.end()
        parts.append((position, end, inside))
        parts = [(*_trim(text, a, b), quoted) for a, b, quoted in parts]
        parts = [(a, b, quoted) for a, b, quoted in parts if b > a and _has_letter(text, a, b)]
        has_quoted = any(quoted for _, _, quoted in parts)
        for a, b, quoted in parts:
            if quoted or not has_quoted or len(text[a:b].split()) > 1:
                out.append((a, b, entity_type))
    return out


def _stoplist(text: str, spans: list[Span]) -> list[Span]:
    return [
        (s, e, t)
        for s, e, t in spans
        if text[s:e] not in STOP_FORMS and not (s > 1 and text[s - 1] in "./@" and not text[s - 2].isspace())
    ]


def _sentence_start(text: str, tokens: Tokens, spans: list[Span]) -> list[Span]:
    """Drop "Все", "Судом", "Замглавы": one word opening a sentence, a common word to pymorphy."""
    out = []
    for start, end, entity_type in spans:
        word = text[start:end]
        if " " in word or "-" in word or not _is_common_word(word):
            out.append((start, end, entity_type))
        elif not _opens_sentence(text, tokens, bisect_right(tokens.stops, start)):
            out.append((start, end, entity_type))
    return out


def _opens_sentence(text: str, tokens: Tokens, index: int) -> bool:
    """After the text start, a line break or [.!?…] and a space; an opening quote/dash may follow."""
    starts, stops = tokens.starts, tokens.stops
    follower = starts[index] if index < len(tokens) else len(text)
    previous = index - 1
    if previous >= 0 and tokens.word(previous) in SENTENCE_OPENERS:
        if "\n" in text[stops[previous] : follower]:
            return True
        follower, previous = starts[previous], previous - 1
    if previous < 0:
        return True
    gap = text[stops[previous] : follower]
    return "\n" in gap or (text[stops[previous] - 1] in SENTENCE_END and gap != "")


def _is_common_word(word: str) -> bool:
    parses = parse(word) if word[:1].isupper() and not word.isupper() else ()
    return bool(parses) and parses[0].is_known and not any(PROPER_GRAMMEMES & p.tag.grammemes for p in parses)


def _propagate(text: str, tokens: Tokens, spans: list[Span]) -> list[Span]:
    """A capitalised form tagged somewhere is tagged at its untagged repeats too, with
    its majority type; a repeat must start and end at token bounds."""
    votes: dict[str, dict[str, int]] = {}
    for start, end, entity_type in spans:
        form = text[start:end]
        if len(form) >= 2 and form[0].isupper():
            votes.setdefault(form, {}).setdefault(entity_type, 0)
            votes[form][entity_type] += 1
    by_first_token: dict[str, list[str]] = {}
    for form in sorted(votes, key=len, reverse=True):
        by_first_token.setdefault(next(tokenize(form)).text, []).append(form)
    if not by_first_token:
        return list(spans)
    taken = _taken_tokens(tokens, spans)
    starts, stops = tokens.starts, tokens.stops
    out = list(spans)
    for index in range(len(tokens)):
        if taken[index]:
            continue
        for form in by_first_token.get(tokens.word(index), ()):
            start = starts[index]
            last = _token_ending_at(stops, start + len(form))
            if last is not None and text.startswith(form, start) and not any(taken[index : last + 1]):
                type_votes = votes[form]
                out.append((start, stops[last], max(type_votes, key=type_votes.__getitem__)))
                taken[index : last + 1] = b"\1" * (last + 1 - index)
                break
    return out


def _token_ending_at(stops, offset: int) -> int | None:
    index = bisect_left(stops, offset)
    return index if index < len(stops) and stops[index] == offset else None


def _person_repeats(text: str, spans: list[Span]) -> list[Span]:
    """A name of two words or more tagged PER somewhere is PER wherever else it stands: natasha reads the
    second "Ахмата Кадырова" in "мемориал первого президента республики Ахмата Кадырова" as a place."""
    people = {text[s:e] for s, e, t in spans if t == "PER" and " " in text[s:e]}
    return [(s, e, "PER" if t != "PER" and text[s:e] in people else t) for s, e, t in spans]


def _surname_propagate(text: str, tokens: Tokens, spans: list[Span]) -> list[Span]:
    """The surname of "Игорь Картавых" tags a bare "Картавых" (same form or same lemma)."""
    surnames: set[str] = set()
    for start, end, entity_type in spans:
        words = text[start:end].split()
        if entity_type == "PER" and len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
            surnames.update((words[-1], _lemma(words[-1])))
    if not surnames:
        return spans
    taken = _taken_tokens(tokens, spans)
    out = list(spans)
    for index in range(len(tokens)):
        if taken[index]:
            continue
        word = tokens.word(index)
        if len(word) < 3 or not word[0].isupper() or word.isupper() or not WORD.fullmatch(word):
            continue
        if word in surnames or _lemma(word) in surnames:
            out.append((tokens.starts[index], tokens.stops[index], "PER"))
    return out


def _abbreviation_propagate(text: str, tokens: Tokens, spans: list[Span]) -> list[Span]:
    """An abbreviation the text defines, "Европейский парламент (ЕП)", is tagged wherever it stands untagged,
    with the type of the name it abbreviates."""
    ordered = sorted(spans)
    defined = defined_abbreviations(text, [(s, e, t, "") for s, e, t in ordered])
    if not defined:
        return spans
    taken = _taken_tokens(tokens, spans)
    out = list(spans)
    for index in range(len(tokens)):
        word = tokens.word(index)
        defining = None if taken[index] or not word[:1].isupper() else defined.get(fold_key(word))
        if defining is not None:
            out.append((tokens.starts[index], tokens.stops[index], ordered[defining][2]))
    return out


def without_overlaps(spans: list[Span]) -> list[Span]:
    """Sorted, without duplicates; of overlapping spans the longer (then earlier) stays.

    Spans that overlap nothing stay as they are; the rule runs within each run of
    overlapping spans, so the cost stays linear when most spans are apart."""
    kept: list[Span] = []
    for group in _overlapping_groups(sorted(set(spans))):
        if len(group) == 1:
            kept.extend(group)
            continue
        chosen: list[Span] = []
        for span in sorted(group, key=lambda span: (span[0] - span[1], span[0])):
            if all(span[1] <= other[0] or other[1] <= span[0] for other in chosen):
                chosen.append(span)
        kept.extend(sorted(chosen))
    return kept


def _overlapping_groups(spans: list[Span]) -> Iterator[list[Span]]:
    """Sorted spans in maximal groups, each a chain of overlaps; no span overlaps another group."""
    group: list[Span] = []
    group_end = -1
    for span in spans:
        if group and span[0] >= group_end:
            yield group
            group = []
        group_end = max(group_end, span[1]) if group else span[1]
        group.append(span)
    if group:
        yield group


def _normals_and_keys(text: str, mentions: list[tuple[int, int, str, str]]) -> list[tuple[str, str]]:
    """(normal, key) per mention. The key is "TYPE:" + the normal form casefolded, ё -> е,
    patronymic dropped. A PER mention with one name word (maybe with initials) joins a full
    name with that surname (`_full_name_of`) and takes its key and its surname, so "Волкова"
    after "Ирина Волкова" stays feminine. Without a full name, "Лавров" joins the "С. В.
    Лавров" before it. A bare surname that is also a place the article names stays apart."""
    linked: list[tuple[str, str] | None] = []
    full_names, subjects = _FullNames(), _FullNames()  # subjects: full names in the nominative
    for start, end, entity_type, normal in mentions:
        names = _name_parts(normal)[1]
        if entity_type != "PER":
            normal = table_name(fold_key(normal), fold_key(text[start:end])) or normal
            linked.append((normal, f"{entity_type}:{canonical(fold_key(normal))}"))
        elif len(names) >= 2:
            core = [names[0], *(name for name in names[1:-1] if not PATRONYMIC.search(name)), names[-1]]
            key = "PER:" + fold_key(" ".join(core))
            linked.append((normal, key))
            for pool in (full_names, subjects) if fold_key(text[start:end]) == fold_key(normal) else (full_names,):
                pool.add(start, key, names[-1], fold_key(names[0][0]))
        else:
            linked.append(None)
    initialled = _FullNames()  # "С. В. Лавров" that no full name explains, for the bare surnames after it
    places = {key.partition(":")[2] for pair in linked if pair and (key := pair[1]).startswith("LOC:")}
    resolved: list[tuple[str, str]] = []
    for pair, (start, end, _, normal) in zip(linked, mentions, strict=True):
        if pair is not None:
            resolved.append(pair)
            continue
        initials, names = _name_parts(normal)
        surface_names = _name_parts(text[start:end])[1]
        initial = fold_key(initials[0][0]) if initials else None
        hit = None
        if names and surface_names:
            variants = _surname_variants(names[-1]) | _surname_variants(surface_names[-1])
            if initials or len(names) > 1 or not variants & places:  # "Глава Королёва": the town or the man?
                nominative = fold_key(text[start:end]) == fold_key(normal)
                pools = (subjects, full_names) if nominative else (full_names,)
                hit = _full_name_of(start, fold_key(names[-1]), variants, initial, pools)
            if hit is None and not initials:
                hit = initialled.nearest(start, variants, None)
        if hit is None:
            key = "PER:" + fold_key(normal)
            resolved.append((normal, key))
            if initials and names:
                initialled.add(start, key, names[-1], initial or "")
            continue
        _, key, surname = hit
        resolved.append((normal[: normal.rindex(names[-1])] + surname, key))
    return resolved


def _full_name_of(
    start: int, surname: str, variants: set[str], initial: str | None, pools: Sequence["_FullNames"]
) -> "FullName | None":
    """The full name a bare surname at `start` means: one whose surname is the mention's normal form letter for
    letter before one that only shares a variant ("Соколовой" is Елена Соколова's even after Евгений
    Соколов); within each, for a nominative mention, one named in the nominative before the others
    ("Рамзан Кадыров возложил цветы к мемориалу Ахмата Кадырова. Кадыров …" is Рамзан); then the
    nearest before `start`, else the first after it."""
    for exact, searched in ((True, {surname}), (False, variants)):
        for pool in pools:
            hit = pool.nearest(start, searched, initial, exact)
            if hit is not None:
                return hit
    return None


FullName = tuple[int, str, str]  # (start, key, surname)


class _FullNames:
    """The full PER names of a text, in text order, found by surname variant in log time."""

    def __init__(self) -> None:
        self._by_variant: dict[str, list[FullName]] = {}
        self._by_variant_and_initial: dict[tuple[str, str], list[FullName]] = {}
        self._by_surname: dict[str, list[FullName]] = {}
        self._by_surname_and_initial: dict[tuple[str, str], list[FullName]] = {}

    def add(self, start: int, key: str, surname: str, first_letter: str) -> None:
        """Add in increasing `start`."""
        name = (start, key, surname)
        for variant in _surname_variants(surname):
            self._by_variant.setdefault(variant, []).append(name)
            self._by_variant_and_initial.setdefault((variant, first_letter), []).append(name)
        self._by_surname.setdefault(fold_key(surname), []).append(name)
        self._by_surname_and_initial.setdefault((fold_key(surname), first_letter), []).append(name)

    def nearest(self, start: int, variants: set[str], initial: str | None, exact: bool = False) -> FullName | None:
        """The full name sharing a surname variant (the surname itself if `exact`; and the first name's
        initial, if given) nearest before `start`, else the first one after it."""
        if initial is None:
            by_variant = self._by_surname if exact else self._by_variant
            lists = [by_variant.get(variant, []) for variant in variants]
        else:
            by_pair = self._by_surname_and_initial if exact else self._by_variant_and_initial
            lists = [by_pair.get((variant, initial), []) for variant in variants]
        lists = [names for names in lists if names]
        before = [names[index - 1] for names in lists if (index := bisect_left(names, (start,))) > 0]
        if before:
            return max(before)
        return min((names[0] for names in lists), default=None)


def _name_parts(name: str) -> tuple[list[str], list[str]]:
    """("В.", "В.") and ("Путин",) of "В. В. Путин"."""
    initials: list[str] = []
    names: list[str] = []
    for word in name.split():
        (initials if INITIAL.fullmatch(word) else names).append(word)
    return initials, names


def _surname_variants(word: str) -> set[str]:
    return {fold_key(word)} | {fold_key(p.normal_form) for p in parse(word)}


def _lemma(word: str) -> str:
    parses = parse(word)
    return parses[0].normal_form if parses else word.lower()


def _taken_tokens(tokens: Tokens, spans: list[Span]) -> bytearray:
    """For each token, whether a span overlaps it (1) or not (0)."""
    starts, stops = tokens.starts, tokens.stops
    taken = bytearray(len(tokens))
    for start, end, _ in spans:
        for index in range(max(bisect_right(starts, start) - 1, 0), bisect_right(starts, end - 1)):
            if stops[index] > start:
                taken[index] = 1
    return taken


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS:
        end -= 1
    return start, end


def _has_letter(text: str, start: int, end: int) -> bool:
    return any(char.isalpha() for char in text[start:end])

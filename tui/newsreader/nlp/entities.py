"""People, organisations and places in article text: spans, normal forms, entity keys.

natasha's NewsNERTagger finds the spans; general post-rules fix its systematic errors;
`normal_forms` puts each mention in the nominative from pymorphy3 parses; mentions of
one person inside an article share a key. The text is tokenized once (razdel, as
natasha's Segmenter does) and the NER model and every rule read those tokens.

Post-rules, in order, with the exact-span micro F1 each added on the FactRuEval dev set
in the prototype (plain natasha 0.8681, all rules 0.9112; this token-based version 0.9114):

    split      +0.0201  split at ( ) [ ] • | and line breaks, trim edge punctuation
    quotes     +0.0060  keep the quoted name, drop a one-word descriptor: ОАО «Газпром»
    stoplist   +0.0017  drop generic abbreviations (СМИ, ОАО) and parts of domain names
    sentstart  +0.0011  drop a one-word span at a sentence start that is a common word
    propagate  +0.0036  tag the untagged repeats of a capitalised tagged form
    orglex     +0.0102  supranational bodies are ORG (ЕС, НАТО), natasha says LOC
    surnprop   +0.0004  the surname of a full PER name tags its bare repeats

Rejected: per-document type vote (-0.0008), propagation by lemma (-0.0022), splitting
at "/" and PER-only lemma propagation (±0), "МКС" as LOC (+0.0068, but that is the
dev set's labelling convention, not an error).
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from razdel import sentenize, tokenize
from razdel.substring import Substring
from slovnet.bio import bio_spans

from newsreader.nlp.morph import morph_vocab, parse
from newsreader.nlp.normal_forms import normal_form

PIPELINE_VERSION = "1"

Span = tuple[int, int, str]


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
def _ner_tagger():
    from natasha import NewsEmbedding, NewsNERTagger

    return NewsNERTagger(NewsEmbedding())


class EntityRecognizer:
    """Loads natasha's models once (per process); nothing downloads at run time."""

    def __init__(self) -> None:
        self._tagger = _ner_tagger()
        morph_vocab()

    def analyze(self, text: str) -> TextAnalysis:
        tokens = list(tokenize(text))
        spans = self._find(text, tokens)
        starts = [token.start for token in tokens]
        mentions = []
        for start, end, entity_type in spans:
            inside = tokens[bisect_right(starts, start - 1) : bisect_right(starts, end - 1)]
            inside = [token for token in inside if token.stop <= end]
            normal = normal_form(text, start, end, entity_type, inside)
            mentions.append((start, end, entity_type, normal))
        linked = _normals_and_keys(text, mentions)
        entities = tuple(EntityMention(s, e, t, text[s:e], *linked[i]) for i, (s, e, t, _) in enumerate(mentions))
        return TextAnalysis(entities, _sentences(text))

    def spans(self, text: str) -> list[Span]:
        """(start, end, type) of each entity, sorted and non-overlapping."""
        return self._find(text, list(tokenize(text)))

    def _find(self, text: str, tokens: list[Substring]) -> list[Span]:
        if not tokens:
            return []
        # NewsNERTagger(text) would tokenize again; give its model our tokens instead
        infer = self._tagger.infer
        tags = next(infer.decoder(infer.process(infer.encoder([[token.text for token in tokens]]))))
        spans = [(span.start, span.stop, span.type) for span in bio_spans(tokens, tags)]
        spans = _split(text, spans)
        spans = _quotes(text, spans)
        spans = _stoplist(text, spans)
        spans = _sentence_start(text, tokens, spans)
        spans = _propagate(text, tokens, spans)
        spans = [(s, e, "ORG" if ORG_LEXICON.fullmatch(text, s, e) else t) for s, e, t in spans]
        spans = _surname_propagate(text, tokens, spans)
        return _without_overlaps(spans)


EDGE_CHARS = " \t\r\n.,;:!?-–—()[]•|/\\'\"«»„“”*"
SPLIT_AT = re.compile(r"[()\[\]•|\n\r\t]+")
QUOTE = re.compile(r"[«»\"„“”]")
QUOTE_OPENS = {"«": True, "„": True, "»": False, "”": False}  # '"' and '“' toggle
ORG_LEXICON = re.compile(
    r"ЕС|Евросоюз\w*|Европейск\w+ [сС]оюз\w*|Еврокомисси\w+|Европарламент\w*"
    r"|Европейск\w+ комисси\w+|Европейск\w+ парламент\w*|НАТО|ООН|СНГ|ОБСЕ|ШОС|БРИКС"
    r"|ЕАЭС|ОДКБ|АСЕАН|ОПЕК"
)
STOP_FORMS = frozenset({"СМИ", "ПАО", "ОАО", "ЗАО", "ООО", "АО", "ГУП", "ФГУП", "МУП", "НКО", "Все", "Всё"})
SENTENCE_END = ".!?…"
SENTENCE_OPENERS = frozenset("«\"„(—–-")
PROPER_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})
WORD = re.compile(r"\w+(?:-\w+)*")
PATRONYMIC = re.compile(r"(?:вич|вна|чна)$")
INITIAL = re.compile(r"(?:\w\.)+")


def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """razdel's sentences within each line: razdel joins an unpunctuated title to the
    paragraph after it, and no sentence spans a paragraph break."""
    sentences, line_start = [], 0
    for line in text.split("\n"):
        sentences.extend((line_start + s.start, line_start + s.stop) for s in sentenize(line) if s.stop > s.start)
        line_start += len(line) + 1
    return tuple(sentences)


def _split(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for start, end, entity_type in spans:
        bounds = [start, *(bound for match in SPLIT_AT.finditer(text, start, end) for bound in match.span()), end]
        for piece_start, piece_end in zip(bounds[::2], bounds[1::2]):
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


def _sentence_start(text: str, tokens: list[Substring], spans: list[Span]) -> list[Span]:
    """Drop "Все", "Судом", "Замглавы": one word opening a sentence, a common word to pymorphy."""
    stops = [token.stop for token in tokens]
    out = []
    for start, end, entity_type in spans:
        word = text[start:end]
        if " " in word or "-" in word or not _is_common_word(word):
            out.append((start, end, entity_type))
        elif not _opens_sentence(text, tokens, bisect_right(stops, start)):
            out.append((start, end, entity_type))
    return out


def _opens_sentence(text: str, tokens: list[Substring], index: int) -> bool:
    """After the text start, a line break or [.!?…] and a space; an opening quote/dash may follow."""
    follower = tokens[index].start if index < len(tokens) else len(text)
    previous = index - 1
    if previous >= 0 and tokens[previous].text in SENTENCE_OPENERS:
        if "\n" in text[tokens[previous].stop : follower]:
            return True
        follower, previous = tokens[previous].start, previous - 1
    if previous < 0:
        return True
    gap = text[tokens[previous].stop : follower]
    return "\n" in gap or (tokens[previous].text[-1] in SENTENCE_END and gap != "")


def _is_common_word(word: str) -> bool:
    parses = parse(word) if word[:1].isupper() and not word.isupper() else ()
    return bool(parses) and parses[0].is_known and not any(PROPER_GRAMMEMES & p.tag.grammemes for p in parses)


def _propagate(text: str, tokens: list[Substring], spans: list[Span]) -> list[Span]:
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
    taken = _taken_tokens(tokens, spans)
    index_after = {token.stop: index for index, token in enumerate(tokens)}
    out = list(spans)
    for index, token in enumerate(tokens):
        if taken[index]:
            continue
        for form in by_first_token.get(token.text, ()):
            last = index_after.get(token.start + len(form))
            if last is not None and text.startswith(form, token.start) and not any(taken[index : last + 1]):
                type_votes = votes[form]
                out.append((token.start, tokens[last].stop, max(type_votes, key=type_votes.get)))
                taken[index : last + 1] = [True] * (last + 1 - index)
                break
    return out


def _surname_propagate(text: str, tokens: list[Substring], spans: list[Span]) -> list[Span]:
    """The surname of "Игорь Картавых" tags a bare "Картавых" (same form or same lemma)."""
    surnames = set()
    for start, end, entity_type in spans:
        words = text[start:end].split()
        if entity_type == "PER" and len(words) >= 2 and len(words[-1]) >= 3 and words[-1][0].isupper():
            surnames.update((words[-1], _lemma(words[-1])))
    if not surnames:
        return spans
    taken = _taken_tokens(tokens, spans)
    out = list(spans)
    for index, token in enumerate(tokens):
        word = token.text
        if taken[index] or len(word) < 3 or not word[0].isupper() or word.isupper() or not WORD.fullmatch(word):
            continue
        if word in surnames or _lemma(word) in surnames:
            out.append((token.start, token.stop, "PER"))
    return out


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Sorted, without duplicates; of overlapping spans the longer (then earlier) stays."""
    kept: list[Span] = []
    for span in sorted(set(spans), key=lambda span: (span[0] - span[1], span[0])):
        if all(span[1] <= other[0] or other[1] <= span[0] for other in kept):
            kept.append(span)
    return sorted(kept)


def _normals_and_keys(text: str, mentions: list[tuple[int, int, str, str]]) -> list[tuple[str, str]]:
    """(normal, key) per mention. The key is "TYPE:" + the normal form casefolded, ё -> е,
    patronymic dropped. A PER mention with one name word (maybe with initials) joins the
    full name with that surname nearest before it, else nearest after it: it takes that
    key and that surname, so "Волкова" after "Ирина Волкова" stays feminine."""
    linked: list[tuple[str, str] | None] = []
    full_names = []
    for start, _, entity_type, normal in mentions:
        names = _name_parts(normal)[1]
        if entity_type != "PER":
            linked.append((normal, f"{entity_type}:{_fold(normal)}"))
        elif len(names) >= 2:
            core = [names[0], *(name for name in names[1:-1] if not PATRONYMIC.search(name)), names[-1]]
            linked.append((normal, "PER:" + _fold(" ".join(core))))
            full_names.append((start, linked[-1][1], names[-1], _surname_variants(names[-1]), _fold(names[0][0])))
        else:
            linked.append(None)
    for position, (start, end, _, normal) in enumerate(mentions):
        if linked[position] is not None:
            continue
        initials, names = _name_parts(normal)
        surface_names = _name_parts(text[start:end])[1]
        wanted = set()
        if names and surface_names:
            wanted = _surname_variants(names[-1]) | _surname_variants(surface_names[-1])
        hits = [
            (full_start, key, surname)
            for full_start, key, surname, variants, first_letter in full_names
            if wanted & variants and (not initials or _fold(initials[0][0]) == first_letter)
        ]
        before = [hit for hit in hits if hit[0] < start]
        if not hits:
            linked[position] = (normal, "PER:" + _fold(normal))
            continue
        _, key, surname = max(before) if before else min(hits)
        linked[position] = (normal[: normal.rindex(names[-1])] + surname, key)
    return linked


def _name_parts(name: str) -> tuple[list[str], list[str]]:
    """("В.", "В.") and ("Путин",) of "В. В. Путин"."""
    initials, names = [], []
    for word in name.split():
        (initials if INITIAL.fullmatch(word) else names).append(word)
    return initials, names


def _surname_variants(word: str) -> set[str]:
    return {_fold(word)} | {_fold(p.normal_form) for p in parse(word)}


def _lemma(word: str) -> str:
    parses = parse(word)
    return parses[0].normal_form if parses else word.lower()


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _taken_tokens(tokens: list[Substring], spans: list[Span]) -> list[bool]:
    """For each token, whether a span overlaps it."""
    starts = [token.start for token in tokens]
    taken = [False] * len(tokens)
    for start, end, _ in spans:
        for index in range(max(bisect_right(starts, start) - 1, 0), bisect_right(starts, end - 1)):
            if tokens[index].stop > start:
                taken[index] = True
    return taken


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARS:
        end -= 1
    return start, end


def _has_letter(text: str, start: int, end: int) -> bool:
    return any(char.isalpha() for char in text[start:end])

"""Where a query matches inside one text: the reader's find-as-you-type and every hit's highlights.

One plain alternation finds the places where a match could be (a stem, an exact form or a
prefix of each term's rarest word; Python's `re` runs it far faster than with word-boundary
checks), so a 100 KB article costs a C-speed scan plus a few hundred Python checks rather
than a Python step per word.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from newsreader.folding import fold_aligned
from newsreader.search.normalise import WORD, WordForms, word_forms
from newsreader.search.query import Query, Term, Word, parse_query

Span = tuple[int, int]
MATCHER_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class WordMatcher:
    """One query word: a prefix (`str`) the folded word begins with, or the forms (`WordForms`) it matches."""

    wanted: WordForms | str

    @classmethod
    def of(cls, word: Word) -> "WordMatcher":
        return cls(fold_aligned(word.text) if word.prefix else word_forms(word.text))

    def matches(self, folded_word: str) -> bool:
        if isinstance(self.wanted, str):
            return folded_word.startswith(self.wanted)
        return self.wanted.matches(folded_word)

    def starts(self) -> set[str]:
        """Strings one of which every matching word begins with."""
        return {self.wanted} if isinstance(self.wanted, str) else set(self.wanted.exact | self.wanted.stems)


class Matcher:
    """A compiled query: the spans of each term in a text."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = [_anchored([WordMatcher.of(word) for word in term.words]) for term in terms]
        starts = {start for _, anchor, _ in self.terms for start in anchor.starts() if start}
        alternatives = "|".join(re.escape(start) for start in sorted(starts, key=len, reverse=True))
        self._candidates = re.compile(alternatives) if starts else None

    def term_spans(self, text: str) -> list[list[Span]]:
        """For each term, the spans where all its words stand one after another in `text`.

        A phrase is looked for by its rarest word (Москве of "в Москве"), then its other
        words are checked before and after it: looking for its first word would stop at
        every в of the text.
        """
        found: list[list[Span]] = [[] for _ in self.terms]
        if self._candidates is None:
            return found
        folded = fold_aligned(text)
        for candidate in self._candidates.finditer(folded):
            start = candidate.start()
            word_match = WORD.match(folded, start)
            if word_match is None or (start and folded[start - 1].isalnum()):  # not at the start of a word
                continue
            word = word_match[0]
            for index, (before, anchor, after) in enumerate(self.terms):
                if anchor.matches(word):
                    first = _phrase_start(folded, start, before)
                    end = None if first is None else _phrase_end(folded, word_match.end(), after)
                    if first is not None and end is not None:
                        found[index].append((first, end))
        return found

    def spans(self, text: str) -> list[Span]:
        """Sorted, non-overlapping spans of every term (a longer match wins at the same start)."""
        return non_overlapping(span for spans in self.term_spans(text) for span in spans)


def _anchored(term: list[WordMatcher]) -> tuple[list[WordMatcher], WordMatcher, list[WordMatcher]]:
    """The words before the rarest word of a term, that word, and the words after it.

    Rarity is guessed by the shortest start string: в and по are everywhere, москв is not.
    """
    anchor = max(range(len(term)), key=lambda index: min(map(len, term[index].starts()), default=0))
    return term[:anchor], term[anchor], term[anchor + 1 :]


def _phrase_start(folded: str, position: int, before: list[WordMatcher]) -> int | None:
    """Start of the phrase whose words just before `position` are `before`; None if a word differs."""
    for matcher in reversed(before):
        end = position
        while end and not folded[end - 1].isalnum():
            end -= 1
        position = end
        while position and folded[position - 1].isalnum():
            position -= 1
        if position == end or not matcher.matches(folded[position:end]):
            return None
    return position


def _phrase_end(folded: str, position: int, rest: list[WordMatcher]) -> int | None:
    """End of the phrase whose next words are `rest`, starting after `position`; None if a word differs."""
    for matcher in rest:
        following = WORD.search(folded, position)
        if following is None or not matcher.matches(following[0]):
            return None
        position = following.end()
    return position


def non_overlapping(spans) -> list[Span]:
    kept: list[Span] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def literal_spans(text: str, needle: str) -> list[Span]:
    """Every non-overlapping case- and ё-insensitive occurrence of `needle` in `text`."""
    folded_needle, folded = fold_aligned(needle), fold_aligned(text)
    spans, start = [], folded.find(folded_needle) if folded_needle else -1
    while start >= 0:
        spans.append((start, start + len(folded_needle)))
        start = folded.find(folded_needle, start + len(folded_needle))
    return spans


def highlight_terms(query: Query) -> tuple[Term, ...]:
    """Terms to highlight: the query's own, and the names in its entity filters."""
    return query.terms + tuple(Term(tuple(Word(name) for name in entity.words)) for entity in query.entities)


@lru_cache(maxsize=MATCHER_CACHE_SIZE)
def matcher_for(terms: tuple[Term, ...]) -> Matcher:
    return Matcher(terms)


def query_spans(text: str, query: Query) -> list[Span]:
    """Highlights of a parsed query in `text`."""
    if query.literal is not None:
        return literal_spans(text, query.literal)
    return matcher_for(highlight_terms(query)).spans(text)


def find_matches(text: str, query: str, literal: bool = False) -> list[Span]:
    """Sorted, non-overlapping (start, end) of every match of `query` in `text`."""
    return query_spans(text, parse_query(query, literal))

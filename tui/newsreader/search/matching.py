"""Where a query matches inside one text: the reader's find-as-you-type and every hit's highlights.

One plain alternation finds the places where a match could start (a stem, an exact form
or a prefix, followed by those of the phrase's next words; Python's `re` runs it far faster
than with word-boundary checks), so a 100 KB article costs a C-speed scan plus a few hundred
Python checks rather than a Python step per word.
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
        self.terms = [[WordMatcher.of(word) for word in term.words] for term in terms]
        patterns = [_term_pattern(term) for term in self.terms if term[0].starts() - {""}]
        self._candidates = re.compile("|".join(patterns)) if patterns else None

    def term_spans(self, text: str) -> list[list[Span]]:
        """For each term, the spans where all its words stand one after another in `text`."""
        found: list[list[Span]] = [[] for _ in self.terms]
        if self._candidates is None:
            return found
        folded = fold_aligned(text)
        position = 0
        while (candidate := self._candidates.search(folded, position)) is not None:
            start = candidate.start()
            word_match = WORD.match(folded, start)
            if word_match is None:
                position = start + 1
                continue
            position = word_match.end()  # the next match can only start at a later word
            if start and folded[start - 1].isalnum():  # not at the start of a word
                continue
            word = word_match[0]
            for index, term in enumerate(self.terms):
                if term[0].matches(word):
                    end = _phrase_end(folded, position, term[1:])
                    if end is not None:
                        found[index].append((start, end))
        return found

    def spans(self, text: str) -> list[Span]:
        """Sorted, non-overlapping spans of every term (a longer match wins at the same start)."""
        return non_overlapping(span for spans in self.term_spans(text) for span in spans)


def _term_pattern(term: list[WordMatcher]) -> str:
    """Where a term can begin: each word's start strings, one word after another.

    Every word a matcher accepts begins with one of its `starts`, so the pattern passes
    every match; it turns away in C the places where only the first word fits
    (every "в" of a text for "в Москве"), which Python would otherwise check one by one.
    """
    first, *rest = [sorted(matcher.starts(), key=len, reverse=True) for matcher in term]
    words = ["|".join(map(re.escape, starts)) for starts in [[start for start in first if start], *rest]]
    return "(?:" + r")[^\W_]*[\W_]+(?:".join(words) + ")"


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

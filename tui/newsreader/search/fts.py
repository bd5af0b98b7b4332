"""Queries in FTS5's language over the index's columns: `forms` (folded words), `stems` and `dates`.

Every string goes in as a quoted FTS5 string, so no query text can reach FTS5's syntax.
The expression finds a superset of the hits; `hit_spans` then checks each one, so a
phrase whose variants are too many to spell out can fall back to "all its words".
A prefix is spelled out as the indexed forms it begins: FTS5 answers `мин*` by merging
every such form's whole posting list before the first row comes out (22 ms at 100k
articles, growing with the archive), an OR of the forms yields rows one at a time.
"""

import datetime
import itertools
from collections.abc import Callable
from typing import Protocol

from newsreader.folding import fold_aligned
from newsreader.search.normalise import WORD, stem, word_forms
from newsreader.search.query import MAX_QUERY_WORDS, DateRange, Query, Term, Word

MAX_PHRASE_VARIANTS = 64


class Vocabulary(Protocol):
    """The folded forms the index holds."""

    def matching(self, fits: Callable[[str], bool]) -> list[str]:
        """Every form for which `fits` is true."""

    def starting_with(self, prefix: str) -> list[str] | None:
        """The forms beginning with `prefix`; None when they are too many to spell out."""


def quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _any_of(column: str, tokens) -> str:
    return f"{column} : ({' OR '.join(quoted(token) for token in sorted(tokens))})"


def word_expression(word: Word, vocabulary: Vocabulary) -> str:
    if word.prefix:
        prefix = fold_aligned(word.text)
        begun = vocabulary.starting_with(prefix)
        if begun is None:
            return f"forms : {quoted(prefix)} *"
        return _any_of("forms", begun or [prefix])  # no form: the prefix itself finds nothing, quickly
    forms = word_forms(word.text)
    parts = [_any_of(column, tokens) for column, tokens in (("forms", forms.exact), ("stems", forms.stems)) if tokens]
    return "(" + " OR ".join(parts) + ")"


def term_expression(term: Term, vocabulary: Vocabulary) -> str:
    """A word; or a phrase spelled out in stems (each word's stems, and the stems of its exact forms)."""
    every_word = " AND ".join(word_expression(word, vocabulary) for word in term.words)
    if len(term.words) == 1 or any(word.prefix for word in term.words):
        return f"({every_word})"
    choices = [
        sorted(forms.stems | {stem(form) for form in forms.exact})
        for forms in (word_forms(word.text) for word in term.words)
    ]
    variants = 1
    for choice in choices:
        variants *= len(choice)
    if variants > MAX_PHRASE_VARIANTS:
        return f"({every_word})"
    phrases = (quoted(" ".join(variant)) for variant in itertools.product(*choices))
    return f"stems : ({' OR '.join(phrases)})"


def literal_expression(literal: str, vocabulary: Vocabulary) -> str | None:
    """The words a literal string must contain: whole, as a prefix, suffix or inside a word of the text.

    None when it has no word to look up (`[/]`, an emoji): then only a scan can answer.
    Its first MAX_QUERY_WORDS words are enough to narrow the candidates of a long literal.
    """
    folded = fold_aligned(literal)
    parts = []
    for match in itertools.islice(WORD.finditer(folded), MAX_QUERY_WORDS):
        word, starts_word, ends_word = match[0], match.start() > 0, match.end() < len(folded)
        if starts_word and ends_word:
            parts.append(f"forms : {quoted(word)}")
        elif starts_word:
            parts.append(f"forms : {quoted(word)} *")
        else:
            fits = (lambda term, w=word: term.endswith(w)) if ends_word else (lambda term, w=word: w in term)
            terms = vocabulary.matching(fits)
            if not terms:
                return "forms : " + quoted(word)  # in no text: the query finds nothing, quickly
            parts.append(_any_of("forms", terms))
    return " AND ".join(f"({part})" for part in parts) or None


def query_expression(query: Query, vocabulary: Vocabulary) -> str | None:
    if query.literal is not None:
        return literal_expression(query.literal, vocabulary)
    return " AND ".join(term_expression(term, vocabulary) for term in query.terms) or None


def date_tokens(iso_date: str | None) -> str:
    """What the `dates` column holds for an article dated YYYY-MM-DD: its year and its month (nothing if undated)."""
    return "" if iso_date is None else f"y{iso_date[:4]} m{iso_date[:4]}{iso_date[5:7]}"


def dates_expression(period: DateRange, span: tuple[datetime.date, datetime.date]) -> str:
    """The whole years and months of `period` within `span` (the dates indexed).

    An article in the expression's months may still fall outside the period's first or last
    days: the caller checks each article's date.
    """
    first, last = max(period.first, span[0]), min(period.last, span[1])
    tokens, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month == 1 and (year < last.year or last.month == 12):
            tokens.append(f"y{year}")
            year += 1
            continue
        tokens.append(f"m{year}{month:02}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _any_of("dates", tokens or ["none"])  # none: no article in the period, and no such token

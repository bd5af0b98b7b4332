"""Queries in FTS5's language over the index's two columns: `forms` (folded words) and `stems`.

Every string goes in as a quoted FTS5 string, so no query text can reach FTS5's syntax.
The expression finds a superset of the hits; `hit_spans` then checks each one, so a
phrase whose variants are too many to spell out can fall back to "all its words".
"""

import itertools
from collections.abc import Callable

from newsreader.folding import fold_aligned
from newsreader.search.normalise import WORD, stem, word_forms
from newsreader.search.query import MAX_QUERY_WORDS, Query, Term, Word

MAX_PHRASE_VARIANTS = 64

Vocabulary = Callable[[Callable[[str], bool]], list[str]]


def quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _any_of(column: str, tokens) -> str:
    return f"{column} : ({' OR '.join(quoted(token) for token in sorted(tokens))})"


def word_expression(word: Word) -> str:
    if word.prefix:
        return f"forms : {quoted(fold_aligned(word.text))} *"
    forms = word_forms(word.text)
    parts = [_any_of(column, tokens) for column, tokens in (("forms", forms.exact), ("stems", forms.stems)) if tokens]
    return "(" + " OR ".join(parts) + ")"


def term_expression(term: Term) -> str:
    """A word; or a phrase spelled out in stems (each word's stems, and the stems of its exact forms)."""
    every_word = " AND ".join(word_expression(word) for word in term.words)
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
            terms = vocabulary(fits)
            if not terms:
                return "forms : " + quoted(word)  # in no text: the query finds nothing, quickly
            parts.append(_any_of("forms", terms))
    return " AND ".join(f"({part})" for part in parts) or None


def query_expression(query: Query, vocabulary: Vocabulary) -> str | None:
    if query.literal is not None:
        return literal_expression(query.literal, vocabulary)
    return " AND ".join(term_expression(term) for term in query.terms) or None

"""Hits as the reader shows them: score, every highlight, and the window for a one-line snippet."""

import heapq
from dataclasses import dataclass
from operator import attrgetter

from newsreader.ingest.parse import PARAGRAPH_SEPARATOR, Article
from newsreader.search.entities import Mentioned
from newsreader.search.matching import Span, highlight_terms, literal_spans, matcher_for, non_overlapping, query_spans
from newsreader.search.query import Query
from newsreader.store.corpus import Store

BM25_K1 = 1.2
BM25_B = 0.75
SNIPPET_CHARS = 160
SNIPPET_LEAD = 40  # characters shown before the best match


@dataclass(frozen=True, slots=True)
class Hit:
    """`matches` and `snippet` are offsets into the article's `text`; a higher score is better."""

    article_id: str
    score: float
    matches: tuple[Span, ...]
    snippet: Span


RESULT_LIMIT = 200  # the hits a search gives unless asked for more: enough to read, quick to rank as one types


class SearchResults(list):
    """Hits, best first. `indexed` is False when they came from the slower scan over the store."""

    def __init__(self, hits=(), indexed: bool = True, problems: tuple[str, ...] = ()) -> None:
        super().__init__(hits)
        self.indexed = indexed
        self.problems = problems


def hit_spans(text: str, query: Query) -> list[Span] | None:
    """The highlights when every term of `query` occurs in `text`, else None: the text is no hit."""
    if query.literal is not None:
        return literal_spans(text, query.literal) or None
    per_term = matcher_for(highlight_terms(query)).term_spans(text)  # the query's terms, then its names
    if not all(per_term[: len(query.terms)]):
        return None
    return non_overlapping(span for spans in per_term for span in spans)


def best_by_match_counts(found: list[tuple[Article, list[Span]]], limit: int) -> list[Hit]:
    """The best `limit` of the hits found, by BM25 over their match counts and lengths."""
    average_length = sum(len(article.text) for article, _ in found) / max(len(found), 1)

    def score(article: Article, spans: list[Span]) -> float:
        length_ratio = len(article.text) / average_length
        return len(spans) * (BM25_K1 + 1) / (len(spans) + BM25_K1 * (1 - BM25_B + BM25_B * length_ratio))

    ranked = sorted(((score(article, spans), article, spans) for article, spans in found), key=lambda row: -row[0])
    return [make_hit(article, value, spans) for value, article, spans in ranked[:limit]]


def make_hit(article: Article, score: float, matches: list[Span]) -> Hit:
    return Hit(article.id, score, tuple(matches), snippet_window(article, matches))


def snippet_window(article: Article, matches: list[Span]) -> Span:
    """The stretch of one paragraph that holds the most matches, starting at a word; else the lede."""
    text = article.text
    if not matches:
        start = len(article.title) + len(PARAGRAPH_SEPARATOR) if len(text) > len(article.title) else 0
        return start, _paragraph_end(text, start, start + SNIPPET_CHARS)
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(matches):
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1][1] <= start + SNIPPET_CHARS - SNIPPET_LEAD:
            last += 1
        if last - first + 1 > best_count:
            best, best_count = first, last - first + 1
    match_start, match_end = matches[best]
    paragraph_start = text.rfind("\n", 0, match_start) + 1
    start = max(paragraph_start, match_start - SNIPPET_LEAD)
    if start > paragraph_start and not text[start - 1].isspace():
        space = text.find(" ", start, match_start)
        start = space + 1 if space >= 0 else match_start
    return start, _paragraph_end(text, start, max(start + SNIPPET_CHARS, match_end))


def _paragraph_end(text: str, start: int, wanted_end: int) -> int:
    newline = text.find("\n", start)
    return min(wanted_end, newline if newline >= 0 else len(text), len(text))


def filter_only_hits(store: Store, query: Query, mentioned: Mentioned | None, limit: int) -> list[Hit]:
    """Hits for a query of filters alone: most mentions of the entity first, then newest first.

    An entity's articles are ordered as arrays (`Mentioned.best`): at a million articles a
    common name has tens of thousands. Dates alone read the whole store (its date order is
    built on the UI thread, not here).
    """
    if mentioned is None:
        found = [article for article in store if query.allows(article)]
        return [make_hit(article, 0.0, query_spans(article.text, query)) for article in newest(found, limit)]
    best = mentioned.best(limit)
    return [
        make_hit(article, float(count), query_spans(article.text, query))
        for article, count in zip(store.numbered(best.numbers.tolist()), best.counts.tolist(), strict=True)
        if article is not None
    ]


def newest(articles: list[Article], count: int) -> list[Article]:
    """The `count` newest of `articles`, newest first; undated ones come last."""
    dated = [article for article in articles if article.date]
    newest = heapq.nlargest(count, dated, key=attrgetter("date"))
    return newest + [article for article in articles if not article.date][: count - len(newest)]

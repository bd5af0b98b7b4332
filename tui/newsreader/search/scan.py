"""Search without the index: every article of the store, read in turn. Slower, but always there."""

from newsreader.ingest.parse import Article
from newsreader.search.entities import entity_articles
from newsreader.search.matching import query_spans
from newsreader.search.query import Query, parse_query
from newsreader.search.results import (
    RESULT_LIMIT,
    Hit,
    SearchResults,
    best_by_match_counts,
    filter_only_hits,
    hit_spans,
    make_hit,
    newest,
)
from newsreader.store.corpus import Store


def search_without_index(query: Query | str, store: Store, limit: int = RESULT_LIMIT) -> SearchResults:
    """The same hits as the index would give, ranked by BM25 over match counts; `indexed` is False."""
    query = parse_query(query) if isinstance(query, str) else query
    if query.empty:
        return SearchResults((), indexed=False, problems=query.problems)
    if query.only is not None:
        return SearchResults(marked_hits(query, store, limit), False, query.problems)
    mentioned = entity_articles(query, store)
    if not query.terms and query.literal is None:
        return SearchResults(filter_only_hits(store, query, mentioned, limit), False, query.problems)
    if mentioned is None:
        articles = [article for article in store if query.allows(article)]
    else:
        articles = mentioned.articles(store)
    return SearchResults(rank_by_match_counts(articles, query, limit), False, query.problems)


def marked_hits(query: Query, store: Store, limit: int) -> list[Hit]:
    """Among the few articles the user's marks allow: those passing the other filters, ranked by the terms."""
    marked = [article for fingerprint in query.only or () if (article := store.by_fingerprint(fingerprint))]
    articles = [article for article in marked if query.allows(article)]
    mentioned = entity_articles(query, store)
    if mentioned is not None:
        mentioning = {article.id for article in mentioned.articles(store)}
        articles = [article for article in articles if article.id in mentioning]
    if query.terms or query.literal is not None:
        return rank_by_match_counts(articles, query, limit)
    return [make_hit(article, 0.0, query_spans(article.text, query)) for article in newest(articles, limit)]


def rank_by_match_counts(articles: list[Article], query: Query, limit: int) -> list[Hit]:
    """The articles where every term occurs, by BM25 over their match counts and lengths."""
    return best_by_match_counts(
        [(article, spans) for article in articles if (spans := hit_spans(article.text, query))], limit
    )

"""The in-memory store: every article once, by id, in date order."""

import dataclasses
from collections.abc import Iterator, Sequence
from operator import attrgetter

from newsreader.load import LoadWarning
from newsreader.parse import Article


class ArticleView(Sequence[Article]):
    """An ordered, read-only list of articles that can also say where an article stands."""

    def __init__(self, articles: list[Article]) -> None:
        self._articles = articles
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._articles)

    def __getitem__(self, index):
        return self._articles[index]

    def position(self, article_id: str) -> int | None:
        """Index of the article with `article_id`, or None; built once per view."""
        if self._positions is None:
            self._positions = {article.id: index for index, article in enumerate(self._articles)}
        return self._positions.get(article_id)


class Store:
    """Articles in load order, with lookup by id and a cached date order."""

    def __init__(self) -> None:
        self._by_id: dict[str, Article] = {}
        self._by_fingerprint: dict[str, str] = {}
        self._order_cache: dict[bool, ArticleView] = {}
        self.other_paths: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Article]:
        return iter(self._by_id.values())

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def add(self, article: Article) -> LoadWarning | None:
        """Keep `article` unless the same text is already here; then note its path and warn."""
        first_id = self._by_fingerprint.get(article.fingerprint)
        if first_id is not None:
            self.other_paths.setdefault(first_id, []).append(article.path)
            return LoadWarning(article.path, f"duplicate of {self._by_id[first_id].path}, skipped")
        if article.id in self._by_id:
            article = dataclasses.replace(article, id=article.path)
        self._by_id[article.id] = article
        self._by_fingerprint[article.fingerprint] = article.id
        self._order_cache.clear()
        return None

    def ordered(self, newest_first: bool = True) -> ArticleView:
        """All articles by date; unknown dates last either way, ties in load order."""
        view = self._order_cache.get(newest_first)
        if view is None:
            dated = sorted((a for a in self._by_id.values() if a.date), key=attrgetter("date"), reverse=newest_first)
            view = ArticleView(dated + [article for article in self._by_id.values() if article.date is None])
            self._order_cache[newest_first] = view
        return view

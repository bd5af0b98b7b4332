"""Stories across outlets, found on a thread of their own once the archive is whole (and again when it grows).

The thread reads the texts; a big archive's hashing and grouping run in a low-priority process, so the
keys never wait for them, and the status bar shows how far the hashing is. Signatures and the archive's last
grouping are cached (`store.story_cache`): a warm start reads the stories and neither hashes nor groups, a
grown archive hashes and groups only what is new. The list collapsed to one row a story is made on the thread
too, once the stories are found, so `c` only swaps it in. A failure is one warning, and the list simply shows
no stories.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.screen import Screen

from newsreader.ingest.parse import Article
from newsreader.runtime.processes import background_pool, stop_pool
from newsreader.store.corpus import ArticleView, Store
from newsreader.ui.controllers.background import CheckedThread
from newsreader.ui.messages import BackgroundWarning

if TYPE_CHECKING:  # numpy and datasketch load on first use: the first paint does not need them
    import numpy as np

    from newsreader.store.stories import CollapsedView, Grouping, Stories

IN_PROCESS_BELOW = 2000  # fewer articles to hash than this: hashed on the thread, too few for a process to pay off


class StoriesFound(Message):
    """The stories of the archive as it was when they were sought."""

    def __init__(self, stories: Stories) -> None:
        super().__init__()
        self.stories = stories


class CollapsedReady(Message):
    """A view collapsed on the stories thread, with the stories it was collapsed by."""

    def __init__(self, view: ArticleView, stories: Stories, collapsed: CollapsedView) -> None:
        super().__init__()
        self.view = view
        self.stories = stories
        self.collapsed = collapsed


class StoriesProgress(Message):
    """(articles hashed, articles to hash) so far; (0, 0) once the hashing is done and the grouping runs."""

    def __init__(self, hashed: int, to_hash: int) -> None:
        super().__init__()
        self.hashed = hashed
        self.to_hash = to_hash


class StoriesController:
    """Finds the stories in the background and answers the list and the reader with them."""

    def __init__(self, screen: Screen, store: Store, paths: Sequence[str]) -> None:
        self._screen = screen
        self._store = store
        self._paths = paths
        self._thread = CheckedThread("stories", self._broke)
        self._pool: ProcessPoolExecutor | None = None
        self._stopping = False
        self._failed = False
        self.stories: Stories | None = None  # None until the first search is done
        self.collapsed = False
        self._collapsed_views: dict[int, tuple[ArticleView, CollapsedView]] = {}

    def find(self) -> None:
        """Seek the stories of the archive as it is now (a later call seeks again, with what is new)."""
        if self._failed or self._stopping:
            return
        self._thread.submit(self._find, list(self._store))

    def _broke(self, error: BaseException) -> None:
        """Said once: the stories are not sought again this session (a pool stopped on the way out is no failure)."""
        if not self._failed and not self._stopping:
            self._failed = True
            text = f"stories across outlets not found ({type(error).__name__}: {error})"
            self._screen.post_message(BackgroundWarning("stories", text))

    def _find(self, articles: list[Article]) -> None:
        """On the thread: a big archive is hashed and grouped in the process, a small one here."""
        from newsreader.store.story_cache import GroupCache, SignatureCache, find_stories

        warnings: list[str] = []
        elsewhere = len(articles) >= IN_PROCESS_BELOW
        try:
            stories = find_stories(
                articles,
                SignatureCache(),
                warnings,
                hash_bodies=self._hash_bodies if elsewhere else self._hash_here,
                group_rows=self._group_rows if elsewhere else self._group_here,
                progress=self._told if elsewhere else lambda hashed, to_hash: None,
                groups=GroupCache.for_archive(self._paths),
            )
        finally:  # on this thread, so a later search never meets a pool shut down under it
            pool, self._pool = self._pool, None
            if pool is not None:
                stop_pool(pool) if self._stopping else pool.shutdown(wait=False)
        for warning in warnings:
            self._screen.post_message(BackgroundWarning("stories", warning))
        self._screen.post_message(StoriesFound(stories))

    def _hash_bodies(self, bodies: list[str]) -> np.ndarray:
        from newsreader.store.stories import from_wire, signatures_wire

        return from_wire(self._in_process(signatures_wire, bodies))

    def _group_rows(self, before: Grouping, matrix: np.ndarray) -> tuple[Grouping, list[list[int]]]:
        from newsreader.store.stories import regroup_wire

        self._screen.post_message(StoriesProgress(0, 0))  # the hashing is done: grouping
        return self._in_process(regroup_wire, before, matrix.tobytes())

    def _hash_here(self, bodies: list[str]) -> np.ndarray:
        from newsreader.store.stories import signatures

        self._stop_if_asked()
        return signatures(bodies)

    def _group_here(self, before: Grouping, matrix: np.ndarray) -> tuple[Grouping, list[list[int]]]:
        from newsreader.store.stories import regroup

        self._stop_if_asked()
        return regroup(before, matrix)

    def _stop_if_asked(self) -> None:
        if self._stopping:
            raise CancelledError

    def _in_process(self, task: Callable[..., Any], *arguments: object) -> Any:
        self._stop_if_asked()
        if self._pool is None:
            self._pool = background_pool(1)
        return self._pool.submit(task, *arguments).result()

    def _told(self, hashed: int, to_hash: int) -> None:
        self._screen.post_message(StoriesProgress(hashed, to_hash))

    def found(self, message: StoriesFound) -> None:
        self.stories = message.stories
        self._collapsed_views.clear()

    def prepare(self, view: ArticleView) -> None:
        """Collapse `view` (the list as it is) on the thread, so that `c` only swaps it in (`CollapsedReady`)."""
        if self.stories and not self._failed and not self._stopping:
            self._thread.submit(self._collapse, view, self.stories)

    def _collapse(self, view: ArticleView, stories: Stories) -> None:
        from newsreader.store.stories import CollapsedView

        self._screen.post_message(CollapsedReady(view, stories, CollapsedView(view, stories)))

    def collapsed_ready(self, message: CollapsedReady) -> bool:
        """Keep the view collapsed on the thread, unless other stories came since; True: the list is collapsed, and
        should show it."""
        if message.stories is not self.stories:
            return False
        self._collapsed_views = {id(message.view): (message.view, message.collapsed)}
        return self.collapsed

    def view(self, view: ArticleView) -> ArticleView:
        """`view` as the list shows it: with each story in one row while collapsed (made here, on the key path,
        only when the list changed since the stories came)."""
        if not self.collapsed or not self.stories:
            return view
        made = self._collapsed_views.get(id(view))
        if made is None or made[0] is not view:
            from newsreader.store.stories import CollapsedView

            made = (view, CollapsedView(view, self.stories))
            self._collapsed_views = {id(view): made}
        return made[1]

    def one_row(self, first: Article, second: Article | None) -> bool:
        """The two articles are listed in one row: the list is collapsed and they tell one story."""
        if not self.collapsed or self.stories is None or second is None:
            return False
        story = self.stories.story_of.get(first.fingerprint)
        return story is not None and story == self.stories.story_of.get(second.fingerprint)

    @property
    def any(self) -> bool:
        """Some story is reported by more than one article."""
        return bool(self.stories)

    def others(self, article: Article) -> list[Article]:
        """The other articles of its story, oldest first."""
        if self.stories is None:
            return []
        found = [self._store.by_fingerprint(fingerprint) for fingerprint in self.stories.others(article.fingerprint)]
        return sorted((each for each in found if each is not None), key=date_order)

    def stop(self) -> None:
        if self._stopping:
            return
        self._stopping = True
        self._thread.stop()
        pool = self._pool
        if pool is not None:
            stop_pool(pool)


def date_order(article: Article) -> tuple:
    """Oldest first, undated last, ties by id."""
    return (article.date is None, article.date, article.id)

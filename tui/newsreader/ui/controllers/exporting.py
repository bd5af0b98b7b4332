"""Export from the reader: the list as it is now (every article, an entity's, or a search's results) to a file.

The file is chosen in a small prompt and written on a worker thread, which reads the store
only through `FetchedAnalyses` (chunks fetched on the UI thread, which owns the store). A
notification names the file when it is written; a failure is notified and listed among the
warnings, and leaves no partial file (the export is written atomically).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from textual.screen import Screen

from newsreader.export.analyses import FetchedAnalyses
from newsreader.export.articles import alone
from newsreader.export.formats import ExportSettings, export_to
from newsreader.ingest.load import display_path
from newsreader.ingest.parse import Article
from newsreader.ingest.sanitize import sanitize_line
from newsreader.search.query import Query
from newsreader.store.corpus import Store
from newsreader.ui.controllers.reading import ReadingController
from newsreader.ui.controllers.searching import SearchingController
from newsreader.ui.controllers.stories import StoriesController
from newsreader.ui.messages import BackgroundWarning
from newsreader.ui.screens.line_prompt import LinePrompt
from newsreader.wording import plural

EXPORTS = {  # format -> (what the palette and the prompt call it, the default file's name)
    "csv": ("articles as CSV", "newsreader-articles.csv"),
    "jsonl": ("articles as JSON Lines", "newsreader-articles.jsonl"),
    "timelinejs": ("timeline as TimelineJS JSON", "newsreader-timeline.json"),
    "graphml": ("entity network as GraphML", "newsreader-network.graphml"),
    "gexf": ("entity network as GEXF", "newsreader-network.gexf"),
    "entities-csv": ("entity table as CSV", "newsreader-entities.csv"),
}
SAY_STARTED_FROM = 5000  # articles: an export of fewer ends before a notice of its start could be read


class ExportingController:
    def __init__(
        self,
        screen: Screen,
        store: Store,
        reading: ReadingController,
        searching: SearchingController,
        stories: StoriesController,
    ) -> None:
        self._screen = screen
        self._store = store
        self._reading = reading
        self._searching = searching
        self._stories = stories

    def listed(self) -> tuple[list[Article], str]:
        """The articles the list shows, in its order, and what they are: the query, the entity, or all."""
        query = self._searching.archive_query
        if query is not None:
            return [article for key in self._searching.hits if (article := self._store.get(key))], query
        return list(self._reading.every_listed()), self._reading.filter_label or "all articles"

    def ask(self, format_name: str) -> None:
        """Prompt for the file, then export the list as it is now (a search's every hit, when it lists the best)."""
        articles, what = self.listed()
        if not articles:
            self._screen.notify("The list is empty: nothing to export.", severity="warning")
            return
        described, default_name = EXPORTS[format_name]
        counted = "every article it finds" if self._searching.capped else plural(len(articles), "article")
        question = f"Export the {described}: {counted} ({what}), to the file"
        chosen = partial(self.chosen, format_name, articles, what)
        prompt = LinePrompt(question, "Enter to write · Escape to cancel", str(Path.cwd() / default_name))
        self._screen.app.push_screen(prompt, chosen)

    def chosen(self, format_name: str, articles: list[Article], title: str, path: str | None) -> None:
        """A file that exists is replaced only when the user says so."""
        if not (path and path.strip()):
            return
        target = Path(path.strip()).expanduser()
        write = partial(self.start, format_name, articles, title, target)
        if not target.exists():
            write()
            return
        question = f"{display_path(target)} exists: replace it?"
        prompt = LinePrompt(question, "Enter replaces it · Escape keeps it", placeholder="Enter to replace")
        self._screen.app.push_screen(prompt, lambda answer: None if answer is None else write())

    def start(self, format_name: str, articles: list[Article], title: str, target: Path) -> None:
        everything = self._searching.shown_query() if self._searching.capped else None
        found = self._stories.stories  # as found so far: a story's id is the same in every export
        settings = ExportSettings(title, story_of=found.story if found else alone)
        write = partial(self._write, format_name, articles, settings, target, everything)
        self._screen.run_worker(write, thread=True, group="export", exit_on_error=False)
        if len(articles) >= SAY_STARTED_FROM:  # it takes seconds: say it is under way
            self._screen.notify(
                f"Exporting {plural(len(articles), 'article')} to {display_path(target)}…", markup=False
            )

    def _write(
        self,
        format_name: str,
        articles: list[Article],
        settings: ExportSettings,
        target: Path,
        everything: Query | None,
    ) -> None:
        """On the worker thread; `everything`: a capped search, whose every hit is looked for here."""
        app = self._screen.app
        try:
            if everything is not None:
                found = self._searching.every_hit(everything)
                articles = app.call_from_thread(lambda: [a for key in found if (a := self._store.get(key))])
            analyses = FetchedAnalyses(self._store, app.call_from_thread)
            said = export_to(target, format_name, analyses, analyses.articles(articles), settings)
        except Exception as error:  # a failed export must not take the reader down, nor go unsaid
            reason = (
                error.strerror if isinstance(error, OSError) and error.strerror else f"{type(error).__name__}: {error}"
            )
            text = sanitize_line(f"{display_path(target)}: cannot export ({reason}); nothing written")
            self._screen.post_message(BackgroundWarning("export", text))
            app.call_from_thread(self._screen.notify, text, title="Export failed", severity="error", markup=False)
            return
        app.call_from_thread(self._screen.notify, f"Exported {said} to {display_path(target)}", markup=False)

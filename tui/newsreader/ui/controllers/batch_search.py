"""A batch search from the reader: a file of queries (one a line, as `newsreader search --batch` reads it),
run on a thread; the list shows every article any of them found, and each query's count is said."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import get_current_worker

from newsreader.ingest.load import display_path, reason
from newsreader.ingest.sanitize import sanitize_line
from newsreader.ui.controllers.marking import MarkingController
from newsreader.ui.controllers.searching import ArchiveSearchDone, SearchingController
from newsreader.ui.messages import BackgroundWarning
from newsreader.ui.screens.line_prompt import LinePrompt
from newsreader.userdata.marks import UserMarks
from newsreader.wording import plural

if TYPE_CHECKING:
    from newsreader.search.results import Hit

SHOWN_COUNTS = 8  # queries whose counts the notification lists; all of them are in the list's hits
HINT = "one query a line, in the search language · # starts a comment · Enter runs · Escape cancels"


class BatchSearchController:
    """Asks for the file, runs it on the search's worker group (a new search cancels it), shows the union."""

    def __init__(self, screen: Screen, searching: SearchingController, marking: MarkingController) -> None:
        self._screen = screen
        self._searching = searching
        self._marking = marking

    def ask(self) -> None:
        prompt = LinePrompt("Batch search: the file of queries", HINT, str(Path.cwd()) + "/")
        self._screen.app.push_screen(prompt, self.start)

    def start(self, path: str | None) -> None:
        if not (path and path.strip()):
            return
        file = Path(path.strip()).expanduser()
        label = f"batch {file.name}"
        self._searching.show_batch(label)
        work = lambda: self._run(file, label, self._marking.marks)  # noqa: E731  (the marks as they are now)
        self._screen.run_worker(work, thread=True, exclusive=True, group="search", description="batch search")

    def _run(self, file: Path, label: str, marks: UserMarks) -> None:
        """On a thread: every query of the file, its hits merged (an article once, as its first query found it)."""
        from newsreader.search.batch import BatchFileError, batch_lines, batch_text
        from newsreader.search.marks import with_marks
        from newsreader.search.results import SearchResults

        try:
            lines = list(batch_lines(batch_text(file.read_bytes())))
        except (OSError, BatchFileError) as error:
            self._say(f"Cannot read {display_path(str(file))}: {reason(error)}", "error")
            return
        found: dict[str, Hit] = {}
        counts: list[str] = []
        for line in lines:
            if get_current_worker().is_cancelled:  # a newer search took over: its results are the ones shown
                return
            where = f"{file.name}, line {line.number}"
            if line.error is not None:
                self._screen.post_message(BackgroundWarning("batch search", f"{where}: {line.error}"))
                counts.append(f"line {line.number}: not run")
                continue
            try:
                hits = self._searching.answer_query(with_marks(line.query, marks), every_hit=True)
            except Exception as error:  # a bug in one query must not take the reader down, nor the other queries
                failure = f"{where}: {type(error).__name__}: {error}"
                self._screen.post_message(BackgroundWarning("batch search", failure))
                counts.append(f"line {line.number}: failed")
                continue
            counts.append(f"{line.text}: {len(hits)}")
            for hit in hits:
                found.setdefault(hit.article_id, hit)
        summary = f"{plural(len(lines), 'query', 'queries')}, {plural(len(found), 'article')}"
        more = len(counts) - SHOWN_COUNTS
        shown = counts[:SHOWN_COUNTS] + ([f"and {more} more"] if more > 0 else [])
        self._say(sanitize_line(f"{file.name}: {summary}") + "\n" + "\n".join(map(sanitize_line, shown)), "information")
        results = SearchResults(found.values(), problems=(summary,))
        self._screen.post_message(ArchiveSearchDone(label, results, results.indexed))

    def _say(self, text: str, severity: str) -> None:
        self._screen.app.call_from_thread(
            self._screen.notify, text, title="Batch search", severity=severity, markup=False, timeout=12
        )

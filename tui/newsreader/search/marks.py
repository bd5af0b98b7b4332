"""The user's marks in a query: `tag:`, `note:` and `is:` filters become the set of articles they allow.

Marks are few (a user stars, tags and annotates by hand), so a query with a mark filter reads
only the marked articles, whatever the size of the archive.
"""

from dataclasses import replace

from newsreader.folding import fold_key
from newsreader.search.query import MarkFilter, Query, parse_query
from newsreader.search.results import hit_spans
from newsreader.userdata.marks import UserMarks
from newsreader.userdata.state import ReadingState


def with_marks(query: Query, marks: UserMarks) -> Query:
    """`query` with `only` set to the fingerprints every mark filter allows; unchanged without mark filters."""
    if not query.marks:
        return query
    allowed: set[str] | None = None
    for each in query.marks:
        found = _allowed_by(each, marks)
        allowed = found if allowed is None else allowed & found
    return replace(query, only=frozenset(allowed or ()))


def _allowed_by(mark: MarkFilter, marks: UserMarks) -> set[str]:
    if mark.field == "tag":
        return {fingerprint for fingerprint, tags in marks.tags.items() if any(fold_key(t) == mark.value for t in tags)}
    if mark.field == "note":
        words = parse_query(mark.value)  # once, for every note
        return {fingerprint for fingerprint, note in marks.notes.items() if _note_holds(note, mark.value, words)}
    by_state = {"starred": marks.starred, "tagged": marks.tags.keys(), "noted": marks.notes.keys()}
    return set(by_state[mark.value])


def _note_holds(note: str, value: str, words: Query) -> bool:
    """Every word of `value` (`words`) in the note, in any form, as a search finds words in text (`note:италия`
    finds "МИД Италии"); or `value` as typed, within a word ("прод" of "продажи")."""
    return value in fold_key(note) or hit_spans(note, words) is not None


def saved_marks() -> tuple[UserMarks, list[str]]:
    """The marks the app saved, for a command-line search, and the state file's warnings (if it was unreadable)."""
    state = ReadingState()
    try:
        return state.user_marks(), state.warnings
    finally:
        state.close()

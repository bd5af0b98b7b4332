"""The search language: words, "phrases", prefix*, per:/org:/loc: entity filters, date: ranges,
src:/author:/topic: filters on where an article came from, and tag:/note:/is: filters on the user's marks.

A date filter takes ISO forms or words, read by search.typed_dates.
`parse_query` never raises: quotes may be unbalanced, any character may appear, an
unknown `x:` prefix is just words, and a date it cannot read becomes a problem note.
The text is sanitised as article texts are (so NUL, no-break spaces and NFD spellings
cannot keep a query from matching), and its cost is bounded whatever its length: only
its first MAX_QUERY_CHARS characters are read and its first MAX_QUERY_WORDS words
count, several date filters narrow to one period, and at most MAX_PROBLEMS notes,
each one short line, say what was left out.
"""

import calendar
import datetime
import itertools
import re
from dataclasses import dataclass

from newsreader.folding import fold_aligned, fold_key
from newsreader.ingest.parse import Article
from newsreader.ingest.sanitize import sanitize, sanitize_line
from newsreader.search.normalise import WORD
from newsreader.search.typed_dates import typed_period

ENTITY_FIELDS = {"per": "PER", "org": "ORG", "loc": "LOC"}
SOURCE_FIELDS = ("src", "author", "topic")
MARK_STATES = ("starred", "tagged", "noted")  # is:starred …
_TOKEN = re.compile(
    r"""(?P<field>(?i:per|org|loc|date|src|author|topic|tag|note|is)):(?:"(?P<field_quoted>[^"]*)"?|(?P<field_value>[^\s"]*))
      | "(?P<phrase>[^"]*)"?
      | (?P<bare>[^\s"]+)""",
    re.VERBOSE,
)
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")  # from undecodable command-line bytes; no text can hold one
MAX_QUERY_CHARS = 2000  # the rest of a pasted page is not read: parsing stays a few milliseconds
MAX_QUERY_WORDS = 32  # words of terms and entity filters together: each costs a dictionary look-up and an FTS clause
MAX_PROBLEMS = 3
MAX_SHOWN_VALUE = 24  # characters of a bad date value quoted back


@dataclass(frozen=True, slots=True)
class Word:
    """A query word as typed (its capital says 'a name'); `prefix` when it ended with `*`."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must stand one after the other: a single word, a "phrase", or Нью-Йорк."""

    words: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class EntityFilter:
    type: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceFilter:
    """`src:` (the outlet, URL or file path), `author:` or `topic:` holds `value`: a part of it, case and ё/е
    ignored. A text file has only its path: `src:ria/` finds the files of a folder named ria."""

    field: str
    value: str  # folded (`fold_key`)

    def allows(self, article: Article) -> bool:
        origin, value = article.origin, self.value
        places: tuple[str, ...]
        if self.field == "src":
            places = (article.path,) if origin is None else (origin.outlet or "", origin.url or "", article.path)
        elif origin is None:
            return False
        else:
            places = origin.authors if self.field == "author" else origin.topics
        return any(value in fold_key(place) for place in places)


@dataclass(frozen=True, slots=True)
class MarkFilter:
    """`tag:` (an article's tag is `value`), `note:` (its note holds `value`) or `is:` (starred, tagged, noted):
    the user's own marks, which search.marks turns into the articles they allow."""

    field: str
    value: str  # folded (`fold_key`)


@dataclass(frozen=True, slots=True)
class DateRange:
    first: datetime.date
    last: datetime.date

    def __contains__(self, day: datetime.date | None) -> bool:
        return day is not None and self.first <= day <= self.last

    @property
    def named(self) -> str:
        """ "2019-03-03", or "2019-03-03 to 2019-03-07": what a date typed in words came to."""
        first, last = self.first.isoformat(), self.last.isoformat()
        return first if first == last else f"{first} to {last}"


@dataclass(frozen=True, slots=True)
class Query:
    """Every term, entity filter and date range must hold. `literal` replaces all of them."""

    terms: tuple[Term, ...] = ()
    entities: tuple[EntityFilter, ...] = ()
    dates: tuple[DateRange, ...] = ()
    literal: str | None = None
    problems: tuple[str, ...] = ()
    sources: tuple[SourceFilter, ...] = ()
    marks: tuple[MarkFilter, ...] = ()
    # The fingerprints the mark filters allow, set by search.marks.with_marks; None: no mark filter.
    only: frozenset[str] | None = None

    @property
    def empty(self) -> bool:
        return not (self.terms or self.entities or self.dates or self.sources or self.marks or self.literal)

    def allows(self, article: Article) -> bool:
        """Whether the article passes the query's date, source and mark filters."""
        day = article.date
        return (
            all(day in period for period in self.dates)
            and all(each.allows(article) for each in self.sources)
            and (self.only is None or article.fingerprint in self.only)
        )


def query_error(parsed: Query, literal: bool) -> str | None:
    """Why the query is not run, in one line; None when it can be."""
    if parsed.problems:  # each note's first clause is the fact; what the bar does about it does not apply here
        return "; ".join(problem.split("; ")[0] for problem in parsed.problems) + " (nothing searched)"
    if parsed.empty:
        return "nothing to search for" + ("" if literal else ": no word or filter in the query (try --literal)")
    return None


def parse_query(text: str, literal: bool = False, today: datetime.date | None = None) -> Query:
    """Read the search language (or, when `literal`, take the whole text as one literal string).

    `today` is what a date typed in words counts from ("вчера", "last week"); by default the clock's.
    """
    if literal:
        text = clean_query_text(text)
        return Query(literal=text if fold_aligned(text).strip() else None)
    too_long = len(text) > MAX_QUERY_CHARS
    text = clean_query_text(text[:MAX_QUERY_CHARS])
    terms, entities, periods, problems, sources, marks = [], [], [], [], [], []
    words_left, cut = MAX_QUERY_WORDS, False
    for token in _TOKEN.finditer(text):
        if token["field"]:
            field = token["field"].lower()
            value = token["field_quoted"] if token["field_quoted"] is not None else token["field_value"]
            if field == "date":
                period = parse_date_range(value, today or datetime.date.today())
                if period is None:
                    problems.append(f'date:{_shown(value)} is no date: try 2019-03, "март 2019" or FROM..TO')
                else:
                    periods.append(period)
                continue
            if field in SOURCE_FIELDS:
                if folded := fold_key(value.strip()):
                    sources.append(SourceFilter(field, folded))
                continue
            if field in ("tag", "note", "is"):
                folded = fold_key(value.strip())
                if field == "is" and folded not in MARK_STATES:
                    problems.append(f"is:{_shown(value)} is not one of is:{', is:'.join(MARK_STATES)}")
                elif folded:
                    marks.append(MarkFilter(field, folded))
                continue
            names = tuple(match[0] for match in itertools.islice(WORD.finditer(value), words_left + 1))
            if names[:words_left]:
                entities.append(EntityFilter(ENTITY_FIELDS[field], names[:words_left]))
            found = len(names)
        else:
            words = _words(token["phrase"] if token["phrase"] is not None else token["bare"], words_left + 1)
            if words[:words_left]:
                terms.append(Term(words[:words_left]))
            found = len(words)
        cut = cut or found > words_left
        words_left -= min(found, words_left)
    if cut:
        problems.insert(0, f"the query has more than {MAX_QUERY_WORDS} words; only the first ones are searched")
    if too_long:
        problems.insert(0, f"the query is longer than {MAX_QUERY_CHARS} characters; only its start is read")
    dates = _overlap(periods, problems)
    return Query(tuple(terms), tuple(entities), dates, None, _summarised(problems), tuple(sources), tuple(marks))


def clean_query_text(text: str) -> str:
    """The query spelled as a loaded article would be: sanitised, and no lone surrogate."""
    return sanitize(_SURROGATE.sub("\ufffd", text))


def _shown(value: str) -> str:
    """A typed value quoted back in a problem note: short, one line, every character printable."""
    shown = sanitize_line(value if len(value) <= MAX_SHOWN_VALUE else value[:MAX_SHOWN_VALUE] + "…")
    return "".join(char if char.isprintable() else "\ufffd" for char in shown)


def _overlap(periods: list[DateRange], problems: list[str]) -> tuple[DateRange, ...]:
    """Every date filter must hold: one period, their overlap, however many were typed."""
    if not periods:
        return ()
    first, last = max(period.first for period in periods), min(period.last for period in periods)
    if first > last:
        problems.append("the date filters do not overlap: no article can match")
    return (DateRange(first, last),)


def _summarised(problems: list[str]) -> tuple[str, ...]:
    unique = list(dict.fromkeys(problems))
    if len(unique) <= MAX_PROBLEMS:
        return tuple(unique)
    return (*unique[: MAX_PROBLEMS - 1], f"and {len(unique) - MAX_PROBLEMS + 1} more problems")


def _words(text: str, limit: int) -> tuple[Word, ...]:
    """A quoted phrase is one term; so is a bare token with inner punctuation (Нью-Йорк, 10:30)."""
    return tuple(
        Word(match[0], text[match.end() : match.end() + 1] == "*")
        for match in itertools.islice(WORD.finditer(text), limit)
    )


def parse_date_range(value: str, today: datetime.date) -> DateRange | None:
    """`2025`, `2025-10`, `2025-10-25`, a period in words ("март 2019", "прошлая неделя"), or `FROM..TO`
    of those (either end may be left open)."""
    first_text, dots, last_text = value.partition("..")
    if not dots:
        return _period(value, today)
    first = _period(first_text, today) if first_text.strip() else DateRange(datetime.date.min, datetime.date.min)
    last = _period(last_text, today) if last_text.strip() else DateRange(datetime.date.max, datetime.date.max)
    if first is None or last is None or (not first_text.strip() and not last_text.strip()):
        return None
    return DateRange(first.first, last.last)


def _period(text: str, today: datetime.date) -> DateRange | None:
    match = _DATE.fullmatch(text.strip())
    if not match:
        typed = typed_period(text, today)
        return DateRange(*typed) if typed is not None else None
    year_text, month_text, day_text = match.groups()
    year = int(year_text)
    try:
        if month_text is None:
            return DateRange(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        month = int(month_text)
        if day_text is None:
            last_day = calendar.monthrange(year, month)[1]
            return DateRange(datetime.date(year, month, 1), datetime.date(year, month, last_day))
        single = datetime.date(year, month, int(day_text))
        return DateRange(single, single)
    except ValueError:
        return None

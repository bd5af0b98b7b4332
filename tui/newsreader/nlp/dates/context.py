"""What the words around a mention say of it: a dateline, a comparison, an attribute, habit, the future;
and the paragraph's memory of the period a dated mention set."""

import datetime
import re
from bisect import bisect_right

from newsreader.nlp.dates.mention import DateMention

LOOKBACK = 60  # characters before a mention that say it is a comparison, an attribute or a dateline
# "по сравнению с 2016-м", "относительно прошлого года", "чем в 2019 году", "уровня 2019 года"
COMPARISON = re.compile(
    r"(?:(?:сравнени[июе]\s+со?|относительно|по\s+отношению\s+к|уровн[а-яё]+)\s+(?:[а-яё]+\s+){0,2}"
    r"|(?:против|чем\s+в)\s+)$"
)
# "упали на 3% к прошлому году" compares; "сократить на 30% к 2030 году" sets a deadline, so a number after
# "% к" is no comparison, only a period relative to the one named.
COMPARED_PERIOD = re.compile(r"%\s+ко?\s+$")
ATTRIBUTE = re.compile(r"(?:модел|смартфон|выпуск|образц|издани|редакци|верси|коллекци|урожа)[а-яё]*\s+$")
# "автомобиль 2015 года выпуска", "уроженец 1985 года рождения": the year describes a thing or a person.
ATTRIBUTE_AFTER = re.compile(r"\s+(?:выпуска|рождения|постройки|производства|издания|урожая|образца)\b")
_DATELINE_CITY = re.compile(r"\s*[A-ZА-ЯЁ][A-ZА-ЯЁ.\- ]*,\s*")  # "ХАБАРОВСК, " before the day, on its line
_DATELINE_AGENCY = re.compile(  # "3 сен – РИА Новости", "21 ноября. /ТАСС/", "3 сентября. ИНТЕРФАКС -"
    r"\s*(?:(?:[–—-]|\.)\s*(?:РИА\b|ИТАР-ТАСС|ТАСС|Интерфакс\b|ИНТЕРФАКС|ПРАЙМ|RT\b|РБК\b|Sputnik|Reuters|AFP\b)"
    r"|\.?\s*/[^/\n]{2,20}/)"
)
_SENTENCE_BREAK = re.compile(r"[.!?…](?=\s+[^a-zа-яё\s])|\n")
# Habitual or generic text: its year-less months, days and seasons are no calendar dates
# ("рассаду высаживают в апреле и мае", "(отмечается 12 апреля)"). Adverbs count in the sentence,
# a present-tense plural verb of the -ывают type only in the clause.
_HABITUAL_WORDS = re.compile(
    r"\b(?:обычно|как\s+правило|ежегодн[а-яё]*|традиционн[а-яё]*|по\s+традиции|из\s+года\s+в\s+год"
    r"|кажд(?:ый|ую|ое|ой)\s+(?:год|весн|лет|осен|зим|месяц)|отмеча[ею]тся|праздну(?:ет|ют|ется|ются)"
    r"|празднуем[а-яё]*|отмечаем[а-яё]*)"  # "День единства, празднуемый 4 ноября"
    r"|\(\s*(?:отмечают|празднуют)\b"  # "(отмечают 12 июня)"; "как отмечают эксперты" is no habit
)
_HABITUAL_VERB = re.compile(r"(?<=[а-яё]{2})[ыи]ва(?:ют|ются)\b")
_CLAUSE_BREAK = re.compile(r"[,;:()—–\n.!?]")
_GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}
_POINT_DATE = {  # a date inside the period a point names, for counting whole units from it
    "day": datetime.date.fromisoformat,
    "month": lambda value: datetime.date(int(value[:4]), int(value[5:7]), 1),
    "year": lambda value: datetime.date(int(value[:4]), 7, 1),
}
HABIT_RULES = frozenset({"day", "months", "season_noun", "season_adverb"})
# A clause about the future does not continue a past year's story.
_FUTURE_WORDS = re.compile(
    r"\b(?:будет|будут|состоится|состоятся|пройд[её]т|пройдут|начн[её]тся|начнутся|откро[её]тся|откроют"
    r"|планиру[а-яё]*|намерен[а-яё]*|собира[а-яё]*ся|ожида[а-яё]*ся)\b"
)
_MARKS = {
    "habitual": _HABITUAL_WORDS,
    "habitual_verb": _HABITUAL_VERB,
    "future": _FUTURE_WORDS,
    "sentence": _SENTENCE_BREAK,
    "clause": _CLAUSE_BREAK,
}


class Paragraph:
    """What find_dates remembers as it reads: the last mention, the period a dated mention set (for the rest
    of its sentence and the next one, within its paragraph), and, built on first need, where the text
    speaks habitually. Each gap between mentions is read once, so the reading stays linear."""

    def __init__(self, text: str, lowered: str) -> None:
        self.text, self.lowered = text, lowered
        self.last: DateMention | None = None
        self.last_end = 0
        self.anchor: datetime.date | None = None  # a point inside the stated period
        self.anchor_is_year = False
        self.yearless_month = False  # the last mention is a month whose year was guessed
        self.shares_year_back = False  # the mention just read gives its year to that month
        self.anchor_age = 0  # sentence breaks read since the anchor was set
        self.point: DateMention | None = None  # the last day, month or year the story named, for "а через неделю"
        self.point_age = 0  # sentence breaks read since the point was named
        self._found: dict[str, list[int]] = {}

    def read_gap(self, start: int) -> None:
        """Age the anchor and the point by the sentences before `start`; forget both at a line break."""
        if self.text.find("\n", self.last_end, start) >= 0:
            self.anchor = self.point = None
        breaks = len(_SENTENCE_BREAK.findall(self.text, self.last_end, start + 1))  # + 1: the capital after
        self.anchor_age += breaks
        self.point_age += breaks
        if self.anchor_age > 1:
            self.anchor = None

    def set_anchor(self, mention: DateMention) -> None:
        value = mention.value
        self.anchor_age = 0
        self.anchor_is_year = mention.granularity not in ("day", "month")
        if value is None or "/" in value:
            self.anchor = None
        elif self.anchor_is_year:
            self.anchor = datetime.date(int(value[:4]), 7, 1)
        else:
            self.anchor = datetime.date(int(value[:4]), int(value[5:7]), 15)

    def remember_point(self, mention: DateMention) -> None:
        """Keep a resolved day, month or year of the story as the point later counts start from."""
        if mention.eventful and mention.value is not None and mention.granularity in _POINT_DATE:
            self.point, self.point_age = mention, 0

    def point_date(self, reach: int, unit: str) -> datetime.date | None:
        """The point within `reach` sentences to count `unit`s from, or None when there is none or the unit is
        finer than the point ("в марте 2020 года, а через неделю": which week is not said)."""
        point = self.point
        if point is None or self.point_age > reach:
            return None
        if _GRANULARITY_RANK[point.granularity] > _GRANULARITY_RANK[unit]:
            return None
        assert point.value is not None, "only resolved mentions become points"
        return _POINT_DATE[point.granularity](point.value)

    def reference_for_yearless(self) -> datetime.date | None:
        """The date to resolve a year-less month, day or season against: a month or day anchor shifted four
        months on, so "в мае 2016-го … в ноябре" is November 2016 and "в ноябре 2016 года … в феврале" 2017."""
        if self.anchor is None or self.anchor_is_year:
            return self.anchor
        return self.anchor + datetime.timedelta(days=122)

    def habitual(self, start: int) -> bool:
        """Whether the sentence around `start` speaks of what usually happens, or its clause uses a present
        plural of the -ывают type ("рассаду высаживают в апреле")."""
        return _same_span(self._marks("habitual"), self._marks("sentence"), start) or _same_span(
            self._marks("habitual_verb"), self._marks("clause"), start
        )

    def future(self, start: int) -> bool:
        """Whether the clause around `start` speaks of the future: "В 1945 году … В мае пройдет парад"."""
        return _same_span(self._marks("future"), self._marks("clause"), start)

    def _marks(self, name: str) -> list[int]:
        """Where `_MARKS[name]` matches in the text, found once per text on first need."""
        found = self._found.get(name)
        if found is None:
            source = self.text if name == "sentence" else self.lowered  # sentence breaks look at capitals
            found = self._found[name] = [match.start() for match in _MARKS[name].finditer(source)]
        return found


def _same_span(marks: list[int], breaks: list[int], position: int) -> bool:
    """Whether a mark lies between the breaks around `position`."""
    index = bisect_right(breaks, position)
    first = breaks[index - 1] if index else -1
    last = breaks[index] if index < len(breaks) else marks[-1] + 1 if marks else 0
    at = bisect_right(marks, first)
    return at < len(marks) and marks[at] < last


def is_dateline(text: str, start: int, end: int) -> bool:
    """ "ХАБАРОВСК, 3 сен – РИА Новости": a city in capitals alone before the day, or an agency after it."""
    line_start = text.rfind("\n", max(0, start - LOOKBACK), start) + 1
    city = (line_start > 0 or start < LOOKBACK) and _DATELINE_CITY.fullmatch(text, line_start, start) is not None
    return city or _DATELINE_AGENCY.match(text, end, end + LOOKBACK) is not None

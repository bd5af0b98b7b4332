"""Russian words of dates and the numbers they stand for, keyed by the stems the grammar matches."""

MONTH_BY_PREFIX = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "май": 5,
    "мая": 5,
    "мае": 5,
    "маю": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
WEEKDAY_BY_PREFIX = {"по": 0, "вт": 1, "ср": 2, "че": 3, "пя": 4, "су": 5, "во": 6}
SEASON_BY_PREFIX = {"зи": 0, "ве": 1, "ле": 2, "ос": 3}
SEASON_CODES = ("WI", "SP", "SU", "FA")
SEASON_MID_MONTHS = (1, 4, 7, 10)
QUARTER_BY_PREFIX = {"пер": 1, "вто": 2, "тре": 3, "чет": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
DECADE_BY_WORD = {
    "нуле": 0,
    "двад": 20,
    "трид": 30,
    "соро": 40,
    "пяти": 50,
    "шест": 60,
    "семи": 70,
    "вось": 80,
    "девя": 90,
}
TWO_DIGIT_YEARS_AHEAD = 20  # "31.12.30" from 2025 is a deadline in 2030, "12.04.61" Gagarin's flight
ROMAN_CENTURY = {"xix": 19, "xx": 20, "xxi": 21}
# A preposition before a season or weekday without a year: "с весны" looks back, "до осени" ahead.
TRIGGER_DIRECTION = {"с": -1, "со": -1, "после": -1, "начиная": -1, "до": 1, "к": 1, "ко": 1, "перед": 1}
WEEKEND_OFFSETS = {"прошл": -1, "минувш": -1, "прошедш": -1, "следующ": 1, "будущ": 1}  # else this week's
PERIOD_BY_PREFIX = {"год": "year", "мес": "month", "нед": "week", "ква": "quarter"}
COUNTED_UNIT_BY_PREFIX = {  # (granularity, units per counted word)
    "ден": ("day", 1),
    "дня": ("day", 1),
    "дне": ("day", 1),
    "днё": ("day", 1),
    "нед": ("week", 1),
    "мес": ("month", 1),
    "пол": ("month", 6),
    "год": ("year", 1),
    "лет": ("year", 1),
}
# One unit without a count: "через неделю", "годом ранее"; "день" alone is not, as "через день" is "every other day".
UNCOUNTED_UNITS = frozenset({"неделю", "месяц", "год", "полгода", "днем", "днём", "неделей", "месяцем", "годом"})
EARLIER_WORDS = frozenset({"назад", "ранее", "раньше"})  # "годом ранее"; "спустя", "позже" count forward
DEICTIC_OFFSETS = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
MODIFIER_OFFSETS = {
    "позапрошл": -2,
    "прошл": -1,
    "минувш": -1,
    "предыдущ": -1,
    "предшествующ": -1,
    "текущ": 0,
    "нынешн": 0,
    "следующ": 1,
    "будущ": 1,
    "наступающ": 1,
    "грядущ": 1,
}
NUMBER_WORDS = {
    "один": 1,
    "одну": 1,
    "одна": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "двумя": 2,
    "тремя": 3,
    "четырьмя": 4,
    "пятью": 5,
    "шестью": 6,
    "десятью": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "пятнадцать": 15,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "сто": 100,
}
# The words a date opens with, for the gate in front of the grammar (rules.GATE): up to three lead words (a
# trigger, a modifier, a count: "начиная с прошлой зимы", "ночь на прошлую среду", "двадцать пять лет назад"),
# then a digit or a word that opens a date's core. Stems match the words they open. A word missing here loses
# dates (tests/test_dates_gate.py checks the gate against the whole grammar); one too many only costs time.
LEAD_WORDS = tuple("в во с со до к ко по от после перед и или начиная течение ночь на".split())
LEAD_STEMS = (
    *"рубеж эпох начал середин кон эт прошедш предстоящ ближайш перв втор трет четв i".split(),
    *MODIFIER_OFFSETS,
    *NUMBER_WORDS,
)
CORE_STEMS = (
    *"январ феврал март апрел май мая мае маю июн июл август сентябр октябр ноябр декабр".split(),
    *"понедельник вторник сред четверг пятниц суббот воскресен зим весн лет осен квартал".split(),
    *"нулев двадцат тридцат сороков пятидесят шестидесят семидесят восьмидесят девяност".split(),
    *"год полгода месяц недел ден дн выходн через спустя".split(),
    *DEICTIC_OFFSETS,
)

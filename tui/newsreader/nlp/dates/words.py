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
    "нед": ("week", 1),
    "мес": ("month", 1),
    "пол": ("month", 6),
    "год": ("year", 1),
    "лет": ("year", 1),
}
UNCOUNTED_UNITS = frozenset({"неделю", "месяц", "год", "полгода"})  # "день" alone: "через день" is "every other day"
DEICTIC_OFFSETS = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
MODIFIER_OFFSETS = {
    "позапрошл": -2,
    "прошл": -1,
    "минувш": -1,
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
    "одиннадцать": 11,
    "двенадцать": 12,
    "пятнадцать": 15,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "сто": 100,
}

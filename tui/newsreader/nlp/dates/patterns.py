"""Regex fragments of the date grammar, and builders that name each rule's groups by a prefix."""

import re
from collections.abc import Collection

from newsreader.nlp.dates.words import CORE_STEMS, LEAD_STEMS, LEAD_WORDS, MODIFIER_OFFSETS, NUMBER_WORDS

_MONTH_WORD = (
    r"(?:(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|ём|ем)"
    r"|(?:март|август)(?:а|е|у|ом)?|ма(?:й|я|е|ю|ем))\b"
)
_WEEKDAY_WORD = r"(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"
SEASON_ADVERB = r"(?:зимой|весной|летом|осенью)\b"
SEASON_NOUN = r"(?:зим[аыеу]|весн[аыеу]|лет[оау]|осен[ьи])\b"
MODIFIER = (
    rf"(?:(?:{'|'.join(MODIFIER_OFFSETS)})(?:ого|его|ому|ему|ый|ий|ой|ая|ое|ее|ом|ем|ую|ей|ым|им)"
    r"|эт(?:ого|ому|от|ом|ой|им|а|о|у))\b"
)
NUMBER = rf"(?:(?<![\d,.])\d{{1,3}}|(?:{'|'.join(NUMBER_WORDS)})(?:\s+(?:{'|'.join(NUMBER_WORDS)}))?)\b"
COUNTED_UNIT = r"(?:день|дня|дней|неделю|недели|недель|месяц|месяца|месяцев|полгода|год|года|лет)\b"
COUNTED_UNIT_INSTRUMENTAL = r"(?:дн[её]м|днями|неделей|неделями|месяцем|месяцами|годом|годами)\b"
PERIOD_UNIT = r"(?:год(?:а|у|ом)?|месяц(?:а|е|ем)?|недел(?:я|и|е|ю|ей)|квартал(?:а|е|ом)?)\b"
YEAR_NUMBER = r"[12]\d{3}(?!\d)"
YEAR_WORD = r"(?:год(?:а|у|ом|е)?\b|г\.)"
YEARS_WORD = r"(?:год(?:ы|ов|ах|ам|а|у)?\b|гг?\.)"
ORDINAL_SUFFIX = r"-?(?:й|м|го|му|ом)"
HYPHEN_ORDINAL = r"-(?:го|м|й|му|ом)\b"
BY_WORDS = r"\s+(?:по|до)\s+"
BY_DASH = r"\s*[–—-]\s*"
FROM = r"(?:с|со)\s+"
POSITION_WORD = r"(?:начал[оаеу]|середин[аеуы]|кон(?:ец|ца|це|цу))"
# A bare month name is a date only after one of these words ("и", "или": right after a month).
MONTH_TRIGGER = rf"(?:в|во|с|со|до|к|ко|по|от|после|перед|и|или|{POSITION_WORD})\s+"
MONTH_ABBR = r"(?:янв|фев|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)(?:\.|\b)"  # "мая" is a month word already
_DECADE_STEM = r"(?:нулев|двадцат|тридцат|сороков|пятидесят|шестидесят|семидесят|восьмидесят|девяност)"
_CENTURY_NAME = r"(?:позапрошлого|прошлого|этого|нынешнего|текущего|[xх]{2}i|[xх]i[xх]|[xх]{2}|1[5-9]|2[01])"
DECADE_TRIGGER = rf"(?:в|во|с|со|до|к|ко|по|после|от|рубеж[аеу]?|эпох[иу]|{POSITION_WORD})\s+"
SEASON_TRIGGER = rf"(?:с|со|до|к|ко|после|перед|начиная\s+с|в\s+течение|{POSITION_WORD})\s+"
WEEKDAY_CASE = r"(?:(?:понедельник|вторник|четверг)[ау]|сред[ые]|пятниц[ые]|суббот[ые]|воскресень[яю])\b"
_WEEKDAY_STEMS = r"(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен)"
# "среды обитания", "с понедельника по пятницу" (opening hours): no dates.
NOT_A_WEEKDAY = rf"\s+(?:обитани|разработ|исполнени|выполнени|программировани|по\s+{_WEEKDAY_STEMS})"
WEEKEND_MODIFIER = (
    r"(?:(?:прошл|минувш|прошедш|следующ|будущ|наступающ|грядущ|предстоящ|ближайш|текущ|нынешн)"
    r"(?:ие|ые|их|ых|им|ым|ими|ыми)|эти(?:х|м|ми)?)\b"
)
# "2016-м" alone is a year, "на 2016-м километре" is not.
NOT_A_YEAR_NOUN = (
    r"\s+(?:км|килом|метр|мест|раз\b|минут|секунд|номер|строк|по\s+сч[её]т|участник|зрител|человек|позици"
    r"|шаг|ход|выпуск|сери|эпизод|день|дн[яеёи])"
)


def _month(p: str) -> str:
    return rf"(?P<{p}month>{_MONTH_WORD})"


def year_part(p: str) -> str:
    """A year after a day or month: "2025 года", "2025", "прошлого года", "с.г." (сего года, this year), or
    "того же года" (the year the text just named)."""
    number = rf"(?P<{p}year>{YEAR_NUMBER})(?:{HYPHEN_ORDINAL}|\s*{YEAR_WORD})?"
    return rf"(?:{number}|(?P<{p}rel>{MODIFIER}\s+года\b|с\.\s?г\.)|(?P<{p}same>(?:того|этого)\s+же\s+года\b))"


def month_year(p: str) -> str:
    return rf"{_month(p)}(?:\s+{year_part(p)})?"


def day_month_year(p: str) -> str:
    return rf"(?P<{p}day>[0-3]?\d)\s+{month_year(p)}"


def range_start_day(p: str) -> str:
    """The first day of a range, whose month and year may be left to the second."""
    return rf"(?P<{p}day>[0-3]?\d)(?:\s+{month_year(p)})?"


def weekday(p: str) -> str:
    return rf"(?:(?P<{p}mod>{MODIFIER})\s+)?(?P<{p}name>{_WEEKDAY_WORD})(?:,?\s+{day_month_year(p + 'date_')})?"


def quarter(p: str) -> str:
    ordinal = r"перв(?:ый|ого|ом|ому)|втор(?:ой|ого|ом|ому)|трет(?:ий|ьего|ьем|ьему)|четв[её]рт(?:ый|ого|ом|ому)"
    number = rf"(?P<{p}ord>{ordinal}|iv|i{{1,3}})|(?P<{p}digit>[1-4]){ORDINAL_SUFFIX}"
    return rf"(?:{number})\s+квартал(?:а|е|у|ом)?\b(?:\s+{year_part(p)})?"


def decade(p: str) -> str:
    number = (
        rf"(?:(?P<{p}full>(?:1[5-9]|20)\d0)-?(?:х|е|ые|ых|ми)|(?P<{p}short>[1-9]0|00)-(?:х|е|ые|ых)"
        rf"|(?P<{p}word>{_DECADE_STEM})(?:ые|ых|ым|ыми))\b(?!\s+числ)"
    )
    years = rf"(?:\s*(?P<{p}years>год(?:ы|ов|ах|ам|ами)\b|гг\.))?"
    return number + years + rf"(?:\s+(?P<{p}cent>{_CENTURY_NAME})(?:-?го)?\s+(?:века|столетия)\b)?"


def word_trie(words: Collection[str]) -> str:
    """An alternation of `words` written as a trie: the engine follows one branch a character where a flat
    alternation tries every word in turn (the gate runs at every word of a text)."""
    tails: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        if word:
            tails.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(first) + word_trie(rest) for first, rest in tails.items()]
    if not branches:
        return ""
    trie = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{trie})?" if "" in words else trie


# Where a date can start: up to three lead words, then a digit or a core word (words.py lists them). Trying
# the rules only there skips most words of a text at a fifth of the cost of trying every rule at each.
GATE = (
    rf"(?=(?:(?:{word_trie(LEAD_WORDS)}|{word_trie(LEAD_STEMS)}[а-яёiv]*)\s+){{0,3}}"
    rf"(?:\d|{word_trie(CORE_STEMS)}))"
)

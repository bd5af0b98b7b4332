"""The shortcuts of loading change its speed, never its outcome.

Plain UTF-8 is checked and parsed in one pass (`clean_utf8`, `read_article`); boilerplate and
credit rules are tried only on lines that can match them (`linerules`). Each is compared here
with the full path it stands for, on hostile input Hypothesis draws.
"""

import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsreader.ingest import linerules
from newsreader.ingest.load import Document, LoadWarning, iter_documents
from newsreader.ingest.parse import Article, iter_articles, parse
from newsreader.ingest.sanitize import (
    _COMBINING_RANGES,
    _COMMON,
    _NEEDS_WORK,
    _combining_in,
    _only_common,
    clean_utf8,
    sanitize,
)
from test_text_properties import hostile_text


def test_every_character_sanitising_changes_is_unprintable_or_a_combining_mark_found_in_the_bytes():
    ranges = re.findall(r"(.)(?:-(.))?", _NEEDS_WORK.pattern[1:-1], re.DOTALL)
    characters = {chr(code) for low, high in ranges for code in range(ord(low), ord(high or low) + 1)}
    combining = re.compile(f"[{_COMBINING_RANGES}]")
    assert len(characters) > 2500  # the class was read whole: surrogates alone are 2048
    for character in characters:
        if combining.match(character):
            assert _combining_in(character.encode()), hex(ord(character))
        else:
            assert not character.isprintable(), hex(ord(character))


@given(hostile_text)
@example("a\u00a0b\tc\n\u2007d\u202f")
@example("caf\u0065\u0301\n")
def test_clean_utf8_gives_the_lines_sanitize_gives(text):
    data = text.encode("utf-8", "surrogatepass")
    try:
        strict = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    lines = clean_utf8(data, strict)
    if lines is not None:
        assert lines == sanitize(strict).split("\n")


def test_common_characters_are_the_ones_russian_news_is_written_in_and_need_no_work_together():
    for needed in "\nАЯаяЁё «»—–…№\u00a0\u202f\t€₽":
        assert needed in _COMMON, repr(needed)
    assert len(_COMMON) <= 255
    for first in _COMMON:  # no pair composes or reorders: any sequence of them is NFC
        for second in _COMMON:
            assert unicodedata.is_normalized("NFC", first + second), (hex(ord(first)), hex(ord(second)))
    for character in _COMMON:
        spaced = sanitize(character)
        assert spaced in (character, " ", " " * 4), hex(ord(character))
        assert not _combining_in(character.encode())


common_text = st.text(alphabet=st.sampled_from([*_COMMON, "\x00", "\x01", "\r", "é", "\u0301", "\u2028", "\ufeff"]))


@given(common_text)
@example("Фото\u00a0ТАСС\tи\u202fё\x00")
@example("\x00")
@example("е\u0301")
@example("a\ufffeb")  # the charmap table's "undefined" mark is no common character
def test_only_common_says_yes_exactly_when_every_character_is_common(text):
    assert _only_common(text) == all(character in _COMMON for character in text)
    data = text.encode()
    lines = clean_utf8(data, text)
    if lines is not None:
        assert lines == sanitize(text).split("\n")
    if _only_common(text):
        assert lines is not None


def _items(path, **options) -> list:
    """What loading one file gives, as comparable tuples."""
    found = []
    for item in iter_articles([path], **options):
        if isinstance(item, Article):
            found.append((item.id, item.date, item.title, item.lede_length, item.credit, item.fingerprint, item.text))
        else:
            found.append((item.path, item.reason))
    return found


def _reference(path) -> list:
    """The same through the general path: `iter_documents` (decode, then `sanitize`), then `parse`."""
    found = []
    for item in iter_documents([path]):
        if isinstance(item, Document):
            article, warnings = parse(item)
            found += [(warning.path, warning.reason) for warning in warnings]
            found.append(
                (
                    article.id,
                    article.date,
                    article.title,
                    article.lede_length,
                    article.credit,
                    article.fingerprint,
                    article.text,
                )
            )
        else:
            assert isinstance(item, LoadWarning)
            found.append((item.path, item.reason))
    return found


@settings(max_examples=150)
@given(
    st.one_of(
        hostile_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.lists(st.sampled_from(["date 2025-03-04", "Фото: ТАСС", "Мы используем cookies", "\u00a0", "\t", " "]))
        .map("\n".join)
        .map(str.encode),
        st.binary(max_size=256),
    )
)
def test_reading_a_file_in_one_pass_gives_what_the_general_path_gives(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("one") / "article.txt"
    path.write_bytes(data)
    assert _items(path) == _reference(path)


LINE_PIECES = st.sampled_from(
    ["Мы используем cookies", "ok", "OK", "Ok", "K", "\u212a", "ſ", "İ", "Share", "ВКонтакте", "«", " ", ":", "/", "©"]
)
lines = st.lists(st.one_of(LINE_PIECES, st.text(max_size=6)), min_size=1, max_size=6).map("".join).filter(bool)


@given(lines)
@example("\u212aк")  # K, the Kelvin sign: case-insensitively it is k
@example("Фото: ТАСС")
@example("фОТО — ТАСС")
@example("\u0131mage: x")  # ı, dotless i: case-insensitively it is i
@example("Maksim Drozdov/Shutterstock")
@example("Андрей Гордеев/Агентство «Москва»")
@example("Андрей Гордеев Агентство «Москва»")
@example("© ТАСС")
@example("ſubscribe to us")
def test_rules_are_tried_on_every_line_they_can_match(line):
    boilerplate = linerules.rules("boilerplate.txt", re.IGNORECASE).fullmatch(line) is not None
    assert linerules.is_boilerplate(line) == boilerplate
    assert linerules.is_credit(line) == (linerules.rules("credits.txt", 0).fullmatch(line) is not None)


# Files laid out as their text, nearly so, and not at all: `_laid_out` hashes the file's own bytes.
PARAGRAPHS = st.sampled_from(
    [
        "Заголовок статьи",
        "Лид\u00a0статьи с неразрывным пробелом",
        "Фото: ТАСС",
        "Андрей Гордеев/Агентство «Москва»",
        "© РИА Новости",
        "Мы используем cookies",
        "Поделиться",
        "ok",
        " отступ",
        "хвост ",
        "\tтаб",
        "",
        " ",
        "Абзац " * 40,
        "é\u0301",
    ]
)


def _file_of(header: str, paragraphs: list[str], between: str, under_lede: str | None, end: str) -> bytes:
    """An article file: `under_lede`, when given, is a line right under the lede (the second paragraph)."""
    if under_lede is not None and len(paragraphs) > 1:
        paragraphs = [paragraphs[0], f"{paragraphs[1]}\n{under_lede}", *paragraphs[2:]]
    return f"{header}\n{between.join(paragraphs)}{end}".encode("utf-8", "surrogatepass")


laid_out_files = st.builds(
    _file_of,
    st.sampled_from(["date 2025-03-04", "date 2025-03-04", "date 2025-03-04", "date 2025-13-45", "без заголовка"]),
    st.lists(st.one_of(PARAGRAPHS, PARAGRAPHS, PARAGRAPHS, st.text(max_size=8)), max_size=7),
    st.sampled_from(["\n\n", "\n\n", "\n\n", "\n", "\n\n\n"]),  # mostly laid out
    st.one_of(st.none(), PARAGRAPHS),
    st.sampled_from(["", "\n", "\n\n"]),
)


@settings(max_examples=300)
@given(laid_out_files)
@example(b"date 2025-03-04\n\xd0\x97\n\n\xd0\x9b\xd0\xb8\xd0\xb4\n")
@example("date 2025-03-04\nЗаголовок\n\nЛид\nФото: ТАСС\n\nТекст.\n".encode())
@example("date 2025-03-04\nЗаголовок\n\nФото: ТАСС\nЛид\n\nТекст.\n".encode())  # the lede is the credit
@example("date 2025-03-04\nЗаголовок\n\nЛид\nНе кредит\n\nТекст.".encode())
@example("date 2025-03-04\nЗаголовок\n\nЛид\nФото: ТАСС \n\nТекст.\n".encode())
@example("date 2025-03-04\nЗаголовок\n\nЛид\n\nПоделиться\n\nТекст.\n".encode())
@example("date 2025-03-04\nЗаголовок\n\n\n".encode())
@example(b"date 2025-03-04\n")
def test_a_file_laid_out_as_its_text_gives_what_the_general_path_gives(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("laid") / "article.txt"
    path.write_bytes(data)
    reference = _reference(path)
    assert _items(path) == reference
    without_text = [item[:-1] if len(item) == 7 else item for item in reference]
    assert [item[:-1] if len(item) == 7 else item for item in _items(path, keep_text=False)] == without_text

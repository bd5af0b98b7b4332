"""Properties of decoding, sanitising, parsing and loading, over hostile input Hypothesis draws.

Nothing raises, and what comes out is display-safe: no C0/C1 control (newline is kept as
structure; tab is expanded to spaces; CR, CR LF, U+2028 and U+2029 become newline), no escape
sequence, no bidi control, no zero-width or other invisible format character, no lone
surrogate. Every offset an Article gives indexes its `text`.
"""

import codecs
import datetime
import os
import tempfile

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import SEED_FILE
from hazards import BIDI_AND_INVISIBLE, MARKUP, TERMINAL_ESCAPES, UNSAFE, UNTERMINATED_OSC
from newsreader.ingest.decode import LEGACY_ENCODINGS, NotText, decode
from newsreader.ingest.load import Document, LoadWarning, display_path, iter_documents
from newsreader.ingest.parse import PARAGRAPH_SEPARATOR, Article, parse
from newsreader.ingest.sanitize import sanitize, sanitize_line

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1251", "koi8_r", "cp866")
SEED_PARAGRAPHS = [line.strip() for line in SEED_FILE.read_text("utf-8").splitlines()[1:] if len(line.strip()) > 20]

# Pieces an attacker or a broken archive puts in text, drawn whole so Hypothesis meets them often.
HOSTILE_PIECES = st.sampled_from(
    [
        *TERMINAL_ESCAPES,
        UNTERMINATED_OSC,
        *BIDI_AND_INVISIBLE,
        MARKUP,
        "[/]",
        "[@click=app.quit]",
        "[",
        "\x1b",
        "\x1b[",
        "\x1b]",
        "\x1bP",
        "\x1b_",
        "\x9b",
        "\x9d",
        "\x90",
        "\x07",
        "\x1b\\",
        "\x9c",
        "\x00",
        "\r",
        "\r\n",
        "\n",
        "\n\n",
        "\t",
        "\x0b",
        "\x0c",
        "\x85",
        "\u2028",
        "\u2029",
        "\u00a0",
        "\u2007",
        "\u202f",
        "\ud800",
        "\udcff",
        "\u0301",
        "\u0301" * 8,
        "date 2025-03-04",
        "date ",
        "Фото: Иван Петров / ТАСС",
        "Мы используем cookies",
        "Президент России",
        "ё",
    ]
)
ANY_CHARACTER = st.characters(codec=None)  # every code point, lone surrogates included
ALL_C0_C1 = st.characters(max_codepoint=0xA0)
hostile_text = st.lists(st.one_of(HOSTILE_PIECES, ANY_CHARACTER, ALL_C0_C1, st.text(max_size=8)), max_size=40).map(
    "".join
)


def assert_display_safe(text: str) -> None:
    bad = UNSAFE.search(text)
    assert bad is None, f"{bad.group()!r} survived at {bad.start()} in {text!r}"


@given(hostile_text)
@example("\x1b]0;PWNED\x07\x1b]52;c;cm0gLXJm\x07")
@example("a\u200b\u0301")  # the invisible character between a letter and its accent
def test_sanitize_output_is_display_safe_normalised_and_stable(text):
    clean = sanitize(text)
    assert_display_safe(clean)
    assert "\x1b" not in clean and "\r" not in clean and "\t" not in clean
    assert sanitize(clean) == clean
    assert sanitize_line(text) == clean.replace("\n", " ")


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"], exclude_characters="\u00a0\u2007\u202f")))
def test_sanitize_keeps_ordinary_text(text):
    import unicodedata

    assert sanitize(text) == unicodedata.normalize("NFC", text)


@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=20), max_size=6))
def test_newlines_survive_as_structure(lines):
    assert sanitize("\r\n".join(lines)).count("\n") == max(len(lines) - 1, 0)


@given(st.binary(max_size=2048))
@example(codecs.BOM_UTF32_LE + b"\xff\xff\xff\xff")
@example(codecs.BOM_UTF16_LE + b"\x00\xd8")
@example(b"\xc3")
def test_decode_any_bytes_never_raises_anything_but_not_text(data):
    try:
        decoded = decode(data)
    except NotText as error:
        assert str(error)
        return
    assert isinstance(decoded.text, str)
    assert_display_safe(sanitize(decoded.text))
    decoded.text.encode("utf-8")  # no surrogate escapes leak out of decoding


@given(hostile_text, st.sampled_from(ENCODINGS), st.binary(max_size=16), st.booleans())
def test_decode_hostile_text_in_any_encoding_with_garbage(text, encoding, garbage, garbage_first):
    data = text.encode(encoding, "replace") if encoding.startswith("utf") else text.encode(encoding, "ignore")
    data = garbage + data if garbage_first else data + garbage
    try:
        decoded = decode(data)
    except NotText:
        return
    assert_display_safe(sanitize(decoded.text))


@given(st.sampled_from(SEED_PARAGRAPHS), st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-32", *LEGACY_ENCODINGS)))
def test_real_russian_text_decodes_back_in_each_encoding(paragraph, encoding):
    """UTF-16 and UTF-32 need their BOM: without one they are refused as binary (see test_decode)."""
    try:
        data = paragraph.encode(encoding)
    except UnicodeEncodeError:  # KOI8-R and cp866 have no « » or no-break space
        assume(False)
    decoded = decode(data)
    assert decoded.text == paragraph
    assert decoded.problem is None


def document(text: str) -> Document:
    return Document(id="x.txt", path="x.txt", text=sanitize(text), encoding="utf-8")


def assert_offsets_index_text(article: Article) -> None:
    parts = [article.title] + ([article.lede] if article.lede is not None else []) + list(article.body)
    assert PARAGRAPH_SEPARATOR.join(parts) == article.text
    assert all(part and "\n" not in part for part in parts)


@given(hostile_text)
def test_parse_any_sanitised_text_gives_offsets_into_text(text):
    article, warnings = parse(document(text))
    assert_offsets_index_text(article)
    for each in (article.title, article.lede or "", article.credit or "", article.text):
        assert_display_safe(each)
    assert all(isinstance(warning, LoadWarning) for warning in warnings)


# What follows the date on the header line: nothing, or a space and then anything but a line break.
NOISE = st.one_of(st.just(""), st.tuples(st.sampled_from(" \t\u00a0"), hostile_text.map(sanitize_line)).map("".join))


@given(st.dates(), NOISE, st.sampled_from(["date", "Date", "DATE", "  date", "\ufeffdate"]), hostile_text)
def test_a_valid_date_header_with_noise_after_it_gives_the_date(date, noise, keyword, rest):
    text = f"{keyword} {date.isoformat()}{noise}\n{rest}"
    article, warnings = parse(document(text))
    assert article.date == date
    assert not [warning for warning in warnings if "date" in warning.reason]
    assert_offsets_index_text(article)


@given(st.text(max_size=30), hostile_text)
def test_a_date_is_never_guessed(first_line, rest):
    """Either the header is `date YYYY-MM-DD` (then that is the date), or there is no date and a warning."""
    article, warnings = parse(document(f"{first_line}\n{rest}"))
    header = sanitize(first_line).split("\n")[0].strip()
    if article.date is None:
        assert any("date" in warning.reason for warning in warnings)
    else:
        assert header.lower().startswith("date")
        token = header[4:].split()[0]
        assert token == article.date.isoformat() and datetime.date.fromisoformat(token) == article.date


@pytest.fixture(scope="module")
def scratch_file():
    with tempfile.TemporaryDirectory() as folder:
        yield os.path.join(folder, "article.txt")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.binary(max_size=1024), hostile_text.map(lambda text: text.encode("utf-8", "surrogatepass"))),
    st.sampled_from(ENCODINGS),
)
def test_loading_any_file_yields_safe_documents_or_warnings(scratch_file, data, encoding):
    """Read through the real load path: bytes on disk -> decode -> sanitise -> parse."""
    with open(scratch_file, "wb") as file:
        file.write(data if encoding == "utf-8" else data.decode("utf-8", "replace").encode(encoding, "replace"))
    items = list(iter_documents([scratch_file]))
    assert items and all(isinstance(item, (Document, LoadWarning)) for item in items)
    for item in items:
        if isinstance(item, Document):
            assert_display_safe(item.text)
            article, _ = parse(item)
            assert_offsets_index_text(article)
        else:
            assert_display_safe(item.reason)


@given(st.one_of(st.binary(max_size=64), hostile_text.map(lambda text: text.encode("utf-8", "surrogatepass"))))
def test_any_file_name_is_shown_safely(name):
    """Names as the OS gives them: bytes, or str with undecodable bytes surrogate-escaped."""
    assert_display_safe(display_path(name))
    assert_display_safe(display_path(os.fsdecode(name)))

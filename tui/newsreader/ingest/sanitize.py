"""One cleaning pass for every untrusted string before anything else sees it.

Titles, bodies, file names and warnings all go through `sanitize`, so display,
search and NER agree on the same characters and no byte can drive the terminal.
"""

import codecs
import re
import unicodedata

TAB_SIZE = 4
MAX_COMBINING_MARKS = 3
REPLACEMENT = "\ufffd"

# ESC-introduced sequences, and their 8-bit C1 twins, removed whole.
# String sequences (OSC, DCS, SOS, PM, APC) run to ST or BEL; an unterminated
# one is cut at the end of its line so it cannot swallow the article.
_ESCAPE_SEQUENCES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?        # CSI
    | (?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]) .*? (?:\x07|\x1b\\|\x9c|(?=\n)|$)  # OSC, DCS, SOS, PM, APC
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                                 # other escapes
    """,
    re.VERBOSE | re.DOTALL,
)
_C1_CONTROLS = re.compile(r"[\x80-\x9f]")
# Any C0 control but tab and newline, DEL, or any C1 control: the trigger for the three steps below.
_ANY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_OTHER_CONTROLS = re.compile(r"[\x01-\x08\x0b-\x1f\x7f]")
# Lone surrogates (from surrogate-escaped names or a caller's str) cannot be written to a terminal.
_SURROGATES = re.compile("[\ud800-\udfff]")
# CR, and the Unicode line and paragraph separators, become the newline they mean. Each is
# replaced only where present, with str.replace: a third of real articles hold a no-break
# space, and str.translate with a mapping costs ~600x more per character on non-ASCII text.
_LINE_BREAKS = (("\r\n", "\n"), ("\r", "\n"), ("\u2028", "\n"), ("\u2029", "\n"))
# No-break spaces become plain ones so typed searches and NER see ordinary words.
_SPACES = (("\u00a0", " "), ("\u2007", " "), ("\u202f", " "))
# Bidi controls, zero-width and invisible format characters, interlinear annotations and tag
# characters: none shows, and each can make text read differently from what is stored.
_INVISIBLE_RANGES = "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
_INVISIBLE = re.compile(f"[{_INVISIBLE_RANGES}]")
_COMBINING_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_COMBINING = f"[{_COMBINING_RANGES}]"
_EXCESS_COMBINING = re.compile(f"({_COMBINING}{{{MAX_COMBINING_MARKS}}}){_COMBINING}+")
_ANY_COMBINING = re.compile(_COMBINING)

# Anything any step would change; most real text has none of it, and one scan says so.
_NEEDS_WORK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\xa0\t\u2007\u2028\u2029\u202f\ud800-\udfff" + _INVISIBLE_RANGES + _COMBINING_RANGES + "]"
)


def sanitize(text: str) -> str:
    """Return `text` safe to display, search and analyse, with the same meaning."""
    found = "".join(set(_NEEDS_WORK.findall(text)))  # one scan; each step below tests this short string
    if not found:
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            return text
        return unicodedata.normalize("NFC", text)
    text = _replace_present(text, _LINE_BREAKS)
    if _ANY_CONTROL.search(found):
        text = _ESCAPE_SEQUENCES.sub("", text)
        text = _C1_CONTROLS.sub("", text)
        text = text.replace("\x00", "")
        text = _OTHER_CONTROLS.sub(REPLACEMENT, text)
    if _SURROGATES.search(found):
        text = _SURROGATES.sub(REPLACEMENT, text)
    if _INVISIBLE.search(found):
        text = _INVISIBLE.sub("", text)
    text = _replace_present(text, _SPACES)
    if "\t" in found:
        text = text.expandtabs(TAB_SIZE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _EXCESS_COMBINING.sub(r"\1", text) if _ANY_COMBINING.search(found) else text


def clean_utf8(data: bytes, text: str) -> list[str] | None:
    """The lines of `sanitize(text)`, when `text` (`data` decoded as strict UTF-8) needs at most its
    no-break spaces replaced and its tabs expanded; None when it needs the full pass (see `clean_utf8_lines`)."""
    cleaned = clean_utf8_lines(data, text)
    return None if cleaned is None else cleaned[0]


def clean_utf8_lines(data: bytes, text: str) -> tuple[list[str], bool] | None:
    """`clean_utf8`'s lines, and whether they are `text`'s own (no space replaced, no tab expanded): then
    `data` is their UTF-8, and a fingerprint can hash it rather than encode the text again.

    Most articles are such, and this is much faster than `sanitize`. Most of those hold only
    common characters (see `_only_common`): one C-level pass says so, and nothing but spaces and
    tabs can need work. Otherwise: a line is printable (`str.isprintable`) exactly when it holds no
    control, format or separator character but the space: that covers every character sanitising
    changes but combining marks, which are looked for in the bytes. So when the lines are printable
    once spaces and tabs are done, and there is no combining mark, nothing else is to change, the
    only whitespace left is the ASCII space, and the bytes hold no control character but tabs and
    newlines (`decode` would not call them binary).
    """
    if _only_common(text):
        spaced = _replace_present(text, _SPACES)
        if "\t" in spaced:
            spaced = spaced.expandtabs(TAB_SIZE)
        return spaced.split("\n"), spaced is text
    if _combining_in(data):
        return None
    spaced = _replace_present(text, _SPACES)  # `in` finds a character in a str at memchr speed
    if "\t" in spaced:
        spaced = spaced.expandtabs(TAB_SIZE)
    lines = spaced.split("\n")
    if not all(map(str.isprintable, lines)):
        return None
    if not (spaced.isascii() or unicodedata.is_normalized("NFC", spaced)):
        return None
    return lines, spaced is text


def _common_characters() -> str:
    """The characters most Russian news is written in, each of which sanitising leaves alone, or
    only turns into a space (no-break spaces) or spaces (tabs): newline, printable ASCII, the
    Cyrillic of Russian and its neighbours, the Latin-1 signs, typographic dashes, quotes and
    ellipsis, numero, euro, rouble, trade mark. At most 255 (one table of a charmap codec).

    Each is checked here rather than trusted: printable (or one of the spaces and tabs), no
    combining mark, left as it is by NFC, and not one that `_combining_in` would flag. None of these
    blocks holds a character that composes with the one before it (the tests check every pair), so
    any sequence of them is NFC, printable once spaces and tabs are done, and free of combining marks.
    """
    spaces = {old for old, _ in _SPACES} | {"\t"}
    candidates = [
        "\n",
        "\t",
        *map(chr, range(0x20, 0x7F)),
        *map(chr, range(0x400, 0x460)),
        *map(chr, range(0xA0, 0xC0)),
        *map(chr, range(0x2010, 0x2016)),  # dashes; not the double vertical and low lines after them
        *map(chr, range(0x2018, 0x2028)),  # quotes, daggers, bullets, ellipsis
        "\u2007\u202f\u2039\u203a\u20ac\u20bd\u2116\u2122",
    ]
    chosen = []
    for character in "".join(candidates):
        if character != "\n" and not (character.isprintable() or character in spaces):
            continue
        if unicodedata.combining(character) or unicodedata.category(character).startswith("M"):
            continue
        if unicodedata.normalize("NFC", character) != character:
            continue
        if _combining_in(character.encode()):
            continue
        chosen.append(character)
    return "".join(chosen)


def _only_common(text: str) -> bool:
    """Whether every character of `text` is one of `_common_characters()`: the charmap codec's encoder
    tests each against a three-level table in C, twice as fast as `isprintable` and `is_normalized`
    together. Its table must begin with NUL, so NUL is looked for in what it gives (memchr: in a
    str, NUL is found one character at a time)."""
    try:
        encoded, _ = _encode_common(text, "strict", _COMMON_MAP)
    except UnicodeEncodeError:
        return False
    return encoded.find(b"\x00") < 0


def _combining_in(data: bytes) -> bool:
    """Whether UTF-8 `data` may hold a character of _COMBINING_RANGES: the UTF-8 of each begins with one
    of these (0xCC and 0xCD also begin Greek letters, 0xE1 and 0xEF other rare scripts and forms: a
    text with those takes the full pass, which changes nothing). Single bytes are found with memchr,
    ten times faster than a pair."""
    find = data.find  # not `in`: bytes.__contains__ first tries its argument as an int, and raises and clears an error
    return (
        find(b"\xcc") >= 0 or find(b"\xcd") >= 0 or find(b"\xe1") >= 0 or find(b"\xef") >= 0 or find(b"\xe2\x83") >= 0
    )


def _replace_present(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """Each replacement in turn, skipped where its character is absent (the `in` test is a fast scan)."""
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def sanitize_line(text: str) -> str:
    """Sanitise a one-line string (a file name, a warning): newlines become spaces."""
    return sanitize(text).replace("\n", " ")


_COMMON = _common_characters()
_COMMON_MAP = codecs.charmap_build(("\x00" + _COMMON).ljust(256, "\ufffe"))
_encode_common = codecs.charmap_encode
if len(_COMMON) > 255 or type(_COMMON_MAP).__name__ != "EncodingMap":  # a dict would work, 20 times slower
    raise RuntimeError(f"the common characters do not fit one charmap table ({len(_COMMON)})")

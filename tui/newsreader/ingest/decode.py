"""Bytes to text for Russian news files, in a fixed and explainable order.

A BOM wins; then strict UTF-8; then mostly-valid UTF-8 with U+FFFD; otherwise the
best of the three legacy Cyrillic code pages. Unrestricted charset detection is
not used because it misreads short Russian texts.
"""

import codecs
import math
import re
from collections import Counter
from dataclasses import dataclass

from newsreader.wording import plural

LEGACY_ENCODINGS = ("cp1251", "koi8_r", "cp866")
SAMPLE_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!",
    b"SQLite format 3",
)
_BOM_PREFIXES = tuple(bom for bom, _ in _BOMS)
_BINARY_CONTROLS = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_ASCII = bytes(range(0x80))
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]")

# Letter frequencies of Russian prose (per cent), lower case.
_RUSSIAN_FREQUENCY = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (
            10.97,
            8.45,
            8.01,
            7.35,
            6.70,
            6.26,
            5.47,
            4.73,
            4.54,
            4.40,
            3.49,
            3.21,
            2.98,
            2.81,
            2.62,
            2.01,
            1.90,
            1.74,
            1.70,
            1.65,
            1.59,
            1.44,
            1.21,
            0.97,
            0.94,
            0.73,
            0.64,
            0.48,
            0.36,
            0.32,
            0.26,
            0.04,
            0.04,
        ),
        strict=True,
    )
)
_LETTER_SCORE = {letter: math.log(share) for letter, share in _RUSSIAN_FREQUENCY.items()}
_NOT_A_LETTER_SCORE = -12.0
_UPPER_CASE_SCORE = -3.0
MIN_LETTER_SHARE = 0.6


class NotText(Exception):
    """The bytes are not text we can read; the message says why."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    problem: str | None = None


def decode(data: bytes) -> Decoded:
    """Decode file bytes, or raise NotText with the reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, encoding)
    _reject_binary(data[:SAMPLE_BYTES])
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", "surrogateescape")  # each invalid byte one surrogate: "ignore" drops them
    bad_bytes = len(escaped) - len(data.decode("utf-8", "ignore"))
    good_non_ascii = len(escaped) - len(escaped.encode("ascii", "ignore")) - bad_bytes
    if good_non_ascii >= 4 * bad_bytes:
        text = _ESCAPED_BYTES.sub("\ufffd", escaped)
        return Decoded(text, "utf-8", f"{plural(bad_bytes, 'invalid UTF-8 byte')} replaced")
    return _decode_legacy(data)


def plain_utf8(data: bytes) -> str | None:
    """`data` decoded when it is strict UTF-8 with neither a BOM nor a binary file's signature, else None.

    Most files are; one decode then serves both the check and the text. The text may still hold
    enough control characters for `decode` to call it binary: the caller must rule that out.
    """
    if data.startswith(_BOM_PREFIXES) or data.startswith(_BINARY_MAGIC):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_with_bom(data: bytes, encoding: str) -> Decoded:
    text = data.decode(encoding, "replace")
    bad = text.count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")
    problem = f"{plural(bad, f'invalid {encoding.upper()} byte')} replaced" if bad else None
    return Decoded(text, encoding.removesuffix("-sig"), problem)


def _reject_binary(sample: bytes) -> None:
    if sample.startswith(_BINARY_MAGIC):
        raise NotText("binary")
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    if sample.count(0) * 10 > len(sample) or controls * 10 > len(sample):
        raise NotText("binary")


def _decode_legacy(data: bytes) -> Decoded:
    byte_counts = Counter(data[:SAMPLE_BYTES].translate(None, _ASCII))  # only high bytes are scored
    (score, letter_share), encoding = max((_russian_score(byte_counts, name), name) for name in LEGACY_ENCODINGS)
    if letter_share < MIN_LETTER_SHARE:
        raise NotText("binary or unknown encoding (not UTF-8, cp1251, KOI8-R or cp866)")
    text = data.decode(encoding, "replace")
    bad = text.count("\ufffd")
    problem = f"{plural(bad, f'undecodable {encoding} byte')} replaced" if bad else None
    return Decoded(text, encoding, problem)


def _byte_table(encoding: str) -> dict[int, tuple[float, bool, bool]]:
    """For each high byte: (score, is a Russian letter, is upper case) when read in `encoding`."""
    table = {}
    for byte in range(0x80, 0x100):
        char = bytes([byte]).decode(encoding, "replace")
        letter_score = _LETTER_SCORE.get(char.lower())
        if letter_score is None:
            table[byte] = (_NOT_A_LETTER_SCORE, False, False)
        else:
            table[byte] = (letter_score, True, char != char.lower())
    return table


_BYTE_TABLES = {encoding: _byte_table(encoding) for encoding in LEGACY_ENCODINGS}


def _russian_score(byte_counts: Counter, encoding: str) -> tuple[float, float]:
    """How much the high bytes read like Russian in `encoding`: (mean log-likelihood, letter share).

    Upper case is penalised because a wrong Cyrillic code page mostly swaps case.
    """
    table = _BYTE_TABLES[encoding]
    score, letters, total = 0.0, 0, 0
    for byte, count in byte_counts.items():
        byte_score, is_letter, is_upper = table[byte]
        score += count * (byte_score + (_UPPER_CASE_SCORE if is_upper else 0.0))
        letters += count if is_letter else 0
        total += count
    return (score / total, letters / total) if total else (0.0, 0.0)

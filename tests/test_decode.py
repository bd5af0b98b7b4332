import codecs

import pytest

from newsreader.ingest.decode import NotText, decode

PHRASES = ["Привет", "Москва", "Да", "Путин заявил", "В МИД России призвали освободить задержанных"]


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "cp866"])
@pytest.mark.parametrize("phrase", PHRASES)
def test_legacy_cyrillic_is_recognised_even_when_short(encoding, phrase):
    decoded = decode(phrase.encode(encoding))
    assert decoded.text == phrase
    assert decoded.encoding == encoding
    assert decoded.problem is None


@pytest.mark.parametrize(
    ("bom", "encoding", "name"),
    [(codecs.BOM_UTF8, "utf-8", "utf-8"), (b"", "utf-16", "utf-16"), (b"", "utf-32", "utf-32")],
)
def test_bom_wins(bom, encoding, name):
    decoded = decode(bom + "Текст с BOM".encode(encoding))
    assert decoded.text.lstrip("\ufeff") == "Текст с BOM"
    assert decoded.encoding == name


def test_utf8_bom_is_removed():
    assert decode(codecs.BOM_UTF8 + "Да".encode()).text == "Да"


def test_strict_utf8():
    decoded = decode("Всё хорошо".encode())
    assert (decoded.text, decoded.encoding, decoded.problem) == ("Всё хорошо", "utf-8", None)


def test_mostly_utf8_counts_bad_bytes():
    decoded = decode("Почти правильный текст".encode() + b"\xff\xfe" + " и конец".encode())
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 2
    assert decoded.problem == "2 invalid UTF-8 bytes replaced"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(100),
        b"\x7fELF" + bytes(100),
        bytes(range(256)) * 4,
        "UTF-16 без BOM".encode("utf-16-le"),
    ],
)
def test_binary_is_refused(data):
    with pytest.raises(NotText):
        decode(data)


def test_a_few_nul_bytes_are_still_text():
    assert decode("Текст\x00с нулём".encode()).text == "Текст\x00с нулём"

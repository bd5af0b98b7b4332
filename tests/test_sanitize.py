import pytest

from newsreader.ingest.sanitize import sanitize, sanitize_line


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("red\x1b[31;1mtext\x1b[0m", "redtext"),
        ("title\x1b]0;owned\x07 rest", "title rest"),
        ("link\x1b]8;;http://evil\x1b\\here", "linkhere"),
        ("dcs\x1bPqpayload\x1b\\ end", "dcs end"),
        ("unterminated\x1b]0;runs\nnext line", "unterminated\nnext line"),
        ("c1\x9b2Jcsi and \x85nel", "c1csi and nel"),
        ("nul\x00dropped", "nuldropped"),
        ("bell\x07 and del\x7f", "bell\ufffd and del\ufffd"),
        ("Пут\u200bин", "Путин"),
        ("bidi\u202eevil\u202c text\u2066x\u2069", "bidievil textx"),
        ("\ufeffbom inside", "bom inside"),
        ("line\u2028separator\u2029paragraph", "line\nseparator\nparagraph"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("tag\U000e0041\U000e007f chars \u206ainhibit\ufff9note\ufffb", "tag chars inhibitnote"),
        ("e\u0301", "\u00e9"),
        ("a" + "\u0301\u0302\u0303\u0304\u0305\u0306", "\u00e1\u0302\u0303\u0304"),
        ("tab\there", "tab here"),
        ("no\u00a0break\u202fspace", "no break space"),
        ("[/] [@click=app.quit]", "[/] [@click=app.quit]"),
        ("Обычный текст.", "Обычный текст."),
    ],
)
def test_sanitize(raw, clean):
    assert sanitize(raw) == clean


def test_sanitize_line_joins_lines():
    assert sanitize_line("name\nwith\r\nbreaks\x1b[2J") == "name with breaks"


def test_sanitize_is_idempotent_on_hostile_text():
    hostile = "\x1b[31m\x9b\x1b]0;x\x07\u200b\u202e\x00\x7f" + "a" + "\u0301" * 50 + "\r\n\t"
    once = sanitize(hostile)
    assert sanitize(once) == once
    assert not any(ord(char) < 32 and char not in "\n" for char in once)

from newsreader.wording import plural


def test_counts_read_as_words():
    counted = [plural(n, "article") for n in (0, 1, 2, 1234)]
    assert counted == ["0 articles", "1 article", "2 articles", "1,234 articles"]
    assert plural(3, "invalid UTF-8 byte") == "3 invalid UTF-8 bytes"
    assert plural(2, "entry", "entries") == "2 entries"

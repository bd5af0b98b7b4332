"""Texts cross to worker processes as bytes, so the app's copies do not grow."""

import pickle
import sys

from newsreader.processes import wire_text


def fresh_text() -> str:
    return "".join(["Министр прибыл в Москву. "] * 200)


def test_pickling_a_str_would_keep_a_utf8_copy_inside_it():
    text = fresh_text()
    before = sys.getsizeof(text)
    pickle.dumps(text)
    assert sys.getsizeof(text) > before  # why texts are never pickled as str


def test_wire_text_leaves_the_text_as_it_was():
    text = fresh_text()
    before = sys.getsizeof(text)
    sent = pickle.dumps(wire_text(text))
    assert sys.getsizeof(text) == before
    assert pickle.loads(sent).decode() == text

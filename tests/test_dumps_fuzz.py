"""Whatever bytes a dump holds, reading it gives records and problems, never an exception."""

import bz2
import gzip
import io
import lzma
import zipfile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dumps import LENTA_HEADER, LENTA_ROW, csv_bytes
from newsreader.ingest.dumps import Limits, Record, RecordProblem, iter_records

NAMES = ("a.csv", "a.tsv", "a.jsonl", "a.json", "a.html", "a.rss", "a.xml", "a.csv.gz", "a.json.bz2", "a.csv.xz")
NAMES += ("a.zip",)
TINY = Limits(max_text_chars=500, max_field_chars=2000, max_document_bytes=20_000, max_expanded_bytes=200_000)
# Pieces of each format, so random mixes reach past the first byte of each parser.
PIECES = [
    b"title,text,date\n",
    b'"',
    b"\r\n",
    b"\n",
    b",",
    b"\t",
    b"\xd0\x9f\xd1\x80",
    b"\xff\xfe",
    b"\x00",
    b'{"text": "x"}',
    b"[",
    b"]",
    b"{",
    b"}",
    b'"text":',
    b"<rss><channel><item><title>t</title><description>",
    b"</description></item>",
    b"<![foo[",
    b"<script>",
    b"&amp;",
    b"2019-08-06",
    b"01/02/2010",
    b"1" * 50,
]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


VALID = {
    "a.csv.gz": gzip.compress(csv_bytes([LENTA_HEADER, LENTA_ROW] * 20)),
    "a.json.bz2": bz2.compress('[{"text": "x"}, {"text": "y", "date": "1 января 2010"}]'.encode()),
    "a.csv.xz": lzma.compress(csv_bytes([LENTA_HEADER, LENTA_ROW] * 20)),
    "a.zip": _zip({"x.csv": csv_bytes([LENTA_HEADER, LENTA_ROW] * 20), "y.jsonl": b'{"text": "x"}\n'}),
}


def read_all(path) -> list:
    items = list(iter_records(str(path), limits=TINY))
    assert all(isinstance(item, Record | RecordProblem) for item in items)
    reasons = [item.reason for item in items if isinstance(item, RecordProblem)]
    assert all("\x1b" not in reason and "\x00" not in reason for reason in reasons)
    return items


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES), pieces=st.lists(st.sampled_from(PIECES) | st.binary(max_size=20), max_size=40))
@example(name="a.csv", pieces=[b"title,text,date\n", b"\r", b"title,text,date\n"])  # a lone CR broke the lenient read
def test_any_mix_of_format_pieces(tmp_path, name, pieces):
    path = tmp_path / name
    path.write_bytes(b"".join(pieces))
    read_all(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(sorted(VALID)),
    flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=6),
)
def test_damaged_compressed_files(tmp_path, name, flips):
    data = bytearray(VALID[name])
    for position, value in flips:
        data[position % len(data)] = value
    path = tmp_path / name
    path.write_bytes(bytes(data))
    read_all(path)

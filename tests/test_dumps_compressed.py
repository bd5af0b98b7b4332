"""Compressed and zipped dumps: read in memory as they decompress, capped against bombs, damage reported."""

import bz2
import gzip
import io
import lzma
import os
import subprocess
import sys
import zipfile

import pytest

from dumps import LENTA_HEADER, LENTA_ROW, csv_bytes, read, reasons
from newsreader.ingest.dumps import Limits, RecordProblem, is_dump

LENTA = csv_bytes([LENTA_HEADER, LENTA_ROW, LENTA_ROW])
COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.mark.parametrize("suffix", list(COMPRESS))
def test_each_compression_reads_like_the_plain_file(tmp_path, suffix):
    plain, packed = tmp_path / "lenta.csv", tmp_path / f"lenta.csv{suffix.upper()}"
    plain.write_bytes(LENTA)
    packed.write_bytes(COMPRESS[suffix](LENTA))
    assert read(packed) == read(plain)
    assert len(read(packed)[0]) == 2


def test_a_zip_with_several_members_numbers_rows_per_member(tmp_path):
    path = tmp_path / "dumps.ZIP"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2018/lenta.csv", LENTA)
        archive.writestr("2019/lenta.csv.gz", gzip.compress(LENTA))
        archive.writestr("feed.jsonl", '{"text": "Один"}\n{"text": "Два"}\n')
        archive.writestr("2018/", b"")
        archive.writestr("__MACOSX/2018/._lenta.csv", b"\x00\x05")
        archive.writestr(".DS_Store", b"\x00")
        archive.writestr("README.txt", "about")
        archive.writestr("inner.zip", b"PK\x03\x04")
    records, problems = read(path)
    assert [(record.member, record.row) for record in records] == [
        ("2018/lenta.csv", 1),
        ("2018/lenta.csv", 2),
        ("2019/lenta.csv.gz", 1),
        ("2019/lenta.csv.gz", 2),
        ("feed.jsonl", 1),
        ("feed.jsonl", 2),
    ]
    assert [(problem.member, problem.reason) for problem in problems] == [
        ("README.txt", "member 'README.txt' skipped: not a dump format"),
        ("inner.zip", "member 'inner.zip' skipped: zips inside a zip are not opened"),
    ]


def test_zip_members_with_escaping_paths_are_only_read_in_memory(tmp_path):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("../../escape.csv", "/abs/olute.csv", "a/../../up.csv"):
            info = zipfile.ZipInfo(name)  # ZipFile.write would clean the name; this keeps it as an attacker would
            archive.writestr(info, LENTA)
    before = set(os.listdir(tmp_path)), set(os.listdir(tmp_path.parent))
    records, problems = read(path)
    assert problems == []
    assert {record.member for record in records} == {"../../escape.csv", "/abs/olute.csv", "a/../../up.csv"}
    assert (set(os.listdir(tmp_path)), set(os.listdir(tmp_path.parent))) == before
    assert not os.path.exists("/abs")


@pytest.mark.parametrize("suffix", list(COMPRESS))
def test_a_bomb_stops_at_the_expansion_ratio(tmp_path, suffix):
    path = tmp_path / f"bomb.csv{suffix}"
    path.write_bytes(COMPRESS[suffix](b"title,text\n" + b"a,b\n" * 500_000))  # 2 MB in a few KB
    records, problems = read(path, limits=Limits(max_expansion_ratio=50, ratio_grace_bytes=64 * 1024))
    assert len(records) < 500_000
    (problem,) = problems
    assert problem.row is None and "expands more than 50 times" in problem.reason and "archive bomb" in problem.reason


def test_a_zip_bomb_stops_at_the_expansion_ratio_of_its_member(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.csv", b"title,text\n" + b"a,b\n" * 2_000_000)
    records, problems = read(path, limits=Limits(max_expansion_ratio=50, ratio_grace_bytes=64 * 1024))
    assert len(records) < 2_000_000
    assert [problem.member for problem in problems] == ["bomb.csv"]
    assert "expands more than 50 times" in problems[0].reason


def test_a_bomb_in_a_gzip_in_a_zip_is_held_to_the_zip_members_size(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("bomb.csv.gz", gzip.compress(b"title,text\n" + b"a,b\n" * 2_000_000, 9))
    _, problems = read(path, limits=Limits(max_expansion_ratio=50, ratio_grace_bytes=64 * 1024))
    assert ["expands more than 50 times" in problem.reason for problem in problems] == [True]


def test_the_total_expanded_size_is_capped_across_a_zips_members(tmp_path):
    path = tmp_path / "big.zip"
    rows = csv_bytes([["title", "text"]] + [["Т", "Текст " * 10]] * 2000)  # ~230 KB a member
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(5):
            archive.writestr(f"part{number}.csv", rows)
    records, problems = read(path, limits=Limits(max_expanded_bytes=600_000))
    assert [problem.member for problem in problems] == ["part2.csv"]
    assert problems[0].reason == "stopped: more than 600,000 bytes of data"
    assert {record.member for record in records} <= {"part0.csv", "part1.csv", "part2.csv"}
    assert len(records) >= 4000  # the first two members whole; the zip is not read past the third


def test_a_plain_file_is_capped_by_the_total_size_too(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([["title", "text"]] + [["Т", "Текст"]] * 100_000))
    records, problems = read(path, limits=Limits(max_expanded_bytes=1024 * 1024 + 1))
    assert 0 < len(records) < 100_000
    assert reasons(problems) == [(None, "stopped: more than 1.0 MiB of data")]


@pytest.mark.parametrize("suffix", list(COMPRESS))
def test_a_truncated_compressed_file_keeps_its_records_and_says_it_is_damaged(tmp_path, suffix):
    path = tmp_path / f"lenta.csv{suffix}"
    rows = csv_bytes(
        [LENTA_HEADER] + [[f"https://lenta.ru/{n}", f"{n * 7919:x}", f"Текст {n**3:x}", "", ""] for n in range(30_000)]
    )
    packed = COMPRESS[suffix](rows)
    path.write_bytes(packed[: len(packed) * 3 // 4])
    records, problems = read(path)
    assert records and len(records) < 30_000
    (problem,) = problems
    assert problem.row is None and problem.reason.startswith("damaged or unreadable, reading stopped")


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zip"])
def test_garbage_with_a_compressed_name_is_one_problem(tmp_path, suffix):
    path = tmp_path / f"lenta.csv{suffix}" if suffix != ".zip" else tmp_path / "lenta.zip"
    path.write_bytes(b"this is not compressed at all " * 100)
    records, problems = read(path)
    assert records == [] and len(problems) == 1 and problems[0].row is None


def test_a_missing_zip_is_a_problem(tmp_path):
    assert read(tmp_path / "absent.zip") == (
        [],
        [RecordProblem(None, None, "cannot be opened: No such file or directory")],
    )


def test_a_zip_member_with_a_bad_crc_is_reported(tmp_path):
    path = tmp_path / "crc.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("lenta.csv", LENTA)
    data = path.read_bytes()
    path.write_bytes(data.replace("Россия".encode(), "Рассия".encode(), 1))
    _, problems = read(path)
    assert len(problems) == 1 and "BadZipFile" in problems[0].reason and problems[0].member == "lenta.csv"


def test_an_encrypted_member_is_skipped_with_a_problem(tmp_path):
    path = tmp_path / "secret.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("lenta.csv", LENTA)
    buffer = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the "encrypted" bit in both headers
        start = buffer.find(signature)
        buffer[start + flag_offset] |= 0x1
    path.write_bytes(bytes(buffer))
    records, problems = read(path)
    assert records == [] and reasons(problems) == [(None, "member 'lenta.csv' skipped: encrypted")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", True),
        ("a.TSV", True),
        ("a.jsonl", True),
        ("a.ndjson", True),
        ("a.json", True),
        ("a.HTML", True),
        ("a.htm", True),
        ("a.xml", True),
        ("a.rss", True),
        ("a.atom", True),
        ("a.csv.gz", True),
        ("a.json.bz2", True),
        ("a.rss.XZ", True),
        ("a.zip", True),
        ("a.txt", False),
        ("a.gz", False),
        ("a.txt.gz", False),
        ("csv", False),
        ("a.csv.zip.gz", False),
        ("a.csv.gz.gz", False),
    ],
)
def test_is_dump(name, expected):
    assert is_dump(name) is expected


def test_is_dump_loads_none_of_the_readers():
    """A folder walk asks is_dump of every file: it must not pay for csv, zipfile and the parsers."""
    code = (
        "import sys; from newsreader.ingest.dumps import is_dump; is_dump('a.csv');"
        "print(sorted(name for name in ('newsreader.ingest.dumps.reader', 'zipfile', 'csv') if name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


def test_nothing_is_written_to_disk_while_reading(tmp_path, monkeypatch):
    """Reading a zip of compressed members opens files for reading only."""
    path = tmp_path / "dumps.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv.xz", lzma.compress(LENTA))
        archive.writestr("b.csv", LENTA)
    opened = []
    real_open = io.open

    def watching_open(file, mode="r", *args, **kwargs):
        opened.append((str(file), mode))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watching_open)
    records, problems = read(path)
    assert len(records) == 4 and problems == []
    assert all("w" not in mode and "a" not in mode and "+" not in mode for _, mode in opened)

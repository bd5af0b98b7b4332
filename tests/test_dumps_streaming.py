"""A large dump streams: its first record comes before the file is read, and memory stays flat."""

import builtins
import gzip
import io
import itertools
import tracemalloc
import zipfile

import pytest

from newsreader.ingest.dumps import Record, iter_records

ROWS = 100_000
TEXT = "Президент России провёл встречу с министрами в Москве; обсуждались вопросы экономики и бюджета. " * 3


def write_rows(file) -> None:
    file.write("url,title,text,topic,tags\n")
    for n in range(ROWS):
        file.write(f"https://lenta.ru/news/2018/12/{n % 28 + 1:02d}/n{n}/,Заголовок {n},{TEXT}{n},Россия,Общество\n")


@pytest.fixture(scope="module")
def big_dumps(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    with gzip.open(folder / "lenta.csv.gz", "wt", encoding="utf-8", compresslevel=1) as file:
        write_rows(file)
    with zipfile.ZipFile(folder / "lenta.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("lenta.csv", "w") as member, io.TextIOWrapper(member, "utf-8") as file:
            write_rows(file)
    with open(folder / "lenta.csv", "w", encoding="utf-8") as file:
        write_rows(file)
    return folder


@pytest.mark.parametrize("name", ["lenta.csv", "lenta.csv.gz", "lenta.zip"])
def test_the_first_record_comes_before_the_file_is_read(big_dumps, monkeypatch, name):
    path = big_dumps / name
    opened = []
    real_open = builtins.open

    def tracking_open(*args, **kwargs):
        file = real_open(*args, **kwargs)
        opened.append(file)
        return file

    monkeypatch.setattr(builtins, "open", tracking_open)
    monkeypatch.setattr(io, "open", tracking_open)  # zipfile opens with io.open
    records = iter_records(str(path))
    first = next(records)
    assert isinstance(first, Record) and first.row == 1 and first.title == "Заголовок 0"
    read_so_far = max(file.tell() for file in opened if not file.closed)
    assert read_so_far <= 512 * 1024 < path.stat().st_size / 3  # a zip member is read ahead 256 KB at a time
    records.close()
    assert all(file.closed for file in opened)  # stopping early leaves no file open


def test_the_whole_file_is_read(big_dumps):
    records = [item for item in iter_records(str(big_dumps / "lenta.zip")) if isinstance(item, Record)]
    assert [record.row for record in records] == list(range(1, ROWS + 1))
    assert records[-1].title == f"Заголовок {ROWS - 1}" and records[-1].text == f"{TEXT}{ROWS - 1}"


@pytest.mark.parametrize("name", ["lenta.csv", "lenta.csv.gz", "lenta.zip"])
def test_memory_stays_flat_while_reading(big_dumps, name):
    """Memory is a few buffers, not what was read: 6 MB of rows go through in under 3 MB."""
    tracemalloc.start()
    try:
        rows = sum(
            1 for item in itertools.islice(iter_records(str(big_dumps / name)), 10_000) if isinstance(item, Record)
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 10_000
    assert peak < 3 * 1024 * 1024

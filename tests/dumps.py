"""Helpers for the dump tests: write small dumps, read them into records and problems."""

import csv
import io
from pathlib import Path

from newsreader.ingest.dumps import DEFAULT_LIMITS, Limits, Record, RecordProblem, iter_records

LENTA_HEADER = ["url", "title", "text", "topic", "tags"]
LENTA_ROW = [
    "https://lenta.ru/news/2018/12/14/slug/",
    "В Москве открыли станцию",
    "Первый абзац [/] статьи.\n\nВторой абзац с [@click=app.quit] разметкой.",
    "Россия",
    "Общество|Транспорт",
]


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def read(path: Path, columns=None, limits: Limits = DEFAULT_LIMITS) -> tuple[list[Record], list[RecordProblem]]:
    records, problems = [], []
    for item in iter_records(str(path), columns=columns, limits=limits):
        (records if isinstance(item, Record) else problems).append(item)
    return records, problems


def reasons(problems: list[RecordProblem]) -> list[tuple[int | None, str]]:
    return [(problem.row, problem.reason) for problem in problems]

"""What reading a dump yields: records, and problems that name the row they are about."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Record:
    """One article of a dump; its strings are raw, still to be sanitised by the caller."""

    row: int  # 1-based row or entry number in its file (a CSV header not counted); in a zip, per member
    member: str | None  # the member name inside a .zip, else None
    title: str
    text: str  # plain text, paragraphs separated by "\n" or "\n\n"; HTML already converted
    date: datetime.date | None
    url: str | None
    outlet: str | None  # the edition, source or outlet, else the URL's host
    authors: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecordProblem:
    """Why a row (or, with row None, the whole file) was skipped, cut or read with doubt."""

    row: int | None
    member: str | None
    reason: str  # display-safe


class StopFile(Exception):
    """Reading this file cannot go on (a cap reached, damaged data); the message says why."""

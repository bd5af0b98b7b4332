"""The caps that keep one hostile or broken dump from taking the reader's memory or time."""

from dataclasses import dataclass

from newsreader.wording import plural

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass(frozen=True, slots=True)
class Limits:
    """Every cap a dump is read under; tests pass tiny ones to reach each hazard quickly."""

    max_text_chars: int = MIB  # a longer text is cut, with a problem for its row
    max_title_chars: int = 2000
    max_list_items: int = 100  # authors or topics of one record
    max_field_chars: int = 8 * MIB  # a longer CSV field or JSON entry makes its row a problem
    max_records: int = 5_000_000  # per file (per zip member)
    max_expanded_bytes: int = 8 * GIB  # per file, a zip's members together
    max_expansion_ratio: int = 500  # decompressed bytes per compressed byte read so far (repetitive news ~200)
    ratio_grace_bytes: int = 4 * MIB  # ...checked once this many bytes are decompressed
    max_document_bytes: int = 32 * MIB  # an HTML page or a feed, which are parsed whole
    max_problems: int = 1000  # per file; the rest are counted in one last problem


DEFAULT_LIMITS = Limits()


def size_text(count: int) -> str:
    """A byte count as a problem says it: MiB from one MiB up, else bytes."""
    return f"{count / MIB:,.1f} MiB" if count >= MIB else plural(count, "byte")

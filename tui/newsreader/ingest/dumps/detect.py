"""Which dump format a file holds: first by its name, then by its first bytes where names mislead."""

import re

COMPRESSIONS = (".gz", ".bz2", ".xz")
FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")


def split_name(name: str) -> tuple[str | None, str | None]:
    """(format, compression) of a file name; format "zip" for a zip, None when not a dump."""
    lowered = name.lower()
    if lowered.endswith(".zip"):
        return "zip", None
    compression = next((suffix for suffix in COMPRESSIONS if lowered.endswith(suffix)), None)
    if compression:
        lowered = lowered.removesuffix(compression)
    dot = lowered.rfind(".")
    return FORMATS.get(lowered[dot:]) if dot >= 0 else None, compression


def is_dump(name: str) -> bool:
    """Whether the name says a dump this package reads (case-insensitive)."""
    return split_name(name)[0] is not None


def refine(kind: str, head: bytes) -> str:
    """The format by content: a .json holding JSON Lines, an .html that is a feed."""
    if kind == "json":
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        return "json" if start == b"[" else "jsonl"
    if kind == "html" and _FEED_ROOT.search(head[:4096]):
        return "feed"
    return kind

"""Which dump format a file holds: first by its name, then by its first bytes where names mislead."""

import json
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


def split_name(name: str) -> tuple[str | None, str | None, str]:
    """(format, compression, extension) of a file name; format "zip" for a zip, None when not a dump."""
    lowered = name.lower()
    if lowered.endswith(".zip"):
        return "zip", None, ".zip"
    compression = next((suffix for suffix in COMPRESSIONS if lowered.endswith(suffix)), None)
    if compression:
        lowered = lowered.removesuffix(compression)
    extension = lowered[lowered.rfind(".") :] if "." in lowered else ""
    return FORMATS.get(extension), compression, extension


def is_dump(name: str) -> bool:
    """Whether the name says a dump this package reads (case-insensitive): `split_name`'s answer, asked of
    every file of a folder, so a last extension that is neither a dump's nor a compression's ends it at once."""
    dot = name.rfind(".")
    if dot >= 0 and name[dot:].lower() not in _LAST_EXTENSIONS:
        return False
    return split_name(name)[0] is not None


_LAST_EXTENSIONS = frozenset([*FORMATS, *COMPRESSIONS, ".zip"])


def refine(kind: str, head: bytes) -> str:
    """The format by content: a .json holding JSON Lines or one object (which may wrap the array of
    articles, as {"articles": [...]}), an .html that is a feed."""
    if kind == "json":
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if start[:1] == b"[":
            return "json"
        return "jsonl" if _two_json_lines(start) else "json-object"
    if kind == "html" and _FEED_ROOT.search(head[:4096]):
        return "feed"
    return kind


def _two_json_lines(start: bytes) -> bool:
    """Whether the text begins with a whole JSON object on its first line and another on its second."""
    first, _, rest = start.partition(b"\n")
    second = rest.lstrip(b" \t\r\n")[:1]
    try:
        return isinstance(json.loads(first), dict) and second == b"{"
    except ValueError:
        return False

"""The user's own marks on articles: stars, tags and notes, kept with the read marks and keyed the same way.

Tags are short labels, folded only by the user's own spelling (trimmed, inner spaces single, at most
MAX_TAG_CHARS); a note is free text up to MAX_NOTE_CHARS. Both are the user's words, untrusted as
any text: shown as text, never as markup.
"""

import re
from dataclasses import dataclass, field

from newsreader.ingest.sanitize import sanitize, sanitize_line

MAX_TAG_CHARS = 40
MAX_TAGS = 32  # per article
MAX_NOTE_CHARS = 20_000
_SEPARATORS = re.compile(r"[,;#\n]+")
_SPACES = re.compile(r"\s+")

SCHEMA = """
CREATE TABLE IF NOT EXISTS star (fingerprint TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tag (fingerprint TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (fingerprint, tag))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS note (fingerprint TEXT PRIMARY KEY, text TEXT NOT NULL) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class UserMarks:
    """Every mark, by fingerprint: a snapshot that a search on another thread may read while the user marks on."""

    starred: frozenset[str] = frozenset()
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def all_tags(self) -> list[tuple[str, int]]:
        """Each tag with its count of articles, most used first, then by name."""
        counts: dict[str, int] = {}
        for tags in self.tags.values():
            for tag in tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def parse_tags(typed: str) -> tuple[str, ...]:
    """Tags as typed in the prompt, split at commas (or ; # and new lines), each cleaned and cut, no repeats;
    in the order the state file gives them back (by name)."""
    tags: dict[str, None] = {}
    for part in _SEPARATORS.split(typed):
        tag = _SPACES.sub(" ", sanitize_line(part).replace('"', "")).strip()[:MAX_TAG_CHARS].strip()  # tag:"…" holds it
        if tag and tag.casefold() not in {known.casefold() for known in tags}:
            tags[tag] = None
    return tuple(sorted(tags))[:MAX_TAGS]


def clean_note(typed: str) -> str:
    """A note as kept: sanitised as article text is, cut to MAX_NOTE_CHARS, no trailing blank lines."""
    return sanitize(typed)[:MAX_NOTE_CHARS].rstrip()

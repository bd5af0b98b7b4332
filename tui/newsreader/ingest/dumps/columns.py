"""Which column (or JSON key) holds which field of a record: by well-known names, or as the user says."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "published", "pubdate", "time", "published_at", "publishedat", "pub_date", "datetime"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "url": ("url", "link"),
    "topics": ("topic", "topics", "rubric", "tags"),
    "authors": ("author", "authors"),
    "outlet": ("edition", "source", "outlet"),
}


def parse_columns(spec: str) -> dict[str, str]:
    """ "title=headline,text=body" -> {"title": "headline", "text": "body"}; ValueError says what is wrong."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        field, equals, column = (piece.strip() for piece in part.partition("="))
        if not equals or not field or not column:
            raise ValueError(f"'{part.strip()}' is not FIELD=COLUMN (as in title=headline,text=body)")
        field = field.lower()
        if field not in ALIASES:
            raise ValueError(f"unknown field '{field}'; fields are {', '.join(ALIASES)}")
        if field in mapping:
            raise ValueError(f"field '{field}' is given twice")
        mapping[field] = column
    return mapping


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Positions of each field in a row; topics may gather several columns (Lenta.ru has topic and tags)."""

    names: tuple[str, ...]  # the columns as the file names them
    single: dict[str, int]  # field -> position, for every field but topics
    topics: tuple[int, ...]
    missing: tuple[str, ...]  # overrides naming a column the file does not have (its usual columns are read)

    def name_of(self, field: str) -> str:
        return self.names[self.single[field]]


def column_map(names: Sequence[str], overrides: Mapping[str, str] | None = None) -> ColumnMap:
    """Map a header (or a JSON object's keys), matched case-insensitively; overrides win over the aliases."""
    position: dict[str, int] = {}
    for index, name in enumerate(names):
        position.setdefault(str(name).strip().casefold(), index)
    overrides = overrides or {}
    single: dict[str, int] = {}
    topics: tuple[int, ...] = ()
    missing = []
    for field, aliases in ALIASES.items():
        if field in overrides:
            found = position.get(overrides[field].strip().casefold())
            if found is not None:
                chosen = [found]
            else:  # one option for a folder of dumps: a dump without that column keeps its usual one
                missing.append(overrides[field])
        if field not in overrides or found is None:
            chosen = [position[alias] for alias in aliases if alias in position]
        if field == "topics":
            topics = tuple(chosen)
        elif chosen:
            single[field] = chosen[0]
    return ColumnMap(tuple(str(name) for name in names), single, topics, tuple(missing))

"""The documented record of one analysed article (`newsreader extract`'s schema), for every export of it."""

import json
from collections.abc import Iterable
from typing import IO, Any

from newsreader.ingest.parse import Article
from newsreader.nlp.enrich import Enrichment
from newsreader.search.results import Hit
from newsreader.store.corpus import Store


def source_fields(article: Article) -> dict[str, Any]:
    """Where a dump's row came from (null and empty for an article from a text file): in every record, so the
    schema does not depend on the input."""
    origin = article.origin
    if origin is None:
        return {"url": None, "outlet": None, "authors": [], "topics": []}
    return {"url": origin.url, "outlet": origin.outlet, "authors": list(origin.authors), "topics": list(origin.topics)}


def article_record(
    article: Article, enrichment: Enrichment, canonical_key=lambda key: key, story: str | None = None
) -> dict:
    """The documented extract schema for one article; keys are corpus-canonical. `story`: the id of the story the
    article tells (`store.stories`), the same for every article of a story; its own fingerprint when it is alone."""
    text = article.text
    roles_of: dict[str, list[str]] = {}
    for role in enrichment.roles:
        held = roles_of.setdefault(canonical_key(role.key), [])
        held += [] if role.role in held else [role.role]
    return {
        "id": article.id,
        "path": article.path,
        "date": article.date.isoformat() if article.date else None,
        "title": article.title,
        "lede": article.lede,
        "credit": article.credit,
        "encoding": article.encoding,
        **source_fields(article),
        "story": story or article.fingerprint,
        "text": text,
        "entities": [
            {
                "type": e.type,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "normal": e.normal,
                "key": canonical_key(e.key),
                "roles": roles_of.get(canonical_key(e.key), []),
            }
            for e in enrichment.entities
        ],
        "dates": [
            {"start": d.start, "end": d.end, "text": d.text, "value": d.value, "granularity": d.granularity}
            for d in enrichment.dates
        ],
        "events": [
            {
                "value": v.value,
                "granularity": v.granularity,
                "start": v.start,
                "end": v.end,
                "text": text[v.start : v.end],
                "sentence_start": v.sentence_start,
                "sentence_end": v.sentence_end,
                "keys": list(dict.fromkeys(canonical_key(key) for key in v.keys)),
            }
            for v in enrichment.events
        ],
        "roles": [
            {
                "start": r.start,
                "end": r.end,
                "text": text[r.start : r.end],
                "role": r.role,
                "key": canonical_key(r.key),
                "kind": r.kind,
            }
            for r in enrichment.roles
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": text[q.start : q.end],
                "key": canonical_key(q.key),
                "kind": q.kind,
                "sentence_start": q.sentence_start,
                "sentence_end": q.sentence_end,
            }
            for q in enrichment.quotes
        ],
    }


def hit_record(hit: Hit, store: Store) -> dict[str, Any]:
    """What `newsreader search` prints of a hit: the article's metadata, the score and every match."""
    article = store.get(hit.article_id)
    assert article is not None, "the index answers only with articles of this store"
    return {
        "id": article.id,
        "path": article.path,
        "date": article.date.isoformat() if article.date else None,
        "title": article.title,
        **source_fields(article),
        "score": round(hit.score, 6),
        "matches": [{"start": start, "end": end, "text": article.text[start:end]} for start, end in hit.matches],
    }


def write_record_lines(out: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """Each record as one line of JSON, Cyrillic as itself, as they come; how many."""
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count

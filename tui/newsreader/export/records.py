"""The documented record of one analysed article (`newsreader extract`'s schema), for every export of it."""

from typing import Any

from newsreader.ingest.parse import Article
from newsreader.nlp.enrich import Enrichment


def source_fields(article: Article) -> dict[str, Any]:
    """Where a dump's row came from (null and empty for an article from a text file): in every record, so the
    schema does not depend on the input."""
    origin = article.origin
    if origin is None:
        return {"url": None, "outlet": None, "authors": [], "topics": []}
    return {"url": origin.url, "outlet": origin.outlet, "authors": list(origin.authors), "topics": list(origin.topics)}


def article_record(article: Article, enrichment: Enrichment, canonical_key=lambda key: key) -> dict:
    """The documented extract schema for one article; keys are corpus-canonical."""
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

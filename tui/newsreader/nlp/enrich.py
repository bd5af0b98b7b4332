"""Enrichment of one article: entities, dates, events, roles and quotes, and their compact wire form.

The same payload (plain lists) crosses the process boundary and lands in the disk
cache, so workers, cache and extract agree on one format.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from newsreader.nlp.dates import DateMention, find_dates
from newsreader.nlp.entities import PIPELINE_VERSION as ENTITY_VERSION
from newsreader.nlp.entities import EntityMention, EntityRecognizer
from newsreader.nlp.events import Event, build_events
from newsreader.nlp.quotes import Quote, find_quotes
from newsreader.nlp.roles import RoleMention, find_roles

DATES_VERSION = 3  # bump when nlp/dates/ or nlp/events.py would give other output
SPEECH_VERSION = 1  # bump when nlp/roles.py, nlp/quotes.py or their rules files would give other output
PAYLOAD_FORMAT = 2  # 2: roles and quotes
ENRICHMENT_VERSION = f"e{ENTITY_VERSION}-d{DATES_VERSION}-s{SPEECH_VERSION}-p{PAYLOAD_FORMAT}"
# A worker needs ~126 MB for the models plus 13 MB (prose) to 41 MB (a token every two characters) per
# million characters, and its word-form caches can hold ~200 MB more (docs/benchmarks.md): past this,
# only the start is analysed, so no article can take a worker over 500 MB.
MAX_ANALYSED_CHARS = 4 * 2**20


@dataclass(frozen=True, slots=True)
class Enrichment:
    entities: tuple[EntityMention, ...]
    dates: tuple[DateMention, ...]
    events: tuple[Event, ...]
    roles: tuple[RoleMention, ...] = ()
    quotes: tuple[Quote, ...] = ()


def enrich(recognizer: EntityRecognizer, text: str, published: datetime.date | None) -> Enrichment:
    """Everything the reader knows about who, where and when in `text`."""
    return enrich_many(recognizer, [(text, published)])[0]


def enrich_many(recognizer: EntityRecognizer, articles: Sequence[tuple[str, datetime.date | None]]) -> list[Enrichment]:
    """`enrich` of each (text, published); the NER model runs over several texts at once, which is faster."""
    analyses = recognizer.analyze_many([text for text, _ in articles])
    enrichments = []
    for (text, published), analysis in zip(articles, analyses, strict=True):
        dates = tuple(find_dates(text, published))
        spans = [(entity.start, entity.end, entity.key) for entity in analysis.entities]
        events = build_events(text, dates, analysis.sentences, spans)
        roles = tuple(find_roles(text, analysis.entities, analysis.sentences))
        quotes = tuple(find_quotes(text, analysis.entities, roles, analysis.sentences))
        enrichments.append(Enrichment(analysis.entities, dates, events, roles, quotes))
    return enrichments


def analysed_part(text: str) -> str:
    """All of `text`, or its start up to the last line break (else space) before the limit, so no name is cut."""
    if len(text) <= MAX_ANALYSED_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_ANALYSED_CHARS)
    if cut < MAX_ANALYSED_CHARS // 2:
        cut = text.rfind(" ", 0, MAX_ANALYSED_CHARS)
    return text[:cut] if cut > 0 else text[:MAX_ANALYSED_CHARS]


def to_payload(enrichment: Enrichment) -> list:
    """Plain lists; mention texts are left out because the article text holds them."""
    return [
        [[e.start, e.end, e.type, e.normal, e.key] for e in enrichment.entities],
        [[d.start, d.end, d.value, d.granularity] for d in enrichment.dates],
        [
            [v.value, v.granularity, v.start, v.end, v.sentence_start, v.sentence_end, list(v.keys)]
            for v in enrichment.events
        ],
        [[r.start, r.end, r.role, r.key, r.kind] for r in enrichment.roles],
        [[q.start, q.end, q.key, q.kind, q.sentence_start, q.sentence_end] for q in enrichment.quotes],
    ]


def from_payload(payload: list, text: str) -> Enrichment:
    """Rebuild an Enrichment over `text`; raises on any shape that does not fit it."""
    entities_raw, dates_raw, events_raw, roles_raw, quotes_raw = payload
    entities = tuple(
        EntityMention(start, end, kind, text[start:end], normal, key) for start, end, kind, normal, key in entities_raw
    )
    dates = tuple(
        DateMention(start, end, text[start:end], value, granularity) for start, end, value, granularity in dates_raw
    )
    events = tuple(
        Event(value, granularity, s, e, ss, se, tuple(keys)) for value, granularity, s, e, ss, se, keys in events_raw
    )
    roles = tuple(RoleMention(start, end, role, key, kind) for start, end, role, key, kind in roles_raw)
    quotes = tuple(Quote(*quote) for quote in quotes_raw)
    bounds = [(entity.start, entity.end) for entity in entities] + [(date.start, date.end) for date in dates]
    bounds += [(role.start, role.end) for role in roles] + [(quote.start, quote.end) for quote in quotes]
    bounds += [(quote.sentence_start, quote.sentence_end) for quote in quotes]
    for start, end in bounds:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError("span outside the text")
    return Enrichment(entities, dates, events, roles, quotes)

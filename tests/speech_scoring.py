"""Scoring of the role and quote tables: each case is a short article and the items it must give, nothing more."""

from collections.abc import Iterable, Sequence

from newsreader.nlp.enrich import enrich_many
from newsreader.nlp.entities import EntityRecognizer

Item = tuple[str, str, str]  # the span's text, the person's key, the kind
Case = tuple[str, Iterable[Item]]
MIN_CASES = 60


def found_in(cases: Sequence[Case], field: str) -> dict[str, set[Item]]:
    """The items the full enrichment gives each case's text: its `roles` or its `quotes`."""
    enrichments = enrich_many(EntityRecognizer(), [(text, None) for text, _ in cases])
    return {
        text: {(text[item.start : item.end], item.key, item.kind) for item in getattr(enrichment, field)}
        for (text, _), enrichment in zip(cases, enrichments, strict=True)
    }


def score(cases: Sequence[Case], found: dict[str, set[Item]]) -> dict:
    """Precision and recall of `found` over the cases, with the misses and false finds listed for the failure."""
    true = false = missed = 0
    wrong: list[tuple[str, Item]] = []
    missing: list[tuple[str, Item]] = []
    for text, expected in cases:
        wanted, got = set(expected), found[text]
        true += len(wanted & got)
        false += len(got - wanted)
        missed += len(wanted - got)
        wrong += [(text, item) for item in got - wanted]
        missing += [(text, item) for item in wanted - got]
    precision = true / (true + false) if true + false else 1.0
    recall = true / (true + missed) if true + missed else 1.0
    return {"precision": precision, "recall": recall, "wrong": wrong, "missing": missing}


def check_table(cases: Sequence[Case], found: dict[str, set[Item]], precision: float, recall: float) -> None:
    """The table is big enough, its texts are distinct, and `found` meets both targets."""
    assert len(cases) >= MIN_CASES and len({text for text, _ in cases}) == len(cases)
    result = score(cases, found)
    assert result["precision"] >= precision, result["wrong"]
    assert result["recall"] >= recall, result["missing"]

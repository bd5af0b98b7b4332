"""Scoring of the role and quote tables: each case is a short article and the items it must give, nothing more."""

from collections.abc import Callable, Iterable, Sequence

Item = tuple[str, str, str]  # the span's text, the person's key, the kind


def score(cases: Sequence[tuple[str, Iterable[Item]]], found: Callable[[str], Iterable[Item]]) -> dict:
    """Precision and recall of `found` over the cases, with the misses and false finds listed for the failure."""
    true = false = missed = 0
    wrong: list[tuple[str, Item]] = []
    missing: list[tuple[str, Item]] = []
    for text, expected in cases:
        wanted, got = set(expected), set(found(text))
        true += len(wanted & got)
        false += len(got - wanted)
        missed += len(wanted - got)
        wrong += [(text, item) for item in got - wanted]
        missing += [(text, item) for item in wanted - got]
    precision = true / (true + false) if true + false else 1.0
    recall = true / (true + missed) if true + missed else 1.0
    return {"precision": precision, "recall": recall, "wrong": wrong, "missing": missing}

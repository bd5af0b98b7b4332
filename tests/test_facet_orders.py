"""The facet table kept up to date piece by piece gives what making it afresh gives: the surnames joined as a
join over every key does, orders carried over as a full sort makes them, the first rows as the order's first."""

import random
from array import array

import pytest

from newsreader.store import facets as facets_module
from newsreader.store.facets import SORTS, UNDATED, Facets, FacetTable

SURNAMES = ["петров", "иванов", "песков", "сидоров"]


def surname_aliases(keys: list[str]) -> dict[str, str]:
    """The join made afresh over every live key: 'PER:песков' → 'PER:дмитрий песков' when exactly one full PER
    name ends with that surname."""
    full_by_surname: dict[str, set[str]] = {}
    for key in keys:
        kind, _, name = key.partition(":")
        words = name.split()
        if kind == "PER" and len(words) >= 2:
            full_by_surname.setdefault(words[-1], set()).add(key)
    return {
        key: next(iter(full_by_surname[name]))
        for key in keys
        if (kind_name := key.partition(":"))[0] == "PER"
        and " " not in (name := kind_name[2])
        and len(full_by_surname.get(name, ())) == 1
    }


def random_key(rng: random.Random) -> str:
    kind = rng.choice(["PER", "PER", "ORG", "LOC"])
    surname = rng.choice(SURNAMES)
    first_name = rng.choice(["иван", "анна", "дмитрий"])
    name = rng.choice([surname, f"{first_name} {surname}", f"город {rng.randint(0, 3000)}"])
    return f"{kind}:{name}"


def live_keys(table: FacetTable) -> list[str]:
    return [key for key, articles in zip(table.keys, table.articles, strict=True) if articles]


def change(table: FacetTable, rng: random.Random, steps: int) -> None:
    """Articles added (a few keys each, some new) and keys no article names any more, at random."""
    for _ in range(steps):
        if rng.random() < 0.3 and table.keys:
            key = rng.choice(table.keys)
            pairs = [] if rng.random() < 0.6 else [1, rng.randint(1, 4)]
            table.recount(key, pairs, lambda _: rng.choice([700_000, 700_100, UNDATED]))
        else:
            named = {random_key(rng): rng.randint(1, 3) for _ in range(rng.randint(1, 4))}
            table.add(named.items(), rng.choice([700_000 + rng.randint(0, 50), UNDATED]))


@pytest.mark.parametrize("seed", range(20))
def test_surnames_joined_as_they_come_and_go_are_the_join_over_every_key(seed):
    rng = random.Random(seed)
    table = FacetTable()
    for _ in range(15):
        change(table, rng, 10)
        assert table.surnames.targets == surname_aliases(live_keys(table))
        assert table.surnames.alias_of == {target: alias for alias, target in table.surnames.targets.items()}


def orders(facets: Facets) -> dict[str, list[int]]:
    return {sort: list(facets.order(sort)) for sort in SORTS}


def union_size(keys: list[str]) -> int:
    return len(keys)  # (any function of the keys: the carried orders must agree with it too)


@pytest.mark.parametrize("seed", range(20))
def test_orders_carried_over_and_merged_are_a_full_sort(seed):
    rng = random.Random(seed)
    table = FacetTable()
    change(table, rng, 1000)
    built = Facets.joined(table.copy(), union_size)
    orders(built)
    for _ in range(5):
        change(table, rng, rng.randint(1, 6))
        carried = Facets.joined(table.copy(), union_size, built)
        assert set(carried._orders) == set(SORTS), "so few changed that every order was carried over"
        assert orders(carried) == orders(Facets.joined(table.copy(), union_size))
        built = carried


def test_many_changes_sort_afresh():
    rng = random.Random(1)
    table = FacetTable()
    change(table, rng, 50)
    built = Facets.joined(table.copy(), union_size)
    orders(built)
    change(table, rng, 2000)
    carried = Facets.joined(table.copy(), union_size, built)
    assert not carried._orders
    assert orders(carried) == orders(Facets.joined(table.copy(), union_size))


def test_an_other_tables_orders_are_not_carried_over():
    first, second = FacetTable(), FacetTable()
    first.add([("LOC:москва", 1)], 1)
    second.add([("LOC:москва", 1), ("LOC:тверь", 2)], 1)
    built = Facets.joined(first.copy(), union_size)
    orders(built)
    assert not Facets.joined(second.copy(), union_size, built)._orders


@pytest.mark.parametrize("sort", SORTS)
def test_the_first_rows_without_a_full_sort_are_the_orders_first(sort):
    rng = random.Random(7)
    table = FacetTable()
    for index in range(30_000):  # more than the sample, so the rows are found through a threshold
        kind = rng.choice(["PER", "ORG", "LOC"])
        table.add([(f"{kind}:{rng.choice(SURNAMES)} {index % 997}", rng.randint(1, 5))], 700_000 + rng.randint(0, 300))
    table.add([("PER:петров", 3)], 700_000)  # a bare surname: hidden in no order's first rows
    facets = Facets.joined(table.copy(), union_size)
    first = list(facets.first_rows(sort, 200))
    assert not facets.has_order(sort), "found without sorting every row"
    assert first == list(facets.order(sort)[:200])


def test_the_first_rows_among_many_ties_are_the_orders_first():
    table = FacetTable()
    table.add([(f"LOC:город {index}", 1) for index in range(30_000)], 700_000)  # every count and date the same
    facets = Facets.joined(table.copy(), union_size)
    for sort in SORTS:
        assert list(facets.first_rows(sort, 100)) == list(facets.order(sort)[:100])


@pytest.mark.parametrize("reverse", [False, True])
def test_a_sort_in_steps_is_a_stable_sort(monkeypatch, reverse):
    monkeypatch.setattr(facets_module, "STEP", 7)
    rng = random.Random(3)
    values = [rng.randint(0, 5) for _ in range(100)]
    rows = array("i", rng.sample(range(100), 100))
    stepped = facets_module._sorted_in_steps(rows, values.__getitem__, reverse)
    assert list(stepped) == sorted(rows, key=values.__getitem__, reverse=reverse)

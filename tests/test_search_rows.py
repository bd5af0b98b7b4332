"""Which fingerprints the search index holds, at which row: bulk look-ups, merging, shared first halves."""

import hashlib

import pytest

from newsreader.search.rows import IndexedRows, digests


def fingerprint(number: int) -> str:
    return hashlib.blake2b(str(number).encode(), digest_size=16).hexdigest()


@pytest.mark.parametrize("merge_every", [1, 3, 50_000])
def test_rows_are_found_whether_sorted_or_recent(monkeypatch, merge_every):
    monkeypatch.setattr("newsreader.search.rows.MIN_MERGE", merge_every)
    rows = IndexedRows()
    for first in range(0, 20, 4):
        batch = [fingerprint(number) for number in range(first, first + 4)]
        assert rows.rows(digests(batch)) == [0, 0, 0, 0]
        rows.append(rows.next_row, digests(batch))
    asked = [fingerprint(number) for number in (19, 0, 7, 99)]
    assert rows.rows(digests(asked)) == [20, 1, 8, 0]
    assert rows.fingerprint(8) == fingerprint(7) and rows.next_row == 21


def test_a_fingerprint_sharing_its_first_half_with_another_is_told_apart():
    first = fingerprint(1)
    twin = first[:16] + fingerprint(2)[16:]
    rows = IndexedRows.of([(1, digests([first])), (5, digests([twin]))])  # rows 2-4: a gap, left empty
    assert rows.rows(digests([twin, first, fingerprint(3)])) == [5, 1, 0]
    assert rows.next_row == 6 and rows.fingerprint(5) == twin


@pytest.mark.parametrize("bad", ["abc", "g" * 32, "ab" * 15 + " a"])
def test_a_fingerprint_that_is_not_32_hex_digits_is_refused(bad):
    with pytest.raises(ValueError, match="32 hex digits"):
        digests([fingerprint(1), bad])

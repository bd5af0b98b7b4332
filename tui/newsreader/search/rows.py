"""Which articles the index holds and at which row: 16 bytes a row, looked up in bulk with numpy.

The index file keeps each batch's fingerprints packed in one blob (`batches`), so opening
an index of a million articles reads 16 MB in a thousand rows, not a million Python
strings, and asking which of a million store articles are indexed is one sort and one
`searchsorted` (a Python dict of them cost ~100 MB and seconds at every start). A
fingerprint is 32 hex digits (`parse` makes it so); its 16 bytes are its digest here.
"""

import numpy as np

DIGEST_BYTES = 16
MIN_MERGE = 50_000  # rows added since the sorted keys were built are looked up in a dict until this many


def digests(fingerprints: list[str]) -> bytes:
    """The fingerprints' bytes, 16 each; ValueError unless every one is 32 hex digits."""
    try:
        packed = bytes.fromhex("".join(fingerprints))
    except ValueError:
        packed = b""
    if len(packed) != DIGEST_BYTES * len(fingerprints) or set(map(len, fingerprints)) - {2 * DIGEST_BYTES}:
        raise ValueError("a fingerprint is not 32 hex digits")  # fromhex also skips spaces
    return packed


class IndexedRows:
    """Row r's digest, and the row of a digest (0: not indexed). Rows are numbered from 1."""

    def __init__(self) -> None:
        self._by_row = bytearray()
        self._keys = np.empty(0, dtype=np.uint64)  # the first 8 bytes of each digest up to `_sorted_rows`, sorted
        self._order = np.empty(0, dtype=np.int64)  # the row of each key
        self._sorted_rows = 0
        self._recent: dict[bytes, int] = {}  # digest -> row, for rows after `_sorted_rows`

    @classmethod
    def of(cls, batches: list[tuple[int, bytes]]) -> "IndexedRows":
        """The rows of batches (first row, packed digests), in order of first row."""
        rows = cls()
        for first_row, packed in batches:
            if first_row < rows.next_row:
                raise ValueError(f"row {first_row} is indexed already")
            rows._by_row += bytes(DIGEST_BYTES * (first_row - rows.next_row)) + packed
        rows._sort()
        return rows

    @property
    def next_row(self) -> int:
        return len(self._by_row) // DIGEST_BYTES + 1

    def append(self, first_row: int, packed: bytes) -> None:
        """Rows first_row, first_row + 1, ... hold these digests (a gap is left empty)."""
        if first_row < self.next_row:
            raise ValueError(f"row {first_row} is indexed already")
        self._by_row += bytes(DIGEST_BYTES * (first_row - self.next_row)) + packed
        for offset in range(0, len(packed), DIGEST_BYTES):
            self._recent[packed[offset : offset + DIGEST_BYTES]] = first_row + offset // DIGEST_BYTES
        if len(self._recent) >= max(MIN_MERGE, self._sorted_rows // 4):
            self._sort()

    def fingerprint(self, row: int) -> str:
        return self._by_row[(row - 1) * DIGEST_BYTES : row * DIGEST_BYTES].hex()

    def rows(self, packed: bytes) -> list[int]:
        """The row of each digest in `packed`, 0 for those not indexed."""
        asked = np.frombuffer(packed, dtype=">u8").reshape(-1, 2).astype(np.uint64)
        found = np.zeros(len(asked), dtype=np.int64)
        shared = np.zeros(len(asked), dtype=bool)
        if len(self._keys):
            positions = np.minimum(np.searchsorted(self._keys, asked[:, 0]), len(self._keys) - 1)
            rows = self._order[positions]
            halves = np.frombuffer(self._by_row, dtype=">u8")
            first_same = self._keys[positions] == asked[:, 0]
            second_same = halves[2 * rows - 1] == asked[:, 1]
            found = np.where(first_same & second_same, rows, 0)
            shared = first_same & ~second_same
        result = found.tolist()
        for index in np.flatnonzero(found == 0).tolist():
            digest = packed[index * DIGEST_BYTES : (index + 1) * DIGEST_BYTES]
            result[index] = self._recent.get(digest) or (self._beside(digest) if shared[index] else 0)
        return result

    def _beside(self, digest: bytes) -> int:
        """The row of a digest whose first 8 bytes it shares with another's (one in 10^7 at 10^6 rows), or 0."""
        key = int.from_bytes(digest[:8], "big")
        position = int(np.searchsorted(self._keys, np.uint64(key)))
        while position < len(self._keys) and int(self._keys[position]) == key:
            row = int(self._order[position])
            if self._by_row[(row - 1) * DIGEST_BYTES : row * DIGEST_BYTES] == digest:
                return row
            position += 1
        return 0

    def _sort(self) -> None:
        keys = np.frombuffer(self._by_row, dtype=">u8")[::2].astype(np.uint64)
        self._order = np.argsort(keys, kind="stable") + 1
        self._keys = keys[self._order - 1]
        self._sorted_rows = len(keys)
        self._recent.clear()

"""Fitting untrusted text into terminal columns: one helper, so every row measures the same way."""

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def clip(text: str, cells: int) -> str:
    """`text` cut to `cells` columns, an ellipsis marking a cut.

    Only the first 2 × cells + 2 characters are measured (no character that survives
    sanitising is narrower than one column but combining marks), so a 2 MB title costs
    no more than a short one on every draw.
    """
    if cells <= 0:
        return ""
    head = text[: 2 * cells + 2]
    if len(head) == len(text) and cell_len(text) <= cells:
        return text
    return set_cell_size(head, cells - 1) + ELLIPSIS

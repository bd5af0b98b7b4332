"""Case and ё folding: one place that decides when "Путин", "ПУТИН" and "Ёлкин"/"Елкин" are the same.

Russian writers put ё or е as they please and capitals come and go with a word's place in
the sentence, so the reader ignores both. It folds text in two shapes, because the two uses
need different things:

- `fold_aligned` (and `lower_aligned`, the same without ё → е) gives one character out for
  each character in, so a match found in the folded text is at the same offsets in the
  original (search highlights, date mentions). It uses `str.lower`, never `str.casefold`,
  which would turn "ß" into "ss" and shift every later offset; a character that lower-cases
  into two ("İ") is left as it is.
- `fold_key` is for names that become identities (entity keys, which the analysis cache
  stores) and are never mapped back into the text. It uses `str.casefold`, Unicode's
  caseless matching, so "Straße" and "STRASSE" are one entity. Its output is part of the
  cached enrichment: changing it means bumping `nlp.entities.PIPELINE_VERSION`.

A leaf module (no imports from the package) so ingest/, nlp/, store/ and search/ can share it.
"""


def lower_aligned(text: str) -> str:
    """`text` lower-cased one character for one, so offsets into the result are offsets into `text`."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower into two (İ): lower the others one by one
        lowered = "".join(char if len(low := char.lower()) != 1 else low for char in text)
    return lowered


def fold_aligned(text: str) -> str:
    """`lower_aligned(text)` with ё → е: case- and ё-insensitive matching that keeps offsets."""
    return lower_aligned(text).replace("ё", "е")


def fold_key(text: str) -> str:
    """`text` casefolded with ё → е: the identity of a name (may differ in length from `text`)."""
    return text.casefold().replace("ё", "е")

"""Counts in words, said the same way everywhere ("1 article", "1,234 articles")."""


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural_word or word + 's'}"

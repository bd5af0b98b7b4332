"""Search the archive and the open article: Russian words in any form, phrases, prefixes, filters.

Nothing here imports textual: the reader, the command line and the benchmarks share it.
The package imports nothing itself, so the app pays for these modules on its first search,
not at start: query, matching (in an article), index (FTS5), scan (without an index).
"""

"""Search the archive and the open article: Russian words in any form, phrases, prefixes, filters.

Nothing here imports textual: the reader, the command line and the benchmarks share it.
"""

from newsreader.search.index import SearchIndex
from newsreader.search.matching import find_matches
from newsreader.search.query import Query, parse_query
from newsreader.search.results import Hit, SearchResults
from newsreader.search.scan import search_without_index

__all__ = ["Hit", "Query", "SearchIndex", "SearchResults", "find_matches", "parse_query", "search_without_index"]

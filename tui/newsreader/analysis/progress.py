"""What an analysis run has done so far, as its progress bar and its summary show it."""

from dataclasses import dataclass


class AnalysisFailed(RuntimeError):
    """The run cannot go on (no cache to write, no cluster, the analysis thread died); what is written stays."""


@dataclass(slots=True)
class Progress:
    total: int  # distinct articles of the archive
    analysed: int = 0  # by the NLP in this run, and written to the cache
    cached: int = 0  # found in the cache (or a cache beside the archive): no NLP
    failed: int = 0  # reported with a warning each, not cached: a rerun tries them again
    indexed: int | None = None  # articles read into the search index so far; None until indexing starts

    @property
    def done(self) -> int:
        return self.analysed + self.cached + self.failed

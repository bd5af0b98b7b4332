"""`newsreader analyse PATH...`: an archive's analysis and search index made ahead of reading.

Progress and warnings go to stderr, the summary to stdout. Exit status 0 when every article is
analysed (or was already), 1 when some failed (each said why: a rerun tries them again) or the run
could not go on, and the shell's code for a stop signal, after which a rerun does only the rest.
"""

import signal
import sys
from collections.abc import Mapping
from pathlib import Path

from newsreader.analysis.archive import Summary, analyse_archive
from newsreader.analysis.progress import AnalysisFailed
from newsreader.cli.extract import Stopped, load_store, stopping_on_signals
from newsreader.cli.progress import ProgressLine
from newsreader.nlp.cache import caches_beside
from newsreader.runtime.processes import exit_code_for

PROGRAM = "newsreader analyse"


def run_analyse(
    paths: list[str],
    max_bytes: int,
    columns: Mapping[str, str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    output: Path | None = None,
    index: bool = True,
) -> int:
    line = ProgressLine(sys.stderr)
    try:
        with stopping_on_signals():
            _, articles = load_store(paths, max_bytes, columns)
            try:
                summary = analyse_archive(
                    articles,
                    output=output,
                    also_read=caches_beside(paths),
                    workers=workers,
                    scheduler=scheduler,
                    index=index,
                    on_progress=line.show,
                    on_warning=line.warn,
                )
            finally:
                line.close()
    except AnalysisFailed as failed:
        print(f"{PROGRAM}: {failed}", file=sys.stderr)
        return 1
    except Stopped as stop:
        name = signal.Signals(stop.signum).name
        print(f"{PROGRAM}: stopped by {name}; what was analysed is kept, and a rerun does the rest", file=sys.stderr)
        return exit_code_for(stop.signum)
    print(summary_text(summary))
    return 1 if summary.progress.failed else 0


def summary_text(summary: Summary) -> str:
    progress = summary.progress
    if progress.analysed == 0 and progress.failed == 0:
        outcome = f"nothing to analyse: all {progress.total:,} articles were already in the cache"
    else:
        outcome = (
            f"{progress.total:,} articles: {progress.analysed:,} analysed now, {progress.cached:,} already cached, "
            f"{progress.failed:,} failed"
        )
    lines = [
        f"{PROGRAM}: {outcome}",
        f"  time: {summary.seconds:.1f} s"
        + (f" ({summary.rate:.1f} articles analysed a second)" if summary.rate else ""),
        f"  analysis cache: {summary.cache_path}",
    ]
    if summary.index_path is not None:
        lines.append(f"  search index: {summary.index_path} ({summary.newly_indexed:,} articles added)")
    if progress.failed:
        lines.append(f"  {progress.failed:,} articles failed (see the warnings above); a rerun tries them again")
    return "\n".join(lines)

"""Command line: `newsreader [PATH...]` opens the reader; `extract PATH...` and `search QUERY [PATH...]`
print JSON Lines; `search --batch FILE [PATH...]` runs a list of queries; `export --format F --output FILE`
writes articles, entities, the timeline or the entity network to a file; `serve [PATH...]` opens the reader in a
browser; `analyse PATH...` analyses an archive ahead of reading, on this machine or on a dask cluster."""

import argparse
import math
import os
import sys
from pathlib import Path

from newsreader import __version__
from newsreader.ingest.load import DEFAULT_MAX_BYTES, display_path

EXIT_USAGE = 2


def seeds_dir() -> Path:
    """The wheel carries `newsreader/seeds/`; a source checkout has the top-level `seeds/`."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "seeds"
    return packaged if packaged.is_dir() else package.parents[1] / "seeds"


def _mebibytes(text: str) -> float:
    """A positive, finite size: `nan`, `inf` or `-1` would skip every file or overflow."""
    try:
        size = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(size) or size <= 0 or size * 2**20 > sys.maxsize:
        raise argparse.ArgumentTypeError(f"must be a positive number of MiB: {text!r}")
    return size


def _parser(prog: str, paths_help: str, paths_required: bool, query_help: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    if query_help:
        parser.add_argument("query", metavar="QUERY", nargs="?", help=query_help)
    parser.add_argument("paths", nargs="+" if paths_required else "*", metavar="PATH", help=paths_help)
    parser.add_argument(
        "--max-size",
        type=_mebibytes,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MIB",
        help="skip files larger than this many MiB (default %(default)g)",
    )
    parser.add_argument(
        "--columns",
        type=_columns,
        default=None,
        metavar="FIELD=COLUMN,...",
        help="in CSV and JSON dumps, read FIELD (date, title, text, url, topics, authors, outlet) from COLUMN",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    return parser


def _columns(text: str) -> dict[str, str]:
    from newsreader.ingest.dumps import parse_columns

    try:
        return parse_columns(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["extract"]:
        from newsreader.cli.extract import run_extract

        parser = _parser("newsreader extract", "files or folders to extract", True)
        parser.add_argument("--workers", type=int, default=None, help="NLP processes (default: one per core)")
        options = parser.parse_args(argv[1:])
        if _missing(options.paths):
            return EXIT_USAGE
        max_bytes = int(options.max_size * 2**20)
        return run_extract(options.paths, max_bytes=max_bytes, workers=options.workers, columns=options.columns)
    if argv[:1] == ["search"]:
        return _search(argv[1:])
    if argv[:1] == ["export"]:
        return _export(argv[1:])
    if argv[:1] == ["serve"]:
        return _serve(argv[1:])
    if argv[:1] in (["analyse"], ["analyze"]):
        return _analyse(argv[1:])
    options = _parser("newsreader", "files or folders to read (default: the bundled seeds)", False).parse_args(argv)
    paths = options.paths or [os.fspath(seeds_dir())]
    if _missing(paths):
        return EXIT_USAGE
    from newsreader.ui.app import NewsreaderApp

    app = NewsreaderApp(paths, max_bytes=int(options.max_size * 2**20), columns=options.columns)
    app.run()
    return app.return_code or 0


def _search(argv: list[str]) -> int:
    from newsreader.cli.batch import ROW_FORMATS, row_format, run_batch_search
    from newsreader.cli.search import DEFAULT_LIMIT, run_search

    parser = _parser(
        "newsreader search",
        "files or folders to search (default: the bundled seeds)",
        False,
        query_help='words in any form, "a phrase", prefix*, per:/org:/loc:NAME, date:2025-10 or date:2025-06..2025-07,'
        " src:/author:/topic:TEXT",
    )
    parser.add_argument("--literal", action="store_true", help="match QUERY as exact text (case and ё/е ignored)")
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help=f"at most this many results (default {DEFAULT_LIMIT}; with --batch, of each query, and all by default)",
    )
    batch = parser.add_argument_group("a list of queries")
    batch.add_argument(
        "--batch", metavar="FILE", help="run each line of FILE as a query (blank lines and # comments skipped)"
    )
    batch.add_argument("--output", "-o", metavar="FILE", help="write the hits to FILE instead of stdout")
    batch.add_argument(
        "--format", choices=ROW_FORMATS, help="jsonl or csv (default: csv for a *.csv output, else jsonl)"
    )
    batch.add_argument("--counts", metavar="FILE", help="write each query's count of hits to FILE as CSV")
    options = parser.parse_args(argv)
    if options.batch is None:
        if options.query is None:
            parser.error("the following arguments are required: QUERY (or --batch FILE)")
        if options.output or options.format or options.counts:
            parser.error("--output, --format and --counts go with --batch")
    else:  # no QUERY: the first PATH was taken for one
        options.paths = [options.query, *options.paths] if options.query is not None else options.paths
    paths = options.paths or [os.fspath(seeds_dir())]
    if _missing(paths):
        return EXIT_USAGE
    max_bytes = int(options.max_size * 2**20)
    if options.batch is not None:
        return run_batch_search(
            options.batch,
            paths,
            max_bytes,
            output=options.output,
            format_name=row_format(options.format, options.output),
            counts_file=options.counts,
            limit=options.limit,
            literal=options.literal,
            columns=options.columns,
        )
    return run_search(
        options.query,
        paths,
        max_bytes=max_bytes,
        limit=DEFAULT_LIMIT if options.limit is None else options.limit,
        literal=options.literal,
        columns=options.columns,
    )


def _export(argv: list[str]) -> int:
    from newsreader.cli.export import run_export
    from newsreader.export.formats import FORMATS, NETWORK_FORMATS

    parser = _parser("newsreader export", "files or folders to export (default: the bundled seeds)", False)
    parser.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        help="csv or jsonl: articles with their metadata and entities; timelinejs: the timeline (TimelineJS3 JSON);"
        " graphml or gexf: the entity co-occurrence network; entities-csv: the entity table",
    )
    parser.add_argument("--output", "-o", required=True, metavar="FILE", help="the file to write (replaced whole)")
    parser.add_argument("--query", metavar="QUERY", help="only the articles QUERY finds, in the search language")
    parser.add_argument("--literal", action="store_true", help="match QUERY as exact text (case and ё/е ignored)")
    parser.add_argument("--workers", type=int, default=None, help="NLP processes (default: one per core)")
    parser.add_argument(
        "--min-weight",
        type=int,
        default=1,
        metavar="N",
        help="graphml and gexf: only the ties of entities sharing N articles or more, and the entities they join",
    )
    options = parser.parse_args(argv)
    if options.min_weight < 1:
        parser.error("--min-weight must be 1 or more")
    if options.min_weight > 1 and options.format not in NETWORK_FORMATS:
        parser.error("--min-weight applies to the network formats only (graphml, gexf)")
    paths = options.paths or [os.fspath(seeds_dir())]
    if _missing(paths):
        return EXIT_USAGE
    return run_export(
        options.format,
        options.output,
        paths,
        max_bytes=int(options.max_size * 2**20),
        query=options.query,
        literal=options.literal,
        workers=options.workers,
        columns=options.columns,
        min_weight=options.min_weight,
    )


def _serve(argv: list[str]) -> int:
    from newsreader.cli.serve import DEFAULT_HOST, DEFAULT_PORT, run_serve

    parser = _parser("newsreader serve", "files or folders to read (default: the bundled seeds)", False)
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default %(default)s: this machine)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on (default %(default)s)")
    options = parser.parse_args(argv)
    paths = [os.path.abspath(path) for path in options.paths] or [os.fspath(seeds_dir())]
    if _missing(paths):
        return EXIT_USAGE
    reader_arguments = [*paths, "--max-size", repr(options.max_size)]
    if options.columns is not None:
        reader_arguments += ["--columns", ",".join(f"{field}={column}" for field, column in options.columns.items())]
    return run_serve(reader_arguments, options.host, options.port)


def _analyse(argv: list[str]) -> int:
    from newsreader.cli.analyse import run_analyse

    parser = _parser("newsreader analyse", "archive files or folders to analyse", True)
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_count, default=None, metavar="N", help="NLP processes here (default: one per core)"
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="analyse on the dask.distributed cluster whose scheduler is at ADDRESS (tcp://host:8786; docs/cluster.md)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="write the analysis cache into DIR instead of the user cache: make DIR the archive's .newsreader folder"
        " to copy it with the archive (docs/cache-format.md)",
    )
    parser.add_argument("--no-index", action="store_true", help="leave out the search index")
    options = parser.parse_args(argv)
    if _missing(options.paths):
        return EXIT_USAGE
    return run_analyse(
        options.paths,
        max_bytes=int(options.max_size * 2**20),
        columns=options.columns,
        workers=options.workers,
        scheduler=options.scheduler,
        output=options.output,
        index=not options.no_index,
    )


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return count


def _missing(paths: list[str]) -> bool:
    """Report paths that do not exist; true when there is any."""
    missing = [path for path in paths if not os.path.lexists(path)]
    for path in missing:
        print(f"newsreader: {display_path(path)}: no such file or directory", file=sys.stderr)
    return bool(missing)

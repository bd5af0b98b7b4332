"""Command line: `newsreader [PATH...]` opens the reader, `newsreader extract PATH...` prints JSON Lines."""

import argparse
import os
import sys
from pathlib import Path

from newsreader import __version__
from newsreader.load import DEFAULT_MAX_BYTES, display_path

EXIT_USAGE = 2


def seeds_dir() -> Path:
    """The wheel carries `newsreader/seeds/`; a source checkout has the top-level `seeds/`."""
    packaged = Path(__file__).with_name("seeds")
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "seeds"


def _parser(prog: str, paths_help: str, paths_required: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    parser.add_argument("paths", nargs="+" if paths_required else "*", metavar="PATH", help=paths_help)
    parser.add_argument(
        "--max-size", type=float, default=DEFAULT_MAX_BYTES / 2**20, metavar="MIB",
        help="skip files larger than this many MiB (default %(default)g)",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["extract"]:
        from newsreader.extract import run_extract

        parser = _parser("newsreader extract", "files or folders to extract", True)
        parser.add_argument("--workers", type=int, default=None, help="NLP processes (default: one per core)")
        options = parser.parse_args(argv[1:])
        if _missing(options.paths):
            return EXIT_USAGE
        return run_extract(options.paths, max_bytes=int(options.max_size * 2**20), workers=options.workers)
    options = _parser("newsreader", "files or folders to read (default: the bundled seeds)", False).parse_args(argv)
    paths = options.paths or [os.fspath(seeds_dir())]
    if _missing(paths):
        return EXIT_USAGE
    from newsreader.ui.app import NewsreaderApp

    NewsreaderApp(paths, max_bytes=int(options.max_size * 2**20)).run()
    return 0


def _missing(paths: list[str]) -> bool:
    """Report paths that do not exist; true when there is any."""
    missing = [path for path in paths if not os.path.lexists(path)]
    for path in missing:
        print(f"newsreader: {display_path(path)}: no such file or directory", file=sys.stderr)
    return bool(missing)

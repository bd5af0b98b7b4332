"""Character statistics of a set of news texts, the ones that decide which path the loader takes.

    python bench/corpus_stats.py ../shared/eval/factru_dev.jsonl seeds/ /tmp/corpus

Each argument is a JSON Lines file (field "text") or a folder of text files, and
becomes one column of the table. Folder files are read as raw bytes and decoded
as UTF-8 (a BOM is dropped); files in other encodings are skipped and counted,
because the statistics are about the characters a real UTF-8 archive holds and a
legacy-encoded file cannot hold most of them. A file's `date ...` header line is
left out, so archive files compare with bare factRuEval texts. Nothing is
sanitised first: the point is to see what the sanitiser will meet.

Rows: the share of texts holding each character class, its rate per 1000
characters over all texts, the share of Latin-letter words, and the article
length distribution in UTF-8 bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Name shown in the table, then the characters counted for it.
CHARACTER_CLASSES = {
    "no-break space U+00A0": "\u00a0",
    "figure/narrow nbsp U+2007/202F": "\u2007\u202f",
    "tab": "\t",
    "guillemets «»": "«»",
    "em dash —": "—",
    "en dash –": "–",
    "ellipsis …": "…",
    "digit": "0123456789",
}
LONG_ARTICLE_BYTES = 20 * 1024
PERCENTILES = (50, 90, 99)
WORD = re.compile(r"[^\W\d_]+")
LATIN_WORD = re.compile(r"[A-Za-z]+")
HEADER = re.compile(r"\s*date\b[^\n]*\n?")


@dataclass
class Stats:
    """Counts gathered over one input; rates and shares are derived when printed."""

    texts: int = 0
    skipped: int = 0
    characters: int = 0
    holding: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHARACTER_CLASSES, 0))
    occurrences: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHARACTER_CLASSES, 0))
    crlf_texts: int = 0
    crlf_count: int = 0
    words: int = 0
    latin_words: int = 0
    latin_texts: int = 0
    sizes: list[int] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.texts += 1
        self.characters += len(text)
        for name, characters in CHARACTER_CLASSES.items():
            count = sum(text.count(char) for char in characters)
            self.occurrences[name] += count
            self.holding[name] += count > 0
        crlf = text.count("\r\n")
        self.crlf_count += crlf
        self.crlf_texts += crlf > 0
        words = WORD.findall(text)
        latin = sum(1 for word in words if LATIN_WORD.fullmatch(word))
        self.words += len(words)
        self.latin_words += latin
        self.latin_texts += latin > 0
        self.sizes.append(len(text.encode("utf-8")))

    def rows(self) -> dict[str, str]:
        """Table cells of this input, by row name."""
        texts, per_mille = max(self.texts, 1), 1000 / max(self.characters, 1)
        rows = {"texts (skipped: not UTF-8)": f"{self.texts} ({self.skipped})"}
        for name in CHARACTER_CLASSES:
            share = self.holding[name] / texts
            rows[name] = f"{share:6.1%} {self.occurrences[name] * per_mille:7.2f}"
        rows["CRLF"] = f"{self.crlf_texts / texts:6.1%} {self.crlf_count * per_mille:7.2f}"
        latin_share = self.latin_words / max(self.words, 1)
        rows["Latin words (texts, word share)"] = f"{self.latin_texts / texts:6.1%} {latin_share:7.2%}"
        sizes = sorted(self.sizes) or [0]
        for percentile in PERCENTILES:
            index = min(len(sizes) - 1, len(sizes) * percentile // 100)
            rows[f"length p{percentile}, bytes"] = str(sizes[index])
        rows["length max, bytes"] = str(sizes[-1])
        long_share = sum(1 for size in sizes if size >= LONG_ARTICLE_BYTES) / texts
        rows["share >= 20 KB"] = f"{long_share:.2%}"
        return rows


def gather(source: Path) -> Stats:
    """Statistics of one JSON Lines file or one folder tree of text files."""
    stats = Stats()
    if source.is_file():
        with open(source, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    stats.add(json.loads(line)["text"])
        return stats
    for folder, _, names in sorted(os.walk(source)):
        for name in sorted(names):
            data = (Path(folder) / name).read_bytes()
            try:
                text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
            except UnicodeDecodeError:
                stats.skipped += 1
            else:
                header = HEADER.match(text)
                stats.add(text[header.end() :] if header else text)
    return stats


def table(columns: dict[str, Stats]) -> str:
    """A Markdown table: one row per statistic, one column per input."""
    cells = {name: stats.rows() for name, stats in columns.items()}
    row_names = list(next(iter(cells.values())))
    header = "| statistic (share of texts, rate per 1000 chars) | " + " | ".join(columns) + " |"
    lines = [header, "|---" * (len(columns) + 1) + "|"]
    for row in row_names:
        lines.append(f"| {row} | " + " | ".join(cells[name][row] for name in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="+", type=Path, metavar="FOLDER_OR_JSONL")
    parser.add_argument("--names", help="comma-separated column names (default: the paths)")
    options = parser.parse_args(argv)
    names = options.names.split(",") if options.names else [str(source) for source in options.sources]
    if len(names) != len(options.sources):
        parser.error("--names needs one name per source")
    for source in options.sources:
        if not source.exists():
            parser.error(f"{source} does not exist")
    print(table({name: gather(source) for name, source in zip(names, options.sources, strict=True)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

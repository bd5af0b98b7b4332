"""Growth exponents of loading from bench_load.py reports: time and peak RSS ∝ N^k between sizes.

    python bench/load_growth.py bench/results/load-gen-10k.json bench/results/load-gen-1m.json

For each variant in both reports: k = log(value at the larger N / value at the smaller N) / log(N ratio),
for the median wall time and for the peak RSS (of the loading process; of the largest worker too).
k = 1 is linear; a peak RSS with k near 0 stays flat as the archive grows.
"""

import argparse
import json
import math
import sys
from pathlib import Path


def exponent(small: float | None, large: float | None, ratio: float) -> str:
    if not small or not large:
        return "–"
    return f"{math.log(large / small) / math.log(ratio):.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("smaller", type=Path, help="bench_load.py --json report at the smaller size")
    parser.add_argument("larger", type=Path, help="the same at the larger size")
    options = parser.parse_args(argv)
    small, large = (json.loads(path.read_text("utf-8")) for path in (options.smaller, options.larger))
    rows_small = {row["variant"]: row for row in small["rows"]}
    files_small, files_large = small["rows"][0]["files"], large["rows"][0]["files"]
    ratio = files_large / files_small
    print(f"{files_small:,} -> {files_large:,} files (x{ratio:g})\n")
    print("| variant | k of wall time | k of peak RSS | k of worker peak RSS |")
    print("|---|--:|--:|--:|")
    for row in large["rows"]:
        before = rows_small.get(row["variant"])
        if before is None:
            continue
        print(
            f"| {row['description']} | {exponent(before['seconds_median'], row['seconds_median'], ratio)} "
            f"| {exponent(before['peak_rss_mib'], row['peak_rss_mib'], ratio)} "
            f"| {exponent(before.get('worker_peak_rss_mib'), row.get('worker_peak_rss_mib'), ratio)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

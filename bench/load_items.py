"""Every article and warning a load gives, one line each, to compare two trees byte for byte.

    PYTHONPATH=TREE/tui python bench/load_items.py CORPUS_DIR OUT_FILE [--pool]

An article's line holds its id, path, date, title, lede length, credit, encoding, fingerprint,
source, size and mtime, and without `--pool` (texts kept) a BLAKE2b of its text; a warning's
its path and reason. `cmp` of two trees' files says whether loading changed.
"""

import argparse
import hashlib

from newsreader.ingest.parse import Article, iter_articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", metavar="CORPUS_DIR")
    parser.add_argument("out", metavar="OUT_FILE")
    parser.add_argument("--pool", action="store_true", help="read in 2 worker processes, texts not kept")
    args = parser.parse_args(argv)
    pool = None
    if args.pool:
        from newsreader.runtime.processes import background_pool

        pool = background_pool(2, niceness=0)
    articles = warnings = 0
    try:
        with open(args.out, "w", encoding="utf-8", errors="surrogateescape") as out:
            for item in iter_articles([args.corpus], pool=pool, keep_text=pool is None):
                if isinstance(item, Article):
                    articles += 1
                    fields = [repr(field) for field in item[:11]]
                    if pool is None:
                        text = item.text.encode("utf-8", "surrogatepass")
                        fields.append(hashlib.blake2b(text, digest_size=16).hexdigest())
                    out.write("A\t" + "\t".join(fields) + "\n")
                else:
                    warnings += 1
                    out.write(f"W\t{item.path!r}\t{item.reason!r}\n")
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    print(f"{args.out}: {articles} articles, {warnings} warnings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`newsreader extract`: one JSON object per article on stdout, warnings on stderr."""

import json
import sys

from newsreader.load import LoadWarning
from newsreader.parse import Article, iter_articles
from newsreader.store import Store


def article_record(article: Article) -> dict:
    """The documented extract schema for one article."""
    return {
        "id": article.id,
        "path": article.path,
        "date": article.date.isoformat() if article.date else None,
        "title": article.title,
        "lede": article.lede,
        "credit": article.credit,
        "encoding": article.encoding,
        "text": article.text,
        "entities": [],
        "dates": [],
    }


def run_extract(paths: list[str], max_bytes: int) -> int:
    """Stream records in load order; the store only removes duplicate texts."""
    store = Store()
    out = sys.stdout
    out.reconfigure(encoding="utf-8", errors="replace")
    try:
        for item in iter_articles(paths, max_bytes=max_bytes):
            if isinstance(item, Article):
                item = store.add(item) or item
            if isinstance(item, LoadWarning):
                print(item, file=sys.stderr)
                continue
            out.write(json.dumps(article_record(item), ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        sys.stderr.close()
    return 0

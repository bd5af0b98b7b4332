"""Search benchmark: index build (time, size, peak RSS), re-open, incremental add, query latency.

    python bench/bench_search.py /work/corpora/gen-100k --index /tmp/gen-100k.sqlite3 --new /tmp/gen-new-1000
    python bench/bench_search.py /work/corpora/real-100k --real --index /tmp/real-100k.sqlite3
    python bench/bench_search.py bench/corpus-10k --baselines --normalisation --find
    nice -n 19 python bench/bench_search.py /work/corpora/gen-1m --index /work/corpora/index/gen-1m.sqlite3 \
        --new /work/corpora/gen-new-1000 --lock /tmp/bench.lock

The index is built as the app builds it: batches of ADD_BATCH articles, oldest first,
written by one low-priority worker process (`write_documents_to`). With --index FILE it
is kept in FILE and a later run re-opens it (the second-run cost: only new
fingerprints are indexed). --new DIR adds the articles of DIR to a copy of the index
(the incremental cost). Each query runs once first ("first run"), then REPEATS times in
each of --rounds rounds; each kind's p50/p95 are over all those runs, in wall time and
in this thread's CPU time (the machine is shared: CPU time is what the search itself
costs). The floor of a query is FTS5 alone: its expression's first window of rows.

Entity filters need entities; NER over 10^5-10^6 articles takes hours, so the
generated corpus gets the generator's own people (every "First-name Surname" pair of
make_corpus.py's lists, in any case form, a PER mention keyed by the nominative name)
and the real corpus (--real, built by make_real_corpus.py) the factRuEval gold PER
spans of the document each article was made from, lemmatised word by word. --baselines
adds a regex scan over the texts in memory and the search without index (minutes at 1M).
"""

import argparse
import contextlib
import fcntl
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import make_corpus as corpus_vocabulary
import make_real_corpus
from newsreader.folding import fold_aligned as fold
from newsreader.folding import fold_key
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.runtime.processes import background_pool
from newsreader.search.fts import date_tokens
from newsreader.search.index import FIRST_WINDOW, SearchIndex, write_documents_to
from newsreader.search.matching import find_matches
from newsreader.search.normalise import stem, stems, word_forms, words
from newsreader.search.query import parse_query
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store

GENERATED_QUERIES = {
    "rare word": [
        "Гелашвили",
        "Кикнадзе",
        "Чхеидзе",
        "Дубяго",
        "Живаго",
        "Шония",
        "Гогия",
        "Ломидзе",
        "Дурново",
        "Мустафаев",
    ],
    "common word": ["год", "заявил", "президент", "Россия", "сообщить", "время", "работа", "человек", "новый", "суд"],
    "prefix": ["гал*", "мин*", "пожар*", "эконом*", "росс*", "суд*", "задерж*", "перег*", "москв*", "пресс*"],
    "phrase": [
        '"пожарных расчетов"',
        '"по словам очевидцев"',
        '"в Москве"',
        '"МИД России"',
        '"Совет Федерации"',
        '"Наталья Карпова"',
        '"Михаил Шония"',
        '"материалы дела"',
        '"лишения свободы"',
        '"Михаил Галузин"',
    ],
    "date filter and words": [
        "date:2020 суд",
        "date:2016-03 президент",
        "date:2024..2025 Москва",
        'date:2019 "в Москве"',
        "date:2018-07-01..2018-07-31 пожар*",
        "date:2017 Шония",
        "date:..2016 заявил",
        "date:2022-02 человек",
        "date:2021 эконом*",
        "date:2015-01..2015-06 новый",
    ],
    "entity filter": [
        "per:Карпова",
        "per:Шония",
        "per:Галузин",
        "per:Иванов",
        "per:Гелашвили",
        'per:"Михаил Шония"',
        "per:Кузнецова суд",
        "per:Петров date:2020",
        "per:Смирнов",
        "per:Матвиенко",
    ],
}
REAL_QUERIES = {  # words and names of the factRuEval dev texts; a "rare" word is in one of the 122 documents
    "rare word": [
        "Налбандов",
        "Вайнрайх",
        "Хилтон",
        "Рейган",
        "Козьмино",
        "Удальцов",
        "Вельмакин",
        "Нострадамус",
        "Герольд",
        "Машара",
    ],
    "common word": GENERATED_QUERIES["common word"],
    "prefix": GENERATED_QUERIES["prefix"],
    "phrase": [
        '"премьер министр"',
        '"в настоящее время"',
        '"в этом году"',
        '"кроме того"',
        '"таким образом"',
        '"млн долларов"',
        '"Дмитрий Медведев"',
        '"в Москве"',
        '"по словам"',
        '"Мустафа Джемилев"',
    ],
    "date filter and words": GENERATED_QUERIES["date filter and words"],
    "entity filter": [
        "per:Медведев",
        "per:Джемилев",
        "per:Нетаньяху",
        "per:Путин",
        "per:Обама",
        "per:Свиридов",
        'per:"Марин Ле Пен"',
        "per:Медведев date:2020",
        "per:Путин президент",
        "per:Берлускони",
    ],
}
LITERAL_EQUIVALENT = {"*": "", '"': "", "per:": ""}  # the text a grep user would type for the same query
POSITIVE_PAIRS = [
    ("россиянин", "россиян"),
    ("Баку", "Баку"),
    ("освобождение", "освобожден"),
    ("Путин", "Путина"),
    ("человек", "люди"),
    ("ребенок", "детей"),
    ("год", "лет"),
    ("Москва", "Москве"),
    ("выборы", "выборах"),
    ("министр", "министрами"),
    ("заявить", "заявил"),
    ("идти", "шли"),
    ("задержание", "задержан"),
    ("новый", "новыми"),
    ("российский", "российской"),
    ("хороший", "лучше"),
    ("Песков", "Пескову"),
    ("Мария", "Марии"),
    ("санкция", "санкций"),
    ("Госдума", "Госдуме"),
    ("освобожден", "освобождения"),
    ("встретиться", "встретились"),
    ("пожар", "пожаров"),
    ("суд", "судом"),
    ("решение", "решен"),
]
NEGATIVE_PAIRS = [
    ("Баку", "бака"),
    ("россиянин", "России"),
    ("стол", "столица"),
    ("мир", "мирный"),
    ("Путин", "путинки"),
    ("суд", "судьба"),
    ("сила", "силикон"),
]
REPEATS = 3
BASELINE_QUERIES = 1  # per kind: a scan over 10^6 texts takes a minute
FLOOR_BUILD_ARTICLES = 20_000  # FTS5 alone is timed on this many articles' rows
INSERT_WORDS = "INSERT INTO words (rowid, forms, stems, dates) VALUES (?, ?, ?, ?)"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def strategies():
    """Match rules compared: stem equality, shared lemma, either, and the one search uses."""
    from newsreader.nlp.morph import parse

    def lemmas(word):
        return {fold(candidate.normal_form) for candidate in parse(fold(word))}

    return {
        "stem only": lambda query, form: stem(fold(query)) == stem(fold(form)),
        "lemma only": lambda query, form: bool(lemmas(query) & lemmas(form)),
        "stem or lemma": lambda query, form: (
            stem(fold(query)) == stem(fold(form)) or bool(lemmas(query) & lemmas(form))
        ),
        "chosen (normalise.py)": lambda query, form: word_forms(query).matches(fold(form)),
    }


def normalisation_table(vocabulary: list[str]) -> str:
    from newsreader.nlp.morph import _parse_lowercase

    rows = ["| rule | recall on 25 pairs that should match | false matches on 7 that should not |", "|---|--:|--:|"]
    for name, rule in strategies().items():
        found = sum(rule(query, form) for query, form in POSITIVE_PAIRS)
        wrong = sum(rule(query, form) for query, form in NEGATIVE_PAIRS)
        rows.append(f"| {name} | {found}/{len(POSITIVE_PAIRS)} | {wrong}/{len(NEGATIVE_PAIRS)} |")
    cyrillic = [word for word in vocabulary if re.fullmatch("[а-я]+", word)]
    sample = random.Random(1).sample(cyrillic, min(len(cyrillic), 20000))
    stem_seconds, _ = timed(lambda: [corpus_stemmer().stemWord(word) for word in sample])
    _parse_lowercase.cache_clear()
    lemma_seconds, _ = timed(lambda: [_parse_lowercase(word) for word in sample])
    word_forms.cache_clear()
    expand_seconds, _ = timed(lambda: [word_forms(word) for word in sample[:2000]])
    rows += [
        "",
        "| cost per distinct word | µs |",
        "|---|--:|",
        f"| Snowball stem (PyStemmer), what the index does per word | {stem_seconds / len(sample) * 1e6:.1f} |",
        f"| pymorphy3 parse (lemma), if the index lemmatised | {lemma_seconds / len(sample) * 1e6:.1f} |",
        f"| query word → all its forms' stems (once per query word) | {expand_seconds / 2000 * 1e6:.1f} |",
    ]
    return "\n".join(rows)


def corpus_stemmer():
    import Stemmer

    return Stemmer.Stemmer("russian")


def synthesise_people(store: Store) -> int:
    """PER mentions for every generator full name found in the texts (see the module docstring)."""
    first, last = {}, {}
    for female, names in ((False, corpus_vocabulary.MALE_FIRST_NAMES), (True, corpus_vocabulary.FEMALE_FIRST_NAMES)):
        for name in names:
            for form in corpus_vocabulary._first_name_forms(name, female):
                first[form] = (name, female)
    for surname in corpus_vocabulary.SURNAMES:
        for female in (False, True):
            nominative = corpus_vocabulary._surname_forms(surname, female)[0]
            for form in corpus_vocabulary._surname_forms(surname, female):
                last.setdefault((form, female), nominative)
    pair = re.compile(r"\b([А-ЯЁ][а-яё]+) ([А-ЯЁ][а-яё]+)\b")
    marked = 0
    for article in store:
        mentions = []
        for match in pair.finditer(article.text):
            name = first.get(match[1])
            surname = last.get((match[2], name[1])) if name else None
            if surname:
                normal = f"{name[0]} {surname}"
                key = "PER:" + normal.lower().replace("ё", "е")
                mentions.append(EntityMention(match.start(), match.end(), "PER", match[0], normal, key))
        store.set_enrichment(article.fingerprint, Enrichment(tuple(mentions), (), ()))
        marked += len(mentions)
    return marked


@cache
def lemmatised_name(text: str) -> str:
    """ "Александром Налбандовым" → "Александр Налбандов": each word's likeliest name reading or lemma."""
    from newsreader.nlp.morph import parse

    lemmas = []
    for word in text.split():
        candidates = parse(word.lower())
        named = [c for c in candidates if {"Name", "Surn", "Patr"} & c.tag.grammemes] or list(candidates)
        lemmas.append((named[0].normal_form if named else word).capitalize())
    return " ".join(lemmas)


def gold_people(store: Store) -> int:
    """PER mentions where the factRuEval gold spans of an article's source document occur in its text."""
    names_by_title: dict[str, set[str]] = {}
    with open(make_real_corpus.DEFAULT_SOURCE, encoding="utf-8") as lines:
        for line in lines:
            document = json.loads(line)
            title, _ = make_real_corpus.split_document(document["text"])
            spans = {entity["text"] for entity in document["entities"] if entity["type"] == "PER"}
            names_by_title.setdefault(title, set()).update(spans)
    repeat = re.compile(r" \([0-9]+\)\Z")
    marked = 0
    for article in store:
        mentions = []
        for name in names_by_title.get(repeat.sub("", article.title), ()):
            normal = lemmatised_name(name)
            start = article.text.find(name)
            while start >= 0:
                end = start + len(name)
                mentions.append(EntityMention(start, end, "PER", name, normal, "PER:" + fold_key(normal)))
                start = article.text.find(name, end)
        store.set_enrichment(article.fingerprint, Enrichment(tuple(sorted(mentions, key=lambda m: m.start)), (), ()))
        marked += len(mentions)
    return marked


def literal_text(query: str) -> str:
    text = " ".join(part for part in query.split() if not part.startswith("date:"))
    for old, new in LITERAL_EQUIVALENT.items():
        text = text.replace(old, new)
    return text


def literal_scan_seconds(store: Store, needle: str) -> float:
    """What a grep-like scan costs for the same literal text: a compiled regex over the texts in memory."""
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    return timed(lambda: [article.id for article in store if pattern.search(article.text)])[0]


def load_store(corpus: str) -> Store:
    store = Store()
    for item in iter_articles([corpus]):
        if isinstance(item, Article):
            store.add(item)
    return store


def app_writer() -> tuple[Callable, Callable[[], tuple[float, float]]]:
    """The app's writer (ArchiveIndex.write_chunk): one low-priority worker; `stop` gives its peak RSS and CPU."""
    pool = background_pool(1)

    def write(path: Path, first_id: int, documents: list) -> None:
        pool.submit(write_documents_to, path, first_id, documents).result()

    def stop() -> tuple[float, float]:
        peak, cpu = pool.submit(worker_peak_and_cpu).result()
        pool.shutdown(wait=True)
        return peak, cpu

    return write, stop


def worker_peak_and_cpu() -> tuple[float, float]:
    """In the worker: its own peak RSS (VmHWM, MiB) and CPU seconds (the parent's RUSAGE_CHILDREN
    would count the parent's RSS at fork, before the spawn's exec)."""
    peak = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return int(peak.split()[1]) / 1024, usage.ru_utime + usage.ru_stime


def index_size(path: Path) -> int:
    return sum(each.stat().st_size for each in path.parent.glob(path.name + "*") if not each.name.endswith(".lock"))


def build_or_open(path: Path, store: Store) -> list[tuple[str, str]]:
    """Build the index in `path` (or re-open it and add what is new); the measures as table rows."""
    rows = []
    existed = path.exists()
    before = rss_mib()
    open_seconds, index = timed(SearchIndex, path)
    opened = rss_mib()
    writer, stop = app_writer()
    started_cpu = time.process_time()
    build_seconds, added = timed(index.add, store.ordered(newest_first=False), writer)
    app_cpu = time.process_time() - started_cpu
    writer_peak, writer_cpu = stop()
    covers_seconds, covered = timed(index.covers, store)
    assert covered and not index.warnings, index.warnings
    index.close()
    size = index_size(path)
    if existed:
        rows.append(
            ("second run: open the existing index", f"{open_seconds * 1000:,.0f} ms (+{opened - before:.0f} MiB)")
        )
        rows.append(
            (
                "second run: add (only new fingerprints are written)",
                f"{build_seconds:.2f} s, {added:,} new (app CPU {app_cpu:.2f} s)",
            )
        )
        rows.append(("second run: covers(store), once per store size", f"{covers_seconds * 1000:,.0f} ms"))
    else:
        rows.append(
            (
                f"index build ({added:,} articles, app's writer process)",
                f"{build_seconds:,.1f} s ({added / build_seconds:,.0f} articles/s; "
                f"CPU: writer {writer_cpu:,.1f} s, app {app_cpu:,.1f} s)",
            )
        )
        rows.append(("peak RSS of the writer process", f"{writer_peak:,.0f} MiB"))
        rows.append(("app process RSS: before / after build", f"{before:,.0f} / {rss_mib():,.0f} MiB"))
    rows.append(("index size on disk", f"{size:,} bytes ({size / 2**20:,.0f} MiB; {size / len(store):,.0f} B/article)"))
    reopen_seconds, again = timed(SearchIndex, path)
    rows.append(("index open (existing file, fingerprints read)", f"{reopen_seconds * 1000:,.0f} ms"))
    again.close()
    return rows


def build_floor(store: Store) -> str:
    """FTS5 alone: the rows of the first FLOOR_BUILD_ARTICLES articles, tokenised beforehand, inserted."""
    import sqlite3

    from newsreader.search.index import ADD_BATCH, SCHEMA

    articles = list(store.ordered(newest_first=False))[:FLOOR_BUILD_ARTICLES]

    def tokenise() -> list[tuple[int, str, str, str]]:
        rows = []
        for number, article in enumerate(articles, 1):
            forms = words(article.text)
            iso_date = article.date.isoformat() if article.date else None
            rows.append((number, " ".join(forms), " ".join(stems(forms)), date_tokens(iso_date)))
        return rows

    tokenise_seconds, rows = timed(tokenise)
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "floor.sqlite3", isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(SCHEMA[-1])

        def insert():
            for start in range(0, len(rows), ADD_BATCH):
                with connection:
                    connection.execute("BEGIN")
                    connection.executemany(INSERT_WORDS, rows[start : start + ADD_BATCH])

        insert_seconds, _ = timed(insert)
        connection.close()
    return (
        f"{len(articles) / insert_seconds:,.0f} articles/s FTS5 insert alone, "
        f"{len(articles) / tokenise_seconds:,.0f} articles/s tokenise + stem alone (first {len(articles):,})"
    )


def incremental_rows(path: Path, store: Store, new_corpus: str) -> list[tuple[str, str]]:
    """Add the articles of `new_corpus` to a copy of the index; then search with them gone from the store."""
    new_store = load_store(new_corpus)
    folder = Path(tempfile.mkdtemp(prefix="bench-search-copy-"))
    try:
        copy = folder / path.name
        shutil.copyfile(path, copy)
        index = SearchIndex(copy)
        writer, stop = app_writer()
        seconds, added = timed(index.add, new_store.ordered(newest_first=False), writer)
        _, writer_cpu = stop()
        combined = Store()
        for article in [*store, *new_store]:
            combined.add(article)
        covers_seconds, covered = timed(index.covers, combined)
        assert covered and not index.warnings
        index.close()
        return [
            (
                f"add {added:,} new articles to the index",
                f"{seconds:.2f} s ({seconds / max(added, 1) * 1000:.2f} ms each; writer CPU {writer_cpu:.2f} s)",
            ),
            ("covers(store) after the add", f"{covers_seconds * 1000:,.0f} ms"),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def first_window(index: SearchIndex, expression: str) -> list:
    sql = "SELECT rowid FROM words WHERE words MATCH ? ORDER BY rowid DESC LIMIT ?"
    return index._connection.execute(sql, (expression, FIRST_WINDOW)).fetchall()


def timed_search(index: SearchIndex, query: str, store: Store) -> tuple[float, float, int]:
    """Wall and CPU milliseconds of one search (CPU: this thread, SQLite included), and its hits."""
    started, started_cpu = time.perf_counter(), time.thread_time()
    hits = len(index.search(query, store))
    return (time.perf_counter() - started) * 1000, (time.thread_time() - started_cpu) * 1000, hits


def query_table(
    index: SearchIndex, store: Store, queries: dict[str, list[str]], baselines: bool, rounds: int = 1
) -> str:
    """Per kind: every query once untimed-first, then REPEATS times in each of `rounds` rounds, pooled."""
    header = "| kind | p50 ms | p95 ms | p95 CPU ms | first run p95 ms | FTS5 floor p50 ms | hits (mean) |"
    header += " slowest (p50 ms) |"
    header += " literal regex scan ms | scan without index ms |" if baselines else ""
    rows = [header, "|---|--:|--:|--:|--:|--:|--:|---|" + ("--:|--:|" if baselines else "")]
    samples: dict[str, list[tuple[float, float, int]]] = {query: [] for kind in queries.values() for query in kind}
    first = {query: timed_search(index, query, store)[0] for kind in queries.values() for query in kind}
    for _ in range(rounds):
        for query, taken in samples.items():
            taken += (timed_search(index, query, store) for _ in range(REPEATS))
    for kind, kind_queries in queries.items():
        walls = [wall for query in kind_queries for wall, _, _ in samples[query]]
        cpus = [cpu for query in kind_queries for _, cpu, _ in samples[query]]
        hits = [found for query in kind_queries for _, _, found in samples[query]]
        floors = []
        for query in kind_queries:
            expression = index.expression(parse_query(query))
            if expression is not None:
                floors.append(timed(first_window, index, expression)[0] * 1000)
        slowest = max(kind_queries, key=lambda query: statistics.median(wall for wall, _, _ in samples[query]))
        slowest_p50 = statistics.median(wall for wall, _, _ in samples[slowest])
        row = (
            f"| {kind} | {statistics.median(walls):.1f} | {percentile(walls, 0.95):.1f} | "
            f"{percentile(cpus, 0.95):.1f} | {percentile([first[q] for q in kind_queries], 0.95):.1f} | "
            f"{statistics.median(floors) if floors else 0:.1f} | {statistics.mean(hits):.0f} | "
            f"`{slowest}` ({slowest_p50:.1f}) |"
        )
        if baselines:
            scans = [literal_scan_seconds(store, literal_text(q)) * 1000 for q in kind_queries[:BASELINE_QUERIES]]
            fallback = [timed(search_without_index, q, store)[0] * 1000 for q in kind_queries[:BASELINE_QUERIES]]
            row += f" {statistics.median(scans):,.0f} | {statistics.median(fallback):,.0f} |"
        rows.append(row)
    return "\n".join(rows) + "\n"


def find_matches_table(store: Store, queries: dict[str, list[str]]) -> str:
    text = ""
    for article in store:
        text += article.text + "\n\n"
        if len(text) >= 100_000:
            break
    text = text[:100_000]
    rows = [
        "## find_matches on one 100 KB article (the reader's in-article search)\n",
        "| kind | p50 ms | p95 ms | matches |",
        "|---|--:|--:|--:|",
    ]
    for kind, kind_queries in queries.items():
        samples, found = [], []
        for query in kind_queries:
            find_matches(text, query)
            for _ in range(REPEATS):
                seconds, spans = timed(find_matches, text, query)
                samples.append(seconds * 1000)
                found.append(len(spans))
        rows.append(
            f"| {kind} | {statistics.median(samples):.2f} | {percentile(samples, 0.95):.2f} | "
            f"{statistics.mean(found):.0f} |"
        )
    samples = [timed(find_matches, text, literal_text(q), True)[0] * 1000 for qs in queries.values() for q in qs]
    rows.append(f"| literal (same texts) | {statistics.median(samples):.2f} | {percentile(samples, 0.95):.2f} | – |")
    return "\n".join(rows)


@contextlib.contextmanager
def held(lock: Path | None) -> Iterator[None]:
    """flock(lock) held (as flock(1) takes it), so benchmarks sharing a machine take turns; nothing if None.

    Once it is held this thread's niceness goes back to 0 (root only).
    """
    if lock is None:
        yield
        return
    with open(lock, "a") as handle:
        asked = time.perf_counter()
        fcntl.flock(handle, fcntl.LOCK_EX)
        print(f"(waited {time.perf_counter() - asked:,.0f} s for {lock})\n", file=sys.stderr, flush=True)
        with contextlib.suppress(PermissionError):  # loaded under `nice`, so as not to disturb the lock's holder
            os.setpriority(os.PRIO_PROCESS, 0, 0)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", metavar="CORPUS_DIR")
    parser.add_argument("--index", type=Path, metavar="FILE", help="keep the index here (re-opened if it exists)")
    parser.add_argument("--real", action="store_true", help="a make_real_corpus.py corpus: its queries and gold PER")
    parser.add_argument("--new", metavar="DIR", help="time adding the articles of DIR to a copy of the index")
    parser.add_argument("--rounds", type=int, default=3, metavar="R", help="timed rounds of every query (default 3)")
    parser.add_argument("--baselines", action="store_true", help="also a regex scan and the search without index")
    parser.add_argument("--normalisation", action="store_true", help="also the table of match rules")
    parser.add_argument("--find", action="store_true", help="also find_matches in one 100 KB article")
    parser.add_argument(
        "--lock", type=Path, metavar="FILE", help="hold flock(FILE) while building and timing (not while loading)"
    )
    options = parser.parse_args(argv)
    queries = REAL_QUERIES if options.real else GENERATED_QUERIES
    started_rss = rss_mib()
    load_seconds, store = timed(load_store, options.corpus)
    store_rss = rss_mib()
    folder = None
    path = options.index
    if path is None:
        folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
        path = folder / "search.sqlite3"
    try:
        print(f"# Search benchmark: {options.corpus}\n\n{len(store):,} articles; Python {sys.version.split()[0]}; ")
        print(f"load average at start {load_average()}\n")
        print("## Index\n\n| measure | value |\n|---|--:|")
        print(f"| load + parse into the store | {load_seconds:.1f} s |")
        print(f"| RSS: start / store loaded | {started_rss:,.0f} / {store_rss:,.0f} MiB |")
        people_seconds, people = timed(gold_people if options.real else synthesise_people, store)
        source = "factRuEval gold spans" if options.real else "synthetic"
        half = Store()
        for number, article in enumerate(store):
            if number % 2:
                half.add(article)
                enrichment = store.enrichment(article.id)
                if enrichment is not None:
                    half.set_enrichment(article.fingerprint, enrichment)
        with held(options.lock):
            for name, value in build_or_open(path, store):
                print(f"| {name} | {value} |")
            print(f"| build floor | {build_floor(store)} |")
            if options.new:
                for name, value in incremental_rows(path, store, options.new):
                    print(f"| {name} | {value} |")
            print(f"| PER mentions ({source}; {people_seconds:.1f} s) | {people:,} |\n")
            index = SearchIndex(path)
            index.covers(store)  # once per store size, not per query
            print(f"## Queries (limit 200 hits, offsets and snippets included); load average {load_average()}\n")
            print(query_table(index, store, queries, options.baselines, options.rounds))
            index.covers(half)
            print(f"### The same, half the indexed articles gone from the store (stale rows); load {load_average()}\n")
            print(query_table(index, half, queries, False, options.rounds))
            index.close()
        if options.normalisation:
            vocabulary = sorted({word for article in list(store)[:3000] for word in words(article.text)})
            print("## Normalisation\n\n" + normalisation_table(vocabulary) + "\n")
        if options.find:
            print(find_matches_table(store, queries))
        print(f"\nload average at end {load_average()}")
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Search benchmark: normalisation choice, index build/open/size/RSS, query latency against a scan.

    python bench/bench_search.py bench/corpus-100k

Entity filters need entities; NER over 100k articles takes hours, so this marks the
generator's own people instead: every "First-name Surname" pair of make_corpus.py's
lists, in any of its case forms, becomes a PER mention keyed by the nominative name
(what the real pipeline would produce for those spans). `rg` is used for the literal
baseline when installed; otherwise a compiled case-insensitive regex over the texts in memory.
"""

import argparse
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import make_corpus as corpus_vocabulary
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.search.index import SearchIndex
from newsreader.search.matching import find_matches
from newsreader.search.normalise import fold, stem, word_forms, words
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store

QUERIES = {
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


def literal_text(query: str) -> str:
    text = query.split(" date:")[0]
    for old, new in LITERAL_EQUIVALENT.items():
        text = text.replace(old, new)
    return text


def literal_scan_seconds(store: Store, corpus: str, needle: str) -> float:
    """What grep-like tools cost for the same literal text: rg over the files, else a regex over memory."""
    if shutil.which("rg"):
        return timed(subprocess.run, ["rg", "-l", "-i", "-F", needle, corpus], {"capture_output": True})[0]
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    return timed(lambda: [article.id for article in store if pattern.search(article.text)])[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", metavar="CORPUS_DIR")
    options = parser.parse_args(argv)
    started_rss = rss_mib()
    load_seconds, store = timed(load_store, options.corpus)
    store_rss = rss_mib()
    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        index = SearchIndex(folder / "search.sqlite3")
        build_seconds, added = timed(index.add, store.ordered(newest_first=False))
        built_rss = rss_mib()
        index.close()
        open_seconds, index = timed(SearchIndex, folder / "search.sqlite3")
        size = sum(path.stat().st_size for path in folder.iterdir())
        people_seconds, people = timed(synthesise_people, store)
        vocabulary = sorted({word for article in list(store)[:3000] for word in words(article.text)})
        print(f"# Search benchmark: {options.corpus}\n\n{len(store):,} articles; Python {sys.version.split()[0]}\n")
        print("## Normalisation\n\n" + normalisation_table(vocabulary) + "\n")
        print("## Index\n\n| measure | value |\n|---|--:|")
        print(
            f"| load + parse into the store | {load_seconds:.1f} s |\n| index build ({added:,} articles) | "
            f"{build_seconds:.1f} s ({added / build_seconds:,.0f} articles/s) |\n| index open (existing file) | "
            f"{open_seconds * 1000:.0f} ms |\n| index size on disk | {size / 2**20:.0f} MiB |\n| RSS: start / store "
            f"loaded / after build | {started_rss:.0f} / {store_rss:.0f} / {built_rss:.0f} MiB |\n"
            f"| synthetic PER mentions ({people_seconds:.1f} s) | {people:,} |\n"
        )
        print(query_table(index, store, options.corpus))
        print(find_matches_table(store))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def load_store(corpus: str) -> Store:
    store = Store()
    for item in iter_articles([corpus]):
        if isinstance(item, Article):
            store.add(item)
    return store


def query_table(index: SearchIndex, store: Store, corpus: str) -> str:
    rows = [
        "## Queries (limit 200 hits, offsets and snippets included)\n",
        "| kind | index p50 ms | index p95 ms | hits (mean) | literal scan p50 ms | scan without index ms |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for kind, queries in QUERIES.items():
        samples, hits = [], []
        for query in queries:
            index.search(query, store)
            for _ in range(REPEATS):
                seconds, results = timed(index.search, query, store)
                samples.append(seconds * 1000)
                hits.append(len(results))
        scans = [literal_scan_seconds(store, corpus, literal_text(query)) * 1000 for query in queries[:3]]
        fallback = timed(search_without_index, queries[0], store)[0] * 1000
        rows.append(
            f"| {kind} | {statistics.median(samples):.1f} | {percentile(samples, 0.95):.1f} | "
            f"{statistics.mean(hits):.0f} | {statistics.median(scans):.0f} | {fallback:.0f} |"
        )
    return "\n".join(rows) + "\n"


def find_matches_table(store: Store) -> str:
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
    for kind, queries in QUERIES.items():
        samples, found = [], []
        for query in queries:
            find_matches(text, query)
            for _ in range(REPEATS):
                seconds, spans = timed(find_matches, text, query)
                samples.append(seconds * 1000)
                found.append(len(spans))
        rows.append(
            f"| {kind} | {statistics.median(samples):.2f} | {percentile(samples, 0.95):.2f} | "
            f"{statistics.mean(found):.0f} |"
        )
    samples = [timed(find_matches, text, literal_text(q), True)[0] * 1000 for qs in QUERIES.values() for q in qs]
    rows.append(f"| literal (same texts) | {statistics.median(samples):.2f} | {percentile(samples, 0.95):.2f} | – |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())

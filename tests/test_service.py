"""The enrichment service for real: worker processes, priority, and the disk cache."""

import os
import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path

import pytest

from conftest import SEED_FILE
from newsreader.ingest.load import Document
from newsreader.ingest.parse import iter_articles, parse
from newsreader.nlp import service as service_module
from newsreader.nlp.cache import EnrichmentCache
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import TextAnalysis
from newsreader.nlp.service import EnrichmentService
from proc_tree import end_all, still_running, wait_for, workers_of

EXIT_SECONDS = 10
IDLE_SECONDS = 0.5
PROMPT_SECONDS = 1.0  # a bound for a loaded test machine; bench/bench_dispatcher.py measures the real delay
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def make_articles(count: int):
    articles = []
    for number in range(count):
        header = f"date 2025-0{1 + number % 9}-1{number % 10}"
        text = f"{header}\nНовость номер {number}\n\nМинистр Иван Петров{number} прибыл в Москву 5 марта."
        articles.append(parse(Document(f"{number}.txt", f"{number}.txt", text, "utf-8"))[0])
    return articles


def run(articles, cache_path, urgent=None, workers=1):
    delivered, finished = [], threading.Event()
    expected = len({a.fingerprint for a in articles + ([urgent] if urgent else [])})

    def keep(article, enrichment):
        delivered.append((article, enrichment))
        if len(delivered) == expected:
            finished.set()

    warnings: list[str] = []
    service = EnrichmentService(keep, cache_path=cache_path, workers=workers, on_warning=warnings.append)
    service.submit(articles)
    if urgent is not None:
        service.submit([urgent], urgent=True)
    assert finished.wait(timeout=120), f"only {len(delivered)} of {expected} delivered; warnings: {warnings}"
    service.close()
    return delivered, service, warnings


@pytest.fixture
def cache_path(tmp_path):
    return tmp_path / "enrichment.sqlite3"


def test_seed_is_enriched_then_served_from_cache(cache_path):
    [seed] = [item for item in iter_articles([str(SEED_FILE)]) if not hasattr(item, "reason")]
    [(article, cold)], service, warnings = run([seed], cache_path)
    assert article is seed and warnings == []
    assert service.from_cache == 0
    assert {d.value for d in cold.dates} >= {"2025-06-30/2025-07-01", "2025-07", "2025-10-25", "2025-10-10"}
    assert any(e.key == "PER:евгений белоусов" for e in cold.entities)
    [(_, warm)], service, _ = run([seed], cache_path)
    assert service.from_cache == 1
    assert warm == cold


def test_changed_text_is_enriched_again(cache_path):
    [original] = make_articles(1)
    run([original], cache_path)
    text = "date 2025-01-10\nДругой текст\n\nГлава МИД Сергей Лавров прибыл в Баку."
    changed = parse(Document("0.txt", "0.txt", text, "utf-8"))[0]
    [(_, enrichment)], service, _ = run([changed], cache_path)
    assert service.from_cache == 0
    assert any(e.key == "PER:сергей лавров" for e in enrichment.entities)


def test_the_open_article_jumps_the_queue(cache_path):
    background = make_articles(12)
    urgent = make_articles(13)[-1]
    delivered, _, _ = run(background, cache_path, urgent=urgent)
    order = [article.fingerprint for article, _ in delivered]
    assert order.index(urgent.fingerprint) <= 2


def test_a_corrupt_cache_is_reported_and_replaced(cache_path):
    cache_path.write_bytes(b"garbage" * 1000)
    [seed] = make_articles(1)
    delivered, _, warnings = run([seed], cache_path)
    assert len(delivered) == 1
    assert any("corrupt cache" in warning for warning in warnings)


def delivering(articles, cache_path) -> tuple[EnrichmentService, list[str], threading.Event]:
    """A one-worker service, the fingerprints it delivers, and an event set once every one of `articles` is."""
    delivered, finished = [], threading.Event()

    def keep(article, enrichment):
        delivered.append(article.fingerprint)
        if len(delivered) == len(articles):
            finished.set()

    return EnrichmentService(keep, cache_path=cache_path, workers=1), delivered, finished


def test_the_next_articles_in_the_list_go_before_the_background_queue(cache_path):
    articles = make_articles(12)
    service, delivered, finished = delivering(articles, cache_path)
    service.submit(articles)
    service.submit(articles[-2:], soon=True)  # the reader showed articles[-3]: these are next
    assert finished.wait(timeout=120)
    service.close()
    assert max(delivered.index(article.fingerprint) for article in articles[-2:]) <= 3
    assert service.submitted == len(articles) and len(set(delivered)) == len(articles)


def huge_article():
    """~2 MB: its analysis takes more than 10 s."""
    body = "\n\n".join(f"Министр Иван Петров{number} прибыл в Москву 5 марта." for number in range(40_000))
    return parse(Document("huge.txt", "huge.txt", f"date 2025-03-05\nДлинная\n\n{body}", "utf-8"))[0]


def busy_on_a_huge_article(service: EnrichmentService, workers_before: set[int]) -> int:
    """Submit the huge article and return the pid of the worker it went to."""
    service.submit([huge_article()])
    [worker] = wait_for(lambda: [pid for pid in workers_of(os.getpid()) if pid not in workers_before], 60, "a worker")
    return worker


@linux_only
def test_close_does_not_wait_for_the_article_in_flight(cache_path):
    """Quitting must not wait for a long analysis: its worker is terminated."""
    before = set(workers_of(os.getpid()))
    service = EnrichmentService(lambda article, enrichment: None, cache_path=cache_path, workers=1)
    worker = busy_on_a_huge_article(service, before)
    service.close()
    assert end_all(still_running([worker], EXIT_SECONDS)) == []


def voluntary_context_switches(thread: threading.Thread) -> int:
    """How often `thread` has gone to sleep: each wake-up of a waiting thread is one more."""
    status = (Path("/proc/self/task") / str(thread.native_id) / "status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("voluntary_ctxt_switches")))


@pytest.fixture
def one_of_two_workers_busy(cache_path):
    """A service whose one worker of two is busy on the huge article; an article it has cached, so delivered the
    moment it is dispatched; and the times of delivery by fingerprint."""
    [cached] = make_articles(1)
    run([cached], cache_path)
    delivered: dict[str, float] = {}

    def note_when(article, enrichment) -> None:
        delivered.setdefault(article.fingerprint, time.monotonic())

    before = set(workers_of(os.getpid()))
    service = EnrichmentService(note_when, cache_path=cache_path, workers=2)
    try:
        busy_on_a_huge_article(service, before)
        yield service, cached, delivered
    finally:
        service.close()


@linux_only
def test_a_waiting_dispatcher_sleeps_yet_a_shown_article_and_close_reach_it_at_once(one_of_two_workers_busy):
    """No polling: while a worker is busy the dispatcher does not wake, and still nothing waits for a poll."""
    service, shown, delivered = one_of_two_workers_busy
    [dispatcher] = [thread for thread in threading.enumerate() if thread.name == "enrichment"]
    time.sleep(0.2)  # the huge text is on its way to the worker
    switches = voluntary_context_switches(dispatcher)
    time.sleep(IDLE_SECONDS)
    assert voluntary_context_switches(dispatcher) - switches <= 1, "the dispatcher woke while nothing happened"
    submitted = time.monotonic()
    service.submit([shown], soon=True)
    wait_for(lambda: shown.fingerprint in delivered, PROMPT_SECONDS * 10, "the shown article")
    assert delivered[shown.fingerprint] - submitted < PROMPT_SECONDS
    closing = time.monotonic()
    service.close()
    assert time.monotonic() - closing < PROMPT_SECONDS
    assert not service.running


def test_an_article_over_the_analysis_limit_is_analysed_up_to_it_with_a_warning(cache_path, monkeypatch):
    [seed] = [item for item in iter_articles([str(SEED_FILE)]) if not hasattr(item, "reason")]
    limit = len(seed.text) // 2
    monkeypatch.setattr("newsreader.nlp.enrich.MAX_ANALYSED_CHARS", limit)
    [(article, enrichment)], _, [warning] = run([seed], cache_path)
    assert warning.startswith(f"{seed.path}: only the first ") and "shown in full" in warning
    assert enrichment.entities and all(mention.end <= limit for mention in (*enrichment.entities, *enrichment.dates))
    assert max(mention.end for mention in enrichment.entities) > limit // 2, "the start is analysed as usual"
    assert article.text == seed.text


@linux_only
def test_opening_an_article_keeps_a_worker_free_for_the_next_one_for_a_while(one_of_two_workers_busy, monkeypatch):
    """While the reserve lasts, the background queue leaves the free worker alone; the moment it lapses, it is used."""
    service, queued, delivered = one_of_two_workers_busy
    reserve = 1.0
    monkeypatch.setattr("newsreader.nlp.service.RESERVE_SECONDS", reserve)
    opened = time.monotonic()
    service.submit([], urgent=True)  # the reader opened an article
    service.submit([queued])
    wait_for(lambda: queued.fingerprint in delivered, reserve + PROMPT_SECONDS * 10, "the queued article")
    assert reserve <= delivered[queued.fingerprint] - opened < reserve + PROMPT_SECONDS


def sized_article(name: str, chars: int):
    """An article whose text is about `chars` characters long."""
    body = ("Министр Иван Петров прибыл в Москву. " * (chars // 37 + 1))[:chars]
    return parse(Document(f"{name}.txt", f"{name}.txt", f"date 2025-03-05\n{name}\n\n{body}", "utf-8"))[0]


@pytest.fixture
def stopped_service(cache_path):
    """A service whose dispatcher has ended, so a test can ask it for tasks directly; and a cache for that."""
    service = EnrichmentService(lambda article, enrichment: None, cache_path=cache_path, workers=2)
    service.close()
    cache = EnrichmentCache(cache_path)
    yield service, cache
    cache.close()


def names(task) -> list[str]:
    return [article.title for article, _ in task.articles]


def test_tasks_batch_articles_and_one_worker_keeps_to_short_ones(stopped_service, monkeypatch):
    monkeypatch.setattr(service_module, "SHORT_CHARS", 1_000)
    monkeypatch.setattr(service_module, "BATCH_CHARS", 3_000)
    service, cache = stopped_service
    sizes = {"a": 400, "b": 2_000, "c": 400, "d": 900, "e": 1_500, "f": 400}
    service.submit([sized_article(name, chars) for name, chars in sizes.items()])
    finished: set[str] = set()
    short = service._next_task(cache, finished, {})
    assert names(short) == ["a", "c"] and short.short  # b is left for a worker on long tasks
    in_flight = {Future(): short}
    long = service._next_task(cache, finished, in_flight)
    assert names(long) == ["b", "d"] and not long.short  # in queue order, up to the batch size
    assert service._next_task(cache, finished, in_flight | {Future(): long}) is None  # both workers busy
    assert names(service._next_task(cache, finished, {Future(): long})) == ["f"]  # e is long: passed over
    assert names(service._next_task(cache, finished, {Future(): long})) == ["e"]  # as nothing else is queued
    service.submit([sized_article("g", 400)])
    service.submit([sized_article("open", 5_000)], urgent=True)
    opened = service._next_task(cache, finished, {})
    assert names(opened) == ["open"]  # alone, whatever its size
    seen = sized_article("seen", 400)
    cache.put_many([(seen.fingerprint, Enrichment((), (), ()))])
    service.submit([seen], urgent=True)
    assert service._next_task(cache, finished, {Future(): opened}) is None  # delivered from the cache; the other
    assert service.from_cache == 1  # worker stays free for the next article opened, g waits
    assert names(service._next_task(cache, finished, {})) == ["g"]


class RecordingPool:
    """Takes tasks without running them; two workers."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple]] = []
        self._processes = {101: None, 102: None}  # what stop_pool and worker_pids read

    def submit(self, function, *args) -> Future:
        self.calls.append((function.__name__, args[1:]))
        return Future()


def test_the_open_article_pauses_the_other_workers_unless_another_open_one_is_in_flight(stopped_service):
    """Two open articles in flight would pause each other's workers: only the first pauses; background tasks never."""
    service, cache = stopped_service
    pool, finished = RecordingPool(), set()
    service.submit([sized_article("background", 400)])
    background = service._next_task(cache, finished, {})
    service.submit([sized_article("open", 400)], urgent=True)
    opened = service._next_task(cache, finished, {})
    service.submit([sized_article("next", 400)], urgent=True)
    following = service._next_task(cache, finished, {})
    assert (background.urgent, opened.urgent, following.urgent) == (False, True, True)
    in_flight = {service._start(pool, background, {}): background}
    in_flight[service._start(pool, opened, in_flight)] = opened
    service._start(pool, following, in_flight)
    assert pool.calls == [("_enrich_in_worker", ()), ("_enrich_alone", ([101, 102],)), ("_enrich_in_worker", ())]


class NoEntities:
    def analyze_many(self, texts):
        return [TextAnalysis((), ()) for _ in texts]


def test_only_background_tasks_are_analysed_at_the_pools_low_priority(monkeypatch):
    """In a worker, `in_background` runs on the lowered thread; the open article is analysed without it, at the
    app's priority."""
    lowered = []
    monkeypatch.setattr(
        service_module, "in_background", lambda function, *args: lowered.append(args) or function(*args)
    )
    monkeypatch.setattr(service_module, "_recognizer", NoEntities())
    opened, background = [("Москва".encode(), None)], [("Берлин".encode(), None)]
    assert service_module._enrich_alone(opened, []) and lowered == []
    assert service_module._enrich_in_worker(background) and lowered == [(background,)]


def test_an_article_that_breaks_a_task_fails_alone(monkeypatch):
    class Breaks:
        def analyze_many(self, texts):
            if any("сломай" in text for text in texts):
                raise ValueError("broken on purpose")
            return [TextAnalysis((), ()) for _ in texts]

    monkeypatch.setattr(service_module, "_recognizer", Breaks())
    good, bad = "Обычный текст 5 марта 2024 года.".encode(), "сломай".encode()
    results = service_module._enrich_in_worker([(good, None), (bad, None), (good, None)])
    assert results[1] == "ValueError: broken on purpose"
    assert results[0] == results[2] and results[0][1] and not results[0][0]  # its date found, no entities


class CountedReads(list):
    """A list that counts the articles read out of it, to see when the service reads its queue."""

    read = 0

    def __iter__(self):
        for article in super().__iter__():
            self.read += 1
            yield article


def test_the_background_queue_is_read_only_as_workers_take_from_it(stopped_service, monkeypatch):
    monkeypatch.setattr(service_module, "BATCH_CHARS", 1_000)
    service, cache = stopped_service
    background = CountedReads(sized_article(name, 400) for name in "abcdef")
    service.submit(background)
    assert background.read == 0 and service.submitted == 6  # queueing costs the caller nothing per article
    service.submit([background[4]], urgent=True)
    assert service.submitted == 6  # the open article is one of the queued ones, counted once
    service.submit([sized_article("elsewhere", 400)], soon=True)
    assert service.submitted == 6  # taken to be queued too, until the queue is read through

    finished: set[str] = set()
    opened = service._next_task(cache, finished, {})
    assert names(opened) == ["e"]
    assert names(service._next_task(cache, finished, {})) == ["elsewhere", "a"]  # the next ones, then the queue
    assert background.read == 2  # b was read, did not fit, and waits at the head of the queue
    assert names(service._next_task(cache, finished, {})) == ["b", "c"]
    assert names(service._next_task(cache, finished, {})) == ["d", "f"]
    assert service._next_task(cache, finished, {}) is None
    assert background.read == 6 and service.submitted == 7  # e was read again, and skipped; elsewhere counts


def test_an_article_opened_before_the_archive_is_queued_is_counted_once(cache_path):
    """The reader restores the last article read and opens it before the loaded archive is queued behind it:
    the progress said "analysing 0/334" for 333 articles."""
    articles = make_articles(6)
    service, delivered, finished = delivering(articles, cache_path)
    service.submit(articles[2:3], urgent=True)
    service.submit(articles)
    assert service.submitted == len(articles)
    assert finished.wait(timeout=120)
    service.close()
    assert service.submitted == len(articles) and sorted(delivered) == sorted(a.fingerprint for a in articles)

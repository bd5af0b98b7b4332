"""`newsreader analyse`: local processes and a dask LocalCluster give the same cache; reruns do only the rest."""

import time

import pytest

from conftest import article_bytes
from newsreader.analysis import cluster as cluster_module
from newsreader.analysis.archive import analyse_archive
from newsreader.analysis.progress import AnalysisFailed
from newsreader.cli.extract import load_store
from newsreader.cli.main import main
from newsreader.nlp import service as service_module
from newsreader.nlp.cache import CACHE_FILE, EnrichmentCache, default_cache_path
from newsreader.nlp.service import EnrichmentService

distributed = pytest.importorskip("distributed")

BODIES = [
    "Президент России Владимир Путин провёл встречу с министрами в Москве 3 марта.",
    "Мэр Санкт-Петербурга Александр Беглов открыл новую станцию метро.",
    "Министр иностранных дел Сергей Лавров прибыл в Баку на переговоры.",
    "Глава Сбербанка Герман Греф выступил на форуме в Сочи в пятницу.",
    "Депутаты Государственной думы обсудили бюджет на следующий год.",
    "Губернатор Московской области Андрей Воробьёв посетил Коломну.",
]


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for number, body in enumerate(BODIES):
        (folder / f"{number}.txt").write_bytes(article_bytes(f"Новость {number}", body=body))
    return folder


@pytest.fixture
def articles(archive):
    return load_store([str(archive)], max_bytes=2**20)[1]


@pytest.fixture(scope="module")
def cluster():
    """One in-process worker with one thread: its models load once for the module."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        yield cluster


@pytest.fixture
def scheduler(cluster):
    return cluster.scheduler_address


def forbid_nlp(monkeypatch):
    """Any article sent to local workers fails the run (the analysis thread dies, and says so)."""

    def refuse(self):
        raise AssertionError("NLP was asked for")

    monkeypatch.setattr(EnrichmentService, "_new_pool", refuse)


@pytest.fixture
def no_nlp(monkeypatch):
    forbid_nlp(monkeypatch)


def cached(path, articles):
    cache = EnrichmentCache(path)
    try:
        return {article.fingerprint: cache.get(article.fingerprint, article.text) for article in articles}
    finally:
        cache.close()


def test_the_cluster_gives_the_cache_local_processes_give(tmp_path, articles, scheduler):
    local = analyse_archive(articles, output=tmp_path / "local", workers=1, index=False)
    on_cluster = analyse_archive(articles, output=tmp_path / "cluster", scheduler=scheduler, index=False)
    for summary in (local, on_cluster):
        assert (summary.progress.analysed, summary.progress.cached, summary.progress.failed) == (len(BODIES), 0, 0)
    expected = cached(local.cache_path, articles)
    assert all(expected.values()) and sum(len(each.entities) for each in expected.values()) >= len(BODIES)
    assert cached(on_cluster.cache_path, articles) == expected


def test_a_second_run_does_no_nlp_and_says_so(archive, capsys, monkeypatch, scheduler):
    assert main(["analyse", str(archive), "--workers", "1"]) == 0
    out, _ = capsys.readouterr()
    assert f"{len(BODIES)} articles: {len(BODIES)} analysed now, 0 already cached, 0 failed" in out
    assert f"analysis cache: {default_cache_path()}" in out and "search index:" in out
    forbid_nlp(monkeypatch)
    assert main(["analyse", str(archive), "--workers", "1"]) == 0
    assert f"nothing to analyse: all {len(BODIES)} articles were already in the cache" in capsys.readouterr().out
    assert main(["analyse", str(archive), "--scheduler", scheduler, "--no-index"]) == 0
    out, _ = capsys.readouterr()
    assert "nothing to analyse" in out and "search index" not in out


class Stop(Exception):
    pass


def stop_after(count):
    def check(progress):
        if progress.analysed >= count:
            raise Stop

    return check


def test_a_cluster_run_stopped_halfway_resumes_with_the_rest(tmp_path, articles, cluster, monkeypatch):
    monkeypatch.setattr(cluster_module, "BATCH_CHARS", 1)  # one article a batch
    output, scheduler = tmp_path / "out", cluster.scheduler_address
    with pytest.raises(Stop):
        analyse_archive(articles, output=output, scheduler=scheduler, index=False, on_progress=stop_after(2))
    for _ in range(100):  # the batches in flight are cancelled, and the scheduler forgets them
        if not cluster.scheduler.tasks:
            break
        time.sleep(0.05)
    assert not cluster.scheduler.tasks
    kept = sum(1 for each in cached(output / CACHE_FILE, articles).values() if each is not None)
    assert 2 <= kept < len(BODIES)
    rest = analyse_archive(articles, output=output, scheduler=scheduler, index=False)
    assert (rest.progress.cached, rest.progress.analysed) == (kept, len(BODIES) - kept)
    assert all(cached(output / CACHE_FILE, articles).values())


def test_a_local_run_stopped_halfway_resumes_with_the_rest(tmp_path, articles, monkeypatch):
    monkeypatch.setattr(service_module, "BATCH_CHARS", 1)
    monkeypatch.setattr(service_module, "SHORT_CHARS", 1)
    deliver = EnrichmentService._deliver

    def killed_after_two(self, article, enrichment):  # the analysis dies as the third result comes in
        if self.done >= 2:
            raise RuntimeError("killed")
        deliver(self, article, enrichment)

    monkeypatch.setattr(EnrichmentService, "_deliver", killed_after_two)
    output = tmp_path / "out"
    with pytest.raises(AnalysisFailed, match="analysis stopped with 2 of 6 articles done"):
        analyse_archive(articles, output=output, workers=1, index=False)
    kept = sum(1 for each in cached(output / CACHE_FILE, articles).values() if each is not None)
    assert kept == 2, "what was delivered before it died is written"
    monkeypatch.setattr(EnrichmentService, "_deliver", deliver)
    rest = analyse_archive(articles, output=output, workers=1, index=False)
    assert (rest.progress.cached, rest.progress.analysed) == (kept, len(BODIES) - kept)


def test_a_failing_batch_is_sent_again_once_then_its_articles_are_reported(tmp_path, articles, scheduler, monkeypatch):
    monkeypatch.setattr(cluster_module, "BATCH_CHARS", 1)
    real_payloads, calls = service_module.payloads, []

    def flaky(recognizer, batch):  # the worker is in this process: "Лавров" always fails, "Греф" the first time
        text = batch[0][0].decode()
        calls.append(text)
        if "Лавров" in text or ("Греф" in text and sum("Греф" in each for each in calls) == 1):
            raise OSError("disk on fire")
        return real_payloads(recognizer, batch)

    monkeypatch.setattr(service_module, "payloads", flaky)
    warnings = []
    summary = analyse_archive(
        articles, output=tmp_path / "out", scheduler=scheduler, index=False, on_warning=warnings.append
    )
    assert (summary.progress.analysed, summary.progress.failed) == (len(BODIES) - 1, 1)
    assert sum("Лавров" in each for each in calls) == 2 and sum("Греф" in each for each in calls) == 2
    assert sum("sent again" in each for each in warnings) == 2
    [failed] = [each for each in warnings if "enrichment failed" in each]
    assert failed.endswith("2.txt: enrichment failed (RuntimeError: OSError: disk on fire)")
    left = [article for article, each in cached(summary.cache_path, articles).items() if each is None]
    assert len(left) == 1, "the failed article is not cached: a rerun tries it again"


def test_workers_of_another_analysis_version_stop_the_run(tmp_path, articles, scheduler, monkeypatch):
    monkeypatch.setattr(cluster_module, "ENRICHMENT_VERSION", "e0-d0-s0-p0")
    with pytest.raises(AnalysisFailed, match="install the same newsreader version on every host"):
        analyse_archive(articles, output=tmp_path / "out", scheduler=scheduler, index=False)


def test_an_unreachable_scheduler_is_said_at_once(tmp_path, archive, capsys, monkeypatch):
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1)
    assert main(["analyse", str(archive), "--scheduler", "tcp://127.0.0.1:1"]) == 1
    assert "newsreader analyse: cannot reach the dask scheduler at tcp://127.0.0.1:1" in capsys.readouterr().err


def test_an_output_folder_that_cannot_hold_a_cache_stops_before_any_work(tmp_path, archive, capsys, no_nlp):
    (tmp_path / "file").write_text("not a folder")
    assert main(["analyse", str(archive), "--output", str(tmp_path / "file")]) == 1
    assert "cannot open the analysis cache" in capsys.readouterr().err


@pytest.mark.parametrize("arguments", [["--workers", "0"], ["--workers", "2", "--scheduler", "tcp://x:1"]])
def test_bad_arguments_are_refused(archive, arguments, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["analyse", str(archive), *arguments])
    assert exit.value.code == 2

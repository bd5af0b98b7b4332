"""A big cold load is read in worker processes, gives what a load in the app gives, and ends its workers."""

import os

from conftest import article_bytes
from newsreader.ingest import parallel
from newsreader.ingest.parse import iter_articles
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.controllers import loading as loading_module
from proc_tree import still_running, workers_of

FILES = 1500  # the first chunks are read here while the workers answer their first task


async def test_a_big_cold_load_is_read_in_worker_processes_which_end_with_it(tmp_path, monkeypatch):
    for number in range(FILES):
        header = f"date 2025-0{1 + number % 9}-{10 + number % 19}"
        (tmp_path / f"{number:04}.txt").write_bytes(article_bytes(f"Статья {number}", header=header))
    monkeypatch.setattr(parallel, "POOL_AFTER", 16)  # workers once 16 files are read here, not 4,096
    chunks_sent = []
    real_pool = loading_module.background_pool

    def counted_pool(workers):
        pool = real_pool(workers, niceness=0)
        submit = pool.submit
        for started in [submit(parallel._started) for _ in range(workers)]:
            started.result()  # spawning takes longer than reading this small archive here

        def counted_submit(task, *args):
            if task is parallel._started:  # the loader asks whether its workers are up: they are
                return started
            chunks_sent.append(task)
            return submit(task, *args)

        pool.submit = counted_submit
        return pool

    monkeypatch.setattr(loading_module, "background_pool", counted_pool)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert parallel.read_chunk in chunks_sent, "no chunk went to a worker"
        read_here = [item.fingerprint for item in iter_articles([str(tmp_path)])]
        assert sorted(article.fingerprint for article in app.store) == sorted(read_here)
        assert still_running(workers_of(os.getpid()), timeout=10) == [], "the load's workers outlived it"

"""CPU of each step of a warm start, in one process with the collector paused as in the app: the
"Where the time goes at 10^6" table of docs/benchmarks.md, "Warm start". Each run is a fresh process;
medians of RUNS. The snapshot folder is one `bench_warm_start.py --keep DIR` left (DIR/<corpus>/
xdg_cache_home/newsreader/snapshots), the root the corpus it was made for.

    python bench/profile_warm_start.py /tmp/keep/gen-1m/xdg_cache_home/newsreader/snapshots /work/corpora/gen-1m 3
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_BYTES = 8 << 20  # the default --max-size, as the bench runs the app


def once(snapshot_folder: str, root: str) -> dict[str, Any]:
    from newsreader.ingest.snapshot import Rescan, Snapshot
    from newsreader.store.corpus import Store, article_maps
    from newsreader.ui.controllers import loading

    path = next(Path(snapshot_folder).glob("*.snapshot"))
    out: dict[str, Any] = {}

    def step(name: str, work: Callable[[], Any]) -> Any:
        thread, process = time.thread_time(), time.process_time()
        result = work()
        out[name] = (time.thread_time() - thread, time.process_time() - process)
        return result

    gc.disable()
    snapshot = Snapshot(path, [root], MAX_BYTES)
    head = step("head (UI)", snapshot.head)
    shown = Store()
    shown.add_many(head)
    journal = step("rows (loading; process: + read thread)", lambda: snapshot.journal(head, made=gc.freeze))
    message = step("store from plan (loading)", lambda: loading._replay(journal, snapshot.plan()))  # noqa: SLF001
    unmapped = message.store.unmapped
    step("absorb + both orders (UI)", lambda: (shown.absorb(message.store), shown.ordered(True), shown.ordered(False)))
    maps = step("lookup maps, after the list (loading)", lambda: article_maps(unmapped))
    shown.map_with(unmapped, maps)
    step("index by file name for the check (loading)", lambda: Rescan(journal))
    out["articles"] = len(shown)
    return out


def main() -> None:
    if sys.argv[1] == "--once":
        print(json.dumps(once(sys.argv[2], sys.argv[3])))
        return
    folder, root, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3
    command = [sys.executable, __file__, "--once", folder, root]
    results = [
        json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout) for _ in range(runs)
    ]
    print(f"{results[0]['articles']:,} articles, medians of {runs}; CPU of the thread / of the process")
    for name in results[0]:
        if name != "articles":
            thread = statistics.median(result[name][0] for result in results)
            process = statistics.median(result[name][1] for result in results)
            print(f"| {name} | {thread:.3f} s | {process:.3f} s |")


if __name__ == "__main__":
    main()

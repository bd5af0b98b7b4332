"""Reading-experience benchmark: first paint, key-to-frame latency, opening an unanalysed article, memory.

Measures, in one run, on a generated corpus (100k articles for the issue's targets):

1. Time to first paint: from process start (the parent's clock, just before it
   starts the child) until the child has painted the first frame with article
   rows, against an empty Textual app's first frame. Each run is a fresh child
   process, headless, at one terminal size. Cold once (fresh XDG dirs, and the
   page cache dropped when we may: root can write /proc/sys/vm/drop_caches),
   then warm runs of the two apps interleaved; medians.
2. Key-to-frame latency while analysis runs: one headless app (`run_test`) with
   analysis on and a fresh cache; after loading, `j` in the list (paced, a fast
   reader's five presses a second, then held at key-repeat rate), `]` and `j` in
   the reader. Keys are sent from a
   thread the way the terminal driver's input thread sends them, and
   each is timed to the end of the first frame that shows its effect.
3. Opening a not-yet-analysed article far down the list while the pool is busy
   with the background queue, until the frame that shows it highlighted.
4. Peak RSS (VmHWM) of the app process and of each child (NER workers, the
   multiprocessing resource tracker) after 2 and 3.
5. A projection: every article given a (reused, rebuilt) result, as if the
   analysis had finished, to time what grows with it (`--no-projection` skips).

Headless Textual skips turning a frame into terminal escape codes; the bench
apps here pay that cost anyway (`CompositorUpdate.render_segments`), so a frame
costs what it would on a terminal, minus the write to the tty.

During 2-3 a tracer records where the UI thread's time goes (frames, the app's
busiest handlers, GC pauses, idle time in the event loop) and what each key
waited for. `--what-if FILE` monkeypatches a trial fix into the interactive
child only, to measure a suggestion without editing the package.

How it hooks in. The app's own work is timed through its documented hook,
`newsreader.tracing` (spans of the main screen's mount, stored batches and results,
the views refresh and the reader following the list; an analysis result's arrival
is the start of its span); GC pauses through `gc.callbacks`; keys are posted with
`App.post_message` from a coroutine run on the app's loop, the path of Textual's
`Driver.send_message`. Nothing of newsreader is patched. Three internals remain,
for want of a public API (checked against Textual 8.2.8, CPython 3.11):

- `App._display`, overridden by `frame_clock`: the one place a frame is known to be
  painted (no event or hook follows a screen update); it reads `_batch_count`,
  `_running` and `_closed` to tell a painted frame, and calls
  `textual._compositor.CompositorUpdate.render_segments` to pay the encoding
  headless mode skips.
- `Screen._on_timer_update`, wrapped by the tracer: the screen update (layout,
  render, frame), which no public hook surrounds.
- the event loop's selector (`loop._selector.select`, asyncio's): time blocked in
  it is idle time; asyncio has no public idle hook.

    python bench/bench_ui.py bench/corpus-100k --runs 5 --json bench/results/ui-100k.json
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEFAULT_SIZE = (120, 40)
CHILD_TIMEOUT = 300


# -- helpers shared by parent and children ------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p99 of 300 values is the 297th smallest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "mean": statistics.mean(values),
        "median": statistics.median(values),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "max": max(values),
        "min": min(values),
    }


def proc_status(pid: int | str) -> dict[str, int]:
    """VmHWM and VmRSS of a process in KiB, from /proc."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                found[name] = int(value.split()[0])
    except OSError:
        pass
    return found


def process_tree_memory(pid: int) -> list[dict]:
    """The process and all its descendants: pid, role, VmHWM and VmRSS in MiB."""
    rows, pending = [], [(pid, 0)]
    while pending:
        current, depth = pending.pop(0)
        try:
            command = Path(f"/proc/{current}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if depth == 0:
            role = "app"
        elif "resource_tracker" in command:
            role = "resource tracker"
        elif "spawn_main" in command:
            role = "NER worker"
        else:
            role = command[:60]
        status = proc_status(current)
        rows.append(
            {
                "pid": current,
                "role": role,
                "hwm_mib": status.get("VmHWM", 0) / 1024,
                "rss_mib": status.get("VmRSS", 0) / 1024,
            }
        )
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [(int(child), depth + 1) for child in children.read_text().split()]
            except OSError:
                pass
    return rows


def app_css(app_class) -> list[Path]:
    """The app's CSS files by absolute path: Textual resolves relative ones next to the subclass's module."""
    import inspect

    folder = Path(inspect.getfile(app_class)).parent
    return [folder / path for path in app_class.CSS_PATH]


def frame_clock():
    """A mixin for an App: pays the terminal encoding headless mode skips, then calls `frame_painted(now)`."""
    from textual._compositor import CompositorUpdate

    class FrameClock:
        def _display(self, screen, renderable) -> None:
            painted = renderable is not None and not self._batch_count and self._running and not self._closed
            if painted and self.is_headless and isinstance(renderable, CompositorUpdate):
                renderable.render_segments(self.console)  # what a terminal frame costs besides the write
            super()._display(screen, renderable)
            if painted:
                self.frame_painted(time.monotonic())

        def frame_painted(self, now: float) -> None:
            pass

    return FrameClock


def send_key(app, loop, key: str) -> float:
    """From a thread, as the terminal driver's input thread does: a coroutine on the app's loop posts the key
    (Textual's `Driver.send_message`), so a key waits for the UI thread if it is busy. Returns when it was sent."""
    import asyncio

    from textual import events

    sent = time.monotonic()
    event = events.Key(key, {"right_square_bracket": "]", "enter": "\r"}.get(key, key))
    event.set_sender(app)

    async def post() -> None:
        app.post_message(event)

    asyncio.run_coroutine_threadsafe(post(), loop)
    return sent


class Tracer:
    """Where the UI thread's time goes: frames, the app's busiest handlers, GC pauses, and idle time in the event loop.

    Listens to the app's spans (`newsreader.tracing`), wraps Textual's screen update (`Screen._on_timer_update`:
    layout, render and the frame) and the event loop's selector (time blocked waiting = idle), and hears
    `gc.callbacks`. Each costs about a microsecond; spans are (kind, start, end) on the monotonic clock.
    """

    FRAME = "frame (layout + render)"
    FIRST_ARTICLES = "first articles, during mount"

    @staticmethod
    def columns() -> dict[str, str]:
        """Kind -> heading of its column in the printed table (newsreader is imported by the children that need it)."""
        from newsreader import tracing

        return {
            Tracer.FRAME: Tracer.FRAME,
            tracing.ARTICLES_STORED: "loaded batch",
            tracing.ANALYSIS_STORED: "analysis stored (enriched)",
            tracing.VIEWS_REFRESH: "views refresh (timeline etc., every 1 s)",
            tracing.READER_FOLLOWS_LIST: "reader follows list (show in reader)",
        }

    def __init__(self) -> None:
        import gc

        from textual.screen import Screen

        from newsreader import tracing

        self.spans: list[tuple[str, float, float]] = []
        self.idle: list[tuple[float, float]] = []
        self._mounted = False
        self._stored, self._mount = tracing.ARTICLES_STORED, tracing.MAIN_SCREEN_MOUNT
        update = Screen._on_timer_update

        def timed_update(screen) -> None:
            started = time.monotonic()
            try:
                update(screen)
            finally:
                self.spans.append((self.FRAME, started, time.monotonic()))

        Screen._on_timer_update = timed_update  # Textual's own: no public hook surrounds a screen update
        tracing.listen(self._span)
        self._gc_started = 0.0
        gc.callbacks.append(self._gc)

    def _span(self, name: str, start: float, end: float) -> None:
        """The first articles are stored inside the mount, before any batch from the loading thread: not a batch."""
        if name == self._stored and not self._mounted:
            name = self.FIRST_ARTICLES
        self._mounted |= name == self._mount
        self.spans.append((name, start, end))

    def _gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = time.monotonic()
        elif threading.current_thread() is threading.main_thread():
            self.spans.append((f"GC generation {info['generation']} (UI thread)", self._gc_started, time.monotonic()))

    def watch_loop(self, loop) -> None:
        selector = loop._selector
        original = selector.select

        def select(timeout=None):
            started = time.monotonic()
            try:
                return original(timeout)
            finally:
                self.idle.append((started, time.monotonic()))

        selector.select = select

    def summarise(self, start: float, end: float) -> dict:
        wall = end - start
        idle = sum(max(0.0, min(b, end) - max(a, start)) for a, b in self.idle)
        kinds: dict[str, list[float]] = {}
        for kind, a, b in self.spans:
            if start <= a < end:
                kinds.setdefault(kind, []).append((b - a) * 1000)
        return {
            "wall_s": wall,
            "busy_share": 1 - idle / wall if wall else 0.0,
            "kinds": {
                kind: {
                    "count": len(values),
                    "per_s": len(values) / wall,
                    "total_ms": sum(values),
                    "share": sum(values) / 1000 / wall,
                    "mean_ms": statistics.mean(values),
                    "p95_ms": percentile(values, 0.95),
                    "max_ms": max(values),
                }
                for kind, values in sorted(kinds.items(), key=lambda item: -sum(item[1]))
            },
        }

    def within(self, start: float, end: float) -> list[tuple[str, float, float]]:
        """The spans that overlap [start, end], in ms from `start`: what one wait was made of."""
        idle = [("idle", a, b) for a, b in self.idle[-200:]]
        return [
            (kind, (a - start) * 1000, (b - start) * 1000)
            for kind, a, b in [*self.spans, *idle]
            if a < end and b > start
        ]

    def blame(self, waits: list[tuple[float, float]]) -> dict[str, float]:
        """Mean ms per wait spent inside each kind of span (spans may nest: GC inside a frame counts twice)."""
        totals: dict[str, float] = {}
        for a, b in waits:
            for kind, start, end in self.spans:
                overlap = min(b, end) - max(a, start)
                if overlap > 0:
                    totals[kind] = totals.get(kind, 0.0) + overlap * 1000
        if not waits:
            return {}
        return {kind: total / len(waits) for kind, total in sorted(totals.items(), key=lambda item: -item[1])}


# -- child 1: first paint -----------------------------------------------------------------


def child_first_paint(kind: str, corpus: str, report_fd: int, size: tuple[int, int]) -> None:
    """Run an app headless until its first frame (with article rows), report the clock marks, exit."""
    marks = {"main": time.monotonic()}
    report = os.fdopen(report_fd, "w")
    from textual.app import App

    FrameClock = frame_clock()
    if kind == "empty":
        marks["imports"] = time.monotonic()

        class Bench(FrameClock, App):
            def frame_painted(self, now: float) -> None:
                if "painted" not in marks:
                    marks["painted"] = marks["first_frame"] = now
                    report.write(json.dumps(marks) + "\n")
                    report.flush()
                    self.exit()

        app = Bench()
    else:
        from newsreader import tracing
        from newsreader.ui.app import NewsreaderApp
        from newsreader.ui.widgets.article_list import ArticleList

        marks["imports"] = time.monotonic()

        def mark(name: str, start: float, end: float) -> None:
            """The main screen's mount begins; the first articles (read during it) begin to be stored."""
            if name in span_marks:
                marks.setdefault(span_marks[name], start)

        span_marks = {tracing.MAIN_SCREEN_MOUNT: "mount", tracing.ARTICLES_STORED: "first_batch"}
        tracing.listen(mark)

        class Bench(FrameClock, NewsreaderApp):
            CSS_PATH = app_css(NewsreaderApp)

            def frame_painted(self, now: float) -> None:
                marks.setdefault("first_frame", now)
                if "painted" not in marks and self.query_one(ArticleList).row_count:
                    marks["painted"] = now
                    marks["rows"] = self.query_one(ArticleList).row_count
                    report.write(json.dumps(marks) + "\n")
                    report.flush()
                    self.exit()

        app = Bench([corpus])
    app.run(headless=True, size=size)


# -- child 2: keys, opening, memory ---------------------------------------------------------


def child_interact(corpus: str, report_fd: int, size: tuple[int, int], options: dict) -> None:
    import asyncio

    from newsreader import tracing
    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.widgets.article_list import ArticleList
    from newsreader.ui.widgets.reader import ReaderPane

    what_if = None
    if options.get("what_if"):  # a trial fix, monkeypatched in this child only
        import importlib.util

        spec = importlib.util.spec_from_file_location("what_if", options["what_if"])
        what_if = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(what_if)
    FrameClock = frame_clock()
    tracer = Tracer()

    class Bench(FrameClock, NewsreaderApp):
        CSS_PATH = app_css(NewsreaderApp)

        def __init__(self, paths: list[str]) -> None:
            super().__init__(paths)
            self.frames: list[tuple[float, object]] = []
            self.probe = lambda: None
            self.loop: asyncio.AbstractEventLoop | None = None  # the one it runs on, for keys sent from a thread
            self.waiter: tuple[object, asyncio.Future] | None = None

        def frame_painted(self, now: float) -> None:
            signature = self.probe()
            self.frames.append((now, signature))
            if self.waiter is not None:
                condition, future = self.waiter
                if condition(signature) and not future.done():
                    future.set_result(now)

        async def frame_where(self, condition, timeout: float = 5.0) -> float | None:
            """The end time of the next frame whose probe satisfies `condition`."""
            future = asyncio.get_running_loop().create_future()
            self.waiter = (condition, future)
            try:
                return await asyncio.wait_for(future, timeout)
            except TimeoutError:
                return None
            finally:
                self.waiter = None

    app = Bench([corpus])

    def send_at(key: str, when: float) -> float:
        """From a thread, as the terminal driver does: the key waits for the UI thread if it is busy."""
        time.sleep(max(0.0, when - time.monotonic()))
        return send_key(app, app.loop, key)

    def send_schedule(key: str, times: list[float]) -> list[float]:
        return [send_at(key, when) for when in times]

    def frames_after(start_index: int, sent: float) -> list[tuple[float, object]]:
        return [frame for frame in app.frames[start_index:] if frame[0] > sent]

    async def next_frame(start_index: int, after: float, condition, timeout: float = 5.0) -> float | None:
        """End time of the first frame after `after` whose probe satisfies `condition`, painted or still to come."""
        for painted, signature in frames_after(start_index, after):
            if condition(signature):
                return painted
        return await app.frame_where(condition, timeout)  # no await in between: no frame can slip by

    jitter = random.Random(1)
    result: dict = {"size": list(size)}
    blame_waits: dict[str, list[tuple[float, float]]] = {"list_paced": [], "list_held": [], "reader": [], "open": []}

    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        """A line in the children's log, to line profiles up with the phases."""
        phases[name] = time.monotonic()
        sys.stderr.write(f"bench_ui phase {name} pid {os.getpid()} at {time.monotonic():.3f}\n")
        sys.stderr.flush()

    async def list_paced(count: int, spacing: float) -> dict:
        """`j` in the list, one press at a time, about `spacing` apart (a fast reader, not a held key)."""
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        app.probe = lambda: (article_list.cursor, reader.article.id if reader.article else None)
        first, complete, skipped = [], [], 0
        next_send = time.monotonic()
        for _ in range(count):
            cursor = article_list.cursor
            if cursor + 1 >= article_list.row_count:
                break
            wanted = (cursor + 1, article_list.article_at(cursor + 1).id)
            start = len(app.frames)
            sent = await asyncio.to_thread(send_at, "j", next_send)
            moved = await next_frame(start, sent, lambda signature, wanted=wanted: signature[0] == wanted[0])
            done = await next_frame(start, sent, lambda signature, wanted=wanted: signature == wanted, timeout=1.0)
            if moved is None:
                skipped += 1
            else:
                first.append((moved - sent) * 1000)
                blame_waits["list_paced"].append((sent, moved))
                if done is not None:
                    complete.append((done - sent) * 1000)
            next_send = max(sent + spacing + jitter.uniform(0, 0.010), time.monotonic() + 0.002)
        return {"first_ms": first, "complete_ms": complete, "timed_out": skipped}

    async def list_held(count: int, rate: float) -> dict:
        """`j` held down: keys at the terminal's repeat rate, whether or not the UI has caught up."""
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        app.probe = lambda: (article_list.cursor, reader.article.id if reader.article else None)
        cursor = article_list.cursor
        count = min(count, article_list.row_count - 1 - cursor)
        if count <= 0:
            return {"first_ms": [], "rate": rate, "last_key_to_reader_ms": None}
        start = len(app.frames)
        begin = time.monotonic() + 0.05
        sent = await asyncio.to_thread(send_schedule, "j", [begin + index / rate for index in range(count)])
        await next_frame(start, sent[-1], lambda signature: signature[0] >= cursor + count, timeout=10)
        await asyncio.sleep(0.3)
        first = []
        for index, when in enumerate(sent):
            shown = next((t for t, signature in frames_after(start, when) if signature[0] >= cursor + index + 1), None)
            if shown is not None:
                first.append((shown - when) * 1000)
                blame_waits["list_held"].append((when, shown))
        final_reader = reader.article.id if reader.article else None
        caught_up = next(
            (t for t, signature in frames_after(start, sent[-1]) if signature == (cursor + count, final_reader)), None
        )
        return {
            "first_ms": first,
            "rate": rate,
            "last_key_to_reader_ms": (caught_up - sent[-1]) * 1000 if caught_up else None,
        }

    async def reader_keys(count: int, spacing: float, settle: float) -> dict:
        """`]` and `j` in turn in the reader, on the longest article analysed so far."""
        reader = app.query_one(ReaderPane)
        analysed = [article for article in app.store if app.store.enrichment(article.id) is not None]
        article = max(analysed, key=lambda each: len(each.text))
        app.main.reading.open_article_by_id(article.id)
        await asyncio.sleep(0.3)
        app.probe = lambda: (reader.mention, reader.scroll_y)
        timings: dict[str, dict[str, list[float]]] = {
            key: {"first_ms": [], "complete_ms": []} for key in ("right_square_bracket", "j")
        }
        no_effect = {key: 0 for key in timings}
        next_send = time.monotonic()
        for index in range(count):
            key = "right_square_bracket" if index % 2 == 0 else "j"
            before = app.probe()
            start = len(app.frames)
            sent = await asyncio.to_thread(send_at, key, next_send)
            await asyncio.sleep(settle)
            final = app.probe()
            if final == before:
                no_effect[key] += 1
            else:
                await next_frame(start, sent, lambda signature, final=final: signature == final)
                frames = frames_after(start, sent)
                first = next((t for t, signature in frames if signature != before), None)
                complete = next((t for t, signature in frames if signature == final), None)
                if first is None or complete is None:
                    no_effect[key] += 1
                    continue
                timings[key]["first_ms"].append((first - sent) * 1000)
                blame_waits["reader"].append((sent, first))
                timings[key]["complete_ms"].append((complete - sent) * 1000)
            next_send = max(sent + spacing + jitter.uniform(0, 0.010), time.monotonic() + 0.002)
        mentions = len(reader.enrichment.entities) + len(reader.enrichment.dates)  # all highlighted: no kind hidden
        return {"article_chars": len(article.text), "mentions": mentions, "timings": timings, "no_effect": no_effect}

    async def open_unanalysed(count: int, gap: float) -> dict:
        """Move the list cursor far down to an article nobody analysed yet; time until it is shown highlighted."""
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        service = app.main.loader.service
        view_length = article_list.row_count
        choose = random.Random(2)
        samples, attempts = [], 0
        while len(samples) < count:
            position = choose.randrange(view_length // 5, view_length * 9 // 10)
            article = article_list.article_at(position)
            attempts += 1
            if attempts > 100 * count:
                break
            if app.store.enrichment(article.id) is not None:
                continue  # analysed already: not what this measures
            app.probe = lambda: (reader.article.id if reader.article else None, reader.enrichment is not None)
            backlog = service.submitted - service.done
            start = len(app.frames)
            delivered: list[float] = []

            def stored(name: str, begun: float, _end: float, wanted: str = article.id, delivered=delivered) -> None:
                """The start of the span that stored the article's result: the result reached the UI then."""
                if name == tracing.ANALYSIS_STORED and not delivered and app.store.is_enriched(wanted):
                    delivered.append(begun)

            stop_listening = tracing.listen(stored)
            asked = time.monotonic()
            article_list.cursor = position  # what a key's action does (g, G, page down, a click)
            done = await app.frame_where(lambda signature, wanted=article.id: signature == (wanted, True))
            stop_listening()
            if done is None:
                samples.append({"timed_out": True})
                continue
            shown = next(t for t, signature in frames_after(start, asked) if signature[0] == article.id)
            blame_waits["open"].append((asked, done))
            samples.append(
                {
                    "position": position,
                    "asked_at": asked,  # the child's monotonic clock, to line a --what-if's own records up
                    "backlog": backlog,
                    "shown_ms": (shown - asked) * 1000,
                    "delivered_ms": (delivered[0] - asked) * 1000,
                    "highlighted_ms": (done - asked) * 1000,
                    "spans": tracer.within(asked, done),
                }
            )
            await asyncio.sleep(gap)
        return {"samples": samples}

    def project_full_analysis(app) -> dict:
        """Give every article an enrichment, as if the analysis had finished, and time what grows with it.

        The analysis pool is stopped first. Each unanalysed article gets a real result of another
        article, trimmed to spans that fit its text and rebuilt with `from_payload`, as the dispatcher
        builds results, so the objects are new and as many as a real run makes. Three of them are
        held back, to arrive one before each timed timeline refresh, as results do during analysis.
        """
        import gc

        from newsreader.nlp.enrich import from_payload, to_payload

        app.main.loader.service.close()
        store = app.store
        payloads = [
            to_payload(store.enrichment(article.id))
            for article in store
            if store.enrichment(article.id) is not None and store.enrichment(article.id).entities
        ]
        before = {
            "analysed": store.enriched_count,
            "objects": len(gc.get_objects()),
            "rss_mib": proc_status(os.getpid()).get("VmRSS", 0) / 1024,
        }
        started = time.monotonic()
        given = 0
        held_back = []

        def give_result(article) -> None:
            nonlocal given
            entities, dates, events = payloads[given % len(payloads)]
            given += 1
            size = len(article.text)

            def fits(items, start, end):
                return [item for item in items if item[start] < item[end] <= size]

            payload = [fits(entities, 0, 1), fits(dates, 0, 1), events]
            store.set_enrichment(article.fingerprint, from_payload(payload, article.text))

        for article in list(store):
            if store.enrichment(article.id) is not None:
                continue
            if len(held_back) < 3:
                held_back.append(article)
            else:
                give_result(article)
        building = time.monotonic() - started
        timings = {}
        for article in held_back:  # a new result arrived since the last refresh
            give_result(article)
            started = time.monotonic()
            app.main.reading.refresh_timeline()
            timings.setdefault("refresh_timeline_ms", []).append((time.monotonic() - started) * 1000)
        started = time.monotonic()
        gc.collect()
        full_gc = (time.monotonic() - started) * 1000
        return {
            "before": before,
            "analysed": store.enriched_count,
            "events": len(store.events()),
            "objects": len(gc.get_objects()),
            "build_s": building,
            "rss_mib": proc_status(os.getpid()).get("VmRSS", 0) / 1024,
            "hwm_mib": proc_status(os.getpid()).get("VmHWM", 0) / 1024,
            "refresh_timeline_ms": min(timings["refresh_timeline_ms"]),
            "full_gc_ms": full_gc,
        }

    async def run() -> None:
        started = time.monotonic()
        app.loop = asyncio.get_running_loop()
        tracer.watch_loop(app.loop)
        phase("start")
        async with app.run_test(headless=True, size=size, notifications=True):
            while not app.main.loader.done:
                await asyncio.sleep(0.05)
            result["load_s"] = time.monotonic() - started
            phase("loaded")
            if what_if is not None and hasattr(what_if, "after_load"):
                what_if.after_load(app)
            result["articles"] = len(app.store)
            while app.store.enriched_count < 20:  # models loaded, the pool busy with the background queue
                await asyncio.sleep(0.05)
            result["warm_s"] = time.monotonic() - started
            app.query_one(ArticleList).focus()
            await asyncio.sleep(0.2)
            phase("keys")
            result["list_paced"] = await list_paced(options["keys"], options["list_spacing"])
            phase("held")
            result["list_held"] = await list_held(options["held_keys"], options["repeat_rate"])
            phase("reader")
            result["reader"] = await reader_keys(options["reader_keys"], options["spacing"], options["settle"])
            app.query_one(ArticleList).focus()
            await asyncio.sleep(0.2)
            phase("open")
            result["open"] = await open_unanalysed(options["opens"], options["open_gap"])
            service = app.main.loader.service
            result["analysed"] = app.store.enriched_count
            result["backlog"] = service.submitted - service.done
            result["analysing_s"] = time.monotonic() - started - result["load_s"]
            result["memory"] = process_tree_memory(os.getpid())
            import gc

            result["objects"] = len(gc.get_objects())
            phase("done")
            if options.get("project"):
                result["projection"] = project_full_analysis(app)
            result["frames"] = len(app.frames)
            order = list(phases)
            result["trace"] = {
                name: tracer.summarise(phases[name], phases[following]) for name, following in itertools.pairwise(order)
            }
            result["blame"] = {name: tracer.blame(waits) for name, waits in blame_waits.items()}
            app.exit()
        with os.fdopen(report_fd, "w") as report:
            report.write(json.dumps(result) + "\n")

    asyncio.run(run())


# -- parent ---------------------------------------------------------------------------------


def drop_page_cache() -> bool:
    """Write 3 to drop_caches (root only); true when the kernel accepted it."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def warm_corpus(corpus: Path) -> None:
    for folder, _, files in os.walk(corpus):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                handle.read()


def xdg_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        folder = root / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env.pop("TEXTUAL", None)  # no devtools
    return env


def run_child(arguments: list[str], env: dict[str, str], log: Path, script: str = __file__) -> tuple[float, dict]:
    """Start `script` (this one) as a child; the parent's wall time from just before the start to its report."""
    read_fd, write_fd = os.pipe()
    command = [sys.executable, os.path.abspath(script), *arguments, "--report-fd", str(write_fd)]
    with open(log, "ab") as errors:
        started = time.monotonic()
        child = subprocess.Popen(
            command, env=env, pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as report:
            line = report.readline()
        reported = time.monotonic()
        try:
            child.wait(timeout=CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if not line:
        raise SystemExit(f"child {arguments[:2]} reported nothing (exit {child.returncode}); see {log}")
    marks = json.loads(line)
    return reported - started, {"started": started, **marks}


def first_paint(kind: str, corpus: Path, env: dict[str, str], size: tuple[int, int], log: Path) -> dict:
    wall, marks = run_child(["--child", f"paint-{kind}", str(corpus), "--size", f"{size[0]}x{size[1]}"], env, log)
    started = marks.pop("started")
    relative = {name: (value - started) * 1000 for name, value in marks.items() if name != "rows"}
    return {"wall_ms": wall * 1000, "marks_ms": relative, "rows": marks.get("rows")}


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    from importlib.metadata import version

    import newsreader

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(newsreader.__file__).parent,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            cwd=Path(newsreader.__file__).parent,
        ).stdout.split("\n")
    except OSError:
        commit, dirty = "", []
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "memory_gib": memory / 2**20,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "textual": version("textual"),
        "newsreader": newsreader.__file__,
        "commit": commit,
        "uncommitted": [line for line in dirty if line],
        "loadavg": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="warm first-paint runs of each app (default %(default)s)")
    parser.add_argument(
        "--size", default=f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}", help="terminal size (default %(default)s)"
    )
    parser.add_argument("--keys", type=int, default=200, help="paced j presses in the list (default %(default)s)")
    parser.add_argument(
        "--list-spacing",
        type=float,
        default=0.2,
        help="seconds between paced j presses in the list (default %(default)s)",
    )
    parser.add_argument("--held-keys", type=int, default=150, help="j presses at key-repeat rate (default %(default)s)")
    parser.add_argument(
        "--repeat-rate", type=float, default=30.0, help="held key, presses a second (default %(default)s)"
    )
    parser.add_argument(
        "--reader-keys", type=int, default=120, help="] and j presses in the reader (default %(default)s)"
    )
    parser.add_argument("--opens", type=int, default=25, help="unanalysed articles opened (default %(default)s)")
    parser.add_argument(
        "--spacing", type=float, default=0.05, help="seconds between paced keys in the reader (default %(default)s)"
    )
    parser.add_argument("--json", type=Path, help="write every run and the machine here")
    parser.add_argument(
        "--no-projection",
        action="store_true",
        help="skip the last step: every article given a result, to time what grows with analysis",
    )
    parser.add_argument(
        "--what-if",
        type=Path,
        help="a Python file monkeypatched into the interactive child "
        "(module-level code runs before the app starts; after_load(app) once loaded), to try a fix",
    )
    parser.add_argument("--log", type=Path, help="children's stderr and phase marks (default: a temporary file)")
    parser.add_argument("--skip-paint", action="store_true", help="only the interactive part (2-4)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--report-fd", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    size = tuple(int(part) for part in options.size.lower().split("x"))

    if options.child:
        if options.child.startswith("paint-"):
            child_first_paint(options.child.removeprefix("paint-"), str(options.corpus), options.report_fd, size)
        else:
            interact_options = json.loads(options.child.removeprefix("interact:"))
            child_interact(str(options.corpus), options.report_fd, size, interact_options)
        return

    corpus = options.corpus.resolve()
    if not corpus.is_dir():
        raise SystemExit(f"{corpus}: not a folder (make one with bench/make_corpus.py)")
    info = machine()
    print(
        f"{info['cpus']} × {info['cpu']}, Python {info['python']}, Textual {info['textual']}, "
        f"newsreader {info['commit']} ({info['newsreader']}); load {info['loadavg'][0]:.2f}",
        flush=True,
    )
    results: dict = {"machine": info, "size": list(size), "corpus": str(corpus), "argv": sys.argv}
    if options.what_if:
        print(
            f"WHAT-IF: {options.what_if} is patched into the interactive run; its numbers are not the app's", flush=True
        )
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-ui-") as folder:
        folder = Path(folder)
        log = options.log or folder / "children.log"
        try:
            if not options.skip_paint:
                results["paint"] = paint_runs(corpus, folder, size, options.runs, log)
            print("interactive run (analysis on, fresh cache) ...", flush=True)
            interact_options = {
                "keys": options.keys,
                "held_keys": options.held_keys,
                "repeat_rate": options.repeat_rate,
                "reader_keys": options.reader_keys,
                "opens": options.opens,
                "spacing": options.spacing,
                "list_spacing": options.list_spacing,
                "settle": 0.15,
                "open_gap": 0.4,
                "what_if": str(options.what_if.resolve()) if options.what_if else None,
                "project": not options.no_projection,
            }
            _, results["interact"] = run_child(
                ["--child", "interact:" + json.dumps(interact_options), str(corpus), "--size", options.size],
                xdg_env(folder / "interact"),
                log,
            )
        except SystemExit:
            sys.stderr.write(log.read_text(errors="replace")[-5000:])
            raise
    results["bench_s"] = time.monotonic() - began
    results["loadavg_after"] = os.getloadavg()
    print_table(results)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(results, indent=1))


def paint_runs(corpus: Path, folder: Path, size: tuple[int, int], runs: int, log: Path) -> dict:
    env = xdg_env(folder / "paint")  # fresh: empty analysis cache and reading state for the cold run
    cold = {}
    for kind in ("empty", "app"):
        dropped = drop_page_cache()
        cold[kind] = first_paint(kind, corpus, env, size, log)
        cold[kind]["page_cache_dropped"] = dropped
        print(f"cold {kind}: {cold[kind]['wall_ms']:.0f} ms (page cache dropped: {dropped})", flush=True)
    warm_corpus(corpus)
    for kind in ("empty", "app"):  # untimed: warms the interpreter's files and the app's XDG files
        first_paint(kind, corpus, env, size, log)
    warm: dict[str, list[dict]] = {"empty": [], "app": []}
    for run in range(runs):
        for kind in ("empty", "app") if run % 2 == 0 else ("app", "empty"):
            warm[kind].append(first_paint(kind, corpus, env, size, log))
        print(
            f"warm run {run + 1}/{runs}: empty {warm['empty'][-1]['wall_ms']:.0f} ms, "
            f"app {warm['app'][-1]['wall_ms']:.0f} ms",
            flush=True,
        )
    return {"cold": cold, "warm": warm}


def print_table(results: dict) -> None:
    rows = []
    paint = results.get("paint")
    if paint:
        empty = statistics.median(run["wall_ms"] for run in paint["warm"]["empty"])
        app_ms = statistics.median(run["wall_ms"] for run in paint["warm"]["app"])

        def spread(kind: str) -> str:
            return "–".join(f"{f(run['wall_ms'] for run in paint['warm'][kind]):.0f}" for f in (min, max))

        marks = {
            name: statistics.median(run["marks_ms"].get(name, 0) for run in paint["warm"]["app"])
            for name in ("main", "imports", "mount", "first_batch", "first_frame", "painted")
        }
        rows += [
            (
                "first paint, empty Textual app (warm)",
                f"{empty:.0f} ms",
                "",
                "",
                f"median of {len(paint['warm']['empty'])}, {spread('empty')} ms",
            ),
            (
                "first paint with article rows, newsreader (warm)",
                f"{app_ms:.0f} ms",
                f"≤ 1.75× empty ({1.75 * empty:.0f} ms)",
                _met(app_ms <= 1.75 * empty),
                f"{app_ms / empty:.2f}× empty; median of {len(paint['warm']['app'])}, {spread('app')} ms; "
                f"script running {marks['main']:.0f}, imports done {marks['imports']:.0f}, mount {marks['mount']:.0f}, "
                f"first articles stored {marks['first_batch']:.0f}, first frame {marks['first_frame']:.0f} ms",
            ),
        ]
        cold = paint["cold"]
        rows.append(
            (
                "first paint, cold (fresh XDG dirs"
                + (", page cache dropped)" if cold["app"]["page_cache_dropped"] else ", page cache NOT dropped)"),
                f"{cold['app']['wall_ms']:.0f} ms",
                "",
                "",
                f"empty app cold: {cold['empty']['wall_ms']:.0f} ms "
                f"({cold['app']['wall_ms'] / cold['empty']['wall_ms']:.2f}×)",
            )
        )
    interact = results["interact"]
    paced, held, reader = interact["list_paced"], interact["list_held"], interact["reader"]
    first, complete = summary(paced["first_ms"]), summary(paced["complete_ms"])
    rows += [
        (
            f"key to frame: j in the list ({first['n']} presses, paced)",
            f"mean {first['mean']:.1f} ms",
            "p99 ≤ 16 ms",
            _met(first["p99"] <= 16),
            f"median {first['median']:.1f}, p99 {first['p99']:.1f}, max {first['max']:.1f} ms (cursor moved)"
            + (
                f"; with the reader showing the article: mean {complete['mean']:.1f}, p99 {complete['p99']:.1f} ms"
                if complete["n"]
                else "; the reader never showed the article within 1 s"
            ),
        ),
    ]
    held_summary = summary(held["first_ms"])
    rows.append(
        ()
        if not held_summary["n"]
        else (
            f"key to frame: j held ({held_summary['n']} presses at {held['rate']:.0f}/s)",
            f"mean {held_summary['mean']:.1f} ms",
            "p99 ≤ 16 ms",
            _met(held_summary["p99"] <= 16),
            f"median {held_summary['median']:.1f}, p99 {held_summary['p99']:.1f}, "
            f"max {held_summary['max']:.1f} ms; "
            f"reader caught up "
            f"{held['last_key_to_reader_ms'] or float('nan'):.0f} ms after the last key",
        )
    )
    for key, name in (("right_square_bracket", "]"), ("j", "j")):
        timing = reader["timings"][key]
        shown, done = summary(timing["first_ms"]), summary(timing["complete_ms"])
        if not shown["n"]:
            continue
        rows.append(
            (
                f"key to frame: {name} in the reader ({shown['n']} presses)",
                f"mean {shown['mean']:.1f} ms",
                "p99 ≤ 16 ms",
                _met(shown["p99"] <= 16),
                f"median {shown['median']:.1f}, p99 {shown['p99']:.1f}, max {shown['max']:.1f} ms; "
                f"settled: mean {done['mean']:.1f}, "
                f"p99 {done['p99']:.1f} ms; {reader['no_effect'][key]} presses had no effect",
            )
        )
    samples = [sample for sample in interact["open"]["samples"] if not sample.get("timed_out")]
    opened = summary([sample["highlighted_ms"] for sample in samples])
    if opened["n"]:
        rows.append(
            (
                f"open an unanalysed article until highlighted ({opened['n']} opens, pool busy)",
                f"mean {opened['mean']:.1f} ms",
                "≤ 50 ms (p95)",
                _met(opened["p95"] <= 50),
                f"median {opened['median']:.1f}, p95 {opened['p95']:.1f}, max {opened['max']:.1f} ms; "
                f"shown plain after {statistics.mean(s['shown_ms'] for s in samples):.1f} ms, result in the UI "
                f"after {statistics.mean(s['delivered_ms'] for s in samples):.1f} ms (means); backlog "
                f"{min(s['backlog'] for s in samples):,}–{max(s['backlog'] for s in samples):,} articles",
            )
        )
    memory = interact["memory"]
    app_hwm = next(row["hwm_mib"] for row in memory if row["role"] == "app")
    workers = [row["hwm_mib"] for row in memory if row["role"] == "NER worker"]
    others = [f"{row['role']} {row['hwm_mib']:.0f}" for row in memory if row["role"] not in ("app", "NER worker")]
    total = app_hwm + max(workers, default=0)
    rows.append(
        (
            "peak RSS, app + one NER worker (VmHWM)",
            f"{total:.0f} MiB",
            "≤ 1 GB (1024 MiB)",
            _met(total <= 1024),
            f"app {app_hwm:.0f} MiB, NER workers "
            + ", ".join(f"{w:.0f}" for w in workers)
            + " MiB"
            + (f"; {', '.join(others)} MiB" if others else "")
            + f"; after {interact['articles']:,} articles loaded in {interact['load_s']:.1f} s and "
            f"{interact['analysing_s']:.0f} s of analysis ({interact['analysed']:,} analysed)",
        )
    )
    print("\n| measure | result | target | met | note |\n| --- | --- | --- | --- | --- |")
    for row in filter(None, rows):
        print("| " + " | ".join(row) + " |")
    projection = interact.get("projection")
    if projection:
        before = projection["before"]
        print(
            f"\nProjection, every article analysed (real results of analysed articles reused on the others, "
            f"rebuilt with from_payload; pool stopped): {before['analysed']:,} → {projection['analysed']:,} "
            f"analysed, "
            f"{projection['events']:,} timeline events; "
            f"GC-tracked objects {before['objects']:,} → {projection['objects']:,}; "
            f"app RSS {before['rss_mib']:.0f} → {projection['rss_mib']:.0f} MiB (peak {projection['hwm_mib']:.0f}); "
            f"one timeline refresh (runs every 1 s while results arrive) {projection['refresh_timeline_ms']:.0f} ms; "
            f"one full GC {projection['full_gc_ms']:.0f} ms"
        )
    print(
        f"\nbench wall time {results['bench_s']:.0f} s; terminal {results['size'][0]}×{results['size'][1]}; "
        f"load average before {results['machine']['loadavg'][0]:.2f}, after {results['loadavg_after'][0]:.2f}"
    )
    print_trace(interact)


def print_trace(interact: dict) -> None:
    """The UI thread's time per phase, and what the keys waited for."""
    names = {
        "list_paced": "j in the list, paced",
        "list_held": "j held",
        "loaded": "load done → keys",
        "keys": "j in the list, paced",
        "held": "j held",
        "reader": "] and j in the reader",
        "open": "opening unanalysed articles",
        "start": "loading",
    }
    print("\nUI thread, by phase: busy share; then per kind of work: count/s, mean and max ms, share of wall time\n")
    columns = Tracer.columns()
    print("| phase | wall s | UI thread busy | " + " | ".join(columns.values()) + " | GC gen 2 |")
    print("| --- | --: | --: |" + " --- |" * (len(columns) + 1))
    for name, trace in interact["trace"].items():
        if name == "done":
            continue
        cells = []
        for kind in [*columns, "GC generation 2 (UI thread)"]:
            found = trace["kinds"].get(kind)
            cells.append(
                f"{found['per_s']:.1f}/s, {found['mean_ms']:.1f} / {found['max_ms']:.0f} ms, {found['share']:.0%}"
                if found
                else "–"
            )
        print(
            f"| {names.get(name, name)} | {trace['wall_s']:.1f} | {trace['busy_share']:.0%} | "
            + " | ".join(cells)
            + " |"
        )
    print("\nWhat a key waited for: mean ms of each wait spent inside each kind of work (GC nests inside the others)\n")
    for name, blame in interact["blame"].items():
        if blame:
            print(
                f"- {names.get(name, name)}: " + ", ".join(f"{kind} {ms:.1f}" for kind, ms in list(blame.items())[:6])
            )


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


if __name__ == "__main__":
    main()

"""The tracing hook: spans reach listeners in order, cost nothing unheard, survive a broken listener."""

import logging
from types import SimpleNamespace

import pytest

from conftest import article_bytes
from newsreader import tracing
from newsreader.ui.app import NewsreaderApp


@pytest.fixture
def heard():
    """Every span reported while the test runs, as (name, start, end)."""
    spans: list[tuple[str, float, float]] = []
    detach = tracing.listen(lambda name, start, end: spans.append((name, start, end)))
    yield spans
    detach()


def test_spans_reach_a_listener_in_the_order_they_end_with_monotonic_times(heard):
    with tracing.span("outer"):
        with tracing.span("inner"):
            pass
    with tracing.span("next"):
        pass
    assert [name for name, _, _ in heard] == ["inner", "outer", "next"]
    (_, inner_start, inner_end), (_, outer_start, outer_end), (_, next_start, next_end) = heard
    assert outer_start <= inner_start <= inner_end <= outer_end <= next_start <= next_end


def test_a_decorated_function_is_one_span_also_when_it_raises(heard):
    @tracing.span("work")
    def work(value: int) -> int:
        if value < 0:
            raise ValueError(value)
        return value * 2

    assert work(21) == 42
    with pytest.raises(ValueError):
        work(-1)
    assert [name for name, _, _ in heard] == ["work", "work"]
    assert work.__name__ == "work"


def test_nothing_is_recorded_and_no_clock_read_without_a_listener(monkeypatch):
    spans, clock_reads = [], []
    monkeypatch.setattr(tracing, "time", SimpleNamespace(monotonic=lambda: clock_reads.append(1) or 0.0))
    detach = tracing.listen(lambda *span: spans.append(span))
    detach()
    with tracing.span("unheard"):
        pass
    tracing.span("unheard too")(lambda: None)()
    assert spans == [] and clock_reads == []


def test_detaching_stops_only_that_listener_and_may_be_repeated(heard):
    other = []
    listener = lambda *span: other.append(span)  # noqa: E731
    tracing.listen(listener)
    with tracing.span("both"):
        pass
    tracing.stop_listening(listener)
    tracing.stop_listening(listener)
    with tracing.span("first only"):
        pass
    assert [span[0] for span in other] == ["both"]
    assert [span[0] for span in heard] == ["both", "first only"]


def test_a_listener_that_raises_is_detached_and_logged_and_the_traced_code_goes_on(heard, caplog):
    def broken(name: str, start: float, end: float) -> None:
        raise RuntimeError("listener bug")

    detach = tracing.listen(broken)
    ran = []
    with caplog.at_level(logging.ERROR, logger="newsreader.tracing"):
        with tracing.span("first"):
            ran.append(1)
        with tracing.span("second"):
            ran.append(2)
    detach()
    assert ran == [1, 2]
    assert [span[0] for span in heard] == ["first", "second"]  # the other listener still hears everything
    assert len(caplog.records) == 1 and "listener bug" in caplog.text


def test_a_coroutine_function_cannot_be_decorated():
    async def work() -> None:
        pass

    with pytest.raises(TypeError, match="coroutine"):
        tracing.span("work")(work)


async def test_a_loading_app_reports_its_mount_and_stored_batches(tmp_path, heard):
    for number in range(3):
        (tmp_path / f"{number}.txt").write_bytes(article_bytes(f"Статья {number}"))
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    stored_counts = []
    detach = tracing.listen(
        lambda name, start, end: stored_counts.append(len(app.store)) if name == tracing.ARTICLES_STORED else None
    )
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.loader.done
    detach()
    names = [name for name, _, _ in heard]
    assert names.count(tracing.MAIN_SCREEN_MOUNT) == 1
    assert names.count(tracing.ARTICLES_STORED) >= 2  # the first article during the mount, the rest from the thread
    (_, mount_start, mount_end) = next(span for span in heard if span[0] == tracing.MAIN_SCREEN_MOUNT)
    (_, first_start, first_end) = next(span for span in heard if span[0] == tracing.ARTICLES_STORED)
    assert mount_start <= first_start <= first_end <= mount_end
    assert stored_counts[0] >= 1 and stored_counts[-1] == 3  # each span ends with its articles stored

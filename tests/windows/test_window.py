"""The window node: which points fall in which window, and when windows are emitted."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from windows_helpers import SECOND, T0, attach, make_point

from tickmini.errors import BuildError
from tickmini.runtime.stream import go_truncate
from tickmini.runtime.window import WindowNode, _TimeBuffer
from tickmini.values import Duration


def window_node(**properties: object) -> WindowNode:
    return WindowNode.from_properties("window1", properties)


def offsets(batch) -> list[float]:
    return [(p.time - T0) / SECOND for p in batch.points]


def test_every_window_is_left_closed_and_excludes_the_triggering_point() -> None:
    node = window_node(period=6 * SECOND, every=3 * SECOND)
    out = attach(node)
    for s in (0, 2, 3, 4.999999999, 6, 9):
        node.point(make_point(s))
    # first point at 0s: nextEmit = 3s. 3s emits [-3s, 3s) = 0,2 then nextEmit = 6s;
    # 6s emits [0s, 6s); 9s emits [3s, 9s) which keeps the point exactly at 3s.
    assert [b.time for b in out.batches] == [T0 + 3 * SECOND, T0 + 6 * SECOND, T0 + 9 * SECOND]
    assert [offsets(b) for b in out.batches] == [
        [0, 2],
        [0, 2, 3, 4.999999999],
        [3, 4.999999999, 6],
    ]


def test_next_emit_is_counted_from_the_triggering_point_after_a_gap() -> None:
    node = window_node(period=10 * SECOND, every=10 * SECOND)
    out = attach(node)
    for s in (0, 5, 37, 38, 46, 47):
        node.point(make_point(s))
    # 37s triggers the 10s window; the next emit is 37s + 10s = 47s, not 20s or 40s.
    assert [(b.time - T0) // SECOND for b in out.batches] == [10, 47]
    assert offsets(out.batches[1]) == [37, 38, 46]


def test_every_zero_emits_a_right_closed_window_on_every_point() -> None:
    node = window_node(period=5 * SECOND, every=0)
    out = attach(node)
    for s in (0, 1, 5, 6, 6):
        node.point(make_point(s))
    assert [offsets(b) for b in out.batches] == [[0], [0, 1], [1, 5], [5, 6], [5, 6, 6]]
    assert [b.time - T0 for b in out.batches] == [0, SECOND, 5 * SECOND, 6 * SECOND, 6 * SECOND]


def test_align_truncates_from_year_one_not_from_the_epoch() -> None:
    # 1971-01-01T00:00:00Z is 3s past a multiple of 7s counted from 0001-01-01.
    assert go_truncate(T0, 7 * SECOND) == T0 - 3 * SECOND
    assert go_truncate(T0 + 11 * SECOND, 7 * SECOND) == T0 + 11 * SECOND
    assert go_truncate(T0 + 5 * SECOND, 0) == T0 + 5 * SECOND
    node = window_node(period=7 * SECOND, every=7 * SECOND, align=True)
    out = attach(node)
    for s in (0, 3, 4, 10, 11, 12):
        node.point(make_point(s))
    # nextEmit = trunc(0s + 7s) = 4s; 4s emits [-3s, 4s); next = trunc(4+7=11s) = 11s.
    assert [(b.time - T0) // SECOND for b in out.batches] == [4, 11]
    assert offsets(out.batches[0]) == [0, 3]
    assert offsets(out.batches[1]) == [4, 10]


def test_fill_period_waits_for_a_full_period() -> None:
    node = window_node(period=10 * SECOND, every=2 * SECOND, fillPeriod=True)
    out = attach(node)
    for s in range(0, 13):
        node.point(make_point(s))
    assert [(b.time - T0) // SECOND for b in out.batches] == [10, 12]
    assert offsets(out.batches[0]) == list(range(0, 10))


def test_fill_period_with_align_must_end_after_the_first_full_period() -> None:
    node = window_node(period=3 * SECOND, every=3 * SECOND, align=True, fillPeriod=True)
    out = attach(node)
    for s in (0, 1, 2, 3, 4, 5, 6, 7):
        node.point(make_point(s))
    # trunc(0s + 3s, 3s) = 3s is not after 3s, so the first emit is at 6s.
    assert [(b.time - T0) // SECOND for b in out.batches] == [6]
    assert offsets(out.batches[0]) == [3, 4, 5]


def test_groups_have_independent_windows_and_group_tags() -> None:
    node = window_node(period=10 * SECOND, every=10 * SECOND)
    out = attach(node)
    node.point(make_point(0, host="a", tags={"dc": "x"}, group_by=("host",)))
    node.point(make_point(4, host="b", group_by=("host",)))
    node.point(make_point(10, host="a", group_by=("host",)))
    node.point(make_point(13, host="b", group_by=("host",)))
    node.point(make_point(14, host="b", group_by=("host",)))
    first, second = out.batches
    assert (first.tags, first.group_id, first.time - T0) == ({"host": "a"}, "host=a", 10 * SECOND)
    assert first.points[0].tags == {"host": "a", "dc": "x"}  # points keep all their tags
    assert (second.tags, second.time - T0) == ({"host": "b"}, 14 * SECOND)
    assert offsets(second) == [4, 13]  # [4s, 14s): host a's points never enter it


def test_a_missing_group_tag_is_an_empty_string() -> None:
    node = window_node(period=SECOND, every=SECOND)
    out = attach(node)
    node.point(make_point(0, group_by=("host",)))
    node.point(make_point(1, group_by=("host",)))
    assert out.batches[0].tags == {"host": ""}


def test_empty_windows_are_emitted() -> None:
    node = window_node(period=2 * SECOND, every=5 * SECOND)
    out = attach(node)
    for s in (0, 1, 7):
        node.point(make_point(s))
    # 7s emits [3s, 5s): nothing in it, but the (empty) batch is still sent.
    assert len(out.batches) == 1
    assert out.batches[0].points == []
    assert out.batches[0].time == T0 + 5 * SECOND


def test_finish_does_not_flush_open_windows() -> None:
    node = window_node(period=10 * SECOND, every=10 * SECOND)
    out = attach(node)
    for s in (0, 1, 2):
        node.point(make_point(s))
    node.finish()
    assert out.items == []


def test_count_window_first_emit_after_every_count_points() -> None:
    node = window_node(periodCount=4, everyCount=3)
    out = attach(node)
    for s in range(10):
        node.point(make_point(s))
    assert [offsets(b) for b in out.batches] == [[0, 1, 2], [2, 3, 4, 5], [5, 6, 7, 8]]
    assert [b.time - T0 for b in out.batches] == [2 * SECOND, 5 * SECOND, 8 * SECOND]


def test_count_window_with_fill_period_waits_for_period_count_points() -> None:
    node = window_node(periodCount=4, everyCount=3, fillPeriod=True)
    out = attach(node)
    for s in range(8):
        node.point(make_point(s))
    assert [offsets(b) for b in out.batches] == [[0, 1, 2, 3], [3, 4, 5, 6]]


def test_invalid_windows_are_rejected() -> None:
    with pytest.raises(BuildError, match="non zero period"):
        window_node()
    with pytest.raises(BuildError, match="negative"):
        window_node(period=-SECOND)
    with pytest.raises(BuildError, match="everyCount"):
        window_node(periodCount=3)


def test_duration_properties_are_accepted() -> None:
    node = window_node(period=Duration(2 * SECOND), every=SECOND, align=True)
    out = attach(node)
    for s in (0.5, 1, 2):
        node.point(make_point(s))
    assert [(b.time - T0) / SECOND for b in out.batches] == [1, 2]
    assert offsets(out.batches[1]) == [0.5, 1]


def test_batches_own_their_point_lists() -> None:
    node = window_node(period=4 * SECOND, every=SECOND)
    out = attach(node)
    for s in range(6):
        node.point(make_point(s))
    snapshot = [offsets(b) for b in out.batches]
    node.point(make_point(6))
    assert [offsets(b) for b in out.batches[:-1]] == snapshot


class _NaiveBuffer:
    """Reference for monotonic input: a deque purged from the left."""

    def __init__(self) -> None:
        self.items: deque = deque()

    def insert(self, point) -> None:
        self.items.append(point)

    def purge(self, oldest: int) -> None:
        while self.items and self.items[0].time < oldest:
            self.items.popleft()

    def points(self) -> list:
        return list(self.items)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans(), st.integers(0, 8)), max_size=80))
def test_ring_buffer_matches_a_left_purged_queue_for_ordered_points(steps) -> None:
    ring, naive = _TimeBuffer(), _NaiveBuffer()
    now = 0
    for gap, do_purge, keep_back in steps:
        now += gap
        point = make_point(now)
        ring.insert(point)
        naive.insert(point)
        if do_purge:
            oldest = point.time - keep_back * SECOND
            ring.purge(oldest)
            naive.purge(oldest)
        assert ring.points() == naive.points()
        assert ring.size == len(naive.points())


def test_ring_buffer_keeps_kapacitors_quirk_for_out_of_order_points() -> None:
    ring = _TimeBuffer()
    # Fill so that the ring wraps: capacity grows 2 -> 6; after purging the first three the
    # next inserts wrap to the front of the backing array.
    for s in (1, 2, 3, 4, 5, 6):
        ring.insert(make_point(s))
    ring.purge(T0 + 4 * SECOND)
    assert ring.start == 3 and ring.stop == 6
    ring.insert(make_point(9))  # wraps to index 0
    ring.insert(make_point(0.5))  # out of order, index 1
    assert [offsets_of(p) for p in ring.points()] == [4, 5, 6, 9, 0.5]
    # Kapacitor checks only the last slot of the backing array (6s): it is before 7s, so the
    # whole tail 4s..6s is dropped and the scan restarts at index 0, where 9s is kept and the
    # older 0.5s behind it survives too.
    ring.purge(T0 + 7 * SECOND)
    assert [offsets_of(p) for p in ring.points()] == [9, 0.5]


def offsets_of(point) -> float:
    return (point.time - T0) / SECOND


def reference_time_windows(times, period, every, align, fill_period):
    """Kapacitor's window rules written plainly (whole history, filtered per emit)."""
    seen: list[int] = []
    emitted: list[tuple[int, list[int]]] = []
    next_emit = None
    for t in times:
        if next_emit is None:
            if fill_period:
                next_emit = t + period
                if align:
                    first = next_emit
                    next_emit = go_truncate(next_emit, every)
                    if not next_emit > first:
                        next_emit += every
            else:
                next_emit = go_truncate(t + every, every) if align else t + every
        if every == 0:
            seen.append(t)
            if t >= next_emit:
                emitted.append((t, [x for x in seen if x > t - period]))
                next_emit = t
            continue
        if t >= next_emit:
            emitted.append((next_emit, [x for x in seen if x >= next_emit - period]))
            next_emit = go_truncate(t + every, every) if align else t + every
        seen.append(t)
    return emitted


@settings(max_examples=150, deadline=None)
@given(
    gaps=st.lists(st.integers(0, 7), min_size=1, max_size=60),
    period=st.integers(1, 12),
    every=st.integers(0, 9),
    align=st.booleans(),
    fill_period=st.booleans(),
)
def test_time_windows_match_the_plain_rules(gaps, period, every, align, fill_period) -> None:
    times, now = [], T0
    for gap in gaps:
        now += gap * SECOND
        times.append(now)
    node = window_node(
        period=period * SECOND, every=every * SECOND, align=align, fillPeriod=fill_period
    )
    out = attach(node)
    for t in times:
        node.point(make_point((t - T0) / SECOND))
    expected = reference_time_windows(times, period * SECOND, every * SECOND, align, fill_period)
    assert [b.time for b in out.batches] == [tmax for tmax, _ in expected]
    for batch, (tmax, plain) in zip(out.batches, expected, strict=True):
        got = [p.time for p in batch.points]
        # Kapacitor's ring buffer can leak older points into a window (see the test below);
        # anything beyond the plain rule must be such a leaked older point.
        leaked = got[: len(got) - len(plain)]
        assert got[len(leaked) :] == plain
        assert all(t < tmax - period * SECOND + (every == 0) for t in leaked)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(0, 40), period=st.integers(1, 7), every=st.integers(1, 7), fill=st.booleans())
def test_count_windows_hold_the_last_period_points(n, period, every, fill) -> None:
    node = window_node(periodCount=period, everyCount=every, fillPeriod=fill)
    out = attach(node)
    for i in range(n):
        node.point(make_point(i))
    first = period if fill else every
    expected = [list(range(max(0, k - period), k)) for k in range(first, n + 1, every)]
    assert [[int(x) for x in offsets(b)] for b in out.batches] == expected


def test_a_huge_period_count_allocates_nothing_up_front() -> None:
    node = window_node(periodCount=10**15, everyCount=2)
    out = attach(node)
    for i in range(3):
        node.point(make_point(i))
    assert [offsets(b) for b in out.batches] == [[0, 1]]


def test_kapacitors_ring_buffer_leaks_a_purged_slot_after_emptying() -> None:
    # Kapacitor's windowTimeBuffer: the 4s window empties the ring (start = stop = len = cap);
    # the next points wrap to the front, start stays at len, and the purge at 8s checks the
    # last slot (7s, kept) and scans an empty tail: the 4s point stays in [7s, 8s).
    node = window_node(period=SECOND, every=4 * SECOND)
    out = attach(node)
    for s in (0, 0, 4, 7, 8):
        node.point(make_point(s))
    assert [(b.time - T0) // SECOND for b in out.batches] == [4, 8]
    assert [offsets(b) for b in out.batches] == [[], [4, 7]]

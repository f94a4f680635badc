"""The fused window -> mean/sum/count path gives exactly what the batch path gives."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from windows_helpers import SECOND, Collector, attach, make_point

from tickmini.runtime.influxql import InfluxQLNode
from tickmini.runtime.window import WindowNode, _TimeBuffer
from tickmini.values import Batch, Duration, Point


def _pipeline(method: str, fused: bool, every: int) -> tuple[WindowNode, Collector]:
    window = WindowNode.from_properties(
        "window1", {"period": Duration(30 * SECOND), "every": Duration(every * SECOND)}
    )
    reducer = InfluxQLNode.from_definition(
        f"{method}2", method, ("value",), {"as": "", "usePointTimes": False}
    )
    window.children.append(reducer)
    out = attach(reducer)
    if fused:
        window.wire()
    return window, out


def _snapshot(items: list[Point | Batch]) -> list[tuple]:
    def value(v: object) -> object:
        return ("nan",) if isinstance(v, float) and math.isnan(v) else (type(v).__name__, v)

    return [
        (
            item.name,
            item.tags,
            {k: value(v) for k, v in item.fields.items()},  # type: ignore[union-attr]
            item.time,
            item.dimensions,
            item.group_id,
        )
        for item in items
    ]


VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.just("x"),
    st.none(),  # the field is missing
)


@settings(max_examples=300, deadline=None)
@given(
    method=st.sampled_from(["mean", "sum", "count"]),
    every=st.sampled_from([0, 5, 10]),
    rows=st.lists(st.tuples(st.integers(0, 300), st.sampled_from(["a", "b"]), VALUES), max_size=60),
    in_order=st.booleans(),  # in order, the ring wraps, and grows while wrapped
    floats_only=st.booleans(),  # no value that turns the group's fused path off
)
def test_fused_path_matches_batch_path(
    method: str,
    every: int,
    rows: list[tuple[int, str, object]],
    in_order: bool,
    floats_only: bool,
) -> None:
    if in_order:
        rows = sorted(rows, key=lambda row: row[0])
    if floats_only:
        rows = [(t, host, float(i) / 7.0) for i, (t, host, _) in enumerate(rows)]
    plain, plain_out = _pipeline(method, fused=False, every=every)
    fused, fused_out = _pipeline(method, fused=True, every=every)
    assert "point" in vars(fused)  # the fused entry is in place
    for seconds, host, value in rows:
        fields = {} if value is None else {"value": value}
        point = make_point(seconds, fields, host=host, group_by=("host",))
        plain.point(point)
        fused.point(point)
    assert _snapshot(fused_out.items) == _snapshot(plain_out.items)


def test_fused_path_off_when_the_child_is_not_a_plain_reducer() -> None:
    window, _ = _pipeline("mean", fused=True, every=10)
    window.children[:] = [Collector()]  # what a tracer's edge looks like to the window
    window.wire()
    assert "point" not in vars(window)
    window.point(make_point(0))
    window.point(make_point(10))
    assert len(window.children[0].batches) == 1  # type: ignore[attr-defined]


def test_fused_path_off_for_other_functions() -> None:
    window, _ = _pipeline("median", fused=True, every=10)
    assert "point" not in vars(window)


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(st.tuples(st.booleans(), st.integers(0, 100), st.integers(0, 100)), max_size=80)
)
def test_value_ring_follows_the_point_ring(steps: list[tuple[bool, int, int]]) -> None:
    """As a window drives it: an optional purge, then an insert."""
    buffer = _TimeBuffer("value")
    for number, (purge_first, oldest, seconds) in enumerate(steps):
        if purge_first:
            buffer.purge(make_point(oldest).time)
        buffer.insert(make_point(seconds, {"value": float(number)}))
        assert buffer.live(buffer.values) == [p.fields["value"] for p in buffer.points()]


def test_value_ring_grows_while_wrapped() -> None:
    buffer = _TimeBuffer("value")
    for seconds in range(3):
        buffer.insert(make_point(seconds, {"value": float(seconds)}))
    buffer.purge(make_point(2).time)  # keeps 2s only: start moves right
    for seconds in range(3, 12):  # wraps to slot 0, fills up and grows while wrapped
        buffer.insert(make_point(seconds, {"value": float(seconds)}))
    assert buffer.live(buffer.values) == [float(s) for s in range(2, 12)]
    assert [p.time for p in buffer.points()] == [make_point(s).time for s in range(2, 12)]

"""InfluxQL functions on batches and streams: values, Go types, ties, times and tags."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from windows_helpers import SECOND, T0, attach, make_point

from tickmini.errors import BuildError
from tickmini.runtime.influxql import FUNCTIONS, InfluxQLNode, go_float_sum, kind_of
from tickmini.values import Batch, Duration, Point


def window(*points: Point, seconds: float = 10, tags: dict[str, str] | None = None) -> Batch:
    group = tags or {}
    return Batch(
        name="m",
        tags=group,
        time=T0 + round(seconds * SECOND),
        points=list(points),
        dimensions=tuple(sorted(group)),
        group_id=",".join(f"{k}={v}" for k, v in sorted(group.items())),
    )


def influxql(method: str, field: str = "value", **options: object) -> InfluxQLNode:
    """A node as the builder defines it: catalogue properties plus the call's arguments."""
    args: tuple[object, ...] = (field,)
    if "percentile" in options:
        args += (options.pop("percentile"),)
    properties = {"as": options.pop("as_name", ""), "usePointTimes": False, **options}
    return InfluxQLNode.from_definition(f"{method}1", method, args, properties)


def run(method: str, batch: Batch, *, field: str = "value", **options) -> list:
    node = influxql(method, field, **options)
    out = attach(node)
    node.batch(batch)
    return out.items


def single(method: str, batch: Batch, **options) -> Point:
    (item,) = run(method, batch, **options)
    assert isinstance(item, Point)
    return item


def value_of(method: str, *values: object, **options) -> object:
    batch = window(*(make_point(i, {"value": v}) for i, v in enumerate(values)))
    return single(method, batch, **options).fields[options.get("as_name") or method]


@pytest.mark.parametrize(
    ("method", "values", "expected"),
    [
        ("count", (1.5, 2.5), 2),
        ("count", ("a", "b", "c"), 3),
        ("sum", (1, 2, 3), 6),
        ("sum", (0.1, 0.2), 0.30000000000000004),
        ("mean", (1, 2), 1.5),
        ("mean", (1.0, 2.0, 4.0), 7.0 / 3.0),
        ("median", (3, 1, 2), 2.0),
        ("median", (25.51, 76.38), 50.94499999999999),
        ("median", (4, 1), 2.5),
        ("spread", (5, 1, 9), 8),
        ("spread", (5.5, 1.25), 4.25),
        ("stddev", (2, 4, 4, 4, 5, 5, 7, 9), math.sqrt(32 / 7)),
        ("min", (3, 1, 2), 1),
        ("max", (3.5, 7.25, 1.0), 7.25),
        ("first", (3, 1, 2), 3),
        ("last", ("x", "y"), "y"),
        ("mode", (5, 3, 3, 9), 3),
        ("mode", (7.0, 1.0, 9.0), 1.0),
    ],
)
def test_results_and_go_types(method: str, values: tuple, expected: object) -> None:
    result = value_of(method, *values)
    assert result == expected
    assert type(result) is type(expected)


def test_sum_wraps_like_go_int64() -> None:
    assert value_of("sum", (1 << 63) - 1, 1) == -(1 << 63)


def test_empty_window_count_is_int_zero_sum_is_float_zero_others_emit_nothing() -> None:
    empty = window()
    count = single("count", empty).fields["count"]
    total = single("sum", empty).fields["sum"]
    assert (count, type(count)) == (0, int)
    assert (total, type(total)) == (0.0, float)
    for method in ("mean", "median", "mode", "spread", "stddev", "first", "last", "min", "max"):
        assert run(method, empty) == []
    assert run("percentile", empty, percentile=50.0) == []
    assert run("distinct", empty) == []


def test_points_without_the_field_do_not_count_toward_the_batch() -> None:
    batch = window(make_point(0, {"other": 1.0}), make_point(1, {"other": 2.0}))
    assert run("mean", batch) == []
    assert single("count", batch).fields == {"count": 0}
    mixed = window(make_point(0, {"other": 1.0}), make_point(1, {"value": 4.0}))
    assert single("mean", mixed).fields == {"mean": 4.0}


def test_the_first_usable_point_fixes_the_type_and_other_types_are_skipped() -> None:
    batch = window(
        make_point(0, {"value": 2}),
        make_point(1, {"value": 10.5}),  # float after an int: skipped
        make_point(2, {"value": 3}),
    )
    assert single("sum", batch).fields == {"sum": 5}
    assert single("count", batch).fields == {"count": 2}


def test_a_type_the_function_does_not_take_is_skipped() -> None:
    strings = window(make_point(0, {"value": "a"}), make_point(1, {"value": "b"}))
    assert run("mean", strings) == []
    assert single("sum", strings).fields["sum"] == 0.0  # nothing usable: empty float sum
    late_number = window(make_point(0, {"value": "a"}), make_point(1, {"value": 2.0}))
    assert single("max", late_number).fields["max"] == 2.0


def test_duration_values_realise_an_int_reducer_that_accepts_none_of_them() -> None:
    batch = window(make_point(0, {"value": Duration(5)}))
    assert single("count", batch).fields == {"count": 0}
    assert math.isnan(single("mean", batch).fields["mean"])


def test_aggregates_use_the_batch_time_and_group_tags_only() -> None:
    batch = window(
        make_point(1, {"value": 1.0}, host="a", tags={"dc": "x"}, group_by=("host",)),
        make_point(2, {"value": 3.0}, host="a", tags={"dc": "y"}, group_by=("host",)),
        tags={"host": "a"},
    )
    point = single("mean", batch, as_name="avg")
    assert point.fields == {"avg": 2.0}
    assert point.tags == {"host": "a"}
    assert point.time == batch.time
    assert (point.name, point.group_id, point.dimensions) == ("m", "host=a", ("host",))


def test_selectors_emit_the_selected_point_with_its_tags_and_fields() -> None:
    batch = window(
        make_point(1, {"value": 5.0, "load": 1.5}, host="a", tags={"dc": "x"}),
        make_point(2, {"value": 9.0, "load": 0.5}, host="a", tags={"dc": "y"}),
        tags={"host": "a"},
    )
    point = single("max", batch, as_name="peak")
    assert point.fields == {"peak": 9.0, "load": 0.5}
    assert point.tags == {"host": "a", "dc": "y"}
    assert point.time == batch.time
    timed = single("max", batch, usePointTimes=True)
    assert timed.time == T0 + 2 * SECOND
    assert timed.fields == {"max": 9.0, "load": 0.5}
    assert batch.points[1].fields == {"value": 9.0, "load": 0.5}  # the input is not changed


def test_first_and_last_at_equal_times_pick_the_larger_value() -> None:
    batch = window(
        make_point(1, {"value": 2.0}), make_point(1, {"value": 7.0}), make_point(1, {"value": 3.0})
    )
    assert single("first", batch).fields == {"first": 7.0}
    assert single("last", batch).fields == {"last": 7.0}
    booleans = window(make_point(1, {"value": True}), make_point(1, {"value": False}))
    assert single("first", booleans).fields == {"first": False}
    assert single("last", booleans).fields == {"last": True}


def test_min_and_max_ties_go_to_the_earlier_point() -> None:
    batch = window(
        make_point(3, {"value": 1.0, "n": 1}),
        make_point(1, {"value": 1.0, "n": 2}),
        make_point(2, {"value": 1.0, "n": 3}),
    )
    assert single("min", batch).fields["n"] == 2
    assert single("max", batch).fields["n"] == 2


def test_mode_frequency_ties() -> None:
    # Equal counts: the larger value wins when its first occurrence is not after the last
    # counted occurrence of the smaller one.
    assert value_of("mode", 2.0, 1.0, 2.0, 1.0) == 2.0
    assert value_of("mode", 1.0, 1.0, 2.0, 2.0) == 1.0
    assert value_of("mode", 4, 4, 1, 9, 9, 9) == 9


def test_mode_and_median_of_one_point_keep_its_time_with_use_point_times() -> None:
    batch = window(make_point(3, {"value": 1.5}))
    assert single("mode", batch, usePointTimes=True).time == T0 + 3 * SECOND
    assert single("median", batch, usePointTimes=True).time == T0 + 3 * SECOND
    assert single("mean", batch, usePointTimes=True).time == batch.time


def test_sum_with_use_point_times_is_stamped_with_go_time_zero_of_its_seed() -> None:
    batch = window(make_point(3, {"value": 1.5}))
    assert single("sum", batch, usePointTimes=True).time == 0  # time.Unix(0, 0)
    assert single("count", batch, usePointTimes=True).time == batch.time


def test_percentile_selects_by_rank_and_can_emit_nothing() -> None:
    batch = window(*(make_point(i, {"value": v, "i": i}) for i, v in enumerate((3, 1, 2, 4))))
    point = single("percentile", batch, percentile=50.0, as_name="p50")
    assert point.fields == {"p50": 2, "i": 2}
    assert run("percentile", batch, percentile=10.0) == []  # floor(0.4 + 0.5) - 1 < 0
    assert run("percentile", batch, percentile=130.0) == []
    assert run("percentile", batch, percentile=1e308) == []  # n*p overflows to +Inf
    assert single("percentile", batch, percentile=100.0).fields["percentile"] == 4


def test_percentile_keeps_arrival_order_of_equal_values() -> None:
    batch = window(*(make_point(i, {"value": 5, "i": i}) for i in range(4)))
    assert single("percentile", batch, percentile=50.0).fields["i"] == 1


def test_stddev_of_one_point_is_nan() -> None:
    assert math.isnan(value_of("stddev", 3.0))
    assert value_of("stddev", 1, 3) == math.sqrt(2)


def test_distinct_emits_a_batch_ordered_by_first_time_then_value() -> None:
    batch = window(
        make_point(1, {"value": 5}, host="a", tags={"dc": "x"}),
        make_point(2, {"value": 4}, host="a"),
        make_point(2, {"value": 1}, host="a"),
        make_point(3, {"value": 5}, host="a"),
        tags={"host": "a"},
    )
    (out,) = run("distinct", batch, as_name="d")
    assert isinstance(out, Batch)
    assert (out.name, out.tags, out.time) == ("m", {"host": "a"}, batch.time)
    assert [p.fields for p in out.points] == [{"d": 5}, {"d": 1}, {"d": 4}]
    assert all(p.tags == {"host": "a"} and p.time == batch.time for p in out.points)


def test_stream_edge_aggregates_points_with_the_same_time() -> None:
    node = influxql("count")
    out = attach(node)
    for s in (0, 0, 0, 1, 2, 2):
        node.point(make_point(s, host="a", group_by=("host",)))
    node.point(make_point(5, host="b", group_by=("host",)))
    node.finish()  # nothing is flushed at the end
    assert [(p.fields["count"], p.time - T0) for p in out.points] == [(3, 0), (1, SECOND)]
    assert out.points[0].tags == {"host": "a"}


def test_stream_edge_emits_nothing_for_a_time_without_the_field() -> None:
    node = influxql("sum")
    out = attach(node)
    node.point(make_point(0, {"other": 1.0}))
    node.point(make_point(1, {"value": 2.0}))
    node.point(make_point(1, {"value": 3.0}))
    node.point(make_point(2, {"value": 1.0}))
    assert [(p.fields, p.time - T0) for p in out.points] == [({"sum": 5.0}, SECOND)]


def test_from_definition_reads_args_and_properties() -> None:
    node = InfluxQLNode.from_definition(
        "percentile1", "percentile", ("value", 50), {"as": "p", "usePointTimes": True}
    )
    assert (node.field, node.as_name, node.use_point_times) == ("value", "p", True)
    with pytest.raises(BuildError):
        InfluxQLNode.from_definition("top1", "top", ("value",), {})
    with pytest.raises(BuildError):
        InfluxQLNode.from_definition("percentile1", "percentile", ("value", "x"), {})


_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**63), 2**63 - 1),
    st.text(max_size=3),
    st.booleans(),
    st.builds(Duration, st.integers(0, 10**12)),
    st.none(),  # None: the point lacks the field
)
_RESULT_TYPE = {"count": int, "mean": float, "median": float, "stddev": float}


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(
        [
            "count",
            "sum",
            "mean",
            "median",
            "mode",
            "spread",
            "stddev",
            "first",
            "last",
            "min",
            "max",
            "percentile",
            "distinct",
        ]
    ),
    values=st.lists(st.tuples(st.integers(0, 5), _VALUES), max_size=15),
)
def test_any_mix_of_values_gives_a_documented_result(method, values) -> None:
    points = [
        make_point(t, {} if v is None else {"value": v}, tags={"i": str(i)})
        for i, (t, v) in enumerate(values)
    ]
    options = {"percentile": 50.0} if method == "percentile" else {}
    items = run(method, window(*points), **options)
    assert len(items) <= 1
    if not items:
        return
    (item,) = items
    if method == "distinct":
        assert isinstance(item, Batch)
        return
    result = item.fields[method]
    if method in _RESULT_TYPE:
        assert type(result) is _RESULT_TYPE[method]
    elif method != "sum":  # the others keep the type of the first usable value
        kinds = FUNCTIONS[method].kinds
        first = next(v for _, v in values if v is not None and kind_of(v) in kinds)
        assert type(result) is (int if type(first) is Duration else type(first))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), max_size=20))
def test_float_sums_add_left_to_right_like_go(values) -> None:
    total = 0.0
    for value in values:
        total += value
    assert go_float_sum(values) == total
    assert math.copysign(1.0, go_float_sum(values)) == math.copysign(1.0, total)


def test_float_sum_is_not_compensated() -> None:
    # A compensated sum (Python 3.12+ sum(), math.fsum) gives 2.0 here; Go gives 1.0.
    assert go_float_sum([1e100, 1.0, -1e100, 1.0]) == 1.0


def test_distinct_with_use_point_times_keeps_first_occurrence_times() -> None:
    batch = window(
        make_point(1, {"value": "b"}),
        make_point(2, {"value": "a"}),
        make_point(3, {"value": "b"}),
        seconds=2.5,
    )
    (out,) = run("distinct", batch, usePointTimes=True)
    assert [(p.fields["distinct"], p.time - T0) for p in out.points] == [
        ("b", SECOND),
        ("a", 2 * SECOND),
    ]
    assert out.time == batch.time  # the later of the window time and the row times


def test_distinct_on_a_stream_emits_a_batch_per_timestamp() -> None:
    node = influxql("distinct")
    out = attach(node)
    for value in (3, 1, 3):
        node.point(make_point(0, {"value": value}))
    node.point(make_point(1, {"value": 7}))
    (batch,) = out.batches
    assert (batch.time, [p.fields["distinct"] for p in batch.points]) == (T0, [1, 3])


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(sorted(FUNCTIONS)),
    values=st.one_of(
        st.lists(st.tuples(st.integers(0, 4), st.integers(-50, 50)), min_size=1, max_size=14),
        st.lists(
            st.tuples(st.integers(0, 4), st.floats(-1e6, 1e6, allow_nan=False)),
            min_size=1,
            max_size=14,
        ),
    ),
)
def test_a_point_without_the_field_changes_nothing(method, values) -> None:
    # Uniform batches take the node's fast path; one point lacking the field sends the same
    # batch through the general path, which must give the same result.
    options = {"percentile": 40.0} if method == "percentile" else {}
    points = [make_point(t, {"value": v}) for t, v in values]
    fast = run(method, window(*points), **options)
    slow = run(method, window(make_point(0, {"other": 1}), *points), **options)
    assert fast == slow


def test_skipped_points_are_reported_to_the_task_diagnostics() -> None:
    from tickmini.alerting.topics import TopicRegistry
    from tickmini.pipeline.definition import NodeDef
    from tickmini.runtime.context import TaskContext

    context = TaskContext(task_name="t", topics=TopicRegistry())
    definition = NodeDef(
        kind="influxql",
        id=2,
        name="mean2",
        method="mean",
        args=("value",),
        properties={"field": "value", "as": "mean", "usePointTimes": False},
        edge="stream",
    )
    node = InfluxQLNode(definition, context)
    attach(node)
    node.batch(window(make_point(0, {"other": 1.0}), make_point(1, {"value": 2.0})))
    assert sum(context.diagnostics.counts.values()) == 1
    assert "mean2" in context.diagnostics.messages[0]

"""promtool's expanding notation, adapted: what each token stands for, and what is refused."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.testing.series import (
    NotationError,
    SeriesKey,
    build_points,
    expand_values,
    parse_series_key,
)


@pytest.mark.parametrize(
    ("text", "samples"),
    [
        ("95-5x3", [95.0, 90.0, 85.0, 80.0]),
        ("1+1x2", [1.0, 2.0, 3.0]),
        ("7x2", [7.0, 7.0, 7.0]),
        ("1 2 _ 3", [1.0, 2.0, None, 3.0]),
        ("_x2 4", [None, None, 4.0]),
        ("5i+1x2", [5, 6, 7]),
        ("-5-2x2", [-5.0, -7.0, -9.0]),
        ("1e-5x1", [1e-05, 1e-05]),
        ('true false "up"', [True, False, "up"]),
        ("0.5+0.25x2", [0.5, 0.75, 1.0]),
    ],
)
def test_expansion(text: str, samples: list[object]) -> None:
    assert expand_values(text) == samples


def test_integer_samples_are_ints_and_floats_are_floats() -> None:
    assert [type(v) for v in expand_values("3i 3")] == [int, float]


@pytest.mark.parametrize("text", ["stale", "abc", "1.5i", "1+x3", "9223372036854775808i", "nan"])
def test_bad_tokens_are_refused_with_the_token(text: str) -> None:
    with pytest.raises(NotationError) as info:
        expand_values(text)
    assert info.value.token == text


def test_stale_explains_that_kapacitor_has_no_staleness() -> None:
    with pytest.raises(NotationError) as info:
        expand_values("1 stale")
    assert info.value.hint is not None and "_" in info.value.hint


def test_series_key_with_escapes() -> None:
    key = parse_series_key(r"cpu\ load,host=server\ A,dc=eu\,west usage\=idle")
    assert key == SeriesKey("cpu load", (("dc", "eu,west"), ("host", "server A")), "usage=idle")


@pytest.mark.parametrize("text", ["cpu", "cpu,host usage", ",host=a v", "cpu,host= v"])
def test_bad_series_keys(text: str) -> None:
    with pytest.raises(NotationError):
        parse_series_key(text)


def test_points_merge_fields_of_one_series_and_keep_series_order_at_equal_times() -> None:
    a_idle = parse_series_key("cpu,host=a usage_idle")
    b_idle = parse_series_key("cpu,host=b usage_idle")
    a_user = parse_series_key("cpu,host=a usage_user")
    points = build_points(
        [(a_idle, [1.0, None]), (b_idle, [2.0, 3.0]), (a_user, [9.0, 8.0])],
        start=100,
        interval=10,
        database="db",
        retention_policy="rp",
    )
    assert [(p.tags["host"], p.time, p.fields) for p in points] == [
        ("a", 100, {"usage_idle": 1.0, "usage_user": 9.0}),
        ("b", 100, {"usage_idle": 2.0}),
        ("a", 110, {"usage_user": 8.0}),
        ("b", 110, {"usage_idle": 3.0}),
    ]
    assert {(p.database, p.retention_policy) for p in points} == {("db", "rp")}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fuzz_notation_raises_only_notation_errors(text: str) -> None:
    with contextlib.suppress(NotationError):
        expand_values(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fuzz_series_keys_raise_only_notation_errors(text: str) -> None:
    with contextlib.suppress(NotationError):
        parse_series_key(text)

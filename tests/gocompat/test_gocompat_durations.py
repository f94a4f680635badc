"""Go/InfluxQL duration text (reference §1.6, §4.7, §4.13)."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.gocompat.durations import (
    InvalidDurationError,
    format_go_duration,
    format_influxql_duration,
    parse_influxql_duration,
)
from tickmini.gocompat.int64 import INT64_MAX, INT64_MIN


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (1_500_000_000, "1.5s"),
        (120_000_000_000, "2m0s"),
        (3_600_000_000_000, "1h0m0s"),
        (100_000_000, "100ms"),
        (10_000, "10µs"),
        (1_001, "1.001µs"),
        (5, "5ns"),
        (90_000_000_000, "1m30s"),
        (-1_500_000_000, "-1.5s"),
        (INT64_MAX, "2562047h47m16.854775807s"),
        (INT64_MIN, "-2562047h47m16.854775808s"),
    ],
)
def test_go_duration_string(ns: int, text: str) -> None:
    assert format_go_duration(ns) == text


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (90_000_000_000, "90s"),
        (7_200_000_000_000, "2h"),
        (7 * 86_400_000_000_000, "1w"),
        (86_400_000_000_000, "1d"),
        (1_500_000_000, "1500ms"),
        (10_000, "10u"),
        (1_001, "1001ns"),
        (-60_000_000_000, "-1m"),
    ],
)
def test_influxql_format(ns: int, text: str) -> None:
    assert format_influxql_duration(ns) == text


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("1h30m", 5_400_000_000_000),
        ("-5ms", -5_000_000),
        ("10ns", 10),
        ("1u", 1_000),
        ("1µ", 1_000),
        ("2w", 14 * 86_400_000_000_000),
        ("1d", 86_400_000_000_000),
        ("90s", 90_000_000_000),
    ],
)
def test_influxql_parse(text: str, ns: int) -> None:
    assert parse_influxql_duration(text) == ns


@pytest.mark.parametrize(
    "text", ["", "5", "s", "1x", "1h3", "1µs", "-", "1.5s", "9223372036854775807h"]
)
def test_influxql_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidDurationError):
        parse_influxql_duration(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-(2**62), max_value=2**62))
def test_influxql_round_trip(ns: int) -> None:
    assert parse_influxql_duration(format_influxql_duration(ns)) == ns


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_influxql_parse_only_documented_errors(text: str) -> None:
    with contextlib.suppress(InvalidDurationError):
        parse_influxql_duration(text)

"""Go time text and Time.Sub saturation (reference §4.7, §4.13, Appendix A)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.gocompat.int64 import INT64_MAX, INT64_MIN
from tickmini.gocompat.timefmt import (
    GO_ZERO_TIME_NS,
    format_go_time,
    format_layout,
    format_rfc822,
    format_rfc3339nano,
    sub_saturating,
    weekday,
)

T1971 = 31_536_000_000_000_000


def test_rfc3339nano() -> None:
    assert format_rfc3339nano(T1971 + 10_000_000_000) == "1971-01-01T00:00:10Z"
    assert format_rfc3339nano(T1971 + 10_500_000_000) == "1971-01-01T00:00:10.5Z"
    assert format_rfc3339nano(T1971 + 1) == "1971-01-01T00:00:00.000000001Z"
    assert format_rfc3339nano(GO_ZERO_TIME_NS) == "0001-01-01T00:00:00Z"
    assert format_rfc3339nano(-1) == "1969-12-31T23:59:59.999999999Z"


def test_go_time_string() -> None:
    assert format_go_time(T1971 + 10_000_000_000) == "1971-01-01 00:00:10 +0000 UTC"
    assert format_go_time(T1971 + 10_500_000_000) == "1971-01-01 00:00:10.5 +0000 UTC"
    assert format_go_time(GO_ZERO_TIME_NS) == "0001-01-01 00:00:00 +0000 UTC"


def test_rfc822_and_layout() -> None:
    assert format_rfc822(T1971) == "01 Jan 71 00:00 UTC"
    assert format_layout(
        T1971 + 13 * 3600 * 10**9 + 5 * 10**8, "Mon Jan _2 3:04:05PM 2006 .000 .999 MST"
    ) == ("Fri Jan  1 1:00:00PM 1971 .500 .5 UTC")
    assert format_layout(T1971, "2006-01-02T15:04:05Z07:00") == "1971-01-01T00:00:00Z"


def test_zero_time_sub_saturates() -> None:
    assert sub_saturating(T1971, GO_ZERO_TIME_NS) == INT64_MAX
    assert sub_saturating(GO_ZERO_TIME_NS, T1971) == INT64_MIN
    assert sub_saturating(T1971 + 5, T1971) == 5


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_calendar_matches_python(moment: dt.datetime) -> None:
    epoch = dt.datetime(1970, 1, 1)
    delta = moment - epoch
    ns = (delta.days * 86_400 + delta.seconds) * 10**9 + delta.microseconds * 1000
    expected = moment.strftime("%Y-%m-%dT%H:%M:%S").rjust(19, "0")
    frac = f".{moment.microsecond:06d}".rstrip("0").rstrip(".")
    assert format_rfc3339nano(ns) == f"{moment.year:04d}{expected[4:]}{frac}Z"
    assert weekday(ns) == (moment.weekday() + 1) % 7


@pytest.mark.parametrize("layout", ["", "no tokens here"])
def test_layout_literal_text(layout: str) -> None:
    assert format_layout(T1971, layout) == layout

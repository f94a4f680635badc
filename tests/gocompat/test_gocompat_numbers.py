"""Go float text, with the examples the reference verified by running Go (§4.7, §6.4, App. A)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.gocompat.numbers import (
    UnsupportedFloatError,
    format_float_e,
    format_float_f,
    format_float_json,
    format_float_v,
)

V_CASES = [
    (100000.0, "100000"),
    (999999.5, "999999.5"),
    (1000000.0, "1e+06"),
    (1000000.5, "1.0000005e+06"),
    (0.0001, "0.0001"),
    (0.00001, "1e-05"),
    (97.1, "97.1"),
    (100.0, "100"),
    (1e20, "1e+20"),
    (1e21, "1e+21"),
    (1e-7, "1e-07"),
    (-0.0, "-0"),
    (0.0, "0"),
    (1234567.0, "1.234567e+06"),
    (123456.0, "123456"),
    (0.30000000000000004, "0.30000000000000004"),
    (-2.5, "-2.5"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (math.nan, "NaN"),
    (math.inf, "+Inf"),
    (-math.inf, "-Inf"),
]


@pytest.mark.parametrize(("value", "text"), V_CASES)
def test_v(value: float, text: str) -> None:
    assert format_float_v(value) == text


JSON_CASES = [
    (1000000.0, "1000000"),
    (1e21, "1e+21"),
    (1e-7, "1e-7"),
    (0.00001, "0.00001"),
    (1e-6, "0.000001"),
    (10.0, "10"),
    (-0.0, "-0"),
    (1e20, "100000000000000000000"),
    (123456789e-15, "1.23456789e-7"),
    (0.30000000000000004, "0.30000000000000004"),
    (1e100, "1e+100"),
]


@pytest.mark.parametrize(("value", "text"), JSON_CASES)
def test_json(value: float, text: str) -> None:
    assert format_float_json(value) == text


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_json_rejects_non_finite(value: float) -> None:
    with pytest.raises(UnsupportedFloatError):
        format_float_json(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"),
        (10.0, "10"),
        (2.5, "2.5"),
        (-0.0, "-0"),
    ],
)
def test_f(value: float, text: str) -> None:
    assert format_float_f(value) == text


@pytest.mark.parametrize(("value", "text"), [(1e6, "1e+06"), (0.0, "0e+00"), (1.5e-7, "1.5e-07")])
def test_e(value: float, text: str) -> None:
    assert format_float_e(value) == text


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_all_forms_round_trip(value: float) -> None:
    for form in (format_float_v, format_float_json, format_float_f, format_float_e):
        text = form(value)
        assert float(text) == value
        assert not text.endswith(".0")

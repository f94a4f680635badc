"""Go encoding/json bytes (reference §4.7, §4.8, §6.4, Appendix A)."""

import math

import pytest

from tickmini.gocompat.gotypes import GoField, GoMap, GoStruct, struct_type
from tickmini.gocompat.jsonenc import JSONEncodeError, encode, encode_line
from tickmini.gocompat.numbers import UnsupportedFloatError
from tickmini.values import Duration, Time

ROW = struct_type(
    "models.Row",
    (
        GoField("Name", json_name="name", omitempty=True),
        GoField("Tags", json_name="tags", omitempty=True),
        GoField("Columns", json_name="columns", omitempty=True),
        GoField("Values", json_name="values", omitempty=True),
    ),
)


def test_map_keys_sorted_struct_keys_declared() -> None:
    row = GoStruct(
        ROW, ("cpu", {"z": "1", "a": "2"}, ["time", "v"], [[Time(31_536_010_000_000_000), 10.0]])
    )
    assert encode({"series": [row]}) == (
        '{"series":[{"name":"cpu","tags":{"a":"2","z":"1"},"columns":["time","v"],'
        '"values":[["1971-01-01T00:00:10Z",10]]}]}'
    )


def test_omitempty() -> None:
    row = GoStruct(ROW, ("cpu", {}, ["time"], []))
    assert encode(row) == '{"name":"cpu","columns":["time"]}'


def test_embedded_struct_flattened_and_shadowed() -> None:
    inner = struct_type("p.inner", (GoField("A"), GoField("B")))
    outer = struct_type(
        "p.outer",
        (GoField("inner", embedded=True, exported=False), GoField("B"), GoField("C")),
        inner,
    )
    value = GoStruct(outer, (GoStruct(inner, (1, 2)), 3, 4))
    assert encode(value) == '{"A":1,"B":3,"C":4}'


def test_string_escaping() -> None:
    text = '<a href="x">&</a>\u2028\u2029\x01\x7f\n\r\t\\é日\ud800'
    assert encode(text) == (
        '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e\\u2028\\u2029\\u0001\x7f'
        '\\n\\r\\t\\\\é日\\ufffd"'
    )
    assert encode("<&>", escape_html=False) == '"<&>"'


def test_scalars() -> None:
    assert encode([None, True, False, 42, -9223372036854775808, 1e21, 1e-7, 0.00001]) == (
        "[null,true,false,42,-9223372036854775808,1e+21,1e-7,0.00001]"
    )
    assert encode(Duration(90_000_000_000)) == "90000000000"
    assert encode(GoMap({"b": "1", "a": "2"}, "string")) == '{"a":"2","b":"1"}'
    assert encode({}) == "{}"
    assert encode_line({"a": 1}) == '{"a":1}\n'


@pytest.mark.parametrize("value", [math.nan, math.inf, {"x": -math.inf}])
def test_non_finite_is_an_error(value: object) -> None:
    with pytest.raises(UnsupportedFloatError):
        encode(value)


def test_unknown_type_is_an_error() -> None:
    with pytest.raises(JSONEncodeError):
        encode(object())
    with pytest.raises(JSONEncodeError):
        encode({1: 2})

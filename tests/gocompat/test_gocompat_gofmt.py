"""Go fmt printing (Sprint/Sprintln/Sprintf) of the Go value model."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.gocompat.gofmt import format_v, sprint, sprintf, sprintln, type_name
from tickmini.gocompat.gotypes import GoByte, GoInt, GoMap
from tickmini.gocompat.template.kapacitor import id_data, message_data, server_info
from tickmini.values import Duration, Time

TAGS = GoMap({"host": "a", "dc": "x"}, "string")
IDS = id_data("cpu", "t", "", {"h": "a"}, server_info("h", "c", "s"))
MSG = message_data(IDS, "x", {"v": 1.5}, "OK", 31_536_010_500_000_000, 5)


@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("%v|%d|%s", [None, None, None], "<nil>|%!d(<nil>)|%!s(<nil>)"),
        ("%d", [3.5], "%!d(float64=3.5)"),
        ("%s %s", ["a"], "a %!s(MISSING)"),
        ("%s", ["a", "b", 3], "a%!(EXTRA string=b, int64=3)"),
        ("%d %d %[1]d", [1, 2], "1 2 1"),
        ("%[2]s%[1]s", ["a", "b"], "ba"),
        ("%[3]d", [1], "%!d(BADINDEX)"),
        ("100%%|%", [], "100%|%!(NOVERB)"),
        ("%+v|%+d|%+.1f|% d", [5, 5, 1.5, 5], "5|+5|+1.5| 5"),
        (
            "%f|% f|%+f|%f|%5.1f",
            [math.inf, math.inf, math.nan, -math.inf, math.nan],
            "+Inf| Inf|+NaN|-Inf|  NaN",
        ),
        ("%x|%X|%x", [3.5, 3.5, 0.0], "0x1.cp+01|0X1.CP+01|0x0p+00"),
        (
            "%08.3f|%-8.2f|%8.2e|%g|%.3g",
            [-1.5, 2.0, 12345.678, 1e21, 1234.5678],
            "-001.500|2.00    |1.23e+04|1e+21|1.23e+03",
        ),
        (
            "%05d|%-5d|%.3d|%x|%#x|%#o|%b|%c|%U|%q",
            [-42, 7, 7, -255, 255, 8, 5, 0x65E5, 0x65E5, 97],
            "-0042|7    |007|-ff|0xff|010|101|日|U+65E5|'a'",
        ),
        (
            "%5s|%-5s|%.2s|%q|%+q|%x|% X",
            ["ab", "ab", "日本語", "é\n", "é", "hi", "hi"],
            '   ab|ab   |日本|"é\\n"|"\\u00e9"|6869|68 69',
        ),
        ("%t|%v|%5t|%d", [True, False, True, True], "true|false| true|%!d(bool=true)"),
        ("%v|%s|%d", [Duration(90_000_000_000)] * 3, "1m30s|1m30s|90000000000"),
        (
            "%v|%s",
            [Time(31_536_010_500_000_000)] * 2,
            "1971-01-01 00:00:10.5 +0000 UTC|1971-01-01 00:00:10.5 +0000 UTC",
        ),
        (
            "%v|%d|%+v",
            [TAGS, TAGS, TAGS],
            "map[dc:x host:a]|map[%!d(string=dc):%!d(string=x) %!d(string=host):%!d(string=a)]|map[dc:x host:a]",
        ),
        ("%v|%+v", [IDS.values[4], IDS.values[4]], "{h c s}|{Hostname:h ClusterID:c ServerID:s}"),
        ("%#v|%#v|%#v", ['a"', 1.0, None], '"a\\""|1|<nil>'),
        (
            "%#v",
            [Time(31_536_010_500_000_000)],
            "time.Date(1971, time.January, 1, 0, 0, 10, 500000000, time.UTC)",
        ),
        (
            "%T %T %T %T %T %T",
            [GoInt(1), 1, 1.0, GoByte(1), None, MSG],
            "int int64 float64 uint8 <nil> kapacitor.messageInfo",
        ),
    ],
)
def test_sprintf(fmt: str, args: list[object], expected: str) -> None:
    assert sprintf(fmt, args) == expected


def test_sprint_spacing_and_values() -> None:
    assert sprint("a", 1, 2, "b", None, 3) == "a1 2b<nil> 3"
    assert sprintln("a", 1, None) == "a 1 <nil>\n"
    assert (
        format_v(MSG)
        == "{{cpu t nil map[h:a] {h c s}} x map[v:1.5] OK 1971-01-01 00:00:10.5 +0000 UTC 5ns}"
    )
    assert format_v([1.0, "x", True]) == "[1 x true]"
    assert type_name(TAGS) == "map[string]string"


go_values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.builds(Duration, st.integers(min_value=-(2**63), max_value=2**63 - 1))
    | st.builds(Time, st.integers(min_value=-(2**62), max_value=2**62))
)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="%#0+- .*[]123456789vdsqxXobcUtTeEfFgGw%é", max_size=12),
    st.lists(go_values, max_size=4),
)
def test_sprintf_never_fails(fmt: str, args: list[object]) -> None:
    assert isinstance(sprintf(fmt, args), str)
    assert isinstance(sprint(*args), str)

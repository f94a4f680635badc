"""Line protocol as Kapacitor (InfluxDB 1.x) reads it: values, escapes, errors, options, stats."""

from __future__ import annotations

import io

import pytest

from tickmini.errors import LineProtocolError, TickminiError
from tickmini.io import read_points
from tickmini.values import Point

NOW = 1_700_000_123_456_789_123


def points(text: str, **options: object) -> list[Point]:
    options.setdefault("now", lambda: NOW)
    reader = read_points(io.StringIO(text), strict=True, **options)  # type: ignore[arg-type]
    return list(reader)


def one(text: str, **options: object) -> Point:
    (point,) = points(text, **options)
    return point


def error(text: str, **options: object) -> LineProtocolError:
    with pytest.raises(LineProtocolError) as info:
        points(text, **options)
    return info.value


def typed(fields: dict[str, object]) -> dict[str, tuple[str, object]]:
    return {k: (type(v).__name__, v) for k, v in fields.items()}


# -- values ----------------------------------------------------------------------------------


def test_floats_integers_strings_booleans_keep_their_types() -> None:
    p = one('cpu f=1,g=-1.5,h=1e3,j=.5,k=42i,l=-7i,s="x y",b=true 10')
    assert typed(p.fields) == {
        "f": ("float", 1.0),
        "g": ("float", -1.5),
        "h": ("float", 1000.0),
        "j": ("float", 0.5),
        "k": ("int", 42),
        "l": ("int", -7),
        "s": ("str", "x y"),
        "b": ("bool", True),
    }
    assert (p.name, p.tags, p.time) == ("cpu", {}, 10)


@pytest.mark.parametrize(
    ("spelling", "value"),
    [(s, True) for s in ("t", "T", "true", "True", "TRUE")]
    + [(s, False) for s in ("f", "F", "false", "False", "FALSE")],
)
def test_every_boolean_spelling(spelling: str, value: bool) -> None:
    assert one(f"m b={spelling} 1").fields == {"b": value}


@pytest.mark.parametrize("bad", ["tRUE", "yes", "on", "tru", "FALSe", "+1", "inf", "Inf"])
def test_other_words_are_invalid_booleans(bad: str) -> None:
    assert error(f"m b={bad} 1").message == "invalid boolean"


@pytest.mark.parametrize("bad", ["NaN", "nan", "1.1.1", "-", "1i5", "1.5i", "1e5i", "1_000"])
def test_invalid_numbers(bad: str) -> None:
    assert error(f"m v={bad} 1").message in {"invalid number", "invalid float"}


def test_integer_range_is_int64() -> None:
    assert one("m v=9223372036854775807i 1").fields["v"] == 2**63 - 1
    assert one("m v=-9223372036854775808i 1").fields["v"] == -(2**63)
    err = error("m v=9223372036854775808i 1")
    assert "out of range" in err.message and err.column == 5


def test_float_out_of_range_is_rejected() -> None:
    assert error("m v=1e400 1").message == "invalid float"
    assert one("m v=1e-400 1").fields["v"] == 0.0


def test_unsigned_is_rejected_unless_allowed() -> None:
    err = error("m v=42u 1")
    assert err.message == "invalid number" and "unsigned" in (err.expected or "")
    assert one("m v=42u 1", allow_unsigned=True).fields == {"v": 42}
    assert error("m v=-1u 1", allow_unsigned=True).message == "invalid number"
    assert error("m v=18446744073709551616u 1", allow_unsigned=True).message.startswith(
        "unable to parse unsigned"
    )


def test_last_value_wins_for_a_repeated_field() -> None:
    assert one("m a=1,b=2,a=3i 1").fields == {"a": 3, "b": 2.0}


def test_string_escapes_only_quote_and_backslash() -> None:
    p = one(r'm s="a\"b\\c\d\,e" 1')
    assert p.fields["s"] == 'a"b\\c\\d\\,e'


# -- names, tags and escaping ----------------------------------------------------------------


def test_tags_are_sorted_and_unescaped() -> None:
    p = one(r"my\ cpu\,x,zone=a\ b,host=h\,1,a\=k=v\=w f\ x\=y=1 1")
    assert p.name == "my cpu,x"
    assert list(p.tags) == ["a=k", "host", "zone"]
    assert p.tags == {"a=k": "v=w", "host": "h,1", "zone": "a b"}
    assert p.fields == {"f x=y": 1.0}


def test_equals_sign_is_literal_in_measurement() -> None:
    assert one("measurement=withEq,t=v f=1 1").name == "measurement=withEq"


def test_measurement_unescapes_quote_but_tags_keep_backslash_quote() -> None:
    p = one(r"a\"b,t=x\"y f=1 1")
    assert p.name == 'a"b'
    assert p.tags == {"t": 'x\\"y'}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("cpu,host= f=1 1", "missing tag value"),
        ("cpu,host f=1 1", "missing tag value"),
        ("cpu,=a f=1 1", "missing tag key"),
        ("cpu,a=1,a=2 f=1 1", "duplicate tags"),
        ("cpu,a=b=c f=1 1", "invalid tag format"),
        (",a=b f=1 1", "missing measurement"),
        ("cpu", "missing fields"),
        ("cpu,a=b", "missing fields"),
        ("cpu f= 1", "missing field value"),
        ("cpu =1 1", "missing field key"),
        ("cpu f=1,=2 1", "missing field key"),
        ('cpu s="abc 1', "unbalanced quotes"),
        ("cpu f=1,g 1", "invalid field format"),
        ("cpu f=1 12a", "bad timestamp"),
        ("cpu f=1 1 2", "point is invalid"),
    ],
)
def test_kapacitor_errors(line: str, message: str) -> None:
    assert error(line).message == message


# -- lines, comments, CRLF, timestamps -------------------------------------------------------


def test_comments_blank_lines_and_whitespace_are_skipped() -> None:
    text = "# a comment\n\n   \n\t# indented comment\n  cpu f=1 1\ncpu f=2 2   \n"
    assert [p.fields["f"] for p in points(text)] == [1.0, 2.0]


def test_crlf_line_endings() -> None:
    text = 'cpu,host=a f=1 1\r\ncpu,host=a f=2i\r\n# c\r\n\r\ncpu s="x" 3\r\n'
    got = points(text)
    assert [p.fields for p in got] == [{"f": 1.0}, {"f": 2}, {"s": "x"}]
    assert got[1].time == NOW


def test_quoted_newline_continues_the_line() -> None:
    got = points('cpu s="two\nlines",n=1 5\ncpu n=2 6\n')
    assert [(p.fields, p.time) for p in got] == [
        ({"s": "two\nlines", "n": 1.0}, 5),
        ({"n": 2.0}, 6),
    ]


@pytest.mark.parametrize(
    ("precision", "stamp", "ns"),
    [
        ("n", "1", 1),
        ("u", "1", 1_000),
        ("ms", "1", 1_000_000),
        ("s", "-2", -2_000_000_000),
        ("m", "1", 60_000_000_000),
        ("h", "1", 3_600_000_000_000),
    ],
)
def test_precision(precision: str, stamp: str, ns: int) -> None:
    assert one(f"m f=1 {stamp}", precision=precision).time == ns


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("n", NOW),
        ("u", NOW - NOW % 1_000),
        ("ms", NOW - NOW % 1_000_000),
        ("s", NOW - NOW % 1_000_000_000),
        ("m", NOW - NOW % 60_000_000_000),
        ("h", NOW - NOW % 3_600_000_000_000),
    ],
)
def test_missing_timestamp_gets_read_time_truncated_to_precision(
    precision: str, expected: int
) -> None:
    assert one("m f=1", precision=precision).time == expected
    assert one("m f=1   ", precision=precision).time == expected


def test_missing_timestamp_defaults_to_the_wall_clock() -> None:
    import time

    before = time.time_ns()
    (point,) = list(read_points(io.StringIO("m f=1\n"), strict=True))
    assert before <= point.time <= time.time_ns()


def test_timestamp_range() -> None:
    assert one("m f=1 9223372036854775806").time == 9223372036854775806
    assert one("m f=1 -9223372036854775806").time == -9223372036854775806
    assert error("m f=1 9223372036854775807").message.startswith("time outside range")
    assert error("m f=1 9223372036854775808").message.startswith("bad timestamp")
    assert error("m f=1 9223372036854776", precision="ms").message.startswith("time outside")


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError):
        read_points(io.StringIO(""), precision="us")


def test_invalid_utf8_is_reported_for_that_line_only() -> None:
    data = b"cpu f=1 1\ncp\xffu f=2 2\ncpu f=3 3\n"
    reader = read_points(io.BytesIO(data), now=lambda: NOW)
    assert [p.fields["f"] for p in reader] == [1.0, 3.0]
    (err,) = reader.errors
    assert (err.line, err.column, err.message) == (2, 3, "invalid UTF-8")


# -- errors, lenient mode, stats -------------------------------------------------------------


def test_strict_stops_at_the_first_bad_line_with_its_location() -> None:
    stream = io.StringIO('cpu f=1 1\ncpu f=1 1\ncpu,host=a f="x 3\ncpu f=4 4\n')
    stream.name = "data.lp"
    reader = read_points(stream, strict=True)
    assert next(reader).time == 1
    assert next(reader).time == 1
    with pytest.raises(LineProtocolError) as info:
        next(reader)
    err = info.value
    assert isinstance(err, TickminiError)
    assert (err.file, err.line, err.column) == ("data.lp", 3, 14)
    assert err.render().splitlines()[0] == "data.lp:3:14: error: unbalanced quotes"
    assert err.expected


def test_lenient_reports_skips_and_counts() -> None:
    text = "cpu f=1 1\nbad\ncpu f=2 2\ncpu f=x 3\n# comment\ncpu f=4 4"
    reader = read_points(io.StringIO(text))
    assert [p.time for p in reader] == [1, 2, 4]
    assert [(e.line, e.message) for e in reader.errors] == [
        (2, "missing fields"),
        (4, "invalid boolean"),
    ]
    stats = reader.stats
    assert (stats.points, stats.lines, stats.rejected) == (3, 6, 2)
    assert stats.summary() == "read 3 points from 6 lines; 2 lines rejected"


def test_on_error_callback_receives_each_error() -> None:
    seen: list[str] = []
    reader = read_points(
        io.StringIO("a\ncpu f=1 1\nb\n"), on_error=lambda e: seen.append(e.render())
    )
    assert len(list(reader)) == 1
    assert [s.split(": error:")[0] for s in seen] == ["<stream>:1:2", "<stream>:3:2"]
    assert reader.errors == []  # handed to the callback, not kept


def test_the_good_lines_of_a_large_bad_block_are_kept() -> None:
    lines = [f"cpu,host=h{i % 7} v={i}.5 {i}" for i in range(3000)]
    lines[1234] = "cpu,host=h v=oops 1"
    reader = read_points(io.StringIO("\n".join(lines) + "\n"))
    got = list(reader)
    assert len(got) == 2999 and reader.stats.rejected == 1
    assert reader.errors[0].line == 1235


def test_dbrp_sets_database_and_retention_policy() -> None:
    p = one("cpu f=1 1", dbrp="tele.graf.autogen")
    assert (p.database, p.retention_policy) == ("tele.graf", "autogen")
    p = one("cpu f=1 1", dbrp=("db", "rp"))
    assert (p.database, p.retention_policy) == ("db", "rp")
    with pytest.raises(ValueError):
        read_points(io.StringIO(""), dbrp="nodot")


def test_points_of_one_series_share_one_read_only_tag_dict() -> None:
    """Shared, not copied per point (speed, and a window holds a series' tags once)."""
    got = points("cpu,host=a f=1 1\ncpu,host=a f=2 2\ncpu,host=b f=3 3\n")
    assert got[0].tags is got[1].tags
    assert got[0].tags == {"host": "a"}
    assert got[2].tags == {"host": "b"}

"""The column parser never accepts a block the exact parser would not, and never reads a
column differently; a reader with a row filter counts and reports exactly what one without does."""

from __future__ import annotations

import io
import os
import random
import struct
from collections.abc import Callable, Iterator
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tickmini.errors import LineProtocolError
from tickmini.io import read_points, sources
from tickmini.io.lp_columns import MAX_FIELD_KEY, MAX_SCHEMAS, ColumnBlock, make_column_parser
from tickmini.io.lp_exact import (
    MAX_NANO_TIME,
    MIN_NANO_TIME,
    PRECISION_MULTIPLIERS,
    ParsedLine,
    parse_logical_line,
)
from tickmini.io.lp_fast import KeyDecoder
from tickmini.lang.types import MISSING
from tickmini.values import Point

NOW = 1_600_000_000_123_456_789
SETTINGS = settings(
    max_examples=int(os.environ.get("LP_COLUMNS_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PRECISIONS = sorted(PRECISION_MULTIPLIERS)

# -- strategies ---------------------------------------------------------------------------------

NAME_CHARS = "abcxyz019-._"
# Control characters the exact parser keeps in names, and ones the fast paths must refuse
# (Python's split() and float() treat \x1c-\x1f, \x0b and \x0c as blanks), non-ASCII, '#'.
ODD_CHARS = ["\x01", "\x1b", "\x7f", "\x1c", "\x1f", "\x0b", "\x0c", "\x85", "\xa0", "é", "#"]
plain_names = st.text(st.sampled_from(NAME_CHARS), min_size=1, max_size=6)
names = plain_names | st.text(st.sampled_from([*NAME_CHARS, *ODD_CHARS]), min_size=1, max_size=4)
# Field keys from a small pool (so lines of a block often share a schema), with names that
# end in another key ("xusage_idle", "usage_idle", "idle") or start with one ("a", "a1").
FIELD_KEYS = ["usage_idle", "xusage_idle", "idle", "a", "a1", "b-c", "d.e", "_f", "9"]
field_keys = st.sampled_from(FIELD_KEYS) | plain_names
BOOLEAN_WORDS = ["t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"]
BAD_VALUES = [
    "1.2.3",
    "-",
    ".",
    "1.",
    ".5",
    "-.5",
    "1e5",
    "1E-3",
    "NaN",
    "nan",
    "inf",
    "-Inf",
    "1u",
    "--1",
    "+1",
    "1_0",
    "0x1",
    "tru",
    "yes",
    "1i2",
    "i",
    '"s"',
    "",
]


def _digits(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=min_size, max_size=max_size)


float_texts = st.builds(
    lambda sign, whole, frac: sign + whole + frac,
    st.sampled_from(["", "-"]),
    _digits(1, 4) | st.just("0") | _digits(295, 310),  # leading zeros; huge integer parts
    st.sampled_from([""]) | st.builds(lambda d: "." + d, _digits(1, 5)),
)
int_texts = st.builds(
    lambda sign, digits: f"{sign}{digits}i",
    st.sampled_from(["", "-"]),
    _digits(1, 3)
    | _digits(17, 20)
    | st.sampled_from(["9223372036854775807", "9223372036854775808"]),
)
field_value_texts = st.one_of(
    float_texts,
    float_texts,
    int_texts,
    st.sampled_from(BOOLEAN_WORDS),
    st.sampled_from(BAD_VALUES),
)
stamp_texts = st.one_of(
    st.integers(0, 10**12).map(str),
    st.integers(10**18, 10**19 - 1).map(str),  # 19 digits, near and past the int64 limit
    st.sampled_from(
        [
            str(MAX_NANO_TIME),
            str(MAX_NANO_TIME + 1),
            str(MAX_NANO_TIME + 2),
            "9999999999999999999",
            "8999999999999999999",
            "0000000000000000001",
            "09223372036854775807",
            "-1",
            str(MIN_NANO_TIME),
            "-",
            "",
            "1.5",
            "12a",
        ]
    ),
    st.integers(-(10**12), -1).map(str),
)


tidy_value_texts = st.one_of(
    float_texts.filter(lambda text: len(text.lstrip("-").partition(".")[0]) <= 300),
    st.builds(lambda sign, digits: f"{sign}{digits}i", st.sampled_from(["", "-"]), _digits(1, 18)),
    st.sampled_from(BOOLEAN_WORDS),
)
tidy_stamp_texts = st.integers(0, MAX_NANO_TIME // 3_600_000_000_000).map(str)


@st.composite
def keys(draw: st.DrawFn, tidy: bool = False) -> str:
    if tidy:
        measurement = draw(plain_names)
        tags = draw(
            st.dictionaries(
                st.sampled_from(["host", "dc", "a", "z"]) | plain_names, plain_names, max_size=3
            )
        )
        return ",".join([measurement, *(f"{k}={v}" for k, v in tags.items())])
    measurement = draw(names | st.sampled_from(["cpu", "#cpu", "c=u", "cpu\\,x", ""]))
    tags = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["host", "dc", "a", "b", "z"]) | names,
                st.sampled_from(["", "x", "a=b", "srv-1.local", "1"]) | names,
            ),
            max_size=3,
        )
    )  # duplicate keys, unsorted keys and empty values all come up
    return ",".join([measurement, *(f"{k}={v}" for k, v in tags)])


@st.composite
def blocks(draw: st.DrawFn) -> str:
    """A block of whole lines: mostly one field schema (so the column parser may answer),
    sometimes another order, another set, a comment, a blank line or a line without a time.
    A tidy block has only what the block pattern takes, so that it is often accepted."""
    tidy = draw(st.booleans())
    values = tidy_value_texts if tidy else field_value_texts
    stamps = tidy_stamp_texts if tidy else stamp_texts
    schema = draw(st.lists(field_keys, min_size=1, max_size=4, unique=True))
    line_count = draw(st.integers(1, 8))
    odd_kinds = ["shuffled", "other", "comment", "blank", "no-time"]
    lines = []
    for _ in range(line_count):
        kind = draw(st.sampled_from(["same"] * (40 if tidy else 8) + odd_kinds))
        if kind == "comment":
            lines.append("# " + draw(names))
            continue
        if kind == "blank":
            lines.append("")
            continue
        line_schema = list(schema)
        if kind == "shuffled":
            line_schema = draw(st.permutations(schema))
        elif kind == "other":
            line_schema = draw(st.lists(field_keys | names, min_size=1, max_size=4))  # may repeat
        fields = ",".join(f"{key}={draw(values)}" for key in line_schema)
        line = f"{draw(keys(tidy))} {fields}"
        if kind != "no-time":
            line += " " + draw(stamps)
        lines.append(line)
    return "".join(line + "\n" for line in lines)


# -- helpers ------------------------------------------------------------------------------------


def exact(line: str, precision: str) -> ParsedLine | None:
    return parse_logical_line(line, lambda: NOW, precision)


def same_value(a: object, b: object) -> bool:
    """Type and value equal; floats bit for bit (so -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return struct.pack(">d", a) == struct.pack(">d", b)  # type: ignore[arg-type]
    return a == b


def check_block_against_exact(block: str, parsed: ColumnBlock, precision: str) -> None:
    lines = block.split("\n")[:-1]
    assert parsed.n == len(lines)
    exacts = []
    for i, line in enumerate(lines):
        assert parsed.line(i) == line
        result = exact(line, precision)  # raises if the column parser accepted a bad line
        assert result is not None, f"accepted a comment or blank line: {line!r}"
        exacts.append(result)
        assert parsed.decoded[i] == (result.name, result.tags)
        assert int(parsed.stamps[i]) * PRECISION_MULTIPLIERS[precision] == result.time
    every_key = {key for result in exacts for key in result.fields}
    if parsed.schema is not None:  # one field-key list: every row has exactly these keys
        assert all(tuple(result.fields) == parsed.schema for result in exacts)
    some_rows = list(range(0, len(exacts), 2))
    for name in sorted(every_key | set(FIELD_KEYS) | {"usage", "idl", "e"}):
        column = parsed.column(name)
        if any(name in result.fields for result in exacts):
            assert column is not None, name
            want = [result.fields.get(name, MISSING) for result in exacts]
            assert len(column) == len(want)
            for got, expected in zip(column, want, strict=True):
                assert same_value(got, expected), (name, got, expected)
            chosen = parsed.column(name, some_rows)
            if any(name in exacts[row].fields for row in some_rows):
                assert chosen is not None and len(chosen) == len(some_rows)
                for got, row in zip(chosen, some_rows, strict=True):
                    assert same_value(got, want[row]), (name, row, got)
            else:
                assert chosen is None
        else:
            assert column is None, name
        assert parsed.column(name) is column  # converted once


def stats_of(reader) -> tuple[int, int, int, list[str]]:
    stats = reader.stats
    return stats.points, stats.lines, stats.rejected, [err.render() for err in stats.errors]


def read_all(
    text: str, precision: str, row_filter: Callable[[ColumnBlock], Iterator[int] | None] | None
):
    reader = read_points(
        io.StringIO(text), precision=precision, dbrp="db.rp", row_filter=row_filter, now=lambda: NOW
    )
    points = list(reader)
    return points, stats_of(reader)


# -- properties ---------------------------------------------------------------------------------


@SETTINGS
@given(block=blocks(), precision=st.sampled_from(PRECISIONS))
def test_an_accepted_block_is_what_the_exact_parser_reads(block: str, precision: str) -> None:
    parse = make_column_parser(precision, KeyDecoder())
    parsed = parse(block)
    event("accepted" if parsed is not None else "declined")
    if parsed is not None:
        check_block_against_exact(block, parsed, precision)
    else:  # declined: fine, as long as it does not crash; ask again with a warm key cache
        assert parse(block) is None


@SETTINGS
@given(
    segments=st.lists(blocks(), min_size=1, max_size=4),
    precision=st.sampled_from(["n", "s"]),
    block_chars=st.integers(20, 400),
    seed=st.integers(0, 2**32),
    tail=st.sampled_from(["", "cpu a=1", "cpu a=1 5", "bad"]),
)
def test_a_row_filter_changes_no_count_nor_error(
    segments: list[str], precision: str, block_chars: int, seed: int, tail: str
) -> None:
    """Whatever rows a filter names (none, all, some, or None for the whole block), every
    line is still counted, every bad line reported at the same FILE:LINE:COL, and the points
    yielded are exactly the named rows' points."""
    text = "".join(segments) + tail
    with mock.patch.object(sources, "BLOCK_CHARS", block_chars):
        plain_points, plain_stats = read_all(text, precision, None)
        chosen: list[Point] = []
        skipped = 0
        rng = random.Random(seed)

        def some_rows(block: ColumnBlock) -> Iterator[int] | None:
            nonlocal skipped
            mode = rng.choice(["none", "all", "some", "decline"])
            if mode == "decline":
                return None
            rows = [
                i
                for i in range(block.n)
                if mode == "all" or (mode == "some" and rng.random() < 0.5)
            ]
            event(f"filter: {mode}")
            chosen.extend(exact_point(block, i, precision) for i in rows)
            skipped += block.n - len(rows)
            return iter(rows)

        filtered_points, filtered_stats = read_all(text, precision, some_rows)
        assert filtered_stats == plain_stats
        every_row = read_all(text, precision, lambda block: iter(range(block.n)))
        assert every_row == (plain_points, plain_stats)
    # The filtered reader yields the ordinary points, in order, minus the rows left out.
    assert len(filtered_points) == len(plain_points) - skipped
    remaining = iter(plain_points)
    assert all(point in remaining for point in filtered_points)  # a subsequence
    for point in chosen:
        assert point in filtered_points


def exact_point(block: ColumnBlock, row: int, precision: str) -> Point:
    result = exact(block.line(row), precision)
    assert result is not None
    return Point(result.name, result.tags, result.fields, result.time, "db", "rp")


# -- examples -----------------------------------------------------------------------------------


def parse_one(block: str, precision: str = "n") -> ColumnBlock | None:
    return make_column_parser(precision, KeyDecoder())(block)


@pytest.mark.parametrize(
    "block",
    [
        "cpu,host=a usage_idle=5 1\ncpu,host=b usage_idle=50 2\n",
        "cpu usage_idle=5,xusage_idle=6,idle=7 1\ncpu usage_idle=-0,xusage_idle=0.0,idle=-7.25 2\n",
        "cpu idle=0005,usage_idle=00.500 1\n",
        f"cpu x={'9' * 300} 1\n",
        f"cpu x={'9' * 300}.{'9' * 40} 1\n",
        "cpu x=123456789012345678i 1\ncpu x=-123456789012345678i 2\n",
        "cpu x=t 1\ncpu x=T 2\ncpu x=true 3\ncpu x=True 4\ncpu x=TRUE 5\n"
        "cpu x=f 6\ncpu x=F 7\ncpu x=false 8\ncpu x=False 9\ncpu x=FALSE 10\n",
        "cpu x=1,y=2i,z=t 1\ncpu x=2,y=3i,z=F 2\n",
        "cpu x=1i 1\ncpu x=1 2\n",  # one column of mixed types
        f"cpu x=1 {MAX_NANO_TIME}\ncpu x=1 8999999999999999999\ncpu x=1 0000000000000000001\n",
        "cpu,z=1,a=2 x=1 1\n",  # unsorted tags
        "my-cpu.total_0,host=srv-1.local x=1 1\n",
        "cpu,host=a b-c=1,d.e=2,_f=3,9=4 1\n",
        "cpu x=1 1\ncpu y=1 2\n",  # another field set (a mixed block)
        "cpu x=1,y=2 1\ncpu y=2,x=1 2\n",  # another field order
        "cpu x=1,x=2 1\ncpu x=3,y=1,x=4i 2\n",  # a repeated field key: the last one counts
        "cpu,host=a usage_idle=5 1\nmem,host=a used=5i,free=1i 1\ncpu,host=b usage_idle=7 1\n",
        "cpu xusage_idle=1,usage_idle=2 1\nmem usage_idle=3,xusage_idle=4 2\n",
    ],
)
def test_common_blocks_are_accepted_and_read_as_the_exact_parser_reads_them(block: str) -> None:
    parsed = parse_one(block)
    assert parsed is not None
    check_block_against_exact(block, parsed, "n")


@pytest.mark.parametrize(
    "block",
    [
        "cpu x=1.2.3 1\n",
        "cpu x=- 1\n",
        "cpu x=. 1\n",
        "cpu x=1. 1\n",
        "cpu x=.5 1\n",
        "cpu x=1e5 1\n",
        "cpu x=NaN 1\n",
        "cpu x=1u 1\n",
        'cpu x="s" 1\n',
        f"cpu x={'9' * 301} 1\n",  # past what the block pattern takes
        "cpu x=1234567890123456789i 1\n",  # 19 digits: the line parser decides
        "cpu x=9223372036854775808i 1\n",
        "cpu x=1 -1\n",
        "cpu x=1\n",  # no timestamp
        f"cpu x=1 {MAX_NANO_TIME + 1}\n",
        "cpu x=1 9999999999999999999\n",
        "cpu x=1 12345678901234567890\n",
        "cpu x=1 1\n# comment\n",
        "# comment\ncpu x=1 1\n",
        "cpu x=1 1\n\ncpu x=1 2\n",
        "cpu,host=a,host=b x=1 1\n",  # duplicate tags
        "cpu,host= x=1 1\n",  # empty tag value
        "cpu,host=a=b x=1 1\n",
        "cpu\\,x x=1 1\n",
        "c=u x=1 1\n",
        "cpu x=1  1\n",
        " cpu x=1 1\n",
        "cpu x=1 1 \n",
        "cpu\tx=1 1\n",
        "cpu x=1 1\r\n",
        "cpu x=1 1",  # not a whole line
        "",
    ],
)
def test_unusual_blocks_are_declined(block: str) -> None:
    assert parse_one(block) is None


@pytest.mark.parametrize(
    ("block", "precision"),
    [
        ("cpu x=1 9223372036854775\n", "ms"),  # * 10**6 is past the nanosecond range
        ("cpu x=1 9223372037\n", "s"),
        ("cpu x=1 153722868\n", "m"),
    ],
)
def test_a_time_past_the_range_after_the_precision_is_declined(block: str, precision: str) -> None:
    assert parse_one(block, precision) is None
    with pytest.raises(LineProtocolError):
        exact(block.rstrip("\n"), precision)


def test_a_time_at_the_range_after_the_precision_is_accepted() -> None:
    for block, precision in [("cpu x=1 9223372036\n", "s"), ("cpu x=1 153722867\n", "m")]:
        parsed = parse_one(block, precision)
        assert parsed is not None
        check_block_against_exact(block, parsed, precision)


def test_a_suffix_name_reads_its_own_column() -> None:
    block = "cpu xusage_idle=1,usage_idle=2,idle=3,a=4,a1=5 1\ncpu xusage_idle=6,usage_idle=7,idle=8,a=9,a1=10 2\n"
    parsed = parse_one(block)
    assert parsed is not None
    assert parsed.column("usage_idle") == [2.0, 7.0]
    assert parsed.column("idle") == [3.0, 8.0]
    assert parsed.column("xusage_idle") == [1.0, 6.0]
    assert parsed.column("a") == [4.0, 9.0]
    assert parsed.column("a1") == [5.0, 10.0]
    assert parsed.column("usage") is None


def test_field_keys_up_to_the_limit_and_longer_are_read_as_the_exact_parser_reads_them() -> None:
    longest = "k" * MAX_FIELD_KEY
    block = f"cpu,host=a {longest}=1,x=2 1\ncpu,host=b {longest}=3,x=4 2\n"
    parsed = parse_one(block)
    assert parsed is not None
    check_block_against_exact(block, parsed, "n")
    longer = block.replace(longest, longest + "k")  # past the one-schema pattern's limit
    parsed = parse_one(longer)
    assert parsed is not None and parsed.schema is None  # the mixed-block pattern reads it
    check_block_against_exact(longer, parsed, "n")


def test_a_series_key_past_65535_bytes_is_declined() -> None:
    key = "cpu,host=" + "h" * 15_000
    field_key = "f" * 51_000  # key + field key > 65535: the exact parser refuses the line
    block = f"{key} {field_key}=1 1\n"
    with pytest.raises(LineProtocolError):
        exact(block[:-1], "n")
    assert parse_one(block) is None


def test_more_schemas_than_the_pattern_cache_holds_are_all_read_right() -> None:
    parse = make_column_parser("n", KeyDecoder())
    schemas = [[f"f{i}", f"g{i % 7}"] for i in range(MAX_SCHEMAS + 40)]
    for round_ in range(2):  # the second round after the cache was cleared
        for i, schema in enumerate(schemas):
            block = "".join(
                f"cpu,host=h{row} {schema[0]}={row + i},{schema[1]}={round_}i {row + 1}\n"
                for row in range(3)
            )
            parsed = parse(block)
            assert parsed is not None
            assert parsed.column(schema[0]) == [float(i), float(i + 1), float(i + 2)]
            assert parsed.column(schema[1]) == [round_] * 3


def test_a_block_with_odd_blanks_in_names_is_declined() -> None:
    for blank in ["\x1c", "\x1d", "\x1e", "\x1f", "\x0b", "\x0c", "\x85", "\xa0", "\u2028"]:
        assert parse_one(f"cp{blank}u x=1 1\n") is None
        assert parse_one(f"cpu,host=a{blank}b x=1 1\n") is None
        assert parse_one(f"cpu x{blank}y=1 1\n") is None


def test_rows_after_a_filtered_block_keep_their_line_numbers(monkeypatch) -> None:
    """A bad line after blocks taken by column is reported at its own line."""
    good = "".join(f"cpu,host=a x={i} {i + 1}\n" for i in range(40))
    text = good + "cpu x=1.2.3 99\n" + good
    monkeypatch.setattr(sources, "BLOCK_CHARS", 64)
    taken: list[int] = []

    def no_rows(block: ColumnBlock) -> Iterator[int]:
        taken.append(block.n)
        return iter(())

    reader = read_points(io.StringIO(text), dbrp="db.rp", row_filter=no_rows)
    points = list(reader)
    assert sum(taken) > 40  # the filter saw most blocks
    assert len(points) == 80 - sum(taken)  # only the bad line's block went line by line
    assert reader.stats.points == 80 and reader.stats.lines == 81 and reader.stats.rejected == 1
    assert (reader.errors[0].line, reader.errors[0].column) == (41, 10)  # the second "."

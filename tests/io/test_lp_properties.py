"""Properties: write/read round trips, fuzzing, and the fast paths never disagree with the exact one."""

from __future__ import annotations

import io
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickmini.errors import LineProtocolError
from tickmini.io import read_points, sources
from tickmini.io.lp_exact import parse_key_block, parse_logical_line
from tickmini.io.lp_fast import (
    KeyDecoder,
    is_plain_line,
    make_chunk_parser,
    make_line_parser,
    plain_key_block,
)
from tickmini.io.lp_format import format_point
from tickmini.values import Point

NOW = 1_600_000_000_123_456_789
SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("LP_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Names with every character the escaping rules care about. Backslashes, newlines, tabs and NULs
# are left out: 1.x cannot round-trip a name ending in a backslash, and skips tabs/NULs at the
# start of a block, so those are not faithful round trips in Kapacitor either.
NAME_CHARS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\\\n\r\t\x00"
) | st.sampled_from(list(' ,="=é#-_.'))
names = st.text(NAME_CHARS, min_size=1, max_size=12)
measurements = names.filter(lambda s: not s.startswith("#"))
string_values = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r")
    | st.sampled_from(list('\\" ,=\n')),
    max_size=16,
)
field_values = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.booleans(),
    string_values,
)
points_strategy = st.builds(
    Point,
    name=measurements,
    tags=st.dictionaries(names, names, max_size=4),
    fields=st.dictionaries(names, field_values, min_size=1, max_size=4),
    time=st.integers(min_value=-(2**62), max_value=2**62),
)


def typed(fields: dict[str, object]) -> dict[str, tuple[str, object]]:
    return {k: (type(v).__name__, v) for k, v in fields.items()}


@SETTINGS
@given(st.lists(points_strategy, min_size=1, max_size=8))
def test_written_points_read_back_identically(original: list[Point]) -> None:
    text = "".join(format_point(p) + "\n" for p in original)
    reader = read_points(io.StringIO(text), strict=True)
    got = list(reader)
    assert [(p.name, p.tags, typed(p.fields), p.time) for p in got] == [
        (p.name, p.tags, typed(p.fields), p.time) for p in original
    ]
    assert reader.stats.points == len(original) and reader.stats.rejected == 0


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_line_protocol_errors(data: bytes) -> None:
    try:
        list(read_points(io.BytesIO(data), strict=True, now=lambda: NOW))
    except LineProtocolError as err:
        assert err.file and err.line is not None and err.column is not None and err.render()
    reader = read_points(io.BytesIO(data), now=lambda: NOW)
    got = list(reader)  # lenient: never raises
    assert reader.stats.points == len(got)
    assert reader.stats.rejected == len(reader.errors)


LP_ALPHABET = st.sampled_from(list(' ,="\\\n\r\t\x00#-+.eEiuntfTF0123456789_aé\x0b'))
lp_like = st.text(LP_ALPHABET, max_size=60)


@SETTINGS
@given(lp_like)
def test_random_text_raises_only_line_protocol_errors(text: str) -> None:
    try:
        list(read_points(io.StringIO(text), strict=True, now=lambda: NOW))
    except LineProtocolError as err:
        assert err.line is not None and err.render()
    assert list(read_points(io.StringIO(text), now=lambda: NOW)) is not None


# -- the fast paths against the exact parser -------------------------------------------------

TOKENS = st.sampled_from(
    [
        "cpu", "m", "a", "host", "h1", "=", ",", " ", "  ", "1", "-1", "1.5", ".5", "1.", "-.5",
        "1e3", "1E-2", "1e+2", "1e400", "+1", "1_0", "42i", "-7i", "9223372036854775808i", "1u",
        "t", "T", "true", "True", "TRUE", "f", "false", "FALSE", "tru", "inf", "nan", "NaN",
        "Infinity", "0x1", "#", "_", "é", "\udcff", "١", "\u00a0", "\u2003", "9223372036854775807", "-9223372036854775806", "007",
    ]
)  # fmt: skip
VALID_VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(lambda i: f"{i}i"),
    st.sampled_from(["t", "F", "true", "False", "0", "-0", "1.", ".5", "1E5", "00.10"]),
)
plain_lines = st.lists(TOKENS, min_size=1, max_size=14).map("".join).filter(is_plain_line)
shaped_lines = st.builds(
    lambda key, fields, stamp: f"{key} {fields}{stamp}",
    st.sampled_from(
        ["cpu", "cpu,host=a", "cpu,b=2,a=1", "cpu,a=1", "m,a=1,a=2", "cpu,x=", "#c", "c,=1"]
    ),
    st.lists(
        st.builds(
            lambda k, v: f"{k}={v}",
            st.sampled_from(["v", "w", "v", "", "a_b"]),
            st.one_of(VALID_VALUES, VALID_VALUES, TOKENS),
        ),
        min_size=1,
        max_size=3,
    ).map(",".join),
    st.sampled_from(
        ["", " 1", " -5", " 007", " 12", " +1", " 1_0", " ", " 1 ", " 99999999999999999999"]
    ),
).filter(is_plain_line)


def exact(line: str, precision: str = "n") -> tuple | str | None:
    try:
        parsed = parse_logical_line(line, lambda: NOW, precision)
    except LineProtocolError:
        return "error"
    if parsed is None:
        return None
    return (parsed.name, parsed.tags, typed(parsed.fields), parsed.time)


def as_tuple(p: Point) -> tuple:
    return (p.name, p.tags, typed(p.fields), p.time)


@SETTINGS
@given(st.one_of(shaped_lines, shaped_lines, plain_lines), st.sampled_from(["n", "ms", "h"]))
def test_line_fast_path_accepts_only_what_the_exact_path_accepts(line: str, precision: str) -> None:
    parse = make_line_parser(precision, "db", "rp", KeyDecoder(), lambda: NOW)
    got = parse(line)
    if got is not None:
        assert exact(line, precision) == as_tuple(got)
        assert (got.database, got.retention_policy) == ("db", "rp")


@SETTINGS
@given(st.lists(st.one_of(plain_lines, shaped_lines), min_size=1, max_size=6), st.booleans())
def test_block_fast_path_accepts_only_what_the_exact_path_accepts(
    lines: list[str], same_shape: bool
) -> None:
    if same_shape:  # mostly valid blocks, so the fast path answers often
        lines = [
            f"cpu,host=h{i} v={i}.25,w={line.count('1')}e0 {i}" for i, line in enumerate(lines)
        ]
    block = "".join(line + "\n" for line in lines)
    parse = make_chunk_parser("n", "db", "rp", KeyDecoder())
    got = parse(block)
    if got is not None:
        assert [exact(line) for line in lines] == [as_tuple(p) for p in got]


def test_block_fast_path_answers_for_telegraf_like_lines() -> None:
    lines = [
        f"cpu,cpu=cpu-total,host=h{i % 3} usage_idle={i}.5,usage_user=0,flag=1e-3 {i * 10}"
        for i in range(50)
    ]
    got = make_chunk_parser("n", "db", "rp", KeyDecoder())("\n".join(lines) + "\n")
    assert got is not None and [as_tuple(p) for p in got] == [exact(x) for x in lines]
    assert math.isclose(got[3].fields["usage_idle"], 3.5)


BASE_BLOCK = [
    f"cpu,cpu=cpu-total,host=h{i % 3} usage_idle={i}.5,usage_user=0.{i}5,x={i}e-1 {i}000"
    if i % 2
    else f"mem,host=h{i} used={i}i,ok={'tT'[i % 4 // 2]},free=-{i}.0 {i}000"
    for i in range(8)
]


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, 7), st.integers(0, 80), st.sampled_from(["", *'\\" ,=\t+_e.-1i#'])
        ),
        min_size=1,
        max_size=3,
    )
)
def test_block_fast_path_on_mutated_telegraf_lines(edits: list[tuple[int, int, str]]) -> None:
    """Valid blocks with a few characters changed: the block path may decline, never differ."""
    lines = list(BASE_BLOCK)
    for row, col, char in edits:
        line = lines[row]
        col = min(col, len(line))
        lines[row] = line[:col] + char + line[col + 1 :]
    block = "".join(line + "\n" for line in lines)
    if "\n" in "".join(lines):
        return
    got = make_chunk_parser("ms", "db", "rp", KeyDecoder())(block)
    if got is not None:
        assert [exact(line, "ms") for line in lines] == [as_tuple(p) for p in got]


def test_block_fast_path_answers_for_integer_and_boolean_fields() -> None:
    lines = [f"mem,host=h{i} used={i * 1000}i,swap=true,pct={i}.5 {i}" for i in range(20)]
    got = make_chunk_parser("n", "db", "rp", KeyDecoder())("\n".join(lines) + "\n")
    assert got is not None and [as_tuple(p) for p in got] == [exact(x) for x in lines]
    assert got[3].fields == {"used": 3000, "swap": True, "pct": 3.5}


def reference_points(text: str) -> tuple[list[tuple], int]:
    """Go's ``ParsePointsWithPrecision`` over the whole text, with only the exact parser.

    tickmini drops one CR before each newline (and at the very end), so the reference does too.
    """
    buf = text.replace("\r\n", "\n")
    if buf.endswith("\r"):
        buf = buf[:-1]
    points: list[tuple] = []
    errors = 0
    pos = 0
    n = len(buf)
    while pos < n:
        i, quoted, fields, equals, commas = pos, False, False, 0, 0
        while i < n:  # scanLine
            c = buf[i]
            if c == "\\" and i + 2 < n:
                i += 2
                continue
            if c == " ":
                fields = True
            if fields:
                if not quoted and c == "=":
                    i, equals = i + 1, equals + 1
                    continue
                if not quoted and c == ",":
                    i, commas = i + 1, commas + 1
                    continue
                if c == '"' and equals > commas:
                    i, quoted = i + 1, not quoted
                    continue
            if c == "\n" and not quoted:
                break
            i += 1
        block = buf[pos:i]
        pos = i + 1
        try:
            parsed = parse_logical_line(block, lambda: NOW)
        except LineProtocolError:
            errors += 1
            continue
        if parsed is not None:
            points.append((parsed.name, parsed.tags, typed(parsed.fields), parsed.time))
    return points, errors


FLOAT_BLOCK = [
    f"cpu,cpu=cpu-total,host=h{i % 3} usage_idle={i}.5,usage_user=-0.{i}5,x=1{i}.,y=.{i} {i}000"
    for i in range(8)
]

mixed_lines = st.lists(
    st.one_of(shaped_lines, plain_lines, lp_like, st.sampled_from(BASE_BLOCK + FLOAT_BLOCK)),
    max_size=12,
)


@SETTINGS
@given(
    mixed_lines,
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.sampled_from([sources.BLOCK_CHARS, 5, 64]),
)
def test_the_reader_agrees_with_the_exact_parser_on_whole_inputs(
    lines: list[str], newline: str, final_newline: bool, block_chars: int
) -> None:
    """Whatever path each block and line takes, and however reads cut the input."""
    text = newline.join(lines) + (newline if final_newline else "")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "BLOCK_CHARS", block_chars)
        reader = read_points(io.StringIO(text), now=lambda: NOW)
        got = [as_tuple(p) for p in reader]
    assert (got, reader.stats.rejected) == reference_points(text)


KEY_CHARS = st.sampled_from(list('ab,=z" é#'))


@SETTINGS
@given(st.text(KEY_CHARS, max_size=24) | st.lists(st.text(KEY_CHARS, max_size=4)).map(",".join))
def test_plain_key_block_agrees_with_the_exact_key_parser(key: str) -> None:
    """The split-based key decoder answers only when the exact scanner accepts, with its result."""
    try:
        expected = parse_key_block(key)
    except LineProtocolError:
        expected = None
    got = plain_key_block(key)
    if got is not None:
        assert got == expected
        assert list(got[1]) == list(expected[1])  # same (sorted) tag order
    measurement, *pairs = key.split(",")
    plain = "=" not in measurement and " " not in key and all(p.count("=") == 1 for p in pairs)
    if expected is not None and plain:
        # every valid plain key (one '=' per tag) takes the fast path; a tag value holding
        # '=' (valid: 'a,a==') may be left to the exact parser
        assert got is not None


# -- the block path's float tier (values split off by byte translations) ----------------------


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, 7),
            st.integers(0, 80),
            st.sampled_from(["", *'\\" ,=\t\r\n+_eE.-019ix#é'])
            | st.sampled_from(["1e400", "9" * 320, "==", ",z=1", " 5", "i", "\x00"]),
        ),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["n", "s"]),
)
def test_float_tier_on_mutated_lines(edits: list[tuple[int, int, str]], precision: str) -> None:
    """Float-only blocks with a few characters changed (keys gaining digits, values losing their
    shape, lines gaining or losing spaces): the block path may decline, never differ."""
    lines = list(FLOAT_BLOCK)
    for row, col, text in edits:
        line = lines[row]
        col = min(col, len(line))
        lines[row] = line[:col] + text + line[col + 1 :]
    block = "".join(line + "\n" for line in lines)
    got = make_chunk_parser(precision, "db", "rp", KeyDecoder())(block)
    if got is not None:
        assert len(got) == len(lines)
        assert [exact(line, precision) for line in lines] == [as_tuple(p) for p in got]


number_keys = st.text(st.sampled_from(list("ab_01.-eE")), min_size=1, max_size=4)


@SETTINGS
@given(
    st.lists(number_keys, min_size=1, max_size=4),
    st.lists(
        st.lists(
            st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=4, max_size=4
        ),
        min_size=1,
        max_size=5,
    ),
    st.data(),
)
def test_float_tier_with_keys_holding_number_characters(
    keys: list[str], rows: list[list[float]], data: st.DataObject
) -> None:
    """Keys like ``load1`` or ``a.b`` lose characters to the residue; the tier must notice."""
    lines = []
    for values in rows:
        line_keys = [
            data.draw(st.sampled_from(keys)) if data.draw(st.booleans()) else k for k in keys
        ]
        fields = ",".join(f"{k}={v!r}" for k, v in zip(line_keys, values, strict=False))
        lines.append(f"m,h=a {fields} 5")
    block = "".join(line + "\n" for line in lines)
    got = make_chunk_parser("n", "db", "rp", KeyDecoder())(block)
    if got is not None:
        assert [exact(line) for line in lines] == [as_tuple(p) for p in got]


def test_float_tier_answers_and_shares_key_strings_across_blocks() -> None:
    parse = make_chunk_parser("n", "db", "rp", KeyDecoder())
    first = parse("cpu,host=a idle=1.5,user=-2.25 10\ncpu,host=b idle=3.,user=.5 10\n")
    second = parse("cpu,host=a idle=0.125,user=7 20\n")
    assert first is not None and second is not None
    assert [p.fields for p in first + second] == [
        {"idle": 1.5, "user": -2.25},
        {"idle": 3.0, "user": 0.5},
        {"idle": 0.125, "user": 7.0},
    ]
    assert [p.time for p in first + second] == [10, 10, 20]
    assert all(type(v) is float for p in first + second for v in p.fields.values())
    one, two = (list(p.fields) for p in (first[0], second[0]))
    assert all(a is b for a, b in zip(one, two, strict=True))  # one key string per schema
    assert first[0].tags is second[0].tags  # one tags dict per series
    # every field of the Point is set, as its constructor sets them
    assert first[1] == Point("cpu", {"host": "b"}, {"idle": 3.0, "user": 0.5}, 10, "db", "rp")


@pytest.mark.parametrize(
    "block",
    [
        "m,h=a f=1.5 5\nm f=2.5\n",  # a line without a timestamp
        "m f=1.5 5\nm f=2.5 6 7\n",  # a line with an extra token
        "m f=1 5 m f=2\nm f=3 4\n",  # tokens that would line up if counted
        "m f=1.5 5 m f=2.5 6\n",  # two lines' worth of tokens on one line
        "m f=1i 5 m f=2i 6\n",
        "m f=1.5 5\r\nm f=2.5 6\r\n",  # CRLF: the line path drops the CR
        "m f=1.5 +5\n",
        "m f=1.5 5_0\n",
        "m f=1.5 \u0665\n",
        "m\tx f=1.5 5\n",
        'm"x f=1.5 5\n',
        "m f=1.5 5\n\nm f=2.5 6\n",  # a blank line
        "m f=1_0 5\n",
        "m f=+1 5\n",
        "m f=1e400 5\n",
        "m f=" + "9" * 400 + " 5\n",  # inf without an exponent
        "m \tf=1.5 5\n",  # 1.x skips whitespace before the fields
        "m \x00f=1.5 5\n",
        "m f\\=1.5 5\n",
        "m f=nan 5\n",
        "m f=inf 5\n",
        "m f=1.5,f=2.5 5\n",  # a repeated field: the last value wins
        "m =1.5 5\n",
        "m f=1.5\n",
    ],
)
def test_block_path_declines_or_agrees_on_awkward_blocks(block: str) -> None:
    got = make_chunk_parser("n", "db", "rp", KeyDecoder())(block)
    if got is not None:
        lines = block.split("\n")[:-1]
        assert [as_tuple(p) for p in got] == [exact(line) for line in lines]


def test_block_path_keeps_the_series_key_limit() -> None:
    """Key + field key over 65535 bytes is an error in 1.x, even on a long line in a block of
    short ones."""
    long_line = f"{'k' * 15000} {'f' * 52000}=1 5"
    block = long_line + "\n" + "m f=1 5\n" * 5
    assert exact(long_line) == "error"
    assert make_chunk_parser("n", "db", "rp", KeyDecoder())(block) is None


def test_key_decoder_leaves_escapes_quotes_and_control_characters_to_the_exact_parser() -> None:
    keys = KeyDecoder()
    for key in ["a\\ b", 'a"b', "a\tb", "a\nb", "a\rb", "a\x00b", "a\x1cb", "a,t=\\,"]:
        assert keys.decode(key) is None
    assert keys.decode("cpu,host=a") == ("cpu", {"host": "a"})
    assert keys.decode("cpü,höst=ä") == ("cpü", {"höst": "ä"})


# -- the general tier types a column at a time -------------------------------------------------

PLAIN_CELL = re.compile(r"-?[0-9]+(\.[0-9]*)?|-?[0-9]+i|[tTfF]|true|True|TRUE|false|False|FALSE")
CELL_VALUES = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64).map(lambda i: f"{i}i"),
    st.integers(min_value=-(2**63), max_value=2**63 - 1).map(str),
    st.floats(allow_nan=False).map(repr),
    st.sampled_from(
        ["t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE", "tru", "1i2i",
         "i", "-i", "5u", "nan", "inf", "-inf", "1e400", "007i", "-0i", "0x1i", "1.5i", "ii"]
    ),
)  # fmt: skip


@SETTINGS
@given(
    st.integers(1, 3).flatmap(
        lambda width: st.lists(
            st.lists(
                st.one_of(st.sampled_from(["1i", "-2i", "true", "F", "0.5"]), CELL_VALUES),
                min_size=width,
                max_size=width,
            ),
            min_size=1,
            max_size=6,
        )
    ),
    st.booleans(),
)
def test_general_tier_columns_type_each_value_as_the_exact_parser(
    rows: list[list[str]], same_types: bool
) -> None:
    """Columns of one type are converted at once; a column mixing types (or holding a bad value)
    is typed value by value: either way each value is what the exact parser makes of it."""
    if same_types:  # every line like the first: whole-column conversions
        rows = [list(rows[0]) for _ in rows]
    lines = [
        "mem,host=h{} {} {}".format(i, ",".join(f"c{j}={v}" for j, v in enumerate(row)), i)
        for i, row in enumerate(rows)
    ]
    block = "".join(line + "\n" for line in lines)
    got = make_chunk_parser("n", "db", "rp", KeyDecoder())(block)
    expected = [exact(line) for line in lines]
    if got is not None:
        assert [as_tuple(p) for p in got] == expected
    plain = all(PLAIN_CELL.fullmatch(v) for row in rows for v in row)
    if plain and "error" not in expected:  # nothing the block path leaves to the line path
        assert got is not None


STAMPS = st.one_of(
    st.sampled_from(["1", "2", "-3", "007", "1700000000000000000"]),  # runs and repeats
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.sampled_from(["+1", "1_0", "-", "", "--1", "1-", "\u0661", "9" * 25, "1\r"]),
)


@SETTINGS
@given(
    st.lists(st.tuples(STAMPS, st.integers(1, 30)), min_size=1, max_size=12),
    st.sampled_from(["n", "u", "ms", "s", "m", "h"]),
)
def test_block_path_reads_timestamps_in_runs_or_not(
    runs: list[tuple[str, int]], precision: str
) -> None:
    """Timestamps in runs (one conversion per run), in more runs than that path takes (one per
    distinct stamp), repeated or not: each line gets the time the exact parser gives it."""
    lines = [
        f"m,h=a f={i}.5 {stamp}" for i, (stamp, count) in enumerate(runs) for _ in range(count)
    ]
    block = "".join(line + "\n" for line in lines)
    got = make_chunk_parser(precision, "db", "rp", KeyDecoder())(block)
    expected = [exact(line, precision) for line in lines]
    if got is not None:
        assert [as_tuple(p) for p in got] == expected
    elif "error" not in expected and all(re.fullmatch(r"-?[0-9]+", s) for s, _ in runs):
        raise AssertionError(f"declined a valid block: {block[:200]!r}")


def test_block_path_reads_timestamps_in_many_runs_per_distinct_value() -> None:
    stamps = ["5", "6", "5", "7"] * 5 + ["6"] * 30  # 21 runs of 3 distinct stamps, 50 lines
    lines = [f"m,h=a f={i}.5 {stamp}" for i, stamp in enumerate(stamps)]
    got = make_chunk_parser("s", "db", "rp", KeyDecoder())("".join(x + "\n" for x in lines))
    assert got is not None
    assert [p.time for p in got] == [int(s) * 10**9 for s in stamps]
    assert [as_tuple(p) for p in got] == [exact(line, "s") for line in lines]

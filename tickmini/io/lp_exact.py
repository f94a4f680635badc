"""The exact line-protocol parser: InfluxDB 1.x ``models.ParsePointsWithPrecision``, as Kapacitor runs it.

This is a faithful port of the 1.x scanner (``scanKey``, ``scanTags``, ``scanFields``,
``scanNumber``, ``scanBoolean``, ``scanTime``) and of the decoding Kapacitor then does
(``Name()``, ``Tags().Map()``, ``Fields()``), including its odd corners, because "exact" means
accepting and rejecting the same lines Kapacitor does. It is the reference the fast paths are
property-tested against, and the path every unusual line takes. Errors are raised as
:class:`~tickmini.errors.LineProtocolError` carrying a 1-based column inside the given text;
the reader adds the file name and line number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tickmini.errors import LineProtocolError
from tickmini.gocompat.int64 import INT64_MAX, INT64_MIN, UINT64_MAX

# Nanoseconds per unit of each precision Kapacitor accepts (``GetPrecisionMultiplier``).
PRECISION_MULTIPLIERS: dict[str, int] = {
    "n": 1,
    "u": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}

# ``models.MinNanoTime`` / ``MaxNanoTime``: int64 minus the two sentinel values.
MIN_NANO_TIME = -9_223_372_036_854_775_806
MAX_NANO_TIME = 9_223_372_036_854_775_806
MAX_KEY_LENGTH = 65535  # ``models.MaxKeyLength``, in bytes

_WHITESPACE = " \t\x00"  # what ``skipWhitespace`` skips
_NUMERIC_START = "0123456789.-Nn"  # what makes ``scanFields`` call ``scanNumber``
_FIELD_TYPE_NUMERIC = (
    "0123456789-.nNiIu"  # ``FieldIterator.Next``: numeric types start with one of these
)
# The booleans line protocol accepts (``scanBoolean``); unlike strconv.ParseBool, no "1" or "0".
BOOLEANS: dict[str, bool] = {
    "t": True,
    "T": True,
    "true": True,
    "True": True,
    "TRUE": True,
    "f": False,
    "F": False,
    "false": False,
    "False": False,
    "FALSE": False,
}

_EXPECT_NUMBER = (
    "a number: a float such as 1, -1.5, .5 or 1e3, or an integer with an i suffix such as 42i"
)
_EXPECT_BOOLEAN = (
    "a field value: a number, a double-quoted string, or a boolean (t, T, true, True, TRUE, f, F, "
    "false, False, FALSE)"
)
_EXPECT_TIMESTAMP = "an integer timestamp (optionally negative) at the end of the line"


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """What one line of line protocol holds once decoded as Kapacitor decodes it."""

    name: str
    tags: dict[str, str]
    fields: dict[str, object]
    time: int


def _fault(message: str, index: int, expected: str | None = None) -> LineProtocolError:
    """An error at 0-based ``index`` of the parsed text (the reader shifts it to the line)."""
    return LineProtocolError(message, column=index + 1, expected=expected)


def _skip_whitespace(buf: str, i: int) -> int:
    n = len(buf)
    while i < n and buf[i] in _WHITESPACE:
        i += 1
    return i


def _scan_to(buf: str, i: int, stop: str) -> int:
    """Index of the first ``stop`` at or after ``i`` not preceded by a backslash (``scanTo``)."""
    n = len(buf)
    while i < n:
        if buf[i] == stop and (i == 0 or buf[i - 1] != "\\"):
            break
        i += 1
    return i


def _scan_to_space_or(buf: str, i: int, stop: str) -> int:
    """``scanToSpaceOr``: end of a ``key=value`` tag in the key buffer."""
    n = len(buf)
    if buf[i] == stop or buf[i] == " ":
        return i
    while True:
        i += 1
        if buf[i - 1] == "\\":
            continue
        if i >= n:
            return i
        if buf[i] == stop or buf[i] == " ":
            return i


def _scan_measurement(buf: str, i: int) -> tuple[bool, int]:
    """Returns (tags follow, index). ``scanMeasurement``."""
    n = len(buf)
    if i >= n or buf[i] == ",":
        raise _fault("missing measurement", i, "a measurement name at the start of the line")
    while True:
        i += 1
        if i >= n:
            raise _fault(
                "missing fields", i, "a space and then at least one field, as in 'cpu value=1'"
            )
        if buf[i - 1] == "\\":
            continue
        if buf[i] == ",":
            return True, i + 1
        if buf[i] == " ":
            return False, i


def _scan_tags_key(buf: str, i: int) -> int:
    n = len(buf)
    if i >= n or buf[i] in " ,=":
        raise _fault("missing tag key", i, "a tag key after ',', as in 'cpu,host=a value=1'")
    while True:
        i += 1
        if i >= n or (buf[i] in " ," and buf[i - 1] != "\\"):
            raise _fault("missing tag value", i, "'=' and a non-empty tag value after the tag key")
        if buf[i] == "=" and buf[i - 1] != "\\":
            return i + 1


def _scan_tags_value(buf: str, i: int) -> tuple[bool, int]:
    """Returns (another tag follows, index). ``scanTagsValue``."""
    n = len(buf)
    if i >= n or buf[i] in ", ":
        raise _fault("missing tag value", i, "a non-empty tag value after '='")
    while True:
        i += 1
        if i >= n:
            raise _fault("missing fields", i, "a space and then at least one field")
        c = buf[i]
        if buf[i - 1] == "\\":
            continue
        if c == "=":
            raise _fault(
                "invalid tag format", i, "a tag value without an unescaped '=' (write \\=)"
            )
        if c == ",":
            return True, i + 1
        if c == " ":
            return False, i


def _scan_key(buf: str) -> tuple[int, str]:
    """The measurement and tags block, tags sorted by key (``scanKey``). Returns (end, key)."""
    start = 0
    tags_follow, i = _scan_measurement(buf, start)
    if not tags_follow:
        return i, buf[start:i]
    starts: list[int] = []
    more = True
    while more:
        starts.append(i)
        i = _scan_tags_key(buf, i)
        more, i = _scan_tags_value(buf, i)
    # i is the space ending the key block
    tag_keys = [buf[s : _scan_to(buf, s, "=")] for s in starts]
    seen: dict[str, int] = {}
    for s, k in zip(starts, tag_keys, strict=False):
        if k in seen:
            raise _fault("duplicate tags", s, f"each tag key once (tag {k!r} appears twice)")
        seen[k] = s
    if tag_keys == sorted(tag_keys):
        return i, buf[start:i]
    measurement = buf[start : starts[0] - 1]
    ordered = sorted(zip(tag_keys, starts, strict=False))
    parts = [measurement]
    for _, s in ordered:
        parts.append(buf[s : _scan_to_space_or(buf, s, ",")])
    return i, ",".join(parts)


def parse_key_block(key: str) -> tuple[str, dict[str, str]]:
    """Name and tags of a ``measurement[,tag=value...]`` block that holds no unescaped space
    (the fast paths cache this per distinct block); raises like :func:`parse_line`."""
    end, block = _scan_key(key + " ")
    if end != len(key):
        raise _fault("missing fields", end, "a space and then at least one field")
    return _decode_key(block)


def _scan_number(buf: str, i: int, allow_unsigned: bool) -> int:
    """``scanNumber``: validates a numeric field value, returns the index after it."""
    n = len(buf)
    start = i
    is_int = is_unsigned = False
    if i < n and buf[i] == "-":
        i += 1
        if i == n:
            raise _fault("invalid number", i, _EXPECT_NUMBER)
    decimal = scientific = False
    while i < n:
        c = buf[i]
        if c == "," or c == " ":
            break
        if c == "i" and i > start and not (is_int or is_unsigned):
            is_int = True
            i += 1
            continue
        if c == "u" and i > start and not (is_int or is_unsigned):
            is_unsigned = True
            i += 1
            continue
        if c == ".":
            if decimal:
                raise _fault("invalid number", i, _EXPECT_NUMBER + " (only one decimal point)")
            decimal = True
        if i > start and (c == "e" or c == "E"):
            scientific = True
            i += 1
            continue
        if (c == "+" or c == "-") and buf[i - 1] in "eE":
            i += 1
            continue
        if i + 2 < n and (c == "N" or c == "n"):
            raise _fault("invalid number", i, _EXPECT_NUMBER + " (NaN is not supported)")
        if not ("0" <= c <= "9" or c == "."):
            raise _fault("invalid number", i, _EXPECT_NUMBER)
        i += 1
    if (is_int or is_unsigned) and (decimal or scientific):
        raise _fault(
            "invalid number", start, "an integer without '.' or exponent before the i suffix"
        )
    digits = (
        i - start - (1 if is_int else 0) - (1 if decimal else 0) - (1 if buf[start] == "-" else 0)
    )
    if digits == 0:
        raise _fault("invalid number", start, _EXPECT_NUMBER)
    text = buf[start:i]
    if is_int:
        if buf[i - 1] != "i":
            raise _fault("invalid number", start, "the i suffix at the end of an integer (42i)")
        value = _parse_int64(text[:-1])
        if value is None:
            raise _fault(
                f"unable to parse integer {text[:-1]}: value out of range",
                start,
                "an integer between -9223372036854775808 and 9223372036854775807",
            )
    elif is_unsigned:
        if not allow_unsigned:
            raise _fault(
                "invalid number",
                start,
                "a float or an integer with an i suffix: Kapacitor does not accept unsigned "
                "(u suffix) values",
            )
        if buf[i - 1] != "u":
            raise _fault("invalid number", start, "the u suffix at the end of an unsigned integer")
        if buf[start] == "-":
            raise _fault("invalid number", start, "an unsigned integer without a minus sign")
        value = _parse_digits(text[:-1])
        if value is None or value > UINT64_MAX:
            raise _fault(
                f"unable to parse unsigned {text[:-1]}: value out of range",
                start,
                "an unsigned integer between 0 and 18446744073709551615",
            )
    elif (scientific or len(text) >= 25) and _parse_go_float(text) is None:
        raise _fault("invalid float", start, "a float within the range of a 64-bit float")
    return i


def _scan_boolean(buf: str, i: int) -> int:
    n = len(buf)
    start = i
    if i < n and buf[i] not in "tfTF":
        raise _fault("invalid boolean", i, _EXPECT_BOOLEAN)
    i += 1
    while i < n and buf[i] != "," and buf[i] != " ":
        i += 1
    if buf[start:i] not in BOOLEANS:
        raise _fault("invalid boolean", start, _EXPECT_BOOLEAN)
    return i


def _scan_fields(buf: str, i: int, allow_unsigned: bool) -> tuple[int, int, int]:
    """``scanFields``: returns (fields start, fields end, index)."""
    n = len(buf)
    start = i = _skip_whitespace(buf, i)
    quoted = False
    quote_at = i
    equals = commas = 0
    while i < n:
        c = buf[i]
        if c == "\\" and i + 1 < n:
            i += 2
            continue
        if c == '"' and equals > commas:
            quoted = not quoted
            quote_at = i
            i += 1
            continue
        if c == "=" and not quoted:
            equals += 1
            if buf[i - 1] == " " and buf[i - 2] != "\\":
                raise _fault("missing field key", i, "a field key before '='")
            if buf[i - 1] == "," and buf[i - 2] != "\\":
                raise _fault("missing field key", i, "a field key before '='")
            if i + 1 >= n or buf[i + 1] in ", ":
                raise _fault("missing field value", i + 1, "a field value after '='")
            nxt = buf[i + 1]
            if nxt in _NUMERIC_START:
                i = _scan_number(buf, i + 1, allow_unsigned)
                continue
            if nxt != '"':
                i = _scan_boolean(buf, i + 1)
                continue
        if c == "," and not quoted:
            commas += 1
        if c == " " and not quoted:
            break
        i += 1
    if quoted:
        # reported at the opening quote, which is where the user must look
        raise _fault("unbalanced quotes", quote_at, "a closing '\"' for this string value")
    if equals == 0 or commas != equals - 1:
        raise _fault("invalid field format", start, "fields as key=value pairs separated by ','")
    return start, i, i


def _scan_time(buf: str, i: int) -> tuple[int, int]:
    """``scanTime``: returns (timestamp start, timestamp end)."""
    n = len(buf)
    start = i = _skip_whitespace(buf, i)
    while i < n:
        c = buf[i]
        if c == "\n" or c == " ":
            break
        if i == start and c == "-":
            i += 1
            continue
        if not ("0" <= c <= "9"):
            raise _fault("bad timestamp", i, _EXPECT_TIMESTAMP)
        i += 1
    return start, i


def _parse_digits(text: str) -> int | None:
    """A decimal integer in Go's ``strconv`` syntax (ASCII digits, optional leading '-')."""
    body = text[1:] if text[:1] == "-" else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    return int(text)


def _parse_int64(text: str) -> int | None:
    value = _parse_digits(text)
    if value is None or not INT64_MIN <= value <= INT64_MAX:
        return None
    return value


def _parse_go_float(text: str) -> float | None:
    """``strconv.ParseFloat`` for the characters ``scanNumber`` lets through; None on error."""
    try:
        value = float(text)
    except ValueError:
        return None
    if value - value != 0.0:  # out of range: Go reports ErrRange
        return None
    return value


def _unescape_measurement(text: str) -> str:
    """``escape.Unescape``: ``\\,`` ``\\"`` ``\\ `` ``\\=`` lose their backslash."""
    if "\\" not in text:
        return text
    return text.replace("\\,", ",").replace('\\"', '"').replace("\\ ", " ").replace("\\=", "=")


def _unescape_tag(text: str) -> str:
    """``unescapeTag``: ``\\,`` ``\\ `` ``\\=`` lose their backslash (not ``\\"``)."""
    if "\\" not in text:
        return text
    return text.replace("\\,", ",").replace("\\ ", " ").replace("\\=", "=")


def unescape_string_field(text: str) -> str:
    """``unescapeStringField``: only ``\\\\`` and ``\\"`` are escapes; other backslashes stay."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in '\\"':
            out.append(text[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _scan_tag_value_end(key: str, i: int) -> int:
    """``scanTagValue``: a tag value in the key buffer ends at an unescaped ','."""
    n = len(key)
    while i < n:
        if key[i] == "," and key[i - 1] != "\\":
            break
        i += 1
    return i


def _decode_key(key: str) -> tuple[str, dict[str, str]]:
    """``Name()`` and ``Tags().Map()`` of the (sorted) key block."""
    end = _scan_to(key, 0, ",")
    name = _unescape_measurement(key[:end])
    tags: dict[str, str] = {}
    if end == 0:
        return name, tags
    has_escape = "\\" in key
    i = end + 1
    n = len(key)
    while i < n:
        eq = _scan_to(key, i, "=")
        stop = _scan_tag_value_end(key, eq + 1)
        k, v = key[i:eq], key[eq + 1 : stop]
        if v:
            if has_escape:
                k, v = _unescape_tag(k), _unescape_tag(v)
            tags[k] = v
        i = stop + 1
    return name, tags


def _scan_field_value_end(fields: str, i: int) -> int:
    """``scanFieldValue``: a value ends at an unquoted ','; only ``\\"`` and ``\\\\`` escape."""
    n = len(fields)
    quoted = False
    while i < n:
        c = fields[i]
        if c == "\\" and i + 1 < n and fields[i + 1] in '"\\':
            i += 2
            continue
        if c == '"':
            quoted = not quoted
            i += 1
            continue
        if c == "," and not quoted:
            break
        i += 1
    return i


def _unescape_field_key(text: str) -> str:
    """``escape.AppendUnescaped``: same set as the measurement."""
    return _unescape_measurement(text)


def _decode_fields(buf: str, start: int, end: int, allow_unsigned: bool) -> dict[str, object]:
    """``Fields()`` (via ``FieldIterator``): typed values, empty keys skipped, last value wins."""
    fields_text = buf[start:end]
    out: dict[str, object] = {}
    i = 0
    n = len(fields_text)
    while i < n:
        eq = _scan_to(fields_text, i, "=")
        if eq > n - 2:  # walkFields: "invalid value: field-key=..."
            raise _fault(
                f"invalid value: field-key={fields_text[i:eq]}", start + i, "a value after '='"
            )
        key = fields_text[i:eq]
        if "\\" in key:
            key = _unescape_field_key(key)
        vend = _scan_field_value_end(fields_text, eq + 1)
        raw = fields_text[eq + 1 : vend]
        i = vend + 1
        if not key or not raw:
            continue
        first = raw[0]
        if first == '"':
            if len(raw) < 2:  # Go slices raw[1:0] here and panics; report it instead
                raise _fault(
                    "unbalanced quotes", start + eq + 1, "a closing '\"' for the string field value"
                )
            out[key] = unescape_string_field(raw[1:-1])
        elif first in _FIELD_TYPE_NUMERIC:
            last = raw[-1]
            if last == "i":
                value = _parse_int64(raw[:-1])
                if value is None:
                    raise _fault(
                        f"unable to parse integer value {raw[:-1]!r}",
                        start + eq + 1,
                        _EXPECT_NUMBER,
                    )
                out[key] = value
            elif last == "u":
                uvalue = _parse_digits(raw[:-1])
                if not allow_unsigned or uvalue is None or not 0 <= uvalue <= UINT64_MAX:
                    raise _fault(
                        f"unable to parse unsigned value {raw[:-1]!r}",
                        start + eq + 1,
                        _EXPECT_NUMBER,
                    )
                out[key] = uvalue
            else:
                fvalue = _parse_go_float(raw)
                if fvalue is None:
                    raise _fault(
                        f"unable to parse floating point value {raw!r}",
                        start + eq + 1,
                        _EXPECT_NUMBER,
                    )
                out[key] = fvalue
        else:
            bvalue = BOOLEANS.get(raw)
            if bvalue is None:
                raise _fault(f"unable to parse bool value {raw!r}", start + eq + 1, _EXPECT_BOOLEAN)
            out[key] = bvalue
    return out


def _check_key_lengths(key: str, buf: str, start: int, end: int) -> None:
    """``MaxKeyLength`` on the key and on key + each field key (``seriesKeySize``)."""
    key_bytes = len(key) if key.isascii() else len(key.encode("utf-8", "surrogatepass"))
    if key_bytes > MAX_KEY_LENGTH:
        raise _fault(
            f"max key length exceeded: {key_bytes} > {MAX_KEY_LENGTH}",
            0,
            "a measurement and tags of at most 65535 bytes",
        )
    if key_bytes + 4 + (end - start) * 4 <= MAX_KEY_LENGTH:
        return  # no field key can be long enough
    fields_text = buf[start:end]
    i = 0
    n = len(fields_text)
    while i < n:
        eq = _scan_to(fields_text, i, "=")
        fkey = fields_text[i:eq]
        size = key_bytes + 4 + len(fkey.encode("utf-8", "surrogatepass"))
        if size > MAX_KEY_LENGTH:
            raise _fault(
                f"max key length exceeded: {size} > {MAX_KEY_LENGTH}",
                start + i,
                "a series key (measurement, tags and field key) of at most 65535 bytes",
            )
        if eq > n - 2:
            return
        i = _scan_field_value_end(fields_text, eq + 1) + 1


def check_time(ns: int, index: int) -> int:
    """``CheckTime``: the time must fit Kapacitor's nanosecond range."""
    if not MIN_NANO_TIME <= ns <= MAX_NANO_TIME:
        raise _fault(
            f"time outside range {MIN_NANO_TIME} - {MAX_NANO_TIME}",
            index,
            "a timestamp between 1677-09-21T00:12:43.145224194Z and 2262-04-11T23:47:16.854775806Z",
        )
    return ns


def _check_utf8(buf: str) -> None:
    """Undecodable bytes arrive as lone surrogates (``surrogateescape``): reject them loudly."""
    try:
        buf.encode("utf-8")
    except UnicodeEncodeError as err:
        raise _fault("invalid UTF-8", err.start, "text encoded as UTF-8") from None


def parse_line(
    buf: str,
    now: Callable[[], int],
    precision: str = "n",
    allow_unsigned: bool = False,
) -> ParsedLine:
    """Parse one point (``parsePoint`` on a line whose leading whitespace is already skipped).

    ``now()`` gives the nanosecond time used when the line has no timestamp (Kapacitor uses the
    time of the write), truncated to ``precision``.
    """
    if not buf.isascii():
        _check_utf8(buf)
    pos, key = _scan_key(buf)
    if not key:
        raise _fault("missing measurement", 0, "a measurement name at the start of the line")
    fstart, fend, pos = _scan_fields(buf, pos, allow_unsigned)
    if fend == fstart:
        raise _fault("missing fields", fstart, "at least one field, as in 'cpu value=1'")
    _check_key_lengths(key, buf, fstart, fend)
    fields = _decode_fields(buf, fstart, fend, allow_unsigned)
    tstart, tend = _scan_time(buf, pos)
    mult = PRECISION_MULTIPLIERS[precision]
    if tstart == tend:
        t = now()
        t -= t % mult
    else:
        raw = buf[tstart:tend]
        value = _parse_int64(raw)
        if value is None:
            if raw == "-":
                raise _fault("bad timestamp", tstart, _EXPECT_TIMESTAMP)
            raise _fault(
                f"bad timestamp {raw}: value out of range",
                tstart,
                "a timestamp that fits a 64-bit integer",
            )
        t = check_time(value * mult, tstart)
        for j in range(tend, len(buf)):
            if buf[j] != " ":
                raise _fault("point is invalid", j, "nothing but spaces after the timestamp")
    name, tags = _decode_key(key)
    return ParsedLine(name, tags, fields, t)


def parse_logical_line(
    text: str,
    now: Callable[[], int],
    precision: str = "n",
    allow_unsigned: bool = False,
) -> ParsedLine | None:
    """One logical line as ``ParsePointsWithPrecision`` treats it: ``None`` for a blank or comment
    line, else :func:`parse_line` after the leading spaces, tabs and NULs (error columns count
    from the start of ``text``)."""
    start = _skip_whitespace(text, 0)
    if start == len(text) or text[start] == "#":
        return None
    try:
        return parse_line(text[start:], now, precision, allow_unsigned)
    except LineProtocolError as err:
        if start and err.column is not None:
            err.column += start
        raise

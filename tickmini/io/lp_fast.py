"""Fast paths for the common shape of line protocol; anything unusual goes to the exact parser.

Two levels, both built once per reader as closures (no per-point dispatch tables):

* ``make_chunk_parser``: a whole block of lines at once, column by column, with C-level
  ``str``/``map`` operations. It only answers for blocks where every line is
  ``key fields timestamp`` with float or boolean-free numeric fields, no backslash, no quote and no
  control character; otherwise it returns ``None`` and the block is parsed line by line.
* ``make_line_parser``: one line without backslash or quote (floats, ``i`` integers, booleans,
  optional timestamp); returns ``None`` when in doubt.

Both accept exactly what :mod:`tickmini.io.lp_exact` accepts for the lines they answer for (the
property tests compare them); whenever they cannot prove that, they return ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import mul

from tickmini.errors import LineProtocolError
from tickmini.io.lp_exact import (
    INT64_MAX,
    INT64_MIN,
    MAX_NANO_TIME,
    MIN_NANO_TIME,
    PRECISION_MULTIPLIERS,
    _decode_key,
    _scan_key,
)
from tickmini.values import Point

KEY_CACHE_LIMIT = 4096  # distinct measurement+tag blocks remembered; cleared when full
# Lines longer than this (ASCII) might break Kapacitor's 65535-byte series-key limit: exact path.
MAX_PLAIN_LINE = 16000

# Characters that make a block unsuitable for the fast paths: escapes, strings, and every
# character Python's float()/int() would silently strip or Go's scanner would skip.
_UNUSUAL = ("\\", '"', "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x00")
# Everything except the two field separators, for checking the shape of a fields block.
_NOT_SEPARATORS = bytes(b for b in range(256) if b not in b"=,")
_NUMBER_START = frozenset("-.0123456789")
_INT_START = frozenset("-0123456789")
_BOOLEANS: dict[str, bool] = {
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

KeyDecoder = Callable[[str], "tuple[str, dict[str, str]] | None"]


def is_plain(text: str) -> bool:
    """True if ``text`` is ASCII without escapes, quotes or control whitespace."""
    if not text.isascii():
        return False
    return not any(c in text for c in _UNUSUAL)


def make_key_decoder() -> KeyDecoder:
    """A cached exact decoder of ``measurement[,tag=value...]`` blocks (no spaces inside).

    Returns ``(name, tags)`` or ``None`` when the block is not a valid key (the caller then
    takes the exact path, which reports the error) or is a comment.
    """
    cache: dict[str, tuple[str, dict[str, str]]] = {}

    def decode(key: str) -> tuple[str, dict[str, str]] | None:
        hit = cache.get(key)
        if hit is not None:
            return hit
        if not key or key[0] == "#" or len(key) > MAX_PLAIN_LINE:
            return None
        try:
            end, block = _scan_key(key + " ")
        except LineProtocolError:
            return None
        if end != len(key):
            return None
        hit = _decode_key(block)
        if len(cache) >= KEY_CACHE_LIMIT:
            cache.clear()
        cache[key] = hit
        return hit

    return decode


def make_chunk_parser(
    precision: str, database: str, retention_policy: str, decode_key: KeyDecoder
) -> Callable[[list[str]], list[Point] | None]:
    """Parse a list of plain lines (see :func:`is_plain`) column by column, or return None."""
    mult = PRECISION_MULTIPLIERS[precision]
    split = str.split

    def parse_lines(lines: list[str]) -> list[Point] | None:
        parts = list(map(split, lines, repeat(" ")))
        if set(map(len, parts)) != {3}:
            return None
        if max(map(len, lines)) > MAX_PLAIN_LINE:  # key-length limits: let the exact path judge
            return None
        keys, field_blocks, stamps = zip(*parts, strict=False)
        decoded = list(map(decode_key, keys))
        if None in decoded:
            return None
        # Fields: every line must have the same number of key=value items, each with one '='.
        width = field_blocks[0].count(",") + 1
        if set(map(str.count, field_blocks, repeat(","))) != {width - 1}:
            return None
        joined = ",".join(field_blocks)
        separators = joined.encode("ascii").translate(None, _NOT_SEPARATORS)
        if separators != b"=," * (len(separators) // 2) + b"=" or "=+" in joined:
            return None
        tokens = joined.replace(",", "=").split("=")
        names = tokens[0::2]
        raw_values = tokens[1::2]
        if "" in names or "_" in "".join(raw_values):
            return None
        try:
            values = list(map(float, raw_values))
        except ValueError:
            return None
        total = sum(values)
        if total - total != 0.0:  # inf or nan somewhere (or a huge sum: then just go slow)
            return None
        pairs = zip(names, values, strict=False)
        field_dicts = list(map(dict, zip(*([pairs] * width), strict=False)))
        # Timestamps: plain decimal integers in range.
        if "+" in "".join(stamps) or "_" in "".join(stamps):
            return None
        try:
            times = list(map(int, stamps))
        except ValueError:
            return None
        if mult != 1:
            times = list(map(mul, times, repeat(mult)))
        if min(times) < MIN_NANO_TIME or max(times) > MAX_NANO_TIME:
            return None
        measurement_names, tag_dicts = zip(*decoded, strict=False)
        return list(
            map(
                Point,
                measurement_names,
                map(dict.copy, tag_dicts),
                field_dicts,
                times,
                repeat(database),
                repeat(retention_policy),
            )
        )

    return parse_lines


def make_line_parser(
    precision: str,
    database: str,
    retention_policy: str,
    decode_key: KeyDecoder,
    now: Callable[[], int],
) -> Callable[[str], Point | None]:
    """Parse one plain line (see :func:`is_plain`) or return None to ask for the exact path."""
    mult = PRECISION_MULTIPLIERS[precision]

    def parse_line(line: str) -> Point | None:
        if len(line) > MAX_PLAIN_LINE:
            return None
        parts = line.split(" ")
        if len(parts) == 3:
            key, fields_text, stamp = parts
            if not stamp or stamp[0] == "+" or "_" in stamp:
                return None
            try:
                t = int(stamp) * mult
            except ValueError:
                return None
            if not MIN_NANO_TIME <= t <= MAX_NANO_TIME:
                return None
        elif len(parts) == 2:
            key, fields_text = parts
            t = now()
            t -= t % mult
        else:
            return None
        decoded = decode_key(key)
        if decoded is None:
            return None
        fields: dict[str, object] = {}
        for item in fields_text.split(","):
            name, eq, raw = item.partition("=")
            if not eq or not name or not raw or "=" in raw or "_" in raw or raw[0] == "+":
                return None
            first = raw[0]
            if raw[-1] == "i" and first in _INT_START:
                try:
                    ivalue = int(raw[:-1])
                except ValueError:
                    return None
                if not INT64_MIN <= ivalue <= INT64_MAX:
                    return None
                fields[name] = ivalue
            elif first in _NUMBER_START:
                try:
                    fvalue = float(raw)
                except ValueError:
                    return None
                if fvalue - fvalue != 0.0:
                    return None
                fields[name] = fvalue
            else:
                bvalue = _BOOLEANS.get(raw)
                if bvalue is None:
                    return None
                fields[name] = bvalue
        return Point(decoded[0], decoded[1].copy(), fields, t, database, retention_policy)

    return parse_line

"""Fast paths for the common shape of line protocol; anything unusual goes to the exact parser.

Two levels, both built once per reader as closures (no per-point dispatch tables):

* ``make_chunk_parser``: a whole block of lines at once, column by column, with C-level
  ``str``/``map`` operations. It only answers for blocks where every line is
  ``key fields timestamp`` with float, integer or boolean fields, no backslash, no quote and no
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
from tickmini.gocompat.int64 import INT64_MAX, INT64_MIN
from tickmini.io.lp_exact import (
    BOOLEANS,
    MAX_NANO_TIME,
    MIN_NANO_TIME,
    PRECISION_MULTIPLIERS,
    parse_key_block,
)
from tickmini.values import Point

KEY_CACHE_LIMIT = 1 << 17  # distinct measurement+tag blocks remembered (131,072); cleared when full
SCHEMA_CACHE_LIMIT = 1024  # distinct field-key lists whose strings are shared; cleared when full
MAX_CACHED_KEY = 512  # longer blocks are decoded every time, so the cache stays small
# Lines longer than this (ASCII) might break Kapacitor's 65535-byte series-key limit: exact path.
MAX_PLAIN_LINE = 16000
MAX_BLOCK_FIELDS = 32  # blocks with more fields per line are parsed line by line

# Characters that make a block unsuitable for the fast paths: escapes, strings, and every
# character Python's float()/int() would silently strip or Go's scanner would skip.
_UNUSUAL = ("\\", '"', "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x00")
_NUMBER_START = frozenset("-.0123456789")
_INT_START = frozenset("-0123456789")

# Bytes that are not a space or a newline / not a field separator or newline, for shape checks.
_NOT_SPACE_OR_NEWLINE = bytes(b for b in range(256) if b not in b" \n")
_NOT_FIELD_SEPARATOR = bytes(b for b in range(256) if b not in b"=,\n")


def is_plain(text: str) -> bool:
    """True if ``text`` is ASCII without escapes, quotes or control whitespace."""
    if not text.isascii():
        return False
    return not any(c in text for c in _UNUSUAL)


def is_plain_line(line: str) -> bool:
    """Like :func:`is_plain` but lets non-ASCII through: the line parser keeps it to names."""
    return not any(c in line for c in _UNUSUAL)


class KeyDecoder:
    """A cached exact decoder of ``measurement[,tag=value...]`` blocks (no spaces inside).

    ``decode(key)`` returns ``(name, tags)``, or ``None`` when the block is not a valid key (the
    caller then takes the exact path, which reports the error) or starts a comment. ``cache`` is
    exposed so a block of lines can look keys up with one C-level ``map``.

    Points of one series share the cached tags dict (no copy per point: less time, and a window
    holding many points of a series holds its tags once), so a point's tags are read-only:
    nodes that change tags (eval ``.tags()``, alert ``.levelTag()``/``.idTag()``) copy them.
    """

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, dict[str, str]]] = {}

    def decode(self, key: str) -> tuple[str, dict[str, str]] | None:
        cache = self.cache
        hit = cache.get(key)
        if hit is not None:
            return hit
        if not key or key[0] == "#" or len(key) > MAX_PLAIN_LINE:
            return None
        if not key.isascii():
            try:  # undecodable bytes arrive as lone surrogates: the exact path reports them
                if len(key.encode("utf-8")) > MAX_PLAIN_LINE:
                    return None
            except UnicodeEncodeError:
                return None
        hit = plain_key_block(key) if "\\" not in key else None
        if hit is None:
            try:
                hit = parse_key_block(key)
            except LineProtocolError:
                return None
        if len(key) <= MAX_CACHED_KEY:
            if len(cache) >= KEY_CACHE_LIMIT:
                cache.clear()
            cache[key] = hit
        return hit


def plain_key_block(key: str) -> tuple[str, dict[str, str]] | None:
    """``parse_key_block`` for a key without backslashes, with C-level splits; None when the key
    is not plainly valid (the caller then asks the exact parser, which reports the fault).

    Without escapes a key is ``name`` or ``name,k=v,...`` where every tag has exactly one '=',
    a non-empty key and value, and no key repeats; tags come back sorted by key, as the exact
    parser sorts them. Lets 100,000 distinct series keys (past the cache) decode cheaply.
    """
    parts = key.split(",")
    name = parts[0]
    count = len(parts) - 1
    if not name or " " in key or key.count("=") != count:
        return None  # ('=' in the name is valid, but rare: left to the exact parser)
    if not count:
        return name, {}
    try:
        tags = dict(map(str.split, parts[1:], repeat("=")))
    except ValueError:  # a tag without '=' (and another with two)
        return None
    if len(tags) != count or "" in tags or "" in tags.values():
        return None  # a repeated key, or an empty key or value
    keys = list(tags)
    if keys != sorted(keys):
        tags = {k: tags[k] for k in sorted(keys)}
    return name, tags


def _point_builder(width: int) -> Callable[..., list[Point]]:
    """A comprehension making one Point per row ``((name, tags), k0, v0, ..., time)``.

    Compiled once per field count: the source is made from the integer ``width`` only (no data);
    names and values arrive as arguments. A dict display is several times faster than ``dict()``.
    """
    pairs = ", ".join(f"k{i}, v{i}" for i in range(width))
    items = ", ".join(f"k{i}: v{i}" for i in range(width))
    source = (
        f"lambda rows, Point, db, rp: [Point(m, t, {{{items}}}, ts, db, rp) "
        f"for (m, t), {pairs}, ts in rows]"
    )
    return eval(source, {"__builtins__": {}})  # integer-built source, see the docstring


def make_chunk_parser(
    precision: str, database: str, retention_policy: str, keys: KeyDecoder
) -> Callable[[str], list[Point] | None]:
    """Parse a block of whole lines (each ending in a newline) column by column; return None,
    to ask for line-by-line parsing, unless the block is plain (:func:`is_plain`) and every line has
    the common shape."""
    mult = PRECISION_MULTIPLIERS[precision]
    cache_get = keys.cache.get
    decode = keys.decode
    builders: dict[int, Callable[..., list[Point]]] = {}
    schemas: dict[tuple[str, ...], list[str]] = {}  # field keys of a line -> the shared strings

    def parse_block(block: str) -> list[Point] | None:
        if not is_plain(block):
            return None
        # Every line is exactly "key fields timestamp": two spaces, then the newline.
        spacing = block.encode("ascii").translate(None, _NOT_SPACE_OR_NEWLINE)
        n = len(spacing) // 3
        if n == 0 or spacing != b"  \n" * n or len(block) > n * MAX_PLAIN_LINE:
            return None
        flat = block.replace(" ", "\n").split("\n")
        keys_ = flat[0 : 3 * n : 3]
        field_blocks = flat[1::3]
        stamps = flat[2::3]
        decoded = list(map(cache_get, keys_))
        if None in decoded:
            decoded = list(map(decode, keys_))
            if None in decoded:
                return None
        # Fields: the same number of key=value items on every line, each with exactly one '='.
        width = field_blocks[0].count(",") + 1
        if width > MAX_BLOCK_FIELDS:
            return None
        joined = "\n".join(field_blocks)
        shape = joined.encode("ascii").translate(None, _NOT_FIELD_SEPARATOR)
        if shape != ((b"=," * (width - 1) + b"=\n") * n)[:-1]:
            return None
        tokens = joined.replace(",", "=").replace("\n", "=").split("=")
        raw_values = tokens[1::2]
        value_text = "".join(raw_values)
        # float()/int() would take '_' digit separators and a leading '+' (Go rejects both; a '+'
        # after an exponent is fine in Go, but rare enough to leave to the line path).
        field_keys = tokens[0::2]
        if "_" in value_text or "+" in value_text or "" in field_keys:
            return None  # ... or a field key is empty
        # Lines of one schema share the field-key strings of the first such block seen: a window
        # holding many points then holds each key once, not once per point.
        first_keys = field_keys[:width]
        if len(schemas) >= SCHEMA_CACHE_LIMIT:
            schemas.clear()
        shared = schemas.setdefault(tuple(first_keys), first_keys)
        if field_keys == shared * n:
            tokens[0::2] = shared * n
        try:
            values: list[object] = list(map(float, raw_values))
            total = sum(values)  # type: ignore[arg-type]
            if total - total != 0.0:  # inf or nan somewhere (or a huge sum: then just go slow)
                return None
        except ValueError:  # not all floats: integers and booleans, one value at a time
            try:
                values = list(map(typed_value, raw_values))
            except ValueError:
                return None
        # Timestamps: plain decimal integers in range.
        stamp_text = "".join(stamps)
        if "+" in stamp_text or "_" in stamp_text:
            return None
        try:
            times = list(map(int, stamps))
        except ValueError:
            return None
        if mult != 1:
            times = list(map(mul, times, repeat(mult)))
        if min(times) < MIN_NANO_TIME or max(times) > MAX_NANO_TIME:
            return None
        tokens[1::2] = values  # now key, value, key, value, ... per line
        build = builders.get(width)
        if build is None:
            build = builders[width] = _point_builder(width)
        rows = zip(decoded, *([iter(tokens)] * (2 * width)), times, strict=True)
        return build(rows, Point, database, retention_policy)

    return parse_block


def make_line_parser(
    precision: str,
    database: str,
    retention_policy: str,
    keys: KeyDecoder,
    now: Callable[[], int],
) -> Callable[[str], Point | None]:
    """Parse one line without escapes, quotes or control whitespace (:func:`is_plain_line`), or
    return None to ask for the exact path. Non-ASCII is allowed in the measurement, tags and field
    keys only (values and timestamps must be ASCII, or float()/int() would read Unicode digits)."""
    mult = PRECISION_MULTIPLIERS[precision]
    decode_key = keys.decode

    def parse_line(line: str) -> Point | None:
        if len(line) > MAX_PLAIN_LINE:
            return None
        parts = line.split(" ")
        if len(parts) == 3:
            key, fields_text, stamp = parts
            if not stamp or stamp[0] == "+" or "_" in stamp or not stamp.isascii():
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
        if not (fields_text.isascii() or _ascii_values(fields_text)):
            return None
        decoded = decode_key(key)
        if decoded is None:
            return None
        fields: dict[str, object] = {}
        for item in fields_text.split(","):
            name, eq, raw = item.partition("=")
            if not eq or not name or not raw or "=" in raw or "_" in raw or raw[0] == "+":
                return None
            try:
                fields[name] = typed_value(raw)
            except ValueError:
                return None
        return Point(decoded[0], decoded[1], fields, t, database, retention_policy)

    return parse_line


def typed_value(raw: str) -> object:
    """A field value that needs no unescaping: float, ``i`` integer or boolean, as the 1.x
    scanner accepts it; ValueError for anything else (strings, ``u``, NaN, out of range...).

    The caller has excluded what Python's ``float``/``int`` would accept and Go would not:
    non-ASCII digits, whitespace, ``_`` and a leading ``+``.
    """
    first = raw[:1]
    if raw[-1:] == "i" and first in _INT_START:
        ivalue = int(raw[:-1])
        if INT64_MIN <= ivalue <= INT64_MAX:
            return ivalue
        raise ValueError(raw)
    if first in _NUMBER_START:
        fvalue = float(raw)
        if fvalue - fvalue == 0.0:
            return fvalue
        raise ValueError(raw)
    bvalue = BOOLEANS.get(raw)
    if bvalue is None:
        raise ValueError(raw)
    return bvalue


def _ascii_values(fields_text: str) -> bool:
    """Every value is ASCII and every key is valid UTF-8 (non-ASCII field keys are allowed)."""
    try:
        fields_text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return all(item.partition("=")[2].isascii() for item in fields_text.split(","))

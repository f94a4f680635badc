"""Fast paths for the common shape of line protocol; anything unusual goes to the exact parser.

Two levels, both built once per reader as closures (no per-point dispatch tables):

* ``make_chunk_parser``: a whole block of lines at once, column by column, with C-level
  ``str``/``bytes``/``map`` operations. It only answers for blocks where every line is
  ``key fields timestamp`` with float, integer or boolean fields, no backslash, no quote, no
  control character and ASCII field keys and values; otherwise it returns ``None`` and the block
  is parsed line by line.
* ``make_line_parser``: one line without backslash or quote (floats, ``i`` integers, booleans,
  optional timestamp); returns ``None`` when in doubt.

Both accept exactly what :mod:`tickmini.io.lp_exact` accepts for the lines they answer for (the
property tests compare them); whenever they cannot prove that, they return ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass
from dataclasses import fields as dataclass_fields
from itertools import chain, groupby, repeat
from operator import itemgetter, mul

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
MAX_STAMP_RUNS = 8  # a block's timestamps in more runs than this are converted per distinct value

# Characters that make a block unsuitable for the fast paths: escapes, strings, and every
# character Python's float()/int() would silently strip or Go's scanner would skip.
_UNUSUAL = ("\\", '"', "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x00")
_UNUSUAL_BYTES = "".join(_UNUSUAL).encode("ascii")
_NUMBER_START = frozenset("-.0123456789")
_INT_START = frozenset("-0123456789")
_WITHOUT_SUFFIX = itemgetter(slice(None, -1))  # "42i" -> "42"

# Deleting every byte but these leaves a block's field separators and its unusual characters.
_NOT_FIELD_SEPARATOR = bytes(b for b in range(256) if b not in b"=,\n" + _UNUSUAL_BYTES)
# The characters of the float values the block's fast tier reads (float() then validates them);
# deleting them from a line's fields leaves its field keys and separators.
_NUMBER_CHARS = b"0123456789.-"
# Fields text -> "=" key-digits "=" value "=" key-digits "=" value ... (keys' other bytes deleted).
_SEPARATORS_TO_EQUALS = bytes.maketrans(b",\n", b"==")
_NOT_NUMBER_OR_SEPARATOR = bytes(b for b in range(256) if b not in _NUMBER_CHARS + b"=,\n")
# Characters a key may not hold on the fast paths (the exact parser decides): the unusual ones
# and the newline, which the block path relies on to find line ends.
_KEY_REFUSED = _UNUSUAL_BYTES + b"\n"


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
    caller then takes the exact path, which reports the error), starts a comment, or holds a
    character the fast paths leave to the exact parser (a backslash, a quote, control whitespace
    or a newline). ``cache`` is exposed so a block of lines can look keys up with one C-level
    ``map``: every key in it is one ``decode`` accepted.

    Points of one series share the cached tags dict (no copy per point: less time, and a window
    holding many points of a series holds its tags once), so a point's tags are read-only:
    nodes that change tags (eval ``.tags()``, alert ``.levelTag()``/``.idTag()``) copy them.
    """

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, dict[str, str]]] = {}

    def decode_all(self, keys: list[str]) -> list[tuple[str, dict[str, str]]] | None:
        """Every key of a block decoded (one C-level cache lookup each when all were seen), or
        None when one is not a valid plain key."""
        decoded = list(map(self.cache.get, keys))
        if not all(decoded):  # (name, tags) pairs are true, a miss is None
            decoded = list(map(self.decode, keys))
            if not all(decoded):
                return None
        return decoded  # type: ignore[return-value]

    def decode(self, key: str) -> tuple[str, dict[str, str]] | None:
        cache = self.cache
        hit = cache.get(key)
        if hit is not None:
            return hit
        if not key or key[0] == "#" or len(key) > MAX_PLAIN_LINE:
            return None
        try:  # undecodable bytes arrive as lone surrogates: the exact path reports them
            data = key.encode("utf-8")
        except UnicodeEncodeError:
            return None
        if len(data) > MAX_PLAIN_LINE or len(data.translate(None, _KEY_REFUSED)) != len(data):
            return None
        hit = plain_key_block(key)
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


def _schema_point_builder(width: int) -> Callable[..., Callable[..., list[Point]]]:
    """``bind(*field_keys)``: ``build(rows, db, rp)`` making one Point per row ``((name, tags),
    v0, ..., time)``, the field keys bound as closure constants (rows carry values only, and every
    point of the schema shares the same key strings).

    The source is made from the integer ``width`` and Point's own field names only (no data);
    keys and values arrive as arguments. A plain slots dataclass Point is made with
    ``object.__new__`` and one store per field (its ``__init__`` stores the same values, and
    costs a Python frame per point); any other Point is called.
    """
    keys = ", ".join(f"k{i}" for i in range(width))
    values = ", ".join(f"v{i}" for i in range(width))
    items = ", ".join(f"k{i}: v{i}" for i in range(width))
    given = {
        "name": "m",
        "tags": "t",
        "fields": f"{{{items}}}",
        "time": "ts",
        "database": "db",
        "retention_policy": "rp",
    }
    namespace: dict[str, object] = {"__builtins__": {}, "Point": Point, "new": object.__new__}
    stores = []
    for spec in dataclass_fields(Point):
        if spec.name in given:
            stores.append(f"p.{spec.name} = {given[spec.name]}")
        elif spec.default is not MISSING and spec.name.isidentifier():
            namespace[f"default_{spec.name}"] = spec.default
            stores.append(f"p.{spec.name} = default_{spec.name}")
        else:
            stores = []
            break
    if stores and hasattr(Point, "__slots__") and not hasattr(Point, "__post_init__"):
        body = f"p = new(Point); {'; '.join(stores)}; append(p)"
    else:
        body = f"append(Point(m, t, {{{items}}}, ts, db, rp))"
    # The namespace's names become keyword-only defaults: local loads inside the loop.
    constants = ", ".join(f"{name}={name}" for name in namespace if name != "__builtins__")
    source = (
        f"def bind({keys}):\n"
        f"    def build(rows, db, rp, *, {constants}):\n"
        f"        out = []\n"
        f"        append = out.append\n"
        f"        for (m, t), {values}, ts in rows:\n"
        f"            {body}\n"
        f"        return out\n"
        f"    return build\n"
    )
    exec(source, namespace)  # width- and field-name-built source, see the docstring
    return namespace["bind"]  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class _FloatSchema:
    """Field keys without number characters, as a block's first line has them: what deleting the
    number characters leaves of each line (``residue``), and the Point builder with the keys."""

    keys: tuple[str, ...]
    residue: bytes  # one line's fields without their number characters, then a newline
    build: Callable[..., list[Point]]


def _float_schema_keys(residue: bytes) -> tuple[str, ...] | None:
    """The field keys of a line whose fields left ``residue`` (``k0=,k1=,...,kN=``), or None
    unless that is what it is, with keys fit for the block path."""
    items = residue.split(b",")
    if len(items) > MAX_BLOCK_FIELDS or residue.count(b"=") != len(items):
        return None
    keys = tuple(item[:-1].decode("ascii") for item in items)
    for item, key in zip(items, keys, strict=True):
        if item[-1:] != b"=" or not key or len(key) > MAX_PLAIN_LINE:
            return None
        if len(item.translate(None, _UNUSUAL_BYTES)) != len(item):
            return None
    return keys


def _read_stamps(stamps: list[str], mult: int) -> list[int] | None:
    """Each line's time in nanoseconds; None unless every stamp is a decimal integer in range
    that ends its line (it keeps its newline).

    Lines usually come in runs of one timestamp (a batch per interval): then each run's stamp is
    converted once. Past ``MAX_STAMP_RUNS`` runs, each distinct stamp is.
    """
    runs: list[str] = []
    lengths: list[int] = []
    for stamp, run in groupby(stamps):
        if len(runs) == MAX_STAMP_RUNS:
            runs = list(set(stamps))
            lengths = []
            break
        runs.append(stamp)
        lengths.append(len(list(run)))
    text = "".join(runs)
    # int() would also take '+', '_', whitespace and non-ASCII digits, which Go does not.
    if (
        text.count("\n") != len(runs)
        or not text.isascii()
        or not text.replace("\n", "").replace("-", "").isdigit()
    ):
        return None
    try:
        if 2 * len(runs) > len(stamps):
            times = list(map(int, stamps))
            if mult != 1:
                times = list(map(mul, times, repeat(mult)))
            converted = times
        else:
            converted = list(map(int, runs))
            if mult != 1:
                converted = list(map(mul, converted, repeat(mult)))
            if lengths:
                times = list(chain.from_iterable(map(repeat, converted, lengths)))
            else:
                times = list(map(dict(zip(runs, converted, strict=True)).__getitem__, stamps))
    except ValueError:
        return None
    if min(converted) < MIN_NANO_TIME or max(converted) > MAX_NANO_TIME:
        return None
    return times


def _typed_column(raw: list[str]) -> list[object] | None:
    """The values of one field on every line of a block, as :func:`typed_value` types them: one
    C-level conversion when the column is all floats, all ``i`` integers or all booleans, else
    one value at a time; None if any value is not a float, integer or boolean."""
    first = raw[0]
    try:
        if first[-1:] == "i":  # every value must end with its one 'i', or int() would misread
            if "\n".join(raw).count("i\n") + 1 == len(raw) and raw[-1][-1:] == "i":
                ints = list(map(int, map(_WITHOUT_SUFFIX, raw)))
                if min(ints) >= INT64_MIN and max(ints) <= INT64_MAX:
                    return ints  # type: ignore[return-value]
        elif first in BOOLEANS:
            return list(map(BOOLEANS.__getitem__, raw))
        else:
            floats = list(map(float, raw))
            total = sum(floats)
            if total - total == 0.0:  # no inf or nan (a finite sum of finite values)
                return floats  # type: ignore[return-value]
    except (ValueError, KeyError):
        pass
    try:
        return list(map(typed_value, raw))
    except ValueError:
        return None


def make_chunk_parser(
    precision: str, database: str, retention_policy: str, keys: KeyDecoder
) -> Callable[[str], list[Point] | None]:
    """Parse a block of whole lines (each ending in a newline) column by column; return None,
    to ask for line-by-line parsing, unless every line is ``key fields timestamp`` with float,
    integer or boolean fields and nothing the exact parser must decide (escapes, quotes,
    control whitespace, non-ASCII values).

    Two tiers: blocks whose values are all plain decimal floats (``-12.5``, no exponent) and whose
    field keys hold no digit, '.' or '-' are checked and split with two byte translations, their
    key strings never made; any other block of the common shape is split into key and value
    tokens and typed a column at a time.
    """
    mult = PRECISION_MULTIPLIERS[precision]
    decode_all = keys.decode_all
    builders: dict[int, Callable[..., list[Point]]] = {}
    binders: dict[int, Callable[..., Callable[..., list[Point]]]] = {}
    # A first line's residue -> its float schema (None: not one). Bounded, cleared when full.
    float_schemas: dict[bytes, _FloatSchema | None] = {}
    # Field keys of a line -> the builder with those keys bound (the general tier). Bounded.
    bound: dict[tuple[str, ...], Callable[..., list[Point]]] = {}

    def float_schema(residue: bytes, first_fields: str) -> _FloatSchema | None:
        field_keys = _float_schema_keys(residue)
        if field_keys is None:
            return None
        if field_keys != tuple(item.partition("=")[0] for item in first_fields.split(",")):
            return None  # keys holding number characters (load1, a.b) are the general tier's
        bind = binders.get(len(field_keys))
        if bind is None:
            bind = binders[len(field_keys)] = _schema_point_builder(len(field_keys))
        return _FloatSchema(field_keys, residue + b"\n", bind(*field_keys))

    def parse_block(block: str) -> list[Point] | None:
        # key, fields, timestamp: each line's timestamp keeps its newline, so when every third
        # token ends a line and no other token holds a newline (keys: KeyDecoder refuses them;
        # fields: the shape checks), every line had exactly two spaces.
        flat = block.replace("\n", "\n ").split(" ")
        n = len(flat) // 3
        if n == 0 or len(flat) != 3 * n + 1 or block[-1] != "\n":
            return None
        times = _read_stamps(flat[2::3], mult)
        if times is None:
            return None
        keys_ = flat[0 : 3 * n : 3]
        decoded = decode_all(keys_)
        if decoded is None:
            return None
        field_blocks = flat[1::3]
        joined = "\n".join(field_blocks)
        try:
            data = joined.encode("ascii")
        except UnicodeEncodeError:
            return None
        residue = data.translate(None, _NUMBER_CHARS)
        first_end = residue.find(b"\n")
        first = residue if first_end < 0 else residue[:first_end]
        schema = float_schemas.get(first, False)
        if schema is False:
            if len(float_schemas) >= SCHEMA_CACHE_LIMIT:
                float_schemas.clear()
            schema = float_schemas[first] = float_schema(first, field_blocks[0])
        if schema is not None and residue == (schema.residue * n)[:-1]:
            # Every line has the schema's shape and only number characters in its values; the
            # keys may still hold number characters, which would then stand between two '='.
            spread = data.translate(_SEPARATORS_TO_EQUALS, _NOT_NUMBER_OR_SEPARATOR)
            # "=v0==v1==..." when no key holds a number character; else some token holds '='
            # (as does the first when the first key does) and float() fails, as it does on a
            # malformed number: the general tier then decides.
            try:
                values = list(map(float, spread[1:].split(b"==")))
            except ValueError:
                values = None
            if values is not None:
                total = sum(values)
                if total - total != 0.0:  # inf (over 308 digits) or a huge sum: go slow
                    return None
                rows = zip(decoded, *([iter(values)] * len(schema.keys)), times, strict=True)
                return schema.build(rows, database, retention_policy)
        return general(decoded, field_blocks[0], joined, data, n, times)

    def general(
        decoded: list[tuple[str, dict[str, str]]],
        first_fields: str,
        joined: str,
        data: bytes,
        n: int,
        times: list[int],
    ) -> list[Point] | None:
        """Any values: key and value tokens, typed a column at a time."""
        # The same number of key=value items on every line, each with exactly one '='.
        width = first_fields.count(",") + 1
        if width > MAX_BLOCK_FIELDS:
            return None
        shape = data.translate(None, _NOT_FIELD_SEPARATOR)
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
        if max(map(len, field_keys)) > MAX_PLAIN_LINE:
            return None  # the series key (key + field key) might pass 65535 bytes
        columns = []
        for index in range(width):
            column = _typed_column(raw_values[index::width])
            if column is None:
                return None
            columns.append(column)
        first_keys = tuple(field_keys[:width])
        if field_keys == list(first_keys) * n:
            # One schema: its keys bound in the builder, so lines of one schema share the key
            # strings of the first such block seen (a window holding many points holds each key
            # once, not once per point).
            build = bound.get(first_keys)
            if build is None:
                bind = binders.get(width)
                if bind is None:
                    bind = binders[width] = _schema_point_builder(width)
                if len(bound) >= SCHEMA_CACHE_LIMIT:
                    bound.clear()
                build = bound[first_keys] = bind(*first_keys)
            rows = zip(decoded, *columns, times, strict=True)
            return build(rows, database, retention_policy)
        tokens[1::2] = list(chain.from_iterable(zip(*columns, strict=True)))
        pairs = builders.get(width)
        if pairs is None:
            pairs = builders[width] = _point_builder(width)
        rows = zip(decoded, *([iter(tokens)] * (2 * width)), times, strict=True)
        return pairs(rows, Point, database, retention_policy)

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

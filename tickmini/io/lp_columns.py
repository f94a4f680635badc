"""A block of line protocol validated whole and read by column, for pipelines that skip rows.

When a task only needs to look at a few fields of most points (the seed rule reads one field of
cpu lines, and an OK point of a quiet group changes nothing), turning every line into a
:class:`~tickmini.values.Point` with every field converted is most of the cost. A
:class:`ColumnBlock` proves a whole block valid with one RE2 match over its bytes (every line
``key fields timestamp`` with simple number or boolean values and a plain timestamp; a pattern
made for the first line's field keys when every line has them, else a general one for mixed
blocks such as a Telegraf batch), then converts only the columns asked for. Rows the caller wants in full become
Points through the reader's own line parser, so they are the very Points the line path gives.

The block pattern is a *subset* of what Kapacitor's parser accepts (no escapes, quotes,
exponents, ``u`` values, missing timestamps...): a block with anything else is not answered
here (``None``) and the reader parses it as usual, reporting bad lines there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter, mul

import re2

from tickmini.io.lp_exact import BOOLEANS, MAX_NANO_TIME, MIN_NANO_TIME, PRECISION_MULTIPLIERS
from tickmini.io.lp_fast import KeyDecoder, is_plain, typed_value
from tickmini.lang.types import MISSING

MAX_SCHEMAS = 256  # compiled block patterns kept per reader (one per field-key list)
MAX_FIELD_KEY = 1000  # longer field keys are left to the line parser (series key size limit)

# Go accepts every one of these and reads them as float()/int() do: digits with at most one
# decimal point (at most 300 before it: a float needs 309 to overflow), integers of at most 18
# digits with the i suffix (never out of int64 range), and Kapacitor's boolean spellings.
_FLOAT = rb"-?[0-9]{1,300}(?:\.[0-9]+)?"
_INTEGER = rb"-?[0-9]{1,18}i"
_BOOLEAN = b"|".join(re2.escape(word.encode("ascii")) for word in sorted(BOOLEANS, key=len)[::-1])
_VALUE = b"(?:" + _FLOAT + b"|" + _INTEGER + b"|" + _BOOLEAN + b")"
# A measurement that does not start a comment, then tags; no escapes, spaces, quotes or '='
# in the name (the key decoder checks tag order, duplicates and emptiness).
_NAME = rb'[^\\ ,="#\n][^\\ ,="\n]*'
_TAG = rb'[^\\ ,="\n]+=[^\\ ,="\n]+'
_KEY = _NAME + b"(?:," + _TAG + b")*"
_STAMP = rb"[0-9]{1,19}"
_ANY_FIELD = rb'[^\\ ,="\n]+=' + _VALUE
_ANY_LINE = _KEY + b" " + _ANY_FIELD + b"(?:," + _ANY_FIELD + b")* " + _STAMP + b"\n"
# Blocks of mixed field keys up to this size: a field key in one is then short enough that key
# (at most MAX_PLAIN_LINE characters, the key decoder's limit) + field key stay under 65535 bytes.
MAX_MIXED_BLOCK = 48_000
_FIELD_KEY_CHARS = frozenset('\\ ,="\n')


@dataclass(slots=True)
class ColumnBlock:
    """One validated block: ``n`` rows, each row's series key, its decoded
    ``(name, tags)``, its raw fields text and raw timestamp; ``schema`` is the field keys every
    row has in that order, or None when the rows' field keys differ (a mixed Telegraf batch).
    ``column(name)`` converts one field."""

    n: int
    keys: list[str]
    decoded: list[tuple[str, dict[str, str]]]
    schema: tuple[str, ...] | None
    field_texts: list[str]
    stamps: list[str]
    _columns: dict[str, list[object] | None] = field(default_factory=dict)

    def column(self, name: str, rows: list[int] | None = None) -> list[object] | None:
        """The typed values of field ``name`` on every row (or on ``rows``, in that order),
        :data:`~tickmini.lang.types.MISSING` where a row lacks it; None when no row has it."""
        if rows is not None and self.schema is None:
            return _typed(_field_values(map(self.field_texts.__getitem__, rows), name))
        if name in self._columns:
            values = self._columns[name]
        else:
            values = self._columns[name] = self._convert(name)
        if values is None or rows is None:
            return values
        return list(map(values.__getitem__, rows))

    def _convert(self, name: str) -> list[object] | None:
        if self.schema is None:
            return _typed(_field_values(self.field_texts, name))
        if name not in self.schema:
            return None
        return _typed(_schema_field_values(self.field_texts, self.schema, name))

    def line(self, row: int) -> str:
        """The text of row ``row`` (without its newline)."""
        return f"{self.keys[row]} {self.field_texts[row]} {self.stamps[row]}"


def make_column_parser(precision: str, keys: KeyDecoder) -> Callable[[str], ColumnBlock | None]:
    """``parse(block)``: a :class:`ColumnBlock` for a block of whole lines (each ending in a
    newline) that has the common shape, else None."""
    mult = PRECISION_MULTIPLIERS[precision]
    decode_all = keys.decode_all
    patterns: dict[str, object] = {}
    mixed: list[object] = []  # the pattern for blocks of mixed field keys, compiled when needed

    def mixed_pattern() -> object:
        if not mixed:
            compiled = re2.Set.FullMatchSet()
            compiled.Add(b"(?:" + _ANY_LINE + b")+")
            compiled.Compile()
            mixed.append(compiled)
        return mixed[0]

    def pattern_for(first_fields: str) -> tuple[object, tuple[str, ...]] | None:
        found = patterns.get(first_fields)
        if found is not None:
            return found  # type: ignore[return-value]
        schema = tuple(item.partition("=")[0] for item in first_fields.split(","))
        if len(set(schema)) != len(schema) or not all(
            0 < len(k) <= MAX_FIELD_KEY and _FIELD_KEY_CHARS.isdisjoint(k) for k in schema
        ):
            return None  # repeated, empty or odd field keys: the line parser decides
        fields = b",".join(re2.escape(k.encode("ascii")) + b"=" + _VALUE for k in schema)
        line = _KEY + b" " + fields + b" " + _STAMP + b"\n"
        compiled = re2.Set.FullMatchSet()  # a set matches with the DFA alone: no spans
        compiled.Add(b"(?:" + line + b")+")
        compiled.Compile()
        if len(patterns) >= MAX_SCHEMAS:
            patterns.clear()
        found = patterns[first_fields] = (compiled, schema)
        return found

    def parse(block: str) -> ColumnBlock | None:
        if not is_plain(block):
            return None
        first_end = block.find("\n")
        first = block[:first_end].split(" ")
        if len(first) != 3:
            return None
        data = block.encode("ascii")
        # The pattern is keyed by the first line's fields text with its values removed.
        found = pattern_for(",".join(item.partition("=")[0] + "=" for item in first[1].split(",")))
        schema: tuple[str, ...] | None = None
        if found is not None and found[0].Match(data) is not None:  # type: ignore[attr-defined]
            schema = found[1]
        elif len(block) > MAX_MIXED_BLOCK or mixed_pattern().Match(data) is None:
            return None
        flat = block.split()  # ASCII without tabs or other blanks: splits at ' ' and '\n'
        keys_ = flat[0::3]
        decoded = decode_all(keys_)
        if decoded is None:
            return None
        stamps = flat[2::3]
        if mult != 1 or max(stamps) >= "9":  # 19 digits from 9...: check the range exactly
            times = list(map(int, stamps))
            if mult != 1:
                times = list(map(mul, times, repeat(mult)))
            if min(times) < MIN_NANO_TIME or max(times) > MAX_NANO_TIME:
                return None
        return ColumnBlock(
            len(keys_),
            keys_,
            decoded,
            schema,
            flat[1::3],
            stamps,
        )

    return parse


def _typed(raw: list[str | None]) -> list[object] | None:
    """Raw values as Go reads them; None (a row without the field) becomes MISSING; None when
    every row lacks the field."""
    try:
        return list(map(float, raw))  # type: ignore[arg-type]
    except (ValueError, TypeError):  # integers, booleans or missing rows: one at a time
        if all(value is None for value in raw):
            return None
        return [MISSING if value is None else typed_value(value) for value in raw]


def _field_values(field_texts: Iterable[str], name: str) -> list[str | None]:
    """The raw value of field ``name`` in each fields text (any keys, in any order; the last
    one wins when a key repeats, as in Kapacitor), None where it is absent. Keys and values
    hold no ',' or '=', so ``,name=`` can only start that field."""
    head = name + "="
    mark = "," + head
    head_length, mark_length = len(head), len(mark)
    values: list[str | None] = []
    append = values.append
    for text in field_texts:
        at = text.rfind(mark)
        if at >= 0:
            at += mark_length
        elif text.startswith(head):
            at = head_length
        else:
            append(None)
            continue
        end = text.find(",", at)
        append(text[at:] if end < 0 else text[at:end])
    return values


def _schema_field_values(field_texts: list[str], schema: tuple[str, ...], name: str) -> list[str]:
    """The raw value of field ``name`` in each fields text of ``schema`` (keys in that order;
    keys and values hold no ',' or '=', so each key's place is found by searching)."""
    start = len(name) + 1
    if len(schema) == 1:
        return list(map(itemgetter(slice(start, None)), field_texts))
    if schema[0] == name:
        return [text[start : text.find(",")] for text in field_texts]
    if schema[-1] == name:
        return [text[text.rfind("=") + 1 :] for text in field_texts]
    marker = f",{name}="
    skip = len(marker)
    return [text[(at := text.find(marker) + skip) : text.find(",", at)] for text in field_texts]

"""A block of line protocol validated whole and read by column, for pipelines that skip rows.

When a task only needs to look at a few fields of most points (the seed rule reads one field of
cpu lines, and an OK point of a quiet group changes nothing), turning every line into a
:class:`~tickmini.values.Point` with every field converted is most of the cost. A
:class:`ColumnBlock` proves a whole block valid with one RE2 match over its bytes (every line
``key fields timestamp`` with the same field keys, simple number or boolean values, a plain
timestamp), then converts only the columns asked for. Rows the caller wants in full become
Points through the reader's own line parser, so they are the very Points the line path gives.

The block pattern is a *subset* of what Kapacitor's parser accepts (no escapes, quotes,
exponents, ``u`` values, missing timestamps...): a block with anything else is not answered
here (``None``) and the reader parses it as usual, reporting bad lines there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter, mul

import re2

from tickmini.io.lp_exact import BOOLEANS, MAX_NANO_TIME, MIN_NANO_TIME, PRECISION_MULTIPLIERS
from tickmini.io.lp_fast import KeyDecoder, is_plain, typed_value

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
_FIELD_KEY_CHARS = frozenset('\\ ,="\n')


@dataclass(slots=True)
class ColumnBlock:
    """One validated block: ``n`` rows of ``text``, each row's series key, its decoded
    ``(name, tags)``, its raw fields text and raw timestamp. ``column(name)`` converts one field for all rows."""

    n: int
    text: str
    keys: list[str]
    decoded: list[tuple[str, dict[str, str]]]
    schema: tuple[str, ...]
    field_texts: list[str]
    stamps: list[str]
    _columns: dict[str, list[object] | None] = field(default_factory=dict)

    def column(self, name: str) -> list[object] | None:
        """The typed values of field ``name`` on every row, or None when rows lack it."""
        if name in self._columns:
            return self._columns[name]
        values = self._convert(name)
        self._columns[name] = values
        return values

    def _convert(self, name: str) -> list[object] | None:
        if name not in self.schema:
            return None
        raw = _field_texts(self.field_texts, self.schema, name)
        try:
            return list(map(float, raw))
        except ValueError:  # integers or booleans in this column: one at a time
            return list(map(typed_value, raw))

    def line(self, row: int) -> str:
        """The text of row ``row`` (without its newline)."""
        return f"{self.keys[row]} {self.field_texts[row]} {self.stamps[row]}"


def make_column_parser(precision: str, keys: KeyDecoder) -> Callable[[str], ColumnBlock | None]:
    """``parse(block)``: a :class:`ColumnBlock` for a block of whole lines (each ending in a
    newline) that has the common shape, else None."""
    mult = PRECISION_MULTIPLIERS[precision]
    cache_get = keys.cache.get
    decode = keys.decode
    patterns: dict[str, object] = {}

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
        # The pattern is keyed by the first line's fields text with its values removed.
        found = pattern_for(",".join(item.partition("=")[0] + "=" for item in first[1].split(",")))
        if found is None:
            return None
        pattern, schema = found
        if pattern.Match(block.encode("ascii")) is None:  # type: ignore[attr-defined]
            return None
        flat = block.split()  # ASCII without tabs or other blanks: splits at ' ' and '\n'
        keys_ = flat[0::3]
        decoded = list(map(cache_get, keys_))
        if None in decoded:
            decoded = list(map(decode, keys_))
            if None in decoded:
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
            block,
            keys_,
            decoded,  # type: ignore[arg-type]
            schema,
            flat[1::3],
            stamps,
        )

    return parse


def _field_texts(field_texts: list[str], schema: tuple[str, ...], name: str) -> list[str]:
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

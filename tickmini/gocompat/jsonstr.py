"""Go ``encoding/json`` string literals (``encodeState.string``), byte for byte.

Go 1.19 rules: ``\\n \\r \\t \\" \\\\`` short forms, other control characters as ``\\u00xx``,
``< > &`` as ``\\u003c \\u003e \\u0026`` when HTML escaping is on, U+2028/U+2029 escaped,
invalid UTF-8 (lone surrogates) as ``\\ufffd``, other non-ASCII raw.
"""

from __future__ import annotations

import re

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    short = _SHORT_ESCAPES.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"
    return f"\\u{code:04x}"


_ESCAPE_TABLE: dict[str, str] = {
    ch: _escape_char(ch) for ch in [chr(c) for c in range(0x20)] + ['"', "\\", "\u2028", "\u2029"]
}
_HTML_TABLE: dict[str, str] = {**_ESCAPE_TABLE, "<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}

_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\u2028\u2029\ud800-\udfff]')
_NEEDS_ESCAPE_HTML = re.compile('[\\x00-\\x1f"\\\\<>&\u2028\u2029\ud800-\udfff]')


def _replace_plain(match: re.Match[str]) -> str:
    ch = match.group()
    return _ESCAPE_TABLE.get(ch) or "\\ufffd"


def _replace_html(match: re.Match[str]) -> str:
    ch = match.group()
    return _HTML_TABLE.get(ch) or "\\ufffd"


def quote_string(text: str, *, escape_html: bool = True) -> str:
    """A Go JSON string literal, quotes included."""
    if text.isalnum() and text.isascii():
        return '"' + text + '"'
    if escape_html:
        return '"' + _NEEDS_ESCAPE_HTML.sub(_replace_html, text) + '"'
    return '"' + _NEEDS_ESCAPE.sub(_replace_plain, text) + '"'

"""Decoding TICKscript literals exactly as Kapacitor's ``tick/ast/node.go`` does.

* numbers: a ``.`` makes a float64 (``strconv.ParseFloat``); otherwise an int64, octal when it
  has a leading ``0`` and more than one digit; out of range is an error (§1.5);
* durations: ``influxql.ParseDuration`` of the lexeme (§1.6);
* strings: only ``\\'`` unescapes; ``'''...'''`` has no escapes (§1.7);
* references: only ``\\"`` unescapes (§1.8);
* regexes: only ``\\/`` unescapes; the pattern must be valid RE2 (Go ``regexp``) syntax (§1.9);
* comments: Kapacitor's ``newComment`` normalisation (§1.3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tickmini.gocompat.durations import InvalidDurationError, parse_influxql_duration
from tickmini.gocompat.gostrings import GO_SPACE
from tickmini.gocompat.int64 import INT64_MAX


class LiteralError(Exception):
    """A literal Kapacitor's parser rejects; the lexer turns it into a positioned error."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Regex:
    """A decoded regex literal: the RE2 ``pattern`` (``\\/`` unescaped) and the source lexeme."""

    pattern: str
    text: str


def decode_number(text: str) -> int | float:
    """``newNumber``: float64 if the lexeme has a ``.``, else int64 (octal with a leading 0)."""
    if not text.isascii():
        raise LiteralError(f"illegal number syntax: {text!r}", "numbers use the digits 0-9")
    if "." in text:
        value = float(text)
        if math.isinf(value):
            raise LiteralError(
                f"illegal number syntax: {text!r}", "the number is too large for a float64"
            )
        return value
    if text[0] == "0" and len(text) > 1:
        try:
            value = int(text, 8)
        except ValueError:
            raise LiteralError(
                f"illegal number syntax: {text!r}",
                "a number with a leading 0 is octal and may only use the digits 0-7",
            ) from None
    else:
        value = int(text)
    if value > INT64_MAX:
        raise LiteralError(
            f"illegal number syntax: {text!r}",
            "integers are 64-bit: the largest is 9223372036854775807",
        )
    return value


def decode_duration(text: str) -> int:
    """Nanoseconds of a duration lexeme (``10s``, ``5m``, ``100ms``, ``1µ``)."""
    try:
        return parse_influxql_duration(text)
    except InvalidDurationError as err:
        raise LiteralError(
            err.message, "durations are whole numbers of u, µ, ms, s, m, h, d or w"
        ) from None


def decode_string(lexeme: str) -> tuple[str, bool]:
    """``newString``: (value, triple-quoted?)."""
    if len(lexeme) >= 6 and lexeme.startswith("'''"):
        return lexeme[3:-3], True
    return lexeme[1:-1].replace("\\'", "'"), False


def decode_reference(lexeme: str) -> str:
    """``newReference``: the name between the double quotes, ``\\"`` unescaped."""
    return lexeme[1:-1].replace('\\"', '"')


def decode_regex(lexeme: str) -> Regex:
    """``newRegex``: unescape ``\\/`` and check the pattern compiles as RE2 (Go ``regexp``)."""
    pattern = lexeme[1:-1].replace("\\/", "/")
    problem = regex_syntax_error(pattern)
    if problem is not None:
        raise LiteralError(
            f"error parsing regexp: {problem}",
            "regexes use RE2 syntax (no look-around or back-references)",
        )
    return Regex(pattern=pattern, text=lexeme)


def regex_syntax_error(pattern: str) -> str | None:
    """RE2's complaint about ``pattern``, or None when it compiles."""
    import re2  # google-re2: imported only when a script has a regex

    if "\\C" in pattern.replace("\\\\", ""):
        return "invalid escape sequence: `\\C`"
    try:
        pattern.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 in the script (surrogateescape)
        return "invalid UTF-8"
    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(pattern, options)
    except Exception as err:  # re2.error, or anything else the binding raises on odd input
        detail = err.args[0] if err.args else str(err)
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        return str(detail)
    return None


def comment_lines(blocks: list[str]) -> tuple[str, ...]:
    """``newComment``: the text of each ``//`` line, ``"\\n"`` between separate comment blocks."""
    lines: list[str] = []
    for index, block in enumerate(blocks):
        if index:
            lines.append("\n")
        for raw in block.split("\n"):
            line = raw.strip(GO_SPACE)
            if not line:
                continue
            if line.startswith("//"):
                line = line[2:]
            if line.startswith(" "):
                line = line[1:]
            lines.append(line)
    return tuple(lines)

"""Literal values decoded exactly as Kapacitor does (§1.5-1.10)."""

from __future__ import annotations

import pytest

from tickmini.syntax import ast
from tickmini.syntax.literals import (
    LiteralError,
    comment_lines,
    decode_duration,
    decode_number,
    decode_reference,
    decode_regex,
    decode_string,
)
from tickmini.syntax.parser import parse_lambda


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("10", 10),
        ("010", 8),
        ("0644", 420),
        ("00", 0),
        ("9223372036854775807", 9223372036854775807),
        ("0777777777777777777777", 9223372036854775807),
        ("1.5", 1.5),
        ("5.", 5.0),
        (".5", 0.5),
        ("0.1", 0.1),
    ],
)
def test_numbers(text: str, value: int | float) -> None:
    decoded = decode_number(text)
    assert decoded == value and type(decoded) is type(value)


@pytest.mark.parametrize(
    "text", ["08", "09", "9223372036854775808", "01000000000000000000000", "٣", "1" * 400 + "."]
)
def test_bad_numbers(text: str) -> None:
    with pytest.raises(LiteralError, match="illegal number syntax"):
        decode_number(text)


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [
        ("1u", 1_000),
        ("1µ", 1_000),
        ("10ms", 10_000_000),
        ("30s", 30_000_000_000),
        ("5m", 300_000_000_000),
        ("2h", 7_200_000_000_000),
        ("1d", 86_400_000_000_000),
        ("1w", 604_800_000_000_000),
        ("15250w", 9_223_200_000_000_000_000),
        ("15251w", None),
    ],
)
def test_durations(text: str, nanoseconds: int | None) -> None:
    if nanoseconds is None:
        with pytest.raises(LiteralError, match="overflowed duration"):
            decode_duration(text)
    else:
        assert decode_duration(text) == nanoseconds


@pytest.mark.parametrize(
    ("lexeme", "value", "triple"),
    [
        ("'abc'", "abc", False),
        ("''", "", False),
        ("'it\\'s'", "it's", False),
        ("'a\\nb'", "a\\nb", False),  # only \' is an escape
        ("'a\\\\'b'", "a\\'b", False),
        ("'''abc'''", "abc", True),
        ("''''''", "", True),
        ("'''\\'asdf'''", "\\'asdf", True),  # no escapes in triple quotes
        ("'''a 'b' c'''", "a 'b' c", True),
    ],
)
def test_strings(lexeme: str, value: str, triple: bool) -> None:
    assert decode_string(lexeme) == (value, triple)


def test_references_unescape_only_double_quotes() -> None:
    assert decode_reference('"it\\"s"') == 'it"s'
    assert decode_reference('"a\\b"') == "a\\b"
    assert decode_reference('""') == ""


def test_regex_unescapes_only_slashes_and_keeps_the_lexeme() -> None:
    regex = decode_regex("/a\\/b\\d/")
    assert regex.pattern == "a/b\\d"
    assert regex.text == "/a\\/b\\d/"


@pytest.mark.parametrize("pattern", ["[a-", "(?=x)", "a{1001}", "*a", "(a"])
def test_invalid_regexes_are_rejected_at_parse_time(pattern: str) -> None:
    with pytest.raises(LiteralError, match="error parsing regexp"):
        decode_regex(f"/{pattern}/")


def test_comment_normalisation_follows_newComment() -> None:
    assert comment_lines(["//  two spaces\n", "//x\n//\n"]) == (" two spaces", "\n", "x", "")


def test_literals_in_a_lambda() -> None:
    expr = parse_lambda('"a" == \'it\\\'s\' AND "b" =~ /x\\/y/ AND "c" < 010 AND "d" > 1.5')
    assert isinstance(expr, ast.BinaryExpr)
    found = []

    def walk(node: ast.Expr) -> None:
        if isinstance(node, ast.BinaryExpr):
            walk(node.left)
            walk(node.right)
        else:
            found.append(node)

    walk(expr.left)
    assert any(isinstance(n, ast.StringLiteral) and n.value == "it's" for n in found)
    assert any(isinstance(n, ast.RegexLiteral) and n.pattern == "x/y" for n in found)
    assert any(isinstance(n, ast.NumberLiteral) and n.value == 8 for n in found)


def test_regex_with_bytes_that_are_not_utf8_is_a_syntax_error() -> None:
    with pytest.raises(LiteralError, match="invalid UTF-8"):
        decode_regex("/caf\udce9/")

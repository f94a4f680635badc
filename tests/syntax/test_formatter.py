"""tickfmt rules beyond the golden files, following Kapacitor's Format methods and its parser's
comment handling (each case notes the rule it pins)."""

from __future__ import annotations

import pytest

from tickmini.syntax.formatter import format_expression, format_program
from tickmini.syntax.parser import parse_lambda, parse_script


@pytest.mark.parametrize(
    ("script", "formatted"),
    [
        # numbers are re-printed from their value; octal keeps one leading 0
        (
            "var a = 0007\nvar b = 00\nvar c = 1.50\nvar d = 100000000000000000000000.0",
            "var a = 07\n\nvar b = 00\n\nvar c = 1.5\n\nvar d = 100000000000000000000000.0\n",
        ),
        # strings are re-quoted: only ' is escaped; triple quotes are kept verbatim
        (
            "var s = 'a\\'b\\nc'\nvar t = '''x 'y' \\z'''",
            "var s = 'a\\'b\\nc'\n\nvar t = '''x 'y' \\z'''\n",
        ),
        ('var r = "a\\"b"', 'var r = "a\\"b"\n'),
        # redundant parentheses go, needed ones stay
        ("var x = ((1)) + (2 * 3)", "var x = 1 + (2 * 3)\n"),
        ("var x = -(a + b) * !(c)", "var x = -(a + b) * !c\n"),
        # a call whose last argument starts on a later line: one argument per line
        ("f(1,\n2)", "f(\n    1,\n    2\n)\n"),
        ("f(\n['a', 'b'])", "f(\n    [    'a',     'b']\n)\n"),  # ListNode passes onNewLine on
        # a line break between binary operands is kept after the operator
        ('var l = lambda: "a" > 1\n AND "b" < 2', 'var l = lambda: "a" > 1 AND\n"b" < 2\n'),
        # comments: before a chain operator, at the operator's indent
        ("stream\n// src\n|from()", "stream\n    // src\n    |from()\n"),
        # a comment inside '( 5 )' is replaced by the (absent) comment of '('
        ("var x = ( // c\n 5 )", "var x = 5\n"),
        # a unary operator takes the comment of its operand's last token, here ')'
        ("var x = -(5 // c\n)", "var x = \n// c\n-5\n"),
        # a comment left on the final ')' or before the end becomes a program-level comment
        ("stream|from(// c\n)", "stream\n    |from()\n\n// c\n\n"),
        ("var x = 1 // one\n// two", "var x = 1\n\n// one\n// two\n\n"),
        # after '=' a '/' starts a regex, even '//': this is not a comment
        ("var x = // c\n(5)", "var x = //\n\nc(\n    5\n)\n"),
        # dbrp writes its names back without escaping
        ('dbrp "a"."b"', 'dbrp "a"."b"\n'),
        ("var t duration", "var t duration\n"),
    ],
)
def test_tickfmt_rules(script: str, formatted: str) -> None:
    assert format_program(parse_script(script)) == formatted


def test_format_expression_prints_a_lambda_body() -> None:
    expr = parse_lambda('("a"+1)*2 > -"b" AND "c" =~ /x\\/y/')
    assert format_expression(expr) == '("a" + 1) * 2 > -"b" AND "c" =~ /x\\/y/'


def test_long_chains_and_sums_format_without_exhausting_the_stack() -> None:
    chain = format_program(parse_script("stream" + "|window()" * 5000))
    assert chain.count("\n    |window()") == 5000
    total = format_program(parse_script("var x = " + " + ".join(["1"] * 5000)))
    assert total == "var x = " + " + ".join(["1"] * 5000) + "\n"

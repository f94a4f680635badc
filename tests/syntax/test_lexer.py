"""Kapacitor's two-state lexer (§1.2): what a character means depends on the previous token."""

from __future__ import annotations

import pytest

from tickmini.syntax.lexer import tokenize


def kinds(text: str) -> list[str]:
    return [tok.type for tok in tokenize(text) if tok.type != "$END"]


def texts(text: str) -> list[str]:
    return [tok.text for tok in tokenize(text) if tok.type != "$END"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # '/' : a regex in operand position, a division in operator position
        ("var r = /x/", ["VAR", "IDENT", "ASGN", "REGEX"]),
        ('"a" =~ /x/', ["REFERENCE", "REQ", "REGEX"]),
        ('"a" !~ /x/', ["REFERENCE", "RNE", "REGEX"]),
        ("f(/x/)", ["IDENT", "LPAREN", "REGEX", "RPAREN"]),
        ("a / b", ["IDENT", "DIV", "IDENT"]),
        ("a AND /x/", ["IDENT", "AND", "DIV", "IDENT", "DIV"]),
        ("TRUE /2", ["TRUE", "DIV", "NUMBER"]),
        # '*' : the star literal in operand position, multiplication after an operand
        ("groupBy(*)", ["IDENT", "LPAREN", "STAR", "RPAREN"]),
        ('"a" * 2', ["REFERENCE", "MULT", "NUMBER"]),
        ("[*] * 2", ["LSB", "STAR", "RSB", "STAR", "NUMBER"]),
        # '-' and '!' : always unary in operand position; '-' a binary minus after an operand
        ("-5", ["MINUS", "NUMBER"]),
        ("x-1", ["IDENT", "MINUS", "NUMBER"]),
        ("x -1", ["IDENT", "MINUS", "NUMBER"]),
        ("!TRUE", ["NOT", "TRUE"]),
        ("a != b", ["IDENT", "NE", "IDENT"]),
        ("a ! b", ["IDENT", "NOT", "IDENT"]),
        # comparison and assignment operators
        (
            "a<=b>=c<d>e==f",
            ["IDENT", "LE", "IDENT", "GE", "IDENT", "LT", "IDENT", "GT", "IDENT", "EQ", "IDENT"],
        ),
        ("1 % 2 + 3", ["NUMBER", "MOD", "NUMBER", "PLUS", "NUMBER"]),
        # '=' then spaces then '/' starts a regex, even '//' (an empty regex, not a comment)
        ('"a" =~ //', ["REFERENCE", "REQ", "REGEX"]),
        # after ']' and after a regex the lexer is back in operand position
        ("[] - 1", ["LSB", "RSB", "MINUS", "NUMBER"]),
        # ')' leads to operator position
        ("(a) / 2", ["LPAREN", "IDENT", "RPAREN", "DIV", "NUMBER"]),
        # 'lambda' is a keyword only with the colon attached
        ("lambda: x", ["LAMBDA", "IDENT"]),
        ("lambda x", ["IDENT", "IDENT"]),
        ("var lambda = 5", ["VAR", "IDENT", "ASGN", "NUMBER"]),
        # keywords are case sensitive
        ("AND OR TRUE FALSE var dbrp", ["AND", "OR", "TRUE", "FALSE", "VAR", "DBRP"]),
        ("and or true false Var DBRP", ["IDENT"] * 6),
        # chains
        (
            "stream|from().x@y",
            ["IDENT", "PIPE", "IDENT", "LPAREN", "RPAREN", "DOT", "IDENT", "AT", "IDENT"],
        ),
        ("x .5", ["IDENT", "NUMBER"]),
        ("x.5", ["IDENT", "NUMBER"]),
        # numbers and durations
        ("1.5m", ["NUMBER", "IDENT"]),
        ("1h30m", ["DURATION", "DURATION"]),
        ("5us", ["DURATION", "IDENT"]),
        ("1e6", ["NUMBER", "IDENT"]),
        ("10ms 10m 5u 5µ 1w 2d", ["DURATION"] * 6),
        ("5. .5 05", ["NUMBER"] * 3),
    ],
)
def test_token_kinds(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


def test_identifiers_are_unicode_letters_digits_and_underscores() -> None:
    assert texts("café_2 x ñu") == ["café_2", "x", "ñu"]
    assert kinds("_x") == ["LEXERROR"]
    assert kinds("١٢") == ["LEXERROR"]  # Unicode decimal digits lex as a number Go cannot parse
    assert kinds("x²") == ["IDENT", "LEXERROR"]  # '²' is a number but not a decimal digit


def test_whitespace_is_go_unicode_space() -> None:
    assert kinds("a\u00a0\u2003\u3000b\r\n\tc") == ["IDENT", "IDENT", "IDENT"]
    assert kinds("a\x1cb") == ["IDENT", "LEXERROR"]  # Python calls \x1c space, Go does not


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a && b", "unexpected character '&'"),
        ("lambda : x", "unexpected character ':'"),
        ("# c", "unexpected character '#'"),
        ("f();", "unexpected character ';'"),
        ("from{}", "unexpected character '{'"),
        ("/x/ == 1", "unexpected character '='"),
        ("x = = 1", "unexpected character '='"),
        ("'abc", "unterminated string"),
        ("'abc\\'", "unterminated string"),
        ("'''abc''", "unterminated string"),
        ('"abc', "unterminated field reference"),
        ('"abc\\"', "unterminated field reference"),
        ("f(/abc)", "unterminated regex"),
        ("f(/abc\\/)", "unterminated regex"),
        ("1.2.3", "multiple decimals in number"),
        ("08", "illegal number syntax: '08'"),
        ("9223372036854775808", "illegal number syntax: '9223372036854775808'"),
        ("15251w", "overflowed duration"),
        ("f(/[a-/)", "error parsing regexp: missing ]: [a-"),
        ("f(/(?=x)/)", "error parsing regexp"),
        ("f(/\\C/)", "error parsing regexp"),
    ],
)
def test_lexer_errors(text: str, message: str) -> None:
    tok = tokenize(text)[-1]
    assert tok.type == "LEXERROR"
    assert tok.value[0].startswith(message)


def test_error_token_is_at_the_start_of_the_bad_token() -> None:
    tok = tokenize("stream\n  |from('cpu)")[-1]
    assert (tok.type, tok.line, tok.column) == ("LEXERROR", 2, 9)


def test_lexing_stops_at_the_first_error() -> None:
    tokens = tokenize("a & 'unterminated")
    assert [t.type for t in tokens] == ["IDENT", "LEXERROR"]


def test_positions_are_one_based_lines_and_character_columns() -> None:
    tokens = tokenize("var x = 'é'\n  |y")
    assert [(t.text, t.line, t.column) for t in tokens[:-1]] == [
        ("var", 1, 1),
        ("x", 1, 5),
        ("=", 1, 7),
        ("'é'", 1, 9),
        ("|", 2, 3),
        ("y", 2, 4),
    ]


def test_comments_merge_and_attach_to_the_next_token() -> None:
    tokens = tokenize("// one\n  //two\n\n// three\nx // four\n/ five\ny")
    x, y = tokens[0], tokens[1]
    assert x.text == "x" and x.comment == ("one", "two", "\n", "three")
    # a line starting with a single '/' continues a comment block (Kapacitor checks one '/')
    assert y.text == "y" and y.comment == ("four", "/ five")


def test_comment_in_operator_position_returns_to_operand_position() -> None:
    assert kinds("a // c\n* 2") == ["IDENT", "STAR", "NUMBER"]


def test_comment_before_end_is_kept_on_the_end_token() -> None:
    tokens = tokenize("x\n// bye")
    assert tokens[-1].type == "$END" and tokens[-1].comment == ("bye",)

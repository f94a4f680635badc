"""Syntax errors: the rendered form, TICKscript words for what was expected, targeted hints."""

from __future__ import annotations

import pytest

from tickmini.errors import TickminiError, TickscriptSyntaxError
from tickmini.syntax.parser import parse_lambda, parse_script


def error_for(text: str) -> TickscriptSyntaxError:
    with pytest.raises(TickscriptSyntaxError) as caught:
        parse_script(text, "alert.tick")
    return caught.value


def test_rendered_form_has_location_source_caret_expected_and_hint() -> None:
    err = error_for("stream\n    |from()\n    |where(lambda: \"host\" = 'a')\n")
    assert isinstance(err, TickminiError)
    assert err.render() == (
        "alert.tick:3:27: error: unexpected '='\n"
        "        |where(lambda: \"host\" = 'a')\n"
        "                              ^\n"
        "  expected an operator, ')' or ','\n"
        "  hint: compare with '=='; a single '=' only appears in 'var name = value'"
    )
    assert str(err) == err.render()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stream|from().", "a property name after '.'"),
        ("stream|", "a node name after '|', as in |from()"),
        ("stream@", "a user-defined function name after '@'"),
        ("var 5", "a variable name after 'var'"),
        ("stream|from", "'(' after |from: chain methods always take parentheses"),
        ('dbrp "a".', 'a "reference"'),
        ("var x = ", "a value or expression, 'lambda:' or '['"),
        ("f(1", "an operator, ')' or ','"),
    ],
)
def test_expected_is_said_in_tickscript_words(text: str, expected: str) -> None:
    err = error_for(text)
    assert err.expected == expected
    assert "IDENT" not in err.render() and "RPAREN" not in err.render()


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('stream|where(lambda: "a" > 1 and "b" < 2)', "'and' as AND"),
        ('stream|where(lambda: "a" > 1 or "b" < 2)', "'or' as OR"),
        ('stream|where(lambda: "a" > 1 && "b" < 2)', "AND (upper case), not &&"),
        ('stream|where(lambda: "a" > 1 || "b" < 2)', "OR, not ||"),
        ('stream|where(lambda: "a" = 1)', "compare with '=='"),
        ('stream|where(lambda "a" > 1)', "'lambda:' with the colon"),
        ('stream|where(lambda : "a" > 1)', "no space before the colon"),
        ("stream|from().measurement('cpu\")", "use single quotes on both ends"),
        ("stream|from().measurement('cpu)", "close the string with '"),
        ('stream|from().measurement("cpu)', "needs a closing double quote"),
        (
            "stream\n    |from(\n        .measurement('cpu')",
            "'(' at line 2, column 10 is not closed",
        ),
        ("stream|from())", "no matching '('"),
        ("stream|from\n  .measurement('cpu')", "write |from() even without arguments"),
        ("var TRUE = 1", "'TRUE' is a keyword"),
        ("var 5x = 1", "names start with a letter"),
        ("dbrp 'db'.'rp'", "double-quoted"),
        ("# comment", "comments start with //"),
        ("stream|from();", "need no ';'"),
        ("stream|from{}", "parentheses"),
        ('stream|where("a" > 1 && "b" < 2)', "needs 'lambda:' in front"),
        ('stream|where(lambda: "a" =~ /[a-/)', "RE2 syntax"),
        ("var x = 08", "octal"),
        ('stream|where(lambda: "a" > 1.5m)', "durations are whole numbers"),
        ('stream|where(lambda: "a" > 1e6)', "no exponent notation"),
        ('stream|where(lambda: "a" =~ /x/ == TRUE)', "after a regex or list"),
        ("\ufeffstream|from()", "byte-order mark"),
    ],
)
def test_hints_for_common_mistakes(text: str, hint: str) -> None:
    err = error_for(text)
    assert err.hint is not None and hint in err.hint, err.render()


def test_no_misleading_hint_for_an_ordinary_error() -> None:
    err = error_for("stream|from(1 2)")
    assert err.hint is None


def test_end_of_script_is_reported_where_kapacitor_reports_it() -> None:
    err = error_for("stream\n    |from()\n    |\n")
    assert (err.line, err.column) == (4, 1)
    assert err.message == "unexpected end of script"


def test_tabs_in_the_source_line_keep_the_caret_aligned() -> None:
    err = error_for("\tstream|from(;")
    lines = err.render().splitlines()
    assert lines[1] == "     stream|from(;"
    assert lines[2].index("^") == lines[1].index(";")


def test_parse_lambda_errors_name_the_lambda() -> None:
    with pytest.raises(TickscriptSyntaxError) as caught:
        parse_lambda('"a" >', "handler.yaml")
    assert caught.value.render().startswith("handler.yaml:1:6: error: unexpected end of script")

"""Fuzzing the front end: whatever the text, only TickscriptSyntaxError escapes, and time is linear.

Inputs: random text over TICKscript's characters (and any Unicode), and mutations (insert,
delete, replace) of real scripts from the conformance set and the samples.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickmini.errors import TickscriptSyntaxError
from tickmini.syntax.formatter import format_program
from tickmini.syntax.parser import parse_lambda, parse_script

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [
    path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "tests" / "conformance" / "parse").glob("*.tick"))
    + sorted((ROOT / "samples").glob("*.tick"))
]
TICK_CHARS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
    " \t\n\r'\"/\\|.@()[],*+-%!=<>~:;#&{}µé²\u00a0"
    "\udce9"  # a byte that was not UTF-8 in the file (read with surrogateescape)
)
WORDS = ["var ", "dbrp ", "lambda:", "AND ", "OR ", "TRUE", "FALSE", "stream", "|from()", "'''"]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_parse(text: str) -> None:
    """The property: a parse either succeeds (and tickfmt output parses again) or raises the
    documented error, with a position inside the text.

    Not idempotence: Kapacitor's tickfmt is not idempotent on every input (moving an operator
    to the end of a line can add a line break to the enclosing expression), and tickmini
    reproduces it; idempotence is checked on the conformance scripts."""
    try:
        program = parse_script(text, "fuzz.tick")
    except TickscriptSyntaxError as err:
        assert err.file == "fuzz.tick"
        assert err.line is not None and 1 <= err.line <= text.count("\n") + 1
        assert err.column is not None and err.column >= 1
        err.render()
        return
    formatted = format_program(program)
    format_program(parse_script(formatted))


tick_text = st.lists(st.one_of(st.text(alphabet=TICK_CHARS, max_size=8), st.sampled_from(WORDS)))


@FUZZ
@given(tick_text.map("".join))
def test_random_tickscript_like_text(text: str) -> None:
    check_parse(text)


@FUZZ
@given(st.text(max_size=200))
def test_random_unicode_text(text: str) -> None:
    check_parse(text)


@st.composite
def mutated_scripts(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(
            st.one_of(st.text(alphabet=TICK_CHARS, min_size=1, max_size=3), st.sampled_from(WORDS))
        )
        if kind == "insert":
            text = text[:position] + piece + text[position:]
        elif kind == "delete":
            text = text[:position] + text[position + len(piece) :]
        else:
            text = text[:position] + piece + text[position + len(piece) :]
    return text


@FUZZ
@given(mutated_scripts())
def test_mutations_of_real_scripts(text: str) -> None:
    check_parse(text)


@FUZZ
@given(st.one_of(tick_text.map("".join), st.text(max_size=100)))
def test_random_lambda_text(text: str) -> None:
    try:
        parse_lambda(text, "lambda")
    except TickscriptSyntaxError as err:
        assert err.line is not None


def _parse_calls(text: str) -> int:
    """How many Python and C-level function calls parsing ``text`` makes: a deterministic
    measure of work (speed itself is measured by benchmarks/bench_parse.py, not by tests)."""
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        with contextlib.suppress(TickscriptSyntaxError):
            parse_script(text)
    finally:
        sys.setprofile(None)
    return calls


# Inputs of size n, each stressing one construct.
GROWING: dict[str, Callable[[int], str]] = {
    "statements": lambda n: "\n\n".join(SEEDS) * n,
    "chain": lambda n: "stream" + "\n    |window()\n        .period(1m)" * 50 * n,
    "sum": lambda n: "var x = " + " + ".join(["1"] * 200 * n) + "\n",
    "parentheses": lambda n: "var x = " + "(" * 100 * n + "1" + ")" * 100 * n + "\n",
    "unary": lambda n: "var x = " + "-" * 200 * n + "1\n",
    "comments": lambda n: "// c\n   //d\n" * 100 * n + "x\n",
    "string": lambda n: "var s = '" + "a\\'" * 500 * n + "'\n",
    "names": lambda n: "a b c d e f g h i j\n" * 50 * n,
    "unclosed": lambda n: "stream|from(" * 50 * n,
}


@pytest.mark.parametrize("shape", sorted(GROWING))
def test_parse_work_grows_linearly(shape: str) -> None:
    """Ten times the input costs about ten times the work (calls counted, not time)."""
    make = GROWING[shape]
    _parse_calls(make(1))  # warm: the grammar tables and caches are built once
    small, large = _parse_calls(make(3)), _parse_calls(make(30))
    assert large < 12 * small, (shape, small, large)

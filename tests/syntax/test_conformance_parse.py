"""Every parse conformance case: Kapacitor's accept/reject decision, error line, tickfmt output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tickmini.errors import TickscriptSyntaxError
from tickmini.syntax.formatter import format_program
from tickmini.syntax.parser import parse_script
from tickmini.syntax.source import decode_script

CASES = Path(__file__).resolve().parents[1] / "conformance" / "parse"
SCRIPTS = sorted(CASES.glob("*.tick"))
FORMATTED = sorted(CASES.glob("*.fmt"))


def _read(path: Path) -> str:
    return decode_script(path.read_bytes())


def test_the_conformance_set_is_present() -> None:
    assert len(SCRIPTS) >= 50
    assert len(FORMATTED) >= 30


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_accepts_exactly_what_kapacitor_accepts(script: Path) -> None:
    expect = script.with_suffix(".expect").read_text(encoding="utf-8").strip()
    text = _read(script)
    if expect == "OK":
        parse_script(text, script.name)
        return
    with pytest.raises(TickscriptSyntaxError) as caught:
        parse_script(text, script.name)
    err = caught.value
    assert err.file == script.name
    position = re.search(r"line (\d+) char (\d+)", expect)
    if position is None:
        # Kapacitor gives no position for bad literals (number, regex): we point at the literal.
        assert err.line is not None and err.column is not None
        return
    line, char = int(position.group(1)), int(position.group(2))
    assert err.line == line
    source_line = text.split("\n")[line - 1]
    if source_line.isascii():  # Kapacitor counts bytes, tickmini characters
        assert err.column == char


@pytest.mark.parametrize("expected", FORMATTED, ids=lambda p: p.stem)
def test_fmt_matches_tickfmt_byte_for_byte(expected: Path) -> None:
    text = _read(expected.with_suffix(".tick"))
    assert format_program(parse_script(text)) == _read(expected)


@pytest.mark.parametrize("expected", FORMATTED, ids=lambda p: p.stem)
def test_fmt_is_idempotent(expected: Path) -> None:
    once = format_program(parse_script(_read(expected.with_suffix(".tick"))))
    assert format_program(parse_script(once)) == once


KAPACITOR_FMT_TESTS = json.loads((CASES / "kapacitor_fmt_test_cases.json").read_text("utf-8"))


@pytest.mark.parametrize("case", KAPACITOR_FMT_TESTS, ids=lambda c: c["script"][:30])
def test_kapacitor_fmt_test_go_cases(case: dict[str, str]) -> None:
    formatted = format_program(parse_script(case["script"]))
    assert formatted == case["exp"]
    assert format_program(parse_script(formatted)) == formatted


KAPACITOR_PARSE_ERRORS = json.loads((CASES / "kapacitor_parse_errors.json").read_text("utf-8"))


@pytest.mark.parametrize("case", KAPACITOR_PARSE_ERRORS, ids=lambda c: c["error"][:40])
def test_kapacitor_parser_test_go_error_positions(case: dict[str, object]) -> None:
    with pytest.raises(TickscriptSyntaxError) as caught:
        parse_script(str(case["script"]))
    assert (caught.value.line, caught.value.column) == (case["line"], case["char"])

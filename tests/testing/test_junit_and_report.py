"""JUnit XML structure and the text report, on results built without running a rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from tickmini.testing.compare import align
from tickmini.testing.errors import RuleTestError
from tickmini.testing.junit import build_junit, write_junit
from tickmini.testing.loader import parse_test_file
from tickmini.testing.report import Style, render_case
from tickmini.testing.results import (
    ERROR,
    FAIL,
    PASS,
    CaseResult,
    Explanation,
    FileResult,
    LambdaValue,
    Section,
)

TEXT = """\
tickscript: stream|from()|alert()
interval: 10s
tests:
  - name: passes
    input: 'cpu v=1 0'
    expect: {alerts: []}
  - name: "fails <&> \\x01"
    input: 'cpu v=1 0'
    expect:
      alerts:
        - {level: CRITICAL, time: 10s}
  - name: errors
    input: 'cpu v=1 0'
    expect: {alerts: []}
"""


def _results() -> list[FileResult]:
    loaded = parse_test_file(TEXT, "rules/t.yaml")
    passing, failing, erroring = loaded.cases
    actual = [{"level": "OK", "time": 10 * 10**9, "id": "cpu:nil", "message": "m"}]
    section = Section("alerts", align(failing.expect.alerts or [], actual), actual)
    failed = CaseResult(failing, FAIL, 0.25, [section])
    failed.explained_events[0] = Explanation(
        "cpu v=50 10000000000", 10 * 10**9, [LambdaValue("crit", 'lambda: "v" < 10', "false")]
    )
    error = RuleTestError("bad line protocol: boom", file="rules/t.yaml", line=13, column=12)
    file_result = FileResult(
        "rules/t.yaml",
        [CaseResult(passing, PASS, 0.5), failed, CaseResult(erroring, ERROR, error=error)],
        seconds=1.5,
    )
    broken = FileResult(
        "rules/broken.yaml",
        error=RuleTestError("unknown key 'x'", file="rules/broken.yaml", line=1, column=1),
    )
    return [file_result, broken]


def test_junit_has_the_standard_structure_and_attributes(
    tmp_path: Path, junit_schema: Callable[[ET.Element], None]
) -> None:
    out = tmp_path / "junit.xml"
    write_junit(_results(), 2.0, str(out))
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"
    junit_schema(root)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "2")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["rules/t.yaml", "rules/broken.yaml"]
    for suite in suites:
        for attribute in (
            "name",
            "tests",
            "failures",
            "errors",
            "skipped",
            "time",
            "timestamp",
            "hostname",
        ):
            assert suite.get(attribute) is not None, attribute
        float(suite.get("time") or "x")
        assert len(suite.findall("testcase")) == int(suite.get("tests") or -1)
        for case in suite.findall("testcase"):
            assert case.get("name") and case.get("classname") and case.get("time") is not None
            children = list(case)
            assert len(children) <= 1 and all(c.tag in ("failure", "error") for c in children)
            for child in children:
                assert child.get("message") and child.get("type") and child.text
    first = suites[0]
    cases = first.findall("testcase")
    assert [c.get("name") for c in cases] == ["passes", "fails <&> \ufffd", "errors"]
    assert cases[1].find("failure") is not None and "MISSING" not in (
        cases[1].find("failure").text or ""
    )
    assert "DIFFERS" in (cases[1].find("failure").text or "")
    assert cases[2].find("error").get("type") == "RuleTestError"
    assert suites[1].find("testcase/error") is not None


def test_junit_text_has_no_colour_codes() -> None:
    xml = ET.tostring(build_junit(_results(), 1.0), encoding="unicode")
    assert "\x1b[" not in xml


def test_report_names_field_point_and_lambda() -> None:
    text = render_case(_results()[0].cases[1], "rules/t.yaml", Style(color=False))
    assert text.startswith("FAIL rules/t.yaml: fails")
    assert 'level  expected "CRITICAL"' in text and 'actual   "OK"' in text
    assert "cpu v=50 10000000000" in text
    assert 'crit: lambda: "v" < 10  ->  false' in text
    assert "\x1b[" not in text


def test_report_colours_on_a_terminal() -> None:
    text = render_case(_results()[0].cases[1], "rules/t.yaml", Style(color=True))
    assert "\x1b[31m" in text and "\x1b[32m" in text


def test_passing_case_is_one_line() -> None:
    text = render_case(_results()[0].cases[0], "rules/t.yaml", Style())
    assert text == "PASS rules/t.yaml: passes"

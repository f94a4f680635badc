"""Runs test files: each case on a fresh task of the rule compiled once, then checks.

A case's points are built from its series notation and line protocol, fed in time order to a
new task (fresh alert and topic state, nothing shared with other cases), and what came out is
compared with what the case expects. Failing cases get explanations from what the alert nodes
were observed doing: the point behind each event, each lambda's result, why an event was not sent.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tickmini.errors import TickminiError
from tickmini.testing.compare import Mismatch, align, first_difference, mismatches
from tickmini.testing.coverage import Coverage
from tickmini.testing.explain import explain_events, explain_missing
from tickmini.testing.harness import RuleUnderTest, RunOutput
from tickmini.testing.inputs import case_points
from tickmini.testing.loader import load_test_file
from tickmini.testing.model import Expectations, RuleCase, RuleTestFile
from tickmini.testing.results import ERROR, FAIL, PASS, CaseResult, FileResult, Section
from tickmini.testing.views import event_view, normalise_result


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Which cases to run (``--run`` patterns: any may match the case name)."""

    patterns: tuple[re.Pattern[str], ...] = ()
    coverage: bool = False

    def selects(self, case: RuleCase) -> bool:
        return not self.patterns or any(p.search(case.name) for p in self.patterns)


def run_file(
    path: str, options: RunOptions | None = None
) -> tuple[FileResult, RuleTestFile | None]:
    """Load, compile and run one test file; load/compile errors end up in ``FileResult.error``."""
    options = options or RunOptions()
    began = time.perf_counter()
    result = FileResult(path)
    try:
        test_file = load_test_file(path)
        rule = RuleUnderTest(test_file)
    except TickminiError as err:
        result.error = err
        result.seconds = time.perf_counter() - began
        return result, None
    result.warnings = [w.render() for w in rule.pipeline.warnings]
    if options.coverage:
        result.coverage = Coverage.for_pipeline(
            rule.script_label, rule.pipeline, rule.handler_labels
        )
    for case in test_file.cases:
        if options.selects(case):
            result.cases.append(run_case(rule, case, result.coverage))
    result.seconds = time.perf_counter() - began
    return result, test_file


def run_case(rule: RuleUnderTest, case: RuleCase, coverage: Coverage | None = None) -> CaseResult:
    """Run one case on a fresh task and check its expectations."""
    began = time.perf_counter()
    try:
        points = case_points(case, rule.default_dbrp)
        output = rule.run(points)
    except TickminiError as err:
        return CaseResult(case, ERROR, time.perf_counter() - began, error=err)
    result = CaseResult(
        case, PASS, events=output.events, requests=output.requests, diagnostics=output.diagnostics
    )
    result.sections = check(case.expect, output)
    if not all(s.ok for s in result.sections):
        result.status = FAIL
        shown = {
            p.actual_index
            for s in result.sections
            if s.kind == "alerts"
            for p in s.pairings
            if not p.ok and p.actual_index is not None
        }
        result.explained_events = explain_events(rule, output.events, output.observations, shown)
        result.explained_missing = explain_missing(
            rule, points, output.observations, result.sections
        )
    if coverage is not None:
        coverage.add(output.observations, (r.handler for r in output.requests))
    result.seconds = time.perf_counter() - began
    return result


def check(expect: Expectations, output: RunOutput) -> list[Section]:
    """Every part of ``expect`` that the case wrote, compared with ``output``."""
    sections: list[Section] = []
    if expect.alerts is not None:
        with_data = any("data" in e.values for e in expect.alerts)
        views = [event_view(e, with_data) for e in output.events]
        sections.append(Section("alerts", align(expect.alerts, views), views))
    if expect.requests is not None:
        views = [r.view() for r in output.requests]
        texts = [r.body_text for r in output.requests]
        sections.append(
            Section("requests", align(expect.requests, views, _request_diff(texts, views)), views)
        )
    if expect.http_out is not None:
        sections.append(
            Section("http_out", problems=_http_out_problems(expect.http_out, output.http_out))
        )
    if expect.counts is not None:
        counts = {level: 0 for level in expect.counts}
        for event in output.events:
            if event.level.name in counts:
                counts[event.level.name] += 1
        problems = [
            f"{level}: expected {want} events, actual {counts[level]}"
            for level, want in expect.counts.items()
            if counts[level] != want
        ]
        sections.append(Section("counts", problems=problems))
    return sections


def _request_diff(
    texts: Sequence[str], views: Sequence[dict[str, object]]
) -> Callable[[Mapping[str, object], Mapping[str, object]], list[Mismatch]]:
    """Request comparison: a text ``body`` is compared with the exact body text."""
    by_identity = {id(v): t for v, t in zip(views, texts, strict=True)}

    def diff(expected: Mapping[str, object], actual: Mapping[str, object]) -> list[Mismatch]:
        body = expected.get("body")
        if isinstance(body, str):
            rest = {k: v for k, v in expected.items() if k != "body"}
            found = mismatches(rest, actual)
            text = by_identity[id(actual)]
            if body != text:
                found.append(Mismatch("body", body, text))
            return found
        return mismatches(expected, actual)

    return diff


def _http_out_problems(expected: dict[str, object], actual: dict[str, object]) -> list[str]:
    import json

    problems = []
    for name, want in expected.items():
        if name not in actual:
            known = ", ".join(sorted(actual)) or "none"
            problems.append(f"no httpOut node named {name!r} (the script has: {known})")
            continue
        got = actual[name]
        where = first_difference(normalise_result(want), normalise_result(got))
        if where is not None:
            problems.append(
                f"{name!r} differs at {where}\n      expected {json.dumps(want, sort_keys=True)}\n"
                f"      actual   {json.dumps(got, sort_keys=True)}"
            )
    return problems

"""Alert-rule checks from Python (pytest or any test runner): the YAML format's twin.

Everything goes through the same loader and runner as ``tickmini test``, so keys, notation,
normalisation and the failure report are identical::

    from tickmini.testing import AlertRule, assert_test_file

    def test_yaml_file():
        assert_test_file("samples/tests/cpu_alert_test.yaml")

    def test_cpu_rule():
        rule = AlertRule("samples/cpu_alert.tick", interval="10s")
        rule.assert_case(
            series={"cpu,host=serverA usage_idle": "50 9 60"},
            alerts=[{"level": "CRITICAL", "time": "10s"}, {"level": "OK", "time": "20s"}],
        )
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import yaml

from tickmini.testing.harness import RuleUnderTest, RunOutput
from tickmini.testing.inputs import case_points
from tickmini.testing.loader import parse_test_file
from tickmini.testing.model import RuleTestFile
from tickmini.testing.report import Style, render_case
from tickmini.testing.results import PASS, CaseResult, FileResult
from tickmini.testing.runner import RunOptions, run_case, run_file

__all__ = ["AlertRule", "RuleTestFailed", "assert_test_file"]

SeriesInput = Mapping[str, str] | Sequence[tuple[str, str]]


class RuleTestFailed(AssertionError):
    """A case did not pass; the message is the same report ``tickmini test`` prints."""


def assert_test_file(path: str | os.PathLike[str], run: str | None = None) -> FileResult:
    """Run a YAML test file; raise :class:`RuleTestFailed` with the report unless all pass."""
    import re

    options = RunOptions(patterns=(re.compile(run),) if run else ())
    result, _ = run_file(os.fspath(path), options)
    if result.error is not None:
        raise RuleTestFailed(result.error.render())
    failed = [c for c in result.cases if c.status != PASS]
    if failed:
        raise RuleTestFailed("\n".join(render_case(c, os.fspath(path), Style()) for c in failed))
    return result


class AlertRule:
    """A rule compiled once; each :meth:`check` runs one case on a fresh task."""

    def __init__(
        self,
        script: str | os.PathLike[str] | None = None,
        *,
        tickscript: str | None = None,
        task: str | None = None,
        dbrp: str | None = None,
        config: str | os.PathLike[str] | None = None,
        handlers: Sequence[str | os.PathLike[str]] = (),
        interval: str = "1m",
        start: str | int = 0,
    ) -> None:
        header: dict[str, object] = {"interval": interval, "start": start}
        if script is not None:
            header["script"] = os.path.abspath(os.fspath(script))
        if tickscript is not None:
            header["tickscript"] = tickscript
        for key, value in (("task", task), ("dbrp", dbrp)):
            if value is not None:
                header[key] = value
        if config is not None:
            header["config"] = os.path.abspath(os.fspath(config))
        if handlers:
            header["handlers"] = [os.path.abspath(os.fspath(h)) for h in handlers]
        self._header = header
        self._origin = os.path.join(os.getcwd(), "<AlertRule>.yaml")
        self._rule = RuleUnderTest(self._parse([]))

    def _parse(self, cases: list[dict[str, object]]) -> RuleTestFile:
        text = yaml.safe_dump({**self._header, "tests": cases}, sort_keys=False, allow_unicode=True)
        return parse_test_file(text, self._origin)

    def _case(
        self, name: str, series: SeriesInput | None, input: str | None, expect: dict[str, object]
    ) -> dict[str, object]:
        case: dict[str, object] = {"name": name}
        if series:
            items = series.items() if isinstance(series, Mapping) else series
            case["input_series"] = [{"series": k, "values": str(v)} for k, v in items]
        if input is not None:
            case["input"] = input
        case["expect"] = expect
        return case

    def run(
        self,
        *,
        series: SeriesInput | None = None,
        input: str | None = None,
    ) -> RunOutput:
        """Just run: the events, handler requests and httpOut content, to assert on freely."""
        (case,) = self._parse([self._case("run", series, input, {})]).cases
        return self._rule.run(case_points(case, self._rule.default_dbrp))

    def check(
        self,
        name: str = "case",
        *,
        series: SeriesInput | None = None,
        input: str | None = None,
        alerts: Sequence[Mapping[str, object]] | None = None,
        requests: Sequence[Mapping[str, object]] | None = None,
        counts: Mapping[str, int] | None = None,
        http_out: Mapping[str, object] | None = None,
    ) -> CaseResult:
        """One case, with the same expectation keys as a test file's ``expect:``."""
        expect: dict[str, object] = {}
        for key, value in (
            ("alerts", alerts),
            ("requests", requests),
            ("counts", counts),
            ("http_out", http_out),
        ):
            if value is not None:
                expect[key] = (
                    [dict(v) for v in value] if isinstance(value, Sequence) else dict(value)
                )
        (case,) = self._parse([self._case(name, series, input, expect)]).cases
        return run_case(self._rule, case)

    def assert_case(
        self,
        name: str = "case",
        *,
        series: SeriesInput | None = None,
        input: str | None = None,
        alerts: Sequence[Mapping[str, object]] | None = None,
        requests: Sequence[Mapping[str, object]] | None = None,
        counts: Mapping[str, int] | None = None,
        http_out: Mapping[str, object] | None = None,
    ) -> CaseResult:
        """:meth:`check`, raising :class:`RuleTestFailed` with the report when it fails."""
        result = self.check(
            name,
            series=series,
            input=input,
            alerts=alerts,
            requests=requests,
            counts=counts,
            http_out=http_out,
        )
        if result.status != PASS:
            raise RuleTestFailed(render_case(result, self._origin, Style()))
        return result

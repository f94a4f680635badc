"""``tickmini.testing`` from Python: AlertRule and assert_test_file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tickmini.alerting.event import Level
from tickmini.testing import AlertRule, RuleTestError, RuleTestFailed, assert_test_file

Write = Callable[[str, str], Path]
# The seed's rule: CRITICAL when usage_idle < 10, published to the topic 'cpu'.
SEED_RULE = (Path(__file__).resolve().parents[2] / "samples" / "cpu_alert.tick").read_text()


def test_assert_case_passes_and_returns_the_result(write: Write) -> None:
    rule = AlertRule(write("cpu_alert.tick", SEED_RULE), interval="10s")
    result = rule.assert_case(
        series={"cpu,host=serverA usage_idle": "50 9 60"},
        alerts=[
            {"level": "CRITICAL", "time": "10s"},
            {"level": "OK", "time": "20s", "duration": "10s"},
        ],
    )
    assert [e.level for e in result.events] == [Level.CRITICAL, Level.OK]


def test_assert_case_failure_carries_the_report(write: Write) -> None:
    rule = AlertRule(write("cpu_alert.tick", SEED_RULE), interval="10s")
    with pytest.raises(RuleTestFailed) as info:
        rule.assert_case("mine", series={"cpu,host=a usage_idle": "50 9"}, alerts=[])
    text = str(info.value)
    assert "FAIL" in text and "mine" in text and "EXTRA" in text
    assert 'crit: lambda: "usage_idle" < 10  ->  true' in text


def test_cases_are_isolated(write: Write) -> None:
    rule = AlertRule(write("cpu_alert.tick", SEED_RULE), interval="10s")
    first = rule.run(series={"cpu,host=a usage_idle": "9"})
    second = rule.run(series={"cpu,host=a usage_idle": "9"})
    # A fresh topic each time: the second run's event is again the start of an incident.
    assert (
        [e.previous_level for e in first.events]
        == [e.previous_level for e in second.events]
        == [Level.OK]
    )


def test_stateful_lambdas_do_not_leak_between_cases() -> None:
    rule = AlertRule(
        tickscript="stream|from().measurement('m')|alert().crit(lambda: count() > 2)", interval="1s"
    )
    for _ in range(2):
        out = rule.run(series={"m v": "1 1 1"})
        assert [e.time for e in out.events] == [2 * 10**9]


def test_inline_line_protocol_and_counts(write: Write) -> None:
    rule = AlertRule(write("cpu_alert.tick", SEED_RULE))
    rule.assert_case(
        input="cpu usage_idle=5 1\ncpu usage_idle=50 2\n", counts={"CRITICAL": 1, "OK": 1}
    )


def test_bad_expectation_is_a_rule_test_error(write: Write) -> None:
    rule = AlertRule(write("cpu_alert.tick", SEED_RULE))
    with pytest.raises(RuleTestError):
        rule.check(input="cpu usage_idle=5 1", alerts=[{"levle": "OK"}])


def test_assert_test_file(write: Write) -> None:
    write("cpu_alert.tick", SEED_RULE)
    text = "script: cpu_alert.tick\ntests:\n  - name: a\n    input: 'cpu usage_idle=5 0'\n    expect: {counts: {CRITICAL: 1}}\n"
    assert len(assert_test_file(write("t.yaml", text)).cases) == 1
    with pytest.raises(RuleTestFailed):
        assert_test_file(write("u.yaml", text.replace("CRITICAL: 1", "CRITICAL: 2")))


def test_lines_without_a_timestamp_get_the_case_start_not_the_clock() -> None:
    rule = AlertRule(
        tickscript="stream|from().measurement('m')|alert().crit(lambda: \"v\" > 1)",
        start="1971-01-01T00:00:00Z",
    )
    out = rule.run(input="m v=5\nm v=6 31536001000000000\n")
    assert [e.time for e in out.events] == [31_536_000 * 10**9, 31_536_001 * 10**9]

"""The test-file loader: what it accepts, and errors that point at the line and column."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.errors import TickminiError
from tickmini.testing.errors import RuleTestError
from tickmini.testing.loader import load_test_file, parse_test_file

Write = Callable[[str, str], Path]

GOOD = """\
script: rule.tick
task: cpu_alert
dbrp: telegraf.autogen
interval: 10s
start: 2023-11-14T22:13:20Z
tests:
  - name: goes critical
    input_series:
      - series: cpu,host=serverA usage_idle
        values: 50 9 8 60
    expect:
      alerts:
        - level: CRITICAL
          time: 10s
          duration: 0s
          tags: {host: serverA}
          fields: {usage_idle: 9}
        - {level: critical, time: 20s, duration: 10s}
        - {level: OK, time: '2023-11-14T22:13:50Z', previousLevel: CRITICAL}
      counts: {CRITICAL: 2, OK: 1}
"""


def _error(write: Write, text: str) -> RuleTestError:
    write("rule.tick", "stream|from()|alert()\n")
    path = write("t.yaml", text)
    with pytest.raises(RuleTestError) as info:
        load_test_file(str(path))
    return info.value


def test_a_good_file_is_read_and_normalised(write: Write) -> None:
    write("rule.tick", "stream|from()|alert()\n")
    loaded = load_test_file(str(write("t.yaml", GOOD)))
    assert loaded.task_name == "cpu_alert"
    assert (loaded.database, loaded.retention_policy) == ("telegraf", "autogen")
    (case,) = loaded.cases
    start = 1_700_000_000 * 10**9
    assert case.start == start and case.interval == 10 * 10**9
    assert case.series[0].samples == [50.0, 9.0, 8.0, 60.0]
    alerts = case.expect.alerts
    assert alerts is not None
    assert [a.values.get("time") for a in alerts] == [
        start + 10**10,
        start + 2 * 10**10,
        start + 3 * 10**10,
    ]
    assert alerts[1].values["level"] == "CRITICAL"  # level names are case-insensitive
    assert alerts[1].values["duration"] == 10**10
    assert alerts[1].line == 18
    assert case.expect.counts == {"CRITICAL": 2, "OK": 1}


def test_unknown_key_names_line_column_and_suggests(write: Write) -> None:
    err = _error(write, GOOD.replace("      counts:", "      count:"))
    assert (err.file, err.line, err.column) == (err.file, 20, 7)
    assert "unknown key 'count'" in err.message
    assert err.hint == "did you mean 'counts'?"
    assert err.file is not None and err.file.endswith("t.yaml")
    assert "count:" in err.render()


def test_unknown_key_in_an_expected_alert(write: Write) -> None:
    err = _error(write, GOOD.replace("          duration: 0s", "          durration: 0s"))
    assert (err.line, err.column) == (15, 11)
    assert err.hint == "did you mean 'duration'?"


def test_unknown_top_level_key(write: Write) -> None:
    err = _error(write, "rule_files: [a]\n" + GOOD)
    assert (err.line, err.column) == (1, 1)
    assert err.expected is not None and "script" in err.expected


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("level: CRITICAL\n", "level: CRIT\n", 13, "did you mean CRITICAL"),
        ("time: 10s\n", "time: soon\n", 14, "is not a time"),
        ("duration: 0s\n", "duration: 1.5q\n", 15, "is not a duration"),
        ("values: 50 9 8 60", "values: 50 stale", 10, "staleness"),
        ("series: cpu,host=serverA usage_idle", "series: cpu", 9, "one field name"),
        ("interval: 10s", "interval: -1s", 4, "positive duration"),
        ("dbrp: telegraf.autogen", "dbrp: telegraf", 3, "retention_policy"),
        ("tags: {host: serverA}", "tags: {host: 1}", 16, "expected text"),
    ],
)
def test_bad_values_point_at_their_line(
    write: Write, old: str, new: str, line: int, words: str
) -> None:
    err = _error(write, GOOD.replace(old, new))
    assert err.line == line
    assert words in err.render()


def test_duplicate_keys_are_errors(write: Write) -> None:
    err = _error(write, GOOD.replace("task: cpu_alert\n", "task: cpu_alert\ntask: other\n"))
    assert err.line == 3 and "duplicate key 'task'" in err.message


def test_duplicate_case_names(write: Write) -> None:
    case = GOOD[GOOD.index("  - name") :]
    err = _error(write, GOOD + case)
    assert "two cases are named" in err.message


def test_script_file_must_exist(write: Write) -> None:
    err = _error(write, GOOD.replace("script: rule.tick", "script: nope.tick"))
    assert err.line == 1 and "file not found: nope.tick" in err.message


def test_script_or_inline_but_not_both(write: Write) -> None:
    err = _error(write, "tickscript: stream\n" + GOOD)
    assert "exactly one of" in (err.expected or "")


def test_case_without_input_or_expect(write: Write) -> None:
    assert (
        "has no input"
        in _error(
            write, "script: rule.tick\ntests:\n  - name: a\n    expect: {alerts: []}\n"
        ).message
    )
    err = _error(write, "script: rule.tick\ntests:\n  - name: a\n    input: 'cpu v=1 0'\n")
    assert "expects nothing" in err.message and err.hint is not None


def test_inline_data_knows_its_first_line(write: Write) -> None:
    write("rule.tick", "stream|from()|alert()\n")
    text = "script: rule.tick\ntests:\n  - name: a\n    input: |\n      cpu v=1 0\n    expect: {alerts: []}\n"
    (case,) = load_test_file(str(write("t.yaml", text))).cases
    assert case.data[0].first_line == 5 and case.data[0].text == "cpu v=1 0\n"


def test_yaml_syntax_error_has_position(write: Write) -> None:
    err = _error(write, "tests: [\n  - a\n")
    assert err.line is not None and "not valid YAML" in err.message


def test_missing_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(RuleTestError):
        load_test_file(str(tmp_path / "absent.yaml"))


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab:-[]{}'\" \n\t#&*!|>%@`,?0123456789.")), max_size=80)
)
def test_fuzz_only_tickmini_errors_escape(text: str) -> None:
    with contextlib.suppress(TickminiError):
        parse_test_file("tickscript: x\ntests:\n" + text, "fuzz.yaml")


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["level", "time", "duration", "id", "tags", "fields", "bogus"]),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=5),
            st.booleans(),
            st.lists(st.integers(), max_size=2),
        ),
        max_size=4,
    )
)
def test_fuzz_expected_alert_values(values: dict[str, object]) -> None:
    import yaml

    doc = {
        "tickscript": "x",
        "tests": [{"name": "a", "input": "cpu v=1 0", "expect": {"alerts": [values]}}],
    }
    with contextlib.suppress(TickminiError):
        parse_test_file(yaml.safe_dump(doc), "fuzz.yaml")

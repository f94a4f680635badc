"""``tickmini test`` on real rules: pass, readable failures, exit codes, JUnit, update, coverage."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tickmini.cli.main import main
from tickmini.testing.loader import load_test_file

Write = Callable[[str, str], Path]
# The seed's rule: CRITICAL when usage_idle < 10, published to the topic 'cpu'.
SEED_RULE = (Path(__file__).resolve().parents[2] / "samples" / "cpu_alert.tick").read_text()
ROOT = Path(__file__).resolve().parents[2]

# A promtool user's first test of the seed's rule, written from docs/testing.md.
PROMTOOL_STYLE = """\
script: cpu_alert.tick
interval: 10s
tests:
  - name: serverA runs hot
    input_series:
      - series: cpu,host=serverA usage_idle
        values: 55 42.5 9.5 7.25 8 31 60
    expect:
      alerts:
        - {time: 20s, level: CRITICAL, message: 'Hey, check your CPU', duration: 0s}
        - {time: 30s, level: CRITICAL, duration: 10s}
        - {time: 40s, level: CRITICAL, duration: 20s}
        - {time: 50s, level: OK, duration: 30s, previousLevel: CRITICAL}
  - name: healthy
    input_series:
      - series: cpu,host=serverB usage_idle
        values: 80-1x20
    expect:
      alerts: []
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["test", "--color", "never", *args])
    return code, capsys.readouterr().out


def test_promtool_users_test_of_the_seed_rule_passes(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("cpu_alert.tick", SEED_RULE)
    code, out = _run(capsys, str(write("t.yaml", PROMTOOL_STYLE)))
    assert code == 0, out
    assert "PASS" in out and "serverA runs hot" in out and "2 passed" in out


def test_a_broken_rule_names_the_point_the_lambda_value_and_the_field(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("cpu_alert.tick", SEED_RULE.replace('"usage_idle" < 10', '"usage_idle" < 8'))
    code, out = _run(capsys, str(write("t.yaml", PROMTOOL_STYLE)))
    assert code == 1
    assert "FAIL" in out and "serverA runs hot" in out
    # 9.5 no longer alerts: the expected CRITICAL at +20s is missing, shown with its point ...
    assert "MISSING" in out
    assert "cpu,host=serverA usage_idle=9.5 20000000000" in out
    # ... and the value the crit lambda gave on it.
    assert 'crit: lambda: "usage_idle" < 8  ->  false' in out
    # The event at +30s now starts the incident: its duration differs, field by field.
    assert (
        "duration" in out and "expected 10s (10000000000 ns)" in out and "actual   0s (0 ns)" in out
    )


def test_yaml_or_input_errors_exit_2_with_position(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("cpu_alert.tick", SEED_RULE)
    code, out = _run(
        capsys,
        str(
            write(
                "t.yaml",
                PROMTOOL_STYLE.replace(
                    "    expect:\n      alerts:\n        - {time: 20s",
                    "    expct:\n      alerts:\n        - {time: 20s",
                ),
            )
        ),
    )
    assert code == 2
    assert "t.yaml:8:5: error: unknown key 'expct'" in out and "did you mean 'expect'?" in out
    bad_lp = "script: cpu_alert.tick\ntests:\n  - name: x\n    input: |\n      cpu usage_idle=1 0\n      cpu usage_idle= 1\n    expect: {alerts: []}\n"
    code, out = _run(capsys, str(write("lp.yaml", bad_lp)))
    assert code == 2 and "ERROR" in out and "lp.yaml:6:22: error: bad line protocol" in out


def test_script_errors_exit_2(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    text = "tickscript: |\n  stream\n    |from()\n    |alert().crit(lambda: \"x\" >)\ntests:\n  - name: x\n    input: 'cpu x=1 0'\n    expect: {alerts: []}\n"
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 2 and "t.yaml:4:32: error: unexpected ')'" in out


def test_run_filter(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    write("cpu_alert.tick", SEED_RULE)
    code, out = _run(capsys, str(write("t.yaml", PROMTOOL_STYLE)), "--run", "^heal")
    assert code == 0 and "healthy" in out and "serverA" not in out and "1 passed" in out
    assert main(["test", str(write("u.yaml", PROMTOOL_STYLE)), "--run", "("]) == 2
    code, out = _run(capsys, str(write("v.yaml", PROMTOOL_STYLE)), "--run", "nothing matches")
    assert code == 2 and "0 passed" in out


def test_junit_output_from_a_real_run(
    write: Write,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    junit_schema: Callable[[ET.Element], None],
) -> None:
    write("cpu_alert.tick", SEED_RULE.replace("< 10", "< 8"))
    junit = tmp_path / "out" / "junit.xml"
    junit.parent.mkdir()
    code, _ = _run(capsys, str(write("t.yaml", PROMTOOL_STYLE)), "--junit", str(junit))
    assert code == 1
    root = ET.parse(junit).getroot()
    junit_schema(root)
    suite = root.find("testsuite")
    assert suite is not None and (
        suite.get("tests"),
        suite.get("failures"),
        suite.get("errors"),
    ) == ("2", "1", "0")
    failing = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failing] == ["serverA runs hot"]


def test_update_writes_actual_events_then_the_file_passes(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write("cpu_alert.tick", SEED_RULE)
    text = PROMTOOL_STYLE.replace("values: 80-1x20", "values: 80 5 80")
    path = write("t.yaml", "# my comment\n" + text)
    code, out = _run(capsys, str(path), "--update")
    assert code == 0 and "updated the expected alerts of 1 case(s)" in out
    updated = path.read_text()
    assert updated.startswith("# my comment\n")
    (first, second) = load_test_file(str(path)).cases
    assert second.expect.alerts is not None
    assert [(a.values["level"], a.values["time"]) for a in second.expect.alerts] == [
        ("CRITICAL", 10 * 10**9),
        ("OK", 20 * 10**9),
    ]
    assert first.expect.alerts is not None and len(first.expect.alerts) == 4  # untouched
    code, _ = _run(capsys, str(path))
    assert code == 0


def test_coverage_shows_the_branch_no_case_reached(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        "rule.tick",
        """\
        stream
          |from().measurement('cpu')
          |alert()
            .warn(lambda: "usage_idle" < 20)
            .warnReset(lambda: "usage_idle" > 30)
            .crit(lambda: "usage_idle" < 10)
            .post('http://127.0.0.1:9/hook')
        """,
    )
    text = PROMTOOL_STYLE.replace("cpu_alert.tick", "rule.tick")
    code, out = _run(capsys, str(write("t.yaml", text)), "--coverage", "--run", "healthy")
    assert code == 0
    assert "coverage of" in out
    assert _coverage_line(out, "levels", "WARNING").endswith("NOT EXERCISED")
    assert _coverage_line(out, "levels", "CRITICAL").endswith("NOT EXERCISED")
    assert _coverage_line(out, "released the level", "warnReset").endswith("NOT EXERCISED")
    assert _coverage_line(out, "held the level", "warnReset").endswith("NOT EXERCISED")
    assert _coverage_line(out, "handlers", "post").endswith("NOT EXERCISED")
    # 15 warns, 25 is held by warnReset (> 30 is false), 35 releases it.
    code, out = _run(
        capsys,
        str(write("t2.yaml", text.replace("80-1x20", "50 15 25 35"))),
        "--coverage",
        "--run",
        "healthy",
    )
    assert _coverage_line(out, "levels", "WARNING").endswith("2 times")
    assert _coverage_line(out, "levels", "CRITICAL").endswith("NOT EXERCISED")
    assert _coverage_line(out, "levels", "OK").endswith("1 time")
    assert _coverage_line(out, "released the level", "warnReset").endswith("1 release")
    assert _coverage_line(out, "held the level", "warnReset").endswith("1 hold")
    assert _coverage_line(out, "handlers", "post").endswith("3 requests")


def _coverage_line(out: str, section: str, name: str) -> str:
    """The line for ``name`` under the coverage section whose title contains ``section``."""
    lines = out[out.index("coverage of") :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  ") and section in line)
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        if line.split()[0] == name:
            return line.rstrip()
    raise AssertionError(f"{name} not under {section}:\n{out}")


def test_handlers_never_reach_the_network(
    write: Write, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    url = httpserver.url_for("/hook")
    write("rule.tick", SEED_RULE.replace(".topic('cpu')", f".topic('cpu')\n    .post('{url}')"))
    write("handler.yaml", f"id: h\ntopic: cpu\nkind: post\noptions:\n  url: {url}\n")
    text = PROMTOOL_STYLE.replace("cpu_alert.tick", "rule.tick").replace(
        "interval: 10s", "interval: 10s\nhandlers: [handler.yaml]"
    )
    text += """\
  - name: requests are captured
    input_series:
      - {series: 'cpu,host=a usage_idle', values: '5'}
    expect:
      requests:
        - kind: post
          url: URL
          body: {level: CRITICAL, message: 'Hey, check your CPU', time: '1970-01-01T00:00:00Z'}
        - {kind: post, handler: "handler 'h' (post) on topic 'cpu'", body: {level: CRITICAL}}
""".replace("URL", url)
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 0, out
    assert httpserver.log == []


def test_the_sample_test_files_pass(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in (ROOT / "samples" / "tests").glob("*.yaml"))
    assert len(files) == 2
    code, out = _run(capsys, *files)
    assert code == 0, out


def test_lambda_errors_are_explained(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    text = """\
tickscript: |
  stream|from().measurement('cpu')|alert().crit(lambda: "usage_idle" < 10)
tests:
  - name: missing field
    input: |
      cpu usage_idle=5 0
      cpu usage_user=5 1
    expect:
      alerts: [{level: CRITICAL}, {level: CRITICAL}]
"""
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 1
    assert 'error: left reference value "usage_idle" is missing value' in out
    assert "the task logged:" in out and "error evaluating expression for level" in out


def test_build_warnings_are_shown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, str(ROOT / "samples" / "tests" / "victorops_cpu_alert_test.yaml"))
    assert code == 0
    assert "warning: .victorops()" in out


def test_a_dbrp_the_script_never_reads_is_an_error(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
tickscript: |
  dbrp "telegraf"."autogen"
  stream|from().measurement('cpu')|alert().crit(lambda: "usage_idle" < 10)
dbrp: other.rp
tests:
  - name: a
    input: 'cpu usage_idle=5 0'
    expect: {alerts: []}
"""
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 2 and "t.yaml:4:7" in out and "never reach it" in out
    code, out = _run(capsys, str(write("u.yaml", text.replace("dbrp: other.rp\n", ""))))
    assert code == 1 and "EXTRA" in out  # the script's dbrp is used: the point arrives


def test_http_out_and_data_differences_name_the_path(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
tickscript: |
  stream
    |from().measurement('cpu')
    |alert().crit(lambda: "v" > 1)
    |httpOut('out')
tests:
  - name: data
    input: 'cpu,host=a v=5 0'
    expect:
      alerts:
        - data: {series: [{name: cpu, tags: {host: a}, columns: [time, v], values: [['1970-01-01T00:00:00Z', 6]]}]}
      http_out:
        out: {series: [{name: cpu, tags: {host: b}, columns: [time, v], values: [['1970-01-01T00:00:00Z', 5]]}]}
"""
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 1
    assert "first difference: series[0].values[0][1]: expected 6, actual 5" in out
    assert '\'out\' differs at series[0].tags.host: expected "b", actual "a"' in out
    passing = text.replace(", 6]]", ", 5.0]]").replace("host: b", "host: a")
    code, out = _run(capsys, str(write("u.yaml", passing)))
    assert code == 0, out

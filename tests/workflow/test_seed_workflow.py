"""The seed's command sequence, verbatim but for the program name, against a local VictorOps."""

from __future__ import annotations

import json
from pathlib import Path

import workflow_helpers as helpers
from pytest_httpserver import HTTPServer
from workflow_helpers import VICTOROPS_PATH, conf_for

seed_dir = helpers.seed_dir
tickmini = helpers.tickmini

DEFINE = "tickmini define cpu_alert -tick samples/cpu_alert.tick"
ENABLE = "tickmini enable cpu_alert"
DEFINE_HANDLER = "tickmini define-topic-handler samples/victorops_cpu_handler.yaml"

# The first alert of samples/cpu.lp (serverA at 9.5% idle), as Kapacitor's VictorOps service
# encodes it: keys sorted, data as a JSON string, timestamp in seconds, trailing newline.
FIRST_ALERT = (
    b'{"data":"{\\"series\\":[{\\"name\\":\\"cpu\\",\\"tags\\":{\\"cpu\\":\\"cpu-total\\",'
    b'\\"host\\":\\"serverA\\"},\\"columns\\":[\\"time\\",\\"usage_idle\\",\\"usage_system\\",'
    b'\\"usage_user\\"],\\"values\\":[[\\"2023-11-14T22:13:40Z\\",9.5,3.5,87]]}]}",'
    b'"entity_id":"cpu:nil","message_type":"CRITICAL","monitoring_tool":"kapacitor",'
    b'"state_message":"Hey, check your CPU","timestamp":1700000020}\n'
)

T0 = 1_700_000_000_000_000_000
SECOND = 1_000_000_000


def _define_all(tickmini) -> None:
    for command in (DEFINE, ENABLE, DEFINE_HANDLER):
        result = tickmini(command)
        assert result.code == 0, result.err
        assert result.out == ""


def test_seed_sequence_delivers_the_seed_alert(seed_dir: Path, tickmini, httpserver: HTTPServer):
    httpserver.expect_request(
        f"{VICTOROPS_PATH}/xxxx/team_rocket", method="POST"
    ).respond_with_data("{}")
    conf = conf_for(seed_dir, httpserver.url_for(VICTOROPS_PATH))
    define = tickmini(DEFINE)
    assert define.code == 0 and "warning: must specify dbrp" in define.err
    for command in (ENABLE, DEFINE_HANDLER):
        assert tickmini(command).code == 0
    result = tickmini(f"tickmini replay --input samples/cpu.lp --config {conf} --send")
    assert result.code == 0, result.err
    assert (
        "16 points read, 0 rejected; 6 events (3 CRITICAL, 0 WARNING, 0 INFO, 3 OK)" in result.err
    )
    assert "6 delivered" in result.err
    bodies = [request.get_data() for request, _ in httpserver.log]
    assert bodies[0] == FIRST_ALERT
    assert [json.loads(b)["message_type"] for b in bodies] == ["CRITICAL", "RECOVERY"] * 3
    assert all(r.headers["Content-Type"] == "application/json" for r, _ in httpserver.log)
    assert "xxxx" not in result.err  # the API key is masked in what tickmini prints


def test_dry_run_shows_the_request_and_sends_nothing(seed_dir: Path, tickmini) -> None:
    _define_all(tickmini)
    result = tickmini("tickmini replay --input samples/cpu.lp --config samples/kapacitor.conf")
    assert result.code == 0
    first = next(line for line in result.err.splitlines() if "dry run" in line)
    url = "https://alert.victorops.com/integrations/generic/20131114/alert/********/team_rocket"
    assert (
        first == f"tickmini: dry run, not sent: victorops POST {url} {FIRST_ALERT.decode().strip()}"
    )
    assert "6 request(s) not sent (dry run; use --send)" in result.err


def _critical_lines(*times: int) -> str:
    return "".join(f"cpu,cpu=cpu-total,host=serverA usage_idle=5 {t}\n" for t in times)


def _events(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_second_run_continues_the_incident(seed_dir: Path, tickmini, httpserver: HTTPServer):
    httpserver.expect_request(f"{VICTOROPS_PATH}/xxxx/team_rocket").respond_with_data("{}")
    conf = conf_for(seed_dir, httpserver.url_for(VICTOROPS_PATH))
    _define_all(tickmini)
    first = seed_dir / "first.lp"
    first.write_text(_critical_lines(T0, T0 + 10 * SECOND))
    second = seed_dir / "second.lp"
    second.write_text(_critical_lines(T0 + 20 * SECOND, T0 + 30 * SECOND))
    replay = f"tickmini replay --config {conf} --send --format json --input"
    run1 = tickmini(replay, str(first))
    assert run1.code == 0, run1.err
    assert [(e["duration"], e["previousLevel"]) for e in _events(run1.out)] == [
        (0, "OK"),
        (10 * SECOND, "CRITICAL"),
    ]
    run2 = tickmini(replay, str(second))
    assert run2.code == 0, run2.err
    # Restored as Kapacitor restores (§4.4): the incident goes on from the last stored event.
    assert [(e["duration"], e["previousLevel"]) for e in _events(run2.out)] == [
        (10 * SECOND, "CRITICAL"),
        (20 * SECOND, "CRITICAL"),
    ]
    assert len(httpserver.log) == 4
    shown = tickmini("tickmini show-topic cpu")
    assert "Collected: 4" in shown.out and "Level: CRITICAL" in shown.out


def test_same_file_twice_without_timestamps_grows_the_duration(seed_dir: Path, tickmini) -> None:
    _define_all(tickmini)
    data = seed_dir / "now.lp"
    data.write_text("cpu,cpu=cpu-total,host=serverA usage_idle=5\n")
    replay = f"tickmini replay --format json --input {data}"
    (run1,) = _events(tickmini(replay).out)
    (run2,) = _events(tickmini(replay).out)
    assert run1["duration"] == 0 and run1["previousLevel"] == "OK"
    assert run2["duration"] > 0 and run2["previousLevel"] == "CRITICAL"


def test_a_fresh_home_starts_a_new_incident(seed_dir: Path, tickmini, monkeypatch) -> None:
    """The control for the test above: without stored state the same data is a new incident."""
    _define_all(tickmini)
    data = seed_dir / "second.lp"
    data.write_text(_critical_lines(T0 + 20 * SECOND))
    tickmini(f"tickmini replay --input {data}")
    monkeypatch.setenv("TICKMINI_HOME", str(seed_dir / "other-home"))
    _define_all(tickmini)
    (event,) = _events(tickmini(f"tickmini replay --format json --input {data}").out)
    assert event["duration"] == 0 and event["previousLevel"] == "OK"


def test_disabled_task_receives_nothing(seed_dir: Path, tickmini) -> None:
    _define_all(tickmini)
    assert tickmini("tickmini disable cpu_*").code == 0
    result = tickmini("tickmini replay --input samples/cpu.lp")
    assert result.out == "" and "no enabled task" in result.err
    assert "16 points read" in result.err

"""End to end through ``tickmini run --send``: the seed's example and the conformance cases,
against a real HTTP server. The server receives exactly the requests Kapacitor would send."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

try:  # tests/alerting as a package, or as a plain directory (rootdir import mode)
    from .conftest import CONFORMANCE
except ImportError:
    from conftest import CONFORMANCE  # type: ignore[no-redef]
from pytest_httpserver import HTTPServer

from tickmini.cli.main import main

SAMPLES = Path(__file__).parent.parent.parent / "samples"


def _seed_config(tmp_path: Path, url: str) -> Path:
    """The seed's kapacitor.conf verbatim, with only the url pointed at the local server."""
    text = (SAMPLES / "kapacitor.conf").read_text()
    default = "https://alert.victorops.com/integrations/generic/20131114/alert"
    assert default in text
    path = tmp_path / "kapacitor.conf"
    path.write_text(text.replace(default, url))
    return path


def _run(args: list[str], monkeypatch, tmp_path: Path) -> int:
    for name in ("ENABLED", "API_KEY", "ROUTING_KEY", "URL", "GLOBAL", "JSON_DATA"):
        monkeypatch.delenv(f"KAPACITOR_VICTOROPS_{name}", raising=False)
    monkeypatch.chdir(tmp_path)  # the dead letter (if any) lands here
    return main(args)


@pytest.mark.parametrize("variant", ["script", "topic handler"])
def test_seed_example_sends_what_kapacitor_sends(
    httpserver: HTTPServer, tmp_path, monkeypatch, capsys, variant
) -> None:
    httpserver.expect_request("/alert/xxxx/team_rocket", method="POST").respond_with_json(
        {"result": "success"}
    )
    config = _seed_config(tmp_path, httpserver.url_for("/alert"))
    if variant == "script":
        args = ["run", str(SAMPLES / "victorops-cpu-alert.tick")]
    else:
        args = [
            "run",
            str(SAMPLES / "cpu_alert.tick"),
            "--handler",
            str(SAMPLES / "victorops_cpu_handler.yaml"),
        ]
    code = _run([*args, "--input", str(SAMPLES / "cpu.lp"), "--config", str(config), "--send", "--format", "json"],
                monkeypatch, tmp_path)  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert events, "the sample data has alerts"
    requests = [request for request, _ in httpserver.log]
    assert len(requests) == len(events)
    for request, event in zip(requests, events, strict=True):
        assert request.path == "/alert/xxxx/team_rocket"
        assert request.headers["Content-Type"] == "application/json"
        raw = request.get_data()
        assert raw.endswith(b"}\n") and raw.count(b"\n") == 1
        body = json.loads(raw)
        assert list(body) == sorted(body) == [
            "data", "entity_id", "message_type", "monitoring_tool", "state_message", "timestamp",
        ]  # fmt: skip
        assert body["entity_id"] == event["id"]
        assert body["state_message"] == "Hey, check your CPU" == event["message"]
        assert body["message_type"] == ("RECOVERY" if event["level"] == "OK" else event["level"])
        assert body["monitoring_tool"] == "kapacitor"
        assert json.loads(body["data"]) == event["data"]
        assert isinstance(body["timestamp"], int)
    assert "xxxx" not in err
    assert f"{len(events)} delivered" in err


def test_conformance_stream_alert_victorops(
    httpserver: HTTPServer, tmp_path, monkeypatch, capsys
) -> None:
    case = CONFORMANCE / "TestStream_AlertVictorOps"
    meta = json.loads((case / "case.json").read_text())
    expected = json.loads((case / "expected.json").read_text())
    for item in expected:
        httpserver.expect_request(item["url_path"], method="POST").respond_with_data("")
    vo = meta["service_config"]["victorops"]
    config = tmp_path / "k.conf"
    config.write_text(
        f'[victorops]\nenabled = true\nurl = "{httpserver.url_for("")}"\napi-key = "{vo["api_key"]}"\n'
        f'routing-key = "{vo["routing_key"]}"\njson-data = false\n'
    )
    code = _run(["run", str(case / "script.tick"), "--input", str(case / "input.lp"), "--dbrp", "dbname.rpname",
                 "--task-name", meta["task_id"], "--config", str(config), "--send"], monkeypatch, tmp_path)  # fmt: skip
    assert code == 0, capsys.readouterr().err
    got = sorted((r.path, r.get_data()) for r, _ in httpserver.log)
    want = sorted(
        (
            e["url_path"],
            (json.dumps(e["body"], sort_keys=True, separators=(",", ":")) + "\n").encode(),
        )
        for e in expected
    )
    assert got == want


def test_conformance_topic_handler_victorops(
    httpserver: HTTPServer, tmp_path, monkeypatch, capsys
) -> None:
    case = CONFORMANCE / "TestServer_AlertHandlers__victorops"
    meta = json.loads((case / "case.json").read_text())
    (expected,) = json.loads((case / "expected.json").read_text())
    httpserver.expect_request(expected["url_path"], method="POST").respond_with_data("")
    config = tmp_path / "k.conf"
    config.write_text(
        f'[victorops]\nenabled = true\nurl = "{httpserver.url_for("")}"\napi-key = "api_key"\n'
    )
    handler = tmp_path / "handler.json"
    handler.write_text(json.dumps(meta["topic_handler"]))
    shutil.copy(case / "input.lp", tmp_path / "input.lp")
    code = _run(["run", str(case / "script.tick"), "--input", str(tmp_path / "input.lp"), "--precision", "s",
                 "--dbrp", "mydb.myrp", "--task-name", meta["task_id"], "--config", str(config),
                 "--handler", str(handler), "--send"], monkeypatch, tmp_path)  # fmt: skip
    assert code == 0, capsys.readouterr().err
    ((request, _),) = httpserver.log
    assert request.path == expected["url_path"]
    assert (
        request.get_data()
        == (json.dumps(expected["body"], sort_keys=True, separators=(",", ":")) + "\n").encode()
    )


def test_failed_delivery_gives_exit_code_1_and_a_dead_letter(
    httpserver: HTTPServer, tmp_path, monkeypatch, capsys
) -> None:
    httpserver.expect_request("/alert/xxxx/team_rocket").respond_with_json(
        {"message": "bad key"}, status=403
    )
    config = _seed_config(tmp_path, httpserver.url_for("/alert"))
    code = _run(["run", str(SAMPLES / "victorops-cpu-alert.tick"), "--input", str(SAMPLES / "cpu.lp"),
                 "--config", str(config), "--send"], monkeypatch, tmp_path)  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    dead = tmp_path / "tickmini-dead-letter.jsonl"
    records = [json.loads(line) for line in dead.read_text().splitlines()]
    assert records and all(r["error"] == "bad key" for r in records)
    assert len(records) == len(httpserver.log)  # 403 is final: one attempt each
    assert "bad key" in err and "xxxx" not in err and "xxxx" not in dead.read_text()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "bad.yaml",
            "id: a\ntopic: cpu\nkind: victorops\noptions:\n  routing_key: x\n",
            "unknown option 'routing_key'",
        ),
        ("bad.yml", "id: [\n", "not valid YAML"),
        ("bad.json", '{"id": "a", "topic": "cpu", "kind": "slack"}', "tickmini does not support"),
    ],
)
def test_bad_handler_file_through_the_cli(
    tmp_path, monkeypatch, capsys, name, text, message
) -> None:
    handler = tmp_path / name
    handler.write_text(text)
    code = _run(["run", str(SAMPLES / "cpu_alert.tick"), "--input", str(SAMPLES / "cpu.lp"),
                 "--handler", str(handler)], monkeypatch, tmp_path)  # fmt: skip
    err = capsys.readouterr().err
    assert code == 3
    assert message in err and f"{handler}:" in err
    assert "Traceback" not in err


def test_bad_config_through_the_cli(tmp_path, monkeypatch, capsys) -> None:
    config = tmp_path / "k.conf"
    config.write_text((SAMPLES / "kapacitor.conf").read_text().replace("json-data", "json_data"))
    code = _run(["run", str(SAMPLES / "victorops-cpu-alert.tick"), "--input", str(SAMPLES / "cpu.lp"),
                 "--config", str(config)], monkeypatch, tmp_path)  # fmt: skip
    err = capsys.readouterr().err
    assert code == 3
    assert f"{config}:8:3: error: unknown key 'json_data' in [victorops]" in err
    assert "Traceback" not in err


def test_ctrl_c_while_deliveries_hang_dead_letters_everything_quickly(tmp_path) -> None:
    """A real SIGINT to ``tickmini run --send`` whose endpoint accepts connections and never
    answers: it exits within seconds, every event is in the dead letter, no traceback."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(100)
    listener.settimeout(20)
    config = _seed_config(tmp_path, f"http://127.0.0.1:{listener.getsockname()[1]}/alert")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAPACITOR_")}
    env["PYTHONPATH"] = str(Path(__file__).parent.parent.parent)
    process = subprocess.Popen(
        [sys.executable, "-m", "tickmini", "run", str(SAMPLES / "victorops-cpu-alert.tick"),
         "--input", str(SAMPLES / "cpu.lp"), "--config", str(config), "--send", "--format", "json"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        connection, _ = listener.accept()  # a request is in flight, waiting for an answer
        time.sleep(0.3)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
        elapsed = time.monotonic() - started
    finally:
        process.kill()
        listener.close()
    connection.close()
    assert process.returncode == 130, err
    assert elapsed < 5
    assert "Traceback" not in err
    events = [json.loads(line) for line in out.splitlines()]
    dead = tmp_path / "tickmini-dead-letter.jsonl"
    records = [json.loads(line) for line in dead.read_text().splitlines()]
    assert sorted(r["body"] for r in records) == sorted(set(r["body"] for r in records))
    assert len(records) == len(events) > 0
    assert "xxxx" not in dead.read_text() and "xxxx" not in err

"""Conformance cases through the real command line: ``tickmini run ... --format json --send``.

Handlers are real: ``.post()`` and VictorOps deliver to a pytest-httpserver on 127.0.0.1, ``.log()``
writes files in tmp_path, topic handlers come from a handler file, the VictorOps service from a
kapacitor.conf.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from pipeline_cases import CaseRun, compare_events, compare_http_out
from pytest_httpserver import HTTPServer

from tickmini.cli.main import main

HERE = Path(__file__).parent
ROOT = HERE.parent
ALERTSTATE_SAMPLE = [
    "doc_worked_example",
    "doc_reset_example",
    "alertstate_001",
    "alertstate_045",
    "alertstate_110",
    "alertstate_192",
]
KAPACITOR_EVENT_CASES = [
    "TestStream_AlertDuration",
    "TestStream_AlertSigma",
    "TestStream_AlertStateChangesOnlyExpired",
    "TestStream_Alert_WithReset_0",
    "TestStream_Alert",
    "Adapted__TestStream_AlertEmail",
    "TestServer_AlertHandlers__post",
]


def _case(directory: Path) -> tuple[dict, list]:
    case = json.loads((directory / "case.json").read_text(encoding="utf-8"))
    expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    return case, expected


def _write_script(directory: Path, tmp_path: Path, url: str) -> Path:
    text = (directory / "script.tick").read_text(encoding="utf-8")
    text = text.replace("__POST_URL__", url)
    for index in (1, 2):
        text = text.replace(f"__LOG_PATH_{index}__", str(tmp_path / f"alerts{index}.log"))
    script = tmp_path / "script.tick"
    script.write_text(text, encoding="utf-8")
    return script


def _by_id(events: list[dict]) -> list[dict]:
    """Events grouped by ID, each ID's events in their original order."""
    return sorted(events, key=lambda e: e["id"])


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _cli_args(case: dict, script: Path, directory: Path, tmp_path: Path) -> list[str]:
    dbrp = case["dbrps"][0]
    args = ["run", str(script), "--input", str(directory / "input.lp"), "--format", "json"]
    args += ["--task-name", case["task_id"], "--send", "--http-out", str(tmp_path / "http")]
    if "dbrp " not in script.read_text(encoding="utf-8"):
        args += ["--dbrp", f"{dbrp['db']}.{dbrp['rp']}"]
    return args


@pytest.mark.parametrize("name", ALERTSTATE_SAMPLE + KAPACITOR_EVENT_CASES)
def test_post_cases_deliver_kapacitor_bodies(
    name: str, tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = (
        ROOT / "alertstate" / name if name.startswith(("alertstate", "doc_")) else HERE / name
    )
    case, expected = _case(directory)
    httpserver.expect_request("/alert", method="POST").respond_with_data("")
    script = _write_script(directory, tmp_path, httpserver.url_for("/alert"))
    args = _cli_args(case, script, directory, tmp_path)
    topic_handler = case.get("topic_handler")
    if topic_handler:
        handler = tmp_path / "handler.json"
        options = {"url": httpserver.url_for("/alert")}
        handler.write_text(json.dumps({**topic_handler, "options": options}), encoding="utf-8")
        args += ["--handler", str(handler)]
    code, out, err = _run(args, capsys)
    assert code == 0, err
    # stdout holds the events in order; deliveries run on several workers, in order per ID.
    printed = [json.loads(line) for line in out.splitlines()]
    assert compare_events(CaseRun(case, expected, printed, {}, [])) == []
    bodies = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert compare_events(CaseRun(case, _by_id(expected), _by_id(bodies), {}, [])) == []
    httpout = directory / "expected_httpout.json"
    if httpout.exists():
        (served,) = (tmp_path / "http").iterdir()
        actual = json.loads(served.read_text(encoding="utf-8"))
        assert compare_http_out(json.loads(httpout.read_text(encoding="utf-8")), actual)


def test_log_handler_files_and_modes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = HERE / "TestStream_AlertLog"
    case, expected = _case(directory)
    script = _write_script(directory, tmp_path, "")
    code, _, err = _run(_cli_args(case, script, directory, tmp_path), capsys)
    assert code == 0, err
    for index, mode in ((1, 0o600), (2, 0o644)):
        path = tmp_path / f"alerts{index}.log"
        bodies = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert compare_events(CaseRun(case, expected, bodies, {}, [])) == []
        assert stat.S_IMODE(os.stat(path).st_mode) == mode


@pytest.mark.parametrize(
    "name", ["TestServer_AlertHandlers__victorops", "TestStream_AlertVictorOps"]
)
def test_victorops_requests(
    name: str, tmp_path: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = HERE / name
    case, expected = _case(directory)
    for item in expected:
        httpserver.expect_request(item["url_path"], method="POST").respond_with_json(
            {"result": "success"}
        )
    vo = case["service_config"]["victorops"]
    config = tmp_path / "kapacitor.conf"
    config.write_text(
        "[victorops]\n  enabled = true\n"
        f'  url = "{httpserver.url_for("/")}"\n  api-key = "{vo["api_key"]}"\n'
        f'  routing-key = "{vo.get("routing_key", "")}"\n'
        f"  json-data = {str(vo['json_data']).lower()}\n",
        encoding="utf-8",
    )
    script = _write_script(directory, tmp_path, "")
    args = [*_cli_args(case, script, directory, tmp_path), "--config", str(config)]
    topic_handler = case.get("topic_handler")
    if topic_handler:
        handler = tmp_path / "handler.json"
        handler.write_text(json.dumps(topic_handler), encoding="utf-8")
        args += ["--handler", str(handler)]
    code, _, err = _run(args, capsys)
    assert code == 0, err
    received = [
        {"url_path": request.path, "body": json.loads(request.get_data())}
        for request, _ in httpserver.log
    ]
    keys = [k.split(".", 1)[1] for k in case["compare"] if k.startswith("body.")]
    got = sorted(json.dumps([r["url_path"], {k: r["body"][k] for k in keys}]) for r in received)
    want = sorted(json.dumps([e["url_path"], {k: e["body"][k] for k in keys}]) for e in expected)
    assert got == want


def test_http_out_only_script_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = HERE / "TestStream_EvalGroups"
    case, expected = _case(directory)
    code, out, err = _run(_cli_args(case, directory / "script.tick", directory, tmp_path), capsys)
    assert code == 0, err
    assert out == ""
    served = json.loads((tmp_path / "http" / "TestStream_EvalGroups.json").read_text("utf-8"))
    assert compare_http_out(expected, served)
    assert "4 points read, 0 rejected" in err

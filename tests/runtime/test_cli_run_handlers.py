"""``tickmini run`` with kapacitor.conf: disabled services, ``global``, warnings, delivery flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run, two_points, write_inputs

from tickmini.cli.main import main

T0 = 1_700_000_000_000_000_000
SCRIPT = """stream
    |from()
        .measurement('cpu')
    |alert()
        .crit(lambda: "usage_idle" < 10)
        .details('')
"""
VICTOROPS = "        .victorOps()\n            .routingKey('team')\n"


@pytest.fixture(autouse=True)
def _no_kapacitor_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("KAPACITOR_"):
            monkeypatch.delenv(name)


def write_files(
    tmp_path: Path, script: str, conf: str, data: str | None = None
) -> tuple[str, str, str]:
    tick, points = write_inputs(tmp_path, script, data if data is not None else two_points(T0))
    config = tmp_path / "kapacitor.conf"
    config.write_text(conf, encoding="utf-8")
    return tick, str(config), points


def test_victorops_with_the_service_disabled_is_a_build_error_at_its_position(
    tmp_path: Path, capsys
) -> None:
    script, conf, data = write_files(
        tmp_path, SCRIPT + VICTOROPS, '[victorops]\nenabled = false\napi-key = "secret"\n'
    )
    code, out, err = run(["run", script, "--input", data, "--config", conf], capsys)
    assert code == 3 and out == ""
    assert f"{script}:7:10: error: " in err
    assert "VictorOps service is not enabled" in err and "enabled = true" in err
    assert "Traceback" not in err and "secret" not in err
    assert "points read" not in err  # nothing was run


def test_victorops_without_config_is_refused_as_kapacitor_default(tmp_path: Path, capsys) -> None:
    script, _, data = write_files(tmp_path, SCRIPT + VICTOROPS, "")
    code, _, err = run(["run", script, "--input", data], capsys)
    assert code == 3 and f"{script}:7:10: error: " in err


def test_victorops_with_the_service_enabled_runs(tmp_path: Path, capsys) -> None:
    script, conf, data = write_files(
        tmp_path,
        SCRIPT + VICTOROPS,
        '[victorops]\nenabled = true\napi-key = "secret"\nurl = "http://127.0.0.1:9/alert"\n',
    )
    code, _, err = run(["run", script, "--input", data, "--config", conf], capsys)
    assert code == 0, err
    assert (
        err.count("dry run, not sent: victorops POST http://127.0.0.1:9/alert/********/team") == 2
    )
    assert "secret" not in err


def test_other_handlers_do_not_need_victorops(tmp_path: Path, capsys) -> None:
    log = tmp_path / "alerts.log"
    script, conf, data = write_files(
        tmp_path, SCRIPT + f"        .log('{log}')\n", "[victorops]\nenabled = false\n"
    )
    code, _, err = run(["run", script, "--input", data, "--config", conf], capsys)
    assert code == 0, err
    assert len(log.read_text().splitlines()) == 2


def global_conf(url: str, *, enabled: bool) -> str:
    return (
        f"[victorops]\nenabled = {'true' if enabled else 'false'}\nglobal = true\n"
        f'api-key = "secret"\nrouting-key = "from_config"\nurl = "{url}"\n'
    )


def test_global_victorops_sends_every_alert_of_a_node_without_victorops(
    httpserver, tmp_path: Path, capsys
) -> None:
    httpserver.expect_request("/alert/secret/from_config", method="POST").respond_with_data("")
    script, conf, data = write_files(
        tmp_path, SCRIPT, global_conf(httpserver.url_for("/alert"), enabled=True)
    )
    code, out, err = run(["run", script, "--input", data, "--config", conf, "--send"], capsys)
    assert code == 0, err
    assert len(out.splitlines()) == 2
    bodies = [request.get_json() for request, _ in httpserver.log]
    assert [(b["message_type"], b["entity_id"]) for b in bodies] == [
        ("CRITICAL", "cpu:nil"),
        ("RECOVERY", "cpu:nil"),
    ]
    assert "2 delivered" in err


def test_an_explicit_victorops_replaces_the_global_one(httpserver, tmp_path: Path, capsys) -> None:
    httpserver.expect_request("/alert/secret/team", method="POST").respond_with_data("")
    script, conf, data = write_files(
        tmp_path, SCRIPT + VICTOROPS, global_conf(httpserver.url_for("/alert"), enabled=True)
    )
    code, _, err = run(["run", script, "--input", data, "--config", conf, "--send"], capsys)
    assert code == 0, err
    assert [request.path for request, _ in httpserver.log] == ["/alert/secret/team"] * 2


def test_global_with_the_service_disabled_is_added_and_every_send_fails(
    httpserver, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    script, conf, data = write_files(
        tmp_path, SCRIPT, global_conf(httpserver.url_for("/alert"), enabled=False)
    )
    # Dry run: the requests that would be sent are shown, with why they would fail.
    code, _, err = run(["run", script, "--input", data, "--config", conf], capsys)
    assert code == 0, err
    assert err.count("dry run, not sent (would fail: service is not enabled): victorops") == 2
    # --send: nothing reaches the server, both events are dead-lettered, exit code 1.
    code, _, err = run(["run", script, "--input", data, "--config", conf, "--send"], capsys)
    assert code == 1
    assert httpserver.log == []
    assert "2 undeliverable" in err and "secret" not in err
    letters = (tmp_path / "tickmini-dead-letter.jsonl").read_text().splitlines()
    assert len(letters) == 2 and all("service is not enabled" in line for line in letters)


POST_SCRIPT = SCRIPT + "        .post('{url}')\n"


def test_config_and_handler_file_warnings_are_printed(tmp_path: Path, capsys) -> None:
    script, conf, data = write_files(tmp_path, SCRIPT + "        .topic('cpu')\n", "[http]\n")
    handler = tmp_path / "h.yaml"
    log = tmp_path / "alerts.log"
    handler.write_text(
        f"id: h\ntopic: cpu\nkind: log\nmach: changed()\noptions:\n  path: {log}\n",
        encoding="utf-8",
    )
    code, _, err = run(
        ["run", script, "--input", data, "--config", conf, "--handler", str(handler)], capsys
    )
    assert code == 0, err
    assert f"tickmini: warning: {conf}:1: section [http] is not used by tickmini" in err
    assert f"tickmini: warning: {handler}:4: key 'mach' is not a handler-file key" in err
    assert len(log.read_text().splitlines()) == 2


def test_dead_letter_and_retry_for_flags(httpserver, tmp_path: Path, capsys) -> None:
    httpserver.expect_request("/alert").respond_with_data("busy", status=503)
    script, _, data = write_files(
        tmp_path, POST_SCRIPT.format(url=httpserver.url_for("/alert")), ""
    )
    dead = tmp_path / "out" / "dead.jsonl"
    dead.parent.mkdir()
    args = ["run", script, "--input", data, "--send", "--dead-letter", str(dead)]
    code, out, err = run([*args, "--retry-for", "0"], capsys)
    assert code == 1
    assert len(out.splitlines()) == 2  # events are printed even when undeliverable
    assert len(httpserver.log) == 2  # --retry-for 0: one attempt each, no retry
    assert f"2 undeliverable, written to {dead}" in err
    records = dead.read_text().splitlines()
    assert len(records) == 2 and all('"attempts": 1' in r or '"attempts":1' in r for r in records)


def test_timeout_flag_bounds_each_attempt(httpserver, tmp_path: Path, capsys) -> None:
    import time

    def slow(request):
        time.sleep(1.0)
        from werkzeug import Response

        return Response("late")

    httpserver.expect_request("/alert").respond_with_handler(slow)
    data = f"cpu,host=a usage_idle=5 {T0}\n"
    script, _, data_path = write_files(
        tmp_path, POST_SCRIPT.format(url=httpserver.url_for("/alert")), "", data
    )
    dead = tmp_path / "dead.jsonl"
    started = time.monotonic()
    code, _, err = run(
        [
            *("run", script, "--input", data_path, "--send", "--dead-letter", str(dead)),
            *("--timeout", "0.2", "--retry-for", "0"),
        ],
        capsys,
    )
    assert time.monotonic() - started < 0.9
    assert code == 1 and "1 undeliverable" in err
    assert "timeout" in dead.read_text().lower()


def test_delivery_flags_are_checked(tmp_path: Path, capsys) -> None:
    script, _, data = write_files(tmp_path, SCRIPT, "")
    with pytest.raises(SystemExit) as exit_info:
        main(["run", script, "--input", data, "--retry-for", "-1"])
    assert exit_info.value.code == 2
    assert "must be a finite number of seconds" in capsys.readouterr().err

"""``tickmini run`` with kapacitor.conf: disabled services, ``global``, warnings, delivery flags."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    s = tmp_path / "cpu_alert.tick"
    s.write_text(script, encoding="utf-8")
    c = tmp_path / "kapacitor.conf"
    c.write_text(conf, encoding="utf-8")
    d = tmp_path / "cpu.lp"
    d.write_text(
        data
        if data is not None
        else f"cpu,host=a usage_idle=5 {T0}\ncpu,host=a usage_idle=50 {T0 + 10**9}\n",
        encoding="utf-8",
    )
    return str(s), str(c), str(d)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


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

"""``tickmini resend``: dead letters are delivered again with the API key from the config."""

from __future__ import annotations

import json

import pytest

try:  # tests/alerting as a package, or as a plain directory (rootdir import mode)
    from .conftest import make_event, victorops_config
except ImportError:
    from conftest import make_event, victorops_config  # type: ignore[no-redef]
from pytest_httpserver import HTTPServer

from tickmini.alerting.handlers import create_handler
from tickmini.alerting.spec import HandlerSpec
from tickmini.cli.main import main

SECRET = "the-api-key-42"


def _dead_letter_from_a_failed_run(tmp_path, make_services) -> tuple:
    """A run whose VictorOps endpoint refuses (404): two events end in the dead letter."""
    services = make_services(victorops_config("http://127.0.0.1:1/alert", api_key=SECRET))
    handler = create_handler(HandlerSpec("victorops", {"routing-key": "team_rocket"}), services)
    handler.handle(make_event(id="a"))
    handler.handle(make_event(id="b", message="b & c"))
    post = create_handler(
        HandlerSpec("post", {"url": "http://127.0.0.1:1/p", "headers": {"X-T": "1"}}), services
    )
    post.handle(make_event(id="p"))
    assert services.close().dead_lettered == 3
    dead = tmp_path / "dead.jsonl"
    assert SECRET not in dead.read_text()
    return dead, [json.loads(line) for line in dead.read_text().splitlines()]


def _write_config(tmp_path, url: str) -> str:
    path = tmp_path / "kapacitor.conf"
    path.write_text(f'[victorops]\n  enabled = true\n  api-key = "{SECRET}"\n  url = "{url}"\n')
    return str(path)


def test_resend_delivers_the_same_bodies_with_the_key_from_config(
    httpserver: HTTPServer, tmp_path, make_services, capsys, monkeypatch
) -> None:
    monkeypatch.delenv("KAPACITOR_VICTOROPS_API_KEY", raising=False)
    dead, records = _dead_letter_from_a_failed_run(tmp_path, make_services)
    httpserver.expect_request(f"/alert/{SECRET}/team_rocket", method="POST").respond_with_data("")
    httpserver.expect_request("/p", method="POST").respond_with_data("")
    (post,) = [r for r in records if r["handler"] == "post"]
    post["url"] = httpserver.url_for("/p")  # the post endpoint moved
    dead.write_text("".join(json.dumps(r) + "\n" for r in records))
    config = _write_config(tmp_path, httpserver.url_for("/alert"))
    code = main(["resend", str(dead), "--config", config])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "3 delivered" in err and SECRET not in err
    bodies = [request.get_data().decode() for request, _ in httpserver.log]
    assert sorted(bodies) == sorted(r["body"] for r in records)  # order is kept per incident only
    (posted,) = [request for request, _ in httpserver.log if request.path == "/p"]
    assert posted.headers["X-T"] == "1"
    assert not (tmp_path / "dead.retry.jsonl").exists()


def test_resend_that_fails_again_keeps_everything(
    tmp_path, make_services, capsys, monkeypatch
) -> None:
    monkeypatch.delenv("KAPACITOR_VICTOROPS_API_KEY", raising=False)
    dead, records = _dead_letter_from_a_failed_run(tmp_path, make_services)
    before = dead.read_text()
    config = _write_config(tmp_path, "http://127.0.0.1:1/alert")
    code = main(["resend", str(dead), "--config", config, "--retry-for", "0.2", "--timeout", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert dead.read_text() == before
    retry = tmp_path / "dead.retry.jsonl"
    again = [json.loads(line) for line in retry.read_text().splitlines()]
    assert sorted(r["body"] for r in again) == sorted(r["body"] for r in records)
    assert SECRET not in err and SECRET not in retry.read_text()


def test_malformed_dead_letter_file_is_a_positioned_error(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"handler": "victorops", "body": "{}", "incident": "a", "routing_key": "r"}\n{"handler": \n'
    )
    assert main(["resend", str(bad)]) == 3
    err = capsys.readouterr().err
    assert f"{bad}:2:" in err and "Traceback" not in err
    bad.write_text('{"handler": "slack", "body": "{}"}\n')
    assert main(["resend", str(bad)]) == 3
    assert "unknown handler 'slack'" in capsys.readouterr().err


def test_bad_config_through_the_cli_is_a_clear_error(tmp_path, capsys) -> None:
    dead = tmp_path / "d.jsonl"
    dead.write_text("")
    conf = tmp_path / "k.conf"
    conf.write_text("[victorops]\n  enabled = true\n  api-kye = 'x'\n")
    assert main(["resend", str(dead), "--config", str(conf)]) == 3
    err = capsys.readouterr().err
    assert f"{conf}:3:3: error: unknown key 'api-kye' in [victorops]" in err
    assert "Traceback" not in err
    with pytest.raises(SystemExit) as usage:  # argparse's usage error: exit code 2
        main(["resend", str(dead), "--retry-for", "soon"])
    assert usage.value.code == 2
    assert "not a number of seconds" in capsys.readouterr().err

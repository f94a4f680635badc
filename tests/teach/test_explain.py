"""``tickmini explain``: the pipeline tree with defaults, alert topics/handlers, and ``--dot``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tickmini.cli.main import main
from tickmini.config import parse_config
from tickmini.pipeline.builder import compile_script
from tickmini.teach.dot import pipeline_dot
from tickmini.teach.show import explain_pipeline

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

API_KEY = "s3cr3t-api-key/with?odd&chars"

WINDOWED = """var threshold = 60.0
stream
    |from()
        .measurement('cpu')
        .groupBy('host')
    |window()
        .period(20s)
        .every(10s)
    |mean('usage_idle')
        .as('idle')
    |eval(lambda: 100.0 - "idle")
        .as('used')
    |alert()
        .id('cpu/{{ index .Tags "host" }}')
        .warn(lambda: "used" > threshold)
        .crit(lambda: "used" > 90.0)
        .stateChangesOnly(5m)
        .topic('cpu')
        .post('http://user:pw@example.com/hook')
        .log('/tmp/alerts.log')
    |httpOut('out')
"""


def config_with_key() -> object:
    text = f'[victorops]\nenabled = true\napi-key = "{API_KEY}"\nrouting-key = "default"\n'
    return parse_config(text, "kapacitor.conf")


def test_tree_lists_properties_with_defaults_and_alert_routing() -> None:
    pipeline = compile_script(WINDOWED, "w.tick")
    text = explain_pipeline(pipeline, task_name="w", config=config_with_key())
    lines = text.splitlines()
    assert lines[0] == "w.tick: stream task 'w', dbrp none in the script"
    assert "stream0" in lines
    assert any("└── from1  |from()" in line for line in lines)
    assert any(line.endswith(".measurement: 'cpu'") for line in lines)
    assert any(line.endswith(".groupBy: 'host'") for line in lines)
    assert any(line.endswith(".database: ''  (default)") for line in lines)
    assert any(line.endswith(".period: 20s") for line in lines)
    assert any('eval4  |eval(lambda: 100.0 - "idle")' in line for line in lines)
    # The alert: templates (set and default), lambdas as written, options, topics, handlers.
    assert any(line.endswith(".id: 'cpu/{{ index .Tags \"host\" }}'") for line in lines)
    assert any(line.endswith(".message: '{{ .ID }} is {{ .Level }}'  (default)") for line in lines)
    assert any(line.endswith('.warn: lambda: "used" > threshold') for line in lines)
    assert any(
        line.endswith(".stateChangesOnly: on, resend unchanged levels after 5m") for line in lines
    )
    assert any(line.endswith(".history: 21  (default)") for line in lines)
    # What an event will carry, with placeholders for the data.
    assert any(
        line.endswith("example for a point of 'cpu' grouped by host: ID 'cpu/<host>'")
        for line in lines
    )
    assert any(line.endswith("CRITICAL message 'cpu/<host> is CRITICAL'") for line in lines)
    assert any(
        "publishes events to: 'main:w:alert5' (its own handlers), 'cpu'" in line for line in lines
    )
    assert any(line.endswith("post: POST http://user:********@example.com/hook") for line in lines)
    assert any(line.endswith("log: append JSON lines to /tmp/alerts.log (mode 0600)") or
               line.endswith("log: append JSON lines to /tmp/alerts.log") for line in lines)  # fmt: skip
    # The tree goes on below the alert.
    assert any("└── http_out6  |httpOut('out')" in line for line in lines)


def test_victorops_destination_masks_the_api_key() -> None:
    pipeline = compile_script((SAMPLES / "victorops-cpu-alert.tick").read_text(), "v.tick")
    text = explain_pipeline(pipeline, task_name="v", config=config_with_key())
    assert API_KEY not in text
    assert "s3cr3t" not in text
    line = next(line for line in text.splitlines() if "victorops: POST" in line)
    assert line.endswith(
        "POST https://alert.victorops.com/integrations/generic/20131114/alert/********/team_rocket"
        " (routing key 'team_rocket')"
    )


def test_topic_handler_files_are_shown_for_the_alert_topic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = tmp_path / "kapacitor.conf"
    conf.write_text(f'[victorops]\nenabled = true\napi-key = "{API_KEY}"\n')
    code = main(
        [
            "explain",
            str(SAMPLES / "cpu_alert.tick"),
            "--config",
            str(conf),
            "--handler",
            str(SAMPLES / "victorops_cpu_handler.yaml"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "topic handlers on 'cpu':" in out
    assert "victorops-cpu-alert (victorops): POST https://alert.victorops.com/" in out
    assert API_KEY not in out


def test_dot_is_kapacitors_form() -> None:
    pipeline = compile_script(WINDOWED, "w.tick")
    assert pipeline_dot(pipeline, "w") == (
        "digraph w {\nstream0 -> from1;\nfrom1 -> window2;\nwindow2 -> mean3;\n"
        "mean3 -> eval4;\neval4 -> alert5;\nalert5 -> http_out6;\n}"
    )
    # Kapacitor prints IDs as they are; Graphviz needs quotes around "cpu-alert".
    assert pipeline_dot(pipeline, "cpu-alert").startswith("digraph cpu-alert {\n")
    assert pipeline_dot(pipeline, "cpu-alert", graphviz_safe=True).startswith(
        'digraph "cpu-alert" {\n'
    )
    assert pipeline_dot(pipeline, "cpu_alert", graphviz_safe=True).startswith(
        "digraph cpu_alert {\n"
    )


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
@pytest.mark.parametrize("name", ["cpu_alert.tick", "victorops-cpu-alert.tick", "windowed.tick"])
def test_graphviz_accepts_the_dot(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = SAMPLES / name
    if name == "windowed.tick":
        script = tmp_path / name
        script.write_text(WINDOWED)
    assert main(["explain", str(script), "--dot"]) == 0
    graph = capsys.readouterr().out
    result = subprocess.run(
        ["dot", "-Tsvg"], input=graph, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout
    assert "alert" in result.stdout


def test_explain_bad_script_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "bad.tick"
    script.write_text('stream\n    |from()\n    |alert()\n        .crit(lambda: "v" > )\n')
    assert main(["explain", str(script)]) == 3
    err = capsys.readouterr().err
    assert "bad.tick:4:" in err

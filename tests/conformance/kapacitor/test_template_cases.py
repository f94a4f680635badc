"""The template conformance cases (tests/conformance/templates/) end to end through the engine.

Every case's events are compared (id, message, details, time, duration, level); the templates
Kapacitor rejects (``ERRORS.jsonl``) are rejected at the same stage: ``parse`` when the script is
built (BuildError at the property), ``execute`` when the first alert renders (no event is sent,
the task stops with the error).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pipeline_cases import case_dirs, compare_events, run_case

from tickmini.errors import BuildError, TemplateError
from tickmini.io.lineprotocol import read_points
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine

TEMPLATES = Path(__file__).parent.parent / "templates"
CASES = case_dirs(TEMPLATES)
ERRORS = [
    json.loads(line)
    for line in (TEMPLATES / "ERRORS.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize("directory", CASES, ids=[d.name for d in CASES])
def test_template_case(directory: Path, tmp_path: Path) -> None:
    run = run_case(directory, tmp_path)
    assert not run.errors
    assert compare_events(run) == []


def _script(where: str, template: str) -> str:
    assert "'''" not in template
    return (
        "stream\n    |from()\n        .measurement('m')\n    |alert()\n"
        f"        .{where}('''{template}''')\n"
        "        .crit(lambda: TRUE)\n"
        "        .post('http://127.0.0.1:9/alert')\n"
    )


@pytest.mark.parametrize("error", ERRORS, ids=[f"{e['where']}:{e['template']}" for e in ERRORS])
def test_rejected_templates_fail_at_the_same_stage(error: dict) -> None:
    script = _script(error["where"], error["template"])
    if error["stage"] == "parse":
        with pytest.raises(BuildError) as info:
            compile_script(script, "t.tick")
        assert (info.value.line, info.value.column) == (5, 10)
        assert f".{error['where']}()" in info.value.message
        return
    events: list = []
    engine = Engine(make_handler=lambda spec: _Collect(events))
    engine.add_task(compile_script(script, "t.tick"), name=error.get("task_id", "task"))
    point = error.get("point", "m,host=serverA value=1.5 31536000000000000")
    engine.run(read_points(io.StringIO(point + "\n" + point.replace("1.5", "2.5") + "\n")))
    assert events == []
    (failure,) = engine.errors
    assert isinstance(failure, TemplateError)


class _Collect:
    def __init__(self, sink: list) -> None:
        self.sink = sink

    def handle(self, event: object) -> None:
        self.sink.append(event)

"""Properties of the trace on random alert rules and data: tracing changes nothing, and every
reason it gives agrees with what the engine did."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine
from tickmini.teach.trace import Tracer
from tickmini.values import Point

LEVEL_OF = {"crit": "CRITICAL", "warn": "WARNING", "info": "INFO"}


@st.composite
def rules(draw: st.DrawFn) -> str:
    lines = ["stream", "    |from()", "        .measurement('m')"]
    if draw(st.booleans()):
        lines.append("        .groupBy('host')")
    lines.append("    |alert()")
    thresholds = sorted(draw(st.lists(st.integers(10, 90), min_size=1, max_size=3, unique=True)))
    for key, value in zip(("info", "warn", "crit"), thresholds, strict=False):
        lines.append(f'        .{key}(lambda: "v" > {value})')
        if draw(st.booleans()):
            lines.append(f'        .{key}Reset(lambda: "v" < {max(value - 15, 0)})')
    options = draw(
        st.lists(
            st.sampled_from(
                [".stateChangesOnly()", ".stateChangesOnly(3s)", ".noRecoveries()",
                 ".flapping(0.25, 0.5)", ".history(4)"]
            ),
            unique=True,
            max_size=3,
        )
    )  # fmt: skip
    lines.extend("        " + option for option in options)
    return "\n".join(lines) + "\n"


@st.composite
def data(draw: st.DrawFn) -> list[Point]:
    values = draw(st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=1, max_size=25))
    hosts = draw(st.lists(st.sampled_from(["a", "b"]), min_size=len(values), max_size=len(values)))
    points = []
    for i, (value, host) in enumerate(zip(values, hosts, strict=True)):
        fields = {"v": float(value)} if value is not None else {"w": 1.0}
        points.append(Point(name="m", tags={"host": host}, fields=fields, time=i * 10**9))
    return points


@settings(max_examples=60, deadline=None)
@given(rules(), data())
def test_trace_agrees_with_the_engine(script: str, points: list[Point]) -> None:
    plain = Engine()
    plain.add_task(compile_script(script, "r.tick"), name="r")
    plain.run(points)

    engine = Engine()
    task = engine.add_task(compile_script(script, "r.tick"), name="r")
    lines: list[str] = []
    tracer = Tracer(task, None, lines.append).attach()
    engine.run(points)
    tracer.finish()

    key = [(e.id, e.level, e.time, e.duration, e.previous_level) for e in engine.events]
    assert key == [(e.id, e.level, e.time, e.duration, e.previous_level) for e in plain.events]
    rows = tracer.rows()
    assert len(rows) == len(points)
    sent = [r for r in rows if r.sent is not None and not r.reason.endswith("inhibited")]
    assert [(r.level, r.time, r.duration) for r in sent] == [
        (e.level, e.time, e.duration) for e in engine.events
    ]
    for row in rows:
        assert (row.sent is not None) == row.reason.startswith(("event", "not published"))
        assert row.emitted == (row.sent is not None)
    # The level reasons name the rule that gave the engine's level.
    transitions = [
        line for line in lines if line.lstrip().startswith("| level ") and line[0] == " "
    ]
    assert len(transitions) == len(rows)
    for line, row in zip(transitions, rows, strict=True):
        assert f"-> {row.level.name} (" in line
        found = re.search(r": (\w+) is true$", line)
        if found:
            assert LEVEL_OF[found.group(1)] == row.level.name
        elif line.endswith("no level lambda is true"):
            assert row.level.name == "OK"
        else:
            stays = re.search(r"is false: stays (\w+)$", line)
            assert stays is not None, line
            assert stays.group(1) == row.level.name

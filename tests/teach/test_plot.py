"""``tickmini plot``: panels per alert node and group, thresholds, level bands, event marks."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from tickmini.alerting.event import Level
from tickmini.cli.main import main
from tickmini.io.lineprotocol import read_inputs
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine
from tickmini.teach.plot import PlotUnavailable, build_figure, panels_of, render_plot
from tickmini.teach.trace import TraceOptions, Tracer

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

GROUPED = """var low = 40
stream
  |from()
    .measurement('cpu')
    .groupBy('host')
  |alert()
    .warn(lambda: "usage_idle" < low)
    .crit(lambda: "usage_idle" < 10)
    .critReset(lambda: "usage_idle" > 20)
"""


def tracer_for(script: str) -> Tracer:
    engine = Engine()
    task = engine.add_task(compile_script(script, "g.tick"), name="g")
    tracer = Tracer(task, TraceOptions(points=False, timeline=False)).attach()
    engine.run(read_inputs([str(SAMPLES / "cpu.lp")]))
    tracer.finish()
    return tracer


def test_panels_per_group_with_fields_and_thresholds() -> None:
    panels = panels_of(tracer_for(GROUPED))
    assert [(p.node, p.group) for p in panels] == [
        ("alert2", "host=serverA"),
        ("alert2", "host=serverB"),
    ]
    a = panels[0]
    assert a.fields == ["usage_idle"]
    # Script vars are substituted: warn's threshold is the value of `low`.
    assert sorted((label, value, level) for label, _, value, level, _ in a.lines) == [
        ('crit: "usage_idle" < 10', 10.0, Level.CRITICAL),
        ('critReset: "usage_idle" > 20', 20.0, Level.CRITICAL),
        ('warn: "usage_idle" < 40', 40.0, Level.WARNING),
    ]
    assert [r.level.name for r in a.rows] == [
        "OK", "OK", "CRITICAL", "CRITICAL", "CRITICAL", "WARNING", "OK", "OK",
    ]  # fmt: skip
    assert all(r.level == Level.OK for r in panels[1].rows)


@pytest.fixture
def matplotlib():
    module = pytest.importorskip("matplotlib", reason="the plot extra is not installed")
    importlib.import_module("matplotlib.colors")
    return module


def test_figure_has_threshold_lines_bands_and_event_marks(matplotlib) -> None:
    panels = panels_of(tracer_for(GROUPED))
    figure = build_figure(panels, title="g.tick")
    ax_a, ax_b = figure.axes
    labels = ax_a.get_legend().get_texts()
    texts = [t.get_text() for t in labels]
    assert '"usage_idle"' in texts
    assert 'crit: "usage_idle" < 10' in texts
    assert 'warn: "usage_idle" < 40' in texts
    assert "level CRITICAL" in texts
    events = sum(1 for r in panels[0].rows if r.sent is not None)
    assert f"event sent ({events})" in texts
    # Threshold lines at their values, in the level colours.
    horizontal = {
        tuple(line.get_ydata()): line.get_color()
        for line in ax_a.get_lines()
        if len(set(line.get_ydata())) == 1 and len(line.get_ydata()) == 2
    }
    assert horizontal[(10.0, 10.0)] == "#d62728"
    assert horizontal[(40.0, 40.0)] == "#ff7f0e"
    # One coloured band per run of levels: OK, CRITICAL, WARNING, OK for serverA.
    assert [p.get_facecolor()[:3] for p in ax_a.patches] == [
        matplotlib.colors.to_rgb(c) for c in ("#2ca02c", "#d62728", "#ff7f0e", "#2ca02c")
    ]
    assert len(ax_b.patches) == 1
    assert "group host=serverB" in ax_b.get_title(loc="left")


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot_command_writes_the_picture(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], matplotlib
) -> None:
    out = tmp_path / f"timeline.{suffix}"
    script = str(SAMPLES / "cpu_alert.tick")
    assert main(["plot", script, "--input", str(SAMPLES / "cpu.lp"), "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data[:1000]
    assert "1 panel(s) drawn" in capsys.readouterr().err


def test_plot_refuses_other_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "timeline.jpg"
    code = main(
        ["plot", str(SAMPLES / "cpu_alert.tick"), "-i", str(SAMPLES / "cpu.lp"), "-o", str(out)]
    )
    assert code == 2
    assert ".png or .svg" in capsys.readouterr().err
    assert not out.exists()


def test_missing_matplotlib_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    panels = panels_of(tracer_for(GROUPED))
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(PlotUnavailable) as info:
        render_plot(panels, str(tmp_path / "x.png"))
    assert "pip install 'tickmini[plot]'" in info.value.render()

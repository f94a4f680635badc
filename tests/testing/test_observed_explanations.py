"""Failure reports and ``--coverage`` come from what the alert nodes were observed doing:
lambdas as evaluated (stateful ones too), level transitions, why an event was not sent, every
alert node of the script."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tickmini.cli.main import main
from tickmini.testing.runner import RunOptions, run_file

Write = Callable[[str, str], Path]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["test", "--color", "never", *args])
    return code, capsys.readouterr().out


def _block(out: str, head: str) -> list[str]:
    """The lines of the explanation that starts with ``head`` (up to the next one)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if head in line)
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("        "):
            break
        block.append(line.strip())
    return block


def test_a_stateful_lambda_shows_the_value_it_gave_during_the_run(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    # count() == 3 is true on the third point only; evaluated again after the run it would be
    # false (count 4), which is what a re-evaluating report would have shown.
    text = """\
    tickscript: |
      stream|from().measurement('cpu')|alert().crit(lambda: count() == 3)
    interval: 10s
    tests:
      - name: third point
        input_series: [{series: 'cpu v', values: '1 1 1 1'}]
        expect:
          alerts: [{time: 20s, level: WARNING}, {time: 30s, level: INFO}]
    """
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 1
    block = _block(out, "caused by point at +20s")
    assert block[0].endswith("(alert2):")
    assert block[1:] == [
        "cpu v=1.0 20000000000",
        "crit: lambda: count() == 3  ->  true",
        "level OK -> CRITICAL, sent",
    ]
    # The next point: count 4 is false (first scan), no reset, count 5 in the scan down: false.
    block = _block(out, "caused by point at +30s")
    assert block[1:] == [
        "cpu v=1.0 30000000000",
        "crit: lambda: count() == 3  ->  false",
        "crit: lambda: count() == 3  ->  false",
        "level CRITICAL -> OK, sent",
    ]
    assert "re-evaluated" not in out


def test_an_expected_event_that_was_not_sent_says_why(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
    tickscript: |
      stream|from().measurement('cpu')
        |alert().crit(lambda: "v" > 10).stateChangesOnly()
    interval: 10s
    tests:
      - name: still critical
        input_series: [{series: 'cpu v', values: '50 60'}]
        expect:
          alerts: [{time: 0s, level: CRITICAL}, {time: 10s, level: CRITICAL}]
    """
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 1
    assert "MISSING expected event (line 9)" in out
    block = _block(out, "at the expected time: point at +10s")
    assert block[1:] == [
        "cpu v=60.0 10000000000",
        'crit: lambda: "v" > 10  ->  true',
        "level CRITICAL -> CRITICAL, not sent: stateChangesOnly and level unchanged",
    ]


def test_every_alert_node_is_explained_with_its_own_lambdas(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
    tickscript: |
      var data = stream|from().measurement('cpu')
      data|alert().warn(lambda: "v" > 10)
      data|alert().crit(lambda: "v" > 50).critReset(lambda: "v" < 20)
    interval: 10s
    tests:
      - name: two nodes
        input_series: [{series: 'cpu v', values: '60 30'}]
        expect:
          alerts:
            - {time: 0s, level: WARNING}
            - {time: 0s, level: CRITICAL}
            - {time: 10s, level: WARNING}
            - {time: 10s, level: OK}
    """
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 1
    # The second node's reset held CRITICAL at +10s (and the event was sent again).
    assert "DIFFERS event 4" in out
    block = _block(out, "(alert3):")
    assert block[0].startswith("      caused by point at +10s")
    assert block[1:] == [
        "cpu v=30.0 10000000000",
        'crit: lambda: "v" > 50  ->  false',
        'critReset: lambda: "v" < 20  ->  false',
        "level CRITICAL -> CRITICAL, sent",
    ]


def test_a_batch_explanation_names_the_point_each_lambda_read(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
    tickscript: |
      stream|from().measurement('cpu')
        |window().period(20s).every(20s)
        |alert().crit(lambda: "v" > 10)
    interval: 10s
    tests:
      - name: window
        input_series: [{series: 'cpu v', values: '5 50 5'}]
        expect:
          alerts: [{level: WARNING}]
    """
    code, out = _run(capsys, str(write("t.yaml", text)))
    assert code == 1
    block = _block(out, "caused by batch")
    assert block[1:3] == ["cpu v=5.0 0", "cpu v=50.0 10000000000"]
    assert 'crit: lambda: "v" > 10  ->  false  (on point 1)' in block
    assert 'crit: lambda: "v" > 10  ->  true  (on point 2)' in block
    assert block[-1] == "level OK -> CRITICAL, sent"


def test_coverage_counts_resets_exactly_with_stateful_functions(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    # warnReset is count() >= 2: false on its first evaluation (held), true on its second
    # (released). A count of events or a re-evaluation after the run cannot tell that.
    text = """\
    tickscript: |
      stream|from().measurement('cpu')
        |alert().warn(lambda: "v" > 10).warnReset(lambda: count() >= 2).stateChangesOnly()
    interval: 10s
    tests:
      - name: held once, then released
        input_series: [{series: 'cpu v', values: '20 5 5 5'}]
        expect:
          alerts: [{time: 0s, level: WARNING}, {time: 20s, level: OK}]
    """
    path = str(write("t.yaml", text))
    result, _ = run_file(path, RunOptions(coverage=True))
    assert result.coverage is not None
    # WARNING: at 0s, and held at 10s (no event: stateChangesOnly).
    assert result.coverage.levels == {"WARNING": 2, "OK": 1}
    assert result.coverage.holds == {"warnReset": 1}
    assert result.coverage.resets == {"warnReset": 1}
    code, out = _run(capsys, path, "--coverage")
    assert code == 0, out
    table = out[out.index("resets that held the level") :].splitlines()
    assert table[1].split() == ["warnReset", "1", "hold"]


def test_coverage_with_two_alert_nodes_names_each_node(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = """\
    tickscript: |
      var data = stream|from().measurement('cpu')
      data|alert().warn(lambda: "v" > 10)
      data|alert().crit(lambda: "v" > 50).critReset(lambda: "v" < 20)
    interval: 10s
    tests:
      - name: two nodes
        input_series: [{series: 'cpu v', values: '60 30 10'}]
        expect: {counts: {WARNING: 2, CRITICAL: 2}}
    """
    path = str(write("t.yaml", text))
    result, _ = run_file(path, RunOptions(coverage=True))
    assert result.coverage is not None
    assert result.coverage.levels == {
        "alert2 WARNING": 2,
        "alert2 OK": 1,
        "alert3 CRITICAL": 2,
        "alert3 OK": 1,
    }
    assert result.coverage.holds == {"alert3 critReset": 1}
    assert result.coverage.resets == {"alert3 critReset": 1}
    code, out = _run(capsys, path, "--coverage")
    assert code == 0, out
    assert "alert3 critReset" in out and "alert2 OK (recoveries)" in out

"""Properties of the whole loop: whatever a rule does, --update records it and it then passes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.testing.results import PASS
from tickmini.testing.runner import run_file
from tickmini.testing.update import apply_update

TOKENS = st.one_of(
    st.integers(min_value=0, max_value=100).map(str),
    st.just("_"),
    st.tuples(st.integers(0, 100), st.integers(0, 9), st.integers(0, 5)).map(
        lambda t: f"{t[0]}-{t[1]}x{t[2]}"
    ),
    st.tuples(st.integers(0, 100), st.integers(0, 9), st.integers(0, 5)).map(
        lambda t: f"{t[0]}+{t[1]}x{t[2]}"
    ),
)


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(TOKENS, min_size=1, max_size=8).map(" ".join),
    other=st.lists(TOKENS, min_size=1, max_size=4).map(" ".join),
    crit=st.integers(0, 100),
    warn=st.integers(0, 100),
    reset=st.integers(0, 100),
    changes_only=st.booleans(),
)
def test_update_then_pass(
    values: str, other: str, crit: int, warn: int, reset: int, changes_only: bool
) -> None:
    script = (
        "stream\n  |from().measurement('cpu').groupBy('host')\n  |alert()\n"
        f'    .crit(lambda: "v" < {crit})\n    .warn(lambda: "v" < {warn})\n'
        f'    .warnReset(lambda: "v" > {reset})\n'
        + ("    .stateChangesOnly()\n" if changes_only else "")
    )
    text = (
        "script: rule.tick\ninterval: 10s\ntests:\n  - name: random\n    input_series:\n"
        f"      - {{series: 'cpu,host=a v', values: '{values}'}}\n"
        f"      - {{series: 'cpu,host=b v', values: '{other}'}}\n"
        "    expect:\n      alerts: []\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "rule.tick").write_text(script)
        path = str(Path(folder, "t.yaml"))
        Path(path).write_text(text)
        result, test_file = run_file(path)
        assert test_file is not None and result.error is None
        (case,) = result.cases
        if case.status != PASS:
            apply_update(test_file, result)
        again, _ = run_file(path)
        assert [c.status for c in again.cases] == [PASS]
        expected = again.cases[0].case.expect.alerts
        assert expected is not None and len(expected) == len(case.events)

"""Random scripts over random points: the engine only ever raises TickminiErrors."""

from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.errors import TickminiError
from tickmini.io.lineprotocol import read_points
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine

T0 = 31536000_000_000_000

NODES = st.sampled_from(
    [
        '|where(lambda: "v" > 10)',
        "|eval(lambda: \"v\" * 2).as('v2').keep()",
        "|eval(lambda: string(\"v\")).as('s').tags('s')",
        "|groupBy('host')",
        "|groupBy(*)",
        "|window().period(3s).every(2s)",
        "|window().periodCount(3).everyCount(1)",
        "|mean('v')",
        "|max('v')",
        "|log()",
        "|httpOut('out')",
    ]
)
ALERT_OPTIONS = st.lists(
    st.sampled_from(
        [
            '.warn(lambda: "v" > 50)',
            '.crit(lambda: "v" > 80)',
            '.critReset(lambda: "v" < 20)',
            ".stateChangesOnly()",
            ".stateChangesOnly(2s)",
            ".noRecoveries()",
            ".flapping(0.2, 0.6)",
            ".history(3)",
            ".all()",
            ".id('{{ index .Tags \"host\" }}')",
            ".message('{{ .ID }} {{ .Level }} {{ index .Fields \"v\" }} {{ .Duration }}')",
            ".details('{{ json .Fields }}<b>{{ .Message }}</b>')",
            ".levelTag('lvl').idField('id').durationField('d')",
            ".topic('t')",
            ".inhibit('c', 'host').category('c')",
        ]
    ),
    max_size=6,
)
VALUES = st.one_of(
    st.integers(-5, 120).map(str),
    st.floats(-5, 120, allow_nan=False).map(repr),
    st.just("1i"),
    st.just('"text"'),
    st.just("true"),
)
LINES = st.lists(
    st.tuples(
        st.sampled_from(["m", "n"]), st.sampled_from(["a", "b", "c"]), VALUES, st.integers(0, 20)
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(NODES, max_size=3), ALERT_OPTIONS, LINES)
def test_engine_raises_only_tickmini_errors(nodes, options, lines) -> None:
    script = (
        "stream |from().measurement('m') "
        + " ".join(nodes)
        + " |alert()"
        + "".join(options)
        + " |httpOut('after')"
    )
    text = "".join(f"{m},host={h} v={v} {T0 + s * 1_000_000_000}\n" for m, h, v, s in lines)
    with contextlib.suppress(TickminiError):
        engine = Engine(log_sink=lambda line: None)
        task = engine.add_task(compile_script(script, "fuzz.tick"), name="fuzz")
        engine.run(read_points(io.StringIO(text)))
        for node in task.http_outs().values():
            node.result_json()  # type: ignore[attr-defined]

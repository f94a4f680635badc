"""Random chains of real and misspelt methods with random arguments: only TickminiErrors escape."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.errors import TickminiError
from tickmini.pipeline import catalog
from tickmini.pipeline.builder import compile_script

NAMES = sorted(
    {*catalog.CHAIN_METHODS, *(p for k in catalog.NODE_KINDS for p in catalog.properties_of(k))}
)
ARGS = st.sampled_from(
    ["1", "2.5", "'x'", "10s", 'lambda: "v" > 1', "*", "TRUE", "0644", "-3", "'{{ .Name'", "[1]"]
)
name = st.one_of(st.sampled_from(NAMES), st.sampled_from(["victorops", "routingkey", "nope"]))
call = st.tuples(st.sampled_from([".", "|"]), name, st.lists(ARGS, max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.lists(call, max_size=8))
def test_builder_raises_only_tickmini_errors(calls) -> None:
    text = "stream\n    |from()\n" + "".join(
        f"    {op}{n}({', '.join(args)})\n" for op, n, args in calls
    )
    with contextlib.suppress(TickminiError):
        compile_script(text, "fuzz.tick")

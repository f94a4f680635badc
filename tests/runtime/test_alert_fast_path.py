"""The inlined per-point path equals Kapacitor's step-by-step algorithm with a full history."""

from __future__ import annotations

from alert_fakes import FieldPredicate, alert_node, point
from hypothesis import given, settings
from hypothesis import strategies as st

SECOND = 1_000_000_000

values = st.lists(st.one_of(st.none(), st.integers(0, 100)), min_size=1, max_size=60)
options = st.fixed_dictionaries(
    {
        "resets": st.booleans(),
        "levels": st.sampled_from(["crit", "warn+crit", "all"]),
        "scd": st.sampled_from([None, 0, 2 * SECOND, 5 * SECOND]),
        "no_recoveries": st.booleans(),
        "history": st.integers(2, 25),
    }
)


def make(opts: dict, generic: bool):
    props: dict[str, object] = {"crit": FieldPredicate(lambda v: v > 80)}
    if opts["levels"] != "crit":
        props["warn"] = FieldPredicate(lambda v: v > 60)
    if opts["levels"] == "all":
        props["info"] = FieldPredicate(lambda v: v > 40)
    if opts["resets"]:
        props["critReset"] = FieldPredicate(lambda v: v < 70)
        props["warnReset"] = FieldPredicate(lambda v: v < 50)
    props["stateChangesOnly"] = opts["scd"]
    props["noRecoveries"] = opts["no_recoveries"]
    props["history"] = opts["history"]
    node, events = alert_node(**props)
    if generic:
        node.history_length = opts["history"]  # Kapacitor's full ring
        node.point = node.point_generic
    return node, events


@settings(max_examples=200, deadline=None)
@given(
    values, options, st.lists(st.sampled_from(["", "host=a", "host=b"]), min_size=60, max_size=60)
)
def test_fast_path_matches_generic(vals, opts, groups) -> None:
    runs = []
    for generic in (False, True):
        node, events = make(opts, generic)
        for t, v in enumerate(vals):
            node.point(point(v, t, group=groups[t]))
        runs.append(
            [(e.id, e.time, e.duration, e.level, e.previous_level, e.recoverable) for e in events]
        )
    assert runs[0] == runs[1]

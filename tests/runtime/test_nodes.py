"""from/where/eval/groupBy/httpOut through the engine, observed at httpOut."""

from __future__ import annotations

import io
import json

import pytest

from tickmini.errors import BuildError
from tickmini.io.lineprotocol import read_points
from tickmini.pipeline.builder import compile_script
from tickmini.runtime.engine import Engine
from tickmini.runtime.stream import go_round, go_truncate

SECOND = 1_000_000_000
T0 = 31536000 * SECOND  # 1971-01-01T00:00:00Z


def run(script: str, lines: str, dbrp: tuple[str, str] = ("db", "rp"), **task) -> dict:
    engine = Engine()
    t = engine.add_task(compile_script(script, "t.tick"), name="t", **task)
    engine.run(read_points(io.StringIO(lines), dbrp=dbrp))
    return {name: json.loads(node.result_json()) for name, node in t.http_outs().items()}


def series(result: dict, name: str = "out") -> list[dict]:
    return result[name]["series"] or []


def test_from_filters_database_rp_measurement_and_anded_where() -> None:
    script = """stream |from().database('db').retentionPolicy('rp').measurement('m')
        .where(lambda: "v" > 1).where(lambda: "host" == 'a') |httpOut('out')"""
    lines = (
        f"m,host=a v=2 {T0}\nm,host=b v=3 {T0 + 1}\nm,host=a v=0 {T0 + 2}\nn,host=a v=9 {T0 + 3}\n"
    )
    rows = series(run(script, lines))
    assert len(rows) == 1 and rows[0]["values"] == [["1971-01-01T00:00:00Z", 2]]
    assert series(run(script, lines, dbrp=("other", "rp"))) == []


def test_go_truncate_and_round_count_from_year_one() -> None:
    # 1971-01-01T00:00:00Z is 3 s past a multiple of 7 s counted from 0001-01-01.
    assert go_truncate(T0, 7 * SECOND) == T0 - 3 * SECOND
    assert go_round(T0, 7 * SECOND) == T0 - 3 * SECOND
    assert go_round(T0 + SECOND // 2, SECOND) == T0 + SECOND  # halves round up
    assert go_truncate(T0 + 1234, SECOND) == T0


def test_group_by_sorts_dimensions_and_keeps_other_tags() -> None:
    script = "stream |from().measurement('m').groupBy('host', 'dc') |httpOut('out')"
    lines = f"m,host=a,dc=x,rack=1 v=1 {T0}\nm,host=b,dc=x v=2 {T0}\nm,host=a,dc=x,rack=2 v=3 {T0 + SECOND}\n"
    rows = series(run(script, lines))
    assert [r["tags"] for r in rows] == [
        {"dc": "x", "host": "a", "rack": "2"},
        {"dc": "x", "host": "b"},
    ]
    assert rows[0]["values"][0][1] == 3


def test_where_node_stateful_function_counts_per_group() -> None:
    script = """stream |from().measurement('m').groupBy('host')
        |where(lambda: count() > 1) |httpOut('out')"""
    lines = "".join(f"m,host={h} v={i} {T0 + i * SECOND}\n" for i, h in enumerate("aabab"))
    rows = series(run(script, lines))
    assert [(r["tags"]["host"], r["values"][0][1]) for r in rows] == [("a", 3), ("b", 4)]


def test_eval_keep_tags_and_missing_field_drop() -> None:
    script = """stream |from().measurement('m')
        |eval(lambda: "v" * 2.0, lambda: 'x' + "s", lambda: "d" + 1.0)
            .as('double', 'label', 'dd').tags('label').keep('v', 'double', 'dd') |httpOut('out')"""
    lines = f'm v=1.5,s="y",d=1.0 {T0}\nm v=2.5,s="z" {T0 + SECOND}\n'
    rows = series(run(script, lines))
    assert rows == [
        {
            "name": "m",
            "tags": {"label": "xy"},
            "columns": ["time", "dd", "double", "v"],
            "values": [["1971-01-01T00:00:00Z", 2, 3, 1.5]],
        }
    ]


def test_group_by_node_star_and_measurement() -> None:
    script = "stream |from() |groupBy(*).byMeasurement() |httpOut('out')"
    lines = f"m,host=a v=1 {T0}\nn,host=a v=2 {T0}\nm,host=a v=3 {T0 + 1}\n"
    rows = series(run(script, lines))
    assert [(r["name"], r["values"][0][1]) for r in rows] == [("m", 3), ("n", 2)]


def test_dbrp_in_script_and_command_line_conflict() -> None:
    pipeline = compile_script('dbrp "db"."rp"\nstream |from() |httpOut(\'out\')')
    with pytest.raises(BuildError, match="both implicitly and explicitly"):
        Engine().add_task(pipeline, name="t", dbrps=[("db", "rp")])


def test_task_id_is_checked() -> None:
    pipeline = compile_script("stream |from() |httpOut('out')")
    with pytest.raises(BuildError, match="invalid task ID"):
        Engine().add_task(pipeline, name="bad name!")


def test_group_by_after_a_window_holds_groups_until_the_next_window_time() -> None:
    script = """stream |from().measurement('m') |window().period(2s).every(2s)
        |groupBy('host') |httpOut('out')"""
    lines = "".join(
        f"m,host={h} v={i} {T0 + i * SECOND}\n"
        for i, h in enumerate(["a", "b", "a", "b", "a", "b", "a"])
    )
    rows = series(run(script, lines))
    # Windows end at 2 s, 4 s and 6 s; the 6 s groups wait for a later window that never comes.
    assert [(r["tags"], len(r["values"])) for r in rows] == [({"host": "a"}, 1), ({"host": "b"}, 1)]
    assert [r["values"][0][0] for r in rows] == ["1971-01-01T00:00:02Z", "1971-01-01T00:00:03Z"]


def test_eval_keep_all_keeps_tag_results_as_fields_too() -> None:
    script = """stream |from().measurement('m')
        |eval(lambda: "host" + '!', lambda: "v" + 1).as('h', 'w').tags('h').keep() |httpOut('out')"""
    rows = series(run(script, f"m,host=a v=1i {T0}\n"))
    assert rows[0]["tags"] == {"h": "a!", "host": "a"}
    assert rows[0]["columns"] == ["time", "h", "v", "w"]
    script = script.replace(".keep()", ".keep('host', 'w')")
    rows = series(run(script, f"m,host=a v=1i {T0}\n"))
    assert rows[0]["columns"] == ["time", "host", "w"] and rows[0]["values"][0][1:] == ["a", 2]


def test_from_chained_after_from_filters_its_own_measurement() -> None:
    script = "stream |from().database('db') |from().measurement('m') |httpOut('out')"
    rows = series(run(script, f"m v=1 {T0}\nn v=2 {T0 + 1}\n"))
    assert [r["name"] for r in rows] == ["m"]


def test_from_truncate_and_round_rewrite_the_time() -> None:
    lines = f"m v=1 {T0 + 1_600_000_000}\n"
    truncated = series(run("stream |from().truncate(1s) |httpOut('out')", lines))
    rounded = series(run("stream |from().round(1s) |httpOut('out')", lines))
    both = series(run("stream |from().truncate(1s).round(2s) |httpOut('out')", lines))
    assert truncated[0]["values"][0][0] == "1971-01-01T00:00:01Z"
    assert rounded[0]["values"][0][0] == "1971-01-01T00:00:02Z"
    assert both[0]["values"][0][0] == "1971-01-01T00:00:02Z"

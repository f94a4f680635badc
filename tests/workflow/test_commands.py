"""The store commands one by one: checks at define time, DBRP rules, globs, output, replay routing."""

from __future__ import annotations

import json
from pathlib import Path

import workflow_helpers as helpers

seed_dir = helpers.seed_dir
tickmini = helpers.tickmini

T0 = 31_536_000_000_000_000
HOT = "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .crit(lambda: \"v\" > 90)\n"


def _script(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_define_shows_build_errors_like_check_and_stores_nothing(seed_dir: Path, tickmini) -> None:
    bad = _script(seed_dir, "bad.tick", HOT.replace(".crit(", ".crt("))
    result = tickmini(f"tickmini define t -tick {bad}")
    assert result.code == 3
    assert f"{bad}:5:10: error" in result.err and "did you mean .crit?" in result.err
    syntax = _script(seed_dir, "syntax.tick", "stream\n    |from(\n")
    result = tickmini(f"tickmini define t -tick {syntax}")
    assert result.code == 3 and f"{syntax}:" in result.err
    assert tickmini("tickmini list tasks").out.splitlines()[1:] == []


def test_dbrp_rules(seed_dir: Path, tickmini) -> None:
    with_dbrp = _script(seed_dir, "d.tick", 'dbrp "telegraf"."autogen"\n\n' + HOT)
    both = tickmini(f"tickmini define t -tick {with_dbrp} -dbrp telegraf.autogen")
    assert both.code == 3 and "cannot specify dbrp in both implicitly and explicitly" in both.err
    plain = _script(seed_dir, "p.tick", HOT)
    strict = tickmini(f"tickmini define t -tick {plain} --strict")
    assert strict.code == 3 and "must specify dbrp" in strict.err
    assert tickmini(f"tickmini define t1 -tick {with_dbrp}").code == 0
    assert tickmini(f"tickmini define t2 -tick {plain} -dbrp db.rp -dbrp other.rp").code == 0
    assert tickmini(f"tickmini define t3 -tick {plain} -type stream").code == 0
    assert tickmini("tickmini list tasks").out == (
        "ID Type      Status    Executing Databases and Retention Policies\n"
        't1 stream    disabled  false     ["telegraf"."autogen"]\n'
        't2 stream    disabled  false     ["db"."rp" "other"."rp"]\n'
        "t3 stream    disabled  false     []\n"
    )
    bad = tickmini(f"tickmini define t4 -tick {plain} -dbrp nodot")
    assert bad.code == 2 and "does not contain a '.'" in bad.err


def test_invalid_task_id(seed_dir: Path, tickmini) -> None:
    plain = _script(seed_dir, "p.tick", HOT)
    result = tickmini(f"tickmini define bad/id -tick {plain}")
    assert result.code == 3 and "invalid task ID" in result.err


def test_enable_disable_globs_and_missing_names(seed_dir: Path, tickmini) -> None:
    plain = _script(seed_dir, "p.tick", HOT)
    for name in ("cpu_a", "cpu_b", "mem"):
        assert tickmini(f"tickmini define {name} -tick {plain}").code == 0
    assert tickmini("tickmini enable cpu_*").code == 0
    statuses = [line.split()[2] for line in tickmini("tickmini list tasks").out.splitlines()[1:]]
    assert statuses == ["enabled", "enabled", "disabled"]
    assert tickmini("tickmini enable nothing*").code == 0  # a glob may match nothing
    missing = tickmini("tickmini enable cpu_c")
    assert missing.code == 3 and "no task 'cpu_c' exists" in missing.err
    assert tickmini("tickmini list tasks mem").out.splitlines()[1].startswith("mem ")
    assert tickmini("tickmini delete tasks cpu_?").code == 0
    assert [line.split()[0] for line in tickmini("tickmini list tasks").out.splitlines()] == [
        "ID",
        "mem",
    ]


def test_show_formats_the_script_and_draws_the_pipeline(seed_dir: Path, tickmini) -> None:
    ugly = _script(
        seed_dir, "u.tick", "stream|from().measurement('cpu')|alert().crit(lambda:\"v\">90)"
    )
    assert tickmini(f"tickmini define t -tick {ugly}").code == 0
    text = tickmini("tickmini show t").out
    assert (
        "TICKscript:\n" + HOT + "\nDOT:\ndigraph t {\nstream0 -> from1;\nfrom1 -> alert2;\n}\n"
        in text
    )
    assert text.startswith("ID: t\nError: \nTemplate: \nType: stream\nStatus: disabled\n")
    missing = tickmini("tickmini show nope")
    assert missing.code == 3 and "no task 'nope' exists" in missing.err


def test_replay_routes_points_by_dbrp(seed_dir: Path, tickmini) -> None:
    plain = _script(
        seed_dir, "p.tick", HOT.replace("|alert()", "|alert()\n        .id('{{ .TaskName }}')")
    )
    for name, dbrp in (("a", "db.rp"), ("b", "other.rp")):
        assert tickmini(f"tickmini define {name} -tick {plain} -dbrp {dbrp}").code == 0
    assert tickmini(f"tickmini define c -tick {plain}").code == 0
    assert tickmini("tickmini enable *").code == 0
    data = seed_dir / "d.lp"
    data.write_text(f"cpu v=95 {T0}\n")
    ids = lambda result: sorted(line.split()[2] for line in result.out.splitlines())  # noqa: E731
    assert ids(tickmini(f"tickmini replay --input {data} --dbrp db.rp")) == ["a", "c"]
    no_dbrp = tickmini(f"tickmini replay --input {data}")
    assert (
        ids(no_dbrp) == ["c"] and "without --dbrp reaches only tasks without a DBRP" in no_dbrp.err
    )
    srpl = seed_dir / "d.srpl"
    srpl.write_text(f"other\nrp\ncpu v=95 {T0}\n")
    assert ids(tickmini(f"tickmini replay --input {srpl}")) == ["b", "c"]


def test_replay_exit_code_and_summary_follow_run(seed_dir: Path, tickmini) -> None:
    plain = _script(seed_dir, "p.tick", HOT)
    tickmini(f"tickmini define t -tick {plain}")
    tickmini("tickmini enable t")
    data = seed_dir / "d.lp"
    data.write_text(f"cpu v=95 {T0}\ncpu v=\n")
    result = tickmini(f"tickmini replay --input {data}")
    assert result.code == 1
    assert (
        "d.lp:2:" in result.err and "1 points read, 1 rejected; 1 events (1 CRITICAL" in result.err
    )


def test_topic_handlers_define_list_show_delete(seed_dir: Path, tickmini) -> None:
    assert tickmini("tickmini define-topic-handler samples/victorops_cpu_handler.yaml").code == 0
    log_file = seed_dir / "alerts.log"
    handler = seed_dir / "log.json"
    handler.write_text(
        json.dumps(
            {
                "topic": "cpu",
                "id": "log-crit",
                "kind": "log",
                "match": "level() == CRITICAL",
                "options": {"path": str(log_file)},
            }
        )
    )
    assert tickmini(f"tickmini define-topic-handler {handler}").code == 0
    assert tickmini("tickmini list topic-handlers").out == (
        "Topic      ID                  Kind       \n"
        "cpu        log-crit            log        \n"
        "cpu        victorops-cpu-alert victorops  \n"
    )
    assert tickmini("tickmini show-topic-handler cpu log-crit").out == (
        "ID: log-crit\nTopic: cpu\nKind: log\nMatch: level() == CRITICAL\n"
        f'Options: {{"path":"{log_file}"}}\n'
    )
    # The stored handler runs in a replay, with its match expression.
    assert tickmini("tickmini define cpu_alert -tick samples/cpu_alert.tick").code == 0
    assert tickmini("tickmini enable cpu_alert").code == 0
    assert tickmini("tickmini replay --input samples/cpu.lp").code == 0
    levels = [json.loads(line)["level"] for line in log_file.read_text().splitlines()]
    assert levels == ["CRITICAL"] * 3
    assert "Handlers: [log-crit, victorops-cpu-alert]" in tickmini("tickmini show-topic cpu").out
    assert tickmini("tickmini delete topic-handlers cpu log-*").code == 0
    assert [
        h.split()[1] for h in tickmini("tickmini list topic-handlers").out.splitlines()[1:]
    ] == ["victorops-cpu-alert"]
    assert tickmini("tickmini delete topics cpu").code == 0
    assert "Collected: 0" in tickmini("tickmini show-topic cpu").out


def test_bad_handler_file_is_refused_with_position(seed_dir: Path, tickmini) -> None:
    handler = seed_dir / "bad.yaml"
    handler.write_text("topic: cpu\nid: x\nkind: victorops\noptions:\n  routing_key: a\n")
    result = tickmini(f"tickmini define-topic-handler {handler}")
    assert result.code == 3 and f"{handler}:5:" in result.err
    assert tickmini("tickmini list topic-handlers").out.count("\n") == 1


def test_a_task_stopped_by_a_template_error_shows_why(seed_dir: Path, tickmini) -> None:
    broken = _script(
        seed_dir, "b.tick", HOT.replace("|alert()", "|alert()\n        .id('{{ .Level }}')")
    )
    assert tickmini(f"tickmini define t -tick {broken}").code == 0
    assert tickmini("tickmini enable t").code == 0
    data = seed_dir / "d.lp"
    data.write_text(f"cpu v=95 {T0}\n")
    result = tickmini(f"tickmini replay --input {data}")
    assert result.code == 1 and "task t stopped" in result.err
    shown = tickmini("tickmini show t").out
    assert "Error: " in shown and "can't evaluate field Level" in shown.splitlines()[1]
    assert tickmini("tickmini enable t").code == 0  # enabling again clears the error
    assert tickmini("tickmini show t").out.splitlines()[1] == "Error: "


def test_redefining_an_enabled_task_keeps_it_enabled(seed_dir: Path, tickmini) -> None:
    plain = _script(seed_dir, "p.tick", HOT)
    assert tickmini(f"tickmini define t -tick {plain}").code == 0
    assert tickmini("tickmini enable t").code == 0
    changed = _script(seed_dir, "q.tick", HOT.replace("> 90", "> 95"))
    assert tickmini(f"tickmini define t -tick {changed}").code == 0
    shown = tickmini("tickmini show t").out
    assert "Status: enabled\n" in shown and '.crit(lambda: "v" > 95)' in shown


def test_topics_with_only_handlers_are_listed(seed_dir: Path, tickmini) -> None:
    assert tickmini("tickmini define-topic-handler samples/victorops_cpu_handler.yaml").code == 0
    assert tickmini("tickmini list topics").out == (
        "ID  Level     Collected\ncpu OK                0\n"
    )
    missing = tickmini("tickmini show-topic nope")
    assert missing.code == 3 and "no topic 'nope' exists" in missing.err


def test_node_errors_are_reported_as_run_reports_them(seed_dir: Path, tickmini) -> None:
    script = _script(seed_dir, "e.tick", HOT.replace('"v" > 90', '"missing" > 90'))
    tickmini(f"tickmini define t -tick {script}")
    tickmini("tickmini enable t")
    data = seed_dir / "d.lp"
    data.write_text(f"cpu v=95 {T0}\ncpu v=96 {T0 + 1}\n")
    result = tickmini(f"tickmini replay --input {data}")
    assert result.code == 0
    assert "tickmini: alert2: error evaluating expression for level" in result.err
    assert "tickmini: node errors: 2× error evaluating expression for level" in result.err


def test_a_stored_task_that_no_longer_builds_is_not_started(seed_dir: Path, tickmini) -> None:
    from tickmini.store import Store, TaskRecord, resolve_home

    with Store.open(resolve_home(None)) as store:  # e.g. written by another tickmini version
        store.put_task(TaskRecord("old", "stream", [], "stream|from().crt(1)\n", "enabled"))
    good = _script(seed_dir, "p.tick", HOT)
    tickmini(f"tickmini define t -tick {good}")
    tickmini("tickmini enable t")
    data = seed_dir / "d.lp"
    data.write_text(f"cpu v=95 {T0}\n")
    result = tickmini(f"tickmini replay --input {data}")
    assert result.code == 1 and "task old not started" in result.err
    assert "1 events (1 CRITICAL" in result.err  # the other task ran
    assert 'no method or property "crt"' in tickmini("tickmini show old").out.splitlines()[1]


def test_in_script_handlers_keep_state_in_the_anonymous_topic(seed_dir: Path, tickmini) -> None:
    log_file = seed_dir / "alerts.log"
    script = _script(seed_dir, "h.tick", HOT + f"        .log('{log_file}')\n")
    tickmini(f"tickmini define t -tick {script}")
    tickmini("tickmini enable t")
    for i in range(2):
        data = seed_dir / f"d{i}.lp"
        data.write_text(f"cpu v=95 {T0 + i * 10**9}\n")
        assert tickmini(f"tickmini replay --input {data}").code == 0
    logged = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [(e["previousLevel"], e["duration"]) for e in logged] == [
        ("OK", 0),
        ("CRITICAL", 10**9),
    ]
    assert tickmini("tickmini list topics").out.splitlines()[1].split() == [
        "main:t:alert2",
        "CRITICAL",
        "2",
    ]
    tickmini("tickmini delete tasks t")
    assert tickmini("tickmini list topics").out.splitlines()[1:] == []

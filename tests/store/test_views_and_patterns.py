"""Kapacitor's output formats (reference §7), Go globs, and the -dbrp spelling; fuzzed parsers."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tickmini.alerting.event import Level
from tickmini.alerting.topics import EventState
from tickmini.cli.common import parse_kapacitor_dbrp
from tickmini.errors import UsageError
from tickmini.pipeline.builder import compile_script
from tickmini.store import HandlerRecord, TaskRecord, TopicRecord
from tickmini.store.glob import compile_glob, matching
from tickmini.store.views import (
    dbrps_text,
    dot,
    handler_list,
    handler_show,
    task_list,
    task_show,
    topic_list,
    topic_show,
)

MINUTE = 60 * 1_000_000_000
T_2023 = 1_700_000_000_000_000_000  # 14 Nov 23 22:13 UTC


def test_task_list_columns() -> None:
    tasks = [
        TaskRecord("cpu_alert", "stream", [("telegraf", "autogen")], "", status="enabled"),
        TaskRecord("x", "stream", [("a", "b"), ("c", "d")], ""),
    ]
    assert task_list(tasks) == (
        "ID        Type      Status    Executing Databases and Retention Policies\n"
        'cpu_alert stream    enabled   false     ["telegraf"."autogen"]\n'
        'x         stream    disabled  false     ["a"."b" "c"."d"]\n'
    )
    assert task_list([]) == "ID Type      Status    Executing Databases and Retention Policies\n"


def test_dbrps_are_go_quoted() -> None:
    assert dbrps_text([('te"st', "auto\\gen")]) == '["te\\"st"."auto\\\\gen"]'
    assert dbrps_text([]) == "[]"


def test_topic_and_handler_lists() -> None:
    state = EventState("e", "m", "", 0, 0, Level.WARNING)
    topics = [TopicRecord("cpu", 12, {"e": state}), TopicRecord("main:t:alert2", 0)]
    assert topic_list(topics) == (
        "ID            Level     Collected\n"
        "cpu           WARNING          12\n"
        "main:t:alert2 OK                0\n"
    )
    handlers = [HandlerRecord("cpu", "victorops-cpu-alert", "victorops")]
    assert handler_list(handlers) == (
        "Topic      ID                  Kind       \ncpu        victorops-cpu-alert victorops  \n"
    )


def test_show_topic_sorts_events_by_time() -> None:
    late = EventState("cpu:host=b", "b is hot", "", T_2023 + MINUTE, 0, Level.CRITICAL)
    early = EventState("cpu:host=a", "ok", "", T_2023, 0, Level.OK)
    text = topic_show(TopicRecord("cpu", 3, {late.id: late, early.id: early}), ["h1", "h2"])
    assert text == (
        "ID: cpu\n"
        "Level: CRITICAL\n"
        "Collected: 3\n"
        "Handlers: [h1, h2]\n"
        "Events:\n"
        "Event      Level    Message  Date                   \n"
        "cpu:host=a OK       ok       14 Nov 23 22:13 UTC    \n"
        "cpu:host=b CRITICAL b is hot 14 Nov 23 22:14 UTC    \n"
    )


def test_show_topic_handler() -> None:
    record = HandlerRecord("cpu", "vo", "victorops", "level() > 1", {"routing-key": "a<b"})
    assert handler_show(record) == (
        "ID: vo\nTopic: cpu\nKind: victorops\nMatch: level() > 1\n"
        'Options: {"routing-key":"a\\u003cb"}\n'
    )


SCRIPT = "stream|from().measurement('cpu')|alert().crit(lambda: \"v\" > 1)\n"


def test_show_task_layout() -> None:
    task = TaskRecord(
        "cpu_alert", "stream", [], SCRIPT, status="disabled", created=T_2023, modified=T_2023
    )
    text = task_show(task, "stream\n", "digraph cpu_alert {\n}")
    assert text == (
        "ID: cpu_alert\nError: \nTemplate: \nType: stream\nStatus: disabled\n"
        "Executing: false\nCreated: 14 Nov 23 22:13 UTC\nModified: 14 Nov 23 22:13 UTC\n"
        "LastEnabled: 01 Jan 01 00:00 UTC\nDatabases Retention Policies: []\n"
        "TICKscript:\nstream\n\nDOT:\ndigraph cpu_alert {\n}\n"
    )


def test_dot_follows_kapacitor_topological_order() -> None:
    pipeline = compile_script(
        "var s = stream|from().measurement('cpu')\n"
        's|alert().crit(lambda: "v" > 1)|log()\n'
        "s|window().period(1m).every(1m)|count('v')\n"
    )
    # Kapacitor's sort is the reverse post-order of a depth-first walk over the children.
    assert dot("t", pipeline) == (
        "digraph t {\n"
        "stream0 -> from1;\n"
        "from1 -> alert2;\n"
        "from1 -> window4;\n"
        "window4 -> count5;\n"
        "alert2 -> log3;\n"
        "}"
    )


@pytest.mark.parametrize(
    ("pattern", "names", "expected"),
    [
        ("cpu*", ["cpu_alert", "mem", "cpu"], ["cpu_alert", "cpu"]),
        ("*", ["a/b", "ab"], ["ab"]),
        ("?pu", ["cpu", "gpu", "cpus"], ["cpu", "gpu"]),
        ("[a-c]x", ["ax", "cx", "dx"], ["ax", "cx"]),
        ("[^a-c]x", ["ax", "dx", "/x"], ["dx"]),
        ("\\*", ["*", "a"], ["*"]),
        ("main:t:*", ["main:t:alert2", "main:tt:alert2"], ["main:t:alert2"]),
        ("[!a]", ["!", "a", "b"], ["!", "a"]),  # '!' is not negation in Go
    ],
)
def test_go_globs(pattern: str, names: list[str], expected: list[str]) -> None:
    assert matching([pattern], names) == expected


@pytest.mark.parametrize("pattern", ["[", "[]a]", "[a-", "x\\", "[z-a]", "[^]"])
def test_bad_globs_are_usage_errors(pattern: str) -> None:
    with pytest.raises(UsageError, match="syntax error in pattern"):
        compile_glob(pattern)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("telegraf.autogen", ("telegraf", "autogen")),
        ("db.rp.with.dots", ("db", "rp.with.dots")),
        ('"my.db"."rp"', ("my.db", "rp")),
        ('"a\\"b".rp', ('a"b', "rp")),
        ('db."r p"', ("db", "r p")),
    ],
)
def test_dbrp_spellings(text: str, expected: tuple[str, str]) -> None:
    assert parse_kapacitor_dbrp(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nodot", "does not contain a '.'"),
        ('"db"rp', "must specify retention policy"),
        ("", "cannot be empty"),
        ('"db', "unterminated quote"),
        ("db.", "must be named"),
    ],
)
def test_bad_dbrps(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_kapacitor_dbrp(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab*?[]^-\\/!.", max_size=12), st.text(alphabet="ab/!.-", max_size=6))
def test_glob_fuzz_only_usage_errors(pattern: str, name: str) -> None:
    with contextlib.suppress(UsageError):
        matching([pattern], [name])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab."\\ ', max_size=12))
def test_dbrp_fuzz_only_usage_errors(text: str) -> None:
    try:
        database, policy = parse_kapacitor_dbrp(text)
    except UsageError:
        return
    assert database and policy

"""Untrusted template text: compiling and rendering may only ever raise TemplateError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tickmini.errors import TemplateError
from tickmini.gocompat.template.kapacitor import (
    compile_details,
    compile_id,
    compile_message,
    details_data,
    id_data,
    message_data,
    server_info,
)

SERVER = server_info("localhost", "c", "s")
IDS = id_data("cpu", "task", "host=a", {"host": "a", "region": "<eu>"}, SERVER)
MSG = message_data(
    IDS,
    "cpu:host=a",
    {"v": 1.5, "n": 3, "s": "x&y", "b": True, "nan": float("nan")},
    "CRITICAL",
    10**18,
    5,
)
DETAILS = details_data(MSG, "cpu is CRITICAL")

PIECES = [
    "{{",
    "}}",
    "{{-",
    "-}}",
    " ",
    ".",
    ".Name",
    ".Tags",
    ".Fields",
    ".Level",
    ".Time",
    ".Duration",
    ".Tags.host",
    ".Fields.v",
    ".Fields.nope",
    ".ServerInfo",
    ".Duration.Seconds",
    ".Time.Format",
    "$",
    "$x",
    ":=",
    "=",
    "|",
    "(",
    ")",
    ",",
    '"',
    "'",
    "`",
    "index",
    "printf",
    "len",
    "slice",
    "eq",
    "ne",
    "lt",
    "gt",
    "and",
    "or",
    "not",
    "html",
    "js",
    "urlquery",
    "print",
    "println",
    "call",
    "json",
    "jsonCompact",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "nil",
    "true",
    "false",
    "1",
    "-2",
    "1.5",
    "1e6",
    "0x1F",
    "'a'",
    '"%v"',
    '"%d %s"',
    '"x"',
    "/*",
    "*/",
    "<a href=",
    "<script>",
    "</script>",
    "<style>",
    "title='",
    "onclick=",
    "<!--",
    "-->",
    "\n",
    "<",
    ">",
    "&",
    "{{.}}",
    "{{ end }}",
    "{{ else }}",
]
template_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=25).map("".join)


def _exercise(source: str) -> None:
    for compile_fn, data in ((compile_id, IDS), (compile_message, MSG), (compile_details, DETAILS)):
        try:
            template = compile_fn(source)
        except TemplateError:
            continue
        try:
            result = template.render(data)
        except TemplateError:
            continue
        assert isinstance(result, str)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_text)
def test_only_template_errors_escape(source: str) -> None:
    _exercise(source)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_text(source: str) -> None:
    _exercise(source)

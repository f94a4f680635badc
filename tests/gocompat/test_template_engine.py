"""The Go template engine on its own: language features, printing, errors, HTML contexts.

Expected strings are Go's output (text/template and html/template semantics, reference §4.7).
"""

from __future__ import annotations

import pytest

from tickmini.errors import TemplateError
from tickmini.gocompat.template import compile_html, compile_text
from tickmini.gocompat.template.kapacitor import (
    DETAILS_FUNCS,
    compile_details,
    compile_id,
    details_data,
    id_data,
    message_data,
    server_info,
)
from tickmini.values import Point

SERVER = server_info("localhost", "cluster", "server")
TAGS = {"host": "serverA", "region": "us-west"}
FIELDS = {"value": 97.5, "count": 3, "state": "ok", "up": True, "big": 1e6, "tiny": 1e-5}
IDS = id_data("cpu", "task", "host=serverA", TAGS, SERVER)
MSG = message_data(
    IDS, "cpu:host=serverA", FIELDS, "CRITICAL", 31_536_010_500_000_000, 90_000_000_000
)
DETAILS = details_data(MSG, "cpu is CRITICAL")


def text(source: str, data: object = MSG) -> str:
    return compile_text(source, "message").render(data)


def html(source: str, data: object = DETAILS) -> str:
    return compile_html(source, "details", DETAILS_FUNCS).render(data)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{{ .Name }}/{{ .TaskName }}/{{ .Group }}/{{ .ID }}",
            "cpu/task/host=serverA/cpu:host=serverA",
        ),
        ("{{ .Tags }}", "map[host:serverA region:us-west]"),
        ("{{ .Fields }}", "map[big:1e+06 count:3 state:ok tiny:1e-05 up:true value:97.5]"),
        ("{{ .Time }}|{{ .Duration }}", "1971-01-01 00:00:10.5 +0000 UTC|1m30s"),
        ("{{ .ServerInfo.Hostname }} {{ .ServerInfo }}", "localhost {localhost cluster server}"),
        (
            '{{ .Tags.nope }}|{{ index .Tags "nope" }}|{{ index .Fields "nope" }}',
            "<no value>||<no value>",
        ),
        ("{{ .Duration.Seconds }} {{ .Duration.Minutes }} {{ .Duration.String }}", "90 1.5 1m30s"),
        (
            '{{ .Time.Unix }} {{ .Time.Format "2006-01-02T15:04:05.000Z07:00" }}',
            "31536010 1971-01-01T00:00:10.500Z",
        ),
    ],
)
def test_printing(source: str, expected: str) -> None:
    assert text(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            '{{ printf "%.2f|%v|%d|%s" .Fields.value .Fields.big .Fields.count .Level }}',
            "97.50|1e+06|3|CRITICAL",
        ),
        (
            '{{ printf "%5s|%-5s|%05d|%x|%X|%o|%b" "ab" "ab" 42 255 "hi" 8 5 }}',
            "   ab|ab   |00042|ff|6869|10|101",
        ),
        (
            '{{ printf "%q|%T|%T|%T" "a\\"b" 1 .Fields.count .Tags }}',
            '"a\\"b"|int|int64|map[string]string',
        ),
        ('{{ printf "%d" .Fields.value }}', "%!d(float64=97.5)"),
        ('{{ printf "%s %s" .Level }}', "CRITICAL %!s(MISSING)"),
        ('{{ printf "%s" .Level .Name }}', "CRITICAL%!(EXTRA string=cpu)"),
        ('{{ printf "%v|%s" (index .Fields "nope") (index .Fields "nope") }}', "<nil>|%!s(<nil>)"),
        (
            '{{ printf "%+v" .ServerInfo }}',
            "{Hostname:localhost ClusterID:cluster ServerID:server}",
        ),
        ('{{ print "a" 1 2 "b" }}|{{ println 1 "x" }}', "a1 2b|1 x\n"),
        (
            '{{ html "<a&b>" }}|{{ js "it\'s <x>" }}|{{ urlquery "a b&c" }}',
            "&lt;a&amp;b&gt;|it\\'s \\u003Cx\\u003E|a+b%26c",
        ),
    ],
)
def test_functions(source: str, expected: str) -> None:
    assert text(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            '{{ if eq .Level "OK" }}ok{{ else if eq .Level "CRITICAL" }}crit{{ else }}?{{ end }}',
            "crit",
        ),
        ("{{ range $k, $v := .Tags }}{{ $k }}={{ $v }};{{ end }}", "host=serverA;region=us-west;"),
        ("{{ range .Tags }}[{{ . }}]{{ else }}none{{ end }}", "[serverA][us-west]"),
        ("{{ range .Fields.nope }}x{{ else }}none{{ end }}", "none"),
        (
            '{{ range $k, $v := .Tags }}{{ if eq $k "region" }}{{ break }}{{ end }}{{ $k }}{{ end }}',
            "host",
        ),
        (
            '{{ range $k, $v := .Tags }}{{ if eq $k "host" }}{{ continue }}{{ end }}{{ $k }}{{ end }}',
            "region",
        ),
        (
            '{{ $x := "outer" }}{{ with .Name }}{{ $x := "inner" }}{{ $x }} {{ end }}{{ $x }}',
            "inner outer",
        ),
        ("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"),
        (
            "{{ with .Tags.host }}host={{ . }}{{ end }}{{ with .Tags.nope }}x{{ else }}no{{ end }}",
            "host=serverAno",
        ),
        ("{{ range $k, $v := .Tags }}{{ $.Name }}.{{ $k }} {{ end }}", "cpu.host cpu.region "),
        ('{{ define "t" }}<{{ . }}>{{ end }}{{ template "t" .Level }}', "<CRITICAL>"),
        ('{{ block "b" .Name }}[{{ . }}]{{ end }}', "[cpu]"),
        ("a  {{- /* trimmed */ -}}  b\n{{- .Level }}", "abCRITICAL"),
        (
            '{{ and .Name .Level }}|{{ or (index .Tags "nope") "fallback" }}|{{ not .Fields.up }}',
            "CRITICAL|fallback|false",
        ),
        ("{{ len .Tags }} {{ len .Name }} {{ slice .Name 1 }} {{ index .Name 0 }}", "2 3 pu 99"),
        ('{{ .Name | printf "%s!" | printf "[%s]" }}', "[cpu!]"),
        (
            "{{ 'a' }} {{ 0x1F }} {{ 1e6 }} {{ 1.5 }} {{ `raw\\n` }} {{ \"esc\\t\\u00e9\" }}",
            "97 31 1e+06 1.5 raw\\n esc\té",
        ),
    ],
)
def test_control_flow_and_literals(source: str, expected: str) -> None:
    assert text(source) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ .Name", "template: message:1: unclosed action"),
        ("{{ foo }}", 'template: message:1: function "foo" not defined'),
        ("{{ json . }}", 'template: message:1: function "json" not defined'),
        ("{{ end }}", "template: message:1: unexpected {{end}}"),
        ("{{ $x }}", 'template: message:1: undefined variable "$x"'),
        ("{{ break }}", "template: message:1: {{break}} outside {{range}}"),
        ("a\n{{ 1a }}", 'template: message:2: bad number syntax: "1a"'),
        ("{{ (1 }}", "template: message:1: unclosed left paren"),
        (
            "{{ 99999999999999999999 }}",
            'template: message:1: integer overflow: "99999999999999999999"',
        ),
    ],
)
def test_parse_errors(source: str, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        compile_text(source, "message")
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("source", "data", "message"),
    [
        (
            "{{ .Level }}",
            IDS,
            'template: id:1:3: executing "id" at <.Level>: can\'t evaluate field Level in type kapacitor.idInfo',
        ),
        (
            "x\n {{ .Name.Foo }}",
            MSG,
            'template: id:2:9: executing "id" at <.Name.Foo>: can\'t evaluate field Foo in type string',
        ),
        (
            "{{ lt .Name 5 }}",
            MSG,
            'template: id:1:3: executing "id" at <lt .Name 5>: error calling lt: incompatible types for comparison',
        ),
        (
            '{{ template "nope" }}',
            MSG,
            'template: id:1:3: executing "id" at <{{template "nope"}}>: no such template "nope"',
        ),
        (
            "{{ len 3 }}",
            MSG,
            'template: id:1:3: executing "id" at <len 3>: error calling len: len of type int',
        ),
        (
            '{{ index .Tags "a" "b" }}',
            MSG,
            'template: id:1:3: executing "id" at <index .Tags "a" "b">: error calling index: cannot index slice/array with type string',
        ),
    ],
)
def test_execute_errors(source: str, data: object, message: str) -> None:
    template = compile_id(source)
    with pytest.raises(TemplateError) as caught:
        template.render(data)
    assert caught.value.message == message


def test_templates_never_reach_python_attributes() -> None:
    point = Point("cpu", {}, {}, 0)
    for source in (
        "{{ .__class__ }}",
        "{{ .name }}",
        "{{ .Name.__len__ }}",
        "{{ .Tags.__dict__.x }}",
    ):
        template = compile_text(source, "message")
        for data in (MSG, point):
            try:
                out = template.render(data)
            except TemplateError:
                continue
            assert out == "<no value>"  # a missing map key, never a Python attribute


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('{{ .Message }}<b>{{ index .Fields "state" }}</b>', "cpu is CRITICAL<b>ok</b>"),
        ('<a title="{{ .Tags }}">', '<a title="map[host:serverA region:us-west]">'),
        ("{{ .Time }}", "1971-01-01 00:00:10.5 &#43;0000 UTC"),
        ("<p title={{ .Message }}>", "<p title=cpu&#32;is&#32;CRITICAL>"),
        ('<a href="{{ .Name }}?q={{ .Message }}">', '<a href="cpu?q=cpu%20is%20CRITICAL">'),
        ("a < b<!-- gone -->{{ .Level }}", "a &lt; bCRITICAL"),
        ('{{ .Fields.nope }}|{{ index .Fields "nope" }}', "|"),
        ('{{ .Level | html }}|{{ html .Level "<" }}', "CRITICAL|CRITICAL&lt;"),
        (
            "<script>var d = {{ .Tags }}; var s = '{{ .Message }}';</script>",
            '<script>var d = {"host":"serverA","region":"us-west"}; var s = \'cpu is CRITICAL\';</script>',
        ),
        (
            "<script>var t = {{ .Time }}, d = {{ .Duration }};</script>",
            '<script>var t = "1971-01-01T00:00:10.5Z", d = "1m30s";</script>',
        ),
        ("<p {{ .Name }}>", "<p cpu>"),
    ],
)
def test_html_contexts(source: str, expected: str) -> None:
    assert html(source) == expected


def test_html_escapes_values_by_context() -> None:
    data = details_data(MSG, "<b>\"Tom\" & 'Jerry'+</b>")
    assert (
        html("{{ .Message }}", data)
        == "&lt;b&gt;&#34;Tom&#34; &amp; &#39;Jerry&#39;&#43;&lt;/b&gt;"
    )
    assert (
        html("<a href='{{ .Message }}'>", details_data(MSG, "javascript:alert(1)"))
        == "<a href='#ZgotmplZ'>"
    )
    assert html('<script>var s = "{{ .Message }}";</script>', data) == (
        '<script>var s = "\\u003cb\\u003e\\u0022Tom\\u0022 \\u0026 \\u0027Jerry\\u0027\\u002b\\u003c\\/b\\u003e";</script>'
    )
    assert html("{{ json .Message }}", data) == (
        "&#34;\\u003cb\\u003e\\&#34;Tom\\&#34; \\u0026 &#39;Jerry&#39;&#43;\\u003c/b\\u003e&#34;\n"
    )


@pytest.mark.parametrize(
    ("source", "prefix"),
    [
        (
            "<a href='{{ .Name }}",
            "html/template:details: ends in a non-text context: {stateURL delimSingleQuote",
        ),
        (
            '{{ if .Name }}<a href="{{ end }}',
            "html/template:details:1:6: {{if}} branches end in different contexts",
        ),
        (
            '{{ .Name | html | printf "%s" }}',
            'html/template:details:1:3: predefined escaper "html" disallowed',
        ),
        (
            "<p title={{ .Name | html }}>",
            'html/template:details:1:12: predefined escaper "html" disallowed',
        ),
        (
            "<script>var s = `{{ .Name }}`;</script>",
            "html/template:details:1:20: {{.Name}} appears in a JS template literal",
        ),
    ],
)
def test_html_escape_errors_surface_at_render(source: str, prefix: str) -> None:
    template = compile_details(source)  # Go reports these when the template first executes
    for _ in range(2):
        with pytest.raises(TemplateError) as caught:
            template.render(DETAILS)
        assert caught.value.message.startswith(prefix)


def test_default_details_is_html_escaped_json() -> None:
    out = compile_details("{{ json . }}").render(DETAILS)
    assert out == (
        "{&#34;Name&#34;:&#34;cpu&#34;,&#34;TaskName&#34;:&#34;task&#34;,&#34;Group&#34;:&#34;host=serverA&#34;,"
        "&#34;Tags&#34;:{&#34;host&#34;:&#34;serverA&#34;,&#34;region&#34;:&#34;us-west&#34;},"
        "&#34;ServerInfo&#34;:{&#34;Hostname&#34;:&#34;localhost&#34;,&#34;ClusterID&#34;:&#34;cluster&#34;,"
        "&#34;ServerID&#34;:&#34;server&#34;},&#34;ID&#34;:&#34;cpu:host=serverA&#34;,"
        "&#34;Fields&#34;:{&#34;big&#34;:1000000,&#34;count&#34;:3,&#34;state&#34;:&#34;ok&#34;,"
        "&#34;tiny&#34;:0.00001,&#34;up&#34;:true,&#34;value&#34;:97.5},&#34;Level&#34;:&#34;CRITICAL&#34;,"
        "&#34;Time&#34;:&#34;1971-01-01T00:00:10.5Z&#34;,&#34;Duration&#34;:90000000000,"
        "&#34;Message&#34;:&#34;cpu is CRITICAL&#34;}\n"
    )


def test_json_of_nan_is_empty_like_kapacitor() -> None:
    data = details_data(message_data(IDS, "x", {"v": float("nan")}, "OK", 0, 0), "m")
    assert compile_details("[{{ json .Fields }}]").render(data) == "[]"


def test_nil_group_prints_nil_and_server_ids_are_random() -> None:
    assert compile_id("{{ .Group }}").render(id_data("m", "t", "", {}, SERVER)) == "nil"
    first, second = server_info(), server_info()
    assert first.values[1] != second.values[1]
    assert len(first.values[1]) == 36

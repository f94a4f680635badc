"""Reads a ``tickmini test`` YAML file into a :class:`RuleTestFile`, checking every key.

Every mistake (unknown key, wrong type, bad time, bad series notation, missing file) is a
``RuleTestError`` with the file, line and column of the key or value at fault, and a
did-you-mean for misspelt keys.
"""

from __future__ import annotations

import difflib
import os

from tickmini.testing.errors import RuleTestError
from tickmini.testing.model import (
    LEVELS,
    Expectations,
    Expected,
    InlineData,
    InputSeries,
    RuleCase,
    RuleTestFile,
)
from tickmini.testing.series import NotationError, expand_values, parse_series_key
from tickmini.testing.timefmt import parse_duration, parse_rfc3339
from tickmini.testing.views import normalise_body, normalise_result
from tickmini.testing.yamldoc import Path, YamlDoc, load_yaml

FILE_KEYS = (
    "script",
    "tickscript",
    "task",
    "dbrp",
    "config",
    "handlers",
    "interval",
    "start",
    "tests",
)
CASE_KEYS = (
    "name",
    "interval",
    "start",
    "dbrp",
    "input_series",
    "input",
    "input_file",
    "precision",
    "expect",
)
SERIES_KEYS = ("series", "values")
EXPECT_KEYS = ("alerts", "requests", "http_out", "counts")
ALERT_KEYS = (
    "level",
    "id",
    "message",
    "details",
    "time",
    "duration",
    "previousLevel",
    "recoverable",
    "name",
    "tags",
    "fields",
    "data",
)
REQUEST_KEYS = ("kind", "handler", "url", "routing_key", "body")
PRECISIONS = ("n", "ns", "u", "us", "ms", "s", "m", "h")
DEFAULT_INTERVAL = 60_000_000_000  # 1m, as promtool
_LEVEL_HINTS = {"CRIT": "CRITICAL", "WARN": "WARNING", "ERROR": "CRITICAL", "RECOVERY": "OK"}


def load_test_file(path: str) -> RuleTestFile:
    """Read and check one test file."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as err:
        raise RuleTestError(f"cannot read the test file: {err}", file=path) from None
    return parse_test_file(text, path)


def parse_test_file(text: str, path: str) -> RuleTestFile:
    """Check the YAML ``text`` of a test file named ``path`` (relative paths start there)."""
    doc = load_yaml(text, path)
    top = _mapping(doc, (), doc.data, "the test file")
    _check_keys(doc, (), top, FILE_KEYS)
    base = os.path.dirname(os.path.abspath(path))
    script_path, script_text, (script_line, script_indent) = _script(doc, top, base)
    interval = _duration(doc, ("interval",), top.get("interval"), DEFAULT_INTERVAL, positive=True)
    start = _time_value(doc, ("start",), top.get("start"), 0)
    database, rp = _dbrp(doc, ("dbrp",), top.get("dbrp"))
    task_name = _string(doc, ("task",), top.get("task")) if "task" in top else None
    if task_name is None:
        task_name = os.path.splitext(os.path.basename(script_path))[0] if script_path else "test"
    config_path = None
    if "config" in top:
        config_path = _existing(doc, ("config",), _string(doc, ("config",), top["config"]), base)
    handler_paths = [
        _existing(doc, ("handlers", i), _string(doc, ("handlers", i), item), base)
        for i, item in enumerate(_list(doc, ("handlers",), top.get("handlers", [])))
    ]
    if "tests" not in top:
        raise doc.error((), "the test file has no 'tests' list", expected="a 'tests:' key")
    raw_cases = _list(doc, ("tests",), top["tests"])
    cases = []
    names: dict[str, int] = {}
    for index, raw in enumerate(raw_cases):
        case = _case(doc, ("tests", index), raw, index, base, start, interval, (database, rp))
        if case.name in names:
            raise doc.error(
                (*case.path, "name"),
                f"two cases are named {case.name!r}",
                hint=f"the other one is case {names[case.name] + 1}; names must be unique",
            )
        names[case.name] = index
        cases.append(case)
    return RuleTestFile(
        path=path,
        script_path=script_path,
        script_text=script_text,
        script_line=script_line,
        script_indent=script_indent,
        task_name=task_name,
        database=database,
        retention_policy=rp,
        config_path=config_path,
        handler_paths=handler_paths,
        cases=cases,
        doc=doc,
    )


def _script(
    doc: YamlDoc, top: dict[str, object], base: str
) -> tuple[str | None, str, tuple[int, int]]:
    if ("script" in top) == ("tickscript" in top):
        raise doc.error(
            (),
            "say which script to test",
            expected="exactly one of 'script: FILE.tick' or 'tickscript: |' (inline text)",
        )
    if "script" in top:
        script_path = _existing(doc, ("script",), _string(doc, ("script",), top["script"]), base)
        try:
            with open(script_path, encoding="utf-8") as handle:
                return script_path, handle.read(), (1, 0)
        except (OSError, UnicodeDecodeError) as err:
            raise doc.error(("script",), f"cannot read the script: {err}") from None
    text = _string(doc, ("tickscript",), top["tickscript"])
    return None, text, _text_position(doc, ("tickscript",))


def _case(
    doc: YamlDoc,
    where: Path,
    raw: object,
    index: int,
    base: str,
    start: int,
    interval: int,
    dbrp: tuple[str | None, str | None],
) -> RuleCase:
    mapping = _mapping(doc, where, raw, "a test case")
    _check_keys(doc, where, mapping, CASE_KEYS)
    if "name" not in mapping:
        raise doc.error(where, "a test case needs a name", expected="'name: ...'")
    name = _string(doc, (*where, "name"), mapping["name"])
    database, rp = dbrp
    if "dbrp" in mapping:
        database, rp = _dbrp(doc, (*where, "dbrp"), mapping["dbrp"])
    case = RuleCase(
        name=name,
        index=index,
        line=doc.values[where].line,
        start=_time_value(doc, (*where, "start"), mapping.get("start"), start),
        interval=_duration(
            doc, (*where, "interval"), mapping.get("interval"), interval, positive=True
        ),
        database=database,
        retention_policy=rp,
        path=where,
    )
    for i, item in enumerate(_list(doc, (*where, "input_series"), mapping.get("input_series", []))):
        case.series.append(_series(doc, (*where, "input_series", i), item))
    precision = "n"
    if "precision" in mapping:
        precision = _string(doc, (*where, "precision"), mapping["precision"])
        if precision not in PRECISIONS:
            raise doc.error(
                (*where, "precision"),
                f"unknown precision {precision!r}",
                expected="one of " + ", ".join(PRECISIONS),
            )
    if "input" in mapping:
        text = _string(doc, (*where, "input"), mapping["input"])
        first_line, indent = _text_position(doc, (*where, "input"))
        lines = doc.text.splitlines()
        case.data.append(InlineData(text, doc.path, first_line, precision, indent, lines))
    if "input_file" in mapping:
        data_path = _existing(
            doc,
            (*where, "input_file"),
            _string(doc, (*where, "input_file"), mapping["input_file"]),
            base,
        )
        try:
            with open(data_path, encoding="utf-8") as handle:
                case.data.append(InlineData(handle.read(), data_path, 1, precision))
        except (OSError, UnicodeDecodeError) as err:
            raise doc.error((*where, "input_file"), f"cannot read the data file: {err}") from None
    if not case.series and not case.data:
        raise doc.error(
            where, f"case {name!r} has no input", expected="'input_series', 'input' or 'input_file'"
        )
    if "expect" not in mapping:
        raise doc.error(
            where,
            f"case {name!r} expects nothing",
            expected="an 'expect:' mapping",
            hint="write 'expect: {alerts: []}' to assert that no alert fires",
        )
    case.expect = _expectations(doc, (*where, "expect"), mapping["expect"], case.start)
    return case


def _series(doc: YamlDoc, where: Path, raw: object) -> InputSeries:
    mapping = _mapping(doc, where, raw, "an input series")
    _check_keys(doc, where, mapping, SERIES_KEYS)
    for key in SERIES_KEYS:
        if key not in mapping:
            raise doc.error(
                where,
                f"an input series needs '{key}'",
                expected="'series: cpu,host=a usage_idle' and 'values: ...'",
            )
    try:
        key = parse_series_key(_string(doc, (*where, "series"), mapping["series"]))
    except NotationError as err:
        raise doc.error((*where, "series"), str(err), hint=err.hint) from None
    values = mapping["values"]
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        values = str(values)
    try:
        samples = expand_values(_string(doc, (*where, "values"), values))
    except NotationError as err:
        raise doc.error((*where, "values"), f"{err} (in {err.token!r})", hint=err.hint) from None
    return InputSeries(key, samples, doc.values[where].line)


def _expectations(doc: YamlDoc, where: Path, raw: object, start: int) -> Expectations:
    mapping = _mapping(doc, where, raw, "the expectations")
    _check_keys(doc, where, mapping, EXPECT_KEYS)
    expect = Expectations(path=where)
    if "alerts" in mapping:
        items = _list(
            doc, (*where, "alerts"), mapping["alerts"] if mapping["alerts"] is not None else []
        )
        expect.alerts = [
            _alert(doc, (*where, "alerts", i), item, start) for i, item in enumerate(items)
        ]
    if "requests" in mapping:
        items = _list(
            doc,
            (*where, "requests"),
            mapping["requests"] if mapping["requests"] is not None else [],
        )
        expect.requests = [
            _request(doc, (*where, "requests", i), item) for i, item in enumerate(items)
        ]
    if "http_out" in mapping:
        outs = _mapping(doc, (*where, "http_out"), mapping["http_out"], "httpOut contents by name")
        for name, content in outs.items():
            _mapping(
                doc, (*where, "http_out", name), content, "an httpOut result ({series: [...]})"
            )
        expect.http_out = outs
    if "counts" in mapping:
        counts = _mapping(doc, (*where, "counts"), mapping["counts"], "event counts by level")
        expect.counts = {}
        for level, count in counts.items():
            name = _level_name(doc, (*where, "counts", level), level, at_key=True)
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                raise doc.error(
                    (*where, "counts", level), "a count is a whole number", expected="0, 1, 2 ..."
                )
            expect.counts[name] = count
    return expect


def _alert(doc: YamlDoc, where: Path, raw: object, start: int) -> Expected:
    mapping = _mapping(doc, where, raw, "an expected alert event")
    _check_keys(doc, where, mapping, ALERT_KEYS)
    values: dict[str, object] = {}
    for key, value in mapping.items():
        at = (*where, key)
        if key in ("level", "previousLevel"):
            values[key] = _level_name(doc, at, value)
        elif key in ("id", "message", "details", "name"):
            values[key] = _string(doc, at, value)
        elif key == "time":
            values[key] = _time_value(doc, at, value, start, offset_from=start)
        elif key == "duration":
            values[key] = _duration(doc, at, value, 0)
        elif key == "recoverable":
            if not isinstance(value, bool):
                raise doc.error(at, "recoverable is true or false")
            values[key] = value
        elif key == "tags":
            tags = _mapping(doc, at, value, "tags (name: value)")
            values[key] = {k: _string(doc, (*at, k), v) for k, v in tags.items()}
        elif key == "fields":
            fields = _mapping(doc, at, value, "field values (name: value)")
            for k, v in fields.items():
                if not isinstance(v, (int, float, str, bool)):
                    raise doc.error((*at, k), "a field value is a number, a string or a boolean")
            values[key] = fields
        else:  # data
            values[key] = normalise_result(_mapping(doc, at, value, "alert data ({series: [...]})"))
    return Expected(values, where, doc.values[where].line)


def _request(doc: YamlDoc, where: Path, raw: object) -> Expected:
    mapping = _mapping(doc, where, raw, "an expected handler request")
    _check_keys(doc, where, mapping, REQUEST_KEYS)
    values: dict[str, object] = {}
    for key, value in mapping.items():
        at = (*where, key)
        if key == "body":
            if not isinstance(value, (dict, str)):
                raise doc.error(at, "a request body is a mapping (its JSON keys) or the exact text")
            values[key] = normalise_body(value)
        else:
            values[key] = _string(doc, at, value)
    return Expected(values, where, doc.values[where].line)


# --- small checkers -------------------------------------------------------------------------


def _check_keys(
    doc: YamlDoc, where: Path, mapping: dict[str, object], allowed: tuple[str, ...]
) -> None:
    for key in mapping:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            raise doc.error(
                (*where, key),
                f"unknown key {key!r}",
                at_key=True,
                expected="one of " + ", ".join(allowed),
                hint=f"did you mean {close[0]!r}?" if close else None,
            )


def _mapping(doc: YamlDoc, where: Path, value: object, what: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise doc.error(
            where, f"expected {what} as a mapping (key: value lines), found {_kind(value)}"
        )
    return value


def _list(doc: YamlDoc, where: Path, value: object) -> list[object]:
    if not isinstance(value, list):
        raise doc.error(where, f"expected a list ('- ' items), found {_kind(value)}")
    return value


def _string(doc: YamlDoc, where: Path, value: object) -> str:
    if not isinstance(value, str):
        raise doc.error(
            where, f"expected text, found {_kind(value)}", hint="quote the value to make it text"
        )
    return value


def _kind(value: object) -> str:
    names: dict[type, str] = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


def _level_name(doc: YamlDoc, where: Path, value: object, *, at_key: bool = False) -> str:
    text = value.upper() if isinstance(value, str) else None
    if text in LEVELS:
        return text
    hint = f"did you mean {_LEVEL_HINTS[text]}?" if text in _LEVEL_HINTS else None
    raise doc.error(
        where,
        f"unknown alert level {value!r}",
        at_key=at_key,
        expected="OK, INFO, WARNING or CRITICAL",
        hint=hint,
    )


def _duration(
    doc: YamlDoc, where: Path, value: object, default: int, *, positive: bool = False
) -> int:
    if value is None:
        return default
    ns = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str):
        ns = parse_duration(value)
    if ns is None or (positive and ns <= 0):
        raise doc.error(
            where,
            f"{value!r} is not a{' positive' if positive else ''} duration",
            expected="a duration such as 10s, 1m30s, 250ms (or integer nanoseconds)",
        )
    return ns


def _time_value(
    doc: YamlDoc, where: Path, value: object, default: int, *, offset_from: int | None = None
) -> int:
    """Absolute nanoseconds: RFC 3339 text or integer ns; with ``offset_from``, a duration is an offset."""
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        absolute = parse_rfc3339(value)
        if absolute is not None:
            return absolute
        if offset_from is not None:
            offset = parse_duration(value)
            if offset is not None:
                return offset_from + offset
    expected = "an RFC 3339 time (2023-11-14T22:13:20Z) or integer nanoseconds since the epoch"
    if offset_from is not None:
        expected += ", or an offset from the case start (30s, 1m30s)"
    raise doc.error(where, f"{value!r} is not a time", expected=expected)


def _dbrp(doc: YamlDoc, where: Path, value: object) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    text = _string(doc, where, value)
    database, dot, rp = text.partition(".")
    if not dot or not database or not rp:
        raise doc.error(
            where,
            f"{text!r} is not a database.retention_policy pair",
            expected="for example telegraf.autogen",
        )
    return database, rp


def _existing(doc: YamlDoc, where: Path, name: str, base: str) -> str:
    path = name if os.path.isabs(name) else os.path.join(base, name)
    if not os.path.isfile(path):
        raise doc.error(where, f"file not found: {name}", hint=f"paths are relative to {base}")
    return os.path.normpath(path)


def _text_position(doc: YamlDoc, where: Path) -> tuple[int, int]:
    """Where a text value's first line is in the YAML file, and the indentation YAML removed.

    Block scalars (``|``) start on the line below their key; plain and quoted ones start at
    the value, one character later for the opening quote.
    """
    node = doc.nodes[where]
    style = getattr(node, "style", None)
    if style in ("|", ">"):
        line = node.start_mark.line + 2
        text = doc.source_line(line) or ""
        return line, len(text) - len(text.lstrip(" "))
    return node.start_mark.line + 1, node.start_mark.column + (1 if style in ("'", '"') else 0)

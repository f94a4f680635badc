"""Handler specs: what a handler is (kind + options), whoever declared it.

A ``HandlerSpec`` is plain data. The pipeline builder makes one for each in-script handler and
topic handler files (``kapacitor define-topic-handler`` YAML/JSON) are loaded into the same shape
by :func:`load_handler_file`. Options use Kapacitor's handler-file names and Go types:

- ``victorops``: ``routing-key`` (str)
- ``post``: ``url`` (str), ``endpoint`` (str, a ``[[httppost]]`` name), ``headers`` (str → str),
  ``timeout`` (int nanoseconds), ``capture-response`` (bool), ``skip-ssl-verification`` (bool)
- ``log``: ``path`` (absolute path), ``mode`` (int file mode, default 0o600)
- ``tcp``: ``address`` (``host:port``)

Options are decoded as Kapacitor decodes them (mapstructure with ``ErrorUnused``): unknown keys
and values of the wrong type are errors; keys match case-insensitively.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tickmini.config import read_text_file
from tickmini.errors import HandlerSpecError
from tickmini.values import Duration

if TYPE_CHECKING:  # PyYAML is imported when a handler file is read: a run without one
    import yaml  # starts ~20 ms sooner

SUPPORTED_KINDS = ("victorops", "post", "log", "tcp")
# Kinds Kapacitor knows that tickmini does not implement (services/alert/service.go).
KAPACITOR_ONLY_KINDS = frozenset(
    {
        "aggregate", "alerta", "bigpanda", "discord", "exec", "hipchat", "kafka", "mqtt",
        "opsgenie", "opsgenie2", "pagerduty", "pagerduty2", "publish", "pushover", "sensu",
        "servicenow", "slack", "smtp", "snmptrap", "talk", "teams", "telegram", "zenoss",
    }
)  # fmt: skip
DEFAULT_LOG_MODE = 0o600

# Position of something in a handler file: (line, column), both 1-based.
Position = tuple[int, int]
Locator = Callable[[str], "Position | None"]


@dataclass(slots=True)
class HandlerSpec:
    """One handler: ``kind`` (``victorops``, ``post``, ``log``, ``tcp``), its ``options`` using
    Kapacitor's handler-file option names (see the module docstring), and for topic handler
    files the handler ``id``, its ``topic`` and optional ``match`` expression.
    """

    kind: str
    options: dict[str, object] = field(default_factory=dict)
    id: str = ""
    topic: str = ""
    match: str | None = None
    # Where the spec came from (handler file path), for error messages.
    source: str | None = None
    # Things Kapacitor accepts silently but that are probably mistakes (unknown top-level keys).
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class VictorOpsOptions:
    routing_key: str = ""


@dataclass(frozen=True, slots=True)
class PostOptions:
    url: str = ""
    endpoint: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    capture_response: bool = False
    timeout_ns: int = 0
    skip_ssl_verification: bool = False


@dataclass(frozen=True, slots=True)
class LogOptions:
    path: str = ""
    mode: int = DEFAULT_LOG_MODE


@dataclass(frozen=True, slots=True)
class TCPOptions:
    address: str = ""


HandlerOptions = VictorOpsOptions | PostOptions | LogOptions | TCPOptions

# kind -> (options class, {option name: (field name, Go type name)})
_OPTION_TABLE: dict[str, tuple[type, dict[str, tuple[str, str]]]] = {
    "victorops": (VictorOpsOptions, {"routing-key": ("routing_key", "string")}),
    "post": (
        PostOptions,
        {
            "url": ("url", "string"),
            "endpoint": ("endpoint", "string"),
            "headers": ("headers", "map[string]string"),
            "capture-response": ("capture_response", "bool"),
            "timeout": ("timeout_ns", "duration"),
            "skip-ssl-verification": ("skip_ssl_verification", "bool"),
        },
    ),
    "log": (LogOptions, {"path": ("path", "string"), "mode": ("mode", "filemode")}),
    "tcp": (TCPOptions, {"address": ("address", "string")}),
}


def decode_options(spec: HandlerSpec, locate: Locator | None = None) -> HandlerOptions:
    """Decode ``spec.options`` into the kind's options, as Kapacitor's mapstructure would."""
    check_kind(spec, locate)
    cls, table = _OPTION_TABLE[spec.kind]
    by_folded = {name.casefold(): name for name in table}
    values: dict[str, Any] = {}
    for key, value in spec.options.items():
        name = by_folded.get(str(key).casefold())
        if name is None:
            raise _error(
                spec,
                f"unknown option {key!r} for a {spec.kind} handler",
                locate,
                f"options.{key}",
                expected="one of: " + ", ".join(table),
            )
        field_name, go_type = table[name]
        values[field_name] = _convert(spec, name, value, go_type, locate)
    options = cls(**values)
    _check_semantics(spec, options, locate)
    return options


def check_kind(spec: HandlerSpec, locate: Locator | None = None) -> None:
    """Refuse kinds tickmini cannot run, with the reason."""
    if spec.kind in _OPTION_TABLE:
        return
    if spec.kind in KAPACITOR_ONLY_KINDS:
        message = f"handler kind {spec.kind!r} is a Kapacitor handler tickmini does not support"
    elif not spec.kind:
        message = "handler kind must not be empty"
    elif spec.kind.lower() in _OPTION_TABLE:
        message = (
            f"unsupported handler kind {spec.kind!r} (kinds are lower case: {spec.kind.lower()!r})"
        )
    else:
        message = f"unsupported handler kind {spec.kind!r}"
    raise _error(spec, message, locate, "kind", expected="one of: " + ", ".join(SUPPORTED_KINDS))


def _convert(
    spec: HandlerSpec, name: str, value: object, go_type: str, locate: Locator | None
) -> Any:
    where = f"options.{name}"
    if value is None:
        return _ZERO[go_type]
    if go_type == "string" and isinstance(value, str):
        return value
    if go_type == "bool" and isinstance(value, bool):
        return value
    if go_type == "duration" and isinstance(value, Duration):
        return value.nanoseconds
    if go_type in ("duration", "filemode") and _is_number(value):
        if isinstance(value, float) and not value.is_integer():
            raise _error(spec, f"option {name!r} must be a whole number", locate, where)
        number = int(value)
        if go_type == "filemode" and not 0 <= number <= 0xFFFFFFFF:
            raise _error(spec, f"option {name!r}: file mode {number} out of range", locate, where)
        return number
    if go_type == "map[string]string" and isinstance(value, dict):
        bad = [k for k, v in value.items() if not isinstance(k, str) or not isinstance(v, str)]
        if not bad:
            return dict(value)
        raise _error(
            spec, f"option {name!r}: header {bad[0]!r} must map a string to a string", locate, where
        )
    raise _error(
        spec,
        f"option {name!r} must be {_GO_TYPE_TEXT[go_type]}, not {_value_type(value)}",
        locate,
        where,
        expected=_GO_TYPE_TEXT[go_type],
    )


_ZERO: dict[str, object] = {
    "string": "",
    "bool": False,
    "duration": 0,
    "filemode": 0,
    "map[string]string": {},
}
_GO_TYPE_TEXT = {
    "string": "a string",
    "bool": "a boolean (true/false)",
    "duration": "an integer number of nanoseconds",
    "filemode": "an integer file mode (e.g. 0644 in YAML, 420 in JSON)",
    "map[string]string": "a mapping of header names to strings",
}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _value_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if _is_number(value):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _check_semantics(spec: HandlerSpec, options: HandlerOptions, locate: Locator | None) -> None:
    """The checks Kapacitor makes when it creates the handler."""
    if isinstance(options, LogOptions):
        if options.mode & 0o200 == 0:
            raise _error(
                spec,
                f"invalid file mode {options.mode:#o}, must be user writable",
                locate,
                "options.mode",
            )
        if not options.path.startswith("/"):
            raise _error(
                spec,
                f"log path must be absolute: {options.path!r} is not absolute",
                locate,
                "options.path",
            )
    elif isinstance(options, PostOptions) and options.timeout_ns < 0:
        raise _error(spec, "post timeout must not be negative", locate, "options.timeout")


def _error(
    spec: HandlerSpec,
    message: str,
    locate: Locator | None,
    where: str,
    expected: str | None = None,
) -> HandlerSpecError:
    position = locate(where) if locate is not None else None
    line, column = position if position is not None else (None, None)
    return HandlerSpecError(message, file=spec.source, line=line, column=column, expected=expected)


# ---------------------------------------------------------------------------------------------
# Handler files


def _go_yaml_loader() -> type[yaml.SafeLoader]:
    """YAML as Go's yaml.v2 reads it: no implicit timestamps (they stay strings)."""
    import yaml

    class GoYAMLLoader(yaml.SafeLoader):
        pass

    GoYAMLLoader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return GoYAMLLoader


_TOP_LEVEL_KEYS = ("id", "topic", "kind", "match", "options")


def load_handler_file(path: str | Path) -> HandlerSpec:
    """Load and fully check a topic handler file, as ``define-topic-handler`` accepts it."""
    return parse_handler_text(read_text_file(path, HandlerSpecError, "handler file"), str(path))


def parse_handler_text(text: str, name: str) -> HandlerSpec:
    """Parse handler-file text; the extension of ``name`` says YAML or JSON, as in Kapacitor."""
    lines = text.splitlines()
    suffix = Path(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        node, document = _parse_yaml(text, name, lines)
    elif suffix == ".json":
        document = _parse_json(text, name, lines)
        node = _try_compose(text)
    else:
        raise HandlerSpecError(
            f"handler file must end in .yaml, .yml or .json (got {suffix or 'no extension'!r})",
            file=name,
        )
    locate = _locator(node)

    def fail(message: str, where: str, expected: str | None = None) -> HandlerSpecError:
        position = locate(where)
        line, column = position if position is not None else (None, None)
        source_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else None
        return HandlerSpecError(
            message, file=name, line=line, column=column, source_line=source_line, expected=expected
        )

    if not isinstance(document, dict):
        raise fail(
            "a handler file must be a mapping with keys id, topic, kind, options",
            "",
            expected="keys id, topic, kind, match, options",
        )
    fields: dict[str, str] = {}
    for key in ("id", "topic", "kind", "match"):
        fields[key] = _string_field(document.get(key), key, node, suffix == ".json", fail)
    options = document.get("options")
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise fail("options must be a mapping of option names to values", "options")
    if any(not isinstance(k, str) for k in options):
        raise fail("option names must be strings", "options")
    spec = HandlerSpec(
        kind=fields["kind"],
        options=dict(options),
        id=fields["id"],
        topic=fields["topic"],
        match=fields["match"] or None,
        source=name,
    )
    for key in unknown_top_level_keys(document):
        position = locate(key)
        line = position[0] if position is not None else 1
        spec.warnings.append(
            f"{name}:{line}: key {key!r} is not a handler-file key (Kapacitor ignores it)"
        )
    _validate_ids(spec, fail)
    try:
        decode_options(spec, locate)
    except HandlerSpecError as err:
        if err.line is not None and 0 < err.line <= len(lines):
            err.source_line = lines[err.line - 1]
        raise
    if spec.match is not None:
        _check_match(spec, node, locate, lines)
    return spec


def unknown_top_level_keys(document: Mapping[str, object]) -> list[str]:
    """Keys Kapacitor silently ignores in a handler file (tickmini warns about them)."""
    return [str(k) for k in document if k not in _TOP_LEVEL_KEYS]


def _parse_yaml(text: str, name: str, lines: list[str]) -> tuple[yaml.Node | None, object]:
    import yaml

    try:
        loader = _go_yaml_loader()(text)
        try:
            node = loader.get_single_node()
            document = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = err.problem or err.context or "invalid YAML"
        raise HandlerSpecError(
            f"handler file is not valid YAML: {problem}",
            file=name,
            line=line,
            column=column,
            source_line=lines[line - 1] if line is not None and 0 < line <= len(lines) else None,
        ) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as err:
        raise HandlerSpecError(f"handler file is not valid YAML: {err}", file=name) from None
    return node, document


def _parse_json(text: str, name: str, lines: list[str]) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise HandlerSpecError(
            f"handler file is not valid JSON: {err.msg}",
            file=name,
            line=err.lineno,
            column=err.colno,
            source_line=lines[err.lineno - 1] if 0 < err.lineno <= len(lines) else None,
        ) from None
    except RecursionError:
        raise HandlerSpecError(
            "handler file is not valid JSON: nested too deeply", file=name
        ) from None


def _try_compose(text: str) -> yaml.Node | None:
    """Positions for JSON files (JSON is YAML); None when PyYAML cannot read it."""
    import yaml

    try:
        return yaml.compose(text, Loader=_go_yaml_loader())
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None


def _locator(root: yaml.Node | None) -> Locator:
    """Find ``kind``, ``options``, ``options.mode`` ... in the node tree (1-based positions)."""
    import yaml

    def locate(where: str) -> Position | None:
        node = root
        if node is None:
            return None
        position = (node.start_mark.line + 1, node.start_mark.column + 1)
        if not where:
            return position
        for part in where.split("."):
            if not isinstance(node, yaml.MappingNode):
                return position
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value.casefold() == part.casefold():
                    position = (key.start_mark.line + 1, key.start_mark.column + 1)
                    node = value
                    break
            else:
                return position
        return position

    return locate


def _string_field(
    value: object,
    key: str,
    root: yaml.Node | None,
    is_json: bool,
    fail: Callable[..., HandlerSpecError],
) -> str:
    """id/topic/kind/match are Go strings: JSON needs a string; yaml.v2 takes any scalar's text."""
    import yaml

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not is_json and not isinstance(value, (dict, list)) and isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if getattr(key_node, "value", None) == key and isinstance(value_node, yaml.ScalarNode):
                return value_node.value
    raise fail(f"{key} must be a string, not {_value_type(value)}", key, expected="a string")


def _id_ok(text: str, extra: str) -> bool:
    """Kapacitor's ``^[-\\._\\p{L}0-9]+$`` (topics also allow ``:``)."""
    return bool(text) and all(c.isalpha() or c in "0123456789-._" or c in extra for c in text)


def valid_topic_id(text: str) -> bool:
    return _id_ok(text, ":")


def valid_handler_id(text: str) -> bool:
    return _id_ok(text, "")


def _validate_ids(spec: HandlerSpec, fail: Callable[..., HandlerSpecError]) -> None:
    if not valid_topic_id(spec.topic):
        raise fail(
            f"handler topic {spec.topic!r} must contain only letters, numbers, '-', '.', ':' and '_'",
            "topic",
            expected="a topic name such as cpu or main:task:alert2",
        )
    if not valid_handler_id(spec.id):
        raise fail(
            f"handler id {spec.id!r} must contain only letters, numbers, '-', '.' and '_'",
            "id",
            expected="a handler id such as victorops-cpu-alert",
        )
    if not spec.kind:
        raise fail(
            "handler kind must not be empty",
            "kind",
            expected="one of: " + ", ".join(SUPPORTED_KINDS),
        )


def _check_match(
    spec: HandlerSpec, root: yaml.Node | None, locate: Locator, lines: list[str]
) -> None:
    """Compile the match expression now, so a bad one fails when the file is loaded."""
    from tickmini.alerting.match import compile_match

    try:
        compile_match(spec.match or "")
    except HandlerSpecError as err:
        position = _match_position(root, err.line, err.column) or locate("match")
        err.file = spec.source
        err.line, err.column = position if position is not None else (None, None)
        err.source_line = (
            lines[err.line - 1] if err.line is not None and 0 < err.line <= len(lines) else None
        )
        raise


def _match_position(
    root: yaml.Node | None, line: int | None, column: int | None
) -> Position | None:
    """Map a position inside the match text to the file, when the text sits on one line as is."""
    import yaml

    if not isinstance(root, yaml.MappingNode) or line != 1 or column is None:
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "match":
            if (
                not isinstance(value, yaml.ScalarNode)
                or value.start_mark.line != value.end_mark.line
            ):
                return None
            quote = 1 if value.style in ("'", '"') else 0
            if value.style == "'" and "'" in value.value:
                return None
            return value.start_mark.line + 1, value.start_mark.column + quote + column
    return None

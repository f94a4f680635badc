"""The node catalogue: every node kind, its chain methods and property methods, in one table.

Kapacitor finds methods by reflection over its ``pipeline`` structs. This table is the same
information written down: for each node kind (and each in-script alert handler) which ``|chain``
methods create children, which ``.property`` methods configure it, with the Go argument types
that reflection demands, and the defaults. The builder, the did-you-mean, ``show`` and the docs
read it; nothing else lists property names.

Argument types are Kapacitor's Go types, named by :data:`ARG_TYPES`. A property's ``action`` says
how the builder applies it: ``set`` stores the single argument, ``flag`` sets ``True``, ``args``
stores all arguments as a tuple, ``extend`` appends them to a list, ``and_lambda`` ANDs lambdas
(``from().where``), ``put_pair`` stores a key/value pair in a dict (``.header(k, v)``), ``handler``
creates an alert handler, ``method`` is handled by name in the builder (``flapping``,
``stateChangesOnly``, ``inhibit``, ``keep``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Go type names as reflection reports them in error messages.
ARG_TYPES: dict[str, str] = {
    "string": "string",
    "int": "int64",
    "float": "float64",
    "duration": "time.Duration",
    "bool": "bool",
    "lambda": "*ast.LambdaNode",
    "any": "interface {}",
    "node": "pipeline.Node",
}


@dataclass(frozen=True, slots=True)
class Signature:
    """Fixed parameter types, then an optional variadic tail type."""

    params: tuple[str, ...] = ()
    variadic: str | None = None

    def describe(self) -> str:
        parts = [ARG_TYPES[p] for p in self.params]
        if self.variadic is not None:
            parts.append("..." + ARG_TYPES[self.variadic])
        return "(" + ", ".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class Property:
    """A ``.name(args)`` property method.

    ``go_method`` is True when Kapacitor implements it as a Go method (argument mismatches then
    read ``reflect: Call using X as type Y``), False for a struct field set directly
    (``reflect.Set: value of type X is not assignable to type Y``).
    """

    name: str
    signature: Signature
    action: str
    key: str
    doc: str = ""
    go_method: bool = False


@dataclass(frozen=True, slots=True)
class ChainMethod:
    """A ``|name(args)`` chain method: creates a child node of kind ``creates``."""

    name: str
    signature: Signature
    creates: str
    supported: bool = True
    doc: str = ""


@dataclass(frozen=True, slots=True)
class NodeKind:
    """One kind of pipeline node (or alert handler object).

    ``desc`` is Kapacitor's node description, used in node names (``alert2``, ``http_out3``).
    ``edge`` is ``stream``/``batch`` for what the node provides, or ``same`` (as its parent) or
    ``none``. ``chain`` lists the chain methods available on it.
    """

    kind: str
    go_type: str
    desc: str
    edge: str
    chain: tuple[str, ...]
    properties: dict[str, Property]
    defaults: dict[str, object] = field(default_factory=dict)
    runtime: bool = True
    doc: str = ""


def _props(*props: Property) -> dict[str, Property]:
    return {p.name: p for p in props}


S = Signature
NONE = S()
STR = S(("string",))
INT = S(("int",))
FLOAT = S(("float",))
DUR = S(("duration",))
LAMBDA = S(("lambda",))
STRS = S((), "string")


def _set(name: str, sig: Signature, key: str, doc: str = "") -> Property:
    return Property(name, sig, "set", key, doc)


def _flag(name: str, key: str, doc: str = "") -> Property:
    return Property(name, NONE, "flag", key, doc, go_method=True)


# --- chain methods ----------------------------------------------------------------------------

_INFLUXQL_FIELD_FUNCS = (
    "count",
    "sum",
    "mean",
    "median",
    "mode",
    "min",
    "max",
    "first",
    "last",
    "spread",
    "stddev",
    "distinct",
)

_SUPPORTED_CHAIN: tuple[ChainMethod, ...] = (
    ChainMethod("from", NONE, "from", doc="select points of the stream"),
    ChainMethod("where", LAMBDA, "where", doc="keep points for which the lambda is true"),
    ChainMethod("eval", S((), "lambda"), "eval", doc="compute new fields"),
    ChainMethod("groupBy", S((), "any"), "groupBy", doc="group by tags"),
    ChainMethod("log", NONE, "log", doc="log every point or batch"),
    ChainMethod("httpOut", STR, "httpOut", doc="keep the latest data per group"),
    ChainMethod("alert", NONE, "alert", doc="raise alerts"),
    ChainMethod("window", NONE, "window", doc="window the stream into batches"),
    *(
        ChainMethod(name, STR, "influxql", doc=f"InfluxQL {name}()")
        for name in _INFLUXQL_FIELD_FUNCS
    ),
    ChainMethod("percentile", S(("string", "float")), "influxql", doc="InfluxQL percentile()"),
)

# Chain methods Kapacitor has that tickmini does not run (yet): known, so that they get a
# "not supported" error instead of "no method".
_UNSUPPORTED_CHAIN_NAMES = (
    "barrier",
    "bottom",
    "changeDetect",
    "combine",
    "cumulativeSum",
    "deadman",
    "default",
    "delete",
    "derivative",
    "difference",
    "ec2Autoscale",
    "elapsed",
    "flatten",
    "holtWinters",
    "holtWintersWithFit",
    "httpPost",
    "influxDBOut",
    "join",
    "k8sAutoscale",
    "kapacitorLoopback",
    "movingAverage",
    "sample",
    "shift",
    "sideload",
    "stateCount",
    "stateDuration",
    "stats",
    "swarmAutoscale",
    "top",
    "union",
)

CHAIN_METHODS: dict[str, ChainMethod] = {
    **{c.name: c for c in _SUPPORTED_CHAIN},
    **{
        name: ChainMethod(name, S((), "any"), name, supported=False)
        for name in _UNSUPPORTED_CHAIN_NAMES
    },
}

_CHAIN_ALL: tuple[str, ...] = tuple(n for n in CHAIN_METHODS if n != "from")

# InfluxQL functions can only follow these kinds of edges in Kapacitor; kept simple here.
INFLUXQL_FUNCTIONS: tuple[str, ...] = (*_INFLUXQL_FIELD_FUNCS, "percentile")
SELECTOR_FUNCTIONS: frozenset[str] = frozenset({"first", "last", "min", "max", "percentile"})

# --- alert handlers ---------------------------------------------------------------------------

# Handler kind (catalogue name) -> HandlerSpec kind and how script values map to spec options.
HANDLER_SPEC_KIND: dict[str, str] = {
    "post": "post",
    "tcp": "tcp",
    "log": "log",
    "victorOps": "victorops",
}

# Kapacitor registers TICKscript handlers on the anonymous topic in this fixed order by type
# (reference 5.3), not in script order.
HANDLER_ORDER: tuple[str, ...] = (
    "tcp",
    "email",
    "exec",
    "log",
    "victorops",
    "pagerduty",
    "pagerduty2",
    "sensu",
    "slack",
    "telegram",
    "snmptrap",
    "hipchat",
    "kafka",
    "alerta",
    "pushover",
    "post",
    "opsgenie",
    "opsgenie2",
    "talk",
    "mqtt",
    "discord",
    "bigpanda",
    "teams",
    "servicenow",
    "zenoss",
)

_UNSUPPORTED_HANDLERS: dict[str, Signature] = {
    "email": S((), "string"),
    "exec": S(("string",), "string"),
    "pagerDuty": NONE,
    "pagerDuty2": NONE,
    "pushover": NONE,
    "sensu": NONE,
    "slack": NONE,
    "telegram": NONE,
    "hipChat": NONE,
    "alerta": NONE,
    "opsGenie": NONE,
    "opsGenie2": NONE,
    "talk": NONE,
    "mqtt": S(("string",)),
    "snmpTrap": S(("string",)),
    "kafka": NONE,
    "teams": NONE,
    "serviceNow": NONE,
    "zenoss": NONE,
    "discord": NONE,
    "bigPanda": NONE,
}

# --- node kinds ----------------------------------------------------------------------------

_ALERT_PROPERTIES = _props(
    _set("id", STR, "id", "event ID template (text/template)"),
    _set("message", STR, "message", "message template (text/template)"),
    _set("details", STR, "details", "details template (html/template)"),
    _set("topic", STR, "topic", "also publish events to this topic"),
    _set("category", STR, "category", "category for inhibition"),
    _set("info", LAMBDA, "info", "INFO level predicate"),
    _set("warn", LAMBDA, "warn", "WARNING level predicate"),
    _set("crit", LAMBDA, "crit", "CRITICAL level predicate"),
    _set("infoReset", LAMBDA, "infoReset", "predicate that lets INFO drop"),
    _set("warnReset", LAMBDA, "warnReset", "predicate that lets WARNING drop"),
    _set("critReset", LAMBDA, "critReset", "predicate that lets CRITICAL drop"),
    _set("history", INT, "history", "length of the level history (minimum 2)"),
    _set("levelTag", STR, "levelTag", "tag the emitted data with the level"),
    _set("levelField", STR, "levelField", "add the level as a field"),
    _set("messageField", STR, "messageField", "add the message as a field"),
    _set("durationField", STR, "durationField", "add the duration (ns) as a field"),
    _set("idTag", STR, "idTag", "tag the emitted data with the event ID"),
    _set("idField", STR, "idField", "add the event ID as a field"),
    Property("flapping", S(("float", "float")), "method", "flapping", "flap detection", True),
    Property(
        "stateChangesOnly",
        S((), "duration"),
        "method",
        "stateChangesOnly",
        "send only level changes (or after d)",
        True,
    ),
    _flag("noRecoveries", "noRecoveries", "never send OK events"),
    _flag("all", "all", "batch: level = lowest level of all points"),
    _flag("quiet", "quiet", "suppress error logging"),
    Property(
        "inhibit",
        S(("string",), "string"),
        "method",
        "inhibitors",
        "inhibit alerts of a category with equal tags",
        True,
    ),
    Property("post", S((), "string"), "handler", "post", "HTTP POST the alert JSON", True),
    Property("tcp", STR, "handler", "tcp", "send the alert JSON over TCP", True),
    Property("log", STR, "handler", "log", "append the alert JSON to a file", True),
    Property("victorOps", NONE, "handler", "victorOps", "send to VictorOps", True),
    *(
        Property(name, sig, "handler", name, "not supported by tickmini", True)
        for name, sig in _UNSUPPORTED_HANDLERS.items()
    ),
)

ALERT_DEFAULTS: dict[str, object] = {
    "id": "{{ .Name }}:{{ .Group }}",
    "message": "{{ .ID }} is {{ .Level }}",
    "details": "{{ json . }}",
    "topic": "",
    "category": "",
    "info": None,
    "warn": None,
    "crit": None,
    "infoReset": None,
    "warnReset": None,
    "critReset": None,
    "history": 21,
    "levelTag": "",
    "levelField": "",
    "messageField": "",
    "durationField": "",
    "idTag": "",
    "idField": "",
    "flapping": None,  # (low, high) when set
    "stateChangesOnly": None,  # duration in ns (0 = without a duration) when set
    "noRecoveries": False,
    "all": False,
    "quiet": False,
    "inhibitors": (),
}

NODE_KINDS: dict[str, NodeKind] = {
    "stream": NodeKind(
        "stream", "*pipeline.StreamNode", "stream", "stream", ("from",), {}, doc="the stream"
    ),
    "batch": NodeKind(
        "batch", "*pipeline.BatchNode", "batch", "batch", (), {}, runtime=False, doc="batch"
    ),
    "from": NodeKind(
        "from",
        "*pipeline.FromNode",
        "from",
        "stream",
        ("from", *_CHAIN_ALL),
        _props(
            _set("database", STR, "database", "only points of this database"),
            _set("retentionPolicy", STR, "retentionPolicy", "only this retention policy"),
            _set("measurement", STR, "measurement", "only this measurement"),
            Property("where", LAMBDA, "and_lambda", "where", "filter (repeats are ANDed)", True),
            Property("groupBy", S((), "any"), "args", "groupBy", "group by tags or *", True),
            _flag("groupByMeasurement", "groupByMeasurement", "include the measurement"),
            _set("truncate", DUR, "truncate", "truncate times (Go Time.Truncate)"),
            _set("round", DUR, "round", "round times (Go Time.Round)"),
            _flag("quiet", "quiet", "suppress error logging"),
        ),
        {
            "database": "",
            "retentionPolicy": "",
            "measurement": "",
            "where": None,
            "groupBy": (),
            "groupByMeasurement": False,
            "truncate": 0,
            "round": 0,
            "quiet": False,
        },
        doc="select points of the stream",
    ),
    "where": NodeKind(
        "where", "*pipeline.WhereNode", "where", "same", _CHAIN_ALL, {}, {}, doc="filter"
    ),
    "eval": NodeKind(
        "eval",
        "*pipeline.EvalNode",
        "eval",
        "same",
        _CHAIN_ALL,
        _props(
            Property("as", STRS, "args", "as", "names of the results", True),
            Property("tags", STRS, "args", "tags", "results that become tags", True),
            Property("keep", STRS, "method", "keep", "keep fields (all, or these)", True),
            _flag("quiet", "quiet", "suppress error logging"),
        ),
        {"as": (), "tags": (), "keep": None, "quiet": False},
        doc="compute fields",
    ),
    "groupBy": NodeKind(
        "groupBy",
        "*pipeline.GroupByNode",
        "groupby",
        "same",
        _CHAIN_ALL,
        _props(
            _flag("byMeasurement", "byMeasurement", "include the measurement in the group"),
            Property("exclude", STRS, "extend", "exclude", "with *: tags not grouped by", True),
        ),
        {"byMeasurement": False, "exclude": ()},
        doc="group by tags",
    ),
    "log": NodeKind(
        "log",
        "*pipeline.LogNode",
        "log",
        "same",
        _CHAIN_ALL,
        _props(
            _set("level", STR, "level", "log level (INFO by default)"),
            _set("prefix", STR, "prefix", "prefix of each log line"),
        ),
        {"level": "INFO", "prefix": ""},
        doc="log data",
    ),
    "httpOut": NodeKind(
        "httpOut", "*pipeline.HTTPOutNode", "http_out", "same", _CHAIN_ALL, {}, {}, doc="cache"
    ),
    "alert": NodeKind(
        "alert",
        "*pipeline.AlertNode",
        "alert",
        "same",
        _CHAIN_ALL,
        _ALERT_PROPERTIES,
        ALERT_DEFAULTS,
        doc="raise alerts",
    ),
    "window": NodeKind(
        "window",
        "*pipeline.WindowNode",
        "window",
        "batch",
        _CHAIN_ALL,
        _props(
            _set("period", DUR, "period", "window length"),
            _set("every", DUR, "every", "emit interval"),
            _flag("align", "align", "align boundaries to every"),
            _flag("fillPeriod", "fillPeriod", "first window only when full"),
            _set("periodCount", INT, "periodCount", "window length in points"),
            _set("everyCount", INT, "everyCount", "emit every n points"),
        ),
        {
            "period": 0,
            "every": 0,
            "align": False,
            "fillPeriod": False,
            "periodCount": 0,
            "everyCount": 0,
        },
        doc="window a stream into batches",
    ),
    "influxql": NodeKind(
        "influxql",
        "*pipeline.InfluxQLNode",
        "influxql",
        "stream",
        _CHAIN_ALL,
        _props(
            _set("as", STR, "as", "name of the result field"),
            _flag("usePointTimes", "usePointTimes", "selectors: keep the point's time"),
        ),
        {"as": "", "usePointTimes": False},
        doc="InfluxQL aggregate or selector",
    ),
    # Alert handler objects: they also accept every alert property and chain method.
    "handler:post": NodeKind(
        "handler:post",
        "*pipeline.AlertHTTPPostHandler",
        "post",
        "none",
        _CHAIN_ALL,
        _props(
            _set("endpoint", STR, "endpoint", "endpoint name from kapacitor.conf"),
            Property("header", S(("string", "string")), "put_pair", "headers", "header", True),
            _flag("captureResponse", "captureResponse", "log non-2xx response bodies"),
            _set("timeout", DUR, "timeout", "request timeout"),
            _flag("skipSSLVerification", "skipSSLVerification", "do not verify TLS"),
        ),
        runtime=False,
    ),
    "handler:tcp": NodeKind(
        "handler:tcp",
        "*pipeline.TcpHandler",
        "tcp",
        "none",
        _CHAIN_ALL,
        _props(_set("address", STR, "address", "host:port")),
        runtime=False,
    ),
    "handler:log": NodeKind(
        "handler:log",
        "*pipeline.LogHandler",
        "log",
        "none",
        _CHAIN_ALL,
        _props(_set("mode", INT, "mode", "file mode (write it in octal: 0644)")),
        runtime=False,
    ),
    "handler:victorOps": NodeKind(
        "handler:victorOps",
        "*pipeline.VictorOpsHandler",
        "victorOps",
        "none",
        _CHAIN_ALL,
        _props(_set("routingKey", STR, "routingKey", "VictorOps routing key")),
        runtime=False,
    ),
}

# Spellings Kapacitor rejects but tickmini accepts with a warning (the seed's documentation
# writes ``.victorops()``; Kapacitor upper-cases only the first letter and finds no method).
LENIENT_SPELLINGS: dict[str, str] = {"victorops": "victorOps"}

NODE_NAME_ORDER: tuple[str, ...] = tuple(NODE_KINDS)


def go_method_name(name: str) -> str:
    """Kapacitor's reflection lookup: upper-case the first character only."""
    return name[:1].upper() + name[1:]


def lookup(names: dict[str, object] | tuple[str, ...], name: str) -> str | None:
    """Find ``name`` the way Kapacitor does: equal after capitalising the first letter."""
    wanted = go_method_name(name)
    for candidate in names:
        if go_method_name(candidate) == wanted:
            return candidate
    return None


def node_kind(kind: str) -> NodeKind:
    return NODE_KINDS[kind]


def properties_of(kind: str) -> dict[str, Property]:
    """All property methods callable on an object of ``kind`` (handlers inherit alert's)."""
    own = NODE_KINDS[kind].properties
    if kind.startswith("handler:"):
        return {**_ALERT_PROPERTIES, **own}
    return own


def chain_methods_of(kind: str) -> tuple[str, ...]:
    return NODE_KINDS[kind].chain

"""Node kind -> runtime class: the one table the engine builds runtime graphs from.

Factories take ``(definition, context)``. Window and InfluxQL classes are imported lazily (their
modules belong to the windows engineer and are only needed when a script uses them).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from tickmini.pipeline.definition import NodeDef
from tickmini.runtime.context import TaskContext
from tickmini.runtime.node import RuntimeNode

Factory = Callable[[NodeDef, TaskContext], RuntimeNode]

# kind -> (module, class name)
RUNTIME_CLASSES: dict[str, tuple[str, str]] = {
    "stream": ("tickmini.runtime.stream", "StreamNode"),
    "from": ("tickmini.runtime.stream", "FromNode"),
    "where": ("tickmini.runtime.transform", "WhereNode"),
    "eval": ("tickmini.runtime.transform", "EvalNode"),
    "groupBy": ("tickmini.runtime.transform", "GroupByNode"),
    "log": ("tickmini.runtime.log", "LogNode"),
    "httpOut": ("tickmini.runtime.http_out", "HTTPOutNode"),
    "alert": ("tickmini.runtime.alert", "AlertNode"),
    "window": ("tickmini.runtime.window", "WindowNode"),
    "influxql": ("tickmini.runtime.influxql", "InfluxQLNode"),
}


def _window(definition: NodeDef, context: TaskContext) -> RuntimeNode:
    cls = importlib.import_module("tickmini.runtime.window").WindowNode
    return cls.from_properties(definition.name, definition.properties)


def _influxql(definition: NodeDef, context: TaskContext) -> RuntimeNode:
    cls = importlib.import_module("tickmini.runtime.influxql").InfluxQLNode
    return cls.from_definition(
        definition.name, definition.method, definition.args, definition.properties
    )


# Kinds whose classes are built another way than ``cls(definition, context)``.
_SPECIAL: dict[str, Factory] = {"window": _window, "influxql": _influxql}


def create_node(definition: NodeDef, context: TaskContext) -> RuntimeNode:
    """The runtime node for one definition."""
    special = _SPECIAL.get(definition.kind)
    if special is not None:
        return special(definition, context)
    module, name = RUNTIME_CLASSES[definition.kind]
    cls = getattr(importlib.import_module(module), name)
    return cls(definition, context)

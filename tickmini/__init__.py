"""tickmini: a small, exact, fast TICKscript interpreter.

The public API is imported lazily so that ``tickmini check`` starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    "TickminiError": "tickmini.errors",
    "TickscriptSyntaxError": "tickmini.errors",
    "BuildError": "tickmini.errors",
    "EvaluationError": "tickmini.errors",
    "TemplateError": "tickmini.errors",
    "LineProtocolError": "tickmini.errors",
    "ConfigError": "tickmini.errors",
    "HandlerSpecError": "tickmini.errors",
    "DeliveryError": "tickmini.errors",
    "Point": "tickmini.values",
    "Duration": "tickmini.values",
    "Time": "tickmini.values",
    "parse_script": "tickmini.syntax.parser",
    "compile_lambda": "tickmini.lang.compiler",
    "read_points": "tickmini.io.lineprotocol",
    "compile_script": "tickmini.pipeline.builder",
    "Engine": "tickmini.runtime.engine",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tickmini' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

"""Go ``text/template`` and ``html/template`` for Kapacitor's alert templates.

``compile_text(source, name)`` and ``compile_html(source, name, funcs)`` parse once (parse
errors raise :class:`tickmini.errors.TemplateError` right away) and return a :class:`Template`
whose ``render(data)`` is cheap; execute errors raise ``TemplateError`` from ``render``.
Data is the Go value model of :mod:`tickmini.gocompat.gotypes`; see ``kapacitor.py`` for the
alert node's data structs and details functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tickmini.errors import TemplateError
from tickmini.gocompat.template.exec import compile_trees
from tickmini.gocompat.template.funcs import BUILTINS, GoFunc
from tickmini.gocompat.template.parser import parse_template


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template: ``render(data) -> str``.

    ``deferred_error`` holds an html/template escaping error: Go reports those when the
    template first executes, so ``render`` raises it every time.
    """

    name: str
    source: str
    _render: Callable[[object], str]
    deferred_error: TemplateError | None = None

    def render(self, data: object) -> str:
        if self.deferred_error is not None:
            raise self.deferred_error
        return self._render(data)


def compile_text(source: str, name: str, funcs: Mapping[str, GoFunc] | None = None) -> Template:
    """A Go ``text/template`` with the builtins (plus ``funcs``)."""
    all_funcs = {**BUILTINS, **(funcs or {})}
    root, defined = parse_template(name, source, all_funcs)
    return Template(name, source, compile_trees(name, source, root, defined, all_funcs))


def compile_html(source: str, name: str, funcs: Mapping[str, GoFunc] | None = None) -> Template:
    """A Go ``html/template``: every action's output is escaped for its HTML context."""
    from tickmini.gocompat.template.htmlescape import ESCAPER_FUNCS, EscapeError, escape_tree

    all_funcs = {**BUILTINS, **(funcs or {})}
    root, defined = parse_template(name, source, all_funcs)
    try:
        escape_tree(name, root, defined, source)
    except EscapeError as err:
        failing = TemplateError(str(err), expected="HTML whose actions end in a text context")
        return Template(name, source, _never, failing)
    run_funcs = {**all_funcs, **ESCAPER_FUNCS}
    return Template(name, source, compile_trees(name, source, root, defined, run_funcs))


def _never(data: object) -> str:  # pragma: no cover - replaced by deferred_error
    raise TemplateError("template failed to escape")


__all__ = ["GoFunc", "Template", "TemplateError", "compile_html", "compile_text"]

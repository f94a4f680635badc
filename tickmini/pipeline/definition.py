"""Pipeline definitions: what the builder produces and the runtime consumes.

Plain data. A :class:`Pipeline` is the set of :class:`NodeDef` in creation order (which is also
Kapacitor's ID order: ``stream0``, ``from1``, ``alert2`` ...). Each node keeps its property values
keyed by the catalogue's property keys, with the catalogue's defaults filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tickmini.alerting.spec import HandlerSpec


@dataclass(frozen=True, slots=True)
class Star:
    """The ``*`` literal (group by all tags)."""


STAR = Star()


@dataclass(frozen=True, slots=True)
class RegexValue:
    """A regex literal outside a lambda (``/.../``)."""

    pattern: str
    text: str


@dataclass(slots=True)
class CompiledLambdaValue:
    """A lambda argument after compilation: its AST (for ``show``/docs) and the compiled form."""

    expr: object  # tickmini.syntax.ast.Expr
    compiled: object  # tickmini.lang.compiler.CompiledLambda
    line: int = 0
    column: int = 0


@dataclass(slots=True)
class HandlerDef:
    """An in-script alert handler (``.post(url)``, ``.log(path)`` ...), then its spec."""

    kind: str  # catalogue handler name: post, tcp, log, victorOps
    args: tuple[object, ...]
    properties: dict[str, object]
    line: int
    column: int
    spec: HandlerSpec | None = None


@dataclass(slots=True)
class NodeDef:
    """One node of the pipeline as the script defined it."""

    kind: str  # catalogue kind: stream, from, where, eval, groupBy, log, httpOut, alert ...
    id: int
    name: str  # Kapacitor's name: desc + id (from1, http_out3, count2)
    method: str  # the chain method that created it (for InfluxQL nodes: the function)
    args: tuple[object, ...]
    properties: dict[str, object]
    edge: str  # what it provides: "stream" or "batch"
    line: int = 0
    column: int = 0
    parents: list[NodeDef] = field(default_factory=list)
    children: list[NodeDef] = field(default_factory=list)
    handlers: list[HandlerDef] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    compiled: dict[str, object] = field(default_factory=dict)

    def __repr__(self) -> str:  # the parent/child links are cyclic
        return f"NodeDef({self.name})"


@dataclass(frozen=True, slots=True)
class BuildWarning:
    """Something Kapacitor would reject or treat differently, that tickmini accepts."""

    message: str
    file: str
    line: int
    column: int
    hint: str = ""

    def render(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: warning: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass(slots=True)
class Pipeline:
    """A built task: its nodes in creation order, its DBRPs and build warnings."""

    task_type: str
    nodes: list[NodeDef]
    dbrps: list[tuple[str, str]]
    warnings: list[BuildWarning]
    filename: str = "<script>"
    source: str = ""

    @property
    def source_node(self) -> NodeDef:
        return self.nodes[0]

    def by_kind(self, kind: str) -> list[NodeDef]:
        return [n for n in self.nodes if n.kind == kind]

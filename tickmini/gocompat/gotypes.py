"""The Go value model shared by the JSON encoder, ``fmt`` printing and templates.

Plain Python values stand for the common Go types: ``str`` → string, ``bool`` → bool,
``int`` → int64, ``float`` → float64, ``None`` → nil, :class:`tickmini.values.Time` →
time.Time, :class:`tickmini.values.Duration` → time.Duration, ``dict`` → ``map[string]interface {}``,
``list`` → ``[]interface {}``. Where Go's behaviour depends on a static type Python does not carry
(struct field order, a map's element type, ``int`` vs ``int64``), the small wrappers below carry it.
Templates reach data only through these types: there is no attribute access on Python objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tickmini.gocompat.jsonstr import quote_string


class GoInt(int):
    """A Go ``int`` (template integer constants, ``len``): prints as a number, ``%T`` is ``int``."""

    __slots__ = ()


class GoByte(int):
    """A Go ``uint8`` (``index`` of a string)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class GoMap:
    """A Go map with string keys whose element type matters.

    ``elem_type`` is the Go element type name: ``"string"`` (a missing key reads as ``""``) or
    ``"interface {}"`` (a missing key reads as nil).
    """

    items: Mapping[str, object]
    elem_type: str = "interface {}"

    @property
    def type_name(self) -> str:
        return f"map[string]{self.elem_type}"

    def zero(self) -> object:
        """The zero value of the element type (what ``index`` returns for a missing key)."""
        return "" if self.elem_type == "string" else None


@dataclass(frozen=True, slots=True)
class GoField:
    """One declared struct field.

    ``embedded`` marks an anonymous struct field (its fields are promoted, JSON flattens it).
    ``json_name`` overrides the JSON key; ``omitempty`` drops zero values from JSON;
    ``exported`` is False for lower-case Go names (templates cannot reach them).
    """

    name: str
    embedded: bool = False
    json_name: str | None = None
    omitempty: bool = False
    exported: bool = True
    go_type: str = ""


JsonMember = tuple[tuple[int, ...], str, bool, str, str]
"""(path of field indexes, key, omitempty, ``"key":`` HTML-escaped, ``"key":`` plain)."""


@dataclass(frozen=True, slots=True)
class GoStructType:
    """A Go struct type: its qualified name (``kapacitor.idInfo``) and declared fields."""

    name: str
    fields: tuple[GoField, ...]
    paths: Mapping[str, tuple[int, ...]] = field(default_factory=dict, compare=False)
    json_layout: tuple[JsonMember, ...] = field(default=(), compare=False)


def struct_type(name: str, fields: tuple[GoField, ...], *embedded: GoStructType) -> GoStructType:
    """Build a struct type; ``embedded`` gives the types of the embedded fields, in order.

    Promoted field paths are resolved once here (Go's ``FieldByName``: shallowest depth wins).
    """
    paths: dict[str, tuple[int, ...]] = {}
    embedded_iter = iter(embedded)
    promoted: list[tuple[int, GoStructType]] = []
    for index, declared in enumerate(fields):
        if declared.embedded:
            promoted.append((index, next(embedded_iter)))
        elif declared.exported:
            paths[declared.name] = (index,)
    for index, inner in promoted:
        for field_name, path in inner.paths.items():
            paths.setdefault(field_name, (index, *path))
    return GoStructType(name, fields, paths, _json_layout(fields, embedded))


def _json_layout(
    fields: tuple[GoField, ...], embedded: tuple[GoStructType, ...]
) -> tuple[JsonMember, ...]:
    """encoding/json's field list: embedded structs flattened, shallowest name wins, index order.

    Computed once per type, with the quoted keys, so encoding a struct quotes nothing.
    """
    collected: list[tuple[tuple[int, ...], str, bool]] = []
    embedded_iter = iter(embedded)
    for index, declared in enumerate(fields):
        inner = next(embedded_iter) if declared.embedded else None
        if declared.json_name == "-":
            continue
        if inner is not None and declared.json_name is None:
            collected.extend(
                ((index, *path), key, omit) for path, key, omit, _, _ in inner.json_layout
            )
        elif declared.exported:
            collected.append(((index,), declared.json_name or declared.name, declared.omitempty))
    depths: dict[str, list[int]] = {}
    for path, key, _ in collected:
        depths.setdefault(key, []).append(len(path))
    return tuple(
        (
            path,
            key,
            omit,
            quote_string(key, escape_html=True) + ":",
            quote_string(key, escape_html=False) + ":",
        )
        for path, key, omit in collected
        if len(path) == min(depths[key]) and depths[key].count(len(path)) == 1
    )


@dataclass(frozen=True, slots=True)
class GoStruct:
    """A value of a :class:`GoStructType`; ``values`` follow the declared field order."""

    type: GoStructType
    values: tuple[object, ...]

    def lookup(self, name: str) -> tuple[bool, object]:
        """(found, value) for an exported, possibly promoted, field name."""
        path = self.type.paths.get(name)
        if path is None:
            return False, None
        value: object = self
        for index in path:
            value = value.values[index]  # type: ignore[attr-defined]
        return True, value

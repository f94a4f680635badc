"""YAML loading that keeps the position of every key and value, for errors with line numbers.

PyYAML's composer gives a node tree with marks; we turn it into plain Python data and a table
``path -> (line, column)`` so that the loader can validate plain data and still point at the
exact spot of a mistake. Duplicate keys are errors (PyYAML silently keeps the last one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from tickmini.testing.errors import RuleTestError

Path = tuple[object, ...]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Scalars the loader keeps as text: times must stay exactly as written (no datetime objects).
_TEXT_TAGS = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"})
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(slots=True)
class Position:
    """1-based line and column, plus the character offset into the text (for ``--update``)."""

    line: int
    column: int
    index: int
    end_index: int


@dataclass(slots=True)
class YamlDoc:
    """A parsed YAML document: ``data``, where each value and key is, and the node tree."""

    path: str
    text: str
    data: object
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    nodes: dict[Path, yaml.Node] = field(default_factory=dict)

    def error(
        self,
        where: Path,
        message: str,
        *,
        at_key: bool = False,
        expected: str | None = None,
        hint: str | None = None,
    ) -> RuleTestError:
        """An error pointing at the value (or key) found at ``where``, or its nearest parent."""
        table = self.keys if at_key else self.values
        probe = where
        while probe not in table and probe not in self.values and probe:
            probe = probe[:-1]
        pos = table.get(probe) or self.values.get(probe)
        line = pos.line if pos else None
        column = pos.column if pos else None
        return RuleTestError(
            message,
            file=self.path,
            line=line,
            column=column,
            source_line=self.source_line(line),
            expected=expected,
            hint=hint,
        )

    def source_line(self, line: int | None) -> str | None:
        if line is None:
            return None
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else None


def _position(node: yaml.Node) -> Position:
    start, end = node.start_mark, node.end_mark
    return Position(start.line + 1, start.column + 1, start.index, end.index)


def load_yaml(text: str, path: str) -> YamlDoc:
    """Parse ``text`` (one YAML document) keeping positions; errors become ``RuleTestError``."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        doc = YamlDoc(path, text, None)
        raise RuleTestError(
            f"the file is not valid YAML: {err.problem or err.context}",
            file=path,
            line=line,
            column=mark.column + 1 if mark else None,
            source_line=doc.source_line(line),
        ) from None
    except yaml.YAMLError as err:
        raise RuleTestError(f"the file is not valid YAML: {err}", file=path) from None
    doc = YamlDoc(path, text, None)
    if root is not None:
        doc.data = _convert(root, (), doc, yaml.constructor.SafeConstructor())
    return doc


def _convert(
    node: yaml.Node, where: Path, doc: YamlDoc, constructor: yaml.constructor.SafeConstructor
) -> object:
    doc.values[where] = _position(node)
    doc.nodes[where] = node
    if isinstance(node, yaml.MappingNode):
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _at(doc, key_node, "a key must be a plain name, not a list or mapping")
            key = key_node.value
            if key == "<<":
                raise _at(doc, key_node, "YAML merge keys (<<) are not supported in test files")
            if key in out:
                raise _at(doc, key_node, f"duplicate key {key!r}", hint="each key may appear once")
            child = (*where, key)
            doc.keys[child] = _position(key_node)
            out[key] = _convert(value_node, child, doc, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*where, i), doc, constructor) for i, item in enumerate(node.value)]
    if node.tag in _TEXT_TAGS or node.tag == _STR_TAG:
        return node.value
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError as err:
        raise _at(doc, node, f"bad value: {err}") from None


def _at(doc: YamlDoc, node: yaml.Node, message: str, hint: str | None = None) -> RuleTestError:
    pos = _position(node)
    return RuleTestError(
        message,
        file=doc.path,
        line=pos.line,
        column=pos.column,
        source_line=doc.source_line(pos.line),
        hint=hint,
    )

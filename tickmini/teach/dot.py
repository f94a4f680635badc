"""Kapacitor's DOT form of a pipeline (reference 7), for ``explain --dot`` and ``show TASK``.

The exact text comes from :func:`tickmini.store.views.dot` (Kapacitor's ``Pipeline.Dot``: one
``parent -> child;`` line per edge in topological order, no trailing newline). Kapacitor prints
the task ID unquoted, which Graphviz rejects when it holds ``-`` or ``.`` (``cpu-alert``), so
``graphviz_safe`` quotes such IDs; node names (``alert2``, ``http_out3``) never need it.
"""

from __future__ import annotations

import re

from tickmini.pipeline.definition import Pipeline
from tickmini.store.views import dot

__all__ = ["pipeline_dot"]

_DOT_ID = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?)")


def pipeline_dot(pipeline: Pipeline, task_id: str, *, graphviz_safe: bool = False) -> str:
    """``digraph <id> {\\nstream0 -> from1;\\n...}``; quoted ID when ``graphviz_safe`` needs it."""
    if graphviz_safe and not _DOT_ID.fullmatch(task_id):
        task_id = '"' + task_id.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return dot(task_id, pipeline)

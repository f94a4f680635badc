"""Writing points as InfluxDB 1.x line protocol (the inverse of the reader), with 1.x escaping."""

from __future__ import annotations

from tickmini.values import Point

_MEASUREMENT_ESCAPES = str.maketrans({",": "\\,", " ": "\\ "})
_TAG_ESCAPES = str.maketrans({",": "\\,", " ": "\\ ", "=": "\\="})
_FIELD_KEY_ESCAPES = str.maketrans({",": "\\,", " ": "\\ ", "=": "\\=", '"': '\\"'})
_STRING_ESCAPES = str.maketrans({'"': '\\"', "\\": "\\\\"})


def format_value(value: object) -> str:
    """A field value: floats as Python's shortest repr, ints with ``i``, strings quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}i"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.translate(_STRING_ESCAPES) + '"'
    raise TypeError(f"cannot write a field value of type {type(value).__name__}")


def format_point(
    point: Point, precision_ns: int = 1, with_time: bool = True, sort_fields: bool = False
) -> str:
    """One line (no newline): measurement, sorted tags, fields (in the point's order, or sorted
    by key for reports), time in units of ``precision_ns``."""
    parts = [point.name.translate(_MEASUREMENT_ESCAPES)]
    for key in sorted(point.tags):
        parts.append(f"{key.translate(_TAG_ESCAPES)}={point.tags[key].translate(_TAG_ESCAPES)}")
    head = ",".join(parts)
    items = sorted(point.fields.items()) if sort_fields else point.fields.items()
    fields = ",".join(
        f"{key.translate(_FIELD_KEY_ESCAPES)}={format_value(value)}" for key, value in items
    )
    if not with_time:
        return f"{head} {fields}"
    return f"{head} {fields} {point.time // precision_ns}"

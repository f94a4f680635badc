"""Helpers shared by the ``tickmini test`` tests: writing test files into ``tmp_path``."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write(name, text)``: a dedented file in ``tmp_path``; returns its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


# The attributes the common JUnit schema allows (Jenkins xunit-plugin junit-10.xsd):
# required ones must be present, no other attribute may appear, times match SUREFIRE_TIME.
SCHEMA = {
    "testsuites": ({"name", "time", "tests", "failures", "errors"}, set()),
    "testsuite": (
        {"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp",
         "hostname", "id", "package", "file", "log", "url"},
        {"name", "tests", "failures", "errors"},
    ),
    "testcase": ({"name", "time", "classname", "group"}, {"name"}),
    "failure": ({"type", "message"}, set()),
    "error": ({"type", "message"}, set()),
}  # fmt: skip
SUREFIRE_TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?")


def _check_against_schema(element: ET.Element) -> None:
    allowed, required = SCHEMA[element.tag]
    assert set(element.attrib) <= allowed, (element.tag, set(element.attrib) - allowed)
    assert required <= set(element.attrib), (element.tag, required - set(element.attrib))
    if "time" in element.attrib:
        assert SUREFIRE_TIME.fullmatch(element.attrib["time"]), element.attrib["time"]
    children = {
        "testsuites": {"testsuite"},
        "testsuite": {"testcase", "properties", "system-out", "system-err"},
    }
    for child in element:
        if element.tag in children:
            assert child.tag in children[element.tag]
        else:
            assert element.tag == "testcase" and child.tag in (
                "failure",
                "error",
                "skipped",
                "system-out",
                "system-err",
            )
        _check_against_schema(child)


@pytest.fixture
def junit_schema() -> Callable[[ET.Element], None]:
    """Checks an element tree against the JUnit schema's elements and attributes."""
    return _check_against_schema

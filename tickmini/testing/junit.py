"""JUnit XML for CI systems (the common Jenkins/Ant schema).

``<testsuites>`` holds one ``<testsuite>`` per test file with the standard attributes (``name``,
``tests``, ``failures``, ``errors``, ``skipped``, ``time``, ``timestamp``, ``hostname``); each case
is a ``<testcase name classname time>`` with a ``<failure>`` or ``<error>`` child carrying a
``message`` and ``type`` and the plain-text report. A file that cannot be loaded becomes one
``<testcase>`` with an ``<error>``.
"""

from __future__ import annotations

import os
import re
import socket
import time
import xml.etree.ElementTree as ET

from tickmini.testing.report import Style, render_case
from tickmini.testing.results import ERROR, FAIL, CaseResult, FileResult

# XML 1.0 forbids most control characters; they cannot even be escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _classname(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def build_junit(results: list[FileResult], seconds: float) -> ET.Element:
    """The ``<testsuites>`` element for a whole run."""
    plain = Style(color=False)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    host = socket.gethostname()
    root = ET.Element("testsuites", name="tickmini test")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for result in results:
        suite = ET.SubElement(
            root, "testsuite", name=_clean(result.path), timestamp=stamp, hostname=host
        )
        tests = len(result.cases) + (1 if result.error else 0)
        failures = result.failed
        errors = result.errored
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("skipped", "0")
        suite.set("time", f"{result.seconds:.6f}")
        if result.error is not None:
            case = ET.SubElement(
                suite,
                "testcase",
                name="(load test file)",
                classname=_classname(result.path),
                time="0",
            )
            error = ET.SubElement(
                case,
                "error",
                message=_clean(result.error.message),
                type=type(result.error).__name__,
            )
            error.text = _clean(result.error.render())
        for case_result in result.cases:
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(case_result.case.name),
                classname=_classname(result.path),
                time=f"{case_result.seconds:.6f}",
            )
            if case_result.status == FAIL:
                failure = ET.SubElement(
                    case, "failure", message=_failure_message(case_result), type="AlertMismatch"
                )
                failure.text = _clean(render_case(case_result, result.path, plain))
            elif case_result.status == ERROR:
                assert case_result.error is not None
                error = ET.SubElement(
                    case,
                    "error",
                    message=_clean(case_result.error.message),
                    type=type(case_result.error).__name__,
                )
                error.text = _clean(render_case(case_result, result.path, plain))
        totals["tests"] += tests
        totals["failures"] += failures
        totals["errors"] += errors
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{seconds:.6f}")
    return root


def _failure_message(result: CaseResult) -> str:
    wrong = [s.kind for s in result.sections if not s.ok]
    return _clean("mismatch in " + ", ".join(wrong) if wrong else "mismatch")


def write_junit(results: list[FileResult], seconds: float, path: str) -> None:
    """Write the JUnit XML of a run to ``path`` (UTF-8, with an XML declaration)."""
    tree = ET.ElementTree(build_junit(results, seconds))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)

"""Regenerate these test files from Kapacitor's conformance cases (needs /work/shared).

    python tests/conformance/kapacitor_as_tests/convert.py /path/to/shared/conformance/kapacitor

Each case folder gets the script (placeholders replaced by addresses that are never contacted:
handlers do not send during tests), the input, and a ``test.yaml`` whose expectations are the
keys Kapacitor's own test compares (``case.json`` ``compare``).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


PLACEHOLDERS = {
    "__POST_URL__": "http://127.0.0.1:9/never-contacted",
    "__VICTOROPS_URL__": "http://127.0.0.1:9/never-contacted",
    "__LOG_PATH_1__": "/nonexistent/tickmini-never-written-1.log",
    "__LOG_PATH_2__": "/nonexistent/tickmini-never-written-2.log",
}
ALERT_KEYS = (
    "id",
    "message",
    "details",
    "time",
    "duration",
    "level",
    "previousLevel",
    "recoverable",
    "data",
)


def _replace(text: str) -> str:
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    return text


def _replace_values(value: object) -> object:
    if isinstance(value, str):
        return _replace(value)
    if isinstance(value, dict):
        return {k: _replace_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_values(v) for v in value]
    return value


def convert(case_dir: Path, out_root: Path) -> None:
    case = json.loads((case_dir / "case.json").read_text())
    out = out_root / case_dir.name
    out.mkdir(parents=True, exist_ok=True)
    (out / "script.tick").write_text(_replace((case_dir / "script.tick").read_text()))
    shutil.copyfile(case_dir / "input.lp", out / "input.lp")
    dbrp = case["dbrps"][0]
    doc: dict[str, object] = {
        "script": "script.tick",
        "task": case["task_id"],
        "dbrp": f"{dbrp['db']}.{dbrp['rp']}",
    }
    victorops = (case.get("service_config") or {}).get("victorops")
    if victorops:
        lines = ["[victorops]"]
        for key, value in victorops.items():
            text = (
                json.dumps(_replace_values(value))
                if not isinstance(value, bool)
                else str(value).lower()
            )
            lines.append(f"  {key.replace('_', '-')} = {text}")
        (out / "kapacitor.conf").write_text("\n".join(lines) + "\n")
        doc["config"] = "kapacitor.conf"
    if case.get("topic_handler"):
        (out / "handler.yaml").write_text(
            yaml.safe_dump(_replace_values(case["topic_handler"]), sort_keys=False)
        )
        doc["handlers"] = ["handler.yaml"]
    compare = set(case.get("compare", ()))
    expect: dict[str, object] = {}
    output = case["output"]
    expected = json.loads((case_dir / "expected.json").read_text())
    if output in ("post", "log") or (
        output == "topic handler" and case["topic_handler"]["kind"] == "post"
    ):
        alerts = [{k: e[k] for k in ALERT_KEYS if k in e and k in compare} for e in expected]
        expect["alerts"] = alerts
        if output == "log":
            expect["requests"] = [
                {"kind": "log", "body": e} for e in expected for _ in case.get("log_files", [])
            ]
        elif output == "topic handler":
            expect["requests"] = [{"kind": "post", "body": e} for e in expected]
    elif output in ("victorops", "topic handler"):
        expect["requests"] = [
            {"kind": "victorops", "routing_key": r["url_path"].rsplit("/", 1)[1], "body": r["body"]}
            for r in expected
        ]
        expect["counts"] = {}
    if output == "httpOut":
        expect["http_out"] = {_endpoint(case_dir): expected}
    elif case.get("httpout"):
        httpout = case["httpout"]
        expect["http_out"] = {
            httpout["endpoint"]: json.loads((case_dir / httpout["file"]).read_text())
        }
    if "counts" in expect and not expect["counts"]:
        del expect["counts"]
    doc["tests"] = [{"name": case_dir.name, "input_file": "input.lp", "expect": expect}]
    header = f"# Kapacitor conformance case {case_dir.name}: {case['source']} at {case['source_commit'][:7]}.\n"
    (out / "test.yaml").write_text(
        header + yaml.dump(doc, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=1000)
    )


def _endpoint(case_dir: Path) -> str:
    script = (case_dir / "script.tick").read_text()
    start = script.index("httpOut('") + len("httpOut('")
    return script[start : script.index("'", start)]


if __name__ == "__main__":
    source = Path(sys.argv[1])
    for folder in sorted(p for p in source.iterdir() if (p / "case.json").exists()):
        convert(folder, HERE)
        print("converted", folder.name)

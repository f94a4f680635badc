"""The grammar: found in the package, analysed by Lark once, cached as plain JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tickmini.syntax.grammar import CACHE_FORMAT, analyse_grammar, grammar_text

ROOT = Path(__file__).resolve().parents[2]

PARSE_AND_REPORT = (
    "import sys\n"
    "from tickmini.syntax.parser import parse_script\n"
    "parse_script(open(sys.argv[1]).read())\n"
    "print('lark' in sys.modules)\n"
)


def run_parse(cache_home: Path) -> bool:
    """Parse a sample in a fresh process; True if Lark had to be imported."""
    result = subprocess.run(
        [sys.executable, "-c", PARSE_AND_REPORT, str(ROOT / "samples" / "cpu_alert.tick")],
        capture_output=True,
        text=True,
        check=True,
        env={"XDG_CACHE_HOME": str(cache_home), "PATH": "/usr/bin:/bin", "HOME": str(cache_home)},
    )
    return result.stdout.strip() == "True"


def test_the_grammar_file_is_the_checkout_one() -> None:
    assert grammar_text() == (ROOT / "grammars" / "tickscript.lark").read_text(encoding="utf-8")


def test_cold_start_analyses_with_lark_and_warm_start_does_not_import_it(tmp_path: Path) -> None:
    assert run_parse(tmp_path) is True
    cache = tmp_path / "tickmini" / "tickscript-lalr.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert data["format"] == CACHE_FORMAT and len(data["key"]) == 64
    assert run_parse(tmp_path) is False


def test_a_damaged_or_stale_cache_is_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "tickmini" / "tickscript-lalr.json"
    cache.parent.mkdir()
    cache.write_text("{not json")
    assert run_parse(tmp_path) is True
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["states"] = "garbage"
    cache.write_text(json.dumps(data))
    assert run_parse(tmp_path) is True  # same key, unusable content: analysed again
    assert run_parse(tmp_path) is False


def test_no_writable_cache_directory_still_parses(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert run_parse(blocker) is True  # XDG_CACHE_HOME is a file: no cache, still works


def test_every_rule_reduces_through_the_tree_builder() -> None:
    data = analyse_grammar(grammar_text())
    methods = {shape["method"] for shape in data["rules"] if not shape["origin"].startswith("_")}
    assert {"var_decl", "chain", "binary", "unary", "paren", "lambda_expr"} <= methods
    assert set(data["start_states"]) == {"start", "lambda_start"}

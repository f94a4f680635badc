"""Go-compatible formatting, encoding and templates.

Kapacitor is written in Go and its output bytes come from Go's standard library (``fmt``,
``strconv``, ``time``, ``encoding/json``, ``text/template``, ``html/template``). This package
reproduces exactly the parts tickmini needs, so every other layer can say "format it like Go"
in one call.
"""

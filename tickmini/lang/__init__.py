"""Lambda expressions: Kapacitor's value types, operators and built-in functions, compiled once
into specialised Python code (entry points in :mod:`tickmini.lang.compiler`)."""

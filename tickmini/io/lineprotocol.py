"""Reading points: line protocol and Kapacitor ``.srpl`` recordings, streamed, loud about bad lines.

``read_points(source)`` yields :class:`tickmini.values.Point` objects from a path (``-`` is stdin,
gzip is detected), or a text or binary stream. Lines are parsed exactly as Kapacitor's InfluxDB 1.x
parser does (:mod:`tickmini.io.lp_exact`), with fast paths for the common shape
(:mod:`tickmini.io.lp_fast`). A bad line becomes a :class:`~tickmini.errors.LineProtocolError`
with file, line and column: raised at once with ``strict=True``, otherwise handed to
``on_error`` (by default kept on the reader) and skipped, the good lines around it still read.
The reader's ``stats`` say how many points were read and lines rejected, for a summary and an exit
code.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from tickmini.errors import LineProtocolError
from tickmini.io.lp_columns import ColumnBlock, make_column_parser
from tickmini.io.lp_exact import PRECISION_MULTIPLIERS, parse_logical_line
from tickmini.io.lp_fast import (
    KeyDecoder,
    is_plain,
    is_plain_line,
    make_chunk_parser,
    make_line_parser,
)
from tickmini.io.sources import (
    LINES,
    TOO_LONG,
    Source,
    UnreadableInput,
    open_source,
    read_blocks,
    source_name,
)
from tickmini.values import Point

MAX_KEPT_ERRORS = 1000  # errors kept on the reader by default; all are counted
MAX_LOGICAL_LINE = 1 << 22  # a string field spanning lines may not grow past this (4 Mi chars)
SRPL_SUFFIXES = (".srpl", ".srpl.gz")

ErrorHandler = Callable[[LineProtocolError], None]
# Given a validated block, the rows the consumer must see as Points (None: all of them).
RowFilter = Callable[[ColumnBlock], "Iterator[int] | None"]
DBRP = "str | tuple[str, str] | None"


@dataclass
class ReadStats:
    """Counts for the end-of-input summary and the exit code."""

    points: int = 0
    lines: int = 0
    rejected: int = 0
    errors: list[LineProtocolError] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user, e.g. ``read 10 points from 12 lines; 2 lines rejected``."""
        text = f"read {self.points} point{'s' if self.points != 1 else ''} from {self.lines} line"
        text += "" if self.lines == 1 else "s"
        if self.rejected:
            text += f"; {self.rejected} line{'s' if self.rejected != 1 else ''} rejected"
        return text


def parse_dbrp(dbrp: str | tuple[str, str] | None) -> tuple[str, str]:
    """``"db.rp"`` or ``(db, rp)`` → ``(db, rp)``; the database may itself contain dots."""
    if dbrp is None:
        return "", ""
    if isinstance(dbrp, tuple):
        database, retention_policy = dbrp
        return database, retention_policy
    database, dot, retention_policy = dbrp.rpartition(".")
    if not dot or not database or not retention_policy:
        raise ValueError(f"dbrp must look like 'db.rp', got {dbrp!r}")
    return database, retention_policy


@dataclass(slots=True)
class _LineScan:
    """InfluxDB's ``scanLine`` state, carried from one physical line to the next.

    A line goes on past its newline when the newline is inside a quoted field value or escaped by
    a backslash. Kept incremental so a long multi-line string costs linear time.
    """

    quoted: bool = False
    fields: bool = False
    equals: int = 0
    commas: int = 0

    def continues(self, text: str) -> bool:
        """Scan one physical line (without its newline); True if the logical line goes on."""
        buf = text + "\n"
        n = len(buf)
        quoted, fields, equals, commas = self.quoted, self.fields, self.equals, self.commas
        i = 0
        while i < n:
            c = buf[i]
            if c == "\\":  # more input follows this newline, so the escape always applies
                i += 2
                continue
            if c == " ":
                fields = True
            if fields:
                if not quoted and c == "=":
                    i += 1
                    equals += 1
                    continue
                if not quoted and c == ",":
                    i += 1
                    commas += 1
                    continue
                if c == '"' and equals > commas:
                    i += 1
                    quoted = not quoted
                    continue
            if c == "\n" and not quoted:
                return False
            i += 1
        self.quoted, self.fields, self.equals, self.commas = quoted, fields, equals, commas
        return True


class PointReader(Iterator[Point]):
    """Iterates the points of one or more inputs; ``stats`` is filled as it goes."""

    def __init__(
        self,
        sources: Iterable[Source],
        precision: str = "n",
        dbrp: str | tuple[str, str] | None = None,
        strict: bool = False,
        on_error: ErrorHandler | None = None,
        allow_unsigned: bool = False,
        now: Callable[[], int] | None = None,
        row_filter: RowFilter | None = None,
        on_block: Callable[[ReadStats], None] | None = None,
    ) -> None:
        """``on_block(stats)`` is called before each block of lines and at the end of each
        input (for live progress).
        ``row_filter`` lets a consumer that ignores most rows (see
        :mod:`tickmini.runtime.row_filter`) skip their Points: every line is still validated and
        counted, only the rows it names are yielded."""
        if precision not in PRECISION_MULTIPLIERS:
            raise ValueError(f"precision must be one of n, u, ms, s, m, h; got {precision!r}")
        self.precision = precision
        self.database, self.retention_policy = parse_dbrp(dbrp)
        self.strict = strict
        self.allow_unsigned = allow_unsigned
        self.now = now or time.time_ns
        self.stats = ReadStats()
        self._on_error = on_error or self._keep
        self._keys = KeyDecoder()
        self._row_filter = row_filter
        self._on_block = on_block
        self._line_in_source = 0  # lines read from the current input, for read-error locations
        # Blocks of points chained in C: a for loop resumes no Python frame per point.
        self._points = chain.from_iterable(self._read_all(list(sources)))

    @property
    def errors(self) -> list[LineProtocolError]:
        """The errors kept so far (the first ``MAX_KEPT_ERRORS`` when no ``on_error`` is given)."""
        return self.stats.errors

    def __iter__(self) -> Iterator[Point]:
        return self._points  # the chain itself: a for loop then skips __next__ per point

    def __next__(self) -> Point:
        return next(self._points)

    def _keep(self, err: LineProtocolError) -> None:
        if len(self.stats.errors) < MAX_KEPT_ERRORS:
            self.stats.errors.append(err)

    def _reject(self, err: LineProtocolError) -> None:
        self.stats.rejected += 1
        if self.strict:
            raise err
        self._on_error(err)

    def _read_all(self, sources: list[Source]) -> Iterator[Iterable[Point]]:
        for source in sources:
            name = source_name(source)
            is_srpl = name.endswith(SRPL_SUFFIXES)  # a path, or a stream's name
            self._line_in_source = 0
            try:
                with open_source(source) as stream:
                    if is_srpl:
                        for point in self._read_srpl(stream, name):
                            yield (point,)
                    else:
                        yield from self._read_line_protocol(stream, name)
            except UnreadableInput as err:  # counted like a bad line; the next input is read
                err.line = self._line_in_source + 1
                err.column = 1
                self._reject(err)

    # -- plain line protocol -------------------------------------------------------------------

    def _read_line_protocol(self, stream: object, name: str) -> Iterator[Iterable[Point]]:
        """The points of each block as one list (the fast path), or of each slow line alone."""
        stats = self.stats
        parse_block = make_chunk_parser(
            self.precision, self.database, self.retention_policy, self._keys
        )
        parse_plain = make_line_parser(
            self.precision, self.database, self.retention_policy, self._keys, self.now
        )
        row_filter = self._row_filter
        parse_columns = make_column_parser(self.precision, self._keys) if row_filter else None
        lineno = 0
        pending: list[str] | None = None
        pending_line = 0
        pending_size = 0
        scan = _LineScan()
        on_block = self._on_block
        for block, kind in read_blocks(stream, name):  # type: ignore[arg-type]
            self._line_in_source = lineno
            if on_block is not None:
                on_block(stats)
            if parse_columns is not None and pending is None and kind == LINES:
                columns = parse_columns(block)
                rows = row_filter(columns) if columns is not None else None  # type: ignore[misc]
                if rows is not None:
                    assert columns is not None
                    stats.lines += columns.n
                    stats.points += columns.n
                    yield self._rows(columns, rows, parse_plain, name, lineno)
                    lineno += columns.n
                    continue
            if kind == TOO_LONG:
                lineno += 1
                stats.lines += 1
                self._reject(
                    LineProtocolError(
                        "line too long",
                        file=name,
                        line=lineno,
                        column=1,
                        source_line=block,
                        expected="lines shorter than 16 Mi characters",
                    )
                )
                continue
            if pending is None and kind == LINES:
                points = parse_block(block)
                count = len(points) if points is not None else 0
                if points is None and is_plain(block):
                    count = block.count("\n")
                    points = self._by_measurement(block, parse_block, parse_plain, name, lineno)
                if points is not None:
                    lineno += count
                    stats.lines += count
                    if isinstance(points, list):  # else the points count themselves
                        stats.points += len(points)
                    yield points
                    del points  # the block's Points go before the next block is parsed
                    continue
            plain_block = pending is None and is_plain(block)
            lines = block.split("\n")
            if kind == LINES:
                lines.pop()
            for raw in lines:
                lineno += 1
                stats.lines += 1
                if not plain_block:
                    if raw[-1:] == "\r":
                        raw = raw[:-1]
                    if pending is not None:
                        pending.append(raw)
                        pending_size += len(raw) + 1
                        if pending_size > MAX_LOGICAL_LINE:
                            self._reject(
                                LineProtocolError(
                                    "unbalanced quotes",
                                    file=name,
                                    line=pending_line,
                                    column=1,
                                    source_line=pending[0][:200],
                                    expected=f"a closing '\"' before line {lineno} "
                                    f"(a string may not span more than {MAX_LOGICAL_LINE} characters)",
                                )
                            )
                            pending = None
                            continue
                        if scan.continues(raw):
                            continue
                        text = "\n".join(pending)
                        pending = None
                        point = self._parse_exact(text, name, pending_line)
                        if point is not None:
                            stats.points += 1
                            yield (point,)
                        continue
                    if '"' in raw or raw[-1:] == "\\":
                        scan = _LineScan()
                        if scan.continues(raw):
                            pending, pending_line, pending_size = [raw], lineno, len(raw)
                            continue
                    if not is_plain_line(raw):
                        point = self._parse_exact(raw, name, lineno)
                        if point is not None:
                            stats.points += 1
                            yield (point,)
                        continue
                point = parse_plain(raw)
                if point is None:
                    point = self._parse_exact(raw, name, lineno)
                    if point is None:
                        continue
                stats.points += 1
                yield (point,)
        if pending is not None:
            point = self._parse_exact("\n".join(pending), name, pending_line)
            if point is not None:
                stats.points += 1
                yield (point,)
        if on_block is not None:
            on_block(stats)

    def _rows(
        self,
        columns: ColumnBlock,
        rows: Iterator[int],
        parse_plain: Callable[[str], Point | None],
        name: str,
        first_line: int,
    ) -> Iterator[Point]:
        """The named rows of a validated block as the Points the line path makes of them,
        one at a time: the filter chooses each row after the previous one was handled."""
        for row in rows:
            text = columns.line(row)
            point = parse_plain(text) or self._parse_exact(text, name, first_line + row + 1)
            if point is not None:
                yield point

    def _by_measurement(
        self,
        block: str,
        parse_block: Callable[[str], list[Point] | None],
        parse_plain: Callable[[str], Point | None],
        name: str,
        first_line: int,
    ) -> list[Point] | Iterator[Point] | None:
        """A plain block the block parser did not answer, such as a Telegraf batch of cpu, mem,
        disk... lines: one block per measurement for the block parser, the Points put back in
        line order. The lines of a part it does not answer are read one by one as their turn
        comes (an iterator that counts its points), so an error is reported after the points
        before it, as when reading line by line. None (read the block line by line) for one
        measurement, or with ``strict`` when a part is not answered."""
        lines = block.split("\n")
        lines.pop()  # a block ends with a newline
        parts: dict[str, list[int]] = {}
        for index, line in enumerate(lines):
            cut = line.find(",")
            key = line[:cut] if cut >= 0 else line.partition(" ")[0]
            rows = parts.get(key)
            if rows is None:
                parts[key] = [index]
            else:
                rows.append(index)
        if len(parts) < 2:
            return None
        placed: list[Point | None] = [None] * len(lines)
        unanswered: list[int] = []
        for rows in parts.values():
            part = parse_block("".join([lines[i] + "\n" for i in rows]))
            if part is None:
                if self.strict:
                    return None
                unanswered.extend(rows)
                continue
            for index, point in zip(rows, part, strict=True):
                placed[index] = point
        if not unanswered:
            return placed  # type: ignore[return-value]  # every line has its Point
        return self._in_line_order(placed, lines, parse_plain, name, first_line)

    def _in_line_order(
        self,
        placed: list[Point | None],
        lines: list[str],
        parse_plain: Callable[[str], Point | None],
        name: str,
        first_line: int,
    ) -> Iterator[Point]:
        """The placed Points and, in their turn, the other lines read one by one."""
        stats = self.stats
        for index, point in enumerate(placed):
            if point is None:
                text = lines[index]
                point = parse_plain(text) or self._parse_exact(text, name, first_line + index + 1)
                if point is None:
                    continue
            stats.points += 1
            yield point

    def _parse_exact(
        self, text: str, name: str, lineno: int, now: Callable[[], int] | None = None
    ) -> Point | None:
        """The exact path for one logical line: a point, or None for comments, blanks, errors."""
        try:
            parsed = parse_logical_line(text, now or self.now, self.precision, self.allow_unsigned)
        except LineProtocolError as err:
            self._reject(_locate(err, text, name, lineno))
            return None
        if parsed is None:
            return None
        return Point(
            parsed.name,
            parsed.tags,
            parsed.fields,
            parsed.time,
            self.database,
            self.retention_policy,
        )

    # -- .srpl recordings ----------------------------------------------------------------------

    def _read_srpl(self, stream: object, name: str) -> Iterator[Point]:
        """Kapacitor's recording format: database line, retention-policy line, point line."""
        stats = self.stats
        parse_plain = make_line_parser(self.precision, "", "", self._keys, _no_srpl_default_time)
        group: list[str] = []
        lineno = 0
        for block, kind in read_blocks(stream, name):  # type: ignore[arg-type]
            self._line_in_source = lineno
            if self._on_block is not None:
                self._on_block(stats)
            lines = [block[:200]] if kind == TOO_LONG else block.split("\n")
            if kind == LINES:
                lines.pop()
            for raw in lines:
                lineno += 1
                stats.lines += 1
                if raw[-1:] == "\r":  # bufio.ScanLines drops one CR
                    raw = raw[:-1]
                group.append(raw)
                if len(group) < 3:
                    continue
                database, retention_policy, text = group
                group = []
                if kind == TOO_LONG:
                    self._reject(
                        LineProtocolError(
                            "line too long", file=name, line=lineno, column=1, source_line=text
                        )
                    )
                    continue
                point = None
                if is_plain_line(text):
                    try:
                        point = parse_plain(text)
                    except LineProtocolError:
                        point = None
                if point is None:
                    point = self._parse_exact(text, name, lineno, now=_no_srpl_default_time)
                if point is not None:
                    point.database = database
                    point.retention_policy = retention_policy
                    stats.points += 1
                    yield point
        if group:
            self._reject(
                LineProtocolError(
                    "invalid replay file format, expected another line",
                    file=name,
                    line=lineno,
                    column=len(group[-1]) + 1,
                    source_line=group[-1],
                    expected="groups of three lines: database, retention policy, point",
                )
            )


def _no_srpl_default_time() -> int:
    """Kapacitor replays such a point at year 1 (``time.Time{}``), outside nanosecond range."""
    raise LineProtocolError(
        "missing timestamp",
        expected="a timestamp on every point of a .srpl recording (Kapacitor would date it year 1)",
    )


def _locate(err: LineProtocolError, text: str, name: str, lineno: int) -> LineProtocolError:
    """Turn a parser error (column within ``text``) into FILE:LINE:COL on the input."""
    index = err.column - 1 if err.column else 0
    line = lineno + text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    line_end = text.find("\n", index)
    err.file = name
    err.line = line
    err.column = index - line_start + 1
    err.source_line = text[line_start : line_end if line_end >= 0 else len(text)]
    return err


def read_points(
    source: Source,
    precision: str = "n",
    dbrp: str | tuple[str, str] | None = None,
    strict: bool = False,
    on_error: ErrorHandler | None = None,
    allow_unsigned: bool = False,
    now: Callable[[], int] | None = None,
    row_filter: RowFilter | None = None,
    on_block: Callable[[ReadStats], None] | None = None,
) -> PointReader:
    """Points from one input (path, ``-``, gzip, ``.srpl``, or a text/binary stream).

    ``dbrp`` (``"db.rp"`` or a tuple) sets each point's database and retention policy (``.srpl``
    points keep their own). ``now()`` gives the time for points without a timestamp (default:
    the wall clock when the line is read, as Kapacitor uses the time of the write). The returned
    reader is an iterator with ``stats`` and ``errors``. Points of one series may share one tags
    dict: treat ``point.tags`` as read-only (copy it to change it).
    """
    return PointReader(
        [source],
        precision=precision,
        dbrp=dbrp,
        strict=strict,
        on_error=on_error,
        allow_unsigned=allow_unsigned,
        now=now,
        row_filter=row_filter,
        on_block=on_block,
    )


#: Points from several inputs in order, one shared ``stats``; see :func:`read_points`.
read_inputs = PointReader

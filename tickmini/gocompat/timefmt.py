"""Go ``time.Time`` text and arithmetic over integer nanoseconds since the Unix epoch (UTC).

A time is a Python ``int`` of nanoseconds relative to 1970-01-01T00:00:00Z; Python ints are
unbounded, so Go's zero time (0001-01-01T00:00:00Z, the value of an unset ``time.Time``) is simply
``GO_ZERO_TIME_NS`` = -62135596800 s. Differences follow Go's ``Time.Sub``, which saturates at the
int64 range instead of overflowing.
"""

from __future__ import annotations

from tickmini.gocompat.durations import SECOND
from tickmini.gocompat.int64 import INT64_MAX, INT64_MIN

GO_ZERO_TIME_SECONDS = -62_135_596_800
GO_ZERO_TIME_NS = GO_ZERO_TIME_SECONDS * SECOND

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def sub_saturating(a_ns: int, b_ns: int) -> int:
    """Go ``a.Sub(b)``: the difference in ns, clamped to the int64 range."""
    diff = a_ns - b_ns
    if diff > INT64_MAX:
        return INT64_MAX
    if diff < INT64_MIN:
        return INT64_MIN
    return diff


def civil(ns: int) -> tuple[int, int, int, int, int, int, int]:
    """(year, month, day, hour, minute, second, nanosecond) in UTC for any year (proleptic)."""
    seconds, nanos = divmod(ns, SECOND)
    days, secs_of_day = divmod(seconds, 86_400)
    # Howard Hinnant's civil_from_days: exact for every proleptic Gregorian date.
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    hour, rest = divmod(secs_of_day, 3600)
    minute, second = divmod(rest, 60)
    return year, month, day, hour, minute, second, nanos


def weekday(ns: int) -> int:
    """0 = Sunday, as Go's ``time.Weekday``."""
    days = ns // SECOND // 86_400
    return (days + 4) % 7  # 1970-01-01 was a Thursday


def year_day(ns: int) -> int:
    """Go ``Time.YearDay()``: 1..366."""
    year = civil(ns)[0]
    start = _days_from_civil(year, 1, 1)
    return ns // SECOND // 86_400 - start + 1


def _days_from_civil(year: int, month: int, day: int) -> int:
    y = year - (1 if month <= 2 else 0)
    era = y // 400
    yoe = y - era * 400
    mp = month - 3 if month > 2 else month + 9
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def _year_text(year: int) -> str:
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _fraction(nanos: int) -> str:
    """``.999999999`` style: trailing zeros trimmed, nothing when zero."""
    if nanos == 0:
        return ""
    return "." + f"{nanos:09d}".rstrip("0")


def format_rfc3339nano(ns: int) -> str:
    """``time.RFC3339Nano`` in UTC: ``1971-01-01T00:00:10Z``, ``...:10.5Z``."""
    year, month, day, hour, minute, second, nanos = civil(ns)
    return (
        f"{_year_text(year)}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        f"{_fraction(nanos)}Z"
    )


def format_go_time(ns: int) -> str:
    """Go ``time.Time.String()`` in UTC: ``1971-01-01 00:00:10.5 +0000 UTC``."""
    year, month, day, hour, minute, second, nanos = civil(ns)
    return (
        f"{_year_text(year)}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
        f"{_fraction(nanos)} +0000 UTC"
    )


def format_rfc822(ns: int) -> str:
    """``time.RFC822`` in UTC: ``01 Jan 71 00:00 UTC``."""
    year, month, day, hour, minute, _, _ = civil(ns)
    return f"{day:02d} {MONTH_NAMES[month - 1][:3]} {year % 100:02d} {hour:02d}:{minute:02d} UTC"


# Go layout elements, longest first where one is a prefix of another.
_LAYOUT_TOKENS: tuple[str, ...] = (
    "January",
    "Jan",
    "Monday",
    "Mon",
    "MST",
    "2006",
    "Z07:00:00",
    "Z070000",
    "Z07:00",
    "Z0700",
    "Z07",
    "-07:00:00",
    "-070000",
    "-07:00",
    "-0700",
    "-07",
    "002",
    "__2",
    "_2",
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "15",
    "1",
    "2",
    "3",
    "4",
    "5",
    "PM",
    "pm",
)


def format_layout(ns: int, layout: str) -> str:
    """Go ``Time.Format(layout)`` in UTC for the standard layout elements."""
    year, month, day, hour, minute, second, nanos = civil(ns)
    out: list[str] = []
    i = 0
    n = len(layout)
    while i < n:
        ch = layout[i]
        if ch in ".," and i + 1 < n and layout[i + 1] in "09":
            digit = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == digit:
                j += 1
            if j >= n or not layout[j].isdigit():
                width = j - i - 1
                frac = f"{nanos:09d}"[:width]
                if digit == "9":
                    frac = frac.rstrip("0")
                    out.append(ch + frac if frac else "")
                else:
                    out.append(ch + frac)
                i = j
                continue
        for token in _LAYOUT_TOKENS:
            if layout.startswith(token, i):
                out.append(_layout_value(token, year, month, day, hour, minute, second, ns))
                i += len(token)
                break
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _layout_value(
    token: str, year: int, month: int, day: int, hour: int, minute: int, second: int, ns: int
) -> str:
    hour12 = hour % 12 or 12
    values = {
        "January": MONTH_NAMES[month - 1],
        "Jan": MONTH_NAMES[month - 1][:3],
        "Monday": _WEEKDAYS[weekday(ns)],
        "Mon": _WEEKDAYS[weekday(ns)][:3],
        "MST": "UTC",
        "2006": _year_text(year),
        "06": f"{year % 100:02d}",
        "01": f"{month:02d}",
        "1": str(month),
        "02": f"{day:02d}",
        "2": str(day),
        "_2": f"{day:2d}",
        "002": f"{year_day(ns):03d}",
        "__2": f"{year_day(ns):3d}",
        "15": f"{hour:02d}",
        "03": f"{hour12:02d}",
        "3": str(hour12),
        "04": f"{minute:02d}",
        "4": str(minute),
        "05": f"{second:02d}",
        "5": str(second),
        "PM": "PM" if hour >= 12 else "AM",
        "pm": "pm" if hour >= 12 else "am",
    }
    if token in values:
        return values[token]
    if token.startswith("Z"):
        return "Z"
    return {"-07": "+00", "-0700": "+0000", "-07:00": "+00:00"}.get(
        token, "+00:00:00" if ":" in token else "+000000"
    )

"""Go float text: ``%v``, ``encoding/json`` and ``strconv.FormatFloat(f, 'f', -1, 64)``.

All three start from the shortest decimal digits that round-trip (Python's ``repr`` computes the
same digits as Go's ``strconv``) and differ in when an exponent is used and how it is written
(reference §4.7, §6.4, Appendix A; verified with Go):

* ``%v`` (templates, ``fmt.Sprint``): exponent iff the decimal exponent X of the leading digit is
  X < -4 or X >= 6, written ``d[.ddd]e±XX`` (``1e+06``, ``1e-05``, ``1.5e+20``).
* JSON: exponent iff ``|f| < 1e-6`` or ``|f| >= 1e21``; a negative two-digit exponent loses its
  leading zero (``1e-7``, ``1e+21``). NaN and ±Inf cannot be encoded.
* ``'f'`` (lambda ``string()``): never an exponent.

None of them prints a trailing ``.0``; negative zero prints ``-0``.
"""

from __future__ import annotations

import math

from tickmini.errors import TickminiError


class UnsupportedFloatError(TickminiError):
    """``encoding/json`` cannot encode NaN or ±Inf (Go: ``json: unsupported value: NaN``)."""


def shortest_digits(f: float) -> tuple[str, int]:
    """Shortest round-trip digits of ``|f|`` and the decimal point position ``dp``.

    ``|f| == 0.DIGITS × 10**dp``; zero is ``("0", 1)``. ``f`` must be finite.
    """
    text = repr(abs(f))
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    if fraction == "0":
        fraction = ""
    digits = whole + fraction
    dp = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    if not stripped:
        return "0", 1
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0"), dp


def _exponent_form(digits: str, dp: int, *, min_exp_digits: int = 2) -> str:
    exp = dp - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{mantissa}e{sign}{abs(exp):0{min_exp_digits}d}"


def _fixed_form(digits: str, dp: int) -> str:
    if digits == "0":
        return "0"
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def _special(f: float) -> str | None:
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    return None


def _sign(f: float) -> str:
    return "-" if math.copysign(1.0, f) < 0 else ""


def format_float_v(f: float) -> str:
    """Go ``%v`` of a float64 (``strconv.FormatFloat(f, 'g', -1, 64)``)."""
    if 1e-4 <= f < 1e6 or -1e6 < f <= -1e-4:
        # Python's repr is plain decimal here too; only the ".0" differs.
        text = repr(f)
        return text[:-2] if text.endswith(".0") else text
    special = _special(f)
    if special is not None:
        return special
    digits, dp = shortest_digits(f)
    if digits == "0":
        return _sign(f) + "0"
    exp = dp - 1
    if exp < -4 or exp >= 6:
        return _sign(f) + _exponent_form(digits, dp)
    return _sign(f) + _fixed_form(digits, dp)


def format_float_e(f: float) -> str:
    """Go ``strconv.FormatFloat(f, 'e', -1, 64)``: ``1e+06``, ``1.5e-07``, ``0e+00``."""
    special = _special(f)
    if special is not None:
        return special
    digits, dp = shortest_digits(f)
    if digits == "0":
        return _sign(f) + "0e+00"
    return _sign(f) + _exponent_form(digits, dp)


def format_float_f(f: float) -> str:
    """Go ``strconv.FormatFloat(f, 'f', -1, 64)``: shortest digits, never an exponent."""
    special = _special(f)
    if special is not None:
        return special
    digits, dp = shortest_digits(f)
    return _sign(f) + _fixed_form(digits, dp)


def format_float_json(f: float) -> str:
    """``encoding/json`` float64 text; raises :class:`UnsupportedFloatError` on NaN/±Inf."""
    if 1e-4 <= f < 1e16 or -1e16 < f <= -1e-4:
        text = repr(f)  # plain decimal in Python and Go alike
        return text[:-2] if text.endswith(".0") else text
    if math.isnan(f) or math.isinf(f):
        raise UnsupportedFloatError(
            f"json: unsupported value: {_special(f)}",
            hint="JSON has no NaN or infinity; Kapacitor fails to encode such a value too",
        )
    magnitude = abs(f)
    digits, dp = shortest_digits(f)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = _exponent_form(digits, dp)
        if text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return _sign(f) + text
    return _sign(f) + _fixed_form(digits, dp)

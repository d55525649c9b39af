"""Number formats: the subset of d3-format the charts use (``$``, ``,``, precision, ``~``, types ``s f % d`` and none)."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .base import MINUS, Unsupported

_SI = {-24: "y", -21: "z", -18: "a", -15: "f", -12: "p", -9: "n", -6: "\u00b5", -3: "m", 0: "",
       3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E", 21: "Z", 24: "Y"}


def _parse_format(spec: str) -> tuple[str, bool, bool, int | None, bool, str]:
    s = spec or ""
    currency = s.startswith("$")
    s = s[1:] if currency else s
    comma = s.startswith(",")
    s = s[1:] if comma else s
    precision = None
    if s.startswith("."):
        digits = ""
        s = s[1:]
        while s and s[0].isdigit():
            digits, s = digits + s[0], s[1:]
        precision = int(digits) if digits else None
    trim = s.startswith("~")
    s = s[1:] if trim else s
    if s not in ("", "s", "f", "%", "d"):
        raise Unsupported(f"number format {spec!r}")
    return spec, currency, comma, precision, trim, s


def _trim(num: str) -> str:
    if "." in num:
        num = num.rstrip("0").rstrip(".")
    return num


def _group(num: str) -> str:
    whole, dot, frac = num.partition(".")
    out = ""
    while len(whole) > 3:
        out, whole = "," + whole[-3:] + out, whole[:-3]
    return whole + out + dot + frac


def _fixed(v: float, digits: int) -> str:
    """Fixed-point with halves rounded up, like JavaScript's toFixed (Python rounds them to even)."""
    return str(Decimal(repr(round(v, 12))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=1 << 14)
def format_number(value: float, spec: str) -> str:
    """``value`` formatted like d3-format's ``spec`` (the subset the charts use), with a real minus; cached
    (tick values recur from chart to chart)."""
    _, currency, comma, precision, trim, kind = _parse_format(spec)
    v = float(value)
    if not math.isfinite(v):
        return ""
    suffix = ""
    if kind == "%":
        num = _fixed(abs(v) * 100, 6 if precision is None else precision)
        suffix = "%"
    elif kind == "f":
        num = _fixed(abs(v), 6 if precision is None else precision)
    elif kind == "d":
        num = f"{round(abs(v)):d}"
    elif kind == "s":
        p = 6 if precision is None else max(1, precision)
        a = abs(v)
        if a == 0:
            num = "0" if precision is None or trim else f"{0:.{p - 1}f}"
        else:
            a = float(f"{a:.{p}g}")
            exp = max(-24, min(24, int(math.floor(math.log10(a) / 3)) * 3))
            mant = a / 10 ** exp
            digits = max(0, p - 1 - int(math.floor(math.log10(mant))))
            num = f"{mant:.{digits}f}"
            suffix = _SI[exp]
    else:  # none: shortest of up to 12 significant digits
        num = f"{abs(v):.12g}"
        trim = False
    if trim:
        num = _trim(num)
    if comma:
        num = _group(num)
    negative = v < 0 and any(c not in "0." for c in num)
    return (MINUS if negative else "") + ("$" if currency else "") + num + suffix

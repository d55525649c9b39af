"""Presentation formatting: the only place fractions become percent.

Used by generated sentences and as Jinja filters, so a figure reads the same everywhere.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

DASH = "—"


def _ok(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


_NONZERO = re.compile("[1-9]").search


def _signed(text: str) -> str:
    """A formatted number with U+2212 for minus, and never a minus (or plus) on a zero: '-0.0' -> '0.0'."""
    if text.startswith(("+", "-")) and not _NONZERO(text):  # only a leading sign is stripped
        text = text.lstrip("+-")
    return text.replace("-", "\u2212")


_PCT_SPECS: dict = {}


def pct(x, digits: int = 1, sign: bool = False) -> str:
    """0.1716 -> '17.2%' ('+17.2%' with sign=True); None -> '—'. Minus is U+2212; a value that rounds to
    zero has no sign ('0.0%', never '−0.0%')."""
    if x is None or (isinstance(x, float) and x != x):  # not _ok(x), inline (a page formats ~400 values)
        return DASH
    spec = _PCT_SPECS.get((digits, sign))
    if spec is None:
        spec = _PCT_SPECS[(digits, sign)] = f"{'+' if sign else ''}.{digits}f"
    text = format(x * 100, spec)
    if text[0] in "+-" and not _NONZERO(text):  # _signed, inline
        text = text.lstrip("+-")
    return text.replace("-", "\u2212") + "%"


def shown(x, digits: int = 1) -> float:
    """A fraction as :func:`pct` shows it, in percent (0.34121 -> 34.1): what a reader can subtract."""
    return float(f"{x * 100:.{digits}f}")


def lead(a, b, digits: int = 1) -> float:
    """The difference of two fractions as shown (:func:`shown`), in percentage points: 0.3412 and 0.2727
    show as 34.1% and 27.3%, so the lead is 6.8 (never 6.9, which the unrounded figures give)."""
    return round(shown(a, digits) - shown(b, digits), digits)


def pts(x, digits: int = 1) -> str:
    """A difference of two fractions in percentage points: 0.093 -> '9.3 points'."""
    if not _ok(x):
        return DASH
    return f"{abs(x) * 100:.{digits}f} points"


def gap(a, b, digits: int = 1) -> str:
    """The lead of ``a`` over ``b`` in points, agreeing with the two figures as :func:`pct` shows them."""
    if not (_ok(a) and _ok(b)):
        return DASH
    return f"{abs(lead(a, b, digits)):.{digits}f} points"


def num(x, digits: int = 2) -> str:
    """Plain number: 0.8249 -> '0.82'; negative with U+2212 (never on a zero: '0.00')."""
    if not _ok(x):
        return DASH
    return _signed(f"{x:,.{digits}f}")


def money(x, digits: int = 0) -> str:
    """Dollars: 17504.9 -> '$17,505'; >= 1e9 -> '$395.0B'; >= 1e6 -> '$12.3M'."""
    if not _ok(x):
        return DASH
    if abs(x) >= 1e9:
        return f"${x / 1e9:,.1f}B"
    if abs(x) >= 1e6:
        return f"${x / 1e6:,.1f}M"
    return f"${x:,.{digits}f}"


def assets(x) -> str:
    """Fund assets at the precision they were published: 78.41e9 -> '$78.41B', 395e9 -> '$395B',
    1.7573e12 -> '$1.76T' (two decimals at most, trailing zeros dropped)."""
    if not _ok(x):
        return DASH
    for unit, div in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(x) >= div:
            return f"${x / div:,.2f}".rstrip("0").rstrip(".") + unit
    return money(x)


def observed(as_of) -> str:
    """An observation date at its precision: '2026-01-25' -> '25 Jan 2026', '2026-04' -> 'Apr 2026'."""
    if not as_of:
        return DASH
    s = str(as_of)
    if len(s) == 7:
        return pd.Timestamp(s + "-01").strftime("%b %Y")
    return date(s)


def count(x) -> str:
    """Integer with thousands separators: 1956 -> '1,956'."""
    return DASH if not _ok(x) else f"{int(x):,}"


def date(d, style: str = "long") -> str:
    """'2026-07-31' -> '31 Jul 2026' (style 'long') or 'Fri 31 Jul 2026' (style 'day')."""
    try:
        return _date(d, style)
    except TypeError:  # not hashable: not cached
        return _date.__wrapped__(d, style)


def dates(values) -> list[str]:
    """``[date(d) for d in values]`` of datetime64 values (a year-end table's dates), without a Timestamp per value
    (each day's text is remembered by :func:`date`'s cache)."""
    return [date(str(d)) for d in np.asarray(values, dtype="datetime64[D]")]


@lru_cache(maxsize=1 << 14)
def _date(d, style: str) -> str:
    """:func:`date`, remembered: a page formats the same few hundred dates many times."""
    if d is None or (not isinstance(d, str) and pd.isna(d)):
        return DASH
    ts = pd.Timestamp(d)
    return ts.strftime("%a %-d %b %Y" if style == "day" else "%-d %b %Y")


def clip(text: str, limit: int = 300) -> str:
    """``text`` in at most ``limit`` characters, never cut inside a word: whole sentences when the first ones
    fit in at least half of ``limit``, else whole words and an ellipsis ("grew to much…", never "grew to muc")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit + 1]
    end = max(head.rfind(". "), head.rfind("; "))
    if end >= limit // 2 and head[end] == ".":
        return head[:end + 1]
    cut = head[:limit - 1]  # room for the ellipsis
    space = cut.rfind(" ")
    cut = cut if head[limit - 1] == " " or space <= 0 else cut[:space]
    return cut.rstrip(" ,;:(") + "\u2026"


_SUFFIXES = {"INC": "Inc.", "CORP": "Corp.", "CO": "Co.", "LTD": "Ltd.", "PLC": "plc", "NV": "N.V.", "SA": "S.A.",
             "AG": "AG", "SE": "SE", "LP": "L.P.", "LLC": "LLC", "ETF": "ETF", "REIT": "REIT", "ADR": "ADR",
             "HOLDINGS": "Holdings", "CLASS": "Class", "CL": "Class", "COS": "Cos.", "+": "&", "CO/THE": "Co."}
_LOWER = {"AND", "OF", "THE", "FOR", "IN", "ON", "DE"}
_KEEP = {"US", "USA", "UK", "SPDR", "MSCI", "S&P", "AI", "II", "III", "IV", "NYSE", "JP", "HK", "ASML", "EOG", "IBM",
         "AMD", "SAP", "HSBC", "TSMC", "SLB", "SPX", "TJX", "NVIDIA"}
_BRANDS = {"IONQ": "IonQ", "JPMORGAN": "JPMorgan", "MCKESSON": "McKesson", "ABBVIE": "AbbVie",
           "CONOCOPHILLIPS": "ConocoPhillips", "BORGWARNER": "BorgWarner", "BRIDGEBIO": "BridgeBio",
           "HEALTHEQUITY": "HealthEquity", "INTERDIGITAL": "InterDigital", "AEROVIRONMENT": "AeroVironment",
           "ECHOSTAR": "EchoStar", "CARETRUST": "CareTrust", "CASEYS": "Casey's", "UNITEDHEALTH": "UnitedHealth",
           "NESTLE": "Nestlé", "SANDISK": "SanDisk", "PAYPAL": "PayPal", "NEXTERA": "NextEra", "AMAZON.COM": "Amazon.com"}
"""Names whose own capitalization a title case would lose."""
CUT_AT = 34
"""Issuer holdings files cut names at this many characters ("KRATOS DEFENSE AND SECURITY SOLUTI")."""


def company(name: str | None) -> str | None:
    """A holding's name as a reader expects it: names published in capitals are title-cased ("BLOOM ENERGY
    CLASS A CORP" -> "Bloom Energy Class A Corp."), keeping abbreviations without vowels ("BLK CSH FND"),
    acronyms and share-class letters; a capitalized name cut by its source's width ends in "…" so it
    never passes for the full name. Names published in mixed case are kept as they are."""
    if not name or any(c.islower() for c in name):
        return name
    words = name.split()
    out = []
    for i, w in enumerate(words):
        if w in _BRANDS:
            out.append(_BRANDS[w])
        elif w in _SUFFIXES and (i > 0 or w in ("+",)):
            out.append(_SUFFIXES[w])
        elif w == "INTL":
            out.append("Intl.")
        elif w in _KEEP or len(w) == 1 or not any(c in "AEIOUY" for c in w) or any(c.isdigit() for c in w):
            out.append(w)
        elif w in _LOWER and i > 0:
            out.append(w.lower())
        else:
            out.append("-".join(part.capitalize() for part in w.split("-")))
    text = " ".join(out)
    if len(name) == CUT_AT and words[-1] not in _SUFFIXES:
        text += "\u2026"
    return text


FILTERS = {"pct": pct, "pts": pts, "num": num, "money": money, "count": count, "date": date}
"""The filters of the page templates."""

SMALL_FIGURES = 3
"""Significant figures an editor's ``pct`` or ``pts`` keeps for a value under one percent."""


def _enough(x, digits: int) -> int:
    """``digits``, or more for a value under 1% so that it keeps :data:`SMALL_FIGURES` significant figures
    (0.000945 is '0.0945%', never '0.1%'); trailing zeros past ``digits`` are dropped by the callers."""
    p = abs(x * 100)
    if p == 0 or p >= 1 or not math.isfinite(p):
        return digits
    return max(digits, SMALL_FIGURES - 1 - math.floor(math.log10(p)))


def _trim(text: str, digits: int) -> str:
    """'0.1900' -> '0.19' when only the digits past ``digits`` are zeros."""
    head, dot, tail = text.partition(".")
    if not dot or len(tail) <= digits:
        return text
    kept = tail[:digits] + tail[digits:].rstrip("0")
    return head + ("." + kept if kept else "")


def pct_exact(x, digits: int = 1, sign: bool = False) -> str:
    """Editors' ``pct``: :func:`pct`, but a fraction under 1% keeps enough decimals to show it
    (0.000945 -> '0.0945%', 0.0019 -> '0.19%'; a figure that rounds to '0.1%' would hide its size)."""
    if not _ok(x):
        return DASH
    more = _enough(x, digits)
    s = _trim(f"{x * 100:{'+' if sign else ''}.{more}f}", digits) + "%"
    return s.replace("-", "\u2212")


def pts_exact(x, digits: int = 1) -> str:
    """Editors' ``pts``: :func:`pts` with :func:`pct_exact`'s decimals for a difference under one point."""
    if not _ok(x):
        return DASH
    return f"{_trim(f'{abs(x) * 100:.{_enough(x, digits)}f}', digits)} points"


EDITOR_FILTERS = {**FILTERS, "pct": pct_exact, "pts": pts_exact}
"""The filters of commentary placeholders (``{{ QQQ.total_return.1y | pct }}``)."""

"""Plausible values of fund facts: the ranges a value must fall in to be published.

A fact can be well-formed and still wrong: an expense ratio of ``0.19`` meant as 0.19 % is published as
19 %; an ``as_of`` in the future; an inception after the fund's first price; sector weights summing to
150 %; a control character in a fund's name (it reached vl-convert and printed a Rust backtrace).  Each rule
here checks one parsed value and returns ``None`` or the problem, naming the value and the plausible range;
the parser of ``data/funds.toml`` turns that into ``file:line: TICKER.key: …`` (exit 2), live values that
fail are ignored (the curated value stays).  The rules are independent of the file format, so any parser can
call them: :func:`fact`, :func:`as_of`, :func:`text`, :func:`weights`, :func:`holdings`, :func:`inception`.

The ranges are printed in README ("Plausible values") from :data:`RANGES`.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata

# key -> (low, high, unit and example) ; both ends included
RANGES: dict[str, tuple[float, float, str]] = {
    "expense_ratio": (0.0, 0.025, "a fraction a year: 0.0019 is 0.19%"),
    "dividend_yield": (0.0, 0.25, "a fraction: 0.013 is 1.3%"),
    "aum": (1e5, 5e12, "US dollars: 395e9 is $395 billion"),
    "holdings_count": (1, 100_000, "a whole number of holdings"),
}
WEIGHT_SUM_MAX = 1.02
"""Sector or top-holding weights may sum to at most 102% (rounded published figures)."""
EARLIEST = _dt.date(1900, 1, 1)
"""No fact (inception, as_of) is dated before this."""
FUTURE_DAYS = 1
"""An as_of may be at most this many days after today (time zones)."""
MAX_NAME = 200
MAX_SOURCE = 500
MAX_NOTES = 20
HOLDING_TICKER = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/ ]{0,19}")
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_CONTROL_NAMES = {0: "null", 7: "bell", 8: "backspace", 9: "tab", 10: "line feed", 13: "carriage return",
                  27: "escape", 127: "delete"}


class Problem(str):
    """A problem (the message) that knows a text to find its line by (``needle``: a holding's name)."""

    needle: str | None = None


def _problem(message: str, needle: str | None) -> Problem:
    p = Problem(message)
    p.needle = needle
    return p


def _needle(name) -> str | None:
    """How a name starts in the file: its opening quote and its printable beginning (None if too short)."""
    if not isinstance(name, str):
        return None
    head = re.match(r"[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]*", name).group()[:20]
    return '"' + head if len(head) >= 3 else None


def _range_text(key: str) -> str:
    lo, hi, unit = RANGES[key]
    if key == "aum":
        return f"plausible: ${lo:,.0f} to ${hi / 1e12:g} trillion ({unit})"
    if key == "holdings_count":
        return f"plausible: {lo:,} to {hi:,} ({unit})"
    return f"plausible: {lo * 100:g}% to {hi * 100:g}% ({unit})"


def fact(key: str, value) -> str | None:
    """The range rule of a numeric fact (``expense_ratio``, ``dividend_yield``, ``aum``, ``holdings_count``),
    or of a date (``inception``); None for other keys or a plausible value."""
    if key == "inception":
        return inception(value)
    if key not in RANGES:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return f"{value!r} is not a finite number ({_range_text(key)})"
    lo, hi, _ = RANGES[key]
    if not lo <= value <= hi:
        hint = ""
        if key in ("expense_ratio", "dividend_yield") and hi < value <= 100:
            hint = f"; {value:g} is {value * 100:g}%: was {value:g}% meant? write {value / 100:g}"
        return f"{value:g} is implausible ({_range_text(key)}{hint})"
    return None


def _date(value) -> _dt.date | None:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
        except ValueError:
            return None
    return None


def as_of(value, today: _dt.date | None = None) -> str | None:
    """An ``as_of`` ("YYYY-MM-DD" or "YYYY-MM"): not in the future, not before :data:`EARLIEST`."""
    today = today or _dt.date.today()
    day = _date(value)
    if day is None:
        return None  # the format is the parser's to check
    if day > today + _dt.timedelta(days=FUTURE_DAYS):
        return f"as_of {value} is in the future (plausible: {EARLIEST} to today, {today})"
    if day < EARLIEST:
        return f"as_of {value} is implausible (plausible: {EARLIEST} to today, {today})"
    return None


def inception(value, first_price: _dt.date | None = None, today: _dt.date | None = None) -> str | None:
    """An inception date: between :data:`EARLIEST` and today, and not after the fund's first price."""
    today = today or _dt.date.today()
    day = _date(value)
    if day is None:
        return None
    if not EARLIEST <= day <= today:
        return f"inception {value} is implausible (plausible: {EARLIEST} to today, {today})"
    if first_price is not None and day > first_price:
        return (f"inception {value} is after the fund's first price ({first_price}); plausible: on or before "
                f"{first_price}")
    return None


def text(value, what: str = "text", limit: int = MAX_NAME) -> str | None:
    """A name, issuer, index, source or note: no control or bidirectional-override character, at most
    ``limit`` characters."""
    if not isinstance(value, str):
        return None
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff" or ch in _BIDI:
            name = _CONTROL_NAMES.get(ord(ch)) or unicodedata.name(ch, "a control character")
            return (f"{what} contains U+{ord(ch):04X} ({name.lower()}) at character {value.index(ch) + 1}; "
                    "plausible: printable text")
    if len(value) > limit:
        return f"{what} is {len(value):,} characters long (plausible: at most {limit})"
    return None


def notes(values) -> str | None:
    if isinstance(values, list):
        if len(values) > MAX_NOTES:
            return f"{len(values)} notes (plausible: at most {MAX_NOTES})"
        for i, n in enumerate(values):
            why = text(n, f"note #{i + 1}", MAX_SOURCE)
            if why:
                return why
    return None


def weights(values: dict) -> str | None:
    """Sector weights: names are printable text, the sum at most :data:`WEIGHT_SUM_MAX`."""
    for name in values:
        why = text(name, "a sector name")
        if why:
            return _problem(why, _needle(name))
    total = sum(values.values())
    if total > WEIGHT_SUM_MAX:
        return f"the weights sum to {total:.1%} (plausible: at most {WEIGHT_SUM_MAX:.0%}; fractions, 0.32 for 32%)"
    return None


def holdings(values: list[dict]) -> str | None:
    """Top holdings: names printable, tickers ticker-like, each weight above 0, the sum at most
    :data:`WEIGHT_SUM_MAX`."""
    for h in values:
        who = h.get("name") or h.get("ticker")
        shown = repr(who[:40]) if isinstance(who, str) else "?"
        needle = f'"{h["ticker"]}"' if isinstance(h.get("ticker"), str) and h["ticker"].isprintable() \
            else _needle(h.get("name"))
        why = text(h.get("name"), f"holding {shown}: its name")
        if why:
            return _problem(why, needle)
        t = h.get("ticker")
        if t is not None and (not isinstance(t, str) or not HOLDING_TICKER.fullmatch(t)):
            return _problem(f"holding {shown}: ticker {str(t)[:30]!r} is implausible (plausible: letters, digits, "
                            "'.', '-', '/')", needle)
        if not h.get("weight", 0) > 0:
            return _problem(f"holding {shown}: weight {h.get('weight')!r} is implausible (plausible: above 0)", needle)
    total = sum(h["weight"] for h in values)
    if total > WEIGHT_SUM_MAX:
        return f"the weights sum to {total:.1%} (plausible: at most {WEIGHT_SUM_MAX:.0%}; fractions, 0.09 for 9%)"
    return None


def check_inceptions(curated: dict, first_prices: dict, path) -> None:
    """Every curated inception against the fund's first price in the market data: ``ConfigError`` (exit 2)
    ``path:line: T.inception.value: inception … is after the fund's first price (…)``.  ``curated``:
    ``{ticker: FundFacts}``; ``first_prices``: ``{ticker: date}``."""
    from pathlib import Path

    from .errors import ConfigError

    for t, first in first_prices.items():
        info = curated.get(t)
        fact_ = info.facts.get("inception") if info is not None else None
        if fact_ is None or first is None:
            continue
        why = inception(fact_.value, first)
        if why:
            try:
                text_ = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text_ = ""
            line = toml_line(text_, t, "inception.value")
            raise ConfigError(f"{path}{f':{line}' if line else ''}: {t}.inception.value: {why}")


# --------------------------------------------------------------------------- where in the file
def toml_line(text: str, ticker: str, key: str = "", needle: str | None = None) -> int | None:
    """The line of ``key`` (dotted: ``expense_ratio.as_of``, ``top_holdings.holdings``) in the ``[ticker]``
    table of a TOML ``text``, or of the first line after it (in that fund's tables) containing ``needle`` (a
    holding's name); else the ``[ticker]`` line; else None."""
    parts = [p for p in key.split(".") if p]
    table: list[str] = []
    header = found = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        m = re.fullmatch(r"\[\s*([^\[\]]+?)\s*\](\s*#.*)?", line)
        if m:
            table = [p.strip().strip('"') for p in m.group(1).split(".")]
            if table[:1] != [ticker] and found is not None:
                break  # past this fund's tables
            if table == [ticker] and header is None:
                header = n
            inner = table[1:]
            if table[:1] == [ticker] and inner and parts[: len(inner)] == inner:
                if needle is None and len(inner) == len(parts):
                    return n  # [IWM.sector_weights.weights] for sector_weights.weights
                found = found or n  # [QQQ.top_holdings] for top_holdings.holdings
            continue
        if table[:1] != [ticker]:
            continue
        inner = table[1:]
        if parts[: len(inner)] != inner:
            continue
        rest = parts[len(inner):]
        if rest and re.match(rf"{re.escape(rest[0])}\s*[.=]", line) and (found is None or found < n):
            if needle is None:
                return n
            found = n
        if needle is not None and found is not None and needle in raw:
            return n
    return found or header

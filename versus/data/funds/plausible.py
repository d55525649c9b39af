"""Plausible values of fund facts: the ranges a value must fall in to be published.

A fact can be well-formed and still wrong: an expense ratio of ``0.19`` meant as 0.19 % is published as
19 %; an ``as_of`` in the future; an inception after the fund's first price; sector weights summing to
150 %; a control character in a fund's name (it reached vl-convert and printed a Rust backtrace).  Each rule
here checks one parsed value and returns ``None`` or the problem, naming the value and the plausible range;
the parser of ``data/funds.toml`` (:mod:`versus.data.funds.load`) turns that into ``file:line: TICKER.key[n].value: …``
(exit 2) with its own key locator; live values that fail are ignored (the curated observations stay).  The
rules are independent of the file format: :func:`fact`, :func:`as_of`, :func:`text`, :func:`notes`,
:func:`weights`, :func:`holdings`, :func:`inception`; :func:`check` is the parser's per-observation hook
(:data:`versus.data.funds.Check`) and :func:`check_inceptions` compares inceptions with the market data.

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
HOLDING_TICKER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/ ]{0,19}")
"""A holding's ticker: letters, digits, '.', '_', '-', '/', spaces (issuers' cash lines: CASH_USD)."""
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_CONTROL_NAMES = {0: "null", 7: "bell", 8: "backspace", 9: "tab", 10: "line feed", 13: "carriage return",
                  27: "escape", 127: "delete"}


class Problem(str):
    """A problem (the message) that knows where in the value it is: ``sub``, a key path inside the value
    (``(3, "name")``: the fourth holding's name; ``("Financials",)``: a sector), for the parser's locator."""

    sub: tuple = ()


def _problem(message: str, sub: tuple) -> Problem:
    p = Problem(message)
    p.sub = sub
    return p


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


def as_of(value, today: _dt.date | None = None, what: str = "as_of") -> str | None:
    """An ``as_of`` ("YYYY-MM-DD" or "YYYY-MM"): not in the future, not before :data:`EARLIEST`.  ``what``
    names it in the message (a source's ``date``)."""
    today = today or _dt.date.today()
    day = _date(value)
    if day is None:
        return None  # the format is the parser's to check
    if day > today + _dt.timedelta(days=FUTURE_DAYS):
        return f"{what} {value} is in the future (plausible: {EARLIEST} to today, {today})"
    if day < EARLIEST:
        return f"{what} {value} is implausible (plausible: {EARLIEST} to today, {today})"
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
    """A fund's notes (their texts): at most :data:`MAX_NOTES`, each printable and at most
    :data:`MAX_SOURCE` characters."""
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
            return _problem(why, (name,))
    total = sum(values.values())
    if total > WEIGHT_SUM_MAX:
        return f"the weights sum to {total:.1%} (plausible: at most {WEIGHT_SUM_MAX:.0%}; fractions, 0.32 for 32%)"
    return None


def holdings(values: list[dict]) -> str | None:
    """Top holdings: names printable, tickers ticker-like, each weight above 0, the sum at most
    :data:`WEIGHT_SUM_MAX`.  A problem with one holding has ``sub`` = (its index in ``values``, the key)."""
    for i, h in enumerate(values):
        who = h.get("name") or h.get("ticker")
        shown = repr(who[:40]) if isinstance(who, str) else "?"
        why = text(h.get("name"), f"holding {shown}: its name")
        if why:
            return _problem(why, (i, "name"))
        t = h.get("ticker")
        if t is not None and (not isinstance(t, str) or not HOLDING_TICKER.fullmatch(t)):
            return _problem(f"holding {shown}: ticker {str(t)[:30]!r} is implausible (plausible: letters, digits, "
                            "'.', '_', '-', '/')", (i, "ticker"))
        if not h.get("weight", 0) > 0:
            return _problem(f"holding {shown}: weight {h.get('weight')!r} is implausible (plausible: above 0)",
                            (i, "weight"))
    total = sum(h["weight"] for h in values)
    if total > WEIGHT_SUM_MAX:
        return f"the weights sum to {total:.1%} (plausible: at most {WEIGHT_SUM_MAX:.0%}; fractions, 0.09 for 9%)"
    return None


def check(ticker: str, key: str, obs) -> str | None:
    """The per-observation hook of the ``funds.toml`` parser and of live values (:data:`versus.data.funds.Check`):
    the value of one observation of ``key`` (a fact, ``sector_weights``, ``top_holdings`` or ``notes``).
    A problem's ``sub`` is where in the observation it is (``("value",)``, ``("holdings", 3, "name")``).
    Dates (``as_of``) and the file's other texts (names, sources) are checked as the parser reads them."""
    value = obs.value
    if key == "sector_weights":
        why = weights(value)
        return why and _problem(why, ("weights",) + getattr(why, "sub", ()))
    if key == "top_holdings":
        why = holdings(value)
        return why and _problem(why, ("holdings",) + getattr(why, "sub", ()))
    if key == "notes":
        why = text(value, "note", MAX_SOURCE)
        return why and _problem(why, ("text",))
    why = fact(key, value) or text(value, key)
    return why and _problem(why, ("value",))


ACKNOWLEDGED = "prices on file from {first}"
"""An inception observation whose ``note`` contains this (with the fund's first price date) may be after the
first price: a price history longer than the fund (SMH: Yahoo's inception is VanEck's 2011 launch, the shared
data's prices start in 2000).  It names the exact date, so new price data makes the check fire again."""


def check_inceptions(curated, first_prices: dict) -> None:
    """Every curated inception observation against the fund's first price in the market data:
    ``ConfigError`` (exit 2) ``path:line: T.inception[n].value: inception … is after the fund's first price
    (…)``, unless its note acknowledges that first price (:data:`ACKNOWLEDGED`).  ``curated``: a
    :class:`versus.data.funds.FundsFile`; ``first_prices``: ``{ticker: date}``."""
    for t, first in first_prices.items():
        record = curated.get(t)
        if record is None or first is None:
            continue
        for n, obs in enumerate(record.history("inception")):
            why = inception(obs.value, first)
            if why and ACKNOWLEDGED.format(first=first.isoformat()) not in (obs.note or ""):
                curated.fail((t, "inception", n, "value"), why)

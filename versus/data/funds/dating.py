"""Dates of observations: month-only dates, how a page words a date, old and far apart."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable

OLD_MONTHS = 12   # a fact observed more than this many months before the as-of date is "old"
APART_MONTHS = 6  # two facts observed further apart than this are not compared without saying so

_DATE_WORDS = re.compile(r"^(?:(?:spring|summer|autumn|fall|winter) \d{4}|undated: .+|\d{4} \(year only\)"
                         r"|[A-Z][a-z]{2}–[A-Z][a-z]{2} \d{4})$")


def when_text(as_of: str, note: str | None, fmt_date: Callable[[str], str]) -> tuple[str, str | None]:
    """How a page dates an observation: (the date in words, the rest of its note).

    A note that says how the date was given ("spring 2026", "undated: Jan–May 2026", "2025 (year only)")
    or a span ("Aug–Oct 2022") is shown instead of the month the observation is filed under."""
    parts = [p.strip() for p in (note or "").split(";") if p.strip()]
    words = [p for p in parts if _DATE_WORDS.fullmatch(p)]
    rest = "; ".join(p for p in parts if p not in words) or None
    if words:
        w = words[0]
        return (f"{w[len('undated: '):]}, undated" if w.startswith("undated: ") else w), rest
    return fmt_date(as_of), rest


def as_of_start(as_of: str) -> _dt.date:
    """"2026-04" -> 2026-04-01, "2026-01-25" -> 2026-01-25."""
    return _dt.date.fromisoformat(as_of if len(as_of) == 10 else as_of + "-01")


def _to_date(d) -> _dt.date:
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if hasattr(d, "date") and callable(d.date):  # pandas Timestamp
        return d.date()
    return as_of_start(str(d)[:10])


def _add_months(d: _dt.date, months: int) -> _dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (_dt.date(year + (month == 12), month % 12 + 1, 1) - _dt.timedelta(days=1)).day
    return _dt.date(year, month, min(d.day, last))


def is_old(as_of: str, date) -> bool:
    """More than :data:`OLD_MONTHS` months before ``date``."""
    return _add_months(as_of_start(as_of), OLD_MONTHS) < _to_date(date)


def months_apart(a: str, b: str) -> bool:
    """True when two observation dates are more than :data:`APART_MONTHS` months apart."""
    lo, hi = sorted((as_of_start(a), as_of_start(b)))
    return _add_months(lo, APART_MONTHS) < hi

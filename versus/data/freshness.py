"""Freshness policy: is every price series as current as the exchange calendar says it should be?

The *expected session* is the latest New York Stock Exchange session (exchange
calendar ``XNYS`` from ``exchange-calendars``) whose close, plus ``SETTLE`` for
the daily bar to be final, is at or before ``now``.  So on a weekend or a market
holiday it is the previous session, before the close on a trading day it is the
previous session, and an early close (13:00) counts from 13:00.

A series whose last close is before the expected session is *behind* by the
number of sessions in between.  A live build serves such a series with a banner
on every page; more than ``limit`` sessions behind (default ``DEFAULT_LIMIT``,
``[options] max_stale_days`` in site.toml or ``--max-stale-days``) stops the build
with :class:`~versus.errors.StaleDataError` (exit 7), so nothing is published and
the previous deployment stays online.

``now`` is always an argument: the command line reads the wall clock once (or
takes ``--today``), and nothing here writes it into the site.
"""
from __future__ import annotations

import datetime as _dt
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from ..errors import ConfigError, StaleDataError, some

CALENDAR = "XNYS"
TZ = "America/New_York"
DEFAULT_LIMIT = 3
"""Sessions a series may be behind before a live build refuses to publish."""
SETTLE = pd.Timedelta(minutes=30)
"""Time after the close before the day's bar counts as expected (Yahoo finalizes the bar)."""


# --------------------------------------------------------------------------- time
def parse_now(value: str | _dt.datetime | pd.Timestamp | None = None) -> pd.Timestamp:
    """The moment of the build as a tz-aware UTC timestamp.

    ``None`` reads the wall clock (the only place that does).  A bare date
    ``YYYY-MM-DD`` means 23:59 New York time that day (after the close); a date
    and time without an offset is New York time.  Raises :class:`ConfigError`.
    """
    if value is None:
        return pd.Timestamp.now(tz="UTC")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ConfigError(f"--today {value!r}: not a date or time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    if ts is pd.NaT:
        raise ConfigError(f"--today {value!r}: not a date")
    if not 1993 <= ts.year <= 2100:  # the NYSE calendar and pandas' timestamps cover these years
        raise ConfigError(f"--today {value!r}: out of range (plausible: 1993 to 2100)")
    if ts.tzinfo is None:
        if isinstance(value, str) and len(value.strip()) <= 10:
            ts = ts + pd.Timedelta(hours=23, minutes=59)
        ts = ts.tz_localize(TZ)
    return ts.tz_convert("UTC")


def local_date(now: pd.Timestamp) -> _dt.date:
    """The New York calendar date of ``now`` (used for the weekly refresh intervals)."""
    return now.tz_convert(TZ).date()


@lru_cache(maxsize=8)
def _calendar(start_year: int, end_year: int):
    import exchange_calendars as xcals

    with warnings.catch_warnings():  # exchange-calendars 4.13 trips a pandas 3.1 deprecation internally
        warnings.simplefilter("ignore", DeprecationWarning)
        return xcals.get_calendar(CALENDAR, start=f"{start_year}-01-01", end=f"{end_year}-12-31")


def calendar_for(*days) -> object:
    """An XNYS calendar covering every given day (whole years, cached)."""
    years = [pd.Timestamp(d).year for d in days]
    return _calendar(min(years) - 1, max(years) + 1)


def expected_session(now: pd.Timestamp) -> pd.Timestamp:
    """The last session whose close + ``SETTLE`` is at or before ``now`` (a tz-naive date)."""
    now = parse_now(now)
    day = pd.Timestamp(local_date(now))
    cal = calendar_for(day)
    for s in reversed(cal.sessions_in_range(day - pd.Timedelta(days=14), day)):
        if cal.session_close(s) + SETTLE <= now:
            return pd.Timestamp(s).tz_localize(None).normalize()
    raise AssertionError("no NYSE session in 14 days")  # pragma: no cover - the calendar has one


def sessions_behind(last: pd.Timestamp, expected: pd.Timestamp) -> int:
    """Sessions after ``last`` up to and including ``expected`` (0 when current)."""
    last, expected = pd.Timestamp(last).normalize(), pd.Timestamp(expected).normalize()
    if last >= expected:
        return 0
    cal = calendar_for(last, expected)
    return len(cal.sessions_in_range(last + pd.Timedelta(days=1), expected))


def day(d) -> str:
    """``Fri 14 Aug 2026`` (the banner's date format)."""
    d = pd.Timestamp(d)
    return f"{d:%a} {d.day} {d:%b %Y}"


# --------------------------------------------------------------------------- the report
@dataclass(frozen=True)
class TickerStatus:
    """One fund: its last close, how far behind, and whether this run refreshed it."""

    ticker: str
    last: pd.Timestamp
    behind: int
    refreshed: bool
    error: str | None = None  # why this run's refresh failed (prices then come from the store)


@dataclass
class FreshnessReport:
    """Every fund's status against the expected session, and the policy's verdict."""

    expected: pd.Timestamp
    limit: int
    tickers: dict[str, TickerStatus] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return [t for t, s in self.tickers.items() if s.error]

    @property
    def stale(self) -> list[str]:
        return [t for t, s in self.tickers.items() if s.behind > 0]

    @property
    def over_limit(self) -> list[str]:
        return [t for t, s in self.tickers.items() if s.behind > self.limit]

    def check(self) -> None:
        """Raise :class:`StaleDataError` when any fund is more than ``limit`` sessions behind."""
        over = self.over_limit
        if not over:
            return
        worst = max(self.tickers[t].behind for t in over)
        lasts = sorted({self.tickers[t].last for t in over})
        failed = [t for t in over if self.tickers[t].error]
        why = f"; refresh failed: {self.tickers[failed[0]].error}" if failed else "; Yahoo Finance has no newer prices"
        raise StaleDataError(
            f"{some(over)}: prices end {some(day(d) for d in lasts)}, {worst} trading day(s) before "
            f"the latest session ({day(self.expected)}), over the limit of {self.limit}{why}; "
            f"nothing published, the previous site stays online")

    def banner(self, as_of: pd.Timestamp, tickers=None) -> dict | None:
        """The banner shown when a refresh failed or prices are behind; else ``None``.  ``tickers``: a page's
        funds (the banner names only those, and a page whose funds are all current has none); the index and
        the methodology page name every fund.

        ``{"headline": "Prices as of Fri 14 Aug 2026; today's refresh failed", "items": [...]}``
        """
        mine = [t for t in self.tickers if tickers is None or t in tickers]
        failed = [t for t in self.failed if t in mine]
        stale = [t for t in self.stale if t in mine]
        if not failed and not stale:
            return None
        items = []
        if failed:
            headline = f"Prices as of {day(as_of)}; today's refresh failed"
            by_reason: dict[str, list[str]] = {}
            for t in failed:
                by_reason.setdefault(self.tickers[t].error, []).append(t)
            for why, ts in by_reason.items():
                items.append(f"Not refreshed: {some(ts, 12)} ({why}). Their prices are the last stored ones.")
        else:
            headline = f"Prices as of {day(as_of)}; the latest close is not available yet"
        if stale:
            n = max(self.tickers[t].behind for t in stale)
            items.append(f"Behind the latest session ({day(self.expected)}): "
                         + some((f"{t} (prices end {day(self.tickers[t].last)})" for t in stale), 12)
                         + f"; up to {n} trading day(s) old.")
        else:
            items.append(f"The stored prices already include the latest session ({day(self.expected)}).")
        return {"headline": headline, "items": items}

    def to_json(self) -> dict:
        return {
            "expected_session": self.expected.date().isoformat(),
            "max_stale_days": self.limit,
            "funds": {t: {"last": s.last.date().isoformat(), "sessions_behind": s.behind,
                          "refreshed": s.refreshed, "refresh_error": s.error}
                      for t, s in self.tickers.items()},
        }


def assess(adj_close: pd.DataFrame, now: pd.Timestamp, limit: int = DEFAULT_LIMIT,
           refreshed=(), failed: dict[str, str] | None = None) -> FreshnessReport:
    """Each column's last close against the expected session at ``now``."""
    expected = expected_session(now)
    failed = failed or {}
    report = FreshnessReport(expected=expected, limit=int(limit))
    for t in adj_close.columns:
        last = adj_close[t].last_valid_index()
        report.tickers[t] = TickerStatus(t, last, sessions_behind(last, expected), t in refreshed, failed.get(t))
    return report


def policy(limit: int, overlap: int, full_days: int, meta_days: int) -> dict:
    """Values the methodology page's freshness section (``templates/_freshness.html``) states: this
    policy's, and the data store's refresh intervals (``versus.sources.cache.REFRESH``, passed in)."""
    return {"calendar": CALENDAR, "limit": int(limit), "settle_minutes": int(SETTLE.total_seconds() // 60),
            "overlap": overlap, "full_days": full_days, "meta_days": meta_days}

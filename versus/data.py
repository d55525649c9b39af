"""Validate market data and align it to the as-of date, before any metric sees it."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import DataError, some
from .sources import MarketData

MAX_GAP_DAYS = 7
"""Largest allowed gap between two consecutive closes, in calendar days (9/11 closed NYSE for 6)."""
MAX_DAILY_MOVE = 0.35
"""Largest allowed one-day move of the adjusted close (splits and dividends are already in it)."""


@dataclass
class Freshness:
    """How current one fund's prices are relative to the as-of date."""

    ticker: str
    first: pd.Timestamp
    last: pd.Timestamp
    stale: bool
    behind_days: int  # trading days of the combined calendar between ``last`` and the as-of close


@dataclass
class Prepared:
    """Validated data cut at the as-of date: what the metrics see."""

    data: MarketData
    as_of: pd.Timestamp  # the last close on or before the requested date
    requested: pd.Timestamp | None
    freshness: dict[str, Freshness]
    notes: list[str] = field(default_factory=list)  # shown on the page / printed


def validate(md: MarketData) -> None:
    """Check every series; raise :class:`DataError` naming the ticker and the problem.

    Rules: a tz-naive, sorted, unique date index; at least one adjusted close;
    every close positive (no zero, negative, or infinite values); no gap over ``MAX_GAP_DAYS`` calendar days; no one-day move of
    the adjusted close beyond ±``MAX_DAILY_MOVE`` (an unadjusted split shows up here);
    dividends positive, on a date the fund has a price.
    """
    for name, frame in (("prices", md.adj_close), ("dividends", md.dividends)):
        idx = frame.index
        if not isinstance(idx, pd.DatetimeIndex):
            raise DataError(f"{name}: index is not dates")
        if idx.tz is not None:
            raise DataError(f"{name}: dates carry a timezone ({idx.tz}); expected plain exchange dates")
        if not idx.is_unique:
            dup = idx[idx.duplicated()][0]
            rows = frame.loc[dup]
            who = [t for t in frame.columns if rows[t].notna().any()] or list(frame.columns)
            raise DataError(f"{some(who)}: date {dup.date()} appears twice in the {name}")
        if not idx.is_monotonic_increasing:
            raise DataError(f"{name}: dates are not sorted")
    for t in md.adj_close.columns:
        adj = md.adj_close[t]
        valid = adj.dropna()
        if valid.empty:
            raise DataError(f"{t}: no prices (empty history)")
        if not np.isfinite(valid.to_numpy()).all() or (valid <= 0).any():
            bad = valid[~np.isfinite(valid) | (valid <= 0)].index[0]
            raise DataError(f"{t}: non-positive or infinite adjusted close on {bad.date()}")
        close = md.close[t].dropna() if t in md.close else pd.Series(dtype=float)
        if not np.isfinite(close.to_numpy()).all() or (close <= 0).any():
            bad = close[~np.isfinite(close) | (close <= 0)].index[0]
            raise DataError(f"{t}: non-positive or infinite close on {bad.date()}")
        gaps = valid.index.to_series().diff().dt.days
        if (gaps > MAX_GAP_DAYS).any():
            end = gaps.idxmax()
            start = valid.index[valid.index.get_loc(end) - 1]
            raise DataError(f"{t}: {int(gaps.max())}-day gap in prices between {start.date()} and {end.date()}")
        moves = valid.pct_change(fill_method=None).abs()
        if (moves > MAX_DAILY_MOVE).any():
            day = moves.idxmax()
            raise DataError(
                f"{t}: unexplained one-day move of {moves.max():.0%} on {day.date()} (an unadjusted split?)"
            )
        if t in md.dividends:
            divs = md.dividends[t].dropna()
            if (divs <= 0).any():
                raise DataError(f"{t}: non-positive dividend on {divs[divs <= 0].index[0].date()}")
            orphan = divs.index[(divs.index >= valid.index[0]) & (divs.index <= valid.index[-1])].difference(valid.index)
            if len(orphan):
                raise DataError(f"{t}: dividend on {orphan[0].date()} but no price that day")


def prepare(md: MarketData, as_of: str | pd.Timestamp | None = None) -> Prepared:
    """Validate ``md``, pick the as-of date and drop everything after it.

    Default as-of: the last date on which *every* fund has a close, so every
    figure on the site is true for the same day.  An explicit date must lie
    between the latest first date and the last date in the data; a weekend or
    holiday uses the previous close and says so.  Funds whose last close is
    before the as-of close are flagged stale.
    """
    validate(md)
    adj = md.adj_close
    firsts = {t: adj[t].first_valid_index() for t in adj.columns}
    lasts = {t: adj[t].last_valid_index() for t in adj.columns}
    notes: list[str] = []
    requested = None
    if as_of is None:
        target = min(lasts.values())
        ended = min(lasts, key=lambda t: lasts[t])
        late = sorted((t for t in adj.columns if firsts[t] > target), key=lambda t: firsts[t])
        if late:  # e.g. a fund whose few rows all come after another fund's last price
            raise DataError(f"{some(late)}: prices start {firsts[late[0]].date()}, after {ended}'s last price "
                            f"({target.date()}): the funds have no day in common")
        later = sorted(t for t, d in lasts.items() if d > target)
        if later:
            ends: dict[pd.Timestamp, list[str]] = {}
            for t in later:
                ends.setdefault(lasts[t], []).append(t)
            if len(ends) == 1:
                what = f"{some(later)} have data to {max(ends).date()}"
            else:  # each group of funds with its own last date, latest first (long lists shortened)
                groups = [f"{some(ts)} to {d.date()}" for d, ts in sorted(ends.items(), reverse=True)]
                if len(groups) > 5:
                    groups = groups[:5] + [f"and {len(groups) - 5:,} more last dates"]
                what = "later data: " + "; ".join(groups)
            notes.append(f"As of {target.date()}, the last day all funds have prices ({what}).")
    else:
        requested = pd.Timestamp(as_of).normalize()
        youngest = max(firsts, key=lambda t: firsts[t])
        if requested < firsts[youngest]:
            raise DataError(
                f"--as-of {requested.date()} is before {youngest}'s first price ({firsts[youngest].date()})"
            )
        end = max(lasts.values())
        if requested > end and len(pd.bdate_range(end + pd.Timedelta(days=1), requested)):
            raise DataError(f"--as-of {requested.date()} is after the data ends ({end.date()})")
        target = requested
    index = adj.index[adj.index <= target]
    close_day = index[-1]
    if requested is not None and close_day != requested:
        notes.append(f"{requested.date()} was not a trading day; using the previous close ({close_day.date()}).")
    cut = MarketData(
        close=md.close.loc[:close_day],
        adj_close=adj.loc[:close_day],
        dividends=md.dividends.loc[:close_day],
        source=md.source,
        meta=md.meta,
        warnings=list(md.warnings),
    )
    freshness = {}
    for t in adj.columns:
        last = cut.adj_close[t].last_valid_index()
        behind = int((index > last).sum())
        freshness[t] = Freshness(t, firsts[t], last, behind > 0, behind)
        if behind:
            notes.append(f"{t}: prices end {last.date()}, {behind} trading day(s) before the as-of date; its figures are as of {last.date()}.")
    return Prepared(data=cut, as_of=close_day, requested=requested, freshness=freshness, notes=notes)

"""Validate market data before any metric sees it: every rule names the ticker and the problem."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, some
from ..sources import MarketData

MAX_GAP_DAYS = 7
"""Largest allowed gap between two consecutive closes, in calendar days (9/11 closed NYSE for 6)."""
MAX_DAILY_MOVE = 0.35
"""Largest allowed one-day move of the adjusted close (splits and dividends are already in it)."""


def validate(md: MarketData) -> None:
    """Check every series; raise :class:`DataError` naming the ticker and the problem.

    Rules: a tz-naive, sorted, unique date index; at least one adjusted close;
    every close positive (no zero, negative, or infinite values); no gap over ``MAX_GAP_DAYS`` calendar days; no one-day move of
    the adjusted close beyond ±``MAX_DAILY_MOVE`` (an unadjusted split shows up here);
    dividends positive, on a date the fund has a price.
    """
    for name, frame in (("prices", md.adj_close), ("dividends", md.dividends)):
        _check_dates(name, frame)
    for t in md.adj_close.columns:
        _check_series(md, t)


def _check_dates(name: str, frame) -> None:
    idx = frame.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise DataError(f"{name}: index is not dates")
    if idx.tz is not None:
        raise DataError(f"{name}: dates carry a timezone ({idx.tz}); expected plain exchange dates")
    if not idx.is_unique:
        dup = idx[idx.duplicated()][0]
        rows = frame.loc[dup]  # the funds that have a value on that date, else every column
        who = [t for t in frame.columns if rows[t].notna().any()] or list(frame.columns)
        raise DataError(f"{some(who)}: date {dup.date()} appears twice in the {name}")
    if not idx.is_monotonic_increasing:
        raise DataError(f"{name}: dates are not sorted")


def _check_series(md: MarketData, t: str) -> None:
    """One fund's closes, gaps, daily moves and dividends (on the arrays; a failed check is reported by
    :func:`_report_series`, the pandas formulation, which names the first offending day)."""
    adj = md.adj_close[t].to_numpy(dtype=float, na_value=np.nan)
    has = ~np.isnan(adj)
    v = adj[has]
    dates = md.adj_close.index.to_numpy()[has]
    close = md.close[t].to_numpy(dtype=float, na_value=np.nan) if t in md.close else np.zeros(0)
    close = close[~np.isnan(close)]
    ok = len(v) and np.isfinite(v).all() and not (v <= 0).any() and np.isfinite(close).all() \
        and not (close <= 0).any()
    if ok and len(v) > 1:
        days = np.diff(dates).astype("timedelta64[D]").astype(np.int64)  # whole days, as .dt.days
        ok = not (days > MAX_GAP_DAYS).any() and not (np.abs(v[1:] / v[:-1] - 1.0) > MAX_DAILY_MOVE).any()
    if ok and t in md.dividends:
        divs = md.dividends[t].dropna()
        paid = divs.index.to_numpy()
        inside = paid[(paid >= dates[0]) & (paid <= dates[-1])]
        at = np.searchsorted(dates, inside)
        ok = not (divs.to_numpy(dtype=float) <= 0).any() and bool((dates[np.minimum(at, len(dates) - 1)] == inside).all())
    if not ok:
        _report_series(md, t)


def _report_series(md: MarketData, t: str) -> None:
    """:func:`_check_series` by pandas: raises :class:`DataError` naming the first problem found."""
    valid = md.adj_close[t].dropna()
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
        raise DataError(f"{t}: unexplained one-day move of {moves.max():.0%} on {day.date()} (an unadjusted split?)")
    if t in md.dividends:
        divs = md.dividends[t].dropna()
        if (divs <= 0).any():
            raise DataError(f"{t}: non-positive dividend on {divs[divs <= 0].index[0].date()}")
        orphan = divs.index[(divs.index >= valid.index[0]) & (divs.index <= valid.index[-1])].difference(valid.index)
        if len(orphan):
            raise DataError(f"{t}: dividend on {orphan[0].date()} but no price that day")

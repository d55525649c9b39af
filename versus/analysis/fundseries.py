"""The series of a fund page: its price per share, drawdown, monthly returns and dividends per year
(re-exported by :mod:`.series`, where the pages read them)."""
from __future__ import annotations

import pandas as pd

from .. import metrics as m
from ..util import num


def price(close: pd.Series, adj: pd.Series) -> dict:
    """A fund's price per share (the unadjusted close, or the adjusted one when that is all there is)."""
    unadjusted = close.dropna()
    p = unadjusted if len(unadjusted) else adj.dropna()
    return {"series": p, "adjusted": not len(unadjusted), "first": p.iloc[0], "last": p.iloc[-1], "max": p.max(),
            "max_on": p.idxmax()}


def fund_drawdown(adj: pd.Series, t: str) -> dict:
    a = adj.dropna().to_frame(t)
    dd = m.drawdown(a)
    return {"frame": dd, "start": a.index[0], "end": a.index[-1], "min": dd[t].min(), "min_on": dd[t].idxmin(),
            "now": dd[t].iloc[-1]}


def monthly(adj: pd.Series) -> dict:
    """One fund's monthly returns (year x month grid, :func:`versus.metrics.monthly_returns`), each year's
    calendar-year return, and which months are partial: the first (from the first close) and the last when
    the last close is not its month's last business day."""
    s = adj.dropna()
    first, last = s.index[0], s.index[-1]
    return {"grid": m.monthly_returns(s), "years": m.calendar_year_returns(s.to_frame("r"))["r"],
            "first": first, "last": last, "last_partial": (last + pd.offsets.BDay(1)).month == last.month,
            "first_partial": first > pd.Timestamp(year=first.year, month=1, day=10),
            "last_year_partial": last < pd.Timestamp(year=last.year, month=12, day=24)}


def dividends(dividends_: pd.Series, end: pd.Timestamp) -> dict:
    """Cash dividends per share by calendar year up to ``end``'s year (the running year is partial)."""
    per_year = m.dividends_per_year(dividends_.loc[:end])
    running = end < pd.Timestamp(year=end.year, month=12, day=24)
    # only the current year is "to date": a year with no payment yet is simply not listed (2015 is a full year
    # at 2016-02-29, not "2015 YTD")
    partial = bool(running and len(per_year) and per_year.index[-1] == end.year)
    full = per_year.iloc[:-1] if partial else per_year
    return {"per_year": per_year, "partial": partial, "full": full,
            "rounded": [num(v, 4) for v in per_year]}

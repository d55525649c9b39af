"""The as-of cut: pick the as-of date, drop everything after it, flag funds whose prices end earlier."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import DataError
from ..sources import MarketData
from .validate import validate


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
    notes: list[str] = field(default_factory=list)  # for readers: shown on every page, printed
    build_notes: list[str] = field(default_factory=list)  # for the maintainer only: printed, in build.json


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
    build_notes: list[str] = []  # which funds have later data: nothing a reader of the pages can act on
    requested = None
    if as_of is None:
        target = min(lasts.values())
        later = sorted(t for t, d in lasts.items() if d > target)
        if later:
            ends: dict[pd.Timestamp, list[str]] = {}
            for t in later:
                ends.setdefault(lasts[t], []).append(t)
            if len(ends) == 1:
                what = f"{', '.join(later)} have data to {max(ends).date()}"
            else:  # each group of funds with its own last date, latest first
                what = "; ".join(f"{', '.join(ts)} to {d.date()}" for d, ts in sorted(ends.items(), reverse=True))
                what = "later data: " + what
            build_notes.append(f"As of {target.date()}, the last day all funds have prices ({what}).")
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
        origins=md.origins,
    )
    freshness = {}
    for t in adj.columns:
        last = cut.adj_close[t].last_valid_index()
        behind = int((index > last).sum())
        freshness[t] = Freshness(t, firsts[t], last, behind > 0, behind)
        if behind:
            notes.append(f"{t}: prices end {last.date()}, {behind} trading day(s) before the as-of date; its figures are as of {last.date()}.")
    return Prepared(data=cut, as_of=close_day, requested=requested, freshness=freshness, notes=notes,
                    build_notes=build_notes)

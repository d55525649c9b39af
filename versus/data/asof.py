"""The as-of cut: pick the as-of date, drop everything after it, flag funds whose prices end earlier."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import DataError, some
from ..fmt import date
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
    notes: list[str] = field(default_factory=list)  # shown on the page / printed
    stale_notes: list[str] = field(default_factory=list)  # those of ``notes`` about funds whose prices end early
    build_notes: list[str] = field(default_factory=list)  # for the maintainer only: printed, in build.json
    not_started: dict[str, pd.Timestamp] = field(default_factory=dict)  # funds with no price yet -> their first
    not_started_note: str | None = None  # says so, dated (the index page, the build report)


def _check_overlap(firsts: dict, lasts: dict) -> None:
    """``DataError`` when a fund's prices all start after another fund's last price: no day in common."""
    ended = min(lasts, key=lambda t: lasts[t])
    late = sorted((t for t in firsts if firsts[t] > lasts[ended]), key=lambda t: firsts[t])
    if late:  # e.g. a fund whose few rows all come after another fund's last price
        raise DataError(f"{some(late)}: prices start {firsts[late[0]].date()}, after {ended}'s last price "
                        f"({lasts[ended].date()}): the funds have no day in common")


def prepare(md: MarketData, as_of: str | pd.Timestamp | None = None) -> Prepared:
    """Validate ``md``, pick the as-of date and drop everything after it.

    Default as-of: the last close in the data (the latest date any fund has a price).  Funds whose
    prices end earlier are flagged stale: they hold back only their own pages, each of which is as of
    its funds' common last close (:func:`common_end`), never the whole site.  An explicit date must lie
    between the earliest first date and the last date in the data; a weekend or holiday uses the
    previous close and says so.  Funds with no price on or before that close are left out of the cut data
    (``not_started``, with a note): the build drops them and every page that shows them.
    """
    validate(md)
    adj = md.adj_close
    firsts = {t: adj[t].first_valid_index() for t in adj.columns}
    lasts = {t: adj[t].last_valid_index() for t in adj.columns}
    requested = None
    if as_of is None:
        _check_overlap(firsts, lasts)
        target = max(lasts.values())
    else:
        requested = pd.Timestamp(as_of).normalize()
        oldest = min(firsts, key=lambda t: firsts[t])
        if requested < firsts[oldest]:
            raise DataError(f"--as-of {requested.date()} is before any fund's first price "
                            f"(the earliest: {oldest}, {firsts[oldest].date()})")
        end = max(lasts.values())
        if requested > end and len(pd.bdate_range(end + pd.Timedelta(days=1), requested)):
            raise DataError(f"--as-of {requested.date()} is after the data ends ({end.date()})")
        target = requested
    index = adj.index[adj.index <= target]
    close_day = index[-1]
    later = {t: firsts[t] for t in sorted(adj.columns, key=lambda t: (firsts[t], t)) if firsts[t] > close_day}
    keep = [t for t in adj.columns if t not in later]
    cut = MarketData(
        close=md.close.loc[:close_day, [t for t in md.close.columns if t not in later]],
        adj_close=adj.loc[:close_day, keep],
        dividends=md.dividends.loc[:close_day, [t for t in md.dividends.columns if t not in later]],
        source=md.source,
        meta=md.meta,
        warnings=list(md.warnings),
        origins=md.origins,
    )
    freshness = {}
    notes: list[str] = []
    if requested is not None and close_day != requested:
        notes.append(f"{requested.date()} was not a trading day; using the previous close ({close_day.date()}).")
    ends: dict[pd.Timestamp, list[str]] = {}
    for t in keep:
        last = cut.adj_close[t].last_valid_index()
        behind = int((index > last).sum())
        freshness[t] = Freshness(t, firsts[t], last, behind > 0, behind)
        if behind:
            ends.setdefault(last, []).append(t)
    stale = [f"{', '.join(ts)}: prices end {last.date()}, {freshness[ts[0]].behind_days} trading day(s) before "
             f"{close_day.date()}; {'its' if len(ts) == 1 else 'their'} pages are as of {last.date()}."
             for last, ts in sorted(ends.items(), reverse=True)]
    return Prepared(data=cut, as_of=close_day, requested=requested, freshness=freshness, notes=notes + stale,
                    stale_notes=stale, not_started=later, not_started_note=not_started_note(later, close_day))


def not_started_note(later: dict, day: pd.Timestamp) -> str | None:
    """``4 funds had not started trading by 29 Feb 2016: JEPI, JEPQ, QQQM, SGOV; their pages are left out.``
    (their first prices are in build.json); None when every fund had."""
    if not later:
        return None
    n = len(later)
    return (f"{n} fund{'s' if n != 1 else ''} had not started trading by {date(day.date().isoformat())}: "
            f"{', '.join(sorted(later))}; {'their' if n != 1 else 'its'} pages are left out.")


def common_end(prep: Prepared, tickers) -> pd.Timestamp:
    """The date a page of ``tickers`` is as of: their common last close (the earliest of their last closes),
    so every figure and sentence of the page measures all of them to the same day."""
    return min(prep.freshness[t].last for t in tickers)

"""The numbers behind the charts and their tables: every series a page draws and every figure its
descriptions state, computed here once (the pages only shape and format them).

:func:`comparison` (growth, drawdowns, relative strength, rolling correlation and volatility of 2-5
funds), :func:`calendar`, :func:`seasonality`, :func:`last_days` (the 90-day statistics),
:func:`year_end` (a series' data table, :mod:`.yearends`), and the fund page's price and dividends
(:mod:`.fundseries`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .. import metrics as m
from ..util import num
from .arrays import columns_of, sorted_series, timestamp_at
from .fundseries import dividends, fund_drawdown, monthly, price  # noqa: F401 - the fund page's, read here too
from .yearends import year_drawdowns, year_end  # noqa: F401 - the pages read them here, with the series

ROLL_DAYS = 90
"""Window of the rolling correlation and volatility charts and the statistics table."""
MA_DAYS = 200
"""Moving average of the relative-strength ratio."""
TREND_DAYS = 20
"""Trading days over which the ratio's direction (rising/falling) is measured."""


def joint_closes(adj: pd.DataFrame, tickers: list[str]) -> pd.DataFrame:
    """The adjusted closes of ``tickers`` on the days all of them trade (``adj`` itself when it is that already)."""
    if len(adj.columns) == len(tickers) and list(adj.columns) == list(tickers) and not adj.isna().to_numpy().any():
        return adj  # (the count first: a page's frame of every fund's closes is not walked name by name)
    if not (adj.columns.is_unique and len(set(tickers)) == len(tickers)):
        return adj[tickers].dropna()
    # ``adj[tickers].dropna()`` from the columns' arrays: the same frame (values, dates, columns), without
    # pandas' column take and row mask per call.  Its block is stored fund by fund (pandas' may be stored day by
    # day): the same numbers from every reduction a page makes of it (exact ones, bottleneck's, 1-D sums)
    block = np.stack([adj[t].to_numpy(dtype=float, na_value=np.nan) for t in tickers])
    ok = ~np.isnan(block).any(axis=0)
    return pd.DataFrame((block[:, ok] if not ok.all() else block).T, index=adj.index[ok],
                        columns=adj.columns.take([adj.columns.get_loc(t) for t in tickers]))


@dataclass
class Relative:
    """The ratio of the base fund to another, its moving average and where it stands."""

    ratio: pd.Series
    average: pd.Series
    regime: dict
    lead: float  # the ratio's last value minus 1: how far the base fund is ahead


@dataclass
class Comparison:
    """The time series of a pair or group page, from the first day all the funds trade."""

    joint: pd.DataFrame
    tickers: list[str]
    growth: pd.DataFrame = None
    growth_ends: pd.Series = None        # each fund's last value, largest first
    drawdown: pd.DataFrame = None
    worst: pd.Series = None              # each fund's deepest drawdown, deepest first
    worst_on: dict = field(default_factory=dict)
    below: dict = field(default_factory=dict)  # each fund's drawdown on the last day
    relative: dict[str, Relative] = field(default_factory=dict)
    correlation: pd.DataFrame = None
    correlation_stats: dict = field(default_factory=dict)  # per other fund: now, lowest, its date, mean (or None)
    volatility: pd.DataFrame = None
    volatility_now: pd.Series = None     # last values, highest first
    most_volatile: dict | None = None    # {"ticker", "share", "since"}: the fund most often the most volatile
    rolling: Rolling = None              # the rolling one-year total return

    @cached_property
    def start(self) -> pd.Timestamp:
        return timestamp_at(self.joint.index, 0)

    @cached_property
    def end(self) -> pd.Timestamp:
        return timestamp_at(self.joint.index, -1)


def growth(joint: pd.DataFrame) -> pd.DataFrame:
    """What $10,000 in each fund on the first common day became."""
    return 10_000 * joint / joint.iloc[0]


def comparison(joint: pd.DataFrame, tickers: list[str], volatility: pd.DataFrame | None = None,
               anchors: np.ndarray | None = None) -> Comparison:
    """Growth, drawdown, relative strength, rolling correlation and volatility; the first fund is the base.

    On the arrays of the common days (issue 17: a pair page's costliest numbers), with the same arithmetic
    as the pandas formulation (:func:`_comparison_frames`, which ``joint`` with a gap still takes): the
    rolling mean, correlation and standard deviation are pandas' own kernels, on the arrays
    (:mod:`versus.metrics.rolling`).

    ``volatility`` (each fund's rolling volatility, as computed here) and ``anchors``
    (:func:`versus.metrics.rolling_anchors` of the dates): what the build's memo of each fund's part of a page
    (:mod:`versus.pages.fundparts`) already has; used only for a ``joint`` without gaps."""
    values = joint.to_numpy(dtype=float)
    if list(joint.columns) != list(tickers) or not len(values) or np.isnan(values).any():
        return _comparison_frames(joint, tickers)
    idx, cols = joint.index, joint.columns
    c = Comparison(joint, tickers)
    grown = 10_000 * values / values[0]
    c.growth = pd.DataFrame(grown, index=idx, columns=cols)
    c.growth_ends = sorted_series(grown[-1], cols, False, c.end)
    dd = values / np.maximum.accumulate(values, axis=0) - 1.0
    c.drawdown = pd.DataFrame(dd, index=idx, columns=cols)
    c.worst = sorted_series(dd.min(axis=0), cols)
    col = {t: k for k, t in enumerate(tickers)}
    c.worst_on = {t: timestamp_at(idx, int(np.argmin(dd[:, col[t]]))) for t in c.worst.index}
    c.below = {t: dd[-1, col[t]] for t in tickers}
    for o in tickers[1:]:
        ratio = values[:, 0] / values[:, col[o]]
        ratio = ratio / ratio[0]
        series = pd.Series(ratio, index=idx)
        average = m.moving_average(series, MA_DAYS)
        c.relative[o] = Relative(series, average, m.regime_of(ratio, average.to_numpy(), MA_DAYS, TREND_DAYS),
                                 ratio[-1] - 1)
    r = values[1:] / values[:-1] - 1.0
    days = idx[1:]
    others = list(dict.fromkeys(tickers[1:]))  # a column per other fund (as a dict of columns has it)
    corr = np.column_stack([m.rolling_corr(r[:, 0], r[:, col[o]], ROLL_DAYS) for o in others]) if others \
        else np.empty((len(days), 0))
    # the block, not a frame of Series (one fund: the empty frame of an empty dict of columns, as before)
    c.correlation = pd.DataFrame(corr, index=days, columns=others) if others else pd.DataFrame({})
    for k, name in enumerate(others):
        v = corr[:, k]
        ok = np.flatnonzero(~np.isnan(v))
        s = v[ok]
        c.correlation_stats[name] = None if not len(s) else {
            "now": s[-1], "min": float(s.min()), "min_on": timestamp_at(days, ok[int(np.argmin(s))]),
            "mean": s.sum() / len(s)}
    c.volatility = fund_volatility(pd.DataFrame(r, index=days, columns=cols)) if volatility is None else volatility
    vol = c.volatility.to_numpy()
    c.volatility_now = sorted_series(vol[-1], cols, False, timestamp_at(c.volatility.index, -1)) if len(vol) \
        else pd.Series(np.nan, index=tickers).sort_values(ascending=False)  # one day: no return
    full = np.flatnonzero(~np.isnan(vol).any(axis=1))
    c.most_volatile = _most_volatile_of(vol[full], cols,
                                        timestamp_at(c.volatility.index, full[0]) if len(full) else None)
    c.rolling = rolling_returns(joint, tickers, anchors=anchors)
    return c


def fund_volatility(rets: pd.DataFrame) -> pd.DataFrame:
    """Each fund's rolling volatility (:func:`versus.metrics.rolling_volatility` over :data:`ROLL_DAYS`) from its
    daily returns: column by column, so a fund's column is the same whatever funds it is computed with (the
    memo of :mod:`versus.pages.fundparts` keeps it per fund)."""
    return m.rolling_volatility(rets, ROLL_DAYS)


def _comparison_frames(joint: pd.DataFrame, tickers: list[str]) -> Comparison:
    """:func:`comparison` by pandas frames: the reference formulation, for frames with gaps."""
    c = Comparison(joint, tickers)
    c.growth = growth(joint)
    c.growth_ends = c.growth.iloc[-1].sort_values(ascending=False)
    c.drawdown = m.drawdown(joint)
    c.worst = c.drawdown.min().sort_values()
    c.worst_on = {t: c.drawdown[t].idxmin() for t in c.worst.index}
    c.below = {t: c.drawdown[t].iloc[-1] for t in tickers}
    base = tickers[0]
    for o in tickers[1:]:
        ratio = m.relative_strength(joint, base, o)
        c.relative[o] = Relative(ratio, m.moving_average(ratio, MA_DAYS), m.trend_regime(ratio, MA_DAYS, TREND_DAYS),
                                 ratio.iloc[-1] - 1)
    rets = m.simple_returns(joint).iloc[1:]
    c.correlation = pd.DataFrame({o: m.rolling_window(rets[base], ROLL_DAYS).corr(rets[o]) for o in tickers[1:]})
    for col in c.correlation.columns:
        s = c.correlation[col].dropna()
        c.correlation_stats[col] = None if s.empty else {"now": s.iloc[-1], "min": s.min(), "min_on": s.idxmin(),
                                                         "mean": s.mean()}
    c.volatility = m.rolling_volatility(rets, ROLL_DAYS)
    last = c.volatility.iloc[-1] if len(c.volatility) else pd.Series(np.nan, index=tickers)  # one day: no return
    c.volatility_now = last.sort_values(ascending=False)
    c.most_volatile = _most_volatile(c.volatility.dropna())
    c.rolling = _rolling_returns_frames(joint, tickers)
    return c


@dataclass
class Rolling:
    """The rolling one-year total return of 1-5 funds on their common days (the first is the base)."""

    tickers: list[str]
    end: pd.Timestamp
    frame: pd.DataFrame                  # total return over the previous 12 months, each day (rows with none dropped)
    stats: dict = field(default_factory=dict)  # per fund: now, best/worst and their window ends, since (or None)
    ahead: dict = field(default_factory=dict)  # per other fund: share of windows the base fund's beat it (or None)
    windows: dict = field(default_factory=dict)  # per other fund: (windows the base fund's beat it, windows)


def rolling_returns(joint: pd.DataFrame, tickers: list[str], months: int = 12,
                    anchors: np.ndarray | None = None) -> Rolling:
    """Each fund's total return over the previous ``months`` months at every common day
    (:func:`versus.metrics.rolling_return`), where it stands now, its best and worst windows, and how often
    the base fund's beat each other one's (on the arrays: the same figures, and types, as
    :func:`_rolling_returns_frames`).  ``anchors``: :func:`versus.metrics.rolling_anchors` of the dates for
    ``months``, when known."""
    prices = joint[tickers] if list(joint.columns) != list(tickers) else joint
    frame = m.rolling_return(prices, months) if anchors is None else m.rolling_return_at(prices, anchors)
    values = frame.to_numpy()
    keep = np.flatnonzero(~np.isnan(values).all(axis=1))
    values, index = values[keep], frame.index[keep]
    r = Rolling(tickers, timestamp_at(joint.index, -1), pd.DataFrame(values, index=index, columns=frame.columns))
    has = ~np.isnan(values)
    for k, t in enumerate(tickers):
        ok = np.flatnonzero(has[:, k])
        s = values[ok, k]
        if not len(s):
            r.stats[t] = None
            continue
        hi, lo = int(np.argmax(s)), int(np.argmin(s))
        r.stats[t] = {"now": s[-1], "max": float(s[hi]), "max_on": timestamp_at(index, ok[hi]), "min": float(s[lo]),
                      "min_on": timestamp_at(index, ok[lo]), "since": timestamp_at(index, ok[0])}
    for k, o in enumerate(tickers[1:], 1):
        both = has[:, 0] & has[:, k]
        beat = int(np.count_nonzero(values[both, 0] > values[both, k]))
        n = int(np.count_nonzero(both))
        r.ahead[o] = None if not n else float(beat / n)
        r.windows[o] = (beat, n)
    return r


def _rolling_returns_frames(joint: pd.DataFrame, tickers: list[str], months: int = 12) -> Rolling:
    """:func:`rolling_returns` by pandas frames (the reference formulation)."""
    r = Rolling(tickers, joint.index[-1], m.rolling_return(joint[tickers], months).dropna(how="all"))
    for t in tickers:
        s = r.frame[t].dropna()
        r.stats[t] = None if s.empty else {"now": s.iloc[-1], "max": s.max(), "max_on": s.idxmax(),
                                           "min": s.min(), "min_on": s.idxmin(), "since": s.index[0]}
    for o in tickers[1:]:
        both = r.frame[[tickers[0], o]].dropna()
        r.ahead[o] = None if both.empty else float((both[tickers[0]] > both[o]).mean())
        r.windows[o] = (int((both[tickers[0]] > both[o]).sum()), len(both))
    return r


def _most_volatile_of(values: np.ndarray, columns, since) -> dict | None:
    """:func:`_most_volatile` of the rows without NaN (``values``; ``since`` the first one's date)."""
    if not len(values):
        return None
    first = np.argmax(values, axis=1)
    counts = np.bincount(first, minlength=values.shape[1])
    tied = np.flatnonzero(counts == counts.max())
    lead = min(tied, key=lambda k: int(np.argmax(first == k)))
    return {"ticker": columns[lead], "share": counts[lead] / len(values), "since": since}


def _most_volatile(valid: pd.DataFrame) -> dict | None:
    """The fund most often the most volatile (ties: the one first so), as ``idxmax(axis=1).value_counts()``."""
    return _most_volatile_of(valid.to_numpy(), valid.columns, valid.index[0] if len(valid) else None)


@dataclass
class Calendar:
    """Total return per calendar year; the first and last years may be partial."""

    years: pd.DataFrame
    first_partial: bool
    last_partial: bool
    full: pd.DataFrame      # the full calendar years only
    summary: dict           # what the description states (depends on the number of funds)


def calendar(joint: pd.DataFrame, tickers: list[str], years: pd.DataFrame | None = None) -> Calendar:
    """Each fund's total return per calendar year (:func:`versus.metrics.calendar_year_returns` of ``joint``,
    or ``years`` when the caller has it: the build's memo, :mod:`versus.pages.fundparts`), which years are
    partial, and what the description states."""
    years = m.calendar_year_returns(joint) if years is None else years
    first_partial = joint.index[0] > pd.Timestamp(year=joint.index[0].year, month=1, day=10)
    last_partial = joint.index[-1] < pd.Timestamp(year=joint.index[-1].year, month=12, day=24)
    full = years.iloc[int(first_partial): len(years) - int(last_partial)]
    summary: dict = {"years": len(full)}
    if len(tickers) <= 2 and len(full) and not np.isnan(values := columns_of(full, tickers)).any():
        # on the arrays (every year has a return: the joint closes have no gap), as calendar_summary
        if len(tickers) == 1:
            v = values[:, 0]
            hi, lo = int(np.argmax(v)), int(np.argmin(v))
            summary.update(best=full.index[hi], best_value=float(v[hi]), worst=full.index[lo],
                           worst_value=float(v[lo]), positive=int(np.count_nonzero(v > 0)))
        else:
            big = int(np.argmax(np.abs(values[:, 0] - values[:, 1])))
            summary.update(wins=int(np.count_nonzero(values[:, 0] > values[:, 1])), widest=full.index[big],
                           widest_a=values[big, 0], widest_b=values[big, 1])
    else:
        summary = calendar_summary(full, tickers)
    return Calendar(years, first_partial, last_partial, full, summary)


def calendar_summary(full: pd.DataFrame, tickers: list[str]) -> dict:
    """What a calendar-year description states, from the full years' returns (pandas formulation; the
    reference of :func:`calendar`'s array path): one fund's best, worst and positive years; two funds' wins
    of the first and widest gap; more funds' leaders by year."""
    summary: dict = {"years": len(full)}
    if full.empty:
        pass
    elif len(tickers) == 1:
        t = tickers[0]
        summary.update(best=full[t].idxmax(), best_value=full[t].max(), worst=full[t].idxmin(),
                       worst_value=full[t].min(), positive=int((full[t] > 0).sum()))
    elif len(tickers) == 2:
        a, b = tickers
        big = (full[a] - full[b]).abs().idxmax()
        summary.update(wins=int((full[a] > full[b]).sum()), widest=big, widest_a=full.loc[big, a],
                       widest_b=full.loc[big, b])
    else:
        summary["leaders"] = full.idxmax(axis=1).value_counts()
    return summary


def seasonality(adj: pd.DataFrame, tickers: list[str], joint: pd.DataFrame | None = None) -> dict:
    """Average monthly return of the first fund minus each other one, by calendar month, and what stands out
    against the second fund (each pair over its own common days: :func:`versus.metrics.relative_return_by_month`).

    ``joint``: the closes of ``tickers`` on their common days (:func:`joint_closes`), when the caller has them:
    a pair's common days are those of its only pair of funds, so its months are taken from those arrays."""
    base, others = tickers[0], tickers[1:]
    arrays = {o: _months_of(adj, base, o, joint if len(tickers) == 2 else None) for o in others}
    mean, wins, count = (arrays[others[0]][k] for k in ("mean", "a_wins", "count"))
    out = {"by_fund": arrays, "empty": bool(np.isnan(mean).all())}
    if not out["empty"]:  # idxmax/idxmin (the first of the largest/smallest, NaN skipped) by positions
        hi, lo = int(np.nanargmax(mean)), int(np.nanargmin(mean))
        out.update(years=int(np.nanmax(count)), best=hi + 1, best_mean=mean[hi], best_wins=wins[hi], worst=lo + 1,
                   worst_mean=mean[lo], worst_wins=wins[lo], june=mean[5])  # months 1-12 at positions 0-11
    return out


def _months_of(adj: pd.DataFrame, a: str, b: str, joint: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """``mean``, ``a_wins`` and ``count`` (floats, January first) of ``m.relative_return_by_month(adj, a, b)``;
    from ``joint`` (the two funds' closes on their common days, columns ``[a, b]``) by
    :func:`versus.metrics.periods.by_month` when it has no gap, else from ``adj``."""
    idx = joint.index if joint is not None else None
    if idx is not None and len(idx) and isinstance(idx, pd.DatetimeIndex) and idx.tz is None \
            and list(joint.columns) == [a, b] and idx.is_monotonic_increasing:
        values = joint.to_numpy(dtype=float)
        if not np.isnan(values).any():
            by = m.periods.by_month(*m.periods.month_differences(idx.values, values[:, 0], values[:, 1]))
            return {k: np.asarray(by[k], dtype=float) for k in ("mean", "a_wins", "count")}
    table = m.relative_return_by_month(adj, a, b)
    return {k: table[k].to_numpy(dtype=float) for k in ("mean", "a_wins", "count")}


@dataclass
class LastDays:
    """The statistics of the last ``days`` daily returns of each fund, and their correlation with the first."""

    stats: dict
    start: pd.Timestamp
    end: pd.Timestamp
    short: bool                 # fewer common days than the window: no figures
    correlations: list          # per fund (None for the base), or one value for a pair


def last_days(joint: pd.DataFrame, tickers: list[str], days: int = ROLL_DAYS) -> LastDays:
    values = joint.to_numpy(dtype=float)[-(days + 1):]
    if len(joint) >= days + 1 and list(joint.columns) == list(tickers) and not np.isnan(values).any():
        return _last_days_arrays(joint, tickers, values)
    st = m.window_statistics(joint, days)
    win = joint.iloc[-(days + 1):]
    base = tickers[0]
    short = len(joint) < days + 1  # never a shorter window: no correlation either
    corrs = [None if x == base or short else _correlation(win, base, x) for x in tickers]
    if len(tickers) == 2:
        corrs = [float("nan") if short else corrs[1]]
    return LastDays(st.to_dict("index"), win.index[0], win.index[-1], short, corrs)


def _last_days_arrays(joint: pd.DataFrame, tickers: list[str], p: np.ndarray) -> LastDays:
    """:func:`last_days` of a full window without gaps (``p``: its closes), from the arrays: the figures of
    :func:`versus.metrics.window_statistics` (its volatility by pandas' std, as there) and the correlations."""
    r = p[1:] / p[:-1] - 1.0
    vol = m.annual_volatility(pd.DataFrame(r, columns=joint.columns)).to_numpy()
    figures = {"return": p[-1] / p[0] - 1.0, "volatility": vol, "best_day": r.max(axis=0), "worst_day": r.min(axis=0),
               "up_days": (r > 0).sum(axis=0) / len(r),
               "max_drawdown": (p / np.maximum.accumulate(p, axis=0) - 1.0).min(axis=0)}
    stats = {t: {k: float(v[i]) for k, v in figures.items()} for i, t in enumerate(joint.columns)}
    corrs = [None if k == 0 else m.correlation_of(r[:, 0], r[:, k]) for k in range(len(tickers))]
    if len(tickers) == 2:
        corrs = corrs[1:]
    days = len(p) - 1
    return LastDays(stats, joint.index[-(days + 1)], joint.index[-1], False, corrs)


def _correlation(win: pd.DataFrame, a: str, b: str) -> float:
    """``m.correlation`` of the daily returns of ``a`` and ``b`` over the closes ``win`` (the days both have
    one), from the arrays."""
    x, y = win[a].to_numpy(dtype=float, na_value=np.nan), win[b].to_numpy(dtype=float, na_value=np.nan)
    rx, ry = x[1:] / x[:-1] - 1.0, y[1:] / y[:-1] - 1.0  # m.simple_returns, first row left out
    ok = ~(np.isnan(rx) | np.isnan(ry))
    return m.correlation_of(rx[ok], ry[ok]) if not ok.all() else m.correlation_of(rx, ry)


def rounded(values, digits: int = 6) -> list:
    """Table values for CSV: finite numbers rounded, else None."""
    return [num(v, digits) for v in values]

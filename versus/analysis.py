"""Apply the metrics over the published horizons: once per fund, then once per pair.

This is where windows are cut and where a value that cannot be computed becomes
``None`` with a reason (never a number over a shorter window).  The output is
plain JSON-ready dicts: the ``funds`` and ``pair`` sections of the API contract.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import metrics as m
from .data import Prepared

VOL_HORIZONS = ["1y", "3y", "5y"]
DRAWDOWN_HORIZONS = ["1y", "3y", "5y", "10y"]
GROWTH_HORIZONS = ["1y", "3y", "5y", "10y"]
CAGR_HORIZONS = ["3y", "5y", "10y", "inception"]
PAIR_HORIZONS = ["90d", "1y", "3y", "5y"]
PAIR_DAYS = {"90d": 90}


def num(x, digits: int = 8):
    """A finite float rounded for stable output, or None."""
    if x is None:
        return None
    x = float(x)
    return None if not math.isfinite(x) else round(x, digits)


def iso(d) -> str | None:
    return None if d is None or pd.isna(d) else pd.Timestamp(d).date().isoformat()


@dataclass
class FundMetrics:
    ticker: str
    as_of: pd.Timestamp  # the fund's last close used (the site's as-of unless stale)
    values: dict = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


def _window(adj: pd.DataFrame, end: pd.Timestamp, horizon: str):
    """Rows of ``adj`` for ``horizon`` ending at ``end`` plus the start date (or None)."""
    anchor = m.window_anchor(end, horizon)
    upto = adj.loc[:end]
    start = m.window_start_row(upto.index, anchor)
    return (None, anchor) if start is None else (upto.loc[start:], anchor)


def compute_funds(prep: Prepared, risk_free_rate: float = 0.0) -> dict[str, FundMetrics]:
    """Every per-fund metric for every horizon, computed in one 2-D pass per end date."""
    adj = prep.data.adj_close
    rf = m.daily_risk_free(risk_free_rate)
    out: dict[str, FundMetrics] = {}
    ends: dict[pd.Timestamp, list[str]] = {}
    for t, fr in prep.freshness.items():
        ends.setdefault(fr.last, []).append(t)
        out[t] = FundMetrics(t, fr.last)
    for end, cols in sorted(ends.items()):
        frame = adj[cols]
        _returns_and_risk(frame, end, rf, out)
        _inception(frame, end, out)
        yld = m.dividend_yield_ttm(prep.data.dividends.reindex(columns=cols), prep.data.close[cols], end)
        for t in cols:
            fm = out[t]
            first = prep.freshness[t].first
            if (end - first).days < 365:
                fm.values["dividend_yield_ttm"] = None
                fm.reasons["dividend_yield_ttm"] = f"less than a year of history (since {first.date()})"
            elif pd.isna(yld[t]):
                fm.values["dividend_yield_ttm"] = None
                fm.reasons["dividend_yield_ttm"] = f"no unadjusted close for {end.date()} in the data"
            elif t not in prep.data.dividends.columns or prep.data.dividends[t].dropna().empty:
                fm.values["dividend_yield_ttm"] = None
                fm.reasons["dividend_yield_ttm"] = "no dividend history in the data"
            elif gap := _close_gap(prep.data.adj_close[t], prep.data.close[t], end):
                fm.values["dividend_yield_ttm"] = None
                fm.reasons["dividend_yield_ttm"] = (
                    f"no unadjusted close from {gap[0].date()} to {gap[1].date()}, so the dividends paid in the "
                    f"past year are not all known")
            else:
                fm.values["dividend_yield_ttm"] = num(yld[t])
    return out


MAX_CLOSE_GAP = 5
"""Trading days without an unadjusted close that the trailing yield tolerates in its window: longer runs
may hide an ex-dividend date (the shared data's dividend lists are complete only where closes are)."""


def _close_gap(adj: pd.Series, close: pd.Series, end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day of the longest run of more than :data:`MAX_CLOSE_GAP` trading days without an
    unadjusted close in the trailing-yield window ``(end - 365 days, end]``, or None."""
    window = slice(end - pd.Timedelta(days=365) + pd.Timedelta(days=1), end)
    a, c = adj.loc[window], close.loc[window]
    missing = (a.notna() & c.isna()).to_numpy()
    if missing.sum() <= MAX_CLOSE_GAP:
        return None
    best, run_start, best_span = 0, None, None
    for i, miss in enumerate(list(missing) + [False]):
        if miss and run_start is None:
            run_start = i
        elif not miss and run_start is not None:
            if i - run_start > best:
                best, best_span = i - run_start, (a.index[run_start], a.index[i - 1])
            run_start = None
    return best_span if best > MAX_CLOSE_GAP else None


def _returns_and_risk(frame: pd.DataFrame, end: pd.Timestamp, rf: float, out: dict[str, FundMetrics]) -> None:
    windows = [h for h in m.RETURN_HORIZONS if h != "inception"]
    for h in windows:
        win, anchor = _window(frame, end, h)
        if win is None:
            for t in frame.columns:
                _null(out[t], h, f"no prices on or before {anchor.date()}")
            continue
        ok = win.iloc[0].notna()
        tr = m.total_return(win)
        rets = m.simple_returns(win).iloc[1:]
        stats = {}
        if h in VOL_HORIZONS:
            stats = {
                "volatility": m.annual_volatility(rets),
                "sharpe": m.sharpe_ratio(rets, rf),
                "sortino": m.sortino_ratio(rets, rf),
            }
        mdd = m.max_drawdown(win) if h in DRAWDOWN_HORIZONS else None
        for t in frame.columns:
            fm = out[t]
            if not ok[t]:
                first = frame[t].first_valid_index()
                _null(fm, h, f"{t}'s history starts {first.date()}, after the {h} window start ({win.index[0].date()})")
                continue
            fm.values.setdefault("total_return", {})[h] = num(tr[t])
            if h in GROWTH_HORIZONS:
                fm.values.setdefault("growth_of_1000", {})[h] = num(m.growth_of(tr[t]), 4)
            if h in CAGR_HORIZONS:
                fm.values.setdefault("cagr", {})[h] = num(m.cagr(tr[t], m.HORIZON_MONTHS[h] / 12))
            for key, series in stats.items():
                fm.values.setdefault(key, {})[h] = num(series[t])
            if mdd is not None:
                row = mdd.loc[t]
                fm.values.setdefault("max_drawdown", {})[h] = {
                    "value": num(row["value"]),
                    "peak": iso(row["peak"]),
                    "trough": iso(row["trough"]),
                    "recovery": iso(row["recovery"]),
                }


def _inception(frame: pd.DataFrame, end: pd.Timestamp, out: dict[str, FundMetrics]) -> None:
    for t in frame.columns:
        series = frame[t].loc[:end].dropna()
        fm = out[t]
        first = series.index[0]
        fm.values["inception"] = iso(first)
        if len(series) < 2:
            _null(fm, "inception", f"only one day of prices ({first.date()})")
            continue
        tr = m.total_return(series.to_frame())[t]
        fm.values.setdefault("total_return", {})["inception"] = num(tr)
        years = (series.index[-1] - first).days / 365.25
        fm.values.setdefault("cagr", {})["inception"] = num(m.cagr(tr, years))


def _null(fm: FundMetrics, h: str, reason: str) -> None:
    """Record null for every metric published for horizon ``h``."""
    keys = ["total_return"]
    keys += ["growth_of_1000"] if h in GROWTH_HORIZONS else []
    keys += ["cagr"] if h in CAGR_HORIZONS else []
    keys += ["volatility", "sharpe", "sortino"] if h in VOL_HORIZONS else []
    keys += ["max_drawdown"] if h in DRAWDOWN_HORIZONS else []
    for k in keys:
        fm.values.setdefault(k, {})[h] = None
        fm.reasons[f"{k}.{h}"] = reason


def joint_returns(returns: pd.DataFrame, a: str, b: str,
                  end: pd.Timestamp) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """The days up to ``end`` on which both A and B have a daily return: the dates and the two return
    arrays (what ``returns[[a, b]].loc[:end].dropna()`` holds, without building the frame)."""
    stop = returns.index.searchsorted(end, side="right")
    x = returns[a].to_numpy(dtype=float, na_value=np.nan)[:stop]
    y = returns[b].to_numpy(dtype=float, na_value=np.nan)[:stop]
    ok = ~(np.isnan(x) | np.isnan(y))
    return returns.index[:stop][ok], x[ok], y[ok]


def compute_pair(prep: Prepared, returns: pd.DataFrame, a: str, b: str) -> tuple[dict, dict[str, str]]:
    """Correlation and beta of A on B over the last 90 trading days and 1y/3y/5y.

    Daily returns of each fund, on the days both have one; the window ends at the
    earlier of the two funds' last closes.
    """
    end = min(prep.freshness[a].last, prep.freshness[b].last)
    dates, x, y = joint_returns(returns, a, b, end)
    values: dict = {"correlation": {}, "beta": {}}
    reasons: dict[str, str] = {}
    for h in PAIR_HORIZONS:
        if h in PAIR_DAYS:
            n = PAIR_DAYS[h]
            start = len(dates) - n if len(dates) >= n else None
            why = f"fewer than {n} common trading days"
        else:
            anchor = m.window_anchor(end, h)
            both_start = max(prep.freshness[a].first, prep.freshness[b].first)
            start = dates.searchsorted(anchor, side="right") if both_start <= anchor else None  # dates > anchor
            why = f"common history starts {both_start.date()}, after the {h} window start ({anchor.date()})"
        if start is None:
            for k in values:
                values[k][h] = None
                reasons[f"{k}.{h}"] = why
            continue
        values["correlation"][h] = num(m.correlation_of(x[start:], y[start:]))
        values["beta"][h] = num(m.beta_of(x[start:], y[start:]))
    return values, reasons

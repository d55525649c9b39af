"""Per-pair figures, from the daily returns of the two funds on the days both trade.

Correlation and beta by horizon (:func:`compute_pair`), the range of the rolling one-year
correlation over five years and the lead-lag profile over one year (:func:`pair_series`).
A pair's windows end at the earlier of the two funds' last closes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import metrics as m
from ..data import Prepared
from ..util import num
from .registry import BY_KEY, MARKET, MARKET_METRICS, MARKET_NULLS, PAIR_NULLS

PAIR_HORIZONS = list(BY_KEY["correlation"].horizons)
PAIR_DAYS = {"90d": 90}
"""Horizons counted in common trading days rather than calendar time."""
ROLLING_WINDOW = m.TRADING_DAYS
"""Trading days of one rolling correlation window (one year)."""
MAX_LAG = 5
"""Largest lag of the lead-lag profile, in trading days."""
LEAD_LAG_MARGIN = 0.05
"""A lagged correlation must beat the same-day one by more than this (absolute values) for a fund to lead."""
LEAD_LAG_NOISE = 3.0
"""... and be outside the noise band of ``LEAD_LAG_NOISE / sqrt(n)`` for n daily returns."""


def joint_returns(returns: pd.DataFrame, a: str, b: str,
                  end: pd.Timestamp) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    """The days up to ``end`` on which both A and B have a daily return: the dates and the two return
    arrays (what ``returns[[a, b]].loc[:end].dropna()`` holds, without building the frame)."""
    stop = returns.index.searchsorted(end, side="right")
    x = returns[a].to_numpy(dtype=float, na_value=np.nan)[:stop]
    y = returns[b].to_numpy(dtype=float, na_value=np.nan)[:stop]
    ok = ~(np.isnan(x) | np.isnan(y))
    return returns.index[:stop][ok], x[ok], y[ok]


def compute_pair(prep: Prepared, returns: pd.DataFrame, a: str, b: str,
                 joint: tuple | None = None) -> tuple[dict, dict[str, str]]:
    """Correlation and beta of A on B over the last 90 trading days and 1y/3y/5y.

    Daily returns of each fund, on the days both have one; the window ends at the
    earlier of the two funds' last closes.  ``joint``: :func:`joint_returns` of A and B to that day, when the
    caller has them (:class:`versus.pages.base.PairFigures`, which hands the same arrays to :func:`pair_series`).
    """
    end = min(prep.freshness[a].last, prep.freshness[b].last)
    dates, x, y = joint_returns(returns, a, b, end) if joint is None else joint
    values: dict = {"correlation": {}, "beta": {}}
    reasons: dict[str, str] = {}
    for h in PAIR_HORIZONS:
        if h in PAIR_DAYS:
            n = PAIR_DAYS[h]
            start = len(dates) - n if len(dates) >= n else None
            why = PAIR_NULLS[0].template.format(days=n)
        else:
            anchor = m.window_anchor(end, h)
            both_start = max(prep.freshness[a].first, prep.freshness[b].first)
            start = dates.searchsorted(anchor, side="right") if both_start <= anchor else None  # dates > anchor
            why = PAIR_NULLS[1].template.format(first=both_start.date(), horizon=h, anchor=anchor.date())
        if start is None:
            for k in values:
                values[k][h] = None
                reasons[f"{k}.{h}"] = why
            continue
        values["correlation"][h] = num(m.correlation_of(x[start:], y[start:]))
        values["beta"][h] = num(m.beta_of(x[start:], y[start:]))
    values["since_common_start"] = since_common_start(prep.data.adj_close, [a, b], end)
    return values, reasons


MATRIX_HORIZONS = ("1y", "5y")
"""Horizons of a group's correlation matrix."""


def correlation_matrix(prep: Prepared, returns: pd.DataFrame, tickers: list[str], known: dict | None = None) -> dict:
    """Every fund of a group against every other: the correlation of daily returns by horizon
    (:data:`MATRIX_HORIZONS`), by the pair convention of :func:`compute_pair` (the days both funds have a return,
    the window ending at the earlier of the two last closes), so a cell equals the pair page's figure.

    ``known``: pair figures already computed (``(a, b) -> (values, reasons)``, the site's pairs), used in
    either order.  Returns ``{"tickers", "horizons", "values": {h: rows of cells, 1.0 on the diagonal, None
    when a pair's common history is too short}, "null_reasons": {"A-B.h": why}}``."""
    known = known or {}
    n = len(tickers)
    values = {h: [[1.0 if i == j else None for j in range(n)] for i in range(n)] for h in MATRIX_HORIZONS}
    reasons: dict[str, str] = {}
    for i in range(n):
        for j in range(i + 1, n):
            a, b = tickers[i], tickers[j]
            got = known.get((a, b)) or known.get((b, a)) or compute_pair(prep, returns, a, b)
            for h in MATRIX_HORIZONS:
                values[h][i][j] = values[h][j][i] = got[0]["correlation"].get(h)
                why = got[1].get(f"correlation.{h}")
                if why:
                    reasons[f"{a}-{b}.{h}"] = why
    return {"tickers": list(tickers), "horizons": list(MATRIX_HORIZONS), "values": values,
            "null_reasons": dict(sorted(reasons.items()))}


def since_common_start(adj: pd.DataFrame, tickers: list[str], end: pd.Timestamp) -> dict | None:
    """Total return (and, over a year or more, CAGR) of every fund from the first day all of them have a
    close to ``end``: the only since-inception figures that may be set side by side (each fund's own
    since-inception return starts on its own first day).  None with fewer than two common closes."""
    funds = list(dict.fromkeys(tickers))  # a fund against itself (SPY's beta on SPY): once
    # ``adj[funds].loc[:end].dropna()``'s first and last rows, by positions (dates ascending)
    stop = adj.index.searchsorted(end, side="right")
    values = np.stack([adj[t].to_numpy(dtype=float, na_value=np.nan)[:stop] for t in funds])
    rows = np.flatnonzero(~np.isnan(values).any(axis=0))
    if len(rows) < 2:
        return None
    first, last = adj.index[rows[0]], adj.index[rows[-1]]
    total = dict(zip(funds, values[:, rows[-1]] / values[:, rows[0]] - 1.0))
    days = int((last - first).days)
    return {"start": first.date().isoformat(), "end": last.date().isoformat(), "days": days,
            "total_return": {t: num(total[t]) for t in tickers},
            "cagr": {t: num(m.cagr(float(total[t]), days / 365.25)) for t in tickers} if days >= 365 else None}


def market_relation(prep: Prepared, returns: pd.DataFrame, t: str) -> tuple[dict, dict[str, str]]:
    """The fund's beta on and correlation with the market fund (:data:`~.registry.MARKET`, SPY) by horizon:
    the pair figures of (``t``, SPY), so the same days, windows and null reasons (``beta_spy``,
    ``correlation_spy`` and their ``null_reasons``); all null when the site does not publish SPY."""
    keys = {e.key: e.key.rsplit("_", 1)[0] for e in MARKET_METRICS}  # beta_spy -> beta
    if MARKET not in returns.columns:
        return ({k: {h: None for h in BY_KEY[k].horizons} for k in keys},
                {f"{k}.{h}": MARKET_NULLS[0].template for k in keys for h in BY_KEY[k].horizons})
    values, reasons = compute_pair(prep, returns, t, MARKET)
    out = {k: {h: values[src][h] for h in BY_KEY[k].horizons} for k, src in keys.items()}
    why = {f"{k}.{h}": reasons[f"{src}.{h}"] for k, src in keys.items() for h in BY_KEY[k].horizons
           if f"{src}.{h}" in reasons}
    return out, why


def pair_series(returns: pd.DataFrame, a: str, b: str, end: pd.Timestamp,
                joint: tuple | None = None) -> tuple[dict, dict[str, str]]:
    """Rolling one-year correlation range over five years and the lead-lag profile over one
    year, from daily returns on the days both funds trade.  Returns (values, null reasons).
    ``joint``: :func:`joint_returns` ``(returns, a, b, end)``, when the caller has them (read only)."""
    # the days both have a return, up to ``end``
    dates, x, y = joint_returns(returns, a, b, end) if joint is None else joint
    out: dict = {}
    reasons: dict[str, str] = {}
    out["correlation_rolling_1y"] = _rolling_range(dates, x, y, end)
    if out["correlation_rolling_1y"] is None:
        reasons["correlation_rolling_1y"] = BY_KEY["correlation_rolling_1y"].nulls[0].template
    out["lead_lag"] = _lead_lag(dates, x, y, end, a, b)
    if out["lead_lag"] is None:
        reasons["lead_lag"] = BY_KEY["lead_lag"].nulls[0].template
    return out, reasons


def _rolling_range(dates: pd.DatetimeIndex, x: np.ndarray, y: np.ndarray, end: pd.Timestamp) -> dict | None:
    """Lowest and highest one-year correlation of the windows ending in the last five years: every day after
    the five-year anchor ends a full window (None when the common history is too short for that)."""
    anchor5 = m.window_anchor(end, "5y")
    if not (len(dates) > ROLLING_WINDOW and dates[0] <= anchor5):
        return None
    # m.rolling_correlation's windows (pandas' rolling corr kernel on the same arrays), by positions: the
    # window ends after the anchor that have a value
    roll = m.rolling_corr(x, y, ROLLING_WINDOW)
    first = dates.searchsorted(anchor5, side="right")  # the first day after the anchor: a window must end there
    at = np.flatnonzero(~np.isnan(roll[max(first, ROLLING_WINDOW - 1):])) + max(first, ROLLING_WINDOW - 1)
    if not len(at) or first >= len(dates) or at[0] != first:
        return None  # the windows would not cover the five years the sentence names
    ends = roll[at]
    lo, hi = at[int(np.argmin(ends))], at[int(np.argmax(ends))]
    return {"min": num(roll[lo]), "min_date": dates[lo].date().isoformat(), "max": num(roll[hi]),
            "max_date": dates[hi].date().isoformat(), "window_days": ROLLING_WINDOW, "windows": int(len(at)),
            "since": dates[at[0]].date().isoformat(), "horizon": "5y"}


def _lead_lag(dates: pd.DatetimeIndex, x: np.ndarray, y: np.ndarray, end: pd.Timestamp, a: str,
              b: str) -> dict | None:
    """Cross-correlation at lags of -5..5 days over the last year; who leads, if anyone (None: too short)."""
    anchor1 = m.window_anchor(end, "1y")
    if len(dates) == 0 or dates[0] > anchor1:
        return None
    start = dates.searchsorted(anchor1, side="right")  # the days after the anchor
    n = len(dates) - start
    lags = list(range(-MAX_LAG, MAX_LAG + 1))
    cc = m.cross_correlation_of(x[start:], y[start:], MAX_LAG)
    same = float(cc[MAX_LAG])
    others = [(k, v) for k, v in zip(lags, cc) if k != 0]
    if any(np.isnan(v) for _, v in others):  # too few days for some lag: pandas' idxmax skips them
        s = pd.Series(dict(others), dtype=float)
        k = int(s.abs().idxmax())
    else:
        k = max(others, key=lambda kv: abs(kv[1]))[0]  # the first of the largest
    strongest = cc[lags.index(k)]
    lead = None
    band = LEAD_LAG_NOISE / n ** 0.5
    if abs(strongest) - abs(same) > LEAD_LAG_MARGIN and abs(strongest) > band:
        lead = a if k > 0 else b
    return {"horizon": "1y", "observations": int(n), "max_lag": MAX_LAG,
            "by_lag": {str(i): num(v) for i, v in zip(lags, cc)}, "same_day": num(same),
            "strongest_lag": k, "strongest": num(strongest), "leader": lead,
            "margin": LEAD_LAG_MARGIN, "noise_band": num(band)}

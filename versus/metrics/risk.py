"""Risk: volatility, risk-adjusted return (Sharpe, Sortino) and drawdowns."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .returns import simple_returns, total_return
from .rolling import on_pandas, rolling_std
from .windows import TRADING_DAYS

__all__ = [
    "annual_volatility", "daily_risk_free", "sharpe_ratio", "sortino_ratio", "drawdown", "max_drawdown",
    "rolling_volatility", "rolling_volatility_of", "window_statistics", "calmar_ratio", "calendar_year_drawdowns",
]


def annual_volatility(returns: pd.DataFrame) -> pd.Series:
    """Annualized volatility: sample std (ddof=1) of daily simple returns × √252.

    NaN returns are skipped; fewer than two returns give NaN.
    """
    return returns.std(ddof=1) * np.sqrt(TRADING_DAYS)


def daily_risk_free(annual_rate: float) -> float:
    """Daily risk-free rate from an annual rate: ``(1 + r) ** (1/252) - 1``."""
    return (1.0 + annual_rate) ** (1.0 / TRADING_DAYS) - 1.0


def sharpe_ratio(returns: pd.DataFrame, risk_free: float = 0.0) -> pd.Series:
    """Annualized Sharpe ratio, as ``empyrical.sharpe_ratio``.

    ``mean(r - rf) / std(r - rf, ddof=1) × √252`` with ``rf`` the daily risk-free rate.
    """
    excess = returns - risk_free
    return excess.mean() / excess.std(ddof=1) * np.sqrt(TRADING_DAYS)


def sortino_ratio(returns: pd.DataFrame, risk_free: float = 0.0) -> pd.Series:
    """Annualized Sortino ratio, as ``empyrical.sortino_ratio`` (required return = daily rf).

    ``mean(r - rf) × 252 / (sqrt(mean(min(r - rf, 0)²)) × √252)``; the downside
    deviation averages over *all* days (not only the down days).
    """
    excess = returns - risk_free
    downside = np.sqrt((excess.clip(upper=0.0) ** 2).mean()) * np.sqrt(TRADING_DAYS)
    return excess.mean() * TRADING_DAYS / downside


def drawdown(prices: pd.DataFrame) -> pd.DataFrame:
    """Underwater curve: ``P_t / max(P_s, s <= t) - 1`` (0 at new highs, negative below)."""
    return prices / prices.cummax() - 1.0


def max_drawdown(prices: pd.DataFrame) -> pd.DataFrame:
    """Largest peak-to-trough fall within the window, including its start close.

    Returns one row per column with ``value`` (negative fraction, 0 if the price
    never fell), ``peak`` (the date the running high was first set), ``trough``
    (date of the lowest point relative to that high) and ``recovery`` (first date
    after the trough on which the price regained the peak; NaT if not by the end
    of the window).
    """
    rows = {}
    for col in prices.columns:
        s = prices[col]
        ok = s.notna().to_numpy()
        p, dates = s.to_numpy(dtype=float)[ok], s.index[ok]
        if not len(p):
            rows[col] = (np.nan, pd.NaT, pd.NaT, pd.NaT)
            continue
        d = p / np.maximum.accumulate(p) - 1.0  # drawdown(), on the column's closes
        trough = int(np.argmin(d))  # the first lowest point, as idxmin
        value = float(d[trough])
        if value == 0.0:
            rows[col] = (0.0, pd.NaT, pd.NaT, pd.NaT)
            continue
        peak = int(np.argmax(p[: trough + 1]))  # the first time the high before the trough was set
        back = np.flatnonzero(p[trough:] >= p[peak])
        rows[col] = (value, dates[peak], dates[trough], dates[trough + back[0]] if len(back) else pd.NaT)
    return pd.DataFrame.from_dict(rows, orient="index", columns=["value", "peak", "trough", "recovery"])


def calendar_year_drawdowns(prices: pd.DataFrame) -> pd.DataFrame:
    """The deepest fall within each calendar year: the largest peak-to-trough fall of the year's closes,
    the previous year's last close included as its start (a fall on the year's first day counts), so a
    year is measured against its own highs, never against a high set in an earlier year.

    Returns one row per calendar year (indexed by year, int), negative fractions (0 when the price never
    fell below the year's running high); NaN for a fund with no close in that year.
    """
    # on arrays (one year block after another; NaN skipped as pandas' cummax and min(skipna) do): the same
    # numbers as the per-year pandas formulation, ~50x faster (a pair page draws it for every fund)
    values = prices.to_numpy(dtype=float)
    years = np.asarray(prices.index.year)
    starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]]) if len(years) else np.array([], int)
    ends = np.r_[starts[1:], len(years)].astype(int)
    out = np.full((len(starts), values.shape[1]), np.nan)
    for k, (a, b) in enumerate(zip(starts, ends)):
        block = values[max(a - 1, 0): b]  # the previous year's last close, when there is one
        deepest = np.fmin.reduce(block / np.fmax.accumulate(block, axis=0) - 1.0, axis=0)
        out[k] = np.where(np.isnan(values[a:b]).all(axis=0), np.nan, deepest)
    return pd.DataFrame(out, index=[int(y) for y in years[starts]], columns=prices.columns)


def calmar_ratio(cagr: pd.Series, max_drawdown: pd.Series) -> pd.Series:
    """Calmar ratio: the compound annual growth rate over the depth of the maximum drawdown of the same
    window, ``cagr / |max_drawdown|`` (as ``empyrical.calmar_ratio`` with the window's nominal years).

    Both come from the same window of closes, its start close included (:func:`cagr` over the nominal
    horizon, :func:`max_drawdown`).  NaN when the price never fell below a previous high in the window
    (no drawdown to divide by), as empyrical.
    """
    depth = max_drawdown.abs()
    return cagr / depth.where(depth > 0)


def rolling_volatility(returns: pd.DataFrame, window: int = 90) -> pd.DataFrame:
    """Rolling annualized volatility: std (ddof=1) of the last ``window`` daily returns × √252.

    The same convention as :func:`annual_volatility`, one value per window end date
    (NaN until the first full window).

    Parameters
    ----------
    returns : pd.DataFrame
        Daily simple returns, one column per fund.
    window : int, optional
        Window length in trading days (default 90).

    Returns
    -------
    pd.DataFrame
        Annualized volatility per window end date, fractions.
    """
    # pandas' rolling_window(returns, window).std(ddof=1), by its kernel on the arrays (.rolling): the same values
    return on_pandas(returns, lambda r: rolling_volatility_of(r, window))


def rolling_volatility_of(returns: np.ndarray, window: int = 90) -> np.ndarray:
    """:func:`rolling_volatility` of a days x funds array of daily returns (or one fund's 1-D array)."""
    return rolling_std(returns, window, ddof=1) * np.sqrt(TRADING_DAYS)


def window_statistics(prices: pd.DataFrame, days: int = 90) -> pd.DataFrame:
    """Statistics of the last ``days`` daily returns, one row per fund.

    The window is the last ``days + 1`` closes (so ``days`` returns).  Columns:
    ``return`` (total return, :func:`total_return`), ``volatility``
    (:func:`annual_volatility`), ``best_day`` / ``worst_day`` (largest and smallest
    daily return), ``up_days`` (share of days with a positive return) and
    ``max_drawdown`` (:func:`max_drawdown` value, including the start close).
    NaN for a fund without a close at the window start, and for every fund when
    ``prices`` has fewer than ``days + 1`` rows (never a shorter window).

    Parameters
    ----------
    prices : pd.DataFrame
        Adjusted closes, one column per fund, ending at the as-of date.
    days : int, optional
        Number of daily returns in the window (default 90).

    Returns
    -------
    pd.DataFrame
        Index = funds, the columns above, fractions.
    """
    cols = ["return", "volatility", "best_day", "worst_day", "up_days", "max_drawdown"]
    if len(prices) < days + 1:
        return pd.DataFrame(np.nan, index=prices.columns, columns=cols)
    win = prices.iloc[-(days + 1):]
    rets = simple_returns(win).iloc[1:]
    p = win.to_numpy(dtype=float)
    if np.isnan(p).any():
        out = pd.DataFrame({
            "return": total_return(win),
            "volatility": annual_volatility(rets),
            "best_day": rets.max(),
            "worst_day": rets.min(),
            "up_days": (rets > 0).sum() / rets.notna().sum(),
            "max_drawdown": max_drawdown(win)["value"].astype(float),
        })
        out.loc[win.iloc[0].isna()] = np.nan
        return out
    # no gaps (the usual case): the same figures from the arrays, without a pandas call per column
    r = rets.to_numpy(dtype=float)
    out = pd.DataFrame({
        "return": p[-1] / p[0] - 1.0,
        "volatility": annual_volatility(rets).to_numpy(),
        "best_day": r.max(axis=0),
        "worst_day": r.min(axis=0),
        "up_days": (r > 0).sum(axis=0) / len(r),
        "max_drawdown": (p / np.maximum.accumulate(p, axis=0) - 1.0).min(axis=0),
    }, index=prices.columns)
    return out

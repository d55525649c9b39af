"""Comparison metrics: small pure functions over 2-D frames (one column per fund).

Every function takes prices or daily returns as a ``DataFrame`` whose columns are
tickers and whose index is the trading dates, and returns one value per column,
so one call computes every fund.  Prices are dividend-adjusted closes (total
return) unless a docstring says otherwise.  Results are fractions (0.1716 for
17.16 %); drawdowns are negative.  A value that cannot be computed is NaN here
and ``null`` with a reason in the output (see :mod:`versus.analysis`).

The conventions below are repeated on the methodology page.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

TRADING_DAYS = 252
"""Trading days per year used to annualize daily statistics (as empyrical)."""

# --------------------------------------------------------------------------- windows
HORIZON_MONTHS = {"1m": 1, "3m": 3, "6m": 6, "1y": 12, "3y": 36, "5y": 60, "10y": 120}
RETURN_HORIZONS = ["1m", "3m", "6m", "ytd", "1y", "3y", "5y", "10y", "inception"]


def window_anchor(as_of: pd.Timestamp, horizon: str, first_date: pd.Timestamp | None = None) -> pd.Timestamp:
    """Calendar date a horizon's window is anchored on.

    N months/years: the same calendar date N months earlier (``as_of - DateOffset(months=N)``;
    29 Feb falls back to 28 Feb).  ``ytd``: 31 December of the previous year.
    ``inception``: the fund's first date (``first_date``).
    The window then *starts at the last close on or before the anchor*.
    """
    if horizon in HORIZON_MONTHS:
        return as_of - pd.DateOffset(months=HORIZON_MONTHS[horizon])
    if horizon == "ytd":
        return pd.Timestamp(year=as_of.year - 1, month=12, day=31)
    if horizon == "inception":
        if first_date is None:
            raise ValueError("inception window needs the first date")
        return first_date
    raise ValueError(f"unknown horizon {horizon!r}")


def window_start_row(index: pd.DatetimeIndex, anchor: pd.Timestamp) -> pd.Timestamp | None:
    """Last date in ``index`` on or before ``anchor`` (None if the index starts later)."""
    pos = index.searchsorted(anchor, side="right") - 1
    return None if pos < 0 else index[pos]


# --------------------------------------------------------------------------- returns
def simple_returns(prices: pd.DataFrame) -> pd.DataFrame:
    """Daily simple returns ``r_t = P_t / P_{t-1} - 1`` (first row NaN; no filling across gaps)."""
    return prices.pct_change(fill_method=None)


def total_return(prices: pd.DataFrame) -> pd.Series:
    """Total return over the window: ``P_end / P_start - 1``.

    ``prices`` is the window, first row = the start close, last valid close per
    column = the end.  A column whose first row is NaN (fund younger than the
    window) gives NaN.
    """
    start = prices.iloc[0]
    end = prices.ffill().iloc[-1]
    return end / start - 1.0


def cagr(total: pd.Series | float, years: float) -> pd.Series | float:
    """Compound annual growth rate: ``(1 + total) ** (1 / years) - 1``.

    ``years`` is the nominal horizon (3 for 3y); for since-inception it is
    elapsed calendar days / 365.25.
    """
    return (1.0 + total) ** (1.0 / years) - 1.0


def growth_of(total: pd.Series | float, amount: float = 1000.0) -> pd.Series | float:
    """Value of ``amount`` invested at the start: ``amount * (1 + total)``."""
    return amount * (1.0 + total)


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
    dd = drawdown(prices)
    rows = {}
    for col in prices.columns:
        p, d = prices[col].dropna(), dd[col].dropna()
        if p.empty:
            rows[col] = (np.nan, pd.NaT, pd.NaT, pd.NaT)
            continue
        trough = d.idxmin()
        value = float(d.loc[trough])
        if value == 0.0:
            rows[col] = (0.0, pd.NaT, pd.NaT, pd.NaT)
            continue
        before = p.loc[:trough]
        peak = before.idxmax()
        after = p.loc[trough:]
        recovered = after[after >= before.loc[peak]]
        rows[col] = (value, peak, trough, recovered.index[0] if len(recovered) else pd.NaT)
    return pd.DataFrame.from_dict(rows, orient="index", columns=["value", "peak", "trough", "recovery"])


def dividend_yield_ttm(dividends: pd.DataFrame, close: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Trailing-12-month yield: dividends with ex-date in ``(as_of - 365 days, as_of]``
    divided by the unadjusted close on the last trading day on or before ``as_of``.

    NaN when that close is unknown (e.g. only adjusted prices exist).
    """
    start = as_of - pd.Timedelta(days=365)
    window = dividends.loc[(dividends.index > start) & (dividends.index <= as_of)]
    paid = window.sum().reindex(close.columns).fillna(0.0)
    last_row = close.loc[:as_of].iloc[-1] if len(close.loc[:as_of]) else pd.Series(np.nan, index=close.columns)
    return paid / last_row


# --------------------------------------------------------------------------- pairs
def correlation(a: pd.Series, b: pd.Series) -> float:
    """Pearson correlation of two daily-return series on the days both have."""
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    if len(joint) < 3:
        return float("nan")
    return float(joint.iloc[:, 0].corr(joint.iloc[:, 1]))


def beta(a: pd.Series, b: pd.Series) -> float:
    """Beta of A on B: ``cov(a, b) / var(b)`` of daily returns on the days both have
    (as ``empyrical.beta(a, b)``)."""
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    if len(joint) < 3:
        return float("nan")
    x, y = joint.iloc[:, 0].to_numpy(), joint.iloc[:, 1].to_numpy()
    return float(np.cov(x, y, ddof=1)[0, 1] / np.var(y, ddof=1))


def relative_strength(prices: pd.DataFrame, a: str, b: str) -> pd.Series:
    """Relative-strength ratio ``(P_a / P_b)``, rebased to 1 on the first day both trade.

    Rising means A outperforms B (total return, since adjusted closes are used).
    """
    joint = prices[[a, b]].dropna()
    ratio = joint[a] / joint[b]
    return ratio / ratio.iloc[0]

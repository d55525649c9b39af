"""How two funds relate: correlation, beta, relative strength and its trend, lead-lag."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .rolling import on_pandas, rolling_corr, rolling_mean
from .windows import TRADING_DAYS

__all__ = [
    "correlation", "beta", "correlation_of", "beta_of", "relative_strength", "rolling_correlation",
    "cross_correlation", "cross_correlation_of", "moving_average", "trend_regime", "regime_of",
]


def correlation(a: pd.Series, b: pd.Series) -> float:
    """Pearson correlation of two daily-return series on the days both have."""
    return correlation_of(*_both(a, b))


def beta(a: pd.Series, b: pd.Series) -> float:
    """Beta of A on B: ``cov(a, b) / var(b)`` of daily returns on the days both have
    (as ``empyrical.beta(a, b)``)."""
    return beta_of(*_both(a, b))


def correlation_of(x: np.ndarray, y: np.ndarray) -> float:
    """:func:`correlation` of two aligned 1-D arrays without NaN (the days both have, in order).

    NaN with fewer than 3 days or a series without deviations from its mean.  The
    arithmetic of pandas' ``Series.corr`` (so the figures do not depend on which is
    called): deviations from the mean, scaled by their largest absolute value,
    ``sum(dx·dy) / (n - 1)`` over the two standard deviations, clipped to [-1, 1].

    Parameters
    ----------
    x, y : np.ndarray
        Daily returns of the same days, same length.

    Returns
    -------
    float
        Correlation in [-1, 1], or NaN.
    """
    n = len(x)
    if n < 3:
        return float("nan")
    dx = x - x.mean()
    dy = y - y.mean()
    sx, sy = np.max(np.abs(dx)), np.max(np.abs(dy))
    if sx == 0 or sy == 0:
        return float("nan")
    dx = dx / sx
    dy = dy / sy
    fact = n - 1
    std_x = np.sqrt(np.dot(dx, dx) / fact)
    if std_x == 0:
        return float("nan")
    r = np.dot(dx, dy) / fact / std_x
    std_y = np.sqrt(np.dot(dy, dy) / fact)
    if std_y == 0:
        return float("nan")
    return float(np.clip(r / std_y, -1.0, 1.0))


def beta_of(x: np.ndarray, y: np.ndarray) -> float:
    """:func:`beta` of two aligned 1-D arrays without NaN: ``cov(x, y) / var(y)`` (ddof=1).

    NaN with fewer than 3 days (and NaN or infinite when ``y`` is constant).

    Parameters
    ----------
    x, y : np.ndarray
        Daily returns of A and B on the same days, same length.

    Returns
    -------
    float
        Beta of A on B.
    """
    if len(x) < 3:
        return float("nan")
    return float(np.cov(x, y, ddof=1)[0, 1] / np.var(y, ddof=1))


def _both(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Two series on the days both have a value, as float arrays in date order
    (``pd.concat([a, b], axis=1, join="inner").dropna()``; one mask when the dates are the same)."""
    if a.index.equals(b.index):
        x, y = a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan)
        ok = ~(np.isnan(x) | np.isnan(y))
        return (x, y) if ok.all() else (x[ok], y[ok])
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    return (joint.iloc[:, 0].to_numpy(dtype=float, na_value=np.nan),
            joint.iloc[:, 1].to_numpy(dtype=float, na_value=np.nan))


def relative_strength(prices: pd.DataFrame, a: str, b: str) -> pd.Series:
    """Relative-strength ratio ``(P_a / P_b)``, rebased to 1 on the first day both trade.

    Rising means A outperforms B (total return, since adjusted closes are used).
    """
    joint = prices[[a, b]].dropna()
    ratio = joint[a] / joint[b]
    return ratio / ratio.iloc[0]


def rolling_correlation(a: pd.Series, b: pd.Series, window: int = TRADING_DAYS) -> pd.Series:
    """Rolling Pearson correlation of two daily-return series over ``window`` trading days.

    Computed on the days both have a return; each value is labelled with the last
    day of its window.  The first ``window - 1`` days are dropped (no full window).

    Parameters
    ----------
    a, b : pd.Series
        Daily simple returns, indexed by date.
    window : int, optional
        Window length in trading days (default 252, one year).

    Returns
    -------
    pd.Series
        Correlation per window end date, in [-1, 1].
    """
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    if len(joint) < window:
        return pd.Series(dtype=float)
    # ``joint.iloc[:, 0].rolling(window).corr(joint.iloc[:, 1])``, by pandas' kernel on the arrays (.rolling)
    x, y = joint.iloc[:, 0], joint.iloc[:, 1]
    out = pd.Series(rolling_corr(x.to_numpy(dtype=float, na_value=np.nan), y.to_numpy(dtype=float, na_value=np.nan),
                                 window), index=joint.index, name=x.name if x.name == y.name else None)
    return out.iloc[window - 1:].dropna()


def cross_correlation(a: pd.Series, b: pd.Series, max_lag: int = 5) -> pd.Series:
    """Cross-correlation of daily returns at lags ``-max_lag … +max_lag`` trading days.

    The value at lag ``k`` is ``corr(a_t, b_{t+k})`` over the days both series
    have (pairs of rows ``k`` apart in the joint calendar).  A positive ``k`` with
    a strong correlation means A's moves are followed by B's ``k`` days later (A
    leads); a negative ``k`` means B leads.  Lag 0 is the ordinary same-day
    correlation.

    Parameters
    ----------
    a, b : pd.Series
        Daily simple returns, indexed by date.
    max_lag : int, optional
        Largest lag in trading days (default 5).

    Returns
    -------
    pd.Series
        Correlation indexed by lag (int), NaN where fewer than 3 pairs exist.
    """
    return pd.Series(dict(zip(range(-max_lag, max_lag + 1), cross_correlation_of(*_both(a, b), max_lag))),
                     dtype=float)


def cross_correlation_of(x: np.ndarray, y: np.ndarray, max_lag: int = 5) -> list[float]:
    """:func:`cross_correlation` of two aligned 1-D arrays without NaN: the values at lags
    ``-max_lag … +max_lag``, in that order."""
    n = len(x)
    vals = []
    for k in range(-max_lag, max_lag + 1):  # the pairs (a_t, b_{t+k}) of the joint calendar
        if n - abs(k) < 3:
            vals.append(float("nan"))
        else:
            vals.append(correlation_of(x[:n - k], y[k:]) if k >= 0 else correlation_of(x[-k:], y[:n + k]))
    return vals


def moving_average(series: pd.Series | pd.DataFrame, window: int = 200) -> pd.Series | pd.DataFrame:
    """Simple moving average over the last ``window`` rows (NaN until the first full window).

    Parameters
    ----------
    series : pd.Series or pd.DataFrame
        Values indexed by trading date (e.g. the relative-strength ratio).
    window : int, optional
        Window length in trading days (default 200).

    Returns
    -------
    pd.Series or pd.DataFrame
        The mean of each full window, labelled with its last day.
    """
    # pandas' rolling_window(series, window).mean(), by its kernel on the arrays (.rolling): the same values
    return on_pandas(series, lambda v: rolling_mean(v, window))


def trend_regime(series: pd.Series, window: int = 200, lookback: int = 20) -> dict:
    """Where a series stands against its moving average, and where it is heading.

    ``above`` is True when the last value is above its ``window``-day moving
    average; ``rising`` is True when the last value is higher than ``lookback``
    trading days earlier.  Used for the relative-strength ratio A/B: above and
    rising means A has been outperforming B and still is.

    Parameters
    ----------
    series : pd.Series
        Values indexed by trading date, NaN-free.
    window : int, optional
        Moving-average length in trading days (default 200).
    lookback : int, optional
        Trading days over which the direction is measured (default 20, about a month).

    Returns
    -------
    dict
        ``{"value", "average", "above", "change", "rising"}``; ``average``/``above``
        are None with fewer than ``window`` values, ``change``/``rising`` None with
        fewer than ``lookback + 1``.
    """
    s = series.dropna()
    return regime_of(s.to_numpy(dtype=float), moving_average(s, window).to_numpy(dtype=float), window, lookback)


def regime_of(values: np.ndarray, average: np.ndarray, window: int = 200, lookback: int = 20) -> dict:
    """:func:`trend_regime` of a series' values without NaN (``values``) and their ``window``-day moving
    average (:func:`moving_average` of the same values, NaN until the first full window)."""
    last = float(values[-1])
    avg = float(average[-1]) if len(values) >= window else None
    change = float(values[-1] / values[-1 - lookback] - 1.0) if len(values) > lookback else None
    return {
        "value": last,
        "average": avg,
        "above": None if avg is None else last > avg,
        "change": change,
        "rising": None if change is None else change > 0,
    }

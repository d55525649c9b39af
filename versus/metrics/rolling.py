"""Rolling mean, sample standard deviation and correlation over numpy arrays: pandas' own window kernels
(``pandas._libs.window.aggregations``, what ``Series.rolling(...).mean/.std/.corr`` run), called on the
arrays directly, so every value is bit for bit pandas' (issue 17: a pair page asks for four rolling series,
and most of pandas' time went to building the Series, Rolling and result objects around the kernels).

The window convention is pandas' fixed window, ``rolling(window, min_periods=min_periods)``:

* the value at row ``i`` is the statistic of rows ``max(0, i - window + 1) .. i`` (labelled with the
  window's last row; never centred);
* a value exists where the window holds at least ``min_periods`` observations (default ``window``: full
  windows only, NaN on the first ``window - 1`` rows, as :func:`versus.metrics.rolling_window`);
* NaN and ±inf are missing observations (pandas turns inf into NaN before its kernels), not zeros; a
  correlation counts a day only when both series have a value there (pandas' ``x + 0 * y`` masking);
* the kernels carry running sums from one window to the next, so a window whose values do not vary gets a
  standard deviation of 0 only up to that rounding (about 3e-10 for 90 equal returns after 0.01-sized ones:
  pandas' figure, kept) and a correlation of NaN.

The kernels are pandas' internal API: pandas is pinned (``pyproject.toml``), and
``tests/test_rolling.py`` holds every function equal to pandas' public ``rolling`` (exact equality, NaN
where pandas has NaN) on the real funds and on hard inputs, so a pandas upgrade that changed them fails there.
"""
from __future__ import annotations

import functools

import numpy as np
from pandas._libs.window import aggregations as _agg

__all__ = ["rolling_mean", "rolling_std", "rolling_corr"]


@functools.lru_cache(maxsize=16)  # ~80 KB an entry at 5,000 days; most pairs share a few sizes
def window_bounds(n: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows ``start[i] .. end[i] - 1`` of each of ``n`` trailing windows of ``window`` rows, clipped to the
    data (pandas' ``FixedWindowIndexer``); read-only, shared by every call of the same size."""
    end = np.arange(1, n + 1, dtype=np.int64)
    start = np.clip(end - window, 0, n)
    end = np.clip(end, 0, n)
    start.flags.writeable = end.flags.writeable = False
    return start, end


def on_pandas(obj, fn):
    """``fn`` (one of the functions here) of a Series' or DataFrame's values, rebuilt as pandas' ``Rolling``
    returns it: a float Series (the same name) or DataFrame (the same columns) on the same index."""
    import pandas as pd

    values = obj.to_numpy()
    values = fn(values if values.dtype == np.float64 else obj.to_numpy(dtype=np.float64, na_value=np.nan))
    if obj.ndim == 1:
        return pd.Series(values, index=obj.index, name=obj.name)
    return pd.DataFrame(values, index=obj.index, columns=obj.columns)


def _minp(window: int, min_periods: int | None) -> int:
    """``min_periods`` as pandas validates it (default: the window)."""
    if int(window) != window or window < 0:
        raise ValueError("window must be an integer 0 or greater")
    minp = window if min_periods is None else min_periods
    if int(minp) != minp or minp < 0:
        raise ValueError("min_periods must be an integer 0 or greater")
    if minp > window:
        raise ValueError(f"min_periods {minp} must be <= window {window}")
    return int(minp)


def _prep(values) -> np.ndarray:
    """Float64 values with ±inf as NaN (pandas' ``_prep_values``)."""
    values = np.asarray(values, dtype=np.float64)
    inf = np.isinf(values)
    return np.where(inf, np.nan, values) if inf.any() else values


def _columns(values, kernel) -> np.ndarray:
    """``kernel(column)`` of a 1-D array, or of each column of a 2-D one (rows are days), as a float array of
    the same shape (pandas applies its kernel column by column)."""
    values = _prep(values)
    if values.ndim == 1:
        return kernel(values) if len(values) else values.copy()
    if values.ndim != 2:
        raise ValueError("rolling statistics take 1-D or 2-D (days x series) arrays")
    out = np.empty(values.shape, dtype=np.float64)
    if len(values):
        for k in range(values.shape[1]):
            out[:, k] = kernel(values[:, k])
    return out


def rolling_mean(values, window: int, min_periods: int | None = None) -> np.ndarray:
    """Trailing ``window``-row mean of a 1-D array or of each column of a 2-D one (days x series): the sum of
    the window's observations over their count, NaN where fewer than ``min_periods`` (default ``window``).

    ``pd.Series(values).rolling(window, min_periods=min_periods).mean().to_numpy()``, bit for bit.
    """
    minp = _minp(window, min_periods)
    return _columns(values, lambda v: _agg.roll_mean(v, *window_bounds(len(v), window), minp))


def rolling_std(values, window: int, min_periods: int | None = None, ddof: int = 1) -> np.ndarray:
    """Trailing ``window``-row standard deviation (sample, ``ddof=1``: the squared deviations from the
    window's mean over ``count - 1``, square-rooted) of a 1-D array or of each column of a 2-D one; NaN where
    fewer than ``min_periods`` observations (default ``window``) or ``count <= ddof``; a window of equal
    values gives 0 up to the rounding of the kernel's running sums (a rounding-negative variance is floored at
    0, as pandas' ``zsqrt``).

    ``pd.Series(values).rolling(window, min_periods=min_periods).std(ddof=ddof).to_numpy()``, bit for bit.
    """
    minp = _minp(window, min_periods)

    def std(v: np.ndarray) -> np.ndarray:
        var = _agg.roll_var(v, *window_bounds(len(v), window), minp, ddof)
        with np.errstate(invalid="ignore"):
            out = np.sqrt(var)
            neg = var < 0
        if neg.any():  # pandas' zsqrt
            out[neg] = 0
        return out

    return _columns(values, std)


def rolling_corr(x, y, window: int, min_periods: int | None = None) -> np.ndarray:
    """Trailing ``window``-row Pearson correlation of two aligned 1-D arrays: their sample covariance over
    the product of their sample standard deviations, on the rows where both have a value; NaN where fewer
    than ``min_periods`` such rows (default ``window``) or where either series does not vary in the window.

    ``pd.Series(x).rolling(window, min_periods=min_periods).corr(pd.Series(y)).to_numpy()``, bit for bit.
    """
    minp = _minp(window, min_periods)
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError("rolling_corr takes two 1-D arrays of the same length")
    if not len(x):
        return x.copy()
    with np.errstate(all="ignore"):
        x, y = _prep(x + 0 * y), _prep(y + 0 * x)  # pandas' prep_binary: a day missing in either is missing in both
        return _agg.roll_corr(x, y, *window_bounds(len(x), window), minp)

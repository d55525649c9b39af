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


# --------------------------------------------------------------------------- series statistics for prose (issue 3)
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
    out = joint.iloc[:, 0].rolling(window).corr(joint.iloc[:, 1])
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
    x, y = _both(a, b)
    n = len(x)
    vals = {}
    for k in range(-max_lag, max_lag + 1):  # the pairs (a_t, b_{t+k}) of the joint calendar
        if n - abs(k) < 3:
            vals[k] = float("nan")
        else:
            vals[k] = correlation_of(x[:n - k], y[k:]) if k >= 0 else correlation_of(x[-k:], y[:n + k])
    return pd.Series(vals, dtype=float)


def fee_cost(amount: float, years: float, annual_return: float, expense_low: float, expense_high: float) -> float:
    """What a higher expense ratio costs: the gap between two investments after ``years``.

    Both start at ``amount`` and grow at ``annual_return`` before fees, compounding
    once a year with the fee taken as ``(1 + r - e)``:
    ``amount * ((1 + r - e_low) ** years - (1 + r - e_high) ** years)``.

    Parameters
    ----------
    amount : float
        Starting investment in dollars (e.g. 10,000).
    years : float
        Holding period in years.
    annual_return : float
        Assumed yearly return before fees, a fraction.
    expense_low, expense_high : float
        The two expense ratios, fractions per year.

    Returns
    -------
    float
        Dollars (positive when ``expense_high > expense_low``).
    """
    return amount * ((1 + annual_return - expense_low) ** years - (1 + annual_return - expense_high) ** years)


# --------------------------------------------------------------------------- chart series and tables (issue 4)
def rolling_window(frame: pd.DataFrame | pd.Series, window: int):
    """The one rolling window used by the chart series: ``window`` rows, full windows only.

    Parameters
    ----------
    frame : pd.DataFrame or pd.Series
        Daily values indexed by date (one column per fund).
    window : int
        Window length in rows (trading days).

    Returns
    -------
    pandas Rolling
        ``frame.rolling(window, min_periods=window)``: a value exists only where the
        whole window has data, so no figure is ever computed over a shorter window.
    """
    return frame.rolling(window, min_periods=window)


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
    return rolling_window(returns, window).std(ddof=1) * np.sqrt(TRADING_DAYS)


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
    return rolling_window(series, window).mean()


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
    ma = moving_average(s, window)
    last = float(s.iloc[-1])
    avg = float(ma.iloc[-1]) if len(s) >= window else None
    change = float(s.iloc[-1] / s.iloc[-1 - lookback] - 1.0) if len(s) > lookback else None
    return {
        "value": last,
        "average": avg,
        "above": None if avg is None else last > avg,
        "change": change,
        "rising": None if change is None else change > 0,
    }


def period_returns(prices: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Total return per calendar period (``freq`` 'YE' for years, 'ME' for months).

    Each period's return is its last close over the previous period's last close,
    minus 1.  The first period runs from the first close in ``prices`` (a partial
    period) and the last period ends at the last close (to date): callers label
    those two as partial.  A column with no close at a period's start gives NaN.

    Parameters
    ----------
    prices : pd.DataFrame
        Adjusted closes, one column per fund.
    freq : str
        Pandas period-end alias: 'YE' (calendar years) or 'ME' (calendar months).

    Returns
    -------
    pd.DataFrame
        One row per period, indexed by the period's last calendar day.
    """
    ends = _period_last(prices, freq)
    starts = ends.shift(1)
    starts.iloc[0] = prices.iloc[0]
    return ends / starts - 1.0


def leading_nan_only(values: np.ndarray) -> bool:
    """Whether every column's missing values (if any) all come before its first value (a fund that
    started later, a moving average before its window fills): then a period's last row holds each
    column's last value in that period, which lets resampling take positions instead of grouping."""
    nan = np.isnan(values)
    if not nan.any():
        return True
    seen = np.maximum.accumulate(~nan, axis=0)  # once a column has had a value, it must never miss again
    return not (seen & nan).any()


def _period_last(prices: pd.DataFrame, freq: str) -> pd.DataFrame:
    """``prices.resample(freq).last()`` for 'YE' and 'ME', by positions when that is the same.

    That is when the dates are sorted, no calendar period in the range is empty, and
    each column's missing values all come before its first value (then a period's last
    row holds the period's last value of every column).  Otherwise pandas does it.
    """
    idx = prices.index
    values = prices.to_numpy(dtype=float)
    if freq not in ("YE", "ME") or not len(idx) or not isinstance(idx, pd.DatetimeIndex) \
            or not idx.is_monotonic_increasing:
        return prices.resample(freq).last()
    if not leading_nan_only(values):
        return prices.resample(freq).last()
    key = np.asarray(idx.year, dtype=np.int64) - 1970
    if freq == "ME":
        key = key * 12 + np.asarray(idx.month, dtype=np.int64) - 1
    ends = np.r_[np.flatnonzero(key[1:] != key[:-1]), len(key) - 1]
    periods = key[ends]
    if (np.diff(periods) != 1).any():  # an empty period: pandas gives it a row of NaN
        return prices.resample(freq).last()
    unit = "datetime64[Y]" if freq == "YE" else "datetime64[M]"
    labels = ((periods + 1).astype(unit).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(idx.values.dtype)
    return pd.DataFrame(values[ends], index=pd.DatetimeIndex(labels, freq=freq, name=idx.name),
                        columns=prices.columns)


def calendar_year_returns(prices: pd.DataFrame) -> pd.DataFrame:
    """Total return per calendar year (``period_returns(prices, 'YE')``), indexed by year (int).

    The first year runs from the first close in ``prices``, the last year to the
    last close (year to date).
    """
    out = period_returns(prices, "YE")
    out.index = out.index.year
    return out


def relative_return_by_month(prices: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Seasonality: average monthly return of A minus B, by calendar month.

    Monthly total returns (month-end to month-end closes, :func:`period_returns`)
    on the months both funds have a full month; partial first and last months are
    left out (the last month counts once the last close is its last business day).  For each calendar month (1-12): ``mean`` of ``r_a - r_b`` over the
    years, ``median``, ``count`` of years and ``a_wins``, the share of those years in
    which A returned more.

    Parameters
    ----------
    prices : pd.DataFrame
        Adjusted closes with columns ``a`` and ``b``.
    a, b : str
        Column names.

    Returns
    -------
    pd.DataFrame
        Index 1-12 (calendar month), columns ``mean``, ``median``, ``count``, ``a_wins``.
    """
    joint = prices[[a, b]].dropna()
    monthly = period_returns(joint, "ME").iloc[1:]
    last = joint.index[-1]
    if (last + pd.offsets.BDay(1)).month == last.month:  # the month is not over yet
        monthly = monthly.iloc[:-1]
    diff = (monthly[a] - monthly[b]).dropna()
    grouped = diff.groupby(diff.index.month)
    out = pd.DataFrame({
        "mean": grouped.mean(),
        "median": grouped.median(),
        "count": grouped.size(),
        "a_wins": (diff > 0).groupby(diff.index.month).mean().astype(float),
    })
    return out.reindex(range(1, 13))


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


def dividends_per_year(dividends: pd.Series) -> pd.Series:
    """Cash dividends per share paid in each calendar year (by ex-date), indexed by year (int).

    Sums the unadjusted per-share amounts; years without a dividend are absent.
    """
    d = dividends.dropna()
    return d.groupby(d.index.year).sum()


def top_share(weights: list[float], n: int = 10) -> float:
    """Concentration: the combined weight of the ``n`` largest holdings (fractions summed).

    NaN when fewer than ``n`` weights are known.
    """
    w = sorted(weights, reverse=True)
    return float(sum(w[:n])) if len(w) >= n else float("nan")


def holdings_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Overlap by weight of two portfolios: ``sum(min(w_a, w_b))`` over holdings both own.

    ``a`` and ``b`` map holding tickers to portfolio weights (fractions).  With
    complete holdings lists the result is the share of each fund that is the
    same portfolio (1 = identical, 0 = nothing in common); with only the largest
    holdings published it is a lower bound.
    """
    return float(sum(min(w, b[t]) for t, w in a.items() if t in b))

"""Returns: daily, over a window, annualized, per calendar period; dividends."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .periods import by_month, month_differences, period_bounds

__all__ = [
    "simple_returns", "total_return", "cagr", "growth_of", "dividend_yield_ttm", "payment_schedule",
    "ttm_distributions", "period_returns",
    "leading_nan_only", "calendar_year_returns", "relative_return_by_month", "dividends_per_year",
    "rolling_return", "rolling_anchors", "rolling_return_at", "monthly_returns",
]


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


def rolling_return(prices: pd.DataFrame, months: int = 12) -> pd.DataFrame:
    """Rolling total return over the previous ``months`` calendar months, one value per day.

    At each date ``t``: ``P_t / P_s - 1`` with ``s`` the last close on or before
    ``t - DateOffset(months=months)`` (29 Feb falls back to 28 Feb): the same window as the
    1-year :func:`total_return` published for that date, so the last value is the 1-year figure.
    NaN while ``t - months`` is before the first row, or where either close is NaN (no filling).
    """
    return rolling_return_at(prices, rolling_anchors(prices.index, months))


def rolling_anchors(index: pd.DatetimeIndex, months: int = 12) -> np.ndarray:
    """The row of each date's window start in :func:`rolling_return` (the last row on or before
    ``t - DateOffset(months=months)``; -1 when there is none): a function of the dates alone, which a build
    computes once per set of common days (:mod:`versus.pages.fundparts`)."""
    return index.searchsorted(index - pd.DateOffset(months=months), side="right") - 1


def rolling_return_at(prices: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """:func:`rolling_return` with the window starts ``pos`` (:func:`rolling_anchors` of ``prices.index``)."""
    values = prices.to_numpy(dtype=float)
    start = np.where((pos >= 0)[:, None], values[np.maximum(pos, 0)], np.nan)
    return pd.DataFrame(values / start - 1.0, index=prices.index, columns=prices.columns)


def cagr(total: pd.Series | float, years: float) -> pd.Series | float:
    """Compound annual growth rate: ``(1 + total) ** (1 / years) - 1``.

    ``years`` is the nominal horizon (3 for 3y); for since-inception it is
    elapsed calendar days / 365.25.
    """
    return (1.0 + total) ** (1.0 / years) - 1.0


def growth_of(total: pd.Series | float, amount: float = 1000.0) -> pd.Series | float:
    """Value of ``amount`` invested at the start: ``amount * (1 + total)``."""
    return amount * (1.0 + total)


MERGE_DAYS = 15
"""Ex-dates this close together are one distribution (a special dividend paid beside a regular one)."""
SCHEDULES = (1, 2, 4, 12)
"""Payment schedules a fund can have: distributions a year."""


def _distributions(dividends: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Cash distributions with ex-date on or before ``as_of``, ex-dates within :data:`MERGE_DAYS` of the
    previous one merged into it (summed, dated by the last)."""
    d = dividends.dropna()
    values = d.to_numpy(dtype=float)
    keep = (values > 0) & (d.index <= as_of) if len(d) else np.zeros(0, bool)
    dates, values = d.index[keep].to_numpy(), values[keep]
    if not len(values):
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    starts = np.flatnonzero(np.r_[True, np.diff(dates) > np.timedelta64(MERGE_DAYS, "D")])
    ends = np.r_[starts[1:], len(values)] - 1
    return pd.Series(np.add.reduceat(values, starts), index=pd.DatetimeIndex(dates[ends]))


def _schedule(d: pd.Series, as_of: pd.Timestamp) -> int:
    """:func:`payment_schedule` of merged distributions ``d``."""
    return schedule_of(d.index[d.index > as_of - pd.DateOffset(months=24)].to_numpy())


def schedule_of(recent: np.ndarray) -> int:
    """:func:`payment_schedule` from the dates (datetime64, ascending) of the distributions of the 24 months."""
    if not len(recent):
        return 0
    gaps = sorted(np.diff(recent[-5:]).astype("timedelta64[D]").astype(float).tolist())
    if not len(gaps):
        return 1
    half = len(gaps) // 2  # the median (np.median's: the middle gap, or the mean of the two middle ones)
    per_year = 365.25 / (gaps[half] if len(gaps) % 2 else (gaps[half - 1] + gaps[half]) / 2)
    return min(SCHEDULES, key=lambda n: abs(np.log(per_year / n)))


def payment_schedule(dividends: pd.Series, as_of: pd.Timestamp) -> int:
    """Distributions a year the fund pays as of ``as_of``: a year over the median gap between its last five
    distributions of the past 24 months, snapped to the nearest of 1, 2, 4 or 12 (1 with a single one; 0
    when it paid nothing in that time)."""
    return _schedule(_distributions(dividends, as_of), as_of)


def ttm_distributions(dividends: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """The distributions the trailing-12-month yield counts: those in the fund's last N payment periods,
    N = :func:`payment_schedule`, counted back from its latest distribution on or before ``as_of`` (a period
    is a year / N; each distribution belongs to the period it is nearest to), and never one older than a year
    and half a period (the fund stopped paying, or a payment is missing from the data).

    A plain 365-day window double counts a periodic payment whenever this year's falls a few days earlier in
    the calendar than last year's (SPY's ex-dates 2025-06-20 and 2026-06-18 are both in
    (2025-06-18, 2026-06-18]: five quarterly payments) and misses one when it falls later.  Periods counted
    from the fund's own payment dates hold exactly one year of its schedule; a special distribution paid
    within them is counted too."""
    d = _distributions(dividends, as_of)
    n = _schedule(d, as_of)
    if n == 0:
        return d.iloc[:0]
    period = 365.25 / n
    k = np.round((d.index[-1] - d.index).days.to_numpy() / period)
    recent = d.index > as_of - pd.DateOffset(months=12) - pd.Timedelta(days=period / 2)
    return d[(k >= 0) & (k <= n - 1) & recent]


def dividend_yield_ttm(dividends: pd.DataFrame, close: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Trailing-12-month yield: the cash distributions of the past year (:func:`ttm_distributions`: exactly
    one year of the fund's payment schedule, never one periodic payment twice) divided by the unadjusted
    close on the last trading day on or before ``as_of``.

    NaN when that close is unknown (e.g. only adjusted prices exist).
    """
    paid = pd.Series({t: float(ttm_distributions(dividends[t], as_of).sum()) if t in dividends.columns else 0.0
                      for t in close.columns}, dtype=float)
    last_row = close.loc[:as_of].iloc[-1] if len(close.loc[:as_of]) else pd.Series(np.nan, index=close.columns)
    return paid / last_row


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
    at = _period_ends(prices, freq)
    if at is not None:  # by positions: the same divisions as the frames below
        values = prices.to_numpy(dtype=float)
        last = values[at[0]]
        starts = np.concatenate([values[:1], last[:-1]])
        return pd.DataFrame(last / starts - 1.0, index=_period_labels(prices.index, at[1], freq),
                            columns=prices.columns)
    ends = _period_last(prices, freq)
    starts = ends.shift(1)
    starts.iloc[0] = prices.iloc[0]
    return ends / starts - 1.0


def monthly_returns(prices: pd.Series) -> pd.DataFrame:
    """One fund's total return in every calendar month, as a year x month grid (the monthly heatmap).

    Month-end to month-end closes (:func:`period_returns` with 'ME'): the first month runs from
    the fund's first close (left out when that is the month's only close: no return), the last
    one to its last close (month to date).  Rows are years (int), columns 1-12; NaN where the
    fund has no close.
    """
    s = prices.dropna()
    frame = s.to_frame("r")
    at = _period_ends(frame, "ME") if isinstance(s.index, pd.DatetimeIndex) and s.index.tz is None else None
    if at is None:
        return _monthly_grid_frames(s)
    ends, periods = at  # by positions: period_returns' arithmetic, without the month-end dates
    values = s.to_numpy(dtype=float)
    last = values[ends]
    r = last / np.concatenate([values[:1], last[:-1]]) - 1.0
    if ends[0] == 0:  # a first month of one close has no return (not 0%)
        r, periods = r[1:], periods[1:]
    # the pivot from the months' numbers (since 1970, ascending, each once): a row per year with a month
    years, row = np.unique(periods // 12, return_inverse=True)
    grid = np.full((len(years), 12), np.nan)
    grid[row, periods % 12] = r
    return pd.DataFrame(grid, index=pd.Index((years + 1970).astype(np.int32), name="year"),
                        columns=pd.RangeIndex(1, 13, name="month"))


def _monthly_grid_frames(s: pd.Series) -> pd.DataFrame:
    """:func:`monthly_returns` of the closes ``s`` (no NaN) by pandas: the months' returns pivoted (the
    reference formulation, for dates the positions do not take: a month without a close, a time zone)."""
    monthly = period_returns(s.to_frame("r"), "ME")["r"]
    if len(s) and (s.index[:2].to_period("M") == s.index[0].to_period("M")).sum() < 2:
        monthly = monthly.iloc[1:]  # a first month of one close has no return (not 0%)
    grid = pd.DataFrame({"year": monthly.index.year, "month": monthly.index.month, "r": monthly.to_numpy()})
    return grid.pivot(index="year", columns="month", values="r").reindex(columns=range(1, 13))


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
    at = _period_ends(prices, freq)
    if at is None:
        return prices.resample(freq).last()
    return pd.DataFrame(prices.to_numpy(dtype=float)[at[0]], index=_period_labels(prices.index, at[1], freq),
                        columns=prices.columns)


def _period_ends(prices: pd.DataFrame, freq: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The positions of each period's last row and the periods (months or years since 1970) when
    :func:`_period_last` may go by positions; else None."""
    idx = prices.index
    if freq not in ("YE", "ME") or not len(idx) or not isinstance(idx, pd.DatetimeIndex) \
            or not idx.is_monotonic_increasing:
        return None
    if not leading_nan_only(prices.to_numpy(dtype=float)):
        return None
    if idx.tz is not None:  # the local calendar's periods (the dates' values are UTC)
        key = np.asarray(idx.year, dtype=np.int64) - 1970
        if freq == "ME":
            key = key * 12 + np.asarray(idx.month, dtype=np.int64) - 1
        ends = np.r_[np.flatnonzero(key[1:] != key[:-1]), len(key) - 1]
        periods = key[ends]
        if (np.diff(periods) != 1).any():  # an empty period: pandas gives it a row of NaN
            return None
        return ends, periods
    ends, periods = period_bounds(idx.values, "Y" if freq == "YE" else "M")
    if (np.diff(periods) != 1).any():  # an empty period: pandas gives it a row of NaN
        return None
    return ends, periods


def _period_labels(idx: pd.DatetimeIndex, periods: np.ndarray, freq: str) -> pd.DatetimeIndex:
    """The resampled index of ``periods``: each period's last calendar day (``freq`` 'YE' or 'ME')."""
    unit = "datetime64[Y]" if freq == "YE" else "datetime64[M]"
    labels = ((periods + 1).astype(unit).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(idx.values.dtype)
    return pd.DatetimeIndex(labels, freq=freq, name=idx.name)


def calendar_year_returns(prices: pd.DataFrame) -> pd.DataFrame:
    """Total return per calendar year (``period_returns(prices, 'YE')``), indexed by year (int).

    The first year runs from the first close in ``prices``, the last year to the
    last close (year to date).
    """
    at = _period_ends(prices, "YE")
    if at is not None:  # by positions, without the year-end dates (period_returns' arithmetic)
        values = prices.to_numpy(dtype=float)
        last = values[at[0]]
        starts = np.concatenate([values[:1], last[:-1]])
        years = pd.Index((at[1] + 1970).astype(np.int32), name=prices.index.name)
        return pd.DataFrame(last / starts - 1.0, index=years, columns=prices.columns)
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
    idx = prices.index
    x = prices[a].to_numpy(dtype=float, na_value=np.nan)
    y = prices[b].to_numpy(dtype=float, na_value=np.nan)
    ok = ~(np.isnan(x) | np.isnan(y))
    if not ok.any() or not isinstance(idx, pd.DatetimeIndex) or not idx.is_monotonic_increasing \
            or idx.tz is not None:
        return _relative_return_by_month_frames(prices, a, b)
    dates = idx.values if ok.all() else idx.values[ok]
    by = by_month(*month_differences(dates, x[ok], y[ok]))
    return pd.DataFrame(by, index=pd.RangeIndex(1, 13, name=idx.name))


def _relative_return_by_month_frames(prices: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """:func:`relative_return_by_month` by pandas frames (the reference formulation)."""
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


def dividends_per_year(dividends: pd.Series) -> pd.Series:
    """Cash dividends per share paid in each calendar year (by ex-date), indexed by year (int).

    Sums the unadjusted per-share amounts; years without a dividend are absent.
    """
    d = dividends.dropna()
    return d.groupby(d.index.year).sum()

"""Calendar periods by positions: where each year or month ends in a run of dates, and the months of the
seasonality chart (:func:`versus.metrics.returns.relative_return_by_month`: each month's return difference of
two funds, averaged by calendar month as pandas' ``groupby`` does), on numpy arrays."""
from __future__ import annotations

import numpy as np
import pandas as pd


def period_bounds(dates: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """The position of each calendar period's last date in ``dates`` (sorted ``datetime64``, not empty) and the
    periods, numbered since 1970 (``unit`` "Y": years, year - 1970; "M": months, (year - 1970) * 12 + month - 1);
    periods without a date are left out.

    The same as comparing each date's year (and month) with the next one's, found by bisecting the dates at
    each period's first day instead (a period's dates are contiguous): a few hundred look-ups rather than a
    calendar conversion of every date."""
    span = np.arange(dates[0].astype(f"datetime64[{unit}]"), dates[-1].astype(f"datetime64[{unit}]") + 1)
    firsts = np.searchsorted(dates, span[1:].astype(dates.dtype), side="left")  # the first row of each later period
    nexts = np.append(firsts, len(dates))
    starts = np.insert(firsts, 0, 0)
    full = nexts > starts
    return nexts[full] - 1, span.astype(np.int64)[full]


def month_differences(dates: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The months of :func:`versus.metrics.returns.relative_return_by_month` (numbered since 1970:
    :func:`period_bounds`) and each one's return of A minus B's, from two funds' closes ``x`` and ``y`` (no NaN)
    on their common days ``dates`` (sorted, not empty, ``datetime64`` without a time zone): month-end closes by
    positions; the first, partial, month, a month after an empty one (no start close) and a month not over yet
    are left out."""
    ends, periods = period_bounds(dates, "M")
    pa, pb = x[ends], y[ends]
    diff = (pa[1:] / pa[:-1] - 1.0) - (pb[1:] / pb[:-1] - 1.0)  # the first (partial) month has none
    keep = (np.diff(periods) == 1) & ~np.isnan(diff)  # after an empty month: no start close, no return
    if len(keep) and month_not_over(dates[-1]):
        keep[-1] = False
    return periods[1:][keep], diff[keep]


def month_not_over(last: np.datetime64) -> bool:
    """Whether the next business day (Monday to Friday) after the date ``last`` is in the same month:
    ``(last + pd.offsets.BDay(1)).month == last.month``, by numpy's business-day calendar."""
    day = last.astype("datetime64[D]")
    after = np.busday_offset(day + 1, 0, roll="forward")  # the first weekday after ``last``
    return bool(after.astype("datetime64[M]") == day.astype("datetime64[M]"))


def by_month(periods: np.ndarray, diff: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`versus.metrics.returns.relative_return_by_month`'s columns (``mean``, ``median``, ``count``,
    ``a_wins``: 12 values each, January first) from the monthly differences ``diff`` of the months ``periods``
    (ascending; any numbering with January at 0 modulo 12): the arithmetic of pandas' ``groupby(month)`` (a
    compensated, Kahan, sum in date order for the means; the middle value, or the mean of the two middle ones)."""
    month = periods % 12
    row = periods // 12 - (periods[0] // 12 if len(periods) else 0)
    grid = np.full((int(row[-1]) + 1 if len(row) else 0, 12), np.nan)
    grid[row, month] = diff
    nobs = (~np.isnan(grid)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # a share of 0s and 1s: every partial sum is exact, so Kahan's compensation stays 0
        a_wins = np.where(nobs > 0, (grid > 0).sum(axis=0) / nobs, np.nan)
    mean = _kahan_mean(grid, nobs)
    median = np.full(12, np.nan)
    if len(grid):
        ordered = np.sort(grid, axis=0)  # NaN last: a column's values are its first nobs rows
        lo = ordered[np.maximum(nobs - 1, 0) // 2, np.arange(12)]
        hi = ordered[np.minimum(nobs // 2, len(grid) - 1), np.arange(12)]
        median = np.where(nobs == 0, np.nan, np.where(nobs % 2 == 1, hi, (hi + lo) / 2))
    count = nobs.astype(np.int64) if nobs.all() else np.where(nobs > 0, nobs, np.nan)
    return {"mean": mean, "median": median, "count": count, "a_wins": a_wins}


def _by_month(periods: np.ndarray, diff: np.ndarray, name) -> pd.DataFrame:
    """:func:`by_month` as :func:`versus.metrics.returns.relative_return_by_month`'s table (index 1-12, named
    ``name``)."""
    return pd.DataFrame(by_month(periods, diff), index=pd.RangeIndex(1, 13, name=name))


def _kahan_mean(grid: np.ndarray, nobs: np.ndarray) -> np.ndarray:
    """Each column's mean of its values (NaN skipped), summed row by row with Kahan's compensation as
    pandas' grouped mean does (NaN where a column has none).  In Python floats, column by column (the same
    IEEE arithmetic as numpy's, without an array operation per step: a grid is ~20 years by 12 months)."""
    totals = []
    for column in grid.T.tolist():
        total = comp = 0.0
        for value in column:
            if value != value:  # NaN: no value that year
                continue
            y = value - comp
            t = total + y
            c = t - total - y
            comp = 0.0 if c != c else c
            total = t
        totals.append(total)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(nobs > 0, np.array(totals) / nobs, np.nan)

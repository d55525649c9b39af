"""The year-end tables of a page's series: each year's last values or lowest values
(:func:`year_end`), and each fund's deepest fall within each calendar year (:func:`year_drawdowns`).
Re-exported by :mod:`.series`, where the pages read them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import metrics as m


def year_end(frame: pd.DataFrame, how: str = "last") -> tuple[list, np.ndarray]:
    """One row per calendar year: its last day's values (``how="last"``, keyed by that date, as the index's
    datetime64 value) or each column's minimum (``"min"``, keyed by the year, int); the rows before the first
    value are left out."""
    values = frame.to_numpy(dtype=float)
    if len(frame) and m.leading_nan_only(values):
        # positional: the rows before the first value are dropped, then each year's last row holds
        # its last value of every column (or NaN when the column has none yet), and fmin skips NaN
        years = _years(frame.index)
        year_starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]])
        valid = np.flatnonzero(~np.isnan(values).all(axis=1))
        first = int(valid[0]) if len(valid) else len(values)
        starts = year_starts[year_starts > first]
        starts = np.r_[first, starts].astype(np.int64) if first < len(values) else np.array([], np.int64)
        ends = np.r_[starts[1:], len(values)] - 1
        block = values[ends] if how == "last" else np.fmin.reduceat(values, starts, axis=0)
        keys = np.asarray(frame.index.values)[ends] if how == "last" else years[ends].tolist()
        return keys, block
    frame = frame.dropna(how="all")
    years = np.asarray(frame.index.year)
    ends = np.r_[np.flatnonzero(years[1:] != years[:-1]), len(years) - 1] if len(years) else np.array([], int)
    grouped = frame.groupby(years, sort=False)
    block = (grouped.last() if how == "last" else grouped.min()).to_numpy()
    keys = np.asarray(frame.index.values)[ends] if how == "last" else [years[e] for e in ends]
    return keys, block


_YEARS: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
YEARS_KEPT = 64


def _years(index: pd.DatetimeIndex) -> np.ndarray:
    """``index.year`` from the datetime64 values (without pandas' field arrays), remembered for the last
    :data:`YEARS_KEPT` indexes (a page's tables share a few, and pages of funds with the same history the same)."""
    v = np.asarray(index.values)
    key = (len(v), v.dtype.str, v[:1].tobytes(), v[-1:].tobytes())
    hit = _YEARS.get(key)
    if hit is not None and (hit[0] is v or np.array_equal(hit[0], v)):
        return hit[1]
    years = v.astype("datetime64[Y]").astype(np.int64) + 1970
    _YEARS.pop(key, None)
    _YEARS[key] = (v, years)
    if len(_YEARS) > YEARS_KEPT:
        del _YEARS[next(iter(_YEARS))]
    return years


def year_drawdowns(closes: pd.DataFrame) -> pd.DataFrame:
    """Each fund's deepest fall within each calendar year (:func:`versus.metrics.calendar_year_drawdowns`)."""
    return m.calendar_year_drawdowns(closes)

"""Small array helpers of the pages' fast paths (:mod:`.series`): pandas' results from numpy arrays, without
pandas' per-call machinery (a page calls them a few times; a build, for every page)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def sorted_series(values: np.ndarray, index: pd.Index, ascending: bool = True, name=None) -> pd.Series:
    """``pd.Series(values, index=index, name=name).sort_values(ascending=ascending)`` from the array: pandas'
    order (``nargsort``: NaN last, ties in their order either way), without the series' sorting machinery."""
    values = np.asarray(values, dtype=float)
    mask = np.isnan(values)
    pos = np.arange(len(values))
    keys, at = values[~mask], pos[~mask]
    if not ascending:
        keys, at = keys[::-1], at[::-1]
    order = at[keys.argsort(kind="quicksort")]
    if not ascending:
        order = order[::-1]
    order = np.concatenate([order, pos[mask]])
    if (order == pos).all():  # already in order: the index itself (taking from a string index is costly)
        return pd.Series(values, index=index, name=name)
    return pd.Series(values[order], index=index[order], name=name)


def columns_of(frame: pd.DataFrame, tickers: list[str]) -> np.ndarray:
    """``frame[tickers].to_numpy(dtype=float)`` (the frame's own array when its columns are ``tickers``)."""
    if list(frame.columns) == list(tickers):
        return frame.to_numpy(dtype=float)
    return frame[tickers].to_numpy(dtype=float)


def timestamp_at(index: pd.Index, i: int):
    """``index[i]`` of a date index, from its datetime64 values when it has no time zone (a Timestamp of the same
    value and unit, without pandas' indexing machinery: a page asks for a few dozen)."""
    if not isinstance(index, pd.DatetimeIndex) or index.tz is not None:
        return index[i]
    return pd.Timestamp(index.values[i])

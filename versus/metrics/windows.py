"""Windows: the trading-day year, the published horizons and where a horizon's window starts."""
from __future__ import annotations

import functools

import pandas as pd

__all__ = [
    "TRADING_DAYS", "HORIZON_MONTHS", "RETURN_HORIZONS", "window_anchor", "window_start_row", "rolling_window",
]

TRADING_DAYS = 252
"""Trading days per year used to annualize daily statistics (as empyrical)."""
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
        return _months_before(as_of, HORIZON_MONTHS[horizon])
    if horizon == "ytd":
        return pd.Timestamp(year=as_of.year - 1, month=12, day=31)
    if horizon == "inception":
        if first_date is None:
            raise ValueError("inception window needs the first date")
        return first_date
    raise ValueError(f"unknown horizon {horizon!r}")


@functools.lru_cache(maxsize=65536)
def _months_before(as_of: pd.Timestamp, months: int) -> pd.Timestamp:
    """``as_of - DateOffset(months=months)``, once per date (every fund and pair of a build asks for the same few)."""
    return as_of - pd.DateOffset(months=months)


def window_start_row(index: pd.DatetimeIndex, anchor: pd.Timestamp) -> pd.Timestamp | None:
    """Last date in ``index`` on or before ``anchor`` (None if the index starts later)."""
    pos = index.searchsorted(anchor, side="right") - 1
    return None if pos < 0 else index[pos]


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

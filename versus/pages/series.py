"""Each fund's daily series, published once per fund and shared by every page that draws the fund.

``api/funds/<ticker>/series.json`` (a public contract, README "API"):
``{"ticker", "as_of", "last_close", "dates": [ISO dates], "adj_close": [floats], "close": [floats or null]}``:
``as_of`` is the build's date, and the series holds every trading day of the fund up to its last close on or
before it (``last_close``, the fund page's date), days without
an adjusted close left out, floats as Python ``repr`` (full precision); ``close`` (split-adjusted only) is
null on a day whose actual close is not on file (data/snapshot/SOURCES.md lists the gaps).  The browser
caches it: pair and group pages draw their per-fund charts from it (static/site.js), and the fund's series
download is ``api/funds/<ticker>/series.csv`` (date, adj_close, close), written once per fund too.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd


def series_path(t: str, ext: str = "json") -> str:
    """Site path of a fund's shared series (``api/funds/qqq/series.json``)."""
    return f"api/funds/{t.lower()}/series.{ext}"


def _arrays(close: pd.Series | None, adj: pd.Series) -> tuple[list[str], list[float], list]:
    adj = adj.dropna()
    dates = np.datetime_as_string(np.asarray(adj.index.values, dtype="datetime64[D]"), unit="D").tolist()
    values = adj.to_numpy(dtype=float).tolist()
    if close is None or close.empty:
        closes: list = [None] * len(values)
    else:
        c = close.reindex(adj.index).to_numpy(dtype=float)
        closes = [None if v != v else v for v in c.tolist()]
    return dates, values, closes


def fund_series_files(t: str, close: pd.Series | None, adj: pd.Series, as_of: str) -> dict[str, str]:
    """The fund's ``series.json`` and ``series.csv`` (``adj``/``close`` already cut at the fund's page date)."""
    dates, values, closes = _arrays(close, adj)
    doc = {"ticker": t, "as_of": as_of, "last_close": dates[-1] if dates else None, "dates": dates, "adj_close": values, "close": closes}
    text = json.dumps(doc, separators=(",", ":"), allow_nan=False) + "\n"
    lines = ["date,adj_close,close"]
    lines += [f"{d},{v!r},{'' if c is None else repr(c)}" for d, v, c in zip(dates, values, closes)]
    return {series_path(t): text, series_path(t, "csv"): "\n".join(lines) + "\n"}

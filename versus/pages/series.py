"""Each fund's daily series, published once per fund and shared by every page that draws the fund.

``api/funds/<ticker>/series.csv`` (a public contract, README "API"): the header ``date,adj_close,close``, then
one line per trading day of the fund up to its last close on or before the build's date (the fund page's date),
days without an adjusted close left out, floats as Python ``repr`` (the shortest text that reads back as the same
double: full precision); ``close`` (split-adjusted only) is empty on a day whose actual close is not on file
(data/snapshot/SOURCES.md lists the gaps).  It is the fund's download of every day and the one copy the browser
reads and caches: pair and group pages derive their per-fund charts from it (static/site.js ``parseSeries``,
``derive``) and ``/compare/`` its figures (static/compare.js).  It replaced ``series.json``, the same numbers as
JSON (issue 17: 163 KB a fund of the default site).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

HEADER = "date,adj_close,close"


def series_path(t: str) -> str:
    """Site path of a fund's shared series (``api/funds/qqq/series.csv``)."""
    return f"api/funds/{t.lower()}/series.csv"


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


def fund_series_files(t: str, close: pd.Series | None, adj: pd.Series) -> dict[str, str]:
    """The fund's ``series.csv`` (``adj``/``close`` already cut at the fund's page date)."""
    dates, values, closes = _arrays(close, adj)
    lines = [HEADER]
    lines += [f"{d},{v!r},{'' if c is None else repr(c)}" for d, v, c in zip(dates, values, closes)]
    return {series_path(t): "\n".join(lines) + "\n"}

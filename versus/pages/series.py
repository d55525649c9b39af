"""``api/funds/<ticker>/series.json``: one fund's daily closes, published once per fund (shared by every page
and the in-browser comparison, /compare/).

The contract: ``{"ticker": "QQQ", "as_of": "YYYY-MM-DD", "dates": [...], "adj_close": [...], "close": [...]}``
with every trading day of the fund up to its last close on or before the as-of date (days without an
adjusted close omitted), floats as Python's repr (full precision, what :func:`json.dumps` writes), never
NaN; a day whose unadjusted close is not in the data has ``null`` there (the adjusted close, which every
figure reads, is never missing).  Compact JSON, keys in the order above, one trailing newline.
"""
from __future__ import annotations

import json
import math

import pandas as pd


def series_path(ticker: str) -> str:
    return f"api/funds/{ticker.lower()}/series.json"


def series_json(ticker: str, adj_close: pd.Series, close: pd.Series, as_of: str) -> str:
    """The series document of ``ticker`` (see the module docstring) as text."""
    adj = adj_close.loc[:as_of].dropna()
    raw = close.reindex(adj.index)
    doc = {"ticker": ticker, "as_of": as_of, "dates": [d.date().isoformat() for d in adj.index],
           "adj_close": [float(v) for v in adj.to_numpy()],
           "close": [None if math.isnan(v) else float(v) for v in raw.to_numpy(dtype=float)]}
    return json.dumps(doc, separators=(",", ":"), allow_nan=False) + "\n"


def all_series(data, tickers, as_of: str) -> dict[str, str]:
    """Every fund's series file: ``{path: text}``."""
    return {series_path(t): series_json(t, data.adj_close[t], data.close[t], as_of) for t in tickers}

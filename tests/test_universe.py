"""The whole embedded universe: every fund of the snapshot, with its provenance, and what its gaps change."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from versus import analysis
from versus.sources.snapshot import SnapshotSource

ROOT = Path(__file__).resolve().parent.parent


def snapshot_tickers() -> list[str]:
    table = pq.read_table(ROOT / "data" / "snapshot" / "prices.parquet", columns=["ticker"])
    return sorted(table.column("ticker").to_pandas().astype(str).unique())


def test_snapshot_holds_every_fund_with_its_provenance():
    tickers = snapshot_tickers()
    assert len(tickers) >= 63
    md = SnapshotSource().load(tickers)
    sources = (ROOT / "data" / "snapshot" / "SOURCES.md").read_text()
    for t in tickers:
        assert re.search(rf"^\| {t} \| \d{{4}}-\d{{2}}-\d{{2}} \.\. ", sources, re.M), t
        assert md.adj_close[t].dropna().index[0] == md.adj_close[t].first_valid_index()
    # the seven first funds are unchanged: spot checks of values written in the old snapshot's tests
    assert md.adj_close["QQQ"].first_valid_index() == pd.Timestamp("1999-03-10")
    assert md.adj_close["DIA"].last_valid_index() == pd.Timestamp("2026-08-20")
    assert md.close["SCHA"].isna().all() and md.close["VTI"].loc["2026-06-01":].isna().all()


def test_close_gap_in_the_yield_window():
    days = pd.bdate_range("2025-01-01", "2026-06-30")
    adj = pd.Series(np.linspace(100, 110, len(days)), index=days)
    close = adj.copy()
    end = days[-1]
    assert analysis._close_gap(adj, close, end) is None
    close.iloc[-30:-25] = np.nan  # 5 trading days: tolerated (a single blanked day is common in the data)
    assert analysis._close_gap(adj, close, end) is None
    close.iloc[-100:-80] = np.nan
    assert analysis._close_gap(adj, close, end) == (days[-100], days[-81])
    close = adj.copy()
    close.iloc[:-300] = np.nan  # a gap before the window does not matter
    assert analysis._close_gap(adj, close, end) is None

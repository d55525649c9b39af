"""Rebuild data/snapshot/ from the shared real-data folder (../shared/data by default).

    python scripts/import_shared_data.py [SHARED_DATA_DIR]

Writes two compact parquet files:
  prices.parquet     date, ticker, close (split-adjusted, may be null), adj_close (total return)
  dividends.parquet  ticker, ex_date, amount (per share, unadjusted)
Rows whose adj_close is empty are dropped (adj_close is what every return metric uses).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TICKERS = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]


def main(src: Path) -> None:
    prices, divs = [], []
    for t in TICKERS:
        p = pd.read_csv(src / "prices" / f"{t}.csv", parse_dates=["date"])
        p = p.dropna(subset=["adj_close"])
        p.insert(1, "ticker", t)
        prices.append(p)
        dpath = src / "prices" / f"{t}_dividends.csv"
        if dpath.exists():
            d = pd.read_csv(dpath, parse_dates=["ex_date"])
            d.insert(0, "ticker", t)
            divs.append(d)
    out = ROOT / "data" / "snapshot"
    out.mkdir(parents=True, exist_ok=True)
    prices = pd.concat(prices, ignore_index=True)
    prices["ticker"] = prices["ticker"].astype("category")
    prices.to_parquet(out / "prices.parquet", index=False, compression="zstd")
    divs = pd.concat(divs, ignore_index=True)
    divs["ticker"] = divs["ticker"].astype("category")
    divs.to_parquet(out / "dividends.parquet", index=False, compression="zstd")
    for t, g in prices.groupby("ticker", observed=True):
        print(f"{t:5} {g.date.min().date()} .. {g.date.max().date()}  {len(g)} rows, close missing on {g.close.isna().sum()}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")

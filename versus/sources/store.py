"""The on-disk format shared by the embedded snapshot and the live cache.

Two parquet files in one folder (long format, compact):
  prices.parquet     date, ticker, close, adj_close
  dividends.parquet  ticker, ex_date, amount
and, for the cache only, meta.json (per-ticker fund facts fetched live).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from . import MarketData


def to_wide(prices: pd.DataFrame, dividends: pd.DataFrame, tickers: list[str] | None = None):
    """Long rows -> (close, adj_close, dividends) wide frames, one column per ticker."""
    prices = prices.assign(ticker=prices["ticker"].astype(str), date=pd.to_datetime(prices["date"]))
    if tickers is not None:
        prices = prices[prices["ticker"].isin(tickers)]
    close = prices.pivot(index="date", columns="ticker", values="close").sort_index()
    adj = prices.pivot(index="date", columns="ticker", values="adj_close").sort_index()
    dividends = dividends.assign(ticker=dividends["ticker"].astype(str), ex_date=pd.to_datetime(dividends["ex_date"]))
    if tickers is not None:
        dividends = dividends[dividends["ticker"].isin(tickers)]
    divs = dividends.pivot_table(index="ex_date", columns="ticker", values="amount", aggfunc="sum").sort_index()
    cols = tickers if tickers is not None else sorted(adj.columns)
    cols = [c for c in cols if c in adj.columns]
    close, adj = close.reindex(columns=cols), adj.reindex(columns=cols)
    divs = divs.reindex(columns=cols)
    for f in (close, adj):
        f.index.name, f.columns.name = "date", None
    divs.index.name, divs.columns.name = "ex_date", None
    return close.astype("float64"), adj.astype("float64"), divs.astype("float64")


def to_long(md: MarketData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide frames -> long rows (the inverse of :func:`to_wide`)."""
    adj = md.adj_close.stack(future_stack=True).rename("adj_close")
    close = md.close.reindex_like(md.adj_close).stack(future_stack=True).rename("close")
    prices = pd.concat([close, adj], axis=1, join="inner").dropna(subset=["adj_close"]).reset_index()
    prices.columns = ["date", "ticker", "close", "adj_close"]
    prices = prices[["date", "ticker", "close", "adj_close"]].sort_values(["ticker", "date"], ignore_index=True)
    divs = md.dividends.stack(future_stack=True).dropna().rename("amount").reset_index()
    divs.columns = ["ex_date", "ticker", "amount"]
    divs = divs[["ticker", "ex_date", "amount"]].sort_values(["ticker", "ex_date"], ignore_index=True)
    return prices, divs


def read_store(folder: Path, tickers: list[str] | None, source_label: str) -> MarketData:
    """Read a snapshot/cache folder. Raises ``FileNotFoundError`` or a parquet error if broken."""
    prices = pd.read_parquet(folder / "prices.parquet")
    divs = pd.read_parquet(folder / "dividends.parquet")
    close, adj, dividends = to_wide(prices, divs, tickers)
    meta = {}
    mpath = folder / "meta.json"
    if mpath.exists():
        meta = json.loads(mpath.read_text())
    return MarketData(close=close, adj_close=adj, dividends=dividends, source=source_label, meta=meta)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_store(md: MarketData, folder: Path) -> None:
    """Write ``md`` to ``folder``; each file is replaced atomically (temp file + rename)."""
    import io

    prices, divs = to_long(md)
    for name, frame in (("prices.parquet", prices), ("dividends.parquet", divs)):
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False, compression="zstd")
        _atomic_write_bytes(folder / name, buf.getvalue())
    _atomic_write_bytes(folder / "meta.json", json.dumps(md.meta, indent=1, sort_keys=True).encode())

"""Writing the embedded snapshot (``data/snapshot/``) from a live store: ``versus snapshot``.

The live store (``data/cache/``, CSV + manifest, :mod:`versus.sources.store`) holds what ``--live`` fetched; the
snapshot is what ``make site`` builds from with no network.  Refreshing it merges the store into the snapshot
ticker by ticker: a ticker the store holds gets the store's rows (prices, dividends, live fund facts), every
other ticker keeps the snapshot's, so a store fetched for a smaller site.toml never drops a fund.

The parquet files are written with fixed settings (zstd 19, rows sorted by ticker and date, tickers as a sorted
category), so the same data give the same bytes, and atomically (all temp files first, then the renames).
``SOURCES.md`` keeps one section written by this module (between :data:`BEGIN` and :data:`END`): a row per ticker
that came from a live store, with its range, the store's last update and its source.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import MarketData
from .store import _atomic_write_all, read_store, to_long

WRITE = dict(compression="zstd", compression_level=19)
"""Parquet settings of the snapshot (the smallest measured; the same as scripts/import_shared_data.py)."""
BEGIN = "<!-- versus snapshot: start (written by `python build.py snapshot`; edits here are replaced) -->"
END = "<!-- versus snapshot: end -->"
ROW = re.compile(r"^\| ([A-Z0-9.\-^=]+) \| ")


@dataclass
class Change:
    """One ticker of a refresh: ``new`` (not in the snapshot before) or replaced; its range and row count."""

    ticker: str
    new: bool
    first: str
    last: str
    rows: int
    dividends: int
    old_last: str | None = None

    def line(self) -> str:
        what = "added" if self.new else f"replaced (was to {self.old_last})"
        return (f"{self.ticker}: {what}, {self.first} .. {self.last}, {self.rows:,} rows, "
                f"{self.dividends} dividend{'s' if self.dividends != 1 else ''}")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """One snapshot file: ``ticker`` as a sorted category, fixed compression (same input, same bytes)."""
    frame = frame.copy()
    frame["ticker"] = pd.Categorical(frame["ticker"], categories=sorted(frame["ticker"].unique()))
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buf, **WRITE)
    return buf.getvalue()


def merge(old: MarketData | None, new: MarketData) -> tuple[MarketData, list[Change]]:
    """The snapshot after taking ``new``'s tickers from the store: theirs replaced, the others kept."""
    take = list(new.adj_close.columns)
    keep = [] if old is None else [t for t in old.adj_close.columns if t not in take]

    def both(a: pd.DataFrame | None, b: pd.DataFrame) -> pd.DataFrame:
        parts = [b[take]] + ([a[keep]] if keep else [])
        out = pd.concat(parts, axis=1, sort=True)
        return out[sorted(out.columns)]

    merged = MarketData(close=both(None if old is None else old.close, new.close.reindex(columns=take)),
                        adj_close=both(None if old is None else old.adj_close, new.adj_close),
                        dividends=both(None if old is None else old.dividends, new.dividends.reindex(columns=take)),
                        source="embedded snapshot",
                        meta={**{t: v for t, v in (old.meta if old else {}).items() if t in keep},
                              **{t: new.meta[t] for t in take if t in new.meta}})
    changes = []
    for t in take:
        adj = new.adj_close[t].dropna()
        before = None if old is None or t not in old.adj_close.columns else old.adj_close[t].last_valid_index()
        changes.append(Change(t, before is None, str(adj.index[0].date()), str(adj.index[-1].date()), len(adj),
                              int(new.dividends[t].notna().sum()) if t in new.dividends else 0,
                              None if before is None else str(before.date())))
    return merged, changes


def sources_section(text: str, changes: list[Change], updated: str | None, store: str) -> str:
    """``SOURCES.md`` with its store section updated: one row per ticker taken from a store (older rows of
    tickers not refreshed this time are kept)."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    rows = {}
    for line in rest.partition(END)[0].splitlines():
        found = ROW.match(line)
        if found:
            rows[found.group(1)] = line
    for c in changes:
        rows[c.ticker] = (f"| {c.ticker} | {c.first} .. {c.last} | {c.rows:,} | {c.dividends} | {updated or 'unknown'} "
                          f"| Yahoo Finance via yfinance (`--live`), live store `{store}` |")
    table = "\n".join(rows[t] for t in sorted(rows))
    section = (f"{BEGIN}\n## Funds refreshed from a live store\n\n"
               "These tickers' rows (prices, dividends, live fund facts in `meta.json`) were replaced by those of "
               "the live store that `python build.py --live` keeps; their provenance is the store's, not the "
               "table above.\n\n| ticker | prices | rows | dividends | store updated | source |\n"
               f"|---|---|---|---|---|---|\n{table}\n{END}")
    return f"{head.rstrip()}\n\n{section}\n{tail.lstrip()}" if tail.strip() else f"{head.rstrip()}\n\n{section}\n"


def write_snapshot(folder: Path, md: MarketData, sources_md: str) -> dict[str, int]:
    """Replace the snapshot's files atomically; returns each file's size in bytes."""
    prices, divs = to_long(md)
    prices["date"] = pd.to_datetime(prices["date"]).astype("datetime64[us]")
    divs["ex_date"] = pd.to_datetime(divs["ex_date"]).astype("datetime64[us]")
    blobs = {"prices.parquet": parquet_bytes(prices[["date", "ticker", "close", "adj_close"]]),
             "dividends.parquet": parquet_bytes(divs[["ticker", "ex_date", "amount"]])}
    if md.meta:
        blobs["meta.json"] = (json.dumps(md.meta, indent=1, sort_keys=True) + "\n").encode()
    blobs["SOURCES.md"] = sources_md.encode()
    _atomic_write_all({Path(folder) / name: data for name, data in blobs.items()})
    return {name: len(data) for name, data in blobs.items()}


def read_snapshot(folder: Path) -> MarketData | None:
    """The snapshot as it is (every ticker), or ``None`` if the folder has none yet."""
    if not (Path(folder) / "prices.parquet").exists():
        return None
    return read_store(Path(folder), None, "embedded snapshot")

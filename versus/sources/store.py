"""On-disk formats: the embedded snapshot (parquet) and the live data store (CSV + manifest).

Snapshot (``data/snapshot/``), two parquet files in one folder (long format, compact):
  prices.parquet     date, ticker, close, adj_close
  dividends.parquet  ticker, ex_date, amount

Live store (``data/cache/`` by default; the publish workflow keeps it on the ``data``
branch), same long rows as plain CSV so that a day's new rows are a small git diff:
  prices.csv         ticker, date, close, adj_close   (sorted; floats written round-trip exact)
  dividends.csv      ticker, ex_date, amount
  meta.json          per-ticker fund facts fetched live
  store.json         the manifest, written last: size and SHA-256 of each file above,
                     and per ticker its first/last date, last full refresh, last facts refresh

Every file is replaced atomically (temp file + fsync + rename), the manifest last.  All the
temp files are written before the first rename, so a write that fails (disk full) changes
nothing: the store stays as it was, readable.  A crash during the renames leaves files that
do not match the manifest, and :func:`open_store` then reports the store as unusable (the
caller refetches full history) instead of reading a mixture.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..util import TICKER, critical, one_line
from . import MarketData, readback


PRICE_COLUMNS = ("date", "ticker", "close", "adj_close")
DIVIDEND_COLUMNS = ("ticker", "ex_date", "amount")


def _check_long(prices: pd.DataFrame, dividends: pd.DataFrame) -> None:
    """ValueError naming what is wrong with long rows read from a file: a missing column, a ticker that is
    not one, a date that is not a date, the same (ticker, date) twice."""
    for name, frame, cols in (("prices", prices, PRICE_COLUMNS), ("dividends", dividends, DIVIDEND_COLUMNS)):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name}: no {', '.join(repr(c) for c in missing)} column "
                             f"(columns: {', '.join(map(str, frame.columns))[:200]})")
        bad = ~frame["ticker"].astype(str).str.fullmatch(TICKER.pattern)
        if bad.any():
            raise ValueError(f"{name}: {str(frame['ticker'][bad].iloc[0])[:20]!r} is not a ticker "
                             f"(row {int(bad.to_numpy().argmax()) + 1})")
    dates = pd.to_datetime(prices["date"], errors="coerce")
    if dates.isna().any():
        raise ValueError(f"prices: {str(prices['date'][dates.isna()].iloc[0])[:30]!r} is not a date")
    dup = pd.DataFrame({"t": prices["ticker"].astype(str), "d": dates}).duplicated()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise ValueError(f"prices: {prices['ticker'].iloc[i]} has two rows for {dates.iloc[i].date()}")


def to_wide(prices: pd.DataFrame, dividends: pd.DataFrame, tickers: list[str] | None = None):
    """Long rows -> (close, adj_close, dividends) wide frames, one column per ticker."""
    _check_long(prices, dividends)
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
        try:
            meta = readback.load_json(readback.read_text(mpath))
            readback.store_meta(meta)
        except readback.Unexpected as exc:
            raise ValueError(f"meta.json: {exc}") from None
    return MarketData(close=close, adj_close=adj, dividends=dividends, source=source_label, meta=meta)


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temp file next to ``path`` (fsync'ed) and return it; nothing left on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = _stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _atomic_write_all(files: dict[Path, bytes]) -> None:
    """Replace several files: every temp file is written first (a full disk fails here, changing
    nothing), then renamed in order (``files`` ends with the manifest)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        with critical():  # Ctrl-C and SIGTERM wait for the renames (only SIGKILL leaves a mixture: detected on read)
            while staged:
                tmp, path = staged[0]
                os.replace(tmp, path)
                staged.pop(0)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the live store
STORE_FORMAT = 1
MANIFEST = "store.json"
STORE_FILES = ("prices.csv", "dividends.csv", "meta.json")


@dataclass
class Manifest:
    """``store.json``: what the store holds and when each part was last refreshed.

    ``tickers[T]`` = ``{"first", "last", "full_refresh", "meta_refresh"}`` (ISO dates;
    refresh dates are the New York date of the run that did it, or ``None``).
    """

    tickers: dict[str, dict] = field(default_factory=dict)
    updated: str | None = None  # the run date of the last write
    source: str | None = None

    def date(self, t: str, key: str):
        value = self.tickers.get(t, {}).get(key)
        return pd.Timestamp(value).date() if value else None


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    frame = frame.copy()
    for col in ("date", "ex_date"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col]).dt.strftime("%Y-%m-%d")
    # float repr (shortest round-trip digits) reads back bit-exact (checked by tests/test_store.py)
    return frame.to_csv(index=False, lineterminator="\n", float_format=None).encode()


def _read_csv(data: bytes, columns: list[str]) -> pd.DataFrame:
    # pandas 3 parses floats round-trip exactly by default (float_precision is deprecated)
    frame = pd.read_csv(io.BytesIO(data), dtype={"ticker": str})
    if list(frame.columns) != columns:
        raise ValueError(f"columns {list(frame.columns)}, expected {columns}")
    return frame


def _digest(data: bytes) -> dict:
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _read_manifest(mpath: Path) -> dict:
    """The manifest, validated (:mod:`.readback`: a regular file of bounded size, the shape the store relies
    on); ``ValueError`` naming what is wrong."""
    doc = readback.load_json(readback.read_text(mpath))
    if not isinstance(doc, dict):
        raise ValueError(f"a {type(doc).__name__}, not an object")
    if doc.get("format") != STORE_FORMAT:
        raise ValueError(f"format {repr(doc.get('format'))[:20]}, expected {STORE_FORMAT}")
    readback.manifest_tickers(doc.get("tickers", {}))
    for key in ("updated", "source"):
        if not isinstance(doc.get(key), (str, type(None))):
            raise ValueError(f"{key} is not text")
    return doc


def open_store(folder: Path, label: str) -> tuple[MarketData | None, Manifest | None, str | None]:
    """Read the live store: ``(data, manifest, None)``, or ``(None, None, problem)`` if unusable.

    An empty or missing folder is ``(None, None, None)`` (first run).  Any file that is
    missing, truncated, corrupted or from another write than the manifest makes the
    whole store unusable; ``problem`` says which file and why, in one line.
    """
    folder = Path(folder)
    mpath = folder / MANIFEST
    if not mpath.exists() and (folder / "prices.parquet").exists():
        return None, None, f"{folder}: old cache format (parquet, no {MANIFEST}); fetching full history"
    if not any((folder / n).exists() for n in (*STORE_FILES, MANIFEST)):
        return None, None, None
    try:
        doc = _read_manifest(mpath)
        files = doc["files"]
    except FileNotFoundError:
        return None, None, f"{mpath}: missing (a write was interrupted); ignoring the store and fetching full history"
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, None, f"{mpath}: unreadable ({one_line(exc)}); ignoring the store and fetching full history"
    blobs = {}
    for name in STORE_FILES:
        path = folder / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            return None, None, f"{path}: cannot read ({exc.strerror}); ignoring the store and fetching full history"
        want = files.get(name) if isinstance(files, dict) else None
        if want != _digest(data):
            size = f"{len(data)} bytes, manifest says {want.get('bytes')}" if isinstance(want, dict) else "not in manifest"
            return None, None, (f"{path}: does not match {MANIFEST} (truncated or corrupted: {size}); "
                                "ignoring the store and fetching full history")
        blobs[name] = data
    try:
        prices = _read_csv(blobs["prices.csv"], ["ticker", "date", "close", "adj_close"])
        divs = _read_csv(blobs["dividends.csv"], ["ticker", "ex_date", "amount"])
        close, adj, dividends = to_wide(prices, divs, None)
        meta = readback.load_json(blobs["meta.json"].decode("utf-8"))
        readback.store_meta(meta)
        manifest = Manifest(tickers=dict(doc.get("tickers", {})), updated=doc.get("updated"), source=doc.get("source"))
    except (ValueError, KeyError, TypeError) as exc:
        return None, None, f"{folder}: store unreadable ({one_line(exc)}); ignoring the store and fetching full history"
    md = MarketData(close=close, adj_close=adj, dividends=dividends, source=label, meta=meta)
    return md, manifest, None


def write_live_store(md: MarketData, manifest: Manifest, folder: Path) -> None:
    """Write ``md`` and its manifest: each data file atomically, then ``store.json`` last."""
    folder = Path(folder)
    prices, divs = to_long(md)
    prices = prices[["ticker", "date", "close", "adj_close"]]
    blobs = {
        "prices.csv": _csv_bytes(prices),
        "dividends.csv": _csv_bytes(divs),
        "meta.json": _json_bytes(md.meta),
    }
    doc = {"format": STORE_FORMAT, "updated": manifest.updated, "source": manifest.source,
           "files": {n: _digest(b) for n, b in blobs.items()},
           "tickers": {t: manifest.tickers[t] for t in sorted(manifest.tickers)}}
    blobs[MANIFEST] = _json_bytes(doc)
    for name in blobs:  # temp files of a writer that was killed
        for stale in folder.glob(f".{name}.*.tmp"):
            stale.unlink(missing_ok=True)
    _atomic_write_all({folder / name: data for name, data in blobs.items()})  # the manifest last
    legacy = [folder / "prices.parquet", folder / "dividends.parquet"]
    for path in legacy:  # an old-format cache would otherwise linger next to the store
        path.unlink(missing_ok=True)


def _finite(obj):
    """``obj`` with every NaN or infinite float replaced by None (not JSON; a fund fact that is not a number)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _json_bytes(obj) -> bytes:
    """The store's JSON (indent 1, sorted keys, trailing newline), never NaN (read back, it would be a
    NaN fact)."""
    return (json.dumps(_finite(obj), indent=1, sort_keys=True, allow_nan=False) + "\n").encode()

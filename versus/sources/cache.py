"""The local cache of the last live fetch (``data/cache/``), same format as the snapshot.

``load_live`` is the ``--live`` entry point: fetch from Yahoo, refresh the cache,
and fall back to the cache (with a warning) when Yahoo fails.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from . import MarketData
from .store import read_store, write_store

DEFAULT_CACHE = Path(__file__).resolve().parents[2] / "data" / "cache"
CACHE_LABEL = "local cache of the last live fetch (data/cache/)"
_FILES = ("prices.parquet", "dividends.parquet", "meta.json")


def _broken_file(folder: Path) -> tuple[Path, str] | None:
    """Find which cache file cannot be read (for the error message)."""
    import json

    for name in _FILES:
        path = folder / name
        try:
            if name.endswith(".parquet"):
                pd.read_parquet(path)
            elif path.exists():
                json.loads(path.read_text())
        except Exception as exc:
            return path, f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    return None


class CacheSource:
    name = "cache"

    def __init__(self, folder: Path = DEFAULT_CACHE):
        self.folder = Path(folder)

    def load(self, tickers: list[str]) -> MarketData:
        if not (self.folder / "prices.parquet").exists():
            raise DataError(f"{self.folder}: no cached live data (run once with --live while online)")
        try:
            md = read_store(self.folder, tickers, CACHE_LABEL)
        except Exception as exc:  # truncated/corrupted parquet or json, missing file, bad columns
            broken = _broken_file(self.folder)
            if broken is not None:
                path, why = broken
                raise DataError(f"{path}: cannot read the cache file ({why})") from None
            raise DataError(f"{self.folder}: cannot read the cache ({type(exc).__name__}: "
                            f"{' '.join(str(exc).split())})") from None
        missing = [t for t in tickers if t not in md.adj_close.columns]
        if missing:
            raise DataError(f"{', '.join(missing)}: not in the local cache ({self.folder})")
        md.meta = {t: md.meta[t] for t in tickers if t in md.meta}
        return md


def last_common_date(md: MarketData) -> pd.Timestamp | None:
    """The last date for which every ticker has a value (the cache is 'up to' this day)."""
    lasts = [md.adj_close[t].last_valid_index() for t in md.adj_close.columns]
    lasts = [d for d in lasts if d is not None]
    return min(lasts) if lasts else None


def _merge_with_cache(md: MarketData, cache_dir: Path) -> MarketData:
    """Keep cached tickers that this fetch did not ask for, so one fund's refresh does
    not drop the others from the cache. Fresh tickers replace their cached rows."""
    try:
        old = read_store(Path(cache_dir), None, CACHE_LABEL)
    except Exception:
        return md  # no cache or unreadable: just overwrite it
    keep = [t for t in old.adj_close.columns if t not in md.adj_close.columns]
    if not keep:
        return md

    def both(new: pd.DataFrame, prev: pd.DataFrame) -> pd.DataFrame:
        out = pd.concat([new, prev[keep]], axis=1, sort=True)
        out.index.name = new.index.name
        return out

    meta = {t: v for t, v in old.meta.items() if t in keep}
    meta.update(md.meta)
    return MarketData(close=both(md.close, old.close), adj_close=both(md.adj_close, old.adj_close),
                      dividends=both(md.dividends, old.dividends), source=md.source, meta=meta,
                      warnings=list(md.warnings))


def load_live(tickers: list[str], yahoo=None, cache_dir: Path = DEFAULT_CACHE) -> MarketData:
    """Live data from Yahoo (refreshing the cache), or the cache if the fetch fails.

    Raises :class:`DataError` when the fetch fails and the cache cannot serve every ticker.
    """
    cache_dir = Path(cache_dir)
    if yahoo is None:
        from .yahoo import YahooSource

        yahoo = YahooSource()
    try:
        md = yahoo.load(tickers)
    except DataError as exc:
        try:
            cached = CacheSource(cache_dir).load(tickers)
        except DataError as cache_exc:
            raise DataError(f"{exc}; no usable cache to fall back on ({cache_exc})") from None
        last = last_common_date(cached)
        day = last.strftime("%Y-%m-%d") if last is not None else "unknown date"
        cached.warnings.append(f"live fetch failed ({exc}); using cached data up to {day}")
        return cached
    try:
        write_store(_merge_with_cache(md, cache_dir), cache_dir)
    except OSError as exc:
        md.warnings.append(f"{cache_dir}: could not update the cache ({' '.join(str(exc).split())})")
    return md

"""The live data store (``data/cache/``) and ``--live`` loading: fetch what is new, keep the rest.

:func:`load_live` is the ``--live`` entry point.  Per ticker, each run:

1. reads the store (:func:`versus.sources.store.open_store`); a missing, truncated or
   corrupted store is ignored with a warning and rebuilt by a full fetch;
2. fetches only what is new: from ``OVERLAP_SESSIONS`` stored sessions before the
   last stored date (``start=``), in one batched download; full history
   (``period="max"``) for tickers not in the store or whose last full refresh is
   ``FULL_REFRESH_DAYS`` or more days old;
3. compares the overlap with the store: an adjusted close differing by more than
   ``REVISION_RTOL``, or a dividend that is new or changed, means Yahoo rewrote the
   adjusted history (a new dividend, a split, a correction), so that ticker's full
   history is fetched again;
4. drops bars after the expected session (an intraday price is not a close),
   validates each refreshed series and falls back on the stored one (reporting
   why) when the fetch failed or the new data fail validation;
5. refreshes fund facts every ``META_REFRESH_DAYS`` days (stored facts otherwise); an
   answer without facts (a fund Yahoo has no profile for) is kept as long, so it is not
   asked for on every run, whereas a failed request (rate limit, network) is retried the
   next run;
6. writes the store back atomically, manifest last, and the debug log of what yfinance
   printed (``.cache/yahoo-debug.log``, see :func:`versus.sources.thirdparty.debug_log_path`).

Stored prices are served only with the reason in :attr:`LiveFetch.failed`; the
freshness policy (:mod:`versus.data.freshness`) decides whether that may be published.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import STORE_DIR
from ..errors import DataError
from . import MarketData
from .store import Manifest, open_store, write_live_store

DEFAULT_STORE = STORE_DIR
STORE_LABEL = "stored prices from earlier Yahoo Finance fetches (data store)"

OVERLAP_SESSIONS = 5
"""Stored sessions fetched again each run, to catch revisions and new dividends."""
FULL_REFRESH_DAYS = 7
"""A ticker's full history is fetched again when its last full fetch is this many days old."""
META_REFRESH_DAYS = 7
"""Fund facts (expense ratio, holdings, sectors, AUM, yield) are fetched again after this many days."""
REVISION_RTOL = 1e-6
"""Relative difference between a stored and a refetched adjusted close that counts as a revision."""
REFRESH = {"overlap": OVERLAP_SESSIONS, "full_days": FULL_REFRESH_DAYS, "meta_days": META_REFRESH_DAYS}
"""The refresh intervals, as the methodology page states them (:func:`versus.data.freshness.policy`)."""


@dataclass
class LiveFetch:
    """What ``--live`` loaded, and how each ticker got there (for banner, report and store)."""

    data: MarketData
    refreshed: list[str] = field(default_factory=list)      # new prices from Yahoo this run
    failed: dict[str, str] = field(default_factory=dict)    # ticker -> why its prices are the stored ones
    full: dict[str, str] = field(default_factory=dict)      # ticker -> why its full history was fetched
    meta_refreshed: list[str] = field(default_factory=list)  # Yahoo answered (the facts are in the store)
    meta_empty: list[str] = field(default_factory=list)      # ... with no facts at all (asked again weekly)
    warnings: list[str] = field(default_factory=list)       # for the maintainer (printed, step summary)
    log: list[str] = field(default_factory=list)            # retries
    store_written: bool = False
    third_party: tuple[int, int] = (0, 0)                    # (warnings, log records) yfinance raised
    debug_log: str | None = None                             # where they were written


class CacheSource:
    """Serve every requested ticker from the store as it is (no network)."""

    name = "cache"

    def __init__(self, folder: Path = DEFAULT_STORE):
        self.folder = Path(folder)

    def load(self, tickers: list[str]) -> MarketData:
        md, _, problem = open_store(self.folder, STORE_LABEL)
        if problem:
            raise DataError(problem)
        if md is None:
            raise DataError(f"{self.folder}: no stored live data (run once with --live while online)")
        missing = [t for t in tickers if t not in md.adj_close.columns]
        if missing:
            raise DataError(f"{', '.join(missing)}: not in the data store ({self.folder})")
        md.meta = {t: upgrade_meta(m) for t, m in md.meta.items()}
        return _subset(md, tickers)


LEGACY_META_KEYS = {"yield": "dividend_yield"}
"""Fund-fact keys written by earlier versions of the store -> today's names (``data/funds.toml``'s)."""


def upgrade_meta(meta: dict | None) -> dict:
    """One ticker's stored facts with today's key names (earlier versions stored the yield as ``yield``)."""
    out = dict(meta or {})
    for old, new in LEGACY_META_KEYS.items():
        if old in out:
            value = out.pop(old)
            out.setdefault(new, value)
    return out


# --------------------------------------------------------------------------- helpers
def _subset(md: MarketData, tickers: list[str]) -> MarketData:
    adj = md.adj_close.reindex(columns=tickers).dropna(how="all")
    return MarketData(close=md.close.reindex(index=adj.index, columns=tickers), adj_close=adj,
                      dividends=md.dividends.reindex(columns=tickers).dropna(how="all"), source=md.source,
                      meta={t: md.meta[t] for t in tickers if t in md.meta}, warnings=list(md.warnings))


def _stored(md: MarketData | None, t: str) -> tuple[pd.Series, pd.Series] | None:
    if md is None or t not in md.adj_close.columns:
        return None
    adj = md.adj_close[t].dropna()
    if adj.empty:
        return None
    div = md.dividends[t].dropna() if t in md.dividends.columns else pd.Series(dtype="float64")
    return adj, div


def _revision(old: tuple[pd.Series, pd.Series], new: tuple[pd.Series, pd.Series]) -> str | None:
    """Why the refetched window disagrees with the store (``None`` if it agrees)."""
    (old_adj, old_div), (new_adj, new_div) = old, new
    if new_adj.empty:
        return None
    common = old_adj.index.intersection(new_adj.index)
    if common.empty:
        return f"no overlap with the stored prices (stored to {old_adj.index[-1].date()})"
    rel = (new_adj.loc[common] / old_adj.loc[common] - 1).abs()
    if (rel > REVISION_RTOL).any():
        d = rel.idxmax()
        return (f"adjusted close of {d.date()} changed from {old_adj[d]:.6g} to {new_adj[d]:.6g} "
                "(new dividend, split or correction)")
    first = new_adj.index[0]
    o = old_div[old_div.index >= first]
    n = new_div[new_div.index >= first]
    for d in n.index.union(o.index):
        a, b = o.get(d, np.nan), n.get(d, np.nan)
        if np.isnan(a) and not np.isnan(b):
            return f"new dividend of {b:g} on {d.date()}"
        if np.isnan(b) or abs(a - b) > 1e-9 * max(abs(a), 1.0):
            return f"dividend on {d.date()} changed from {a:g} to {b:g}"
    return None


def _merge(old: tuple[pd.Series, pd.Series], new: tuple[pd.Series, pd.Series]) -> tuple[pd.Series, pd.Series]:
    """Stored rows before the refetched window, then the window."""
    (old_adj, old_div), (new_adj, new_div) = old, new
    first = new_adj.index[0]
    adj = pd.concat([old_adj[old_adj.index < first], new_adj])
    div = pd.concat([old_div[old_div.index < first], new_div])
    return adj, div


def _trim(series: tuple[pd.Series, pd.Series], expected: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """Drop bars after the expected session: before the close Yahoo reports the live price.

    A dividend going ex after the expected session (today, during the session) goes with them, and so
    must its adjustment: Yahoo's adjusted closes already include it (every earlier day times
    ``1 - D / close[day before]``), and kept without the dividend they would make every rebuilt close
    wrong by that factor.  It is taken out again, as :func:`versus.sources.yahoo.unadjust` would put it
    in, so the kept series is what Yahoo served before the ex-date.
    """
    from .yahoo import unadjust

    adj, div = series
    keep_adj, keep_div = adj[adj.index <= expected], div[div.index <= expected]
    later = div[(div.index > expected) & (div.index <= adj.index[-1])] if len(adj) else div.iloc[:0]
    later = later[later.notna() & (later != 0)].groupby(level=0).sum()
    if later.empty or keep_adj.empty:
        return keep_adj, keep_div
    close = unadjust(adj, div)
    factor = 1.0
    for e, d in later.items():
        pos = int(adj.index.searchsorted(e, side="left"))  # the first bar on or after the ex-date
        if pos > 0:
            factor *= 1.0 - d / close.iloc[pos - 1]
    return keep_adj / factor, keep_div


def _check(t: str, series: tuple[pd.Series, pd.Series], validate) -> str | None:
    """The validation error of one ticker's series (``validate``: :func:`versus.data.validate`), or ``None``."""
    from .yahoo import assemble

    if series[0].empty:
        return "no prices up to the latest session"
    try:
        validate(assemble([t], {t: series}, ""))
    except DataError as exc:
        return str(exc).removeprefix(f"{t}: ")
    return None


def default_source(today: _dt.date):
    """The real Yahoo source (tests replace this function to inject fakes)."""
    from .yahoo import YahooSource

    return YahooSource(today=today)


# --------------------------------------------------------------------------- load_live
def load_live(tickers: list[str], store_dir: Path, today: _dt.date, expected: pd.Timestamp, validate,
              yahoo=None) -> LiveFetch:
    """Prices and fund facts for ``tickers``: what is new from Yahoo, the rest from the store.

    ``today`` (the New York date of the run) sets the refresh intervals, ``expected`` (the latest
    session that should have a close) drops intraday bars, ``validate`` checks each refreshed series;
    the caller takes them from the freshness policy (:mod:`versus.data.freshness`) and the data stage.
    Raises :class:`DataError` only when a ticker has neither fresh nor stored prices.  What yfinance
    printed goes to the debug log, also when it raises (:func:`_debug_log`).
    """
    yahoo = yahoo if yahoo is not None else default_source(today)
    result = LiveFetch(data=None)  # type: ignore[arg-type]
    try:
        return _load_live(list(dict.fromkeys(tickers)), Path(store_dir), today, expected, validate, yahoo, result)
    finally:
        _debug_log(yahoo, result, today, expected)


def _load_live(tickers: list[str], store_dir: Path, today: _dt.date, expected: pd.Timestamp, validate, yahoo,
               result: LiveFetch) -> LiveFetch:
    stored, manifest, problem = open_store(store_dir, STORE_LABEL)
    if problem:
        result.warnings.append(problem)
    manifest = manifest or Manifest()
    fresh = _fetch_prices(yahoo, tickers, stored, manifest, today, expected, result)
    for t in list(fresh):  # a refreshed series that fails validation falls back on the store
        why = _check(t, fresh[t], validate)
        if why:
            result.failed[t] = f"new data failed validation: {why}"
            del fresh[t]
    result.refreshed = [t for t in tickers if t in fresh]
    for t in result.refreshed:
        result.failed.pop(t, None)
    unavailable = [t for t in tickers if t not in fresh and _stored(stored, t) is None]
    if unavailable:
        whys = sorted({result.failed.get(t, "no data") for t in unavailable})
        raise DataError(f"{', '.join(unavailable)}: {'; '.join(whys)}; and no stored prices to fall back on "
                        f"({store_dir})")
    meta = _fund_facts(yahoo, tickers, stored, manifest, today, result)
    label = getattr(yahoo, "label", "Yahoo Finance via yfinance")
    everything, series = _assemble(tickers, stored, fresh, meta, label)
    if result.refreshed or result.meta_refreshed or problem:
        _save(everything, series, fresh, manifest, today, label, store_dir, result)
    md = _subset(everything, tickers)
    md.source = label if result.refreshed else STORE_LABEL
    md.warnings = []
    result.data = md
    return result


def _fetch_prices(yahoo, tickers, stored, manifest, today, expected, result: LiveFetch) -> dict:
    """New bars: incremental where the store has the ticker and a recent full refresh, full history for
    the others and for every ticker whose refetched overlap shows a revision."""
    incremental = []
    for t in tickers:
        last_full = manifest.date(t, "full_refresh")
        if _stored(stored, t) is None:
            result.full[t] = "not in the store"
        elif last_full is None or (today - last_full).days >= FULL_REFRESH_DAYS:
            result.full[t] = f"weekly full refresh (last {last_full or 'never'})"
        else:
            incremental.append(t)
    fresh: dict[str, tuple[pd.Series, pd.Series]] = {}
    if incremental:
        starts = [_stored(stored, t)[0].index[max(0, len(_stored(stored, t)[0]) - OVERLAP_SESSIONS)]
                  for t in incremental]
        pf = yahoo.fetch_prices(incremental, start=min(starts).date().isoformat())
        result.log += pf.log
        result.failed.update(pf.missing)
        for t, series in pf.series.items():
            series = _trim(series, expected)
            why = _revision(_stored(stored, t), series)
            if series[0].empty:
                result.failed[t] = f"Yahoo Finance returned no close up to {expected.date()}"
            elif why:
                result.full[t] = why
            else:
                fresh[t] = _merge(_stored(stored, t), series)
    refetch = [t for t in tickers if t in result.full]
    if refetch:
        pf = yahoo.fetch_prices(refetch)
        result.log += pf.log
        result.failed.update(pf.missing)
        for t, series in pf.series.items():
            fresh[t] = _trim(series, expected)
    return fresh


def _fund_facts(yahoo, tickers, stored, manifest, today, result: LiveFetch) -> dict:
    """Fund facts, weekly, even when Yahoo's last answer had none; kept from the store otherwise (and when
    prices failed: Yahoo is struggling).  A request that failed is tried again the next run."""
    meta = {}
    for t in tickers:
        old = upgrade_meta(stored.meta.get(t) if stored is not None else None)
        last = manifest.date(t, "meta_refresh")
        recent = last is not None and (today - last).days < META_REFRESH_DAYS
        if recent or (old and t in result.failed):
            meta[t] = old
            continue
        new, warns, failed = yahoo.fetch_meta(t)
        result.warnings += warns
        meta[t] = {**old, **new}
        if not failed:  # Yahoo answered: its answer (possibly no facts) stands for META_REFRESH_DAYS
            result.meta_refreshed.append(t)
            if not new:
                result.meta_empty.append(t)
    return meta


def _assemble(tickers, stored, fresh, meta, label) -> tuple[MarketData, dict]:
    """Every requested ticker, fresh or stored; the store keeps the others it had."""
    from .yahoo import assemble

    keep = [t for t in (stored.adj_close.columns if stored is not None else []) if t not in tickers]
    series = {t: fresh[t] if t in fresh else _stored(stored, t) for t in tickers}
    series.update({t: _stored(stored, t) for t in keep if _stored(stored, t) is not None})
    everything = assemble(list(series), series, label)
    everything.meta = {**{t: upgrade_meta(stored.meta[t]) for t in keep if t in stored.meta}, **meta}
    return everything, series


def _save(everything, series, fresh, manifest, today, label, store_dir, result: LiveFetch) -> None:
    """Write the store back (atomically, the manifest last); a failure is a warning, never fatal."""
    for t in series:
        info = dict(manifest.tickers.get(t, {}))
        adj = series[t][0]
        info["first"], info["last"] = adj.index[0].date().isoformat(), adj.index[-1].date().isoformat()
        if t in fresh and t in result.full:
            info["full_refresh"] = today.isoformat()
        if t in result.meta_refreshed:
            info["meta_refresh"] = today.isoformat()
        info.setdefault("full_refresh", None)
        info.setdefault("meta_refresh", None)
        manifest.tickers[t] = info
    manifest.updated, manifest.source = today.isoformat(), label
    try:
        write_live_store(everything, manifest, store_dir)
        result.store_written = True
    except OSError as exc:
        result.warnings.append(f"{store_dir}: could not update the data store ({' '.join(str(exc).split())})")


def _debug_log(yahoo, result: LiveFetch, today: _dt.date, expected: pd.Timestamp) -> None:
    """Write yfinance's warnings and log records to the debug log; count them for the report."""
    third = getattr(yahoo, "third_party", None)
    if third is None:
        return
    from .thirdparty import debug_log_path

    result.third_party = third.counts
    header = (f"versus --live on {today.isoformat()} (New York; expected session {expected.date()}): what "
              f"yfinance printed (kept out of the build output)")
    problem = yahoo.write_debug_log(header)
    if problem:
        result.warnings.append(problem)
    else:
        result.debug_log = str(debug_log_path())

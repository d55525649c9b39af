"""The live source: Yahoo Finance through yfinance (``--live``).

One batched ``yfinance.download`` call fetches daily bars for every ticker (full
history with ``period="max"``, or only recent bars with ``start=``: the data store in
:mod:`versus.sources.cache` decides), then ``Ticker(t).funds_data`` /
``Ticker(t).info`` give per-fund facts (expense ratio, AUM, yield, top holdings,
sector weights).  Tickers left without data (yfinance's answer to HTTP 429 and
network errors) are asked again with exponential back-off within a time budget
(:class:`YahooSource`).

Shapes relied on (yfinance 1.7, read from its source):

- ``multi.download`` never raises for a failed/unknown ticker: ``_download_one``
  catches the error, logs it and stores ``utils.empty_df()`` (columns Open, High,
  Low, Close, Adj Close, Volume; no rows) which ``reindex_dfs`` turns into an
  all-NaN column block. Every ticker failing gives a frame with no rows.
- The frame is ``pd.concat(..., keys=tickers, names=['Ticker', 'Price'])`` and,
  with ``group_by='column'``, swapped to ``(Price, Ticker)`` columns sorted by
  Price: ``Capital Gains`` (ETFs/mutual funds only), ``Close``, ``Dividends``,
  ``High``, ``Low``, ``Open``, ``Stock Splits``, ``Volume``. Tickers are
  upper-cased and de-duplicated by yfinance.
- With ``auto_adjust=True`` (``utils.auto_adjust``) ``Close`` is Yahoo's
  "Adj Close" (dividend- and split-adjusted); there is no unadjusted close any
  more, so :func:`unadjust` rebuilds it from ``Dividends``.
- The index is named ``Date``; it is tz-naive for daily bars (``ignore_tz``
  defaults to True) but tz-aware (exchange time zone) with ``ignore_tz=False``.
  Both are accepted and turned into tz-naive normalized dates named ``date``, in
  :data:`DATE_UNIT` whatever yfinance returns (1.7: ``datetime64[s]``, from
  ``pd.to_datetime(index.date)``), the unit the data store reads back as.  Volume turns
  float64 when tickers with different dates are aligned (not used here).
- yfinance never raises for a failed ticker, it *logs* why (logger ``yfinance``, level
  ERROR): ``['QQQ']: YFRateLimitError('Too Many Requests. ...')``, ``$SCHA: possibly
  delisted; no timezone found``.  Those records say why a ticker is missing
  (:mod:`versus.sources.thirdparty`); they and yfinance's warnings are kept out of the build
  output: every yfinance call runs inside :meth:`ThirdParty.capture`.
- Before its first chart request for a ticker, yfinance asks Yahoo for the ticker's time
  zone (``/v8/finance/chart/T?range=1d``), once per ticker and process (then its tz cache).

Fund facts (``funds_data``, ``info``) and their units: :mod:`versus.sources.yahoo_facts`.
"""
from __future__ import annotations

import datetime as _dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..errors import DataError
from . import MarketData
from ..util import one_line
from .thirdparty import ThirdParty, debug_log_path, why
from .yahoo_facts import fund_meta


#: The explicit arguments of the one batched ``yfinance.download`` call.
DOWNLOAD_KWARGS: dict[str, Any] = dict(
    period="max",
    interval="1d",
    auto_adjust=True,       # Close = total-return close; we rebuild the raw close
    back_adjust=False,
    actions=True,           # Dividends / Stock Splits (/ Capital Gains) columns
    group_by="column",      # columns (Price, Ticker)
    multi_level_index=True,  # MultiIndex even for a single ticker
    ignore_tz=True,         # daily bars: tz-naive exchange dates
    prepost=False,
    progress=False,
    threads=True,
    repair=False,
    keepna=False,
    rounding=False,         # keep Yahoo's precision (needed by unadjust)
    timeout=30,
)


#: Retries: attempts in all, the first delay (doubling each time), the total fetch budget.
RETRY_ATTEMPTS = 5
RETRY_DELAY_S = 2.0
FETCH_BUDGET_S = 240.0

MISSING_MSG = "no data from Yahoo Finance (unknown ticker, delisted, or the request failed/was rate-limited)"

DATE_UNIT = "us"
"""The resolution of every date index from here: what the store's CSV and the snapshot read back as."""


def unadjust(adj: pd.Series, dividends: pd.Series) -> pd.Series:
    """Rebuild the split-adjusted (not dividend-adjusted) close from Yahoo's adjusted close.

    Yahoo adjusts every day *before* an ex-date ``e`` (dividend ``D``) by the
    multiplier ``m_e = 1 - D / close[p]``, where ``p`` is the trading day before
    ``e``; so ``adj[t] = close[t] * F(t)`` with ``F(t) = prod(m_e for e > t)``.
    This inverts it exactly, walking ex-dates from the latest to the earliest with
    ``F = 1`` after the last one::

        close[p] = adj[p] / F + D        # F = product of multipliers of later ex-dates
        F       *= 1 - D / close[p]
        close[t] = adj[t] / F(t)         # for every day t

    ``adj``: adjusted close indexed by date (NaN before the fund's first day).
    ``dividends``: cash dividend per share indexed by ex-date (NaN/0 where none;
    amounts on the same date are summed). Ex-dates on/before the first valid day
    or after the last one adjust nothing and are ignored. Returns a Series aligned
    with ``adj`` (NaN where ``adj`` is NaN).
    """
    valid = adj.dropna()
    out = pd.Series(np.nan, index=adj.index, dtype="float64", name=adj.name)
    if valid.empty:
        return out
    divs = pd.to_numeric(dividends, errors="coerce").dropna()
    divs = divs[divs != 0]
    divs = divs.groupby(level=0).sum().sort_index()
    idx = valid.index
    a = valid.to_numpy(dtype="float64")
    mult = np.ones(len(a))  # mult[i] = product of m_e for ex-dates whose previous day is idx[i]
    F = 1.0
    for e, d in zip(divs.index[::-1], divs.to_numpy(dtype="float64")[::-1]):
        if e > idx[-1]:
            continue  # after the last bar: not yet reflected in the adjusted close
        pos = int(idx.searchsorted(e, side="left"))  # first trading day >= e
        if pos == 0:
            continue  # no trading day before it: adjusts nothing
        p = pos - 1
        close_p = a[p] / F + d
        m = 1.0 - d / close_p
        F *= m
        mult[p] *= m
    factor = np.cumprod(mult[::-1])[::-1]  # F(t) = product of multipliers at positions >= t
    out.loc[idx] = a / factor
    return out


def _to_dates(index: pd.Index) -> pd.DatetimeIndex:
    """tz-aware or naive timestamps -> tz-naive normalized dates (exchange-local day)."""
    idx = pd.DatetimeIndex(index)
    if idx.tz is not None:
        idx = idx.tz_localize(None)  # keep the exchange-local wall date
    return idx.normalize().as_unit(DATE_UNIT)


def _split_columns(frame: pd.DataFrame, tickers: list[str]) -> dict[str, pd.DataFrame]:
    """``download`` output -> {ticker: frame with Price columns} (keys as yfinance spells them)."""
    cols = frame.columns
    if not isinstance(cols, pd.MultiIndex):
        # multi_level_index=False with one ticker: plain Price columns
        return {tickers[0].upper(): frame} if len(tickers) == 1 else {}
    names = list(cols.names)
    if "Ticker" in names:
        tlevel = names.index("Ticker")
    elif "Price" in names:
        tlevel = 1 - names.index("Price")
    else:
        tlevel = 1  # group_by='column' layout
    out = {}
    for t in cols.get_level_values(tlevel).unique():
        out[str(t)] = frame.xs(t, axis=1, level=tlevel)
    return out


def _parse_download(frame, tickers: list[str]) -> tuple[dict[str, tuple[pd.Series, pd.Series]], list[str]]:
    """``download`` output -> ({ticker: (adj_close, dividends)}, [tickers without data])."""
    if not isinstance(frame, pd.DataFrame):
        frame = pd.DataFrame()
    per = _split_columns(frame, tickers) if len(frame.columns) else {}
    dates = _to_dates(frame.index) if len(frame.index) else pd.DatetimeIndex([], name="date")
    got, missing = {}, []
    for t in tickers:
        sub = per.get(t, per.get(t.upper()))
        adj = None
        if sub is not None and "Close" in sub.columns and len(sub):
            adj = pd.to_numeric(pd.Series(sub["Close"].to_numpy(), index=dates), errors="coerce")
            adj = adj[~adj.index.duplicated(keep="last")]
        if adj is None or adj.isna().all():
            missing.append(t)
            continue
        if "Dividends" in sub.columns:
            div = pd.to_numeric(pd.Series(sub["Dividends"].to_numpy(), index=dates), errors="coerce")
            div = div[~div.index.duplicated(keep="last")]
            div = div[(div > 0) & adj.notna()]
        else:
            div = pd.Series(dtype="float64", index=pd.DatetimeIndex([]))
        got[t] = (adj.dropna().astype("float64"), div.astype("float64"))
    return got, missing


def assemble(tickers: list[str], series: dict[str, tuple[pd.Series, pd.Series]], source: str) -> MarketData:
    """Per-ticker (adj_close, dividends) -> :class:`MarketData`, the close rebuilt by :func:`unadjust`."""
    adj_cols = {t: series[t][0] for t in tickers}
    div_cols = {t: series[t][1] for t in tickers}
    adj_close = pd.DataFrame(adj_cols, columns=tickers).sort_index().dropna(how="all")
    close = pd.DataFrame({t: unadjust(adj_close[t], div_cols[t]) for t in tickers},
                         columns=tickers).reindex(adj_close.index)
    dividends = pd.DataFrame(div_cols, columns=tickers).sort_index().dropna(how="all").astype("float64")
    for f in (close, adj_close):
        f.index.name, f.columns.name = "date", None
    dividends.index.name, dividends.columns.name = "ex_date", None
    return MarketData(close=close.astype("float64"), adj_close=adj_close.astype("float64"),
                      dividends=dividends, source=source)


@dataclass
class PriceFetch:
    """The result of one (retried) batched download.

    ``series[t] = (adj_close, dividends)`` for every ticker that came back;
    ``missing[t]`` says why a ticker did not (after every retry); ``log`` has one
    line per retry, for the build report.
    """

    series: dict[str, tuple[pd.Series, pd.Series]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    log: list[str] = field(default_factory=list)


class YahooSource:
    """Live data from Yahoo Finance.

    ``download``/``ticker`` stand in for ``yfinance.download``/``yfinance.Ticker``
    (tests pass fakes); ``sleep``/``clock`` for ``time.sleep``/``time.monotonic``.

    Retries: yfinance turns HTTP 429 and network errors into empty frames (or, for
    a few paths, raises). A download that raises, or leaves tickers without data,
    is tried again for those tickers after ``retry_delay * 2**k`` seconds (2, 4, 8,
    16 s by default), at most ``attempts`` times in all, and never past the total
    ``budget`` (seconds, every Yahoo call of this source together).

    Every yfinance call runs inside :meth:`ThirdParty.capture`: its warnings and log
    records go to :attr:`third_party` (then :meth:`write_debug_log`), not to the terminal.
    """

    name = "yahoo"

    def __init__(self, download: Callable | None = None, ticker: Callable | None = None,
                 today: _dt.date | str | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, attempts: int = RETRY_ATTEMPTS,
                 retry_delay: float = RETRY_DELAY_S, budget: float = FETCH_BUDGET_S):
        self._download = download
        self._ticker = ticker
        self._today = today
        self._sleep, self._clock = sleep, clock
        self.attempts, self.retry_delay, self.budget = max(1, int(attempts)), float(retry_delay), float(budget)
        self._deadline: float | None = None
        self.third_party = ThirdParty()

    # -- helpers -------------------------------------------------------------
    def _funcs(self):
        download, ticker = self._download, self._ticker
        if download is None or ticker is None:
            with self.third_party.capture():
                import yfinance  # lazy: importing this module stays cheap

            download = download or yfinance.download
            ticker = ticker or yfinance.Ticker
        return download, ticker

    def _today_iso(self) -> str:
        t = self._today
        if t is None:
            return _dt.date.today().isoformat()
        if isinstance(t, (_dt.date, _dt.datetime, pd.Timestamp)):
            return pd.Timestamp(t).date().isoformat()
        return str(t)

    def time_left(self) -> float:
        """Seconds left of the fetch budget (the clock starts at the first Yahoo call)."""
        if self._deadline is None:
            self._deadline = self._clock() + self.budget
        return self._deadline - self._clock()

    @staticmethod
    def _version() -> str:
        try:
            from importlib.metadata import version

            return version("yfinance")
        except Exception:
            return "(version unknown)"

    @property
    def label(self) -> str:
        return f"Yahoo Finance via yfinance {self._version()}"

    def write_debug_log(self, header: str, path: Path | None = None) -> str | None:
        """Write what yfinance printed to the debug log; a one-line problem if the file cannot be written."""
        return self.third_party.write(debug_log_path() if path is None else path, header)

    # -- prices --------------------------------------------------------------
    def fetch_prices(self, tickers: list[str], start: str | None = None) -> PriceFetch:
        """Daily adjusted closes and dividends, full history (``period="max"``) or from ``start``.

        One batched ``download`` per attempt, for the tickers still missing. Never
        raises for Yahoo's failures: they end up in ``missing``, with the reason
        yfinance logged when it gave one.
        """
        tickers = list(dict.fromkeys(str(t) for t in tickers))
        kwargs = dict(DOWNLOAD_KWARGS)
        if start is not None:
            del kwargs["period"]  # yfinance: start without period/end = from start to now
            kwargs["start"] = str(start)
        download, _ = self._funcs()
        out, pending = PriceFetch(), tickers
        self.time_left()
        while pending:
            out.attempts += 1
            got, missing, reasons = self._attempt(download, pending, kwargs)
            out.series.update(got)
            out.missing.update(reasons)
            for t in got:
                out.missing.pop(t, None)
            pending = missing
            if not pending or out.attempts >= self.attempts:
                break
            delay = self.retry_delay * 2 ** (out.attempts - 1)
            if delay > self.time_left():
                out.log.append(f"{', '.join(pending)}: fetch time budget ({self.budget:.0f}s) spent; "
                               f"giving up after {out.attempts} attempt(s)")
                break
            everything = "every ticker" if len(pending) == len(tickers) else ", ".join(pending)
            out.log.append(f"attempt {out.attempts}: no data for {everything} ({_cause(reasons, pending)}); "
                           f"retrying in {delay:g}s")
            self._sleep(delay)
        if pending and out.attempts > 1:
            for t in pending:
                out.missing[t] = f"{out.missing[t]}; {out.attempts} attempts"
        return out

    def _attempt(self, download: Callable, pending: list[str], kwargs: dict) -> tuple[dict, list[str], dict]:
        """One batched download: (series that came back, tickers without data, why for each of those)."""
        self.third_party.reasons.clear()
        try:
            with self.third_party.capture():
                frame = download(pending, **kwargs)
        except Exception as exc:  # download logs and swallows most errors; this is the rest
            reason = f"Yahoo Finance download failed ({type(exc).__name__}: {one_line(exc)})"
            return {}, list(pending), {t: reason for t in pending}
        got, missing = _parse_download(frame, pending)
        logged = self.third_party.reasons
        said = {t: logged.get(t, logged.get(t.upper())) for t in missing}
        return got, missing, {t: f"no data from Yahoo Finance ({why(w)})" if w else MISSING_MSG
                              for t, w in said.items()}

    def load(self, tickers: list[str]) -> MarketData:
        """Full history and fund facts for every ticker; :class:`DataError` if any ticker has no data."""
        tickers = list(dict.fromkeys(str(t) for t in tickers))
        if not tickers:
            raise DataError("no tickers requested from Yahoo Finance")
        _, ticker = self._funcs()
        pf = self.fetch_prices(tickers)
        if pf.missing:
            by_reason: dict[str, list[str]] = {}
            for t, reason in pf.missing.items():
                by_reason.setdefault(reason, []).append(t)
            raise DataError("; ".join(f"{', '.join(ts)}: {reason}" for reason, ts in by_reason.items()))
        md = assemble(tickers, pf.series, self.label)
        today = self._today_iso()
        for t in tickers:
            with self.third_party.capture():
                md.meta[t] = fund_meta(ticker, t, today, md.warnings)[0]
        return md

    def fetch_meta(self, t: str) -> tuple[dict, list[str], bool]:
        """Fund facts for one ticker, the warnings about what is missing, and whether asking Yahoo
        failed (rate limit, network, server error, budget spent: ask again next run) as opposed to
        Yahoo answering with what it has, possibly nothing. Never raises."""
        _, ticker = self._funcs()
        warnings: list[str] = []
        if self.time_left() <= 0:
            return {}, [f"{t}: fund facts not refreshed (fetch time budget of {self.budget:.0f}s spent)"], True
        with self.third_party.capture():
            meta, failed = fund_meta(ticker, t, self._today_iso(), warnings)
        return meta, warnings, failed


def _cause(reasons: dict[str, str], pending: list[str]) -> str:
    """Why the tickers still pending had no data, for the retry log."""
    causes = sorted({reasons[t] for t in pending})
    if causes == [MISSING_MSG]:
        return "rate-limited or offline?"
    return "; ".join(c.removeprefix("no data from Yahoo Finance (").removesuffix(")") for c in causes)

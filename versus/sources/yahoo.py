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
  Both are accepted and turned into tz-naive normalized dates named ``date``.

- yfinance never raises for a failed ticker, it *logs* why (logger ``yfinance``, level
  ERROR): ``['QQQ']: YFRateLimitError('Too Many Requests. ...')``, ``$SCHA: possibly
  delisted; no timezone found``.  Those records are read here (:class:`ThirdParty`) to say
  why a ticker is missing, and kept out of the build output.
- Before its first chart request for a ticker, yfinance asks Yahoo for the ticker's time
  zone (``/v8/finance/chart/T?range=1d``), once per ticker and process (then its tz cache).
- The index is ``datetime64[s]`` (``pd.to_datetime(index.date)``); :func:`_to_dates` makes
  it :data:`DATE_UNIT`, the unit the data store reads back as.  Volume turns float64 when
  tickers with different dates are aligned (not used here).
- ``Ticker.funds_data`` never raises: it returns a ``FundsData`` that fetches on the first
  attribute read, and a failed fetch raises *there* (``HTTPError``, ``YFRateLimitError``,
  curl's ``ConnectionError``, ``YFDataException`` "No Fund data found" for a non-fund) and
  leaves the object empty, so every further attribute read asks Yahoo again.  A failed
  read is therefore not repeated for the other attributes.

Units of the metadata (all stored as fractions, 0.0009 = 0.09 %):

- ``funds_data`` (quoteSummary ``fundProfile``/``topHoldings``, ``formatted=false``)
  holds raw fractions: ``annualReportExpenseRatio`` 0.0009, ``holdingPercent``
  0.071, sector weightings 0.33. Used as is.
- ``info`` mixes units: ``yield`` (summaryDetail) and
  ``trailingAnnualDividendYield`` are fractions, whereas ``dividendYield`` and
  ``netExpenseRatio`` are percentage points (1.12 means 1.12 %) and are divided
  by 100 here. ``totalAssets`` is in the fund's currency (USD for US ETFs).
  ``longName`` (else ``shortName``) is the fund's name.

The facts are returned under the keys of ``data/funds.toml`` (``name``, ``expense_ratio``,
``aum``, ``dividend_yield``, ``top_holdings``, ``sector_weights``), each
``{"value", "as_of", "source"}`` with ``as_of`` the New York date of the run that fetched it.

Third-party noise: Python warnings raised inside yfinance (pandas 3.1 prints ~35
``Pandas4Warning`` lines a live build) and yfinance's log records never reach the build
output; they are written to the debug log (``.cache/yahoo-debug.log``, or ``$VERSUS_DEBUG_LOG``) and
counted in the build report.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import math
import os
import re
import threading
import time
import warnings as _warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from ..errors import DataError
from . import MarketData

FUNDS_LABEL = "Yahoo Finance (yfinance funds_data)"
INFO_LABEL = "Yahoo Finance (yfinance info)"

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

#: Yahoo ``sectorWeightings`` keys -> GICS-like display names.
SECTOR_NAMES = {
    "technology": "Information Technology",
    "financial_services": "Financials",
    "healthcare": "Health Care",
    "consumer_cyclical": "Consumer Discretionary",
    "consumer_defensive": "Consumer Staples",
    "communication_services": "Communication Services",
    "basic_materials": "Materials",
    "realestate": "Real Estate",
    "industrials": "Industrials",
    "energy": "Energy",
    "utilities": "Utilities",
}

#: Retries: attempts in all, the first delay (doubling each time), the total fetch budget.
RETRY_ATTEMPTS = 5
RETRY_DELAY_S = 2.0
FETCH_BUDGET_S = 240.0

MISSING_MSG = "no data from Yahoo Finance (unknown ticker, delisted, or the request failed/was rate-limited)"

DATE_UNIT = "us"
"""The resolution of every date index from here: what the store's CSV and the snapshot read back as."""

DEBUG_LOG = Path(__file__).resolve().parents[2] / ".cache" / "yahoo-debug.log"
"""Where a live build writes the warnings and log records of yfinance (replaced on every live build);
``$VERSUS_DEBUG_LOG`` names another file (:func:`debug_log_path`)."""


def debug_log_path() -> Path:
    return Path(os.environ.get("VERSUS_DEBUG_LOG") or DEBUG_LOG)


# --------------------------------------------------------------------------- third-party noise
class ThirdParty(logging.Handler):
    """Python warnings and ``yfinance`` log records raised while yfinance runs, kept out of the
    build output (:meth:`capture`) and written to the debug log (:meth:`write`).

    ``reasons[T]`` is the first error yfinance logged about ticker ``T`` since it was cleared (the
    cause; later ones are consequences, e.g. "no timezone found" after a network error).
    """

    _TICKERS = re.compile(r"^\[((?:'[^']+'(?:, )?)+)\]: (.+)$", re.S)  # "['QQQ', 'SPY']: YFRateLimitError(...)"
    _DOLLAR = re.compile(r"^\$([A-Z0-9.\-^=]+): (.+)$", re.S)          # "$SCHA: possibly delisted; no timezone found"
    _TZ = re.compile(r"^Failed to get ticker '([^']+)' reason: (.+)$", re.S)  # the time-zone probe failed

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.records: dict[str, int] = {}   # "LEVEL message" -> count
        self.warnings: dict[str, int] = {}  # "Category: message (file:line)" -> count
        self.reasons: dict[str, str] = {}
        self._lock2 = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:  # a malformed third-party record must not break the build
            msg = str(record.msg)
        with self._lock2:
            key = f"{record.levelname} {_one_line(msg)}"
            self.records[key] = self.records.get(key, 0) + 1
            if record.levelno >= logging.ERROR:
                for t, why in self._parse(msg):
                    self.reasons.setdefault(t, why)

    @classmethod
    def _parse(cls, msg: str) -> list[tuple[str, str]]:
        msg = msg.strip()
        m = cls._TICKERS.match(msg)
        if m:
            return [(t, m.group(2)) for t in re.findall(r"'([^']+)'", m.group(1))]
        m = cls._DOLLAR.match(msg) or cls._TZ.match(msg)
        return [(m.group(1), m.group(2))] if m else []

    @contextlib.contextmanager
    def capture(self):
        """Inside: warnings are recorded (not printed) and the ``yfinance`` logger writes here only.

        Not ``warnings.catch_warnings``: yfinance downloads in threads, and any code in them that
        enters and leaves ``catch_warnings`` (pandas does) saves and restores the process-wide
        filters concurrently, which can leave them changed.  Here ``showwarning`` is replaced (the
        threads' ``catch_warnings`` put back what they found: this hook) and the filters as they
        were before are put back afterwards.
        """
        logger = logging.getLogger("yfinance")
        saved = logger.propagate, logger.level
        saved_filters, saved_show = list(_warnings.filters), _warnings.showwarning
        logger.addHandler(self)
        logger.propagate = False  # else the root logger (or Python's last resort) prints to stderr
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)  # not DEBUG: yfinance would stop using threads
        _warnings.showwarning = self._showwarning
        _warnings.filterwarnings("default")  # each warning once per place, including deprecations
        try:
            yield self
        finally:
            _warnings.showwarning = saved_show
            _warnings.filters[:] = saved_filters
            getattr(_warnings, "_filters_mutated", lambda: None)()
            logger.removeHandler(self)
            logger.propagate, level = saved
            logger.setLevel(level)

    def _showwarning(self, message, category, filename, lineno, file=None, line=None) -> None:
        key = f"{category.__name__}: {_one_line(message)} ({filename}:{lineno})"
        with self._lock2:
            self.warnings[key] = self.warnings.get(key, 0) + 1

    @property
    def counts(self) -> tuple[int, int]:
        """(warnings, log records) captured."""
        return sum(self.warnings.values()), sum(self.records.values())

    def write(self, path: Path, header: str) -> str | None:
        """Replace the debug log with what was captured; the problem (one line) if it cannot be written."""
        lines = [header, f"python warnings: {self.counts[0]}"]
        lines += [f"  {n:>4} x {k}" for k, n in sorted(self.warnings.items())]
        lines.append(f"yfinance log records: {self.counts[1]}")
        lines += [f"  {n:>4} x {k}" for k, n in sorted(self.records.items())]
        try:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as exc:
            return f"{path}: cannot write the debug log ({exc.strerror or exc})"
        return None


def _why(text: str) -> str:
    """yfinance's reason for a failed ticker, in a few words."""
    t = _one_line(text)
    if "YFRateLimitError" in t or "Too Many Requests" in t or "429" in t:
        return "rate-limited, HTTP 429"
    if "Could not resolve" in t or "DNSError" in t:
        return "network error: could not resolve the host"
    if "timed out" in t or "Timeout" in t:
        return "network error: timed out"
    if "ConnectionError" in t or "Failed to connect" in t or "curl: (" in t:
        return "network error: could not connect"
    if "Expecting value" in t or "JSONDecodeError" in t or "CURRENTLY DOWN" in t:
        return "Yahoo answered with a page that is not data (an outage page?)"
    return t if len(t) <= 160 else t[:157] + "..."


def _transient(exc: BaseException) -> bool:
    """A failure to ask Yahoo (rate limit, network, server error), as opposed to Yahoo answering "no data"."""
    if type(exc).__name__ == "YFRateLimitError":
        return True
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):
        return status in (401, 403, 408, 429) or status >= 500
    return isinstance(exc, (OSError, TimeoutError))


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


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _num(v: Any) -> float | None:
    """A finite float from a yfinance value (raw number, {'raw': x}, pd.NA, None...)."""
    if isinstance(v, dict):
        v = v.get("raw")
    if v is None or v is pd.NA:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


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
            self.third_party.reasons.clear()
            try:
                with self.third_party.capture():
                    frame = download(pending, **kwargs)
                got, missing = _parse_download(frame, pending)
                why = {t: self.third_party.reasons.get(t, self.third_party.reasons.get(t.upper()))
                       for t in missing}
                reasons = {t: f"no data from Yahoo Finance ({_why(w)})" if w else MISSING_MSG
                           for t, w in why.items()}
            except Exception as exc:  # download logs and swallows most errors; this is the rest
                got, missing = {}, list(pending)
                reason = f"Yahoo Finance download failed ({type(exc).__name__}: {_one_line(exc)})"
                reasons = {t: reason for t in missing}
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
            causes = sorted({reasons[t] for t in pending})
            cause = ("rate-limited or offline?" if causes == [MISSING_MSG] else
                     "; ".join(c.removeprefix("no data from Yahoo Finance (").removesuffix(")") for c in causes))
            out.log.append(f"attempt {out.attempts}: no data for {everything} ({cause}); retrying in {delay:g}s")
            self._sleep(delay)
        if pending and out.attempts > 1:
            for t in pending:
                out.missing[t] = f"{out.missing[t]}; {out.attempts} attempts"
        return out

    def load(self, tickers: list[str]) -> MarketData:
        """Full history and fund facts for every ticker; :class:`DataError` if any ticker has no data."""
        tickers = list(dict.fromkeys(str(t) for t in tickers))
        if not tickers:
            raise DataError("no tickers requested from Yahoo Finance")
        _, ticker = self._funcs()
        pf = self.fetch_prices(tickers)
        if pf.missing:
            by_reason: dict[str, list[str]] = {}
            for t, why in pf.missing.items():
                by_reason.setdefault(why, []).append(t)
            raise DataError("; ".join(f"{', '.join(ts)}: {why}" for why, ts in by_reason.items()))
        md = assemble(tickers, pf.series, self.label)
        today = self._today_iso()
        for t in tickers:
            md.meta[t] = self._fund_meta(ticker, t, today, md.warnings)[0]
        return md

    def fetch_meta(self, t: str) -> tuple[dict, list[str], bool]:
        """Fund facts for one ticker, the warnings about what is missing, and whether asking Yahoo
        failed (rate limit, network, server error, budget spent: ask again next run) as opposed to
        Yahoo answering with what it has, possibly nothing. Never raises."""
        _, ticker = self._funcs()
        warnings: list[str] = []
        if self.time_left() <= 0:
            return {}, [f"{t}: fund facts not refreshed (fetch time budget of {self.budget:.0f}s spent)"], True
        meta, failed = self._fund_meta(ticker, t, self._today_iso(), warnings)
        return meta, warnings, failed

    # -- fund facts ----------------------------------------------------------
    def _fund_meta(self, ticker: Callable, t: str, today: str, warnings: list[str]) -> tuple[dict, bool]:
        """Per-fund facts and whether a request failed; every failure becomes a warning, never an exception."""
        with self.third_party.capture():
            return self._fund_meta_inner(ticker, t, today, warnings)

    def _fund_meta_inner(self, ticker: Callable, t: str, today: str, warnings: list[str]) -> tuple[dict, bool]:
        meta: dict[str, dict] = {}
        failed = False

        def put(key, value, source):
            meta[key] = {"value": value, "as_of": today, "source": source}

        def warn(what, why):
            warnings.append(f"{t}: {what} not available from Yahoo Finance ({_one_line(why)})")

        def error(what: str, exc: BaseException) -> str:
            nonlocal failed
            failed = failed or _transient(exc)
            return f"{what}: {type(exc).__name__}: {exc}"

        try:
            tk = ticker(t)
        except Exception as exc:
            warn("fund facts", error("Ticker", exc))
            return meta, failed

        # yfinance's FundsData fetches on the first attribute read and raises there; after a
        # failure every attribute would ask Yahoo again, so the first failure answers for all.
        funds, funds_err = None, None
        try:
            funds = tk.funds_data
            if funds is None:
                funds_err = "funds_data is empty"
        except Exception as exc:
            funds_err = error("funds_data", exc)

        def funds_attr(name):
            nonlocal funds_err
            if funds_err is not None:
                return None, funds_err
            try:
                value = getattr(funds, name)
            except Exception as exc:
                funds_err = error(f"funds_data.{name}", exc)
                return None, funds_err
            if value is None:  # yfinance logged a parse failure and left the object empty
                funds_err = f"funds_data.{name} is empty"
                return None, funds_err
            return value, None

        info, info_err = None, None
        try:
            info = tk.info
            if not isinstance(info, dict) or not any(v is not None for v in info.values()):
                info, info_err = None, "info is empty"
        except Exception as exc:
            info_err = error("info", exc)

        # the fund's name: info longName (quoteType module / v7 quote), else shortName
        name = next((str(info[k]).strip() for k in ("longName", "shortName")
                     if info and isinstance(info.get(k), str) and info[k].strip()), None)
        if name:
            put("name", name, INFO_LABEL)
        else:
            warn("name", info_err or "no 'longName' in info")

        # expense ratio: funds_data.fund_operations (fraction); fallback info netExpenseRatio (% points)
        ops, err = funds_attr("fund_operations")
        er = None
        if isinstance(ops, pd.DataFrame) and not ops.empty and "Annual Report Expense Ratio" in ops.index:
            col = next((c for c in (t, t.upper(), getattr(tk, "ticker", None)) if c in ops.columns), None)
            if col is None:
                others = [c for c in ops.columns if c != "Category Average"]
                col = others[0] if others else None
            if col is not None:
                er = _num(ops.at["Annual Report Expense Ratio", col])
        elif err is None:
            err = "fund_operations is empty"
        if er is not None and 0 <= er < 1:
            put("expense_ratio", er, FUNDS_LABEL)
        else:
            alt = _num(info.get("netExpenseRatio")) if info else None
            if alt is not None and 0 <= alt < 100:
                put("expense_ratio", alt / 100.0, INFO_LABEL)  # percentage points -> fraction
            else:
                warn("expense ratio", err or "no 'Annual Report Expense Ratio' value")

        # top holdings: DataFrame indexed by Symbol, columns Name, Holding Percent (fraction)
        th, err = funds_attr("top_holdings")
        holdings = []
        if isinstance(th, pd.DataFrame) and not th.empty and "Holding Percent" in th.columns:
            for sym, row in th.iterrows():
                w = _num(row.get("Holding Percent"))
                if w is None:
                    continue
                hname = row.get("Name")
                hname = str(hname) if hname is not None and not pd.isna(hname) else str(sym)
                holdings.append({"ticker": str(sym), "name": hname, "weight": w})
        if holdings:
            put("top_holdings", holdings, FUNDS_LABEL)
        else:
            warn("top holdings", err or "top_holdings is empty")

        # sector weights: {yahoo_key: fraction}
        sw, err = funds_attr("sector_weightings")
        sectors = {}
        if isinstance(sw, dict):
            for key, val in sw.items():
                w = _num(val)
                if w is None:
                    continue
                sname = SECTOR_NAMES.get(str(key), str(key).replace("_", " ").title())
                sectors[sname] = sectors.get(sname, 0.0) + w
        if sectors:
            put("sector_weights", sectors, FUNDS_LABEL)
        else:
            warn("sector weights", err or "sector_weightings is empty")

        # AUM and dividend yield from info
        aum = _num(info.get("totalAssets")) if info else None
        if aum is not None and aum > 0:
            put("aum", aum, INFO_LABEL)
        else:
            warn("AUM", info_err or "no 'totalAssets' in info")
        y = _num(info.get("yield")) if info else None  # summaryDetail: fraction
        if y is None and info:
            y = _num(info.get("trailingAnnualDividendYield"))  # fraction
        if y is None and info:
            pp = _num(info.get("dividendYield"))       # percentage points
            y = pp / 100.0 if pp is not None else None
        if y is not None and 0 <= y < 1:
            put("dividend_yield", y, INFO_LABEL)
        else:
            warn("dividend yield", info_err or "no 'yield' in info")
        return meta, failed

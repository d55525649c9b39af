"""Hand-made fakes for yfinance 1.7's return values (no network, no yfinance code).

Most tests run the real yfinance over a fake HTTP layer instead (``tests/yahoo_http.py``);
these frames stay where they are simpler (the exact ``download`` arguments, a ``download``
that raises, the data store and fault tests).  ``tests/test_yahoo.py`` checks that they
have the shapes real yfinance produces from the HTTP fake (index ``datetime64[s]``,
columns, dtypes), so they cannot drift.

Read from yfinance's source:

- ``scrapers/history.py`` ``PriceHistory.history``: per-ticker frame indexed by
  midnight in the exchange time zone (``Date``), columns after
  ``utils.auto_adjust``: Open, High, Low, Close (= Yahoo's Adj Close), Volume,
  Dividends, Stock Splits, and Capital Gains for ETFs/mutual funds.
- ``multi.py`` ``_download_one``: a failing ticker (network error, HTTP 429,
  unknown symbol) gets ``utils.empty_df()``; ``_download_impl``/``reindex_dfs``:
  tz dropped when ``ignore_tz`` (default for daily bars), union index,
  ``pd.concat(keys=..., names=['Ticker', 'Price'])``, then for ``group_by='column'``
  ``swaplevel`` + ``sort_index(level=0)``.  Every ticker failing gives no rows.
- ``scrapers/funds.py`` ``FundsData``: ``fund_operations`` / ``top_holdings``
  DataFrames and ``sector_weightings`` dict, built like ``_parse_fund_profile`` /
  ``_parse_top_holdings``.

:class:`YahooWorld` serves the real snapshot data *as Yahoo would have served it on a
given day*: rows up to that day, and adjusted closes adjusted only for the dividends
known by then, so a later run sees the adjusted history change when a dividend
goes ex (exactly what the store's revision check must catch).
"""
from __future__ import annotations

import socket

import numpy as np
import pandas as pd

from versus.sources.snapshot import SnapshotSource
from versus.sources.yahoo import YahooSource

TODAY = "2026-08-22"
SNAP = SnapshotSource().load(["SPY", "QQQ"])
N_DAYS = 300


def refuse_network(monkeypatch) -> None:
    """Make every socket connection fail (use in an autouse fixture)."""
    def refuse(*a, **k):
        raise RuntimeError("network access in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --------------------------------------------------------------------------- frames
def empty_df():
    """yfinance.utils.empty_df(): what download keeps for a ticker that failed."""
    empty = pd.DataFrame(index=[], data={
        "Open": np.nan, "High": np.nan, "Low": np.nan,
        "Close": np.nan, "Adj Close": np.nan, "Volume": np.nan})
    empty.index.name = "Date"
    return empty


def bars(adj: pd.Series, div: pd.Series, tz: str = "America/New_York") -> pd.DataFrame:
    """A Ticker.history(auto_adjust=True, actions=True) frame for an ETF from adjusted closes."""
    idx = pd.DatetimeIndex(adj.index.as_unit("s")).tz_localize(tz)  # yfinance: pd.to_datetime(index.date)
    idx.name = "Date"
    a = adj.to_numpy(dtype="float64")
    return pd.DataFrame({
        "Open": a * 0.999, "High": a * 1.004, "Low": a * 0.995,
        "Close": a,  # auto_adjust renames "Adj Close" -> "Close"
        "Volume": np.arange(1, len(a) + 1, dtype=np.int64) * 1000,
        "Dividends": div.reindex(adj.index).fillna(0.0).to_numpy(), "Stock Splits": 0.0, "Capital Gains": 0.0,
    }, index=idx)


def history_frame(t: str, n: int = N_DAYS, tz: str = "America/New_York") -> pd.DataFrame:
    """Ticker.history(period='max', auto_adjust=True, actions=True) for an ETF, from real data."""
    adj = SNAP.adj_close[t].dropna().iloc[-n:]
    return bars(adj, SNAP.dividends[t], tz)


def combine(dfs: dict[str, pd.DataFrame], ignore_tz: bool = True, group_by: str = "column") -> pd.DataFrame:
    """The tail of yfinance.multi._download_impl (+ reindex_dfs), verbatim in effect."""
    dfs = {k: v.copy() for k, v in dfs.items()}
    if ignore_tz:
        for df in dfs.values():
            if df is not None and df.shape[0] > 0:
                df.index = df.index.tz_localize(None)
    else:
        tzs = [str(df.index.tz) for df in dfs.values() if df is not None and not df.empty]
        if tzs:
            u, c = np.unique(tzs, return_counts=True)
            mode = u[c.argmax()]
            for df in dfs.values():
                if df is not None and not df.empty:
                    df.index = df.index.tz_convert(mode)
    idx = None
    for df in dfs.values():
        if df is not None and not df.empty:
            idx = df.index if idx is None else idx.union(df.index)
    if idx is None:
        idx = pd.DatetimeIndex([])
    dfs = {k: df.reindex(idx) for k, df in dfs.items()}
    data = pd.concat(dfs.values(), axis=1, sort=True, keys=dfs.keys(), names=["Ticker", "Price"])
    if group_by == "column" and isinstance(data.columns, pd.MultiIndex):
        data.columns = data.columns.swaplevel(0, 1)
        data = data.sort_index(level=0, axis=1)  # yfinance: inplace=True
    return data


def _ignore_tz(kwargs, force=None) -> bool:
    if force is not None:
        return force
    if kwargs.get("ignore_tz") is not None:
        return kwargs["ignore_tz"]
    return kwargs.get("interval", "1d")[-1] not in ("m", "h")


class FakeDownload:
    """Stands in for yfinance.download; ``frames[t]`` is a history frame or None (= failed)."""

    def __init__(self, frames=None, ignore_tz=None, exc=None):
        self.frames = frames if frames is not None else {t: history_frame(t) for t in ("SPY", "QQQ")}
        self.force_ignore_tz = ignore_tz
        self.exc = exc
        self.calls = []

    def __call__(self, tickers, **kwargs):
        self.calls.append(((tickers,), kwargs))
        if self.exc is not None:
            raise self.exc
        syms = list(dict.fromkeys(t.upper() for t in tickers))
        dfs = {t: empty_df() if self.frames.get(t) is None else self.frames[t] for t in syms}
        return combine(dfs, ignore_tz=_ignore_tz(kwargs, self.force_ignore_tz), group_by=kwargs.get("group_by", "column"))


# --------------------------------------------------------------------------- a world that moves on
class YahooWorld:
    """Yahoo Finance as seen on ``day``: real closes up to that day, adjusted for the dividends known then.

    Mutate it between runs: ``day`` (time passes), ``fail`` (tickers that come back
    empty), ``script`` (per call: ``"429"`` = every ticker empty, ``"raise"`` =
    ``ConnectionError``, ``"ok"``), ``extra_dividends`` (a dividend Yahoo now knows),
    ``revisions`` ({(ticker, date): factor} on the raw close), ``end`` (Yahoo
    lags: the last row it serves).  A run during the session (``now`` before the
    close of ``day``) still gets a row for ``day``: Yahoo serves the live price.
    """

    def __init__(self, day: str, tickers=("SPY", "QQQ"), first: str = "2016-01-04"):
        self.day = pd.Timestamp(day)
        self.tickers = list(tickers)
        self.first = pd.Timestamp(first)
        data = SnapshotSource().load(self.tickers)
        self.close, self.dividends = data.close, data.dividends
        self.fail: set[str] = set()
        self.script: list[str] = []
        self.extra_dividends: dict[tuple[str, str], float] = {}
        self.revisions: dict[tuple[str, str], float] = {}
        self.end: pd.Timestamp | None = None
        self.calls: list[dict] = []

    def adjusted(self, t: str) -> tuple[pd.Series, pd.Series]:
        """(adjusted close, dividends) for ``t`` as Yahoo serves them on ``self.day``."""
        last = self.day if self.end is None else min(self.day, self.end)
        close = self.close[t].dropna()
        close = close[(close.index >= self.first) & (close.index <= last)].copy()
        for (tt, d), f in self.revisions.items():
            if tt == t and pd.Timestamp(d) in close.index:
                close[pd.Timestamp(d)] *= f
        divs = self.dividends[t].dropna()
        for (tt, d), amount in self.extra_dividends.items():
            if tt == t:
                divs[pd.Timestamp(d)] = amount
        divs = divs.sort_index()
        divs = divs[(divs.index <= self.day) & (divs.index >= self.first)]
        factor = np.ones(len(close))
        a = close.to_numpy()
        for e, d in divs.items():  # Yahoo: every day before the ex-date times 1 - D / close[previous day]
            pos = int(close.index.searchsorted(e))
            if 0 < pos <= len(a):
                factor[:pos] *= 1.0 - d / a[pos - 1]
        return pd.Series(a * factor, index=close.index), divs

    def download(self, tickers, **kwargs):
        """The fake ``yfinance.download``."""
        self.calls.append({"tickers": list(tickers), **kwargs})
        mode = self.script.pop(0) if self.script else "ok"
        if mode == "raise":
            raise ConnectionError("HTTPSConnectionPool(host='query2.finance.yahoo.com'): Max retries exceeded")
        start = pd.Timestamp(kwargs["start"]) if "start" in kwargs else None
        dfs = {}
        for t in dict.fromkeys(x.upper() for x in tickers):
            if mode == "429" or t in self.fail or t not in self.tickers:
                dfs[t] = empty_df()
                continue
            adj, divs = self.adjusted(t)
            if start is not None:
                adj = adj[adj.index >= start]
            dfs[t] = bars(adj, divs)
        return combine(dfs, ignore_tz=_ignore_tz(kwargs), group_by=kwargs.get("group_by", "column"))

    def source(self, sleeps: list | None = None, **kw) -> YahooSource:
        """A YahooSource on this world; sleeps are recorded in ``sleeps`` instead of slept."""
        sleeps = [] if sleeps is None else sleeps
        return YahooSource(download=self.download, ticker=FakeTicker, today=self.day.date(),
                           sleep=sleeps.append, **kw)


class FakeClock:
    """``time.monotonic`` that advances only when the fake sleep is called."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.now += s


# --------------------------------------------------------------------------- fund facts
def fund_operations(symbol, er=0.0009):
    """FundsData._parse_fund_profile's fund_operations frame."""
    return pd.DataFrame({
        "Attributes": ["Annual Report Expense Ratio", "Annual Holdings Turnover", "Total Net Assets"],
        symbol: [er, 0.03, 134308.94],
        "Category Average": [0.0036000002, 50.76, pd.NA],
    }).set_index("Attributes")


def top_holdings(rows):
    """FundsData._parse_top_holdings's top_holdings frame."""
    return pd.DataFrame({
        "Symbol": [r[0] for r in rows],
        "Name": [r[1] for r in rows],
        "Holding Percent": [r[2] for r in rows],
    }).set_index("Symbol")


SECTORS_RAW = [{"realestate": 0.0213}, {"consumer_cyclical": 0.1031}, {"basic_materials": 0.0178},
               {"consumer_defensive": 0.0552}, {"technology": 0.3357}, {"communication_services": 0.0951},
               {"financial_services": 0.1346}, {"utilities": 0.0235}, {"industrials": 0.0798},
               {"energy": 0.0301}, {"healthcare": 0.0928}]


class FakeFunds:
    def __init__(self, symbol, er=0.0009, holdings=None, sectors=None):
        self.fund_operations = fund_operations(symbol, er)
        self.top_holdings = top_holdings(holdings if holdings is not None else [
            ("NVDA", "NVIDIA Corp", 0.0781), ("MSFT", "Microsoft Corp", 0.0702), ("AAPL", "Apple Inc", 0.0633)])
        # FundsData: dict((key, d[key]) for d in data.get("sectorWeightings", []) for key in d)
        raw = SECTORS_RAW if sectors is None else sectors
        self.sector_weightings = dict((k, d[k]) for d in raw for k in d)


INFO = {"quoteType": "ETF", "totalAssets": 709_987_008_512, "yield": 0.0112,
        "dividendYield": 1.12, "netExpenseRatio": 0.0945, "trailingAnnualDividendYield": 0.0109}


class FakeTicker:
    """Stands in for yfinance.Ticker(t): .ticker, .funds_data, .info."""

    created: list[str] = []  # every symbol a FakeTicker was made for (class-wide; tests reset it)

    def __init__(self, symbol, funds=None, info=None, funds_exc=None, info_exc=None):
        FakeTicker.created.append(symbol)
        self.ticker = symbol.upper()
        self._funds = funds if funds is not None else FakeFunds(self.ticker)
        self._info = dict(INFO) if info is None else info
        self._funds_exc, self._info_exc = funds_exc, info_exc

    @property
    def funds_data(self):
        if self._funds_exc:
            raise self._funds_exc
        return self._funds

    @property
    def info(self):
        if self._info_exc:
            raise self._info_exc
        return self._info


def source(download=None, ticker=FakeTicker, **kw):
    """A YahooSource on fakes that never sleeps."""
    kw.setdefault("sleep", lambda s: None)
    return YahooSource(download=download or FakeDownload(), ticker=ticker, today=TODAY, **kw)

"""Yahoo Finance over a fake HTTP layer: the real yfinance 1.7 code, answered from the embedded snapshot.

Every HTTP request yfinance makes goes through ``curl_cffi.requests.Session.request``
(``yfinance/_http.py`` picks curl_cffi; ``YfData.get``/``post`` and the cookie and crumb
handshake call ``session.get``/``session.post``, which call ``request``).  :class:`YahooHTTP`
replaces that one method for every session in the process and answers like Yahoo does:

- ``https://fc.yahoo.com``: 404 with the ``A3`` cookie (yfinance's "basic" cookie strategy);
- ``https://guce.yahoo.com/consent``: the page a US visitor gets (no consent form), so the
  "csrf" strategy, tried after any HTTP error, finds no token and falls back;
- ``/v1/test/getcrumb`` (query1 and query2): the crumb, if the session holds the cookie;
- ``/v8/finance/chart/T``: ``range=1d`` is the time-zone probe yfinance sends once per ticker
  (then cached in its tz cache); ``period1``/``period2`` the daily bars: ``timestamp`` (each
  session's open, UTC seconds), ``indicators.quote`` (open/high/low/close/volume, close
  split-adjusted), ``indicators.adjclose`` (Yahoo's dividend adjustment: every day before an
  ex-date times ``1 - D / close[day before]``), ``events.dividends`` and ``events.splits``;
  an unknown ticker is a 404 with Yahoo's chart error;
- ``/v10/finance/quoteSummary/T`` (needs cookie and crumb, else 401 "Invalid Crumb"):
  the modules asked for among ``quoteType``, ``summaryProfile``, ``topHoldings``,
  ``fundProfile`` (``Ticker.funds_data``), ``summaryDetail``, ``defaultKeyStatistics``,
  ``assetProfile``, ``price`` (``Ticker.info``); ``formatted=false`` values are raw numbers;
- ``/v7/finance/quote`` (cookie and crumb): ``quoteResponse.result``;
- ``/ws/fundamentals-timeseries/...`` (``Ticker.info``'s trailing PEG ratio): no data, as for an ETF.

Any other URL is recorded in :attr:`YahooHTTP.unknown` and raises :class:`UnknownURL`; the
fixtures and the replay fail when that list is not empty (yfinance swallows most exceptions).

The market is the snapshot (``data/snapshot/*.parquet``, every ticker it holds) as Yahoo would
serve it at :attr:`YahooHTTP.now` (New York time): sessions up to then, the session in
progress as a partial bar, dividends whose ex-date has come, adjusted closes adjusted only for
those.  Scripted per test: :meth:`YahooHTTP.fail` (HTTP 429/404/500, network errors, time-outs,
an outage page; per ticker and endpoint; a number of times or until a virtual time),
:attr:`missing` tickers, :meth:`revise` an old close, :meth:`add_dividend`, :meth:`split`,
:attr:`frozen` (Yahoo stops updating a ticker), :attr:`funds` (fund facts, ``None`` = none).

Time: :meth:`YahooHTTP.sleep` and :meth:`YahooHTTP.clock` are a virtual clock (the retries of
``versus.sources.yahoo.YahooSource`` wait on it, instantly); rules with ``until`` use it.

Use it in pytest with the :func:`yahoo` fixture factory, or as a context manager
(``with http.installed(tmp): ...``) in scripts such as ``tests/replay.py``.
"""
from __future__ import annotations

import contextlib
import http.cookiejar
import json
import tempfile
import threading
import time as _time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "data" / "snapshot"
NY = "America/New_York"
CRUMB = "Fk3Cr.umb0"
DATA_ENDPOINTS = frozenset({"tz", "chart", "quoteSummary", "quote", "timeseries"})
ALL_ENDPOINTS = frozenset({"cookie", "crumb", "consent"}) | DATA_ENDPOINTS
MODULES = frozenset({"quoteType", "summaryProfile", "topHoldings", "fundProfile", "summaryDetail",
                     "defaultKeyStatistics", "assetProfile", "price"})


class UnknownURL(AssertionError):
    """yfinance asked for a URL the fake does not serve (a new yfinance, or a new code path)."""


# --------------------------------------------------------------------------- the market
class Market:
    """The snapshot's closes and dividends, every ticker it holds (read once per process).

    ``close`` is the split-adjusted close; where the snapshot has no close (SCHA, VTI's last
    two months) it is rebuilt from the adjusted close and the dividends (Yahoo has both).
    """

    _cache: dict[Path, "Market"] = {}

    def __init__(self, folder: Path = SNAPSHOT):
        from versus.sources.yahoo import unadjust  # only to fill the closes the snapshot lacks

        prices = pd.read_parquet(folder / "prices.parquet")
        divs = pd.read_parquet(folder / "dividends.parquet")
        prices["ticker"] = prices["ticker"].astype(str)
        divs["ticker"] = divs["ticker"].astype(str)
        self.tickers = sorted(prices["ticker"].unique())
        self.close: dict[str, pd.Series] = {}
        self.dividends: dict[str, pd.Series] = {}
        for t in self.tickers:
            p = prices[prices["ticker"] == t].set_index(pd.DatetimeIndex(prices.loc[prices["ticker"] == t, "date"]))
            p = p.sort_index()
            p.index = p.index.as_unit("ns").normalize()
            d = divs[divs["ticker"] == t]
            dv = pd.Series(d["amount"].to_numpy(dtype="float64"),
                           index=pd.DatetimeIndex(d["ex_date"]).as_unit("ns").normalize()).groupby(level=0).sum()
            close = p["close"].astype("float64")
            if close.isna().any():
                close = close.fillna(unadjust(p["adj_close"].astype("float64"), dv))
            self.close[t] = close.dropna()
            self.dividends[t] = dv.sort_index()

    @classmethod
    def load(cls, folder: Path = SNAPSHOT) -> "Market":
        folder = Path(folder)
        if folder not in cls._cache:
            cls._cache[folder] = cls(folder)
        return cls._cache[folder]

    def last_common(self, tickers) -> pd.Timestamp:
        return min(self.close[t].index[-1] for t in tickers)


_CALENDAR = None


def calendar():
    """The XNYS calendar (exchange-calendars, offline), for session open and close times."""
    global _CALENDAR
    if _CALENDAR is None:
        import warnings

        import exchange_calendars as xcals

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _CALENDAR = xcals.get_calendar("XNYS", start="1990-01-01", end="2030-12-31")
    return _CALENDAR


_TIMES: dict = {}


def session_times(day: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(open, close) of the NYSE session on ``day`` (UTC); 09:30-16:00 New York if not a session."""
    d = pd.Timestamp(day).normalize().tz_localize(None)
    if d not in _TIMES:
        cal = calendar()
        if cal.is_session(d):
            _TIMES[d] = cal.session_open(d), cal.session_close(d)
        else:
            o = pd.Timestamp(d.date().isoformat() + " 09:30", tz=NY).tz_convert("UTC")
            _TIMES[d] = o, o + pd.Timedelta(hours=6, minutes=30)
    return _TIMES[d]


def open_seconds(days: pd.DatetimeIndex) -> np.ndarray:
    """Each day's session open in UTC seconds (vectorized :func:`session_times`)."""
    opens = calendar().opens
    idx = pd.DatetimeIndex(days).as_unit("ns")
    got = opens.reindex(idx)
    out = np.empty(len(idx), dtype=np.int64)
    ok = got.notna().to_numpy()
    out[ok] = pd.DatetimeIndex(got[ok]).as_unit("s").asi8
    for i in np.flatnonzero(~ok):
        out[i] = int(session_times(idx[i])[0].timestamp())
    return out


def ny(value) -> pd.Timestamp:
    """A New York timestamp: naive values are New York time, a bare date is 18:35 that day."""
    if isinstance(value, str) and len(value.strip()) <= 10:
        value = value.strip() + " 18:35"
    ts = pd.Timestamp(value)
    return ts.tz_localize(NY) if ts.tzinfo is None else ts.tz_convert(NY)


# --------------------------------------------------------------------------- scripting
@dataclass
class Rule:
    """Answer matching requests with ``status`` instead of data.

    ``status``: an HTTP status (429, 404, 500, 503...), ``"network"`` (curl's ConnectionError:
    could not connect), ``"dns"``, ``"timeout"``, or ``"down"`` (200 with Yahoo's "Will be
    right back" page).  ``tickers`` / ``endpoints``: which requests (``None`` = all tickers;
    endpoints among :data:`ALL_ENDPOINTS`).  ``times``: how many matching requests fail
    (``None`` = all); ``until``: only before this virtual time (seconds).
    """

    status: int | str
    tickers: frozenset | None = None
    endpoints: frozenset = ALL_ENDPOINTS
    times: int | None = None
    until: float | None = None
    hits: int = 0

    def matches(self, endpoint: str, ticker: str | None, clock: float) -> bool:
        if endpoint not in self.endpoints:
            return False
        if self.tickers is not None and ticker not in self.tickers:
            return False
        if self.until is not None and clock >= self.until:
            return False
        return self.times is None or self.hits < self.times


@dataclass
class Request:
    """One request yfinance made, and what it got (``status``: HTTP status or the error raised)."""

    method: str
    endpoint: str
    ticker: str | None
    url: str
    params: dict
    status: int | str
    at: float


@dataclass
class Fund:
    """What Yahoo knows about a fund (quoteSummary, v7 quote).  Test values, not published facts (only
    the names are the funds' real names; expense ratios and assets are of the order of the curated
    ones, so that the shipped commentary claims are decided by the prices, not by this fake).

    ``yield_``: summaryDetail ``yield`` (fraction); ``"trailing"`` = the snapshot's dividends of the
    last 365 days over the last close, computed per request (it moves with :attr:`YahooHTTP.now`).
    ``net_expense_ratio`` / ``dividend_yield`` (v7 quote, percentage points): ``"same"`` = the
    fraction above times 100.  ``profile=False``: no ``topHoldings`` / ``fundProfile`` modules
    (yfinance's ``funds_data`` then raises "No Fund data found").  ``None`` anywhere = absent.
    """

    long_name: str | None
    short_name: str | None
    expense_ratio: float | None = 0.0009
    total_assets: float | None = 5.0e11
    yield_: float | str | None = "trailing"
    net_expense_ratio: float | str | None = "same"
    dividend_yield: float | str | None = "same"
    profile: bool = True
    family: str = "Test Fund Family"
    category: str = "Large Blend"
    holdings: list = field(default_factory=lambda: [("NVDA", "NVIDIA Corp", 0.0781), ("MSFT", "Microsoft Corp", 0.0702),
                                                   ("AAPL", "Apple Inc", 0.0633)])
    sectors: list = field(default_factory=lambda: [
        {"realestate": 0.0213}, {"consumer_cyclical": 0.1031}, {"basic_materials": 0.0178},
        {"consumer_defensive": 0.0552}, {"technology": 0.3357}, {"communication_services": 0.0951},
        {"financial_services": 0.1346}, {"utilities": 0.0235}, {"industrials": 0.0798},
        {"energy": 0.0301}, {"healthcare": 0.0928}])


FUNDS = {  # long name, short name, expense ratio, total assets
    "QQQ": ("Invesco QQQ Trust, Series 1", "Invesco QQQ Trust, Series 1", 0.0018, 3.95e11),
    "IWM": ("iShares Russell 2000 ETF", "iShares Russell 2000 ETF", 0.0019, 7.4e10),
    "SPY": ("SPDR S&P 500 ETF Trust", "SPDR S&P 500", 0.000945, 6.5e11),
    "VOO": ("Vanguard S&P 500 ETF", "Vanguard S&P 500 ETF", 0.0003, 7.0e11),
    "DIA": ("SPDR Dow Jones Industrial Average ETF Trust", "SPDR Dow Jones Industrial Average", 0.0016, 3.5e10),
    "VTI": ("Vanguard Total Stock Market ETF", "Vanguard Total Stock Market ETF", 0.0003, 5.0e11),
    "SCHA": ("Schwab U.S. Small-Cap ETF", "Schwab U.S. Small-Cap ETF", 0.0004, 1.9e10),
}


def default_fund(t: str) -> Fund:
    long_name, short_name, er, aum = FUNDS.get(t, (f"{t} Test ETF", f"{t} Test ETF", 0.0009, 5.0e11))
    return Fund(long_name, short_name, expense_ratio=er, total_assets=aum)


# --------------------------------------------------------------------------- the fake
class YahooHTTP:
    """Yahoo Finance for the real yfinance, at :attr:`now`; see the module docstring."""

    def __init__(self, now="2026-07-31T18:35", folder: Path = SNAPSHOT):
        self.market = Market.load(folder)
        calendar()  # here, not in a yfinance thread: building it changes the process's warning filters
        self.now = ny(now)
        self.rules: list[Rule] = []
        self.requests: list[Request] = []
        self.unknown: list[str] = []
        self.missing: set[str] = set()              # tickers Yahoo does not know (404)
        self.frozen: dict[str, pd.Timestamp] = {}    # ticker -> last bar Yahoo serves
        self.revisions: dict[tuple[str, pd.Timestamp], float] = {}
        self.extra_dividends: dict[tuple[str, pd.Timestamp], float] = {}
        self.splits: dict[tuple[str, pd.Timestamp], float] = {}
        self.funds: dict[str, Fund | None] = {}
        self.virtual = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.RLock()

    # -- scripting -----------------------------------------------------------
    def at(self, now) -> "YahooHTTP":
        """Move the clock of the world to ``now`` (New York time; a bare date = 18:35)."""
        self.now = ny(now)
        return self

    def fail(self, status: int | str = 429, tickers=None, endpoints=ALL_ENDPOINTS, times: int | None = None,
             until: float | None = None) -> Rule:
        """Add a :class:`Rule`; see there."""
        rule = Rule(status, None if tickers is None else frozenset(tickers), frozenset(endpoints), times, until)
        self.rules.append(rule)
        return rule

    def revise(self, ticker: str, day, factor: float) -> None:
        """Yahoo corrects the close of ``day`` (times ``factor``), from now on."""
        self.revisions[(ticker, pd.Timestamp(day))] = factor

    def add_dividend(self, ticker: str, day, amount: float) -> None:
        """A dividend the snapshot does not have (ex-date ``day``), known once that day has a bar."""
        self.extra_dividends[(ticker, pd.Timestamp(day))] = amount

    def split(self, ticker: str, day, ratio: float) -> None:
        """A ``ratio``-for-1 split effective ``day``: from that day Yahoo's prices (and, once it is known,
        its whole split-adjusted history and dividends) are divided by ``ratio``."""
        self.splits[(ticker, pd.Timestamp(day))] = float(ratio)

    def fund(self, t: str) -> Fund | None:
        return self.funds[t] if t in self.funds else default_fund(t)

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- the virtual clock ---------------------------------------------------
    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.virtual += seconds

    def clock(self) -> float:
        return self.virtual

    # -- what Yahoo serves at `now` --------------------------------------------
    def known(self, t: str) -> bool:
        return t in self.market.close and t not in self.missing

    def series(self, t: str) -> dict[str, Any]:
        """``{"bars": DataFrame(ts, open, high, low, close, adjclose, volume), "dividends": Series,
        "splits": {day: ratio}}`` for ``t`` at :attr:`now`."""
        base = self.market.close[t]
        now_utc = self.now.tz_convert("UTC")
        today = pd.Timestamp(self.now.date())
        days = base.index[base.index <= today]
        if t in self.frozen:
            days = days[days <= self.frozen[t]]
        close = base.reindex(days).copy()
        partial = None
        if len(days):
            o, c = session_times(days[-1])
            if now_utc < o:
                close, days = close.iloc[:-1], days[:-1]
            elif now_utc < c:  # the session in progress: the price so far
                f = float((now_utc - o) / (c - o))
                prev = close.iloc[-2] if len(close) > 1 else close.iloc[-1]
                close.iloc[-1] = prev + (close.iloc[-1] - prev) * f
                partial = days[-1]
        for (tt, d), factor in self.revisions.items():
            if tt == t and d in close.index and d != partial:
                close[d] *= factor
        last = days[-1] if len(days) else None
        divs = self.market.dividends[t].copy()
        for (tt, d), amount in self.extra_dividends.items():
            if tt == t:
                divs[d] = amount
        divs = divs.sort_index()
        divs = divs[divs.index <= last] if last is not None else divs.iloc[:0]
        splits = {d: r for (tt, d), r in sorted(self.splits.items()) if tt == t}
        for d, r in splits.items():
            if last is not None and d <= last:   # known: the whole history is split-adjusted
                close = close / r
                divs = divs.where(divs.index >= d, divs / r)
            # not yet known: prices before d are the pre-split ones (nothing to change)
        splits = {d: r for d, r in splits.items() if last is not None and d <= last}
        if len(close) and divs.size:
            a = close.to_numpy(dtype="float64")
            factor = np.ones(len(a))
            for e, d in divs.items():
                pos = int(close.index.searchsorted(e))
                if pos > 0:
                    factor[:pos] *= 1.0 - d / a[pos - 1]
            adj = a * factor
        else:
            adj = close.to_numpy(dtype="float64")
        opens = open_seconds(close.index)
        bars = pd.DataFrame({"ts": opens, "open": close.to_numpy(), "high": close.to_numpy(),
                             "low": close.to_numpy(), "close": close.to_numpy(), "adjclose": adj,
                             "volume": np.full(len(close), 1_000_000, dtype=np.int64)}, index=close.index)
        return {"bars": bars, "dividends": divs, "splits": splits, "partial": partial}

    # -- the HTTP layer --------------------------------------------------------
    def handle(self, session, method: str, url: str, params: dict | None) -> Any:
        """Answer one request (``session`` is the curl_cffi Session yfinance made it with)."""
        from curl_cffi.requests import exceptions as cx

        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.update({k: v for k, v in (params or {}).items()})
        host, path = parts.hostname or "", parts.path.rstrip("/")
        endpoint, ticker = self._route(host, path, query)
        with self._lock:
            clock = self.virtual
            if endpoint is None:
                self.unknown.append(f"{method} {url}")
                self.requests.append(Request(method, "unknown", None, url, query, "unknown", clock))
                raise UnknownURL(f"fake Yahoo: no handler for {method} {url} (params {query})")
            rule = next((r for r in self.rules if r.matches(endpoint, ticker, clock)), None)
            if rule is not None:
                rule.hits += 1
            status = rule.status if rule is not None else 200
            self.requests.append(Request(method, endpoint, ticker, url, query, status, clock))
        if status == "network":
            raise cx.ConnectionError(f"Failed to perform, curl: (7) Failed to connect to {host} port 443 after "
                                     "1 ms: Couldn't connect to server.", 7)
        if status == "dns":
            raise cx.DNSError(f"Failed to perform, curl: (6) Could not resolve host: {host}.", 6)
        if status == "timeout":
            raise cx.Timeout(f"Failed to perform, curl: (28) Operation timed out after 30001 milliseconds "
                             f"with 0 bytes received.", 28)
        if status == "down":
            return _response(url, 200, "<html><body>Will be right back...</body></html>", "text/html")
        if status == 429:
            return _response(url, 429, "Edge: Too Many Requests", "text/html")
        if isinstance(status, int) and status >= 400:
            return _response(url, status, json.dumps(_error(endpoint, status)))
        return getattr(self, f"_serve_{endpoint}")(session, url, query, ticker)

    @staticmethod
    def _route(host: str, path: str, query: dict) -> tuple[str | None, str | None]:
        if host == "fc.yahoo.com" and path == "":
            return "cookie", None
        if host == "guce.yahoo.com" and path == "/consent":
            return "consent", None
        if host not in ("query1.finance.yahoo.com", "query2.finance.yahoo.com"):
            return None, None
        if path == "/v1/test/getcrumb":
            return "crumb", None
        for prefix, endpoint in (("/v8/finance/chart/", "chart"), ("/v10/finance/quoteSummary/", "quoteSummary"),
                                 ("/ws/fundamentals-timeseries/v1/finance/timeseries/", "timeseries")):
            if path.startswith(prefix) and "/" not in path[len(prefix):]:
                t = path[len(prefix):].upper()
                if endpoint == "chart" and query.get("range") == "1d" and "period1" not in query:
                    return "tz", t
                return endpoint, t
        if path == "/v7/finance/quote":
            return "quote", str(query.get("symbols", "")).upper() or None
        return None, None

    # -- handlers --------------------------------------------------------------
    def _serve_cookie(self, session, url, query, ticker):
        expires = int(_time.time()) + 365 * 86400
        session.cookies.jar.set_cookie(http.cookiejar.Cookie(
            0, "A3", "d=AQABBFakeCookie&S=AQAAAFake", None, False, ".yahoo.com", True, True, "/", True, True,
            expires, False, None, None, {}))
        return _response(url, 404, "<html><body>404 Not Found</body></html>", "text/html")

    def _serve_consent(self, session, url, query, ticker):
        return _response(url, 200, "<html><body>No consent needed</body></html>", "text/html")

    @staticmethod
    def _has_cookie(session) -> bool:
        return any(c.name == "A3" for c in session.cookies.jar)

    def _serve_crumb(self, session, url, query, ticker):
        if not self._has_cookie(session):
            return _response(url, 403, "", "text/plain")
        return _response(url, 200, CRUMB, "text/plain")

    def _serve_tz(self, session, url, query, ticker):
        return self._serve_chart(session, url, query, ticker, probe=True)

    def _serve_chart(self, session, url, query, ticker, probe: bool = False):
        if not self.known(ticker):
            return _response(url, 404, json.dumps(_error("chart", 404)))
        s = self.series(ticker)
        bars = s["bars"]
        if probe:
            bars = bars.iloc[-1:]
            divs, splits = s["dividends"].iloc[:0], {}
        else:
            p1, p2 = int(query.get("period1", 0)), int(query.get("period2", 2**40))
            p2 = min(p2, int(self.now.tz_convert("UTC").timestamp()) + 1)
            bars = bars[(bars["ts"] >= p1) & (bars["ts"] < p2)]
            first = bars.index[0] if len(bars) else None
            divs = s["dividends"][s["dividends"].index >= first] if first is not None else s["dividends"].iloc[:0]
            splits = {d: r for d, r in s["splits"].items() if first is not None and d >= first}
        meta = self._chart_meta(ticker, s, probe)
        if bars.empty:
            result = {"meta": meta, "indicators": {"quote": [{}], "adjclose": [{}]}}
        else:
            def col(name, cast=float):
                return [cast(x) for x in bars[name].to_numpy()]

            result = {"meta": meta, "timestamp": col("ts", int),
                      "indicators": {"quote": [{"open": col("open"), "high": col("high"), "low": col("low"),
                                                "close": col("close"), "volume": col("volume", int)}],
                                     "adjclose": [{"adjclose": col("adjclose")}]}}
            events = {}
            if len(divs):
                events["dividends"] = {str(_open_ts(d)): {"amount": float(a), "date": _open_ts(d)}
                                       for d, a in divs.items()}
            if splits:
                events["splits"] = {str(_open_ts(d)): {"date": _open_ts(d), "numerator": float(r),
                                                       "denominator": 1.0, "splitRatio": f"{r:g}:1"}
                                    for d, r in splits.items()}
            if events:
                result["events"] = events
        return _response(url, 200, json.dumps({"chart": {"result": [result], "error": None}}))

    def _chart_meta(self, t: str, s: dict, probe: bool) -> dict:
        bars = s["bars"]
        last = bars.index[-1] if len(bars) else pd.Timestamp(self.now.date())
        o, c = session_times(last)
        pre, post = o - pd.Timedelta(hours=5, minutes=30), c + pd.Timedelta(hours=4)
        offset = int(self.now.utcoffset().total_seconds())
        tzname = self.now.tzname()

        def period(a, b):
            return {"timezone": tzname, "start": int(a.timestamp()), "end": int(b.timestamp()), "gmtoffset": offset}

        fund = self.fund(t)
        price = float(bars["close"].iloc[-1]) if len(bars) else None
        return {"currency": "USD", "symbol": t, "exchangeName": "PCX", "fullExchangeName": "NYSEArca",
                "instrumentType": "ETF", "firstTradeDate": _open_ts(self.market.close[t].index[0]),
                "regularMarketTime": int(min(self.now.tz_convert("UTC"), c).timestamp()),
                "hasPrePostMarketData": True, "gmtoffset": offset, "timezone": tzname,
                "exchangeTimezoneName": NY, "regularMarketPrice": price,
                "longName": (fund.long_name if fund else None) or t, "shortName": (fund.short_name if fund else None) or t,
                "chartPreviousClose": float(bars["close"].iloc[-2]) if len(bars) > 1 else price,
                "priceHint": 2,
                "currentTradingPeriod": {"pre": period(pre, o), "regular": period(o, c), "post": period(c, post)},
                "dataGranularity": "1d", "range": "1d" if probe else "",
                "validRanges": ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"]}

    def _crumb_ok(self, session, query) -> bool:
        return self._has_cookie(session) and query.get("crumb") == CRUMB

    def _trailing_yield(self, t: str, s: dict) -> float | None:
        bars = s["bars"]
        if bars.empty:
            return None
        last = bars.index[-1]
        divs = s["dividends"]
        year = divs[(divs.index > last - pd.Timedelta(days=365)) & (divs.index <= last)]
        return float(year.sum() / bars["close"].iloc[-1])

    def _yield(self, fund: Fund | None, t: str, s: dict) -> float | None:
        if fund is None or fund.yield_ is None:
            return None
        return self._trailing_yield(t, s) if fund.yield_ == "trailing" else float(fund.yield_)

    def _serve_quoteSummary(self, session, url, query, ticker):
        if not self._crumb_ok(session, query):
            return _response(url, 401, json.dumps(_error("quoteSummary", 401)))
        asked = [m for m in str(query.get("modules", "")).split(",") if m]
        unknown = [m for m in asked if m not in MODULES and m != "financialData"]
        if unknown:
            self.unknown.append(f"quoteSummary modules {unknown}")
            raise UnknownURL(f"fake Yahoo: quoteSummary modules {unknown} not served")
        fund = self.fund(ticker) if self.known(ticker) else None
        if fund is None:
            return _response(url, 404, json.dumps({"quoteSummary": {"result": None, "error": {
                "code": "Not Found", "description": f"Quote not found for symbol: {ticker}"}}}))
        s = self.series(ticker)
        y = self._yield(fund, ticker, s)
        price = float(s["bars"]["close"].iloc[-1]) if len(s["bars"]) else None
        names = {k: v for k, v in (("longName", fund.long_name), ("shortName", fund.short_name)) if v}
        assets = {"totalAssets": fund.total_assets} if fund.total_assets else {}
        modules = {
            "quoteType": {"exchange": "PCX", "quoteType": "ETF", "symbol": ticker, "underlyingSymbol": ticker,
                          **names, "firstTradeDateEpochUtc": _open_ts(self.market.close[ticker].index[0]),
                          "timeZoneFullName": NY, "timeZoneShortName": self.now.tzname(), "market": "us_market",
                          "messageBoardId": f"finmb_{ticker}", "gmtOffSetMilliseconds": -14400000, "maxAge": 1},
            "summaryProfile": {"longBusinessSummary": f"{fund.long_name}: a test description.",
                               "companyOfficers": [], "executiveTeam": [], "maxAge": 86400},
            "price": {"maxAge": 1, "symbol": ticker, **names, "quoteType": "ETF", "currency": "USD",
                      "currencySymbol": "$", "exchange": "PCX", "exchangeName": "NYSEArca",
                      "regularMarketPrice": price},
            "summaryDetail": {"maxAge": 1, "priceHint": 2, "previousClose": price, "currency": "USD",
                              "tradeable": False, "navPrice": price, **assets,
                              **({"yield": y, "trailingAnnualDividendYield": y} if y is not None else {})},
            "defaultKeyStatistics": {"maxAge": 1, "priceHint": 2, "legalType": "Exchange Traded Fund",
                                     "fundFamily": fund.family, "category": fund.category, **assets,
                                     **({"yield": y} if y is not None else {})},
            "assetProfile": {"longBusinessSummary": f"{fund.long_name}: a test description.",
                             "companyOfficers": [], "executiveTeam": [], "maxAge": 86400},
        }
        if fund.profile:
            modules["topHoldings"] = {
                "maxAge": 1, "cashPosition": 0.001, "stockPosition": 0.999, "bondPosition": 0.0,
                "otherPosition": 0.0, "preferredPosition": 0.0, "convertiblePosition": 0.0,
                "holdings": [{"symbol": sym, "holdingName": name, "holdingPercent": w}
                             for sym, name, w in fund.holdings],
                "equityHoldings": {"priceToEarnings": 0.0413, "priceToBook": 0.2011, "maxAge": 1},
                "bondHoldings": {"maxAge": 1}, "bondRatings": [{"bb": 0.0}, {"aa": 0.0}],
                "sectorWeightings": fund.sectors}
            ops = {"annualHoldingsTurnover": 0.03,
                   **({"annualReportExpenseRatio": fund.expense_ratio} if fund.expense_ratio is not None else {}),
                   **({"totalNetAssets": fund.total_assets / 1e6} if fund.total_assets else {})}
            modules["fundProfile"] = {"maxAge": 1, "styleBoxUrl": "", "family": fund.family,
                                      "categoryName": fund.category, "legalType": "Exchange Traded Fund",
                                      "managementInfo": {}, "feesExpensesInvestment": ops,
                                      "feesExpensesInvestmentCat": {"annualReportExpenseRatio": 0.0036,
                                                                    "annualHoldingsTurnover": 50.76},
                                      "initInvestment": 0, "initIraInvestment": 0, "initAipInvestment": 0,
                                      "subseqInvestment": 0, "subseqIraInvestment": 0,
                                      "subseqAipInvestment": 0, "brokerages": []}
        result = {m: modules[m] for m in asked if m in modules}
        if not result:
            return _response(url, 404, json.dumps({"quoteSummary": {"result": None, "error": {
                "code": "Not Found", "description": f"No fundamentals data found for symbol: {ticker}"}}}))
        return _response(url, 200, json.dumps({"quoteSummary": {"result": [result], "error": None}}))

    def _serve_quote(self, session, url, query, ticker):
        if not self._crumb_ok(session, query):
            return _response(url, 401, json.dumps({"finance": {"result": None, "error": {
                "code": "Unauthorized", "description": "Invalid Crumb"}}}))
        fund = self.fund(ticker) if ticker is not None and self.known(ticker) else None
        if fund is None:
            return _response(url, 200, json.dumps({"quoteResponse": {"result": [], "error": None}}))
        s = self.series(ticker)
        bars = s["bars"]
        price = float(bars["close"].iloc[-1]) if len(bars) else None
        y = self._yield(fund, ticker, s)
        q = {"language": "en-US", "region": "US", "quoteType": "ETF", "typeDisp": "ETF", "currency": "USD",
             "exchange": "PCX", "fullExchangeName": "NYSEArca", "market": "us_market", "symbol": ticker,
             **{k: v for k, v in (("shortName", fund.short_name), ("longName", fund.long_name)) if v},
             "regularMarketPrice": price, "exchangeTimezoneName": NY, "triggerable": True, "tradeable": False}
        if y is not None:
            q["trailingAnnualDividendYield"] = y
        dy = round(y * 100, 2) if fund.dividend_yield == "same" and y is not None else fund.dividend_yield
        if dy is not None and dy != "same":
            q["dividendYield"] = dy  # percentage points, as Yahoo
        ner = (round(fund.expense_ratio * 100, 4) if fund.net_expense_ratio == "same" and fund.expense_ratio
               is not None else fund.net_expense_ratio)
        if ner is not None and ner != "same":
            q["netExpenseRatio"] = ner  # percentage points, as Yahoo
        return _response(url, 200, json.dumps({"quoteResponse": {"result": [q], "error": None}}))

    def _serve_timeseries(self, session, url, query, ticker):
        types = [x for x in str(query.get("type", "")).split(",") if x]
        return _response(url, 200, json.dumps({"timeseries": {"result": [
            {"meta": {"symbol": [ticker], "type": types}}], "error": None}}))

    # -- installing it -----------------------------------------------------------
    @contextlib.contextmanager
    def installed(self, cache_dir: Path | None = None, source: bool = True):
        """Serve every curl_cffi request from this fake (and refuse plain ``requests``), as a fresh
        process would start: yfinance's session, crumb, lru and on-disk caches (tz, cookie) are new,
        in ``cache_dir`` (a temporary folder if ``None``).  ``source``: the product's
        ``versus.sources.cache.default_source`` gets a ``YahooSource`` on the virtual clock."""
        from curl_cffi import requests as curl_requests
        import requests as plain_requests
        import yfinance._http

        assert yfinance._http.HAS_CURL_CFFI, "yfinance is not using curl_cffi: the fake would not see its requests"
        fake = self

        def request(session, method, url, params=None, **kwargs):
            return fake.handle(session, method, url, params)

        def refuse(session, method, url, *a, **k):
            fake.unknown.append(f"{method} {url} (plain requests)")
            raise UnknownURL(f"fake Yahoo: a plain requests call to {url}")

        with contextlib.ExitStack() as stack:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="yf-cache-"))) if cache_dir is None \
                else Path(cache_dir)
            fresh_process(tmp)
            stack.callback(fresh_process, None)
            stack.enter_context(mock.patch.object(curl_requests.Session, "request", request))
            stack.enter_context(mock.patch.object(plain_requests.Session, "request", refuse))
            if source:
                import versus.sources.cache as cache_mod
                from versus.sources.yahoo import YahooSource

                stack.enter_context(mock.patch.object(
                    cache_mod, "default_source",
                    lambda today: YahooSource(today=today, sleep=fake.sleep, clock=fake.clock)))
            yield self

    def new_run(self, cache_dir: Path | None = None) -> None:
        """A fresh runner within :meth:`installed`: new yfinance process state (caches in ``cache_dir``), and
        the virtual clock back at 0 (rules' ``until`` count from the start of a run)."""
        fresh_process(Path(tempfile.mkdtemp(prefix="yf-cache-")) if cache_dir is None else cache_dir)
        with self._lock:
            self.virtual = 0.0

    # -- what happened -----------------------------------------------------------
    def calls(self, endpoint: str | None = None, ticker: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if (endpoint is None or r.endpoint == endpoint)
                    and (ticker is None or r.ticker == ticker)]

    def count(self, endpoint: str | None = None, ticker: str | None = None) -> int:
        return len(self.calls(endpoint, ticker))

    def fetches(self) -> list[tuple[str, str]]:
        """Price requests in order: ``(ticker, "max")`` for full history, ``(ticker, "YYYY-MM-DD")`` for
        ``start=`` (the New York date of ``period1``).  Time-zone probes are not included."""
        out = []
        for r in self.calls("chart"):
            p1 = pd.Timestamp(int(r.params.get("period1", 0)), unit="s", tz="UTC").tz_convert(NY)
            out.append((r.ticker, "max" if p1.year < 1950 else p1.date().isoformat()))
        return out

    def summary(self) -> str:
        """``chart 14, tz 7, quoteSummary 14 (2x429)``: requests by endpoint, failures in brackets."""
        out = {}
        for r in self.calls():
            n, bad = out.get(r.endpoint, (0, {}))
            if r.status != 200:
                bad[r.status] = bad.get(r.status, 0) + 1
            out[r.endpoint] = (n + 1, bad)
        parts = []
        for ep in sorted(out):
            n, bad = out[ep]
            parts.append(f"{ep} {n}" + (f" ({', '.join(f'{c}x{s}' for s, c in bad.items())})" if bad else ""))
        return ", ".join(parts)


def _open_ts(day) -> int:
    return int(session_times(pd.Timestamp(day))[0].timestamp())


def _error(endpoint: str, status: int) -> dict:
    if endpoint in ("chart", "tz"):
        return {"chart": {"result": None, "error": {"code": "Not Found" if status == 404 else "Internal Server Error",
                                                    "description": "No data found, symbol may be delisted"
                                                    if status == 404 else "Internal error"}}}
    if status == 401:
        return {"finance": {"result": None, "error": {"code": "Unauthorized", "description": "Invalid Crumb"}}}
    key = "quoteSummary" if endpoint == "quoteSummary" else "finance"
    return {key: {"result": None, "error": {"code": "Not Found" if status == 404 else "Internal Server Error",
                                            "description": "Quote not found for symbol" if status == 404
                                            else "Internal error"}}}


def _response(url: str, status: int, body: str, content_type: str = "application/json;charset=utf-8"):
    from curl_cffi.requests import Response
    from curl_cffi.requests.headers import Headers

    r = Response()
    r.url = url
    r.status_code = status
    r.reason = {200: "OK", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
                500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "Error")
    r.ok = status < 400
    r.content = body.encode()
    r.headers = Headers({"Content-Type": content_type})
    return r


def fresh_process(cache_dir: Path | None) -> None:
    """Reset what a new Python process would not have: the ``YfData`` singleton (session, cookie,
    crumb, its lru cache of the tz probes), the on-disk tz/cookie/ISIN caches (moved to
    ``cache_dir``; ``None`` = back to a fresh temporary folder), the tz-from-info counter."""
    import yfinance.base
    import yfinance.cache as yc
    import yfinance.data as yd

    for mgr in (yc._TzDBManager, yc._CookieDBManager, yc._ISINDBManager):
        mgr.close_db() if hasattr(mgr, "close_db") else None
    cache_dir = Path(tempfile.mkdtemp(prefix="yf-cache-")) if cache_dir is None else Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    yc.set_cache_location(str(cache_dir))
    yc._TzCacheManager._tz_cache = None
    yc._CookieCacheManager._Cookie_cache = None
    yc._ISINCacheManager._isin_cache = None
    yd.SingletonMeta._instances.pop(yd.YfData, None)
    yfinance.base._tz_info_fetch_ctr = 0


# --------------------------------------------------------------------------- pytest
try:
    import pytest
except ImportError:  # pragma: no cover - the replay script runs without pytest too
    pytest = None

if pytest is not None:
    @pytest.fixture
    def yahoo(tmp_path, monkeypatch):
        """A :class:`YahooHTTP` at Fri 31 Jul 2026 18:35 New York, installed for the test (yfinance's caches
        and the debug log in ``tmp_path``); the test fails if yfinance asked for a URL it does not serve."""
        monkeypatch.setenv("VERSUS_DEBUG_LOG", str(tmp_path / "yahoo-debug.log"))
        fake = YahooHTTP("2026-07-31T18:35")
        with fake.installed(tmp_path / "yf-cache"):
            yield fake
        assert fake.unknown == [], f"yfinance asked for URLs the fake does not serve: {fake.unknown}"

"""The live source (versus.sources.yahoo) and the cache (versus.sources.cache), offline.

The fakes reproduce yfinance 1.7's return shapes, read from its source:

- ``scrapers/history.py`` ``PriceHistory.history``: per-ticker frame indexed by
  midnight in the exchange time zone (``Date``), columns after
  ``utils.auto_adjust``: Open, High, Low, Close (= Yahoo's Adj Close), Volume,
  Dividends, Stock Splits, and Capital Gains for ETFs/mutual funds.
- ``multi.py`` ``_download_one``: a failing ticker gets ``utils.empty_df()``;
  ``_download_impl``/``reindex_dfs``: tz dropped when ``ignore_tz`` (default for
  daily bars), union index, ``pd.concat(keys=..., names=['Ticker', 'Price'])``,
  then for ``group_by='column'`` ``swaplevel`` + ``sort_index(level=0)``.
- ``scrapers/funds.py`` ``FundsData``: ``fund_operations`` / ``top_holdings``
  DataFrames and ``sector_weightings`` dict, built exactly like
  ``_parse_fund_profile`` / ``_parse_top_holdings`` do.

No test touches the network: sockets are disabled for the whole module.
"""
from __future__ import annotations

import socket

import numpy as np
import pandas as pd
import pytest

from versus.errors import DataError
from versus.sources.cache import CacheSource, load_live
from versus.sources.snapshot import SnapshotSource
from versus.sources.yahoo import DOWNLOAD_KWARGS, YahooSource, unadjust

TODAY = "2026-08-22"
SNAP = SnapshotSource().load(["SPY", "QQQ"])
N_DAYS = 300


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise RuntimeError("network access in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --------------------------------------------------------------------------- fakes
def empty_df():
    """yfinance.utils.empty_df(): what download keeps for a ticker that failed."""
    empty = pd.DataFrame(index=[], data={
        "Open": np.nan, "High": np.nan, "Low": np.nan,
        "Close": np.nan, "Adj Close": np.nan, "Volume": np.nan})
    empty.index.name = "Date"
    return empty


def history_frame(t: str, n: int = N_DAYS, tz: str = "America/New_York") -> pd.DataFrame:
    """Ticker.history(period='max', auto_adjust=True, actions=True) for an ETF, from real data."""
    adj = SNAP.adj_close[t].dropna().iloc[-n:]
    div = SNAP.dividends[t].reindex(adj.index).fillna(0.0)
    idx = pd.DatetimeIndex(adj.index.as_unit("ns")).tz_localize(tz)
    idx.name = "Date"
    a = adj.to_numpy()
    df = pd.DataFrame({
        "Open": a * 0.999, "High": a * 1.004, "Low": a * 0.995,
        "Close": a,  # auto_adjust renames "Adj Close" -> "Close"
        "Volume": np.arange(1, len(a) + 1, dtype=np.int64) * 1000,
        "Dividends": div.to_numpy(), "Stock Splits": 0.0, "Capital Gains": 0.0,
    }, index=idx)
    return df


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
            for k, df in dfs.items():
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
        ignore_tz = kwargs.get("ignore_tz")
        if self.force_ignore_tz is not None:
            ignore_tz = self.force_ignore_tz
        if ignore_tz is None:
            ignore_tz = kwargs.get("interval", "1d")[-1] not in ("m", "h")
        syms = list(dict.fromkeys(t.upper() for t in tickers))
        dfs = {}
        for t in syms:
            f = self.frames.get(t)
            dfs[t] = empty_df() if f is None else f
        return combine(dfs, ignore_tz=ignore_tz, group_by=kwargs.get("group_by", "column"))


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

    def __init__(self, symbol, funds=None, info=None, funds_exc=None, info_exc=None):
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


def source(download=None, ticker=FakeTicker):
    return YahooSource(download=download or FakeDownload(), ticker=ticker, today=TODAY)


# --------------------------------------------------------------------------- 1. the call
EXPECTED_KWARGS = dict(period="max", interval="1d", auto_adjust=True, back_adjust=False, actions=True,
                       group_by="column", multi_level_index=True, ignore_tz=True, prepost=False,
                       progress=False, threads=True, repair=False, keepna=False, rounding=False, timeout=30)


def test_download_called_once_with_explicit_arguments():
    dl = FakeDownload()
    source(dl).load(["SPY", "QQQ"])
    assert len(dl.calls) == 1
    args, kwargs = dl.calls[0]
    assert args == (["SPY", "QQQ"],)
    assert kwargs == EXPECTED_KWARGS
    assert DOWNLOAD_KWARGS == EXPECTED_KWARGS


def test_download_arguments_exist_in_installed_yfinance():
    yf = pytest.importorskip("yfinance")
    import inspect

    params = inspect.signature(yf.download).parameters
    assert set(EXPECTED_KWARGS) <= set(params), set(EXPECTED_KWARGS) - set(params)


def test_fake_empty_df_matches_yfinance():
    utils = pytest.importorskip("yfinance.utils")
    pd.testing.assert_frame_equal(empty_df(), utils.empty_df())


# --------------------------------------------------------------------------- 2. the frames
@pytest.mark.parametrize("ignore_tz", [True, False], ids=["tz-naive", "tz-aware"])
def test_adj_close_index_and_close(ignore_tz):
    dl = FakeDownload(ignore_tz=ignore_tz)
    raw = dl(["SPY", "QQQ"], **EXPECTED_KWARGS)
    assert raw.columns.names == ["Price", "Ticker"]
    assert (raw.index.tz is None) == ignore_tz
    dl.calls.clear()

    md = source(dl).load(["SPY", "QQQ"])
    assert md.tickers == ["SPY", "QQQ"]
    assert md.source.startswith("Yahoo Finance via yfinance ")
    for f in (md.close, md.adj_close):
        assert isinstance(f.index, pd.DatetimeIndex)
        assert f.index.tz is None
        assert (f.index == f.index.normalize()).all()
        assert f.index.name == "date"
        assert f.dtypes.eq("float64").all()
    assert md.dividends.index.name == "ex_date"

    for t in ("SPY", "QQQ"):
        expected = raw["Close"][t].to_numpy()
        np.testing.assert_array_equal(md.adj_close[t].to_numpy(), expected)
        # same calendar days as the real data
        real = SNAP.adj_close[t].dropna().iloc[-N_DAYS:]
        assert list(md.adj_close.index.strftime("%Y-%m-%d")) == list(real.index.strftime("%Y-%m-%d"))
        # the rebuilt close is the real close (window ends at the snapshot's last day, F=1)
        real_close = SNAP.close[t].reindex(real.index).to_numpy()
        np.testing.assert_allclose(md.close[t].to_numpy(), real_close, rtol=1e-6)
        # dividends: real amounts on real ex-dates
        real_div = SNAP.dividends[t].dropna()
        real_div = real_div[real_div.index >= real.index[0]]
        got = md.dividends[t].dropna()
        assert list(got.index.strftime("%Y-%m-%d")) == list(real_div.index.strftime("%Y-%m-%d"))
        np.testing.assert_allclose(got.to_numpy(), real_div.to_numpy())


def test_ticker_with_shorter_history_is_nan_before_its_first_day():
    frames = {"SPY": history_frame("SPY"), "QQQ": history_frame("QQQ", n=100)}
    md = source(FakeDownload(frames)).load(["SPY", "QQQ"])
    assert len(md.adj_close) == N_DAYS
    assert md.adj_close["QQQ"].isna().sum() == N_DAYS - 100
    assert md.close["QQQ"].isna().sum() == N_DAYS - 100


# --------------------------------------------------------------------------- 3. unadjust
def test_unadjust_synthetic_exact():
    idx = pd.date_range("2024-01-01", periods=5, freq="D", name="date")
    close = pd.Series([100.0, 102.0, 101.0, 99.0, 100.0], index=idx)
    divs = pd.Series([1.0, 0.5], index=pd.DatetimeIndex(["2024-01-03", "2024-01-05"]))
    # Yahoo's adjustment: days before an ex-date times (1 - D / close[previous day])
    m2 = 1 - 0.5 / close.iloc[3]
    m1 = 1 - 1.0 / close.iloc[1]
    adj = close * pd.Series([m1 * m2, m1 * m2, m2, m2, 1.0], index=idx)
    pd.testing.assert_series_equal(unadjust(adj, divs), close, check_names=False, rtol=1e-12)


def test_unadjust_nan_before_first_day_and_no_dividends():
    idx = pd.date_range("2024-01-01", periods=4, freq="D")
    adj = pd.Series([np.nan, 10.0, 11.0, 12.0], index=idx)
    out = unadjust(adj, pd.Series(dtype="float64"))
    assert np.isnan(out.iloc[0])
    np.testing.assert_array_equal(out.iloc[1:].to_numpy(), [10.0, 11.0, 12.0])


@pytest.mark.parametrize("t", ["SPY", "QQQ"])
def test_unadjust_reconstructs_real_close(t):
    rebuilt = unadjust(SNAP.adj_close[t], SNAP.dividends[t])
    win = slice("2019-01-01", "2026-07-31")
    real = SNAP.close[t].loc[win]
    rel = (rebuilt.loc[win] / real - 1).abs()
    assert len(real) > 1800 and rel.notna().all()
    # Yahoo derives its multipliers from its own close and the dividend as published
    # (3 decimals) and stores adjusted prices as floats of limited precision, so the
    # inversion is not bit-exact: the observed error is ~5e-7; 1e-4 leaves headroom
    # while still catching a missed/misplaced dividend (one quarterly dividend is
    # ~0.3 % = 3e-3 of the price).
    assert rel.max() < 1e-4, rel.idxmax()


# --------------------------------------------------------------------------- 4. failures
def test_network_failure_empty_frame_names_all_tickers():
    dl = FakeDownload({"SPY": None, "QQQ": None})
    raw = dl(["SPY", "QQQ"], **EXPECTED_KWARGS)
    assert raw.shape[0] == 0  # what yfinance returns when every ticker failed
    with pytest.raises(DataError) as ei:
        source(dl).load(["SPY", "QQQ"])
    msg = str(ei.value)
    assert msg.startswith("SPY, QQQ: no data from Yahoo Finance")
    assert "\n" not in msg and ei.value.exit_code == 3


def test_fully_empty_dataframe():
    with pytest.raises(DataError, match=r"^SPY, QQQ: no data from Yahoo Finance"):
        source(lambda tickers, **kw: pd.DataFrame()).load(["SPY", "QQQ"])


def test_one_ticker_all_nan_names_just_that_one():
    dl = FakeDownload({"SPY": history_frame("SPY"), "XYZ": None})
    with pytest.raises(DataError) as ei:
        source(dl).load(["SPY", "XYZ"])
    msg = str(ei.value)
    assert msg == ("XYZ: no data from Yahoo Finance (unknown ticker, delisted, "
                   "or the request failed/was rate-limited)")


def test_download_exception_becomes_one_line_data_error():
    dl = FakeDownload(exc=ConnectionError("Failed to resolve\n'query2.finance.yahoo.com'"))
    with pytest.raises(DataError) as ei:
        source(dl).load(["SPY", "QQQ"])
    msg = str(ei.value)
    assert msg.startswith("SPY, QQQ: ")
    assert "ConnectionError" in msg and "query2.finance.yahoo.com" in msg
    assert "\n" not in msg
    assert ei.value.__cause__ is None and ei.value.__suppress_context__


# --------------------------------------------------------------------------- 5. fund facts
def test_fund_meta_fractions():
    md = source().load(["SPY", "QQQ"])
    assert md.warnings == []
    m = md.meta["SPY"]
    assert set(m) == {"expense_ratio", "aum", "yield", "top_holdings", "sector_weights"}
    assert m["expense_ratio"] == {"value": 0.0009, "as_of": TODAY,
                                  "source": "Yahoo Finance (yfinance funds_data)"}
    assert m["aum"]["value"] == 709_987_008_512.0
    assert m["yield"]["value"] == pytest.approx(0.0112)
    assert m["top_holdings"]["value"][0] == {"ticker": "NVDA", "name": "NVIDIA Corp", "weight": 0.0781}
    sw = m["sector_weights"]["value"]
    assert sw["Information Technology"] == 0.3357
    assert sw["Financials"] == 0.1346 and sw["Real Estate"] == 0.0213
    assert {"Health Care", "Consumer Discretionary", "Consumer Staples", "Communication Services",
            "Materials", "Industrials", "Energy", "Utilities"} <= set(sw)
    assert all(0 <= v < 1 for v in sw.values())
    assert sum(sw.values()) == pytest.approx(1.0, abs=0.02)


def test_info_percent_points_are_normalized():
    # no funds_data expense ratio and no 'yield' -> fall back on the info fields
    # that Yahoo gives in percentage points (netExpenseRatio 0.0945 = 0.0945 %).
    info = {"totalAssets": 3.5e11, "dividendYield": 0.62, "netExpenseRatio": 0.2}

    def ticker(t):
        return FakeTicker(t, funds=FakeFunds(t, er=pd.NA), info=info)

    md = source(ticker=ticker).load(["QQQ"])
    m = md.meta["QQQ"]
    assert m["expense_ratio"]["value"] == pytest.approx(0.002)
    assert m["expense_ratio"]["source"] == "Yahoo Finance (yfinance info)"
    assert m["yield"]["value"] == pytest.approx(0.0062)
    assert m["aum"]["value"] == 3.5e11


def test_funds_data_failure_is_a_warning():
    def ticker(t):
        exc = RuntimeError("QQQ: No Fund data found.") if t == "QQQ" else None
        return FakeTicker(t, funds_exc=exc, info={} if t == "QQQ" else None)

    md = source(ticker=ticker).load(["SPY", "QQQ"])
    assert set(md.meta["SPY"]) == {"expense_ratio", "aum", "yield", "top_holdings", "sector_weights"}
    assert md.meta["QQQ"] == {}
    assert md.warnings and all(w.startswith("QQQ: ") for w in md.warnings)
    assert any("expense ratio" in w and "No Fund data found" in w for w in md.warnings)
    assert all("\n" not in w for w in md.warnings)


def test_empty_funds_frames_and_ticker_raising_are_warnings():
    def ticker(t):
        if t == "QQQ":
            raise ValueError("boom")
        return FakeTicker(t, funds=FakeFunds(t, holdings=[], sectors=[]))

    md = source(ticker=ticker).load(["SPY", "QQQ"])
    assert set(md.meta["SPY"]) == {"expense_ratio", "aum", "yield"}
    assert md.meta["QQQ"] == {}
    assert any(w.startswith("SPY: top holdings") for w in md.warnings)
    assert any(w.startswith("SPY: sector weights") for w in md.warnings)
    assert any(w.startswith("QQQ: fund facts") and "boom" in w for w in md.warnings)


def test_real_fundsdata_parser_matches_fakes():
    """Feed yfinance's own FundsData a canned quoteSummary reply (no network) and check
    our fakes have the same shapes, then run the source on the real object."""
    funds_mod = pytest.importorskip("yfinance.scrapers.funds")

    reply = {"quoteSummary": {"result": [{
        "quoteType": {"quoteType": "ETF"},
        "summaryProfile": {"longBusinessSummary": "x"},
        "topHoldings": {
            "holdings": [{"symbol": "NVDA", "holdingName": "NVIDIA Corp", "holdingPercent": 0.0781},
                         {"symbol": "MSFT", "holdingName": "Microsoft Corp", "holdingPercent": 0.0702},
                         {"symbol": "AAPL", "holdingName": "Apple Inc", "holdingPercent": 0.0633}],
            "sectorWeightings": SECTORS_RAW,
        },
        "fundProfile": {"feesExpensesInvestment": {"annualReportExpenseRatio": 0.0009,
                                                   "annualHoldingsTurnover": 0.03,
                                                   "totalNetAssets": 134308.94},
                        "feesExpensesInvestmentCat": {"annualReportExpenseRatio": 0.0036000002,
                                                      "annualHoldingsTurnover": 50.76}},
    }], "error": None}}

    class Data:
        def get_raw_json(self, url, params=None, timeout=30):
            return reply

    real = funds_mod.FundsData(Data(), "SPY")
    fake = FakeFunds("SPY")
    pd.testing.assert_frame_equal(real.top_holdings, fake.top_holdings)
    assert list(real.fund_operations.index) == list(fake.fund_operations.index)
    assert real.fund_operations.index.name == fake.fund_operations.index.name == "Attributes"
    assert list(real.fund_operations.columns) == list(fake.fund_operations.columns)
    assert real.fund_operations.at["Annual Report Expense Ratio", "SPY"] == 0.0009
    assert real.sector_weightings == fake.sector_weightings

    md = source(ticker=lambda t: FakeTicker(t, funds=real)).load(["SPY"])
    assert md.meta["SPY"]["expense_ratio"]["value"] == 0.0009
    assert len(md.meta["SPY"]["top_holdings"]["value"]) == 3
    assert md.warnings == []


# --------------------------------------------------------------------------- 6. cache
def assert_same_data(a, b):
    for name in ("close", "adj_close", "dividends"):
        x, y = getattr(a, name), getattr(b, name)
        pd.testing.assert_frame_equal(x, y, check_index_type=False, check_freq=False)
        assert x.index.name == y.index.name


class FailingYahoo:
    name = "yahoo"

    def load(self, tickers):
        raise DataError(f"{', '.join(tickers)}: no data from Yahoo Finance (unknown ticker, delisted, "
                        "or the request failed/was rate-limited)")


def test_load_live_success_writes_cache(tmp_path):
    cache = tmp_path / "cache"
    md = load_live(["SPY", "QQQ"], yahoo=source(), cache_dir=cache)
    assert md.source.startswith("Yahoo Finance via yfinance")
    for f in ("prices.parquet", "dividends.parquet", "meta.json"):
        assert (cache / f).is_file()
    back = CacheSource(cache).load(["SPY", "QQQ"])
    assert back.source == "local cache of the last live fetch (data/cache/)"
    assert_same_data(md, back)
    assert back.meta == md.meta


def test_load_live_refresh_keeps_other_cached_tickers(tmp_path):
    cache = tmp_path / "cache"
    load_live(["SPY", "QQQ"], yahoo=source(), cache_dir=cache)
    load_live(["SPY"], yahoo=source(), cache_dir=cache)
    back = CacheSource(cache).load(["SPY", "QQQ"])
    assert back.tickers == ["SPY", "QQQ"] and set(back.meta) == {"SPY", "QQQ"}


def test_load_live_failure_falls_back_on_cache(tmp_path):
    cache = tmp_path / "cache"
    fresh = load_live(["SPY", "QQQ"], yahoo=source(), cache_dir=cache)
    md = load_live(["SPY", "QQQ"], yahoo=FailingYahoo(), cache_dir=cache)
    assert_same_data(fresh, md)
    assert md.source == "local cache of the last live fetch (data/cache/)"
    last = SNAP.adj_close.index[-1].strftime("%Y-%m-%d")
    assert len(md.warnings) == 1
    w = md.warnings[0]
    assert w.startswith("live fetch failed (SPY, QQQ: no data from Yahoo Finance")
    assert w.endswith(f"; using cached data up to {last}")


def test_load_live_failure_without_cache(tmp_path):
    with pytest.raises(DataError) as ei:
        load_live(["SPY", "QQQ"], yahoo=FailingYahoo(), cache_dir=tmp_path / "cache")
    msg = str(ei.value)
    assert msg.startswith("SPY, QQQ: no data from Yahoo Finance") and "no usable cache" in msg


def test_load_live_failure_with_cache_missing_a_ticker(tmp_path):
    cache = tmp_path / "cache"
    load_live(["SPY"], yahoo=source(), cache_dir=cache)
    with pytest.raises(DataError, match="no usable cache.*QQQ: not in the local cache"):
        load_live(["SPY", "QQQ"], yahoo=FailingYahoo(), cache_dir=cache)


@pytest.mark.parametrize("name", ["prices.parquet", "dividends.parquet"])
def test_truncated_parquet_names_the_file(tmp_path, name):
    cache = tmp_path / "cache"
    load_live(["SPY", "QQQ"], yahoo=source(), cache_dir=cache)
    path = cache / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError) as ei:
        CacheSource(cache).load(["SPY", "QQQ"])
    assert str(path) in str(ei.value) and "\n" not in str(ei.value)
    with pytest.raises(DataError) as ei:
        load_live(["SPY", "QQQ"], yahoo=FailingYahoo(), cache_dir=cache)
    assert str(path) in str(ei.value) and "no usable cache" in str(ei.value)


def test_success_overwrites_a_corrupted_cache(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "prices.parquet").write_bytes(b"PAR1 garbage")
    md = load_live(["SPY", "QQQ"], yahoo=source(), cache_dir=cache)
    assert_same_data(md, CacheSource(cache).load(["SPY", "QQQ"]))

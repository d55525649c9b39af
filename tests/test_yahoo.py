"""The live source (versus.sources.yahoo) and the cache (versus.sources.cache), offline.

The fakes (``tests/fakes_yahoo.py``) reproduce yfinance 1.7's return shapes, read
from its source. The store and ``load_live`` are tested in test_store.py and
test_publish.py.

No test touches the network: sockets are disabled for the whole module.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fakes_yahoo import (INFO, N_DAYS, SECTORS_RAW, SNAP, TODAY, FakeClock, FakeDownload, FakeFunds,  # noqa: F401
                         FakeTicker, empty_df, history_frame, refuse_network, source)
from versus.errors import DataError
from versus.sources.yahoo import DOWNLOAD_KWARGS, MISSING_MSG, unadjust


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)


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
                   "or the request failed/was rate-limited); 5 attempts")
    assert [c[0][0] for c in dl.calls] == [["SPY", "XYZ"]] + [["XYZ"]] * 4


def test_download_exception_becomes_one_line_data_error():
    dl = FakeDownload(exc=ConnectionError("Failed to resolve\n'query2.finance.yahoo.com'"))
    with pytest.raises(DataError) as ei:
        source(dl).load(["SPY", "QQQ"])
    msg = str(ei.value)
    assert msg.startswith("SPY, QQQ: ")
    assert "ConnectionError" in msg and "query2.finance.yahoo.com" in msg
    assert "\n" not in msg
    assert ei.value.__cause__ is None and (ei.value.__context__ is None or ei.value.__suppress_context__)


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


# --------------------------------------------------------------------------- 6. retries and budget
def test_rate_limited_then_success_retries_with_backoff():
    """HTTP 429: yfinance logs it and returns empty frames; the second and third tries succeed."""
    good = FakeDownload()
    replies = iter(["empty", "empty", "ok"])

    def download(tickers, **kw):
        if next(replies) == "empty":
            good.calls.append(((tickers,), kw))
            return FakeDownload({t: None for t in tickers})(tickers, **kw)
        return good(tickers, **kw)

    clock = FakeClock()
    pf = source(download, sleep=clock.sleep, clock=clock).fetch_prices(["SPY", "QQQ"])
    assert pf.missing == {} and set(pf.series) == {"SPY", "QQQ"}
    assert pf.attempts == 3 and clock.sleeps == [2.0, 4.0]
    assert len(good.calls) == 3 and all(c[0] == (["SPY", "QQQ"],) for c in good.calls)
    assert len(pf.log) == 2 and "no data for every ticker" in pf.log[0] and "retrying in 2s" in pf.log[0]


def test_only_the_missing_ticker_is_asked_again():
    dl = FakeDownload({"SPY": history_frame("SPY"), "QQQ": None})
    clock = FakeClock()
    pf = source(dl, sleep=clock.sleep, clock=clock, attempts=3).fetch_prices(["SPY", "QQQ"])
    assert [c[0][0] for c in dl.calls] == [["SPY", "QQQ"], ["QQQ"], ["QQQ"]]
    assert set(pf.series) == {"SPY"}
    assert pf.missing == {"QQQ": f"{MISSING_MSG}; 3 attempts"}
    assert clock.sleeps == [2.0, 4.0]


def test_exception_is_retried_and_reported_in_one_line():
    dl = FakeDownload(exc=ConnectionError("Failed to resolve\n'query2.finance.yahoo.com'"))
    clock = FakeClock()
    pf = source(dl, sleep=clock.sleep, clock=clock).fetch_prices(["SPY"])
    assert pf.attempts == 5 and clock.sleeps == [2.0, 4.0, 8.0, 16.0]
    why = pf.missing["SPY"]
    assert why.startswith("Yahoo Finance download failed (ConnectionError: Failed to resolve 'query2")
    assert why.endswith("; 5 attempts") and "\n" not in why


def test_time_budget_stops_the_retries():
    dl = FakeDownload({"SPY": None})
    clock = FakeClock()
    src = source(dl, sleep=clock.sleep, clock=clock, budget=10.0)
    pf = src.fetch_prices(["SPY"])
    # waits 2 then 4 (6 s spent); the next wait (8 s) would pass the 10 s budget
    assert clock.sleeps == [2.0, 4.0] and pf.attempts == 3
    assert "budget (10s) spent" in pf.log[-1]
    meta, warns = src.fetch_meta("SPY")  # 4 s of budget left: facts are still fetched
    assert "expense_ratio" in meta and warns == []
    clock.now += 100
    meta, warns = src.fetch_meta("SPY")
    assert meta == {} and warns == ["SPY: fund facts not refreshed (fetch time budget of 10s spent)"]


def test_incremental_fetch_uses_start_not_period():
    dl = FakeDownload()
    source(dl).fetch_prices(["SPY"], start="2026-08-14")
    (args, kwargs), = dl.calls
    assert "period" not in kwargs and kwargs["start"] == "2026-08-14"
    assert {k: v for k, v in kwargs.items() if k != "start"} == {k: v for k, v in EXPECTED_KWARGS.items()
                                                                 if k != "period"}


def test_start_argument_exists_and_period_default_lets_start_win():
    """yfinance 1.7: with start and no period, history() sets period=None and fetches start..now."""
    yf = pytest.importorskip("yfinance")
    import inspect

    from yfinance.const import period_default

    params = inspect.signature(yf.download).parameters
    assert "start" in params and params["period"].default == period_default

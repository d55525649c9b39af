"""The live source (versus.sources.yahoo), offline.

Most tests run the real yfinance 1.7 code over the fake HTTP layer of ``tests/yahoo_http.py``
(Yahoo-shaped chart / quoteSummary / quote JSON built from the embedded snapshot, the
cookie and crumb handshake, scripted failures).  The hand-made frames of
``tests/fakes_yahoo.py`` remain where they are simpler: the exact ``download`` arguments, a
``download`` that raises, a ``Ticker`` that raises; and a test checks they have the shapes
real yfinance produces.  The store and ``load_live`` are tested in test_store.py and
test_publish.py.

No test touches the network: sockets are disabled, and every curl_cffi request is answered by
the fake (an unknown URL fails the test).
"""
from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fakes_yahoo import SNAP, FakeDownload, FakeFunds, bars, empty_df, refuse_network
from fakes_yahoo import source as fake_source
from versus.errors import DataError
from versus.sources.yahoo import DATE_UNIT, DOWNLOAD_KWARGS, MISSING_MSG, YahooSource, unadjust
from yahoo_http import Fund, YahooHTTP, yahoo  # noqa: F401  (yahoo: the fixture)

# tests here call yfinance directly (the product keeps these out of its output: ThirdParty.capture)
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:yfinance")

TODAY = "2026-07-31"
EXPECTED_KWARGS = dict(period="max", interval="1d", auto_adjust=True, back_adjust=False, actions=True,
                       group_by="column", multi_level_index=True, ignore_tz=True, prepost=False,
                       progress=False, threads=True, repair=False, keepna=False, rounding=False, timeout=30)
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)


def source(http: YahooHTTP, **kw) -> YahooSource:
    """The product's source on the real yfinance, on the fake's virtual clock."""
    return YahooSource(today=TODAY, sleep=http.sleep, clock=http.clock, **kw)


# --------------------------------------------------------------------------- 1. the call
def test_download_called_once_with_explicit_arguments():
    dl = FakeDownload()
    fake_source(dl).load(["SPY", "QQQ"])
    assert len(dl.calls) == 1
    args, kwargs = dl.calls[0]
    assert args == (["SPY", "QQQ"],)
    assert kwargs == EXPECTED_KWARGS
    assert DOWNLOAD_KWARGS == EXPECTED_KWARGS


def test_download_arguments_exist_in_installed_yfinance():
    yf = pytest.importorskip("yfinance")
    params = inspect.signature(yf.download).parameters
    assert set(EXPECTED_KWARGS) <= set(params), set(EXPECTED_KWARGS) - set(params)


def test_fake_empty_df_matches_yfinance():
    utils = pytest.importorskip("yfinance.utils")
    pd.testing.assert_frame_equal(empty_df(), utils.empty_df())


def test_requests_of_a_first_run(yahoo):
    """What real yfinance asks Yahoo for: one time-zone probe and one chart request per ticker (full
    history: period1 99 years back), the cookie and the crumb once; then fund facts: quoteSummary for
    funds_data and for info, v7 quote and the fundamentals time series, once per ticker."""
    md = source(yahoo).load(["SPY", "QQQ"])
    assert sorted(yahoo.fetches()) == [("QQQ", "max"), ("SPY", "max")]
    assert yahoo.count("tz", "SPY") == yahoo.count("tz", "QQQ") == 1
    assert yahoo.count("cookie") == 1 and yahoo.count("crumb") == 1
    for t in ("SPY", "QQQ"):
        modules = sorted(r.params["modules"] for r in yahoo.calls("quoteSummary", t))
        assert modules == ["financialData,quoteType,defaultKeyStatistics,assetProfile,summaryDetail",
                           "quoteType,summaryProfile,topHoldings,fundProfile"]
        assert yahoo.count("quote", t) == 1 and yahoo.count("timeseries", t) == 1
        assert all(r.params.get("crumb") for r in yahoo.calls("quoteSummary", t))
    assert set(md.meta) == {"SPY", "QQQ"}


def test_one_time_zone_probe_per_ticker_and_process(yahoo):
    src = source(yahoo)
    src.fetch_prices(["SPY", "QQQ"])
    src.fetch_prices(["SPY", "QQQ"], start="2026-07-24")  # same process: yfinance's tz cache answers
    assert yahoo.count("tz") == 2 and len(yahoo.fetches()) == 4
    yahoo.new_run()                                       # a fresh runner asks again
    source(yahoo).fetch_prices(["SPY"], start="2026-07-24")
    assert yahoo.count("tz") == 3


# --------------------------------------------------------------------------- 2. the frames
def test_hand_made_frames_have_the_shapes_of_real_yfinance(yahoo):
    """The frames of fakes_yahoo.py against what yfinance 1.7 builds from Yahoo's JSON: the same columns,
    column names, index name and dtype (datetime64[s], tz-naive), and dtypes: Volume turns float64 for
    the ticker whose dates were aligned to the other's."""
    import yfinance as yf

    yahoo.at("2026-08-21T18:35")
    real = yf.download(["SPY", "QQQ"], **DOWNLOAD_KWARGS)
    frames = {t: bars(SNAP.adj_close[t].dropna(), SNAP.dividends[t]) for t in ("SPY", "QQQ")}
    fake = FakeDownload(frames)(["SPY", "QQQ"], **DOWNLOAD_KWARGS)
    assert list(fake.columns) == list(real.columns)
    assert fake.columns.names == real.columns.names == ["Price", "Ticker"]
    assert fake.index.name == real.index.name == "Date"
    assert str(real.index.dtype) == str(fake.index.dtype) == "datetime64[s]"
    pd.testing.assert_series_equal(fake.dtypes, real.dtypes)
    assert real[("Volume", "QQQ")].dtype == "float64" and real[("Volume", "SPY")].dtype == "int64"
    assert list(real.index) == list(fake.index)


@pytest.mark.parametrize("ignore_tz", [True, False], ids=["tz-naive", "tz-aware"])
def test_adj_close_index_and_close(yahoo, ignore_tz):
    import yfinance as yf

    yahoo.at("2026-08-21T18:35")
    raw = yf.download(["SPY", "QQQ"], **{**DOWNLOAD_KWARGS, "ignore_tz": ignore_tz})
    assert raw.columns.names == ["Price", "Ticker"]
    assert (raw.index.tz is None) == ignore_tz

    src = YahooSource(download=lambda tickers, **kw: yf.download(tickers, **{**kw, "ignore_tz": ignore_tz}),
                      today=TODAY, sleep=yahoo.sleep, clock=yahoo.clock)
    md = src.load(["SPY", "QQQ"])
    assert md.tickers == ["SPY", "QQQ"]
    assert md.source.startswith("Yahoo Finance via yfinance ")
    for f in (md.close, md.adj_close, md.dividends):
        assert isinstance(f.index, pd.DatetimeIndex) and f.index.tz is None
        assert f.index.unit == DATE_UNIT  # the store's unit, whatever yfinance used
        assert (f.index == f.index.normalize()).all()
        assert f.dtypes.eq("float64").all()
    assert md.close.index.name == md.adj_close.index.name == "date" and md.dividends.index.name == "ex_date"

    for t in ("SPY", "QQQ"):
        real = SNAP.adj_close[t].dropna()
        np.testing.assert_array_equal(md.adj_close[t].dropna().to_numpy(), raw["Close"][t].dropna().to_numpy())
        assert list(md.adj_close[t].dropna().index.strftime("%Y-%m-%d")) == list(real.index.strftime("%Y-%m-%d"))
        # the close rebuilt from Yahoo's adjusted close is the real close
        np.testing.assert_allclose(md.close[t].dropna().to_numpy(), SNAP.close[t].reindex(real.index).to_numpy(),
                                   rtol=1e-9)
        # and the total return is the snapshot's (Yahoo's adjustment formula from the real dividends), from
        # the first dividend the snapshot has (SPY's before 2000 are missing: data/snapshot/SOURCES.md)
        since = SNAP.dividends[t].first_valid_index()
        ratio = (md.adj_close[t] / real).loc[since:]
        assert (ratio / ratio.iloc[-1] - 1).abs().max() < 2e-5
        got = md.dividends[t].dropna()
        want = SNAP.dividends[t].dropna()
        assert list(got.index.strftime("%Y-%m-%d")) == list(want.index.strftime("%Y-%m-%d"))
        np.testing.assert_allclose(got.to_numpy(), want.to_numpy())


def test_ticker_with_shorter_history_is_nan_before_its_first_day(yahoo):
    md = source(yahoo).load(["SPY", "SCHA"])
    first = SNAP.adj_close["SPY"].first_valid_index()
    assert md.adj_close.index[0] == first
    scha = md.adj_close["SCHA"]
    assert scha.first_valid_index() == pd.Timestamp("2009-11-03")
    assert scha.loc[:"2009-11-02"].isna().all() and md.close["SCHA"].loc[:"2009-11-02"].isna().all()
    assert scha.loc["2009-11-03":].notna().all()


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
@pytest.mark.parametrize("status, why", [(429, "rate-limited, HTTP 429"),
                                         ("network", "network error: could not connect"),
                                         ("dns", "network error: could not resolve the host"),
                                         ("timeout", "network error: timed out"),
                                         ("down", "Yahoo answered with a page that is not data (an outage page?)")])
def test_every_request_failing_names_all_tickers_and_why(yahoo, status, why):
    yahoo.fail(status)
    with pytest.raises(DataError) as ei:
        source(yahoo, attempts=2).load(["SPY", "QQQ"])
    msg = str(ei.value)
    assert msg == f"SPY, QQQ: no data from Yahoo Finance ({why}); 2 attempts"
    assert ei.value.exit_code == 3 and yahoo.sleeps == [2.0]


def test_fully_empty_dataframe():
    with pytest.raises(DataError, match=r"^SPY, QQQ: no data from Yahoo Finance"):
        fake_source(lambda tickers, **kw: pd.DataFrame()).load(["SPY", "QQQ"])


def test_unknown_ticker_names_just_that_one(yahoo):
    with pytest.raises(DataError) as ei:
        source(yahoo).load(["SPY", "XYZ"])
    assert str(ei.value) == "XYZ: no data from Yahoo Finance (possibly delisted; no timezone found); 5 attempts"
    assert [t for t, _ in yahoo.fetches()] == ["SPY"]  # XYZ's time-zone probe failed: no chart request
    # yfinance asks again once after an HTTP error (its other cookie strategy), then keeps the answer (lru)
    assert yahoo.count("tz", "XYZ") == 2
    assert yahoo.sleeps == [2.0, 4.0, 8.0, 16.0]


def test_download_exception_becomes_one_line_data_error():
    dl = FakeDownload(exc=ConnectionError("Failed to resolve\n'query2.finance.yahoo.com'"))
    with pytest.raises(DataError) as ei:
        fake_source(dl).load(["SPY", "QQQ"])
    msg = str(ei.value)
    assert msg.startswith("SPY, QQQ: ")
    assert "ConnectionError" in msg and "query2.finance.yahoo.com" in msg
    assert "\n" not in msg
    assert ei.value.__cause__ is None and (ei.value.__context__ is None or ei.value.__suppress_context__)


# --------------------------------------------------------------------------- 5. fund facts
def test_fund_facts_named_typed_dated(yahoo):
    md = source(yahoo).load(["SPY", "QQQ"])
    assert md.warnings == []
    m = md.meta["SPY"]
    assert set(m) == {"name", "expense_ratio", "aum", "dividend_yield", "top_holdings", "sector_weights"}
    assert m["name"] == {"value": "SPDR S&P 500 ETF Trust", "as_of": TODAY,
                         "source": "Yahoo Finance (yfinance info)"}
    assert m["expense_ratio"] == {"value": 0.000945, "as_of": TODAY, "source": "Yahoo Finance (yfinance funds_data)"}
    assert m["aum"]["value"] == 6.5e11 and type(m["aum"]["value"]) is float
    # the trailing yield Yahoo reports: 12 months of dividends over the last close (a fraction)
    divs = SNAP.dividends["SPY"].dropna().loc["2025-08-01":"2026-07-31"].sum()
    assert m["dividend_yield"]["value"] == pytest.approx(divs / SNAP.close.at[pd.Timestamp(TODAY), "SPY"])
    assert 0.005 < m["dividend_yield"]["value"] < 0.02
    assert m["top_holdings"]["value"][0] == {"ticker": "NVDA", "name": "NVIDIA Corp", "weight": 0.0781}
    sw = m["sector_weights"]["value"]
    assert sw["Information Technology"] == 0.3357
    assert sw["Financials"] == 0.1346 and sw["Real Estate"] == 0.0213
    assert {"Health Care", "Consumer Discretionary", "Consumer Staples", "Communication Services",
            "Materials", "Industrials", "Energy", "Utilities"} <= set(sw)
    assert sum(sw.values()) == pytest.approx(1.0, abs=0.02)
    assert md.meta["QQQ"]["name"]["value"] == "Invesco QQQ Trust, Series 1"
    for entry in m.values():
        assert set(entry) == {"value", "as_of", "source"} and entry["as_of"] == TODAY


def test_fund_facts_merge_into_the_page_facts(yahoo):
    """The adapter's keys are the ones the build's dated facts read (``FundsFile.facts_as_of``, through
    ``merge_live``): name and dividend_yield reach the fund, dated the day they were fetched."""
    from versus.data.funds import FundsFile

    md = source(yahoo).load(["SCHA"])
    facts = FundsFile(funds={}).facts_as_of("SCHA", pd.Timestamp(TODAY).date(), md.meta["SCHA"])
    assert facts.name == "Schwab U.S. Small-Cap ETF"
    assert facts.facts["dividend_yield"].value == md.meta["SCHA"]["dividend_yield"]["value"]
    assert facts.facts["dividend_yield"].as_of == TODAY
    assert facts.facts["expense_ratio"].value == 0.0004 and facts.facts["aum"].value == 1.9e10


def test_info_percent_points_are_normalized(yahoo):
    """No expense ratio in funds_data and no fraction yield: the v7 quote's percentage points are used
    (netExpenseRatio 0.2 = 0.2 %, dividendYield 0.62 = 0.62 %)."""
    yahoo.funds["QQQ"] = Fund("Invesco QQQ Trust, Series 1", None, expense_ratio=None, total_assets=3.5e11,
                              yield_=None, net_expense_ratio=0.2, dividend_yield=0.62)
    md = source(yahoo).load(["QQQ"])
    m = md.meta["QQQ"]
    assert m["expense_ratio"]["value"] == pytest.approx(0.002)
    assert m["expense_ratio"]["source"] == "Yahoo Finance (yfinance info)"
    assert m["dividend_yield"]["value"] == pytest.approx(0.0062)
    assert m["aum"]["value"] == 3.5e11


def test_a_fund_yahoo_has_no_profile_for(yahoo):
    """yfinance raises "No Fund data found" when funds_data's first attribute is read; the name and the
    info facts still come, and Yahoo is asked once, not once per attribute."""
    yahoo.funds["QQQ"] = Fund("Invesco QQQ Trust, Series 1", None, profile=False, net_expense_ratio=None)
    meta, warnings, failed = source(yahoo).fetch_meta("QQQ")
    assert failed is False  # Yahoo answered: nothing to retry tomorrow
    assert set(meta) == {"name", "aum", "dividend_yield"}
    assert [w.split(" (")[0] for w in warnings] == ["QQQ: expense ratio not available from Yahoo Finance",
                                                    "QQQ: top holdings not available from Yahoo Finance",
                                                    "QQQ: sector weights not available from Yahoo Finance"]
    assert all("No Fund data found" in w for w in warnings) and all("\n" not in w for w in warnings)
    funds_requests = [r for r in yahoo.calls("quoteSummary", "QQQ") if "fundProfile" in r.params["modules"]]
    assert len(funds_requests) == 1


@pytest.mark.parametrize("status", [429, 500, "network"])
def test_funds_data_failing_is_asked_once_and_retried_next_run(yahoo, status):
    """funds_data never raises itself; each attribute read would fetch again after a failure: one failed
    request answers for the three attributes, and the failure is flagged so the store does not keep it."""
    yahoo.fail(status, tickers={"QQQ"}, endpoints={"quoteSummary", "quote"})
    meta, warnings, failed = source(yahoo).fetch_meta("QQQ")
    assert failed is True and meta == {}
    funds_requests = [r for r in yahoo.calls("quoteSummary", "QQQ") if "fundProfile" in r.params["modules"]]
    assert 1 <= len(funds_requests) <= 2  # yfinance itself retries an HTTP error once (other cookie strategy)
    assert all(w.startswith("QQQ: ") and "\n" not in w for w in warnings)
    assert len(warnings) == 6  # name, expense ratio, top holdings, sector weights, AUM, dividend yield


def test_empty_funds_frames_and_ticker_raising_are_warnings(yahoo):
    yahoo.funds["SPY"] = Fund("SPDR S&P 500 ETF Trust", None, holdings=[], sectors=[])

    def ticker(t):
        if t == "QQQ":
            raise ValueError("boom")
        import yfinance

        return yfinance.Ticker(t)

    md = YahooSource(ticker=ticker, today=TODAY, sleep=yahoo.sleep, clock=yahoo.clock).load(["SPY", "QQQ"])
    assert set(md.meta["SPY"]) == {"name", "expense_ratio", "aum", "dividend_yield"}
    assert md.meta["QQQ"] == {}
    assert any(w.startswith("SPY: top holdings") for w in md.warnings)
    assert any(w.startswith("SPY: sector weights") for w in md.warnings)
    assert any(w.startswith("QQQ: fund facts") and "boom" in w for w in md.warnings)


def test_fake_funds_have_the_shapes_of_real_fundsdata(yahoo):
    """FakeFunds (fakes_yahoo.py, used by the store and fault tests) against yfinance's FundsData."""
    import yfinance as yf

    real = yf.Ticker("SPY").funds_data
    fake = FakeFunds("SPY")
    pd.testing.assert_frame_equal(real.top_holdings, fake.top_holdings)
    assert list(real.fund_operations.index) == list(fake.fund_operations.index)
    assert real.fund_operations.index.name == fake.fund_operations.index.name == "Attributes"
    assert list(real.fund_operations.columns) == list(fake.fund_operations.columns)
    assert real.sector_weightings == fake.sector_weightings


# --------------------------------------------------------------------------- 6. retries and budget
def test_rate_limited_then_success_retries_with_backoff(yahoo):
    """HTTP 429 for the first 5 seconds: attempts at 0 s and 2 s fail, the third (6 s) succeeds."""
    yahoo.fail(429, until=5.0)
    pf = source(yahoo).fetch_prices(["SPY", "QQQ"])
    assert pf.missing == {} and set(pf.series) == {"SPY", "QQQ"}
    assert pf.attempts == 3 and yahoo.sleeps == [2.0, 4.0]
    assert len(pf.log) == 2 and pf.log[0] == "attempt 1: no data for every ticker (rate-limited, HTTP 429); retrying in 2s"
    assert sorted(yahoo.fetches()) == [("QQQ", "max"), ("SPY", "max")]  # the probes failed before


def test_only_the_missing_ticker_is_asked_again(yahoo):
    yahoo.fail(429, tickers={"QQQ"})
    pf = source(yahoo, attempts=3).fetch_prices(["SPY", "QQQ"])
    assert set(pf.series) == {"SPY"}
    assert pf.missing == {"QQQ": "no data from Yahoo Finance (rate-limited, HTTP 429); 3 attempts"}
    assert yahoo.sleeps == [2.0, 4.0]
    assert yahoo.count("tz", "SPY") == 1 and yahoo.count("chart", "SPY") == 1
    assert yahoo.count("tz", "QQQ") == 6  # each attempt: the probe, then yfinance's one retry
    assert pf.log[1] == "attempt 2: no data for QQQ (rate-limited, HTTP 429); retrying in 4s"


def test_exception_is_retried_and_reported_in_one_line():
    from fakes_yahoo import FakeClock

    dl = FakeDownload(exc=ConnectionError("Failed to resolve\n'query2.finance.yahoo.com'"))
    clock = FakeClock()
    pf = fake_source(dl, sleep=clock.sleep, clock=clock).fetch_prices(["SPY"])
    assert pf.attempts == 5 and clock.sleeps == [2.0, 4.0, 8.0, 16.0]
    why = pf.missing["SPY"]
    assert why.startswith("Yahoo Finance download failed (ConnectionError: Failed to resolve 'query2")
    assert why.endswith("; 5 attempts") and "\n" not in why


def test_time_budget_stops_the_retries(yahoo):
    yahoo.fail(429, endpoints={"tz", "chart"})
    src = source(yahoo, budget=10.0)
    pf = src.fetch_prices(["SPY"])
    # waits 2 then 4 (6 s spent); the next wait (8 s) would pass the 10 s budget
    assert yahoo.sleeps == [2.0, 4.0] and pf.attempts == 3
    assert "budget (10s) spent" in pf.log[-1]
    meta, warns, failed = src.fetch_meta("SPY")  # 4 s of budget left: facts are still fetched
    assert "expense_ratio" in meta and warns == [] and failed is False
    yahoo.virtual += 100
    meta, warns, failed = src.fetch_meta("SPY")
    assert meta == {} and failed is True
    assert warns == ["SPY: fund facts not refreshed (fetch time budget of 10s spent)"]


def test_incremental_fetch_uses_start_not_period(yahoo):
    source(yahoo).fetch_prices(["SPY"], start="2026-07-24")
    assert yahoo.fetches() == [("SPY", "2026-07-24")]
    (req,) = yahoo.calls("chart")
    assert "range" not in req.params and req.params["interval"] == "1d"
    assert req.params["events"] == "div,splits,capitalGains"


def test_start_argument_exists_and_period_default_lets_start_win():
    """yfinance 1.7: with start and no period, history() sets period=None and fetches start..now."""
    yf = pytest.importorskip("yfinance")
    from yfinance.const import period_default

    params = inspect.signature(yf.download).parameters
    assert "start" in params and params["period"].default == period_default


def test_intraday_partial_bar_is_served_and_dated_today(yahoo):
    """During the session Yahoo has a bar for today with the price so far (the store drops it, see
    test_publish): yfinance passes it on as today's row."""
    yahoo.at("2026-07-31T12:00")
    pf = source(yahoo).fetch_prices(["SPY"], start="2026-07-27")
    adj = pf.series["SPY"][0]
    assert adj.index[-1] == pd.Timestamp("2026-07-31")
    final = SNAP.close.at[pd.Timestamp("2026-07-31"), "SPY"]
    assert adj.iloc[-1] != pytest.approx(final, rel=1e-6)  # not the close yet
    yahoo.at("2026-07-31T09:00")                           # before the open: no bar for today
    yahoo.new_run()
    pf = source(yahoo).fetch_prices(["SPY"], start="2026-07-27")
    assert pf.series["SPY"][0].index[-1] == pd.Timestamp("2026-07-30")


def test_a_new_dividend_rewrites_yahoos_adjusted_history(yahoo):
    """The fake adjusts like Yahoo: a dividend it learns of scales every earlier adjusted close by
    1 - D / close[day before]; the close the adapter rebuilds stays the real one."""
    before = source(yahoo).fetch_prices(["SCHA"]).series["SCHA"][0]
    yahoo.add_dividend("SCHA", "2026-07-24", 0.25)
    yahoo.new_run()
    pf = source(yahoo).fetch_prices(["SCHA"])
    adj, div = pf.series["SCHA"]
    ex, prev = pd.Timestamp("2026-07-24"), pd.Timestamp("2026-07-23")
    assert div[ex] == 0.25
    m = 1 - 0.25 / yahoo.market.close["SCHA"][prev]
    assert ((adj[:prev] / before[:prev] - m).abs() < 1e-12).all()
    assert (adj[ex:] == before[ex:]).all()
    close = unadjust(adj, div)
    assert ((close / yahoo.market.close["SCHA"].reindex(close.index) - 1).abs() < 1e-9).all()


# --------------------------------------------------------------------------- 7. third-party noise
def test_yfinance_warnings_and_logs_stay_out_of_the_output(yahoo, capsys, tmp_path):
    yahoo.missing = {"QQQ"}
    src = source(yahoo, attempts=1)
    pf = src.fetch_prices(["SPY", "QQQ"])
    src.fetch_meta("SPY")
    out, err = capsys.readouterr()
    assert pf.missing == {"QQQ": "no data from Yahoo Finance (possibly delisted; no timezone found)"}
    assert out == "" and err == ""  # yfinance logged "1 Failed download: ['QQQ']: ..." and pandas warned
    n_warnings, n_records = src.third_party.counts
    assert n_warnings > 0 and n_records > 0
    assert src.write_debug_log("header", tmp_path / "debug.log") is None
    text = (tmp_path / "debug.log").read_text()
    assert text.startswith("header\npython warnings: ")
    assert "Pandas4Warning" in text and "possibly delisted; no timezone found" in text


def test_the_debug_log_is_in_the_folder_the_build_runs_from(tmp_path, monkeypatch):
    """``.cache/yahoo-debug.log`` of the current folder (as the render cache ``.cache/svg/``), not beside the
    installed package; ``$VERSUS_DEBUG_LOG`` names another file."""
    from versus.sources.thirdparty import debug_log_path

    monkeypatch.delenv("VERSUS_DEBUG_LOG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert debug_log_path() == tmp_path / ".cache" / "yahoo-debug.log"
    monkeypatch.setenv("VERSUS_DEBUG_LOG", str(tmp_path / "elsewhere.log"))
    assert debug_log_path() == tmp_path / "elsewhere.log"


def test_a_live_build_in_a_fresh_process_prints_no_third_party_lines(tmp_path):
    """The daily build command, as a new Python process with default warning filters (as on the runner):
    nothing from yfinance or pandas on stdout/stderr; the debug log has it and the report says where."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT / 'tests')!r})
from yahoo_http import YahooHTTP
from versus.cli import main
with YahooHTTP("2026-07-31T18:35").installed({str(tmp_path / 'yf')!r}):
    sys.exit(main(["--live", "--store", {str(tmp_path / 'store')!r}, "--out", {str(tmp_path / 'site')!r},
                   "--today", "2026-07-31T18:35", "--config", {str(tmp_path / 'site.toml')!r}]))
"""
    (tmp_path / "site.toml").write_text('title = "t"\ndescription = "t"\nbase_url = "https://example.org/"\n'
                                        'funds = ["SPY", "QQQ"]\npairs = [["SPY", "QQQ"]]\n')
    log = tmp_path / "debug.log"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "VERSUS_DEBUG_LOG": str(log)})
    assert proc.returncode == 0, proc.stderr
    both = proc.stdout + proc.stderr
    for noise in ("Warning", "yfinance/", "site-packages", "Failed download"):
        assert noise not in both, both
    # the report names the file (as given: it is outside the working folder, so no "../" path however deep the
    # checkout is)
    assert "yfinance  " in proc.stderr and f" in {log}\n" in proc.stderr
    assert "Pandas4Warning" in log.read_text()

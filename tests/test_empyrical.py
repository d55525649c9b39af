"""versus.analysis cross-checked against empyrical-reloaded on the real embedded snapshot.

The windows are rebuilt here with plain pandas (not with versus' helpers): a
horizon's window runs from the last close on or before the same calendar date
N months earlier to the as-of close, and its returns are the daily simple
returns of the adjusted closes inside it.  analysis rounds to 8 decimals, hence
the small absolute tolerance next to rel=1e-6.
"""
from __future__ import annotations

import empyrical
import numpy as np
import pandas as pd
import pytest

from versus import analysis
from versus import metrics as m
from versus.data import prepare
from versus.sources.snapshot import SnapshotSource

TICKERS = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]
AS_OF = "2026-07-31"
RISK_FREE = 0.03
DAILY_RF = (1 + RISK_FREE) ** (1 / 252) - 1
HORIZON_MONTHS = {"1y": 12, "3y": 36, "5y": 60}
PAIRS = [("QQQ", "IWM"), ("SPY", "VOO")]
PAIR_HORIZONS = ["90d", "1y", "3y", "5y"]
CASES = [(t, h) for t in TICKERS for h in HORIZON_MONTHS]


def close_to(expected):
    return pytest.approx(float(expected), rel=1e-6, abs=1e-8)


@pytest.fixture(scope="module")
def md():
    return SnapshotSource().load(TICKERS)


@pytest.fixture(scope="module")
def prep(md):
    return prepare(md, AS_OF)


@pytest.fixture(scope="module")
def funds(prep):
    return analysis.compute_funds(prep, risk_free_rate=RISK_FREE)


def window_returns(prep, ticker: str, horizon: str) -> pd.Series:
    """Daily returns from the last close on or before the anchor to the as-of close."""
    prices = prep.data.adj_close[ticker].dropna()
    end = prices.index[-1]
    anchor = end - pd.DateOffset(months=HORIZON_MONTHS[horizon])
    start = prices.index[prices.index <= anchor][-1]
    window = prices.loc[start:end]
    return window.pct_change().iloc[1:]


def value(funds, key, ticker, horizon):
    v = funds[ticker].values[key][horizon]
    assert v is not None, funds[ticker].reasons.get(f"{key}.{horizon}")
    return v


def test_as_of_is_a_trading_day_with_every_fund_current(prep):
    assert prep.as_of == pd.Timestamp(AS_OF)
    assert not any(f.stale for f in prep.freshness.values())
    # every fund has more than five years of history, so no 1y/3y/5y value may be None
    assert all(f.first < pd.Timestamp("2021-07-30") for f in prep.freshness.values())


@pytest.mark.parametrize("ticker, horizon", CASES)
def test_window_has_no_missing_returns(prep, ticker, horizon):
    r = window_returns(prep, ticker, horizon)
    assert r.notna().all()
    assert len(r) > 200 * HORIZON_MONTHS[horizon] / 12


@pytest.mark.parametrize("ticker, horizon", CASES)
def test_volatility_matches_empyrical(prep, funds, ticker, horizon):
    r = window_returns(prep, ticker, horizon)
    assert value(funds, "volatility", ticker, horizon) == close_to(empyrical.annual_volatility(r))


@pytest.mark.parametrize("ticker, horizon", CASES)
def test_sharpe_matches_empyrical(prep, funds, ticker, horizon):
    r = window_returns(prep, ticker, horizon)
    assert value(funds, "sharpe", ticker, horizon) == close_to(empyrical.sharpe_ratio(r, risk_free=DAILY_RF))


@pytest.mark.parametrize("ticker, horizon", CASES)
def test_sortino_matches_empyrical(prep, funds, ticker, horizon):
    r = window_returns(prep, ticker, horizon)
    expected = empyrical.sortino_ratio(r, required_return=DAILY_RF)
    assert value(funds, "sortino", ticker, horizon) == close_to(expected)


@pytest.mark.parametrize("ticker, horizon", CASES)
def test_max_drawdown_matches_empyrical(prep, funds, ticker, horizon):
    r = window_returns(prep, ticker, horizon)
    got = value(funds, "max_drawdown", ticker, horizon)["value"]
    assert got == close_to(empyrical.max_drawdown(r))


@pytest.mark.parametrize("ticker, horizon", CASES)
def test_total_return_matches_empyrical(prep, funds, ticker, horizon):
    r = window_returns(prep, ticker, horizon)
    assert value(funds, "total_return", ticker, horizon) == close_to(empyrical.cum_returns_final(r))


# --------------------------------------------------------------------------- pairs
def pair_window(prep, a: str, b: str, horizon: str) -> pd.DataFrame:
    """Returns of A and B on the days both have, inside the pair's window."""
    prices = prep.data.adj_close[[a, b]]
    both = prices.dropna()
    end = both.index[-1]
    if horizon == "90d":
        joint = prices.loc[:end].pct_change(fill_method=None).dropna()
        return joint.iloc[-90:]
    anchor = end - pd.DateOffset(months=HORIZON_MONTHS[horizon])
    start = both.index[both.index <= anchor][-1]
    return prices.loc[start:end].pct_change(fill_method=None).iloc[1:].dropna()


@pytest.fixture(scope="module")
def pairs(prep):
    returns = prep.data.adj_close.pct_change(fill_method=None)
    return {p: analysis.compute_pair(prep, returns, *p) for p in PAIRS}


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("horizon", PAIR_HORIZONS)
def test_pair_beta_matches_empyrical(prep, pairs, pair, horizon):
    a, b = pair
    win = pair_window(prep, a, b, horizon)
    got = pairs[pair][0]["beta"][horizon]
    assert got is not None, pairs[pair][1]
    assert got == close_to(empyrical.beta(win[a], win[b]))


@pytest.mark.parametrize("pair", PAIRS, ids="-".join)
@pytest.mark.parametrize("horizon", PAIR_HORIZONS)
def test_pair_correlation_matches_numpy(prep, pairs, pair, horizon):
    a, b = pair
    win = pair_window(prep, a, b, horizon)
    got = pairs[pair][0]["correlation"][horizon]
    assert got is not None, pairs[pair][1]
    assert got == close_to(np.corrcoef(win[a].to_numpy(), win[b].to_numpy())[0, 1])


def test_pair_90d_window_has_90_returns(prep):
    for a, b in PAIRS:
        assert len(pair_window(prep, a, b, "90d")) == 90


# --------------------------------------------------------------------------- a known episode
def test_qqq_5y_max_drawdown_peaks_late_2021_troughs_2022(md):
    prep = prepare(md, "2026-01-23")
    mdd = analysis.compute_funds(prep)["QQQ"].values["max_drawdown"]["5y"]
    print(f"QQQ 5y max drawdown as of 2026-01-23: {mdd}")
    peak, trough = pd.Timestamp(mdd["peak"]), pd.Timestamp(mdd["trough"])
    assert peak.year == 2021 and peak.month >= 10
    assert trough.year == 2022
    assert mdd["value"] < -0.3


# --------------------------------------------------------------------------- Calmar ratio (3y, 5y)
CALMAR_CASES = [(t, h) for t in TICKERS for h in ("3y", "5y")]


def test_calmar_ratio_by_hand():
    """CAGR over the depth of the maximum drawdown of the same window; NaN without a drawdown."""
    prices = pd.DataFrame({"A": [100.0, 120.0, 90.0, 110.0, 121.0], "B": [100.0, 101.0, 102.0, 103.0, 104.0]},
                          index=pd.bdate_range("2020-01-01", periods=5))
    total = m.total_return(prices)  # A: 0.21, B: 0.04
    growth = pd.Series({t: m.cagr(total[t], 2.0) for t in prices})  # A: 1.1 - 1 = 0.1
    mdd = m.max_drawdown(prices)["value"].astype(float)  # A: 90/120 - 1 = -0.25, B: 0
    calmar = m.calmar_ratio(growth, mdd)
    assert growth["A"] == pytest.approx(0.1) and mdd["A"] == pytest.approx(-0.25)
    assert calmar["A"] == pytest.approx(0.1 / 0.25)
    assert np.isnan(calmar["B"])  # never below a previous high: no ratio (as empyrical)
    assert m.calmar_ratio(pd.Series({"C": -0.05}), pd.Series({"C": -0.4}))["C"] == pytest.approx(-0.125)  # a loss keeps its sign


@pytest.mark.parametrize("ticker, horizon", CALMAR_CASES)
def test_calmar_matches_empyrical(prep, funds, ticker, horizon):
    """empyrical.calmar_ratio annualizes over len(returns) / annualization years: with annualization set so
    that this is the horizon's nominal years (3 or 5), it is the site's convention exactly."""
    r = window_returns(prep, ticker, horizon)
    years = HORIZON_MONTHS[horizon] / 12
    expected = empyrical.calmar_ratio(r, annualization=len(r) / years)
    assert value(funds, "calmar", ticker, horizon) == close_to(expected)
    cagr, mdd = value(funds, "cagr", ticker, horizon), value(funds, "max_drawdown", ticker, horizon)["value"]
    assert value(funds, "calmar", ticker, horizon) == pytest.approx(cagr / abs(mdd), rel=1e-6)


def test_calmar_is_null_with_a_reason_when_the_window_is_too_short_or_has_no_drawdown():
    dates = pd.bdate_range("2019-01-01", "2026-07-31")
    rising = pd.Series(np.linspace(100, 200, len(dates)), index=dates)
    young = pd.Series(np.nan, index=dates)
    young.iloc[-600:] = np.linspace(50, 40, 600)  # about 2.3 years: no 3y window, and it only falls
    md = SnapshotSource().load(["QQQ"])
    md.adj_close = pd.DataFrame({"UP": rising, "NEW": young})
    md.close = md.adj_close.copy()
    md.dividends = pd.DataFrame(index=pd.DatetimeIndex([], name="ex_date"), columns=["UP", "NEW"], dtype=float)
    fm = analysis.compute_funds(prepare(md, "2026-07-31"))
    assert fm["UP"].values["calmar"] == {"3y": None, "5y": None}
    assert "no drawdown" in fm["UP"].reasons["calmar.5y"]
    assert fm["NEW"].values["calmar"]["3y"] is None and "history starts" in fm["NEW"].reasons["calmar.3y"]


# --------------------------------------------------------------------------- each fund against SPY (issue 18)
@pytest.fixture(scope="module")
def market(prep):
    returns = prep.data.adj_close.pct_change(fill_method=None)
    return {t: analysis.market_relation(prep, returns, t) for t in TICKERS}


@pytest.mark.parametrize("ticker", [t for t in TICKERS if t != "SPY"])
@pytest.mark.parametrize("horizon", ["1y", "3y", "5y"])
def test_beta_and_correlation_with_spy_match_empyrical(prep, market, ticker, horizon):
    win = pair_window(prep, ticker, "SPY", horizon)
    values, reasons = market[ticker]
    assert values["beta_spy"][horizon] == close_to(empyrical.beta(win[ticker], win["SPY"])), reasons
    assert values["correlation_spy"][horizon] == close_to(np.corrcoef(win[ticker], win["SPY"])[0, 1])


def test_spy_against_itself_is_one(market):
    values, reasons = market["SPY"]
    assert values == {"beta_spy": {"1y": 1.0, "3y": 1.0, "5y": 1.0},
                      "correlation_spy": {"1y": 1.0, "3y": 1.0, "5y": 1.0}} and reasons == {}


def test_beta_on_spy_by_hand():
    """SPY's returns +1%, -1%, +2%, 0%; the fund's exactly 1.5 times them plus a constant: beta 1.5, correlation 1.
    Then a fund moving opposite by half: beta -0.5, correlation -1."""
    days = pd.bdate_range("2024-01-02", periods=400)
    spy_r = np.resize([0.01, -0.01, 0.02, 0.0], len(days) - 1)
    spy = pd.Series(np.r_[100.0, 100.0 * np.cumprod(1 + spy_r)], index=days)
    fund = pd.Series(np.r_[50.0, 50.0 * np.cumprod(1 + 1.5 * spy_r + 0.001)], index=days)
    hedge = pd.Series(np.r_[20.0, 20.0 * np.cumprod(1 - 0.5 * spy_r)], index=days)
    adj = pd.DataFrame({"SPY": spy, "FUND": fund, "HEDGE": hedge})
    from versus.sources import MarketData
    md = MarketData(close=adj.copy(), adj_close=adj, dividends=pd.DataFrame(index=pd.DatetimeIndex([], name="ex_date"),
                    columns=adj.columns, dtype=float), source="test")
    p = prepare(md)
    returns = adj.pct_change(fill_method=None)
    values, reasons = analysis.market_relation(p, returns, "FUND")
    assert values["beta_spy"]["1y"] == pytest.approx(1.5) and values["correlation_spy"]["1y"] == pytest.approx(1.0)
    assert values["beta_spy"]["3y"] is None and "after the 3y window start" in reasons["beta_spy.3y"]
    values, _ = analysis.market_relation(p, returns, "HEDGE")
    assert values["beta_spy"]["1y"] == pytest.approx(-0.5) and values["correlation_spy"]["1y"] == pytest.approx(-1.0)
    no_spy = returns.drop(columns="SPY")
    values, reasons = analysis.market_relation(p, no_spy, "FUND")
    assert values["beta_spy"] == {"1y": None, "3y": None, "5y": None}
    assert reasons["correlation_spy.5y"] == "SPY is not among this site's funds"


@pytest.mark.parametrize("ticker", TICKERS)
def test_rolling_one_year_return_matches_empyrical_at_sampled_dates(prep, ticker):
    """At the as-of date and at 12 dates across the history, the rolling one-year return is empyrical's
    cumulative return of that year's daily returns."""
    prices = prep.data.adj_close[[ticker]].dropna()
    rolled = m.rolling_return(prices, 12)[ticker].dropna()
    picks = [rolled.index[-1]] + list(rolled.index[np.linspace(0, len(rolled) - 2, 12).astype(int)])
    for day in picks:
        upto = prices[ticker].loc[:day]
        start = upto.index[upto.index <= day - pd.DateOffset(months=12)][-1]
        rets = upto.loc[start:].pct_change().iloc[1:]
        assert rolled.loc[day] == close_to(empyrical.cum_returns_final(rets)), (ticker, day)


@pytest.mark.parametrize("ticker", TICKERS)
def test_monthly_returns_match_empyrical_aggregate_returns(prep, ticker):
    prices = prep.data.adj_close[ticker].dropna()
    grid = m.monthly_returns(prices)
    agg = empyrical.aggregate_returns(prices.pct_change().iloc[1:], "monthly")
    assert int(grid.notna().to_numpy().sum()) == len(agg)
    for (year, month), v in agg.items():
        assert grid.loc[year, month] == close_to(v), (year, month)

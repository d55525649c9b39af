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

"""Property-based tests (hypothesis) for the metrics: invariants that must hold for any prices."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from versus import analysis
from versus import metrics as m
from versus.data import prepare
from versus.sources import MarketData

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
returns_list = st.lists(st.floats(-0.3, 0.3, allow_nan=False, allow_infinity=False), min_size=3, max_size=120)


def prices_from(rets: list[float], start: float = 100.0) -> pd.DataFrame:
    idx = pd.bdate_range("2020-01-01", periods=len(rets) + 1)
    p = start * np.cumprod(np.concatenate([[1.0], 1.0 + np.asarray(rets)]))
    return pd.DataFrame({"A": p}, index=idx)


@SETTINGS
@given(returns_list)
def test_max_drawdown_is_between_minus_one_and_zero(rets):
    v = m.max_drawdown(prices_from(rets)).loc["A", "value"]
    assert -1.0 <= v <= 0.0


@SETTINGS
@given(returns_list, st.floats(0.01, 1000.0))
def test_scaling_prices_changes_no_return_metric(rets, k):
    p = prices_from(rets)
    q = p * k
    r_p, r_q = m.simple_returns(p).iloc[1:], m.simple_returns(q).iloc[1:]
    assert m.total_return(q)["A"] == pytest.approx(m.total_return(p)["A"], rel=1e-9, abs=1e-12)
    assert m.max_drawdown(q).loc["A", "value"] == pytest.approx(m.max_drawdown(p).loc["A", "value"], rel=1e-9, abs=1e-12)
    vp, vq = m.annual_volatility(r_p)["A"], m.annual_volatility(r_q)["A"]
    assert vq == pytest.approx(vp, rel=1e-7, abs=1e-12)
    sp, sq = m.sharpe_ratio(r_p)["A"], m.sharpe_ratio(r_q)["A"]
    if math.isfinite(sp) and vp > 1e-6:
        assert sq == pytest.approx(sp, rel=1e-6, abs=1e-9)


@SETTINGS
@given(returns_list)
def test_growth_of_1000_equals_1000_times_one_plus_total_return(rets):
    tr = m.total_return(prices_from(rets))["A"]
    assert m.growth_of(tr, 1000.0) == pytest.approx(1000.0 * (1.0 + tr))


@SETTINGS
@given(returns_list)
def test_total_return_is_the_product_of_daily_returns(rets):
    p = prices_from(rets)
    daily = m.simple_returns(p).iloc[1:]["A"]
    assert m.total_return(p)["A"] == pytest.approx(float(np.prod(1.0 + daily) - 1.0), rel=1e-9, abs=1e-12)


@SETTINGS
@given(st.lists(st.tuples(st.floats(-0.2, 0.2), st.floats(-0.2, 0.2)), min_size=5, max_size=120))
def test_correlation_is_bounded_and_symmetric(pairs):
    a = pd.Series([x for x, _ in pairs], index=pd.bdate_range("2020-01-01", periods=len(pairs)))
    b = pd.Series([y for _, y in pairs], index=a.index)
    c = m.correlation(a, b)
    if math.isnan(c):  # only a (numerically) constant series has no correlation
        assert min(a.std(), b.std()) < 1e-9
        return
    assert -1.0 - 1e-12 <= c <= 1.0 + 1e-12
    assert m.correlation(b, a) == pytest.approx(c, abs=1e-12)


@SETTINGS
@given(returns_list)
def test_beta_of_a_series_on_itself_is_one(rets):
    r = m.simple_returns(prices_from(rets))["A"].iloc[1:]
    if r.var() < 1e-12:
        return
    assert m.beta(r, r) == pytest.approx(1.0, rel=1e-9)


@SETTINGS
@given(st.floats(0.01, 1e5), st.integers(3, 300))
def test_volatility_of_a_constant_series_is_zero(price, n):
    p = pd.DataFrame({"A": [price] * n}, index=pd.bdate_range("2020-01-01", periods=n))
    assert m.annual_volatility(m.simple_returns(p).iloc[1:])["A"] == 0.0
    assert m.max_drawdown(p).loc["A", "value"] == 0.0


def _universe(seed: int) -> MarketData:
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2014-01-01", "2020-06-30", name="date")
    cols = {}
    for i, t in enumerate(["AAA", "BBB", "CCC", "DDD"]):
        p = 50 * np.cumprod(1 + rng.normal(0.0003, 0.01 + 0.003 * i, len(idx)))
        if t == "DDD":
            p[: 700] = np.nan  # a younger fund
        cols[t] = p
    adj = pd.DataFrame(cols, index=idx)
    divs = pd.DataFrame({t: pd.Series(dtype=float) for t in adj.columns})
    divs.index = pd.DatetimeIndex([], name="ex_date")
    return MarketData(close=adj.copy(), adj_close=adj, dividends=divs, source="test")


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10_000), st.permutations(["AAA", "BBB", "CCC", "DDD"]))
def test_results_do_not_depend_on_ticker_order(seed, order):
    md = _universe(seed)
    base = analysis.compute_funds(prepare(md))
    shuffled = MarketData(close=md.close[order], adj_close=md.adj_close[order], dividends=md.dividends[order],
                          source="test")
    other = analysis.compute_funds(prepare(shuffled))
    for t in order:
        assert other[t].values == base[t].values
        assert other[t].reasons == base[t].reasons
    prep = prepare(md)
    rets = m.simple_returns(prep.data.adj_close)
    prep2 = prepare(shuffled)
    rets2 = m.simple_returns(prep2.data.adj_close)
    assert analysis.compute_pair(prep, rets, "AAA", "DDD") == analysis.compute_pair(prep2, rets2, "AAA", "DDD")

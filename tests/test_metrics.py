"""versus.metrics and versus.analysis against values computed by hand on tiny series.

Every expected number is written out as arithmetic in a comment next to the
assertion, so a reader can check it without running anything.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from versus import analysis
from versus import metrics as m
from versus.data import prepare
from versus.sources import MarketData

TIGHT = dict(rel=1e-12, abs=1e-15)


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


def frame(dates: list[str], **cols) -> pd.DataFrame:
    """A price or return frame with explicit dates, one keyword per fund."""
    return pd.DataFrame(cols, index=pd.DatetimeIndex(dates, name="date"), dtype=float)


# Tue 2 Jan .. Fri 5 Jan 2024
WEEK = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]


@pytest.fixture
def prices():
    # A: 100, 110, 99, 121  -> returns 0.10, -0.10, 22/99 = 0.2222...
    # B: NaN, 50, 55, 60    -> a fund that starts one day later
    return frame(WEEK, A=[100, 110, 99, 121], B=[np.nan, 50, 55, 60])


# --------------------------------------------------------------------------- window_anchor
@pytest.mark.parametrize(
    "horizon, expected",
    [
        ("1m", "2024-04-15"),
        ("3m", "2024-02-15"),
        ("6m", "2023-11-15"),
        ("1y", "2023-05-15"),
        ("3y", "2021-05-15"),
        ("5y", "2019-05-15"),
        ("10y", "2014-05-15"),
    ],
)
def test_window_anchor_is_same_calendar_date_n_months_earlier(horizon, expected):
    assert m.window_anchor(ts("2024-05-15"), horizon) == ts(expected)


def test_window_anchor_ytd_is_31_december_of_previous_year():
    assert m.window_anchor(ts("2024-05-15"), "ytd") == ts("2023-12-31")
    assert m.window_anchor(ts("2024-01-02"), "ytd") == ts("2023-12-31")


def test_window_anchor_29_february_falls_back_to_28_february():
    # 2023 and 2019 have no 29 Feb
    assert m.window_anchor(ts("2024-02-29"), "1y") == ts("2023-02-28")
    assert m.window_anchor(ts("2024-02-29"), "5y") == ts("2019-02-28")


def test_window_anchor_month_end_clips_to_shorter_month():
    # 31 May - 3 months -> 31 Feb does not exist -> 29 Feb (2024 is a leap year)
    assert m.window_anchor(ts("2024-05-31"), "3m") == ts("2024-02-29")


def test_window_anchor_inception_is_the_first_date():
    assert m.window_anchor(ts("2024-05-15"), "inception", first_date=ts("2010-09-09")) == ts("2010-09-09")


def test_window_anchor_inception_without_first_date_raises():
    with pytest.raises(ValueError):
        m.window_anchor(ts("2024-05-15"), "inception")


def test_window_anchor_unknown_horizon_raises():
    with pytest.raises(ValueError):
        m.window_anchor(ts("2024-05-15"), "2w")


# --------------------------------------------------------------------------- window_start_row
TRADING = pd.DatetimeIndex(["2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"])


def test_window_start_row_on_a_trading_day_is_that_day():
    assert m.window_start_row(TRADING, ts("2024-01-08")) == ts("2024-01-08")


def test_window_start_row_on_a_weekend_is_the_previous_trading_day():
    # Sat 6 Jan and Sun 7 Jan -> Fri 5 Jan
    assert m.window_start_row(TRADING, ts("2024-01-06")) == ts("2024-01-05")
    assert m.window_start_row(TRADING, ts("2024-01-07")) == ts("2024-01-05")


def test_window_start_row_after_the_index_is_the_last_day():
    assert m.window_start_row(TRADING, ts("2024-02-01")) == ts("2024-01-09")


def test_window_start_row_before_the_index_is_none():
    assert m.window_start_row(TRADING, ts("2024-01-02")) is None


# --------------------------------------------------------------------------- returns
def test_simple_returns_hand_computed(prices):
    r = m.simple_returns(prices)
    assert math.isnan(r["A"].iloc[0])
    # 110/100 - 1 = 0.1 ; 99/110 - 1 = -0.1 ; 121/99 - 1 = 22/99
    assert r["A"].iloc[1:].tolist() == pytest.approx([0.1, -0.1, 22 / 99], **TIGHT)
    # B: NaN, NaN (no previous close), 55/50 - 1 = 0.1, 60/55 - 1 = 1/11
    assert r["B"].iloc[:2].isna().all()
    assert r["B"].iloc[2:].tolist() == pytest.approx([0.1, 1 / 11], **TIGHT)


def test_simple_returns_do_not_fill_across_a_gap():
    p = frame(WEEK[:3], A=[100, np.nan, 110])
    # 110 / NaN is unknown, not 110/100 - 1
    assert m.simple_returns(p)["A"].isna().all()


def test_total_return_is_last_over_first(prices):
    # 121 / 100 - 1 = 0.21
    assert m.total_return(prices)["A"] == pytest.approx(0.21, **TIGHT)


def test_total_return_of_a_column_younger_than_the_window_is_nan(prices):
    # B has no close on the window's first day -> NaN, not 60/50 - 1
    assert math.isnan(m.total_return(prices)["B"])


def test_total_return_ends_at_last_valid_close():
    p = frame(WEEK, A=[100, 110, 120, np.nan])
    # the fund stopped trading: 120 / 100 - 1 = 0.2
    assert m.total_return(p)["A"] == pytest.approx(0.2, **TIGHT)


def test_cagr_over_nominal_years():
    # 1.1 ** 3 = 1.331 -> total 0.331 over 3 years -> 1.331 ** (1/3) - 1 = 0.1
    assert m.cagr(0.331, 3) == pytest.approx(0.1, **TIGHT)


def test_cagr_vectorised_over_funds():
    # (1 + 0.21) ** (1/2) - 1 = 1.1 - 1 = 0.1 ; (1 - 0.19) ** (1/2) - 1 = 0.9 - 1 = -0.1
    got = m.cagr(pd.Series({"A": 0.21, "B": -0.19}), 2)
    assert got.tolist() == pytest.approx([0.1, -0.1], **TIGHT)


def test_cagr_since_inception_uses_days_over_365_25():
    # 2020-01-01 .. 2024-01-01 = 1461 days = 4 * 365.25 -> exactly 4 years
    years = (ts("2024-01-01") - ts("2020-01-01")).days / 365.25
    assert years == 4.0
    # 1.1 ** 4 = 1.4641 -> total 0.4641 -> CAGR 0.1
    assert m.cagr(0.4641, years) == pytest.approx(0.1, **TIGHT)


def test_growth_of_1000():
    # 1000 * 1.21 = 1210 ; 100 * 1.21 = 121
    assert m.growth_of(0.21) == pytest.approx(1210.0, **TIGHT)
    assert m.growth_of(0.21, 100.0) == pytest.approx(121.0, **TIGHT)


# --------------------------------------------------------------------------- risk
def test_annual_volatility_is_sample_std_times_sqrt_252():
    # prices 100, 102, 102, 99.96 -> returns 0.02, 0, -0.02 ; mean 0
    # sample variance = (0.02² + 0 + 0.02²) / (3 - 1) = 0.0004 -> std 0.02
    # annualised: 0.02 * sqrt(252) = 0.02 * 15.8745079 = 0.3174901573
    p = frame(WEEK, A=[100, 102, 102, 99.96])
    vol = m.annual_volatility(m.simple_returns(p).iloc[1:])
    assert vol["A"] == pytest.approx(0.02 * math.sqrt(252), rel=1e-12)
    assert vol["A"] == pytest.approx(0.3174901573, rel=1e-9)


def test_annual_volatility_skips_nan_returns():
    # the leading NaN of simple_returns is ignored: same 0.02 * sqrt(252)
    p = frame(WEEK, A=[100, 102, 102, 99.96])
    assert m.annual_volatility(m.simple_returns(p))["A"] == pytest.approx(0.02 * math.sqrt(252), rel=1e-12)


def test_annual_volatility_of_constant_prices_is_zero():
    p = frame(WEEK, A=[50, 50, 50, 50])
    assert m.annual_volatility(m.simple_returns(p).iloc[1:])["A"] == 0.0


def test_annual_volatility_of_one_return_is_nan():
    r = frame(WEEK[:1], A=[0.01])
    assert math.isnan(m.annual_volatility(r)["A"])


def test_daily_risk_free_compounds_back_to_the_annual_rate():
    rf = m.daily_risk_free(0.03)
    # (1.03) ** (1/252) - 1 = exp(ln 1.03 / 252) - 1 = exp(0.02955880 / 252) - 1 ≈ 0.000117304
    assert rf == pytest.approx(0.000117304, rel=1e-5)
    assert (1 + rf) ** 252 == pytest.approx(1.03, rel=1e-12)
    assert m.daily_risk_free(0.0) == 0.0


# returns 0.04, 0, 0.02, 0.02 with a daily rf of 0.01 -> excess 0.03, -0.01, 0.01, 0.01
RETS = frame(WEEK, A=[0.04, 0.0, 0.02, 0.02])
RF = 0.01


def test_sharpe_ratio_with_nonzero_risk_free():
    # mean excess = 0.04 / 4 = 0.01
    # deviations 0.02, -0.02, 0, 0 -> sample var = 0.0008 / 3 -> std = sqrt(0.0008/3)
    # Sharpe = 0.01 / sqrt(0.0008/3) * sqrt(252) = sqrt(3/8) * sqrt(252) = sqrt(94.5) = 9.72111...
    assert m.sharpe_ratio(RETS, RF)["A"] == pytest.approx(math.sqrt(94.5), rel=1e-12)


def test_sharpe_ratio_without_risk_free_differs():
    # mean 0.02, deviations 0.02, -0.02, 0, 0 -> same std ; 0.02 / sqrt(0.0008/3) * sqrt(252) = 2 sqrt(94.5)
    assert m.sharpe_ratio(RETS)["A"] == pytest.approx(2 * math.sqrt(94.5), rel=1e-12)


def test_sortino_ratio_with_nonzero_risk_free():
    # downside: min(excess, 0) = 0, -0.01, 0, 0 ; mean of squares over ALL 4 days = 0.0001/4
    # downside deviation = sqrt(0.000025) * sqrt(252) = 0.005 * sqrt(252)
    # Sortino = 0.01 * 252 / (0.005 * sqrt(252)) = 2 * sqrt(252) = 31.749...
    assert m.sortino_ratio(RETS, RF)["A"] == pytest.approx(2 * math.sqrt(252), rel=1e-12)


# --------------------------------------------------------------------------- drawdowns
def test_drawdown_curve(prices):
    # running high 100, 110, 110, 121 -> 0, 0, 99/110 - 1 = -0.1, 0
    assert m.drawdown(prices)["A"].tolist() == pytest.approx([0.0, 0.0, -0.1, 0.0], **TIGHT)


def test_max_drawdown_value_peak_trough_recovery(prices):
    row = m.max_drawdown(prices[["A"]]).loc["A"]
    # 99 / 110 - 1 = -0.1 ; high set on day 2, low on day 3, 121 >= 110 on day 4
    assert row["value"] == pytest.approx(-0.1, **TIGHT)
    assert row["peak"] == ts("2024-01-03")
    assert row["trough"] == ts("2024-01-04")
    assert row["recovery"] == ts("2024-01-05")


def test_max_drawdown_not_recovered_has_nat_recovery():
    # 100, 120, 90, 108 -> 90 / 120 - 1 = -0.25 ; 108 < 120 so never recovered
    p = frame(WEEK, A=[100, 120, 90, 108])
    row = m.max_drawdown(p).loc["A"]
    assert row["value"] == pytest.approx(-0.25, **TIGHT)
    assert (row["peak"], row["trough"]) == (ts("2024-01-03"), ts("2024-01-04"))
    assert pd.isna(row["recovery"])


def test_max_drawdown_of_a_monotonic_rise_is_zero_with_no_dates():
    p = frame(WEEK, A=[100, 101, 102, 103])
    row = m.max_drawdown(p).loc["A"]
    assert row["value"] == 0.0
    assert pd.isna(row["peak"]) and pd.isna(row["trough"]) and pd.isna(row["recovery"])


def test_max_drawdown_includes_the_start_close_as_a_peak():
    # 100, 80, 90, 100 -> the high is the first close: 80 / 100 - 1 = -0.2, recovered on day 4
    p = frame(WEEK, A=[100, 80, 90, 100])
    row = m.max_drawdown(p).loc["A"]
    assert row["value"] == pytest.approx(-0.2, **TIGHT)
    assert (row["peak"], row["trough"], row["recovery"]) == (ts("2024-01-02"), ts("2024-01-03"), ts("2024-01-05"))


def test_max_drawdown_peak_is_the_day_the_high_was_first_set():
    # 100, 110, 110, 88 -> 110 first set on day 2 ; 88 / 110 - 1 = -0.2
    p = frame(WEEK, A=[100, 110, 110, 88])
    row = m.max_drawdown(p).loc["A"]
    assert row["value"] == pytest.approx(-0.2, **TIGHT)
    assert row["peak"] == ts("2024-01-03")


def test_max_drawdown_of_a_younger_column_uses_its_own_days(prices):
    # B: 50, 55, 60 never falls -> 0 ; A unaffected by B's NaN
    out = m.max_drawdown(prices)
    assert out.loc["B", "value"] == 0.0
    assert out.loc["A", "value"] == pytest.approx(-0.1, **TIGHT)


# --------------------------------------------------------------------------- dividends
AS_OF = ts("2024-06-28")  # Fri; AS_OF - 365 days = 2023-06-29 (the year contains 29 Feb 2024)


@pytest.fixture
def dividends():
    idx = pd.DatetimeIndex(["2023-06-29", "2023-06-30", "2024-06-28", "2024-07-01"], name="ex_date")
    return pd.DataFrame({"A": [1.0, 0.5, 0.25, 2.0], "B": [np.nan] * 4}, index=idx)


@pytest.fixture
def closes():
    return frame(["2024-06-26", "2024-06-27", "2024-06-28"], A=[48, 49, 50], B=[20, 20, 20], C=[10, 10, np.nan])


def test_dividend_yield_ttm_counts_one_year_of_the_schedule(dividends, closes):
    # A pays once a year: 2023-06-29 and 2023-06-30 are one distribution (1.0 + 0.5, within 15 days), the next
    # is 2024-06-28 (0.25), 364 days later; 2024-07-01 is after the as-of date.  The year to 2024-06-28 holds one
    # annual payment: 0.25 / 50 = 0.005 (the old 365-day window also took 2023-06-30's 0.5: 0.015).
    assert AS_OF - pd.Timedelta(days=365) == ts("2023-06-29")
    assert m.payment_schedule(dividends["A"], AS_OF) == 1
    yld = m.dividend_yield_ttm(dividends, closes, AS_OF)
    assert yld["A"] == pytest.approx(0.25 / 50, **TIGHT)
    # the day before, the last annual payment is 2023-06-30's: 1.5 / 49
    assert m.dividend_yield_ttm(dividends, closes, ts("2024-06-27"))["A"] == pytest.approx(1.5 / 49, **TIGHT)


def test_dividend_yield_ttm_of_a_fund_without_dividends_is_zero(dividends, closes):
    assert m.dividend_yield_ttm(dividends, closes, AS_OF)["B"] == 0.0


def test_dividend_yield_ttm_with_unknown_close_is_nan(dividends, closes):
    assert math.isnan(m.dividend_yield_ttm(dividends, closes, AS_OF)["C"])


def test_dividend_yield_ttm_uses_last_close_on_or_before_as_of(dividends, closes):
    # Sun 30 Jun: window (2023-07-01, 2024-06-30] holds only 0.25 ; close of Fri 28 Jun = 50 -> 0.005
    assert m.dividend_yield_ttm(dividends, closes, ts("2024-06-30"))["A"] == pytest.approx(0.005, **TIGHT)


# --------------------------------------------------------------------------- pairs
def series(dates, values):
    return pd.Series(values, index=pd.DatetimeIndex(dates), dtype=float)


D5 = ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08"]


@pytest.fixture
def doubled():
    # a = 2 b on every day both have; on 4 Jan b is NaN and a is 0.5 (would break a = 2b if used)
    b = series(D5, [0.01, 0.02, np.nan, 0.03, -0.01])
    a = series(D5, [0.02, 0.04, 0.5, 0.06, -0.02])
    return a, b


def test_correlation_uses_only_days_both_have(doubled):
    a, b = doubled
    assert m.correlation(a, b) == pytest.approx(1.0, **TIGHT)


def test_beta_of_double_is_two(doubled):
    a, b = doubled
    assert m.beta(a, b) == pytest.approx(2.0, **TIGHT)
    # and B on A is one half
    assert m.beta(b, a) == pytest.approx(0.5, **TIGHT)


def test_beta_of_a_series_on_itself_is_one(doubled):
    a, _ = doubled
    assert m.beta(a, a) == pytest.approx(1.0, **TIGHT)


def test_correlation_and_beta_hand_computed():
    # a = 0.01, 0.03, 0.02 ; b = 0.01, 0.02, 0.03 ; both means 0.02
    # deviations a: -0.01, 0.01, 0 ; b: -0.01, 0, 0.01
    # cov = (1e-4 + 0 + 0) / 2 = 5e-5 ; var a = var b = 2e-4 / 2 = 1e-4
    # beta = 5e-5 / 1e-4 = 0.5 ; corr = 5e-5 / sqrt(1e-4 * 1e-4) = 0.5
    a = series(D5[:3], [0.01, 0.03, 0.02])
    b = series(D5[:3], [0.01, 0.02, 0.03])
    assert m.beta(a, b) == pytest.approx(0.5, rel=1e-12)
    assert m.correlation(a, b) == pytest.approx(0.5, rel=1e-12)


def test_correlation_aligns_on_dates_not_positions():
    # b is shifted by one day: only 3, 4, 5 Jan are common, where a = -b -> -1
    a = series(D5[:4], [0.05, 0.01, 0.02, 0.04])
    b = series(D5[1:], [-0.01, -0.02, -0.04, 0.9])
    assert m.correlation(a, b) == pytest.approx(-1.0, **TIGHT)
    assert m.beta(a, b) == pytest.approx(-1.0, **TIGHT)


def test_correlation_and_beta_need_three_common_days():
    a = series(D5[:2], [0.01, 0.02])
    assert math.isnan(m.correlation(a, a))
    assert math.isnan(m.beta(a, a))


def test_relative_strength_rebased_to_one_on_first_common_day():
    # A starts on day 2: ratios 10/20 = 0.5, 12/24 = 0.5, 15/25 = 0.6 -> rebased 1, 1, 1.2
    p = frame(WEEK, A=[np.nan, 10, 12, 15], B=[20, 20, 24, 25])
    rs = m.relative_strength(p, "A", "B")
    assert list(rs.index) == [ts(d) for d in WEEK[1:]]
    assert rs.tolist() == pytest.approx([1.0, 1.0, 1.2], **TIGHT)


# --------------------------------------------------------------------------- analysis on synthetic data
# Business days 2 Jan 2019 .. Mon 1 Jul 2024 (as-of).
#   OLD:   100 every day, except 115 on Fri 30 Jun 2023 and 110 on the as-of day.
#   YOUNG: starts Tue 1 Mar 2022 at 50; its daily return is exactly twice OLD's.
# 1y anchor = 2023-07-01 (a Saturday) -> window starts at the close of Fri 2023-06-30.
SYN_AS_OF = "2024-07-01"
YOUNG_START = ts("2022-03-01")


@pytest.fixture(scope="module")
def synthetic():
    idx = pd.bdate_range("2019-01-02", SYN_AS_OF, name="date")
    old = pd.Series(100.0, index=idx)
    old[ts("2023-06-30")] = 115.0
    old[ts(SYN_AS_OF)] = 110.0
    young = pd.Series(np.nan, index=idx)
    young[YOUNG_START] = 50.0
    r = old.pct_change()
    for prev, day in zip(idx[:-1], idx[1:]):
        if day > YOUNG_START:
            young[day] = young[prev] * (1 + 2 * r[day])
    adj = pd.DataFrame({"OLD": old, "YOUNG": young})
    divs = pd.DataFrame({"OLD": [0.5], "YOUNG": [np.nan]}, index=pd.DatetimeIndex(["2024-03-15"], name="ex_date"))
    md = MarketData(close=adj.copy(), adj_close=adj, dividends=divs, source="test")
    prep = prepare(md, SYN_AS_OF)
    return prep, analysis.compute_funds(prep, risk_free_rate=0.0)


def test_synthetic_data_is_valid_and_as_of_is_kept(synthetic):
    prep, _ = synthetic
    assert prep.as_of == ts(SYN_AS_OF)
    assert not any(f.stale for f in prep.freshness.values())


@pytest.mark.parametrize("key", ["total_return", "cagr", "volatility", "max_drawdown"])
def test_fund_younger_than_3y_gets_none_with_reason_for_3y(synthetic, key):
    _, funds = synthetic
    young = funds["YOUNG"]
    assert young.values[key]["3y"] is None
    assert "2022-03-01" in young.reasons[f"{key}.3y"]


def test_fund_younger_than_3y_has_no_longer_horizon_values(synthetic):
    _, funds = synthetic
    young = funds["YOUNG"]
    for h in ("3y", "5y", "10y"):
        assert young.values["total_return"][h] is None
        assert young.values["growth_of_1000"][h] is None
    for key in ("sharpe", "sortino"):
        assert young.values[key]["3y"] is None
        assert young.values[key]["5y"] is None


def test_fund_younger_than_3y_still_has_1y_values(synthetic):
    _, funds = synthetic
    young = funds["YOUNG"]
    # 1y: OLD's -13.04 % and +10 % doubled: (1 - 2 * 15/115) * (1 + 2 * 0.1) - 1 = (85/115) * 1.2 - 1
    assert young.values["total_return"]["1y"] == pytest.approx(85 / 115 * 1.2 - 1, abs=1e-8)
    assert "total_return.1y" not in young.reasons


def test_old_fund_has_3y_values(synthetic):
    _, funds = synthetic
    old = funds["OLD"]
    # 3y window 2021-07-01 .. 2024-07-01: 110 / 100 - 1 = 0.1 ; CAGR 1.1 ** (1/3) - 1
    assert old.values["total_return"]["3y"] == pytest.approx(0.1, abs=1e-8)
    assert old.values["cagr"]["3y"] == pytest.approx(1.1 ** (1 / 3) - 1, abs=1e-8)
    assert old.values["volatility"]["3y"] > 0


def test_1y_window_starts_at_last_close_on_or_before_anchor(synthetic):
    _, funds = synthetic
    old = funds["OLD"]
    # anchor Sat 2023-07-01 -> start Fri 2023-06-30 (115), not Mon 2023-07-03 (100):
    # 110 / 115 - 1 = -0.0434782... (would be 110/100 - 1 = +0.1 from the next close)
    assert old.values["total_return"]["1y"] == pytest.approx(110 / 115 - 1, abs=1e-8)
    assert old.values["growth_of_1000"]["1y"] == pytest.approx(1000 * 110 / 115, abs=1e-4)


def test_1y_max_drawdown_peaks_on_the_window_start_close(synthetic):
    _, funds = synthetic
    mdd = funds["OLD"].values["max_drawdown"]["1y"]
    # 100 / 115 - 1 = -0.1304347... ; never back to 115 by the as-of day (110)
    assert mdd == {
        "value": pytest.approx(100 / 115 - 1, abs=1e-8),
        "peak": "2023-06-30",
        "trough": "2023-07-03",
        "recovery": None,
    }


def test_inception_cagr_uses_days_over_365_25(synthetic):
    _, funds = synthetic
    young = funds["YOUNG"]
    assert young.values["inception"] == "2022-03-01"
    # YOUNG ends at 50 * 1.3 * (85/115) * 1.2 ; 853 days from 2022-03-01 to 2024-07-01
    total = 1.3 * (85 / 115) * 1.2 - 1
    days = (ts(SYN_AS_OF) - YOUNG_START).days
    assert days == 853
    assert young.values["total_return"]["inception"] == pytest.approx(total, abs=1e-8)
    assert young.values["cagr"]["inception"] == pytest.approx((1 + total) ** (365.25 / 853) - 1, abs=1e-8)


def test_dividend_yield_on_synthetic_data(synthetic):
    _, funds = synthetic
    # 0.5 paid 2024-03-15 / close 110 on the as-of day
    assert funds["OLD"].values["dividend_yield_ttm"] == pytest.approx(0.5 / 110, abs=1e-8)


def test_pair_with_young_fund_gets_none_for_3y_with_reason(synthetic):
    prep, _ = synthetic
    values, reasons = analysis.compute_pair(prep, m.simple_returns(prep.data.adj_close), "YOUNG", "OLD")
    for k in ("correlation", "beta"):
        assert values[k]["3y"] is None and values[k]["5y"] is None
        assert "2022-03-01" in reasons[f"{k}.3y"]


def test_pair_beta_of_doubled_returns_is_two(synthetic):
    prep, _ = synthetic
    values, reasons = analysis.compute_pair(prep, m.simple_returns(prep.data.adj_close), "YOUNG", "OLD")
    # YOUNG's return is 2 x OLD's every day -> beta 2, correlation 1 (1y window holds the two moves)
    assert values["beta"]["1y"] == pytest.approx(2.0, abs=1e-8)
    assert values["correlation"]["1y"] == pytest.approx(1.0, abs=1e-8)
    assert "beta.1y" not in reasons


# --------------------------------------------------------------------------- rolling one-year return (issue 18)
def test_rolling_return_by_hand():
    """Closes on chosen days: each value is the close over the last close on or before the same date a year
    earlier, minus 1; 29 Feb 2024 looks back to 28 Feb 2023; NaN before a full year and where a close is NaN."""
    days = pd.to_datetime(["2023-02-27", "2023-02-28", "2023-03-01", "2023-06-30", "2024-02-28", "2024-02-29",
                           "2024-03-01", "2024-07-01"])
    prices = pd.DataFrame({"A": [100, 110, 120, 130, 121, 132, 150, 143], "B": [10, np.nan, 10, 10, 20, 20, 30, 40]},
                          index=days, dtype=float)
    r = m.rolling_return(prices, 12)
    assert r["A"].iloc[:4].isna().all()
    assert r.loc["2024-02-28", "A"] == pytest.approx(121 / 110 - 1)   # back to 28 Feb 2023
    assert r.loc["2024-02-29", "A"] == pytest.approx(132 / 110 - 1)   # 29 Feb -> 28 Feb 2023
    assert r.loc["2024-03-01", "A"] == pytest.approx(150 / 120 - 1)
    assert r.loc["2024-07-01", "A"] == pytest.approx(143 / 130 - 1)   # 1 Jul 2023 a Saturday: 30 Jun's close
    assert np.isnan(r.loc["2024-02-28", "B"]) and r.loc["2024-03-01", "B"] == pytest.approx(2.0)


def test_rolling_return_last_value_is_the_one_year_total_return():
    days = pd.bdate_range("2020-01-01", "2022-08-15")
    rng = np.random.default_rng(7)
    prices = pd.DataFrame({"A": 100 * np.cumprod(1 + rng.normal(0, 0.01, len(days)))}, index=days)
    end = days[-1]
    start = m.window_start_row(days, m.window_anchor(end, "1y"))
    assert m.rolling_return(prices, 12)["A"].iloc[-1] == pytest.approx(m.total_return(prices.loc[start:])["A"])


def test_monthly_returns_by_hand():
    days = pd.to_datetime(["2023-11-15", "2023-11-30", "2023-12-29", "2024-01-31", "2024-02-09"])
    grid = m.monthly_returns(pd.Series([100.0, 110.0, 99.0, 99.0, 108.9], index=days))
    assert list(grid.index) == [2023, 2024] and list(grid.columns) == list(range(1, 13))
    assert grid.loc[2023, 11] == pytest.approx(0.10)       # from the first close (15 Nov)
    assert grid.loc[2023, 12] == pytest.approx(-0.10)
    assert grid.loc[2024, 1] == pytest.approx(0.0) and grid.loc[2024, 2] == pytest.approx(0.10)  # to date
    assert grid.loc[2023, 1:10].isna().all() and grid.loc[2024, 3:].isna().all()
    one = m.monthly_returns(pd.Series([100.0, 101.0, 103.02], index=pd.to_datetime(["2023-01-31", "2023-02-01",
                                                                                     "2023-02-28"])))
    assert np.isnan(one.loc[2023, 1]) and one.loc[2023, 2] == pytest.approx(0.0302)  # one close in January: no return


def test_monthly_heatmap_bands():
    from versus.pages.monthly import band

    assert [band(v) for v in (0.0, 0.01, -0.01, 0.011, 0.031, 0.061, -0.02, -0.05, -0.2, float("nan"), None)] == [
        None, None, None, "heat-p1", "heat-p2", "heat-p3", "heat-n1", "heat-n2", "heat-n3", None, None]

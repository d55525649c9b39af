"""The trailing-12-month yield counts exactly one year of a fund's payment schedule (issue 13.6).

The old window ``(E - 365 days, E]`` held two June payments whenever this year's ex-date fell a few days
earlier in the calendar than last year's: SPY showed 1.24% on its 2026-06-18 ex-date against 1.01% the day
before, and at 2016-06-24 VTI's double-counted June made it out-yield VOO."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from versus import metrics as m
from versus.metrics.returns import MERGE_DAYS
from versus.sources.snapshot import SnapshotSource

ORIGINAL = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]


@pytest.fixture(scope="module")
def md():
    return SnapshotSource().load(ORIGINAL)


def yield_on(md, t, day):
    return float(m.dividend_yield_ttm(md.dividends[[t]], md.close[[t]], pd.Timestamp(day))[t])


def test_spy_on_its_june_2026_ex_date_counts_four_payments(md):
    """SPY's ex-dates: 2025-06-20 1.761, 2025-09-19 1.831, 2025-12-19 1.993, 2026-03-20 1.797, 2026-06-18 1.904."""
    close = md.close["SPY"]
    before = (1.761 + 1.831 + 1.993 + 1.797) / close.loc["2026-06-17"]
    on = (1.831 + 1.993 + 1.797 + 1.904) / close.loc["2026-06-18"]
    assert yield_on(md, "SPY", "2026-06-17") == pytest.approx(before, rel=1e-12)
    assert yield_on(md, "SPY", "2026-06-18") == pytest.approx(on, rel=1e-12)
    assert round(on * 100, 2) == 1.01 and abs(on - before) < 0.0005  # not 1.24%
    assert list(m.ttm_distributions(md.dividends["SPY"], pd.Timestamp("2026-06-18")).index.strftime("%m-%d")) == \
        ["09-19", "12-19", "03-20", "06-18"]


def test_voo_out_yields_vti_at_2016_06_24(md):
    """VOO 0.953 + 1.092 + 1.006 + 0.953 over 186.34 = 2.15%; VTI 0.508 + 0.583 + 0.480 + 0.469 over 104.05 =
    1.96% (the 365-day window added VTI's 2015-06-26 payment: 2.41%)."""
    voo, vti = yield_on(md, "VOO", "2016-06-24"), yield_on(md, "VTI", "2016-06-24")
    assert voo == pytest.approx((0.953 + 1.092 + 1.006 + 0.953) / 186.339996, rel=1e-6)
    assert vti == pytest.approx((0.508 + 0.583 + 0.480 + 0.469) / 104.050003, rel=1e-6)
    assert voo > vti


@pytest.mark.parametrize("t", ORIGINAL)
def test_never_one_periodic_payment_twice_at_every_ex_date(md, t):
    """At every ex-date of the seven original funds, and the trading day before it: never two payments one year
    apart (the same periodic payment of two years), none older than a year and half a period, and more than N
    (the schedule) only with an off-schedule distribution among them (SPY's special of 2004-11-15, QQQ's move
    from yearly to half-yearly payments in 2005)."""
    if t not in md.dividends.columns or md.dividends[t].dropna().empty:
        assert m.ttm_distributions(pd.Series(dtype=float), pd.Timestamp("2026-01-02")).empty
        return
    divs = md.dividends[t]
    checked = 0
    for e in divs.dropna().index:
        for day in (e, e - pd.offsets.BDay(1)):
            n = m.payment_schedule(divs, day)
            used = m.ttm_distributions(divs, day)
            period = 365.25 / max(n, 1)
            gaps = np.diff(used.index.to_numpy()).astype("timedelta64[D]").astype(int)
            off = (gaps < 0.75 * period).any() if len(used) > 1 else False
            assert len(used) <= n or off, (t, day, list(used.index))
            assert (used.index > day - pd.DateOffset(months=12) - pd.Timedelta(days=period / 2)).all(), (t, day)
            spans = [(b - a).days for i, a in enumerate(used.index) for b in used.index[i + 1:]]
            assert not any(abs(s - 365) < period / 4 for s in spans), (t, day, list(used.index))
            assert (gaps > MERGE_DAYS).all()
            checked += 1
    assert checked > 50


@pytest.mark.parametrize("n,step", [(12, 30), (4, 91), (2, 182), (1, 365)])
def test_a_drifting_schedule_counts_exactly_one_year_every_day(n, step):
    """Payments every ``step`` days, drifting a few days a year in both directions: on every day of three
    years the yield counts exactly ``n`` payments."""
    rng = np.random.default_rng(n)
    start = pd.Timestamp("2010-01-15")
    dates = [start + pd.Timedelta(days=int(i * 365.25 / n + rng.integers(-4, 5))) for i in range(8 * n)]
    divs = pd.Series(1.0, index=pd.DatetimeIndex(dates))
    for day in pd.date_range("2013-01-01", "2015-12-31", freq="D"):
        used = m.ttm_distributions(divs, day)
        assert len(used) == n and m.payment_schedule(divs, day) == n, (n, day)


def test_a_special_distribution_is_counted_and_a_stopped_fund_yields_nothing():
    quarterly = pd.date_range("2018-03-20", "2020-12-20", freq="3MS") + pd.Timedelta(days=19)
    divs = pd.Series(1.0, index=quarterly)
    divs.loc[pd.Timestamp("2020-11-15")] = 5.0  # a special, between two regular payments
    divs = divs.sort_index()
    used = m.ttm_distributions(divs, pd.Timestamp("2020-12-31"))
    assert used.sum() == 4 + 5 and len(used) == 5
    assert m.ttm_distributions(divs, pd.Timestamp("2022-06-30")).empty  # nothing paid for 18 months
    # a special on the same day-range as a regular payment is one distribution
    close = pd.Series([1.0, 2.0], index=pd.DatetimeIndex(["2020-12-30", "2020-12-31"])).to_frame("X")
    assert float(m.dividend_yield_ttm(divs.to_frame("X"), close, pd.Timestamp("2020-12-31"))["X"]) == 4.5

"""The array fast paths of issue 17 (a page's numbers) give exactly what the pandas formulation gives.

``analysis.series.comparison`` and ``rolling_returns`` (growth, drawdowns, relative strength, rolling
correlation, volatility and one-year return), ``joint_closes``, ``metrics.relative_return_by_month`` (the
seasonality chart), ``analysis.sanity.dividend_checks`` and ``metrics.schedule_of`` were rewritten on numpy
arrays (and comparison's sorted last values, ``analysis.arrays.sorted_series``).  The pandas formulations
they replaced are the references: kept in the modules for the inputs the fast paths do not take
(``_comparison_frames``, ``_rolling_returns_frames``, ``_relative_return_by_month_frames``) or copied here
verbatim.  Every check is exact equality (the same
floats, dates and types), on the real snapshot at several as-of dates (funds in their first days, stale
funds) and on awkward frames: one, two, 90, 91, 200 and 201 common days, an empty month, a 29 February.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from versus import fmt
from versus import metrics as m
from versus.analysis import sanity
from versus.analysis import series as an
from versus.analysis.arrays import sorted_series, timestamp_at
from versus.config.site import load_config
from versus.metrics.returns import SCHEDULES, _distributions, schedule_of
from versus.sources.snapshot import SnapshotSource

AS_OFS = [None, "2020-03-23", "2016-02-29", "2010-09-20", "2009-11-17"]
"""Today; a crash; a 29 February; VOO's (2010-09-09) and SCHA's (2009-11-03) first weeks."""


@pytest.fixture(scope="module")
def md():
    return SnapshotSource().load(list(load_config().funds))


@pytest.fixture(scope="module")
def adj(md) -> pd.DataFrame:
    return md.adj_close


def _cases(adj: pd.DataFrame) -> list[tuple[pd.DataFrame, list[str]]]:
    """(closes cut at an as-of date, tickers): pairs, groups and single funds, plus short common histories."""
    cols = list(adj.columns)
    sets = [["QQQ", "IWM"], ["SPY", "VOO"], ["SCHA", "SPY"], ["BND", "AGG"], ["QQQ", "IWM", "SPY"],
            ["VOO", "SCHA", "DIA", "VTI"], ["QQQ"], ["VOO"]]
    sets = [s for s in sets if all(t in cols for t in s)] + [cols[k:k + 2] for k in range(0, len(cols) - 1, 5)]
    out = []
    for as_of in AS_OFS:
        cut = adj if as_of is None else adj.loc[:as_of]
        out += [(cut, s) for s in sets]
    joint = adj[["QQQ", "IWM"]].dropna()
    for n in (1, 2, 3, 21, 90, 91, 92, 200, 201, 260):  # the windows fill one row after another
        out.append((joint.iloc[:n], ["QQQ", "IWM"]))
        out.append((joint.iloc[-n:], ["IWM", "QQQ"]))
    return out


def _same(a, b) -> bool:
    """Exact equality of nested results: frames and series (values, index, columns, dtypes, names), floats
    (NaN equals NaN, and the type too), dates, dicts and lists."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, check_freq=False)
        return True
    if isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, check_freq=False)
        return True
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), (a, b)
        return all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), (a, b)
        return all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        assert isinstance(b, float) and math.isnan(b), (a, b)
        return True
    assert type(a) is type(b) and a == b, (a, b, type(a), type(b))
    return True


def _same_rolling(a: an.Rolling, b: an.Rolling) -> None:
    for k in ("tickers", "end", "frame", "stats", "ahead", "windows"):
        assert _same(getattr(a, k), getattr(b, k)), k


def test_comparison_on_arrays_equals_the_pandas_formulation(adj):
    for cut, tickers in _cases(adj):
        joint = an.joint_closes(cut, tickers)
        if not len(joint):
            continue
        got, want = an.comparison(joint, tickers), an._comparison_frames(joint, tickers)
        for k in ("joint", "tickers", "growth", "growth_ends", "drawdown", "worst", "worst_on", "below",
                  "correlation", "correlation_stats", "volatility", "volatility_now", "most_volatile"):
            assert _same(getattr(got, k), getattr(want, k)), (tickers, len(joint), k)
        assert list(got.relative) == list(want.relative)
        for o in got.relative:
            for k in ("ratio", "average", "regime", "lead"):
                assert _same(getattr(got.relative[o], k), getattr(want.relative[o], k)), (tickers, o, k)
        _same_rolling(got.rolling, want.rolling)


def test_comparison_with_a_gap_takes_the_pandas_formulation(adj):
    joint = adj[["QQQ", "IWM"]].dropna().copy()
    joint.iloc[100:103, 1] = np.nan
    got = an.comparison(joint, ["QQQ", "IWM"])
    assert np.isnan(got.growth["IWM"].iloc[101])  # the frames' arithmetic, gaps and all


def test_rolling_returns_on_arrays_equal_the_pandas_formulation(adj):
    for cut, tickers in _cases(adj):
        frame = cut[tickers].dropna(how="all") if len(tickers) > 1 else cut[tickers].dropna()
        if not len(frame):
            continue
        _same_rolling(an.rolling_returns(frame, tickers), an._rolling_returns_frames(frame, tickers))
    holed = adj[["QQQ", "SCHA"]].copy()  # a fund missing days inside (no common-days cut)
    holed.iloc[3000:3040, 1] = np.nan
    _same_rolling(an.rolling_returns(holed, ["QQQ", "SCHA"]), an._rolling_returns_frames(holed, ["QQQ", "SCHA"]))


def test_joint_closes_equal_dropna(adj):
    for cut, tickers in _cases(adj):
        want = cut[tickers].dropna()
        got = an.joint_closes(cut, tickers)
        pd.testing.assert_frame_equal(got, want, check_exact=True, check_column_type=True)


def test_relative_return_by_month_on_arrays_equals_the_groupby(adj):
    gap = adj[["QQQ", "IWM"]].dropna()
    gap = gap[(gap.index < "2020-03-01") | (gap.index >= "2020-05-01")]  # April 2020 is empty
    late = adj[["QQQ", "IWM"]].dropna().loc[:"2024-02-29"]
    frames = [(cut, s[:2]) for cut, s in _cases(adj) if len(s) > 1] + [(gap, ["QQQ", "IWM"]), (late, ["IWM", "QQQ"])]
    for n in (25, 45, 70):  # one, two and three months of closes
        frames.append((adj.iloc[-n:], ["SPY", "QQQ"]))
    for cut, (a, b) in frames:
        if not len(cut[[a, b]].dropna()):
            continue
        pd.testing.assert_frame_equal(m.relative_return_by_month(cut, a, b),
                                      m.returns._relative_return_by_month_frames(cut, a, b), check_exact=True)


def test_kahan_means_are_what_pandas_groupby_gives():
    """Values whose plain sum differs from the compensated one: the grouped mean is pandas' (Kahan's)."""
    rng = np.random.default_rng(7)
    dates = pd.date_range("1990-01-31", periods=420, freq="ME")
    diff = pd.Series(rng.normal(0, 1, len(dates)) * 10.0 ** rng.integers(-8, 8, len(dates)), index=dates)
    periods = np.asarray(dates.year) * 12 + np.asarray(dates.month) - 1
    got = m.periods._by_month(periods, diff.to_numpy(), None)
    want = diff.groupby(diff.index.month).mean()
    assert np.array_equal(got["mean"].to_numpy(), want.to_numpy())
    plain = np.array([diff[diff.index.month == k].to_numpy().sum() / 35 for k in range(1, 13)])
    assert not np.array_equal(plain, want.to_numpy())  # the data tell the two sums apart


# --------------------------------------------------------------------------- dividend checks: the code before
def _dividend_checks_reference(t: str, close: pd.Series, adj: pd.Series, listed: pd.Series) -> list:
    out = []
    prev_close = close.shift(1)
    factor = adj / close
    implied = (1 - factor.shift(1) / factor).dropna()
    listed = listed.dropna()
    near = pd.Timedelta(days=sanity.DIVIDEND_DAYS)
    for day, ratio in implied[implied > sanity.DIVIDEND_MIN].items():
        if not ((listed.index >= day - near) & (listed.index <= day + near)).any():
            out.append(sanity.Finding("dividend_unlisted", day.date().isoformat(), (t,),
                                      f"{fmt.date(day)}: {t}'s closes imply a dividend of about "
                                      f"${ratio * prev_close[day]:,.3f} a share ({fmt.pct(ratio, 2)}) that its "
                                      f"dividend list does not have."))
    for day, amount in listed.items():
        if day not in implied.index:
            continue
        want, got = amount / prev_close[day], implied[day]
        if abs(got - want) > max(0.0002, sanity.DIVIDEND_TOLERANCE * want):
            out.append(sanity.Finding("dividend_not_in_closes", day.date().isoformat(), (t,),
                                      f"{fmt.date(day)}: {t}'s listed dividend of ${amount:,.3f} a share "
                                      f"({fmt.pct(want, 2)}) is not what its closes imply ({fmt.pct(got, 2)})."))
    return out + _schedule_gaps_reference(t, listed, close, out)


def _schedule_gaps_reference(t, listed, close, unlisted) -> list:
    d = _distributions(listed, listed.index[-1]) if len(listed) else listed
    out = []
    dates = d.index.to_numpy()
    first = d.index.searchsorted(d.index - pd.DateOffset(months=24), side="right") if len(d) else []
    for k, (prev, day) in enumerate(zip(d.index[:-1], d.index[1:])):
        n = _schedule_of_reference(dates[first[k]: k + 1])
        if n not in (4, 12) or (day - prev).days <= sanity.SCHEDULE_GAP * 365.25 / n:
            continue
        if any(prev < pd.Timestamp(f.date) < day for f in unlisted):
            continue
        missed = prev + pd.Timedelta(days=round(365.25 / n))
        closes = close.loc[prev:day]
        if len(closes) and closes.notna().all():
            said = ("and its adjusted closes show none either: the fund skipped one (some do, e.g. inflation-linked "
                    "bond funds), or the payment is missing from both and returns over periods that span it leave it out")
        else:
            said = "and without closes for the whole gap it cannot be told whether the adjusted closes include it"
        out.append(sanity.Finding("dividend_gap", missed.date().isoformat(), (t,),
                                  f"{fmt.date(prev)} to {fmt.date(day)}: {t} pays {'quarterly' if n == 4 else 'monthly'}, "
                                  f"but its dividend list has no payment between these two, {said}."))
    return out


def _schedule_of_reference(recent: np.ndarray) -> int:
    if not len(recent):
        return 0
    gaps = np.diff(recent[-5:]).astype("timedelta64[D]").astype(float)
    if not len(gaps):
        return 1
    per_year = 365.25 / float(np.median(gaps))
    return min(SCHEDULES, key=lambda n: abs(np.log(per_year / n)))


def test_dividend_checks_by_positions_equal_the_day_by_day_formulation(md):
    adj, found = md.adj_close, 0
    for as_of in AS_OFS:
        cut = adj if as_of is None else adj.loc[:as_of]
        for t in cut.columns:
            close = (md.close[t] if t in md.close else pd.Series(dtype=float)).reindex(cut.index)
            listed = md.dividends[t] if t in md.dividends else pd.Series(dtype=float)
            listed = listed if as_of is None else listed.loc[:as_of]
            got = sanity.dividend_checks(t, close, cut[t], listed)
            assert got == _dividend_checks_reference(t, close, cut[t], listed), (t, as_of)
            found += len(got)
    assert found > 50  # the real data hold findings of every kind to compare


def test_dividend_checks_with_a_listed_payment_out_of_order_take_the_reference(md):
    t = "SPY"
    close, listed = md.close[t].reindex(md.adj_close.index), md.dividends[t].dropna()
    shuffled = listed.iloc[::-1]
    assert sanity.dividend_checks(t, close, md.adj_close[t], shuffled) == \
        _dividend_checks_reference(t, close, md.adj_close[t], shuffled)


def test_schedule_of_equals_the_numpy_median_formulation():
    rng = np.random.default_rng(11)
    for _ in range(5000):
        d = np.unique(np.datetime64("2010-01-01") + rng.integers(0, 900, rng.integers(0, 8)).astype("timedelta64[D]"))
        assert schedule_of(d) == _schedule_of_reference(d)


def test_window_anchor_once_per_date_equals_the_offset():
    for day in pd.date_range("2016-02-25", "2016-03-05").append(pd.DatetimeIndex(["2024-02-29", "2025-08-31"])):
        for h, months in m.HORIZON_MONTHS.items():
            assert m.window_anchor(day, h) == day - pd.DateOffset(months=months)


def _last_days_reference(joint: pd.DataFrame, tickers: list[str], days: int = an.ROLL_DAYS) -> an.LastDays:
    """last_days before its correlations were taken from the arrays (issue 17)."""
    st = m.window_statistics(joint, days)
    win = joint.iloc[-(days + 1):]
    rets = m.simple_returns(win).iloc[1:]
    base = tickers[0]
    short = len(joint) < days + 1
    if len(tickers) == 2:
        corrs = [float("nan") if short else m.correlation(rets[base], rets[tickers[1]])]
    else:
        corrs = [None if x == base or short else m.correlation(rets[base], rets[x]) for x in tickers]
    return an.LastDays(st.to_dict("index"), win.index[0], win.index[-1], short, corrs)


def test_last_days_correlations_from_arrays_equal_the_frames(adj):
    holed = adj[["QQQ", "IWM", "SPY"]].dropna().iloc[-300:].copy()
    holed.iloc[-50:-45, 1] = np.nan  # a gap inside the window
    for cut, tickers in _cases(adj) + [(holed, ["QQQ", "IWM", "SPY"]), (holed, ["IWM", "QQQ"])]:
        joint = an.joint_closes(cut, tickers) if cut is not holed else holed[tickers]
        if not len(joint):
            continue
        got, want = an.last_days(joint, tickers), _last_days_reference(joint, tickers)
        for k in ("stats", "start", "end", "short", "correlations"):
            assert _same(getattr(got, k), getattr(want, k)), (tickers, len(joint), k)


def _period_returns_reference(prices: pd.DataFrame, freq: str) -> pd.DataFrame:
    ends = m.returns._period_last(prices, freq)
    starts = ends.shift(1)
    starts.iloc[0] = prices.iloc[0]
    return ends / starts - 1.0


def test_period_returns_by_positions_equal_the_frames(adj):
    gap = adj[["QQQ", "IWM"]].dropna()
    gap = gap[(gap.index < "2020-03-01") | (gap.index >= "2020-05-01")]  # April 2020 is empty
    frames = [cut[tickers] for cut, tickers in _cases(adj)] + [gap, adj, adj[["SCHA", "SPY"]]]
    for frame in frames:
        if not len(frame):
            continue
        for freq in ("YE", "ME"):
            pd.testing.assert_frame_equal(m.period_returns(frame, freq), _period_returns_reference(frame, freq),
                                          check_exact=True)


def test_calendar_summary_from_arrays_equals_the_frames(adj):
    seen = 0
    for cut, tickers in _cases(adj):
        joint = an.joint_closes(cut, tickers)
        if not len(joint):
            continue
        cal = an.calendar(joint, tickers)
        assert _same(cal.summary, an.calendar_summary(cal.full, tickers)), tickers
        seen += bool(len(cal.full))
    assert seen > 20


def test_calendar_year_returns_by_positions_equal_period_returns(adj):
    for frame in [cut[tickers] for cut, tickers in _cases(adj)] + [adj, adj[["SCHA", "SPY"]]]:
        if not len(frame):
            continue
        want = _period_returns_reference(frame, "YE")
        want.index = want.index.year
        pd.testing.assert_frame_equal(m.calendar_year_returns(frame), want, check_exact=True)


def _seasonality_reference(adj: pd.DataFrame, tickers: list[str]) -> dict:
    base = tickers[0]
    seas = {o: m.relative_return_by_month(adj, base, o) for o in tickers[1:]}
    arrays = {o: {k: seas[o][k].to_numpy(dtype=float) for k in ("mean", "a_wins", "count")} for o in tickers[1:]}
    first = seas[tickers[1]]
    out = {"by_fund": arrays, "empty": bool(first["mean"].isna().all())}
    if not out["empty"]:
        hi, lo = first["mean"].idxmax(), first["mean"].idxmin()
        out.update(years=int(first["count"].max()), best=hi, best_mean=first.loc[hi, "mean"],
                   best_wins=first.loc[hi, "a_wins"], worst=lo, worst_mean=first.loc[lo, "mean"],
                   worst_wins=first.loc[lo, "a_wins"], june=first.loc[6, "mean"])
    return out


def _same_arrays(a: dict, b: dict) -> None:
    assert list(a) == list(b)
    for k in a:
        if isinstance(a[k], dict):
            _same_arrays(a[k], b[k])
        elif isinstance(a[k], np.ndarray):
            assert np.array_equal(a[k], b[k], equal_nan=True) and a[k].dtype == b[k].dtype, k
        else:
            assert _same(a[k], b[k]), k


def test_seasonality_from_arrays_equals_the_frames(adj):
    seen = 0
    for cut, tickers in _cases(adj) + [(adj.iloc[-25:], ["SPY", "QQQ"]), (adj.iloc[-45:], ["QQQ", "SPY"])]:
        if len(tickers) < 2 or not len(cut[tickers].dropna()):
            continue
        got = an.seasonality(cut, tickers)
        _same_arrays(got, _seasonality_reference(cut, tickers))
        seen += not got["empty"]
    assert seen > 20


def test_seasonality_from_the_joint_closes_equals_from_the_frame(adj):
    """A pair page's seasonality from its common days' closes (``joint``) is the one from ``adj`` (the months of
    :func:`versus.metrics.periods.month_differences`, the means of ``by_month``), every array and figure."""
    seen = 0
    for cut, tickers in _cases(adj) + [(adj.iloc[-25:], ["SPY", "QQQ"]), (adj.iloc[-45:], ["QQQ", "SPY"])]:
        joint = an.joint_closes(cut, tickers)
        if len(tickers) != 2 or not len(joint):
            continue
        got = an.seasonality(cut, tickers, joint)
        _same_arrays(got, _seasonality_reference(cut, tickers))
        seen += not got["empty"]
    assert seen > 10


def _monthly_returns_reference(prices: pd.Series) -> pd.DataFrame:
    """``metrics.monthly_returns`` as it was: the months' returns pivoted by pandas."""
    s = prices.dropna()
    monthly = m.period_returns(s.to_frame("r"), "ME")["r"]
    if len(s) and (s.index[:2].to_period("M") == s.index[0].to_period("M")).sum() < 2:
        monthly = monthly.iloc[1:]
    grid = pd.DataFrame({"year": monthly.index.year, "month": monthly.index.month, "r": monthly.to_numpy()})
    return grid.pivot(index="year", columns="month", values="r").reindex(columns=range(1, 13))


def test_monthly_grid_from_arrays_equals_the_pivot(adj):
    """The fund page's year x month grid from the months' numbers is pandas' pivot (values, index and column
    types): real funds at several dates, a fund's first days, an empty month, dates before 1970."""
    days = pd.to_datetime(["1969-12-30", "1969-12-31", "1970-01-02", "1970-03-02"])
    cases = [adj[t] if as_of is None else adj[t].loc[:as_of] for t in ("QQQ", "SCHA", "VOO", "BND")
             for as_of in AS_OFS]
    cases += [adj["QQQ"].dropna().iloc[:n] for n in (1, 2, 3, 25)]
    cases += [pd.Series([100.0, 101.0, 99.0, 98.0], index=days), pd.Series([100.0, 101.0], index=days[1:3])]
    seen = 0
    for prices in cases:
        if prices.dropna().empty:
            continue
        pd.testing.assert_frame_equal(m.monthly_returns(prices), _monthly_returns_reference(prices), check_exact=True)
        seen += 1
    assert seen > 20


def test_month_not_over_is_pandas_next_business_day():
    """``month_not_over`` (numpy's weekday calendar) against ``(last + BDay(1)).month == last.month``, every day
    of two years (weekends, month ends on a Friday, Saturday or Sunday, a 29 February)."""
    for day in pd.date_range("2019-12-25", "2021-03-05"):
        want = (day + pd.offsets.BDay(1)).month == day.month
        assert m.periods.month_not_over(np.datetime64(day.to_datetime64())) == want, day


def test_period_bounds_are_where_the_year_or_month_changes():
    """``period_bounds`` (bisecting at each period's first day) against comparing each date's year and month with
    the next one's, on real dates, a gap of a whole month, repeated dates, one date and dates before 1970."""
    rng = np.random.default_rng(3)
    days = pd.bdate_range("1965-06-01", "2026-03-31")
    cases = [days, days[:1], days[-40:], days[(days < "2020-03-01") | (days >= "2020-05-01")],
             pd.DatetimeIndex(np.sort(rng.choice(days.values, 700))), pd.DatetimeIndex(["2016-02-29"] * 3)]
    for idx in cases:
        for unit in ("Y", "M"):
            key = np.asarray(idx.year, dtype=np.int64) - 1970
            if unit == "M":
                key = key * 12 + np.asarray(idx.month, dtype=np.int64) - 1
            ends = np.r_[np.flatnonzero(key[1:] != key[:-1]), len(key) - 1]
            got_ends, got_periods = m.periods.period_bounds(idx.values, unit)
            assert np.array_equal(got_ends, ends) and np.array_equal(got_periods, key[ends]), (unit, len(idx))


def test_sorted_series_from_arrays_equal_sort_values():
    """comparison's sorted last values (growth, worst drawdown, volatility now): pandas' order, ties and NaN."""
    cols = pd.Index(["A", "B", "C", "D", "E"])
    for values in ([3.0, 1.0, 2.0, 1.0, 3.0], [np.nan, 1.0, np.nan, 1.0, 0.5], [2.0] * 5, [np.nan] * 5,
                   [-0.0, 0.0, -1.0, np.inf, -np.inf]):
        for ascending in (True, False):
            want = pd.Series(values, index=cols, name=pd.Timestamp("2020-03-23")).sort_values(ascending=ascending)
            got = sorted_series(np.array(values), cols, ascending, pd.Timestamp("2020-03-23"))
            pd.testing.assert_series_equal(got, want, check_exact=True)
    for values in ([1.0, 2.0], [2.0, 1.0]):  # a pair already in order keeps its index
        for ascending in (True, False):
            want = pd.Series(values, index=cols[:2]).sort_values(ascending=ascending)
            pd.testing.assert_series_equal(sorted_series(np.array(values), cols[:2], ascending), want, check_exact=True)


def test_dates_from_datetime64_values_equal_indexing(adj):
    """analysis.arrays.timestamp_at and fmt.dates (the year-end tables' labels): what indexing the real dates and
    fmt.date of each give, the same Timestamps (value, unit, repr) and texts; a time zone goes through pandas."""
    idx = adj.index
    at = [0, 1, 59, len(idx) // 2, len(idx) - 1, -1, -2]
    for i in at:
        want, got = idx[i], timestamp_at(idx, i)
        assert got == want and got.unit == want.unit and repr(got) == repr(want) and type(got) is type(want)
    tz = idx[:5].tz_localize("America/New_York")
    assert all(timestamp_at(tz, i) == tz[i] and timestamp_at(tz, i).tz == tz[i].tz for i in range(5))
    picks = np.asarray(idx.values)[[0, 2, 400, len(idx) - 1]]
    assert fmt.dates(picks) == [fmt.date(idx[k]) for k in (0, 2, 400, len(idx) - 1)]
    assert fmt.dates(picks[:0]) == [] and fmt.dates(np.array(["2016-02-29"], dtype="datetime64[us]")) == ["29 Feb 2016"]

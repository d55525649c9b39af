"""The per-pair figures on arrays (issue 7) equal the pandas reference they replaced, on the real snapshot.

``analysis.compute_pair`` (correlation and beta over 90d/1y/3y/5y) and ``analysis.pair_series`` (rolling
one-year correlation range, lead-lag profile) cut their windows with ``searchsorted`` on the joint dates
and compute on numpy arrays (``metrics.correlation_of``, ``metrics.beta_of``).  The reference below is the
earlier pandas code, kept verbatim: a frame per pair, ``.loc`` per window, ``Series.corr`` per window and
per lag.  Every ordered pair of the seven snapshot funds is compared at several as-of dates, among them
dates at which VOO (2010-09-09) and SCHA (2009-11-03) are too young for some windows, so the nulls and
their reasons are compared too.  As of 2026-08-21 VOO, VTI, SCHA (2026-07-31) and DIA (2026-08-20) are stale:
a pair's windows end at the earlier last close.  Missing days inside the series (a fund not trading on days the
other does) are added by punching holes into the returns ("gaps").
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from versus import analysis, facts
from versus import metrics as m
from versus.data import prepare
from versus.util import num
from versus.sources.snapshot import SnapshotSource

TICKERS = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]
PAIRS = [(a, b) for a in TICKERS for b in TICKERS if a != b]
AS_OFS = ["2026-08-21", "2026-07-31", "gaps", "2016-02-29", "2013-06-28", "2011-03-31", "2010-12-15", "2010-10-01"]


# --------------------------------------------------------------------------- the reference (the pandas code before)
def ref_correlation(a: pd.Series, b: pd.Series) -> float:
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    if len(joint) < 3:
        return float("nan")
    return float(joint.iloc[:, 0].corr(joint.iloc[:, 1]))


def ref_beta(a: pd.Series, b: pd.Series) -> float:
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    if len(joint) < 3:
        return float("nan")
    x, y = joint.iloc[:, 0].to_numpy(), joint.iloc[:, 1].to_numpy()
    return float(np.cov(x, y, ddof=1)[0, 1] / np.var(y, ddof=1))


def ref_cross_correlation(a: pd.Series, b: pd.Series, max_lag: int = 5) -> pd.Series:
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    x, y = joint.iloc[:, 0].reset_index(drop=True), joint.iloc[:, 1].reset_index(drop=True)
    vals = {}
    for k in range(-max_lag, max_lag + 1):
        shifted = y.shift(-k)
        ok = shifted.notna()
        vals[k] = float(x[ok].corr(shifted[ok])) if ok.sum() >= 3 else float("nan")
    return pd.Series(vals, dtype=float)


def ref_compute_pair(prep, returns, a, b):
    end = min(prep.freshness[a].last, prep.freshness[b].last)
    joint = returns[[a, b]].loc[:end].dropna()
    values: dict = {"correlation": {}, "beta": {}}
    reasons: dict[str, str] = {}
    for h in analysis.PAIR_HORIZONS:
        if h in analysis.PAIR_DAYS:
            n = analysis.PAIR_DAYS[h]
            win = joint.iloc[-n:] if len(joint) >= n else None
            why = f"fewer than {n} common trading days"
        else:
            anchor = m.window_anchor(end, h)
            both_start = max(prep.freshness[a].first, prep.freshness[b].first)
            win = joint.loc[joint.index > anchor] if both_start <= anchor else None
            why = f"common history starts {both_start.date()}, after the {h} window start ({anchor.date()})"
        if win is None:
            for k in values:
                values[k][h] = None
                reasons[f"{k}.{h}"] = why
            continue
        values["correlation"][h] = analysis.num(ref_correlation(win[a], win[b]))
        values["beta"][h] = analysis.num(ref_beta(win[a], win[b]))
    closes = prep.data.adj_close[[a, b]].loc[:end].dropna()  # since the first day both have a close
    days = (closes.index[-1] - closes.index[0]).days
    total = closes.iloc[-1] / closes.iloc[0] - 1
    values["since_common_start"] = {
        "start": closes.index[0].date().isoformat(), "end": closes.index[-1].date().isoformat(), "days": days,
        "total_return": {t: analysis.num(total[t]) for t in (a, b)},
        "cagr": {t: analysis.num((1 + total[t]) ** (365.25 / days) - 1) for t in (a, b)} if days >= 365 else None}
    return values, reasons


def ref_pair_series(returns, a, b, end):
    _r, _t, W, LAG = num, facts.model._t, analysis.ROLLING_WINDOW, analysis.MAX_LAG
    joint = returns[[a, b]].loc[:end].dropna()
    out: dict = {}
    reasons: dict[str, str] = {}
    anchor5 = m.window_anchor(end, "5y")
    enough = len(joint) > W and joint.index[0] <= anchor5
    roll = m.rolling_correlation(joint[a], joint[b], W) if enough else pd.Series(dtype=float)
    ends = roll.loc[roll.index > anchor5] if enough else roll
    after = joint.index[joint.index > anchor5]
    if not enough or ends.empty or len(after) == 0 or ends.index[0] != after[0]:  # windows cover all five years
        out["correlation_rolling_1y"] = None
        reasons["correlation_rolling_1y"] = "less than six years of common daily returns (five years of rolling one-year windows)"
    else:
        lo, hi = ends.idxmin(), ends.idxmax()
        out["correlation_rolling_1y"] = {
            "min": _r(ends.loc[lo]), "min_date": lo.date().isoformat(), "max": _r(ends.loc[hi]),
            "max_date": hi.date().isoformat(), "window_days": W, "windows": int(len(ends)),
            "since": ends.index[0].date().isoformat(), "horizon": "5y",
        }
    anchor1 = m.window_anchor(end, "1y")
    if len(joint) == 0 or joint.index[0] > anchor1:
        out["lead_lag"] = None
        reasons["lead_lag"] = "less than a year of common daily returns"
        return out, reasons
    win = joint.loc[joint.index > anchor1]
    cc = ref_cross_correlation(win[a], win[b], LAG)
    same = float(cc.loc[0])
    others = cc.drop(0)
    k = int(others.abs().idxmax())
    lead = None
    band = _t("lead_lag_noise") / len(win) ** 0.5
    if abs(others.loc[k]) - abs(same) > _t("lead_lag_margin") and abs(others.loc[k]) > band:
        lead = a if k > 0 else b
    out["lead_lag"] = {
        "horizon": "1y", "observations": int(len(win)), "max_lag": LAG,
        "by_lag": {str(i): _r(v) for i, v in cc.items()}, "same_day": _r(same),
        "strongest_lag": k, "strongest": _r(others.loc[k]), "leader": lead,
        "margin": _t("lead_lag_margin"), "noise_band": _r(band),
    }
    return out, reasons


# --------------------------------------------------------------------------- comparison
def same(got, want, where=""):
    """Equal structures; floats equal to 1e-12 relative (NaN equals NaN)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), where
        for k in want:
            same(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, float) and not isinstance(got, bool):
        assert isinstance(got, float), where
        if math.isnan(want):
            assert math.isnan(got), where
        else:
            assert got == pytest.approx(want, rel=1e-12, abs=1e-300), where
    else:
        assert got == want, where


@pytest.fixture(scope="module")
def md():
    return SnapshotSource().load(TICKERS)


@pytest.fixture(scope="module")
def prepared(md):
    out = {}
    for as_of in AS_OFS:
        if as_of != "gaps":
            prep = prepare(md, as_of)
            out[as_of] = (prep, m.simple_returns(prep.data.adj_close))
    prep, returns = out["2026-08-21"]
    gappy = returns.copy()
    rng = np.random.default_rng(3)
    for t in ("VOO", "IWM", "DIA"):  # about one day in twenty missing, not the same days
        gappy.loc[rng.random(len(gappy)) < 0.05, t] = np.nan
    out["gaps"] = (prep, gappy)
    return out


@pytest.mark.parametrize("as_of", AS_OFS)
def test_compute_pair_equals_the_pandas_reference(prepared, as_of):
    prep, returns = prepared[as_of]
    for a, b in PAIRS:
        same(analysis.compute_pair(prep, returns, a, b), ref_compute_pair(prep, returns, a, b), f"{a}-{b}")


@pytest.mark.parametrize("as_of", AS_OFS)
def test_pair_series_equals_the_pandas_reference(prepared, as_of):
    prep, returns = prepared[as_of]
    for a, b in PAIRS:
        end = min(prep.freshness[a].last, prep.freshness[b].last)
        same(analysis.pair_series(returns, a, b, end), ref_pair_series(returns, a, b, end), f"{a}-{b}")


@pytest.mark.parametrize("as_of", AS_OFS)
def test_pair_figures_share_the_joint_returns_exactly(prepared, as_of):
    """A pair page reads its figures, then its series (``PairFigures[key]``, ``PairFigures.series``): the joint
    returns computed once give the very figures of ``compute_pair`` and ``pair_series`` (the same texts), whether
    the series reuse them (the pair just computed, to its end) or not (another pair read in between, a second
    read, another end)."""
    from versus.pages.base import PairFigures

    prep, returns = prepared[as_of]
    figures = PairFigures(prep, returns, PAIRS)
    for a, b in PAIRS:
        end = min(prep.freshness[a].last, prep.freshness[b].last)
        assert repr(figures[(a, b)]) == repr(analysis.compute_pair(prep, returns, a, b)), f"{a}-{b}"
        assert figures.recent is not None and figures.recent[:2] == ((a, b), end)  # shared below
        assert repr(figures.series((a, b), end)) == repr(analysis.pair_series(returns, a, b, end)), f"{a}-{b}"
        assert figures.recent is None  # read once
    (a, b), (c, d) = PAIRS[0], PAIRS[-1]
    end = min(prep.freshness[a].last, prep.freshness[b].last)
    fresh = PairFigures(prep, returns, PAIRS)
    fresh[(a, b)]
    fresh[(c, d)]  # another pair read in between: the series of (a, b) from the returns
    assert repr(fresh.series((a, b), end)) == repr(analysis.pair_series(returns, a, b, end))
    assert repr(fresh.series((a, b), end)) == repr(analysis.pair_series(returns, a, b, end))  # nothing recent
    other = PairFigures(prep, returns, PAIRS)
    other[(a, b)]
    earlier = returns.index[returns.index <= end][-30]  # another end: not the arrays to the pair's end
    assert repr(other.series((a, b), earlier)) == repr(analysis.pair_series(returns, a, b, earlier))


def test_the_cases_include_nulls_with_reasons(prepared):
    """The comparison above covers every kind of null (young funds), not only full histories."""
    seen = set()
    for prep, returns in prepared.values():
        for a, b in PAIRS:
            end = min(prep.freshness[a].last, prep.freshness[b].last)
            for values, reasons in (analysis.compute_pair(prep, returns, a, b), analysis.pair_series(returns, a, b, end)):
                for key, why in reasons.items():
                    assert why
                    name, _, h = key.partition(".")
                    assert (values[name][h] if h else values[name]) is None
                    seen.add((key, why.split(" ")[0]))
    for key in ("correlation.90d", "beta.90d", "correlation.1y", "correlation.3y", "beta.5y", "lead_lag",
                "correlation_rolling_1y"):
        assert any(k == key for k, _ in seen), key


def test_stale_pairs_end_at_the_earlier_close(prepared):
    """QQQ's prices run to 2026-08-21, VOO's to 2026-07-31: the windows end at VOO's last close."""
    prep, returns = prepared["2026-08-21"]
    assert prep.freshness["QQQ"].last > prep.freshness["VOO"].last
    dates, x, y = analysis.joint_returns(returns, "QQQ", "VOO", prep.freshness["VOO"].last)
    assert dates[-1] == prep.freshness["VOO"].last
    assert not np.isnan(x).any() and not np.isnan(y).any()
    want = returns[["QQQ", "VOO"]].loc[:prep.freshness["VOO"].last].dropna()
    assert dates.equals(want.index)
    assert np.array_equal(x, want["QQQ"].to_numpy()) and np.array_equal(y, want["VOO"].to_numpy())


# --------------------------------------------------------------------------- the metric functions themselves
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # beta on a constant B: NaN
def test_series_functions_equal_the_reference_with_gaps_and_other_calendars(prepared):
    """Gaps (NaN inside a series), series on different calendars (inner join), short and constant input."""
    _, returns = prepared["gaps"]
    assert returns["VOO"].loc["2011":].isna().any()
    cases = [(returns["VOO"], returns["SCHA"]), (returns["QQQ"], returns["VTI"]),
             (returns["DIA"].iloc[::2], returns["IWM"]),  # another calendar: every other day
             (returns["SPY"].iloc[-400:], returns["VOO"].iloc[-700:-100]),
             (returns["VOO"].loc["2010-09-01":"2010-09-14"], returns["SPY"]),  # 3 common days
             (returns["VOO"].loc["2010-09-01":"2010-09-13"], returns["SPY"]),  # 2: NaN
             (pd.Series(0.001, index=returns.index[-50:]), returns["SPY"])]  # constant: NaN correlation
    for a, b in cases:
        for fast, ref in ((m.correlation, ref_correlation), (m.beta, ref_beta)):
            same(fast(a, b), ref(a, b), fast.__name__)
            same(fast(b, a), ref(b, a), fast.__name__)
        same(m.cross_correlation(a, b).to_dict(), ref_cross_correlation(a, b).to_dict(), "cross_correlation")
    assert math.isnan(m.correlation(*cases[5])) and math.isnan(m.beta(*cases[5]))
    assert not math.isnan(m.correlation(*cases[4]))
    assert math.isnan(m.correlation(*cases[6]))
    short = ref_cross_correlation(returns["VOO"].loc["2010-09-01":"2010-09-20"], returns["SPY"], 5)
    assert short.isna().any() and short.notna().any()  # lags without 3 pairs are NaN
    same(m.cross_correlation(returns["VOO"].loc["2010-09-01":"2010-09-20"], returns["SPY"], 5).to_dict(),
         short.to_dict())


def test_array_functions_match_series_corr_and_numpy(prepared):
    _, returns = prepared["2026-07-31"]
    both = returns[["QQQ", "IWM"]].dropna()
    x, y = both["QQQ"].to_numpy(), both["IWM"].to_numpy()
    for n in (3, 4, 90, 252, 1260, len(x)):
        assert m.correlation_of(x[-n:], y[-n:]) == pytest.approx(both.iloc[-n:, 0].corr(both.iloc[-n:, 1]), rel=1e-12)
        assert m.beta_of(x[-n:], y[-n:]) == pytest.approx(np.cov(x[-n:], y[-n:])[0, 1] / np.var(y[-n:], ddof=1),
                                                          rel=1e-12)
    assert math.isnan(m.correlation_of(x[:2], y[:2])) and math.isnan(m.beta_of(x[:2], y[:2]))
    assert math.isnan(m.correlation_of(np.full(10, 0.25), y[:10]))  # no deviation from the mean at all
    flat = np.full(10, 0.01)  # its mean is not exactly 0.01: tiny deviations, as in pandas
    same(m.correlation_of(flat, y[:10]), pd.Series(flat).corr(pd.Series(y[:10])))

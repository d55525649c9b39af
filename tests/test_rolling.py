"""``versus.metrics.rolling`` (issue 17): pandas' rolling mean, standard deviation and correlation kernels called
on numpy arrays give exactly what pandas' public ``rolling`` gives.

The reference is always ``pd.Series/DataFrame(...).rolling(window, min_periods=...).mean/.std/.corr`` written
out here; every check is exact equality (the same floats, NaN in the same places), on the real funds' daily
returns at several as-of dates and on hard inputs: constant windows, tiny and huge magnitudes, NaN gaps, ±inf,
windows shorter than ``min_periods`` or longer than the data.  A hand-computed case fixes the convention itself,
and the metrics built on the module (``rolling_volatility``, ``moving_average``, ``rolling_correlation``) keep
pandas' result objects (index, columns, names).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from versus import metrics as m
from versus.analysis import pairs
from versus.analysis import series as an
from versus.config.site import load_config
from versus.metrics.rolling import on_pandas, window_bounds
from versus.sources.snapshot import SnapshotSource
from versus.util import num

AS_OFS = [None, "2020-03-23", "2016-02-29", "2010-09-20"]
PAIRS = [("QQQ", "IWM"), ("SPY", "VOO"), ("BND", "AGG"), ("SCHA", "SPY"), ("IWM", "VTWO")]


@pytest.fixture(scope="module")
def adj() -> pd.DataFrame:
    return SnapshotSource().load(list(load_config().funds)).adj_close


def same(got: np.ndarray, want: np.ndarray) -> None:
    """Exact equality, NaN where the reference has NaN (and the same shape and dtype)."""
    assert got.dtype == want.dtype == np.float64 and got.shape == want.shape
    differ = ~((got == want) | (np.isnan(got) & np.isnan(want)))
    assert not differ.any(), np.flatnonzero(differ)


def pd_mean(v, w, minp=None):
    return pd.DataFrame(v).rolling(w, min_periods=minp).mean().to_numpy().reshape(np.shape(v))


def pd_std(v, w, minp=None, ddof=1):
    return pd.DataFrame(v).rolling(w, min_periods=minp).std(ddof=ddof).to_numpy().reshape(np.shape(v))


def pd_corr(x, y, w, minp=None):
    return pd.Series(x).rolling(w, min_periods=minp).corr(pd.Series(y)).to_numpy()


def check_all(x: np.ndarray, y: np.ndarray, windows=(2, 3, 20, 90, 200, 252), minps=(None,)) -> None:
    for w in windows:
        for minp in minps:
            if minp is not None and minp > w:
                continue
            same(m.rolling_mean(x, w, minp), pd_mean(x, w, minp))
            same(m.rolling_std(x, w, minp), pd_std(x, w, minp))
            same(m.rolling_std(np.column_stack([x, y]), w, minp), pd_std(np.column_stack([x, y]), w, minp))
            same(m.rolling_corr(x, y, w, minp), pd_corr(x, y, w, minp))


# --------------------------------------------------------------------------- the real funds
def _returns(adj: pd.DataFrame, a: str, b: str, as_of) -> tuple[np.ndarray, np.ndarray]:
    cut = adj[[a, b]] if as_of is None else adj[[a, b]].loc[:as_of]
    joint = cut.dropna()
    r = joint.to_numpy()[1:] / joint.to_numpy()[:-1] - 1.0
    return r[:, 0], r[:, 1]


@pytest.mark.parametrize("as_of", AS_OFS)
def test_equal_pandas_on_the_real_funds(adj, as_of):
    for a, b in PAIRS:
        if a not in adj or b not in adj:
            continue
        x, y = _returns(adj, a, b, as_of)
        check_all(x, y, windows=(90, 200, 252))
        ratio = (adj[a] / adj[b]).dropna().to_numpy()
        same(m.rolling_mean(ratio / ratio[0], 200), pd_mean(ratio / ratio[0], 200))


def test_equal_pandas_on_the_real_funds_with_their_gaps(adj):
    """The columns as they are, NaN before a fund's first day and on its missing days (not dropped)."""
    r = m.simple_returns(adj).to_numpy()[1:]
    for k in range(0, r.shape[1] - 1, 3):
        check_all(r[:, k], r[:, k + 1], windows=(90, 252), minps=(None, 1, 60))


# --------------------------------------------------------------------------- hard inputs
def test_constant_windows_give_zero_deviation_and_no_correlation():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(0, 0.01, 120), np.full(100, 0.003), rng.normal(0, 0.01, 50), np.zeros(95)])
    y = rng.normal(0, 0.01, len(x))
    check_all(x, y, windows=(3, 20, 90))
    std = m.rolling_std(x, 90)
    corr = m.rolling_corr(x, y, 90)
    # windows inside a flat stretch: no correlation, and a deviation of 0 up to the running sums' rounding
    # (pandas' kernel gives about 3e-10 here, not 0: kept, as pandas')
    assert (std[209:220] < 1e-8).all() and np.isnan(corr[209:220]).all()
    assert (std[-5:] < 1e-8).all() and np.isnan(corr[-5:]).all()
    assert (m.rolling_std(np.full(100, 0.003), 90)[89:] == 0).all()  # equal values from the start: exactly 0
    assert np.isnan(m.rolling_corr(y, np.full(len(y), 1.5), 20)[19:]).all()


@pytest.mark.parametrize("scale", [1e-300, 1e-12, 1.0, 1e12, 1e150])
def test_tiny_and_huge_magnitudes(scale):
    rng = np.random.default_rng(2)
    x = rng.normal(1.0, 0.5, 600) * scale
    y = (0.3 * x / scale + rng.normal(0, 1, 600)) * scale
    check_all(x, y, windows=(2, 20, 90, 252))
    check_all(x + 1e6 * scale, y, windows=(20, 90))  # a large offset: cancellation in the sums


def test_nan_gaps_inf_and_short_windows():
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 0.01, 700), rng.normal(0, 0.02, 700)
    x[[5, 100, 101, 102, 400]] = np.nan
    y[[50, 101, 300, 301]] = np.nan
    x[[200, 650]] = np.inf
    y[[250]] = -np.inf
    check_all(x, y, windows=(2, 20, 90, 252), minps=(None, 0, 1, 2, 15, 89))
    # the first value where a full window exists, and none after a hole inside a full window
    got = m.rolling_corr(x, y, 90)
    assert np.isnan(got[:89]).all() and np.isnan(got[102:102 + 90]).all()


@pytest.mark.parametrize("n", [0, 1, 2, 5, 89, 90, 91])
def test_data_shorter_than_the_window(n):
    rng = np.random.default_rng(4)
    x, y = rng.normal(0, 1, n), rng.normal(0, 1, n)
    check_all(x, y, windows=(1, 2, 90, 91), minps=(None, 0, 1, 2))
    assert m.rolling_std(np.empty((0, 2)), 90).shape == (0, 2)


def test_columns_of_a_2d_array_are_independent():
    rng = np.random.default_rng(5)
    block = rng.normal(0, 0.01, (400, 4))
    block[10:20, 2] = np.nan
    got = m.rolling_std(block, 90)
    for k in range(4):
        same(got[:, k], m.rolling_std(block[:, k], 90))
    same(m.rolling_mean(np.asfortranarray(block), 90), pd_mean(block, 90))


# --------------------------------------------------------------------------- by hand
def test_hand_computed_windows():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([2.0, 4.0, 6.0, 9.0])
    mean = m.rolling_mean(x, 3)
    assert np.isnan(mean[:2]).all() and mean[2:].tolist() == [2.0, 3.0]
    std = m.rolling_std(y, 3)  # window (4, 6, 9): mean 19/3, squares 49/9 + 1/9 + 64/9 = 114/9 over n - 1 = 2
    assert np.isnan(std[:2]).all() and std[2] == pytest.approx(2.0, rel=1e-15)
    assert std[3] == pytest.approx(math.sqrt(114 / 9 / 2), rel=1e-15)
    corr = m.rolling_corr(x, y, 3)  # (2, 3, 4) vs (4, 6, 9): sum dx*dy = 7/3 + 0 + 8/3 = 5, sum dx^2 = 2
    assert np.isnan(corr[:2]).all() and corr[2] == pytest.approx(1.0, rel=1e-15)
    assert corr[3] == pytest.approx(5 / math.sqrt(2 * 114 / 9), rel=1e-15)
    assert m.rolling_mean(x, 3, min_periods=1).tolist() == [1.0, 1.5, 2.0, 3.0]
    assert m.rolling_volatility_of(y, 3)[3] == pytest.approx(math.sqrt(114 / 9 / 2) * math.sqrt(252), rel=1e-15)


def test_window_bounds_and_arguments():
    start, end = window_bounds(5, 3)
    assert start.tolist() == [0, 0, 0, 1, 2] and end.tolist() == [1, 2, 3, 4, 5]
    assert not start.flags.writeable
    for bad in (dict(window=-1), dict(window=3, min_periods=4), dict(window=2.5), dict(window=3, min_periods=-1)):
        with pytest.raises(ValueError):
            m.rolling_mean(np.ones(5), **bad)
    with pytest.raises(ValueError):
        m.rolling_corr(np.ones(5), np.ones(4), 3)
    with pytest.raises(ValueError):
        m.rolling_std(np.ones((2, 2, 2)), 2)


# --------------------------------------------------------------------------- the metrics and call sites
def test_metrics_keep_pandas_result_objects(adj):
    rets = m.simple_returns(adj[["QQQ", "IWM", "SCHA"]]).iloc[1:]
    pd.testing.assert_frame_equal(m.rolling_volatility(rets, 90),
                                  rets.rolling(90, min_periods=90).std(ddof=1) * np.sqrt(252), check_exact=True,
                                  check_freq=True)
    pd.testing.assert_series_equal(m.rolling_volatility(rets["QQQ"], 90),
                                   rets["QQQ"].rolling(90).std() * np.sqrt(252), check_exact=True)
    ratio = m.relative_strength(adj, "QQQ", "IWM")
    pd.testing.assert_series_equal(m.moving_average(ratio, 200), ratio.rolling(200).mean(), check_exact=True)
    frame = adj[["QQQ", "IWM"]].dropna()
    pd.testing.assert_frame_equal(m.moving_average(frame, 200), frame.rolling(200).mean(), check_exact=True)
    a, b = rets["QQQ"], rets["SCHA"]
    joint = pd.concat([a, b], axis=1, join="inner").dropna()
    want = joint.iloc[:, 0].rolling(252).corr(joint.iloc[:, 1]).iloc[251:].dropna()
    pd.testing.assert_series_equal(m.rolling_correlation(a, b), want, check_exact=True)
    pd.testing.assert_series_equal(m.rolling_correlation(a, a.rename("X")), a.rolling(252).corr(a).iloc[251:].dropna(),
                                   check_exact=True, check_names=False)
    assert m.rolling_correlation(a, a).name == a.rolling(252).corr(a).name
    for other in (pd.Series([1, 2, 3, 4, 5], name="n"), pd.Series([1.0, None, 3.0, 4.0, 5.0, 6.0], dtype="Float64")):
        pd.testing.assert_series_equal(m.moving_average(other, 2), other.rolling(2).mean())  # ints, pandas' NA
    s = pd.Series([1.0, 2.0], index=pd.to_datetime(["2020-01-02", "2020-01-03"]), name="Q")
    pd.testing.assert_series_equal(on_pandas(s, lambda v: m.rolling_mean(v, 1)), s.rolling(1).mean())


def test_comparison_series_are_pandas_rolling(adj):
    """The pair page's rolling series (correlation, volatility, the ratio's average) and the rolling range of
    the pair's figures, against pandas' public rolling on the same returns."""
    joint = an.joint_closes(adj, ["QQQ", "IWM"])
    c = an.comparison(joint, ["QQQ", "IWM"])
    rets = joint.pct_change().iloc[1:]
    pd.testing.assert_series_equal(c.correlation["IWM"], rets["QQQ"].rolling(90).corr(rets["IWM"]),
                                   check_exact=True, check_names=False)
    pd.testing.assert_frame_equal(c.volatility, rets.rolling(90).std() * np.sqrt(252), check_exact=True)
    ratio = joint["QQQ"] / joint["IWM"]
    pd.testing.assert_series_equal(c.relative["IWM"].average, (ratio / ratio.iloc[0]).rolling(200).mean(),
                                   check_exact=True)
    r = pd.concat([rets["QQQ"], rets["IWM"]], axis=1).dropna()
    got = pairs._rolling_range(r.index, r["QQQ"].to_numpy(), r["IWM"].to_numpy(), r.index[-1])
    roll = r["QQQ"].rolling(252).corr(r["IWM"])
    tail = roll[roll.index > m.window_anchor(r.index[-1], "5y")]
    assert got["min"] == num(tail.min()) and got["max"] == num(tail.max())  # as published (rounded)
    assert got["min_date"] == tail.idxmin().date().isoformat() and got["windows"] == len(tail)

"""Time a pair page's rolling statistics (issue 17): each kernel call on real 5,000-day arrays (pandas' public
``rolling`` against :mod:`versus.metrics.rolling`), and ``analysis.series.comparison``, ``analysis.pair_series``
and ``analysis.compute_pair`` per pair of the real snapshot funds (process CPU, medians).

``python -m bench.rolling [--repeat 5]`` prints JSON; ``--synthetic 300`` times ``comparison`` and ``pair_series``
over the synthetic build's 300 pairs instead (CPU seconds for all of them).  Run it on two trees back to back
(``PYTHONPATH=<tree>``) to compare the per-pair figures of two versions; the kernel figures need
:mod:`versus.metrics.rolling`.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
import timeit

import numpy as np
import pandas as pd

from versus import analysis
from versus import metrics as m
from versus.analysis import series as an
from versus.config.site import load_config
from versus.data import prepare
from versus.sources.snapshot import SnapshotSource

PAIRS = [("QQQ", "IWM"), ("SPY", "VOO"), ("BND", "AGG"), ("SCHA", "SPY"), ("VTI", "DIA"), ("IWM", "VTWO"),
         ("EEM", "ACWI"), ("XLE", "SPY"), ("GLD", "IAU"), ("TLT", "IEF")]
DAYS = 5000


def _per_call(fn, repeat: int, number: int) -> float:
    """Median over ``repeat`` rounds of the process CPU seconds of one call."""
    t = timeit.Timer(fn, timer=time.process_time)
    return statistics.median(t.repeat(repeat=repeat, number=number)) / number


def kernels(adj: pd.DataFrame, repeat: int) -> dict:
    """Microseconds per call: pandas' public rolling (as main called it) and the array kernels."""
    if not hasattr(m, "rolling_corr"):
        return {}
    joint = adj[["SPY", "QQQ"]].dropna().iloc[-(DAYS + 1):]
    v = joint.to_numpy()
    r = v[1:] / v[:-1] - 1.0
    x, y = r[:, 0], r[:, 1]
    ratio = v[:, 0] / v[:, 1]
    sx, sy = pd.Series(x, name="SPY"), pd.Series(y, name="QQQ")
    rets, ratio_s = pd.DataFrame(r, columns=joint.columns), pd.Series(ratio)
    cases = {
        "corr 90 (comparison)": (lambda: sx.rolling(90, min_periods=90).corr(sy),
                                 lambda: m.rolling_corr(x, y, 90)),
        "corr 252 (_rolling_range)": (lambda: sx.rolling(252).corr(sy).to_numpy(),
                                      lambda: m.rolling_corr(x, y, 252)),
        "std 90, 2 funds (volatility)": (lambda: rets.rolling(90, min_periods=90).std(ddof=1) * np.sqrt(252),
                                         lambda: m.rolling_volatility_of(r, 90)),
        "mean 200 (ratio's average)": (lambda: ratio_s.rolling(200, min_periods=200).mean(),
                                       lambda: m.rolling_mean(ratio, 200)),
        "rolling_volatility (frame in, frame out)": (None, lambda: m.rolling_volatility(rets, 90)),
        "moving_average (series in, series out)": (None, lambda: m.moving_average(ratio_s, 200)),
    }
    out = {}
    for name, (old, new) in cases.items():
        out[name] = {"pandas_us": None if old is None else round(_per_call(old, repeat, 200) * 1e6, 1),
                     "arrays_us": round(_per_call(new, repeat, 200) * 1e6, 1), "days": len(x)}
    return out


def per_pair(md, repeat: int) -> dict:
    """Milliseconds per pair (median over rounds of the mean over the pairs) of the three pair computations."""
    prep = prepare(md, None)
    adj = prep.data.adj_close
    returns = m.simple_returns(adj)
    pairs = [(a, b) for a, b in PAIRS if a in adj and b in adj]
    joints = [(an.joint_closes(adj, [a, b]), [a, b]) for a, b in pairs]
    ends = [min(prep.freshness[a].last, prep.freshness[b].last) for a, b in pairs]
    steps = {
        "comparison": lambda: [an.comparison(j, t) for j, t in joints],
        "pair_series": lambda: [analysis.pair_series(returns, a, b, e) for (a, b), e in zip(pairs, ends)],
        "compute_pair": lambda: [analysis.compute_pair(prep, returns, a, b) for a, b in pairs],
    }
    return {k: round(_per_call(f, repeat, 5) / len(pairs) * 1e3, 3) for k, f in steps.items()} | {
        "pairs": len(pairs), "days": int(np.median([len(j) for j, _ in joints]))}


def synthetic(n_pairs: int, repeat: int) -> dict:
    """Process CPU seconds of ``comparison`` and ``pair_series`` over the pairs of the synthetic build
    (``bench.synthetic_build --funds 100 --pairs 300``: the same funds and pairs), median of ``repeat`` rounds."""
    from .synthetic import make_config, make_prices

    md = make_prices(100)
    cfg = make_config(list(md.adj_close.columns), n_pairs, 5)
    prep = prepare(md, None)
    adj = prep.data.adj_close
    returns = m.simple_returns(adj)
    joints = [(an.joint_closes(adj, [a, b]), [a, b]) for a, b in cfg.pairs]
    ends = [min(prep.freshness[a].last, prep.freshness[b].last) for a, b in cfg.pairs]
    steps = {
        "comparison": lambda: [an.comparison(j, t) for j, t in joints],
        "pair_series": lambda: [analysis.pair_series(returns, a, b, e) for (a, b), e in zip(cfg.pairs, ends)],
    }
    return {k: round(_per_call(f, repeat, 1), 3) for k, f in steps.items()} | {"pairs": len(cfg.pairs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--synthetic", type=int, default=0, metavar="PAIRS",
                    help="time comparison and pair_series over the synthetic build's first PAIRS pairs instead")
    a = ap.parse_args()
    if a.synthetic:
        print(json.dumps({"synthetic_cpu_s": synthetic(a.synthetic, a.repeat)}, indent=1))
        return
    md = SnapshotSource().load(list(load_config().funds))
    print(json.dumps({"per_pair_ms": per_pair(md, a.repeat), "kernels": kernels(md.adj_close, a.repeat)}, indent=1))


if __name__ == "__main__":
    main()

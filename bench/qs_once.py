"""Time QuantStats ``reports.html`` for one pair of synthetic series (same generator as the build)."""
from __future__ import annotations

import argparse
import json
import time

from .synthetic import make_prices


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    md = make_prices(2, a.years)
    rets = md.adj_close.pct_change(fill_method=None).dropna()
    import quantstats as qs

    t0 = time.perf_counter()
    qs.reports.html(rets.iloc[:, 0], benchmark=rets.iloc[:, 1], output=a.out, title="S000 vs S001")
    print(json.dumps({"seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()

"""A synthetic fund universe with a fixed seed: realistic daily series, dividends, pairs and groups.

Each fund follows a one-factor model: daily log return = beta × market + idiosyncratic noise, with
fund-specific drift and volatility (8–35% a year), a random inception within the first half of the
period (so some windows are null), and a quarterly dividend of 0–0.8% of the price.  The adjusted
close is derived from the close and the dividends exactly as Yahoo adjusts (factor 1 − D / previous close).
Prices carry the precision of real quotes (the embedded snapshot's): closes in cents, adjusted closes to six
decimals, dividends to four.  (Until issue 17's last round they carried all 17 significant digits of a double,
which made each fund's published ``series.csv`` half as long again as a real fund's: 48 bytes a row, not 31.)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from versus.config import SiteConfig
from versus.sources import MarketData


def make_prices(n_funds: int, years: int = 20, seed: int = 7, end: str = "2026-07-31"):
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range(end=end, periods=int(years * 252), name="date")
    n = len(dates)
    market = rng.normal(0.0003, 0.011, n)
    tickers = [f"S{i:03d}" for i in range(n_funds)]
    close, adj, divs = {}, {}, {}
    for t in tickers:
        beta = rng.uniform(0.5, 1.5)
        vol = rng.uniform(0.08, 0.35) / np.sqrt(252)
        idio = np.sqrt(max(vol**2 - (beta * 0.011) ** 2, (0.002) ** 2))
        r = beta * market + rng.normal(rng.uniform(-0.0001, 0.0002), idio, n)
        price = np.round(50 * np.exp(np.cumsum(r)), 2)  # quoted in cents
        start = int(rng.uniform(0, 0.5) * n) if rng.random() < 0.3 else 0
        price[:start] = np.nan
        c = pd.Series(price, index=dates)
        q = rng.uniform(0, 0.008)
        ex = dates[start + 40 :: 63]
        d = pd.Series(0.0, index=dates)
        if q > 0 and len(ex):
            prev = c.shift(1).loc[ex]
            d.loc[ex] = np.round(prev.to_numpy() * q, 4)
        prev_close = c.shift(1)
        factor = (1 - (d / prev_close).fillna(0.0)).to_numpy()
        # F(t) = product of factors of ex-dates strictly after t
        after = np.concatenate([np.cumprod(factor[::-1])[::-1][1:], [1.0]])
        close[t], adj[t] = c, (c * after).round(6)  # Yahoo's adjusted closes: six decimals
        divs[t] = d[d > 0]
    dividends = pd.DataFrame(divs).sort_index()
    dividends.index.name = "ex_date"
    return MarketData(
        close=pd.DataFrame(close), adj_close=pd.DataFrame(adj), dividends=dividends, source="synthetic (bench)"
    )


def make_config(tickers: list[str], n_pairs: int, n_groups: int, seed: int = 11) -> SiteConfig:
    rng = np.random.default_rng(seed)
    pairs: list[tuple[str, str]] = []
    seen: set[frozenset] = set()
    while len(pairs) < n_pairs:
        a, b = rng.choice(len(tickers), 2, replace=False)
        key = frozenset((a, b))
        if key not in seen:
            seen.add(key)
            pairs.append((tickers[a], tickers[b]))
    groups = [tuple(tickers[i] for i in rng.choice(len(tickers), int(rng.integers(3, 6)), replace=False))
              for _ in range(n_groups)]
    return SiteConfig(
        path=Path("bench-synthetic.toml"), title="versus (synthetic)", description="benchmark universe",
        base_url="https://bench.example.org/", funds=list(tickers), pairs=pairs, groups=groups,
    )

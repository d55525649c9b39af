"""The analysis stage: the metrics applied over the published horizons, once per fund, then per pair,
and every number a page shows (chart series, their statistics, holdings and costs).

- :mod:`.registry`: the metric registry, every published figure with its convention and null reasons;
- :mod:`.funds`: per-fund figures by horizon (:func:`compute_funds`) and the fund sections of the JSON;
- :mod:`.pairs`: correlation and beta by horizon (of a pair, and of each fund against SPY), the rolling
  correlation range and lead-lag;
- :mod:`.series`: the chart series and what their descriptions state (:mod:`.yearends`: their year-end tables);
- :mod:`.holdings`: concentration, sectors, overlap and fee costs.
"""
from __future__ import annotations

from ..util import iso, num
from . import holdings, pairs, registry, sanity, series
from .funds import FundMetrics, Window, compute_funds, compute_funds_at, difference, fund_section, fund_series, leader
from .pairs import (LEAD_LAG_MARGIN, LEAD_LAG_NOISE, MAX_LAG, PAIR_DAYS, PAIR_HORIZONS, ROLLING_WINDOW, compute_pair,
                    correlation_matrix, joint_returns, market_relation, pair_series)

__all__ = ["holdings", "pairs", "registry", "series", "FundMetrics", "Window", "compute_funds", "compute_funds_at", "difference", "fund_section",
           "fund_series", "leader", "LEAD_LAG_MARGIN", "LEAD_LAG_NOISE", "MAX_LAG", "PAIR_DAYS", "PAIR_HORIZONS",
           "ROLLING_WINDOW", "compute_pair", "correlation_matrix", "joint_returns", "market_relation", "pair_series", "iso", "num"]

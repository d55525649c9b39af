"""The analysis stage: the metrics applied over the published horizons, once per fund, then per pair."""
from __future__ import annotations

from .funds import (CAGR_HORIZONS, DRAWDOWN_HORIZONS, GROWTH_HORIZONS, PAIR_DAYS, PAIR_HORIZONS, VOL_HORIZONS,
                    FundMetrics, compute_funds, compute_pair, iso, joint_returns, num)

__all__ = ["CAGR_HORIZONS", "DRAWDOWN_HORIZONS", "GROWTH_HORIZONS", "PAIR_DAYS", "PAIR_HORIZONS", "VOL_HORIZONS",
           "FundMetrics", "compute_funds", "compute_pair", "iso", "joint_returns", "num"]

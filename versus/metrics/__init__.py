"""Comparison metrics: small pure functions over 2-D frames (one column per fund).

Every function takes prices or daily returns as a ``DataFrame`` whose columns are
tickers and whose index is the trading dates, and returns one value per column,
so one call computes every fund.  Prices are dividend-adjusted closes (total
return) unless a docstring says otherwise.  Results are fractions (0.1716 for
17.16 %); drawdowns are negative.  A value that cannot be computed is NaN here
and ``null`` with a reason in the output (see :mod:`versus.analysis`).

One module per family: :mod:`.windows` (horizons and window starts), :mod:`.returns`,
:mod:`.risk`, :mod:`.relation` (two funds) and :mod:`.holdings`; every function is
re-exported here, so ``from versus import metrics as m; m.total_return(...)`` works.
Each function's docstring is its convention, printed on the methodology page through
the metric registry (:mod:`versus.analysis.registry`).
"""
from __future__ import annotations

from .windows import (
    TRADING_DAYS, HORIZON_MONTHS, RETURN_HORIZONS, window_anchor, window_start_row, rolling_window,
)
from .returns import (
    simple_returns, total_return, cagr, growth_of, dividend_yield_ttm, period_returns, leading_nan_only,
    calendar_year_returns, relative_return_by_month, dividends_per_year,
)
from .risk import (
    annual_volatility, daily_risk_free, sharpe_ratio, sortino_ratio, drawdown, max_drawdown,
    rolling_volatility, window_statistics,
)
from .relation import (
    correlation, beta, correlation_of, beta_of, relative_strength, rolling_correlation, cross_correlation,
    moving_average, trend_regime,
)
from .holdings import (
    top_share, holdings_overlap, fee_cost,
)

__all__ = [
    "TRADING_DAYS", "HORIZON_MONTHS", "RETURN_HORIZONS", "window_anchor", "window_start_row", "rolling_window",
    "simple_returns", "total_return", "cagr", "growth_of", "dividend_yield_ttm", "period_returns",
    "leading_nan_only", "calendar_year_returns", "relative_return_by_month", "dividends_per_year",
    "annual_volatility", "daily_risk_free", "sharpe_ratio", "sortino_ratio", "drawdown", "max_drawdown",
    "rolling_volatility", "window_statistics", "correlation", "beta", "correlation_of", "beta_of",
    "relative_strength", "rolling_correlation", "cross_correlation", "moving_average", "trend_regime", "top_share",
    "holdings_overlap", "fee_cost",
]

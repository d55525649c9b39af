"""The methodology page: every published figure's convention (the docstrings of the functions that
compute it, through the metric registry), the validation limits, the freshness policy and the
wording thresholds, all read from the code so the page and the code cannot disagree."""
from __future__ import annotations

import inspect

from .. import metrics as m
from ..facts import THRESHOLDS
from .base import PageOutput

CONVENTIONS = ["window_anchor", "total_return", "cagr", "growth_of", "annual_volatility", "daily_risk_free",
               "sharpe_ratio", "sortino_ratio", "drawdown", "max_drawdown", "dividend_yield_ttm", "correlation",
               "beta", "relative_strength"]


class MethodologyPage:
    name = "methodology"
    template = "methodology.html"

    def __init__(self, site):
        self.site = site

    def generate(self) -> PageOutput:
        conventions = [{"name": n, "doc": inspect.cleandoc(getattr(m, n).__doc__)} for n in CONVENTIONS]
        context = self.site.context("methodology/", conventions=conventions, thresholds=THRESHOLDS,
                                    trading_days=m.TRADING_DAYS, page_title="Methodology",
                                    description="How every figure on this site is computed.")
        return PageOutput("methodology/", self.template, context)

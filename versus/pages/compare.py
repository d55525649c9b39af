"""``/compare/``: any two of the site's funds compared in the browser (static/compare.js), from the published
per-fund series (``api/funds/<t>/series.csv``, :mod:`versus.pages.series`, the file each fund page offers for
download), and ``api/compare.json``, what the script needs besides: the funds with their series, the published
pairs (to link to their pages), the risk-free rate, the trading-day year and the site's trading calendar.

The calendar is the dates of the site's price table (every day any of its funds has a close): windows and
daily returns are cut on it, exactly as :mod:`versus.analysis.funds` and :mod:`versus.analysis.pairs` cut
them (a fund without a close on a calendar day has no return that day nor the next, never a return over
two days), so the browser's figures are the Python ones.  It is published delta-encoded: the first date
and the days between consecutive dates.
"""
from __future__ import annotations

import json

from .. import metrics as m
from ..analysis.registry import BY_KEY, HORIZONS
from ..config import pair_slug
from .series import series_path
from .base import PageOutput

FIGURES = (("total_return", "Total return"), ("volatility", "Volatility"), ("sharpe", "Sharpe ratio"),
           ("sortino", "Sortino ratio"), ("max_drawdown", "Max drawdown"))
"""The per-fund figures the page computes (registry keys), in table order."""
PAIR_FIGURES = (("correlation", "Correlation"), ("beta", "Beta (A on B)"))


def calendar(index) -> dict:
    """The site's trading days, delta-encoded: ``{"start": first date, "steps": [days after the previous]}``."""
    days = [d.date() for d in index]
    return {"start": days[0].isoformat() if days else None,
            "steps": [(b - a).days for a, b in zip(days, days[1:])]}


def rows(figures) -> list[dict]:
    """The table rows: one per figure and horizon, with the registry's label and format."""
    out = []
    for key, label in figures:
        e = BY_KEY[key]
        for h in e.horizons:
            out.append({"key": key, "horizon": h, "label": f"{label}, {HORIZONS[h].label.lower()}"
                        if key != "total_return" else HORIZONS[h].label, "fmt": e.fmt})
    return out


def compare_doc(site) -> dict:
    """``api/compare.json`` (see the module docstring)."""
    s = site
    fr = s.prep.freshness
    return {
        "as_of": s.as_of, "risk_free_rate": s.cfg.risk_free_rate, "trading_days": m.TRADING_DAYS,
        "calendar": calendar(s.prep.data.adj_close.index),
        "funds": [{"ticker": t, "name": s.funds[t]["name"], "first": fr[t].first.date().isoformat(),
                   "last": fr[t].last.date().isoformat(), "series": series_path(t)} for t in s.cfg.funds],
        "pairs": [{"a": a, "b": b, "url": f"{pair_slug(a, b)}/"} for a, b in s.cfg.pairs],
        "horizons": {"fund": {k: list(BY_KEY[k].horizons) for k, _ in FIGURES},
                     "pair": {k: list(BY_KEY[k].horizons) for k, _ in PAIR_FIGURES}},
    }


class ComparePage:
    name = "compare"
    template = "compare.html"
    url = "compare/"

    def __init__(self, site):
        self.site = site

    def generate(self) -> PageOutput:
        s = self.site
        funds = [{"ticker": t, "name": s.funds[t]["name"]} for t in s.cfg.funds]
        first = s.cfg.pairs[0] if s.cfg.pairs else tuple(s.cfg.funds[:2])
        ctx = s.context(self.url, page_title="Compare any two funds",
                        description="Pick any two of this site's funds: returns, risk, correlation, beta and growth "
                                    "computed in your browser from the published daily closes.",
                        fund_options=funds, default_pair=list(first) + [None] * (2 - len(first)),
                        fund_rows=rows(FIGURES), pair_rows=rows(PAIR_FIGURES))
        doc = json.dumps(compare_doc(s), sort_keys=True, separators=(",", ":"), allow_nan=False) + "\n"
        return PageOutput(self.url, self.template, ctx, files={"api/compare.json": doc})  # compact: the calendar

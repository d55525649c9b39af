"""The methodology page: every published figure with its convention (the docstrings of the functions
that compute it, from the metric registry), why a figure can be missing, the validation limits, the
freshness policy and the wording thresholds; all read from the code, so page and code cannot disagree."""
from __future__ import annotations

import inspect
import re

from .. import metrics as m
from ..content import markdown
from ..analysis.registry import (CHART_FIGURES, FUND_FIELDS, FUND_METRICS, HORIZONS, MARKET, MARKET_METRICS,
                                 PAIR_METRICS, PAIR_NULLS, SUPPORT, WINDOW_NULLS)
from ..analysis import sanity
from ..charts import period
from ..analysis.funds import MAX_CLOSE_GAP
from ..data import MAX_DAILY_MOVE, MAX_GAP_DAYS
from ..data.funds import APART_MONTHS, OLD_MONTHS
from ..facts import THRESHOLDS
from .base import PageOutput

GROUPS = (
    ("fund-figures", "Per fund, by horizon", FUND_METRICS),
    ("fund-facts", "Per fund", FUND_FIELDS),
    ("market-figures", f"Per fund, against the S&P 500 ({MARKET})", MARKET_METRICS),
    ("pair-figures", "Per pair", PAIR_METRICS),
    ("chart-figures", "Charts and their tables", CHART_FIGURES),
)
_SECTION = re.compile(r"^\S[^\n]*\n-{3,}\s*$", re.M)  # a numpydoc section ("Parameters\n----------")
_ROLE = re.compile(r":(?:func|meth|mod|class|data|attr):`~?\.?([^`]+)`")


def doc_html(doc: str):
    """A docstring as a reader sees it: its prose (numpydoc's Parameters/Returns sections are for
    programmers and left out), ``code`` and :func:`name` as code, *words* in italics; never raw markup."""
    text = inspect.cleandoc(doc or "")
    cut = _SECTION.search(text)
    if cut:
        text = text[:cut.start()]
    return markdown(_ROLE.sub(lambda mt: f"``{mt.group(1).rsplit('.', 1)[-1]}``", text.strip()))


def _conventions(fns) -> list[dict]:
    return [{"name": f.__name__, "doc": doc_html(f.__doc__)} for f in fns]


def _entry(e) -> dict:
    return {"key": e.key, "label": e.label, "note": e.note,
            "horizons": ", ".join(HORIZONS[h].label for h in e.horizons),
            "conventions": _conventions(e.fns), "nulls": [n.words for n in e.nulls]
            + ([e.nan_reason] if e.nan_reason else [])}


def context(origins: list[dict] | None = None) -> dict:
    """What the methodology template shows, from the registry and the code's constants (and where the
    build's data come from, ``MarketData.origins``)."""
    return {
        "origins": origins or [],
        "support": _conventions(SUPPORT),
        "metric_groups": [{"id": gid, "title": title, "entries": [_entry(e) for e in entries]}
                          for gid, title, entries in GROUPS],
        "window_nulls": [n.words for n in WINDOW_NULLS], "pair_nulls": [n.words for n in PAIR_NULLS],
        "limits": {"max_gap_days": MAX_GAP_DAYS, "max_daily_move": MAX_DAILY_MOVE},
        "thresholds": THRESHOLDS, "trading_days": m.TRADING_DAYS, "periods": markdown(period.METHOD),
        "max_close_gap": MAX_CLOSE_GAP, "old_months": OLD_MONTHS, "apart_months": APART_MONTHS,
    }


def checks(site) -> dict:
    """The data checks' rules (from :mod:`versus.analysis.sanity`) and the site's findings."""
    index = {t: f.facts["index"].value if f and "index" in f.facts else None for t, f in site.info.items()}
    return {"groups": [{"index": i, "funds": ts} for i, ts in sanity.twin_groups(index)],
            "jump": sanity.TRACKING_JUMP, "sigmas": sanity.TRACKING_SIGMAS, "window": sanity.TRACKING_WINDOW,
            "dividend_min": sanity.DIVIDEND_MIN, "dividend_days": sanity.DIVIDEND_DAYS,
            "tolerance": sanity.DIVIDEND_TOLERANCE, "gap": sanity.SCHEDULE_GAP,
            "findings": [f.to_json() for f in site.findings]}


class MethodologyPage:
    name = "methodology"
    template = "methodology.html"

    def __init__(self, site):
        self.site = site

    def generate(self) -> PageOutput:
        ctx = self.site.context("methodology/", page_title="Methodology",
                                description="How every figure on this site is computed.",
                                **context(self.site.prep.data.origins), checks=checks(self.site))
        return PageOutput("methodology/", self.template, ctx)

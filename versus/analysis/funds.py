"""Per-fund figures over the published horizons, computed once per fund (one 2-D pass per end date).

Which figures, for which horizons, and why one can be null: the metric registry (:mod:`.registry`).
This is where windows are cut and where a value that cannot be computed becomes ``None`` with a
reason (never a number over a shorter window).  The output is plain JSON-ready dicts: the ``funds``
section of the API contract.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .. import metrics as m
from ..data import Prepared
from ..util import iso, num
from . import sanity
from .registry import BY_KEY, NOT_ON_FILE, WINDOW_NULLS, published_at

WINDOW_HORIZONS = [h for h in m.RETURN_HORIZONS if h != "inception"]
"""Horizons whose window is a calendar span ending at the fund's last close (inception is per fund)."""


@dataclass
class FundMetrics:
    ticker: str
    as_of: pd.Timestamp  # the fund's last close used (the site's as-of unless stale)
    values: dict = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


class Window:
    """The closes of one horizon's window (one column per fund), and what its figures share,
    each computed once: daily returns, total return, CAGR, maximum drawdown."""

    def __init__(self, prices: pd.DataFrame, horizon: str, rf: float, years: float | None = None):
        self.prices, self.horizon, self.rf = prices, horizon, rf
        self.years = years if years is not None else m.HORIZON_MONTHS.get(horizon, 0) / 12

    @cached_property
    def returns(self) -> pd.DataFrame:
        return m.simple_returns(self.prices).iloc[1:]

    @cached_property
    def total(self) -> pd.Series:
        return m.total_return(self.prices)

    @cached_property
    def cagr(self) -> pd.Series:
        # fund by fund, on plain floats: the same arithmetic as one fund at a time
        return pd.Series({t: m.cagr(self.total[t], self.years) for t in self.prices.columns}, dtype=float)

    @cached_property
    def max_drawdown(self) -> pd.DataFrame:
        return m.max_drawdown(self.prices)


def _window(adj: pd.DataFrame, end: pd.Timestamp, horizon: str):
    """Rows of ``adj`` for ``horizon`` ending at ``end`` plus the anchor (rows None: no close on or before it)."""
    anchor = m.window_anchor(end, horizon)
    upto = adj.loc[:end]
    start = m.window_start_row(upto.index, anchor)
    return (None, anchor) if start is None else (upto.loc[start:], anchor)


def compute_funds(prep: Prepared, risk_free_rate: float = 0.0) -> dict[str, FundMetrics]:
    """Every per-fund figure of the registry for every horizon, each fund to its own last close."""
    wanted: dict[pd.Timestamp, list[str]] = {}
    for t, fr in prep.freshness.items():
        wanted.setdefault(fr.last, []).append(t)
    return {t: fm for (t, _), fm in compute_funds_at(prep, wanted, risk_free_rate).items()}


def compute_funds_at(prep: Prepared, wanted: dict[pd.Timestamp, list[str]],
                     risk_free_rate: float = 0.0) -> dict[tuple[str, pd.Timestamp], FundMetrics]:
    """Every per-fund figure for the funds measured to each end date of ``wanted`` (end -> tickers): a
    page of two funds whose prices end on different days measures both to their common last close, so
    a fund can be needed at several ends.  One 2-D pass per end date."""
    adj = prep.data.adj_close
    rf = m.daily_risk_free(risk_free_rate)
    out: dict[tuple[str, pd.Timestamp], FundMetrics] = {}
    for end, tickers in sorted(wanted.items()):
        cols = list(dict.fromkeys(tickers))
        found = {t: FundMetrics(t, end) for t in cols}
        frame = adj[cols]
        for h in WINDOW_HORIZONS:
            _horizon(frame, end, h, rf, found)
        _inception(frame, end, rf, found)
        _dividend_yield(prep, cols, end, found)
        out.update({(t, end): fm for t, fm in found.items()})
    return out


def _horizon(frame: pd.DataFrame, end: pd.Timestamp, h: str, rf: float, out: dict[str, FundMetrics]) -> None:
    """The figures of one horizon for the funds of ``frame`` (all ending on ``end``)."""
    win, anchor = _window(frame, end, h)
    if win is None:
        for t in frame.columns:
            _null(out[t], h, WINDOW_NULLS[0].template.format(anchor=anchor.date()))
        return
    ok = win.iloc[0].notna()
    w = Window(win, h, rf)
    entries = published_at(h)
    results = {e.key: e.compute(w) for e in entries}
    for t in frame.columns:
        fm = out[t]
        if not ok[t]:
            first = frame[t].first_valid_index()
            _null(fm, h, WINDOW_NULLS[1].template.format(ticker=t, first=first.date(), horizon=h, start=win.index[0].date()))
            continue
        for e in entries:
            _store(fm, e, h, results[e.key], t)


def _store(fm: FundMetrics, entry, h: str, result, t: str) -> None:
    """One fund's value of one figure, rounded; a non-finite value is null (with the entry's reason, if any)."""
    if entry.key == "max_drawdown":
        row = result.loc[t]
        value = {"value": num(row["value"]), "peak": iso(row["peak"]), "trough": iso(row["trough"]),
                 "recovery": iso(row["recovery"])}
    else:
        value = num(result[t], entry.json_digits)
        if value is None and entry.nan_reason:
            fm.reasons[f"{entry.key}.{h}"] = entry.nan_reason
    fm.values.setdefault(entry.key, {})[h] = value


def _inception(frame: pd.DataFrame, end: pd.Timestamp, rf: float, out: dict[str, FundMetrics]) -> None:
    """Since each fund's first close (its own window): total return and CAGR over the elapsed years."""
    entries = published_at("inception")
    for t in frame.columns:
        series = frame[t].loc[:end].dropna()
        fm = out[t]
        first = series.index[0]
        fm.values["inception"] = iso(first)
        if len(series) < 2:
            _null(fm, "inception", WINDOW_NULLS[2].template.format(first=first.date()))
            continue
        w = Window(series.to_frame(), "inception", rf, years=(series.index[-1] - first).days / 365.25)
        for e in entries:
            _store(fm, e, "inception", e.compute(w), t)
        if (series.index[-1] - first).days < 365:  # never annualise a return over less than a year
            fm.values["cagr"]["inception"] = None
            fm.reasons["cagr.inception"] = BY_KEY["cagr"].nulls[0].template.format(first=first.date())


def _dividend_yield(prep: Prepared, cols: list[str], end: pd.Timestamp, out: dict[str, FundMetrics]) -> None:
    """Trailing-12-month dividend yield, or null with the registry's reason."""
    entry = BY_KEY["dividend_yield_ttm"]
    too_young, no_close, no_dividends, close_gap = (n.template for n in entry.nulls)
    yld = m.dividend_yield_ttm(prep.data.dividends.reindex(columns=cols), prep.data.close[cols], end)
    for t in cols:
        fm = out[t]
        first = prep.freshness[t].first
        reason = None
        if (end - first).days < 365:
            reason = too_young.format(first=first.date())
        elif pd.isna(yld[t]):
            reason = no_close.format(end=end.date())
        elif t not in prep.data.dividends.columns or prep.data.dividends[t].dropna().empty:
            reason = no_dividends
        elif gap := _close_gap(prep.data.adj_close[t], prep.data.close[t], end):
            reason = close_gap.format(start=gap[0].date(), end=gap[1].date())
        fm.values["dividend_yield_ttm"] = None if reason else num(yld[t])
        if reason:
            fm.reasons["dividend_yield_ttm"] = reason


MAX_CLOSE_GAP = 5
"""Trading days without an unadjusted close that the trailing yield tolerates in its window: longer runs
may hide an ex-dividend date (the shared data's dividend lists are complete only where closes are)."""


def _close_gap(adj: pd.Series, close: pd.Series, end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last day of the longest run of more than :data:`MAX_CLOSE_GAP` trading days without an
    unadjusted close in the trailing-yield window ``(end - 365 days, end]``, or None."""
    window = slice(end - pd.Timedelta(days=365) + pd.Timedelta(days=1), end)
    a, c = adj.loc[window], close.loc[window]
    missing = (a.notna() & c.isna()).to_numpy()
    if missing.sum() <= MAX_CLOSE_GAP:
        return None
    best, run_start, best_span = 0, None, None
    for i, miss in enumerate(list(missing) + [False]):
        if miss and run_start is None:
            run_start = i
        elif not miss and run_start is not None:
            if i - run_start > best:
                best, best_span = i - run_start, (a.index[run_start], a.index[i - 1])
            run_start = None
    return best_span if best > MAX_CLOSE_GAP else None


def _null(fm: FundMetrics, h: str, reason: str) -> None:
    """Record null for every figure published for horizon ``h``."""
    for e in published_at(h):
        fm.values.setdefault(e.key, {})[h] = None
        fm.reasons[f"{e.key}.{h}"] = reason


def fund_series(adj: pd.Series, end: pd.Timestamp) -> dict:
    """Where a fund stands against its highs on ``end``: ``drawdown_now`` (below the
    all-time high, with the high's date) and ``high_52w`` (date of the highest close in
    the 52 weeks to ``end``).  Added to the fund section of the JSON."""
    s = adj.loc[:end].dropna()
    if s.empty:
        return {"drawdown_now": None, "high_52w": None}
    peak = s.idxmax()
    recent = s.loc[s.index > end - pd.DateOffset(weeks=52)]
    return {
        "drawdown_now": {"value": num(s.iloc[-1] / s.loc[peak] - 1.0), "peak": peak.date().isoformat()},
        "high_52w": {"date": recent.idxmax().date().isoformat(), "weeks": 52},
    }


FUND_FACTS = {"expense_ratio": "expense ratio", "aum": "assets under management",
              "fund_assets": "net assets of the whole fund", "holdings_count": "holdings count", "issuer": "issuer",
              "index": "index", "dividend_yield": "published dividend yield"}
"""The dated fund facts of the ``funds.<T>`` JSON section (data/funds.toml, as of the build's date), in words."""


def fund_section(t: str, fm: FundMetrics, info, fr, findings=()) -> dict:
    """The ``funds.<T>`` object of the API contract (plus documented extras): the figures (``fm``, measured
    to ``fm.as_of``: the page's date), the fund facts (``info``: :class:`versus.data.funds.FundFacts`),
    the fund's own last close and whether it is stale (``fr``: its :class:`versus.data.Freshness`) and
    null reasons.

    Every fund fact carries its observation in ``sources[<key>]``: as_of, source (a readable name),
    source_id, url, note, observed_after_as_of (no observation on or before the build's date, so the
    earliest later one is used) and old (more than 12 months before it); sector_weights and
    top_holdings likewise.  A fact with no observation is null with its reason in null_reasons.

    ``findings`` (:func:`versus.analysis.sanity.check`): ``data_checks`` lists those on this fund up to
    ``fm.as_of`` and, under ``figures``, the figures whose window holds one (``"key.horizon"`` -> dates)."""
    v = dict(fm.values)
    sources, reasons = {}, dict(fm.reasons)
    for key, label in FUND_FACTS.items():
        fact = info.facts.get(key) if info else None
        out_key = "dividend_yield_published" if key == "dividend_yield" else key
        v[out_key] = fact.value if fact else None
        if fact:
            sources[out_key] = fact.to_json()
        elif key != "fund_assets":
            reasons[out_key] = NOT_ON_FILE.template.format(ticker=t, label=label)
    for key, fact in (("sector_weights", info.sectors if info else None),
                      ("top_holdings", info.holdings if info else None)):
        if fact:
            sources[key] = fact.to_json()
    cat = info.category if info else None
    v["category"] = {"id": cat.id, "name": cat.name, "benchmark": cat.benchmark} if cat else None
    v["asset_class"] = cat.asset_class if cat else None
    v["name"] = info.name if info and info.name else t
    v["as_of"] = fm.as_of.date().isoformat()      # the day this section's figures are measured to
    v["prices_end"] = fr.last.date().isoformat()  # the fund's own last close (later than as_of on a page
    v["stale"] = fr.stale                         # held back by another fund); stale: before the build's date
    v["null_reasons"] = dict(sorted(reasons.items()))
    v["sources"] = sources
    mine = [f for f in findings if t in f.funds and f.date <= v["as_of"]]
    first = pd.Timestamp(v["inception"]) if v.get("inception") else None
    v["data_checks"] = {"findings": [f.to_json() for f in mine],
                        "figures": sanity.marks(mine, t, v, fm.as_of, first)}
    return v


def leader(values: dict):
    """The key of the largest of ``values`` (None values left out), or None."""
    known = {k: v for k, v in values.items() if v is not None}
    return max(known, key=known.get) if known else None


def difference(values: list) -> float | None:
    """The first of two figures minus the second (a pair's lead), or None when either is missing."""
    return values[0] - values[1] if len(values) == 2 and None not in values else None

"""Holdings and costs: concentration, sector weights, overlap of top holdings and what fees cost.

Inputs are the fund facts (:class:`versus.data.funds.FundFacts`, curated or live) and the
expense ratios of the fund sections; outputs are plain numbers and lists for the pages and facts.
"""
from __future__ import annotations

from .. import metrics as m
from ..data.funds import common_sectors
from ..util import num

FEE_RETURN = 0.06
"""Assumed yearly return before fees in every fee-cost figure (the fee table and the fee sentence)."""
FEE_AMOUNTS = (10_000, 100_000)
FEE_YEARS = (10, 20, 30)
FEE_EXAMPLE = {"amount": 10_000, "years": 10}
"""The fee-cost example of a pair's facts."""
LAST_SECTORS = ("Other", "Unknown", "Unassigned")
SECTOR_CLASSES = ("equity", "real estate", "multi-asset", None)
"""Asset classes whose funds hold companies: sector weights apply (a bond, gold or cash fund has none)."""
HOLDINGS_CLASSES = ("equity", "real estate", "multi-asset", "bonds", "cash", None)
"""Asset classes with a holdings list (a gold trust holds bullion)."""


def profile(info) -> dict:
    """Concentration inputs from curated fund facts (a :class:`versus.data.funds.FundFacts` or None):
    weight of the ten largest holdings and the largest sector, each with its as-of date."""
    out = {"top10_weight": None, "top10_as_of": None, "top_sector": None, "top_sector_weight": None}
    if info is None:
        return out
    if info.top_holdings and len(info.top_holdings) >= 10:
        out["top10_weight"] = num(sum(h["weight"] for h in info.top_holdings[:10]), 6)
        out["top10_as_of"] = info.holdings_as_of
    if info.sector_weights:
        named = {k: v for k, v in info.sector_weights.items() if k.lower() not in ("other", "unknown")}
        if named:
            name = max(named, key=named.get)
            out["top_sector"], out["top_sector_weight"] = name, num(named[name], 6)
    return out


def sectors(info: dict, tickers: list[str]) -> dict:
    """Sector weights side by side, in one taxonomy only (:func:`versus.data.funds.common_sectors`): the funds
    shown, the sectors (each fund's largest first, 'Other'/'Unknown'/'Unassigned' last), one weight per fund
    per sector (None when absent), each fund's largest; ``other``: funds whose breakdown is only in another
    taxonomy (named, not mixed in); ``missing``: funds it applies to (:data:`SECTOR_CLASSES`) without one."""
    applies = [t for t in tickers if (info[t].asset_class if info.get(t) else None) in SECTOR_CLASSES]
    taxonomy, chosen, other = common_sectors({t: info.get(t) for t in applies})
    have = [t for t in applies if t in chosen]
    by_fund = {t: chosen[t].value for t in have}
    order: list[str] = []
    for t in have:
        for s in sorted(by_fund[t], key=lambda s: -by_fund[t][s]):
            if s not in order:
                order.append(s)
    last = [s for s in order if s in LAST_SECTORS]
    order = [s for s in order if s not in last] + last
    weights = {s: [by_fund[t].get(s) for t in have] for s in order}
    largest = {t: (max(by_fund[t], key=by_fund[t].get), max(by_fund[t].values())) for t in have}
    return {"funds": have, "missing": [t for t in applies if t not in chosen and t not in other], "sectors": order,
            "weights": weights, "largest": largest, "taxonomy": taxonomy, "chosen": chosen, "other": other}


def has_holdings(fi) -> bool:
    """Whether a holdings list applies to the fund (:data:`HOLDINGS_CLASSES`; a gold trust holds bullion)."""
    return (fi.asset_class if fi else None) in HOLDINGS_CLASSES


def top_holdings(fi) -> dict | None:
    """A fund's ten largest holdings and their combined weight (NaN with fewer than ten); None without a list."""
    if not fi or not fi.top_holdings:
        return None
    return {"top": fi.top_holdings[:10], "share": m.top_share([h["weight"] for h in fi.top_holdings], 10)}


def overlap(base: list[dict], other: list[dict]) -> dict:
    """Holdings two published lists have in common (in the base fund's order) and the overlap by weight."""
    wb = {h["ticker"]: h["weight"] for h in base}
    wo = {h["ticker"]: h["weight"] for h in other}
    return {"common": [k for k in wb if k in wo], "overlap": m.holdings_overlap(wb, wo)}


def fee_costs(ers: list) -> list[dict]:
    """What each expense ratio costs against a fee-free fund, per amount and holding period, at
    :data:`FEE_RETURN`; for two known ratios also the gap between them and which is cheaper."""
    pair = len(ers) == 2 and None not in ers
    rows = []
    for amount in FEE_AMOUNTS:
        for years in FEE_YEARS:
            row = {"amount": amount, "years": years,
                   "costs": [None if e is None else m.fee_cost(amount, years, FEE_RETURN, 0.0, e) for e in ers]}
            if pair:
                lo, hi = sorted(ers)
                row["gap"] = m.fee_cost(amount, years, FEE_RETURN, lo, hi)
                row["cheaper"] = None if lo == hi else ers.index(lo)
            rows.append(row)
    return rows


def fee_gap(low: float, high: float) -> float:
    """The pair fact's example: what the higher of two expense ratios costs over :data:`FEE_EXAMPLE`."""
    return m.fee_cost(FEE_EXAMPLE["amount"], FEE_EXAMPLE["years"], FEE_RETURN, low, high)


def note_figures(fi) -> dict:
    """What a fund's curated notes may claim about its holdings (``<T>.holdings.<key>`` in a note's claim):
    the weight of its ten largest holdings and of the largest one, its largest sector and that sector's weight
    (None when the facts have no list or breakdown)."""
    prof = profile(fi)
    top = fi.top_holdings if fi and fi.top_holdings else []
    return {"top10_weight": prof["top10_weight"], "largest_weight": num(max(h["weight"] for h in top), 6) if top else None,
            "top_sector": prof["top_sector"], "top_sector_weight": prof["top_sector_weight"]}

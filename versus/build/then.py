"""The figures as they were on the day each commentary was written (its front matter's ``updated``), so an
editor is told a claim "no longer holds" only when it held then, and "does not hold" when it never did.

For each commentary with claims, the market data are cut at ``updated`` and the figures it may quote are
computed as its page would have shown them that day: every configured fund, the pair's figures and facts
(fund facts as of that day).  Nothing is computed for commentary without claims, written after the data
end, or before a fund it names had a price (then whether a claim held is not known)."""
from __future__ import annotations

import pandas as pd

from .. import analysis, content, facts
from .. import metrics as m
from ..config import pair_slug
from ..data import common_end, prepare
from ..errors import DataError


def claims_then(ctx) -> dict[tuple[str, str], dict]:
    """(kind, key) -> the flat figures a commentary's claims read, on its ``updated`` date."""
    docs = [("pair", slug, d) for slug, d in ctx.content.pairs.items()]
    docs += [("fund", t, d) for t, d in ctx.content.funds.items()]
    docs += [("index", "", ctx.content.index)] if ctx.content.index is not None else []
    out: dict[tuple[str, str], dict] = {}
    preps: dict[str, object] = {}
    for kind, key, doc in docs:
        day = doc.meta.get("updated")
        if not doc.claims or not day or pd.Timestamp(day) > ctx.prep.as_of:
            continue
        if day not in preps:
            try:
                preps[day] = prepare(ctx.md, day)
            except DataError:
                preps[day] = None  # before a fund's first price: whether the claims held is not known
        if preps[day] is not None:
            quoted = {p.split(".")[0] for _, _, c in doc.claims for p in c.paths}
            flat = _flat(ctx, preps[day], kind, key, pd.Timestamp(day).date(), quoted)
            if flat is not None:
                out[(kind, key)] = flat
    return out


def _flat(ctx, prep, kind: str, key: str, day, quoted: set[str]) -> dict:
    """The figures a commentary on page (kind, key) could quote on ``day`` (of the funds its claims name)."""
    cfg = ctx.cfg
    pair = next(((a, b) for a, b in cfg.pairs if pair_slug(a, b) == key), None) if kind == "pair" else None
    tickers = list(pair) if pair else [key] if kind == "fund" else [t for t in cfg.funds if t in prep.freshness]
    if not all(t in prep.freshness for t in tickers) or not (quoted - {"pair", "facts"}) <= set(prep.freshness):
        return None  # a fund it names had not started trading that day: whether the claims held is not known
    end = common_end(prep, tickers)
    wanted: dict = {}
    for t in prep.freshness:
        if t in quoted or (pair and t in pair and quoted & {"pair", "facts"}):
            wanted.setdefault(min(prep.freshness[t].last, end), []).append(t)
    computed = analysis.compute_funds_at(prep, wanted, cfg.risk_free_rate)
    sections = {}
    info = {t: ctx.curated.facts_as_of(t, day, ctx.md.meta.get(t, {})) for ts in wanted.values() for t in ts}
    for (t, at), fm in computed.items():
        sections[t] = analysis.fund_section(t, fm, info[t], prep.freshness[t])
        sections[t].update(analysis.fund_series(prep.data.adj_close[t], at))
    if pair is None or not quoted & {"pair", "facts"}:
        return content.names(sections)
    a, b = pair
    returns = m.simple_returns(prep.data.adj_close)
    values, _ = analysis.compute_pair(prep, returns, a, b)
    more, _ = analysis.pair_series(returns, a, b, end)
    values = {**values, **more}
    pf = facts.pair_facts(a, b, sections[a], sections[b], values,
                          {t: analysis.holdings.profile(info[t]) for t in (a, b)})
    return content.names(sections, values, [f.to_json() for f in pf])

"""The build, one way through: config -> data -> metrics -> facts -> charts -> render.

Data are loaded once, every fund's metrics are computed once (one 2-D pass) and
each pair only combines them.  The site is written into a temporary folder next to
the output and swapped into place only when everything succeeded: each page job
(in a worker process or not) writes its own page, API document and files into that
folder as soon as they are rendered, so no process ever holds the whole site.
"""
from __future__ import annotations

import errno
import inspect
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__, analysis, changes, content, facts, feed, fmt, lastresort, outdir, plausible, views
from . import metrics as m
from .config import SiteConfig, group_slug, pair_slug
from .data import Prepared, prepare
from .errors import OutputError
from .freshness import policy
from .funds import APART_MONTHS, OLD_MONTHS, FundFacts, load_funds, when_text
from .render import Writer, dumps, make_env, page_path, recover_output, robots, root_prefix, sitemap
from .report import build_json
from .sources import MarketData

HORIZON_LABELS = {
    "1m": "1 month", "3m": "3 months", "6m": "6 months", "ytd": "Year to date", "1y": "1 year",
    "3y": "3 years", "5y": "5 years", "10y": "10 years", "inception": "Since inception", "90d": "90 trading days",
}


@dataclass
class BuildResult:
    out: Path
    as_of: str
    pages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # information, printed and shown on pages
    warnings: list[str] = field(default_factory=list)  # problems; --strict turns them into exit status 6
    timings: dict[str, float] = field(default_factory=dict)
    page_ms: list[float] = field(default_factory=list)  # per pair page, milliseconds (bench)


class Progress:
    """One line per stage on stderr, with its time."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.timings: dict[str, float] = {}

    def stage(self, name: str):
        progress = self

        class _Stage:
            def __enter__(self):
                self.t0 = time.perf_counter()
                lastresort.stage(name)
                if not progress.quiet:
                    print(f"  {name} …", end="", file=sys.stderr, flush=True)

            def __exit__(self, *exc):
                dt = time.perf_counter() - self.t0
                progress.timings[name] = progress.timings.get(name, 0.0) + dt
                if not progress.quiet:
                    print(f" {dt:.2f}s" if exc[0] is None else " failed", file=sys.stderr, flush=True)

        return _Stage()


# --------------------------------------------------------------------------- view models
FUND_FACTS = {"expense_ratio": "expense ratio", "aum": "assets under management",
              "fund_assets": "net assets of the whole fund", "holdings_count": "holdings count", "issuer": "issuer",
              "index": "index", "dividend_yield": "published dividend yield"}
"""The dated fund facts of the ``funds.<T>`` JSON section (data/funds.toml, as of the build's date)."""


def _fund_section(t: str, fm: analysis.FundMetrics, info: FundFacts | None, prep: Prepared) -> dict:
    """The ``funds.<T>`` object of the API contract (plus documented extras).

    Every fund fact carries its observation in ``sources[<key>]``: as_of, source (a readable name),
    source_id, url, note, observed_after_as_of (no observation on or before the build's date, so the
    earliest later one is used) and old (more than 12 months before it); sector_weights and
    top_holdings likewise.  A fact with no observation is null with its reason in null_reasons."""
    fr = prep.freshness[t]
    v = dict(fm.values)
    sources, reasons = {}, dict(fm.reasons)
    for key, label in FUND_FACTS.items():
        fact = info.facts.get(key) if info else None
        out_key = "dividend_yield_published" if key == "dividend_yield" else key
        v[out_key] = fact.value if fact else None
        if fact:
            sources[out_key] = fact.to_json()
        elif key != "fund_assets":
            reasons[out_key] = f"not on file: no source in data/funds.toml gives {t}'s {label}"
    for key, fact in (("sector_weights", info.sectors if info else None),
                      ("top_holdings", info.holdings if info else None)):
        if fact:
            sources[key] = fact.to_json()
    cat = info.category if info else None
    v["category"] = {"id": cat.id, "name": cat.name, "benchmark": cat.benchmark} if cat else None
    v["asset_class"] = cat.asset_class if cat else None
    v["name"] = info.name if info and info.name else t
    v["as_of"] = fr.last.date().isoformat()
    v["stale"] = fr.stale
    v["null_reasons"] = dict(sorted(reasons.items()))
    v["sources"] = sources
    return v


def _facts_date(prep: Prepared, md: MarketData):
    """The date fund facts are chosen for: the date asked for (``--as-of 2026-01-25``, a Sunday, uses the
    facts observed on the 25th with the prices of Friday the 23rd); otherwise the last close, or the day
    live values were fetched when that is later (a build on a Saturday uses that day's expense ratios)."""
    if prep.requested is not None:
        return prep.requested.date()
    day = prep.as_of.date()
    for meta in md.meta.values():
        for entry in (meta or {}).values():
            when = str(entry.get("as_of") or "") if isinstance(entry, dict) else ""
            if len(when) >= 10 and when[:10] > day.isoformat():
                try:
                    day = max(day, pd.Timestamp(when[:10]).date())
                except ValueError:
                    continue
    return day


def _quote_when(q) -> str:
    """A quote's date as its line shows it ('Jan 2026'; 'undated' when the source gave none: the source's
    name already says when it was published)."""
    when, _ = when_text(q.as_of, q.note, fmt.observed)
    return "undated" if when.endswith("undated") else when


def _cell(value, text: str, reason: str | None = None) -> dict:
    return {"raw": value, "text": text, "title": reason, "detail": None}


def _returns_rows(tickers: list[str], funds: dict) -> list[dict]:
    rows = []
    for h in m.RETURN_HORIZONS:
        cells = [_cell(funds[t]["total_return"].get(h), fmt.pct(funds[t]["total_return"].get(h)),
                       funds[t]["null_reasons"].get(f"total_return.{h}")) for t in tickers]
        rows.append({"label": HORIZON_LABELS[h], "cells": cells, "sub": False})
        if h in analysis.CAGR_HORIZONS:
            cells = [_cell(funds[t]["cagr"].get(h), fmt.pct(funds[t]["cagr"].get(h)),
                           funds[t]["null_reasons"].get(f"cagr.{h}")) for t in tickers]
            rows.append({"label": f"{HORIZON_LABELS[h]}, per year", "cells": cells, "sub": True})
    for row in rows:
        vals = [c["raw"] for c in row["cells"]]
        row["diff"] = fmt.pts(vals[0] - vals[1]).replace(" points", "") if len(vals) == 2 and None not in vals else fmt.DASH
        row["diff_sign"] = "" if row["diff"] == fmt.DASH else ("+" if vals[0] >= vals[1] else "\u2212")
    return rows


def _risk_rows(tickers: list[str], funds: dict) -> list[dict]:
    rows = []
    for key, label, fmt_fn in (("volatility", "Volatility", fmt.pct), ("sharpe", "Sharpe ratio", fmt.num),
                               ("sortino", "Sortino ratio", fmt.num)):
        for h in analysis.VOL_HORIZONS:
            rows.append({"label": f"{label}, {HORIZON_LABELS[h]}", "sub": False, "cells": [
                _cell(funds[t][key].get(h), fmt_fn(funds[t][key].get(h)), funds[t]["null_reasons"].get(f"{key}.{h}"))
                for t in tickers]})
    for h in analysis.DRAWDOWN_HORIZONS:
        cells = []
        for t in tickers:
            dd = funds[t]["max_drawdown"].get(h)
            if dd is None:
                cells.append(_cell(None, fmt.DASH, funds[t]["null_reasons"].get(f"max_drawdown.{h}")))
                continue
            detail = (f"{fmt.date(dd['peak'])} to {fmt.date(dd['trough'])}; "
                      + (f"recovered {fmt.date(dd['recovery'])}" if dd["recovery"] else "not recovered")) if dd["peak"] else ""
            cells.append({**_cell(dd["value"], fmt.pct(dd["value"])), "detail": detail})
        rows.append({"label": f"Max drawdown, {HORIZON_LABELS[h]}", "cells": cells, "sub": False})
    return rows


def _pair_rows(pair: dict, reasons: dict) -> list[dict]:
    rows = []
    for key, label in (("correlation", "Correlation"), ("beta", "Beta")):
        for h in analysis.PAIR_HORIZONS:
            val = pair[key].get(h)
            rows.append({"label": f"{label}, {HORIZON_LABELS[h]}", "text": fmt.num(val), "title": reasons.get(f"{key}.{h}"),
                         "raw": val})
    return rows


def _fact_cell(val, text: str, src: dict | None, reason: str | None) -> dict:
    """A fund-fact cell: the value, then its observation date as visible text (phones have no hover),
    marked when observed after the page's date or more than 12 months before it; the source is
    numbered in the table's source list (views.table_from_rows)."""
    if src is None:
        return _cell(val, text if val is not None else "not on file", reason)
    when, note = when_text(src["as_of"], src.get("note"), fmt.observed)
    flag = "after" if src.get("observed_after_as_of") else "old" if src.get("old") else None
    detail = (f"observed {when}, after this date" if flag == "after" else
              f"{when}, over a year old" if flag == "old" else when)
    if note:
        detail += f" · {note}"
    return {"raw": val, "text": text, "title": None, "detail": detail, "flag": flag,
            "source": {"id": src.get("source_id") or src["source"], "name": src["source"], "url": src.get("url")}}


def _profile_rows(tickers: list[str], funds: dict) -> list[dict]:
    spec = [
        ("Issuer", "issuer", str), ("Index tracked", "index", str), ("Expense ratio", "expense_ratio", lambda x: fmt.pct(x, 2)),
        ("Assets under management", "aum", fmt.assets),
        ("Net assets of the whole fund (all share classes)", "fund_assets", fmt.assets),
        ("Holdings", "holdings_count", fmt.count),
        ("Dividend yield (trailing 12 months)", "dividend_yield_ttm", lambda x: fmt.pct(x, 2)),
        ("Dividend yield (published)", "dividend_yield_published", lambda x: fmt.pct(x, 2)),
        ("Inception (first price)", "inception", fmt.date),
    ]
    rows = []
    for label, key, f in spec:
        if key == "fund_assets" and all(funds[t].get(key) is None for t in tickers):
            continue  # only Vanguard funds report it: no empty row elsewhere
        cells = []
        for t in tickers:
            val = funds[t].get(key)
            cells.append(_fact_cell(val, fmt.DASH if val is None else f(val), funds[t]["sources"].get(key),
                                    funds[t]["null_reasons"].get(key)))
        rows.append({"label": label, "cells": cells, "sub": False})
    cats = [funds[t].get("category") for t in tickers]
    if any(cats):
        rows.append({"label": "Category (this site's)", "sub": False, "cells": [
            {**_cell(c["name"] if c else None, c["name"] if c else "not classified"),
             "detail": f"{funds[t]['asset_class']}; benchmark {c['benchmark']}" if c else None}
            for t, c in zip(tickers, cats)]})
    return rows


def _methodology() -> list[dict]:
    """The metric conventions, taken from the docstrings so page and code cannot drift."""
    names = ["window_anchor", "total_return", "cagr", "growth_of", "annual_volatility", "daily_risk_free",
             "sharpe_ratio", "sortino_ratio", "drawdown", "max_drawdown", "dividend_yield_ttm", "correlation",
             "beta", "relative_strength"]
    return [{"name": n, "doc": inspect.cleandoc(getattr(m, n).__doc__)} for n in names]


# --------------------------------------------------------------------------- build
def build(
    cfg: SiteConfig,
    md: MarketData,
    out: Path,
    as_of: str | None = None,
    funds_path: Path | None = None,
    quiet: bool = False,
    previous: Path | None = None,
    freshness=None,
    content_dir: Path | None = None,
    check_only: bool = False,
    inputs_sha256: str | None = None,
) -> BuildResult:
    """Build the whole site into ``out``. ``previous`` is an earlier build's output (what-changed);
    ``freshness`` (a :class:`versus.freshness.FreshnessReport`, live builds) gives the refresh banner.
    ``check_only`` (``build.py --check``): everything up to the write, and nothing written.
    ``inputs_sha256`` (:mod:`versus.uptodate`) is recorded in build.json for the no-change fast path."""
    if check_only:
        return _build(cfg, md, out, as_of, funds_path, quiet, previous, freshness, content_dir, check_only,
                      inputs_sha256)
    with outdir.Lock(out):  # one build at a time per output folder (re-entrant: the CLI holds it already)
        return _build(cfg, md, out, as_of, funds_path, quiet, previous, freshness, content_dir, check_only,
                      inputs_sha256)


def _build(cfg, md, out, as_of, funds_path, quiet, previous, freshness, content_dir, check_only,
           inputs_sha256) -> BuildResult:
    progress = Progress(quiet)
    warnings: list[str] = []
    if not check_only:
        recover_output(out)  # what a killed build left: its temporary folder, or the previous site set aside
    with progress.stage("validate"):
        prep = prepare(md, as_of)
    with progress.stage("fund facts"):
        curated = load_funds(funds_path) if funds_path else load_funds()
        plausible.check_inceptions(curated, {t: prep.freshness[t].first.date() for t in cfg.funds})
        # every fact as of the build's date: live values (--live) are one more dated observation
        day = _facts_date(prep, md)
        info = {t: curated.facts_as_of(t, day, md.meta.get(t, {})) for t in cfg.funds}
    with progress.stage("content"):  # issue 3: commentary, and the previous build read before it is replaced
        site_content = content.load(cfg, content_dir)
        prev = changes.Previous.read(previous if previous is not None else out)
        warnings.extend(prev.problems)
    with progress.stage("metrics"):
        fund_metrics = analysis.compute_funds(prep, cfg.risk_free_rate)
        funds = {t: _fund_section(t, fund_metrics[t], info[t], prep) for t in cfg.funds}
        for t in cfg.funds:  # where each fund stands against its highs (issue 3)
            funds[t].update(facts.fund_series(prep.data.adj_close[t], prep.freshness[t].last))
        returns = m.simple_returns(prep.data.adj_close)
        pairs = {p: analysis.compute_pair(prep, returns, *p) for p in cfg.pairs}
    as_of_iso = prep.as_of.date().isoformat()
    lastresort.stage("templates")
    env = make_env(overrides=cfg.templates)
    site = {"title": cfg.title, "description": cfg.description, "base_url": cfg.base_url, "version": __version__}
    common = {
        "site": site, "as_of": as_of_iso, "source": prep.data.source, "notes": prep.notes + prep.data.warnings,
        "risk_free_rate": cfg.risk_free_rate,
        "banner": freshness.banner(prep.as_of) if freshness else None,  # issue 5: refresh failed / stale
        "freshness_policy": policy(freshness.limit if freshness else cfg.max_stale_days),
    }
    pages: dict[str, str] = {}  # the pages rendered here (index, methodology); the others are written by their job
    api: dict[str, dict] = {}
    nav_pairs = [{"slug": pair_slug(a, b), "a": a, "b": b} for a, b in cfg.pairs]

    def ctx(url: str, **kw) -> dict:
        return {**common, "url": url, "root": root_prefix(url), "canonical": cfg.base_url + url,
                "pairs": nav_pairs[: views.NAV_MAX], "pairs_total": len(nav_pairs), **kw}

    files: dict[str, str | bytes] = {}  # CSV, SVG and PNG files of the index page (issue 4, versus/views.py)
    site_out: _Site | None = None  # the temporary output folder (none under check_only: nothing is written)

    def emit(res: dict, clock: _Clock, pages_: dict[str, str], api_: dict[str, dict], files_: dict) -> dict:
        """Write one job's page, API document and files, and keep only their names in ``res``."""
        res["urls"] = list(pages_)
        res["paths"] = site_out.write_job(pages_, api_, files_) if site_out is not None else []
        clock.lap("write")
        return res

    def pair_job(i: int) -> dict:
        a, b = cfg.pairs[i]
        clock = _Clock()
        slug = pair_slug(a, b)
        pair_vals, pair_reasons = pairs[(a, b)]
        more, more_reasons = facts.pair_series(returns, a, b, min(prep.freshness[a].last, prep.freshness[b].last))
        pair_vals, pair_reasons = {**pair_vals, **more}, {**pair_reasons, **more_reasons}
        pf = facts.pair_facts(a, b, funds[a], funds[b], pair_vals, {t: facts.profile(info[t]) for t in (a, b)})
        text = facts.summary(pf, a, b)
        clock.lap("facts")
        pv = views.comparison_view(
            prep, [a, b], funds, info, f"{slug}/", f"api/pairs/{slug}.json",
            {"profile": _profile_rows([a, b], funds), "returns": _returns_rows([a, b], funds),
             "risk": _risk_rows([a, b], funds)}, site, as_of_iso, {"together": _pair_rows(pair_vals, pair_reasons)})
        clock.lap("charts")
        doc = {
            "as_of": as_of_iso, "tickers": [a, b], "risk_free_rate": cfg.risk_free_rate,
            "funds": {a: funds[a], b: funds[b]},
            "pair": {**pair_vals, "null_reasons": dict(sorted(pair_reasons.items()))},
            "facts": [f.to_json() for f in pf], "summary": text, "source": prep.data.source,
        }
        commentary = site_content.pairs.get(slug)  # names() walks every fund's figures: only when quoted
        cm, cw = content.render(commentary, content.names(funds, doc["pair"], doc["facts"]) if commentary else {},
                                cfg.allow_html, as_of_iso)
        doc.update(takeaways=facts.takeaways(pf), faq=facts.faq(pf, a, b), commentary=content.api_view(cm))
        doc["changes"] = changes.pair_changes(prev.docs.get(f"api/pairs/{slug}.json"), doc)
        stale = [t for t in (a, b) if funds[t]["stale"]]
        clock.lap("facts")
        html = env.get_template("pair.html").render(ctx(
            f"{slug}/", a=a, b=b, tickers=[a, b], funds=funds, summary=text, facts=pf, stale=stale,
            takeaways=doc["takeaways"], faq=doc["faq"], faq_ld=facts.faq_jsonld(doc["faq"]), commentary=cm,
            changes=doc["changes"],
            profile_rows=_profile_rows([a, b], funds), returns_rows=_returns_rows([a, b], funds),
            risk_rows=_risk_rows([a, b], funds), pair_rows=_pair_rows(pair_vals, pair_reasons),
            **pv.context, related=views.related_pairs([a, b], nav_pairs, f"{slug}/"),
            page_title=f"{a} vs {b}: returns, risk and costs compared", description=text[:300], api=f"api/pairs/{slug}.json",
        ))
        clock.lap("render")
        res = {"warnings": cw, "feed": {"slug": slug, "title": f"{a} vs {b}", **doc["changes"]},
               "view": {"slug": slug, "a": a, "b": b, "leader_1y": pf[0].values.get("leader"),
                        "ra": funds[a]["total_return"].get("1y"), "rb": funds[b]["total_return"].get("1y"),
                        "corr_1y": pair_vals["correlation"].get("1y")},
               "times": clock.times}
        emit(res, clock, {f"{slug}/": html}, {f"api/pairs/{slug}.json": doc}, pv.files)
        res["ms"] = clock.total_ms()
        return res

    def fund_job(i: int) -> dict:
        t = cfg.funds[i]
        clock = _Clock()
        ff = facts.fund_facts(t, funds[t])
        commentary = site_content.funds.get(t)
        fcm, cw = content.render(commentary, content.names(funds) if commentary else {}, cfg.allow_html, as_of_iso)
        clock.lap("facts")
        fv = views.fund_view(prep, t, funds, info, f"funds/{t.lower()}/", f"api/funds/{t.lower()}.json",
                             {"profile": _profile_rows([t], funds), "returns": _returns_rows([t], funds),
                              "risk": _risk_rows([t], funds)}, site, as_of_iso)
        clock.lap("charts")
        doc = {
            "as_of": as_of_iso, "tickers": [t], "risk_free_rate": cfg.risk_free_rate, "funds": {t: funds[t]},
            "facts": [f.to_json() for f in ff], "source": prep.data.source, "commentary": content.api_view(fcm),
        }
        related = [p for p in nav_pairs if t in (p["a"], p["b"])]
        html = env.get_template("fund.html").render(ctx(
            f"funds/{t.lower()}/", t=t, tickers=[t], funds=funds, facts=ff, fund=funds[t], info=info[t], commentary=fcm,
            quotes=[{"text": q.value, "source": q.source, "url": q.url, "when": _quote_when(q)} for q in info[t].quotes],
            profile_rows=_profile_rows([t], funds), returns_rows=_returns_rows([t], funds),
            risk_rows=_risk_rows([t], funds), related=related, stale=[t] if funds[t]["stale"] else [],
            **fv.context, others=views.related_pairs([t], nav_pairs, f"funds/{t.lower()}/",
                                                    len(related) + views.RELATED_MAX)[len(related):],
            page_title=f"{t}: {funds[t]['name']}", description=" ".join(f.text for f in ff)[:300],
            api=f"api/funds/{t.lower()}.json",
        ))
        clock.lap("render")
        return emit({"warnings": cw, "times": clock.times}, clock, {f"funds/{t.lower()}/": html},
                    {f"api/funds/{t.lower()}.json": doc}, fv.files)

    def group_job(i: int) -> dict:  # /compare/<a>-<b>-<c>/: the pair page's charts and tables for 3-5 funds (issue 4)
        g = cfg.groups[i]
        clock = _Clock()
        members, gslug = list(g), group_slug(g)
        url, api_path = f"compare/{gslug}/", f"api/groups/{gslug}.json"
        links = {o: dict(zip(("values", "reasons"), analysis.compute_pair(prep, returns, g[0], o))) for o in g[1:]}
        clock.lap("facts")
        gv = views.comparison_view(
            prep, members, funds, info, url, api_path,
            {"profile": _profile_rows(members, funds), "returns": _returns_rows(members, funds),
             "risk": _risk_rows(members, funds)}, site, as_of_iso,
            {"together": views.group_together_table(links, g[0], members[1:], f"api/groups/{gslug}/together.csv")})
        clock.lap("charts")
        doc = {
            "as_of": as_of_iso, "tickers": members, "risk_free_rate": cfg.risk_free_rate,
            "funds": {t: funds[t] for t in members}, "source": prep.data.source,
            "pairs": {f"{g[0]}-{o}": {**links[o]["values"], "null_reasons": dict(sorted(links[o]["reasons"].items()))}
                      for o in g[1:]}}
        summary = views.group_summary(members, funds)
        html = env.get_template("group.html").render(ctx(
            url, tickers=members, funds=funds, summary=summary, stale=[t for t in members if funds[t]["stale"]],
            returns_rows=_returns_rows(members, funds), risk_rows=_risk_rows(members, funds),
            **gv.context, related=views.related_pairs(members, nav_pairs, url),
            page_title=f"{' vs '.join(members)}: returns, risk and costs compared", description=summary[:300],
            api=api_path))
        clock.lap("render")
        return emit({"warnings": [], "times": clock.times,
                     "view": {"title": " vs ".join(members), "tickers": members, "url": url,
                              "r1y": [funds[t]["total_return"].get("1y") for t in members]}},
                    clock, {url: html}, {api_path: doc}, gv.files)

    # every pair, fund and group page: in worker processes when there are more than a handful (same bytes)
    jobs = ([(pair_job, i) for i in range(len(cfg.pairs))] + [(fund_job, i) for i in range(len(cfg.funds))]
            + [(group_job, i) for i in range(len(cfg.groups))])
    if not check_only:
        site_out = _Site.open(out)  # before the pages: each job writes its own files into it
    try:
        with progress.stage("pages"):
            results = _run_jobs(jobs, quiet)
        pair_views, feed_pairs, group_views, page_ms = [], [], [], []
        urls: list[str] = []
        for (job, _), res in zip(jobs, results):
            urls.extend(res["urls"])
            if site_out is not None:
                site_out.claim(res["paths"])
            warnings.extend(res["warnings"])
            for k, v in res["times"].items():
                progress.timings[k] = progress.timings.get(k, 0.0) + v
            if job is pair_job:
                feed_pairs.append(res["feed"])
                pair_views.append(res["view"])
                page_ms.append(res["ms"])
            elif job is group_job:
                group_views.append(res["view"])
        del results
        with progress.stage("render"):
            fund_rows = [{"t": t, "f": funds[t]} for t in cfg.funds]
            icm, cw = content.render(site_content.index, content.names(funds), cfg.allow_html, as_of_iso)
            warnings.extend(cw)
            since = next((p["since"] for p in feed_pairs if p["since"]), None)
            extra = {"feed.xml": feed.build(cfg.title, cfg.base_url, as_of_iso, since, feed_pairs, prev.feed)}
            iv = views.index_view(cfg.title, cfg.description, site, as_of_iso, funds, pair_views, fund_rows, nav_pairs,
                                  group_views)
            files.update(iv.files)
            api["api/search.json"] = iv.context["search_doc"]
            pages[""] = env.get_template("index.html").render(ctx(
                "", pair_views=pair_views, fund_rows=fund_rows, page_title=cfg.title, description=cfg.description,
                commentary=icm, **iv.context))
            pages["methodology/"] = env.get_template("methodology.html").render(ctx(
                "methodology/", conventions=_methodology(), thresholds=facts.THRESHOLDS,
                max_close_gap=analysis.MAX_CLOSE_GAP, old_months=OLD_MONTHS, apart_months=APART_MONTHS,
                trading_days=m.TRADING_DAYS, page_title="Methodology", description="How every figure on this site is computed."))
        urls.extend(pages)
        api["build.json"] = build_json(prep, urls, prep.data.source, common["notes"], warnings, freshness)
        if inputs_sha256:
            api["build.json"]["inputs_sha256"] = inputs_sha256
        if check_only:
            return BuildResult(out, as_of_iso, sorted(urls), common["notes"], warnings, progress.timings)
        with progress.stage("write"):
            result = _write_site(site_out, cfg, urls, pages, api, as_of_iso, {**extra, **files})
    except BaseException:
        if site_out is not None:
            site_out.discard()  # also after an error inside a worker: the pool has stopped when it reaches here
        raise
    result.notes = common["notes"]
    result.warnings = warnings
    result.timings = progress.timings
    result.page_ms = page_ms
    return result


# --------------------------------------------------------------------------- pages in worker processes
PARALLEL_MIN_PAGES = 12
"""Below this many pair, fund and group pages the build stays in one process."""


def workers() -> int:
    """Worker processes for the pages: ``VERSUS_WORKERS`` if set (1 = serial), else the usable cores."""
    env = os.environ.get("VERSUS_WORKERS", "").strip()
    if env.isdigit():
        return max(1, int(env))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _fork_safe() -> bool:
    """Whether worker processes may be forked: the 'fork' start method exists, and vl-convert's
    JavaScript runtime has not started in this process (its threads do not survive a fork: a
    child's render would wait for them forever)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        names = [Path(f"/proc/self/task/{t}/comm").read_text().strip() for t in os.listdir("/proc/self/task")]
    except OSError:
        return False
    return not any(n.startswith(("V8 ", "tokio-runtime")) for n in names)


class _Clock:
    """One page's stage times: facts, charts, SVG fallbacks (:data:`views.SVG_SECONDS`), render."""

    def __init__(self):
        self.t0 = self.t = time.perf_counter()
        self.svg = views.SVG_SECONDS[0]
        self.times: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now, svg = time.perf_counter(), views.SVG_SECONDS[0]
        dt = now - self.t
        if svg != self.svg:
            self.times["SVG fallbacks"] = self.times.get("SVG fallbacks", 0.0) + (svg - self.svg)
            dt -= svg - self.svg
        self.times[name] = self.times.get(name, 0.0) + dt
        self.t, self.svg = now, svg

    def total_ms(self) -> float:
        return 1000 * (time.perf_counter() - self.t0)


_JOBS: list | None = None  # the build's page jobs, inherited by forked workers (only indices are sent)


def _run_span(span: tuple[int, int]) -> list[dict]:
    return [job(i) for job, i in _JOBS[span[0]:span[1]]]


def _run_jobs(jobs: list, quiet: bool) -> list[dict]:
    """Run ``(job, i)`` page jobs; in forked worker processes (chunks of pages per task, dearest
    first, :data:`_JOB_ORDER`) when there are at least :data:`PARALLEL_MIN_PAGES`.  Results come
    back in job order, so the output is the same bytes as a serial build."""
    global _JOBS
    n = min(workers(), len(jobs))
    with _progress_bar(len(jobs), quiet) as advance:
        if n <= 1 or len(jobs) < PARALLEL_MIN_PAGES or not _fork_safe():
            out = []
            for job, i in jobs:
                out.append(job(i))
                advance(1)
            return out
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # the dearest pages first (groups, then pairs, then funds) and single pages at the end, so
        # no worker is left alone with a chunk of group pages while the other one idles
        order = sorted(range(len(jobs)), key=lambda k: _JOB_ORDER.get(jobs[k][0].__name__, 1))
        size = max(1, min(8, len(jobs) // (4 * n)))
        bulk = max(0, len(jobs) - 4 * n)
        spans = [(s, min(s + size, bulk)) for s in range(0, bulk, size)] + [(s, s + 1) for s in range(bulk, len(jobs))]
        _JOBS = [jobs[k] for k in order]
        pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"), initializer=_worker_init,
                                   initargs=(os.getpid(),))
        try:
            out: list = [None] * len(jobs)
            for (start, _), res in zip(spans, pool.map(_run_span, spans)):
                for k, r in enumerate(res, start):
                    out[order[k]] = r
                advance(len(res))
            return out
        except BaseException:
            _kill_workers(pool)  # an error, Ctrl-C or SIGTERM: the other pages are not needed any more
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            _JOBS = None


def _worker_init(parent: int) -> None:
    """In each worker process: die with the build (Linux: the parent-death signal, so a SIGKILLed build leaves
    no worker holding its stdout/stderr, and ``build.py | tee log`` returns); Ctrl-C and SIGTERM are the
    parent's to handle (it stops the workers)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent still stops its workers on any exception
        pass
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


def _kill_workers(pool) -> None:
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except (OSError, AttributeError, ValueError):
            pass


_JOB_ORDER = {"group_job": 0, "pair_job": 1, "fund_job": 2}
"""Order in which worker processes take page jobs (results are still returned in the build's order)."""


class _progress_bar:
    """A rich progress bar on stderr for long builds (a terminal, not --quiet); else nothing."""

    def __init__(self, total: int, quiet: bool):
        self.bar = None
        if not quiet and total >= 50 and sys.stderr.isatty():
            from rich.progress import Progress as Bar

            self.bar = Bar(transient=True)

    def __enter__(self):
        if self.bar is None:
            return lambda k: None
        self.bar.start()
        task = self.bar.add_task("pages", total=None)
        return lambda k: self.bar.advance(task, k)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


class _LinkingWriter(Writer):
    """A :class:`Writer` that hard-links a file from the previous output when its bytes are unchanged
    (same inode, mtime kept, no write), so an incremental build writes only what changed."""

    def __init__(self, out: Path, previous: Path | None):
        super().__init__(out)
        self.previous = previous
        self.linked = 0

    def write(self, rel: str, text: str | bytes) -> Path:
        data = text.encode("utf-8") if isinstance(text, str) else text
        if os.path.lexists(self.out / rel):  # never write through a file already there (it may be a link)
            raise RuntimeError(f"{rel}: written twice in one build")
        if self.previous is not None:
            old = self.previous / rel
            try:
                same = not old.is_symlink() and old.stat().st_size == len(data) and old.read_bytes() == data
            except OSError:
                same = False
            if same:
                path = self.out / rel
                self.folder(path)
                try:
                    os.link(old, path)
                except OSError:  # another file system, or links not allowed: write it
                    return super().write(rel, data)
                self.linked += 1
                self.written.append(path)
                return path
        return super().write(rel, data)


class _Site:
    """The build's temporary output folder, a sibling of ``out``: created before the pages, written by the page
    jobs (forked workers inherit it) and by :func:`_write_site`, then swapped into ``out``; deleted on failure."""

    def __init__(self, out: Path, tmp: Path):
        self.out, self.tmp = out, tmp
        self.writer = _LinkingWriter(tmp, out if out.is_dir() else None)
        self.paths: set[str] = set()  # every file written so far (in the parent's view)

    @classmethod
    def open(cls, out: Path) -> "_Site":
        out = outdir.check(out)  # only a missing or empty folder, or one versus built, is ever replaced
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        except OSError as exc:
            raise OutputError(f"{out}: cannot write the output directory ({exc.strerror})") from None
        return cls(out, tmp)

    def failed(self, exc: OSError) -> OutputError:
        return OutputError(f"{self.out}: cannot write the site ({exc.strerror or exc})")

    def write_job(self, pages: dict[str, str], api: dict[str, dict], files: dict[str, str | bytes]) -> list[str]:
        """Write one page job's output (its page, API document, CSV/SVG/PNG files); returns the paths written."""
        rels = []
        try:
            if not self.tmp.is_dir():  # the build was killed and its folder removed: never recreate it
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(self.tmp))
            for url, html in sorted(pages.items()):
                rels.append(page_path(url))
                self.writer.write(rels[-1], html)
            for rel, doc in sorted(api.items()):
                rels.append(rel)
                self.writer.write(rel, dumps(doc, rel))
            for rel, data in sorted(files.items()):
                rels.append(rel)
                self.writer.write(rel, data)
        except OSError as exc:
            raise self.failed(exc) from None
        return rels

    def claim(self, rels: list[str]) -> None:
        """Record files written (by a job); two writers of one path would make the output depend on timing."""
        for rel in rels:
            if rel in self.paths:
                raise RuntimeError(f"{rel}: written twice in one build")
            self.paths.add(rel)

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def _write_site(site: _Site, cfg: SiteConfig, urls: list[str], pages: dict[str, str], api: dict[str, dict],
                as_of: str, extra: dict[str, str] | None = None) -> BuildResult:
    """Finish the temporary folder (the page jobs have written their files into it): static files, the pages and
    API documents made in the parent (``pages``, ``api``), the API index, sitemap, robots.txt and ``extra`` (other
    files by path, e.g. ``feed.xml``); then swap it into ``out``.  ``urls``: every page of the site."""
    out, w = site.out, site.writer
    try:
        w.copy_static()
        rest = [(page_path(url), html) for url, html in pages.items()]
        rest += [(rel, dumps(doc, rel)) for rel, doc in api.items()]
        rest.append(("api/index.json", dumps({
            "as_of": as_of, "pairs": [f"api/pairs/{pair_slug(a, b)}.json" for a, b in cfg.pairs],
            "funds": [f"api/funds/{t.lower()}.json" for t in cfg.funds],
            "groups": [f"api/groups/{group_slug(g)}.json" for g in cfg.groups], "search": "api/search.json"})))
        rest.append(("sitemap.xml", sitemap(cfg.base_url, sorted(urls), as_of)))
        rest.append(("robots.txt", robots(cfg.base_url)))
        rest += list((extra or {}).items())
        rest.append((".nojekyll", ""))
        site.claim([rel for rel, _ in rest])
        for rel, text in sorted(rest):
            w.write(rel, text)
        _swap(site.tmp, out)
    except OSError as exc:
        raise site.failed(exc) from None
    return BuildResult(out=out, as_of=as_of, pages=sorted(urls))


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``: rename the old one aside, rename the new one in, delete the old.
    Ctrl-C and SIGTERM wait until both renames are done (only SIGKILL can split them: recover_output)."""
    with lastresort.critical():
        old = _renames(new, out)
        lastresort.swapped[0] = True
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _renames(new: Path, out: Path) -> Path | None:
    """The two renames of the swap; returns the previous site, set aside (or None)."""
    os.chmod(new, 0o755)
    if not out.exists():
        os.replace(new, out)
        return None
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        os.replace(old, out)  # put the previous site back before reporting the failure
        raise
    return old

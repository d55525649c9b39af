"""The build, one way through: config -> data -> metrics -> facts -> charts -> render.

Data are loaded once, every fund's metrics are computed once (one 2-D pass) and
each pair only combines them.  The site is written into a temporary folder next to
the output and swapped into place only when everything succeeded.
"""
from __future__ import annotations

import inspect
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__, analysis, charts, facts, fmt
from . import metrics as m
from .config import SiteConfig, pair_slug
from .data import Prepared, prepare
from .errors import OutputError
from .funds import FundFacts, load_funds, merge_live
from .render import Writer, dumps, make_env, page_path, robots, root_prefix, sitemap
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
                if not progress.quiet:
                    print(f"  {name} …", end="", file=sys.stderr, flush=True)

            def __exit__(self, *exc):
                dt = time.perf_counter() - self.t0
                progress.timings[name] = progress.timings.get(name, 0.0) + dt
                if not progress.quiet:
                    print(f" {dt:.2f}s" if exc[0] is None else " failed", file=sys.stderr, flush=True)

        return _Stage()


# --------------------------------------------------------------------------- view models
def _fund_section(t: str, fm: analysis.FundMetrics, info: FundFacts | None, prep: Prepared) -> dict:
    """The ``funds.<T>`` object of the API contract (plus documented extras)."""
    fr = prep.freshness[t]
    v = dict(fm.values)
    sources = {}
    for key in ("expense_ratio", "aum", "holdings_count", "issuer", "index", "dividend_yield"):
        fact = info.facts.get(key) if info else None
        out_key = "dividend_yield_published" if key == "dividend_yield" else key
        v[out_key] = fact.value if fact else None
        if fact:
            sources[out_key] = {"as_of": fact.as_of, "source": fact.source}
    v["name"] = info.name if info and info.name else t
    v["as_of"] = fr.last.date().isoformat()
    v["stale"] = fr.stale
    v["null_reasons"] = dict(sorted(fm.reasons.items()))
    v["sources"] = sources
    return v


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
            rows.append({"label": f"{label}, {HORIZON_LABELS[h]}", "text": fmt.num(val), "title": reasons.get(f"{key}.{h}")})
    return rows


def _profile_rows(tickers: list[str], funds: dict) -> list[dict]:
    spec = [
        ("Issuer", "issuer", str), ("Index tracked", "index", str), ("Expense ratio", "expense_ratio", lambda x: fmt.pct(x, 2)),
        ("Assets under management", "aum", fmt.money), ("Holdings", "holdings_count", fmt.count),
        ("Dividend yield (trailing 12 months)", "dividend_yield_ttm", lambda x: fmt.pct(x, 2)),
        ("Dividend yield (published)", "dividend_yield_published", lambda x: fmt.pct(x, 2)),
        ("Inception (first price)", "inception", fmt.date),
    ]
    rows = []
    for label, key, f in spec:
        cells = []
        for t in tickers:
            val = funds[t].get(key)
            src = funds[t]["sources"].get(key)
            note = f"as of {src['as_of']} ({src['source']})" if src else funds[t]["null_reasons"].get(key)
            cells.append(_cell(val, fmt.DASH if val is None else f(val), note))
        rows.append({"label": label, "cells": cells, "sub": False})
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
) -> BuildResult:
    """Build the whole site into ``out``. ``previous`` is an earlier build's output (what-changed)."""
    progress = Progress(quiet)
    warnings: list[str] = []
    with progress.stage("validate"):
        prep = prepare(md, as_of)
    with progress.stage("fund facts"):
        curated = load_funds(funds_path) if funds_path else load_funds()
        info = {t: merge_live(curated.get(t), t, md.meta.get(t, {})) for t in cfg.funds}
    with progress.stage("metrics"):
        fund_metrics = analysis.compute_funds(prep, cfg.risk_free_rate)
        funds = {t: _fund_section(t, fund_metrics[t], info[t], prep) for t in cfg.funds}
        returns = m.simple_returns(prep.data.adj_close)
        pairs = {p: analysis.compute_pair(prep, returns, *p) for p in cfg.pairs}
    as_of_iso = prep.as_of.date().isoformat()
    env = make_env()
    site = {"title": cfg.title, "description": cfg.description, "base_url": cfg.base_url, "version": __version__}
    common = {
        "site": site, "as_of": as_of_iso, "source": prep.data.source, "notes": prep.notes + prep.data.warnings,
        "risk_free_rate": cfg.risk_free_rate,
    }
    pages: dict[str, str] = {}
    api: dict[str, dict] = {}
    nav_pairs = [{"slug": pair_slug(a, b), "a": a, "b": b} for a, b in cfg.pairs]

    def ctx(url: str, **kw) -> dict:
        return {**common, "url": url, "root": root_prefix(url), "canonical": cfg.base_url + url, "pairs": nav_pairs, **kw}

    with progress.stage("facts + charts"):
        pair_views = []
        for a, b in cfg.pairs:
            slug = pair_slug(a, b)
            pair_vals, pair_reasons = pairs[(a, b)]
            pf = facts.pair_facts(a, b, funds[a], funds[b])
            text = facts.summary(pf)
            g_spec, g_desc = charts.growth_chart(prep.data.adj_close, [a, b])
            d_spec, d_desc = charts.drawdown_chart(prep.data.adj_close, [a, b])
            doc = {
                "as_of": as_of_iso, "tickers": [a, b], "risk_free_rate": cfg.risk_free_rate,
                "funds": {a: funds[a], b: funds[b]},
                "pair": {**pair_vals, "null_reasons": dict(sorted(pair_reasons.items()))},
                "facts": [f.to_json() for f in pf], "summary": text, "source": prep.data.source,
            }
            api[f"api/pairs/{slug}.json"] = doc
            stale = [t for t in (a, b) if funds[t]["stale"]]
            pages[f"{slug}/"] = env.get_template("pair.html").render(ctx(
                f"{slug}/", a=a, b=b, tickers=[a, b], funds=funds, summary=text, facts=pf, stale=stale,
                profile_rows=_profile_rows([a, b], funds), returns_rows=_returns_rows([a, b], funds),
                risk_rows=_risk_rows([a, b], funds), pair_rows=_pair_rows(pair_vals, pair_reasons),
                charts=[
                    {"id": "growth", "title": "Growth of $10,000", "spec": g_spec, "description": g_desc},
                    {"id": "drawdown", "title": "Drawdown from the previous high", "spec": d_spec, "description": d_desc},
                ],
                page_title=f"{a} vs {b}: returns, risk and costs compared", description=text[:300], api=f"api/pairs/{slug}.json",
            ))
            pair_views.append({"slug": slug, "a": a, "b": b, "leader_1y": pf[0].values.get("leader"),
                               "ra": funds[a]["total_return"].get("1y"), "rb": funds[b]["total_return"].get("1y"),
                               "corr_1y": pair_vals["correlation"].get("1y")})
        for t in cfg.funds:
            ff = facts.fund_facts(t, funds[t])
            g_spec, g_desc = charts.growth_chart(prep.data.adj_close, [t])
            d_spec, d_desc = charts.drawdown_chart(prep.data.adj_close, [t])
            api[f"api/funds/{t.lower()}.json"] = {
                "as_of": as_of_iso, "tickers": [t], "risk_free_rate": cfg.risk_free_rate, "funds": {t: funds[t]},
                "facts": [f.to_json() for f in ff], "source": prep.data.source,
            }
            related = [p for p in nav_pairs if t in (p["a"], p["b"])]
            pages[f"funds/{t.lower()}/"] = env.get_template("fund.html").render(ctx(
                f"funds/{t.lower()}/", t=t, tickers=[t], funds=funds, facts=ff, fund=funds[t], info=info[t],
                profile_rows=_profile_rows([t], funds), returns_rows=_returns_rows([t], funds),
                risk_rows=_risk_rows([t], funds), related=related, stale=[t] if funds[t]["stale"] else [],
                charts=[
                    {"id": "growth", "title": "Growth of $10,000", "spec": g_spec, "description": g_desc},
                    {"id": "drawdown", "title": "Drawdown from the previous high", "spec": d_spec, "description": d_desc},
                ],
                page_title=f"{t}: {funds[t]['name']}", description=" ".join(f.text for f in ff)[:300],
                api=f"api/funds/{t.lower()}.json",
            ))
    with progress.stage("render"):
        fund_rows = [{"t": t, "f": funds[t]} for t in cfg.funds]
        pages[""] = env.get_template("index.html").render(ctx(
            "", pair_views=pair_views, fund_rows=fund_rows, page_title=cfg.title, description=cfg.description))
        pages["methodology/"] = env.get_template("methodology.html").render(ctx(
            "methodology/", conventions=_methodology(), thresholds=facts.THRESHOLDS,
            trading_days=m.TRADING_DAYS, page_title="Methodology", description="How every figure on this site is computed."))
    with progress.stage("write"):
        result = _write_site(out, cfg, pages, api, as_of_iso)
    result.notes = common["notes"]
    result.warnings = warnings
    result.timings = progress.timings
    return result


def _write_site(out: Path, cfg: SiteConfig, pages: dict[str, str], api: dict[str, dict], as_of: str) -> BuildResult:
    """Write everything into a temporary sibling folder, then swap it into ``out``."""
    out = Path(out).resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the output directory ({exc.strerror})") from None
    try:
        w = Writer(tmp)
        w.copy_static()
        for url, html in sorted(pages.items()):
            w.write(page_path(url), html)
        for rel, doc in sorted(api.items()):
            w.write(rel, dumps(doc))
        w.write("api/index.json", dumps({
            "as_of": as_of, "pairs": [f"api/pairs/{pair_slug(a, b)}.json" for a, b in cfg.pairs],
            "funds": [f"api/funds/{t.lower()}.json" for t in cfg.funds]}))
        urls = sorted(pages)
        w.write("sitemap.xml", sitemap(cfg.base_url, urls, as_of))
        w.write("robots.txt", robots(cfg.base_url))
        w.write(".nojekyll", "")
        _swap(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{out}: cannot write the site ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(out=out, as_of=as_of, pages=urls)


def _swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``: rename the old one aside, rename the new one in, delete the old."""
    os.chmod(new, 0o755)
    if out.exists():
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, old)
        os.replace(new, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, out)

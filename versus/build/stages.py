"""The stages of a build, in order; each reads and fills the :class:`~versus.build.context.BuildContext`."""
from __future__ import annotations

import dataclasses
import json

from .. import __version__, analysis, content as commentary
from .. import metrics as m
from ..charts.specs import shared_specs
from ..config import pair_slug
from ..content.notes import note_check
from ..data import common_end, prepare
from ..data.freshness import policy
from ..data.funds import DEFAULT_PATH, facts_date, load_funds, plausible
from ..pages import PAGE_KINDS, ComparePage, IndexPage, MethodologyPage, Site, api_index
from ..pages.base import PairFigures
from ..render import dumps, feed, make_env, page_path, robots, sitemap
from ..sources.cache import REFRESH
from . import jobs, lastresort, shard
from .context import BuildResult
from .outdir import SIGNATURE
from .output import SiteOutput
from .plan import trading
from .previous import Previous
from .report import build_json
from .then import claims_then


def validate(ctx) -> None:
    """Validate the market data and cut it at the as-of date."""
    ctx.prep = prepare(ctx.md, ctx.options.as_of)
    ctx.notes = ctx.prep.build_notes + ctx.prep.notes + ctx.prep.data.warnings  # printed and in build.json
    if ctx.prep.not_started:  # funds with no price yet: left out, with every page that shows one
        ctx.cfg = trading(ctx.cfg, set(ctx.prep.freshness), ctx.options.funds_path)
        ctx.notes.insert(0, ctx.prep.not_started_note)


def fund_facts(ctx) -> None:
    """Fund facts (data/funds.toml, every dated observation), live ones merged: as of ``--as-of``, or each
    fact's latest observation in a build without it (today's site), dated against each page's date."""
    curated = load_funds(ctx.options.funds_path or ctx.cfg.site_path(DEFAULT_PATH), checks=[note_check])
    plausible.check_inceptions(curated, {t: ctx.prep.freshness[t].first.date() for t in ctx.cfg.funds})
    day = facts_date(ctx.prep, ctx.md)
    latest = ctx.options.on_file == "latest" if ctx.options.on_file else ctx.prep.requested is None
    ctx.on_file = "latest" if latest else "dated"
    cache: dict = {}

    def facts_at(t: str, end) -> object:
        """Fund ``t``'s facts on a page as of ``end`` (with ``--as-of``: as of the date asked for)."""
        when = end.date() if latest and end.date() < day else day
        key = (t, when)
        if key not in cache:
            cache[key] = trading_only(curated.facts_as_of(t, when, ctx.md.meta.get(t, {}), latest=latest), ctx.cfg)
        return cache[key]

    ctx.facts_at = facts_at
    ctx.curated = curated
    ctx.info = {t: facts_at(t, ctx.prep.freshness[t].last) for t in ctx.cfg.funds}
    index = {t: f.facts["index"].value if f and "index" in f.facts else None for t, f in ctx.info.items()}
    ctx.findings = analysis.sanity.check(ctx.prep.data, index)  # reported and marked, never patched
    ctx.categories = curated.site_categories(ctx.cfg.funds)


def trading_only(info, cfg):
    """``info`` without its category's benchmark when that fund is not on the site (it had not started trading
    by the date asked for): no page names, or links to, a fund that did not exist yet."""
    cat = getattr(info, "category", None)
    if cat is None or cat.benchmark is None or cat.benchmark in cfg.funds:
        return info
    return dataclasses.replace(info, category=dataclasses.replace(cat, benchmark=None))


def content(ctx) -> None:
    """Commentary, and the previous build (what changed): the output folder read before it is replaced, or
    the data store's history (a fresh runner)."""
    ctx.content = commentary.load(ctx.configured, ctx.options.content_dir)
    ctx.warn(*ctx.content.warnings)
    ctx.notes.extend(commentary.not_built(ctx.content, ctx.cfg, ctx.prep))
    ctx.previous = Previous.choose(ctx.options.previous, ctx.out, ctx.options.history, ctx.as_of)
    ctx.warn(*ctx.previous.problems)
    ctx.notes.extend(ctx.previous.notes)


def page_funds(cfg) -> list[tuple[str, ...]]:
    """The funds of every page: each fund's own, each pair's and each group's."""
    return [(t,) for t in cfg.funds] + [tuple(p) for p in cfg.pairs] + [tuple(g) for g in cfg.groups]


def _quotes(content, cfg, tickers) -> bool:
    """Whether the page of ``tickers`` has commentary (which may quote any configured fund)."""
    if len(tickers) == 1:
        return tickers[0] in content.funds
    return len(tickers) == 2 and pair_slug(*tickers) in content.pairs


def metrics(ctx) -> None:
    """Every fund's figures once per date a page measures it to (its own last close, and the common last
    close of each page it shares with a fund whose prices end earlier); what the pages read
    (:class:`versus.pages.Site`), with the pairs' figures computed by the pages that read them
    (:class:`versus.pages.base.PairFigures`: in the page workers, not serially here)."""
    cfg, prep = ctx.cfg, ctx.prep
    wanted: dict = {}
    for tickers in page_funds(cfg):
        end = common_end(prep, tickers)
        wanted.setdefault(end, set()).update(tickers)
        if ctx.options.editor or _quotes(ctx.content, cfg, tickers):  # commentary may quote any fund: each measured to the page's date
            wanted[end].update(t for t in cfg.funds if prep.freshness[t].last >= end)
    computed = analysis.compute_funds_at(prep, {e: sorted(ts) for e, ts in wanted.items()}, cfg.risk_free_rate)
    sections = {}
    for (t, end), fm in computed.items():
        sections[(t, end)] = analysis.fund_section(t, fm, ctx.facts_at(t, end), prep.freshness[t],
                                                  ctx.findings)
        sections[(t, end)].update(analysis.fund_series(prep.data.adj_close[t], end))  # against its highs
    returns = m.simple_returns(prep.data.adj_close)
    market = {t: analysis.market_relation(prep, returns, t) for t in {t for t, _ in sections}}
    for (t, end), section in sections.items():  # how each fund moves with the market (SPY)
        values, why = market[t]
        section.update(values)
        section["null_reasons"] = dict(sorted({**section["null_reasons"], **why}.items()))
    pairs = PairFigures(prep, returns, cfg.pairs)  # each computed by the page that reads it (in the workers)
    fresh = ctx.options.freshness
    common = {
        "site": {"title": cfg.title, "description": cfg.description, "base_url": cfg.base_url, "version": __version__},
        "as_of": prep.as_of.date().isoformat(), "site_as_of": prep.as_of.date().isoformat(),
        "source": prep.data.source,
        "notes": prep.notes + prep.data.warnings,  # on every page: not the maintainer's build notes
        "risk_free_rate": cfg.risk_free_rate,
        "banner": fresh.banner(prep.as_of) if fresh else None,  # a live build's refresh failed / prices behind
        "freshness_policy": policy(fresh.limit if fresh else cfg.max_stale_days, **REFRESH),
    }
    ctx.site = Site(cfg, prep, ctx.info, sections, pairs, returns, ctx.content, ctx.previous.docs, common,
                    facts_at=ctx.facts_at, freshness=fresh, then=claims_then(ctx), findings=ctx.findings,
                    on_file=ctx.on_file, categories=ctx.categories)


def pages(ctx) -> None:
    """Every pair, fund and group page, generated, rendered and written by its job (in worker processes
    when there are more than a handful)."""
    lastresort.stage("templates")
    ctx.env = make_env(overrides=ctx.cfg.templates)
    lastresort.stage("pages")
    if not ctx.check_only:
        ctx.output = SiteOutput.open(ctx.out)  # before the pages: each job writes its own files into it
    kinds = [kind(ctx.site) for kind in PAGE_KINDS]
    todo = [(jobs.PageJob(kind, ctx.env, ctx.output), i) for kind in kinds for i in range(len(kind))]
    keys = [shard.page_key(job.kind, i) for job, i in todo]
    ctx.summaries = {kind.name: [] for kind in kinds}
    if ctx.options.merge is not None:  # build.py merge: the shards' pages, in the build's order
        results = shard.collect(ctx, ctx.options.merge, keys)
    else:
        if ctx.options.shard is not None:  # --shard K/N: this shard's pages only
            picked = [(k, t) for k, t in zip(keys, todo) if shard.mine(k, ctx.options.shard)]
            keys, todo = [k for k, _ in picked], [t for _, t in picked]
        # the shared chart templates (written at the end) made by a worker beside the pages; a shard writes none
        ctx.specs = jobs.Side(shared_specs) if ctx.output is not None and ctx.options.shard is None else None
        results = jobs.run_jobs(todo, ctx.options.quiet, side=ctx.specs)
        ctx.shard_pages = list(zip(keys, results))
    for res in results:
        ctx.urls.extend(res["urls"])
        ctx.page_dates.update({u: res["as_of"] for u in res["urls"]})
        if ctx.output is not None:
            ctx.output.claim(res["paths"])
        ctx.warn(*res["warnings"])
        for k, v in res["times"].items():
            ctx.progress.add(k, v)
        ctx.summaries[res["kind"]].append(res["summary"])
        if res["kind"] == "pair":
            ctx.page_ms.append(res["ms"])
        for k, v in res.get("parts", {}).items():
            ctx.fund_parts[k] += v


def site_pages(ctx) -> None:
    """The index (with the search index), the methodology page, the feed and build.json (a shard: none, the
    merge renders them)."""
    if ctx.options.shard is not None:
        return
    site, pair_sums = ctx.site, ctx.summaries.get("pair", [])
    feed_pairs = [s["feed"] for s in pair_sums + ctx.summaries.get("group", []) if "feed" in s]
    index = IndexPage(site).generate([s["view"] for s in pair_sums], [s["view"] for s in ctx.summaries.get("group", [])],
                                     ctx.summaries.get("category", []))
    ctx.warn(*index.warnings)
    since = next((p["since"] for p in feed_pairs if p["since"]), None)
    ctx.files["feed.xml"] = feed.build(ctx.cfg.title, ctx.cfg.base_url, ctx.as_of, since, feed_pairs,
                                       ctx.previous.feed)
    ctx.files.update(index.files)
    ctx.api.update(index.api)
    method, compare = MethodologyPage(site).generate(), ComparePage(site).generate()
    ctx.files.update(compare.files)
    for page in (index, method, compare):
        ctx.pages[page.url] = ctx.env.get_template(page.template).render(page.context)
    ctx.urls.extend(ctx.pages)
    ctx.page_dates.update({u: ctx.as_of for u in ctx.pages})
    ctx.api["build.json"] = build_json(ctx.prep, ctx.page_dates, ctx.prep.data.source, ctx.notes, ctx.warnings,
                                       ctx.options.freshness, ctx.cfg.folder)
    ctx.api["build.json"]["data_checks"] = [f.to_json() for f in ctx.findings]
    ctx.api["build.json"]["on_file"] = ctx.on_file  # reproduce with --as-of <as_of> --on-file <this>
    if ctx.options.inputs_sha256:
        ctx.api["build.json"]["inputs_sha256"] = ctx.options.inputs_sha256


def write(ctx) -> None:
    """The rest of the site into the temporary folder (static files, the pages made here, the API index,
    sitemap, robots.txt, feed), then the swap into place."""
    cfg = ctx.cfg
    if ctx.options.shard is not None:  # a shard: its pages (written by the jobs), its manifest and its signature
        doc = shard.manifest(ctx, ctx.options.shard, ctx.shard_pages)
        ctx.output.finish([(shard.MANIFEST, json.dumps(doc, sort_keys=True, allow_nan=False) + "\n"),
                           ("build.json", dumps({**SIGNATURE, "as_of": ctx.as_of, "shard": list(ctx.options.shard)}))],
                          static=False)
        ctx.result = BuildResult(out=ctx.output.out, as_of=ctx.as_of, pages=sorted(ctx.urls))
        return
    rest = [(page_path(url), html) for url, html in ctx.pages.items()]
    rest += [(rel, dumps(doc, rel)) for rel, doc in ctx.api.items()]
    rest.append(("api/index.json", dumps(api_index(cfg, ctx.as_of, ctx.categories), "api/index.json")))
    rest.append(("sitemap.xml", sitemap(cfg.base_url, sorted(ctx.urls), ctx.page_dates)))
    rest.append(("robots.txt", robots(cfg.base_url)))
    rest += list(ctx.files.items())
    specs = ctx.specs.result if ctx.specs is not None and ctx.specs.result is not None else shared_specs()
    rest += sorted(specs.items())  # the chart templates every page with charts fills in (site.js)
    rest.append((".nojekyll", ""))
    ctx.output.finish(rest)
    ctx.result = BuildResult(out=ctx.output.out, as_of=ctx.as_of, pages=sorted(ctx.urls), history={
        "as_of": ctx.as_of, "feed": ctx.files.get("feed.xml"),
        "pairs": {f"api/pairs/{s['feed']['slug']}.json": s["history"] for s in ctx.summaries.get("pair", [])},
        "groups": {s["api"]: s["history"] for s in ctx.summaries.get("group", []) if "history" in s}})


STAGES = (("validate", validate), ("fund facts", fund_facts), ("content", content), ("metrics", metrics),
          ("pages", pages), ("render", site_pages), ("write", write))
"""The build, in order (``write`` is left out by ``--check``)."""

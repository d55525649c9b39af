"""The stages of a build, in order; each reads and fills the :class:`~versus.build.context.BuildContext`."""
from __future__ import annotations

from .. import __version__, analysis, content as commentary
from .. import metrics as m
from ..data import prepare
from ..data.freshness import policy
from ..data.funds import DEFAULT_PATH, facts_date, load_funds
from ..pages import PAGE_KINDS, IndexPage, MethodologyPage, Site, api_index
from ..render import dumps, feed, make_env, page_path, robots, sitemap
from ..sources.cache import REFRESH
from . import jobs
from .context import BuildResult
from .output import SiteOutput
from .previous import Previous
from .report import build_json


def validate(ctx) -> None:
    """Validate the market data and cut it at the as-of date."""
    ctx.prep = prepare(ctx.md, ctx.options.as_of)
    ctx.notes = ctx.prep.build_notes + ctx.prep.notes + ctx.prep.data.warnings  # printed and in build.json


def fund_facts(ctx) -> None:
    """Fund facts (data/funds.toml, every dated observation) as of the build's date, live ones merged."""
    curated = load_funds(ctx.options.funds_path or ctx.cfg.site_path(DEFAULT_PATH))
    day = facts_date(ctx.prep, ctx.md)  # every fact as of the build's date; live values are one more observation
    ctx.info = {t: curated.facts_as_of(t, day, ctx.md.meta.get(t, {})) for t in ctx.cfg.funds}


def content(ctx) -> None:
    """Commentary, and the previous build read before it is replaced (what changed)."""
    ctx.content = commentary.load(ctx.cfg, ctx.options.content_dir)
    ctx.previous = Previous.read(ctx.options.previous if ctx.options.previous is not None else ctx.out)
    ctx.warn(*ctx.previous.problems)


def metrics(ctx) -> None:
    """Every fund's figures once, every pair's from them; what the pages read (:class:`versus.pages.Site`)."""
    cfg, prep = ctx.cfg, ctx.prep
    computed = analysis.compute_funds(prep, cfg.risk_free_rate)
    funds = {t: analysis.fund_section(t, computed[t], ctx.info[t], prep.freshness[t]) for t in cfg.funds}
    returns = m.simple_returns(prep.data.adj_close)
    for t in cfg.funds:  # where each fund stands against its highs; how it moves with the market (SPY)
        funds[t].update(analysis.fund_series(prep.data.adj_close[t], prep.freshness[t].last))
        market, why = analysis.market_relation(prep, returns, t)
        funds[t].update(market)
        funds[t]["null_reasons"] = dict(sorted({**funds[t]["null_reasons"], **why}.items()))
    pairs = {p: analysis.compute_pair(prep, returns, *p) for p in cfg.pairs}
    fresh = ctx.options.freshness
    common = {
        "site": {"title": cfg.title, "description": cfg.description, "base_url": cfg.base_url, "version": __version__},
        "as_of": prep.as_of.date().isoformat(), "source": prep.data.source,
        "notes": prep.notes + prep.data.warnings,  # on every page: not the maintainer's build notes
        "risk_free_rate": cfg.risk_free_rate,
        "banner": fresh.banner(prep.as_of) if fresh else None,  # a live build's refresh failed / prices behind
        "freshness_policy": policy(fresh.limit if fresh else cfg.max_stale_days, **REFRESH),
    }
    ctx.site = Site(cfg, prep, ctx.info, funds, pairs, returns, ctx.content, ctx.previous.docs, common)


def pages(ctx) -> None:
    """Every pair, fund and group page, generated, rendered and written by its job (in worker processes
    when there are more than a handful)."""
    ctx.env = make_env(overrides=ctx.cfg.templates)
    if not ctx.check_only:
        ctx.output = SiteOutput.open(ctx.out)  # before the pages: each job writes its own files into it
    kinds = [kind(ctx.site) for kind in PAGE_KINDS]
    todo = [(jobs.PageJob(kind, ctx.env, ctx.output), i) for kind in kinds for i in range(len(kind))]
    ctx.summaries = {kind.name: [] for kind in kinds}
    for res in jobs.run_jobs(todo, ctx.options.quiet):
        ctx.urls.extend(res["urls"])
        if ctx.output is not None:
            ctx.output.claim(res["paths"])
        ctx.warn(*res["warnings"])
        for k, v in res["times"].items():
            ctx.progress.add(k, v)
        ctx.summaries[res["kind"]].append(res["summary"])
        if res["kind"] == "pair":
            ctx.page_ms.append(res["ms"])


def site_pages(ctx) -> None:
    """The index (with the search index), the methodology page, the feed and build.json."""
    site, pair_sums = ctx.site, ctx.summaries.get("pair", [])
    feed_pairs = [s["feed"] for s in pair_sums]
    index = IndexPage(site).generate([s["view"] for s in pair_sums], [s["view"] for s in ctx.summaries.get("group", [])])
    ctx.warn(*index.warnings)
    since = next((p["since"] for p in feed_pairs if p["since"]), None)
    ctx.files["feed.xml"] = feed.build(ctx.cfg.title, ctx.cfg.base_url, ctx.as_of, since, feed_pairs,
                                       ctx.previous.feed)
    ctx.files.update(index.files)
    ctx.api.update(index.api)
    method = MethodologyPage(site).generate()
    for page in (index, method):
        ctx.pages[page.url] = ctx.env.get_template(page.template).render(page.context)
    ctx.urls.extend(ctx.pages)
    ctx.api["build.json"] = build_json(ctx.prep, ctx.urls, ctx.prep.data.source, ctx.notes, ctx.warnings,
                                       ctx.options.freshness, ctx.cfg.folder)
    if ctx.options.inputs_sha256:
        ctx.api["build.json"]["inputs_sha256"] = ctx.options.inputs_sha256


def write(ctx) -> None:
    """The rest of the site into the temporary folder (static files, the pages made here, the API index,
    sitemap, robots.txt, feed), then the swap into place."""
    cfg = ctx.cfg
    rest = [(page_path(url), html) for url, html in ctx.pages.items()]
    rest += [(rel, dumps(doc)) for rel, doc in ctx.api.items()]
    rest.append(("api/index.json", dumps(api_index(cfg, ctx.as_of))))
    rest.append(("sitemap.xml", sitemap(cfg.base_url, sorted(ctx.urls), ctx.as_of)))
    rest.append(("robots.txt", robots(cfg.base_url)))
    rest += list(ctx.files.items())
    rest.append((".nojekyll", ""))
    ctx.output.finish(rest)
    ctx.result = BuildResult(out=ctx.output.out, as_of=ctx.as_of, pages=sorted(ctx.urls))


STAGES = (("validate", validate), ("fund facts", fund_facts), ("content", content), ("metrics", metrics),
          ("pages", pages), ("render", site_pages), ("write", write))
"""The build, in order (``write`` is left out by ``--check``)."""

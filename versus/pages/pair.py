"""Pair pages (``/<a>-vs-<b>/``): two funds side by side, with the facts, prose and FAQ written from them."""
from __future__ import annotations

from .. import analysis, content, facts, fmt
from ..config import pair_slug
from ..facts import changes
from .base import PageKind, PageOutput, groups_with, statements_json
from .compact import compact_facts
from .sections import comparison_view
from .tables import fund_tables, pair_rows, together_table


class PairPages(PageKind):
    name = "pair"
    template = "pair.html"

    def __len__(self) -> int:
        return len(self.site.cfg.pairs)

    def figures(self, i: int) -> tuple:
        """The pair's figures (with its series-based ones), their null reasons and its facts."""
        s = self.site
        a, b = s.cfg.pairs[i]
        pg = s.page([a, b])  # both funds measured to their common last close
        values, reasons = s.pairs[(a, b)]
        more, more_reasons = s.pairs.series((a, b), pg.end)  # on the joint returns the figures were computed from
        values, reasons = {**values, **more}, {**reasons, **more_reasons}
        pf = facts.pair_facts(a, b, pg.funds[a], pg.funds[b], values,
                              {t: analysis.holdings.profile(pg.info[t]) for t in (a, b)})
        return values, reasons, pf, pg

    def locality(self, i: int) -> tuple:
        """The pair's likely first common day and the fund that fixes it (the later first close): pairs run in
        this order share that fund's part of the page (:mod:`versus.pages.fundparts`) one after another."""
        a, b = self.site.cfg.pairs[i]
        fa, fb = self.site.prep.freshness[a].first, self.site.prep.freshness[b].first
        return (fa, a) if fa >= fb else (fb, b)

    def names(self, i: int) -> dict:
        """Every name the pair's commentary may quote (:func:`versus.content.names`)."""
        values, reasons, pf, pg = self.figures(i)
        return content.names(self.site.quotable(pg), {**values, "null_reasons": reasons}, [f.to_json() for f in pf])

    def generate(self, i: int, clock) -> PageOutput:
        s = self.site
        a, b = s.cfg.pairs[i]
        slug = pair_slug(a, b)
        url, api = f"{slug}/", f"api/pairs/{slug}.json"
        values, reasons, pf, pg = self.figures(i)
        funds = pg.funds
        said = facts.statements(pf, a, b)
        text = " ".join(st.text for st in said)
        clock.lap("facts")
        rows = fund_tables([a, b], funds, values.get("since_common_start"))
        together = pair_rows(values, reasons)
        view = comparison_view(s, pg, [a, b], url, api, rows, together_table(together, a, b, f"{api[:-5]}/together.csv"),
                               own_date={t: s.prep.freshness[t].last == pg.end for t in (a, b)})
        clock.lap("charts")
        doc = {
            "as_of": pg.as_of, "site_as_of": s.as_of, "behind": pg.behind, "tickers": [a, b],
            "risk_free_rate": s.cfg.risk_free_rate, "funds": {t: fund_in_pair(t, funds[t]) for t in (a, b)},
            "pair": {**values, "null_reasons": dict(sorted(reasons.items()))},
            "facts": [f.to_json() for f in pf], "summary": text, "source": s.prep.data.source,
        }
        cm, warnings = s.commentary("pair", slug, lambda: content.names(s.quotable(pg), doc["pair"], doc["facts"]),
                                    pg, (a, b))
        kept, answers = facts.takeaway_statements(pf), facts.faq_statements(pf, a, b)
        doc.update(takeaways=[st.text for st in kept], faq=[{"question": q, "answer": st.text} for q, st in answers],
                   commentary=content.api_view(cm))
        doc["changes"] = changes.pair_changes(s.previous.get(api), doc)
        doc["statements"] = statements_json(said + kept + [st for _, st in answers], view.context["chart_list"],
                                            doc["changes"], doc)
        doc["facts"] = compact_facts(doc)  # after the statements, which refer to the facts' claims as written out
        clock.lap("facts")
        context = s.context(
            url, pg, a=a, b=b, tickers=[a, b], funds=funds, summary=text,
            takeaways=doc["takeaways"], faq=doc["faq"], commentary=cm,
            changes=doc["changes"], returns_rows=rows["returns"], risk_rows=rows["risk"], market_rows=rows["market"], **view.context,
            related=s.nav_by_fund.related([a, b], url), groups=groups_with([a, b], s.cfg.groups, url),
            page_title=f"{a} vs {b}: returns, risk and costs compared",
            category=s.funds[a]["category"] if s.funds[a]["category"] == s.funds[b]["category"] else None,
            description=fmt.clip(text), api=api)
        summary = {"feed": {"slug": slug, "title": f"{a} vs {b}", **doc["changes"]},
                   "history": changes.essentials(doc),  # what the next build compares with (data store history)
                   "view": {"slug": slug, "a": a, "b": b, "leader_1y": pf[0].values.get("leader"),
                            "ra": funds[a]["total_return"].get("1y"), "rb": funds[b]["total_return"].get("1y"),
                            "corr_1y": values["correlation"].get("1y"), "as_of": pg.as_of}}
        return PageOutput(url, self.template, context, {api: doc}, view.files, warnings, summary)


FUND_DOCUMENT_ONLY = ("sources", "data_checks", "category", "asset_class", "issuer", "index", "aum", "fund_assets",
                      "holdings_count", "stale")
"""What a fund's section in a pair document leaves to the fund's own document (``api/funds/<t>.json``, linked as
``api``): the fund facts' sources, its data-check findings and its description (issuer, index, assets, category),
none of which depends on the pair (issue 17: a pair document carries what is pair-specific).  Kept: every figure
measured to the pair's date (returns, risk, drawdowns, growth, yields, betas; the fund's own document measures
them to its own last close, which is later when the other fund's prices end earlier), the fund facts its
sentences cite (expense ratio, published yield), its name, inception, ``as_of``/``prices_end``, and of the data
checks the figures they touch (``data_checks.figures``), so the pair reads without a second request."""


def fund_in_pair(t: str, section: dict) -> dict:
    """Fund ``t``'s section as a pair document carries it (:data:`FUND_DOCUMENT_ONLY`), with ``api``: the site path
    of the fund's own document."""
    out = {k: v for k, v in section.items() if k not in FUND_DOCUMENT_ONLY}
    out["null_reasons"] = {k: v for k, v in section.get("null_reasons", {}).items()
                           if k.split(".")[0] not in FUND_DOCUMENT_ONLY}
    checked = (section.get("data_checks") or {}).get("figures")
    if checked:
        out["data_checks"] = {"figures": checked}
    out["api"] = f"api/funds/{t.lower()}.json"
    return out

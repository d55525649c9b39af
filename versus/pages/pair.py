"""Pair pages (``/<a>-vs-<b>/``): two funds side by side, with the facts, prose and FAQ written from them."""
from __future__ import annotations

from .. import analysis, content, facts, fmt
from ..config import pair_slug
from ..facts import changes
from .base import PageKind, PageOutput, related_pairs
from .sections import comparison_view
from .tables import fund_tables, pair_rows, together_table


class PairPages(PageKind):
    name = "pair"
    template = "pair.html"

    def __len__(self) -> int:
        return len(self.site.cfg.pairs)

    def generate(self, i: int, clock) -> PageOutput:
        s = self.site
        a, b = s.cfg.pairs[i]
        slug = pair_slug(a, b)
        url, api = f"{slug}/", f"api/pairs/{slug}.json"
        values, reasons = s.pairs[(a, b)]
        more, more_reasons = analysis.pair_series(s.returns, a, b, min(s.prep.freshness[a].last,
                                                                        s.prep.freshness[b].last))
        values, reasons = {**values, **more}, {**reasons, **more_reasons}
        pf = facts.pair_facts(a, b, s.funds[a], s.funds[b], values,
                              {t: analysis.holdings.profile(s.info[t]) for t in (a, b)})
        text = facts.summary(pf, a, b)
        clock.lap("facts")
        rows = fund_tables([a, b], s.funds)
        together = pair_rows(values, reasons)
        view = comparison_view(s, [a, b], url, api, rows, together_table(together, a, b, f"{api[:-5]}/together.csv"))
        clock.lap("charts")
        doc = {
            "as_of": s.as_of, "tickers": [a, b], "risk_free_rate": s.cfg.risk_free_rate,
            "funds": {a: s.funds[a], b: s.funds[b]},
            "pair": {**values, "null_reasons": dict(sorted(reasons.items()))},
            "facts": [f.to_json() for f in pf], "summary": text, "source": s.prep.data.source,
        }
        commentary = s.content.pairs.get(slug)  # names() walks every fund's figures: only when quoted
        cm, warnings = content.render(commentary, content.names(s.funds, doc["pair"], doc["facts"]) if commentary
                                      else {}, s.cfg.allow_html, s.as_of)
        doc.update(takeaways=facts.takeaways(pf), faq=facts.faq(pf, a, b), commentary=content.api_view(cm))
        doc["changes"] = changes.pair_changes(s.previous.get(api), doc)
        clock.lap("facts")
        context = s.context(
            url, a=a, b=b, tickers=[a, b], funds=s.funds, summary=text, stale=[t for t in (a, b) if s.funds[t]["stale"]],
            takeaways=doc["takeaways"], faq=doc["faq"], faq_ld=facts.faq_jsonld(doc["faq"]), commentary=cm,
            changes=doc["changes"], returns_rows=rows["returns"], risk_rows=rows["risk"], market_rows=rows["market"], **view.context,
            related=related_pairs([a, b], s.nav, url), page_title=f"{a} vs {b}: returns, risk and costs compared",
            description=fmt.clip(text), api=api)
        summary = {"feed": {"slug": slug, "title": f"{a} vs {b}", **doc["changes"]},
                   "view": {"slug": slug, "a": a, "b": b, "leader_1y": pf[0].values.get("leader"),
                            "ra": s.funds[a]["total_return"].get("1y"), "rb": s.funds[b]["total_return"].get("1y"),
                            "corr_1y": values["correlation"].get("1y")}}
        return PageOutput(url, self.template, context, {api: doc}, view.files, warnings, summary)

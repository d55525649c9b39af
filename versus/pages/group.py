"""Group pages (``/compare/<a>-<b>-<c>/``): the pair page's charts and tables for 3-5 funds."""
from __future__ import annotations

from .. import analysis, facts, fmt
from ..config import group_slug
from ..facts import calendar as words
from ..facts import changes
from ..facts.model import Statement
from .base import PageKind, PageOutput, groups_with, statements_json
from .sections import comparison_view
from .tables import fund_tables, group_together_table, matrix_tables


class GroupPages(PageKind):
    name = "group"
    template = "group.html"

    def __len__(self) -> int:
        return len(self.site.cfg.groups)

    def generate(self, i: int, clock) -> PageOutput:
        s = self.site
        g = s.cfg.groups[i]
        members, slug = list(g), group_slug(g)
        url, api = f"compare/{slug}/", f"api/groups/{slug}.json"
        pg = s.page(members)
        funds = pg.funds
        links = {o: dict(zip(("values", "reasons"), analysis.compute_pair(s.prep, s.returns, g[0], o))) for o in g[1:]}
        clock.lap("facts")
        common = analysis.pairs.since_common_start(s.prep.data.adj_close, members, pg.end)
        rows = fund_tables(members, funds, common)
        together = group_together_table(links, g[0], members[1:], f"api/groups/{slug}/together.csv")
        view = comparison_view(s, pg, members, url, api, rows, together)
        matrix = analysis.correlation_matrix(s.prep, s.returns, members, s.pairs)  # every fund against every other
        view.context["matrix"] = matrix_tables(matrix, api[: -len(".json")], pg.as_of)
        view.files.update({t.csv: t.to_csv() for t in view.context["matrix"]})
        clock.lap("charts")
        doc = {"as_of": pg.as_of, "site_as_of": s.as_of, "behind": pg.behind, "tickers": members,
               "risk_free_rate": s.cfg.risk_free_rate, "funds": funds, "source": s.prep.data.source,
               "since_common_start": common, "correlation_matrix": matrix,
               "pairs": {f"{g[0]}-{o}": {**links[o]["values"], "null_reasons": dict(sorted(links[o]["reasons"].items()))}
                         for o in g[1:]}}
        said = words.group_summary(members, funds)
        summary = " ".join(st.text for st in said)
        gf = facts.group_facts(members, funds)  # the takeaways and the FAQ (issue 18)
        doc.update(facts=[f.to_json() for f in gf], takeaways=[f.text for f in gf],
                   faq=facts.group_faq(gf, members))
        doc["changes"] = changes.group_changes(s.previous.get(api), doc)
        doc["statements"] = statements_json(said + group_statements(gf, doc["faq"]), view.context["chart_list"],
                                            doc["changes"], doc)
        context = s.context(
            url, pg, tickers=members, funds=funds, summary=summary,
            takeaways=doc["takeaways"], faq=doc["faq"], changes=doc["changes"],
            returns_rows=rows["returns"], risk_rows=rows["risk"], market_rows=rows["market"], **view.context,
            related=s.nav_by_fund.related(members, url), groups=groups_with(members, s.cfg.groups, url),
            page_title=f"{' vs '.join(members)}: returns, risk and costs compared", description=fmt.clip(summary), api=api)
        view_row = {"title": " vs ".join(members), "tickers": members, "url": url,
                    "r1y": [funds[t]["total_return"].get("1y") for t in members], "as_of": pg.as_of}
        feed_row = {"slug": f"compare/{slug}", "title": " vs ".join(members), **doc["changes"]}
        return PageOutput(url, self.template, context, {api: doc}, view.files, [], {"view": view_row, "feed": feed_row,
                                                                                  "history": changes.group_essentials(doc), "api": api})


def group_statements(gf: list, faq: list[dict]) -> list[Statement]:
    """The takeaways and FAQ answers of a group page as statements with their claims (the answers are made of
    the takeaways' sentences), so the sentence checker holds them against the figures."""
    out = [Statement("takeaway", f.text, [f.id], f.claims) for f in gf]
    for item in faq:
        used = [f for f in gf if f.text in item["answer"]]
        out.append(Statement("faq", item["answer"], [f.id for f in used], [c for f in used for c in f.claims]))
    return out

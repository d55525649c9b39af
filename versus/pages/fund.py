"""Fund pages (``/funds/<ticker>/``): one fund's figures, charts, holdings and the comparisons it is in."""
from __future__ import annotations

from .. import content, facts, fmt
from ..data.funds import when_text
from ..facts import Statement
from .base import RELATED_MAX, PageKind, PageOutput, related_pairs, statements_json
from .sections import fund_view
from .series import fund_series_files
from .tables import fund_tables


class FundPages(PageKind):
    name = "fund"
    template = "fund.html"

    def __len__(self) -> int:
        return len(self.site.cfg.funds)

    def generate(self, i: int, clock) -> PageOutput:
        s = self.site
        t = s.cfg.funds[i]
        url, api = f"funds/{t.lower()}/", f"api/funds/{t.lower()}.json"
        pg = s.page([t])
        ff = facts.fund_facts(t, s.funds[t])
        cm, warnings = s.commentary("fund", t, lambda: content.names(s.quotable(pg)), pg, (t,))
        clock.lap("facts")
        rows = fund_tables([t], s.funds)
        view = fund_view(s, pg, t, url, api, rows)
        data = s.prep.data
        view.files.update(fund_series_files(t, data.close[t].loc[: pg.end] if t in data.close.columns else None,
                                            data.adj_close[t].loc[: pg.end], s.as_of))
        clock.lap("charts")
        doc = {"as_of": pg.as_of, "site_as_of": s.as_of, "behind": pg.behind, "tickers": [t],
               "risk_free_rate": s.cfg.risk_free_rate, "funds": {t: s.funds[t]},
               "facts": [f.to_json() for f in ff], "source": s.prep.data.source, "commentary": content.api_view(cm)}
        doc["statements"] = statements_json([Statement("fund", f.text, [f.id], f.claims) for f in ff],
                                            view.context["chart_list"])
        nav = s.nav
        related = [p for p in nav if t in (p["a"], p["b"])]
        context = s.context(
            url, pg, t=t, tickers=[t], funds=s.funds, facts=ff, fund=s.funds[t], info=s.info[t], commentary=cm,
            returns_rows=rows["returns"], risk_rows=rows["risk"], market_rows=rows["market"], related=related,
            **view.context,
            quotes=[{"text": q.value, "source": q.source, "url": q.url, "when": quote_when(q)} for q in s.info[t].quotes],
            others=related_pairs([t], nav, url, len(related) + RELATED_MAX)[len(related):],
            page_title=f"{t}: {s.funds[t]['name']}", description=fmt.clip(" ".join(f.text for f in ff)), api=api)
        return PageOutput(url, self.template, context, {api: doc}, view.files, warnings)


def quote_when(q) -> str:
    """A quote's date as its line shows it ('Jan 2026'; 'undated' when the source gave none: the source's
    name already says when it was published)."""
    when, _ = when_text(q.as_of, q.note, fmt.observed)
    return "undated" if when.endswith("undated") else when

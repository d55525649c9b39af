"""Fund pages (``/funds/<ticker>/``): one fund's figures, charts, holdings and the comparisons it is in."""
from __future__ import annotations

from .. import content, facts, fmt
from ..analysis import holdings as hold
from ..content import claims
from ..data.funds import when_text
from ..facts import Statement
from .base import RELATED_MAX, PageKind, PageOutput, groups_with, statements_json
from .sections import fund_view
from .series import fund_series_files, series_path
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
        quotes, failed = note_quotes(s.info[t].quotes, lambda: note_names(s, pg), pg.as_of, t)
        warnings = [*warnings, *failed]
        clock.lap("facts")
        rows = fund_tables([t], s.funds)
        view = fund_view(s, pg, t, url, api, rows)
        data = s.prep.data
        view.files.update(fund_series_files(t, data.close[t].loc[: pg.end] if t in data.close.columns else None,
                                            data.adj_close[t].loc[: pg.end]))
        clock.lap("charts")
        doc = {"as_of": pg.as_of, "site_as_of": s.as_of, "behind": pg.behind, "tickers": [t],
               "risk_free_rate": s.cfg.risk_free_rate, "funds": {t: s.funds[t]},
               "facts": [f.to_json() for f in ff], "source": s.prep.data.source, "commentary": content.api_view(cm),
               "series": series_path(t)}  # the fund's daily series (versus.pages.series), its download of every day
        doc["statements"] = statements_json([Statement("fund", f.text, [f.id], f.claims) for f in ff],
                                            view.context["chart_list"], None, doc)
        related = s.nav_by_fund.of(t)
        context = s.context(
            url, pg, t=t, tickers=[t], funds=s.funds, facts=ff, fund=s.funds[t], info=s.info[t], commentary=cm,
            returns_rows=rows["returns"], risk_rows=rows["risk"], market_rows=rows["market"], related=related,
            groups=groups_with([t], s.cfg.groups, url),
            **view.context,
            quotes=quotes,
            others=s.nav_by_fund.related([t], url, len(related) + RELATED_MAX)[len(related):],
            page_title=f"{t}: {s.funds[t]['name']}", description=fmt.clip(" ".join(f.text for f in ff)), api=api)
        return PageOutput(url, self.template, context, {api: doc}, view.files, warnings)


def quote_when(q) -> str:
    """A quote's date as its line shows it ('Jan 2026'; 'undated' when the source gave none: the source's
    name already says when it was published)."""
    when, _ = when_text(q.as_of, q.note, fmt.observed)
    return "undated" if when.endswith("undated") else when


def note_names(site, pg) -> dict:
    """What a fund's notes may claim: every name commentary may quote, and ``<T>.holdings.<key>``
    (:func:`versus.analysis.holdings.note_figures`) for the page's funds."""
    flat = content.names(site.quotable(pg))
    for t, fi in pg.info.items():
        flat.update({f"{t}.holdings.{k}": v for k, v in hold.note_figures(fi).items()})
    return flat


def note_quotes(quotes, names, as_of: str, t: str) -> tuple[list[dict], list]:
    """A fund's curated notes as its page shows them (issue 18, item 3): a note with a claim is checked
    against the page's figures (``names()``, built only when a note has a claim): shown as checked when it
    holds; when it does not (or cannot be checked) it is listed apart as no longer borne out, never as a
    current fact, with a warning naming data/funds.toml:line (``--claims=flag`` flags it like commentary's).
    A note without a claim is a dated quote with its source."""
    out, warnings, flat = [], [], None
    for q in quotes:
        item = {"text": q.value, "source": q.source, "url": q.url, "when": quote_when(q), "check": None}
        if q.claim:
            flat = names() if flat is None else flat
            res = claims.evaluate(claims.parse(q.claim), flat.get)
            item["check"] = "holds" if res.holds else "fails"
            if not res.holds:
                said = "does not hold" if res.holds is False else "cannot be checked (a figure it needs is null)"
                values = ", ".join(f"{k} = {claims.show(v)}" for k, v in res.values.items())
                warnings.append(claims.ClaimWarning(
                    f"data/funds.toml:{q.line}: {t} note {q.value!r}: claim {q.claim!r} {said} as of {as_of} ({values})",
                    "data/funds.toml", q.line, q.claim))
        out.append(item)
    return out, warnings

"""Category hub pages (``/category/<id>/``): every fund of a category in one sortable table, and links to
every pair and group page that shows one of them.

The figures are the fund sections the analysis stage computed (:data:`CATEGORY_FUNDS` in the registry);
fund facts carry their observation date and numbered source, like every other table.
"""
from __future__ import annotations

from .. import fmt
from ..analysis.registry import BY_KEY, CATEGORY_FUNDS, column_head
from ..charts.table import Table
from ..config import group_slug
from .base import PageKind, PageOutput, jsonld
from .tables import fact_cell, format_value

FACTS = ("expense_ratio",)
"""Columns that are fund facts (dated observations), not computed figures."""


def category_url(cid: str) -> str:
    return f"category/{cid}/"


def members(site, cid: str) -> list[str]:
    """The configured funds of a category, largest first (the same order as the page rules)."""
    return site.categories[cid]["funds"]


def category_links(site, cid: str) -> dict:
    """The pair and group pages of a category: pairs inside it, pairs with a fund outside, groups."""
    mine = set(members(site, cid))
    inside = [p for p in site.nav if p["a"] in mine and p["b"] in mine]
    across = [p for p in site.nav if (p["a"] in mine) != (p["b"] in mine)]
    groups = [{"url": f"compare/{group_slug(g)}/", "title": " vs ".join(g)}
              for g in site.cfg.groups if mine & set(g)]
    return {"inside": inside, "across": across, "groups": groups}


def _cell(site, t: str, key: str, horizon: str | None, sources: dict, table: Table) -> dict:
    f = site.funds[t]
    entry = BY_KEY[key]
    value = f[key].get(horizon) if horizon else f.get(key)
    reason = f["null_reasons"].get(f"{key}.{horizon}" if horizon else key)
    if key in FACTS:
        c = fact_cell(value, format_value(entry, value), f["sources"].get(key), reason)
        src = c.pop("source", None)
        if src:
            if src["id"] not in sources:
                sources[src["id"]] = len(sources) + 1
                table.sources.append({"n": sources[src["id"]], "name": src["name"], "url": src.get("url")})
            c["ref"] = sources[src["id"]]
        return {**c, "sort": value}
    if key == "max_drawdown":
        dd = value
        return {"text": fmt.DASH if dd is None else fmt.pct(dd["value"]), "sort": None if dd is None else dd["value"],
                "title": reason, "detail": None if dd is None else f"trough {fmt.date(dd['trough'])}"}
    return {"text": format_value(entry, value), "sort": value, "title": reason}


def _raw(cell: dict):
    return cell["sort"]


def funds_table(site, cid: str) -> Table:
    """The category's funds, one row each: the :data:`CATEGORY_FUNDS` figures and the date of their prices."""
    cat = site.categories[cid]
    table = Table("category-funds", f"{cat['name']}: every fund's figures to {fmt.date(site.as_of)}",
                  ["Fund", *(column_head(k, h) for k, h in CATEGORY_FUNDS), "Prices to"],
                  csv=f"api/categories/{cid}.csv", sortable=True)
    sources: dict[str, int] = {}
    for t in members(site, cid):
        cells = [_cell(site, t, k, h, sources, table) for k, h in CATEGORY_FUNDS]
        as_of = site.funds[t]["as_of"]
        cells.append({"text": fmt.date(as_of), "sort": as_of})
        table.add(t, cells, [_raw(c) for c in cells])
        table.rows[-1]["href"] = f"funds/{t.lower()}/"
        table.rows[-1]["detail"] = site.funds[t]["name"] + (" · benchmark" if t == cat["benchmark"] else "")
    table.csv_head = ["Fund", *(f"{k}.{h}" if h else k for k, h in CATEGORY_FUNDS), "prices_to"]
    return table


def _fund_doc(f: dict, row: dict) -> dict:
    """A fund's entry in the category's JSON: its name, the table's figures (fractions) and, for each null,
    the reason (``null_reasons``, as in every other API document)."""
    values = {f"{k}.{h}" if h else k: _raw(c) for (k, h), c in zip(CATEGORY_FUNDS, row["cells"])}
    reasons = {key: c["title"] for key, c in zip(values, row["cells"]) if c["sort"] is None and c.get("title")}
    return {"name": f["name"], **values, "null_reasons": reasons}


class CategoryPages(PageKind):
    name = "category"
    template = "category.html"

    def __len__(self) -> int:
        return len(self.site.categories)

    def generate(self, i: int, clock) -> PageOutput:
        s = self.site
        cid = list(s.categories)[i]
        cat = s.categories[cid]
        url, api = category_url(cid), f"api/categories/{cid}.json"
        table = funds_table(s, cid)
        links = category_links(s, cid)
        clock.lap("facts")
        funds = members(s, cid)
        doc = {"as_of": s.as_of, "category": {k: cat[k] for k in ("id", "name", "asset_class", "benchmark", "note")},
               "funds": {t: _fund_doc(s.funds[t], row) for t, row in zip(funds, table.rows)},
               "pairs": [f"api/pairs/{p['slug']}.json" for p in links["inside"] + links["across"]],
               "groups": [f"api/groups/{g['url'][len('compare/'):-1]}.json" for g in links["groups"]]}
        title = f"{cat['name']}: {len(funds)} fund{'s' if len(funds) != 1 else ''} compared"
        description = (f"{cat['name']} ({cat['asset_class']}): {', '.join(funds)}. Returns, volatility, drawdowns, "
                       f"fees and yields to {s.as_of}, and every comparison of these funds.")
        missing = [f"{row['label']}, {head.lower()}: {c['title']}" for row in table.rows
                   for head, c in zip(table.head[1:], row["cells"]) if c.get("title") and c.get("sort") is None]
        context = s.context(url, category=cat, funds_table=table, links=links, page_title=title, missing=missing,
                            fund_count=f"{len(funds)} fund{'s' if len(funds) != 1 else ''}",
                            description=description, api=api,
                            jsonld=jsonld("category", title, description, s.cfg.base_url + url, s.meta, s.as_of))
        files = {table.csv: table.to_csv()}
        summary = {"id": cid, "name": cat["name"], "asset_class": cat["asset_class"], "url": url, "funds": funds,
                   "pairs": len(links["inside"]) + len(links["across"]), "groups": len(links["groups"])}
        return PageOutput(url, self.template, context, {api: doc}, files, [], summary)

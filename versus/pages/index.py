"""The index page: every comparison and fund in sortable tables, the search index, the site's card;
and the API's index document."""
from __future__ import annotations

from .. import content, fmt
from ..analysis import difference, leader
from ..analysis.registry import BY_KEY, INDEX_FUNDS, column_head
from ..charts import cache, cards
from ..charts.table import Table
from ..config import group_slug, pair_slug
from ..data.funds import ASSET_CLASSES
from .base import PageOutput, jsonld
from .tables import format_value


class IndexPage:
    name = "index"
    template = "index.html"

    def __init__(self, site):
        self.site = site

    def generate(self, pair_rows: list[dict], group_rows: list[dict], categories: list[dict] | None = None) -> PageOutput:
        s = self.site
        cfg, as_of = s.cfg, s.as_of
        categories = categories or []
        fund_rows = [{"t": t, "f": s.funds[t]} for t in cfg.funds]
        cm, warnings = s.commentary("index", "", lambda: content.names(s.funds), s.whole())
        tables = index_tables(pair_rows, fund_rows, group_rows, as_of)
        entries = search_index(s.funds, s.nav, group_rows, categories)
        files: dict[str, str | bytes] = {t.csv: t.to_csv() for t in tables.values()}
        files["card.png"] = cache.render([cards.site_card(cfg.title, cfg.description, as_of, list(s.funds))], "png",
                                         scale=1, colors=cards.CARD_COLORS)[0]
        context = s.context("", pair_views=pair_rows, fund_rows=fund_rows, page_title=cfg.title,
                            description=cfg.description, commentary=cm, index_tables=tables, groups=group_rows,
                            search_entries=entries, asset_classes=by_asset_class(categories),
                            notes=[n for n in [s.prep.not_started_note] if n] + s.common["notes"],
                            jsonld=jsonld("index", cfg.title, cfg.description, s.meta["base_url"], s.meta, as_of))
        return PageOutput("", self.template, context, {"api/search.json": {"as_of": as_of, "entries": entries}},
                          files, warnings)


def index_tables(pair_rows: list[dict], fund_rows: list[dict], groups: list[dict], as_of: str) -> dict:
    """The index's sortable tables (cells carry ``sort`` values) with their CSVs."""
    pairs = Table("all-pairs", "Every comparison: who led over the year to its date, and by how much",
                  ["Comparison", "Leader, 1 year (points ahead)", "Correlation, 1 year", "As of"],
                  csv="api/index/pairs.csv", sortable=True)
    for p in pair_rows:
        _pair_row(pairs, p)
    pairs.csv_head = ["Comparison", "Leader, 1 year", "Lead, 1 year (fraction)", "Correlation, 1 year", "As of"]
    for g in groups:
        best = leader(dict(zip(g["tickers"], g["r1y"])))
        pairs.add(g["title"], [{"text": best or fmt.DASH}, {"text": fmt.DASH}, _date_cell(g["as_of"])],
                  [best, None, None, g["as_of"]])
        pairs.rows[-1]["href"] = g["url"]
        pairs.rows[-1]["detail"] = "1 year: " + " · ".join(f"{t} {fmt.pct(r)}" for t, r in zip(g["tickers"], g["r1y"]))
    funds = Table("all-funds", f"Key figures per fund, to {fmt.date(as_of)}",
                  ["Fund", *(column_head(k, h) for k, h in INDEX_FUNDS), "Prices to"],
                  csv="api/index/funds.csv", sortable=True)
    for r in fund_rows:
        f = r["f"]
        vals = [f[k].get(h) if h else f.get(k) for k, h in INDEX_FUNDS]
        cells = [{"text": format_value(BY_KEY[k], v), "sort": v} for (k, _), v in zip(INDEX_FUNDS, vals)]
        cells.append({"text": fmt.date(f["as_of"]), "sort": f["as_of"]})
        funds.add(r["t"], cells, vals + [f["as_of"]])
        funds.rows[-1]["href"] = f"funds/{r['t'].lower()}/"
        funds.rows[-1]["detail"] = f["name"] + (f" · {f['category']['name']}" if f.get("category") else "")
    return {"pairs": pairs, "funds": funds}


def _pair_row(pairs: Table, p: dict) -> None:
    lead = difference([p["ra"], p["rb"]])
    who = p["leader_1y"] or (p["a"] if lead is not None and lead >= 0 else p["b"])
    pairs.add(p["a"] + " vs " + p["b"], [
        {"text": fmt.DASH if lead is None else f"{who} by {fmt.pts(lead).replace(' points', '')}",
         "sort": None if lead is None else round(abs(lead), 6)},
        {"text": fmt.num(p["corr_1y"]), "sort": p["corr_1y"]}, _date_cell(p["as_of"])],
        [None if lead is None else who, None if lead is None else round(abs(lead), 8), p["corr_1y"], p["as_of"]])
    pairs.rows[-1]["href"] = f"{p['slug']}/"
    pairs.rows[-1]["detail"] = f"1 year: {p['a']} {fmt.pct(p['ra'])} · {p['b']} {fmt.pct(p['rb'])}"


def _date_cell(as_of: str) -> dict:
    """A page's date: each page is as of its own funds' common last close."""
    return {"text": fmt.date(as_of), "sort": as_of}


def by_asset_class(categories: list[dict]) -> list[dict]:
    """The index's category list: asset classes in :data:`~versus.data.funds.ASSET_CLASSES` order, each with its
    categories (in data/funds.toml's order) and their funds (largest first)."""
    order = {a: i for i, a in enumerate(ASSET_CLASSES)}
    classes: dict[str, list[dict]] = {}
    for c in categories:
        classes.setdefault(c["asset_class"], []).append(
            {**c, "count": f"{len(c['funds'])} fund{'s' if len(c['funds']) != 1 else ''}, "
                           f"{c['pairs']} comparison{'s' if c['pairs'] != 1 else ''}"})
    return [{"name": a.capitalize(), "categories": cats}
            for a, cats in sorted(classes.items(), key=lambda kv: order.get(kv[0], len(order)))]


def search_index(funds: dict, pairs: list[dict], groups: list[dict], categories: list[dict] | None = None) -> list[dict]:
    """Entries of /api/search.json: ticker(s), names, index and category, and the page's URL."""
    def cat(t: str) -> str:
        return (funds[t].get("category") or {}).get("name") or ""

    out = [{"kind": "fund", "title": t, "names": f["name"], "index": f.get("index") or "", "category": cat(t),
            "url": f"funds/{t.lower()}/"} for t, f in funds.items()]
    out += [{"kind": "comparison", "title": f"{p['a']} vs {p['b']}",
             "names": f"{funds[p['a']]['name']} · {funds[p['b']]['name']}",
             "index": " · ".join(str(funds[t].get("index") or "") for t in (p["a"], p["b"])),
             "category": " · ".join(dict.fromkeys(cat(t) for t in (p["a"], p["b"]))), "url": f"{p['slug']}/"}
            for p in pairs]
    out += [{"kind": "group", "title": g["title"], "names": " · ".join(funds[t]["name"] for t in g["tickers"]),
             "index": " · ".join(str(funds[t].get("index") or "") for t in g["tickers"]),
             "category": " · ".join(dict.fromkeys(cat(t) for t in g["tickers"])), "url": g["url"]}
            for g in groups]
    out += [{"kind": "category", "title": c["name"], "names": " · ".join(c["funds"]), "index": c["asset_class"],
             "category": c["name"], "url": c["url"]} for c in categories or []]
    return out


def api_index(cfg, as_of: str, categories=()) -> dict:
    """``api/index.json``: where every page's JSON document is."""
    return {"as_of": as_of, "pairs": [f"api/pairs/{pair_slug(a, b)}.json" for a, b in cfg.pairs],
            "funds": [f"api/funds/{t.lower()}.json" for t in cfg.funds],
            "groups": [f"api/groups/{group_slug(g)}.json" for g in cfg.groups],
            "categories": [f"api/categories/{c}.json" for c in categories], "search": "api/search.json"}

"""Category hub pages (issue 15 item 5) on the default site: one per category with a fund on the site, every
fund of it in a sortable table whose figures are the fund JSON's, links to every pair and group page that shows
one of its funds, and the index organised by category.

Expected values come from data/funds.toml, the expanded site.toml and the site's own fund JSON, never from
figures or counts written here.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from versus.build.plan import expand_rules
from versus.config import group_slug, load_config, pair_slug
from versus.data.funds import load_funds

CFG = expand_rules(load_config())
FUNDS = load_funds()
CATEGORIES = {c: [t for t in CFG.funds if t in FUNDS and FUNDS[t].category == c] for c in FUNDS.categories}
CATEGORIES = {c: ts for c, ts in CATEGORIES.items() if ts}
FIGURES = {"total_return.1y": ("total_return", "1y"), "cagr.5y": ("cagr", "5y"), "volatility.3y": ("volatility", "3y")}


def text(site, url: str) -> str:
    return (site / url / "index.html").read_text()


def test_one_page_per_category_with_funds_and_nothing_else(site):
    assert sorted(p.name for p in (site / "category").iterdir()) == sorted(CATEGORIES)
    index = json.loads((site / "api/index.json").read_text())["categories"]
    assert sorted(index) == sorted(f"api/categories/{c}.json" for c in CATEGORIES)


@pytest.mark.parametrize("cid", sorted(CATEGORIES))
def test_category_page_lists_every_fund_and_links_every_comparison(site, cid):
    html = text(site, f"category/{cid}")
    doc = json.loads((site / f"api/categories/{cid}.json").read_text())
    cat = FUNDS.categories[cid]
    assert doc["category"]["name"] == cat.name and doc["category"]["benchmark"] == cat.benchmark
    assert sorted(doc["funds"]) == sorted(CATEGORIES[cid])
    table = html.split('id="category-funds"')[1].split("</table>")[0]
    assert "data-v=" in table and table.split(">")[0].endswith("data-sortable")
    rows = re.findall(r'<th><a href="\.\./\.\./funds/([a-z0-9.\-]+)/">', table)
    assert sorted(r.upper() for r in rows) == sorted(CATEGORIES[cid])
    for t, entry in doc["funds"].items():  # the figures are the fund page's
        fund = json.loads((site / f"api/funds/{t.lower()}.json").read_text())["funds"][t]
        for key, (metric, horizon) in FIGURES.items():
            assert entry[key] == fund[metric][horizon], (t, key)
        assert entry["expense_ratio"] == fund["expense_ratio"]
        dd = fund["max_drawdown"]["5y"]
        assert entry["max_drawdown.5y"] == (None if dd is None else dd["value"])
        assert all(entry["null_reasons"].get(k) for k, v in entry.items() if v is None), t  # every null says why
    mine = set(CATEGORIES[cid])
    pairs = [pair_slug(a, b) for a, b in CFG.pairs if {a, b} & mine]
    groups = [group_slug(g) for g in CFG.groups if set(g) & mine]
    hrefs = set(re.findall(r'href="\.\./\.\./([^"#]+)"', html))
    assert {f"{s}/" for s in pairs} <= hrefs and {f"compare/{g}/" for g in groups} <= hrefs
    assert sorted(doc["pairs"]) == sorted(f"api/pairs/{s}.json" for s in pairs)
    rows = list(csv.reader(io.StringIO((site / f"api/categories/{cid}.csv").read_text())))
    assert len(rows) == len(mine) + 1 and len({len(r) for r in rows}) == 1


def test_index_is_organised_by_category_and_links_each(site):
    html = text(site, "")
    section = html.split('id="categories-h"')[1].split("</section>")[0]
    for cid, tickers in CATEGORIES.items():
        item = section.split(f'href="category/{cid}/"')[1].split("</li>")[0]
        table = text(site, f"category/{cid}").split('id="category-funds"')[1].split("</table>")[0]
        largest_first = re.findall(r'<th><a href="\.\./\.\./funds/([a-z0-9.\-]+)/">', table)
        assert re.findall(r'href="funds/([a-z0-9.\-]+)/"', item) == largest_first  # the category page's order
        assert sorted(re.findall(r'href="funds/([a-z0-9.\-]+)/"', item)) == sorted(t.lower() for t in tickers)
    search = json.loads((site / "api/search.json").read_text())["entries"]
    assert {e["url"] for e in search if e["kind"] == "category"} == {f"category/{c}/" for c in CATEGORIES}


def test_breadcrumbs_lead_to_the_category(site):
    a, b = next((a, b) for a, b in CFG.pairs if FUNDS[a].category == FUNDS[b].category)
    cid = FUNDS[a].category
    assert f'href="../category/{cid}/"' in text(site, pair_slug(a, b))
    assert f'href="../../category/{cid}/"' in text(site, f"funds/{a.lower()}")
    a, b = next((a, b) for a, b in CFG.pairs if FUNDS[a].category != FUNDS[b].category)
    crumbs = text(site, pair_slug(a, b)).split('class="crumbs"')[1].split("</nav>")[0]
    assert "category/" not in crumbs  # a pair across categories has no single category

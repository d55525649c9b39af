"""The built default site, page by page: weight budget, charts and their fallbacks, tables and
their CSVs, groups, search index, and the discoverability metadata (issue 4).

One build per module; expected values come from the site's own API JSON or the metrics,
never from figures written into the test.
"""
from __future__ import annotations

import csv
import gzip
import html
import io
import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from versus import charts, fmt
from versus.charts import cache as svg
from versus import metrics as m
from versus.cli import main
from versus.build.plan import expand_rules
from versus.config import group_slug, load_config, pair_slug
from versus.pages.sections import FUND_FALLBACKS

CFG = expand_rules(load_config())
PAIRS = [pair_slug(a, b) for a, b in CFG.pairs]
GROUPS = [group_slug(g) for g in CFG.groups]
BUDGET = 60 * 1024
"""A pair page's HTML with its inline chart data, gzipped (the shared Vega bundle is not counted)."""


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, tables, scripts, noscript markup."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.tables: list[dict] = []
        self.scripts: dict[str, str] = {}  # by id or type: the first one
        self.all_scripts: list[tuple[str, str]] = []
        self.noscripts: list[list[dict]] = []  # the <img> tags inside each <noscript>
        self._stack: list[str] = []
        self._script: str | None = None
        self._buf: list[str] = []
        self._noscript = False
        self._thead = False  # inside a <thead>
        self._cells = 0  # cells so far in the current row
        self.feed(text)
        self.text = text

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if self._noscript and tag == "img":
            self.noscripts[-1].append(a)
        if tag == "table":
            self.tables.append({"id": a.get("id"), "caption": "", "th": [], "td": 0, "attrs": a})
        elif tag == "thead":
            self._thead = True
        elif tag == "tr":
            self._cells = 0
        elif tag == "th" and self.tables:
            # its scope, or what HTML's "auto" scope makes it in these tables: a heading cell of the head row heads
            # its column, the first cell of a body row heads its row (no scope attribute there: issue 17)
            self.tables[-1]["th"].append(a.get("scope") or ("col" if self._thead else "row" if not self._cells else None))
            self._cells += 1
        elif tag == "td" and self.tables:
            self.tables[-1]["td"] += 1
            self._cells += 1
        elif tag == "script":
            self._script, self._buf = a.get("id") or a.get("type") or "src:" + a.get("src", ""), []
        elif tag == "noscript":
            self._noscript = True
            self.noscripts.append([])
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.setdefault(self._script, "".join(self._buf))
            self.all_scripts.append((self._script, "".join(self._buf)))
            self._script = None
        if tag == "noscript":
            self._noscript = False
        if tag == "thead":
            self._thead = False
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._script is not None:
            self._buf.append(data)
        elif self._stack and self._stack[-1] == "caption" and self.tables:
            self.tables[-1]["caption"] += data

    def all(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def page(site: Path, url: str) -> Page:
    return Page((site / url / "index.html").read_text(encoding="utf-8"))


def chart_page(p: Page) -> dict:
    return json.loads(p.scripts["chart-page"])


def chart_description(p: Page, chart_id: str) -> str | None:
    """The finding in words of a chart, from its caption (``<p class="chart-desc" id="<id>-desc">``)."""
    m = re.search(rf'<p class="chart-desc" id="{re.escape(chart_id)}-desc">(.*?)</p>', p.text, re.S)
    return html.unescape(m[1]) if m else None


def filled_specs(site: Path, p: Page) -> dict:
    """Every chart's spec by key as static/site.js builds it: the page's part (``charts``) in the shared
    template (``static/specs/<k>.json``), the description from the chart's caption."""
    out = {}
    for key, r in charts.expand_recipes(chart_page(p)).items():  # colours said once a page (issue 17)
        desc = chart_description(p, key)
        desc = desc if desc is not None else chart_description(p, key.rsplit("-", 1)[0])  # growth-log: growth's
        out[key] = charts.fill((site / "static/specs" / f"{r['k']}.json").read_text(), r, desc)
    return out


def chart_pages(site):
    return [f"{s}/" for s in PAIRS] + [f"compare/{g}/" for g in GROUPS] + [f"funds/{t.lower()}/" for t in CFG.funds]


# --------------------------------------------------------------------------- weight
@pytest.mark.parametrize("slug", PAIRS)
def test_pair_page_with_its_chart_data_is_within_the_gzip_budget(site, slug):
    html = (site / slug / "index.html").read_bytes()
    assert "chart-page" in html.decode()  # the chart data is inline, so it is counted here
    assert len(gzip.compress(html, 9)) <= BUDGET


def test_chart_data_is_daily_for_a_year_weekly_before_and_rounded(site):
    d = chart_page(page(site, "funds/qqq/"))["data"]  # pair pages draw from the funds' shared series
    steps = d["d"]["steps"]
    dates = pd.Timestamp(d["d"]["start"]) + pd.to_timedelta([0, *pd.Series(steps).cumsum()], unit="D")
    cut = int((dates <= dates[-1] - pd.Timedelta(days=charts.DAILY_DAYS)).sum())
    assert max(steps[cut:]) <= 4                 # daily (weekends and holidays only) in the last year
    weekly = steps[: cut - 1]                    # weekly before it: one row per Saturday-Friday week,
    weeks = ((dates[:cut] - pd.Timestamp("1970-01-03")).days // 7)
    assert len(set(weeks)) == len(weeks)         # labelled with its last trading day (a holiday Friday
    assert sum(s == 7 for s in weekly) > 0.9 * len(weekly)  # or the 9/11 closure shifts a label)
    for name, cols in d["s"].items():
        for col, values in cols.items():
            assert len(values) == len(dates), (name, col)
            for v in values:  # at most 4 significant digits or 3-4 decimals
                assert v is None or len(repr(abs(v)).replace(".", "").strip("0")) <= 4, (name, col, v)


# --------------------------------------------------------------------------- charts, fallbacks, descriptions
@pytest.mark.parametrize("url", [f"{s}/" for s in PAIRS] + [f"compare/{g}/" for g in GROUPS]
                         + [f"funds/{t.lower()}/" for t in CFG.funds])
def test_every_chart_has_spec_static_svg_description_and_data_table(site, url):
    p = page(site, url)
    boxes = p.all("div", **{"class": "chart"})
    specs = filled_specs(site, p)
    assert boxes and len(p.noscripts) == len(boxes)
    for box, imgs in zip(boxes, p.noscripts):
        spec = specs[box["data-spec"]]
        desc = chart_description(p, box["id"])
        assert spec["description"] == desc and len(desc) > 40  # the finding in words, once on the page
        if box["id"] in FUND_FALLBACKS and not url.startswith("funds/"):  # each fund's own SVG, small multiples
            funds = chart_page(p)["charts"][box["id"]]["s"]
            assert [img["src"] for img in imgs] == [f"../{'../' if url.startswith('compare/') else ''}funds/"
                                                     f"{t.lower()}/{box['id']}.svg" for t in funds], box["id"]
            assert not (site / url / f"{box['id']}.svg").exists()  # not drawn again per page
            for t, img in zip(funds, imgs):
                assert (site / url / img["src"]).read_bytes().startswith(b"<svg") and img["alt"].startswith(f"{t}: ")
            continue
        assert len(imgs) == 1, box["id"]
        img = imgs[0]
        data = (site / url / img["src"]).read_bytes()
        assert data.startswith(b"<svg") and svg.svg_size(data) == (int(img["width"]), int(img["height"]))
        # alt: the chart's title; the finding in words is its caption, which the image points at
        assert img["aria-describedby"] == f"{box['id']}-desc" and img["alt"] and img["alt"] in p.text
    # one data table alternative per chart, inside <details>
    assert p.text.count('<details class="chart-data">') == len(boxes)


def test_pair_page_chart_set(site):
    p = page(site, "qqq-vs-iwm/")
    ids = [b["id"] for b in p.all("div", **{"class": "chart"})]
    assert ids == ["growth", "drawdown", "rolling_return", "relative", "correlation", "volatility", "years", "months",
                   "sectors"]
    specs = filled_specs(site, p)
    assert '"type": "log"' in json.dumps(specs["growth-log"]) and "growth-log" not in ids  # the toggle's 2nd spec
    doc = json.loads((site / "api/pairs/qqq-vs-iwm.json").read_text())
    assert doc["tickers"] == ["QQQ", "IWM"]
    # the regime label drawn in the ratio chart states what the metrics say
    from versus.sources.snapshot import SnapshotSource
    from versus.data import prepare
    from versus.analysis import holdings as hold
    from versus.analysis import series

    prep = prepare(SnapshotSource().load(CFG.funds), None)
    ratio = m.relative_strength(prep.data.adj_close, "QQQ", "IWM")
    reg = m.trend_regime(ratio, series.MA_DAYS, series.TREND_DAYS)
    words = f"{'above' if reg['above'] else 'below'} its 200-day average and {'rising' if reg['rising'] else 'falling'}"
    assert words in json.dumps(specs["relative"]) and words in specs["relative"]["description"]


def test_fund_pages_have_price_drawdown_and_dividends(site):
    from versus.sources.snapshot import SnapshotSource

    md = SnapshotSource().load(CFG.funds)
    for t in CFG.funds:
        p = page(site, f"funds/{t.lower()}/")
        ids = [b["id"] for b in p.all("div", **{"class": "chart"})]
        assert ids[:2] == ["price", "drawdown"], t
        paid = not md.dividends[t].dropna().empty if t in md.dividends.columns else False
        assert ("dividends" in ids) == paid, t  # only where dividends are in the data


# --------------------------------------------------------------------------- tables and CSV
@pytest.mark.parametrize("url", ["", "qqq-vs-iwm/", "funds/spy/", "compare/iwm-spy-qqq/"])
def test_tables_are_semantic_and_each_has_its_csv_next_to_it(site, url):
    p = page(site, url)
    assert p.tables
    for t in p.tables:
        assert t["caption"].strip(), t["id"]
        assert "col" in t["th"] and "row" in t["th"], t["id"]
        assert all(s in ("col", "row") for s in t["th"]), t["id"]
    links = [a["href"] for a in p.all("a") if a.get("class") == "csv"]
    assert len(links) >= len(p.tables)
    root = site / url
    for href in links:
        path = (root / href).resolve()
        assert path.is_file() and str(path.relative_to(site.resolve())).startswith("api/"), href
        rows = list(csv.reader(io.StringIO(path.read_text())))
        assert len(rows) >= 2 and len({len(r) for r in rows}) == 1, href


def test_csv_values_are_fractions_from_the_api(site):
    doc = json.loads((site / "api/pairs/qqq-vs-iwm.json").read_text())
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO((site / "api/pairs/qqq-vs-iwm/returns.csv").read_text()))}
    assert float(rows["1 year"][0]) == pytest.approx(doc["funds"]["QQQ"]["total_return"]["1y"])
    # the lead in points is the difference of the two figures as shown (27.3% and 34.1%: 6.8 points)
    shown = [round(doc["funds"][t]["total_return"]["1y"] * 100, 1) for t in ("QQQ", "IWM")]
    assert float(rows["1 year"][2]) == pytest.approx((shown[0] - shown[1]) / 100)


def test_fee_table_states_the_assumed_return(site):
    from versus.analysis import holdings as hold
    from versus.analysis import series

    p = page(site, "qqq-vs-iwm/")
    fees = next(t for t in p.tables if t["id"] == "fees")
    assert f"{hold.FEE_RETURN * 100:.1f}% a year before fees" in fees["caption"]
    # issue 17: a pair's fee table links each fund's fees.csv (the pair writes none); the difference is theirs
    assert not (site / "api/pairs/qqq-vs-iwm/fees.csv").exists()
    after = p.text[p.text.index('id="fees"'):]
    foot = after[after.index('<p class="table-foot">'):]
    foot = foot[: foot.index("</p>")]
    assert re.findall(r'href="([^"]+)"', foot) == ["../api/funds/qqq/fees.csv", "../api/funds/iwm/fees.csv"]
    costs = [list(csv.reader(io.StringIO((site / f"api/funds/{t}/fees.csv").read_text())))[-1]  # $100,000, 30 years
             for t in ("qqq", "iwm")]
    doc = json.loads((site / "api/pairs/qqq-vs-iwm.json").read_text())
    ea, eb = (doc["funds"][t]["expense_ratio"] for t in ("QQQ", "IWM"))
    assert costs[0][0] == costs[1][0] == "$100,000 for 30 years"
    assert abs(float(costs[1][1]) - float(costs[0][1])) == pytest.approx(
        abs(m.fee_cost(100_000, 30, hold.FEE_RETURN, min(ea, eb), max(ea, eb))), abs=0.02)


# --------------------------------------------------------------------------- groups, index, search
def test_group_pages_and_their_api(site):
    index = json.loads((site / "api/index.json").read_text())
    assert index["groups"] == [f"api/groups/{g}.json" for g in GROUPS]
    for g, members in zip(GROUPS, CFG.groups):
        p = page(site, f"compare/{g}/")
        assert "<h1>" + " vs ".join(members) + "</h1>" in p.text
        doc = json.loads((site / f"api/groups/{g}.json").read_text())
        assert doc["tickers"] == list(members) and set(doc["funds"]) == set(members)
        assert set(doc["pairs"]) == {f"{members[0]}-{o}" for o in members[1:]}
        ids = [b["id"] for b in p.all("div", **{"class": "chart"})]
        assert [i for i in ids if i.startswith("relative-")] == [f"relative-{o.lower()}" for o in members[1:]]


def test_index_tables_sort_and_search_index_is_static_and_complete(site):
    p = page(site, "")
    sortable = [t for t in p.tables if "data-sortable" in t["attrs"]]
    assert len(sortable) == 2
    assert all(re.fullmatch(r"-?[\d.e-]+|\d{4}-\d{2}-\d{2}", td["data-v"]) for td in p.all("td") if "data-v" in td)
    inline = json.loads(p.scripts["search-index"])
    published = json.loads((site / "api/search.json").read_text())["entries"]
    assert inline == published
    urls = {e["url"] for e in published}
    categories = {f"category/{c.split('/')[-1][:-5]}/" for c in json.loads((site / "api/index.json").read_text())["categories"]}
    assert categories and {e["url"] for e in published if e["kind"] == "category"} == categories
    assert ({f"funds/{t.lower()}/" for t in CFG.funds} | {f"{s}/" for s in PAIRS} | {f"compare/{g}/" for g in GROUPS}
            | categories) == urls
    assert all((site / u / "index.html").is_file() for u in urls)
    form = p.all("div", id="search")[0]
    assert "hidden" in form  # shown by site.js only: without JavaScript the page is the plain tables


# --------------------------------------------------------------------------- discoverability
def test_sitemap_robots_and_canonical(site):
    xml = (site / "sitemap.xml").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    for g in GROUPS:
        assert f"{CFG.base_url}compare/{g}/" in locs
    doc = json.loads((site / "api/index.json").read_text())
    dates = json.loads((site / "build.json").read_text())["pages"]  # each page's lastmod is its own date
    assert sorted(re.findall(r"<lastmod>([^<]+)</lastmod>", xml)) == sorted(dates.values())
    assert xml.count(f"<lastmod>{doc['as_of']}</lastmod>") < len(locs)
    assert f"Sitemap: {CFG.base_url}sitemap.xml" in (site / "robots.txt").read_text()
    for loc in locs:
        url = loc[len(CFG.base_url):]
        p = page(site, url)
        assert p.all("link", rel="canonical")[0]["href"] == loc


@pytest.mark.parametrize("url", [f"{s}/" for s in PAIRS] + [f"compare/{g}/" for g in GROUPS] + ["", "funds/qqq/",
                                                                                                  "methodology/"])
def test_open_graph_twitter_json_ld_and_social_card(site, url):
    p = page(site, url)
    meta = {a.get("property") or a.get("name"): a.get("content") for a in p.all("meta")}
    for key in ("og:title", "og:description", "og:url", "og:image", "twitter:card", "twitter:image"):
        assert meta.get(key), key
    assert meta["og:url"] == CFG.base_url + url
    image = site / meta["og:image"][len(CFG.base_url):]
    png = image.read_bytes()
    size = struct.unpack(">II", png[16:24])
    assert png[:4] == b"\x89PNG" and size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
    # issue 17: a comparison's card is 600x315, the site's 1200x630, both palette PNGs (colour type 3), light
    assert size == ((1200, 630) if image == site / "card.png" else (600, 315)) and png[25] == 3
    assert len(png) < (40_000 if size[0] == 1200 else 20_000)
    if url not in ("", "methodology/") and not url.startswith("funds/"):
        assert image == site / url / "card.png"  # one card per comparison
    if url != "methodology/":
        ld = next(json.loads(t) for k, t in p.all_scripts if k == "application/ld+json" and "@graph" in t)
        types = [n["@type"] for n in ld["@graph"]]
        assert "WebPage" in types
        for node in ld["@graph"]:
            for dist in node.get("distribution", []):
                assert (site / dist["contentUrl"][len(CFG.base_url):]).is_file()


def test_related_comparisons_on_every_page(site):
    for loc in re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text()):
        url = loc[len(CFG.base_url):]
        hrefs = {a["href"] for a in page(site, url).all("a")}
        root = "../" * url.count("/") or "./"
        # the footer links the index's list of every comparison (issue 17: it no longer lists them itself)
        assert f"{root}#pairs-h" in hrefs, url
    index = {a["href"] for a in page(site, "").all("a")}
    assert all(f"./{s}/" in index for s in PAIRS)  # the index links every comparison
    p = page(site, "qqq-vs-iwm/")
    related = p.text.split('id="related-h"')[1].split("</section>")[0]
    assert "qqq-vs-iwm/" not in related and "spy-vs-qqq/" in related


def test_pages_load_nothing_from_other_sites_and_the_bundle_once(site):
    for url in chart_pages(site) + ["", "methodology/"]:
        p = page(site, url)
        srcs = [a.get("src", "") for a in p.all("script")] + [a["href"] for a in p.all("link") if a["rel"] != "canonical"]
        assert not [s for s in srcs if s.startswith(("http:", "https:", "//"))], url
        assert p.text.count("vega-bundle.js") <= 1


def test_a_second_build_renders_nothing(classic, tmp_path, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("a chart was rendered again although its spec did not change")

    monkeypatch.setattr(svg, "_render_one", boom)
    config = str(classic.parent / "site.toml")
    assert main(["--config", config, "--out", str(tmp_path / "again"), "--quiet"]) == 0
    assert (tmp_path / "again/qqq-vs-iwm/growth.svg").read_bytes() == (classic / "qqq-vs-iwm/growth.svg").read_bytes()


# --------------------------------------------------------------------------- each fund against SPY (issue 18)
@pytest.mark.parametrize("api", ["api/pairs/qqq-vs-iwm", "api/groups/iwm-spy-qqq", "api/funds/scha"])
def test_beta_and_correlation_with_spy_table_matches_the_json(classic, api):
    site = classic  # as of 31 Jul 2026 (the seven-fund site)
    doc = json.loads((site / f"{api}.json").read_text())
    if api.startswith("api/pairs/"):  # issue 17: as of both funds' own date, a pair links each fund's market.csv
        assert not (site / api / "market.csv").exists()
        cols = [list(csv.reader((site / f"api/funds/{t.lower()}/market.csv").read_text().splitlines()))
                for t in doc["tickers"]]
        assert all(json.loads((site / doc["funds"][t]["api"]).read_text())["as_of"] == doc["as_of"]
                   for t in doc["tickers"])
        rows = [[c[0][0], *(col[i][1] for col in cols)] for i, c in enumerate(zip(*cols))]
    else:
        rows = list(csv.reader((site / api / "market.csv").read_text().splitlines()))
    assert rows[0] == ["Measure", *doc["tickers"]]
    want = [(key, h) for key in ("beta_spy", "correlation_spy") for h in ("1y", "3y", "5y")]
    assert [r[0] for r in rows[1:]] == [f"{'Beta' if k == 'beta_spy' else 'Correlation'}, "
                                        f"{ {'1y': '1 year', '3y': '3 years', '5y': '5 years'}[h]}" for k, h in want]
    for (key, h), row in zip(want, rows[1:]):
        for t, cell in zip(doc["tickers"], row[1:]):
            assert float(cell) == doc["funds"][t][key][h], (t, key, h)
    html = (site / api.replace("api/pairs/", "").replace("api/groups/", "compare/").replace("api/", "")
            / "index.html").read_text()
    assert 'id="market"' in html and "Against the S&amp;P 500 (SPY)" in html


@pytest.mark.parametrize("url, api", [("qqq-vs-iwm/", "api/pairs/qqq-vs-iwm.json"),
                                      ("compare/iwm-spy-qqq/", "api/groups/iwm-spy-qqq.json"),
                                      ("funds/voo/", "api/funds/voo.json")])
def test_rolling_one_year_return_ends_at_the_published_one_year_return(classic, url, api):
    """The chart's last value for each fund is the 1-year total return of the returns table (same window)."""
    site = classic  # as of 31 Jul 2026 (the seven-fund site)
    doc = json.loads((site / api).read_text())
    if api.startswith("api/pairs/"):  # issue 17: drawn from the funds' series, a pair's chart has no CSV of its own
        assert not (site / api[:-5] / "rolling_return.csv").exists()
        cols = [list(csv.reader((site / f"api/funds/{t.lower()}/rolling_return.csv").read_text().splitlines()))
                for t in doc["tickers"]]  # the page's date is each fund's own (31 Jul 2026)
        rows = [[c[0][0], *(col[i][1] for col in cols)] for i, c in enumerate(zip(*cols))]
    else:
        rows = list(csv.reader((site / api[:-5] / "rolling_return.csv").read_text().splitlines()))
    assert rows[0] == ["Date", *doc["tickers"]] and rows[1][0] == fmt.date(doc["as_of"])  # the page's own date
    desc = chart_description(page(site, url), "rolling_return")
    for t, v in zip(doc["tickers"], rows[1][1:]):
        one_year = doc["funds"][t]["total_return"]["1y"]
        assert float(v) == pytest.approx(one_year, abs=1e-6), t
        assert f"{t} {fmt.pct(one_year)}" in desc or (len(doc["tickers"]) == 1 and f"now {t} {fmt.pct(one_year)}" in desc)


@pytest.mark.parametrize("t", ["iwm", "voo"])
def test_fund_page_monthly_heatmap_agrees_with_calendar_years(classic, t):
    site = classic  # as of 31 Jul 2026 (the seven-fund site)
    rows = list(csv.reader((site / f"api/funds/{t}/monthly.csv").read_text().splitlines()))
    years = {r[0].split(" ")[0]: r[1] for r in csv.reader((site / f"api/funds/{t}/years.csv").read_text().splitlines()[1:])}
    assert rows[0] == ["Year", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
                       "Year total"]
    month = int(json.loads((site / f"api/funds/{t}.json").read_text())["as_of"][5:7])  # the page's own date
    assert rows[1][0] == "2026" and rows[1][month + 1:13] == [""] * (12 - month)  # no month after it yet
    for r in rows[1:]:
        months = [float(v) for v in r[1:13] if v]
        assert float(r[13]) == pytest.approx(float(np.prod([1 + v for v in months]) - 1), abs=1e-5), r[0]
        assert float(r[13]) == pytest.approx(float(years[r[0]]), abs=1e-6), r[0]
    html = (site / f"funds/{t}/index.html").read_text()
    table = re.search(r'<table id="monthly".*?</table>', html, re.S).group(0)
    assert 'class="heat-p' in table and 'class="heat-n' in table and ">Year total<" in table


def test_group_page_takeaways_and_faq_come_from_group_facts_and_agree_with_the_json(classic):
    """facts.group_facts finally used (issue 18, item 2): the group page's takeaways and FAQ are its facts, and
    each names the fund the JSON's figures say it should."""
    site = classic  # as of 31 Jul 2026 (the seven-fund site)
    doc = json.loads((site / "api/groups/iwm-spy-qqq.json").read_text())
    funds, tickers = doc["funds"], doc["tickers"]
    by_id = {f["id"]: f for f in doc["facts"]}
    assert doc["takeaways"] == [f["text"] for f in doc["facts"]] and len(doc["takeaways"]) == 4
    for h in ("1y", "5y"):
        r = {t: funds[t]["total_return"][h] for t in tickers}
        fact = by_id[f"return_{h}_leader"]
        assert fact["values"]["leader"] == max(r, key=r.get) and fact["values"]["laggard"] == min(r, key=r.get)
        assert fmt.pct(max(r.values())) in fact["text"] and fmt.pct(min(r.values())) in fact["text"]
    er = {t: funds[t]["expense_ratio"] for t in tickers}
    assert by_id["cheaper_fund"]["values"]["cheaper"] == min(er, key=er.get)
    dd = {t: funds[t]["max_drawdown"]["5y"]["value"] for t in tickers}
    assert by_id["deeper_drawdown_5y"]["values"]["deeper"] == min(dd, key=dd.get)
    questions = [q["question"] for q in doc["faq"]]
    assert questions == ["Which of IWM, SPY and QQQ has performed best?", "Which of IWM, SPY and QQQ is the cheapest "
                         "to own?", "Which fell furthest over the past five years?"]
    html = (site / "compare/iwm-spy-qqq/index.html").read_text()
    for t in doc["takeaways"]:
        assert f"<li>{t}</li>" in html
    assert '<section aria-labelledby="faq-h"' in html and '"FAQPage"' not in html


def test_group_correlation_matrix_is_the_pair_pages_correlation(classic):
    """Issue 18, item 2: the group JSON's matrix sets every fund against every other over 1y and 5y, by the pair
    convention: each cell equals the pair JSON's correlation wherever the site has that pair page (either
    order); the page shows it in two tables (caption, row and column headers, tinted cells) with their CSVs; pair and fund
    pages link to the groups holding their funds; the overlap table has every two funds of the group."""
    site = classic  # as of 31 Jul 2026: IWM, SPY and QQQ, every two of them a pair page too
    doc = json.loads((site / "api/groups/iwm-spy-qqq.json").read_text())
    mx, tickers = doc["correlation_matrix"], doc["tickers"]
    assert mx["tickers"] == tickers and mx["horizons"] == ["1y", "5y"]
    compared = 0
    for h in mx["horizons"]:
        rows = mx["values"][h]
        assert [rows[i][i] for i in range(len(tickers))] == [1.0] * len(tickers)
        for i, a in enumerate(tickers):
            for j, b in enumerate(tickers[i + 1:], start=i + 1):
                assert rows[i][j] == rows[j][i]
                for slug in (pair_slug(a, b), pair_slug(b, a)):
                    if (site / f"api/pairs/{slug}.json").is_file():
                        pair = json.loads((site / f"api/pairs/{slug}.json").read_text())["pair"]
                        assert rows[i][j] == pair["correlation"][h], (a, b, h)
                        compared += 1
        table = list(csv.reader((site / f"api/groups/iwm-spy-qqq/correlation-{h}.csv").read_text().splitlines()))
        assert table[0] == ["Fund", *tickers]
        assert [[float(x) for x in r[1:]] for r in table[1:]] == rows
    assert compared == 2 * 3
    p = page(site, "compare/iwm-spy-qqq/")
    for h in ("1y", "5y"):
        t = next(t for t in p.tables if t["id"] == f"matrix-{h}")
        assert "every fund with every other" in t["caption"] and fmt.date(doc["as_of"]) in t["caption"]
    html = p.text
    assert html.count('<tr><th>IWM<') >= 2 and 'class="corr-' in html  # IWM heads a row of each (auto scope)
    overlap = list(csv.reader((site / "api/groups/iwm-spy-qqq/overlap.csv").read_text().splitlines()))
    assert [r[0] for r in overlap[1:]] == ["IWM and SPY", "IWM and QQQ", "SPY and QQQ"]
    for url in ("qqq-vs-iwm/", "funds/spy/", "funds/iwm/"):
        assert 'href="../compare/iwm-spy-qqq/"' in (site / url / "index.html").read_text().replace(
            'href="../../compare/', 'href="../compare/'), url
    assert "compare/iwm-spy-qqq/" not in (site / "voo-vs-vti/index.html").read_text().split('id="related-h"')[1]

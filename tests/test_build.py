"""End to end: build the default site from the embedded snapshot and check pages and the JSON contract."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from siteutil import classic_site
from versus.cli import main
from versus.pages.base import expand_facts, expand_statements

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ["qqq-vs-iwm", "voo-vs-iwm", "spy-vs-iwm", "spy-vs-qqq", "iwm-vs-scha", "voo-vs-vti", "dia-vs-spy"]
FUNDS = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]
RETURN_KEYS = ["1m", "3m", "6m", "ytd", "1y", "3y", "5y", "10y", "inception"]


@pytest.fixture
def site(classic) -> Path:
    """The seven-fund site: these tests check its figures, dates and pages."""
    return classic


@pytest.fixture
def cfg(classic) -> list[str]:
    """``--config`` of the seven-fund site."""
    return ["--config", str(classic.parent / "site.toml")]


def pair_cfg(tmp_path: Path, pair: tuple[str, str]) -> list[str]:
    """``--config`` of the seven-fund site's options with only ``pair`` (siteutil.classic_site): for the tests
    that build a past date and read that one pair's document."""
    return ["--config", str(classic_site(tmp_path / "project", [pair]))]


def load(site: Path, rel: str) -> dict:
    return json.loads((site / rel).read_text())


def test_every_page_is_written(site):
    assert (site / "index.html").is_file()
    assert (site / "methodology" / "index.html").is_file()
    for slug in PAIRS:
        assert (site / slug / "index.html").is_file(), slug
        assert (site / "api" / "pairs" / f"{slug}.json").is_file(), slug
    for t in FUNDS:
        assert (site / "funds" / t.lower() / "index.html").is_file(), t
        assert (site / "api" / "funds" / f"{t.lower()}.json").is_file(), t
    assert (site / "static" / "vendor" / "vega-bundle.js").is_file()


def test_pair_json_follows_the_contract(site):
    doc = load(site, "api/pairs/qqq-vs-iwm.json")
    assert doc["as_of"] == "2026-08-21"  # QQQ's and IWM's common last close (VOO's data end earlier)
    assert doc["site_as_of"] == "2026-08-21" and doc["behind"] == []
    assert doc["tickers"] == ["QQQ", "IWM"]
    assert doc["risk_free_rate"] == 0.0
    for t in doc["tickers"]:
        f = doc["funds"][t]
        assert list(f["total_return"]) == RETURN_KEYS or set(f["total_return"]) == set(RETURN_KEYS)
        assert set(f["cagr"]) == {"3y", "5y", "10y", "inception"}
        assert set(f["volatility"]) == set(f["sharpe"]) == set(f["sortino"]) == {"1y", "3y", "5y"}
        assert set(f["max_drawdown"]) == {"1y", "3y", "5y", "10y"}
        assert set(f["growth_of_1000"]) == {"1y", "3y", "5y", "10y"}
        for h in ("1y", "3y", "5y", "10y"):
            dd = f["max_drawdown"][h]
            assert set(dd) == {"value", "peak", "trough", "recovery"}
            assert -1 <= dd["value"] <= 0
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dd["peak"]) and dd["peak"] <= dd["trough"]
            assert f["growth_of_1000"][h] == pytest.approx(1000 * (1 + f["total_return"][h]), abs=1e-3)
        for key in ("dividend_yield_ttm", "expense_ratio", "dividend_yield_published", "inception", "name"):
            assert key in f
        # issue 17: what does not depend on the pair is in the fund's own document, linked as ``api``
        assert f["api"] == f"api/funds/{t.lower()}.json" and (site / f["api"]).is_file()
        assert not set(f) & {"sources", "issuer", "index", "aum", "holdings_count", "category", "asset_class"}
        own = load(site, f["api"])["funds"][t]
        assert own["as_of"] == f["as_of"] and own["total_return"] == f["total_return"]  # both to 21 Aug 2026
        assert set(f["null_reasons"]) <= set(own["null_reasons"])
        assert 0 < f["expense_ratio"] < 0.01  # a fraction, not percent points
        assert 0 < f["dividend_yield_ttm"] < 0.05
        assert f["inception"] == {"QQQ": "1999-03-10", "IWM": "2000-05-26"}[t]
    assert set(doc["pair"]["correlation"]) == set(doc["pair"]["beta"]) == {"90d", "1y", "3y", "5y"}
    assert all(-1 <= v <= 1 for v in doc["pair"]["correlation"].values())
    assert [f["id"] for f in doc["facts"]][:2] == ["return_1y_leader", "return_5y_leader"]
    # issue 17: compact facts (README, "API"): a takeaway's text is referred to (at), values from pair objects too
    assert all(set(f) in ({"id", "text", "values", "claims"}, {"id", "at", "values", "claims"}) for f in doc["facts"])
    assert any("at" in f for f in doc["facts"]) and any("from" in f["values"] for f in doc["facts"])
    written = expand_facts(doc)
    assert all(set(f) == {"id", "text", "values", "claims"} and "from" not in f["values"] for f in written)
    lead_lag = next(f for f in written if f["id"] == "lead_lag")
    assert {k: lead_lag["values"][k] for k in doc["pair"]["lead_lag"]} == doc["pair"]["lead_lag"]
    assert all(c["values"] == {t: doc["funds"][t]["total_return"]["1y"] for t in c["refs"]}
               for c in written[0]["claims"] if c["kind"] == "compare")
    assert {st["where"] for st in doc["statements"]} >= {"summary", "takeaway", "faq", "chart:growth"}
    # issue 17: compact statements, a text or claim the document holds is referred to (README, "API")
    assert all(set(st) <= {"where", "text", "at", "span", "facts", "claims"} and ("text" in st) != ("at" in st)
               for st in doc["statements"])
    assert all("text" not in st for st in doc["statements"] if st["where"] in ("summary", "takeaway", "faq"))
    full = expand_statements(doc)
    assert all(set(st) == {"where", "text", "facts", "claims"} for st in full)
    assert [st["text"] for st in full if st["where"] == "takeaway"] == doc["takeaways"]
    assert [st["text"] for st in full if st["where"] == "faq"] == [q["answer"] for q in doc["faq"]]
    assert " ".join(st["text"] for st in full if st["where"] == "summary") == doc["summary"]
    facts = {f["id"]: f for f in written}
    for st in full:
        if st["where"] == "takeaway":
            assert st["claims"] == facts[st["facts"][0]]["claims"]
        if st["where"] == "summary":  # the facts' claims, the lead left out: the summary does not state it
            assert all("lead" not in c for c in st["claims"]) and st["claims"]


SOURCE_KEYS = {"as_of", "source", "source_id", "url", "note", "observed_after_as_of", "old"}


def test_fund_facts_carry_their_observation(site):
    """Every fund fact in the JSON has its observation in ``sources``: date, readable source, link, flags (in the
    fund's own document, which a pair's links: issue 17)."""
    for slug in PAIRS:
        doc = load(site, f"api/pairs/{slug}.json")
        for t in doc["funds"]:
            f = load(site, doc["funds"][t]["api"])["funds"][t]
            for key in ("expense_ratio", "aum", "holdings_count", "issuer", "index", "dividend_yield_published"):
                if f[key] is None:
                    assert f["null_reasons"][key].startswith("not on file"), (t, key)
                    assert key not in f["sources"]
                    continue
                src = f["sources"][key]
                assert set(src) == SOURCE_KEYS, (t, key)
                assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", src["as_of"])
                assert src["source"] and "@" not in src["source"] and ".json" not in src["source"]
                assert src["old"] is (src["as_of"] < "2025-07")  # 12 months before 2026-07-31
            for key in ("sector_weights", "top_holdings"):
                if key in f["sources"]:
                    assert SOURCE_KEYS <= set(f["sources"][key])
            assert f["sources"].get("sector_weights", {}).get("taxonomy", "gics") in ("gics", "morningstar")
            assert f["category"]["id"] and f["asset_class"] == "equity"
    qqq = load(site, "api/funds/qqq.json")["funds"]["QQQ"]
    assert qqq["expense_ratio"] == 0.0018 and qqq["aum"] == 395e9  # the latest observation by 2026-07-31
    assert qqq["sources"]["expense_ratio"]["as_of"] == "2026-04"
    assert qqq["category"] == {"id": "us-large-growth", "name": "US large-cap growth", "benchmark": "QQQ"}


def test_pages_show_each_facts_date_as_text(site):
    """The observation date is text in the cell, not only a tooltip (phones have no hover); old facts say so."""
    page = (site / "iwm-vs-scha" / "index.html").read_text()
    table = re.search(r'<table id="profile".*?</table>.*?<ol class="sources".*?</ol>', page, re.S).group(0)
    cells = re.findall(r"<td>(.*?)(?=<td|<tr|</table>)", table, re.S)  # no </td> or </tr>: optional (issue 17)
    dated = [c for c in cells if 'class="detail' in c and "<sup>" in c]
    assert len(dated) >= 10
    assert any("spring 2026" in c for c in dated) and any("29 Aug 2022, over a year old" in c for c in dated)
    assert 'class="detail old"' in table
    assert "title=" not in "".join(dated)
    assert "ETF comparison articles and guides, Jan–May 2026" in table
    assert 'href="https://github.com/jmaslek/etf_scraper' in table  # the public link of a source
    assert "@" not in table and ".json" not in table  # a source's name, never a repository path


def test_as_of_25_jan_2026_shows_the_facts_of_that_day(tmp_path):
    from siteutil import small_site

    out = tmp_path / "s"
    cfg = small_site(tmp_path / "p", (("QQQ", "IWM"),))
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", "2026-01-25", "--quiet"]) == 0
    doc = load(out, "api/pairs/qqq-vs-iwm.json")
    assert doc["as_of"] == "2026-01-23"  # a Sunday: the prices of Friday, the facts known on the 25th
    q, i = (load(out, doc["funds"][t]["api"])["funds"][t] for t in ("QQQ", "IWM"))
    assert q["as_of"] == doc["funds"]["QQQ"]["as_of"] and doc["funds"]["QQQ"]["expense_ratio"] == 0.002
    assert (q["expense_ratio"], q["aum"]) == (0.002, 406.2e9)
    assert (i["aum"], i["holdings_count"]) == (78.41e9, 1956)
    assert q["sources"]["aum"]["as_of"] == "2026-01-25" and not q["sources"]["aum"]["observed_after_as_of"]
    page = (out / "qqq-vs-iwm" / "index.html").read_text()
    for text in ("0.20%", "$406.2B", "$78.41B", "1,956", "25 Jan 2026"):
        assert text in page, text
    early = tmp_path / "early"
    assert main(["--config", str(cfg), "--out", str(early), "--as-of", "2015-06-30", "--quiet"]) == 0
    q = load(early, "api/funds/qqq.json")["funds"]["QQQ"]
    assert q["sources"]["expense_ratio"] == {**q["sources"]["expense_ratio"], "as_of": "2022-08-29",
                                             "observed_after_as_of": True, "old": False}
    assert "observed 29 Aug 2022, after this date" in (early / "qqq-vs-iwm" / "index.html").read_text()


def test_null_has_a_reason_never_a_shorter_window(site):
    # VOO's prices start 2010-09-09: a 10-year figure exists as of 2026-07-31 ...
    voo = load(site, "api/pairs/voo-vs-vti.json")["funds"]["VOO"]
    assert voo["total_return"]["10y"] is not None
    # ... and SCHA has no unadjusted close, so its trailing yield is null with a reason.
    scha = load(site, "api/pairs/iwm-vs-scha.json")["funds"]["SCHA"]
    assert scha["dividend_yield_ttm"] is None
    assert "unadjusted close" in scha["null_reasons"]["dividend_yield_ttm"]


def test_younger_fund_gets_nulls_with_reasons(tmp_path):
    out = tmp_path / "s"
    assert main([*pair_cfg(tmp_path, ("VOO", "IWM")), "--out", str(out), "--as-of", "2015-06-30", "--quiet"]) == 0
    voo = load(out, "api/pairs/voo-vs-iwm.json")["funds"]["VOO"]
    assert voo["total_return"]["5y"] is None and voo["cagr"]["5y"] is None and voo["max_drawdown"]["5y"] is None
    assert "2010-09-09" in voo["null_reasons"]["total_return.5y"]
    assert voo["total_return"]["3y"] is not None
    pair = load(out, "api/pairs/voo-vs-iwm.json")["pair"]
    assert pair["correlation"]["5y"] is None and "5y" in pair["null_reasons"]["correlation.5y"]


def test_pair_page_shows_tables_charts_summary_and_as_of(site):
    html = (site / "qqq-vs-iwm" / "index.html").read_text()
    doc = load(site, "api/pairs/qqq-vs-iwm.json")
    assert "<h1>QQQ vs IWM</h1>" in html
    assert 'datetime="2026-08-21"' in html
    for table in ('id="profile"', 'id="returns"', 'id="risk"', 'id="together"'):
        assert table in html
    assert html.count('class="chart"') >= 2 and 'id="growth"' in html and 'id="drawdown"' in html
    assert doc["summary"] in html.replace("&#39;", "'")
    assert "cdn" not in html.lower()
    assert html.count("vega-bundle.js") == 1
    # the time series come from each fund's shared series (issue 17), not from the page
    page = json.loads(re.search(r'id="chart-page">(.*?)</script>', html).group(1))
    assert "growth" in page["charts"] and "drawdown" in page["charts"]  # recipes of the shared specs (static/specs/)
    assert page["data"]["s"] == {} and page["data"]["d"]["steps"] == []
    assert page["data"]["f"] == {"QQQ": "../api/funds/qqq/series.csv", "IWM": "../api/funds/iwm/series.csv"}


def test_sitemap_lists_every_page_with_as_of(site):
    xml = (site / "sitemap.xml").read_text()
    groups = 1
    categories = json.loads((site / "api/index.json").read_text())["categories"]  # one page per category shown
    assert categories and all((site / c[len("api/"):-len(".json")].replace("categories/", "category/")).is_dir()
                              for c in categories)
    assert xml.count("<url>") == 1 + 1 + 1 + len(PAIRS) + len(FUNDS) + groups + len(categories)  # index, methodology, compare
    dates = json.loads((site / "build.json").read_text())["pages"]  # each page's own date
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    got = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in ET.fromstring(xml).findall("s:url", ns)}
    assert got == {f"https://versus.example.org{url}": day for url, day in dates.items()}


def test_building_twice_gives_identical_files(site, tmp_path, cfg):
    again = tmp_path / "again"
    assert main([*cfg, "--out", str(again), "--quiet"]) == 0
    a = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    b = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_as_of_reproduces_qqq_2021_2022_drawdown(tmp_path):
    out = tmp_path / "s"
    assert main([*pair_cfg(tmp_path, ("QQQ", "IWM")), "--out", str(out), "--as-of", "2026-01-23", "--quiet"]) == 0
    doc = load(out, "api/pairs/qqq-vs-iwm.json")
    assert doc["as_of"] == "2026-01-23"
    dd = doc["funds"]["QQQ"]["max_drawdown"]["5y"]
    assert dd["peak"].startswith("2021-") and dd["trough"].startswith("2022-")
    assert dd["value"] < -0.30
    assert dd["recovery"] is not None and dd["recovery"] > dd["trough"]


def test_as_of_weeks_after_the_youngest_fund_starts(tmp_path, cfg):
    # VOO has five weeks of history: almost every window is null, and the build must still succeed.
    out = tmp_path / "s"
    assert main([*cfg, "--out", str(out), "--as-of", "2010-10-15", "--quiet"]) == 0
    voo = load(out, "api/pairs/voo-vs-iwm.json")["funds"]["VOO"]
    assert voo["total_return"]["1m"] is not None and voo["total_return"]["3m"] is None


def test_as_of_ignores_later_data(tmp_path):
    cfg = pair_cfg(tmp_path, ("SPY", "QQQ"))
    a, b = tmp_path / "a", tmp_path / "b"
    assert main([*cfg, "--out", str(a), "--as-of", "2024-06-28", "--quiet"]) == 0
    assert main([*cfg, "--out", str(b), "--as-of", "2024-06-30", "--quiet"]) == 0  # a Sunday: previous close
    da, db = load(a, "api/pairs/spy-vs-qqq.json"), load(b, "api/pairs/spy-vs-qqq.json")
    assert da["as_of"] == db["as_of"] == "2024-06-28"
    assert da["funds"] == db["funds"]


def test_build_json_records_the_commit_of_the_sites_folder(default_site):
    """build.json names the git commit of the folder holding site.toml (here the repository), or null."""
    import subprocess

    doc = json.loads((default_site / "build.json").read_text())
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    assert doc["commit"] == (head.stdout.strip() if head.returncode == 0 else None)


PER_FUND_CSVS = ("profile", "fees", "sectors", "growth", "drawdown", "rolling_return", "volatility")


def test_a_pair_writes_only_its_own_csvs_and_links_the_funds(site):
    """Issue 17: a pair's table of one fund's data links that fund's CSV (the fund page writes it); the pair's folder
    holds only the pair's own tables. As of both funds' own date, the risk and market tables link the funds' too;
    a pair held back by a fund whose prices end earlier measures them to its own date and writes its own."""
    import re as _re

    for slug in PAIRS:
        doc = load(site, f"api/pairs/{slug}.json")
        names = {p.stem for p in (site / "api/pairs" / slug).glob("*.csv")}
        assert not names & set(PER_FUND_CSVS) and not any(n.startswith("top10-") for n in names), (slug, names)
        assert {"returns", "together", "stats90", "relative", "correlation"} <= names, slug
        html = (site / slug / "index.html").read_text()
        for t in doc["tickers"]:
            assert f'href="../api/funds/{t.lower()}/profile.csv"' in html and \
                f'href="../api/funds/{t.lower()}/fees.csv"' in html, (slug, t)
        own = all(load(site, doc["funds"][t]["api"])["as_of"] == doc["as_of"] for t in doc["tickers"])
        # an "X vs SPY" pair shows no market table (its together table gives X's beta on and correlation with SPY)
        market = doc["tickers"][1] != "SPY"
        assert ("risk" in names) == (not own) and ("market" in names) == (not own and market), slug
        assert ('id="market"' in html) == market, slug
        for href in _re.findall(r'href="\.\./(api/[^"]+\.csv)"', html):
            assert (site / href).is_file(), (slug, href)

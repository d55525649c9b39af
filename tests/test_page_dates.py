"""Each page is as of its own funds' common last close (issues 13.3 and 14.3).

The default snapshot has QQQ, IWM and SPY to 21 Aug 2026, DIA to 20 Aug and VOO, VTI and SCHA to 31 Jul.
A fund whose prices end early holds back only the pages it is on; on those, both funds are measured to
the same day, so no figure or sentence sets one fund's August against the other's July."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest

from versus import fmt
from siteutil import classic_site
from versus.cli import main
from versus.sources.snapshot import SnapshotSource
from versus.pages.base import expand_facts


def load(site: Path, rel: str) -> dict:
    return json.loads((site / rel).read_text())


DATES = {"/qqq-vs-iwm/": "2026-08-21", "/spy-vs-iwm/": "2026-08-21", "/spy-vs-qqq/": "2026-08-21",
         "/dia-vs-spy/": "2026-08-20", "/voo-vs-iwm/": "2026-07-31", "/iwm-vs-scha/": "2026-07-31",
         "/voo-vs-vti/": "2026-07-31", "/compare/iwm-spy-qqq/": "2026-08-21", "/funds/qqq/": "2026-08-21",
         "/funds/dia/": "2026-08-20", "/funds/scha/": "2026-07-31", "/": "2026-08-21", "/methodology/": "2026-08-21"}


def test_each_page_has_its_own_date_and_build_json_lists_them(site):
    doc = load(site, "build.json")
    assert doc["as_of"] == "2026-08-21"  # the latest close in the data: the other pages are not held back
    for url, day in DATES.items():
        assert doc["pages"][url] == day, url
        if url.count("/") > 1 and not url.startswith("/methodology"):
            api = {"/funds/": "api/funds/", "/compare/": "api/groups/"}
            rel = next((v + url.split("/")[-2] for k, v in api.items() if url.startswith(k)),
                       "api/pairs/" + url.strip("/")) + ".json"
            assert load(site, rel)["as_of"] == day, rel
    assert doc["funds"]["SCHA"] == {"first": "2009-11-03", "last": "2026-07-31", "stale": True}
    assert doc["funds"]["QQQ"]["last"] == "2026-08-21" and doc["funds"]["QQQ"]["stale"] is False


def test_a_pair_with_a_stale_fund_measures_both_to_their_common_date(site):
    """At 2026-08-21 the page once said 'IWM outperformed SCHA over five years, 48.1% against 41.9%' (IWM to
    21 Aug, SCHA to 31 Jul); to their common date SCHA led, 41.9% against 40.2%."""
    doc = load(site, "api/pairs/iwm-vs-scha.json")
    assert doc["as_of"] == "2026-07-31" and doc["behind"] == ["SCHA"] and doc["site_as_of"] == "2026-08-21"
    md = SnapshotSource().load(["IWM", "SCHA"])
    end = pd.Timestamp("2026-07-31")
    for t in ("IWM", "SCHA"):
        s = md.adj_close[t].dropna()
        start = s.loc[: end - pd.DateOffset(years=5)].iloc[-1]
        assert doc["funds"][t]["total_return"]["5y"] == pytest.approx(s.loc[end] / start - 1, abs=1e-8)
        assert doc["funds"][t]["as_of"] == "2026-07-31"
    assert doc["funds"]["IWM"]["prices_end"] == "2026-08-21"  # its own data go further
    five = next(f for f in expand_facts(doc) if f["id"] == "return_5y_leader")  # published compact (issue 17)
    assert five["values"]["leader"] == "SCHA" and "41.9% against 40.2%" in five["text"]
    # the same IWM on QQQ-IWM is measured to 21 Aug
    assert load(site, "api/pairs/qqq-vs-iwm.json")["funds"]["IWM"]["total_return"]["5y"] == pytest.approx(
        0.4810, abs=5e-4)


def test_the_page_says_which_fund_holds_it_back(site):
    page = html.unescape((site / "iwm-vs-scha/index.html").read_text())
    assert 'datetime="2026-07-31"' in page
    assert ("This page is as of 31 Jul 2026, the last close all of its funds have: prices for SCHA end before the "
            "site's latest close (21 Aug 2026), so every figure and sentence here measures both funds to 31 Jul "
            "2026.") in page
    assert "DIA" not in page.split('role="alert"')[1][:300]
    current = html.unescape((site / "qqq-vs-iwm/index.html").read_text())
    assert 'datetime="2026-08-21"' in current and "This page is as of" not in current
    assert "VOO, VTI, SCHA: prices end" not in current  # other funds' notes stay on their own pages


def test_the_index_shows_each_pages_date(site):
    page = html.unescape((site / "index.html").read_text())
    rows = {r[0]: r for r in (line.split(",") for line in (site / "api/index/pairs.csv").read_text().splitlines())}
    assert rows["IWM vs SCHA"][-1] == "2026-07-31" and rows["QQQ vs IWM"][-1] == "2026-08-21"
    assert rows["DIA vs SPY"][-1] == "2026-08-20"
    assert fmt.date("2026-07-31") in page and fmt.date("2026-08-20") in page


def test_an_explicit_date_holds_back_only_the_stale_funds_pages(tmp_path):
    out = tmp_path / "site"  # the seven-fund site: the stale funds are the same, the build ten times smaller
    assert main(["--config", str(classic_site(tmp_path)), "--out", str(out), "--as-of", "2026-08-14", "--quiet"]) == 0
    doc = load(out, "build.json")
    assert doc["as_of"] == "2026-08-14"
    assert doc["pages"]["/qqq-vs-iwm/"] == "2026-08-14" and doc["pages"]["/dia-vs-spy/"] == "2026-08-14"
    assert doc["pages"]["/voo-vs-vti/"] == "2026-07-31"
    assert load(out, "api/pairs/voo-vs-iwm.json")["funds"]["IWM"]["as_of"] == "2026-07-31"

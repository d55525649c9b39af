"""The whole embedded universe: every fund of data/funds.toml is in the snapshot, loads and builds.

The default site.toml lists a few funds; this builds a site listing every fund of funds.toml (with a
handful of pairs, to stay fast) and checks what the funds of every asset class show: categories, dated
facts, sectors and holdings only where they apply, and a trailing yield only where the dividend list is
complete.  Nothing here depends on how many funds there are.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from versus import analysis
from versus.cli import main
from versus.data.funds import load_funds
from versus.sources.snapshot import SnapshotSource

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [["BND", "AGG"], ["GLD", "IAU"], ["IWM", "SCHA"], ["TLT", "IEF"]]


@pytest.fixture(scope="module")
def universe(tmp_path_factory):
    funds = load_funds()
    tmp = tmp_path_factory.mktemp("universe")
    cfg = tmp / "site.toml"
    cfg.write_text('title = "all"\ndescription = "d"\nbase_url = "https://example.org/"\n'
                   f"funds = {json.dumps(list(funds))}\npairs = {json.dumps(PAIRS)}\n")
    out = tmp / "site"
    assert main(["--config", str(cfg), "--out", str(out), "--quiet"]) == 0
    return funds, out


def test_snapshot_holds_every_fund_with_its_provenance():
    funds = load_funds()
    md = SnapshotSource().load(list(funds))
    assert set(md.adj_close.columns) == set(funds)
    sources = (ROOT / "data" / "snapshot" / "SOURCES.md").read_text()
    for t in funds:
        assert re.search(rf"^\| {t} \| \d{{4}}-\d{{2}}-\d{{2}} \.\. ", sources, re.M), t
        assert md.adj_close[t].dropna().index[0] == md.adj_close[t].first_valid_index()
    # the seven first funds are unchanged: spot checks of values written in the old snapshot's tests
    assert md.adj_close["QQQ"].first_valid_index() == pd.Timestamp("1999-03-10")
    assert md.adj_close["DIA"].last_valid_index() == pd.Timestamp("2026-08-20")
    assert md.close["SCHA"].isna().all() and md.close["VTI"].loc["2026-06-01":].isna().all()


def test_every_fund_builds_with_its_category_and_dated_facts(universe):
    funds, out = universe
    for t, record in funds.items():
        f = json.loads((out / "api" / "funds" / f"{t.lower()}.json").read_text())["funds"][t]
        cat = funds.categories[record.category]
        assert f["category"]["id"] == cat.id and f["asset_class"] == cat.asset_class
        assert f["total_return"]["1y"] is not None, t  # total returns never need the unadjusted close
        for key, src in f["sources"].items():
            assert src["source"] in {s.name for s in funds.sources.values()}, (t, key)
        for key in ("expense_ratio", "issuer", "index"):
            assert f[key] is not None or f["null_reasons"][key].startswith("not on file"), (t, key)
        assert (out / "funds" / t.lower() / "index.html").is_file()


def test_sectors_and_holdings_only_where_they_apply(universe):
    funds, out = universe
    for t, record in funds.items():
        page = (out / "funds" / t.lower() / "index.html").read_text()
        ac = funds.categories[record.category].asset_class
        if ac in ("bonds", "commodity", "cash"):
            assert 'id="sectors"' not in page and "No sector breakdown" not in page, t
        if ac == "commodity":
            assert "largest holdings" not in page and "No list of holdings" not in page, t
    pair = (out / "bnd-vs-agg" / "index.html").read_text()
    assert "No sector breakdown" not in pair and 'id="sectors"' not in pair
    assert "concentrat" not in json.loads((out / "api/pairs/gld-vs-iau.json").read_text())["summary"]


def test_trailing_yield_needs_a_complete_dividend_list(universe):
    funds, out = universe
    seen = 0
    for t in funds:
        f = json.loads((out / "api" / "funds" / f"{t.lower()}.json").read_text())["funds"][t]
        reason = f["null_reasons"].get("dividend_yield_ttm", "")
        if "so the dividends paid in the past year are not all known" in reason:
            seen += 1
            assert f["dividend_yield_ttm"] is None
    assert seen >= 3
    ief = json.loads((out / "api/funds/ief.json").read_text())["funds"]["IEF"]
    assert ief["dividend_yield_ttm"] is None and "no unadjusted close from 2025-" in ief["null_reasons"]["dividend_yield_ttm"]
    jepi = json.loads((out / "api/funds/jepi.json").read_text())["funds"]["JEPI"]
    assert 0.03 < jepi["dividend_yield_ttm"] < 0.15  # complete list: computed


def test_close_gap_in_the_yield_window():
    days = pd.bdate_range("2025-01-01", "2026-06-30")
    adj = pd.Series(np.linspace(100, 110, len(days)), index=days)
    close = adj.copy()
    end = days[-1]
    assert analysis.funds._close_gap(adj, close, end) is None
    close.iloc[-30:-25] = np.nan  # 5 trading days: tolerated (a single blanked day is common in the data)
    assert analysis.funds._close_gap(adj, close, end) is None
    close.iloc[-100:-80] = np.nan
    assert analysis.funds._close_gap(adj, close, end) == (days[-100], days[-81])
    close = adj.copy()
    close.iloc[:-300] = np.nan  # a gap before the window does not matter
    assert analysis.funds._close_gap(adj, close, end) is None

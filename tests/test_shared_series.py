"""Issue 17: each fund's daily series is published once, shared by every page that draws the fund
(``api/funds/<ticker>/series.csv``, the fund's download and the contract the in-browser charts and comparison
read), and pages stay small."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from siteutil import CLASSIC_SITE_TOML, ROOT

FUNDS = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]


@pytest.fixture(scope="module")
def prices() -> pd.DataFrame:
    p = pd.read_parquet(ROOT / "data/snapshot/prices.parquet")
    p["date"] = pd.to_datetime(p["date"])
    return p


def test_classic_funds_listed():
    assert all(f'"{t}"' in CLASSIC_SITE_TOML for t in FUNDS)


@pytest.mark.parametrize("t", FUNDS)
def test_series_csv_once_per_fund(classic, prices, t):
    """The fund's whole daily history up to its last close (its fund document's ``prices_end``), every float its
    repr (full precision, read back exactly), an empty close where none is on file, one file per fund."""
    build = json.loads((classic / "build.json").read_text())
    fund = json.loads((classic / f"api/funds/{t.lower()}.json").read_text())
    assert fund["series"] == f"api/funds/{t.lower()}/series.csv"  # the fund's document links its daily series
    lines = (classic / f"api/funds/{t.lower()}/series.csv").read_text().split("\n")
    assert lines[0] == "date,adj_close,close" and lines[-1] == ""  # one line a day, each ended by a newline
    rows = [line.split(",") for line in lines[1:-1]]
    assert len(rows) > 1000 and all(len(r) == 3 for r in rows)
    dates = [r[0] for r in rows]
    assert dates == sorted(set(dates)) and dates[-1] == fund["funds"][t]["prices_end"] <= build["as_of"]
    adj = [float(r[1]) for r in rows]
    close = [None if r[2] == "" else float(r[2]) for r in rows]
    assert all(math.isfinite(v) for v in adj) and all(v is None or math.isfinite(v) for v in close)
    assert [r[1] for r in rows] == [repr(v) for v in adj]  # the shortest text of each double
    assert [r[2] for r in rows] == ["" if v is None else repr(v) for v in close]
    mine = prices[(prices.ticker == t) & (prices.date <= pd.Timestamp(build["as_of"]))].dropna(subset=["adj_close"])
    assert dates == [d.date().isoformat() for d in mine.date]
    assert adj == mine.adj_close.tolist()  # exact
    assert close == [None if v != v else v for v in mine.close.tolist()]


def test_series_files_not_copied_per_page(classic):
    """No other file under the site is a copy of a fund's series; ``series.json`` (the same numbers as JSON) is no
    longer published, nor a fund page's weekly copies of its charts' points (``<chart>-series.csv``): its charts
    link the fund's ``series.csv``."""
    names = [p for p in classic.rglob("series.csv")]
    assert sorted(p.parent.name for p in names) == sorted(t.lower() for t in FUNDS)
    assert all(p.parent.parent == classic / "api/funds" for p in names)
    assert not list(classic.rglob("series.json")) and not list(classic.rglob("*-series.csv"))
    for t in FUNDS:
        html = (classic / f"funds/{t.lower()}/index.html").read_text()
        link = f'href="../../api/funds/{t.lower()}/series.csv" download>{t} CSV'
        assert html.count(link) == 3, t  # price, drawdown and rolling return
        dataset = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert f"api/funds/{t.lower()}/series.csv" in json.dumps(dataset), t  # a download of the fund's Dataset


def _pair_bytes(site: Path) -> dict[str, int]:
    """Everything each pair adds to the site: its page folder (page, static SVGs, card), its API document and its
    folder of CSVs (the same count as bench/synthetic_build.site_bytes)."""
    out = {}
    for doc in sorted((site / "api/pairs").glob("*.json")):
        slug = doc.stem
        files = [doc, *(site / slug).rglob("*"), *(site / "api/pairs" / slug).rglob("*")]
        out[slug] = sum(f.stat().st_size for f in files if f.is_file())
    return out


def test_pair_pages_read_the_shared_fund_series_and_copy_none(site):
    """Every pair page names its funds' series.csv (relative to the page) and no per-pair copy of a fund series
    is written (the per-point CSVs of the growth, drawdown, rolling return and volatility charts are gone)."""
    cfg_pairs = sorted(p.stem for p in (site / "api/pairs").glob("*.json"))
    assert cfg_pairs
    for slug in cfg_pairs:
        html = (site / slug / "index.html").read_text()
        data = json.loads(re.search(r'<script type="application/json" id="chart-page">(.*?)</script>', html,
                                    re.S).group(1))["data"]
        a, b = (json.loads((site / f"api/pairs/{slug}.json").read_text()))["tickers"]
        assert data["f"] == {a: f"../api/funds/{a.lower()}/series.csv", b: f"../api/funds/{b.lower()}/series.csv"}
        assert all((site / slug / url).resolve().is_file() for url in data["f"].values())
        assert data["s"] == {}
        assert not list((site / "api/pairs" / slug).glob("*-series.csv"))


def test_bytes_per_pair_shrank(site):
    """Issue 17: each pair of the default site adds well under the ~650 KB it did (page, SVGs, RGBA card and 22
    API files, most of them copies of per-fund series)."""
    sizes = _pair_bytes(site)
    assert sizes and max(sizes.values()) <= 250_000, max(sizes.items(), key=lambda kv: kv[1])


def test_bytes_per_pair_within_the_issue_17_budget(site):
    """Issue 17's budget: every pair of the default site adds at most 100 KB (page, SVG fallbacks, card, API
    document and CSVs)."""
    sizes = _pair_bytes(site)
    assert max(sizes.values()) <= 100_000

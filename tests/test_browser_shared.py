"""Issue 17: pair and group pages draw their time-series charts in the browser from each fund's shared
series (``api/funds/<t>/series.csv``, the fund's download), not from per-page copies.  In Chromium: every chart is drawn, the
funds' series are the only data fetched, and each derived dataset (static/site.js ``derive``) equals the
same numbers computed in Python from the same file (versus.analysis.series + versus.charts.data.resample).
Skipped only when /usr/bin/chromium is missing (``.ci/run`` installs it)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from siteutil import CHROMIUM, NO_CHROMIUM, fund_series
from versus.analysis import series as an
from versus.charts.data import resample

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)
# QQQ vs IWM from 2000; IWM vs SCHA from SCHA's start (2009); VOO vs VTI ends 31 Jul (VOO's last close); a group
PAGES = ["qqq-vs-iwm/", "iwm-vs-scha/", "voo-vs-vti/", "compare/iwm-spy-qqq/"]


@pytest.fixture(scope="module")
def served(classic, classic_url):
    """The seven-fund site and its URL (the session's server and browser: tests/conftest.py)."""
    return classic, classic_url


def _python_datasets(site: Path, data: dict) -> dict[str, pd.DataFrame]:
    """What the page's derived datasets must hold, computed in Python from the published series files."""
    tickers = list(data["f"])
    adj = pd.DataFrame({t: fund_series(site, t).adj_close for t in tickers})
    w = data["w"]
    joint = adj[tickers].dropna().loc[w["start"]: w["end"]]
    c = an.comparison(joint, tickers)
    out = {"growth": resample(c.growth), "drawdown": resample(c.drawdown, "min"),
           "rolling_return": resample(c.rolling.frame), "correlation": resample(c.correlation),
           "volatility": resample(c.volatility)}
    for o, rel in c.relative.items():
        key = "relative" if len(tickers) == 2 else f"relative-{o.lower()}"
        out[key] = resample(pd.DataFrame({f"{tickers[0]}/{o}": rel.ratio, "200-day average": rel.average}))
    return out


@pytest.mark.parametrize("path", PAGES)
def test_charts_drawn_from_the_shared_fund_series(served, browser, path):
    site, base = served
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors, fetched = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: (r.status >= 400 and errors.append(f"HTTP {r.status} {r.url}"),
                                   r.request.resource_type == "fetch" and fetched.append(r.url[len(base):])))
    try:
        page.goto(base + path, wait_until="load")
        data = json.loads(page.locator("#chart-page").text_content())["data"]
        tickers = list(data["f"])
        # the page carries no time series of its own: each comes from a fund's file
        assert data["s"] == {} and set(data["x"]) >= {"growth", "drawdown", "correlation", "volatility"}
        for i in range(page.locator(".chart").count()):
            page.locator(".chart").nth(i).scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelectorAll('.chart:not(.drawn)').length === 0", timeout=30000)
        assert errors == []
        # the funds' series, once each, and the shared chart templates of the page's charts and the theme, once each
        kinds = {r["k"] for key, r in json.loads(page.locator("#chart-page").text_content())["charts"].items()
                 if page.locator(f'.chart[data-spec="{key}"]').count()}
        assert sorted(fetched) == sorted([f"api/funds/{t.lower()}/series.csv" for t in tickers]
                                         + [f"static/specs/{k}.json" for k in kinds | {"theme"}])
        got = page.evaluate("""(names) => Object.fromEntries(names.map(n => {
            const el = Array.from(document.querySelectorAll('.chart')).find(e => e._view &&
                e._view.view.getState({data: v => v === n, signals: () => false}).data[n]);
            return [n, el ? el._view.view.data(n).map(r => Object.assign({}, r, {d: r.d})) : null];
        }))""", list(data["x"]))
    finally:
        ctx.close()
    want = _python_datasets(site, data)
    for name, frame in want.items():
        rows = got.get(name)
        if frame.dropna(how="all").empty:
            continue
        assert rows, f"{path}: no chart draws {name}"
        frame = frame.dropna(how="all")
        assert [r["d"] for r in rows] == [d.date().isoformat() for d in frame.index], name
        for col in frame.columns:
            js = np.array([r.get(col, np.nan) for r in rows], dtype=float)
            py = frame[col].to_numpy(dtype=float)
            assert np.array_equal(np.isnan(js), np.isnan(py)), (name, col)
            np.testing.assert_allclose(js[~np.isnan(js)], py[~np.isnan(py)], rtol=1e-9, atol=1e-12,
                                       err_msg=f"{path} {name} {col}")


def test_pair_page_without_javascript_shows_static_charts(served, browser):
    site, base = served
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(base + PAGES[0], wait_until="load")
        imgs = page.evaluate("() => Array.from(document.querySelectorAll('.chart img')).map(i => [i.getAttribute('src'), i.naturalWidth])")
    finally:
        ctx.close()
    assert len(imgs) >= 8 and all(w > 0 for _, w in imgs), imgs


def test_browser_reads_each_fund_series_exactly(served, browser):
    """static/site.js reads a fund's series.csv back to the very doubles Python wrote (each float's repr): every
    date and adjusted close of every fund, compared exactly (what /compare/ computes from too)."""
    site, base = served
    tickers = [p.name.upper() for p in sorted((site / "api/funds").iterdir()) if (p / "series.csv").is_file()]
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        page.goto(base + PAGES[0], wait_until="load")
        got = page.evaluate("""(urls) => Promise.all(urls.map(u => window.versusFundSeries(u)))""",
                            [f"../api/funds/{t.lower()}/series.csv" for t in tickers])
    finally:
        ctx.close()
    assert len(got) == len(tickers) >= 7
    for t, doc in zip(tickers, got):
        want = fund_series(site, t)
        assert doc["dates"] == [d.date().isoformat() for d in want.index], t
        assert doc["adj_close"] == want.adj_close.tolist(), t  # exact, not within a tolerance

"""Issue 17, item 5: /compare/, any two funds computed in the browser (static/compare.js) from the published
per-fund series, in Debian Chromium (Playwright), on the default site served over HTTP.

- every published pair of the default site, picked in one page session: each figure cell (``data-key`` = its
  path in the pair's JSON, ``data-value`` = the browser's unrounded value) equals the pair JSON's value within
  1e-6 relative, or within the JSON's own rounding (8 decimals: 5e-9) for figures near zero, and is null
  exactly where the JSON's is;
- a pair without a page: the fund figures equal each fund's own JSON (both funds end on the same day);
- no request leaves the site; the URL (``?a=&b=``) follows the pickers and sets them; the pair page is linked
  when there is one; without JavaScript the page says what it needs and links to the fund list.

The time from a pick to its result is logged (``-s``: ``compare: … ms``), never asserted."""
from __future__ import annotations

import itertools
import json
import statistics
from pathlib import Path

import pytest

from siteutil import CHROMIUM, NO_CHROMIUM, fund_series  # the fixtures browser and base_url: tests/conftest.py
from versus.build.plan import expand_rules
from versus.config import load_config, pair_slug

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)

CFG = expand_rules(load_config())  # the pairs of the rules too: every published pair
REL, ABS = 1e-6, 5e-9  # 5e-9: half the last decimal of the JSON's 8-decimal rounding
FUND_FIGURES = 9 + 3 + 3 + 3 + 4  # total return (9 horizons), volatility, Sharpe, Sortino (3), max drawdown (4)
PAIR_FIGURES = 4 + 4 + 2  # correlation and beta (4 horizons), each fund's return since the common start


def _get(doc: dict, path: str):
    """The value at ``path``; None where the JSON has null on the way (a max drawdown of a missing window)."""
    for k in path.split("."):
        if doc is None:
            return None
        doc = doc[k]
    return doc


def _cells(page) -> list[tuple[str, str | None]]:
    return page.eval_on_selector_all(
        "#compare-result [data-key]", "els => els.map(e => [e.getAttribute('data-key'), e.getAttribute('data-value')])")


def _pick(page, a: str, b: str) -> float:
    """Pick a and b programmatically (as the pickers do); the pick-to-result time in ms (the page's own clock)."""
    page.evaluate("([a, b]) => window.versusCompare.pick(a, b)", [a, b])
    page.wait_for_function("(p) => document.getElementById('compare-result').getAttribute('data-pair') === p",
                           arg=f"{a}|{b}")
    return float(page.get_attribute("#compare-result", "data-ms"))


def _check(cells, doc: dict, where: str, prefix: str = "") -> tuple[int, float]:
    """Every cell whose key starts with ``prefix`` against ``doc``; (cells checked, worst relative error of the
    figures of magnitude 0.01 or more)."""
    checked, worst = 0, 0.0
    for key, value in cells:
        if not key.startswith(prefix):
            continue
        ref = _get(doc, key)
        mine = None if value is None else float(value)
        assert (ref is None) == (mine is None), f"{where}: {key}: JSON {ref}, browser {mine}"
        if ref is not None:
            err = abs(mine - ref)
            assert err <= REL * abs(ref) + ABS, f"{where}: {key}: JSON {ref}, browser {mine}"
            if abs(ref) >= 0.01:  # where the JSON's rounding (5e-9) is below 1e-6 relative
                worst = max(worst, err / abs(ref))
        checked += 1
    return checked, worst


@pytest.fixture(scope="module")
def session(browser, base_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(20000)
    seen: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(base_url + "compare/")
    page.wait_for_function("() => window.versusCompare && document.getElementById('compare-result').hasAttribute('data-pair')")
    yield page, seen, errors
    ctx.close()


def test_every_published_pair_equals_its_json(session, default_site, base_url):
    page, seen, errors = session
    ms, checked, worst = [], 0, 0.0
    for a, b in CFG.pairs:
        ms.append(_pick(page, a, b))
        doc = json.loads((default_site / "api/pairs" / f"{pair_slug(a, b)}.json").read_text())
        n, w = _check(_cells(page), doc, f"{a} vs {b}")
        assert n == 2 * FUND_FIGURES + PAIR_FIGURES, f"{a} vs {b}: {n} figures"
        checked, worst = checked + n, max(worst, w)
        assert page.get_attribute("#compare-page-link", "href").endswith(f"{pair_slug(a, b)}/")
    assert page.evaluate("() => location.search") == f"?a={CFG.pairs[-1][0]}&b={CFG.pairs[-1][1]}"
    assert not errors, errors
    outside = [u for u in seen if not u.startswith(base_url)]
    assert not outside, outside[:5]
    print(f"\ncompare: {len(CFG.pairs)} pairs, {checked} figures, max relative error {worst:.2e} (figures >= 0.01); "
          f"pick to result "
          f"median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")


def _unpublished(default_site: Path) -> tuple[str, str]:
    """Two funds without a pair page that end on the same day (so each fund's JSON is to that day too)."""
    published = {frozenset(p) for p in CFG.pairs}
    last = {t: json.loads((default_site / f"api/funds/{t.lower()}.json").read_text())["as_of"] for t in CFG.funds}
    return next((a, b) for a, b in itertools.combinations(CFG.funds, 2)
                if frozenset((a, b)) not in published and last[a] == last[b])


def test_a_pair_without_a_page_equals_the_fund_json(session, default_site, base_url):
    page, seen, errors = session
    a, b = _unpublished(default_site)
    ms = _pick(page, a, b)
    cells = _cells(page)
    for t in (a, b):
        doc = json.loads((default_site / f"api/funds/{t.lower()}.json").read_text())
        n, _ = _check(cells, doc, t, prefix=f"funds.{t}.")
        assert n == FUND_FIGURES
    assert page.locator("#compare-page-link").count() == 0
    assert "no comparison page" in page.inner_text("#compare-pair-link")
    pair = [k for k, v in cells if k.startswith("pair.correlation.") and v is not None]
    assert pair, "correlations computed for a pair without a page"
    assert not errors, errors
    assert not [u for u in seen if not u.startswith(base_url)]
    print(f"\ncompare: unpublished {a} vs {b}, pick to result {ms:.1f} ms")


def test_the_url_sets_the_pickers(browser, base_url):
    a, b = CFG.funds[-1], CFG.funds[-2]
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(base_url + f"compare/?a={a.lower()}&b={b}")
    page.wait_for_function("(p) => document.getElementById('compare-result').getAttribute('data-pair') === p",
                           arg=f"{a}|{b}")
    assert page.input_value("#pick-a") == a and page.input_value("#pick-b") == b
    page.select_option("#pick-a", CFG.funds[0])
    page.wait_for_function("(p) => document.getElementById('compare-result').getAttribute('data-pair') === p",
                           arg=f"{CFG.funds[0]}|{b}")
    assert page.evaluate("() => location.search") == f"?a={CFG.funds[0]}&b={b}"
    ctx.close()


def test_without_javascript(browser, base_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base_url + "compare/")
    text = page.inner_text("main")
    assert "needs JavaScript" in text
    assert page.locator("main noscript a[href$='#funds-h']").count() == 1 or "list of funds" in text
    assert not page.is_visible("#compare-form") and not page.is_visible("#compare-result")
    ctx.close()


def test_compare_is_in_the_nav_and_its_data_are_published(default_site):
    index = (default_site / "index.html").read_text()
    assert 'href="./compare/"' in index
    doc = json.loads((default_site / "api/compare.json").read_text())
    assert [f["ticker"] for f in doc["funds"]] == CFG.funds
    assert len(doc["pairs"]) == len(CFG.pairs)
    for f in doc["funds"]:
        assert f["series"] == f"api/funds/{f['ticker'].lower()}/series.csv"
        series = fund_series(default_site, f["ticker"])
        assert series.index[0].date().isoformat() == f["first"] and series.index[-1].date().isoformat() == f["last"]
        assert list(series.columns) == ["adj_close", "close"] and series.adj_close.notna().all()

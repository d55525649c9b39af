"""The period selector of the time-series charts (issue 18 item 1): the spec layer
(:mod:`versus.charts.period`), the controls and captions on the built pages, and the redraw in a real browser
(Chromium driven by Playwright, on the seven-fund site and a small site at an early date)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from siteutil import fund_series, small_site
from versus import fmt
from versus.charts import period, specs
from versus.cli import main
from versus.metrics.windows import window_anchor, window_start_row

EARLY = "2014-06-30"
"""The small site's date: VOO (from September 2010) has 3 years of data, not 5."""


# --------------------------------------------------------------------------- the spec layer
def test_a_bar_chart_is_left_as_it_is():
    spec = specs.instantiate("years", ["QQQ", "IWM"], "d")
    assert period.with_period(spec) is spec


@pytest.mark.parametrize("kind", ["growth", "growth_log", "drawdown", "correlation", "volatility", "rolling_return",
                                  "price"])
def test_a_time_series_gets_the_parameter_and_the_window_and_the_template_is_untouched(kind):
    spec = specs.instantiate(kind, ["QQQ", "IWM"], "d")
    before = json.dumps(spec)
    out = period.with_period(spec)
    assert json.dumps(spec) == before  # the spec the static SVG is drawn from keeps its data as they are
    assert out["params"] == [{"name": period.PARAM, "value": None}]
    text = json.dumps(out)
    assert text.count('"filter": "period_years == null ||') == 1
    rebased = '"calculate": "period_years == null ? datum._raw' in text
    assert rebased == kind.startswith("growth")


def test_relative_strength_is_divided_by_the_ratio_and_marks_its_last_values():
    spec = specs.instantiate("relative", ["QQQ/IWM", "200-day average"], "d", subs={"__NOTE__": "Now: above"})
    text = json.dumps(period.with_period(spec))
    assert '"datum[\\"series\\"] === \\"QQQ/IWM\\" ? datum._first : null"' in text  # the ratio's first value
    assert "datum._raw / datum._base * 1" in text and '"type": "point"' in text and "_rank" in text


def test_choices_disable_a_period_longer_than_the_data_and_say_why():
    got = period.choices("2010-09-09", "2014-06-30")
    by_key = {c["key"]: c for c in got["choices"]}
    assert [c["key"] for c in got["choices"]] == list(period.PERIODS)
    assert by_key["1y"]["unavailable"] is None and by_key["3y"]["unavailable"] is None
    assert by_key["max"]["unavailable"] is None and by_key["max"]["default"]
    assert "September 2010" in by_key["5y"]["unavailable"] and by_key["10y"]["unavailable"]
    assert got["note"] == "5y and 10y: not available, the data start in September 2010"
    # a period whose anchor is the first day exactly is available (the return tables' window starts there)
    assert period.choices("2011-06-30", "2014-06-30")["note"] == "5y and 10y: not available, the data start in June 2011"
    assert period.choices("2000-01-03", "2026-07-31")["note"] is None


# --------------------------------------------------------------------------- the built pages
@pytest.fixture(scope="module")
def early(tmp_path_factory) -> Path:
    """A small site (VOO vs IWM) as of :data:`EARLY`: VOO has less than 5 years of data."""
    folder = tmp_path_factory.mktemp("early")
    out = folder / "site"
    assert main(["--config", str(small_site(folder, (("VOO", "IWM"),))), "--out", str(out), "--as-of", EARLY,
                 "--quiet"]) == 0
    return out


def _selectors(html: str) -> list[str]:
    return re.findall(r'<div class="periods"[^>]*hidden>.*?</div>', html, re.S)


@pytest.mark.parametrize("url, count", [("qqq-vs-iwm/", 2), ("compare/iwm-spy-qqq/", 2), ("funds/iwm/", 1)])
def test_pages_carry_hidden_controls_and_a_caption_per_time_series(classic, url, count):
    html = (classic / url / "index.html").read_text()
    groups = _selectors(html)
    # written once, before the growth charts; (pair, group) period.js copies it before relative strength
    assert len(groups) == 1 and html.count('<div class="periods-copy" hidden></div>') == count - 1
    for g in groups:
        assert re.findall(r'data-period="(\w+)"', g) == list(period.PERIODS)
        assert 'data-period="max" aria-pressed="true"' in g and "disabled" not in g
    assert '<script src="../static/period.js" defer></script>' in html or 'static/period.js" defer' in html
    page = json.loads(re.search(r'<script type="application/json" id="chart-page">(.*?)</script>', html, re.S)[1])
    shared = {k: json.loads((classic / "static/specs" / f"{r['k']}.json").read_text()) for k, r in page["charts"].items()}
    series = {k: s for k, s in shared.items() if "params" in s}  # the shared templates of time series
    assert {"growth", "drawdown"} <= set(series) or {"price", "drawdown"} <= set(series)
    captions = re.findall(r'<p class="chart-period"><span class="period-shown">([^<]+)</span>', html)
    assert len(captions) == len({k.split("-")[0] if k.endswith("-log") else k for k in series})
    # the static SVG shows all the data: its caption names the first date drawn
    funds = url.rstrip("/").split("/")[-1].replace("-vs-", "-").split("-")  # the page's funds, from its slug
    first = max(fund_series(classic, t).index[0] for t in funds)  # the first day every fund of the page has
    assert captions[0] == f"Shown: all the data, drawn from {fmt.date(first)}."
    assert "Falls are always measured from the highest close since the start of the data" in html


def test_a_period_longer_than_the_data_is_disabled_with_its_reason(early):
    html = (early / "voo-vs-iwm/index.html").read_text()
    g = _selectors(html)[0]
    assert re.search(r'data-period="5y"[^>]*disabled title="Not available: the data start in September 2010', g)
    assert re.search(r'data-period="3y" aria-pressed="false">3y<span class="vh"> \(3 years\)</span>', g)
    assert "5y and 10y: not available, the data start in September 2010" in g


def test_methodology_states_the_period_conventions(classic):
    html = (classic / "methodology/index.html").read_text()
    assert 'id="chart-periods"' in html
    assert "Drawdown is not rebased" in html and "each fund starts at $10,000 on the period's first day" in html


# --------------------------------------------------------------------------- in the browser
# the session's browser and servers (browser, classic_url, serve): tests/conftest.py
@pytest.fixture(scope="module")
def early_url(serve, early):
    return serve(early)


LINE_POINTS = """sel => { const v = document.querySelector(sel)._view.view, out = [];
  (function walk(n) { if (n.marktype === 'line') n.items.filter(i => i.datum && i.datum.d)
      .forEach(i => out.push([+i.datum.d, i.datum.series, i.datum.value]));
    (n.items || []).forEach(walk); })(v.scenegraph().root);
  out.sort((a, b) => a[0] - b[0]);
  return {x0: +v.scale('x').domain()[0], points: out, signal: v.signal('period_years')}; }"""
"""The drawn chart: its x domain's start (ms), every line point [date ms, series, value] by date, the signal."""


def _open(browser, url: str, errors: list):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/New_York")
    page = ctx.new_page()
    page.set_default_timeout(15000)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    return ctx, page


def _drawn(page, sel: str) -> dict:
    page.locator(sel).scroll_into_view_if_needed()
    page.wait_for_function("s => { const el = document.querySelector(s); return el && el.classList.contains('drawn'); }",
                           arg=sel)
    return page.evaluate(LINE_POINTS, sel)


def _redrawn(page, sel: str, years) -> dict:
    page.wait_for_function("([s, y]) => { const el = document.querySelector(s);"
                           " return el._view && el._view.view.signal('period_years') === y; }", arg=[sel, years])
    page.wait_for_timeout(100)
    return page.evaluate(LINE_POINTS, sel)


def _day(ms: float) -> pd.Timestamp:
    """A drawn date (local midnight in the page's New York time zone) as a day."""
    return pd.Timestamp(ms, unit="ms", tz="UTC").tz_convert("America/New_York").tz_localize(None).normalize()


def _as_of(page) -> pd.Timestamp:
    # the page's data come from the funds' shared series: the last day drawn (the x domain's end) is the as-of
    return _day(page.evaluate("() => +[...document.querySelectorAll('.drawn')].find(e => e._view)"
                              "._view.view.scale('x').domain()[1]"))


def _first_values(points: list) -> dict:
    first = {}
    for _, series, value in points:
        first.setdefault(series, value)
    return first


def test_pair_page_1y_redraws_rebases_keeps_the_url_and_survives_a_reload(browser, classic_url):
    errors: list[str] = []
    ctx, page = _open(browser, classic_url + "qqq-vs-iwm/", errors)
    try:
        whole = _drawn(page, "#growth")
        assert whole["signal"] is None and _day(whole["x0"]) == pd.Timestamp("2000-05-26")
        page.locator('.periods button[data-period="1y"]').first.click()
        got = _redrawn(page, "#growth", 1)
        as_of = _as_of(page)
        start = window_start_row(pd.DatetimeIndex(pd.to_datetime([p[0] for p in whole["points"]], unit="ms", utc=True)
                                                  .tz_convert("America/New_York").tz_localize(None).normalize()),
                                 window_anchor(as_of, "1y"))
        assert abs((_day(got["x0"]) - (as_of - pd.DateOffset(years=1))).days) <= 4
        assert _day(got["x0"]) == start  # the return table's own window start
        assert _first_values(got["points"]) == {"QQQ": 10000, "IWM": 10000}
        assert len(got["points"]) < len(whole["points"]) / 3
        assert "period=1y" in page.url
        assert page.locator('.periods button[data-period="1y"]').first.get_attribute("aria-pressed") == "true"
        assert page.locator('.periods button[data-period="1y"]').nth(1).get_attribute("aria-pressed") == "true"
        assert page.locator("#growth").locator("xpath=ancestor::figure").locator(".period-shown").inner_text() \
            == f"Shown: the last year, drawn from {fmt.date(start)}."
        # every time-series chart follows, drawn later or already
        rel = _drawn(page, "#relative")
        assert rel["signal"] == 1 and _day(rel["x0"]) == start
        assert _first_values(rel["points"])["QQQ/IWM"] == pytest.approx(1.0)
        # a reload restores the period from the address
        page.reload(wait_until="load")
        again = _drawn(page, "#growth")
        assert again["signal"] == 1 and _day(again["x0"]) == start
        assert page.locator('.periods button[data-period="1y"]').first.get_attribute("aria-pressed") == "true"
        # the keyboard: Tab to the 5y button, Enter; then Space on Max
        page.locator('.periods button[data-period="3y"]').first.focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.dataset.period") == "5y"
        page.keyboard.press("Enter")
        five = _redrawn(page, "#growth", 5)
        assert abs((_day(five["x0"]) - (as_of - pd.DateOffset(years=5))).days) <= 7
        assert _first_values(five["points"]) == {"QQQ": 10000, "IWM": 10000} and "period=5y" in page.url
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.dataset.period") == "max"
        page.keyboard.press("Space")
        back = _redrawn(page, "#growth", None)
        assert back["x0"] == whole["x0"] and back["points"] == whole["points"] and "period=" not in page.url
        assert errors == []
    finally:
        ctx.close()


def test_group_page_3y_redraws_every_relative_chart(browser, classic_url):
    errors: list[str] = []
    ctx, page = _open(browser, classic_url + "compare/iwm-spy-qqq/#period=3y", errors)
    try:
        growth = _drawn(page, "#growth")
        as_of = _as_of(page)
        assert growth["signal"] == 3 and abs((_day(growth["x0"]) - (as_of - pd.DateOffset(years=3))).days) <= 7
        assert set(_first_values(growth["points"]).values()) == {10000}
        for sel in ("#relative-spy", "#relative-qqq", "#correlation", "#volatility"):
            got = _drawn(page, sel)
            assert got["signal"] == 3 and _day(got["x0"]) == _day(growth["x0"]), sel
        page.locator('.periods button[data-period="1y"]').nth(1).click()  # the selector above relative strength
        got = _redrawn(page, "#growth", 1)
        assert abs((_day(got["x0"]) - (as_of - pd.DateOffset(years=1))).days) <= 4 and "period=1y" in page.url
        assert errors == []
    finally:
        ctx.close()


def test_fund_page_offers_only_the_periods_its_data_cover(browser, early_url):
    errors: list[str] = []
    ctx, page = _open(browser, early_url + "funds/voo/?period=5y", errors)
    try:
        price = _drawn(page, "#price")
        assert price["signal"] is None  # 5y is not available: the whole history, and the address says nothing else
        five = page.locator('.periods button[data-period="5y"]')
        assert five.is_disabled() and "September 2010" in five.get_attribute("title")
        assert page.locator(".periods-note").inner_text().startswith("5y and 10y: not available")
        assert page.locator('.periods button[data-period="max"]').get_attribute("aria-pressed") == "true"
        page.locator('.periods button[data-period="3y"]').click()
        got = _redrawn(page, "#price", 3)
        assert abs((_day(got["x0"]) - (pd.Timestamp(EARLY) - pd.DateOffset(years=3))).days) <= 7
        dd = _drawn(page, "#drawdown")
        assert dd["signal"] == 3 and max(v for _, _, v in dd["points"]) <= 0  # not rebased: still below the high
        assert "period=3y" in page.url
        assert errors == []
    finally:
        ctx.close()

"""Data checks across funds (issue 13.7): tracking jumps between funds of the same index, dividends implied by
the closes against the listed ones, payments a regular schedule skips.  Reported and marked, never patched."""
from __future__ import annotations

import html
import json

import numpy as np
import pandas as pd
import pytest

from siteutil import classic_site
from versus.analysis import sanity
from versus.cli import main
from versus.sources.snapshot import SnapshotSource

SP500 = {"SPY": "S&P 500", "VOO": "S&P 500", "IVV": "S&P 500"}


@pytest.fixture(scope="module")
def real():
    return SnapshotSource().load(["SPY", "VOO", "IVV", "IWM", "VTWO", "QQQ", "QQQM", "DIA"])


def test_the_known_cases_in_the_real_data(real):
    index = {**SP500, "IWM": "Russell 2000", "VTWO": "Russell 2000", "QQQ": "Nasdaq-100", "QQQM": "Nasdaq-100",
             "DIA": "Dow Jones Industrial Average"}
    found = sanity.check(real, index)
    by = {(f.kind, f.date): f for f in found}
    # 9 Apr 2025: SPY +10.50% while VOO +9.27% and IVV +9.51%, back the next day: SPY's close is the odd one
    april = by[("tracking_jump", "2025-04-09")]
    assert april.funds == ("SPY",) and set(april.compared) == {"SPY", "VOO", "IVV"}
    assert "SPY +10.50%, VOO +9.27%, IVV +9.51%" in april.text and "SPY \u22124.38%, VOO \u22123.41%" in april.text
    assert ("tracking_jump", "2025-04-10") not in by  # the day it reverses is not a second finding
    # VOO's December 2014 and DIA's October 2014 payments are in neither the list nor the adjusted closes
    voo = by[("dividend_gap", "2014-12-22")]
    assert voo.funds == ("VOO",) and "22 Sep 2014 to 23 Mar 2015" in voo.text and "show none either" in voo.text
    dia = by[("dividend_gap", "2014-10-19")]
    assert dia.funds == ("DIA",) and "pays monthly" in dia.text
    assert ("dividend_gap", "2020-09-21") in by  # QQQ's September 2020 (SOURCES.md: in no source)
    # nothing between QQQ and QQQM, whose closes agree every day
    assert not [f for f in found if f.kind == "tracking_jump" and "QQQM" in f.compared]
    assert [f.date for f in found] == sorted(f.date for f in found)


def test_a_build_as_of_the_jump_does_not_see_it_before_the_next_close(real):
    """A jump is one only once the next close takes it back: as of its own day it is not known yet."""
    adj = real.adj_close[list(SP500)]
    assert "2025-04-09" not in [f.date for f in sanity.tracking_jumps(adj.loc[:"2025-04-09"], "S&P 500", list(SP500))]
    assert "2025-04-09" in [f.date for f in sanity.tracking_jumps(adj.loc[:"2025-04-10"], "S&P 500", list(SP500))]


def twins(n=400, seed=1, funds=("A", "B")):
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2020-01-01", periods=n)
    base = rng.normal(0, 0.01, n)
    cols = {t: 100 * np.cumprod(1 + base + rng.normal(0, 0.0002, n)) for t in funds}
    return pd.DataFrame(cols, index=days)


def test_one_close_out_of_line_is_found_and_named():
    px = twins(funds=("A", "B", "C"))
    day = px.index[300]
    px.loc[day, "B"] *= 1.012  # one bad close: +1.2% on the day, back the next
    found = sanity.tracking_jumps(px, "Test index", ["A", "B", "C"])
    assert [(f.date, f.funds) for f in found] == [(day.date().isoformat(), ("B",))]
    two = sanity.tracking_jumps(px[["A", "B"]], "Test index", ["A", "B"])
    assert [f.funds for f in two] == [("A", "B")] and "one of their closes" in two[0].text


def test_ordinary_tracking_noise_and_a_lasting_shift_are_not_findings():
    px = twins()
    assert sanity.tracking_jumps(px, "Test index", ["A", "B"]) == []
    px.loc[px.index[300]:, "B"] *= 1.012  # a move that stays (a distribution the other fund paid later)
    assert sanity.tracking_jumps(px, "Test index", ["A", "B"]) == []
    px = twins()
    px.loc[px.index[300], "B"] *= 1.004  # 0.4 points: under the floor however quiet the pair
    assert sanity.tracking_jumps(px, "Test index", ["A", "B"]) == []


def quarterly(years=6):
    """Closes and dividend-adjusted closes of a fund paying 0.5% every quarter, and its dividend list."""
    days = pd.bdate_range("2015-01-01", periods=252 * years)
    close = pd.Series(100.0, index=days)
    ex = [d for d in days[30::63]]
    factor = pd.Series(1.0, index=days)
    for d in ex:  # Yahoo's adjustment: every close before an ex-date times (1 - dividend / previous close)
        factor[factor.index < d] *= 1 - 0.5 / 100.0
    listed = pd.Series(0.5, index=pd.DatetimeIndex(ex))
    return close, close * factor, listed


def test_dividends_agreeing_with_the_closes_are_not_findings():
    close, adj, listed = quarterly()
    assert sanity.dividend_checks("X", close, adj, listed) == []


def test_a_dividend_missing_from_the_list_or_from_the_closes_is_found():
    close, adj, listed = quarterly()
    gone = listed.index[8]
    found = sanity.dividend_checks("X", close, adj, listed.drop(gone))
    assert [(f.kind, f.date) for f in found] == [("dividend_unlisted", gone.date().isoformat())]
    assert "$0.500 a share (0.50%)" in found[0].text
    extra = listed.copy()
    extra.iloc[5] = 1.5  # the list says 1.50, the closes 0.50
    found = sanity.dividend_checks("X", close, adj, extra)
    assert [f.kind for f in found] == ["dividend_not_in_closes"] and "$1.500" in found[0].text


def test_a_payment_missing_from_both_is_a_schedule_gap():
    close, adj, listed = quarterly()
    gone = listed.index[10]
    factor = pd.Series(1.0, index=close.index)
    for d in listed.index.drop(gone):  # the adjusted closes miss it too
        factor[factor.index < d] *= 1 - 0.5 / 100.0
    adj2 = close * factor
    found = sanity.dividend_checks("X", close, adj2, listed.drop(gone))
    assert [f.kind for f in found] == ["dividend_gap"] and "pays quarterly" in found[0].text
    assert listed.index[9] < pd.Timestamp(found[0].date) < listed.index[11]


def test_marks_only_the_figures_whose_period_holds_the_finding():
    f = sanity.Finding("tracking_jump", "2025-04-09", ("SPY",), "t")
    values = {"volatility": {"1y": 0.2, "3y": 0.2}, "total_return": {"1y": 0.1}, "dividend_yield_ttm": 0.01}
    assert sanity.marks([f], "SPY", values, pd.Timestamp("2026-01-23"), None) == {"volatility.1y": ["2025-04-09"],
                                                                                   "volatility.3y": ["2025-04-09"]}
    assert sanity.marks([f], "SPY", values, pd.Timestamp("2026-06-01"), None) == {"volatility.3y": ["2025-04-09"]}
    assert sanity.marks([f], "VOO", values, pd.Timestamp("2026-01-23"), None) == {}
    gap = sanity.Finding("dividend_gap", "2025-09-01", ("SPY",), "t")
    assert sanity.marks([gap], "SPY", values, pd.Timestamp("2026-01-23"), None) == {
        "total_return.1y": ["2025-09-01"], "dividend_yield_ttm": ["2025-09-01"]}


def test_the_build_reports_and_marks_them(tmp_path):
    out = tmp_path / "site"
    config = classic_site(tmp_path)  # the seven-fund site: SPY and VOO the only S&P 500 funds
    assert main(["--config", str(config), "--out", str(out), "--as-of", "2026-01-23", "--quiet"]) == 0
    report = json.loads((out / "build.json").read_text())["data_checks"]
    april = next(f for f in report if f["date"] == "2025-04-09")
    assert april["kind"] == "tracking_jump" and set(april["funds"]) == {"SPY", "VOO"}  # two S&P 500 funds on the site
    assert any(f["date"] == "2014-12-22" and f["funds"] == ["VOO"] for f in report)
    doc = json.loads((out / "api/pairs/voo-vs-vti.json").read_text())
    marked = doc["funds"]["VOO"]["data_checks"]["figures"]
    assert marked["volatility.1y"] == ["2025-04-09"] and "total_return.1y" not in marked
    assert marked["total_return.inception"] == ["2014-12-22"] and "total_return.10y" not in marked  # 10y: from 2016
    # issue 17: a pair's fund section keeps the figures a finding touches; the findings are in the fund's document
    assert set(doc["funds"]["VOO"]["data_checks"]) == {"figures"} and "data_checks" not in doc["funds"]["VTI"]
    own = json.loads((out / doc["funds"]["VOO"]["api"]).read_text())["funds"]["VOO"]["data_checks"]
    assert own["figures"] == marked and any(f["date"] == "2014-12-22" for f in own["findings"])
    assert json.loads((out / "api/funds/vti.json").read_text())["funds"]["VTI"]["data_checks"] == \
        {"findings": [], "figures": {}}
    page = html.unescape((out / "voo-vs-vti/index.html").read_text())
    assert "Data checks:" in page and "data check: 9 Apr 2025" in page
    assert "VOO pays quarterly, but its dividend list has no payment" in page
    method = html.unescape((out / "methodology/index.html").read_text())
    assert 'id="data-checks"' in method and april["text"] in method and "SPY/VOO: S&amp;P 500" not in method
    assert "SPY/VOO: S&P 500" in method
    qqq = html.unescape((out / "funds/qqq/index.html").read_text())
    assert "QQQ pays quarterly" in qqq and "SPY" not in qqq.split("Data checks:")[1].split("</details>")[0]


def test_the_printed_report_and_the_step_summary_count_them():
    from pathlib import Path

    from versus.build import report
    from versus.build.context import BuildResult

    r = BuildResult(Path("/x"), "2026-01-23", checks=[{"text": "9 Apr 2025: funds tracking the S&P 500 moved apart"}])
    assert "data      1 data-check finding (build.json data_checks" in report.text(r)
    assert "latest: 9 Apr 2025: funds tracking" in report.text(r)
    md = report.markdown(r)
    assert "**Data checks: 1 finding**" in md and "- 9 Apr 2025: funds tracking the S&P 500 moved apart" in md
    assert "0 data-check findings" in report.text(BuildResult(Path("/x"), "2026-01-23"))

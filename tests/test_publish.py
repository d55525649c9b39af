"""The daily publish, end to end and offline: `build.py --live --strict` on the real yfinance 1.7 code,
answered by a fake Yahoo over HTTP (tests/yahoo_http.py) that moves from day to day and fails in
every way the real one does.  Each run is a fresh runner (yfinance's caches and session are new).
Each test checks what a reader sees (banner), what the maintainer sees (exit status, report, step
summary), the data store's contents, and that a failed build leaves the previous site/ untouched.
The long version, many consecutive days of exactly what publish.yml does, is tests/replay.py.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import versus.render.writer as render_mod
from fakes_yahoo import refuse_network
from versus.build import report
from versus.cli import main
from versus.data.funds import load_funds
from versus.errors import EXIT_CONFIG, EXIT_DATA, EXIT_OUTPUT, EXIT_STALE
from versus.sources.store import MANIFEST, open_store
from yahoo_http import YahooHTTP

CONFIG = """title = "versus test"
description = "test"
base_url = "https://example.org/"
funds = ["SPY", "QQQ"]
pairs = [["SPY", "QQQ"]]
"""
PAGES = ["index.html", "spy-vs-qqq/index.html", "funds/spy/index.html", "funds/qqq/index.html",
         "methodology/index.html"]


PAGES_SPY_QQQ = sorted(["/", "/compare/", "/funds/qqq/", "/funds/spy/", "/methodology/", "/spy-vs-qqq/"]
                       + [f"/category/{load_funds()[t].category}/" for t in ("SPY", "QQQ")])
"""The pages of CONFIG's site: its own, and the category page of each fund's category (data/funds.toml)."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)


class Site:
    """One repository's daily runs: a store, a site/ folder, a fake Yahoo (``http``) and a clock.

    A context manager: inside, every request of yfinance goes to ``http``; on leaving, the test fails if
    yfinance asked for a URL the fake does not serve."""

    def __init__(self, tmp_path: Path, monkeypatch, capsys, day: str, config: str = CONFIG):
        self.tmp, self.capsys = tmp_path, capsys
        self.store, self.out = tmp_path / "store", tmp_path / "site"
        self.config = tmp_path / "site.toml"
        self.config.write_text(config)
        self.http = YahooHTTP(f"{day}T18:35")
        self.sleeps = self.http.sleeps
        self.runs = 0
        self.summary = tmp_path / "step-summary.md"
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(self.summary))
        monkeypatch.setenv("VERSUS_DEBUG_LOG", str(tmp_path / "yahoo-debug.log"))
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        self._installed = None

    def __enter__(self) -> "Site":
        self._installed = self.http.installed(self.tmp / "yf-cache")
        self._installed.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._installed.__exit__(*exc)
        if exc[0] is None:
            assert self.http.unknown == [], self.http.unknown

    def run(self, now: str, *extra: str, quiet: bool = True) -> tuple[int, str, str]:
        """``build.py --live --strict`` at ``now`` (New York time) on a fresh runner; Yahoo serves up to then."""
        self.runs += 1
        self.http.at(now)
        self.http.clear_log()
        self.http.new_run(self.tmp / f"yf-cache-{self.runs}")
        self.capsys.readouterr()
        args = ["--live", "--strict", "--config", str(self.config), "--out", str(self.out),
                "--store", str(self.store), "--today", now, *extra]
        code = main(args + (["--quiet"] if quiet else []))
        out, err = self.capsys.readouterr()
        return code, out, err

    def facts_asked(self) -> list[str]:
        """Tickers whose fund facts this run asked Yahoo for (``funds_data``: the fundProfile module; yfinance
        also asks quoteSummary for ``info`` on its own when a time-zone probe fails)."""
        return sorted({r.ticker for r in self.http.calls("quoteSummary") if "fundProfile" in r.params["modules"]})

    def page(self, rel: str = "index.html") -> str:
        return (self.out / rel).read_text()

    def build_json(self) -> dict:
        return json.loads((self.out / "build.json").read_text())

    def tree(self) -> dict[str, str]:
        """Every file of site/ with its hash (to prove it is untouched)."""
        return {p.relative_to(self.out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(self.out.rglob("*")) if p.is_file()}

    def stored(self):
        md, manifest, problem = open_store(self.store, "x")
        assert problem is None
        return md, manifest

    def store_bytes(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(self.store.iterdir())}


@pytest.fixture
def site(tmp_path, monkeypatch, capsys):
    with Site(tmp_path, monkeypatch, capsys, "2026-08-14") as s:
        yield s


def banner(page: str) -> str | None:
    """The banner's text, or None when the page has none."""
    m = re.search(r'<div class="stale banner" role="alert">(.*?)</div>', page, re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", m.group(1)).split())) if m else None


def assert_one_line_error(err: str, *needles: str) -> str:
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: ")
    for n in needles:
        assert n in last, last
    return last


# --------------------------------------------------------------------------- a normal week
def test_first_run_full_then_incremental_then_weekly_full(site):
    code, out, err = site.run("2026-08-07T18:35")
    assert code == 0, err
    assert sorted(site.http.fetches()) == [("QQQ", "max"), ("SPY", "max")]  # one download, full history
    md, man = site.stored()
    assert md.adj_close.index[-1] == pd.Timestamp("2026-08-07")
    assert man.tickers["SPY"]["full_refresh"] == "2026-08-07" and man.tickers["SPY"]["meta_refresh"] == "2026-08-07"
    assert site.facts_asked() == ["QQQ", "SPY"]
    doc = site.build_json()
    assert doc["as_of"] == "2026-08-07" and doc["expected_session"] == "2026-08-07" and doc["banner"] is None
    assert doc["funds"]["SPY"]["refreshed"] is True and doc["funds"]["SPY"]["sessions_behind"] == 0
    for rel in PAGES:
        assert banner(site.page(rel)) is None, rel

    # Monday: only what is new, from 5 stored sessions back; fund facts kept (less than a week old)
    code, out, err = site.run("2026-08-10T18:35")
    assert code == 0, err
    assert sorted(site.http.fetches()) == [("QQQ", "2026-08-03"), ("SPY", "2026-08-03")]
    assert site.facts_asked() == []
    md, man = site.stored()
    assert md.adj_close.index[-1] == pd.Timestamp("2026-08-10")
    assert man.tickers["SPY"]["full_refresh"] == "2026-08-07" and man.updated == "2026-08-10"
    # the incremental store equals a full fetch of the same day (nothing lost in the merge)
    full = site.http.series("SPY")["bars"]["adjclose"]
    pd.testing.assert_series_equal(md.adj_close["SPY"].dropna(), full, check_names=False, check_freq=False,
                                   check_index_type=False)
    assert site.build_json()["as_of"] == "2026-08-10"

    # a week after the last full fetch: full history again, and fund facts again
    code, _, err = site.run("2026-08-14T18:35")
    assert code == 0, err
    assert sorted(site.http.fetches()) == [("QQQ", "max"), ("SPY", "max")]
    assert site.facts_asked() == ["QQQ", "SPY"]
    assert site.stored()[1].tickers["QQQ"]["full_refresh"] == "2026-08-14"


def test_holiday_and_weekend_are_not_stale(tmp_path, monkeypatch, capsys):
    with Site(tmp_path, monkeypatch, capsys, "2026-07-02") as site:
        holiday_and_weekend(site)


def holiday_and_weekend(site):
    assert site.run("2026-07-02T18:35")[0] == 0
    # Fri 3 Jul 2026: markets closed (Independence Day observed); the cron runs anyway
    code, _, err = site.run("2026-07-03T18:35")
    assert code == 0, err
    doc = site.build_json()
    assert doc["expected_session"] == "2026-07-02" and doc["as_of"] == "2026-07-02"
    assert doc["funds"]["SPY"]["sessions_behind"] == 0 and doc["banner"] is None
    assert banner(site.page()) is None
    # Monday after: one new session
    code, _, err = site.run("2026-07-06T18:35")
    assert code == 0 and site.build_json()["as_of"] == "2026-07-06"


def test_run_before_the_close_ignores_the_live_bar(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    code, _, err = site.run("2026-08-17T14:00")  # Yahoo already has a (live) row for the 17th
    assert code == 0, err
    bars = site.http.series("SPY")["bars"]
    assert bars.index[-1] == pd.Timestamp("2026-08-17") and site.http.series("SPY")["partial"] is not None
    assert site.stored()[0].adj_close.index[-1] == pd.Timestamp("2026-08-14")
    assert site.build_json()["expected_session"] == "2026-08-14" and banner(site.page()) is None


# --------------------------------------------------------------------------- rate limits and outages
def test_rate_limited_then_recovers_after_backoff(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    site.http.fail(429, until=5.0)  # every request for 5 s: yfinance logs it and returns no rows
    code, _, err = site.run("2026-08-17T18:35")
    assert code == 0, err
    assert site.sleeps == [2.0, 4.0]  # attempts at 0, 2 and 6 s
    assert sorted(site.http.fetches()) == [("QQQ", "2026-08-10"), ("SPY", "2026-08-10")]
    assert site.build_json()["as_of"] == "2026-08-17" and banner(site.page()) is None
    assert "retrying in 2s" in site.summary.read_text()


@pytest.mark.parametrize("mode, why", [(429, "no data from Yahoo Finance (rate-limited, HTTP 429)"),
                                       ("network", "no data from Yahoo Finance (network error: could not connect)"),
                                       (503, "no data from Yahoo Finance (possibly delisted; no timezone found)")])
def test_refresh_failed_all_day_builds_from_the_store_with_a_banner(site, mode, why):
    assert site.run("2026-08-14T18:35")[0] == 0
    before = site.store_bytes()
    site.http.fail(mode)
    code, out, err = site.run("2026-08-17T18:35")
    assert code == 0, err  # within the limit: published, with the banner, even under --strict
    assert site.sleeps == [2.0, 4.0, 8.0, 16.0]
    assert site.store_bytes() == before  # nothing new: the store is not rewritten
    assert site.facts_asked() == []     # and Yahoo is not asked for fund facts either
    for rel in PAGES:  # every page, naming its own funds (the index and methodology name all of them)
        text = banner(site.page(rel))
        assert text.startswith("Prices as of Fri 14 Aug 2026; today's refresh failed"), rel
        own = {"funds/spy/index.html": "SPY", "funds/qqq/index.html": "QQQ"}.get(rel, "SPY, QQQ")
        assert f"Not refreshed: {own} ({why}" in text and "5 attempts" in text, rel
        assert "Behind the latest session (Mon 17 Aug 2026)" in text
    doc = site.build_json()
    assert doc["as_of"] == "2026-08-14" and doc["banner"]["headline"].endswith("today's refresh failed")
    assert doc["funds"]["QQQ"]["sessions_behind"] == 1 and doc["funds"]["QQQ"]["refreshed"] is False
    assert doc["funds"]["QQQ"]["refresh_error"].startswith(why)
    summary = site.summary.read_text()
    assert "> **Prices as of Fri 14 Aug 2026; today's refresh failed**" in summary
    assert "| QQQ | 2026-08-14 | 1 | NOT refreshed:" in summary


THREE = CONFIG.replace('funds = ["SPY", "QQQ"]\npairs = [["SPY", "QQQ"]]',
                       'funds = ["SPY", "QQQ", "IWM"]\npairs = [["SPY", "QQQ"], ["QQQ", "IWM"], ["SPY", "IWM"]]')


def test_one_ticker_missing_holds_back_only_its_own_pages(tmp_path, monkeypatch, capsys):
    """Issue 14.3: on a day IWM fails to refresh, SPY-QQQ is as of today with no banner; QQQ-IWM, SPY-IWM and
    IWM's own page are as of the previous close with the banner naming IWM; the index shows each page's date
    and build.json lists the per-fund and per-page dates."""
    with Site(tmp_path, monkeypatch, capsys, "2026-08-14", THREE) as site:
        assert site.run("2026-08-14T18:35")[0] == 0
        site.http.fail(429, tickers={"IWM"})
        code, _, err = site.run("2026-08-17T18:35")
        assert code == 0, err
        assert sorted(t for t, _ in site.http.fetches()) == ["QQQ", "SPY"]  # IWM's probe failed on every attempt
        md, man = site.stored()
        assert md.adj_close["IWM"].last_valid_index() == pd.Timestamp("2026-08-14")
        assert man.tickers["IWM"]["last"] == "2026-08-14" and man.tickers["SPY"]["last"] == "2026-08-17"
        doc = site.build_json()
        assert doc["as_of"] == "2026-08-17"  # the latest close: IWM holds back only its own pages
        assert doc["funds"]["SPY"]["refreshed"] is True and doc["funds"]["IWM"]["refreshed"] is False
        assert doc["funds"]["IWM"]["last"] == "2026-08-14" and doc["funds"]["QQQ"]["last"] == "2026-08-17"
        assert doc["pages"]["/spy-vs-qqq/"] == "2026-08-17" and doc["pages"]["/funds/spy/"] == "2026-08-17"
        for url in ("/qqq-vs-iwm/", "/spy-vs-iwm/", "/funds/iwm/"):
            assert doc["pages"][url] == "2026-08-14", url
        assert banner(site.page("spy-vs-qqq/index.html")) is None and banner(site.page("funds/qqq/index.html")) is None
        for rel in ("qqq-vs-iwm/index.html", "spy-vs-iwm/index.html", "funds/iwm/index.html"):
            text = banner(site.page(rel))
            assert text.startswith("Prices as of Fri 14 Aug 2026; today's refresh failed"), rel
            assert "Not refreshed: IWM (" in text and "SPY" not in text and "QQQ" not in text, rel
        pair = json.loads(site.page("api/pairs/qqq-vs-iwm.json"))
        assert pair["as_of"] == "2026-08-14" and pair["funds"]["QQQ"]["as_of"] == "2026-08-14"
        assert pair["funds"]["QQQ"]["prices_end"] == "2026-08-17"  # QQQ's own data go further: measured to IWM's day
        assert json.loads(site.page("api/pairs/spy-vs-qqq.json"))["as_of"] == "2026-08-17"
        index = html.unescape(site.page())
        assert "14 Aug 2026" in index and "17 Aug 2026" in index
        rows = {r.split(",")[0]: r.split(",")[-1] for r in site.page("api/index/pairs.csv").splitlines()[1:]}
        assert rows == {"SPY vs QQQ": "2026-08-17", "QQQ vs IWM": "2026-08-14", "SPY vs IWM": "2026-08-14"}


def test_stale_for_four_days_stops_publishing_then_recovers(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    site.http.fail(429)
    for n, day in enumerate(["2026-08-17", "2026-08-18", "2026-08-19"], 1):
        code, _, err = site.run(f"{day}T18:35")
        assert code == 0, err
        assert site.build_json()["funds"]["SPY"]["sessions_behind"] == n
        assert f"up to {n} trading day(s) old" in banner(site.page())
    published = site.tree()
    summary_before = site.summary.read_text()

    code, out, err = site.run("2026-08-20T18:35")
    assert code == EXIT_STALE == 7
    assert_one_line_error(err, "SPY, QQQ: prices end Fri 14 Aug 2026, 4 trading day(s) before the latest session "
                          "(Thu 20 Aug 2026), over the limit of 3", "previous site stays online")
    assert site.tree() == published  # the last good site is left exactly as it was
    added = site.summary.read_text()[len(summary_before):]
    assert added.startswith("\n## versus: build FAILED (exit 7)")

    # Friday: Yahoo answers again; everything current, no banner
    site.http.rules.clear()
    code, _, err = site.run("2026-08-21T18:35")
    assert code == 0, err
    assert site.build_json()["as_of"] == "2026-08-21" and banner(site.page()) is None


def test_limit_from_site_toml_and_command_line(tmp_path, monkeypatch, capsys):
    with Site(tmp_path, monkeypatch, capsys, "2026-08-14", CONFIG + "\n[options]\nmax_stale_days = 0\n") as site:
        assert site.run("2026-08-14T18:35")[0] == 0
        assert "more than 0 trading days behind" in site.page("methodology/index.html")
        site.http.fail(429)
        assert site.run("2026-08-17T18:35")[0] == EXIT_STALE
        code, _, err = site.run("2026-08-17T18:35", "--max-stale-days", "1")
        assert code == 0, err
        assert "more than 1 trading days behind" in site.page("methodology/index.html")


def test_yahoo_serving_week_old_data_is_refused(site):
    assert site.run("2026-08-10T18:35")[0] == 0
    site.http.frozen = {t: pd.Timestamp("2026-08-10") for t in ("SPY", "QQQ")}  # Yahoo stopped updating
    published = site.tree()
    code, _, err = site.run("2026-08-19T18:35")
    assert code == EXIT_STALE
    assert_one_line_error(err, "prices end Mon 10 Aug 2026, 7 trading day(s)", "Yahoo Finance has no newer prices")
    assert site.tree() == published


# --------------------------------------------------------------------------- history changes
def test_revision_of_an_old_close_refetches_that_ticker(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    site.http.revise("SPY", "2026-08-12", 1.01)
    code, out, err = site.run("2026-08-17T18:35", quiet=False)
    assert code == 0, err
    fetches = site.http.fetches()
    assert sorted(fetches[:2]) == [("QQQ", "2026-08-10"), ("SPY", "2026-08-10")] and fetches[2:] == [("SPY", "max")]
    md, man = site.stored()
    revised = site.http.series("SPY")["bars"]["adjclose"]
    assert md.adj_close.at[pd.Timestamp("2026-08-12"), "SPY"] == revised[pd.Timestamp("2026-08-12")]
    assert man.tickers["SPY"]["full_refresh"] == "2026-08-17" and man.tickers["QQQ"]["full_refresh"] == "2026-08-14"
    assert re.search(r"SPY +last 2026-08-17, 0 behind, refreshed, full history \(adjusted close of 2026-08-12 "
                     r"changed from [\d.]+ to [\d.]+", err)
    assert banner(site.page()) is None


def test_new_dividend_rewrites_the_adjusted_history(tmp_path, monkeypatch, capsys):
    with Site(tmp_path, monkeypatch, capsys, "2026-06-16") as site:
        new_dividend(site)


def new_dividend(site):
    assert site.run("2026-06-16T18:35")[0] == 0
    old = site.stored()[0].adj_close["SPY"].copy()
    # SPY goes ex-dividend (1.904) on Thu 18 Jun 2026: Yahoo scales every earlier adjusted close
    code, _, err = site.run("2026-06-18T18:35")
    assert code == 0, err
    fetches = site.http.fetches()
    assert sorted(fetches[:2]) == [("QQQ", "2026-06-10"), ("SPY", "2026-06-10")] and fetches[2:] == [("SPY", "max")]
    md, _ = site.stored()
    assert md.dividends.at[pd.Timestamp("2026-06-18"), "SPY"] == 1.904
    new_adj = site.http.series("SPY")["bars"]["adjclose"]
    day = pd.Timestamp("2025-01-02")
    assert md.adj_close.at[day, "SPY"] == new_adj[day] != old[day]
    assert md.adj_close.at[day, "SPY"] / old[day] == pytest.approx(1 - 1.904 / md.close.at[pd.Timestamp("2026-06-17"), "SPY"])
    # the unadjusted close is unchanged by the new dividend
    assert md.close.at[day, "SPY"] == pytest.approx(site.http.market.close["SPY"][day], rel=1e-9)


def test_a_run_during_the_session_of_an_ex_dividend_day_keeps_the_closes_right(tmp_path, monkeypatch, capsys):
    """At noon on SPY's ex-date Yahoo already has the dividend and adjusts every earlier close for it; the
    day's partial bar is dropped, and the dividend with it, so its adjustment must go too: the rebuilt
    closes stay the real ones (they were all off by the dividend's factor, 0.25 %, until the next run)."""
    with Site(tmp_path, monkeypatch, capsys, "2026-06-17") as site:
        assert site.run("2026-06-17T18:35")[0] == 0
        code, _, err = site.run("2026-06-18T12:00")
        assert code == 0, err
        md, _ = site.stored()
        assert md.adj_close.index[-1] == pd.Timestamp("2026-06-17")
        assert pd.Timestamp("2026-06-18") not in md.dividends.index
        real = site.http.market.close["SPY"].reindex(md.close.index).dropna()
        rel = (md.close["SPY"].reindex(real.index) / real - 1).abs()
        assert rel.max() < 1e-9, rel.idxmax()
        code, _, err = site.run("2026-06-18T18:35")  # the evening: the dividend, the history rewritten
        assert code == 0, err
        md, man = site.stored()
        assert md.dividends.at[pd.Timestamp("2026-06-18"), "SPY"] == 1.904 and man.tickers["SPY"]["full_refresh"] \
            == "2026-06-18"
        rel = (md.close["SPY"].reindex(real.index) / real - 1).abs()
        assert rel.max() < 1e-9, rel.idxmax()


def test_a_split_rewrites_the_history_and_changes_no_figure(tmp_path, monkeypatch, capsys):
    """QQQ splits 2-for-1 on Mon 17 Aug: Yahoo's whole history is divided by 2; the store refetches it the
    same day and every published figure is the one a world without the split publishes (prices aside)."""
    for name in ("split", "plain"):
        (tmp_path / name).mkdir()
    with Site(tmp_path / "split", monkeypatch, capsys, "2026-08-14") as site:
        assert site.run("2026-08-14T18:35")[0] == 0
        before, _ = site.stored()
        site.http.split("QQQ", "2026-08-17", 2.0)
        code, _, err = site.run("2026-08-17T18:35")
        assert code == 0, err
        assert site.http.fetches()[-1] == ("QQQ", "max")
        md, man = site.stored()
        assert man.tickers["QQQ"]["full_refresh"] == "2026-08-17"
        old = before.adj_close["QQQ"].dropna()
        assert ((old / md.adj_close["QQQ"].reindex(old.index) - 2.0).abs() < 1e-9).all()
        split_doc = json.loads((site.out / "api/pairs/spy-vs-qqq.json").read_text())
    with Site(tmp_path / "plain", monkeypatch, capsys, "2026-08-17") as plain:
        assert plain.run("2026-08-17T18:35")[0] == 0
        plain_doc = json.loads((plain.out / "api/pairs/spy-vs-qqq.json").read_text())
    assert_same_figures(split_doc["pair"], plain_doc["pair"], "pair")
    for doc in (split_doc, plain_doc):  # fund facts: fetched on the 14th in one world, the 17th in the other
        for fund in doc["funds"].values():
            del fund["dividend_yield_published"]  # (the facts' sources are in the funds' own documents: issue 17)
    assert_same_figures(split_doc["funds"], plain_doc["funds"], "funds", prices=("value", "price"))


def assert_same_figures(a, b, path: str, prices=()) -> None:
    """Equal JSON, floats to 1e-9 relative; under ``high_52w`` the keys in ``prices`` are price levels
    (halved by a split) and skipped."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            if path.endswith("high_52w") and k in prices:
                continue
            assert_same_figures(a[k], b[k], f"{path}.{k}", prices)
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_figures(x, y, f"{path}[{i}]", prices)
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), path
    else:
        assert a == b, path


def test_new_data_failing_validation_keeps_the_stored_series(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    site.http.revise("QQQ", "2026-08-17", 1.6)  # a bad print: +60 % in a day
    code, _, err = site.run("2026-08-17T18:35")
    assert code == 0, err
    md, _ = site.stored()
    assert md.adj_close["QQQ"].last_valid_index() == pd.Timestamp("2026-08-14")
    text = banner(site.page())
    assert "Not refreshed: QQQ (new data failed validation: unexplained one-day move of" in text
    assert "on 2026-08-17" in text


# --------------------------------------------------------------------------- fund facts
def test_live_fund_facts_reach_the_pages_name_and_yield(site, monkeypatch):
    """A fund with no curated facts (a new fund) is named by Yahoo, not "QQQ: QQQ", and the dividend yield
    Yahoo reports is published with its date and source."""
    import dataclasses

    import versus.build.stages as stages

    load = stages.load_funds

    def without_qqq(*args, **kw):  # (the build passes checks=: the notes' claims)
        curated = load(*args, **kw)
        return dataclasses.replace(curated, funds={t: f for t, f in curated.funds.items() if t != "QQQ"})

    monkeypatch.setattr(stages, "load_funds", without_qqq)
    code, _, err = site.run("2026-08-14T18:35")
    assert code == 0, err
    doc = json.loads((site.out / "api/funds/qqq.json").read_text())["funds"]["QQQ"]
    assert doc["name"] == "Invesco QQQ Trust, Series 1"
    assert "Invesco QQQ Trust, Series 1" in site.page("funds/qqq/index.html")
    expected = site.http._trailing_yield("QQQ", site.http.series("QQQ"))
    assert doc["dividend_yield_published"] == pytest.approx(expected)
    src = doc["sources"]["dividend_yield_published"]
    assert (src["as_of"], src["source"], src["observed_after_as_of"]) == ("2026-08-14",
                                                                          "Yahoo Finance (yfinance info)", False)
    md, _ = site.stored()
    assert set(md.meta["QQQ"]) >= {"name", "dividend_yield", "expense_ratio", "aum"} and "yield" not in md.meta["QQQ"]


def test_an_empty_answer_is_kept_for_a_week_a_failed_one_is_asked_again(site):
    from yahoo_http import Fund

    site.http.funds["QQQ"] = Fund(None, None, expense_ratio=None, total_assets=None, yield_=None,
                                  net_expense_ratio=None, dividend_yield=None, profile=False)
    site.http.fail(429, tickers={"SPY"}, endpoints={"quoteSummary", "quote"})
    code, _, err = site.run("2026-08-10T18:35", quiet=False)
    assert code == 0, err
    assert "fund facts refreshed: none (none from Yahoo for QQQ)" in err
    md, man = site.stored()
    assert md.meta["QQQ"] == {} and man.tickers["QQQ"]["meta_refresh"] == "2026-08-10"  # Yahoo answered: nothing
    assert md.meta["SPY"] == {} and man.tickers["SPY"]["meta_refresh"] is None          # Yahoo failed
    site.http.rules.clear()
    for day in ("2026-08-11", "2026-08-14"):
        assert site.run(f"{day}T18:35")[0] == 0
        assert site.facts_asked() == (["SPY"] if day == "2026-08-11" else [])  # QQQ's empty answer stands
    code, _, err = site.run("2026-08-17T18:35", quiet=False); assert code == 0, err
    assert site.facts_asked() == ["QQQ"]  # a week later
    assert site.stored()[1].tickers["QQQ"]["meta_refresh"] == "2026-08-17"


def test_a_store_from_an_earlier_version_has_its_yield_renamed(site, tmp_path):
    """Stores written before this version keep the yield under ``yield``; it is read as ``dividend_yield``
    (live and offline) and written back under the new name."""
    assert site.run("2026-08-14T18:35")[0] == 0
    meta_path = site.store / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["SPY"]["yield"] = meta["SPY"].pop("dividend_yield")
    from versus.sources.store import Manifest, write_live_store

    md, man = site.stored()
    md.meta = meta
    write_live_store(md, man, site.store)
    offline = tmp_path / "offline"
    assert main(["--config", str(site.config), "--store", str(site.store), "--out", str(offline), "--quiet"]) == 0
    doc = json.loads((offline / "api/funds/spy.json").read_text())["funds"]["SPY"]
    assert doc["sources"]["dividend_yield_published"]["source"] == "Yahoo Finance (yfinance info)"
    assert site.run("2026-08-17T18:35")[0] == 0
    stored = json.loads(meta_path.read_text())["SPY"]
    assert "yield" not in stored and stored["dividend_yield"]["as_of"] == "2026-08-14"


# --------------------------------------------------------------------------- a damaged store
def test_corrupted_store_is_ignored_and_rebuilt(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    prices = site.store / "prices.csv"
    prices.write_bytes(prices.read_bytes()[:1000])
    code, _, err = site.run("2026-08-17T18:35")
    assert code == 0, err
    assert f"warning: {prices}: does not match store.json (truncated or corrupted" in err
    assert sorted(site.http.fetches()) == [("QQQ", "max"), ("SPY", "max")]
    md, man = site.stored()
    assert md.adj_close.index[-1] == pd.Timestamp("2026-08-17") and man.tickers["SPY"]["full_refresh"] == "2026-08-17"
    assert "store/source warning:" in site.summary.read_text()


def test_corrupted_store_and_yahoo_down_fails_without_touching_the_site(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    published = site.tree()
    (site.store / MANIFEST).write_text("{")
    site.http.fail(429)
    code, _, err = site.run("2026-08-17T18:35")
    assert code == EXIT_DATA
    assert_one_line_error(err, "SPY, QQQ: no data from Yahoo Finance", "no stored prices to fall back on")
    assert site.tree() == published


# --------------------------------------------------------------------------- atomic output
@pytest.mark.parametrize("exc, code, needle", [(OSError(28, "No space left on device"), EXIT_OUTPUT, "No space left"),
                                               (RuntimeError("killed"), 1, "internal error in pages: RuntimeError: killed")])
def test_failure_mid_write_leaves_the_previous_site(site, monkeypatch, exc, code, needle):
    assert site.run("2026-08-14T18:35")[0] == 0
    published = site.tree()
    real, count = render_mod.put, []

    def failing(path, data, new=False):  # every file the build writes goes through versus.render.writer.put
        count.append(path)
        if len(count) == 5:
            raise exc
        return real(path, data, new)

    monkeypatch.setattr(render_mod, "put", failing)
    rc, _, err = site.run("2026-08-17T18:35")  # an unexpected error too: the last resort, one line, exit 1
    assert rc == code
    assert_one_line_error(err, needle)
    assert len(count) == 5
    assert site.tree() == published
    assert [p.name for p in site.tmp.iterdir() if p.name.startswith(".site")] == []  # no temp folders left


# --------------------------------------------------------------------------- report and build.json
def test_report_step_summary_and_annotations(site, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, err = site.run("2026-08-14T18:35", quiet=False)
    assert code == 0, err
    assert "build report:" in err and f"pages     {len(PAGES_SPY_QQQ)} written to" in err
    assert re.search(r"SPY +last 2026-08-14, 0 behind, refreshed, full history \(not in the store\)", err)
    assert re.search(r"time +fetch [\d.]+s, validate [\d.]+s", err)
    assert "::warning" not in out  # nothing to warn about
    summary = site.summary.read_text()
    assert summary.startswith(f"\n## versus: {len(PAGES_SPY_QQQ)} pages as of 2026-08-14")
    assert "| fund | last close | sessions behind | this run |" in summary and "| stage | seconds |" in summary
    site.http.fail(429, tickers={"QQQ"})
    code, out, err = site.run("2026-08-17T18:35")
    assert code == 0
    # the site is as of SPY's 17 Aug; the annotation names QQQ, whose pages stay at 14 Aug
    assert "::warning title=Prices as of Mon 17 Aug 2026; today's refresh failed::Not refreshed: QQQ" in out
    assert "QQQ (prices end Fri 14 Aug 2026)" in out


def test_annotations_are_escaped():
    line = report._annotation("error", "exit 7: a, b", "60% move\nsecond line")
    assert line == "::error title=exit 7%3A a%2C b::60%25 move%0Asecond line"


def test_build_json_is_deterministic_and_complete(tmp_path, monkeypatch, capsys):
    runs = []
    for name in ("a", "b"):  # two repositories, same inputs
        (tmp_path / name).mkdir()
        with Site(tmp_path / name, monkeypatch, capsys, "2026-08-14") as s:
            assert s.run("2026-08-14T18:35")[0] == 0
        runs.append(s)
    a, b = runs
    assert a.tree() == b.tree()  # every file, build.json included
    doc = a.build_json()
    assert set(doc) == {"generator", "as_of", "source", "live", "expected_session", "max_stale_days", "funds", "banner", "pages", "not_started",
                        "notes", "warnings", "versions", "commit", "data_checks", "on_file"}
    assert doc["live"] is True and doc["max_stale_days"] == 3 and doc["generator"] == "versus"
    assert doc["pages"] == {u: "2026-08-14" for u in PAGES_SPY_QQQ}
    assert isinstance(doc["data_checks"], list)
    assert set(doc["funds"]["SPY"]) == {"first", "last", "stale", "sessions_behind", "refreshed", "refresh_error"}
    v = doc["versions"]
    assert v["python"].count(".") == 2 and v["pandas"] == pd.__version__ and v["yfinance"] and v["versus"]
    assert doc["commit"] is None  # the commit of the site's folder (the config's), and these are not repositories
    text = json.dumps(doc)
    assert not re.search(r"\d{2}:\d{2}:\d{2}", text), "no wall-clock time in build.json"


def test_git_commit_is_null_outside_a_repository(tmp_path):
    report.git_commit.cache_clear()
    try:
        assert report.git_commit(tmp_path) is None
    finally:
        report.git_commit.cache_clear()


def test_snapshot_build_has_build_json_without_refresh(default_site):
    out = default_site
    doc = json.loads((out / "build.json").read_text())
    assert doc["live"] is False and doc["expected_session"] is None and doc["banner"] is None
    assert doc["funds"]["SPY"] == {"first": "1993-01-29", "last": doc["as_of"], "stale": False}


def test_methodology_states_the_policy(site):
    assert site.run("2026-08-14T18:35")[0] == 0
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", site.page("methodology/index.html")).split()))
    assert "How current the prices are" in text
    assert "exchange calendar (XNYS)" in text and "at least 30 minutes ago" in text
    assert "more than 3 trading days behind the latest session, nothing is published" in text
    assert "last 5 stored trading days again" in text and "at least every 7 days" in text


@pytest.mark.parametrize("args, needle", [(["--max-stale-days", "-1"], "--max-stale-days -1: must be 0 or more"),
                                          (["--today", "someday"], "--today 'someday': not a date")])
def test_bad_live_arguments(site, args, needle):
    site.capsys.readouterr()
    code = main(["--live", "--config", str(site.config), "--out", str(site.out), "--store", str(site.store), *args])
    err = site.capsys.readouterr().err
    assert code == EXIT_CONFIG
    assert_one_line_error(err, needle)
    assert not site.out.exists() and site.http.count() == 0


def test_negative_limit_in_site_toml(tmp_path, monkeypatch, capsys):
    with Site(tmp_path, monkeypatch, capsys, "2026-08-14", CONFIG + "\n[options]\nmax_stale_days = -2\n") as site:
        code, _, err = site.run("2026-08-14T18:35")
    assert code == EXIT_CONFIG
    assert_one_line_error(err, "site.toml:", "max_stale_days")


def test_offline_build_from_a_saved_store_reproduces_the_figures(site, tmp_path):
    assert site.run("2026-08-14T18:35")[0] == 0
    live = json.loads((site.out / "api/pairs/spy-vs-qqq.json").read_text())
    site.http.clear_log()
    again = tmp_path / "again"
    assert main(["--config", str(site.config), "--store", str(site.store), "--as-of", "2026-08-14",
                 "--out", str(again), "--quiet"]) == 0
    assert site.http.count() == 0  # no Yahoo
    offline = json.loads((again / "api/pairs/spy-vs-qqq.json").read_text())
    assert offline["as_of"] == live["as_of"] == "2026-08-14"
    assert offline["funds"] == live["funds"] and offline["pair"] == live["pair"]


SPY_PAIRS = CONFIG.replace('funds = ["SPY", "QQQ"]', 'funds = ["SPY", "QQQ", "IWM"]').replace(
    'pairs = [["SPY", "QQQ"]]', 'pairs = [["SPY", "QQQ"], ["SPY", "IWM"]]')


def _entries(site_dir: Path) -> list[str]:
    return re.findall(r"<entry>.*?</entry>", (site_dir / "feed.xml").read_text(), re.S)


def test_history_survives_a_fresh_runner(tmp_path, monkeypatch, capsys):
    """Issue 14 item 2: day N into A, day N+1 into an EMPTY B with the same store: changes.since = day N and the
    feed has both days' entries (history.json in the store); an offline rebuild of day N+1 from the store is the
    same and leaves the store as it was; a fund's event is listed once per feed entry."""
    with Site(tmp_path, monkeypatch, capsys, "2026-08-13", SPY_PAIRS) as s:
        s.out = tmp_path / "A"
        assert s.run("2026-08-13T18:35")[0] == 0
        kept = json.loads((s.store / "history.json").read_text())
        assert kept["as_of"] == "2026-08-13" and set(kept["pairs"]) == {"api/pairs/spy-vs-qqq.json",
                                                                       "api/pairs/spy-vs-iwm.json"}
        from versus.facts.changes import essentials  # kept from the build's own documents: what was published
        assert all(e == essentials(json.loads((s.out / rel).read_text())) for rel, e in kept["pairs"].items())
        assert kept["feed"] == (s.out / "feed.xml").read_text()
        s.out = tmp_path / "B"
        code, _, err = s.run("2026-08-14T18:35")
        assert code == 0, err
        for slug in ("spy-vs-qqq", "spy-vs-iwm"):
            doc = json.loads((s.out / f"api/pairs/{slug}.json").read_text())
            assert doc["as_of"] == "2026-08-14" and doc["changes"]["since"] == "2026-08-13", slug
        entries = _entries(s.out)
        assert [re.search(r"<updated>(.{10})", e).group(1) for e in entries] == ["2026-08-14", "2026-08-13"]
        assert json.loads((s.store / "history.json").read_text())["as_of"] == "2026-08-14"
        before = s.store_bytes()
        offline = tmp_path / "C"
        assert main(["--config", str(s.config), "--store", str(s.store), "--as-of", "2026-08-14", "--out",
                     str(offline), "--quiet"]) == 0
        assert s.store_bytes() == before  # an offline build never writes the store
        assert (offline / "feed.xml").read_bytes() == (s.out / "feed.xml").read_bytes()
        for rel in ("api/pairs/spy-vs-qqq.json", "api/pairs/spy-vs-iwm.json"):  # (the source label differs)
            assert json.loads((offline / rel).read_text())["changes"] == json.loads((s.out / rel).read_text())["changes"]
        for entry in entries:  # SPY is in both pairs: its own events once
            lines = re.findall(r"(\w+) set a new", html.unescape(entry))
            assert len(lines) == len(set(lines)), lines


def test_a_failed_day_does_not_move_the_history(tmp_path, monkeypatch, capsys):
    """History is what was published: a build that exits 7 leaves history.json as it was, and a damaged
    history.json is a note (what changed starts again), never a failed publish."""
    with Site(tmp_path, monkeypatch, capsys, "2026-08-13") as s:
        assert s.run("2026-08-13T18:35")[0] == 0
        before = (s.store / "history.json").read_bytes()
        s.http.fail(429)
        s.out = tmp_path / "B"
        assert s.run("2026-08-19T18:35")[0] == EXIT_STALE
        assert (s.store / "history.json").read_bytes() == before
        s.http.rules.clear()
        (s.store / "history.json").write_text("{not json")
        code, _, err = s.run("2026-08-20T18:35")
        assert code == 0, err
        doc = s.build_json()
        assert any("history.json: unusable" in n for n in doc["notes"]) and doc["warnings"] == []
        assert json.loads((s.store / "history.json").read_text())["as_of"] == "2026-08-20"


def test_fund_facts_fetched_on_a_holiday_are_dated_its_session_and_reproduce(tmp_path, monkeypatch, capsys):
    """The first run of a store is on Fri 3 Jul 2026 (a holiday): the fund facts it fetches are dated Thu 2 Jul,
    the session its prices end on, so the offline rebuild `--store S --as-of 2026-07-02` (README: reproduce a
    past deployment) gives the same fund facts as the live site (found by the replay: dated the 3rd, they were
    left out of the rebuild)."""
    with Site(tmp_path, monkeypatch, capsys, "2026-07-03") as s:
        assert s.run("2026-07-03T18:35")[0] == 0
        md, manifest = s.stored()
        assert manifest.tickers["SPY"]["meta_refresh"] == "2026-07-03"  # the refresh interval counts run dates
        assert {e["as_of"] for m in md.meta.values() for e in m.values()} == {"2026-07-02"}
        again = tmp_path / "again"
        assert main(["--config", str(s.config), "--store", str(s.store), "--as-of", "2026-07-02", "--out",
                     str(again), "--quiet"]) == 0
        for t in ("SPY", "QQQ"):
            live, offline = (json.loads((d / f"api/funds/{t.lower()}.json").read_text())["funds"][t]
                             for d in (s.out, again))
            for key in ("expense_ratio", "aum", "name", "sources"):
                assert live[key] is not None and offline[key] == live[key], (t, key)

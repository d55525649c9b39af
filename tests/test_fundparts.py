"""The build's memo of each fund's part of a comparison page (:mod:`versus.pages.fundparts`) changes nothing.

A pair or group page's charts, tables, page data and descriptions are computed with the memo (a page computes
its funds' parts and the memo keeps them; a later page with the same funds on the same days, in any order,
is assembled from them: the same memo across every case) and without it
(:func:`versus.pages.charts.comparison_charts` with no memo: the computation every page made before), and
compared exactly: the page data as sent and as
floats (the static SVGs), every chart's texts, table rows and CSV, the claims of its description.  On the
real snapshot at several as-of dates, on short common histories (1 to 260 days), on common days with gaps, and
on a fund whose series has missing values where its partner's has none (the page then does without the memo).
Two builds in one process, of different prices, each use their own memo, and the second one's site is the
same bytes as without any memo.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from versus.analysis import series as an
from versus.config.site import load_config
from versus.pages import fundparts
from versus.pages.charts import ChartSet, comparison_charts
from versus.sources.snapshot import SnapshotSource

AS_OFS = [None, "2020-03-23", "2016-02-29", "2010-09-20", "2009-11-17"]
"""Today; a crash; a 29 February; VOO's (2010-09-09) and SCHA's (2009-11-03) first weeks."""
SETS = [["QQQ", "IWM"], ["SPY", "VOO"], ["SCHA", "SPY"], ["QQQ", "IWM", "SPY"], ["VOO", "SCHA", "DIA", "VTI"],
        ["IWM", "SPY"]]


@pytest.fixture(scope="module")
def adj() -> pd.DataFrame:
    return SnapshotSource().load(list(load_config().funds)).adj_close


def _page(adj: pd.DataFrame, tickers: list[str], memo) -> tuple[str, dict]:
    """One comparison page's charts (as :func:`versus.pages.sections.comparison_view` makes them), written out
    completely: (text, the time-series floats the static SVGs draw)."""
    joint = an.joint_closes(adj, tickers)
    cs = ChartSet()
    cs.data.shared = {t: f"../api/funds/{t.lower()}/series.csv" for t in tickers}
    extra = comparison_charts(cs, adj, joint, tickers, "api/pairs/x", {t: {} for t in tickers}, memo=memo)
    charts = [{"id": c.id, "title": c.title, "description": c.description, "note": c.note, "height": c.height,
               "recipes": {k: r.page() for k, r in c.recipe_map().items()},
               "table": None if c.table is None else {"caption": c.table.caption, "head": c.table.head,
                                                      "csv": c.table.csv, "rows": c.table.rows,
                                                      "text": c.table.to_csv()},
               "claims": c.statement.claims if c.statement is not None else None} for c in cs.charts]
    doc = {"json": cs.data.to_json(), "series": cs.data.series, "dates": cs.data.dates, "charts": charts,
           "regimes": extra["regimes"], "growth": extra["growth"].to_json(orient="split", double_precision=15),
           "rows": {n: cs.data.row_tuples(n) for n in cs.data.series}}
    floats = {n: cs.data.columns(n) for n in cs.data.series}
    return json.dumps(doc, sort_keys=True, default=repr), floats, extra["parts"]


def _same(adj, tickers, memo) -> bool:
    """The page with ``memo`` is the page without one; returns whether the memo's parts were used."""
    want, want_floats, _ = _page(adj, tickers, None)
    got, got_floats, parts = _page(adj, tickers, memo)
    assert got == want, tickers
    for name, cols in want_floats.items():
        assert cols.keys() == got_floats[name].keys()
        for k, v in cols.items():  # bit for bit (the static SVG's points), NaN where NaN
            assert v.dtype == got_floats[name][k].dtype and v.tobytes() == got_floats[name][k].tobytes(), (name, k)
    return parts is not None


def test_cached_pages_are_the_pages_at_several_dates(adj):
    memo = fundparts.FundParts()
    used = 0
    for as_of in AS_OFS:
        cut = adj if as_of is None else adj.loc[:as_of]
        for tickers in SETS:
            if all(t in cut.columns and cut[t].notna().any() for t in tickers):
                for order in (tickers, tickers[::-1], tickers):  # computed and kept, then found (in any order)
                    used += _same(cut, order, memo)
    assert used > 40 and memo.pages == used and memo.hits > memo.misses > 0


def test_short_and_gapped_common_days(adj):
    memo = fundparts.FundParts()
    joint = adj[["QQQ", "IWM"]].dropna()
    for n in (1, 2, 3, 21, 90, 91, 92, 200, 201, 252, 253, 260, 400):  # the windows fill one row after another
        for frame, tickers in ((joint.iloc[:n], ["QQQ", "IWM"]), (joint.iloc[-n:], ["IWM", "QQQ"])):
            assert not _same(frame, tickers, memo)  # computed, and its parts kept
            assert _same(frame, tickers[::-1], memo) and _same(frame, tickers, memo)
    gapped = adj[["QQQ", "IWM", "SPY"]].loc["2018":].copy()
    gapped.iloc[[5, 6, 300, 301, 302, 700], 1] = np.nan  # IWM misses days: the common days have gaps
    gapped.iloc[[40, 41, 500], 0] = np.nan
    used = [_same(gapped, tickers, memo) for tickers in (["QQQ", "IWM"], ["IWM", "SPY"], ["QQQ", "SPY"],
                                                          ["QQQ", "IWM", "SPY"], ["SPY", "QQQ"], ["IWM", "QQQ"])]
    assert used == [False, False, False, False, True, True]  # each set of days is its own; QQQ-SPY, QQQ-IWM again


def test_a_fund_with_other_missing_values_goes_without_the_memo(adj):
    """A zero close makes one fund's rolling volatility NaN for 90 days where its partner's has values: the days a
    resampled series keeps would depend on the funds beside it, so no part is kept from that page."""
    frame = adj[["QQQ", "IWM", "SPY"]].loc["2019":].copy()
    frame.iloc[300, 1] = 0.0
    memo = fundparts.FundParts()
    assert not _same(frame, ["QQQ", "IWM"], memo) and not memo.entries
    assert not _same(frame, ["QQQ", "IWM"], memo)  # still not kept: computed again
    assert not _same(frame, ["QQQ", "SPY"], memo) and len(memo.entries) == 2
    assert _same(frame, ["SPY", "QQQ"], memo) and memo.pages == 1


def test_memo_is_bounded():
    memo = fundparts.FundParts(max_bytes=400_000)  # a part at 3,000 days: ~60 KB
    idx = pd.bdate_range("2000-01-03", periods=3000)
    rng = np.random.default_rng(3)
    closes = pd.DataFrame(100 * np.exp(np.cumsum(rng.normal(0, 0.01, (3000, 12)), axis=0)), index=idx,
                          columns=[f"F{k}" for k in range(12)])
    for k in range(11):
        _page(closes, [f"F{k}", f"F{k + 1}"], memo)
    assert memo.bytes <= memo.max_bytes and 0 < len(memo.entries) < 12
    assert memo.bytes == sum(p.nbytes for p in memo.entries.values())


def test_common_days_are_found_exactly():
    """Two sets of dates with the same length, first and last day but one other day different are two sets."""
    memo = fundparts.FundParts()
    a = pd.DatetimeIndex(["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-08"])
    b = pd.DatetimeIndex(["2020-01-02", "2020-01-03", "2020-01-07", "2020-01-08"])
    assert memo.days(a) is memo.days(pd.DatetimeIndex(list(a)))
    assert memo.days(a) is not memo.days(b) and memo.days(a).serial != memo.days(b).serial


def test_two_builds_in_one_process_do_not_share_parts(tmp_path, monkeypatch):
    from bench.synthetic import make_config, make_prices
    from versus.build import build
    from versus.pages import base

    monkeypatch.setenv("VERSUS_WORKERS", "1")  # in this process: the memo's counters are readable here
    made = []

    class Recorded(fundparts.FundParts):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(base, "FundParts", Recorded)
    first, second = make_prices(6, years=3, seed=7), make_prices(6, years=3, seed=8)
    assert list(first.adj_close.columns) == list(second.adj_close.columns)
    assert first.adj_close.index.equals(second.adj_close.index)  # the same funds on the same days: same keys
    cfg = make_config(list(first.adj_close.columns), 6, 1)
    build(cfg, first, tmp_path / "first", quiet=True)
    build(cfg, second, tmp_path / "second", quiet=True)
    assert len(made) == 2 and made[0] is not made[1]
    assert made[1].misses > 0 and made[1].pages > 0
    monkeypatch.setattr(Recorded, "page", lambda self, joint, tickers: None)  # no memo at all
    build(cfg, second, tmp_path / "plain", quiet=True)
    files = sorted(p.relative_to(tmp_path / "plain") for p in (tmp_path / "plain").rglob("*")
                   if p.is_file() and p.name != "build.json")
    assert len(files) > 50
    for f in files:
        assert (tmp_path / "second" / f).read_bytes() == (tmp_path / "plain" / f).read_bytes(), f

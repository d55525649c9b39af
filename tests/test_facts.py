"""Facts engine: typed facts, thresholds, wording by outcome, series statistics, and the
new fields of the pair JSON (pinned here)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from versus import analysis, facts, fmt
from versus import metrics as m
from versus.facts import THRESHOLDS

T = {k: v.value for k, v in THRESHOLDS.items()}
PAIR_IDS = ["return_1y_leader", "return_5y_leader", "cheaper_fund", "deeper_drawdown_5y", "higher_yield",
            "more_concentrated", "growth_5y", "fee_cost_10y", "deeper_drawdown_10y", "correlation_1y",
            "correlation_rolling_1y", "lead_lag"]


def fund(r1=0.10, r5=0.50, er=0.001, y=0.01, dd5=-0.20, dd10=-0.30, n=100, g5=None):
    """A hand-made fund section shaped like the API's."""
    def dd(v, peak="2022-01-03", trough="2022-10-12", rec="2023-06-01"):
        return None if v is None else {"value": v, "peak": peak, "trough": trough, "recovery": rec}
    return {
        "total_return": {"1y": r1, "5y": r5}, "expense_ratio": er, "dividend_yield_ttm": y,
        "dividend_yield_published": None, "holdings_count": n,
        "max_drawdown": {"5y": dd(dd5), "10y": dd(dd10, "2020-02-19", "2020-03-23", "2020-08-10")},
        "growth_of_1000": {"5y": None if r5 is None else (g5 or 1000 * (1 + r5))},
    }


def by_id(fs):
    return {f.id: f for f in fs}


# --------------------------------------------------------------------------- facts and thresholds
def test_pair_fact_ids_are_stable_and_typed():
    fs = facts.pair_facts("A", "B", fund(), fund(r1=0.2))
    assert [f.id for f in fs] == PAIR_IDS
    for f in fs:
        j = f.to_json()
        assert set(j) == {"id", "text", "values", "claims"} and j["values"]["unit"] == f.unit


def test_return_leader_slight_clear_and_tie_follow_thresholds():
    base = 0.10
    slight = base + T["return_slight"] / 2
    clear = base + T["return_slight"] * 2
    tie = base + T["return_tie"] / 2
    f = by_id(facts.pair_facts("A", "B", fund(r1=slight), fund(r1=base)))["return_1y_leader"]
    assert f.values["leader"] == "A" and "slightly outperformed" in f.text
    assert f.values["difference"] == pytest.approx(fmt.lead(slight, base) / 100)
    assert f"{fmt.pct(slight)} against {fmt.pct(base)}" in f.text
    f = by_id(facts.pair_facts("A", "B", fund(r1=base), fund(r1=clear)))["return_1y_leader"]
    assert f.values["leader"] == "B" and "B outperformed A" in f.text and "slightly" not in f.text
    f = by_id(facts.pair_facts("A", "B", fund(r1=tie), fund(r1=base)))["return_1y_leader"]
    assert f.values["leader"] is None and "about the same" in f.text


def test_missing_data_is_said_not_guessed():
    fs = by_id(facts.pair_facts("A", "B", fund(r5=None, dd5=None, dd10=None), fund()))
    assert fs["return_5y_leader"].values["leader"] is None and "A lacks" in fs["return_5y_leader"].text
    assert fs["growth_5y"].values["missing"] == "A"
    assert "cannot be compared" in fs["deeper_drawdown_5y"].text
    s = facts.summary(list(fs.values()), "A", "B")
    assert "Five-year figures are not available: A" in s


def test_fees_identical_cheaper_far_cheaper_and_their_cost():
    near = 0.0010 + T["fee_identical"] / 2
    f = by_id(facts.pair_facts("A", "B", fund(er=0.0010), fund(er=near)))
    assert f["cheaper_fund"].values["cheaper"] is None and "nearly identical" in f["cheaper_fund"].text
    far = 0.0003 * (T["fee_far"] + 1)
    f = by_id(facts.pair_facts("A", "B", fund(er=0.0003), fund(er=far)))
    assert f["cheaper_fund"].values["cheaper"] == "A" and "far cheaper" in f["cheaper_fund"].text
    cost = f["fee_cost_10y"].values
    r = T["fee_assumed_return"]
    expected = 10_000 * ((1 + r - 0.0003) ** 10 - (1 + r - far) ** 10)
    assert cost["cost"] == round(expected)  # whole dollars, as the sentence says
    assert fmt.money(expected) in f["fee_cost_10y"].text and fmt.pct(r, 0) in f["fee_cost_10y"].text
    f = by_id(facts.pair_facts("A", "B", fund(er=0.0010), fund(er=0.0010 * 2)))
    assert "A is the cheaper fund" in f["cheaper_fund"].text


def prof(w, sector=None, weight=None):
    return {"top10_weight": w, "top_sector": sector, "top_sector_weight": weight}


def test_concentration_is_the_top10_weight_not_the_holdings_count():
    """VOO's 503 holdings against VTI's 3,482 once made VOO 'far more concentrated'; by what matters, the weight
    of the ten largest holdings (40.1% against 35.2%), it is more concentrated, not far more."""
    fs = by_id(facts.pair_facts("VOO", "VTI", fund(n=503), fund(n=3482),
                                profiles={"VOO": prof(0.401), "VTI": prof(0.352)}))
    f = fs["more_concentrated"]
    assert f.values["leader"] == "VOO" and f.text.startswith("VOO is more concentrated: its ten largest holdings "
                                                             "make up 40.1% of the fund against 35.2% for VTI "
                                                             "(503 holdings against 3,482)")
    # 49.5% against 5.1%: over twice as much ("far"); fewer holdings is not what decides
    f = by_id(facts.pair_facts("QQQ", "IWM", fund(n=101), fund(n=1942),
                               profiles={"QQQ": prof(0.495), "IWM": prof(0.051)}))["more_concentrated"]
    assert f.values["leader"] == "QQQ" and "QQQ is far more concentrated" in f.text
    # more holdings and still more concentrated: the count alone never decides
    f = by_id(facts.pair_facts("A", "B", fund(n=3000), fund(n=100), profiles={"A": prof(0.30), "B": prof(0.20)}))
    assert f["more_concentrated"].values["leader"] == "A"
    # within 2 points as shown: similar (21.9% and 20.0% differ by 1.9)
    f = by_id(facts.pair_facts("A", "B", fund(), fund(), profiles={"A": prof(0.219), "B": prof(0.200)}))
    assert f["more_concentrated"].values["leader"] is None and "similarly concentrated" in f["more_concentrated"].text
    # no top-10 weight on file: not compared at all
    f = by_id(facts.pair_facts("A", "B", fund(n=10), fund(n=1000), profiles={"A": prof(0.5)}))
    assert f["more_concentrated"].values["leader"] is None and "cannot be compared" in f["more_concentrated"].text


def test_concentration_names_the_largest_sector_as_such():
    """It once read "…make up 50.0% of the fund and Information Technology 32.0%" (the sector had no verb)."""
    profiles = {"A": prof(0.5, "Information Technology", 0.32), "B": prof(0.1)}
    f = by_id(facts.pair_facts("A", "B", fund(n=100), fund(n=900), profiles=profiles))["more_concentrated"]
    assert f.text.endswith("(100 holdings against 900); its largest sector, Information Technology, is 32.0%.")


def test_summary_wording_varies_by_outcome():
    # same fund leads income and return -> "and"; different -> "but"
    s1 = facts.summary(facts.pair_facts("A", "B", fund(r1=0.3, y=0.02), fund(r1=0.1, y=0.01)), "A", "B")
    assert s1.startswith("A offers the higher dividend yield") and " and outperformed over the past year" in s1
    s2 = facts.summary(facts.pair_facts("A", "B", fund(r1=0.1, y=0.02), fund(r1=0.3, y=0.01)), "A", "B")
    assert ", but B outperformed over the past year" in s2
    # the long-run sentence: growth leader with the deeper drawdown -> "but"; otherwise "not"
    s3 = facts.summary(facts.pair_facts("A", "B", fund(r5=1.0, dd5=-0.35), fund(r5=0.3, dd5=-0.2)), "A", "B")
    assert "became much more in A than in B" in s3 and "but A suffered the deeper five-year drawdown" in s3
    s4 = facts.summary(facts.pair_facts("A", "B", fund(r5=1.0, dd5=-0.2), fund(r5=0.3, dd5=-0.35)), "A", "B")
    assert "and B, not A, suffered the deeper" in s4
    assert len({s1, s2, s3, s4}) == 4


def test_correlation_levels_follow_thresholds():
    hi, mid = T["correlation_high"], T["correlation_moderate"]
    assert facts.corr_level(hi) == "closely"
    assert facts.corr_level((hi + mid) / 2) == "moderately"
    assert facts.corr_level(mid / 2) == "loosely"
    assert facts.corr_level(-0.1) == "negatively"


def test_group_facts_rank_best_worst_cheapest():
    funds = {"A": fund(r1=0.1, er=0.002), "B": fund(r1=0.3, er=0.0005), "C": fund(r1=0.2, er=0.001, dd5=-0.5)}
    fs = by_id(facts.group_facts(["A", "B", "C"], funds))
    assert fs["return_1y_leader"].values["leader"] == "B" and fs["return_1y_leader"].values["laggard"] == "A"
    assert fs["cheaper_fund"].values["cheaper"] == "B"
    assert fs["deeper_drawdown_5y"].values["deeper"] == "C"


def test_group_facts_name_every_fund_tied_as_shown():
    """Funds tied as shown are named together, never one of them as "the cheapest" (QUAL, MTUM and USMV all charge
    0.15%; QQQ and IWF the dearest at 0.18%), and the claims list them all."""
    from versus.facts.calendar import group_summary

    funds = {"A": fund(r1=0.10004, er=0.0015, dd5=-0.3), "B": fund(r1=0.1, er=0.0015, dd5=-0.3),
             "C": fund(r1=0.1, er=0.0015, dd5=-0.30001)}
    fs = by_id(facts.group_facts(["A", "B", "C"], funds))
    assert fs["cheaper_fund"].text.startswith("A, B and C all charge 0.15% a year")
    assert fs["return_1y_leader"].text == "Over the past year, A, B and C returned about the same (10.0%)."
    assert fs["deeper_drawdown_5y"].text == "A, B and C all fell about as far over five years (30.0%)."
    for t in funds:
        funds[t]["cagr"] = {"5y": None}
    assert "A, B and C all charge 0.15% a year." in " ".join(st.text for st in group_summary(["A", "B", "C"], funds))
    funds = {"A": fund(r1=0.2, er=0.0018), "B": fund(r1=0.1, er=0.0003), "C": fund(r1=0.2, er=0.0018, dd5=-0.5)}
    fs = by_id(facts.group_facts(["A", "B", "C"], funds))
    assert fs["cheaper_fund"].text.startswith("B is the cheapest at 0.03% a year; A and C the dearest at 0.18%")
    assert fs["return_1y_leader"].text.startswith("Over the past year, A and C returned the most (20.0%) and B the")
    assert fs["return_1y_leader"].claims[0]["best"] == ["A", "C"]


def test_group_summary_ranks_best_worst_and_cheapest():
    """A group page's summary names the best and worst fund over 1 and 5 years and the cheapest one."""
    from versus.facts.calendar import group_summary

    funds = {"A": fund(r1=0.1, er=0.002), "B": fund(r1=0.3, er=0.0005), "C": fund(r1=0.2, er=0.001, dd5=-0.5)}
    for t, cagr in (("A", 0.05), ("B", None), ("C", 0.07)):
        funds[t]["cagr"] = {"5y": cagr}
    text = " ".join(st.text for st in group_summary(["A", "B", "C"], funds))
    assert "Over 5 years C returned the most (7.0% a year) and A the least (5.0% a year)." in text
    assert "Over 1 year B returned the most (30.0%) and A the least (10.0%)." in text
    assert text.endswith("B is the cheapest to hold (0.05% a year).")


def test_thresholds_have_rules_and_display():
    for name, t in THRESHOLDS.items():
        assert t.rule and t.display, name
    assert THRESHOLDS["fee_far"].display == f"{T['fee_far']:g}×"


# --------------------------------------------------------------------------- series statistics
def _returns(n=400, seed=1):
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range("2020-01-01", periods=n)
    return pd.Series(rng.normal(0, 0.01, n), index=idx)


def test_cross_correlation_finds_a_planted_lead():
    a = _returns()
    b = a.shift(2) + _returns(seed=2) * 0.2  # B follows A two days later
    cc = m.cross_correlation(a, b, 5)
    assert list(cc.index) == list(range(-5, 6))
    assert int(cc.abs().idxmax()) == 2
    assert cc.loc[0] == pytest.approx(m.correlation(a, b))


def test_rolling_correlation_matches_pandas():
    a, b = _returns(), _returns(seed=3)
    r = m.rolling_correlation(a, b, 60)
    expect = a.rolling(60).corr(b).dropna()
    assert len(r) == len(a) - 59
    assert np.allclose(r.to_numpy(), expect.to_numpy())


def test_pair_series_lead_lag_and_rolling_range():
    a = _returns(n=1900)
    b = a.shift(1) * 0.9 + _returns(n=1900, seed=5) * 0.1
    rets = pd.DataFrame({"A": a, "B": b})
    end = rets.index[-1]
    vals, reasons = analysis.pair_series(rets, "A", "B", end)
    ll = vals["lead_lag"]
    assert ll["leader"] == "A" and ll["strongest_lag"] == 1
    assert abs(ll["strongest"]) - abs(ll["same_day"]) > T["lead_lag_margin"]
    assert abs(ll["strongest"]) > ll["noise_band"] == pytest.approx(T["lead_lag_noise"] / ll["observations"] ** 0.5)
    text = by_id(facts.pair_facts("A", "B", fund(), fund(), vals))["lead_lag"].text
    assert text.startswith("A has tended to lead B by 1 trading day")
    rc = vals["correlation_rolling_1y"]
    roll = m.rolling_correlation(rets["A"].dropna(), rets["B"].dropna(), 252)
    roll = roll.loc[roll.index > m.window_anchor(end, "5y")]
    assert rc["min"] == pytest.approx(roll.min()) and rc["max"] == pytest.approx(roll.max())
    assert rc["min_date"] == roll.idxmin().date().isoformat()
    # no lead: independent series
    vals, _ = analysis.pair_series(pd.DataFrame({"A": _returns(n=300), "B": _returns(n=300, seed=9)}), "A", "B",
                                rets.index[299])
    assert vals["lead_lag"]["leader"] is None
    assert vals["correlation_rolling_1y"] is None and "correlation_rolling_1y" in _


def test_fund_series_drawdown_now_and_52_week_high():
    idx = pd.bdate_range("2024-01-01", periods=400)
    p = pd.Series(np.linspace(100, 200, 400), index=idx)
    p.iloc[-50:] = np.linspace(190, 150, 50)  # falls after the high
    s = analysis.fund_series(p, idx[-1])
    peak = p.idxmax()
    assert s["drawdown_now"]["value"] == pytest.approx(p.iloc[-1] / p.max() - 1)
    assert s["drawdown_now"]["peak"] == peak.date().isoformat() == s["high_52w"]["date"]


# --------------------------------------------------------------------------- the built site (JSON pinned)
def test_pair_json_pins_new_fields(site):
    doc = json.loads((site / "api/pairs/qqq-vs-iwm.json").read_text())
    assert [f["id"] for f in doc["facts"]] == PAIR_IDS
    rc = doc["pair"]["correlation_rolling_1y"]
    assert set(rc) == {"min", "max", "min_date", "max_date", "window_days", "windows", "since", "horizon"}
    assert -1 <= rc["min"] <= rc["max"] <= 1 and rc["window_days"] == m.TRADING_DAYS
    ll = doc["pair"]["lead_lag"]
    assert set(ll) == {"horizon", "observations", "max_lag", "by_lag", "same_day", "strongest_lag", "strongest",
                       "leader", "margin", "noise_band"}
    assert sorted(map(int, ll["by_lag"])) == list(range(-5, 6))
    # lag 0 over the one-year window is the published one-year correlation
    assert ll["by_lag"]["0"] == pytest.approx(doc["pair"]["correlation"]["1y"], abs=1e-7)
    assert ll["same_day"] == ll["by_lag"]["0"]
    assert isinstance(doc["takeaways"], list) and doc["takeaways"]
    assert all(set(q) == {"question", "answer"} for q in doc["faq"]) and len(doc["faq"]) == 6
    for t in doc["tickers"]:
        f = doc["funds"][t]
        assert set(f["drawdown_now"]) == {"value", "peak"} and -1 < f["drawdown_now"]["value"] <= 0
        assert set(f["high_52w"]) == {"date", "weeks"} and f["high_52w"]["date"] <= doc["as_of"]
    assert set(doc["changes"]) == {"since", "items"}


def test_rolling_range_recomputed_from_the_snapshot(site):
    from versus.sources.snapshot import SnapshotSource

    doc = json.loads((site / "api/pairs/voo-vs-iwm.json").read_text())
    md = SnapshotSource().load(["VOO", "IWM"])
    end = pd.Timestamp(doc["as_of"])
    rets = md.adj_close[["VOO", "IWM"]].loc[:end].pct_change(fill_method=None).dropna()
    roll = rets["VOO"].rolling(252).corr(rets["IWM"]).dropna()
    roll = roll.loc[roll.index > end - pd.DateOffset(years=5)]
    rc = doc["pair"]["correlation_rolling_1y"]
    assert rc["min"] == pytest.approx(roll.min(), abs=1e-7) and rc["max"] == pytest.approx(roll.max(), abs=1e-7)
    assert rc["max_date"] == roll.idxmax().date().isoformat()


def test_faq_is_on_the_page_without_faqpage_json_ld(site):
    """The FAQ is on the page; its FAQPage JSON-LD is gone (issue 17, deliberate: Google shows FAQ rich results
    only for government and health sites since August 2023); the WebPage/Dataset JSON-LD stays."""
    import html as h
    import re

    doc = json.loads((site / "api/pairs/qqq-vs-iwm.json").read_text())
    page = (site / "qqq-vs-iwm/index.html").read_text()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1 and '"FAQPage"' not in page and '"@graph"' in blocks[0]
    text = h.unescape(page)
    for q in doc["faq"]:
        assert q["question"] in text and q["answer"] in text
    for t in doc["takeaways"]:
        assert t in text


def test_methodology_lists_every_threshold(site):
    import html as h

    page = h.unescape((site / "methodology/index.html").read_text())
    for t in THRESHOLDS.values():
        assert t.rule in page and t.display in page



# --------------------------------------------------------------------------- dated fund facts in prose (issue 13)
def dated(f: dict, after: bool = False, old: bool = False, **as_of) -> dict:
    """``f`` with the observation dates of its fund facts (``sources``, as in the API)."""
    f = dict(f)
    f["sources"] = {k: {"as_of": v, "source": "s", "observed_after_as_of": after, "old": old}
                    for k, v in as_of.items()}
    return f


def test_facts_observed_more_than_six_months_apart_are_not_compared():
    a = dated(fund(er=0.0019, y=None, n=1942), expense_ratio="2026-04", top_holdings="2026-04",
              dividend_yield_published="2026-04")
    b = dated(fund(er=0.0004, y=None, n=1793), expense_ratio="2022-08-29", top_holdings="2022-08-29",
              dividend_yield_published="2022-08-29")
    a["dividend_yield_published"], b["dividend_yield_published"] = 0.0092, 0.0141
    fs = by_id(facts.pair_facts("IWM", "SCHA", a, b, profiles={"IWM": prof(0.03), "SCHA": prof(0.04)}))
    for fid in ("cheaper_fund", "higher_yield", "more_concentrated", "fee_cost_10y"):
        v = fs[fid].values
        assert v["leader"] is None and v["comparable"] is False, fid
        assert "more than six months apart" in fs[fid].text, fid
        assert "29 Aug 2022" in fs[fid].text and "Apr 2026" in fs[fid].text, fid  # the sentence says when
    assert fs["fee_cost_10y"].values["cost"] is None
    s = facts.summary(list(fs.values()), "IWM", "SCHA")
    assert "1.41%" not in s and "cheaper" not in s and "concentrated" not in s and "diversified" not in s
    assert fs["higher_yield"].text in facts.takeaways(list(fs.values()))


def test_facts_observed_within_six_months_are_compared():
    a = dated(fund(er=0.0018, n=101), expense_ratio="2026-04", top_holdings="2026-01")
    b = dated(fund(er=0.0019, n=1942), expense_ratio="2026-01", top_holdings="2026-04")
    fs = by_id(facts.pair_facts("QQQ", "IWM", a, b, profiles={"QQQ": prof(0.495), "IWM": prof(0.051)}))
    assert fs["cheaper_fund"].values["comparable"] is True and fs["more_concentrated"].values["leader"] == "QQQ"
    assert "observed" not in fs["more_concentrated"].text
    s = facts.summary(list(fs.values()), "QQQ", "IWM")
    assert "far more concentrated" in s


@pytest.mark.parametrize("after,old,words", [(True, False, "after this page's date"),
                                             (False, True, "over a year before this page's date")])
def test_facts_observed_after_the_date_or_long_before_it_say_so(after, old, words):
    a = dated(fund(er=0.0003), after, old, expense_ratio="2022-10")
    b = dated(fund(er=0.0014), after, old, expense_ratio="2022-10")
    fs = by_id(facts.pair_facts("SGOV", "BIL", a, b))
    f = fs["cheaper_fund"]
    assert f.values["leader"] == "SGOV" and f"both observed in Oct 2022, {words}" in f.text
    assert "cheaper" not in facts.summary(list(fs.values()), "SGOV", "BIL")  # the summary leaves it to the takeaway
    one = by_id(facts.pair_facts("A", "B", dated(fund(er=0.0003), after, old, expense_ratio="2026-09-27"),
                                 dated(fund(er=0.0014), expense_ratio="2026-04")))["cheaper_fund"]
    assert f"A's observed on 27 Sep 2026, {words}" in one.text


def test_concentration_does_not_apply_to_a_commodity_trust():
    a, b = fund(n=1), fund(n=2)
    a["asset_class"] = b["asset_class"] = "commodity"
    fs = by_id(facts.pair_facts("IAU", "GLD", a, b))
    f = fs["more_concentrated"]
    assert f.values == {"leader": None, "applies": False} and "does not apply" in f.text
    assert f.text not in facts.takeaways(list(fs.values()))
    assert "concentrated" not in facts.summary(list(fs.values()), "IAU", "GLD")


def test_group_fees_dated_apart_are_not_ranked():
    def g(er, when):
        return {**dated(fund(er=er), expense_ratio=when), "cagr": {"5y": 0.1}}
    funds = {"A": g(0.0003, "2022-10"), "B": g(0.0009, "2026-01"), "C": g(0.0019, "2026-04")}
    f = by_id(facts.group_facts(["A", "B", "C"], funds))["cheaper_fund"]
    assert f.values["leader"] is None and "not ranked" in f.text and "Oct 2022" in f.text
    from versus.facts.calendar import group_summary

    def said(funds):
        return " ".join(st.text for st in group_summary(["A", "B", "C"], funds))
    assert "cheapest" not in said(funds)
    funds["A"] = g(0.0003, "2026-02")
    assert by_id(facts.group_facts(["A", "B", "C"], funds))["cheaper_fund"].values["leader"] == "A"
    assert "A is the cheapest" in said(funds)

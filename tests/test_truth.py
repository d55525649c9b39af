"""The sentence checker (``tests/truth.py``): a fast run in ``make test`` (four dates, five pairs: a fund's first
day, 29 Feb 2016, the stale funds' date and the default build), and proof that it catches each class of false
sentence (a checker that could not fail would prove nothing)."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import truth
from versus.pages.base import expand_statements

ROOT = Path(__file__).resolve().parent.parent


def test_every_sentence_holds_at_the_fast_dates(capsys):
    report = truth.Report()
    truth.run(truth.FAST_DATES, truth.FAST_PAIRS, ROOT, report, verbose=False)
    print(report.summary())
    assert report.dates == len(truth.FAST_DATES)
    assert report.sentences > 500 and report.claims > 1500
    assert not report.problems, report.summary()


@pytest.fixture(scope="module")
def published(site):
    return json.loads((site / "api/pairs/qqq-vs-iwm.json").read_text())


@pytest.fixture(scope="module")
def doc(published):
    """The page's document with its statements written out (published compact: issue 17), to be spoiled."""
    return {**published, "statements": expand_statements(published)}


def problems(doc, change) -> list[str]:
    d = copy.deepcopy(doc)
    change(d)
    report = truth.Report()
    truth.check_page(d, "qqq-vs-iwm", report)
    return sorted(report.by_class())


def _takeaway(d, fid):
    return next(st for st in d["statements"] if st["where"] == "takeaway" and st["facts"] == [fid])


def test_the_shipped_page_is_clean(doc, published):
    assert problems(doc, lambda d: None) == []
    assert problems(published, lambda d: None) == []  # as published: compact statements, read back by the checker


def test_a_compact_statement_is_checked_against_what_it_refers_to(published):
    """A takeaway published as a reference to its text and its fact's claims is checked against them: spoil the
    fact's claim or the takeaway's text and the checker sees it."""
    st = next(s for s in published["statements"] if s["where"] == "takeaway" and s["facts"] == ["return_1y_leader"])
    assert "text" not in st and "claims" not in st

    def claim(d):
        next(f for f in d["facts"] if f["id"] == "return_1y_leader")["claims"][0]["leader"] = "QQQ"
    assert "wrong comparative (return)" in problems(published, claim)

    def text(d):
        i = int(st["at"].split(".")[1])
        d["takeaways"][i] = d["takeaways"][i].replace("6.8 points", "6.9 points")
    assert problems(published, text) == ["lead disagrees with the rounded figures"]


def test_it_catches_a_wrong_leader(doc):
    def flip(d):
        st = _takeaway(d, "return_1y_leader")
        st["text"] = st["text"].replace("IWM outperformed QQQ", "QQQ outperformed IWM")
    assert "leader not the subject (return)" in problems(doc, flip)

    def claim(d):
        _takeaway(d, "return_1y_leader")["claims"][0]["leader"] = "QQQ"
    assert "wrong comparative (return)" in problems(doc, claim)


def test_it_catches_a_lead_that_disagrees_with_the_rounded_figures(doc):
    def lead(d):
        st = _takeaway(d, "return_1y_leader")  # 34.1% against 27.3%: 6.8 points, not 6.9
        st["text"] = st["text"].replace("6.8 points", "6.9 points")
        st["claims"][0]["lead"] = "6.9 points"
    assert problems(doc, lead) == ["lead disagrees with the rounded figures"]


def test_it_catches_an_unfounded_degree_and_a_missing_horizon(doc):
    def slight(d):
        st = _takeaway(d, "return_1y_leader")
        st["text"] = st["text"].replace("IWM outperformed", "IWM slightly outperformed")
    assert problems(doc, slight) == ["degree word unfounded (return)"]

    def horizon(d):
        st = _takeaway(d, "return_5y_leader")
        st["text"] = st["text"].replace("Over five years, ", "")
    assert "horizon not named" in problems(doc, horizon)


def test_it_catches_grew_to_for_a_loss_and_a_negative_zero(doc):
    def loss(d):
        st = next(s for s in d["statements"] if s["where"] == "chart:growth")
        st["claims"][0]["value"] = -5
    assert "direction word contradicts the sign" in problems(doc, loss)

    def zero(d):
        _takeaway(d, "correlation_1y")["text"] += " Lead: \u22120.0%."
    assert "negative zero" in problems(doc, zero)


def test_it_catches_contradictions_duplicates_and_uncovered_comparatives(doc):
    def contradict(d):
        st = next(s for s in d["statements"] if s["where"] == "faq" and "return_1y_leader" in s["facts"])
        st["claims"][0]["leader"] = None
        st["claims"][0]["degree"] = ""
    assert "statements contradict each other" in problems(doc, contradict)

    def duplicate(d):
        d["statements"].append(copy.deepcopy(_takeaway(d, "return_5y_leader")))
    assert "duplicated takeaway" in problems(doc, duplicate)

    def bare(d):
        d["statements"].append({"where": "summary", "text": "QQQ outperformed IWM.", "facts": [], "claims": []})
    assert problems(doc, bare) == ["comparative sentence without a claim"]


def test_it_catches_a_figure_that_is_not_the_published_one(doc):
    def cite(d):
        d["funds"]["IWM"]["total_return"]["1y"] = 0.30
    assert "claim value differs from the JSON figure" in problems(doc, cite)


def test_group_takeaways_and_faq_are_checked_and_a_tie_ranked_as_a_lead_is_caught(site):
    g = json.loads((site / "api/groups/iwm-spy-qqq.json").read_text())
    g["statements"] = expand_statements(g)
    where = {st["where"] for st in g["statements"]}
    assert {"takeaway", "faq", "group"} <= where
    report = truth.Report()
    truth.check_page(g, "iwm-spy-qqq", report)
    assert report.problems == []

    def tie(d):
        st = next(s for s in d["statements"] if s["where"] == "takeaway" and s["facts"] == ["cheaper_fund"])
        c = st["claims"][0]
        other = next(t for t in c["values"] if t not in c["best"])
        c["values"][other] = c["values"][c["best"][0]]  # two funds equally cheap, one named the cheapest
    assert "tie ranked as a lead" in problems(g, tie)

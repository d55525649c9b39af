"""Compact statements (issue 17): a page document's ``statements`` refer to the texts and claims the document
already holds (:func:`versus.pages.base.compact_statement`), and read back written out
(:func:`versus.pages.base.expand_statements`) exactly as they were, numbers to 10 decimals."""
from __future__ import annotations

import copy

from versus.pages.base import SAME, compact_statement, expand_statements, statements_json, _text_places
from versus.facts.model import Statement

LEAD = {"kind": "compare", "rule": "return", "funds": ["A", "B"], "values": {"A": 0.3, "B": 0.2}, "leader": "A",
        "degree": "", "lead": "10.0 points", "horizon": "1y", "refs": {"A": "funds.A.total_return.1y"}}
HORIZON = {"kind": "horizon", "horizon": "1y"}
ROWS = {"2024": [0.123456789012345, -0.1], "2025": [0.2, 0.3]}


def _doc() -> dict:
    facts = [{"id": "ret", "text": "A outperformed B over the past year.", "values": {}, "claims": [LEAD, HORIZON]},
             {"id": "fee", "text": "A is cheaper.", "values": {}, "claims": [{"kind": "compare", "rule": "fee"}]}]
    return {"facts": facts, "summary": "Over the past year A outperformed B. A is cheaper.",
            "takeaways": [facts[0]["text"]], "faq": [{"question": "Which?", "answer": "A is cheaper."}],
            "changes": {"items": [{"text": "A took the lead.", "claims": []}]}}


def _said() -> list[Statement]:
    no_lead = {k: v for k, v in LEAD.items() if k != "lead"}
    return [Statement("summary", "Over the past year A outperformed B.", ["ret"], [no_lead, HORIZON]),
            Statement("summary", "A is cheaper.", ["fee"], [{"kind": "compare", "rule": "fee"}]),
            Statement("takeaway", "A outperformed B over the past year.", ["ret"], [LEAD, HORIZON]),
            Statement("faq", "A is cheaper.", ["fee"], [{"kind": "compare", "rule": "fee"}]),
            Statement("chart:years", "A beat B in 1 of 2 years; the widest gap was 2024.", [],
                      [{"kind": "tally", "rows": ROWS, "count": 1, "of": 2},
                       {"kind": "widest", "rows": ROWS, "year": "2024"}])]


def test_texts_and_claims_the_document_holds_are_referred_to():
    doc = _doc()
    out = statements_json(_said(), [], doc["changes"], doc)
    summary, fee, takeaway, faq, chart, change = out
    assert summary == {"where": "summary", "facts": ["ret"], "at": "summary", "span": [0, 36],
                       "claims": ["ret#0-lead", "ret#1"]}
    assert fee == {"where": "summary", "facts": ["fee"], "at": "summary", "span": [37, 50]}
    assert takeaway == {"where": "takeaway", "facts": ["ret"], "at": "takeaways.0"}  # claims: exactly the fact's
    assert faq == {"where": "faq", "facts": ["fee"], "at": "faq.0.answer"}  # its own place, not the summary's
    assert change == {"where": "change", "at": "changes.items.0.text"}  # no facts, no claims
    assert chart["text"].startswith("A beat B") and "facts" not in chart
    assert chart["claims"][1]["rows"] == SAME and chart["claims"][0]["rows"]["2024"][0] == 0.1234567890


def test_they_read_back_as_they_were():
    doc = _doc()
    said = _said()
    written = statements_json(said, [], doc["changes"])  # written out (no document to refer to)
    doc["statements"] = statements_json(said, [], doc["changes"], doc)
    back = expand_statements(doc)
    rounded = copy.deepcopy(written)
    for c in rounded[4]["claims"]:
        c["rows"] = {"2024": [0.1234567890, -0.1], "2025": [0.2, 0.3]}
    assert back == rounded
    assert expand_statements({**doc, "statements": back}) == back  # a written-out statement reads as itself


def test_a_statement_whose_text_is_nowhere_else_keeps_it():
    doc = _doc()
    st = compact_statement({"where": "summary", "text": "Not in the summary.", "facts": [], "claims": []},
                           _text_places(doc), {}, doc["summary"])
    assert st == {"where": "summary", "text": "Not in the summary."}


def _claim_number_reference(x):
    """:func:`versus.pages.base.claim_number` as first written (one call per value)."""
    from versus.pages.base import STATEMENT_DIGITS

    if isinstance(x, float) and x == x and x not in (float("inf"), float("-inf")):
        return round(x, STATEMENT_DIGITS)
    if isinstance(x, dict):
        return {k: _claim_number_reference(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_claim_number_reference(v) for v in x]
    return x


def test_claim_number_is_its_first_definition():
    """The faster claim_number (issue 17) gives the same values of the same types, whatever a claim holds."""
    import collections
    import json
    import random

    import numpy as np

    from versus.pages.base import claim_number

    rnd = random.Random(7)
    leaves = [lambda: rnd.random() * 10 ** rnd.randint(-12, 6), lambda: np.float64(rnd.random() / 3), lambda: 0.1 + 0.2,
              lambda: float("nan"), lambda: float("inf"), lambda: -float("inf"), lambda: rnd.randint(-5, 5),
              lambda: rnd.random() < 0.5, lambda: None, lambda: "text", lambda: (1.23456789012345, 2)]

    def make(depth):
        k = rnd.randrange(6 if depth < 3 else 1)
        if k == 1:
            return {f"k{i}": make(depth + 1) for i in range(rnd.randrange(4))}
        if k == 2:
            return [make(depth + 1) for _ in range(rnd.randrange(4))]
        if k == 3:
            return collections.OrderedDict((f"o{i}", make(depth + 1)) for i in range(2))
        return rnd.choice(leaves)()

    for _ in range(400):
        x = {"kind": "figure", "value": make(0), "values": make(0), "refs": make(1)}
        got, want = claim_number(x), _claim_number_reference(x)
        assert json.dumps(got, default=str) == json.dumps(want, default=str)
        assert repr(got) == repr(want)
        assert type(got["value"]) is type(want["value"])

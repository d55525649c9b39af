"""Facts: typed statements computed from the metrics, each with a stable id and the
values it rests on, plus the sentence that states it.

Every number in a sentence is formatted from ``values`` with :mod:`versus.fmt`, so
the prose can never say something the data does not.  Comparative wording follows
the thresholds in :data:`THRESHOLDS` (also printed on the methodology page).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import fmt

THRESHOLDS = {
    "return_tie": (0.001, "Returns within 0.1 points of each other are called level."),
    "return_slight": (0.02, "A lead under 2 points of return is 'slightly'."),
    "fee_identical": (0.0002, "Expense ratios within 0.02 points are 'nearly identical'."),
    "drawdown_tie": (0.005, "Drawdowns within 0.5 points are 'about as deep'."),
}
"""name -> (threshold as a fraction, the rule in words)."""


@dataclass
class Fact:
    id: str
    text: str
    values: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"id": self.id, "text": self.text, "values": self.values}


def _return_fact(a: str, b: str, fa: dict, fb: dict, h: str, label: str) -> Fact:
    ra = fa["total_return"].get(h)
    rb = fb["total_return"].get(h)
    fid = f"return_{h}_leader"
    if ra is None or rb is None:
        missing = a if ra is None else b
        return Fact(fid, f"A {label} comparison is not possible: {missing} lacks {label} of history.", {"leader": None})
    diff = ra - rb
    values = {a: ra, b: rb, "leader": None, "difference": round(abs(diff), 8)}
    if abs(diff) < THRESHOLDS["return_tie"][0]:
        text = f"Over {label}, {a} and {b} returned about the same ({fmt.pct(ra)} and {fmt.pct(rb)})."
        return Fact(fid, text, values)
    lead, lag = (a, b) if diff > 0 else (b, a)
    rl, rg = (ra, rb) if diff > 0 else (rb, ra)
    values["leader"] = lead
    adverb = "slightly " if abs(diff) < THRESHOLDS["return_slight"][0] else ""
    text = (
        f"Over {label}, {lead} {adverb}outperformed {lag} with a total return of {fmt.pct(rl)} "
        f"against {fmt.pct(rg)}, a lead of {fmt.pts(diff)}."
    )
    return Fact(fid, text, values)


def _fee_fact(a: str, b: str, fa: dict, fb: dict) -> Fact:
    ea, eb = fa.get("expense_ratio"), fb.get("expense_ratio")
    if ea is None or eb is None:
        missing = a if ea is None else b
        return Fact("cheaper_fund", f"No published expense ratio is on file for {missing}.", {"cheaper": None})
    diff = ea - eb
    values = {a: ea, b: eb, "cheaper": None, "difference": round(abs(diff), 8)}
    if abs(diff) < THRESHOLDS["fee_identical"][0]:
        return Fact(
            "cheaper_fund",
            f"Their expense ratios are nearly identical ({fmt.pct(ea, 2)} for {a}, {fmt.pct(eb, 2)} for {b}).",
            values,
        )
    cheap, dear = (a, b) if diff < 0 else (b, a)
    ec, ed = min(ea, eb), max(ea, eb)
    values["cheaper"] = cheap
    return Fact(
        "cheaper_fund",
        f"{cheap} is the cheaper fund, charging {fmt.pct(ec, 2)} a year against {fmt.pct(ed, 2)} for {dear}.",
        values,
    )


def _drawdown_fact(a: str, b: str, fa: dict, fb: dict, h: str, label: str) -> Fact:
    da = (fa["max_drawdown"].get(h) or {}).get("value")
    db = (fb["max_drawdown"].get(h) or {}).get("value")
    fid = f"deeper_drawdown_{h}"
    if da is None or db is None:
        missing = a if da is None else b
        return Fact(fid, f"Drawdowns over {label} cannot be compared: {missing} lacks the history.", {"deeper": None})
    values = {a: da, b: db, "deeper": None}
    if abs(da - db) < THRESHOLDS["drawdown_tie"][0]:
        return Fact(fid, f"Their worst falls over {label} were about as deep ({fmt.pct(da)} and {fmt.pct(db)}).", values)
    deep, shallow = (a, b) if da < db else (b, a)
    dd, ds = (da, db) if da < db else (db, da)
    info = (fa if deep == a else fb)["max_drawdown"][h]
    values["deeper"] = deep
    text = (
        f"{deep} suffered the deeper drawdown over {label}, falling {fmt.pct(abs(dd))} from its peak on "
        f"{fmt.date(info['peak'])} to {fmt.date(info['trough'])}, against {fmt.pct(abs(ds))} for {shallow}."
    )
    return Fact(fid, text, values)


def pair_facts(a: str, b: str, fa: dict, fb: dict) -> list[Fact]:
    """The facts a pair page states, in reading order (the summary joins their texts)."""
    return [
        _return_fact(a, b, fa, fb, "1y", "the past year"),
        _return_fact(a, b, fa, fb, "5y", "five years"),
        _fee_fact(a, b, fa, fb),
        _drawdown_fact(a, b, fa, fb, "5y", "five years"),
    ]


def fund_facts(t: str, f: dict) -> list[Fact]:
    """Short facts for a fund page."""
    out = []
    r1 = f["total_return"].get("1y")
    if r1 is not None:
        out.append(Fact("return_1y", f"{t} returned {fmt.pct(r1)} over the past year, dividends reinvested.", {t: r1}))
    dd = f["max_drawdown"].get("5y")
    if dd:
        out.append(
            Fact(
                "max_drawdown_5y",
                f"Its worst fall over five years was {fmt.pct(abs(dd['value']))}, from {fmt.date(dd['peak'])} to "
                f"{fmt.date(dd['trough'])}"
                + (f", recovered by {fmt.date(dd['recovery'])}." if dd["recovery"] else ", not yet recovered."),
                {t: dd["value"]},
            )
        )
    return out


def summary(facts: list[Fact]) -> str:
    """The summary paragraph: the facts' sentences in order."""
    return " ".join(f.text for f in facts)

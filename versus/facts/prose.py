"""The summary paragraph and the key takeaways, written from a pair's facts (their ``values`` only).

Each sentence is a :class:`~versus.facts.model.Statement`: its text, the facts it rests on and the
claims it makes (the facts' own, with the lead left out where the sentence does not state it), so a
checker can hold every sentence against the figures.  Leaders and degrees are the facts' (decided
once by :func:`versus.facts.verdict.compare`): the summary never words a comparison differently from
the takeaways or the FAQ.
"""
from __future__ import annotations

from .. import fmt
from .model import Fact, Statement, _by_id
from .verdict import horizon


def _claims(f: Fact, lead: bool = False) -> list[dict]:
    """A fact's claims as a sentence restating it makes them (the gap in points only if it is stated)."""
    out = []
    for c in f.claims:
        c = dict(c)
        if not lead:
            c.pop("lead", None)
        out.append(c)
    return out


def _first_clause(a: str, b: str, fs: dict[str, Fact]) -> tuple[str | None, list[str]]:
    """Income and the past year's return, joined when the same fund leads both; and the facts used."""
    y, r = fs["higher_yield"].values, fs["return_1y_leader"].values
    ret, used = None, []
    if r.get("leader"):
        lead = r["leader"]
        lag = b if lead == a else a
        slightly = "slightly " if fs["return_1y_leader"].claims[0]["degree"] == "slightly" else ""
        ret = (lead, f"{slightly}outperformed over the past year ({fmt.pct(r[lead])} vs {fmt.pct(r[lag])} "
                     f"total return)")
        used.append("return_1y_leader")
    elif a in r:
        ret = (None, f"{a} and {b} returned about the same over the past year ({fmt.pct(r[a])} and {fmt.pct(r[b])})")
        used.append("return_1y_leader")
    yl = y.get("leader") if _plain(fs["higher_yield"]) else None
    if yl:
        lo = b if yl == a else a
        kind = "dividend yield" if y["basis"] == "ttm" else "published dividend yield"
        inc = f"{yl} offers the higher {kind} ({fmt.pct(y[yl], 2)} vs {fmt.pct(y[lo], 2)})"
        used.insert(0, "higher_yield")
        if ret is None:
            return inc, used
        if ret[0] == yl:
            return f"{inc} and {ret[1]}", used
        if ret[0] is None:
            return f"{inc}; {ret[1]}", used
        return f"{inc}, but {ret[0]} {ret[1]}", used
    if ret is None:
        return None, used
    return (f"{ret[0]} {ret[1]}" if ret[0] else ret[1]), used


def _plain(f: Fact) -> bool:
    """Whether the summary may state a fact in passing: not resting on dated fund facts observed far
    apart, after the page's date or over a year before it (its own sentence, in the takeaways, says so
    with the dates), and about something that applies to both funds."""
    v = f.values
    return v.get("comparable", True) and v.get("applies", True) and not v.get("observed_after") \
        and not v.get("observed_old")


def _fee_clause(a: str, b: str, f: Fact, joined: bool) -> str | None:
    v = f.values
    if a not in v or not _plain(f) or not f.claims:
        return None
    if v["cheaper"] is None:
        s = f"expense ratios are nearly identical ({fmt.pct(v[a], 2)} vs {fmt.pct(v[b], 2)})"
    else:
        c = v["cheaper"]
        d = b if c == a else a
        far = "far " if f.claims[0]["degree"] == "far" else ""
        s = f"{c} is {far}cheaper ({fmt.pct(v[c], 2)} vs {fmt.pct(v[d], 2)} a year)"
    return f"while {s}" if joined else s[0].upper() + s[1:]


def _concentration_sentence(a: str, b: str, f: Fact) -> str | None:
    v = f.values
    if a not in v or not _plain(f):
        return None
    if v["leader"] is None:
        return (f"The two are similarly concentrated ({fmt.pct(v[a])} and {fmt.pct(v[b])} of the funds in their "
                f"ten largest holdings).")
    c = v["leader"]
    o = b if c == a else a
    degree = "far more" if f.claims[0]["degree"] == "far" else "more"
    return f"{c} is {degree} concentrated ({fmt.pct(v[c])} in its ten largest holdings against {fmt.pct(v[o])})."


def _growth_words(gv: dict, a: str, b: str) -> str:
    if gv["leader"] is None:
        return (f"Over five years {fmt.money(1000)} became about the same in both ({fmt.money(gv[a])} and "
                f"{fmt.money(gv[b])})")
    hi = gv["leader"]
    lo = b if hi == a else a
    much = "much more" if gv["degree"] == "much" else "more"
    return (f"Over five years {fmt.money(1000)} became {much} in {hi} than in {lo} ({fmt.money(gv[hi])} vs "
            f"{fmt.money(gv[lo])})")


def _long_run_sentence(a: str, b: str, g: Fact, d: Fact) -> str | None:
    gv, dv = g.values, d.values
    if a not in gv:
        return f"Five-year figures are not available: {gv['missing']} has less than five years of history."
    s = _growth_words(gv, a, b)
    if a not in dv:
        return s + "."
    deep = dv["deeper"]
    if deep is None:
        return s + f", with five-year drawdowns about as deep ({fmt.pct(abs(dv[a]))} and {fmt.pct(abs(dv[b]))})."
    shallow = b if deep == a else a
    dd = f"({fmt.pct(abs(dv[deep]))} vs {fmt.pct(abs(dv[shallow]))})"
    if gv["leader"] == deep:
        return s + f", but {deep} suffered the deeper five-year drawdown {dd}."
    if gv["leader"] is None:
        return s + f"; {deep} suffered the deeper five-year drawdown {dd}."
    return s + f", and {deep}, not {gv['leader']}, suffered the deeper five-year drawdown {dd}."


def statements(facts: list[Fact], a: str, b: str) -> list[Statement]:
    """The summary paragraph's sentences (income, the past year, cost, concentration, the long run,
    correlation), each with the facts it rests on and its claims."""
    fs = _by_id(facts)
    out: list[Statement] = []

    def add(text: str | None, ids: list[str]) -> None:
        if text:
            claims = [c for i in ids for c in _claims(fs[i]) if c["kind"] != "sign"]
            out.append(Statement("summary", text[0].upper() + text[1:], ids, claims))

    first, used = _first_clause(a, b, fs)
    fee = _fee_clause(a, b, fs["cheaper_fund"], joined=first is not None)
    if fee:
        used.append("cheaper_fund")
    if first:
        add(first + (f", {fee}" if fee else "") + ".", used)
    elif fee:
        add(fee + ".", used)
    add(_concentration_sentence(a, b, fs["more_concentrated"]), ["more_concentrated"])
    long_run = _long_run_sentence(a, b, fs["growth_5y"], fs["deeper_drawdown_5y"])
    add(long_run, ["growth_5y", "deeper_drawdown_5y"] if a in fs["growth_5y"].values else [])
    if long_run and a not in fs["growth_5y"].values:
        out[-1].claims = [horizon("5y")]
    c = fs["correlation_1y"].values
    if c.get("level"):
        add(f"Their daily returns were {c['level']} correlated over the past year ({fmt.num(c['1y'])}).",
            ["correlation_1y"])
    return out


def summary(facts: list[Fact], a: str | None = None, b: str | None = None) -> str:
    """The summary paragraph: :func:`statements` joined.  Without tickers: the facts' sentences joined."""
    fs = _by_id(facts)
    if a is None or b is None or "higher_yield" not in fs:
        return " ".join(f.text for f in facts)
    return " ".join(s.text for s in statements(facts, a, b))


TAKEAWAY_IDS = ["return_1y_leader", "return_5y_leader", "cheaper_fund", "higher_yield", "more_concentrated",
                "deeper_drawdown_5y", "correlation_1y"]
"""One takeaway per headline fact; the five-year growth of $1,000 restates the five-year return, so it is
in the summary and not repeated here."""


def takeaway_statements(facts: list[Fact]) -> list[Statement]:
    fs = _by_id(facts)
    out, seen = [], set()
    for i in TAKEAWAY_IDS:
        if i in fs and fs[i].values.get("applies", True) and fs[i].text not in seen:
            seen.add(fs[i].text)
            out.append(Statement("takeaway", fs[i].text, [i], _claims(fs[i], lead=True)))
    return out


def takeaways(facts: list[Fact]) -> list[str]:
    """The 'key takeaways' list: one sentence per headline fact, none twice."""
    return [s.text for s in takeaway_statements(facts)]

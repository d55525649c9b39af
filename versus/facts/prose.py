"""The summary paragraph and the key takeaways, written from a pair's facts (their ``values`` only)."""
from __future__ import annotations

from .. import fmt
from .model import Fact, _by_id, _t


def _adverb(f: Fact) -> str:
    return "slightly " if f.values.get("difference", 1) < _t("return_slight") else ""


def _first_clause(a: str, b: str, fs: dict[str, Fact]) -> str | None:
    """Income and the past year's return, joined when the same fund leads both."""
    y, r = fs["higher_yield"].values, fs["return_1y_leader"].values
    ret = None
    if r.get("leader"):
        lead = r["leader"]
        lag = b if lead == a else a
        ret = (lead, f"{_adverb(fs['return_1y_leader'])}outperformed over the past year "
                     f"({fmt.pct(r[lead])} vs {fmt.pct(r[lag])} total return)")
    elif a in r:
        ret = (None, f"{a} and {b} returned about the same over the past year ({fmt.pct(r[a])} and {fmt.pct(r[b])})")
    yl = y.get("leader") if _plain(fs["higher_yield"]) else None
    if yl:
        lo = b if yl == a else a
        kind = "dividend yield" if y["basis"] == "ttm" else "published dividend yield"
        inc = f"{yl} offers the higher {kind} ({fmt.pct(y[yl], 2)} vs {fmt.pct(y[lo], 2)})"
        if ret is None:
            return inc
        if ret[0] == yl:
            return f"{inc} and {ret[1]}"
        if ret[0] is None:
            return f"{inc}; {ret[1]}"
        return f"{inc}, but {ret[0]} {ret[1]}"
    if ret is None:
        return None
    return f"{ret[0]} {ret[1]}" if ret[0] else ret[1]


def _plain(f: Fact) -> bool:
    """Whether the summary may state a fact in passing: not resting on dated fund facts observed far
    apart, after the page's date or over a year before it (its own sentence, in the takeaways, says so
    with the dates), and about something that applies to both funds."""
    v = f.values
    return v.get("comparable", True) and v.get("applies", True) and not v.get("observed_after") \
        and not v.get("observed_old")


def _fee_clause(a: str, b: str, f: Fact, joined: bool) -> str | None:
    v = f.values
    if a not in v or not _plain(f):
        return None
    if v["cheaper"] is None:
        s = f"expense ratios are nearly identical ({fmt.pct(v[a], 2)} vs {fmt.pct(v[b], 2)})"
    else:
        c = v["cheaper"]
        d = b if c == a else a
        far = "far " if v.get("relative") and v["relative"] > _t("fee_far") else ""
        s = f"{c} is {far}cheaper ({fmt.pct(v[c], 2)} vs {fmt.pct(v[d], 2)} a year)"
    return f"while {s}" if joined else s[0].upper() + s[1:]


def _concentration_sentence(a: str, b: str, f: Fact) -> str | None:
    v = f.values
    if a not in v or not _plain(f):
        return None
    if v["leader"] is None:
        return f"The two are similarly diversified ({fmt.count(v[a])} and {fmt.count(v[b])} holdings)."
    c = v["leader"]
    o = b if c == a else a
    degree = "far more" if v["relative"] > _t("concentration_far") else "more"
    detail = f"{fmt.count(v[c])} holdings against {fmt.count(v[o])}"
    if v["top10_weight"].get(c) is not None:
        detail += f", {fmt.pct(v['top10_weight'][c])} in its ten largest"
    return f"{c} is {degree} concentrated ({detail})."


def _long_run_sentence(a: str, b: str, g: Fact, d: Fact) -> str | None:
    gv, dv = g.values, d.values
    if a not in gv:
        return f"Five-year figures are not available: {gv['missing']} has less than five years of history."
    if gv["leader"] is None:
        s = f"Over five years {fmt.money(1000)} grew to about the same in both ({fmt.money(gv[a])} and {fmt.money(gv[b])})"
    else:
        hi = gv["leader"]
        lo = b if hi == a else a
        much = "much more" if gv["degree"] == "much" else "more"
        s = f"Over five years {fmt.money(1000)} grew to {much} in {hi} than in {lo} ({fmt.money(gv[hi])} vs {fmt.money(gv[lo])})"
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


def summary(facts: list[Fact], a: str | None = None, b: str | None = None) -> str:
    """The summary paragraph, written from the pair's facts (income, the past year, cost,
    concentration, the long run, correlation).  Without tickers: the facts' sentences joined."""
    fs = _by_id(facts)
    if a is None or b is None or "higher_yield" not in fs:
        return " ".join(f.text for f in facts)
    sentences = []
    first = _first_clause(a, b, fs)
    fee = _fee_clause(a, b, fs["cheaper_fund"], joined=first is not None)
    if first:
        sentences.append(first + (f", {fee}" if fee else "") + ".")
    elif fee:
        sentences.append(fee + ".")
    for s in (_concentration_sentence(a, b, fs["more_concentrated"]),
              _long_run_sentence(a, b, fs["growth_5y"], fs["deeper_drawdown_5y"])):
        if s:
            sentences.append(s)
    c = fs["correlation_1y"].values
    if c.get("level"):
        sentences.append(f"Their daily returns were {c['level']} correlated over the past year ({fmt.num(c['1y'])}).")
    return " ".join(s[0].upper() + s[1:] for s in sentences)


TAKEAWAY_IDS = ["return_1y_leader", "return_5y_leader", "growth_5y", "cheaper_fund", "higher_yield",
                "more_concentrated", "deeper_drawdown_5y", "correlation_1y"]


def takeaways(facts: list[Fact]) -> list[str]:
    """The 'key takeaways' list: one sentence per headline fact."""
    fs = _by_id(facts)
    return [fs[i].text for i in TAKEAWAY_IDS if i in fs and fs[i].values.get("applies", True)]

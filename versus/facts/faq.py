"""Questions a reader asks about a pair or a group, answered from the facts.

Each answer restates facts (never a second wording of a comparison) and names its horizon; the
drawdown answer is given over the same five years as the takeaway, the ten-year figure after it,
named as such."""
from __future__ import annotations

from .. import fmt
from .model import LABELS, Fact, Statement, _by_id
from .verdict import figure, horizon


def _recovery(t: str, info: dict) -> str:
    if not info.get("peak"):
        return f"{t} never fell below a previous high in the period."
    if info.get("recovery"):
        return (f"{t} regained that peak on {fmt.date(info['recovery'])}, "
                f"{fmt.count(info['recovery_days'])} calendar days after the low.")
    return f"{t} had not regained that peak by the end of the period."


def _drawdown_detail(a: str, b: str, f: Fact) -> str:
    """The falls of both funds over the fact's horizon, the deeper first, with their recoveries."""
    v = f.values
    label = LABELS[v["horizon"]]
    first = v["deeper"] or a
    second = b if first == a else a
    parts = []
    for i, t in enumerate((first, second)):
        d = v["detail"][t]
        if not d.get("peak"):
            parts.append(f"{t} did not fall below a previous high over {label}.")
            continue
        lead = (f"Over {label}, {t} fell further" if i == 0 and v["deeper"] else
                f"Over {label}, {t}'s worst fall" if i == 0 else f"{t}'s worst fall")
        verb = ":" if i == 0 and v["deeper"] else " was"
        parts.append(f"{lead}{verb} {fmt.pct(abs(d['value']))} from its peak on {fmt.date(d['peak'])} to its low "
                     f"on {fmt.date(d['trough'])}.")
        parts.append(_recovery(t, d))
    if v["deeper"] is None:
        parts.insert(0, f"Their worst falls over {label} were about as deep.")
    return " ".join(parts)


def _drawdown_answer(a: str, b: str, fs: dict[str, Fact]) -> tuple[str, list[str]]:
    five, ten = fs["deeper_drawdown_5y"], fs["deeper_drawdown_10y"]
    if a not in five.values:
        return five.text, ["deeper_drawdown_5y"]
    text = _drawdown_detail(a, b, five)
    if a not in ten.values:
        return text, ["deeper_drawdown_5y"]
    v = ten.values
    if v["deeper"] is None:
        more = (f"Over ten years their worst falls were about as deep ({fmt.pct(abs(v[a]))} and "
                f"{fmt.pct(abs(v[b]))}).")
    else:
        deep = v["deeper"]
        shallow = b if deep == a else a
        same = deep == five.values["deeper"]
        more = (f"Over ten years {deep}'s worst fall was {'also ' if same else ''}the deeper one: "
                f"{fmt.pct(abs(v[deep]))} against {fmt.pct(abs(v[shallow]))} for {shallow}.")
    return f"{text} {more}", ["deeper_drawdown_5y", "deeper_drawdown_10y"]


def _correlation_answer(a: str, b: str, fs: dict[str, Fact]) -> tuple[str, list[dict]]:
    c = fs["correlation_1y"].values
    if c.get("1y") is None:
        return fs["correlation_1y"].text, []
    s = (f"{c['level'].capitalize()}: the correlation of their daily returns was {fmt.num(c['1y'])} over the past "
         f"year")
    extra, claims = [], []
    if c.get("90d") is not None:
        extra.append(f"{fmt.num(c['90d'])} over the last {fmt.count(c['days'])} trading days")
        claims.append(figure(c["90d"], fmt.num(c["90d"]), "pair.correlation.90d"))
    if c.get("5y") is not None:
        extra.append(f"{fmt.num(c['5y'])} over five years")
        claims += [figure(c["5y"], fmt.num(c["5y"]), "pair.correlation.5y"), horizon("5y")]
    if extra:
        s += ", " + " and ".join(extra)
    return s + ". " + fs["correlation_rolling_1y"].text, claims


def _claims(fs: dict[str, Fact], ids: list[str]) -> list[dict]:
    return [c for i in ids for c in fs[i].claims]


def faq_statements(facts: list[Fact], a: str, b: str) -> list[tuple[str, Statement]]:
    """(question, answer) per question a reader asks about a pair, answered from the facts."""
    fs = _by_id(facts)
    perf = ["return_1y_leader", "return_5y_leader"]
    cost = ["cheaper_fund"] + (["fee_cost_10y"] if fs["fee_cost_10y"].values.get("cost") is not None else [])
    corr, corr_claims = _correlation_answer(a, b, fs)
    dd, dd_ids = _drawdown_answer(a, b, fs)
    return [
        (f"Which has performed better, {a} or {b}?",
         Statement("faq", " ".join(fs[i].text for i in perf), perf, _claims(fs, perf))),
        (f"How correlated are {a} and {b}?",
         Statement("faq", corr, ["correlation_1y", "correlation_rolling_1y"],
                   _claims(fs, ["correlation_1y", "correlation_rolling_1y"]) + corr_claims)),
        (f"Which is cheaper to own, {a} or {b}?",
         Statement("faq", " ".join(fs[i].text for i in cost), cost, _claims(fs, cost))),
        ("Which fell further in its worst drawdown, and how long did it take to recover?",
         Statement("faq", dd, dd_ids, _claims(fs, dd_ids))),
        (f"Which pays the higher dividend yield, {a} or {b}?",
         Statement("faq", fs["higher_yield"].text, ["higher_yield"], _claims(fs, ["higher_yield"]))),
        (f"Does {a} lead {b}, or the other way round?",
         Statement("faq", fs["lead_lag"].text, ["lead_lag"], _claims(fs, ["lead_lag"]))),
    ]


def faq(facts: list[Fact], a: str, b: str) -> list[dict]:
    """Questions a reader asks about a pair, answered from the facts."""
    return [{"question": q, "answer": s.text} for q, s in faq_statements(facts, a, b)]


def group_faq(facts: list[Fact], tickers: list[str]) -> list[dict]:
    """Questions a reader asks about a group, answered from its facts (:func:`versus.facts.group_facts`): who
    performed best, which is cheapest, which fell furthest; a question whose fact is missing is left out."""
    fs = _by_id(facts)
    names = ", ".join(tickers[:-1]) + " and " + tickers[-1]
    out = [{"question": f"Which of {names} has performed best?",
            "answer": " ".join(fs[k].text for k in ("return_1y_leader", "return_5y_leader") if k in fs)}]
    if "cheaper_fund" in fs:
        out.append({"question": f"Which of {names} is the cheapest to own?", "answer": fs["cheaper_fund"].text})
    if "deeper_drawdown_5y" in fs:
        out.append({"question": "Which fell furthest over the past five years?", "answer": fs["deeper_drawdown_5y"].text})
    return out

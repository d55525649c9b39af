"""Questions a reader asks about a pair or a group, answered from the facts, and their schema.org FAQPage."""
from __future__ import annotations

from .. import fmt
from .model import LABELS, Fact, _by_id


def _recovery(t: str, info: dict) -> str:
    if not info.get("peak"):
        return f"{t} never fell below a previous high in the period."
    if info.get("recovery"):
        return (f"{t} regained that peak on {fmt.date(info['recovery'])}, "
                f"{fmt.count(info['recovery_days'])} calendar days after the low.")
    return f"{t} had not regained that peak by the end of the period."


def _drawdown_answer(a: str, b: str, fs: dict[str, Fact]) -> str:
    f = fs["deeper_drawdown_10y"] if a in fs["deeper_drawdown_10y"].values else fs["deeper_drawdown_5y"]
    v = f.values
    if a not in v:
        return f.text
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


def _correlation_answer(a: str, b: str, fs: dict[str, Fact]) -> str:
    c = fs["correlation_1y"].values
    if c.get("1y") is None:
        return fs["correlation_1y"].text
    s = (f"{c['level'].capitalize()}: the correlation of their daily returns was {fmt.num(c['1y'])} over the past "
         f"year")
    extra = []
    if c.get("90d") is not None:
        extra.append(f"{fmt.num(c['90d'])} over the last {fmt.count(c['days'])} trading days")
    if c.get("5y") is not None:
        extra.append(f"{fmt.num(c['5y'])} over five years")
    if extra:
        s += ", " + " and ".join(extra)
    return s + ". " + fs["correlation_rolling_1y"].text


def faq(facts: list[Fact], a: str, b: str) -> list[dict]:
    """Questions a reader asks about a pair, answered from the facts."""
    fs = _by_id(facts)
    perf = f"{fs['return_1y_leader'].text} {fs['return_5y_leader'].text}"
    cost = fs["cheaper_fund"].text
    if fs["fee_cost_10y"].values.get("cost") is not None:
        cost += " " + fs["fee_cost_10y"].text
    return [
        {"question": f"Which has performed better, {a} or {b}?", "answer": perf},
        {"question": f"How correlated are {a} and {b}?", "answer": _correlation_answer(a, b, fs)},
        {"question": f"Which is cheaper to own, {a} or {b}?", "answer": cost},
        {"question": "Which fell further in its worst drawdown, and how long did it take to recover?",
         "answer": _drawdown_answer(a, b, fs)},
        {"question": f"Which pays the higher dividend yield, {a} or {b}?", "answer": fs["higher_yield"].text},
        {"question": f"Does {a} lead {b}, or the other way round?", "answer": fs["lead_lag"].text},
    ]


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


def faq_jsonld(items: list[dict]) -> dict:
    """schema.org FAQPage for the page's ``<script type="application/ld+json">``."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": i["question"], "acceptedAnswer": {"@type": "Answer", "text": i["answer"]}}
            for i in items
        ],
    }

"""The facts of a group of funds (best and worst over 1 and 5 years, cheapest, deepest drawdown): the group
page's summary (:func:`versus.facts.charts.group_summary`) states them."""
from __future__ import annotations

from .. import fmt
from .dating import _APART, _age_note, _dated, _dating
from .model import LABELS, Fact


def group_facts(tickers: list[str], funds: dict) -> list[Fact]:
    """Facts for a group of funds: best and worst over 1y and 5y, cheapest, deepest 5y drawdown."""
    out = []
    for h in ("1y", "5y"):
        vals = {t: funds[t]["total_return"].get(h) for t in tickers}
        known = {t: v for t, v in vals.items() if v is not None}
        if len(known) < 2:
            out.append(Fact(f"return_{h}_leader", f"Too few of these funds have {LABELS[h]} of history to rank.",
                            {**vals, "leader": None}, "fraction"))
            continue
        best, worst = max(known, key=known.get), min(known, key=known.get)
        out.append(Fact(f"return_{h}_leader", f"Over {LABELS[h]}, {best} returned the most ({fmt.pct(known[best])}) "
                        f"and {worst} the least ({fmt.pct(known[worst])}).",
                        {**vals, "leader": best, "laggard": worst,
                         "difference": round(known[best] - known[worst], 8)}, "fraction"))
    fees = {t: funds[t].get("expense_ratio") for t in tickers}
    known = {t: v for t, v in fees.items() if v is not None}
    if len(known) >= 2:
        d = _dating({t: funds[t] for t in known}, "expense_ratio")
        if d["apart"]:
            out.append(Fact("cheaper_fund", f"The expense ratios on file were observed more than {_APART} "
                            "apart, so they are not ranked: " + ", ".join(_dated(fmt.pct(v, 2), t, d)
                                                                         for t, v in known.items()) + ".",
                            {**fees, "leader": None, "cheaper": None, "observed": d["observed"],
                             "observed_after": d["after"], "observed_old": d["old"],
                             "comparable": False}, "fraction"))
        else:
            lo, hi = min(known, key=known.get), max(known, key=known.get)
            out.append(Fact("cheaper_fund", f"{lo} is the cheapest at {fmt.pct(known[lo], 2)} a year; {hi} the dearest "
                            f"at {fmt.pct(known[hi], 2)}{_age_note(d)}.",
                            {**fees, "leader": lo, "cheaper": lo, "observed": d["observed"],
                             "observed_after": d["after"], "observed_old": d["old"], "comparable": True},
                            "fraction"))
    dds = {t: (funds[t]["max_drawdown"].get("5y") or {}).get("value") for t in tickers}
    known = {t: v for t, v in dds.items() if v is not None}
    if len(known) >= 2:
        deep = min(known, key=known.get)
        out.append(Fact("deeper_drawdown_5y", f"{deep} suffered the deepest drawdown over five years "
                        f"({fmt.pct(abs(known[deep]))}).", {**dds, "leader": deep, "deeper": deep}, "fraction"))
    return out

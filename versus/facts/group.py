"""Facts for a group of funds."""
from __future__ import annotations

from .. import fmt
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
        lo, hi = min(known, key=known.get), max(known, key=known.get)
        out.append(Fact("cheaper_fund", f"{lo} is the cheapest at {fmt.pct(known[lo], 2)} a year; {hi} the dearest at "
                        f"{fmt.pct(known[hi], 2)}.", {**fees, "leader": lo, "cheaper": lo}, "fraction"))
    dds = {t: (funds[t]["max_drawdown"].get("5y") or {}).get("value") for t in tickers}
    known = {t: v for t, v in dds.items() if v is not None}
    if len(known) >= 2:
        deep = min(known, key=known.get)
        out.append(Fact("deeper_drawdown_5y", f"{deep} suffered the deepest drawdown over five years "
                        f"({fmt.pct(abs(known[deep]))}).", {**dds, "leader": deep, "deeper": deep}, "fraction"))
    return out

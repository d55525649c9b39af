"""The facts of a group of funds (best and worst over 1 and 5 years, cheapest, deepest drawdown): the group
page's summary (:func:`versus.facts.charts.group_summary`) states them."""
from __future__ import annotations

from .. import fmt
from .dating import _APART, _age_note, _dated, _dating
from .model import LABELS, Fact
from .verdict import horizon, names, rank, tied


def group_facts(tickers: list[str], funds: dict) -> list[Fact]:
    """Facts for a group of funds: best and worst over 1y and 5y, cheapest, deepest 5y drawdown.  Funds tied as
    shown are named together ("VOO, IVV and VTI are the cheapest at 0.03% a year"); each fact carries its claims."""
    out = [_returns(tickers, funds, h) for h in ("1y", "5y")]
    fees = {t: funds[t].get("expense_ratio") for t in tickers}
    known = {t: v for t, v in fees.items() if v is not None}
    if len(known) >= 2:
        out.append(_cheapest(funds, fees, known))
    dds = {t: (funds[t]["max_drawdown"].get("5y") or {}).get("value") for t in tickers}
    known = {t: v for t, v in dds.items() if v is not None}
    if len(known) >= 2:
        deep = tied(known, 1, highest=False)
        shown = fmt.pct(abs(known[deep[0]]))
        text = (f"{names(known)} all fell about as far over five years ({shown})." if len(deep) == len(known) else
                f"{names(deep)} suffered the deepest drawdown{'s' if len(deep) > 1 else ''} over five years ({shown}).")
        out.append(Fact("deeper_drawdown_5y", text, {**dds, "leader": deep[0], "deeper": deep[0], "deepest": deep},
                        "fraction", [rank(known, None, deep, "5y", rule="drawdown"), horizon("5y")]))
    return out


def _returns(tickers: list[str], funds: dict, h: str) -> Fact:
    vals = {t: funds[t]["total_return"].get(h) for t in tickers}
    known = {t: v for t, v in vals.items() if v is not None}
    if len(known) < 2:
        return Fact(f"return_{h}_leader", f"Too few of these funds have {LABELS[h]} of history to rank.",
                    {**vals, "leader": None}, "fraction")
    best, worst = tied(known, 1), tied(known, 1, highest=False)
    if len(best) == len(known):
        text = f"Over {LABELS[h]}, {names(best)} returned about the same ({fmt.pct(known[best[0]])})."
    else:
        text = (f"Over {LABELS[h]}, {names(best)} returned the most ({fmt.pct(known[best[0]])}) and {names(worst)} "
                f"the least ({fmt.pct(known[worst[0]])}).")
    return Fact(f"return_{h}_leader", text, {**vals, "leader": best[0], "laggard": worst[0], "leaders": best,
                                             "laggards": worst, "difference": round(known[best[0]] - known[worst[0]], 8)},
                "fraction", [rank(known, best, worst, h), horizon(h)])


def _cheapest(funds: dict, fees: dict, known: dict) -> Fact:
    d = _dating({t: funds[t] for t in known}, "expense_ratio")
    if d["apart"]:
        return Fact("cheaper_fund", f"The expense ratios on file were observed more than {_APART} apart, so they "
                    "are not ranked: " + ", ".join(_dated(fmt.pct(v, 2), t, d) for t, v in known.items()) + ".",
                    {**fees, "leader": None, "cheaper": None, "observed": d["observed"], "observed_after": d["after"],
                     "observed_old": d["old"], "comparable": False}, "fraction")
    lo, hi = tied(known, 2, highest=False), tied(known, 2)
    if len(lo) == len(known):
        text = f"{names(lo)} all charge {fmt.pct(known[lo[0]], 2)} a year{_age_note(d)}."
    else:
        text = (f"{names(lo)} {'is' if len(lo) == 1 else 'are'} the cheapest at {fmt.pct(known[lo[0]], 2)} a year; "
                f"{names(hi)} the dearest at {fmt.pct(known[hi[0]], 2)}{_age_note(d)}.")
    return Fact("cheaper_fund", text, {**fees, "leader": lo[0], "cheaper": lo[0], "cheapest": lo, "dearest": hi,
                                       "observed": d["observed"], "observed_after": d["after"], "observed_old": d["old"],
                                       "comparable": True}, "fraction",
                [rank({t: -v for t, v in known.items()}, lo, hi, rule="fee")])

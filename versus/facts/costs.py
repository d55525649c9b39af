"""The facts of a pair about what owning each fund costs and pays, and how concentrated it is: expense
ratios, the fee gap's cost, dividend yields and the weight of the ten largest holdings."""
from __future__ import annotations

from .. import fmt
from ..analysis.holdings import FEE_EXAMPLE, fee_gap
from ..util import num
from .dating import _APART, _age_in, _age_note, _applies, _dated, _dating
from .model import Fact, _t
from .verdict import compare, compared, figure


def _ref(t: str, key: str) -> str:
    return f"funds.{t}.{key}"


def fee_fact(a: str, b: str, fa: dict, fb: dict) -> Fact:
    ea, eb = fa.get("expense_ratio"), fb.get("expense_ratio")
    if ea is None or eb is None:
        missing = a if ea is None else b
        return Fact("cheaper_fund", f"No published expense ratio is on file for {missing}.",
                    {"cheaper": None, "leader": None, "missing": missing}, "fraction")
    d = _dating({a: fa, b: fb}, "expense_ratio")
    v = compare("fee", a, ea, b, eb)
    values = {a: ea, b: eb, "cheaper": None, "leader": None, "difference": round(abs(ea - eb), 8),
              "relative": num(max(ea, eb) / min(ea, eb)) if min(ea, eb) > 0 else None,
              "observed": d["observed"], "observed_after": d["after"], "observed_old": d["old"],
              "comparable": not d["apart"]}
    if d["apart"]:
        return Fact(
            "cheaper_fund",
            f"The expense ratios on file were observed more than {_APART} apart, so they are not "
            f"compared: {_dated(fmt.pct(ea, 2), a, d)} and {_dated(fmt.pct(eb, 2), b, d)}.",
            values, "fraction")
    claims = [compared("fee", {a: ea, b: eb}, v, refs={a: _ref(a, "expense_ratio"), b: _ref(b, "expense_ratio")})]
    if v.leader is None:
        return Fact(
            "cheaper_fund",
            f"Their expense ratios are nearly identical ({fmt.pct(ea, 2)} for {a}, {fmt.pct(eb, 2)} for {b}"
            f"{_age_in(d)}).", values, "fraction", claims)
    cheap, dear = v.leader, v.other
    values["cheaper"] = values["leader"] = cheap
    what = "far cheaper" if v.degree == "far" else "the cheaper fund"
    return Fact(
        "cheaper_fund",
        f"{cheap} is {what}, charging {fmt.pct(min(ea, eb), 2)} a year against {fmt.pct(max(ea, eb), 2)} for "
        f"{dear}{_age_note(d)}.", values, "fraction", claims)


def fee_cost_fact(a: str, b: str, fa: dict, fb: dict) -> Fact:
    ea, eb = fa.get("expense_ratio"), fb.get("expense_ratio")
    amount, years, r = FEE_EXAMPLE["amount"], FEE_EXAMPLE["years"], _t("fee_assumed_return")
    base = {"amount": amount, "years": years, "assumed_return": r}
    if ea is None or eb is None:
        missing = a if ea is None else b
        return Fact("fee_cost_10y", f"The cost of the fee difference cannot be worked out: no expense ratio is on "
                    f"file for {missing}.", {**base, "cost": None, "leader": None, "missing": missing}, "usd")
    d = _dating({a: fa, b: fb}, "expense_ratio")
    if d["apart"]:
        return Fact("fee_cost_10y", f"The cost of the fee difference is not worked out: the expense ratios on file "
                    f"were observed more than {_APART} apart: {_dated(fmt.pct(ea, 2), a, d)} and "
                    f"{_dated(fmt.pct(eb, 2), b, d)}.",
                    {**base, a: ea, b: eb, "cost": None, "leader": None, "observed": d["observed"],
                     "comparable": False}, "usd")
    low, high = min(ea, eb), max(ea, eb)
    cost = fee_gap(low, high)
    # whole dollars, as the sentence says it (a cent-precise value would be cut to 4 digits in the JSON and could
    # then round to another dollar than the text)
    values = {**base, a: ea, b: eb, "cost": float(round(cost)), "difference": round(high - low, 8), "leader": None}
    if cost < 0.5:
        text = (f"With identical expense ratios, the fee makes no difference on {fmt.money(amount)} "
                f"over {fmt.num(years, 0)} years.")
        return Fact("fee_cost_10y", text, values, "usd")
    cheap, dear = (a, b) if ea < eb else (b, a)
    values["leader"] = cheap
    text = (
        f"On {fmt.money(amount)} growing {fmt.pct(r, 0)} a year before fees, {dear}'s extra "
        f"{fmt.pts(high - low, 2)} a year would cost about {fmt.money(values['cost'])} over {fmt.num(years, 0)} years "
        f"compared with {cheap}."
    )
    claims = [{"kind": "compare", "rule": "fee_cost", "funds": [a, b], "values": {a: ea, b: eb},
               "refs": {a: _ref(a, "expense_ratio"), b: _ref(b, "expense_ratio")}, "leader": cheap, "degree": "",
               "horizon": None, "shown": {}}, figure(cost, fmt.money(cost))]
    return Fact("fee_cost_10y", text, values, "usd", claims)


def _published_yield(a: str, b: str, fa: dict, fb: dict):
    """The yields a pair compares: the trailing twelve-month ones computed here, else both published ones."""
    ya, yb = fa.get("dividend_yield_ttm"), fb.get("dividend_yield_ttm")
    if ya is not None and yb is not None:
        return ya, yb, "ttm", "trailing twelve-month dividend yield", "dividend_yield_ttm"
    pa, pb = fa.get("dividend_yield_published"), fb.get("dividend_yield_published")
    if pa is not None and pb is not None:
        return pa, pb, "published", "published dividend yield", "dividend_yield_published"
    return ya, yb, None, None, None


def yield_fact(a: str, b: str, fa: dict, fb: dict) -> Fact:
    ya, yb, basis, label, key = _published_yield(a, b, fa, fb)
    if basis is None:
        missing = a if ya is None else b
        return Fact("higher_yield", f"The dividend yields cannot be compared: none is known for {missing}.",
                    {"leader": None, "missing": missing, "basis": None}, "fraction")
    values = {a: ya, b: yb, "leader": None, "basis": basis, "difference": round(abs(ya - yb), 8)}
    d = {"observed": {}, "apart": False, "after": [], "old": []}
    if basis == "published":  # the computed yields share the page's date; published ones have their own
        d = _dating({a: fa, b: fb}, "dividend_yield_published")
        values.update(observed=d["observed"], observed_after=d["after"], observed_old=d["old"],
                      comparable=not d["apart"])
        if d["apart"]:
            return Fact("higher_yield", f"The published dividend yields on file were observed more than "
                        f"{_APART} apart, so they are not compared: {_dated(fmt.pct(ya, 2), a, d)} and "
                        f"{_dated(fmt.pct(yb, 2), b, d)}.", values, "fraction")
    v = compare("yield", a, ya, b, yb)
    claims = [compared("yield", {a: ya, b: yb}, v, refs={a: _ref(a, key), b: _ref(b, key)})]
    if v.leader is None:
        return Fact("higher_yield", f"Their {label}s are about the same ({fmt.pct(ya, 2)} for {a}, "
                    f"{fmt.pct(yb, 2)} for {b}{_age_in(d)}).", values, "fraction", claims)
    values["leader"] = v.leader
    text = (f"{v.leader} pays the higher income: its {label} is {fmt.pct(max(ya, yb), 2)} against "
            f"{fmt.pct(min(ya, yb), 2)} for {v.other}{_age_note(d)}.")
    return Fact("higher_yield", text, values, "fraction", claims)


def concentration_fact(a: str, b: str, fa: dict, fb: dict, pa: dict, pb: dict) -> Fact:
    """Concentration is the weight of the ten largest holdings (the holdings counts are given beside it,
    never compared alone: 503 large companies can be less concentrated than 100 small ones)."""
    if not _applies({a: fa, b: fb}, "holdings_count"):
        return Fact("more_concentrated", f"Holdings concentration does not apply: "
                    f"{' and '.join(t for t, f in ((a, fa), (b, fb)) if f.get('asset_class') == 'commodity')} "
                    f"holds a commodity, not a portfolio of securities.",
                    {"leader": None, "applies": False}, "fraction")
    wa, wb = pa.get("top10_weight"), pb.get("top10_weight")
    na, nb = fa.get("holdings_count"), fb.get("holdings_count")
    base = {"leader": None, "top10_weight": {a: wa, b: wb}, "holdings_count": {a: na, b: nb},
            "top_sector": {a: pa.get("top_sector"), b: pb.get("top_sector")},
            "top_sector_weight": {a: pa.get("top_sector_weight"), b: pb.get("top_sector_weight")}}
    if wa is None or wb is None:
        missing = a if wa is None else b
        return Fact("more_concentrated", f"Concentration (the weight of the ten largest holdings) cannot be "
                    f"compared: {missing}'s largest holdings are not on file.", {**base, "missing": missing},
                    "fraction")
    d = _dating({a: fa, b: fb}, "top_holdings")
    values = {**base, a: wa, b: wb, "observed": d["observed"], "observed_after": d["after"],
              "observed_old": d["old"], "comparable": not d["apart"]}
    if d["apart"]:
        return Fact("more_concentrated", f"Concentration is not compared: the holdings lists on file were observed "
                    f"more than {_APART} apart: the ten largest make up {_dated(fmt.pct(wa), a, d)} and "
                    f"{_dated(fmt.pct(wb), b, d)}.", values, "fraction")
    v = compare("concentration", a, wa, b, wb)
    claims = [compared("concentration", {a: wa, b: wb}, v)]
    counts = f" ({fmt.count(na)} and {fmt.count(nb)} holdings)" if na and nb else ""
    if v.leader is None:
        return Fact("more_concentrated", f"{a} and {b} are similarly concentrated: their ten largest holdings make "
                    f"up {fmt.pct(wa)} and {fmt.pct(wb)} of the funds{counts}{_age_note(d)}.", values, "fraction",
                    claims)
    hi, lo = v.leader, v.other
    values["leader"] = hi
    p_hi = pa if hi == a else pb
    n_hi, n_lo = (na, nb) if hi == a else (nb, na)
    degree = "far more" if v.degree == "far" else "more"
    text = (f"{hi} is {degree} concentrated: its ten largest holdings make up {fmt.pct(max(wa, wb))} of the fund "
            f"against {fmt.pct(min(wa, wb))} for {lo}"
            + (f" ({fmt.count(n_hi)} holdings against {fmt.count(n_lo)})" if n_hi and n_lo else ""))
    if p_hi.get("top_sector_weight") is not None:
        text += f"; its largest sector, {p_hi['top_sector']}, is {fmt.pct(p_hi['top_sector_weight'])}"
    return Fact("more_concentrated", text + _age_note(d) + ".", values, "fraction", claims)

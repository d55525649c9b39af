"""The facts of a pair page, in a stable order (their ids are part of the JSON contract)."""
from __future__ import annotations

import pandas as pd

from .. import fmt
from ..analysis.holdings import FEE_EXAMPLE, fee_gap, profile
from ..util import num
from .dating import _APART, _age_in, _age_note, _applies, _dated, _dating
from .model import ADJ, LABELS, Fact, _t


def _return_fact(a: str, b: str, fa: dict, fb: dict, h: str) -> Fact:
    label = LABELS[h]
    ra = fa["total_return"].get(h)
    rb = fb["total_return"].get(h)
    fid = f"return_{h}_leader"
    if ra is None or rb is None:
        missing = a if ra is None else b
        return Fact(fid, f"A {ADJ[h]} comparison is not possible: {missing} lacks {label} of history.",
                    {"leader": None, "missing": missing, "horizon": h}, "fraction")
    diff = ra - rb
    values = {a: ra, b: rb, "leader": None, "difference": round(abs(diff), 8),
              "relative": num((1 + max(ra, rb)) / (1 + min(ra, rb)) - 1), "horizon": h}
    if abs(diff) < _t("return_tie"):
        text = f"Over {label}, {a} and {b} returned about the same ({fmt.pct(ra)} and {fmt.pct(rb)})."
        return Fact(fid, text, values, "fraction")
    lead, lag = (a, b) if diff > 0 else (b, a)
    rl, rg = (ra, rb) if diff > 0 else (rb, ra)
    values["leader"] = lead
    adverb = "slightly " if abs(diff) < _t("return_slight") else ""
    text = (
        f"Over {label}, {lead} {adverb}outperformed {lag} with a total return of {fmt.pct(rl)} "
        f"against {fmt.pct(rg)}, a lead of {fmt.pts(diff)}."
    )
    return Fact(fid, text, values, "fraction")


def _fee_fact(a: str, b: str, fa: dict, fb: dict) -> Fact:
    ea, eb = fa.get("expense_ratio"), fb.get("expense_ratio")
    if ea is None or eb is None:
        missing = a if ea is None else b
        return Fact("cheaper_fund", f"No published expense ratio is on file for {missing}.",
                    {"cheaper": None, "leader": None, "missing": missing}, "fraction")
    diff = ea - eb
    d = _dating({a: fa, b: fb}, "expense_ratio")
    values = {a: ea, b: eb, "cheaper": None, "leader": None, "difference": round(abs(diff), 8),
              "relative": num(max(ea, eb) / min(ea, eb)) if min(ea, eb) > 0 else None,
              "observed": d["observed"], "observed_after": d["after"], "observed_old": d["old"],
              "comparable": not d["apart"]}
    if d["apart"]:
        return Fact(
            "cheaper_fund",
            f"The expense ratios on file were observed more than {_APART} apart, so they are not "
            f"compared: {_dated(fmt.pct(ea, 2), a, d)} and {_dated(fmt.pct(eb, 2), b, d)}.",
            values, "fraction")
    if abs(diff) < _t("fee_identical"):
        return Fact(
            "cheaper_fund",
            f"Their expense ratios are nearly identical ({fmt.pct(ea, 2)} for {a}, {fmt.pct(eb, 2)} for {b}"
            f"{_age_in(d)}).", values, "fraction",
        )
    cheap, dear = (a, b) if diff < 0 else (b, a)
    ec, ed = min(ea, eb), max(ea, eb)
    values["cheaper"] = values["leader"] = cheap
    far = values["relative"] is not None and values["relative"] > _t("fee_far")
    what = "far cheaper" if far else "the cheaper fund"
    return Fact(
        "cheaper_fund",
        f"{cheap} is {what}, charging {fmt.pct(ec, 2)} a year against {fmt.pct(ed, 2)} for {dear}{_age_note(d)}.",
        values, "fraction",
    )


def _fee_cost_fact(a: str, b: str, fa: dict, fb: dict) -> Fact:
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
    return Fact("fee_cost_10y", text, values, "usd")


def _days(start: str | None, end: str | None) -> int | None:
    if not start or not end:
        return None
    return int((pd.Timestamp(end) - pd.Timestamp(start)).days)


def _drawdown_fact(a: str, b: str, fa: dict, fb: dict, h: str) -> Fact:
    label = LABELS[h]
    ia, ib = fa["max_drawdown"].get(h) or {}, fb["max_drawdown"].get(h) or {}
    da, db = ia.get("value"), ib.get("value")
    fid = f"deeper_drawdown_{h}"
    if da is None or db is None:
        missing = a if da is None else b
        return Fact(fid, f"Drawdowns over {label} cannot be compared: {missing} lacks the history.",
                    {"deeper": None, "leader": None, "missing": missing, "horizon": h}, "fraction")
    values = {
        a: da, b: db, "deeper": None, "leader": None, "horizon": h, "difference": round(abs(da - db), 8),
        "detail": {t: {**info, "recovery_days": _days(info.get("trough"), info.get("recovery"))}
                   for t, info in ((a, ia), (b, ib))},
        "days_basis": "calendar days from the trough to the first close back at the peak",
    }
    if abs(da - db) < _t("drawdown_tie"):
        return Fact(fid, f"Their worst falls over {label} were about as deep ({fmt.pct(da)} and {fmt.pct(db)}).",
                    values, "fraction")
    deep, shallow = (a, b) if da < db else (b, a)
    dd, ds = (da, db) if da < db else (db, da)
    info = ia if deep == a else ib
    values["deeper"] = values["leader"] = deep
    text = (
        f"{deep} suffered the deeper drawdown over {label}, falling {fmt.pct(abs(dd))} from its peak on "
        f"{fmt.date(info['peak'])} to {fmt.date(info['trough'])}, against {fmt.pct(abs(ds))} for {shallow}."
    )
    return Fact(fid, text, values, "fraction")


def _yield_fact(a: str, b: str, fa: dict, fb: dict) -> Fact:
    ya, yb = fa.get("dividend_yield_ttm"), fb.get("dividend_yield_ttm")
    basis, label = "ttm", "trailing twelve-month dividend yield"
    if ya is None or yb is None:
        pa, pb = fa.get("dividend_yield_published"), fb.get("dividend_yield_published")
        if pa is not None and pb is not None:
            ya, yb, basis, label = pa, pb, "published", "published dividend yield"
    if ya is None or yb is None:
        missing = a if ya is None else b
        return Fact("higher_yield", f"The dividend yields cannot be compared: none is known for {missing}.",
                    {"leader": None, "missing": missing, "basis": None}, "fraction")
    values = {a: ya, b: yb, "leader": None, "basis": basis, "difference": round(abs(ya - yb), 8)}
    d = {"observed": {}, "apart": False, "after": []}
    if basis == "published":  # the computed yields share the page's date; published ones have their own
        d = _dating({a: fa, b: fb}, "dividend_yield_published")
        values.update(observed=d["observed"], observed_after=d["after"], observed_old=d["old"],
                      comparable=not d["apart"])
        if d["apart"]:
            return Fact("higher_yield", f"The published dividend yields on file were observed more than "
                        f"{_APART} apart, so they are not compared: {_dated(fmt.pct(ya, 2), a, d)} and "
                        f"{_dated(fmt.pct(yb, 2), b, d)}.", values, "fraction")
    if abs(ya - yb) < _t("yield_tie"):
        return Fact("higher_yield", f"Their {label}s are about the same ({fmt.pct(ya, 2)} for {a}, "
                    f"{fmt.pct(yb, 2)} for {b}{_age_in(d)}).", values, "fraction")
    hi, lo = (a, b) if ya > yb else (b, a)
    values["leader"] = hi
    text = (f"{hi} pays the higher income: its {label} is {fmt.pct(max(ya, yb), 2)} against "
            f"{fmt.pct(min(ya, yb), 2)} for {lo}{_age_note(d)}.")
    return Fact("higher_yield", text, values, "fraction")


def _concentration_fact(a: str, b: str, fa: dict, fb: dict, pa: dict, pb: dict) -> Fact:
    na, nb = fa.get("holdings_count"), fb.get("holdings_count")
    if not na or not nb:
        missing = a if not na else b
        return Fact("more_concentrated", f"Concentration cannot be compared: no holdings count is on file for "
                    f"{missing}.", {"leader": None, "missing": missing}, "count")
    if not _applies({a: fa, b: fb}, "holdings_count"):
        return Fact("more_concentrated", f"Holdings concentration does not apply: "
                    f"{' and '.join(t for t, f in ((a, fa), (b, fb)) if f.get('asset_class') == 'commodity')} "
                    f"holds a commodity, not a portfolio of securities.",
                    {"leader": None, "applies": False}, "count")
    ratio = max(na, nb) / min(na, nb)
    d = _dating({a: fa, b: fb}, "holdings_count")
    values = {a: na, b: nb, "leader": None, "relative": num(ratio, 4),
              "top10_weight": {a: pa.get("top10_weight"), b: pb.get("top10_weight")},
              "top_sector": {a: pa.get("top_sector"), b: pb.get("top_sector")},
              "top_sector_weight": {a: pa.get("top_sector_weight"), b: pb.get("top_sector_weight")},
              "observed": d["observed"], "observed_after": d["after"], "observed_old": d["old"],
              "comparable": not d["apart"]}
    if d["apart"]:
        return Fact("more_concentrated", f"Concentration is not compared: the holdings counts on file were observed "
                    f"more than {_APART} apart: {_dated(fmt.count(na), a, d)} and "
                    f"{_dated(fmt.count(nb), b, d)}.", values, "count")
    if ratio <= _t("concentration_more"):
        return Fact("more_concentrated", f"{a} and {b} are similarly diversified ({fmt.count(na)} and "
                    f"{fmt.count(nb)} holdings{_age_in(d)}).", values, "count")
    conc, broad = (a, b) if na < nb else (b, a)
    nc, nbroad = min(na, nb), max(na, nb)
    values["leader"] = conc
    pc = pa if conc == a else pb
    degree = "far more" if ratio > _t("concentration_far") else "more"
    text = f"{conc} is {degree} concentrated, with {fmt.count(nc)} holdings against {fmt.count(nbroad)} for {broad}"
    extra = []
    if pc.get("top10_weight") is not None:
        extra.append(f"its ten largest make up {fmt.pct(pc['top10_weight'])} of the fund")
    if pc.get("top_sector_weight") is not None:
        extra.append(f"its largest sector, {pc['top_sector']}, is {fmt.pct(pc['top_sector_weight'])}")
    text += ("; " + " and ".join(extra) if extra else "") + _age_note(d) + "."
    return Fact("more_concentrated", text, values, "count")


def _growth_fact(a: str, b: str, fa: dict, fb: dict, h: str = "5y") -> Fact:
    ga, gb = fa["growth_of_1000"].get(h), fb["growth_of_1000"].get(h)
    fid = f"growth_{h}"
    base = {"amount": 1000, "horizon": h}
    if ga is None or gb is None:
        missing = a if ga is None else b
        return Fact(fid, f"Growth over {LABELS[h]} cannot be compared: {missing} lacks the history.",
                    {**base, "leader": None, "missing": missing}, "usd")
    rel = max(ga, gb) / min(ga, gb) - 1
    values = {**base, a: ga, b: gb, "leader": None, "relative": num(rel, 6), "degree": "same"}
    if rel < _t("growth_tie"):
        return Fact(fid, f"Over {LABELS[h]}, {fmt.money(1000)} grew to about the same in both funds "
                    f"({fmt.money(ga)} in {a}, {fmt.money(gb)} in {b}).", values, "usd")
    hi, lo = (a, b) if ga > gb else (b, a)
    values["leader"] = hi
    values["degree"] = "much" if rel > _t("growth_much") else "more"
    more = "much more than" if values["degree"] == "much" else "more than"
    text = (f"Over {LABELS[h]}, {fmt.money(1000)} grew to {fmt.money(max(ga, gb))} in {hi}, {more} the "
            f"{fmt.money(min(ga, gb))} it became in {lo}.")
    return Fact(fid, text, values, "usd")


def corr_level(c: float) -> str:
    """'closely', 'moderately', 'loosely' or 'negatively', by the thresholds."""
    if c < 0:
        return "negatively"
    if c >= _t("correlation_high"):
        return "closely"
    return "moderately" if c >= _t("correlation_moderate") else "loosely"


def _correlation_fact(a: str, b: str, pair: dict) -> Fact:
    corr = pair.get("correlation", {})
    c1 = corr.get("1y")
    values = {h: corr.get(h) for h in ("90d", "1y", "3y", "5y")}
    values["days"] = 90
    if c1 is None:
        return Fact("correlation_1y", f"{a} and {b} lack a common year of history to correlate.",
                    {**values, "level": None}, "correlation")
    values["level"] = corr_level(c1)
    text = f"Over the past year {a} and {b} were {values['level']} correlated, at {fmt.num(c1)} for daily returns."
    return Fact("correlation_1y", text, values, "correlation")


def _rolling_fact(a: str, b: str, pair: dict) -> Fact:
    rc = pair.get("correlation_rolling_1y")
    if not rc:
        return Fact("correlation_rolling_1y", "Their correlation cannot be tracked over five years of rolling "
                    "windows: the common history is too short.", {"min": None, "max": None}, "correlation")
    text = (
        f"Measured over rolling one-year ({fmt.count(rc['window_days'])}-trading-day) windows ending in the past "
        f"five years, their correlation ranged from {fmt.num(rc['min'])} (window ending {fmt.date(rc['min_date'])}) "
        f"to {fmt.num(rc['max'])} (ending {fmt.date(rc['max_date'])})."
    )
    return Fact("correlation_rolling_1y", text, dict(rc), "correlation")


def _lead_lag_fact(a: str, b: str, pair: dict) -> Fact:
    ll = pair.get("lead_lag")
    if not ll:
        return Fact("lead_lag", "Whether one fund leads the other cannot be tested: they lack a common year of "
                    "daily returns.", {"leader": None}, "correlation")
    values = dict(ll)
    values["strongest_lag_days"] = abs(ll["strongest_lag"])
    k = ll["strongest_lag"]
    first, second = (a, b) if k > 0 else (b, a)
    if ll["leader"] is None:
        text = (
            f"Neither fund leads the other: over the past year the same-day correlation of their daily returns was "
            f"{fmt.num(ll['same_day'])}, while at lags of one to five trading days the strongest was only "
            f"{fmt.num(ll['strongest'])} ({first}'s return against {second}'s "
            f"{fmt.count(abs(k))} {'day' if abs(k) == 1 else 'days'} later)."
        )
    else:
        text = (
            f"{first} has tended to lead {second} by {fmt.count(abs(k))} trading "
            f"{'day' if abs(k) == 1 else 'days'}: over the past year that lagged correlation was "
            f"{fmt.num(ll['strongest'])}, more than {fmt.num(ll['margin'])} above the same-day "
            f"{fmt.num(ll['same_day'])}."
        )
    return Fact("lead_lag", text, values, "correlation")


def pair_facts(a: str, b: str, fa: dict, fb: dict, pair: dict | None = None,
               profiles: dict | None = None) -> list[Fact]:
    """The facts a pair page states, in a stable order (ids are part of the JSON contract).

    ``fa``/``fb`` are the funds' JSON sections, ``pair`` the pair section (correlation,
    ``correlation_rolling_1y``, ``lead_lag``), ``profiles`` ticker -> :func:`profile`.
    """
    pair = pair or {}
    profiles = profiles or {}
    pa, pb = profiles.get(a) or profile(None), profiles.get(b) or profile(None)
    return [
        _return_fact(a, b, fa, fb, "1y"),
        _return_fact(a, b, fa, fb, "5y"),
        _fee_fact(a, b, fa, fb),
        _drawdown_fact(a, b, fa, fb, "5y"),
        _yield_fact(a, b, fa, fb),
        _concentration_fact(a, b, fa, fb, pa, pb),
        _growth_fact(a, b, fa, fb, "5y"),
        _fee_cost_fact(a, b, fa, fb),
        _drawdown_fact(a, b, fa, fb, "10y"),
        _correlation_fact(a, b, pair),
        _rolling_fact(a, b, pair),
        _lead_lag_fact(a, b, pair),
    ]

"""Facts: typed statements computed from the metrics, each with a stable id and the
values it rests on, plus the sentence that states it.

A :class:`Fact` carries the figures it compares (one per ticker), its unit and the
comparison (``leader``, ``difference`` in points, ``relative``).  Every number in a
sentence is formatted from the fact's ``values`` with :mod:`versus.fmt`, so the
prose can never say something the data do not (``tests/test_prose_numbers.py``
checks every number on every page).  Comparative wording follows
:data:`THRESHOLDS`, which the methodology page prints.

The paragraphs built from facts (summary, takeaways, FAQ) are the functions at the
end of this module; they read only the facts' ``values``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd

from . import fmt
from . import metrics as m
from .analysis import joint_returns
from .funds import APART_MONTHS, as_of_start, months_apart

_APART = {6: "six months", 12: "a year"}.get(APART_MONTHS, f"{APART_MONTHS} months")  # words: prose cites no bare number


class Threshold(NamedTuple):
    """One wording rule: the cut-off, the rule in words, and the unit of the cut-off."""

    value: float
    rule: str
    unit: str = "points"  # points (fraction as percentage points), ratio, relative, correlation, fraction, sigma

    @property
    def display(self) -> str:
        """The cut-off as the methodology page shows it."""
        if self.unit == "points":
            return f"{self.value * 100:g} points"
        if self.unit == "ratio":
            return f"{self.value:g}×"
        if self.unit == "correlation":
            return fmt.num(self.value, 2)
        if self.unit == "sigma":
            return f"{self.value:g}/√n"
        return fmt.pct(self.value, 0)


THRESHOLDS = {
    "return_tie": Threshold(0.001, "Returns within 0.1 points of each other are called 'about the same'."),
    "return_slight": Threshold(0.02, "A lead under 2 points of return is 'slightly'."),
    "fee_identical": Threshold(0.0002, "Expense ratios within 0.02 points are 'nearly identical'."),
    "fee_far": Threshold(5.0, "A fund charging over 5× the other's expense ratio makes the other 'far cheaper'.", "ratio"),
    "yield_tie": Threshold(0.0005, "Dividend yields within 0.05 points are 'about the same'."),
    "drawdown_tie": Threshold(0.005, "Drawdowns within 0.5 points are 'about as deep'."),
    "concentration_far": Threshold(5.0, "Over 5× as many holdings in the other fund: 'far more concentrated'.", "ratio"),
    "concentration_more": Threshold(1.5, "Over 1.5× as many holdings in the other fund: 'more concentrated' "
                                         "(below that, 'similarly diversified').", "ratio"),
    "growth_much": Threshold(0.25, "$1,000 grew to 'much more' when one ending value is over 25% above the other.",
                             "relative"),
    "growth_tie": Threshold(0.02, "Ending values within 2% of each other are 'about the same'.", "relative"),
    "correlation_high": Threshold(0.8, "A correlation of daily returns of 0.80 or more is 'closely correlated'.",
                                  "correlation"),
    "correlation_moderate": Threshold(0.5, "From 0.50 to 0.80 'moderately correlated'; below 0.50 'loosely'.",
                                      "correlation"),
    "correlation_shift": Threshold(0.15, "What changed: a move of one-year correlation across a band above, or by "
                                         "at least 0.15, is a correlation regime change.", "correlation"),
    "lead_lag_margin": Threshold(0.05, "One fund 'leads' the other only if the correlation at some lag of 1 to 5 "
                                       "trading days beats the same-day correlation by more than 0.05 (absolute "
                                       "values) ...", "correlation"),
    "lead_lag_noise": Threshold(3.0, "... and is outside the noise band of 3/√n for n daily returns (what pure "
                                     "chance rarely reaches).", "sigma"),
    "drawdown_correction": Threshold(0.10, "What changed: falling through 10% below the all-time high is reported "
                                           "(a correction).", "fraction"),
    "drawdown_bear": Threshold(0.20, "What changed: falling through 20% below the all-time high is reported "
                                     "(a bear market).", "fraction"),
    "fee_assumed_return": Threshold(0.06, "Fee-cost examples assume $10,000 growing 6% a year before fees for 10 "
                                          "years.", "fraction"),
}
"""name -> :class:`Threshold` (cut-off, rule in words, unit).  Printed on the methodology page."""

FEE_EXAMPLE = {"amount": 10_000, "years": 10}
ROLLING_WINDOW = m.TRADING_DAYS
MAX_LAG = 5
LABELS = {"1y": "the past year", "3y": "three years", "5y": "five years", "10y": "ten years"}
ADJ = {"1y": "one-year", "3y": "three-year", "5y": "five-year", "10y": "ten-year"}


def _t(name: str) -> float:
    return THRESHOLDS[name].value


@dataclass
class Fact:
    """A typed statement: ``values`` holds one figure per ticker plus the comparison
    (``leader``, ``difference``, ``relative``) and ``unit``; ``text`` states it."""

    id: str
    text: str
    values: dict = field(default_factory=dict)
    unit: str | None = None

    def to_json(self) -> dict:
        values = dict(self.values)
        if self.unit:
            values["unit"] = self.unit
        return {"id": self.id, "text": self.text, "values": values}


def _r(x, digits: int = 8):
    return None if x is None else round(float(x), digits)


def _by_id(facts: list[Fact]) -> dict[str, Fact]:
    return {f.id: f for f in facts}


# --------------------------------------------------------------------------- dated fund facts
def _src(f: dict, key: str) -> dict | None:
    """The observation behind fund fact ``key`` (the JSON's ``sources`` entry), if any."""
    return (f.get("sources") or {}).get(key)


def _dating(fs: dict[str, dict], key: str) -> dict:
    """When the funds' values of fact ``key`` were observed.

    ``observed``: ticker -> as_of; ``apart``: some two more than six months apart
    (:data:`versus.funds.APART_MONTHS`: such facts are not compared unless the sentence says so);
    ``after``: the tickers whose value was observed after the page's date; ``old``: those whose value
    is more than a year older than it."""
    obs = {t: _src(f, key) for t, f in fs.items()}
    known = {t: o["as_of"] for t, o in obs.items() if o}
    dates = sorted(known.values(), key=as_of_start)
    return {"observed": known, "apart": len(dates) > 1 and months_apart(dates[0], dates[-1]),
            "after": [t for t, o in obs.items() if o and o.get("observed_after_as_of")],
            "old": [t for t, o in obs.items() if o and o.get("old")]}


def _dated(value: str, t: str, d: dict) -> str:
    """'0.19% for IWM (Jan 2026)' when the date is known."""
    when = d["observed"].get(t)
    return f"{value} for {t}" + (f" ({fmt.observed(when)})" if when else "")


def _on(as_of: str) -> str:
    return ("on " if len(as_of) == 10 else "in ") + fmt.observed(as_of)


def _age(d: dict) -> str:
    """'VTI's observed on 27 Sep 2026, after this page's date' / 'both observed in Oct 2022, over a year
    before this page's date': said whenever a compared value is not from around the page's date."""
    flagged = [(t, "after this page's date" if t in d["after"] else "over a year before this page's date")
               for t in d["observed"] if t in d["after"] or t in d["old"]]
    if not flagged:
        return ""
    if len(flagged) == len(d["observed"]) == 2 and len({d["observed"][t] for t, _ in flagged}) == 1 \
            and len({w for _, w in flagged}) == 1:
        t, why = flagged[0]
        return f"both observed {_on(d['observed'][t])}, {why}"
    return "; ".join(f"{t}'s observed {_on(d['observed'][t])}, {why}" for t, why in flagged)


def _age_note(d: dict) -> str:
    """:func:`_age` in parentheses, to end a sentence with."""
    age = _age(d)
    return f" ({age})" if age else ""


def _age_in(d: dict) -> str:
    """:func:`_age` continuing an open parenthesis."""
    age = _age(d)
    return f"; {age}" if age else ""


def _applies(fs: dict[str, dict], key: str) -> bool:
    """Holdings concentration means nothing for a commodity trust (GLD holds bullion)."""
    return key != "holdings_count" or all(f.get("asset_class") != "commodity" for f in fs.values())


# --------------------------------------------------------------------------- series statistics
def fund_series(adj: pd.Series, end: pd.Timestamp) -> dict:
    """Where a fund stands against its highs on ``end``: ``drawdown_now`` (below the
    all-time high, with the high's date) and ``high_52w`` (date of the highest close in
    the 52 weeks to ``end``).  Added to the fund section of the JSON."""
    s = adj.loc[:end].dropna()
    if s.empty:
        return {"drawdown_now": None, "high_52w": None}
    peak = s.idxmax()
    recent = s.loc[s.index > end - pd.DateOffset(weeks=52)]
    return {
        "drawdown_now": {"value": _r(s.iloc[-1] / s.loc[peak] - 1.0), "peak": peak.date().isoformat()},
        "high_52w": {"date": recent.idxmax().date().isoformat(), "weeks": 52},
    }


def pair_series(returns: pd.DataFrame, a: str, b: str, end: pd.Timestamp) -> tuple[dict, dict[str, str]]:
    """Rolling one-year correlation range over five years and the lead-lag profile over one
    year, from daily returns on the days both funds trade.  Returns (values, null reasons)."""
    dates, x, y = joint_returns(returns, a, b, end)  # the days both have a return, up to ``end``
    out: dict = {}
    reasons: dict[str, str] = {}
    anchor5 = m.window_anchor(end, "5y")
    enough = len(dates) > ROLLING_WINDOW and dates[0] <= anchor5
    roll = (m.rolling_correlation(pd.Series(x, index=dates), pd.Series(y, index=dates), ROLLING_WINDOW) if enough
            else pd.Series(dtype=float))
    ends = roll.loc[roll.index > anchor5] if enough else roll
    if not enough or ends.empty or dates.searchsorted(ends.index[0], side="right") < ROLLING_WINDOW:
        out["correlation_rolling_1y"] = None
        reasons["correlation_rolling_1y"] = "less than six years of common daily returns (five years of rolling one-year windows)"
    else:
        lo, hi = ends.idxmin(), ends.idxmax()
        out["correlation_rolling_1y"] = {
            "min": _r(ends.loc[lo]), "min_date": lo.date().isoformat(), "max": _r(ends.loc[hi]),
            "max_date": hi.date().isoformat(), "window_days": ROLLING_WINDOW, "windows": int(len(ends)),
            "since": ends.index[0].date().isoformat(), "horizon": "5y",
        }
    anchor1 = m.window_anchor(end, "1y")
    if len(dates) == 0 or dates[0] > anchor1:
        out["lead_lag"] = None
        reasons["lead_lag"] = "less than a year of common daily returns"
        return out, reasons
    start = dates.searchsorted(anchor1, side="right")  # the days after the anchor
    win = dates[start:]
    cc = m.cross_correlation(pd.Series(x[start:], index=win), pd.Series(y[start:], index=win), MAX_LAG)
    same = float(cc.loc[0])
    others = cc.drop(0)
    k = int(others.abs().idxmax())
    lead = None
    band = _t("lead_lag_noise") / len(win) ** 0.5
    if abs(others.loc[k]) - abs(same) > _t("lead_lag_margin") and abs(others.loc[k]) > band:
        lead = a if k > 0 else b
    out["lead_lag"] = {
        "horizon": "1y", "observations": int(len(win)), "max_lag": MAX_LAG,
        "by_lag": {str(i): _r(v) for i, v in cc.items()}, "same_day": _r(same),
        "strongest_lag": k, "strongest": _r(others.loc[k]), "leader": lead,
        "margin": _t("lead_lag_margin"), "noise_band": _r(band),
    }
    return out, reasons


def profile(info) -> dict:
    """Concentration inputs from curated fund facts (a :class:`versus.funds.FundFacts` or None):
    weight of the ten largest holdings and the largest sector, each with its as-of date."""
    out = {"top10_weight": None, "top10_as_of": None, "top_sector": None, "top_sector_weight": None}
    if info is None:
        return out
    if info.top_holdings and len(info.top_holdings) >= 10:
        out["top10_weight"] = _r(sum(h["weight"] for h in info.top_holdings[:10]), 6)
        out["top10_as_of"] = info.holdings_as_of
    if info.sector_weights:
        named = {k: v for k, v in info.sector_weights.items() if k.lower() not in ("other", "unknown")}
        if named:
            name = max(named, key=named.get)
            out["top_sector"], out["top_sector_weight"] = name, _r(named[name], 6)
    return out


# --------------------------------------------------------------------------- pair facts
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
              "relative": _r((1 + max(ra, rb)) / (1 + min(ra, rb)) - 1), "horizon": h}
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
              "relative": _r(max(ea, eb) / min(ea, eb)) if min(ea, eb) > 0 else None,
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
    cost = m.fee_cost(amount, years, r, low, high)
    values = {**base, a: ea, b: eb, "cost": _r(cost, 2), "difference": round(high - low, 8), "leader": None}
    if cost < 0.5:
        text = (f"With identical expense ratios, the fee makes no difference on {fmt.money(amount)} "
                f"over {fmt.num(years, 0)} years.")
        return Fact("fee_cost_10y", text, values, "usd")
    cheap, dear = (a, b) if ea < eb else (b, a)
    values["leader"] = cheap
    text = (
        f"On {fmt.money(amount)} growing {fmt.pct(r, 0)} a year before fees, {dear}'s extra "
        f"{fmt.pts(high - low, 2)} a year would cost about {fmt.money(cost)} over {fmt.num(years, 0)} years "
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
    values = {a: na, b: nb, "leader": None, "relative": _r(ratio, 4),
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
    values = {**base, a: ga, b: gb, "leader": None, "relative": _r(rel, 6), "degree": "same"}
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


# --------------------------------------------------------------------------- fund and group facts
def fund_facts(t: str, f: dict) -> list[Fact]:
    """Short facts for a fund page."""
    out = []
    r1 = f["total_return"].get("1y")
    if r1 is not None:
        out.append(Fact("return_1y", f"{t} returned {fmt.pct(r1)} over the past year, dividends reinvested.",
                        {t: r1}, "fraction"))
    dd = f["max_drawdown"].get("5y")
    if dd and dd.get("peak"):
        out.append(
            Fact(
                "max_drawdown_5y",
                f"Its worst fall over five years was {fmt.pct(abs(dd['value']))}, from {fmt.date(dd['peak'])} to "
                f"{fmt.date(dd['trough'])}"
                + (f", recovered by {fmt.date(dd['recovery'])}." if dd["recovery"] else ", not yet recovered."),
                {t: dd["value"], "peak": dd["peak"], "trough": dd["trough"], "recovery": dd["recovery"]},
                "fraction",
            )
        )
    now, hi = f.get("drawdown_now"), f.get("high_52w")
    if now and now.get("value") is not None:
        if now["value"] == 0:
            text = f"On {fmt.date(f['as_of'])} it closed at an all-time high."
        else:
            text = (f"On {fmt.date(f['as_of'])} it closed {fmt.pct(abs(now['value']))} below its all-time high "
                    f"of {fmt.date(now['peak'])}")
            text += (f"; its highest close of the past {fmt.count(hi['weeks'])} weeks was on {fmt.date(hi['date'])}."
                     if hi else ".")
        out.append(Fact("drawdown_now", text, {t: now["value"], "peak": now["peak"], "as_of": f["as_of"],
                                               "high_52w": hi}, "fraction"))
    er, y = f.get("expense_ratio"), f.get("dividend_yield_ttm")
    if er is not None or y is not None:
        parts = []
        src = _src(f, "expense_ratio")
        if er is not None:
            when = "" if not src else (
                f" (observed {_on(src['as_of'])}, after this page's date)" if src.get("observed_after_as_of") else
                f" (as of {fmt.observed(src['as_of'])}, over a year before this page's date)" if src.get("old") else
                f" (as of {fmt.observed(src['as_of'])})")
            parts.append(f"charges {fmt.pct(er, 2)} a year{when}")
        if y is not None:
            parts.append(f"has a trailing twelve-month dividend yield of {fmt.pct(y, 2)}")
        out.append(Fact("costs_and_income", f"{t} " + " and ".join(parts) + ".",
                        {"expense_ratio": er, "dividend_yield_ttm": y,
                         "expense_ratio_as_of": src["as_of"] if src else None}, "fraction"))
    return out


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


# --------------------------------------------------------------------------- prose from facts
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

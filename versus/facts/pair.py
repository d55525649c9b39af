"""The facts of a pair page, in a stable order (their ids are part of the JSON contract).

Who leads is decided by :func:`versus.facts.verdict.compare` (the same rule wherever the figures
appear), and every fact carries the claims its sentence makes."""
from __future__ import annotations

import pandas as pd

from .. import fmt
from ..analysis.holdings import profile
from ..util import num
from .costs import concentration_fact, fee_cost_fact, fee_fact, yield_fact
from .model import ADJ, LABELS, Fact, _t
from .verdict import compare, compared, figure, grew, horizon, level, sign


def _return_fact(a: str, b: str, fa: dict, fb: dict, h: str) -> Fact:
    label = LABELS[h]
    ra = fa["total_return"].get(h)
    rb = fb["total_return"].get(h)
    fid = f"return_{h}_leader"
    if ra is None or rb is None:
        missing = a if ra is None else b
        return Fact(fid, f"A {ADJ[h]} comparison is not possible: {missing} lacks {label} of history.",
                    {"leader": None, "missing": missing, "horizon": h}, "fraction", [horizon(h)])
    v = compare("return", a, ra, b, rb)
    values = {a: ra, b: rb, "leader": v.leader, "difference": round(abs(fmt.lead(ra, rb)) / 100, 6),
              "relative": num((1 + max(ra, rb)) / (1 + min(ra, rb)) - 1), "horizon": h}
    refs = {t: f"funds.{t}.total_return.{h}" for t in (a, b)}
    claims = [compared("return", {a: ra, b: rb}, v, h, refs, lead=v.leader is not None), horizon(h)]
    if v.leader is None:
        text = f"Over {label}, {a} and {b} returned about the same ({fmt.pct(ra)} and {fmt.pct(rb)})."
        return Fact(fid, text, values, "fraction", claims)
    rl, rg = (ra, rb) if v.leader == a else (rb, ra)
    adverb = "slightly " if v.degree == "slightly" else ""
    text = (f"Over {label}, {v.leader} {adverb}outperformed {v.other} with a total return of {fmt.pct(rl)} "
            f"against {fmt.pct(rg)}, a lead of {v.lead}.")
    return Fact(fid, text, values, "fraction", claims)


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
                    {"deeper": None, "leader": None, "missing": missing, "horizon": h}, "fraction", [horizon(h)])
    v = compare("drawdown", a, da, b, db)
    values = {
        a: da, b: db, "deeper": v.leader, "leader": v.leader, "horizon": h, "difference": round(abs(da - db), 8),
        "detail": {t: {**info, "recovery_days": _days(info.get("trough"), info.get("recovery"))}
                   for t, info in ((a, ia), (b, ib))},
        "days_basis": "calendar days from the trough to the first close back at the peak",
    }
    refs = {t: f"funds.{t}.max_drawdown.{h}.value" for t in (a, b)}
    claims = [compared("drawdown", {a: da, b: db}, v, h, refs), horizon(h)]
    if v.leader is None:
        return Fact(fid, f"Their worst falls over {label} were about as deep ({fmt.pct(abs(da))} and "
                    f"{fmt.pct(abs(db))}).", values, "fraction", claims)
    deep, shallow = v.leader, v.other
    info = ia if deep == a else ib
    text = (f"{deep} suffered the deeper drawdown over {label}, falling {fmt.pct(abs(min(da, db)))} from its peak "
            f"on {fmt.date(info['peak'])} to {fmt.date(info['trough'])}, against {fmt.pct(abs(max(da, db)))} for "
            f"{shallow}.")
    return Fact(fid, text, values, "fraction", claims)


def _growth_fact(a: str, b: str, fa: dict, fb: dict, h: str = "5y") -> Fact:
    ga, gb = fa["growth_of_1000"].get(h), fb["growth_of_1000"].get(h)
    fid = f"growth_{h}"
    base = {"amount": 1000, "horizon": h}
    if ga is None or gb is None:
        missing = a if ga is None else b
        return Fact(fid, f"Growth over {LABELS[h]} cannot be compared: {missing} lacks the history.",
                    {**base, "leader": None, "missing": missing}, "usd", [horizon(h)])
    v = compare("growth", a, ga, b, gb)
    rel = max(ga, gb) / min(ga, gb) - 1 if min(ga, gb) > 0 else None
    values = {**base, a: ga, b: gb, "leader": v.leader, "relative": num(rel, 6),
              "degree": "same" if v.leader is None else (v.degree or "more")}
    refs = {t: f"funds.{t}.growth_of_1000.{h}" for t in (a, b)}
    claims = [compared("growth", {a: ga, b: gb}, v, h, refs), horizon(h)]
    claims += [sign(round(g) - 1000, grew(g, 1000), refs[t]) for t, g in ((a, ga), (b, gb))]
    if v.leader is None:
        return Fact(fid, f"Over {LABELS[h]}, {fmt.money(1000)} became about the same in both funds "
                    f"({fmt.money(ga)} in {a}, {fmt.money(gb)} in {b}).", values, "usd", claims)
    hi, lo = v.leader, v.other
    g_hi, g_lo = max(ga, gb), min(ga, gb)
    more = "much more than" if v.degree == "much" else "more than"
    text = (f"Over {LABELS[h]}, {fmt.money(1000)} {grew(g_hi, 1000)} {fmt.money(g_hi)} in {hi}, {more} the "
            f"{fmt.money(g_lo)} it {grew(g_lo, 1000)} in {lo}.")
    return Fact(fid, text, values, "usd", claims)


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
        return Fact("correlation_1y", f"A one-year correlation is not possible: {a} and {b} lack a common year of "
                    f"history.",
                    {**values, "level": None}, "correlation", [horizon("1y")])
    values["level"] = corr_level(c1)
    text = f"Over the past year {a} and {b} were {values['level']} correlated, at {fmt.num(c1)} for daily returns."
    claims = [level("correlation", c1, values["level"], "pair.correlation.1y"),
              figure(c1, fmt.num(c1), "pair.correlation.1y"), horizon("1y")]
    return Fact("correlation_1y", text, values, "correlation", claims)


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
    claims = [{"kind": "range", "min": rc["min"], "max": rc["max"], "since": rc["since"], "horizon": "5y",
               "ref": "pair.correlation_rolling_1y"},
              figure(rc["min"], fmt.num(rc["min"])), figure(rc["max"], fmt.num(rc["max"])), horizon("5y")]
    return Fact("correlation_rolling_1y", text, dict(rc), "correlation", claims)


def _lead_lag_fact(a: str, b: str, pair: dict) -> Fact:
    ll = pair.get("lead_lag")
    if not ll:
        return Fact("lead_lag", "Whether one fund leads the other cannot be tested: they lack a common year of "
                    "daily returns.", {"leader": None}, "correlation")
    values = dict(ll)
    values["strongest_lag_days"] = abs(ll["strongest_lag"])
    k = ll["strongest_lag"]
    first, second = (a, b) if k > 0 else (b, a)
    claims = [{"kind": "lead_lag", "ref": "pair.lead_lag", "leader": ll["leader"], "first": first,
               "lag": abs(k), "same_day": ll["same_day"], "strongest": ll["strongest"], "margin": ll["margin"],
               "noise_band": ll["noise_band"]}, horizon("1y")]
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
    return Fact("lead_lag", text, values, "correlation", claims)


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
        fee_fact(a, b, fa, fb),
        _drawdown_fact(a, b, fa, fb, "5y"),
        yield_fact(a, b, fa, fb),
        concentration_fact(a, b, fa, fb, pa, pb),
        _growth_fact(a, b, fa, fb, "5y"),
        fee_cost_fact(a, b, fa, fb),
        _drawdown_fact(a, b, fa, fb, "10y"),
        _correlation_fact(a, b, pair),
        _rolling_fact(a, b, pair),
        _lead_lag_fact(a, b, pair),
    ]

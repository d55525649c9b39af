"""One comparison rule per kind of figure, and the claims a sentence carries.

Every sentence that compares two funds (the facts, the summary, the takeaways, the FAQ, chart
descriptions) decides who leads with :func:`compare`, so the same two figures get the same words
everywhere: "about the same" in the summary is "about the same" in the FAQ.  Decisions are taken on
the figures *as shown* (one decimal for returns, two for fees), so a lead agrees with the two rounded
numbers beside it ("34.1% against 27.3%, a lead of 6.8 points").

Each sentence also carries its **claims** (``claims`` in the page's JSON): what it states, machine
readable, with the raw figures (and the JSON path they are published at) it rests on.  A claim is one of

* ``compare``: ``rule`` (return, fee, yield, drawdown, growth, concentration), ``funds``, ``values``
  (raw), ``refs`` (their JSON paths, when published), ``shown`` (as printed), ``leader`` (None: about
  the same), ``degree`` ("slightly", "far", "much" or ""), ``lead`` (the gap as printed, if stated) and
  ``horizon``;
* ``figure``: a number stated (``value``, ``ref``, ``shown``, ``format``);
* ``sign``: a direction word ("grew to", "fell", "ahead of") and the value whose sign it states;
* ``level``: a banded word ("closely correlated") and the value it rests on;
* ``rank``: the best or worst of several funds (group pages);
* ``bounds``: a value (``values``) that lies between a stated lowest (``low``) and highest (``high``);
* ``share``: how often the first of ``funds`` beat the second (``words``), ``count`` of ``of`` times,
  ``value`` = count / of, ``shown`` as printed (the rolling one-year return chart);
* ``horizon``: the period the sentence names.

``tests/truth.py`` re-derives each claim from the raw figures, independently of this module.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import fmt
from .model import THRESHOLDS

FORMATS = {"return": ("pct", 1), "fee": ("pct", 2), "yield": ("pct", 2), "drawdown": ("pct", 1),
           "growth": ("money", 0), "concentration": ("pct", 1)}
"""How each rule's figures are shown (the precision its decision is taken at)."""


def _t(name: str) -> float:
    return THRESHOLDS[name].value


@dataclass(frozen=True)
class Verdict:
    """Who leads (None: about the same), the other fund, and the degree word ("" for none)."""

    leader: str | None
    other: str | None
    degree: str = ""
    lead: str | None = None  # the gap as printed ("6.8 points"), for rules stated in points


def show(rule: str, value) -> str:
    kind, digits = FORMATS[rule]
    return fmt.pct(value, digits) if kind == "pct" else fmt.money(value, digits)


def _lead(rule: str, a: float, b: float) -> float:
    """``a`` minus ``b`` as shown, in percentage points."""
    return fmt.lead(a, b, FORMATS[rule][1])


def compare(rule: str, a: str, va: float, b: str, vb: float) -> Verdict:
    """Who leads on ``rule`` between fund ``a`` (value ``va``) and ``b`` (``vb``), and by how much.

    return: the higher total return, "about the same" within 0.1 points, "slightly" under 2 points;
    fee: the lower expense ratio ("cheaper"), nearly identical under 0.02 points, "far" over 5×;
    yield: the higher yield, the same under 0.05 points; drawdown: the deeper (more negative) fall, as
    deep under 0.5 points; growth: the larger ending value, the same within 2%, "much" over 25%;
    concentration: the higher top-10 weight, similar within 2 points, "far" over twice the other."""
    if rule == "growth":
        rel = max(va, vb) / min(va, vb) - 1 if min(va, vb) > 0 else float("inf")
        if rel < _t("growth_tie"):
            return Verdict(None, None)
        hi, lo = (a, b) if va > vb else (b, a)
        return Verdict(hi, lo, "much" if rel > _t("growth_much") else "")
    d = _lead(rule, va, vb)
    points = f"{abs(d):.{FORMATS[rule][1]}f} points"
    if rule == "return":
        if abs(d) <= _t("return_tie") * 100 + 1e-9:
            return Verdict(None, None, lead=points)
        lead, other = (a, b) if d > 0 else (b, a)
        return Verdict(lead, other, "slightly" if abs(d) < _t("return_slight") * 100 - 1e-9 else "", points)
    if rule == "fee":
        if abs(d) < _t("fee_identical") * 100 - 1e-9:
            return Verdict(None, None, lead=points)
        cheap, dear = (a, b) if d < 0 else (b, a)
        lo, hi = sorted((va, vb))
        return Verdict(cheap, dear, "far" if lo > 0 and hi / lo > _t("fee_far") else "", points)
    if rule == "yield":
        if abs(d) < _t("yield_tie") * 100 - 1e-9:
            return Verdict(None, None, lead=points)
        return Verdict(*((a, b) if d > 0 else (b, a)), lead=points)
    if rule == "drawdown":
        if abs(d) < _t("drawdown_tie") * 100 - 1e-9:
            return Verdict(None, None, lead=points)
        return Verdict(*((a, b) if d < 0 else (b, a)), lead=points)
    if rule == "concentration":
        if abs(d) <= _t("concentration_tie") * 100 + 1e-9:
            return Verdict(None, None, lead=points)
        hi, lo = (a, b) if d > 0 else (b, a)
        far = min(va, vb) > 0 and max(va, vb) / min(va, vb) > _t("concentration_far")
        return Verdict(hi, lo, "far" if far else "", points)
    raise ValueError(f"unknown rule {rule!r}")


def compared(rule: str, values: dict, verdict: Verdict, horizon: str | None = None, refs: dict | None = None,
             lead: bool = False) -> dict:
    """The ``compare`` claim of a sentence stating ``verdict`` on ``values`` (ticker -> raw figure)."""
    out = {"kind": "compare", "rule": rule, "funds": list(values), "values": dict(values),
           "shown": {t: show(rule, v) for t, v in values.items()}, "leader": verdict.leader,
           "degree": verdict.degree, "horizon": horizon}
    if refs:
        out["refs"] = dict(refs)
    if lead:
        out["lead"] = verdict.lead
    return out


def figure(value, shown: str, ref: str | None = None) -> dict:
    """A number a sentence states, as shown."""
    out = {"kind": "figure", "value": value, "shown": shown}
    if ref:
        out["ref"] = ref
    return out


def sign(value, words: str, ref: str | None = None) -> dict:
    """A direction word ("grew to", "fell to", "ahead of", "behind", "up", "down") and the value (a
    change: above zero is up) whose sign it states."""
    says = "up" if value > 0 else "down" if value < 0 else "flat"
    out = {"kind": "sign", "value": value, "says": says, "words": words}
    if ref:
        out["ref"] = ref
    return out


def level(rule: str, value, says: str, ref: str | None = None) -> dict:
    """A banded word (``rule`` "correlation": closely, moderately, loosely, negatively)."""
    out = {"kind": "level", "rule": rule, "value": value, "says": says}
    if ref:
        out["ref"] = ref
    return out


def rank(values: dict, best, worst, horizon: str | None = None, rule: str = "return") -> dict:
    """The best and worst of several funds (ticker -> raw figure; higher is better); ``best`` and ``worst`` a
    ticker, a list of the funds tied there as shown, or None."""
    return {"kind": "rank", "rule": rule, "values": dict(values), "best": best, "worst": worst, "horizon": horizon}


def tied(values: dict, digits: int, highest: bool = True) -> list[str]:
    """The funds at the top (``highest``) or bottom of ``values`` as shown (percent at ``digits`` decimals): more
    than one when they tie ("VOO, IVV and VTI are the cheapest at 0.03%"), in the order given."""
    end = (max if highest else min)(fmt.shown(v, digits) for v in values.values())
    return [t for t, v in values.items() if fmt.shown(v, digits) == end]


def names(tickers) -> str:
    """'QQQ', 'QQQ and IWM', 'QQQ, IWM and SPY'."""
    tickers = list(tickers)
    return tickers[0] if len(tickers) == 1 else ", ".join(tickers[:-1]) + " and " + tickers[-1]


def horizon(h: str) -> dict:
    """The period a sentence names (every comparison names its horizon)."""
    return {"kind": "horizon", "horizon": h}


def grew(value: float, start: float) -> str:
    """'grew to' for a gain, 'fell to' for a loss, 'stayed at' when unchanged (as shown, whole dollars)."""
    if round(value) > round(start):
        return "grew to"
    return "fell to" if round(value) < round(start) else "stayed at"


def below_high(value: float) -> tuple[str, str]:
    """How far below its high a fund is (``value`` <= 0), as a sentence says it: ('at', '') on the high,
    ('less than 0.1% below', '') when that rounds to nothing, else ('4.3% below', '4.3%')."""
    if value == 0:
        return "at", ""
    if fmt.shown(value) == 0:
        return "less than 0.1% below", ""
    return f"{fmt.pct(-value)} below", fmt.pct(-value)

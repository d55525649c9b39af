"""The short facts of a fund page."""
from __future__ import annotations

from .. import fmt
from .dating import _on, _src
from .model import Fact
from .verdict import below_high, figure, horizon, sign


def fund_facts(t: str, f: dict) -> list[Fact]:
    """Short facts for a fund page."""
    out = []
    r1 = f["total_return"].get("1y")
    if r1 is not None:
        out.append(Fact("return_1y", f"{t} returned {fmt.pct(r1)} over the past year, dividends reinvested.",
                        {t: r1}, "fraction", [figure(r1, fmt.pct(r1), f"funds.{t}.total_return.1y"), horizon("1y")]))
    dd = f["max_drawdown"].get("5y")
    if dd and dd.get("peak"):
        out.append(
            Fact(
                "max_drawdown_5y",
                f"Its worst fall over five years was {fmt.pct(abs(dd['value']))}, from {fmt.date(dd['peak'])} to "
                f"{fmt.date(dd['trough'])}"
                + (f", recovered by {fmt.date(dd['recovery'])}." if dd["recovery"] else ", not yet recovered."),
                {t: dd["value"], "peak": dd["peak"], "trough": dd["trough"], "recovery": dd["recovery"]},
                "fraction", [figure(abs(dd["value"]), fmt.pct(abs(dd["value"])), None),
                             sign(dd["value"], "worst fall", f"funds.{t}.max_drawdown.5y.value"), horizon("5y")],
            )
        )
    now, hi = f.get("drawdown_now"), f.get("high_52w")
    if now and now.get("value") is not None:
        ref = f"funds.{t}.drawdown_now.value"
        where, shown = below_high(now["value"])
        if where == "at":
            text = f"On {fmt.date(f['as_of'])} it closed at an all-time high."
            claims = [sign(now["value"], "at an all-time high", ref)]
        else:
            claims = [sign(now["value"], "below its all-time high", ref)] + \
                ([figure(abs(now["value"]), shown)] if shown else [])
            text = (f"On {fmt.date(f['as_of'])} it closed {where} its all-time high of {fmt.date(now['peak'])}")
            text += (f"; its highest close of the past {fmt.count(hi['weeks'])} weeks was on {fmt.date(hi['date'])}."
                     if hi else ".")
        out.append(Fact("drawdown_now", text, {t: now["value"], "peak": now["peak"], "as_of": f["as_of"],
                                               "high_52w": hi}, "fraction", claims))
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
        claims = ([figure(er, fmt.pct(er, 2), f"funds.{t}.expense_ratio")] if er is not None else []) + \
            ([figure(y, fmt.pct(y, 2), f"funds.{t}.dividend_yield_ttm")] if y is not None else [])
        out.append(Fact("costs_and_income", f"{t} " + " and ".join(parts) + ".",
                        {"expense_ratio": er, "dividend_yield_ttm": y,
                         "expense_ratio_as_of": src["as_of"] if src else None}, "fraction", claims))
    return out

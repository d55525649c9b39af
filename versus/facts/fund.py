"""The short facts of a fund page."""
from __future__ import annotations

from .. import fmt
from .dating import _on, _src
from .model import Fact


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

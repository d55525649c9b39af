"""Dated fund facts in sentences: when the compared values were observed, whether they may be compared
(observed at most :data:`versus.data.funds.APART_MONTHS` apart), and how a sentence says a value is from
after the page's date or over a year before it."""
from __future__ import annotations

from .. import fmt
from ..data.funds import APART_MONTHS, as_of_start, months_apart

_APART = {6: "six months", 12: "a year"}.get(APART_MONTHS, f"{APART_MONTHS} months")  # words: prose cites no bare number


def _src(f: dict, key: str) -> dict | None:
    """The observation behind fund fact ``key`` (the JSON's ``sources`` entry), if any."""
    return (f.get("sources") or {}).get(key)


def _dating(fs: dict[str, dict], key: str) -> dict:
    """When the funds' values of fact ``key`` were observed.

    ``observed``: ticker -> as_of; ``apart``: some two more than six months apart
    (:data:`versus.data.funds.APART_MONTHS`: such facts are not compared unless the sentence says so);
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

"""What changed since the previous build: compare a pair's document with the previous build's
(read before the new site replaces it, :mod:`versus.build.previous`).

Reported, with the thresholds in :data:`versus.facts.THRESHOLDS`:

* the one-year return leader flipped;
* a fund set a new 52-week high after the previous build's as-of date;
* a fund's fall from its all-time high crossed 10% or 20% (either way);
* a correlation regime change: the one-year correlation moved into another band
  (closely / moderately / loosely correlated) or by at least ``correlation_shift``.

Items are facts too (id, text, values): every number in their sentences comes from
their ``values``.  When the previous build has the same as-of date, its items are
carried over unchanged, so rebuilding is idempotent.
"""
from __future__ import annotations

from .. import fmt
from .model import THRESHOLDS
from .verdict import compare, compared, figure, level
from .pair import corr_level


def _item(id_: str, text: str, values: dict, claims: list[dict] | None = None) -> dict:
    return {"id": id_, "text": text, "values": values, "claims": claims or []}


def _fact(doc: dict, fid: str) -> dict:
    return next((f["values"] for f in doc.get("facts", []) if f.get("id") == fid), {})


def _leader_flip(prev: dict, cur: dict, since: str) -> list[dict]:
    p, c = _fact(prev, "return_1y_leader"), _fact(cur, "return_1y_leader")
    a, b = (cur.get("tickers") or [None, None])[:2]
    if a is None or None in (p.get(a), p.get(b), c.get(a), c.get(b)):
        return []
    was, now = compare("return", a, p[a], b, p[b]), compare("return", a, c[a], b, c[b])  # today's rule, both days
    old, new = was.leader, now.leader
    if not old or not new or old == new:
        return []
    text = (f"{new} has overtaken {old} on one-year total return: {fmt.pct(c[new])} against {fmt.pct(c[old])} "
            f"(on {fmt.date(since)} {old} led, {fmt.pct(p.get(old))} against {fmt.pct(p.get(new))}).")
    claims = [compared("return", {new: c[new], old: c[old]}, now, "1y"),
              {**compared("return", {old: p[old], new: p[new]}, was, "1y"), "on": since}]
    return [_item("return_1y_leader_flipped", text, {"leader": new, "previous_leader": old, "since": since,
                                                     "now": {new: c[new], old: c[old]},
                                                     "then": {old: p.get(old), new: p.get(new)}}, claims)]


def _new_highs(prev: dict, cur: dict, since: str) -> list[dict]:
    out = []
    for t in cur.get("tickers", []):
        hi = cur["funds"][t].get("high_52w")
        if hi and hi.get("date") and hi["date"] > since:
            out.append(_item(f"new_high_52w.{t}", f"{t} set a new {fmt.count(hi['weeks'])}-week high, closing at "
                             f"its highest on {fmt.date(hi['date'])}.", {"ticker": t, **hi, "since": since}))
    return out


def _drawdown_crossings(prev: dict, cur: dict, since: str) -> list[dict]:
    out = []
    levels = sorted((THRESHOLDS["drawdown_correction"].value, THRESHOLDS["drawdown_bear"].value), reverse=True)
    for t in cur.get("tickers", []):
        p = ((prev.get("funds") or {}).get(t) or {}).get("drawdown_now") or {}
        c = cur["funds"][t].get("drawdown_now") or {}
        pv, cv = p.get("value"), c.get("value")
        if pv is None or cv is None:
            continue
        values = {"ticker": t, "now": cv, "then": pv, "since": since, "peak": c.get("peak")}
        for level in levels:  # the deepest level crossed
            claims = [{"kind": "crossing", "level": -level, "then": pv, "now": cv}, figure(abs(cv), fmt.pct(abs(cv))),
                      figure(abs(pv), fmt.pct(abs(pv)))]
            if pv > -level >= cv:
                out.append(_item(f"drawdown_crossed.{t}", f"{t} has fallen more than {fmt.pct(level, 0)} below its "
                                 f"all-time high: it is now {fmt.pct(abs(cv))} below, against {fmt.pct(abs(pv))} on "
                                 f"{fmt.date(since)}.", {**values, "level": -level}, claims))
                break
            if pv <= -level < cv:
                out.append(_item(f"drawdown_recovered.{t}", f"{t} is back within {fmt.pct(level, 0)} of its all-time "
                                 f"high: {fmt.pct(abs(cv))} below it now, against {fmt.pct(abs(pv))} on "
                                 f"{fmt.date(since)}.", {**values, "level": -level}, claims))
                break
    return out


def _correlation_regime(prev: dict, cur: dict, since: str) -> list[dict]:
    pv = ((prev.get("pair") or {}).get("correlation") or {}).get("1y")
    cv = ((cur.get("pair") or {}).get("correlation") or {}).get("1y")
    a, b = cur["tickers"][:2]
    return _regime(pv, cv, a, b, since, "correlation_regime")


def _regime(pv, cv, a: str, b: str, since: str, id_: str) -> list[dict]:
    """A correlation regime change of ``a`` and ``b`` (one year) from ``pv`` then to ``cv`` now, or nothing."""
    if pv is None or cv is None:
        return []
    was, now = corr_level(pv), corr_level(cv)
    if was == now and abs(cv - pv) < THRESHOLDS["correlation_shift"].value:
        return []
    text = (f"The one-year correlation of {a} and {b} moved from {fmt.num(pv)} ({was} correlated) on "
            f"{fmt.date(since)} to {fmt.num(cv)} ({now} correlated).")
    return [_item(id_, text, {"now": cv, "then": pv, "since": since, "level": now, "previous_level": was,
                              "shift": THRESHOLDS["correlation_shift"].value},
                  [level("correlation", pv, was), level("correlation", cv, now)])]


def _matrix_cell(doc: dict, a: str, b: str):
    """The one-year correlation of ``a`` and ``b`` in a group document's matrix (None when absent)."""
    mx = doc.get("correlation_matrix") or {}
    tickers, rows = mx.get("tickers") or [], (mx.get("values") or {}).get("1y") or []
    if a not in tickers or b not in tickers:
        return None
    i, j = tickers.index(a), tickers.index(b)
    return rows[i][j] if i < len(rows) and j < len(rows[i]) else None


def _group_leader_flip(prev: dict, cur: dict, since: str) -> list[dict]:
    """A new best one-year return in the group, when today's rule ranks the new leader ahead now and the old one
    ahead on the previous date (the pair page's rule, so 'about the same' is never a flip)."""
    p, c = _fact(prev, "return_1y_leader"), _fact(cur, "return_1y_leader")
    old, new = p.get("leader"), c.get("leader")
    if not old or not new or old == new or None in (p.get(old), p.get(new), c.get(old), c.get(new)):
        return []
    was, now = compare("return", old, p[old], new, p[new]), compare("return", new, c[new], old, c[old])
    if was.leader != old or now.leader != new:
        return []
    text = (f"{new} now has the group's best one-year total return: {fmt.pct(c[new])} against {fmt.pct(c[old])} "
            f"for {old} (on {fmt.date(since)} {old} led, {fmt.pct(p[old])} against {fmt.pct(p[new])}).")
    claims = [compared("return", {new: c[new], old: c[old]}, now, "1y"),
              {**compared("return", {old: p[old], new: p[new]}, was, "1y"), "on": since}]
    return [_item("return_1y_leader_flipped", text, {"leader": new, "previous_leader": old, "since": since,
                                                     "now": {new: c[new], old: c[old]},
                                                     "then": {old: p[old], new: p[new]}}, claims)]


def essentials(doc: dict) -> dict:
    """What :func:`pair_changes` reads of a previous pair document (kept in the data store's history,
    :mod:`versus.build.previous`, so that a fresh runner without the previous site still compares)."""
    funds = doc.get("funds") or {}
    return {
        "as_of": doc.get("as_of"), "tickers": doc.get("tickers", []), "changes": doc.get("changes"),
        "facts": [f for f in doc.get("facts", []) if f.get("id") == "return_1y_leader"],
        "funds": {t: {"drawdown_now": (funds.get(t) or {}).get("drawdown_now")} for t in doc.get("tickers", [])},
        "pair": {"correlation": {"1y": ((doc.get("pair") or {}).get("correlation") or {}).get("1y")}},
    }


def pair_changes(prev: dict | None, cur: dict) -> dict:
    """``{"since": previous as-of or None, "items": [...]}`` for one pair's JSON document."""
    if not prev or not prev.get("as_of"):
        return {"since": None, "items": []}
    since = prev["as_of"]
    if since == cur["as_of"]:
        carried = prev.get("changes")
        return carried if isinstance(carried, dict) and "items" in carried else {"since": None, "items": []}
    if since > cur["as_of"]:
        return {"since": None, "items": []}
    items = (_leader_flip(prev, cur, since) + _new_highs(prev, cur, since)
             + _drawdown_crossings(prev, cur, since) + _correlation_regime(prev, cur, since))
    return {"since": since, "items": items}


def group_essentials(doc: dict) -> dict:
    """What :func:`group_changes` reads of a previous group document (kept in the data store's history)."""
    mx = doc.get("correlation_matrix") or {}
    return {
        "as_of": doc.get("as_of"), "tickers": doc.get("tickers", []), "changes": doc.get("changes"),
        "facts": [f for f in doc.get("facts", []) if f.get("id") == "return_1y_leader"],
        "funds": {t: {"drawdown_now": ((doc.get("funds") or {}).get(t) or {}).get("drawdown_now")}
                  for t in doc.get("tickers", [])},
        "correlation_matrix": {"tickers": mx.get("tickers", []), "values": {"1y": (mx.get("values") or {}).get("1y", [])}},
    }


def group_changes(prev: dict | None, cur: dict) -> dict:
    """``{"since", "items"}`` for one group's JSON document: a new best one-year return, new highs, drawdown
    crossings, and a correlation regime change of any two of its funds (the pair page's rules)."""
    if not prev or not prev.get("as_of"):
        return {"since": None, "items": []}
    since = prev["as_of"]
    if since == cur["as_of"]:
        carried = prev.get("changes")
        return carried if isinstance(carried, dict) and "items" in carried else {"since": None, "items": []}
    if since > cur["as_of"]:
        return {"since": None, "items": []}
    tickers = cur["tickers"]
    regimes = [item for i, a in enumerate(tickers) for b in tickers[i + 1:]
               for item in _regime(_matrix_cell(prev, a, b), _matrix_cell(cur, a, b), a, b, since,
                                   f"correlation_regime.{a}-{b}")]
    items = (_group_leader_flip(prev, cur, since) + _new_highs(prev, cur, since)
             + _drawdown_crossings(prev, cur, since) + regimes)
    return {"since": since, "items": items}

"""Data checks across funds (issue 13.7): findings are reported, never patched.

Two kinds of evidence the data carry about themselves:

* **Tracking jumps.**  Funds that track the same index (their ``index`` fact in ``data/funds.toml``: SPY,
  VOO and IVV the S&P 500, IWM and VTWO the Russell 2000, QQQ and QQQM the Nasdaq-100) move together to a
  few hundredths of a point a day.  A day on which two of them part by at least :data:`TRACKING_JUMP`
  *and* by :data:`TRACKING_SIGMAS` times their usual daily gap (1.4826 x the median absolute gap of the
  previous :data:`TRACKING_WINDOW` days), and the gap reverses the next day (the other way, at least half
  of it), is a close one of them recorded out of line: a one-day jump.  With three or more funds on the
  index, the one farthest from the others' median move is named; with two, both are.
* **Dividends.**  The dividend-adjusted close divided by the close falls on each ex-date by the dividend
  over the previous close, so the closes imply every dividend: one implied (over
  :data:`DIVIDEND_MIN` of the price) with none listed within :data:`DIVIDEND_DAYS` days, or a listed one
  the closes do not show (off by over :data:`DIVIDEND_TOLERANCE` relative), is reported; where there is
  no close (the snapshot's close gaps) nothing can be checked.  A fund paying on a regular quarterly or
  monthly schedule whose listed payments skip one (a gap over :data:`SCHEDULE_GAP` periods) is reported
  too: the payment is missing from the list, and from the adjusted closes when they agree with the list
  (VOO in December 2014, DIA in October 2014).

A finding names the funds whose figures it affects and its date; pages mark every figure whose window
contains that date, the build report (``build.json`` ``data_checks``) and the methodology page list them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import fmt
from ..metrics import window_anchor
from ..metrics.returns import SCHEDULES, _distributions, schedule_of

TRACKING_JUMP = 0.0075
"""A one-day gap between two funds of the same index smaller than this (0.75 points) is never a finding."""
TRACKING_SIGMAS = 6.0
"""... nor one within this many robust standard deviations of the pair's usual daily gap."""
TRACKING_WINDOW = 250
"""Trading days of the pair's history the usual gap is measured over (before the day)."""
DIVIDEND_MIN = 0.0005
"""An implied dividend under 0.05% of the price is rounding in the adjusted closes, not a payment."""
DIVIDEND_DAYS = 3
"""A listed dividend within this many calendar days of an implied one is the same payment."""
DIVIDEND_TOLERANCE = 0.10
"""A listed dividend the closes imply within 10% (or 0.02% of the price) agrees with them."""
SCHEDULE_GAP = 1.6
"""Listed payments of a quarterly or monthly payer more than 1.6 periods apart skip one."""


@dataclass(frozen=True)
class Finding:
    """One thing the data say about themselves: its kind, the day, the funds whose figures it affects, the
    funds compared, and a sentence."""

    kind: str               # "tracking_jump", "dividend_unlisted", "dividend_not_in_closes", "dividend_gap"
    date: str               # ISO day the figures are affected from (a jump's day, a payment's ex-date)
    funds: tuple[str, ...]  # whose figures it affects
    text: str
    compared: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"kind": self.kind, "date": self.date, "funds": list(self.funds), "compared": list(self.compared),
                "text": self.text}


def twin_groups(index_of: dict[str, str | None]) -> list[tuple[str, list[str]]]:
    """(index, funds) for every index two or more of the funds track (``index_of``: ticker -> its index)."""
    groups: dict[str, list[str]] = {}
    for t, idx in index_of.items():
        if idx:
            groups.setdefault(str(idx).strip().lower(), []).append(t)
    names = {str(v).strip().lower(): str(v) for v in index_of.values() if v}
    return [(names[k], ts) for k, ts in sorted(groups.items()) if len(ts) > 1]


def _jump_days(ra: pd.Series, rb: pd.Series) -> list[pd.Timestamp]:
    """Days on which the daily returns ``ra`` and ``rb`` part by a one-day jump (module docstring)."""
    d = (ra - rb).dropna()
    if len(d) < 3:
        return []
    usual = d.abs().rolling(TRACKING_WINDOW, min_periods=20).median().shift(1) * 1.4826
    nxt = d.shift(-1)
    big = (d.abs() >= TRACKING_JUMP) & (d.abs() >= TRACKING_SIGMAS * usual)
    back = (np.sign(nxt) == -np.sign(d)) & (nxt.abs() >= d.abs() / 2)
    return list(d.index[(big & back).to_numpy()])


def tracking_jumps(adj: pd.DataFrame, index: str, funds: list[str]) -> list[Finding]:
    """The one-day tracking jumps among ``funds``, which all track ``index`` (one finding per day)."""
    r = adj[funds].pct_change(fill_method=None)
    days: dict[pd.Timestamp, set[tuple[str, str]]] = {}
    for i, a in enumerate(funds):
        for b in funds[i + 1:]:
            for day in _jump_days(r[a], r[b]):
                days.setdefault(day, set()).add((a, b))
    out = []
    for day, pairs in sorted(days.items()):
        moves = r.loc[day, funds].dropna()
        named = sorted({t for p in pairs for t in p})
        if len(moves) >= 3:
            odd = max(moves.index, key=lambda t: abs(moves[t] - moves.drop(t).median()))
            affected = (odd,)
        else:
            affected = tuple(named)
        nxt = r.index[r.index.get_loc(day) + 1]
        shown = ", ".join(f"{t} {fmt.pct(moves[t], 2, sign=True)}" for t in moves.index)
        after = ", ".join(f"{t} {fmt.pct(r.loc[nxt, t], 2, sign=True)}" for t in moves.index
                          if pd.notna(r.loc[nxt, t]))
        who = f"{affected[0]}'s close looks out of line" if len(affected) == 1 else "one of their closes looks out of line"
        text = (f"{fmt.date(day)}: funds tracking the {index} moved apart for one day ({shown}; the next day "
                f"{after}): {who}.")
        out.append(Finding("tracking_jump", day.date().isoformat(), affected, text, tuple(moves.index)))
    return out


def dividend_checks(t: str, close: pd.Series, adj: pd.Series, listed: pd.Series) -> list[Finding]:
    """Dividends implied by ``adj`` against ``close`` set against the ``listed`` ones, and payments a regular
    schedule skips."""
    out: list[Finding] = []
    prev_close = close.shift(1)
    factor = adj / close
    implied = (1 - factor.shift(1) / factor).dropna()  # dividend over the previous close, on each ex-date
    listed = listed.dropna()
    near = pd.Timedelta(days=DIVIDEND_DAYS)
    if not (listed.index.is_monotonic_increasing and implied.index.is_unique):
        return _dividend_checks_by_day(t, close, implied, listed)
    # by positions (issue 17: every fund's every ex-date, in the build's serial part): a listed ex-date within
    # ``near`` of an implied one is a binary search away; the listed ones the closes cover, one indexer
    big = implied[implied > DIVIDEND_MIN]
    days, ratios = big.index, big.to_numpy()
    ex = listed.index
    unlisted = ex.searchsorted(days + near, side="right") <= ex.searchsorted(days - near, side="left") \
        if len(days) else np.zeros(0, bool)
    for k in np.flatnonzero(unlisted):
        day, ratio = days[k], ratios[k]
        out.append(Finding("dividend_unlisted", day.date().isoformat(), (t,),
                           f"{fmt.date(day)}: {t}'s closes imply a dividend of about "
                           f"${ratio * prev_close[day]:,.3f} a share ({fmt.pct(ratio, 2)}) that its "
                           f"dividend list does not have."))
    at = implied.index.get_indexer(ex)
    on = np.flatnonzero(at >= 0)  # no close on the day or the day before: nothing to check against
    amounts = listed.to_numpy(dtype=float)[on]
    wants = amounts / prev_close.reindex(ex).to_numpy(dtype=float)[on]
    gots = implied.to_numpy(dtype=float)[at[on]]
    off = np.abs(gots - wants) > np.fmax(0.0002, DIVIDEND_TOLERANCE * wants)  # fmax: max(0.0002, NaN) is 0.0002
    for k in np.flatnonzero(off):
        day, amount, want, got = ex[on[k]], amounts[k], wants[k], gots[k]
        out.append(Finding("dividend_not_in_closes", day.date().isoformat(), (t,),
                           f"{fmt.date(day)}: {t}'s listed dividend of ${amount:,.3f} a share "
                           f"({fmt.pct(want, 2)}) is not what its closes imply ({fmt.pct(got, 2)})."))
    return out + _schedule_gaps(t, listed, close, out)


def _dividend_checks_by_day(t: str, close: pd.Series, implied: pd.Series, listed: pd.Series) -> list[Finding]:
    """:func:`dividend_checks` one ex-date at a time (the reference formulation; dates out of order)."""
    out: list[Finding] = []
    prev_close = close.shift(1)
    near = pd.Timedelta(days=DIVIDEND_DAYS)
    for day, ratio in implied[implied > DIVIDEND_MIN].items():
        if not ((listed.index >= day - near) & (listed.index <= day + near)).any():
            out.append(Finding("dividend_unlisted", day.date().isoformat(), (t,),
                               f"{fmt.date(day)}: {t}'s closes imply a dividend of about "
                               f"${ratio * prev_close[day]:,.3f} a share ({fmt.pct(ratio, 2)}) that its "
                               f"dividend list does not have."))
    for day, amount in listed.items():
        if day not in implied.index:
            continue  # no close on the day or the day before: nothing to check against
        want, got = amount / prev_close[day], implied[day]
        if abs(got - want) > max(0.0002, DIVIDEND_TOLERANCE * want):
            out.append(Finding("dividend_not_in_closes", day.date().isoformat(), (t,),
                               f"{fmt.date(day)}: {t}'s listed dividend of ${amount:,.3f} a share "
                               f"({fmt.pct(want, 2)}) is not what its closes imply ({fmt.pct(got, 2)})."))
    return out + _schedule_gaps(t, listed, close, out)


def _schedule_gaps(t: str, listed: pd.Series, close: pd.Series, unlisted: list[Finding]) -> list[Finding]:
    """Payments a quarterly or monthly payer's list skips (none when the closes show the payment: that is an
    unlisted dividend, reported as such)."""
    d = _distributions(listed, listed.index[-1]) if len(listed) else listed
    out = []
    dates = d.index.to_numpy()
    # each payment's schedule from the payments of the 24 months up to it (payment_schedule at that day), by
    # positions: the first payment after each day's 24-month anchor
    first = d.index.searchsorted(d.index - pd.DateOffset(months=24), side="right") if len(d) else []
    gaps = np.diff(dates).astype("timedelta64[D]").astype(np.int64) if len(d) else np.zeros(0, np.int64)
    for k in range(len(d) - 1):
        n = schedule_of(dates[first[k]: k + 1])
        if n not in (4, 12) or gaps[k] <= SCHEDULE_GAP * 365.25 / n:
            continue
        prev, day = d.index[k], d.index[k + 1]
        if any(prev < pd.Timestamp(f.date) < day for f in unlisted):
            continue
        missed = prev + pd.Timedelta(days=round(365.25 / n))
        closes = close.loc[prev:day]
        if len(closes) and closes.notna().all():
            said = ("and its adjusted closes show none either: the fund skipped one (some do, e.g. inflation-linked "
                    "bond funds), or the payment is missing from both and returns over periods that span it leave it out")
        else:
            said = "and without closes for the whole gap it cannot be told whether the adjusted closes include it"
        out.append(Finding("dividend_gap", missed.date().isoformat(), (t,),
                           f"{fmt.date(prev)} to {fmt.date(day)}: {t} pays {'quarterly' if n == 4 else 'monthly'}, "
                           f"but its dividend list has no payment between these two, {said}."))
    return out


def check(data, index_of: dict[str, str | None]) -> list[Finding]:
    """Every finding in market ``data`` (cut at the build's date) for the configured funds, by date."""
    adj = data.adj_close
    found: list[Finding] = []
    for index, funds in twin_groups({t: i for t, i in index_of.items() if t in adj.columns}):
        found += tracking_jumps(adj, index, funds)
    for t in adj.columns:
        close = data.close[t] if t in data.close else pd.Series(dtype=float)
        listed = data.dividends[t] if t in data.dividends else pd.Series(dtype=float)
        found += dividend_checks(t, close.reindex(adj.index), adj[t], listed)
    return sorted(found, key=lambda f: (f.date, f.kind, f.funds))


AFFECTS = {
    "tracking_jump": ("volatility", "sharpe", "sortino", "max_drawdown", "calmar"),
    "dividend_unlisted": ("dividend_yield_ttm",),
    "dividend_not_in_closes": ("total_return", "cagr", "growth_of_1000", "calmar", "dividend_yield_ttm"),
    "dividend_gap": ("total_return", "cagr", "growth_of_1000", "calmar", "dividend_yield_ttm"),
}
"""The figures each kind of finding affects: a close out of line for one day moves the daily-return statistics
of every window holding it; a dividend only in the closes leaves the yield (from the list) short; one missing
from the closes leaves the returns short."""


def marks(findings: list[Finding], t: str, values: dict, end: pd.Timestamp, first: pd.Timestamp | None) -> dict:
    """Fund ``t``'s figures (``values``: key -> {horizon: value}, or a single value) whose window, ending on
    ``end``, holds a finding on ``t``: ``"key.horizon"`` (or ``"key"``) -> the findings' dates."""
    mine = [f for f in findings if t in f.funds and pd.Timestamp(f.date) <= end]
    out: dict[str, list[str]] = {}
    for f in mine:
        day = pd.Timestamp(f.date)
        for key in AFFECTS[f.kind]:
            value = values.get(key)
            if isinstance(value, dict):
                for h in value:
                    start = first if h == "inception" else window_anchor(end, h)
                    if start is not None and (h == "inception" and start <= day or start < day):
                        out.setdefault(f"{key}.{h}", []).append(f.date)
            elif value is not None and day > end - pd.Timedelta(days=365):
                out.setdefault(key, []).append(f.date)
    return out


__all__ = ["Finding", "check", "marks", "AFFECTS", "twin_groups", "tracking_jumps", "dividend_checks", "SCHEDULES"]

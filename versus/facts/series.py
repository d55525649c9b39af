"""Series statistics behind the facts: a fund against its highs, a pair's rolling correlation and lead-lag."""
from __future__ import annotations

import pandas as pd

from .. import metrics as m
from ..analysis import joint_returns
from .model import MAX_LAG, ROLLING_WINDOW, _r, _t


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

"""Chart specs (Altair -> Vega-Lite JSON) with one shared theme.

Data are embedded as compact wide rows (``{"d": "2026-07-31", "QQQ": 123.4, ...}``)
and folded in Vega-Lite, so a page carries each number once.  Long series are
resampled: daily over the last year, weekly before it.
"""
from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import pandas as pd

from . import fmt
from . import metrics as m

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
"""Okabe-Ito colours (colour-blind safe); funds are also told apart by dash pattern."""
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]]
DAILY_DAYS = 366

THEME = {
    "background": None,
    "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "gridOpacity": 0.5, "labelColor": "#555", "titleColor": "#555"},
    "legend": {"orient": "top", "labelFontSize": 12, "title": None, "symbolStrokeWidth": 3},
    "line": {"strokeWidth": 2},
}


def resample(frame: pd.DataFrame, how: str = "last") -> pd.DataFrame:
    """Daily rows for the last year, one row per week (Friday) before it.

    ``how`` is 'last' for levels and 'min' for drawdowns (keeps each week's trough).
    """
    if frame.empty:
        return frame
    cut = frame.index[-1] - pd.Timedelta(days=DAILY_DAYS)
    old, recent = frame.loc[frame.index <= cut], frame.loc[frame.index > cut]
    if len(old):
        weekly = getattr(old.resample("W-FRI"), how)().dropna(how="all")
        # label each week with its last trading day, not the calendar Friday
        last_days = old.index.to_series().resample("W-FRI").last().dropna()
        weekly.index = pd.DatetimeIndex(last_days.loc[weekly.index].to_numpy())
        old = weekly
    return pd.concat([old, recent])


def _rows(frame: pd.DataFrame, digits: int) -> list[dict]:
    out = []
    for d, row in zip(frame.index.strftime("%Y-%m-%d"), frame.itertuples(index=False)):
        rec = {"d": d}
        for col, v in zip(frame.columns, row):
            if pd.notna(v):
                rec[col] = round(float(v), digits)
        out.append(rec)
    return out


def _encode_funds(tickers: list[str]) -> dict:
    scale = alt.Scale(domain=tickers, range=PALETTE[: len(tickers)])
    return {
        "color": alt.Color("fund:N", scale=scale, legend=alt.Legend(title=None)),
        "strokeDash": alt.StrokeDash("fund:N", scale=alt.Scale(domain=tickers, range=DASHES[: len(tickers)]),
                                    legend=alt.Legend(title=None)),
    }


def _line(tickers: list[str], y_title: str, y_format: str, tip_title: str, tip_format: str) -> alt.Chart:
    """A folded multi-fund line chart over rows ``{"d": date, <ticker>: value}``."""
    return (
        alt.Chart(alt.Data(values=[]))
        .transform_fold(tickers, as_=["fund", "value"])
        .mark_line()
        .encode(
            x=alt.X("d:T", title=None, axis=alt.Axis(labelOverlap=True, tickCount=8)),
            y=alt.Y("value:Q", title=y_title, axis=alt.Axis(format=y_format)),
            tooltip=[alt.Tooltip("d:T", title="Date"), alt.Tooltip("fund:N", title="Fund"),
                     alt.Tooltip("value:Q", title=tip_title, format=tip_format)],
            **_encode_funds(tickers),
        )
        .properties(width="container", height=260)
    )


TEMPLATES = {
    "growth": lambda t: _line(t, "Value of $10,000", "$~s", "Value", "$,.0f"),
    "drawdown": lambda t: _line(t, "Below previous high", "~%", "Drawdown", ".1%"),
}


@lru_cache(maxsize=None)
def _template(kind: str, n: int) -> str:
    """Altair authors each chart once per fund count, with placeholder tickers; pages
    only swap in tickers, data and description (no per-page Altair objects or validation)."""
    spec = TEMPLATES[kind]([f"__T{i}__" for i in range(n)]).to_dict(validate=False)
    spec.pop("$schema", None)
    spec["config"] = THEME
    return json.dumps(spec)


def instantiate(kind: str, tickers: list[str], rows: list[dict], description: str) -> dict:
    text = _template(kind, len(tickers))
    for i, t in enumerate(tickers):
        text = text.replace(f"__T{i}__", json.dumps(t)[1:-1])
    spec = json.loads(text)
    spec["data"] = {"values": rows}
    spec["description"] = description
    return spec


def growth_frame(adj: pd.DataFrame, tickers: list[str], amount: float = 10_000) -> pd.DataFrame:
    """Value of ``amount`` invested in each fund on the first day all of them trade."""
    joint = adj[tickers].dropna()
    return amount * joint / joint.iloc[0]


def growth_chart(adj: pd.DataFrame, tickers: list[str]) -> tuple[dict, str]:
    """Growth of $10,000 since the first common day; returns (spec, description)."""
    g = growth_frame(adj, tickers)
    start, end = g.index[0], g.index[-1]
    ends = g.iloc[-1].sort_values(ascending=False)
    desc = (
        f"Growth of $10,000 invested on {fmt.date(start)} to {fmt.date(end)}: "
        + ", ".join(f"{t} grew to {fmt.money(v)}" for t, v in ends.items())
        + "."
    )
    return instantiate("growth", tickers, _rows(resample(g), 1), desc), desc


def drawdown_chart(adj: pd.DataFrame, tickers: list[str]) -> tuple[dict, str]:
    """Underwater chart since the first common day; returns (spec, description)."""
    joint = adj[tickers].dropna()
    dd = m.drawdown(joint)
    worst = dd.min().sort_values()
    desc = (
        f"Drawdown from the previous high, {fmt.date(joint.index[0])} to {fmt.date(joint.index[-1])}: "
        + ", ".join(f"{t} fell as far as {fmt.pct(v)} (on {fmt.date(dd[t].idxmin())})" for t, v in worst.items())
        + "."
    )
    return instantiate("drawdown", tickers, _rows(resample(dd, "min"), 4), desc), desc

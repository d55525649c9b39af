"""Social cards: one 1200×630 PNG per comparison (Open Graph / Twitter image), drawn with vl-convert.

A card is a small Vega-Lite spec (title, fund names, two headline figures and
the growth of $10,000 as a line), rendered at build time through
:func:`versus.svg.render`, so it is cached by spec hash like the chart SVGs.
"""
from __future__ import annotations

import pandas as pd

from . import charts, fmt

WIDTH, HEIGHT = 1200, 630


def card_spec(title: str, subtitle: str, lines: list[str], growth: pd.DataFrame | None, footer: str) -> dict:
    """The card's Vega-Lite spec: one 1200×630 view, text on top, the growth lines below (monthly points).

    ``autosize: none`` and pixel positions keep the image exactly 1200×630 whatever the text.
    """
    left, right, bottom = 120, 60, 70
    w, h = WIDTH - left - right, HEIGHT - bottom
    texts = [{"t": title, "y": 80, "size": 64, "weight": 700}, {"t": subtitle, "y": 130, "size": 26, "weight": 400}]
    texts += [{"t": line, "y": 180 + 38 * i, "size": 28, "weight": 500} for i, line in enumerate(lines)]
    texts.append({"t": footer, "y": h + 55, "size": 20, "weight": 400})
    layers = [{
        "data": {"values": texts},
        "mark": {"type": "text", "align": "left", "baseline": "alphabetic", "color": "#1b1f24"},
        "encoding": {"x": {"value": 60 - left}, "y": {"field": "y", "type": "quantitative", "scale": None},
                     "text": {"field": "t"}, "size": {"field": "size", "type": "quantitative", "scale": None},
                     "fontWeight": {"field": "weight", "type": "nominal", "scale": None}},
    }]
    if growth is not None and len(growth):
        monthly = growth.resample("ME").last().dropna(how="all")
        names = list(growth.columns)
        rows = [{"d": d.strftime("%Y-%m-%d"), **{c: round(float(v), 0) for c, v in r.items() if pd.notna(v)}}
                for d, r in monthly.iterrows()]
        top = 180 + 38 * len(lines) + 40
        legend = {"orient": "none", "legendX": 0, "legendY": top - 34, "direction": "horizontal",
                  "labelFontSize": 22, "symbolStrokeWidth": 5, "title": None}
        layers.append({
            "data": {"values": rows},
            "transform": [{"fold": names, "as": ["series", "value"]}],
            "mark": {"type": "line", "strokeWidth": 4},
            "encoding": {
                "x": {"field": "d", "type": "temporal", "title": None, "scale": {"range": [0, w]},
                      "axis": {"labelFontSize": 18, "grid": False, "tickCount": 6}},
                "y": {"field": "value", "type": "quantitative", "title": None, "scale": {"type": "log", "range": [h, top]},
                      "axis": {"format": "$~s", "labelFontSize": 18, "tickCount": 4, "grid": False, "domain": False}},
                "color": {"field": "series", "type": "nominal", "scale": {"domain": names}, "legend": legend},
                "strokeDash": {"field": "series", "type": "nominal",
                               "scale": {"domain": names, "range": charts.DASHES[: len(names)]}, "legend": legend},
            },
        })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": w, "height": h, "autosize": {"type": "none"},
        "padding": {"left": left, "right": right, "top": 0, "bottom": bottom},
        "background": "#ffffff", "config": {**charts.THEME, "background": "#ffffff"},
        "layer": layers, "description": f"{title}: {subtitle}",
    }


def comparison_card(tickers: list[str], names: list[str], funds: dict, growth: pd.DataFrame, as_of: str,
                    site_title: str) -> dict:
    """Card of a pair or group: 1-year and 5-year returns per fund, growth of $10,000 since the common start."""
    title = " vs ".join(tickers)
    subtitle = " · ".join(names)
    if len(subtitle) > 90:
        subtitle = subtitle[:88] + "…"
    lines = []
    for h, label in (("1y", "1 year"), ("5y", "5 years, per year")):
        key = "cagr" if h == "5y" else "total_return"
        vals = [f"{t} {fmt.pct(funds[t][key].get(h), 1, sign=True)}" for t in tickers]
        lines.append(f"{label}: " + " · ".join(vals))
    footer = f"{site_title} · total returns to {fmt.date(as_of)} · growth of $10,000 since {fmt.date(growth.index[0])} (log scale)"
    return card_spec(title, subtitle, lines, growth, footer)


def site_card(title: str, description: str, as_of: str, tickers: list[str]) -> dict:
    """The card of pages that are not a comparison (index, funds, methodology)."""
    desc = description if len(description) <= 80 else description[:78] + "…"
    return card_spec(title, desc, [f"{len(tickers)} funds: " + ", ".join(tickers)], None,
                     f"Prices as of {fmt.date(as_of)}")

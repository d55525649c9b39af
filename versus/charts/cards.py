"""Social cards: one 1200×630 PNG per comparison (Open Graph / Twitter image).

A card is a small Vega-Lite spec (title, fund names, two headline figures and
the growth of $10,000 as a line), rendered at build time through
:func:`versus.svg.render`, so it is cached by spec hash like the chart SVGs.
The spec is marked ``usermeta.versus = "card"``: :func:`card_svg` draws it as SVG
from the spec's own text rows and growth rows, and ``svg.render`` rasterizes that
with resvg (``vl_convert.svg_to_png``) instead of running Vega (``vegalite_to_png``,
0.3–0.45 s a card).  Any other spec still goes to Vega.

The card's texts are drawn as glyph outlines (:mod:`versus.glyphs`: Liberation Sans 2.1.5,
metric-compatible with Arial, the face resvg finds for ``sans-serif`` on the build
machines), laid out with the font's real advance widths and kerning: resvg then only
fills paths instead of shaping ``<text>`` (measured on a 20-year pair, 2-core machine:
``svg_to_png`` about halved, ~65 ms → ~30 ms a card, ~10 ms of it the blank PNG).  A
string with a character the outline data lacks stays a ``<text>``.  The monthly rows
are built with numpy (:func:`monthly_rows`, ~2 ms instead of ~20–38 ms with ``iterrows``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import fmt
from ..analysis.registry import INDEX_FUNDS, column_label
from . import glyphs, svgplot
from . import specs as charts

WIDTH, HEIGHT = 1200, 630
CARD_SCALE, CARD_COLORS = 0.5, 32
"""A comparison's card is published at half size (600×315, the size Facebook, LinkedIn and X still show as a
large image) as a 32-colour palette PNG (the card has a white ground, two line colours, greys and their
anti-aliasing): the same look at about 13 KB instead of ~175 KB (1200×630 RGBA), and rasterizing a quarter of
the pixels takes about half the time.  The site's own card (one file) stays 1200×630, in 32 colours."""


def palette_png(png: bytes, colors: int = CARD_COLORS) -> bytes:
    """``png`` (opaque RGB/RGBA) as a ``colors``-colour palette PNG (Pillow's fast octree quantizer)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        q = im.convert("RGB").quantize(colors, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    q.save(out, "PNG", compress_level=3)  # 13 KB in ~half the time of level 6 (11 KB)
    return out.getvalue()


def card_spec(title: str, subtitle: str, lines: list[str], growth: pd.DataFrame | None, footer: str,
              styles: list | None = None) -> dict:
    """The card's Vega-Lite spec: one 1200×630 view, text on top, the growth lines below (monthly points).

    ``styles``: each fund's (colour, dash pattern), as on the pages (default: the palette in order).

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
        names = list(growth.columns)
        rows = monthly_rows(growth)
        styles = styles or [(charts.PALETTE[i % len(charts.PALETTE)], charts.DASHES[i % len(charts.DASHES)])
                            for i in range(len(names))]
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
                "color": {"field": "series", "type": "nominal",
                          "scale": {"domain": names, "range": [c for c, _ in styles]}, "legend": legend},
                "strokeDash": {"field": "series", "type": "nominal",
                               "scale": {"domain": names, "range": [d for _, d in styles]}, "legend": legend},
            },
        })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": w, "height": h, "autosize": {"type": "none"},
        "padding": {"left": left, "right": right, "top": 0, "bottom": bottom},
        "background": "#ffffff", "config": {**charts.THEME, "background": "#ffffff"},
        "layer": layers, "description": f"{title}: {subtitle}",
        "usermeta": {"versus": "card"},
    }


def _monthly(growth: pd.DataFrame) -> tuple[list[str], list[np.ndarray]]:
    """Month-end dates and each column's last value in the month, months without any value left out.

    The same as ``growth.resample("ME").last().dropna(how="all")``, in numpy when the index
    is a sorted, naive DatetimeIndex (always, for growth), else through pandas.
    """
    idx = growth.index
    if not (isinstance(idx, pd.DatetimeIndex) and idx.tz is None and not idx.hasnans
            and idx.is_monotonic_increasing):
        monthly = growth.resample("ME").last().dropna(how="all")
        return (monthly.index.strftime("%Y-%m-%d").tolist(),
                [monthly.iloc[:, i].to_numpy(float) for i in range(monthly.shape[1])])
    months = idx.values.astype("datetime64[M]")
    last = []  # per column: (months, last valid value of each)
    for c in range(growth.shape[1]):
        v = growth.iloc[:, c].to_numpy(float)
        ok = ~np.isnan(v)
        m, v = months[ok], v[ok]
        end = np.flatnonzero(np.append(m[1:] != m[:-1], True)) if len(m) else np.array([], dtype=int)
        last.append((m[end], v[end]))
    every = np.unique(np.concatenate([m for m, _ in last])) if last else np.array([], dtype="datetime64[M]")
    cols = []
    for m, v in last:
        col = np.full(len(every), np.nan)
        col[np.searchsorted(every, m)] = v
        cols.append(col)
    dates = np.datetime_as_string((every + 1).astype("datetime64[D]") - 1, unit="D").tolist()
    return dates, cols


def monthly_rows(growth: pd.DataFrame) -> list[dict]:
    """The card's line data: one row per month end, ``{"d": "YYYY-MM-DD", fund: value rounded to $1, ...}``.

    A fund without a value in a month is left out of that row (no null).
    """
    dates, cols = _monthly(growth)
    names = list(growth.columns)
    rounded = [np.round(v, 0).tolist() for v in cols]  # half to even, like round(float(v), 0)
    return [{"d": d, **{c: v for c, v in zip(names, vs) if v == v}} for d, *vs in zip(dates, *rounded)]


def is_card(spec: dict) -> bool:
    return isinstance(spec.get("usermeta"), dict) and spec["usermeta"].get("versus") == "card"


def _text(c: svgplot.Canvas, x, y, text, size, color, anchor="start", weight=400, baseline=None) -> float:
    """``text`` drawn as glyph outlines (a ``<text>`` if a character has none); returns its width in pixels."""
    text = str(text)
    path = glyphs.outline(x, y, text, size, color, anchor, weight, baseline)
    if path is None:
        c.text(x, y, text, size, color, anchor, weight=weight, baseline=baseline)
        return svgplot.text_width(text, size, bold=glyphs.is_bold(weight))
    if path:
        c.add(path)
    return glyphs.width(text, size, weight)


def card_svg(spec: dict) -> str:
    """The card drawn by hand, the same layout as the Vega-Lite spec: texts, legend, log-scale growth lines.

    Texts are glyph outlines (see :func:`_text`).  Reads only what :func:`card_spec` puts in
    the spec; raises :class:`svgplot.Unsupported` otherwise.
    """
    try:
        left = spec["padding"]["left"]
        text_layer, *rest = spec["layer"]
        texts = text_layer["data"]["values"]
    except (KeyError, TypeError, ValueError) as exc:
        raise svgplot.Unsupported(f"not a card spec ({exc!r})") from None
    ink, muted = "#1b1f24", "#57606a"
    c = svgplot.Canvas(WIDTH, HEIGHT, charts.FONT, background="#ffffff")
    for t in texts:
        _text(c, 60, t["y"], t["t"], t["size"], ink, weight=t["weight"])
    if rest:
        layer = rest[0]
        rows = layer["data"]["values"]
        names = layer["transform"][0]["fold"]
        enc = layer["encoding"]
        dashes = enc["strokeDash"]["scale"]["range"]
        colors = enc["color"]["scale"].get("range") or charts.PALETTE
        top, y_bottom = enc["y"]["scale"]["range"][1], enc["y"]["scale"]["range"][0]
        w = enc["x"]["scale"]["range"][1]
        x_left = left
        days = np.array([svgplot._ordinal(r["d"]) for r in rows], dtype=float)
        cols = {n: svgplot._column(rows, n) for n in names}
        for v in cols.values():
            v[~(v > 0)] = np.nan
        vals = np.concatenate([v[~np.isnan(v)] for v in cols.values()]) if cols else np.array([])
        if vals.size and np.isfinite(days).any():
            lo, hi = float(vals.min()), float(vals.max())
            if hi / lo < 1.02:
                lo, hi = lo / 1.1, hi * 1.1
            l0, l1 = math.log10(lo), math.log10(hi)
            d0, d1 = float(np.nanmin(days)), float(np.nanmax(days))
            span = max(1.0, d1 - d0)
            xs = x_left + (days - d0) / span * w
            for t in svgplot.log_ticks(lo, hi, 4):
                y = y_bottom - (math.log10(t) - l0) / (l1 - l0) * (y_bottom - top)
                _text(c, x_left - 10, y, svgplot.format_number(t, "$~s"), 18, muted, "end", baseline="middle")
            c.line(x_left, y_bottom, x_left + w, y_bottom, "#8c959f", 1)
            ticks = [(x_left + (o - d0) / span * w, s) for o, s in svgplot.time_ticks(int(d0), int(d1), 6)]
            for x, s in svgplot.thin_labels(ticks, 18, 12):
                c.line(x, y_bottom, x, y_bottom + 6, "#8c959f", 1)
                _text(c, x, y_bottom + 8, s, 18, muted, "middle", baseline="top")
            for i, name in reversed(list(enumerate(names))):
                ys = y_bottom - (np.log10(cols[name]) - l0) / (l1 - l0) * (y_bottom - top)
                path, _ = svgplot.polyline(xs, ys)
                if path:
                    c.add(f'<path d="{path}" fill="none" stroke="{colors[i % len(colors)]}"'
                          f' stroke-width="4" stroke-linejoin="round"'
                          f'{svgplot.dash_attr([d * 2 for d in dashes[i]] if i < len(dashes) else None)}/>')
        x = x_left
        for i, name in enumerate(names):  # the legend, above the lines
            y = top - 34 + 11
            c.line(x, y, x + 40, y, colors[i % len(colors)], 5,
                   [d * 2 for d in dashes[i]] if i < len(dashes) else None)
            x += 48 + _text(c, x + 48, y, name, 22, ink, baseline="middle") + 28
    return c.finish(str(spec.get("description", "")), str(spec.get("description", "")))


def comparison_card(tickers: list[str], names: list[str], funds: dict, growth: pd.DataFrame, as_of: str,
                    site_title: str, styles: list | None = None) -> dict:
    """Card of a pair or group: 1-year and 5-year returns per fund, growth of $10,000 since the common start."""
    title = " vs ".join(tickers)
    subtitle = " · ".join(names)
    if len(subtitle) > 90:
        subtitle = subtitle[:88] + "…"
    lines = []
    for key, h in INDEX_FUNDS[:2]:  # 1-year total return, 5-year CAGR
        label = column_label(key, h)
        vals = [f"{t} {fmt.pct(funds[t][key].get(h), 1, sign=True)}" for t in tickers]
        lines.append(f"{label}: " + " · ".join(vals))
    footer = f"{site_title} · total returns to {fmt.date(as_of)} · growth of $10,000 since {fmt.date(growth.index[0])} (log scale)"
    return card_spec(title, subtitle, lines, growth, footer, styles)


def site_card(title: str, description: str, as_of: str, tickers: list[str]) -> dict:
    """The card of pages that are not a comparison (index, funds, methodology)."""
    desc = description if len(description) <= 80 else description[:78] + "…"
    return card_spec(title, desc, [f"{len(tickers)} funds: " + ", ".join(tickers)], None,
                     f"Prices as of {fmt.date(as_of)}")

"""Social cards: one PNG per comparison (Open Graph / Twitter image), laid out at 1200×630.

A card is a small Vega-Lite spec (title, fund names, two headline figures and the growth of
$10,000 as a line), marked ``usermeta.versus = "card"``.  :func:`_draw` lays it out from the
spec's own text rows and growth rows on a canvas, and that one layout is drawn two ways:

* :func:`card_png`, what the site publishes: straight into a palette image by :mod:`.raster`
  (texts as anti-aliased glyph outlines, lines as anti-aliased strokes; no SVG, no resvg,
  no quantizer).  Issue 17, measured over 100 cards of the default site on the shared 2-core
  machine: ~5–6 ms a card instead of ~19–21 ms (``card_svg`` + resvg ``svg_to_png`` + a 32-colour
  quantize), ~7.9 KB instead of ~12 KB, the same picture (mean absolute difference from
  resvg's rendering about 1.2 of 255 per channel).  Round 21: ~6.6 instead of ~8.3 ms a card of
  the synthetic build under load, ~8.4 KB (the PNG deflated with run-length matches, texts cached
  by place; the same pixels).  Round 22: ~0.2–0.3 ms less a card (the axis layer's coverage and the straight
  lines' edges cached, fewer numpy passes for a small layer; the growth lines cost the same; the same bytes).
* :func:`card_svg`, the reference: the same drawing as SVG, texts as glyph outline paths
  (:mod:`.glyphs`: Liberation Sans 2.1.5, metric-compatible with Arial), rasterized by resvg
  (``vl_convert.svg_to_png``) only for a card the raster cannot draw (a character the outline
  data lacks stays a ``<text>`` there), and by the tests to compare both pictures.

:func:`versus.charts.cache.render` draws cards with :func:`card_png` uncached (drawing one costs
about what hashing its spec and storing the file would).  The monthly rows are built with numpy
(:func:`monthly_rows`, ~2 ms instead of ~20–38 ms with ``iterrows``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import fmt
from ..analysis.registry import INDEX_FUNDS, column_label
from . import glyphs, raster, svgplot
from . import specs as charts

WIDTH, HEIGHT = 1200, 630
CARD_SCALE, CARD_COLORS = 0.5, 32
"""A comparison's card is published at half size (600×315, the size Facebook, LinkedIn and X still show as a
large image) as a palette PNG: drawn by :func:`card_png` its palette is exactly the colours it paints (white,
the greys, the line colours and their anti-aliasing steps, about 20–40), ~8 KB instead of ~175 KB for a
1200×630 RGBA PNG.  The site's own card (one file) stays 1200×630.  ``CARD_COLORS`` is the palette size of a
card that has to go through resvg (:func:`palette_png`)."""


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


class _SvgCard:
    """Draws the card as SVG (the reference picture, rasterized by resvg when the raster cannot draw a text)."""

    def __init__(self):
        self.c = svgplot.Canvas(WIDTH, HEIGHT, charts.FONT, background="#ffffff")

    def text(self, x, y, text, size, color, anchor="start", weight=400, baseline=None) -> float:
        """``text`` as glyph outlines (a ``<text>`` if a character has none); returns its width in pixels."""
        text = str(text)
        path = glyphs.outline(x, y, text, size, color, anchor, weight, baseline)
        if path is None:
            self.c.text(x, y, text, size, color, anchor, weight=weight, baseline=baseline)
            return svgplot.text_width(text, size, bold=glyphs.is_bold(weight))
        if path:
            self.c.add(path)
        return glyphs.width(text, size, weight)

    def line(self, x1, y1, x2, y2, color, width, dash=None) -> None:
        self.c.line(x1, y1, x2, y2, color, width, dash)

    def series(self, xs, ys, color, width, dash=None) -> None:
        path, _ = svgplot.polyline(xs, ys)
        if path:
            self.c.add(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="{svgplot.num(width)}"'
                       f' stroke-linejoin="round"{svgplot.dash_attr(dash)}/>')

    def finish(self, description: str) -> str:
        return self.c.finish(description, description)


class _RasterCard:
    """Draws the card straight into a palette image (:mod:`.raster`), at ``scale`` × 1200×630.

    ``texts`` records every text drawn, in order (what the card says, for tests).  A text with a
    character the outline data lacks raises :class:`raster.NotCovered`.
    """

    def __init__(self, scale: float):
        self.r = raster.Raster(round(WIDTH * scale), round(HEIGHT * scale), "#ffffff", scale)
        self.texts: list[str] = []

    def text(self, x, y, text, size, color, anchor="start", weight=400, baseline=None) -> float:
        text = str(text)
        w = glyphs.width(text, size, weight)
        if w is None:
            raise raster.NotCovered(text)
        x0 = x - {"middle": 0.5, "end": 1.0}.get(anchor, 0.0) * w
        y0 = y + glyphs.SHIFT.get(baseline or "", 0.0) * size
        self.r.text(x0, y0, text, size, color, weight)
        self.texts.append(text)
        return w

    def line(self, x1, y1, x2, y2, color, width, dash=None) -> None:
        self.r.fill(raster.stroke_edges([x1, x2], [y1, y2], width, dash), color)

    def series(self, xs, ys, color, width, dash=None) -> None:
        self.r.fill(raster.stroke_edges(xs, ys, width, dash), color)


def _draw(spec: dict, c) -> None:
    """The card on canvas ``c`` (:class:`_SvgCard` or :class:`_RasterCard`), the layout of :func:`card_spec`:
    texts, axes, log-scale growth lines, legend; like things drawn together (one raster layer each)."""
    try:
        left = spec["padding"]["left"]
        text_layer, *rest = spec["layer"]
        texts = text_layer["data"]["values"]
    except (KeyError, TypeError, ValueError) as exc:
        raise svgplot.Unsupported(f"not a card spec ({exc!r})") from None
    ink = "#1b1f24"
    for t in texts:
        c.text(60, t["y"], t["t"], t["size"], ink, weight=t["weight"])
    if not rest:
        return
    layer = rest[0]
    rows = layer["data"]["values"]
    names = layer["transform"][0]["fold"]
    enc = layer["encoding"]
    dashes = enc["strokeDash"]["scale"]["range"]
    colors = enc["color"]["scale"].get("range") or charts.PALETTE
    top, y_bottom = enc["y"]["scale"]["range"][1], enc["y"]["scale"]["range"][0]
    w = enc["x"]["scale"]["range"][1]
    x_left = left

    def dash(i):
        return [d * 2 for d in dashes[i]] if i < len(dashes) else None

    legend_y, swatches = top - 34 + 11, _legend_at(names, x_left)

    def swatch(i):  # a fund's legend line: painted with its growth line (one raster layer; they never overlap)
        c.line(swatches[i], legend_y, swatches[i] + 40, legend_y, colors[i % len(colors)], 5, dash(i))

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
        _axes(c, (lo, hi), (d0, d1), (x_left, x_left + w), (top, y_bottom))
        for i, name in reversed(list(enumerate(names))):
            ys = y_bottom - (np.log10(cols[name]) - l0) / (l1 - l0) * (y_bottom - top)
            c.series(xs, ys, colors[i % len(colors)], 4, dash(i))
            swatch(i)
    else:
        for i in range(len(names)):
            swatch(i)
    for x, name in zip(swatches, names):  # the legend's names, above the lines
        c.text(x + 48, legend_y, name, 22, ink, baseline="middle")


def _axes(c, values: tuple[float, float], days: tuple[float, float], xr: tuple[float, float],
          yr: tuple[float, float]) -> None:
    """The value labels (log scale, $10k…) left of the plot, the time axis and its labels below it."""
    (lo, hi), (d0, d1), (x0, x1), (top, bottom) = values, days, xr, yr
    muted, axis = "#57606a", "#8c959f"
    l0, l1 = math.log10(lo), math.log10(hi)
    span = max(1.0, d1 - d0)
    c.line(x0, bottom, x1, bottom, axis, 1)
    ticks = [(x0 + (o - d0) / span * (x1 - x0), s) for o, s in svgplot.time_ticks(int(d0), int(d1), 6)]
    shown = svgplot.thin_labels(ticks, 18, 12)
    for x, _ in shown:
        c.line(x, bottom, x, bottom + 6, axis, 1)
    for t in svgplot.log_ticks(lo, hi, 4):  # the labels after the lines: one colour after the other
        y = bottom - (math.log10(t) - l0) / (l1 - l0) * (bottom - top)
        c.text(x0 - 10, y, svgplot.format_number(t, "$~s"), 18, muted, "end", baseline="middle")
    for x, s in shown:
        c.text(x, bottom + 8, s, 18, muted, "middle", baseline="top")


def _legend_at(names: list[str], x: float) -> list[float]:
    """Where each fund's legend entry starts (its line swatch; the name 48 px further)."""
    at = []
    for name in names:
        at.append(x)
        x += 48 + (glyphs.width(name, 22) or svgplot.text_width(name, 22)) + 28
    return at


def card_svg(spec: dict) -> str:
    """The card as SVG, texts as glyph outlines (see :meth:`_SvgCard.text`): the reference picture that
    :func:`card_png` draws directly; raises :class:`svgplot.Unsupported` if ``spec`` is not a card spec."""
    c = _SvgCard()
    _draw(spec, c)
    return c.finish(str(spec.get("description", "")))


def card_png(spec: dict, scale: float = 1.0) -> bytes:
    """The card as a palette PNG of ``scale`` × 1200×630 pixels, drawn straight from the spec (no SVG, no resvg).

    Raises :class:`svgplot.Unsupported` (not a card spec) or :class:`raster.NotCovered` (a text with a character
    the glyph outlines lack): draw those through :func:`card_svg` and resvg.
    """
    c = _RasterCard(scale)
    _draw(spec, c)
    return c.r.png()


def card_texts(spec: dict) -> list[str]:
    """Every text the card shows, in drawing order (from the raster drawing)."""
    c = _RasterCard(0.05)
    _draw(spec, c)
    return c.texts


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

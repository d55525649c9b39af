"""Grouped bars over categories: calendar years, months (vertical), sectors, dividends (horizontal)."""
from __future__ import annotations

import math

from .base import PAD
from .canvas import Canvas, _empty, _legend, _value
from .numbers import format_number
from .spec import Model
from .text import text_width, truncate
from .ticks import linear_ticks, nice, thin_labels


def render_bars(m: Model) -> str:
    cats = [str(r.get(m.cat_field, "")) for r in m.rows]
    values = {n: [_value(r, n) for r in m.rows] for n in m.names}
    vals = [v for vs in values.values() for v in vs if v is not None]
    size = m.label_size
    top = PAD + (26 if m.legend else 7)  # room for the legend, or for the top tick label
    title = m.value_title if m.horizontal else m.cat_title  # the title under the bottom axis
    c = Canvas(m.width, top + m.height + 24 + (size + 8 if title else 0) + PAD, m.font, compact=True)
    if not vals or not cats:
        _empty(c, m, PAD + 20, top, m.width - 2 * PAD - 20, m.height)
        return c.finish(m.heading(), m.description)
    lo, hi = min(min(vals), 0.0), max(max(vals), 0.0)
    if hi - lo < 1e-12:
        hi = lo + 1.0
    draw = _horizontal if m.horizontal else _vertical
    left = draw(c, m, top, cats, values, lo, hi)
    if m.legend:
        _legend(c, m, left, PAD + 8, size, "square")
    return c.finish(m.heading(), m.description)


def _horizontal(c: Canvas, m: Model, top: float, cats: list[str], values: dict, lo: float, hi: float) -> float:
    """Bars along x, categories down the y axis (the first row's bars named when asked); returns the left edge."""
    size, plot_h, k = m.label_size, m.height, len(m.names)
    cat_labels = [truncate(s, size, m.cat_limit) for s in cats]
    left = PAD + max(text_width(s, size) for s in cat_labels) + 6
    right = m.width - PAD - 12
    if m.first_row_labels:
        right -= max(text_width(n, 10) for n in m.names) + 6
    plot_w = max(10.0, right - left)
    count = m.value_ticks or max(2, math.ceil(plot_w / 90))
    lo, hi = nice(lo, hi, count)
    ticks = linear_ticks(lo, hi, count)
    vpix = lambda v: left + (v - lo) / (hi - lo) * plot_w  # noqa: E731
    band = plot_h / len(cats)
    inner = band * 0.9
    bottom = top + plot_h
    xs = [vpix(t) for t in ticks]  # grid lines, then ticks: each one path
    c.rules(xs, top, bottom, m.grid_color, horizontal=False)
    c.rules(xs, bottom, bottom + 5, m.domain_color, horizontal=False)
    for x, s in thin_labels([(vpix(t), format_number(t, m.value_format)) for t in ticks], size):
        c.text(x, bottom + 7, s, size, m.label_color, "middle", baseline="top")
    c.line(left, bottom, left + plot_w, bottom, m.domain_color, 1)
    if m.value_title:
        c.text(left + plot_w / 2, bottom + 24 + size, m.value_title, size, m.label_color, "middle", weight=500)
    x0 = vpix(0.0)
    tops = [top + i * band + (band - inner) / 2 for i in range(len(cat_labels))]
    for y, label in zip(tops, cat_labels):
        c.text(left - 6, y + inner / 2, label, size, m.label_color, "end", baseline="middle")
    for j, name in enumerate(m.names):  # each series' bars together (one path in a compact canvas)
        for i, y in enumerate(tops):
            v = values[name][i]
            if v is not None:
                x1 = vpix(v)
                c.rect(min(x0, x1), y + j * inner / k, abs(x1 - x0), inner / k, m.colors[name])
    for j, name in enumerate(m.names):
        v = values[name][0] if tops else None
        if v is not None and m.first_row_labels and k > 1:
            c.text(vpix(max(v, 0.0)) + 4, tops[0] + (j + 0.5) * inner / k, name, 10, m.text_color, baseline="middle")
    for ch, v, mark in m.rules:
        if ch == "x" and lo <= v <= hi:
            c.line(vpix(v), top, vpix(v), bottom, mark.get("color", m.rule_color), 1, mark.get("strokeDash"),
                   mark.get("opacity"))
    return left


def _vertical(c: Canvas, m: Model, top: float, cats: list[str], values: dict, lo: float, hi: float) -> float:
    """Bars up the y axis, categories along x (labels thinned to fit); returns the left edge."""
    size, plot_h, k = m.label_size, m.height, len(m.names)
    count = m.value_ticks or 6
    lo, hi = nice(lo, hi, count)
    ticks = linear_ticks(lo, hi, count)
    labels = [format_number(t, m.value_format) for t in ticks]
    left = PAD + (size + 6 if m.value_title else 0) + max(text_width(s, size) for s in labels) + 7
    plot_w = max(10.0, m.width - PAD - left)
    vpix = lambda v: top + plot_h - (v - lo) / (hi - lo) * plot_h  # noqa: E731
    bottom = top + plot_h
    ys = [vpix(t) for t in ticks]  # grid lines, ticks, labels: each together
    c.rules(ys, left, left + plot_w, m.grid_color)
    c.rules(ys, left - 5, left, m.domain_color)
    for t, s in zip(ticks, labels):
        c.text(left - 7, vpix(t), s, size, m.label_color, "end", baseline="middle")
    c.line(left, top, left, bottom, m.domain_color, 1)
    if m.value_title:
        c.text(PAD + size * 0.8, top + plot_h / 2, m.value_title, size, m.label_color, "middle", weight=500, rotate=-90)
    band = plot_w / len(cats)
    inner = band * 0.9
    y0 = vpix(0.0)
    lefts = [left + i * band + (band - inner) / 2 for i in range(len(cats))]
    cat_items = [(x + inner / 2, truncate(cat, size, m.cat_limit)) for x, cat in zip(lefts, cats)]
    for j, name in enumerate(m.names):  # each series' bars together (one path in a compact canvas)
        for i, x in enumerate(lefts):
            v = values[name][i]
            if v is not None:
                y1 = vpix(v)
                c.rect(x + j * inner / k, min(y0, y1), inner / k, abs(y1 - y0), m.colors[name])
    c.line(left, bottom, left + plot_w, bottom, m.domain_color, 1)
    for x, s in thin_labels(cat_items, size):
        c.text(x, bottom + 7, s, size, m.label_color, "middle", baseline="top")
    if m.cat_title:
        c.text(left + plot_w / 2, bottom + 24 + size, m.cat_title, size, m.label_color, "middle", weight=500)
    for ch, v, mark in m.rules:
        if ch == "y" and lo <= v <= hi:
            c.line(left, vpix(v), left + plot_w, vpix(v), mark.get("color", m.rule_color), 1,
                   mark.get("strokeDash"), mark.get("opacity"))
    return left

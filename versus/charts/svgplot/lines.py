"""Folded multi-series lines over dates: growth (linear or log), drawdown, relative strength, rolling
correlation and volatility, price."""
from __future__ import annotations

import math
from datetime import date

import numpy as np

from .base import PAD
from .canvas import Canvas, _column, _empty, _legend, _ordinal, attr, num
from .numbers import format_number
from .paths import polylines
from .spec import Model
from .text import text_width
from .ticks import linear_ticks, log_ticks, nice, thin_labels, time_ticks


class _Plot:
    """The plot area and its scales: value -> y pixel (linear or log), day ordinal -> x pixel."""

    def __init__(self, m: Model, top: float, lo: float, hi: float, left: float, d0: int, d1: int):
        self.m, self.top, self.h, self.lo, self.hi, self.left = m, top, m.height, lo, hi, left
        self.d0, self.d1, self.span = d0, d1, max(1, d1 - d0)
        right = m.width - PAD - text_width(f"{date.fromordinal(d1).year}", m.label_size) / 2
        self.w = max(10.0, right - left)
        if m.log:
            self.l0, self.l1 = math.log10(lo), math.log10(hi)

    def y(self, v: float) -> float:
        if self.m.log:
            return self.top + self.h - (math.log10(v) - self.l0) / (self.l1 - self.l0) * self.h
        return self.top + self.h - (v - self.lo) / (self.hi - self.lo) * self.h

    def ys(self, v: np.ndarray) -> np.ndarray:
        if self.m.log:
            return self.top + self.h - (np.log10(v) - self.l0) / (self.l1 - self.l0) * self.h
        return self.top + self.h - (v - self.lo) / (self.hi - self.lo) * self.h

    def x(self, d: float) -> float:
        return self.left + (d - self.d0) / self.span * self.w


def _series(m: Model) -> tuple[np.ndarray, dict]:
    """Day ordinals and each series' values (NaN where missing, or not positive on a log scale)."""
    if m.columns is not None:
        dates, series = m.columns["d"], {n: m.columns[n].copy() for n in m.names}
    else:
        dates = np.array([_ordinal(r.get(m.x_field, "")) for r in m.rows], dtype=float)
        series = {n: _column(m.rows, n) for n in m.names}
    for v in series.values():
        v[np.isnan(dates)] = np.nan
        if m.log:
            v[~(v > 0)] = np.nan
    return dates, series


def _value_scale(m: Model, vals: np.ndarray) -> tuple[float, float, list[float]]:
    """The value domain (with the reference rules and zero when asked) and its ticks."""
    lo, hi = float(vals.min()), float(vals.max())
    for ch, v, _ in m.rules:
        if ch == "y" and (not m.log or v > 0):
            lo, hi = min(lo, v), max(hi, v)
    if m.zero and not m.log:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if m.log:
        if hi / lo < 1.02:
            lo, hi = lo / 1.1, hi * 1.1
        return lo, hi, log_ticks(lo, hi, m.value_ticks)
    if hi - lo < 1e-12:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    lo, hi = nice(lo, hi, m.value_ticks)
    return lo, hi, linear_ticks(lo, hi, m.value_ticks)


def render_lines(m: Model) -> str:
    return draft_lines(m).finish()


class Draft:
    """A line chart drawn up to its lines: :attr:`lines` are their pixel positions (each series' x and y,
    last series first), :meth:`finish` draws them (their :func:`polyline`, given or worked out) and what goes
    over them, and returns the SVG.  Several charts' lines can then be traced in one :func:`polylines` pass
    (:func:`versus.charts.svgplot.render_all`)."""

    def __init__(self, c: Canvas, m: Model, plot: "_Plot | None" = None, lines: list | None = None):
        self.c, self.m, self.plot, self.lines = c, m, plot, lines or []

    def finish(self, traced: list | None = None) -> str:
        c, m, p = self.c, self.m, self.plot
        if p is None:  # no data: nothing over the empty frame
            return c.finish(m.heading(), m.description)
        if traced is None:
            traced = polylines(self.lines)
        for name, (path, lone) in zip(reversed(m.names), traced):
            color = m.colors[name]
            if path:
                c.series(path, color, m.stroke_width, m.dashes.get(name))
            for x, y in lone:
                c.add(f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(m.stroke_width + 1)}" fill="{attr(color)}"/>')
        left, top, size = p.left, p.top, m.label_size
        head = m.title_style["fontSize"] + 8 if m.title else 0
        for x, y, text, mark in m.notes:
            c.text(left + float(x), top + float(y), text, mark.get("fontSize", 12), m.text_color,
                   weight=mark.get("fontWeight"), baseline=mark.get("baseline"))
        if m.title:
            c.text(left, PAD, m.title, m.title_style["fontSize"], m.title_style["color"],
                   weight=m.title_style["fontWeight"], baseline="top")
        if m.legend:
            _legend(c, m, left, PAD + head + 8, size, "line", 3)
        return c.finish(m.heading(), m.description)


def draft_lines(m: Model) -> Draft:
    """The chart up to its lines (:class:`Draft`): frame, axes, reference rules, and the lines' pixels."""
    dates, series = _series(m)
    stack = np.vstack(list(series.values())) if series else np.empty((0, len(dates)))
    has = ~np.isnan(stack).all(axis=0) if stack.size else np.zeros(len(dates), bool)
    vals = stack[~np.isnan(stack)] if stack.size else stack
    ok_dates = dates[has]
    size = m.label_size
    head = m.title_style["fontSize"] + 8 if m.title else 0  # a title line above the legend
    top = PAD + head + (26 if m.legend else 7)  # room for the legend, or for the top tick label
    c = Canvas(m.width, top + m.height + 24 + PAD, m.font, compact=True)
    if not vals.size or not ok_dates.size:
        _empty(c, m, PAD + 20, top, m.width - 2 * PAD - 20, m.height)
        return Draft(c, m)
    lo, hi, ticks = _value_scale(m, vals)
    labels = [("$0" if (t == 0 and m.zero_label) else format_number(t, m.value_format)) for t in ticks]
    label_w = max(text_width(s, size) for s in labels) if labels else 0
    left = PAD + (size + 6 if m.value_title else 0) + label_w + 7
    p = _Plot(m, top, lo, hi, left, int(ok_dates.min()), int(ok_dates.max()))
    _axes(c, m, p, ticks, labels)
    for ch, v, mark in m.rules:  # reference rules, behind the lines
        if ch == "y" and (not m.log or v > 0) and lo <= v <= hi:
            y = p.y(v)
            c.line(left, y, left + p.w, y, mark.get("color", m.rule_color), 1, mark.get("strokeDash"),
                   mark.get("opacity"))
    return Draft(c, m, p, _lines(m, p, dates, series))


def _axes(c: Canvas, m: Model, p: _Plot, ticks: list[float], labels: list[str]) -> None:
    """Grid, value axis with its title, time axis."""
    size, left, top = m.label_size, p.left, p.top
    ys = [p.y(t) for t in ticks]  # grid lines, ticks, labels: each together (one path, one group)
    c.rules(ys, left, left + p.w, m.grid_color)
    c.rules(ys, left - 5, left, m.domain_color)
    for t, s in zip(ticks, labels):
        c.text(left - 7, p.y(t), s, size, m.label_color, "end", baseline="middle")
    c.line(left, top, left, top + p.h, m.domain_color, 1)
    if m.value_title:
        c.text(PAD + size * 0.8, top + p.h / 2, m.value_title, size, m.label_color, "middle", weight=500,
               rotate=-90)
    bottom = top + p.h
    c.line(left, bottom, left + p.w, bottom, m.domain_color, 1)
    tt = [(p.x(o), s) for o, s in time_ticks(p.d0, p.d1, max(2, math.ceil(p.w / 90))) if p.d0 <= o <= p.d1]
    shown = thin_labels(tt, size)
    for x, _ in shown:
        c.line(x, bottom, x, bottom + 5, m.domain_color, 1)
    for x, s in shown:
        c.text(x, bottom + 7, s, size, m.label_color, "middle", baseline="top")


def _lines(m: Model, p: _Plot, dates: np.ndarray, series: dict) -> list[tuple[np.ndarray, np.ndarray]]:
    """The series' pixels, last drawn first so the first fund is on top."""
    xs = p.left + (dates - p.d0) / p.span * p.w
    return [(xs, p.ys(series[name])) for name in reversed(m.names)]

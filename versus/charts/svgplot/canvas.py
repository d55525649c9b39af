"""SVG writing: coordinates, attributes, dashed strokes, min/max-reduced polylines and the canvas."""
from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from xml.sax.saxutils import escape

from typing import TYPE_CHECKING

import numpy as np

from ...util import finite
from .text import text_width

if TYPE_CHECKING:
    from .spec import Model


def num(x: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    s = f"{x:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    return "0" if s == "-0" else s


def attr(text: str) -> str:
    return escape(str(text), {'"': "&quot;"})


def dash_attr(dash) -> str:
    if not dash or all(d == 0 for d in dash[1::2]):
        return ""
    return f' stroke-dasharray="{",".join(num(d) for d in dash)}"'


def polyline(xs, ys) -> tuple[str, list[tuple[float, float]]]:
    """Path data through the points, a new subpath after each gap (NaN or None), and the isolated points.

    Within each column of :data:`COLUMN` pixels only the lowest and highest points are kept (and the
    ends; min/max reduction), on whole pixels: at a 2-pixel stroke the line looks the same and a pair's
    eight line charts weigh about a third of what they did at one-pixel columns and tenths of a pixel
    (issue 17: bytes per pair).  Coordinates are relative (``l``).
    """
    x = np.asarray(xs, dtype=float)
    y = ys.astype(float) if isinstance(ys, np.ndarray) else np.asarray([np.nan if v is None else v for v in ys],
                                                                       dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    parts: list[str] = []
    lone: list[tuple[float, float]] = []
    if not ok.any():
        return "", lone
    # runs of consecutive valid points
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        rx, ry = x[a:b], y[a:b]
        if len(rx) == 1:
            lone.append((float(rx[0]), float(ry[0])))
            continue
        keep = _m4(rx / COLUMN, ry)
        pts = np.rint(np.column_stack([rx[keep], ry[keep]])).astype(np.int64) * 10  # whole pixels, in tenths
        same = np.concatenate([[False], np.all(pts[1:] == pts[:-1], axis=1)])
        pts = _thin(pts[~same])
        t = list(map(_tenths, np.diff(pts, axis=0).ravel().tolist()))
        # a minus sign separates numbers by itself (SVG path grammar): "l2-1 3 4"
        body = " ".join(t).replace(" -", "-")
        parts.append(f"M{_tenths(int(pts[0, 0]))},{_tenths(int(pts[0, 1]))}l{body}")
    return "".join(parts), lone


THIN = 4
"""Tolerance of :func:`_thin`, in tenths of a pixel."""


def _thin(pts: np.ndarray, passes: int = 3) -> np.ndarray:
    """Drop the points (tenths of a pixel, whole pixels) that lie within :data:`THIN` of the straight line
    through their neighbours: a run of nearly collinear steps becomes one.  Each pass drops no two
    neighbours, so a dropped point stays within about ``passes`` times the tolerance of the line drawn;
    the ends are kept."""
    for _ in range(passes):
        if len(pts) < 3:
            return pts
        a, b, c = pts[:-2].astype(float), pts[1:-1].astype(float), pts[2:].astype(float)
        ac = c - a
        cross = np.abs(ac[:, 0] * (b - a)[:, 1] - ac[:, 1] * (b - a)[:, 0])
        length = np.hypot(ac[:, 0], ac[:, 1])
        near = cross <= THIN * np.where(length > 0, length, 1.0)
        if not near.any():
            return pts
        # not two neighbours in one pass: keep every other of each run of candidates
        run_start = np.r_[True, ~near[:-1]]
        idx = np.arange(len(near))
        last_start = np.maximum.accumulate(np.where(run_start, idx, 0))
        drop = near & ((idx - last_start) % 2 == 0)
        keep = np.r_[True, ~drop, True]
        pts = pts[keep]
    return pts


@lru_cache(maxsize=4096)
def _tenths(v: int) -> str:
    """Tenths of a pixel as the shortest decimal: 12 -> '1.2', 5 -> '.5', -30 -> '-3'."""
    sign, a = ("-" if v < 0 else ""), abs(v)
    whole, frac = divmod(a, 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{frac}"


COLUMN = 2
"""Width in pixels of the columns :func:`polyline` keeps a lowest and a highest point of."""


def _m4(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the lowest and highest point of every pixel column (and the ends), in order."""
    col = np.floor(x).astype(np.int64)
    # argmin/argmax per column: sort by (column, value) and take each group's ends
    by_val = np.lexsort((y, col))
    sorted_col = col[by_val]
    gstart = np.flatnonzero(np.concatenate([[True], sorted_col[1:] != sorted_col[:-1]]))
    gend = np.concatenate([gstart[1:], [len(x)]]) - 1
    idx = np.concatenate([[0, len(x) - 1], by_val[gstart], by_val[gend]])
    return np.unique(idx)


class Canvas:
    """Collects SVG elements; ``finish`` wraps them in an accessible ``<svg>``.

    ``compact`` (the chart fallbacks; issue 17: bytes per pair): consecutive lines of one style are one
    ``<path>`` (``H``/``V`` for straight ones, no default ``stroke-width="1"``), consecutive labels of one
    style share a ``<g>`` with their font size, colour, anchor and weight (the baseline shift folded into
    ``y``), and the ``<svg>`` has a title only (the finding in words is the page's caption, which the
    ``<img>`` points at).  The same picture as without it, in fewer bytes.
    """

    def __init__(self, width: float, height: float, font: str, background: str | None = None,
                 compact: bool = False):
        self.width, self.height, self.font, self.compact = width, height, font, compact
        self.parts: list = []  # strings, or [kind, key, items] groups (compact)
        if background:
            self.parts.append(f'<rect width="{num(width)}" height="{num(height)}" fill="{attr(background)}"/>')

    def add(self, s: str) -> None:
        self.parts.append(s)

    def _group(self, kind: str, key: tuple, item: str) -> None:
        last = self.parts[-1] if self.parts else None
        if isinstance(last, list) and last[0] == kind and last[1] == key:
            last[2].append(item)
        else:
            self.parts.append([kind, key, [item]])

    def text(self, x, y, text, size=12, color="#1b1f24", anchor="start", weight=None, baseline=None,
             rotate: float | None = None) -> None:
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        w = f' font-weight="{weight}"' if weight and str(weight) not in ("400", "normal") else ""
        if self.compact and not rotate:
            shift = {"top": 0.8, "middle": 0.35}.get(baseline or "", 0.0) * float(size)
            self._group("text", (f' font-size="{num(size)}" fill="{attr(color)}"{a}{w}',),
                        f'<text x="{num(x)}" y="{num(y + shift)}">{escape(str(text))}</text>')
            return
        b = {"top": ' dy="0.8em"', "middle": ' dy="0.35em"'}.get(baseline or "", "")
        r = f' transform="rotate({num(rotate)} {num(x)} {num(y)})"' if rotate else ""
        self.add(f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{attr(color)}"{a}{w}{b}{r}>'
                 f'{escape(str(text))}</text>')

    def line(self, x1, y1, x2, y2, color, width=1.0, dash=None, opacity=None) -> None:
        o = f' stroke-opacity="{opacity}"' if opacity is not None else ""
        if self.compact:
            x1s, y1s, x2s, y2s = num(x1), num(y1), num(x2), num(y2)
            to = f"H{x2s}" if y1s == y2s else f"V{y2s}" if x1s == x2s else f"L{x2s},{y2s}"
            sw = "" if num(width) == "1" else f' stroke-width="{num(width)}"'
            self._group("line", (f' stroke="{attr(color)}"{sw}{dash_attr(dash)}{o}',), f"M{x1s},{y1s}{to}")
            return
        self.add(f'<path d="M{num(x1)},{num(y1)}L{num(x2)},{num(y2)}" stroke="{attr(color)}"'
                 f' stroke-width="{num(width)}"{dash_attr(dash)}{o}/>')

    def rect(self, x, y, w, h, fill) -> None:
        """A filled rectangle (consecutive ones of one colour: one path, in a compact canvas)."""
        if self.compact:
            self._group("rect", (f' fill="{attr(fill)}"',), f"M{num(x)},{num(y)}h{num(w)}v{num(h)}h{num(-w)}z")
            return
        self.add(f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="{attr(fill)}"/>')

    def _parts(self):
        for part in self.parts:
            if isinstance(part, str):
                yield part
            elif part[0] in ("line", "rect"):
                yield f'<path d="{"".join(part[2])}"{part[1][0]}/>'
            elif len(part[2]) == 1:  # one label: its attributes on it
                yield part[2][0].replace("<text ", f"<text{part[1][0]} ", 1)
            else:
                yield f"<g{part[1][0]}>{''.join(part[2])}</g>"

    def finish(self, title: str, desc: str) -> str:
        if self.compact:
            head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}"'
                    f' viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" aria-labelledby="t"'
                    f' font-family="{attr(self.font)}"><title id="t">{escape(title)}</title>')
            return head + "".join(self._parts()) + "</svg>\n"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}"'
                f' viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" aria-labelledby="t d"'
                f' font-family="{attr(self.font)}">'
                f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>')
        return head + "".join(self._parts()) + "</svg>\n"


def _value(row: dict, name: str) -> float | None:
    v = row.get(name)
    return None if v is None or isinstance(v, bool) else finite(v)


@lru_cache(maxsize=1 << 16)
def _ordinal(d: str) -> float:
    try:
        return float(date.fromisoformat(str(d)[:10]).toordinal())
    except ValueError:
        return math.nan


def _column(rows: list[dict], name: str) -> np.ndarray:
    """One field of the rows as floats, NaN where missing or not a finite number."""
    try:
        v = np.array([r.get(name) for r in rows], dtype=float)
    except (TypeError, ValueError):
        v = np.array([_value(r, name) for r in rows], dtype=float)
    v[~np.isfinite(v)] = np.nan
    return v


def _legend(c: Canvas, m: Model, x: float, y: float, size: float = 12, swatch: str = "line",
            stroke: float = 3) -> None:
    for name in m.legend or []:
        color = m.colors.get(name, "#000")
        if swatch == "line":
            c.line(x, y, x + 3 * size / 2 + 6, y, color, stroke, m.dashes.get(name))
            x += 3 * size / 2 + 12
        else:
            c.add(f'<rect x="{num(x)}" y="{num(y - size / 2 + 1)}" width="{num(size - 2)}" height="{num(size - 2)}"'
                  f' fill="{attr(color)}"/>')
            x += size + 4
        c.text(x, y, name, size, m.legend_color, baseline="middle")
        x += text_width(name, size) + 16


def _empty(c: Canvas, m: Model, x0, y0, w, h) -> None:
    c.add(f'<rect x="{num(x0)}" y="{num(y0)}" width="{num(w)}" height="{num(h)}" fill="none"'
          f' stroke="{attr(m.grid_color)}"/>')
    c.text(x0 + w / 2, y0 + h / 2, "No data to show for this period.", 14, m.label_color, "middle", baseline="middle")

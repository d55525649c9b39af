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


@lru_cache(maxsize=1 << 16)
def num(x: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros.

    Cached (issue 17: ~500 calls a pair page, most of them for the same few hundred positions and sizes)."""
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

    Three steps, all numpy (issue 17: bytes and CPU per pair), each invisible at a 2-pixel stroke:

    1. within each column of :data:`COLUMN` pixels only the lowest and highest point are kept (and the
       ends; min/max reduction: a 20-year weekly line has about two points a pixel column);
    2. :func:`_thin` drops the points within :data:`THIN` of the line through their neighbours (a smooth
       stretch, a 200-day average, becomes a few long segments), on the exact positions;
    3. the rest is written on whole pixels, relative (``l``), repeated points dropped (:func:`_steps`).

    A 20-year pair chart's line weighs about 1.1 KB (1.6 KB with 0.4-pixel thinning on rounded points).
    """
    x = np.asarray(xs, dtype=float)
    y = ys.astype(float) if isinstance(ys, np.ndarray) else np.asarray([np.nan if v is None else v for v in ys],
                                                                       dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    parts: list[str] = []
    lone: list[tuple[float, float]] = []
    valid = np.count_nonzero(ok)
    if not valid:
        return "", lone
    if valid == len(ok):  # one run (most lines)
        runs = [(0, len(ok))]
    else:  # runs of consecutive valid points
        flags = np.concatenate([[0], ok.astype(np.int8), [0]])
        edges = (flags[1:] != flags[:-1]).nonzero()[0].tolist()
        runs = zip(edges[::2], edges[1::2])
    for a, b in runs:
        rx, ry = x[a:b], y[a:b]
        if b - a == 1:
            lone.append((float(rx[0]), float(ry[0])))
            continue
        keep = _m4(rx / COLUMN, ry)
        if keep is not None:
            rx, ry = rx[keep], ry[keep]
        rx, ry = _thin(rx, ry)
        parts.append(_steps(np.rint(rx).astype(np.int64), np.rint(ry).astype(np.int64)))
    return "".join(parts), lone


THIN = 0.6
"""Tolerance of :func:`_thin`, in pixels (under a third of the 2-pixel stroke)."""
PASSES = 3
"""Passes of :func:`_thin` (each drops at most every other point of a run)."""


def _thin(x: np.ndarray, y: np.ndarray, tol: float = THIN, passes: int = PASSES) -> tuple[np.ndarray, np.ndarray]:
    """Drop the points (pixels, not rounded) that lie within ``tol`` of the straight line through their
    neighbours: a run of nearly collinear points becomes one segment.  A pass looks at every other point
    (the second, fourth, ...), then at the others, so no two neighbours go at once; a dropped point stays
    within about ``passes`` times the tolerance of the line drawn (in practice within a pixel); the ends
    are kept."""
    tol2 = tol * tol
    for _ in range(passes):
        n0 = len(x)
        for first in (1, 2):
            m = (len(x) - first) // 2  # the points first, first + 2, ... that have a neighbour on each side
            if m < 1:
                break
            ax, ay = x[first - 1:first - 1 + 2 * m:2], y[first - 1:first - 1 + 2 * m:2]
            acx, acy = x[first + 1:first + 1 + 2 * m:2] - ax, y[first + 1:first + 1 + 2 * m:2] - ay
            cross = acx * (y[first:first + 2 * m:2] - ay) - acy * (x[first:first + 2 * m:2] - ax)
            near = cross * cross <= tol2 * (acx * acx + acy * acy)
            if np.count_nonzero(near):
                keep = np.empty(len(x), dtype=bool)
                keep.fill(True)
                keep[first:first + 2 * m:2] = ~near
                x, y = x[keep], y[keep]
        if len(x) == n0:
            break
    return x, y


_R = 2048
_TOKENS = np.array([str(v) if v < 0 else f" {v}" for v in range(-_R, _R + 1)], dtype=object)
"""Every small integer as it follows another in path data: " 12", or "-12" (a minus separates by itself)."""


def _steps(ix: np.ndarray, iy: np.ndarray) -> str:
    """``M`` to the first point and relative ``l`` steps to the others (whole pixels): a step of nothing left
    out, steps on one straight line in one direction joined (exactly the same line): ``M63,285l4 0 1 1 2-1``."""
    dx, dy = ix[1:] - ix[:-1], iy[1:] - iy[:-1]
    moved = (dx != 0) | (dy != 0)
    if np.count_nonzero(moved) < len(moved):
        dx, dy = dx[moved], dy[moved]
    head = f"M{int(ix[0])},{int(iy[0])}l"
    if not len(dx):
        return head + "0 0"
    if len(dx) > 1:
        straight = (dx[:-1] * dy[1:] == dy[:-1] * dx[1:]) & (dx[:-1] * dx[1:] + dy[:-1] * dy[1:] > 0)
        if np.count_nonzero(straight):  # the point between two such steps goes: sum the steps of each run
            run = np.concatenate([[0], np.cumsum(~straight)])
            dx, dy = np.bincount(run, dx), np.bincount(run, dy)
            dx, dy = dx.astype(np.int64), dy.astype(np.int64)
    d = np.empty(2 * len(dx), dtype=np.int64)  # dx, dy, dx, dy, ...
    d[0::2], d[1::2] = dx, dy
    if np.maximum.reduce(np.abs(d)) <= _R:
        body = "".join(_TOKENS[d + _R].tolist())
    else:
        body = "".join(str(v) if v < 0 else f" {v}" for v in d.tolist())
    return head + (body[1:] if body[0] == " " else body)


COLUMN = 2
"""Width in pixels of the columns :func:`polyline` keeps a lowest and a highest point of."""


def _m4(x: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """Indices of the lowest and highest point of every pixel column ``floor(x)`` (and the ends), in
    order; None when no column holds more than two points (nothing to drop)."""
    col = np.floor(x).astype(np.int64)
    n = len(x)
    d = col[1:] - col[:-1]
    if np.count_nonzero(d < 0):  # not in order of x: argmin/argmax per column by sorting by (column, value)
        by_val = np.lexsort((y, col))
        sorted_col = col[by_val]
        gstart = np.flatnonzero(np.concatenate([[True], sorted_col[1:] != sorted_col[:-1]]))
        gend = np.concatenate([gstart[1:], [n]]) - 1
        return np.unique(np.concatenate([[0, n - 1], by_val[gstart], by_val[gend]]))
    starts = d.nonzero()[0]
    if 2 * len(starts) + 2 >= n:
        return None
    starts = np.concatenate([[0], starts + 1])
    gid = np.repeat(np.arange(len(starts)), np.concatenate([starts[1:], [n]]) - starts)
    pos = np.arange(n)
    # the first index of each column's lowest and highest value
    lo = np.minimum.reduceat(np.where(y == np.minimum.reduceat(y, starts)[gid], pos, n), starts)
    hi = np.minimum.reduceat(np.where(y == np.maximum.reduceat(y, starts)[gid], pos, n), starts)
    idx = np.empty(2 * len(lo), dtype=lo.dtype)  # each column's two, in order
    idx[0::2], idx[1::2] = np.minimum(lo, hi), np.maximum(lo, hi)
    same = idx[1:] == idx[:-1]
    if np.count_nonzero(same):
        new = np.empty(len(idx), dtype=bool)
        new[0] = True
        np.logical_not(same, out=new[1:])
        idx = idx[new]
    if idx[0] != 0:  # idx is in order: the ends go before and after
        idx = np.concatenate([[0], idx])
    if idx[-1] != n - 1:
        idx = np.concatenate([idx, [n - 1]])
    return idx


def polylines(lines: list) -> list[tuple[str, list[tuple[float, float]]]]:
    """``[polyline(xs, ys) for xs, ys in lines]``, the same text, with every run of every line in one numpy pass.

    Issue 17: :func:`polyline` is a few dozen small numpy calls a run whatever its length, so a pair page's
    seven lines cost seven times the calls; here the runs are laid end to end in one array and each step
    works on all of them at once, kept apart by their ends (``start``/``end`` flags: a pixel column, a
    thinning neighbour or a step never reaches across two runs).  Runs not in order of x (none on the
    site) take :func:`polyline` itself.
    """
    if not lines:
        return []
    xs = [np.asarray(x, dtype=float) for x, _ in lines]
    ys = [np.asarray(y, dtype=float) if isinstance(y, np.ndarray)
          else np.asarray([np.nan if v is None else v for v in y], dtype=float) for _, y in lines]
    sizes = np.array([len(y) for y in ys])
    x, y = np.concatenate(xs), np.concatenate(ys)
    n = len(x)
    ok = np.isfinite(x) & np.isfinite(y)
    valid = np.count_nonzero(ok)
    line_of = np.repeat(np.arange(len(lines)), sizes)
    first = np.zeros(n + 1, dtype=bool)  # each line's first point, and one past the last
    first[np.cumsum(sizes) - sizes] = True
    first[n] = True
    if valid == n:  # no gaps (most pages): the runs are the lines
        start, end = first[:-1], first[1:]
    else:
        okp = np.concatenate([[False], ok, [False]])
        start = ok & (first[:-1] | ~okp[:-2])  # the first point of a run of valid points
        end = ok & (first[1:] | ~okp[2:])  # its last
    lone_at = np.flatnonzero(start & end)
    out: list[tuple[list[str], list]] = [([], []) for _ in lines]
    for i, px, py in zip(line_of[lone_at].tolist(), x[lone_at].tolist(), y[lone_at].tolist()):
        out[i][1].append((px, py))
    if valid > len(lone_at):  # runs of two or more points
        if valid < n or len(lone_at):
            sel = ok & ~(start & end)
            x, y, start, end, line_of = x[sel], y[sel], start[sel], end[sel], line_of[sel]
        run_line = line_of[start]
        col = np.floor(x / COLUMN)  # whole numbers
        if np.count_nonzero((col[1:] < col[:-1]) & ~start[1:]):  # x out of order in a run
            return [polyline(a, b) for a, b in lines]
        x, y, start, end = _m4_runs(x, y, col, start, end)
        x, y, start, end = _thin_runs(x, y, start, end)
        for i, path in zip(run_line.tolist(), _steps_runs(np.rint(x).astype(np.int64), np.rint(y).astype(np.int64),
                                                          start)):
            out[i][0].append(path)
    return [("".join(parts), lone) for parts, lone in out]


def _m4_runs(x, y, col, start, end):
    """:func:`_m4` on every run at once (``col``: each point's pixel column): the points kept, with their
    run flags; a run with no column of more than two points keeps all of its points, as :func:`_m4` says."""
    n = len(x)
    group = start.copy()  # the first point of each column of each run
    group[1:] |= col[1:] != col[:-1]
    gat = np.flatnonzero(group)
    rat = np.flatnonzero(start)
    run_len = np.diff(np.append(rat, n))
    whole = 2 * np.add.reduceat(group.astype(np.int64), rat) >= run_len  # _m4 returns None
    gid = np.cumsum(group) - 1
    pos = np.arange(n)
    lo = np.minimum.reduceat(np.where(y == np.minimum.reduceat(y, gat)[gid], pos, n), gat)
    hi = np.minimum.reduceat(np.where(y == np.maximum.reduceat(y, gat)[gid], pos, n), gat)
    keep = start | end
    keep[lo] = True
    keep[hi] = True
    if np.count_nonzero(whole):
        keep |= np.repeat(whole, run_len)
    return x[keep], y[keep], start[keep], end[keep]


def _thin_runs(x, y, start, end, tol: float = THIN, passes: int = PASSES):
    """:func:`_thin` on every run at once: a pass looks at the points at odd places in their run, then (after
    those dropped) at the even ones; only points with both neighbours in their run."""
    tol2 = tol * tol
    inner = ~(start | end)
    for _ in range(passes):
        n0 = len(x)
        for parity in (1, 0):
            n = len(x)
            if n < 3:
                break
            pos = np.arange(n)
            place = pos - np.maximum.accumulate(np.where(start, pos, 0))  # the place in the run
            ax, ay = x[:-2], y[:-2]
            acx, acy = x[2:] - ax, y[2:] - ay
            cross = acx * (y[1:-1] - ay) - acy * (x[1:-1] - ax)
            drop = (cross * cross <= tol2 * (acx * acx + acy * acy)) & inner[1:-1] & ((place[1:-1] & 1) == parity)
            if np.count_nonzero(drop):
                keep = np.ones(n, dtype=bool)
                keep[1:-1] = ~drop
                x, y, start, inner = x[keep], y[keep], start[keep], inner[keep]
        if len(x) == n0:
            break
    return x, y, start, ~(start | inner)


def _steps_runs(ix: np.ndarray, iy: np.ndarray, start: np.ndarray) -> list[str]:
    """:func:`_steps` of every run (whole pixels; ``start`` flags each run's first point), one text a run."""
    rat = np.flatnonzero(start)
    dx, dy = ix[1:] - ix[:-1], iy[1:] - iy[:-1]
    run = np.cumsum(start)[1:] - 1  # each step's run
    moved = ~start[1:] & ((dx != 0) | (dy != 0))
    dx, dy, run = dx[moved], dy[moved], run[moved]
    if len(dx) > 1:
        straight = ((dx[:-1] * dy[1:] == dy[:-1] * dx[1:]) & (dx[:-1] * dx[1:] + dy[:-1] * dy[1:] > 0)
                    & (run[:-1] == run[1:]))
        if np.count_nonzero(straight):
            head = np.concatenate([[True], ~straight])
            group = np.cumsum(head) - 1
            dx, dy = np.bincount(group, dx).astype(np.int64), np.bincount(group, dy).astype(np.int64)
            run = run[head]
    d = np.empty(2 * len(dx), dtype=np.int64)
    d[0::2], d[1::2] = dx, dy
    if not len(d) or np.maximum.reduce(np.abs(d)) <= _R:
        tokens = _TOKENS[d + _R].tolist()
    else:
        tokens = [str(v) if v < 0 else f" {v}" for v in d.tolist()]
    bounds = (2 * np.cumsum(np.bincount(run, minlength=len(rat)))).tolist()
    out, a = [], 0
    for x0, y0, b in zip(ix[rat].tolist(), iy[rat].tolist(), bounds):
        body = "".join(tokens[a:b])
        a = b
        out.append(f"M{x0},{y0}l" + ((body[1:] if body[0] == " " else body) if body else "0 0"))
    return out


def _esc(text) -> str:
    t = str(text)
    return escape(t) if ("&" in t or "<" in t or ">" in t) else t


@lru_cache(maxsize=256)
def _attr(text: str) -> str:
    return attr(text)


def _fine(x: float) -> str:
    """A length with at most three decimals (a dash pattern repeated along many rules)."""
    s = f"{x:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class Canvas:
    """Collects SVG elements; ``finish`` wraps them in an accessible ``<svg>``.

    ``compact`` (the chart fallbacks; issue 17: bytes per pair): the same picture as without it, in fewer
    bytes.  Consecutive lines of one style are one ``<path>`` (``H``/``V`` for straight ones, no default
    ``stroke-width="1"``); evenly spaced rules (grid lines, ticks: :meth:`rules`) are one dashed stroke as
    wide as the rules are long, a dash per rule; consecutive labels of one style share a ``<g>`` with their
    font size, colour, anchor and weight (the baseline shift folded into ``y``; a shared ``x`` or ``y`` in
    its ``transform``), the most common font size and colour of the labels are the ``<svg>``'s own;
    consecutive series share a ``<g>`` with their width and joins (:meth:`series`); the ``<svg>`` has a
    title only (the finding in words is the page's caption, which the ``<img>`` points at).
    """

    def __init__(self, width: float, height: float, font: str, background: str | None = None,
                 compact: bool = False):
        self.width, self.height, self.font, self.compact = width, height, font, compact
        self.parts: list = []  # strings, or [kind, key, items] groups (compact)
        if background:
            self.parts.append(f'<rect width="{num(width)}" height="{num(height)}" fill="{attr(background)}"/>')

    def add(self, s: str) -> None:
        self.parts.append(s)

    def _group(self, kind: str, key: tuple, item) -> None:
        last = self.parts[-1] if self.parts else None
        if isinstance(last, list) and last[0] == kind and last[1] == key:
            last[2].append(item)
        else:
            self.parts.append([kind, key, [item]])

    def text(self, x, y, text, size=12, color="#1b1f24", anchor="start", weight=None, baseline=None,
             rotate: float | None = None) -> None:
        w = str(weight) if weight and str(weight) not in ("400", "normal") else ""
        if self.compact:
            if rotate:
                self.parts.append(["rot", (num(size), color, anchor, w),
                                   [(f' transform="rotate({num(rotate)} {num(x)} {num(y)})"', num(x), num(y), _esc(text))]])
                return
            shift = {"top": 0.8, "middle": 0.35}.get(baseline or "", 0.0) * float(size)
            self._group("text", (num(size), color, anchor, w), (num(x), num(y + shift), _esc(text)))
            return
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        wa = f' font-weight="{w}"' if w else ""
        b = {"top": ' dy="0.8em"', "middle": ' dy="0.35em"'}.get(baseline or "", "")
        r = f' transform="rotate({num(rotate)} {num(x)} {num(y)})"' if rotate else ""
        self.add(f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{attr(color)}"{a}{wa}{b}{r}>'
                 f'{escape(str(text))}</text>')

    def line(self, x1, y1, x2, y2, color, width=1.0, dash=None, opacity=None) -> None:
        o = f' stroke-opacity="{opacity}"' if opacity is not None else ""
        if self.compact:
            x1s, y1s, x2s, y2s = num(x1), num(y1), num(x2), num(y2)
            to = f"H{x2s}" if y1s == y2s else f"V{y2s}" if x1s == x2s else f"L{x2s},{y2s}"
            sw = "" if width == 1 else f' stroke-width="{num(width)}"'
            self._group("line", (f' stroke="{_attr(color)}"{sw}{dash_attr(dash)}{o}',), f"M{x1s},{y1s}{to}")
            return
        self.add(f'<path d="M{num(x1)},{num(y1)}L{num(x2)},{num(y2)}" stroke="{attr(color)}"'
                 f' stroke-width="{num(width)}"{dash_attr(dash)}{o}/>')

    def rules(self, at: list[float], start: float, end: float, color: str, horizontal: bool = True) -> None:
        """One-pixel rules across [start, end] at each of ``at`` (horizontal ones at those y, else vertical ones
        at those x).  Evenly spaced (three or more, further apart than 1.5 pixels), in a compact canvas: one
        stroke ``end - start`` wide along the rules' axis, dashed 1 on, spacing - 1 off, from half a pixel
        before the first rule to half a pixel after the last (butt ends): each dash is one rule, exactly."""
        p = sorted(float(num(v)) for v in at)
        a, b = float(num(start)), float(num(end))
        gaps = [q - r for q, r in zip(p[1:], p)]
        if (self.compact and len(p) >= 3 and min(gaps) > 1.5 and max(gaps) - min(gaps) <= 0.15
                and abs(b - a) > 0):
            step = (p[-1] - p[0]) / (len(p) - 1)
            mid, lo, hi = _fine((a + b) / 2), _fine(p[0] - 0.5), _fine(p[-1] + 0.5)
            d = f"M{mid},{lo}V{hi}" if horizontal else f"M{lo},{mid}H{hi}"
            self.parts.append(f'<path d="{d}" stroke="{_attr(color)}" stroke-width="{_fine(abs(b - a))}"'
                              f' stroke-dasharray="1 {_fine(step - 1)}"/>')
            return
        for v in at:
            if horizontal:
                self.line(start, v, end, v, color, 1)
            else:
                self.line(v, start, v, end, color, 1)

    def series(self, path: str, color: str, width: float, dash=None) -> None:
        """A data line (no fill, round joins); consecutive ones of one width share a ``<g>`` (compact)."""
        if self.compact:
            self._group("series", (num(width),), f'<path d="{path}" stroke="{_attr(color)}"{dash_attr(dash)}/>')
            return
        self.add(f'<path d="{path}" fill="none" stroke="{attr(color)}" stroke-width="{num(width)}"'
                 f' stroke-linejoin="round"{dash_attr(dash)}/>')

    def rect(self, x, y, w, h, fill) -> None:
        """A filled rectangle (consecutive ones of one colour: one path, in a compact canvas)."""
        if self.compact:
            self._group("rect", (f' fill="{_attr(fill)}"',), f"M{num(x)},{num(y)}h{num(w)}v{num(h)}h{num(-w)}z")
            return
        self.add(f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="{attr(fill)}"/>')

    def _root_text(self) -> tuple[str, str] | None:
        """The font size and colour most labels have (ties: the first seen), for the ``<svg>`` itself."""
        count: dict = {}
        for part in self.parts:
            if isinstance(part, list) and part[0] in ("text", "rot"):
                k = part[1][:2]
                count[k] = count.get(k, 0) + len(part[2])
        return max(count, key=count.get) if count else None

    @staticmethod
    def _text_attrs(key: tuple, root) -> str:
        size, color, anchor, weight = key
        out = "" if root and size == root[0] else f' font-size="{size}"'
        out += "" if root and color == root[1] else f' fill="{_attr(color)}"'
        out += f' text-anchor="{anchor}"' if anchor != "start" else ""
        return out + (f' font-weight="{weight}"' if weight else "")

    def _texts(self, key: tuple, items: list, root) -> str:
        a = self._text_attrs(key, root)
        if len(items) == 1:
            x, y, t = items[0]
            return f'<text{a} x="{x}" y="{y}">{t}</text>'
        if len(items) >= 3 and len({x for x, _, _ in items}) == 1:
            body = "".join(f'<text y="{y}">{t}</text>' for _, y, t in items)
            return f'<g{a} transform="translate({items[0][0]})">{body}</g>'
        if len(items) >= 3 and len({y for _, y, _ in items}) == 1:
            body = "".join(f'<text x="{x}">{t}</text>' for x, _, t in items)
            return f'<g{a} transform="translate(0 {items[0][1]})">{body}</g>'
        body = "".join(f'<text x="{x}" y="{y}">{t}</text>' for x, y, t in items)
        return f"<g{a}>{body}</g>" if a else body

    def _parts(self, root):
        for part in self.parts:
            if isinstance(part, str):
                yield part
            elif part[0] in ("line", "rect"):
                yield f'<path d="{"".join(part[2])}"{part[1][0]}/>'
            elif part[0] == "series":
                yield (f'<g fill="none" stroke-width="{part[1][0]}" stroke-linejoin="round">{"".join(part[2])}</g>'
                       if len(part[2]) > 1 else part[2][0].replace(
                           "<path ", f'<path fill="none" stroke-width="{part[1][0]}" stroke-linejoin="round" ', 1))
            elif part[0] == "rot":
                r, x, y, t = part[2][0]
                yield f'<text{self._text_attrs(part[1], root)}{r} x="{x}" y="{y}">{t}</text>'
            else:
                yield self._texts(part[1], part[2], root)

    def finish(self, title: str, desc: str) -> str:
        if self.compact:
            root = self._root_text()
            defaults = f' font-size="{root[0]}" fill="{_attr(root[1])}"' if root else ""
            head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}"'
                    f' viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" aria-labelledby="t"'
                    f' font-family="{attr(self.font.replace(", ", ","))}"{defaults}>'
                    f'<title id="t">{escape(title)}</title>')
            return head + "".join(self._parts(root)) + "</svg>\n"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}"'
                f' viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" aria-labelledby="t d"'
                f' font-family="{attr(self.font)}">'
                f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>')
        return head + "".join(self._parts(None)) + "</svg>\n"


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

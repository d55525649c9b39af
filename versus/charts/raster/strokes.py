"""Stroked lines as edges: a quad per segment, butt ends, rounded joins where the line turns, dashes."""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .base import JOIN_SIDES


def _quads(p: np.ndarray, q: np.ndarray, half: float) -> np.ndarray:
    """Edges of one rectangle per segment p→q (all wound the same way), ``half`` the width each side."""
    d = q - p
    n = np.hypot(d[:, 0], d[:, 1])
    ok = n > 0
    p, q, d, n = p[ok], q[ok], d[ok], n[ok]
    off = np.empty_like(d)
    off[:, 0], off[:, 1] = -d[:, 1], d[:, 0]
    off = off / n[:, None] * half
    a, b, c, e = p + off, q + off, q - off, p - off
    out = np.empty((4, len(p), 4))  # edges a→b, b→c, c→e, e→a of every segment, in that order
    out[0, :, :2], out[0, :, 2:] = a, b
    out[1, :, :2], out[1, :, 2:] = b, c
    out[2, :, :2], out[2, :, 2:] = c, e
    out[3, :, :2], out[3, :, 2:] = e, a
    return out.reshape(-1, 4)


def _joins(pts: np.ndarray, half: float) -> np.ndarray:
    """Edges of a small regular polygon (radius ``half``) around each point: round joins."""
    if not len(pts):
        return np.zeros((0, 4))
    ang = -np.arange(JOIN_SIDES + 1) * (2 * math.pi / JOIN_SIDES)  # wound like _quads
    r = half / math.cos(math.pi / JOIN_SIDES) * 0.96  # about the circle's area
    ring = np.column_stack([np.cos(ang), np.sin(ang)]) * r
    out = np.empty((len(pts), JOIN_SIDES, 4))
    out[:, :, :2] = pts[:, None, :] + ring[None, :-1, :]
    out[:, :, 2:] = pts[:, None, :] + ring[None, 1:, :]
    return out.reshape(-1, 4)


TURN = math.cos(math.radians(20))
"""Joins are rounded where the line turns by more than 20° (below, the gap is under a tenth of the width)."""


def _turns(pts: np.ndarray) -> np.ndarray:
    """Whether the line turns by more than 20° at each inner point."""
    d = np.diff(pts, axis=0)
    a, b = d[:-1], d[1:]
    dot = (a * b).sum(axis=1)
    norm = np.hypot(a[:, 0], a[:, 1]) * np.hypot(b[:, 0], b[:, 1])
    return dot < TURN * norm


@lru_cache(maxsize=1024)
def _straight(x0: float, y0: float, x1: float, y1: float, half: float, dash: tuple | None) -> np.ndarray:
    """Edges of a horizontal or vertical line from (x0, y0) to (x1, y1) (x0 <= x1, y0 <= y1): a rectangle
    per dash (butt ends), without the general polyline machinery.

    Cached (read-only edges): the axis line, the ticks of a period and the legend swatches recur on the cards."""
    edges = _straight_edges(x0, y0, x1, y1, half, dash)
    edges.setflags(write=False)
    return edges


def _straight_edges(x0: float, y0: float, x1: float, y1: float, half: float, dash) -> np.ndarray:
    length = (x1 - x0) + (y1 - y0)
    if not dash or len(dash) < 2 or all(d == 0 for d in dash[1::2]) or sum(dash) <= 0:
        # one rectangle, in Python floats (the same sums as below with a = 0, b = length)
        if x0 == x1:
            l, r, t, bt = x0 - half, x0 + half, y0 + 0.0, y0 + length
        else:
            l, r, t, bt = x0 + 0.0, x0 + length, y0 - half, y0 + half
        return np.array([[l, t, r, t], [r, t, r, bt], [r, bt, l, bt], [l, bt, l, t]])
    pattern = list(dash) * (2 if len(dash) % 2 else 1)
    period = float(sum(pattern))
    starts = np.cumsum([0.0] + pattern[:-1])[0::2]
    on = np.array(pattern[0::2], dtype=float)
    reps = np.arange(math.ceil(length / period) + 1)[:, None] * period
    a, b = (reps + starts).ravel(), (reps + starts + on).ravel()
    keep = (a < length) & (b > a)
    a, b = a[keep], np.minimum(b[keep], length)
    if x0 == x1:  # vertical
        l, r, t, bt = np.full_like(a, x0 - half), np.full_like(a, x0 + half), y0 + a, y0 + b
    else:
        l, r, t, bt = x0 + a, x0 + b, np.full_like(a, y0 - half), np.full_like(a, y0 + half)
    out = np.empty((4, len(a), 4))  # the four sides of every dash, side by side
    out[0, :, 0], out[0, :, 1], out[0, :, 2], out[0, :, 3] = l, t, r, t
    out[1, :, 0], out[1, :, 1], out[1, :, 2], out[1, :, 3] = r, t, r, bt
    out[2, :, 0], out[2, :, 1], out[2, :, 2], out[2, :, 3] = r, bt, l, bt
    out[3, :, 0], out[3, :, 1], out[3, :, 2], out[3, :, 3] = l, bt, l, t
    return out.reshape(-1, 4)


def stroke_edges(xs, ys, width: float, dash=None) -> np.ndarray:
    """Edges of a polyline stroked ``width`` wide (butt ends, round joins), ``dash`` = [on, off, ...] lengths
    from the start as SVG's ``stroke-dasharray`` (None or no gaps: solid); NaN points break the line."""
    half = width / 2
    if len(xs) == 2 and (xs[0] == xs[1] or ys[0] == ys[1]) and xs[0] <= xs[1] and ys[0] <= ys[1]:
        return _straight(float(xs[0]), float(ys[0]), float(xs[1]), float(ys[1]), half,
                         tuple(dash) if dash is not None else None)
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    out = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):  # runs of valid points; SVG restarts the dash at each
        if b - a < 2:
            continue
        out.append(_stroke_run(np.column_stack([x[a:b], y[a:b]]), half, dash))
    return np.vstack(out) if out else np.zeros((0, 4))


def _stroke_run(pts: np.ndarray, half: float, dash) -> np.ndarray:
    seg = np.hypot(*np.diff(pts, axis=0).T)
    at = np.concatenate([[0.0], np.cumsum(seg)])
    total = at[-1]
    if not dash or len(dash) < 2 or all(d == 0 for d in dash[1::2]) or sum(dash) <= 0:
        return np.vstack([_quads(pts[:-1], pts[1:], half), _joins(pts[1:-1][_turns(pts)], half)])
    pattern = list(dash) * (2 if len(dash) % 2 else 1)
    period = float(sum(pattern))
    bounds = np.cumsum([0.0] + pattern)  # on from bounds[0] to [1], off to [2], ...
    reps = np.arange(math.ceil(total / period) + 1) * period
    cuts = (reps[:, None] + bounds[None, :-1]).ravel()
    cuts = cuts[(cuts > 0) & (cuts < total)]
    order = np.argsort(np.concatenate([at, cuts]), kind="stable")
    where = np.concatenate([at, cuts])[order]
    turn = np.concatenate([[False], _turns(pts), [False], np.zeros(len(cuts), dtype=bool)])[order]
    px = np.interp(where, at, pts[:, 0])
    py = np.interp(where, at, pts[:, 1])
    p = np.column_stack([px, py])
    phase = np.mod((where[:-1] + where[1:]) / 2, period)
    on = (np.searchsorted(bounds, phase, side="right") - 1) % 2 == 0
    quads = _quads(p[:-1][on], p[1:][on], half)  # zero-length pieces (a cut on a vertex) are dropped there
    # a join where the line turns at a vertex inside a dash (both pieces around it drawn)
    inner = turn[1:-1] & on[:-1] & on[1:]
    return np.vstack([quads, _joins(p[1:-1][inner], half)])

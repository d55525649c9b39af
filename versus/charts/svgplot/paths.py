"""Path data of the lines: min/max-reduced, thinned polylines on whole pixels (:func:`polyline`), and
every line of a page at once (:func:`polylines`)."""
from __future__ import annotations

import numpy as np


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

"""Coverage of shapes given as edges: accumulated crossings of sub-scanlines (see the package docstring)."""
from __future__ import annotations

import numpy as np

from .base import SUBROWS


def coverage(edges: np.ndarray, width: int, height: int, subrows: int = 0) -> tuple[int, int, np.ndarray]:
    """(first row, first column, coverage 0…1) of the box of pixels the edges touch, under non-zero winding.

    The winding of the sub-scanlines (:data:`SUBROWS`, or ``subrows``) of a row is summed before it is
    clipped to 1: exact for shapes that do not overlap themselves (a glyph).
    """
    row, sx, sign = _crossings(edges, height, width, subrows or SUBROWS) if len(edges) else ((), None, None)
    if not len(row):
        return 0, 0, np.zeros((0, 0))
    xi = np.floor(sx)
    fr = sx - xi
    xi = xi.astype(np.int64)
    r0, r1 = int(row.min()), int(row.max()) + 1
    c0, c1 = int(xi.min()), min(int(xi.max()) + 2, width + 1)
    cols = c1 - c0 + 1
    idx = (row - r0) * cols + (xi - c0)
    size = (r1 - r0) * cols
    acc = np.bincount(idx, sign * (1 - fr), minlength=size) + np.bincount(idx + 1, sign * fr, minlength=size + 1)[:size]
    wind = np.cumsum(acc.reshape(-1, cols), axis=1)
    return r0, c0, np.minimum(np.abs(wind[:, :min(c1, width) - c0]), 1.0)


BLOCK = 32
"""Column block of :func:`coverage_cells`: a row is accumulated from its first to its last block with a crossing."""


def _crossings(edges: np.ndarray, height: int, width: int, n: int):
    """Where each edge crosses each sub-scanline: (pixel row, x clipped to [0, width], winding ±1 / n)."""
    x0, y0, x1, y1 = edges.T
    dy = y1 - y0
    lo, hi = np.minimum(y0, y1), np.maximum(y0, y1)
    # sub-scanline k sits at y = (k + 0.5) / n; an edge crosses those with lo <= y < hi (none if dy == 0)
    ka = np.minimum(np.maximum(np.ceil(lo * n - 0.5), 0), height * n).astype(np.int64)
    kb = np.minimum(np.maximum(np.ceil(hi * n - 0.5), 0), height * n).astype(np.int64)
    cnt = kb - ka
    crossed = np.flatnonzero(cnt)
    cnt = cnt[crossed]
    which = np.repeat(crossed, cnt)
    k = np.arange(len(which)) + np.repeat(ka[crossed] - (np.cumsum(cnt) - cnt), cnt)
    slope = (x1[crossed] - x0[crossed]) / dy[crossed]
    sx = np.minimum(np.maximum(x0[which] + ((k + 0.5) / n - y0[which]) * np.repeat(slope, cnt), 0.0), float(width))
    return k // n, sx, np.repeat(np.sign(dy[crossed]) / n, cnt)


def coverage_cells(edges: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """(flat pixel positions row * width + column, coverage 0…1) of the pixels a thin shape touches.

    The same sums as :func:`coverage`, but each row is accumulated only from the first to the last
    :data:`BLOCK` of columns it has crossings in (a segmented running sum): a growth line's pixels are
    about a tenth of its bounding box.
    """
    if not len(edges):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    row, sx, sign = _crossings(edges, height, width, SUBROWS)
    if not len(row):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    xi = np.floor(sx)
    fr = sx - xi
    xi = xi.astype(np.int64)
    r0 = int(row.min())
    row = row - r0
    rows = int(row.max()) + 1
    nb = width // BLOCK + 1
    occ = np.bincount(row * nb + xi // BLOCK, minlength=rows * nb).reshape(rows, nb) > 0
    first = np.argmax(occ, axis=1)
    last = nb - 1 - np.argmax(occ[:, ::-1], axis=1)
    start = first * BLOCK
    length = np.where(occ.any(axis=1), (last + 1) * BLOCK - start + 2, 0)
    off = np.cumsum(length) - length
    total = int(length.sum())
    idx = (off - start)[row] + xi
    acc = np.bincount(idx, sign * (1 - fr), minlength=total) + np.bincount(idx + 1, sign * fr, minlength=total + 1)[:total]
    run = np.cumsum(acc)
    before = np.concatenate([[0.0], run])[off]  # the running sum where each row starts
    wind = run - np.repeat(before, length)
    row_at = (np.arange(rows) + r0) * width  # flat position of each row's first pixel
    pos = np.arange(total) + np.repeat(row_at + start - off, length)
    cov = np.minimum(np.abs(wind), 1.0)
    if (start + length > width).any():  # a row's span may end up to BLOCK + 1 cells right of the picture
        ok = pos - np.repeat(row_at, length) < width
        return pos[ok], cov[ok]
    return pos, cov

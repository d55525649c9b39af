"""Texts: glyph outlines as edges, and their coverage cached per glyph and per word at quarter-pixel positions."""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from .. import glyphs
from .base import CURVE_STEPS, LEVELS, NotCovered
from .coverage import coverage

_NUM = re.compile(r"-?\d+")
_CMD = re.compile(r"([mhvlqcz])([^mhvlqcz]*)")


# complexity: one branch per path command (m h v l q c z), each a few lines; run once per glyph
def _contours(x0: int, y0: int, data: str) -> list[list[tuple[float, float]]]:
    """The closed contours of one glyph's path data (font units, y down, relative commands m h v l q c z as
    :mod:`.glyphs` writes them after the first moveto at (x0, y0)), curves flattened."""
    contours: list[list[tuple[float, float]]] = []
    cur = [(float(x0), float(y0))]
    cx, cy = float(x0), float(y0)
    sx, sy = cx, cy
    steps = [(i / CURVE_STEPS) for i in range(1, CURVE_STEPS + 1)]
    for cmd, args in _CMD.findall(data):
        v = [int(n) for n in _NUM.findall(args)]
        if cmd == "z":
            if len(cur) > 2:
                contours.append(cur)
            cx, cy = sx, sy
            cur = [(cx, cy)]
        elif cmd == "m":
            cx, cy = cx + v[0], cy + v[1]
            sx, sy = cx, cy
            cur = [(cx, cy)]
        elif cmd == "h":
            for d in v:
                cx += d
                cur.append((cx, cy))
        elif cmd == "v":
            for d in v:
                cy += d
                cur.append((cx, cy))
        elif cmd == "l":
            for i in range(0, len(v), 2):
                cx, cy = cx + v[i], cy + v[i + 1]
                cur.append((cx, cy))
        elif cmd == "q":
            for i in range(0, len(v), 4):
                ax, ay, bx, by = cx + v[i], cy + v[i + 1], cx + v[i + 2], cy + v[i + 3]
                for t in steps:
                    u = 1 - t
                    cur.append((u * u * cx + 2 * u * t * ax + t * t * bx, u * u * cy + 2 * u * t * ay + t * t * by))
                cx, cy = bx, by
        elif cmd == "c":
            for i in range(0, len(v), 6):
                ax, ay = cx + v[i], cy + v[i + 1]
                bx, by = cx + v[i + 2], cy + v[i + 3]
                ex, ey = cx + v[i + 4], cy + v[i + 5]
                for t in steps:
                    u = 1 - t
                    cur.append((u ** 3 * cx + 3 * u * u * t * ax + 3 * u * t * t * bx + t ** 3 * ex,
                                u ** 3 * cy + 3 * u * u * t * ay + 3 * u * t * t * by + t ** 3 * ey))
                cx, cy = ex, ey
    if len(cur) > 2:
        contours.append(cur)
    return contours


def _edges_of(contours: list[list[tuple[float, float]]]) -> np.ndarray:
    """(n, 4) edges x0 y0 x1 y1 of closed contours."""
    parts = []
    for c in contours:
        p = np.asarray(c, dtype=float)
        parts.append(np.hstack([p, np.roll(p, -1, axis=0)]))
    return np.vstack(parts) if parts else np.zeros((0, 4))


@lru_cache(maxsize=2048)
def glyph_edges(bold: bool, char: str) -> np.ndarray:
    """A character's outline as edges in font units from its origin (y down); empty for a space."""
    face = glyphs.faces()["bold" if bold else "regular"]
    shape = face.shape.get(char)
    if not shape:
        return np.zeros((0, 4))
    e = _edges_of(_contours(*shape))
    e.setflags(write=False)
    return e


PHASES = 4
"""A glyph is placed to a quarter of a pixel: its coverage is computed once per (character, size, phase)."""
GLYPH_SUBROWS = 16
"""Sub-scanlines of a glyph's coverage (computed once per process, so finer than :data:`SUBROWS`)."""


@lru_cache(maxsize=16384)
def glyph_levels(bold: bool, char: str, size: float, fx: int, fy: int) -> tuple[int, int, np.ndarray]:
    """(left, top, coverage steps 0…LEVELS) of a glyph ``size`` pixels to the em whose origin is at
    (``fx``, ``fy``) / :data:`PHASES` of a pixel from a pixel corner; left/top relative to that corner."""
    face = glyphs.faces()["bold" if bold else "regular"]
    e = glyph_edges(bold, char)
    if not len(e):
        return 0, 0, np.zeros((0, 0), dtype=np.uint8)
    margin = int(math.ceil(size * 2)) + 2
    out = e * (size / face.units)
    out[:, 0::2] += margin + fx / PHASES
    out[:, 1::2] += margin + fy / PHASES
    r0, c0, cov = coverage(out, 2 * margin + int(size * 3), 2 * margin + int(size * 2), GLYPH_SUBROWS)
    lv = np.rint(cov * LEVELS).astype(np.uint8)
    lv.setflags(write=False)
    return c0 - margin, r0 - margin, lv


def _sum(placed: list[tuple[int, int, np.ndarray]]) -> tuple[int, int, np.ndarray]:
    """(left, top, steps) of coverage steps placed at (left, top) each, added and clipped to LEVELS."""
    if not placed:
        return 0, 0, np.zeros((0, 0), dtype=np.uint8)
    x0 = min(p[0] for p in placed)
    y0 = min(p[1] for p in placed)
    x1 = max(p[0] + p[2].shape[1] for p in placed)
    y1 = max(p[1] + p[2].shape[0] for p in placed)
    out = np.zeros((y1 - y0, x1 - x0), dtype=np.uint8)
    for px, py, lv in placed:
        h, w = lv.shape
        out[py - y0:py - y0 + h, px - x0:px - x0 + w] += lv
    np.minimum(out, LEVELS, out=out)
    return x0, y0, out


def _phase(v: float) -> tuple[int, int]:
    """(whole pixel, quarter) of a position rounded to a :data:`PHASES`-th of a pixel."""
    i = math.floor(v)
    f = round((v - i) * PHASES)
    return i + f // PHASES, f % PHASES


@lru_cache(maxsize=8192)
def word_levels(bold: bool, word: str, size: float, fx: int, fy: int) -> tuple[int, int, np.ndarray]:
    """(left, top, coverage steps) of a run of characters whose origin is at (fx, fy) / :data:`PHASES` of a
    pixel from a pixel corner: each glyph's cached coverage (:func:`glyph_levels`) at its pen position
    (advances and pair kerning), summed and clipped.  Cached: a card's words recur on every card."""
    face = glyphs.faces()["bold" if bold else "regular"]
    adv, kern, s = face.advance, face.kern, size / face.units
    placed, pen, prev = [], 0, ""
    for c in word:
        if prev:
            pen += kern.get(prev + c, 0)
        ix, gx = _phase(fx / PHASES + pen * s)
        left, top, lv = glyph_levels(bold, c, size, gx, fy)
        if lv.size:
            placed.append((ix + left, top, lv))
        pen += adv[c]
        prev = c
    x0, y0, out = _sum(placed)
    out.setflags(write=False)
    return x0, y0, out


@lru_cache(maxsize=4096)
def text_levels(x: float, y: float, text: str, size: float, weight=400) -> tuple[int, int, np.ndarray]:
    """(left, top, coverage steps 0…LEVELS) of ``text`` with its origin at (x, y) pixels, laid out like
    :meth:`versus.charts.glyphs.Face.path_data` (advances and pair kerning, spaces included), word by word
    (:func:`word_levels`).

    Cached (read-only steps): four texts in ten recur on the cards at the same place, the footer of pairs that
    share a start, the year labels of a shared period, the value labels (issue 17: ~40% of a card's texts)."""
    bold = glyphs.is_bold(weight)
    face = glyphs.face(weight)
    if not face.covers(text):
        raise NotCovered(text)
    adv, kern, s = face.advance, face.kern, size / face.units
    iy, fy = _phase(y)
    placed, pen = [], 0
    words = text.split(" ")
    for n, word in enumerate(words):
        if n:  # the space before the word, kerned on both sides (after a space if the word before was empty)
            before = words[n - 1][-1:] or (" " if n > 1 else "")
            pen += kern.get(before + " ", 0) + adv[" "] + kern.get(" " + word[:1], 0)
        if word:
            ix, fx = _phase(x + pen * s)
            left, top, lv = word_levels(bold, word, size, fx, fy)
            if lv.size:
                placed.append((ix + left, iy + top, lv))
            pen += face.units_width(word)
    if len(placed) == 1:
        return placed[0]
    left, top, lv = _sum(placed)
    lv.setflags(write=False)
    return left, top, lv

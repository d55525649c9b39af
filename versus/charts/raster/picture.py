"""The picture: layers painted over a palette image, written as a palette PNG."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .base import COMPRESS, LEVELS, STRATEGY, TooManyColours, _hex
from .coverage import coverage_cells
from .pngfile import palette_png
from .text import _sum, text_levels


@lru_cache(maxsize=4096)
def _blend(base: tuple[int, int, int], rgb: tuple[int, int, int], a: int) -> tuple[int, int, int]:
    """``rgb`` over ``base`` at coverage a / LEVELS, rounded to whole 8-bit values."""
    return tuple(int(round(b + (f - b) * a / LEVELS)) for b, f in zip(base, rgb))


SMALL_LAYER = 64
"""A layer of at most this many edges (the axis line and its ticks) has its coverage cached (:func:`_small_cells`)."""


@lru_cache(maxsize=512)
def _small_cells(edges: bytes, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`.coverage_cells` of a small layer given as the bytes of its float64 edges (read-only arrays).

    Issue 17: the axis layer (the time axis and its ticks) is the same on every card of the same period (in
    the synthetic 300-pair build 305 axis layers are 33 different ones; 165 are 40 on the default site), and
    its coverage cost ~0.3 ms a card, mostly numpy's fixed cost per call."""
    pos, cov = coverage_cells(np.frombuffer(edges, dtype=np.float64).reshape(-1, 4), width, height)
    pos.setflags(write=False)
    cov.setflags(write=False)
    return pos, cov


class Raster:
    """A ``width``×``height`` picture on a background colour, painted in layers, written as a palette PNG.

    Shapes are given in the caller's units, multiplied by ``scale`` (the card is laid out at 1200×630
    and drawn at half that).  :meth:`fill` adds edges of one colour; consecutive fills of one colour
    are one layer.
    """

    def __init__(self, width: int, height: int, background: str = "#ffffff", scale: float = 1.0):
        self.width, self.height, self.scale = width, height, scale
        self.palette: list[tuple[int, int, int]] = [_hex(background)]
        self._known = {self.palette[0]: 0}
        self.index = np.zeros((height, width), dtype=np.uint8)
        self._color: str | None = None
        self._pending: list[np.ndarray] = []
        self._texts: list[tuple[int, int, np.ndarray]] = []

    def fill(self, edges: np.ndarray, color: str) -> None:
        if color != self._color or self._texts:
            self.flush()
            self._color = color
        if len(edges):
            self._pending.append(edges * self.scale)

    def flush(self) -> None:
        if self._pending and self._color is not None:
            self._paint(np.vstack(self._pending), _hex(self._color))
        if self._texts and self._color is not None:
            self._paint_texts(_hex(self._color))
        self._pending = []

    def text(self, x: float, y: float, text: str, size: float, color: str, weight=400) -> None:
        """``text`` with its origin at (x, y) (caller's units), from cached glyph coverages.

        Texts of one colour drawn one after the other are painted together, a region per cluster of
        texts that overlap in rows (texts do not overlap each other).
        """
        if color != self._color or self._pending:
            self.flush()
            self._color = color
        s = self.scale
        self._texts.append(text_levels(x * s, y * s, text, size * s, weight))

    def _paint_texts(self, rgb: tuple[int, int, int]) -> None:
        texts = sorted((t for t in self._texts if t[2].size), key=lambda t: (t[1], t[0]))
        self._texts = []
        groups: list[list] = []
        for t in texts:
            if groups and t[1] <= groups[-1][1]:
                groups[-1][0].append(t)
                groups[-1][1] = max(groups[-1][1], t[1] + t[2].shape[0])
            else:
                groups.append([[t], t[1] + t[2].shape[0]])
        for members, _ in groups:  # texts do not overlap: summing is painting each
            left, top, lv = members[0] if len(members) == 1 else _sum(members)
            self._levels(top, left, lv, rgb)

    def _paint(self, edges: np.ndarray, rgb: tuple[int, int, int]) -> None:
        if len(edges) <= SMALL_LAYER:
            pos, cov = _small_cells(np.ascontiguousarray(edges, dtype=np.float64).tobytes(), self.width, self.height)
        else:
            pos, cov = coverage_cells(edges, self.width, self.height)
        lv = np.rint(cov * LEVELS).astype(np.int32)
        some = lv > 0
        pos, lv = pos[some], lv[some]
        if not len(pos):
            return
        flat = self.index.reshape(-1)
        key = flat[pos].astype(np.int32) * (LEVELS + 1) + lv
        flat[pos] = self._lut(key, rgb)[key]

    def _levels(self, r0: int, c0: int, lv: np.ndarray, rgb: tuple[int, int, int]) -> None:
        """Paints ``rgb`` over the pixels from (r0, c0) with coverage steps ``lv`` (clipped to the picture)."""
        if not lv.size:
            return
        h, w = lv.shape
        if r0 < 0 or c0 < 0 or r0 + h > self.height or c0 + w > self.width:
            lv = lv[max(0, -r0):max(0, self.height - r0), max(0, -c0):max(0, self.width - c0)]
            r0, c0 = max(r0, 0), max(c0, 0)
            if not lv.size:
                return
            h, w = lv.shape
        region = self.index[r0:r0 + h, c0:c0 + w]
        key = region.astype(np.int32) * (LEVELS + 1) + lv
        region[...] = self._lut(key, rgb)[key]

    def _lut(self, key: np.ndarray, rgb: tuple[int, int, int]) -> np.ndarray:
        """Palette index of every key (old index × (LEVELS + 1) + coverage step) present in ``key``: ``rgb``
        blended over the old colour, a new palette entry the first time a blend is seen."""
        steps = LEVELS + 1
        present = np.flatnonzero(np.bincount(key.ravel()))
        lut = np.zeros(int(present[-1]) + 1, dtype=np.uint8)
        known = self._known
        for u in present.tolist():
            o, a = divmod(u, steps)
            if not a:
                lut[u] = o
                continue
            c = _blend(self.palette[o], rgb, a)
            if c not in known:
                if len(self.palette) == 256:
                    raise TooManyColours("more than 256 colours: more than a palette PNG holds")
                known[c] = len(self.palette)
                self.palette.append(c)
            lut[u] = known[c]
        return lut

    def png(self, compress_level: int = COMPRESS, strategy: int = STRATEGY) -> bytes:
        """The picture as a palette PNG (the palette in order of first use), the bytes Pillow writes
        (:func:`.pngfile.palette_png`)."""
        self.flush()
        return palette_png(self.index, self.palette, compress_level, strategy)

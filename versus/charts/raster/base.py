"""The raster's settings and errors."""
from __future__ import annotations

import zlib

SUBROWS = 4
"""Sub-scanlines per pixel row (vertical supersampling; horizontal coverage is exact)."""
LEVELS = 4
"""Coverage steps of a layer's anti-aliasing (plus none): 4 → 0, ¼, ½, ¾, 1."""
CURVE_STEPS = 6
"""Straight segments per Bézier curve of a glyph outline (a glyph is rasterized once per process)."""
COMPRESS = 4
"""zlib level of the PNG (with :data:`STRATEGY` it hardly matters: run-length matches only)."""
STRATEGY = zlib.Z_RLE
"""zlib strategy of the PNG: run-length matches only (``Z_RLE``).  Issue 17, measured over the cards of the
default site and of the synthetic 300-pair build: ~0.65 ms a card and ~8.4 KB (8,359 B on average; 8,513 B
synthetic) instead of ~1.55 ms and ~7.8 KB (7,755 B; 7,765 B) with the default strategy at level 4 (the same
pixels; about +0.7% bytes a pair).  A card is white rows and runs of a few colours: the matches that pay are
runs."""
JOIN_SIDES = 8
"""Sides of the polygon that rounds a stroke's joins."""


class CannotDraw(ValueError):
    """The raster cannot draw this picture: the caller draws it another way (SVG and resvg)."""


class NotCovered(CannotDraw):
    """A text has a character without an outline."""


class TooManyColours(CannotDraw):
    """The blends need more than the 256 colours of a palette PNG."""


def _hex(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)

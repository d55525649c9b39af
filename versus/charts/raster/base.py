"""The raster's settings and errors."""
from __future__ import annotations

SUBROWS = 4
"""Sub-scanlines per pixel row (vertical supersampling; horizontal coverage is exact)."""
LEVELS = 4
"""Coverage steps of a layer's anti-aliasing (plus none): 4 → 0, ¼, ½, ¾, 1."""
CURVE_STEPS = 6
"""Straight segments per Bézier curve of a glyph outline (a glyph is rasterized once per process)."""
COMPRESS = 4
"""zlib level of the PNG: ~7.9 KB a card in ~1.3 ms; level 1 ~9.8 KB, level 6 ~7.7 KB in twice the time."""
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

"""What every part of the renderer shares: its version, the error for specs it does not draw, the padding."""
from __future__ import annotations

VERSION = "svgplot-3"
"""Part of the render cache key: bump when the drawing changes."""
MINUS = "\u2212"
PAD = 5


class Unsupported(ValueError):
    """The spec uses something this renderer does not draw (use vl-convert)."""

"""Text widths estimated from Helvetica/Arial advance widths (no font is loaded), and truncation."""
from __future__ import annotations

from functools import lru_cache

_W = {}
for _chars, _w in (("il.,:;'|!", 278), ("I[]()/\\ft", 300), ("r-", 333), ("\"*^", 400), ("J", 500),
                   ("ckszvxy", 500), ("abdeghnopqu0123456789$#_?L", 556), ("TFZ+<>=~", 600),
                   ("ABEKPSVXY&", 667), ("CDHNRUw", 722), ("GOQ", 778), ("mM", 833), ("%", 889),
                   ("W", 944), (" ", 278), ("\u2212", 584), ("\u2013", 556), ("\u2026", 1000), ("\u00b7", 278)):
    for _c in _chars:
        _W[_c] = _w


@lru_cache(maxsize=1 << 14)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated advance width of ``text`` in pixels (sans-serif, Arial metrics); cached (labels recur)."""
    w = sum(_W.get(c, 600) for c in text) * size / 1000
    return w * 1.06 if bold else w


def truncate(text: str, size: float, limit: float) -> str:
    """``text`` cut with an ellipsis to fit ``limit`` pixels (like Vega's labelLimit)."""
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "\u2026", size) > limit:
        text = text[:-1]
    return text.rstrip() + "\u2026"

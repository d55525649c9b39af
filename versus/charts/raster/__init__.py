"""A small anti-aliased rasterizer for the social cards: filled outlines and stroked lines into a palette PNG.

The card used to be drawn as SVG, rasterized by resvg (``vl_convert.svg_to_png``, ~14 ms a
card) and reduced to 32 colours by Pillow's quantizer (~7 ms): with ~20 ms a pair to spend in
all (issue 17) that was the largest single cost of a pair page.  Its picture is simple —
glyph outlines (:mod:`.glyphs`), straight lines and two to five polylines in a handful of
flat colours on white — so it is drawn here with numpy, to the same look, in under a third
of the time (~5–6 ms on the shared 2-core machine, median of 100 cards):

* **coverage.**  A shape is a list of edges (glyph contours, quadratics flattened into
  :data:`CURVE_STEPS` segments; a stroke is one quad per segment, butt ends, rounded joins
  where the line turns).  Each pixel row is sampled on :data:`SUBROWS` sub-scanlines; an
  edge crossing one at ``x`` adds its winding (±1) to the cell of ``x``, split with the next
  cell by the fraction of ``x``, so a running sum along the row is the exact horizontal
  coverage of each pixel (the accumulation rasterizer of font-rs / stb_truetype, with
  vertical supersampling).  Non-zero winding, clipped to 1: glyph holes stay open.
  :func:`coverage_cells` sums a row only between its first and last block of crossings (a
  growth line touches about a tenth of its bounding box).
* **text.**  A glyph's coverage is computed once per process for each size and quarter-pixel
  position (:func:`glyph_levels`, finer sampling), and a word's once per position
  (:func:`word_levels`): the words of the cards recur ("vs", "year:", fund names, the
  footer), so a card's texts cost a few slice additions; a whole text's coverage is cached by
  place too (:func:`text_levels`: footers, year and value labels recur from card to card).
* **colour.**  Shapes are painted in order, one colour at a time.  Coverage is quantized to
  :data:`LEVELS` steps and each pixel becomes the blend of the colour over what was there,
  a palette entry made the first time that blend is seen: the picture is built as a palette
  image directly, its palette exactly the colours it shows (no RGB buffer, no quantizer).
  Five coverage steps (0, ¼, ½, ¾, 1) look like resvg's 256 at this size (mean absolute
  difference ~1.2 of 255) and compress better.
* **file.**  The palette PNG is written with zlib (:mod:`.pngfile`, the bytes Pillow would write), run-length
  matches only (:data:`STRATEGY`): ~0.65 ms instead of ~1.55 ms, ~8.4 KB instead of ~7.8 KB, the same pixels.

Everything is float64 numpy arithmetic in a fixed order and zlib at a fixed level, and the
caches hold only what their keys determine: the same card gives the same bytes in every
process, whatever was drawn before.
"""
from __future__ import annotations

from .base import (COMPRESS, CURVE_STEPS, JOIN_SIDES, LEVELS, STRATEGY, SUBROWS, CannotDraw, NotCovered,
                   TooManyColours)
from .coverage import BLOCK, coverage, coverage_cells
from .picture import Raster
from .strokes import stroke_edges
from .text import GLYPH_SUBROWS, PHASES, glyph_edges, glyph_levels, text_levels, word_levels

__all__ = ["BLOCK", "COMPRESS", "CURVE_STEPS", "GLYPH_SUBROWS", "JOIN_SIDES", "LEVELS", "PHASES", "STRATEGY",
           "SUBROWS",
           "CannotDraw", "NotCovered", "Raster", "TooManyColours", "coverage", "coverage_cells", "glyph_edges",
           "glyph_levels", "stroke_edges", "text_levels", "word_levels"]

"""The charts stage: Vega-Lite specs with one theme (:mod:`.specs`: shared templates written once per build,
filled per chart by a page's small recipe), the compact page data they draw
(:mod:`.data`), the static SVG fallbacks drawn by hand (:mod:`.svgplot`), cached renders through
vl-convert (:mod:`.cache`) and the social cards (:mod:`.cards`, :mod:`.glyphs`)."""
from __future__ import annotations

from .data import DAILY_DAYS, ROUND, DatePlan, PageData, plan, resample, round_values
from .specs import (DARK, DASHES, FONT, HEIGHT, PALETTE, PALETTE_DARK, RELATIVE_COLORS, SVG_WIDTH, TEMPLATES, THEME,
                    Recipe, bar_height, dataset_of, fill, instantiate, shared_specs, standalone, year_labels)
from .recipes import compact_recipes, expand_recipes

__all__ = ["DAILY_DAYS", "ROUND", "DatePlan", "PageData", "plan", "resample", "round_values", "DARK", "DASHES",
           "FONT", "HEIGHT", "PALETTE", "PALETTE_DARK", "RELATIVE_COLORS", "SVG_WIDTH", "TEMPLATES", "THEME",
           "Recipe", "bar_height", "compact_recipes", "dataset_of", "expand_recipes", "fill", "instantiate", "shared_specs",
           "standalone", "year_labels"]

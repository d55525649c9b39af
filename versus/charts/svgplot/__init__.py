"""A small hand-written SVG renderer for the static chart fallbacks (no JavaScript needed to see them).

It reads the same standalone Vega-Lite specs vl-convert gets (:func:`versus.charts.specs.standalone`)
and draws the two families the site uses, one module each: folded multi-series lines over dates
(:mod:`.lines`: growth, linear or log, drawdown, relative strength with its average, rolling
correlation and volatility, price) and grouped bars over categories (:mod:`.bars`: calendar years,
months, sectors, dividends), with the spec's colours, dash patterns, reference rules, notes, legend,
axis titles and formats (:mod:`.numbers`, a subset of d3-format).  :mod:`.spec` reads the spec,
:mod:`.ticks` places ticks, :mod:`.canvas` writes the SVG, :mod:`.paths` the lines' path data (all of a
page's lines at once: :func:`render_all`), :mod:`.text` estimates text widths from Helvetica/Arial advance
widths (no font is loaded, so the layout is close to, not identical with, what a browser measures).  Anything else raises :class:`Unsupported`, and the caller falls back to
vl-convert.  Output is deterministic: the same spec gives the same bytes.
"""
from __future__ import annotations

from .bars import render_bars
from .base import MINUS, PAD, VERSION, Unsupported
from .canvas import Canvas, _column, _ordinal, _value, attr, dash_attr, num
from .lines import Draft, draft_lines, render_lines
from .numbers import format_number
from .paths import polyline, polylines
from .spec import Model
from .text import text_width, truncate
from .ticks import linear_ticks, log_ticks, nice, thin_labels, tick_step, time_ticks


def _model(spec: dict, columns: dict | None) -> Model:
    """The spec read (:class:`Model`); :class:`Unsupported` if it is not one this module draws."""
    try:
        m = Model(spec, columns)
        if columns is not None and m.kind != "line":
            raise Unsupported("columns are for line charts")
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise Unsupported(f"unexpected spec shape ({exc!r})") from None
    return m


def render(spec: dict, columns: dict | None = None) -> str:
    """The SVG of a standalone chart spec; :class:`Unsupported` if it is not one this module draws.

    ``columns`` (line charts only): the data as arrays instead of the spec's inline rows,
    ``{"d": day ordinals, <series>: floats with NaN for missing}`` (see
    :meth:`versus.charts.data.PageData.columns`); the drawing is the same as from the rows.
    """
    m = _model(spec, columns)
    return render_lines(m) if m.kind == "line" else render_bars(m)


def render_all(charts: list[tuple[dict, dict | None]]) -> list[str | None]:
    """``[render(spec, columns) for spec, columns in charts]``, the same SVGs, None for a chart
    :func:`render` finds :class:`Unsupported`; the line charts' lines all traced in one
    :func:`polylines` pass (issue 17: a pair page's seven lines cost about what two cost one by one)."""
    out: list = []
    for spec, columns in charts:
        try:
            m = _model(spec, columns)
            out.append(draft_lines(m) if m.kind == "line" else render_bars(m))
        except Unsupported:
            out.append(None)
    drafts = [d for d in out if isinstance(d, Draft)]
    traced = iter(polylines([line for d in drafts for line in d.lines]))
    return [d.finish([next(traced) for _ in d.lines]) if isinstance(d, Draft) else d for d in out]


__all__ = ["MINUS", "PAD", "VERSION", "Unsupported", "Canvas", "attr", "dash_attr", "num", "polyline",
           "format_number", "Model", "text_width", "truncate", "linear_ticks", "log_ticks", "nice", "thin_labels",
           "tick_step", "time_ticks", "render", "render_all", "polylines", "render_lines", "render_bars", "_column",
           "_ordinal", "_value"]

"""The period selector's part of a time-series spec: a parameter, a filter and, for growth and relative
strength, a rebase at the period's first day.

The page's controls (static/period.js) set the Vega signal ``period_years`` (1, 3, 5 or 10; null for the
whole history) on every drawn chart: the chart redraws from the data it already holds, no re-fetch, no
re-embed.  The period's first day is found in the data, as the return table's windows are
(:func:`versus.metrics.windows.window_anchor`): the anchor is the same calendar date N years before the
chart's last date (29 February falls back to 28 February), and the period starts at the last date drawn on
or before it.  The transforms only read the dataset's rows ``{"d": date, <series>: value}``, so they work
the same whether the rows are inline or loaded by URL.

Conventions (also on the methodology page, :mod:`versus.pages.methodology`):

- growth: each fund's value is rebased to $10,000 at the period's first day: the chart's last value is then
  $10,000 times one plus the fund's return over the period (exactly the table's 1-year return for 1y, whose
  rows are daily; for longer periods the rows before the last year are weekly, so the first day is the last
  week-end on or before the anchor, up to a week before the table's window start);
- relative strength: the ratio and its 200-day average are both divided by the ratio's first value in the
  period, so the ratio starts at 1 and keeps its place above or below its average;
- drawdown: *not* rebased: each point stays the fall from the highest close since the chart's first day
  (the site's convention), only the dates shown change;
- rolling return, correlation, volatility and price: only the dates shown change.
With the whole history (``period_start`` null) every value is the one on file, unchanged.
"""
from __future__ import annotations

import copy
import json

import pandas as pd

from .. import fmt
from ..metrics.windows import HORIZON_MONTHS, window_anchor

PARAM = "period_years"
"""The Vega signal the controls set: the period in years, or null for the whole history."""
PERIODS = ("1y", "3y", "5y", "10y", "max")
"""The choices offered, in order (static/period.js reads them from the page's buttons)."""
LABELS = {"1y": "1 year", "3y": "3 years", "5y": "5 years", "10y": "10 years", "max": "all the data"}
DEFAULT = "max"
"""The period shown on load and in the static SVGs: the whole common history, the span the chart's finding
in words, its data table and the no-JavaScript SVG describe."""
REBASE = {"growth": 10000.0}
"""Datasets rebased per series to this value at the period's first day."""
RATIO_DATASETS = ("relative",)
"""Datasets (by name prefix) rebased by their first series (the ratio), so its average keeps its place."""
TIME_SERIES = ("growth", "drawdown", "relative", "correlation", "volatility", "rolling_return", "price")
"""Datasets (by name prefix) that follow the selector."""
_RAW = "_raw"
METHOD = """The time-series charts of pair, group and fund pages (growth, price, drawdown, rolling one-year return,
relative strength, rolling correlation and volatility) open on all the data, since the first day the funds
share: the span their finding in words, their data table and their static image (without JavaScript)
describe.  The period buttons above them (1y, 3y, 5y, 10y, Max; kept in the page address, as ?period=5y)
redraw every one of them over a shorter period, from the data already on the page.

- **Where a period starts.**  As for the return tables: the same calendar date N years before the chart's
  last date (29 February falls back to 28 February), and the period starts at the last date drawn on or
  before it.  The last year is drawn day by day, so a 1-year period starts on the return table's own start
  day; earlier years are drawn one point per week (each week's last trading day), so a longer period starts
  on the last week-end on or before that date, up to a week before the table's start.
- **Growth of $10,000** is rebased: each fund starts at $10,000 on the period's first day, so its last value
  is $10,000 times one plus its return over the period.
- **Relative strength** is rebased too: the ratio and its 200-day average are both divided by the ratio on
  the period's first day, so the ratio starts at 1 and stays above or below its average as before.  A ring
  marks each line's last value: where the ratio stands against its average now.
- **Drawdown is not rebased**: every point stays the fall from the highest close since the start of the
  data, whatever the period shown (a 1-year view can open below a high set years earlier).  The chart's
  caption says so.
- Price, rolling return, correlation and volatility only show fewer dates.
- A period longer than the data is not offered: its button is disabled and says when the data start.
- **Without JavaScript**, growth, relative strength and correlation are static images of all the data.  The
  charts that show each fund on its own (drawdown, rolling one-year return, volatility, calendar years,
  sectors) show instead each fund's own chart from its fund page, over the fund's whole history (a line above
  them says so); the interactive chart, the finding in words and the data table cover the funds' common days.
"""
"""What the methodology page says about the period selector (rendered as Markdown)."""


def _data_layers(node: dict, own: dict):
    """The layers drawing a page dataset through a fold (not the one-row reference rules and notes)."""
    name = node.get("data", {}).get("name")
    if name and name not in own and any("fold" in t for t in node.get("transform", [])):
        yield node, name
    for child in node.get("layer", []):
        yield from _data_layers(child, own)


def _kind(name: str) -> str | None:
    return next((k for k in TIME_SERIES if name == k or name.startswith(k + "-")), None)


def _rebase(transforms: list[dict], fold_at: int, names: list[str], to: float | None) -> list[dict]:
    """The fold writes ``_raw``; ``value`` is then ``_raw`` divided by the base (the series' own first value
    in the period, or, with ``to=None``, the first series' one) times ``to``.  A new field, not ``value`` in
    place: Vega re-runs a formula on modified rows, which would divide twice."""
    fold = dict(transforms[fold_at], **{"as": [transforms[fold_at].get("as", ["key", "value"])[0], _RAW]})
    series = fold["as"][0]
    first = [{"filter": f"isValid(datum.{_RAW})"},
             {"window": [{"op": "first_value", "field": _RAW, "as": "_first"}], "groupby": [series],
              "sort": [{"field": "d", "order": "ascending"}], "frame": [None, None]}]
    if to is None:  # every series divided by the first series' first value
        first += [{"calculate": f"datum[{json.dumps(series)}] === {json.dumps(names[0])} ? datum._first : null", "as": "_own"},
                  {"joinaggregate": [{"op": "max", "field": "_own", "as": "_base"}]}]
        scale, base = "1", "datum._base"
    else:
        scale, base = repr(to), "datum._first"
    calc = {"calculate": f"{PARAM} == null ? datum.{_RAW} : datum.{_RAW} / {base} * {scale}", "as": "value"}
    return [*transforms[:fold_at], fold, *first, calc, *transforms[fold_at + 1:]]


def _window() -> list[dict]:
    """Keep the rows from the period's first day (all rows with ``period_years`` null)."""
    y, m, d = "year(datum._last) - " + PARAM, "month(datum._last)", "date(datum._last)"
    anchor = f"min(time(datetime({y}, {m}, {d})), time(datetime({y}, {m} + 1, 0)))"  # 29 Feb -> 28 Feb
    return [
        {"joinaggregate": [{"op": "max", "field": "d", "as": "_last"}]},
        {"calculate": f"{PARAM} == null ? null : {anchor}", "as": "_anchor"},
        {"calculate": "datum._anchor != null && time(datum.d) <= datum._anchor ? time(datum.d) : null", "as": "_le"},
        {"joinaggregate": [{"op": "max", "field": "_le", "as": "_from"}]},
        {"filter": f"{PARAM} == null || time(datum.d) >= (datum._from != null ? datum._from : datum._anchor)"},
    ]


def with_period(spec: dict) -> dict:
    """``spec`` (a page's Vega-Lite spec) with the period parameter, filter and rebase, if it draws a time
    series (:data:`TIME_SERIES`); other specs are returned as they are.  ``spec`` is not modified."""
    own = spec.get("datasets", {})
    if not any(_kind(name) for _, name in _data_layers(spec, own)):
        return spec
    out = copy.deepcopy(spec)
    for layer, name in list(_data_layers(out, own)):  # listed first: a layer may become two
        kind = _kind(name)
        if kind is None:
            continue
        ts = layer.get("transform", [])
        at = next(i for i, t in enumerate(ts) if "fold" in t)
        if kind in REBASE or kind in RATIO_DATASETS:
            ts = _rebase(ts, at, list(ts[at]["fold"]), REBASE.get(kind))
        layer["transform"] = [*_window(), *ts]
        if kind in RATIO_DATASETS:
            _mark_now(layer)
    out["params"] = [*out.get("params", []), {"name": PARAM, "value": None}]
    return out


def _mark_now(layer: dict) -> None:
    """Turn the unit ``layer`` into a layer of itself and a dot at each line's last value (data and transforms
    shared, on the parent): where the ratio stands against its average *now* (the note in the corner) shows
    even when the chart spans decades."""
    unit = {k: v for k, v in layer.items() if k not in ("data", "transform")}
    enc = unit["encoding"]
    dots = {
        "transform": [{"window": [{"op": "rank", "as": "_rank"}], "groupby": [enc["color"]["field"]],
                       "sort": [{"field": "d", "order": "descending"}]},
                      {"filter": "datum._rank == 1"}],
        "mark": {"type": "point", "filled": False, "size": 60, "strokeWidth": 2, "opacity": 1},
        "encoding": {**{k: enc[k] for k in ("x", "y", "tooltip") if k in enc}, "stroke": enc["color"]},
    }
    for k in unit:
        del layer[k]
    layer["layer"] = [unit, dots]


def follows(name: str) -> bool:
    """Whether the dataset ``name`` is a time series the selector windows."""
    return _kind(name) is not None


def choices(first: str, last: str) -> dict:
    """The controls of a page whose time series run from ``first`` to ``last`` (ISO dates).

    ``choices``: per period its ``key`` ("5y"), ``short`` and ``label`` text, whether it is the ``default``,
    and ``unavailable``: None, or why not (the data start after the period's anchor, so it could only show
    the whole history: the button is disabled and says why); ``note``: the reason, in words, once.
    """
    first_ts, last_ts = pd.Timestamp(first), pd.Timestamp(last)
    month = first_ts.strftime("%B %Y")  # the first point drawn can be a week-end after the first close: no day
    out, short = [], []
    for key in PERIODS:
        missing = key != "max" and first_ts > window_anchor(last_ts, key)
        if missing:
            short.append(key)
        out.append({"key": key, "short": "Max" if key == "max" else key, "label": LABELS[key],
                    "default": key == DEFAULT,
                    "unavailable": f"the data start in {month}, less than {LABELS[key]} ago" if missing else None})
    note = None
    if short:
        note = f"{_join(short)}: not available, the data start in {month}"
    return {"choices": out, "note": note, "first": first, "last": last}


def _join(keys: list[str]) -> str:
    return keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " and " + keys[-1]


def since(first: str) -> str:
    """What a static (no-JavaScript) chart shows, for its caption."""
    return f"Shown: all the data, drawn from {fmt.date(first)}."  # its first point (a week-end before the last year)


def convention(name: str, first: str) -> str | None:
    """How the chart ``name`` reads in a shorter period (its caption; the methodology page says the same)."""
    kind = _kind(name)
    if kind in REBASE:
        return "In a shorter period, each fund starts at $10,000 on its first day."
    if kind in RATIO_DATASETS:
        return "In a shorter period, the ratio and its average are divided by the ratio on its first day (so it starts at 1)."
    if kind == "drawdown":
        return "Falls are always measured from the highest close since the start of the data, also in a shorter period."
    return None

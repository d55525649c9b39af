"""Chart specs (Altair -> Vega-Lite JSON) with one shared theme, and the page data they draw.

Each chart kind is authored once per series count with Altair, using placeholder
series names; a page only swaps in its names, description and size (no per-page
Altair objects or schema validation).  Specs name their data (``{"name": "growth"}``)
instead of carrying it: a page ships one compact, columnar :class:`PageData` that
``static/site.js`` turns into Vega datasets, so a date is sent once for every
series drawn against it.  Long series are resampled: daily over the last year,
weekly before it; values are rounded to what a 260-pixel chart can show.

Colours are the Okabe-Ito palette (colour-blind safe) from the theme, so dark mode
only swaps the config; series are also told apart by dash pattern and legend.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress

import altair as alt
import numpy as np
import pandas as pd

from .metrics import leading_nan_only

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
"""Okabe-Ito colours for light backgrounds."""
PALETTE_DARK = ["#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442"]
"""Okabe-Ito colours with at least 3:1 contrast on the dark background."""
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]]
RELATIVE_COLORS = ["#0072B2", "#6e7781"]
"""Ratio and its moving average: blue and a grey with 3:1 contrast on both backgrounds."""
DAILY_DAYS = 366
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
SVG_WIDTH = 640
"""Width of the static SVG fallbacks, in pixels (they scale down with the page)."""

THEME = {
    "background": None,
    "font": FONT,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#57606a", "titleColor": "#57606a",
             "gridColor": "#d0d7de", "domainColor": "#8c959f", "tickColor": "#8c959f", "titleFontWeight": 500},
    "legend": {"orient": "top", "labelFontSize": 12, "title": None, "symbolStrokeWidth": 3,
               "labelColor": "#1b1f24", "symbolSize": 160},
    "text": {"color": "#1b1f24", "fontSize": 12},
    "rule": {"color": "#57606a"},
    "line": {"strokeWidth": 2},
    "range": {"category": PALETTE},
}
"""Light theme (also used for the build-time SVGs and social cards)."""

DARK = {
    **THEME,
    "axis": {**THEME["axis"], "labelColor": "#9da7b3", "titleColor": "#9da7b3", "gridColor": "#30363d",
             "domainColor": "#6e7681", "tickColor": "#6e7681"},
    "legend": {**THEME["legend"], "labelColor": "#e6edf3"},
    "text": {**THEME["text"], "color": "#e6edf3"},
    "rule": {"color": "#9da7b3"},
    "range": {"category": PALETTE_DARK},
}
"""Dark theme, chosen in the browser by ``prefers-color-scheme`` (static/site.js)."""

ROUND = {"sig4": ("sig", 4), "pct": ("dec", 4), "frac3": ("dec", 3), "corr": ("dec", 3), "money": ("dec", 4)}


# --------------------------------------------------------------------------- data
_SATURDAY = pd.Timestamp("1970-01-03")
_EPOCH_ORDINAL = 719163
"""``date(1970, 1, 1).toordinal()``."""


class DatePlan:
    """Positions that resample a daily index (see :func:`resample`) and split it by calendar year.

    Pages draw several frames over the same dates (growth, drawdown, ratio, correlation, …);
    the plan is computed once per index (:func:`plan`) and applied to each frame's values.
    """

    def __init__(self, index: pd.DatetimeIndex):
        self.index = index
        n = len(index)
        cut = index[-1] - pd.Timedelta(days=DAILY_DAYS)
        self.n_old = n_old = int(np.searchsorted(index.values, cut.to_datetime64(), side="right"))
        week = np.asarray((index[:n_old] - _SATURDAY).days // 7)
        self.week_starts = np.flatnonzero(np.r_[True, week[1:] != week[:-1]]) if n_old else np.array([], int)
        week_ends = np.r_[self.week_starts[1:], n_old] - 1 if n_old else np.array([], int)
        self.take = np.r_[week_ends, np.arange(n_old, n)].astype(np.int64)  # weekly rows, then daily ones
        years = np.asarray(index.year)
        self.years = years
        self.year_starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]]) if n else np.array([], int)

    def matches(self, index: pd.Index) -> bool:
        return index is self.index or (len(index) == len(self.index) and index.equals(self.index))


_PLANS: list[DatePlan] = []


def plan(index: pd.DatetimeIndex) -> DatePlan:
    """The :class:`DatePlan` of ``index``, reused while the same dates come back (a few are kept)."""
    for p in _PLANS:
        if p.matches(index):
            return p
    p = DatePlan(index)
    _PLANS.insert(0, p)
    del _PLANS[4:]
    return p


def resample(frame: pd.DataFrame, how: str = "last") -> pd.DataFrame:
    """Daily rows for the last year, one row per week (Saturday to Friday) before it.

    ``how`` is 'last' for levels and 'min' for drawdowns (keeps each week's trough),
    NaN skipped per column; weeks with no value at all are left out.  Each week is
    labelled with its last trading day, so frames with the same daily index resample
    to the same dates whatever ``how`` is.
    """
    if frame.empty:
        return frame
    p = plan(frame.index)
    values = frame.to_numpy(dtype=float)
    n_old = p.n_old
    if how == "min":  # fmin skips NaN, and is NaN only for a week without any value: groupby().min()
        old = np.fmin.reduceat(values[:n_old], p.week_starts, axis=0) if n_old else values[:0]
        block = np.concatenate([old, values[n_old:]])
    elif leading_nan_only(values):  # a week's last row then holds the week's last value of every column
        block = values[p.take]
    else:
        return _resample_grouped(frame, how)
    index = frame.index[p.take]
    if n_old and np.isnan(block[: len(p.week_starts)]).any():
        weeks = len(p.week_starts)
        keep = np.r_[~np.isnan(block[:weeks]).all(axis=1), np.ones(len(block) - weeks, bool)]
        block, index = block[keep], index[keep]
    return pd.DataFrame(block, index=index, columns=frame.columns)


def _resample_grouped(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    """:func:`resample` by pandas groupby (any pattern of missing values)."""
    cut = frame.index[-1] - pd.Timedelta(days=DAILY_DAYS)
    old, recent = frame.loc[frame.index <= cut], frame.loc[frame.index > cut]
    if len(old):
        week = np.asarray((old.index - _SATURDAY).days // 7)
        ends = np.r_[np.flatnonzero(week[1:] != week[:-1]), len(week) - 1]
        weekly = getattr(old.groupby(week), how)()
        weekly.index = old.index[ends]
        old = weekly.dropna(how="all")
    return pd.concat([old, recent])


def round_values(values, kind: str) -> list:
    """Round for the page: 'sig4' keeps 4 significant digits, others fixed decimals.

    Integral results become ``int`` so JSON carries ``12340`` rather than ``12340.0``;
    NaN becomes None.  Scaling is by exact powers of ten, so values print short.
    """
    mode, digits = ROUND[kind]
    x = np.asarray(values, dtype=float)
    ok = np.isfinite(x)
    if mode == "sig":
        with np.errstate(divide="ignore", invalid="ignore"):
            mag = np.floor(np.log10(np.abs(np.where(ok & (x != 0), x, 1.0))))
        k = (mag - digits + 1).astype(int)
        up = np.power(10.0, np.maximum(k, 0))
        down = np.power(10.0, np.maximum(-k, 0))
        x = np.where(k >= 0, np.round(x / up) * up, np.round(x * down) / down)
    else:
        x = np.round(x, digits)
    out = x.tolist()
    integral = ok & (x == np.floor(x))
    small = integral & (np.abs(x) < 2.0 ** 53)  # exact in int64
    for i, v in zip(np.flatnonzero(small).tolist(), x[small].astype(np.int64).tolist()):
        out[i] = v
    for i in np.flatnonzero(integral & ~small).tolist():
        out[i] = int(out[i])
    for i in np.flatnonzero(~ok).tolist():
        out[i] = None
    return out


@dataclass
class PageData:
    """Everything the charts on one page draw, in one compact JSON object.

    ``dates`` is shared by every time series in ``series`` (``{dataset: {column:
    [values]}}``, aligned with ``dates``); ``tables`` holds small datasets as rows.
    site.js expands ``series`` into rows ``{"d": date, column: value}``.
    """

    dates: list[str] = field(default_factory=list)
    series: dict[str, dict[str, list]] = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    _index: pd.DatetimeIndex | None = None

    def add_series(self, name: str, frame: pd.DataFrame, kind: str) -> None:
        """Add a resampled frame; every series on a page shares the first one's dates."""
        if self._index is None:
            self._index = frame.index
            self.dates = np.datetime_as_string(np.asarray(frame.index.values, dtype="datetime64[D]"), unit="D").tolist()
        if not frame.index.equals(self._index):
            frame = frame.reindex(self._index)
        self.series[name] = {str(c): round_values(frame[c].to_numpy(dtype=float), kind) for c in frame.columns}

    def rows(self, name: str) -> list[dict]:
        """One dataset as Vega rows (what site.js builds in the browser; used for the SVGs)."""
        if name in self.tables:
            return self.tables[name]
        cols = self.series[name]
        names = list(cols)
        out = []
        for d, *vals in zip(self.dates, *cols.values()):
            row = {"d": d}
            row.update((c, v) for c, v in zip(names, vals) if v is not None)
            if len(row) > 1:
                out.append(row)
        return out

    def columns(self, name: str) -> dict[str, np.ndarray]:
        """A time-series dataset as arrays: ``"d"`` (day ordinals, ``date.toordinal``) and one float
        array per column (NaN where missing), only the dates with a value: the same points as
        :meth:`rows`, for :func:`versus.svgplot.render`."""
        cols = {c: np.array(v, dtype=float) for c, v in self.series[name].items()}
        days = (np.asarray(self._index.values, dtype="datetime64[D]").astype(np.int64) + _EPOCH_ORDINAL).astype(float)
        if cols:
            keep = ~np.isnan(np.vstack(list(cols.values()))).all(axis=0)
            if not keep.all():
                days, cols = days[keep], {c: v[keep] for c, v in cols.items()}
        return {"d": days, **cols}

    def row_tuples(self, name: str) -> tuple[list[str], list[tuple]]:
        """A time-series dataset as (columns, rows): the columns with at least one value, after
        ``"d"``; only dates with a value; a missing value is None (the CSV downloads)."""
        cols = self.series[name]
        arrays = {c: ~np.isnan(np.array(v, dtype=float)) for c, v in cols.items()}  # None -> NaN
        first = {c: int(np.argmax(ok)) for c, ok in arrays.items() if ok.any()}
        keep = sorted(first, key=first.get)  # stable: ties keep the series order
        has = np.logical_or.reduce([arrays[c] for c in keep]) if keep else np.zeros(len(self.dates), bool)
        rows = list(compress(zip(self.dates, *(cols[c] for c in keep)), has.tolist()))
        return ["d", *keep], rows

    def to_json(self) -> dict:
        """``{"d": {"start": first date, "steps": [days to the next date, …]}, "s": series, "t": tables}``.

        Dates are sent as steps in calendar days from the first one (1 for the next
        weekday, 3 over a weekend, 7 between weekly rows): a few bytes per row.
        """
        idx = pd.DatetimeIndex(self.dates)
        steps = [int(x) for x in (idx[1:] - idx[:-1]).days] if len(idx) else []
        return {"d": {"start": self.dates[0] if self.dates else None, "steps": steps}, "s": self.series, "t": self.tables}


# --------------------------------------------------------------------------- templates
_ONE_ROW = alt.InlineData(values=[{}])
"""Data of a mark drawn once (reference rules, notes), whatever the page's data."""

def _series_encoding(names: list[str], legend: bool = True, domain: list[str] | None = None,
                     colors: list[str] | None = None) -> dict:
    """Colour (the theme's palette, or ``colors``) and dash pattern per series, one merged legend.

    ``domain`` (default ``names``) fixes which palette entry and dash each series gets, so a
    fund keeps its colour and dash in every chart even when not all funds are drawn.
    """
    domain = domain or names
    leg = alt.Legend(title=None, values=names) if legend else None
    color_scale = alt.Scale(domain=domain, range=colors) if colors else alt.Scale(domain=domain)
    return {
        "color": alt.Color("series:N", scale=color_scale, legend=leg, sort=names),
        "strokeDash": alt.StrokeDash("series:N", scale=alt.Scale(domain=domain, range=DASHES[: len(domain)]),
                                    legend=leg, sort=names),
    }


def _ts_data(dataset: str) -> alt.NamedData:
    """A time-series dataset whose ISO dates are read as local dates (not UTC midnight, which
    would show as the previous day west of Greenwich)."""
    return alt.NamedData(name=dataset, format=alt.DataFormat(parse={"d": "date:'%Y-%m-%d'"}))


def _x_time() -> alt.X:
    return alt.X("d:T", title=None, axis=alt.Axis(labelOverlap=True, tickCount={"expr": "ceil(width / 90)"},
                                                 grid=False))


def _line(names: list[str], dataset: str, y_title: str, y_format: str, tip_format: str,
          log: bool = False, zero: bool = False, rule: float | None = None, domain: list[str] | None = None,
          colors: list[str] | None = None, money: bool = False) -> alt.Chart:
    """A folded multi-series line chart over the named dataset ``{"d": date, <name>: value}``."""
    scale = alt.Scale(type="log") if log else alt.Scale(zero=zero)
    # one SI prefix per axis would print "$0k": name zero plainly
    label_expr = "datum.value == 0 ? '$0' : datum.label" if money else None
    base = alt.Chart(_ts_data(dataset))
    lines = (
        base.transform_fold(names, as_=["series", "value"])
        .transform_filter("isValid(datum.value)")
        .mark_line()
        .encode(
            x=_x_time(),
            y=alt.Y("value:Q", title=y_title, scale=scale,
                    axis=alt.Axis(format=y_format, tickCount=6, **({"labelExpr": label_expr} if label_expr else {}))),
            tooltip=[alt.Tooltip("d:T", title="Date", format="%-d %b %Y"), alt.Tooltip("series:N", title="Series"),
                     alt.Tooltip("value:Q", title=y_title, format=tip_format)],
            **_series_encoding(names, legend=len(names) > 1, domain=domain, colors=colors),
        )
    )
    if rule is None:
        return lines
    ref = alt.Chart(_ONE_ROW).mark_rule(strokeDash=[2, 3], opacity=0.7, aria=False).encode(y=alt.datum(rule))
    return alt.layer(ref, lines)


def _relative(names: list[str], dataset: str) -> alt.Chart:
    """Ratio and its moving average (names[0], names[1]) with a regime note in the corner."""
    line = _line(names, dataset, "Relative strength (start = 1)", ".2f", ".3f", rule=1.0, colors=RELATIVE_COLORS)
    note = alt.Chart(_ONE_ROW).mark_text(align="left", baseline="top", fontWeight=600, aria=False).encode(
        x=alt.value(4), y=alt.value(4), text=alt.value("__NOTE__"))
    return alt.layer(line, note)


_TIP_FORMATS = {"~%": ".1%", ".1~%": ".2%"}
"""Tooltip formats for axis formats whose '~' (trim zeros) would otherwise leave d3's 6-digit default."""


def _bars(names: list[str], dataset: str, cat: str, value_title: str, fmt: str, horizontal: bool,
          cat_title: str | None = None) -> alt.Chart:
    """Grouped bars over wide rows ``{cat: label, <name>: value}``; the first row gets direct labels."""
    names_enc = _series_encoding(names, legend=len(names) > 1)
    color = names_enc["color"]
    val_axis = alt.Axis(format=fmt, tickCount={"expr": "ceil(width / 90)"} if horizontal else 6)
    cat_axis = alt.Axis(labelLimit=150, labelAngle=0, grid=False, ticks=False)
    offset_scale = alt.Scale(domain=names)
    if horizontal:
        enc = {"x": alt.X("value:Q", title=value_title, axis=val_axis),
               "y": alt.Y(f"{cat}:N", sort=None, title=cat_title, axis=cat_axis),
               "yOffset": alt.YOffset("series:N", sort=names, scale=offset_scale)}
    else:
        enc = {"y": alt.Y("value:Q", title=value_title, axis=val_axis),
               "x": alt.X(f"{cat}:N", sort=None, title=cat_title, axis=cat_axis),
               "xOffset": alt.XOffset("series:N", sort=names, scale=offset_scale)}
    bars = (
        alt.Chart(alt.NamedData(name=dataset))
        .transform_fold(names, as_=["series", "value"])
        .transform_filter("isValid(datum.value)")
        .mark_bar()
        .encode(**enc, color=color,
                tooltip=[alt.Tooltip(f"{cat}:N", title=cat_title or "Period"), alt.Tooltip("series:N", title="Series"),
                         alt.Tooltip("value:Q", title=value_title, format=_TIP_FORMATS.get(fmt, fmt.replace("~", "")))])
    )
    zero = alt.Chart(_ONE_ROW).mark_rule(opacity=0.6, aria=False).encode(
        **({"x": alt.datum(0)} if horizontal else {"y": alt.datum(0)}))
    layers = [zero, bars]
    if horizontal and len(names) > 1:
        # name each bar of the first row, so a bar's fund is never told by colour alone
        first = (
            alt.Chart(alt.NamedData(name=dataset))
            .transform_window(row="row_number()")
            .transform_filter("datum.row == 1")
            .transform_fold(names, as_=["series", "value"])
            .transform_filter("isValid(datum.value)")
            .transform_calculate(at="max(datum.value, 0)")
            .mark_text(align="left", dx=4, fontSize=10, baseline="middle", aria=False)
            .encode(x=alt.X("at:Q"), y=enc["y"], yOffset=enc["yOffset"], text="series:N")
        )
        layers.append(first)
    return alt.layer(*layers)


TEMPLATES = {
    "growth": lambda n: _line(n, "growth", "Value of $10,000", "$~s", "$,.0f", money=True),
    "growth_log": lambda n: _line(n, "growth", "Value of $10,000 (log scale)", "$~s", "$,.0f", log=True),
    "price": lambda n: _line(n, "price", "Price per share", "$~s", "$,.2f", money=True),
    "price_log": lambda n: _line(n, "price", "Price per share (log scale)", "$~s", "$,.2f", log=True),
    "drawdown": lambda n: _line(n, "drawdown", "Below previous high", "~%", ".1%", zero=True),
    "relative": lambda n: _relative(n, "relative"),
    # series are the other funds (each correlated with the first, n[0]), in their own colour and dash
    "correlation": lambda n: _line(n[1:], "correlation", f"Correlation with {n[0]}, 90 days", ".1f", ".2f",
                                   rule=0.0, domain=n),
    "volatility": lambda n: _line(n, "volatility", "Volatility, 90 days (annualized)", "~%", ".1%", zero=True),
    "years": lambda n: _bars(n, "years", "y", "Total return", "~%", horizontal=True),
    "months": lambda n: _bars(n, "months", "m", "Average monthly difference", ".1~%", horizontal=False),
    "sectors": lambda n: _bars(n, "sectors", "s", "Weight", "~%", horizontal=True),
    "dividends": lambda n: _bars(n, "dividends", "y", "Dividends per share", "$.2f", horizontal=False),
}
"""kind -> f(series names) -> Altair chart; the dataset each kind draws is named inside."""

HEIGHT = 260


@lru_cache(maxsize=None)
def _template(kind: str, n: int) -> str:
    """The spec of ``kind`` for ``n`` series, with placeholder names ``__S0__`` …, as JSON text."""
    chart = TEMPLATES[kind]([f"__S{i}__" for i in range(n)])
    spec = chart.properties(width="container", height=HEIGHT).to_dict(validate=False)
    spec.pop("$schema", None)
    spec.pop("config", None)  # the theme is added per colour scheme (site.js) or for the build (standalone)
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return json.dumps(spec)


def instantiate(kind: str, names: list[str], description: str, height: int | None = None,
                subs: dict[str, str] | None = None) -> dict:
    """A page's spec: the template with its series names, description and height filled in.

    The spec has no data and no config: site.js adds the page's datasets and the
    theme for the reader's colour scheme; :func:`standalone` adds them for the build.
    """
    text = _template(kind, len(names))
    for i, t in enumerate(names):
        text = text.replace(f"__S{i}__", json.dumps(t)[1:-1])
    for key, val in (subs or {}).items():
        text = text.replace(key, json.dumps(val)[1:-1])
    spec = json.loads(text)
    spec["description"] = description
    if height is not None:
        spec["height"] = height
    return spec


def dataset_of(spec: dict) -> str:
    """Name of the page dataset a spec draws (not its own one-row datasets)."""
    own = spec.get("datasets", {})

    def names(node: dict):
        if "name" in node.get("data", {}):
            yield node["data"]["name"]
        for layer in node.get("layer", []):
            yield from names(layer)

    return next(n for n in names(spec) if n not in own)


def standalone(spec: dict, data: PageData | None, theme: dict = THEME, width: int = SVG_WIDTH) -> dict:
    """The spec with its data inline, a fixed width and the theme: what vl-convert renders.

    ``data=None``: without the page's dataset (for :func:`versus.svgplot.render` given columns).
    """
    out = dict(spec)  # a shallow copy: only top-level keys change
    out["datasets"] = dict(spec.get("datasets", {}))
    if data is not None:
        name = dataset_of(spec)
        out["datasets"][name] = data.rows(name)
    out["width"] = width
    out["config"] = theme
    out["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json"
    return out


def bar_height(n_categories: int, n_series: int) -> int:
    """Height of horizontal grouped bars: 9 px per bar plus a gap per category."""
    return max(120, n_categories * (n_series * 9 + 6))


def year_labels(index, first_partial: bool, last_partial: bool) -> list[str]:
    """'2026 YTD' for the running year, '2000 (part)' for a first year that started mid-year."""
    years = [str(y) for y in index]
    if last_partial and years:
        years[-1] += " YTD"
    if first_partial and len(years) > 1:
        years[0] += " (part)"
    return years


def finite(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x)) and np.isfinite(x)

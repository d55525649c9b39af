"""Chart specs (Altair -> Vega-Lite JSON) with one shared theme: authored once per series count, filled per page."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import altair as alt

from . import identity
from .data import PageData

PALETTE = [light for _, light, _ in identity.COLORS]
"""Okabe-Ito colours for light backgrounds."""
PALETTE_DARK = [dark for _, _, dark in identity.COLORS]
"""Okabe-Ito colours with at least 3:1 contrast on the dark background."""
DASHES = identity.DASHES
RELATIVE_COLORS = ["#0072B2", "#6e7781"]
"""Ratio and its moving average: blue and a grey with 3:1 contrast on the light background."""
RELATIVE_COLORS_DARK = ["#56B4E9", "#8b949e"]
"""... and on the dark one (the light blue is too dark there): the theme's named range ``relative``."""
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
    "title": {"color": "#1b1f24", "fontSize": 12, "fontWeight": 600, "anchor": "start"},
    "rule": {"color": "#57606a"},
    "line": {"strokeWidth": 2},
    "range": {"category": PALETTE, "relative": RELATIVE_COLORS},
}
"""Light theme (also used for the build-time SVGs and social cards)."""
DARK = {
    **THEME,
    "axis": {**THEME["axis"], "labelColor": "#9da7b3", "titleColor": "#9da7b3", "gridColor": "#30363d",
             "domainColor": "#6e7681", "tickColor": "#6e7681"},
    "legend": {**THEME["legend"], "labelColor": "#e6edf3"},
    "text": {**THEME["text"], "color": "#e6edf3"},
    "title": {**THEME["title"], "color": "#e6edf3"},
    "rule": {"color": "#9da7b3"},
    "range": {"category": PALETTE_DARK, "relative": RELATIVE_COLORS_DARK},
}
"""Dark theme, chosen in the browser by ``prefers-color-scheme`` (static/site.js)."""
_ONE_ROW = alt.InlineData(values=[{}])
"""Data of a mark drawn once (reference rules, notes), whatever the page's data."""


def _series_encoding(names: list[str], legend: bool = True, colors: list[str] | str | None = None,
                     dashes: list | None = None) -> dict:
    """Colour and dash pattern per series, one merged legend (``colors``: a list, or the name of a range of
    the theme, so it follows the reader's colour scheme).

    Each series' colour and dash are explicit (the scale's ``range``): placeholders ``__C<i>__`` and
    ``__D<i>__`` of the template's series ``__S<i>__`` that :func:`instantiate` fills with the fund's own
    style (:mod:`versus.charts.identity`), so a fund looks the same in every chart, whichever funds share it.
    """
    leg = alt.Legend(title=None, values=names) if legend else None
    colors = colors or [n.replace("__S", "__C") for n in names]
    if isinstance(colors, str):  # a named range: Altair accepts only its own names, so a marker replaced in _template
        colors = [f"__RANGE_{colors}__"]
    dashes = dashes or [n.replace("__S", "__D") for n in names]
    return {
        "color": alt.Color("series:N", scale=alt.Scale(domain=names, range=colors), legend=leg, sort=names),
        "strokeDash": alt.StrokeDash("series:N", scale=alt.Scale(domain=names, range=dashes), legend=leg, sort=names),
    }


def _ts_data(dataset: str) -> alt.NamedData:
    """A time-series dataset whose ISO dates are read as local dates (not UTC midnight, which
    would show as the previous day west of Greenwich)."""
    return alt.NamedData(name=dataset, format=alt.DataFormat(parse={"d": "date:'%Y-%m-%d'"}))


def _x_time() -> alt.X:
    return alt.X("d:T", title=None, axis=alt.Axis(labelOverlap=True, tickCount={"expr": "ceil(width / 90)"},
                                                 grid=False))


def _line(names: list[str], dataset: str, y_title: str, y_format: str, tip_format: str,
          log: bool = False, zero: bool = False, rule: float | None = None, colors: list[str] | str | None = None,
          dashes: list | None = None, money: bool = False) -> alt.Chart:
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
            **_series_encoding(names, legend=len(names) > 1, colors=colors, dashes=dashes),
        )
    )
    if rule is None:
        return lines
    ref = alt.Chart(_ONE_ROW).mark_rule(strokeDash=[2, 3], opacity=0.7, aria=False).encode(y=alt.datum(rule))
    return alt.layer(ref, lines)


def _relative(names: list[str], dataset: str) -> alt.Chart:
    """Ratio and its moving average (names[0], names[1]) with the regime note as the title line."""
    line = _line(names, dataset, "Relative strength (start = 1)", ".2f", ".3f", rule=1.0, colors="relative",
                 dashes=DASHES[:2])
    # the regime note is the chart's title line, above the legend: never drawn across the lines (issue 18)
    return alt.layer(line).properties(title=alt.TitleParams("__NOTE__", anchor="start", offset=4))


_TIP_FORMATS = {"~%": ".1%", ".1~%": ".2%"}
"""Tooltip formats for axis formats whose '~' (trim zeros) would otherwise leave d3's 6-digit default."""


def _bars(names: list[str], dataset: str, cat: str, value_title: str, fmt: str, horizontal: bool,
          cat_title: str | None = None) -> alt.Chart:
    """Grouped bars over wide rows ``{cat: label, <name>: value}``; the first row gets direct labels."""
    names_enc = _series_encoding(names, legend=len(names) > 1)
    color = names_enc["color"]
    val_axis = alt.Axis(format=fmt, tickCount={"expr": "ceil(width / 90)"} if horizontal else 6)
    cat_axis = alt.Axis(labelLimit=150, labelAngle=0, grid=False, ticks=False,
                        # many years along x: every other label dropped until none touch ("2000200120022003")
                        **({} if horizontal else {"labelOverlap": "parity", "labelSeparation": 6}))
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
    "rolling_return": lambda n: _line(n, "rolling_return", "Total return, previous 12 months", "~%", ".1%", rule=0.0),
    "relative": lambda n: _relative(n, "relative"),
    # series are the other funds (each correlated with the first, n[0]), in their own colour and dash
    "correlation": lambda n: _line(n[1:], "correlation", f"Correlation with {n[0]}, 90 days", ".1f", ".2f",
                                   rule=0.0),
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
    return re.sub(r'\["__RANGE_(\w+)__"\]', r'"\1"', json.dumps(spec))


def instantiate(kind: str, names: list[str], description: str, height: int | None = None,
                subs: dict[str, str] | None = None, styles: list | None = None) -> dict:
    """A page's spec: the template with its series names, their styles, description and height filled in.

    ``styles``: per name, its (colour, dash pattern) (:class:`versus.charts.identity.Style`'s ``light`` and
    ``pattern``); by default the palette and dashes in order.  The spec has no data and no config: site.js
    adds the page's datasets and the theme for the reader's colour scheme (and swaps each colour for its
    dark variant, :data:`versus.charts.identity.DARK_COLORS`); :func:`standalone` adds them for the build.
    """
    text = _template(kind, len(names))
    colors, dashes = _styles(names, styles)
    for i in reversed(range(len(names))):
        color, dash = colors[i], dashes[i]
        text = text.replace(f"__S{i}__", json.dumps(names[i])[1:-1]).replace(f'"__C{i}__"', json.dumps(color))
        text = text.replace(f'"__D{i}__"', json.dumps(dash))
    for key, val in (subs or {}).items():
        text = text.replace(key, json.dumps(val)[1:-1])
    spec = json.loads(text)
    spec["description"] = description
    if height is not None:
        spec["height"] = height
    return spec


def _styles(names: list[str], styles: list | None) -> tuple[list, list]:
    """Each series' colour and dash pattern: ``styles``, or the palette and dashes in order."""
    pairs = [styles[i] if styles else (PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]) for i in range(len(names))]
    return [c for c, _ in pairs], [list(d) if d is not None else d for _, d in pairs]


MAX_SERIES = 5
"""The most series a chart draws (a group's five funds): :func:`shared_specs` writes templates up to it."""
SHARED_DIR = "static/specs"
"""Where the shared chart templates are written (:func:`shared_specs`), relative to the site root."""


@dataclass
class Recipe:
    """What is page-specific in one chart spec: the template (``kind``, series count), its series names,
    each one's colour and dash pattern, the description, a height, text substitutions (``subs``) and a
    dataset renamed (``dataset``: a group's ``relative-<t>``).

    The page sends :meth:`page` (a few hundred bytes); static/site.js fills the shared template
    (:func:`shared_specs`, written once per build, cached by the browser) with it, exactly as
    :meth:`spec` does here (for the static SVGs): the description it takes from the chart's caption.
    """

    kind: str
    names: list[str]
    description: str
    height: int | None = None
    subs: dict | None = None
    styles: list | None = None
    dataset: str | None = None
    _spec: dict | None = None

    @property
    def key(self) -> str:
        """The shared template's name: ``<kind>-<series count>``."""
        return f"{self.kind}-{len(self.names)}"

    @property
    def dataset_name(self) -> str:
        """The page dataset the chart draws."""
        return self.dataset or template_dataset(self.kind)

    def spec(self) -> dict:
        """The full spec (:func:`instantiate`), made once, on first use (the static SVG, the tests)."""
        if self._spec is None:
            spec = instantiate(self.kind, self.names, self.description, self.height, self.subs, self.styles)
            if self.dataset:
                _rename(spec, template_dataset(self.kind), self.dataset)
            self._spec = spec
        return self._spec

    def page(self) -> dict:
        """The page's part: ``k`` template, ``s`` series names, ``c`` colours, ``d`` dash patterns, and when
        set ``h`` height, ``x`` substitutions, ``r`` the dataset's name on the page."""
        colors, dashes = _styles(self.names, self.styles)
        out = {"k": self.key, "s": list(self.names), "c": colors, "d": dashes}
        if self.height is not None:
            out["h"] = self.height
        if self.subs:
            out["x"] = dict(self.subs)
        if self.dataset:
            out["r"] = self.dataset
        return out


def _rename(node: dict, old: str, new: str) -> None:
    """Rename the named dataset ``old`` to ``new`` in ``node`` and its layers, in place."""
    if node.get("data", {}).get("name") == old:
        node["data"] = {**node["data"], "name": new}
    for layer in node.get("layer", []):
        _rename(layer, old, new)


@lru_cache(maxsize=None)
def template_dataset(kind: str) -> str:
    """The page dataset a kind of chart draws (``growth_log`` draws ``growth``)."""
    return dataset_of(json.loads(_template(kind, 1)))


def shared_specs() -> dict[str, str]:
    """The shared chart templates, as files by site path: ``static/specs/<kind>-<n>.json`` for every kind and
    1 to :data:`MAX_SERIES` series, with the period selector's parameter for time series
    (:func:`versus.charts.period.with_period`), placeholders ``__S<i>__`` (name), ``__C<i>__`` (colour),
    ``__D<i>__`` (dash pattern) and the kind's own (``__NOTE__``) for static/site.js to fill
    (:meth:`Recipe.page`); and ``static/specs/theme.json``: the light and dark themes and each fund colour's
    dark variant.  Written once per build, the same bytes whatever the pages."""
    from .period import with_period

    theme = {"themes": {"light": THEME, "dark": DARK}, "dark_colors": identity.DARK_COLORS}
    out = {f"{SHARED_DIR}/theme.json": json.dumps(theme, separators=(",", ":"), sort_keys=True) + "\n"}
    for kind in TEMPLATES:
        for n in range(1, MAX_SERIES + 1):
            spec = with_period(json.loads(_template(kind, n)))
            out[f"{SHARED_DIR}/{kind}-{n}.json"] = json.dumps(spec, separators=(",", ":"), sort_keys=True) + "\n"
    return out


def fill(template: str, page: dict, description: str) -> dict:
    """A shared template (the text of ``static/specs/<k>.json``) filled with a page's part of a chart
    (:meth:`Recipe.page`): what static/site.js ``fill`` does in the browser, step for step (the tests
    compare both, and this with :meth:`Recipe.spec` plus the period selector's parameter)."""
    text = template
    for i in reversed(range(len(page["s"]))):
        text = text.replace(f"__S{i}__", json.dumps(page["s"][i], ensure_ascii=False)[1:-1])
        text = text.replace(f'"__C{i}__"', json.dumps(page["c"][i])).replace(f'"__D{i}__"', json.dumps(page["d"][i]))
    for key, val in (page.get("x") or {}).items():
        text = text.replace(key, json.dumps(val, ensure_ascii=False)[1:-1])
    spec = json.loads(text)
    spec["description"] = description
    if "h" in page:
        spec["height"] = page["h"]
    if page.get("r"):
        own = spec.get("datasets", {})

        def rename(node: dict) -> None:
            if node.get("data", {}).get("name") and node["data"]["name"] not in own:
                node["data"]["name"] = page["r"]
            for layer in node.get("layer", []):
                rename(layer)

        rename(spec)
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
    """Height of horizontal grouped bars: 12 px per bar plus a gap per category (thick enough to read on a phone)."""
    return max(140, n_categories * (n_series * 12 + 8))


def year_labels(index, first_partial: bool, last_partial: bool) -> list[str]:
    """'2026 YTD' for the running year, '2000 (part)' for a first year that started mid-year."""
    years = [str(y) for y in index]
    if last_partial and years:
        years[-1] += " YTD"
    if first_partial and len(years) > 1:
        years[0] += " (part)"
    return years

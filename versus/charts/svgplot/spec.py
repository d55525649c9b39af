"""The standalone Vega-Lite spec, read: what it draws, in plain terms (:class:`Model`)."""
from __future__ import annotations

from .base import Unsupported
from .numbers import _parse_format


def _leaves(node: dict):
    if "layer" in node:
        for child in node["layer"]:
            yield from _leaves(child)
    elif "mark" in node:
        yield node
    else:
        raise Unsupported("a view without mark or layer")


def _mark(leaf: dict) -> dict:
    m = leaf["mark"]
    return {"type": m} if isinstance(m, str) else m


def _fold(leaf: dict) -> list[str] | None:
    for t in leaf.get("transform", []):
        if "fold" in t:
            return list(t["fold"])
    return None


METRIC_FONTS = "Arial, Helvetica, 'Liberation Sans', Arimo"
"""Fonts with Arial's advance widths (Liberation Sans and Arimo are metric-compatible with Arial)."""


class Model:
    """What a standalone spec draws, in plain terms."""

    def __init__(self, spec: dict, columns: dict | None = None):
        for key in ("hconcat", "vconcat", "concat", "facet", "repeat", "params"):
            if key in spec:
                raise Unsupported(key)
        self.config = spec.get("config") or {}
        self.width = float(spec.get("width", 640))
        self.height = float(spec.get("height", 260))
        self.description = str(spec.get("description", ""))
        title = spec.get("title")  # a title line above the legend (the relative-strength regime note)
        self.title = str(title.get("text", "") if isinstance(title, dict) else title or "") or None
        main = self._layers(spec)
        self.kind = _mark(main)["type"]
        enc = main["encoding"]
        self.names = _fold(main)
        self._data(main, spec, columns)
        self._series_styles(enc)
        self._theme()
        if self.kind == "line":
            self._time_axes(enc)
        else:
            self._category_axes(enc)
        _parse_format(self.value_format)  # fails early on a format this renderer cannot print

    def _layers(self, spec: dict) -> dict:
        """Sort the layers: the one folded data layer (returned), reference rules, notes, first-row labels."""
        self.rules: list[tuple[str, float, dict]] = []
        self.notes: list[tuple[float, float, str, dict]] = []
        self.first_row_labels = False
        main = None
        for leaf in _leaves(spec):
            mark, enc = _mark(leaf), leaf.get("encoding", {})
            kind = mark.get("type")
            if kind in ("line", "bar") and _fold(leaf):
                if main is not None:
                    raise Unsupported("two data layers")
                main = leaf
            elif kind == "rule" and ("datum" in enc.get("y", {}) or "datum" in enc.get("x", {})):
                ch = "y" if "datum" in enc.get("y", {}) else "x"
                self.rules.append((ch, float(enc[ch]["datum"]), mark))
            elif kind == "text" and "value" in enc.get("text", {}):
                self.notes.append((enc.get("x", {}).get("value", 0), enc.get("y", {}).get("value", 0),
                                   str(enc["text"]["value"]), mark))
            elif kind == "text" and enc.get("text", {}).get("field") == "series":
                self.first_row_labels = True
            else:
                raise Unsupported(f"mark {kind}")
        if main is None:
            raise Unsupported("no folded line or bar layer")
        return main

    def _data(self, main: dict, spec: dict, columns: dict | None) -> None:
        data = main.get("data", {})
        datasets = spec.get("datasets", {})
        self.columns = columns
        if columns is not None:
            self.rows = []
        elif "name" in data and data["name"] in datasets:
            self.rows = datasets[data["name"]]
        elif "values" in data:
            self.rows = data["values"]
        else:
            raise Unsupported("data not inline")

    def _series_styles(self, enc: dict) -> None:
        """Each series' colour and dash pattern, and the legend."""
        color = enc.get("color", {})
        cdomain = (color.get("scale") or {}).get("domain") or self.names
        crange = (color.get("scale") or {}).get("range") or (self.config.get("range") or {}).get("category") \
            or ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
        if isinstance(crange, str):  # a named range of the theme ("relative")
            crange = (self.config.get("range") or {}).get(crange) or ["#0072B2", "#6e7781"]
        dash = enc.get("strokeDash", {})
        ddomain = (dash.get("scale") or {}).get("domain") or cdomain
        drange = (dash.get("scale") or {}).get("range") or []
        self.colors = {n: crange[cdomain.index(n) % len(crange)] if n in cdomain else crange[0] for n in self.names}
        self.dashes = {n: (drange[ddomain.index(n)] if n in ddomain and ddomain.index(n) < len(drange) else None)
                       for n in self.names}
        legend = color.get("legend", {})
        self.legend = None if legend is None or "color" not in enc else list(legend.get("values") or self.names)

    def _theme(self) -> None:
        axis_cfg = self.config.get("axis", {})
        self.label_color = axis_cfg.get("labelColor", "#57606a")
        self.grid_color = axis_cfg.get("gridColor", "#d0d7de")
        self.domain_color = axis_cfg.get("domainColor", "#8c959f")
        self.label_size = axis_cfg.get("labelFontSize", 12)
        self.text_color = (self.config.get("text") or {}).get("color", "#1b1f24")
        self.title_style = {"color": self.text_color, "fontSize": 12, "fontWeight": 600, **(self.config.get("title") or {})}
        self.legend_color = (self.config.get("legend") or {}).get("labelColor", self.text_color)
        self.rule_color = (self.config.get("rule") or {}).get("color", "#57606a")
        self.stroke_width = (self.config.get("line") or {}).get("strokeWidth", 2)
        # text widths are estimated with Arial's advance widths (text.py): draw with a font of those metrics
        # first, so a label never runs past its room ("nformation Technology" in a wider system font)
        self.font = f'{METRIC_FONTS}, {self.config.get("font", "sans-serif")}'

    def _time_axes(self, enc: dict) -> None:
        x, y = enc.get("x", {}), enc.get("y", {})
        if x.get("type") != "temporal" or y.get("type") != "quantitative":
            raise Unsupported("line chart not over time")
        self.x_field = x["field"]
        yscale = y.get("scale") or {}
        if yscale.get("type") not in (None, "linear", "log"):
            raise Unsupported(f"scale {yscale.get('type')}")
        self.log = yscale.get("type") == "log"
        self.zero = bool(yscale.get("zero", False))
        yaxis = y.get("axis") or {}
        self.value_title = y.get("title")
        self.value_format = yaxis.get("format", "")
        self.zero_label = "labelExpr" in yaxis and "'$0'" in yaxis["labelExpr"]
        self.value_ticks = yaxis.get("tickCount", 6) if isinstance(yaxis.get("tickCount", 6), int) else 6

    def _category_axes(self, enc: dict) -> None:
        if "y" in enc and enc["y"].get("type") == "nominal":
            self.horizontal, cat, val = True, enc["y"], enc.get("x", {})
        elif "x" in enc and enc["x"].get("type") == "nominal":
            self.horizontal, cat, val = False, enc["x"], enc.get("y", {})
        else:
            raise Unsupported("bars without a category axis")
        self.cat_field = cat["field"]
        self.cat_title = cat.get("title")
        self.cat_limit = (cat.get("axis") or {}).get("labelLimit", 180)
        vaxis = val.get("axis") or {}
        self.value_title = val.get("title")
        self.value_format = vaxis.get("format", "")
        self.zero_label = False
        tc = vaxis.get("tickCount", 6)
        self.value_ticks = tc if isinstance(tc, int) else None

    def heading(self) -> str:
        """Short title: the description up to its first colon, else the value axis title."""
        head = self.description.split(":", 1)[0].strip()
        if head and len(head) <= 120 and head != self.description.strip():
            return head
        return str(self.value_title or self.description[:120] or "Chart")

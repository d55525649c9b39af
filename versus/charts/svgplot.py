"""A small hand-written SVG renderer for the static chart fallbacks (no JavaScript needed to see them).

It reads the same standalone Vega-Lite specs vl-convert gets (:func:`versus.charts.standalone`)
and draws the two families the site uses: folded multi-series lines over dates (growth,
linear or log, drawdown, relative strength with its average, rolling correlation and
volatility, price) and grouped bars over categories (calendar years, months, sectors,
dividends), with the spec's colours, dash patterns, reference rules, notes, legend, axis
titles and formats (a subset of d3-format: ``$``, ``,``, precision, ``~``, types
``s f % d`` and none).  Anything else raises :class:`Unsupported`, and the caller falls
back to vl-convert.  Output is deterministic: the same spec gives the same bytes.

Text widths are estimated from Helvetica/Arial advance widths (no font is loaded), so
the layout is close to, not identical with, what a browser measures.
"""
from __future__ import annotations

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

import numpy as np

VERSION = "svgplot-1"
"""Part of the render cache key: bump when the drawing changes."""

MINUS = "\u2212"
_PAD = 5


class Unsupported(ValueError):
    """The spec uses something this renderer does not draw (use vl-convert)."""


# --------------------------------------------------------------------------- text metrics
_W = {}
for _chars, _w in (("il.,:;'|!", 278), ("I[]()/\\ft", 300), ("r-", 333), ("\"*^", 400), ("J", 500),
                   ("ckszvxy", 500), ("abdeghnopqu0123456789$#_?L", 556), ("TFZ+<>=~", 600),
                   ("ABEKPSVXY&", 667), ("CDHNRUw", 722), ("GOQ", 778), ("mM", 833), ("%", 889),
                   ("W", 944), (" ", 278), ("\u2212", 584), ("\u2013", 556), ("\u2026", 1000), ("\u00b7", 278)):
    for _c in _chars:
        _W[_c] = _w


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated advance width of ``text`` in pixels (sans-serif, Arial metrics)."""
    w = sum(_W.get(c, 600) for c in text) * size / 1000
    return w * 1.06 if bold else w


def truncate(text: str, size: float, limit: float) -> str:
    """``text`` cut with an ellipsis to fit ``limit`` pixels (like Vega's labelLimit)."""
    if text_width(text, size) <= limit:
        return text
    while text and text_width(text + "\u2026", size) > limit:
        text = text[:-1]
    return text.rstrip() + "\u2026"


# --------------------------------------------------------------------------- number formats
_SI = {-24: "y", -21: "z", -18: "a", -15: "f", -12: "p", -9: "n", -6: "\u00b5", -3: "m", 0: "",
       3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E", 21: "Z", 24: "Y"}


def _parse_format(spec: str) -> tuple[str, bool, bool, int | None, bool, str]:
    s = spec or ""
    currency = s.startswith("$")
    s = s[1:] if currency else s
    comma = s.startswith(",")
    s = s[1:] if comma else s
    precision = None
    if s.startswith("."):
        digits = ""
        s = s[1:]
        while s and s[0].isdigit():
            digits, s = digits + s[0], s[1:]
        precision = int(digits) if digits else None
    trim = s.startswith("~")
    s = s[1:] if trim else s
    if s not in ("", "s", "f", "%", "d"):
        raise Unsupported(f"number format {spec!r}")
    return spec, currency, comma, precision, trim, s


def _trim(num: str) -> str:
    if "." in num:
        num = num.rstrip("0").rstrip(".")
    return num


def _group(num: str) -> str:
    whole, dot, frac = num.partition(".")
    out = ""
    while len(whole) > 3:
        out, whole = "," + whole[-3:] + out, whole[:-3]
    return whole + out + dot + frac


def _fixed(v: float, digits: int) -> str:
    """Fixed-point with halves rounded up, like JavaScript's toFixed (Python rounds them to even)."""
    return str(Decimal(repr(round(v, 12))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def format_number(value: float, spec: str) -> str:
    """``value`` formatted like d3-format's ``spec`` (the subset the charts use), with a real minus."""
    _, currency, comma, precision, trim, kind = _parse_format(spec)
    v = float(value)
    if not math.isfinite(v):
        return ""
    suffix = ""
    if kind == "%":
        num = _fixed(abs(v) * 100, 6 if precision is None else precision)
        suffix = "%"
    elif kind == "f":
        num = _fixed(abs(v), 6 if precision is None else precision)
    elif kind == "d":
        num = f"{round(abs(v)):d}"
    elif kind == "s":
        p = 6 if precision is None else max(1, precision)
        a = abs(v)
        if a == 0:
            num = "0" if precision is None or trim else f"{0:.{p - 1}f}"
        else:
            a = float(f"{a:.{p}g}")
            exp = max(-24, min(24, int(math.floor(math.log10(a) / 3)) * 3))
            mant = a / 10 ** exp
            digits = max(0, p - 1 - int(math.floor(math.log10(mant))))
            num = f"{mant:.{digits}f}"
            suffix = _SI[exp]
    else:  # none: shortest of up to 12 significant digits
        num = f"{abs(v):.12g}"
        trim = False
    if trim:
        num = _trim(num)
    if comma:
        num = _group(num)
    negative = v < 0 and any(c not in "0." for c in num)
    return (MINUS if negative else "") + ("$" if currency else "") + num + suffix


# --------------------------------------------------------------------------- scales and ticks
def tick_step(lo: float, hi: float, count: int) -> float:
    """d3's tick step: 1, 2 or 5 times a power of ten, about ``count`` ticks over [lo, hi]."""
    raw = abs(hi - lo) / max(1, count)
    if raw == 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    err = raw / power
    f = 10 if err >= math.sqrt(50) else 5 if err >= math.sqrt(10) else 2 if err >= math.sqrt(2) else 1
    return f * power


def nice(lo: float, hi: float, count: int) -> tuple[float, float]:
    for _ in range(2):
        step = tick_step(lo, hi, count)
        lo = round(math.floor(lo / step + 1e-9) * step, 12)
        hi = round(math.ceil(hi / step - 1e-9) * step, 12)
    return lo, hi


def linear_ticks(lo: float, hi: float, count: int) -> list[float]:
    step = tick_step(lo, hi, count)
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    # integer multiples, rounded, so 0.1 * 3 prints as 0.3
    return [round(i * step, 12) for i in range(first, last + 1)]


def log_ticks(lo: float, hi: float, count: int) -> list[float]:
    """Powers of ten, and 2x / 5x of them when the range spans few decades."""
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for mults in ((1, 2, 5), (1,)):
        ticks = [m * 10.0 ** k for k in range(k0, k1 + 1) for m in mults if lo <= m * 10.0 ** k <= hi * (1 + 1e-9)]
        if len(ticks) <= count + 1 and len(ticks) >= 2:
            return ticks
    ticks = [10.0 ** k for k in range(k0, k1 + 1) if lo <= 10.0 ** k <= hi * (1 + 1e-9)]
    if len(ticks) < 2:  # less than a decade: linear ticks inside it
        ticks = [t for t in linear_ticks(lo, hi, count) if t > 0]
    return ticks


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def time_ticks(lo: int, hi: int, count: int) -> list[tuple[int, str]]:
    """(ordinal day, label) ticks between two ordinal days: years, months or days."""
    span = max(1, hi - lo)
    d0, d1 = date.fromordinal(lo), date.fromordinal(hi)
    for years in (1, 2, 5, 10, 20, 50, 100):
        if span / (365.25 * years) <= count and span > 365 * 1.5:
            start = d0.year + (0 if (d0.month, d0.day) == (1, 1) else 1)
            start = -(-start // years) * years
            return [(date(y, 1, 1).toordinal(), str(y)) for y in range(start, d1.year + 1, years)]
    for months in (1, 2, 3, 6):
        if span / (30.44 * months) <= count and span > 45:
            out = []
            m = d0.year * 12 + d0.month - 1 + (0 if d0.day == 1 else 1)
            m = -(-m // months) * months
            while True:
                y, mo = divmod(m, 12)
                d = date(y, mo + 1, 1)
                if d > d1:
                    return out
                out.append((d.toordinal(), str(y) if mo == 0 else _MONTHS[mo]))
                m += months
    step = next((s for s in (1, 2, 7, 14) if span / s <= count), 28)
    return [(o, f"{date.fromordinal(o).day} {_MONTHS[date.fromordinal(o).month - 1]}")
            for o in range(lo, hi + 1, step)]


def thin_labels(items: list[tuple[float, str]], size: float, gap: float = 4) -> list[tuple[float, str]]:
    """Every other label dropped until none overlap (Vega's 'parity' strategy); positions are centres."""
    while len(items) > 1:
        ok = all(b[0] - a[0] >= (text_width(a[1], size) + text_width(b[1], size)) / 2 + gap
                 for a, b in zip(items, items[1:]))
        if ok:
            break
        items = items[::2]
    return items


# --------------------------------------------------------------------------- svg writing
def num(x: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros."""
    s = f"{x:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    return "0" if s == "-0" else s


def attr(text: str) -> str:
    return escape(str(text), {'"': "&quot;"})


def dash_attr(dash) -> str:
    if not dash or all(d == 0 for d in dash[1::2]):
        return ""
    return f' stroke-dasharray="{",".join(num(d) for d in dash)}"'


def polyline(xs, ys) -> tuple[str, list[tuple[float, float]]]:
    """Path data through the points, a new subpath after each gap (NaN or None), and the isolated points.

    Within each pixel column only the first, lowest, highest and last points are kept
    (min/max reduction): at a 2-pixel stroke the line looks the same and the file stays small.
    Coordinates are relative (``l``), one decimal.
    """
    x = np.asarray(xs, dtype=float)
    y = ys.astype(float) if isinstance(ys, np.ndarray) else np.asarray([np.nan if v is None else v for v in ys],
                                                                       dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    parts: list[str] = []
    lone: list[tuple[float, float]] = []
    if not ok.any():
        return "", lone
    # runs of consecutive valid points
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        rx, ry = x[a:b], y[a:b]
        if len(rx) == 1:
            lone.append((float(rx[0]), float(ry[0])))
            continue
        keep = _m4(rx, ry)
        pts = np.rint(np.column_stack([rx[keep], ry[keep]]) * 10).astype(np.int64)  # tenths of a pixel
        same = np.concatenate([[False], np.all(pts[1:] == pts[:-1], axis=1)])
        pts = pts[~same]
        t = list(map(_tenths, np.diff(pts, axis=0).ravel().tolist()))
        body = " ".join(map(",".join, zip(t[::2], t[1::2])))
        parts.append(f"M{_tenths(int(pts[0, 0]))},{_tenths(int(pts[0, 1]))}l{body}")
    return "".join(parts), lone


@lru_cache(maxsize=4096)
def _tenths(v: int) -> str:
    """Tenths of a pixel as the shortest decimal: 12 -> '1.2', 5 -> '.5', -30 -> '-3'."""
    sign, a = ("-" if v < 0 else ""), abs(v)
    whole, frac = divmod(a, 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{frac}"


def _m4(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the lowest and highest point of every pixel column (and the ends), in order."""
    col = np.floor(x).astype(np.int64)
    # argmin/argmax per column: sort by (column, value) and take each group's ends
    by_val = np.lexsort((y, col))
    sorted_col = col[by_val]
    gstart = np.flatnonzero(np.concatenate([[True], sorted_col[1:] != sorted_col[:-1]]))
    gend = np.concatenate([gstart[1:], [len(x)]]) - 1
    idx = np.concatenate([[0, len(x) - 1], by_val[gstart], by_val[gend]])
    return np.unique(idx)


class Canvas:
    """Collects SVG elements; ``finish`` wraps them in an accessible ``<svg>``."""

    def __init__(self, width: float, height: float, font: str, background: str | None = None):
        self.width, self.height, self.font = width, height, font
        self.parts: list[str] = []
        if background:
            self.parts.append(f'<rect width="{num(width)}" height="{num(height)}" fill="{attr(background)}"/>')

    def add(self, s: str) -> None:
        self.parts.append(s)

    def text(self, x, y, text, size=12, color="#1b1f24", anchor="start", weight=None, baseline=None,
             rotate: float | None = None) -> None:
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        w = f' font-weight="{weight}"' if weight and str(weight) not in ("400", "normal") else ""
        b = {"top": ' dy="0.8em"', "middle": ' dy="0.35em"'}.get(baseline or "", "")
        r = f' transform="rotate({num(rotate)} {num(x)} {num(y)})"' if rotate else ""
        self.add(f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{attr(color)}"{a}{w}{b}{r}>'
                 f'{escape(str(text))}</text>')

    def line(self, x1, y1, x2, y2, color, width=1.0, dash=None, opacity=None) -> None:
        o = f' stroke-opacity="{opacity}"' if opacity is not None else ""
        self.add(f'<path d="M{num(x1)},{num(y1)}L{num(x2)},{num(y2)}" stroke="{attr(color)}"'
                 f' stroke-width="{num(width)}"{dash_attr(dash)}{o}/>')

    def finish(self, title: str, desc: str) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}"'
                f' viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" aria-labelledby="t d"'
                f' font-family="{attr(self.font)}">'
                f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>')
        return head + "".join(self.parts) + "</svg>\n"


# --------------------------------------------------------------------------- the spec, read
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
        self.kind = _mark(main)["type"]
        enc = main["encoding"]
        self.names = _fold(main)
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
        color = enc.get("color", {})
        cdomain = (color.get("scale") or {}).get("domain") or self.names
        crange = (color.get("scale") or {}).get("range") or (self.config.get("range") or {}).get("category") \
            or ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
        dash = enc.get("strokeDash", {})
        ddomain = (dash.get("scale") or {}).get("domain") or cdomain
        drange = (dash.get("scale") or {}).get("range") or []
        self.colors = {n: crange[cdomain.index(n) % len(crange)] if n in cdomain else crange[0] for n in self.names}
        self.dashes = {n: (drange[ddomain.index(n)] if n in ddomain and ddomain.index(n) < len(drange) else None)
                       for n in self.names}
        legend = color.get("legend", {})
        self.legend = None if legend is None or "color" not in enc else list(legend.get("values") or self.names)
        axis_cfg = self.config.get("axis", {})
        self.label_color = axis_cfg.get("labelColor", "#57606a")
        self.grid_color = axis_cfg.get("gridColor", "#d0d7de")
        self.domain_color = axis_cfg.get("domainColor", "#8c959f")
        self.label_size = axis_cfg.get("labelFontSize", 12)
        self.text_color = (self.config.get("text") or {}).get("color", "#1b1f24")
        self.legend_color = (self.config.get("legend") or {}).get("labelColor", self.text_color)
        self.rule_color = (self.config.get("rule") or {}).get("color", "#57606a")
        self.stroke_width = (self.config.get("line") or {}).get("strokeWidth", 2)
        self.font = self.config.get("font", "sans-serif")
        if self.kind == "line":
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
        else:
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
        _parse_format(self.value_format)  # fails early on a format this renderer cannot print

    def heading(self) -> str:
        """Short title: the description up to its first colon, else the value axis title."""
        head = self.description.split(":", 1)[0].strip()
        if head and len(head) <= 120 and head != self.description.strip():
            return head
        return str(self.value_title or self.description[:120] or "Chart")


def _value(row: dict, name: str) -> float | None:
    v = row.get(name)
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


# --------------------------------------------------------------------------- drawing
def _legend(c: Canvas, m: Model, x: float, y: float, size: float = 12, swatch: str = "line",
            stroke: float = 3) -> None:
    for name in m.legend or []:
        color = m.colors.get(name, "#000")
        if swatch == "line":
            c.line(x, y, x + 3 * size / 2 + 6, y, color, stroke, m.dashes.get(name))
            x += 3 * size / 2 + 12
        else:
            c.add(f'<rect x="{num(x)}" y="{num(y - size / 2 + 1)}" width="{num(size - 2)}" height="{num(size - 2)}"'
                  f' fill="{attr(color)}"/>')
            x += size + 4
        c.text(x, y, name, size, m.legend_color, baseline="middle")
        x += text_width(name, size) + 16


def _empty(c: Canvas, m: Model, x0, y0, w, h) -> None:
    c.add(f'<rect x="{num(x0)}" y="{num(y0)}" width="{num(w)}" height="{num(h)}" fill="none"'
          f' stroke="{attr(m.grid_color)}"/>')
    c.text(x0 + w / 2, y0 + h / 2, "No data to show for this period.", 14, m.label_color, "middle", baseline="middle")


@lru_cache(maxsize=1 << 16)
def _ordinal(d: str) -> float:
    try:
        return float(date.fromisoformat(str(d)[:10]).toordinal())
    except ValueError:
        return math.nan


def _column(rows: list[dict], name: str) -> np.ndarray:
    """One field of the rows as floats, NaN where missing or not a finite number."""
    try:
        v = np.array([r.get(name) for r in rows], dtype=float)
    except (TypeError, ValueError):
        v = np.array([_value(r, name) for r in rows], dtype=float)
    v[~np.isfinite(v)] = np.nan
    return v


def render_lines(m: Model) -> str:
    if m.columns is not None:
        dates, series = m.columns["d"], {n: m.columns[n].copy() for n in m.names}
    else:
        dates = np.array([_ordinal(r.get(m.x_field, "")) for r in m.rows], dtype=float)
        series = {n: _column(m.rows, n) for n in m.names}
    for n, v in series.items():
        v[np.isnan(dates)] = np.nan
        if m.log:
            v[~(v > 0)] = np.nan
    stack = np.vstack(list(series.values())) if series else np.empty((0, len(dates)))
    has = ~np.isnan(stack).all(axis=0) if stack.size else np.zeros(len(dates), bool)
    vals = stack[~np.isnan(stack)] if stack.size else stack
    ok_dates = dates[has]
    size = m.label_size
    legend_h = 26 if m.legend else 7  # room for the top tick label
    top = _PAD + legend_h
    plot_h = m.height
    total_h = top + plot_h + 24 + _PAD
    c = Canvas(m.width, total_h, m.font)
    if not vals.size or not ok_dates.size:
        _empty(c, m, _PAD + 20, top, m.width - 2 * _PAD - 20, plot_h)
        return c.finish(m.heading(), m.description)
    lo, hi = float(vals.min()), float(vals.max())
    for ch, v, _ in m.rules:
        if ch == "y" and (not m.log or v > 0):
            lo, hi = min(lo, v), max(hi, v)
    if m.zero and not m.log:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if m.log:
        if hi / lo < 1.02:
            lo, hi = lo / 1.1, hi * 1.1
        ticks = log_ticks(lo, hi, m.value_ticks)
    else:
        if hi - lo < 1e-12:
            pad = abs(hi) * 0.1 or 1.0
            lo, hi = lo - pad, hi + pad
        lo, hi = nice(lo, hi, m.value_ticks)
        ticks = linear_ticks(lo, hi, m.value_ticks)
    labels = [("$0" if (t == 0 and m.zero_label) else format_number(t, m.value_format)) for t in ticks]
    label_w = max(text_width(s, size) for s in labels) if labels else 0
    title_w = size + 6 if m.value_title else 0
    left = _PAD + title_w + label_w + 7
    d0, d1 = int(ok_dates.min()), int(ok_dates.max())
    last_label = f"{date.fromordinal(d1).year}"
    right = m.width - _PAD - text_width(last_label, size) / 2
    plot_w = max(10.0, right - left)
    if m.log:
        l0, l1 = math.log10(lo), math.log10(hi)
        ypix = lambda v: top + plot_h - (math.log10(v) - l0) / (l1 - l0) * plot_h  # noqa: E731
    else:
        ypix = lambda v: top + plot_h - (v - lo) / (hi - lo) * plot_h  # noqa: E731
    span = max(1, d1 - d0)
    xpix = lambda d: left + (d - d0) / span * plot_w  # noqa: E731

    # grid and value axis
    for t, s in zip(ticks, labels):
        y = ypix(t)
        c.line(left, y, left + plot_w, y, m.grid_color, 1)
        c.line(left - 5, y, left, y, m.domain_color, 1)
        c.text(left - 7, y, s, size, m.label_color, "end", baseline="middle")
    c.line(left, top, left, top + plot_h, m.domain_color, 1)
    if m.value_title:
        c.text(_PAD + size * 0.8, top + plot_h / 2, m.value_title, size, m.label_color, "middle", weight=500,
               rotate=-90)
    # time axis
    bottom = top + plot_h
    c.line(left, bottom, left + plot_w, bottom, m.domain_color, 1)
    tt = [(xpix(o), s) for o, s in time_ticks(d0, d1, max(2, math.ceil(plot_w / 90))) if d0 <= o <= d1]
    for x, s in thin_labels(tt, size):
        c.line(x, bottom, x, bottom + 5, m.domain_color, 1)
        c.text(x, bottom + 7, s, size, m.label_color, "middle", baseline="top")
    # reference rules, behind the lines
    for ch, v, mark in m.rules:
        if ch == "y" and (not m.log or v > 0) and lo <= v <= hi:
            y = ypix(v)
            c.line(left, y, left + plot_w, y, mark.get("color", m.rule_color), 1, mark.get("strokeDash"),
                   mark.get("opacity"))
    # series, last drawn first so the first fund is on top
    xs = left + (dates - d0) / span * plot_w
    for name in reversed(m.names):
        v = series[name]
        if m.log:
            ys = top + plot_h - (np.log10(v) - l0) / (l1 - l0) * plot_h
        else:
            ys = top + plot_h - (v - lo) / (hi - lo) * plot_h
        path, lone = polyline(xs, ys)
        color = m.colors[name]
        if path:
            c.add(f'<path d="{path}" fill="none" stroke="{attr(color)}" stroke-width="{num(m.stroke_width)}"'
                  f' stroke-linejoin="round"{dash_attr(m.dashes.get(name))}/>')
        for x, y in lone:
            c.add(f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(m.stroke_width + 1)}" fill="{attr(color)}"/>')
    for x, y, text, mark in m.notes:
        c.text(left + float(x), top + float(y), text, mark.get("fontSize", 12), m.text_color,
               weight=mark.get("fontWeight"), baseline=mark.get("baseline"))
    if m.legend:
        _legend(c, m, left, _PAD + 8, size, "line", 3)
    return c.finish(m.heading(), m.description)


def render_bars(m: Model) -> str:
    cats = [str(r.get(m.cat_field, "")) for r in m.rows]
    values = {n: [_value(r, n) for r in m.rows] for n in m.names}
    vals = [v for vs in values.values() for v in vs if v is not None]
    size = m.label_size
    legend_h = 26 if m.legend else 7  # room for the top tick label
    top = _PAD + legend_h
    k = len(m.names)
    if m.horizontal:
        plot_h = m.height
        total_h = top + plot_h + 24 + (size + 8 if m.value_title else 0) + _PAD
    else:
        plot_h = m.height
        total_h = top + plot_h + 24 + (size + 8 if m.cat_title else 0) + _PAD
    c = Canvas(m.width, total_h, m.font)
    if not vals or not cats:
        _empty(c, m, _PAD + 20, top, m.width - 2 * _PAD - 20, plot_h)
        return c.finish(m.heading(), m.description)
    lo, hi = min(min(vals), 0.0), max(max(vals), 0.0)
    if hi - lo < 1e-12:
        hi = lo + 1.0
    count = m.value_ticks
    if m.horizontal:
        cat_labels = [truncate(s, size, m.cat_limit) for s in cats]
        left = _PAD + max(text_width(s, size) for s in cat_labels) + 6
        right = m.width - _PAD - 12
        if m.first_row_labels:
            right -= max(text_width(n, 10) for n in m.names) + 6
        plot_w = max(10.0, right - left)
        count = count or max(2, math.ceil(plot_w / 90))
        lo, hi = nice(lo, hi, count)
        ticks = linear_ticks(lo, hi, count)
        vpix = lambda v: left + (v - lo) / (hi - lo) * plot_w  # noqa: E731
        band = plot_h / len(cats)
        inner = band * 0.9
        bottom = top + plot_h
        for t in ticks:
            x = vpix(t)
            c.line(x, top, x, bottom, m.grid_color, 1)
            c.line(x, bottom, x, bottom + 5, m.domain_color, 1)
        tl = thin_labels([(vpix(t), format_number(t, m.value_format)) for t in ticks], size)
        for x, s in tl:
            c.text(x, bottom + 7, s, size, m.label_color, "middle", baseline="top")
        c.line(left, bottom, left + plot_w, bottom, m.domain_color, 1)
        if m.value_title:
            c.text(left + plot_w / 2, bottom + 24 + size, m.value_title, size, m.label_color, "middle", weight=500)
        x0 = vpix(0.0)
        for i, label in enumerate(cat_labels):
            y = top + i * band + (band - inner) / 2
            c.text(left - 6, y + inner / 2, label, size, m.label_color, "end", baseline="middle")
            for j, name in enumerate(m.names):
                v = values[name][i]
                if v is None:
                    continue
                x1 = vpix(v)
                c.add(f'<rect x="{num(min(x0, x1))}" y="{num(y + j * inner / k)}" width="{num(abs(x1 - x0))}"'
                      f' height="{num(inner / k)}" fill="{attr(m.colors[name])}"/>')
                if i == 0 and m.first_row_labels and k > 1:
                    c.text(vpix(max(v, 0.0)) + 4, y + (j + 0.5) * inner / k, name, 10, m.text_color,
                           baseline="middle")
        for ch, v, mark in m.rules:
            if ch == "x" and lo <= v <= hi:
                c.line(vpix(v), top, vpix(v), bottom, mark.get("color", m.rule_color), 1, mark.get("strokeDash"),
                       mark.get("opacity"))
    else:
        count = count or 6
        lo, hi = nice(lo, hi, count)
        ticks = linear_ticks(lo, hi, count)
        labels = [format_number(t, m.value_format) for t in ticks]
        title_w = size + 6 if m.value_title else 0
        left = _PAD + title_w + max(text_width(s, size) for s in labels) + 7
        plot_w = max(10.0, m.width - _PAD - left)
        vpix = lambda v: top + plot_h - (v - lo) / (hi - lo) * plot_h  # noqa: E731
        bottom = top + plot_h
        for t, s in zip(ticks, labels):
            y = vpix(t)
            c.line(left, y, left + plot_w, y, m.grid_color, 1)
            c.line(left - 5, y, left, y, m.domain_color, 1)
            c.text(left - 7, y, s, size, m.label_color, "end", baseline="middle")
        c.line(left, top, left, bottom, m.domain_color, 1)
        if m.value_title:
            c.text(_PAD + size * 0.8, top + plot_h / 2, m.value_title, size, m.label_color, "middle", weight=500,
                   rotate=-90)
        band = plot_w / len(cats)
        inner = band * 0.9
        y0 = vpix(0.0)
        cat_items = []
        for i, cat in enumerate(cats):
            x = left + i * band + (band - inner) / 2
            cat_items.append((x + inner / 2, truncate(cat, size, m.cat_limit)))
            for j, name in enumerate(m.names):
                v = values[name][i]
                if v is None:
                    continue
                y1 = vpix(v)
                c.add(f'<rect x="{num(x + j * inner / k)}" y="{num(min(y0, y1))}" width="{num(inner / k)}"'
                      f' height="{num(abs(y1 - y0))}" fill="{attr(m.colors[name])}"/>')
        c.line(left, bottom, left + plot_w, bottom, m.domain_color, 1)
        for x, s in thin_labels(cat_items, size):
            c.text(x, bottom + 7, s, size, m.label_color, "middle", baseline="top")
        if m.cat_title:
            c.text(left + plot_w / 2, bottom + 24 + size, m.cat_title, size, m.label_color, "middle", weight=500)
        for ch, v, mark in m.rules:
            if ch == "y" and lo <= v <= hi:
                c.line(left, vpix(v), left + plot_w, vpix(v), mark.get("color", m.rule_color), 1,
                       mark.get("strokeDash"), mark.get("opacity"))
    if m.legend:
        _legend(c, m, left, _PAD + 8, size, "square")
    return c.finish(m.heading(), m.description)


def render(spec: dict, columns: dict | None = None) -> str:
    """The SVG of a standalone chart spec; :class:`Unsupported` if it is not one this module draws.

    ``columns`` (line charts only): the data as arrays instead of the spec's inline rows,
    ``{"d": day ordinals, <series>: floats with NaN for missing}`` (see
    :meth:`versus.charts.PageData.columns`); the drawing is the same as from the rows.
    """
    try:
        m = Model(spec, columns)
        if columns is not None and m.kind != "line":
            raise Unsupported("columns are for line charts")
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise Unsupported(f"unexpected spec shape ({exc!r})") from None
    return render_lines(m) if m.kind == "line" else render_bars(m)

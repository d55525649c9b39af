"""SVG writing: coordinates, attributes, dashed strokes and the canvas (path data of the lines: :mod:`.paths`)."""
from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from xml.sax.saxutils import escape

from typing import TYPE_CHECKING

import numpy as np

from ...util import finite
from .paths import COLUMN, PASSES, THIN, _m4, _steps, _thin, polyline, polylines  # noqa: F401 (here before)
from .text import text_width

if TYPE_CHECKING:
    from .spec import Model


@lru_cache(maxsize=1 << 16)
def num(x: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros.

    Cached (issue 17: ~500 calls a pair page, most of them for the same few hundred positions and sizes)."""
    s = f"{x:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    return "0" if s == "-0" else s


def attr(text: str) -> str:
    return escape(str(text), {'"': "&quot;"})


def dash_attr(dash) -> str:
    if not dash or all(d == 0 for d in dash[1::2]):
        return ""
    return f' stroke-dasharray="{",".join(num(d) for d in dash)}"'


def _esc(text) -> str:
    t = str(text)
    return escape(t) if ("&" in t or "<" in t or ">" in t) else t


@lru_cache(maxsize=256)
def _attr(text: str) -> str:
    return attr(text)


def _fine(x: float) -> str:
    """A length with at most three decimals (a dash pattern repeated along many rules)."""
    s = f"{x:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class Canvas:
    """Collects SVG elements; ``finish`` wraps them in an accessible ``<svg>``.

    ``compact`` (the chart fallbacks; issue 17: bytes per pair): the same picture as without it, in fewer
    bytes.  Consecutive lines of one style are one ``<path>`` (``H``/``V`` for straight ones, no default
    ``stroke-width="1"``); evenly spaced rules (grid lines, ticks: :meth:`rules`) are one dashed stroke as
    wide as the rules are long, a dash per rule; consecutive labels of one style share a ``<g>`` with their
    font size, colour, anchor and weight (the baseline shift folded into ``y``; a shared ``x`` or ``y`` in
    its ``transform``), the most common font size and colour of the labels are the ``<svg>``'s own;
    consecutive series share a ``<g>`` with their width and joins (:meth:`series`); the ``<svg>`` has a
    title only (the finding in words is the page's caption, which the ``<img>`` points at).
    """

    def __init__(self, width: float, height: float, font: str, background: str | None = None,
                 compact: bool = False):
        self.width, self.height, self.font, self.compact = width, height, font, compact
        self.parts: list = []  # strings, or [kind, key, items] groups (compact)
        if background:
            self.parts.append(f'<rect width="{num(width)}" height="{num(height)}" fill="{attr(background)}"/>')

    def add(self, s: str) -> None:
        self.parts.append(s)

    def _group(self, kind: str, key: tuple, item) -> None:
        last = self.parts[-1] if self.parts else None
        if isinstance(last, list) and last[0] == kind and last[1] == key:
            last[2].append(item)
        else:
            self.parts.append([kind, key, [item]])

    def text(self, x, y, text, size=12, color="#1b1f24", anchor="start", weight=None, baseline=None,
             rotate: float | None = None) -> None:
        w = str(weight) if weight and str(weight) not in ("400", "normal") else ""
        if self.compact:
            if rotate:
                self.parts.append(["rot", (num(size), color, anchor, w),
                                   [(f' transform="rotate({num(rotate)} {num(x)} {num(y)})"', num(x), num(y), _esc(text))]])
                return
            shift = {"top": 0.8, "middle": 0.35}.get(baseline or "", 0.0) * float(size)
            self._group("text", (num(size), color, anchor, w), (num(x), num(y + shift), _esc(text)))
            return
        a = f' text-anchor="{anchor}"' if anchor != "start" else ""
        wa = f' font-weight="{w}"' if w else ""
        b = {"top": ' dy="0.8em"', "middle": ' dy="0.35em"'}.get(baseline or "", "")
        r = f' transform="rotate({num(rotate)} {num(x)} {num(y)})"' if rotate else ""
        self.add(f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" fill="{attr(color)}"{a}{wa}{b}{r}>'
                 f'{escape(str(text))}</text>')

    def line(self, x1, y1, x2, y2, color, width=1.0, dash=None, opacity=None) -> None:
        o = f' stroke-opacity="{opacity}"' if opacity is not None else ""
        if self.compact:
            x1s, y1s, x2s, y2s = num(x1), num(y1), num(x2), num(y2)
            to = f"H{x2s}" if y1s == y2s else f"V{y2s}" if x1s == x2s else f"L{x2s},{y2s}"
            sw = "" if width == 1 else f' stroke-width="{num(width)}"'
            self._group("line", (f' stroke="{_attr(color)}"{sw}{dash_attr(dash)}{o}',), f"M{x1s},{y1s}{to}")
            return
        self.add(f'<path d="M{num(x1)},{num(y1)}L{num(x2)},{num(y2)}" stroke="{attr(color)}"'
                 f' stroke-width="{num(width)}"{dash_attr(dash)}{o}/>')

    def rules(self, at: list[float], start: float, end: float, color: str, horizontal: bool = True) -> None:
        """One-pixel rules across [start, end] at each of ``at`` (horizontal ones at those y, else vertical ones
        at those x).  Evenly spaced (three or more, further apart than 1.5 pixels), in a compact canvas: one
        stroke ``end - start`` wide along the rules' axis, dashed 1 on, spacing - 1 off, from half a pixel
        before the first rule to half a pixel after the last (butt ends): each dash is one rule, exactly."""
        p = sorted(float(num(v)) for v in at)
        a, b = float(num(start)), float(num(end))
        gaps = [q - r for q, r in zip(p[1:], p)]
        if (self.compact and len(p) >= 3 and min(gaps) > 1.5 and max(gaps) - min(gaps) <= 0.15
                and abs(b - a) > 0):
            step = (p[-1] - p[0]) / (len(p) - 1)
            mid, lo, hi = _fine((a + b) / 2), _fine(p[0] - 0.5), _fine(p[-1] + 0.5)
            d = f"M{mid},{lo}V{hi}" if horizontal else f"M{lo},{mid}H{hi}"
            self.parts.append(f'<path d="{d}" stroke="{_attr(color)}" stroke-width="{_fine(abs(b - a))}"'
                              f' stroke-dasharray="1 {_fine(step - 1)}"/>')
            return
        for v in at:
            if horizontal:
                self.line(start, v, end, v, color, 1)
            else:
                self.line(v, start, v, end, color, 1)

    def series(self, path: str, color: str, width: float, dash=None) -> None:
        """A data line (no fill, round joins); consecutive ones of one width share a ``<g>`` (compact)."""
        if self.compact:
            self._group("series", (num(width),), f'<path d="{path}" stroke="{_attr(color)}"{dash_attr(dash)}/>')
            return
        self.add(f'<path d="{path}" fill="none" stroke="{attr(color)}" stroke-width="{num(width)}"'
                 f' stroke-linejoin="round"{dash_attr(dash)}/>')

    def rect(self, x, y, w, h, fill) -> None:
        """A filled rectangle (consecutive ones of one colour: one path, in a compact canvas)."""
        if self.compact:
            self._group("rect", (f' fill="{_attr(fill)}"',), f"M{num(x)},{num(y)}h{num(w)}v{num(h)}h{num(-w)}z")
            return
        self.add(f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="{attr(fill)}"/>')

    def _root_text(self) -> tuple[str, str] | None:
        """The font size and colour most labels have (ties: the first seen), for the ``<svg>`` itself."""
        count: dict = {}
        for part in self.parts:
            if isinstance(part, list) and part[0] in ("text", "rot"):
                k = part[1][:2]
                count[k] = count.get(k, 0) + len(part[2])
        return max(count, key=count.get) if count else None

    @staticmethod
    def _text_attrs(key: tuple, root) -> str:
        size, color, anchor, weight = key
        out = "" if root and size == root[0] else f' font-size="{size}"'
        out += "" if root and color == root[1] else f' fill="{_attr(color)}"'
        out += f' text-anchor="{anchor}"' if anchor != "start" else ""
        return out + (f' font-weight="{weight}"' if weight else "")

    def _texts(self, key: tuple, items: list, root) -> str:
        a = self._text_attrs(key, root)
        if len(items) == 1:
            x, y, t = items[0]
            return f'<text{a} x="{x}" y="{y}">{t}</text>'
        if len(items) >= 3 and len({x for x, _, _ in items}) == 1:
            body = "".join(f'<text y="{y}">{t}</text>' for _, y, t in items)
            return f'<g{a} transform="translate({items[0][0]})">{body}</g>'
        if len(items) >= 3 and len({y for _, y, _ in items}) == 1:
            body = "".join(f'<text x="{x}">{t}</text>' for x, _, t in items)
            return f'<g{a} transform="translate(0 {items[0][1]})">{body}</g>'
        body = "".join(f'<text x="{x}" y="{y}">{t}</text>' for x, y, t in items)
        return f"<g{a}>{body}</g>" if a else body

    def _parts(self, root):
        for part in self.parts:
            if isinstance(part, str):
                yield part
            elif part[0] in ("line", "rect"):
                yield f'<path d="{"".join(part[2])}"{part[1][0]}/>'
            elif part[0] == "series":
                yield (f'<g fill="none" stroke-width="{part[1][0]}" stroke-linejoin="round">{"".join(part[2])}</g>'
                       if len(part[2]) > 1 else part[2][0].replace(
                           "<path ", f'<path fill="none" stroke-width="{part[1][0]}" stroke-linejoin="round" ', 1))
            elif part[0] == "rot":
                r, x, y, t = part[2][0]
                yield f'<text{self._text_attrs(part[1], root)}{r} x="{x}" y="{y}">{t}</text>'
            else:
                yield self._texts(part[1], part[2], root)

    def finish(self, title: str, desc: str) -> str:
        if self.compact:
            root = self._root_text()
            defaults = f' font-size="{root[0]}" fill="{_attr(root[1])}"' if root else ""
            head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}"'
                    f' viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" aria-labelledby="t"'
                    f' font-family="{attr(self.font.replace(", ", ","))}"{defaults}>'
                    f'<title id="t">{escape(title)}</title>')
            return head + "".join(self._parts(root)) + "</svg>\n"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" height="{num(self.height)}"'
                f' viewBox="0 0 {num(self.width)} {num(self.height)}" role="img" aria-labelledby="t d"'
                f' font-family="{attr(self.font)}">'
                f'<title id="t">{escape(title)}</title><desc id="d">{escape(desc)}</desc>')
        return head + "".join(self._parts(None)) + "</svg>\n"


def _value(row: dict, name: str) -> float | None:
    v = row.get(name)
    return None if v is None or isinstance(v, bool) else finite(v)


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

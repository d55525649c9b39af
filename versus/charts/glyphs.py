"""Text drawn as glyph outlines (the social cards): filled by :mod:`.raster`, or by resvg in the SVG reference.

Rasterizing a ``<text>`` element makes resvg find, shape and outline the font every time:
on a 1200×630 card that is most of ``vl_convert.svg_to_png``'s cost (a blank card takes
~10 ms, the card's texts ~50 ms more).  The same texts as ``<path>`` outlines cost about a
quarter of that.  The outlines and advance widths of the characters the cards use
(printable ASCII, Latin-1 and a few marks such as · … − – — ‘ ’ “ ” €) are pre-extracted from
Liberation Sans 2.1.5 Regular and Bold (metric-compatible with Arial, the face resvg uses
for ``sans-serif`` on the build machines; SIL Open Font License 1.1, see
``data/glyphs/NOTICE.md``) into ``data/glyphs/card-glyphs.json``, with the font's pair
kerning between those characters, applied as HarfBuzz (resvg's shaper) applies it.

:func:`outline` lays a string out with the real advance widths and kerning and returns one
``<path>`` (or ``None`` if a character is missing, and the caller keeps a ``<text>``), so
nothing is ever dropped.  :func:`width` is the real advance width.  The card no longer
depends on which fonts the machine has.  :mod:`.raster` fills the same outlines (``Face.shape``)
at the same advances and kerning to draw the published card without SVG.

The JSON is regenerated with fontTools (a development tool, not needed to build the site)::

    python -m versus.glyphs --font PATH/LiberationSans-Regular.ttf --bold PATH/LiberationSans-Bold.ttf

Glyph path data are in font units, y pointing down, relative commands after the first
moveto, so a glyph is placed by rewriting only its first ``M``: a string is one path under
``translate(x y) scale(size / units_per_em)``.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from ..resources import glyph_data

DATA = glyph_data()
CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "\u00b7\u2026\u2212\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u20ac\u2122\u2009\u202f"
)
"""The characters extracted (each that the font has)."""


class Face:
    """One weight: advance widths, outlines and kerning in font units."""

    def __init__(self, units: int, glyphs: dict, kern: dict):
        self.units = units
        self.advance = {c: g[0] for c, g in glyphs.items()}
        # the first moveto (x, y) and the rest of the path data, relative
        self.shape = {c: (g[1], g[2], g[3]) for c, g in glyphs.items() if g[3]}
        self.kern = kern
        self.chars = frozenset(self.advance)
        self._widths: dict[str, int] = {}

    def covers(self, text: str) -> bool:
        return self.chars.issuperset(text)

    def units_width(self, text: str) -> int:
        """Advance width of ``text`` in font units, pair kerning included (remembered: card texts recur)."""
        w = self._widths.get(text)
        if w is None:
            adv, kern = self.advance, self.kern
            w = sum(adv[c] for c in text)
            if kern:
                w += sum(kern.get(a + b, 0) for a, b in zip(text, text[1:]))
            if len(self._widths) > 65536:
                self._widths.clear()
            self._widths[text] = w
        return w

    def path_data(self, text: str) -> str:
        """Outline data of ``text`` from the origin, in font units (y down)."""
        parts, pen, prev = [], 0, ""
        adv, shape, kern = self.advance, self.shape, self.kern
        for c in text:
            if prev:
                pen += kern.get(prev + c, 0)
            s = shape.get(c)
            if s:
                parts.append(f"M{pen + s[0]} {s[1]}{s[2]}")
            pen += adv[c]
            prev = c
        return "".join(parts)


@lru_cache(maxsize=1)
def faces() -> dict[str, Face]:
    """{'regular': Face, 'bold': Face}, loaded once."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {k: Face(data["units_per_em"], v["glyphs"], v["kern"]) for k, v in data["faces"].items()}


def is_bold(weight) -> bool:
    """Whether resvg draws ``font-weight`` with the Bold face: from 600 up (CSS font matching over 400 and 700)."""
    try:
        return int(weight or 400) >= 600
    except ValueError:
        return str(weight) in ("bold", "bolder")


def face(weight) -> Face:
    return faces()["bold" if is_bold(weight) else "regular"]


def width(text: str, size: float, weight=400) -> float | None:
    """Advance width of ``text`` in pixels at ``size``, kerning included; ``None`` if a character is missing."""
    f = face(weight)
    if not f.covers(text):
        return None
    return f.units_width(text) * size / f.units


def _attr(s: str) -> str:
    return escape(s, {'"': "&quot;"})


def _num(x: float, digits: int = 1) -> str:
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


SHIFT = {"top": 0.8, "middle": 0.35}
"""Baselines as ``versus.svgplot.Canvas.text`` places them (``dy`` in em), so the layout does not move."""


def outline(x: float, y: float, text: str, size: float, color: str, anchor: str = "start", weight=400,
            baseline: str | None = None) -> str | None:
    """``text`` as one filled ``<path>``, placed like an SVG ``<text>`` with these attributes.

    ``anchor`` is start / middle / end (of the real advance width), ``baseline`` alphabetic
    (None), middle or top.  ``None`` if the font data lacks a character: draw a ``<text>``.
    """
    f = face(weight)
    if not f.covers(text):
        return None
    scale = size / f.units
    x0 = x - {"middle": 0.5, "end": 1.0}.get(anchor, 0.0) * f.units_width(text) * scale
    y0 = y + SHIFT.get(baseline or "", 0.0) * size
    d = f.path_data(text)
    if not d:  # only spaces
        return ""
    return (f'<path aria-label="{_attr(text)}" fill="{_attr(color)}"'
            f' transform="translate({_num(x0, 2)} {_num(y0, 2)}) scale({_num(scale, 8)})" d="{d}"/>')


# --------------------------------------------------------------------------- generating the data (fontTools)
def _glyph_data(font, glyph_set, name: str) -> list:
    """[advance, x0, y0, relative path data after the first moveto] of one glyph, y down, integers."""
    from fontTools.pens.basePen import BasePen

    out: list[str] = []
    state = {"cur": (0, 0), "start": (0, 0), "first": None}

    def n(*vals) -> str:
        s = ""
        for v in vals:
            t = str(int(v))
            s += t if (not s or t.startswith("-")) else " " + t
        return s

    class Pen(BasePen):
        def _pt(self, p):
            return round(p[0]), -round(p[1])

        def _moveTo(self, p):
            p = self._pt(p)
            if state["first"] is None:
                state["first"] = p
            else:
                cx, cy = state["cur"]
                out.append("m" + n(p[0] - cx, p[1] - cy))
            state["cur"] = state["start"] = p

        def _lineTo(self, p):
            p = self._pt(p)
            cx, cy = state["cur"]
            if p == (cx, cy):
                return
            out.append("h" + n(p[0] - cx) if p[1] == cy else "v" + n(p[1] - cy) if p[0] == cx
                       else "l" + n(p[0] - cx, p[1] - cy))
            state["cur"] = p

        def _qCurveToOne(self, p1, p2):
            a, b = self._pt(p1), self._pt(p2)
            cx, cy = state["cur"]
            out.append("q" + n(a[0] - cx, a[1] - cy, b[0] - cx, b[1] - cy))
            state["cur"] = b

        def _curveToOne(self, p1, p2, p3):
            a, b, c = self._pt(p1), self._pt(p2), self._pt(p3)
            cx, cy = state["cur"]
            out.append("c" + n(a[0] - cx, a[1] - cy, b[0] - cx, b[1] - cy, c[0] - cx, c[1] - cy))
            state["cur"] = c

        def _closePath(self):
            out.append("z")
            state["cur"] = state["start"]

    glyph_set[name].draw(Pen(glyph_set))
    adv = font["hmtx"][name][0]
    if state["first"] is None:
        return [adv, 0, 0, ""]
    return [adv, state["first"][0], state["first"][1], "".join(out)]


def _kern_lookups(gpos, tag: str) -> list[int] | None:
    """Lookup indices of the 'kern' feature of a script's default language; None if the script is absent."""
    for rec in gpos.ScriptList.ScriptRecord:
        if rec.ScriptTag == tag:
            langsys = rec.Script.DefaultLangSys
            feats = langsys.FeatureIndex if langsys else []
            return sorted({i for f in feats if gpos.FeatureList.FeatureRecord[f].FeatureTag == "kern"
                           for i in gpos.FeatureList.FeatureRecord[f].Feature.LookupListIndex})
    return None


# complexity: walks GPOS pair-kerning lookups (formats 1 and 2, extension subtables); a development tool
def _kerning(font, chars: dict[str, str]) -> dict[str, int]:
    """Pair kerning between ``chars``: the 'kern' feature of the 'latn' script (else 'DFLT').

    GPOS PairPos formats 1 and 2 (XAdvance of the first glyph), else the legacy 'kern' table.
    resvg (rustybuzz) applies it to every string of the card, digits-only ones included
    (checked by rendering Liberation Sans 2.1.5 ``<text>`` with resvg against these outlines).
    """
    by_glyph: dict[str, list[str]] = {}
    for c, g in chars.items():
        by_glyph.setdefault(g, []).append(c)
    pairs: dict[str, int] = {}
    if "GPOS" not in font:
        if "kern" in font:
            for (ga, gb), dx in font["kern"].kernTables[0].kernTable.items():
                for a in by_glyph.get(ga, ()):
                    for b in by_glyph.get(gb, ()):
                        if dx:
                            pairs[a + b] = int(dx)
        return dict(sorted(pairs.items()))
    gpos = font["GPOS"].table
    latn = _kern_lookups(gpos, "latn")
    for index in latn if latn is not None else (_kern_lookups(gpos, "DFLT") or []):
        lookup = gpos.LookupList.Lookup[index]
        seen: set[str] = set()  # within a lookup the first subtable that matches a pair wins
        for sub in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 9:
                kind, sub = sub.ExtensionLookupType, sub.ExtSubTable
            if kind != 2:
                continue
            if sub.Format == 1:
                found = ((first, rec.SecondGlyph, rec.Value1) for first, pset in zip(sub.Coverage.glyphs, sub.PairSet)
                         for rec in pset.PairValueRecord)
            elif sub.Format == 2:
                c1, c2 = sub.ClassDef1.classDefs, sub.ClassDef2.classDefs
                found = ((first, second, sub.Class1Record[c1.get(first, 0)].Class2Record[c2.get(second, 0)].Value1)
                         for first in sub.Coverage.glyphs for second in by_glyph)
            else:
                raise SystemExit(f"PairPos format {sub.Format} is not supported")
            for ga, gb, value in found:
                dx = int(getattr(value, "XAdvance", 0) or 0) if value else 0
                for a in by_glyph.get(ga, ()):
                    for b in by_glyph.get(gb, ()):
                        if a + b not in seen:
                            seen.add(a + b)
                            if dx:
                                pairs[a + b] = pairs.get(a + b, 0) + dx
    return dict(sorted(pairs.items()))


def extract(path: str) -> tuple[dict, dict]:
    """(face data, font facts: family, version, copyright, license, units per em) of one font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    cmap = font.getBestCmap()
    chars = {c: cmap[ord(c)] for c in CHARS if ord(c) in cmap}
    glyph_set = font.getGlyphSet()
    glyphs = {c: _glyph_data(font, glyph_set, g) for c, g in chars.items()}

    name = font["name"]
    facts = {"family": name.getDebugName(1), "style": name.getDebugName(2), "version": name.getDebugName(5),
             "copyright": name.getDebugName(0), "license": name.getDebugName(13),
             "units_per_em": font["head"].unitsPerEm}
    return {"glyphs": glyphs, "kern": _kerning(font, chars)}, facts


def generate(regular: str, bold: str, out: Path = DATA) -> None:
    """Write the JSON from the two font files (refuses fonts not under the SIL Open Font License)."""
    reg, reg_facts = extract(regular)
    bld, bold_facts = extract(bold)
    for facts in (reg_facts, bold_facts):
        if "Open Font License" not in (facts["license"] or ""):
            raise SystemExit(f"{facts['family']} {facts['version']}: license {facts['license']!r} is not the OFL"
                             " (Liberation fonts before 2.0 are GPLv2 with exceptions: use 2.x)")
    if reg_facts["units_per_em"] != bold_facts["units_per_em"]:
        raise SystemExit("the two faces differ in units per em")
    data = {
        "note": "Glyph outlines and metrics extracted by versus.glyphs from the fonts in 'sources'."
                " Licensed under the SIL Open Font License 1.1: see NOTICE.md and OFL.txt.",
        "sources": {"regular": reg_facts, "bold": bold_facts},
        "units_per_em": reg_facts["units_per_em"],
        "faces": {"regular": reg, "bold": bld},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    faces.cache_clear()


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="Extract the card glyph outlines from Liberation Sans 2.x"
                                             " (needs fontTools).")
    ap.add_argument("--font", required=True, help="LiberationSans-Regular.ttf")
    ap.add_argument("--bold", help="LiberationSans-Bold.ttf (default: next to --font)")
    ap.add_argument("--out", type=Path, default=DATA)
    a = ap.parse_args()
    generate(a.font, a.bold or a.font.replace("-Regular", "-Bold"), a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size:,} bytes)")

"""Social cards: the vectorized monthly rows of the spec, texts drawn as glyph outlines, and the raster that draws
the published PNG (issue 17: the same picture as resvg's rendering of the SVG, in a fraction of the time and bytes)."""
from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import zlib
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from versus.charts import cache, cards, glyphs, raster

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parent.parent


def _card(names=("Fund Q", "Fund I")) -> tuple[dict, ET.Element]:
    idx = pd.bdate_range("2015-01-01", "2024-12-31")
    growth = pd.DataFrame({"QQQ": np.geomspace(1e4, 5e4, len(idx)), "IWM": np.linspace(1e4, 2e4, len(idx))},
                          index=idx)
    funds = {t: {"total_return": {"1y": 0.1}, "cagr": {"5y": -0.05}} for t in growth.columns}
    spec = cards.comparison_card(["QQQ", "IWM"], list(names), funds, growth, "2024-12-31", "versus")
    return spec, ET.fromstring(cards.card_svg(spec))


def _labels(root: ET.Element) -> list[str]:
    return [p.get("aria-label") for p in root.iter(f"{SVG}path") if p.get("aria-label") is not None]


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _place(path: str) -> tuple[float, float, float]:
    """(x, y, scale) of an outline path's transform."""
    m = re.search(r'transform="translate\(([-\d.]+) ([-\d.]+)\) scale\(([\d.]+)\)"', path)
    assert m, path
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


# --------------------------------------------------------------------------- the spec's rows
def test_card_spec_rows_are_the_last_value_of_each_month_rounded_half_to_even():
    idx = pd.to_datetime(["2020-01-02", "2020-01-31", "2020-02-03", "2020-04-01", "2020-04-30"])
    growth = pd.DataFrame({"A": [10000.4, 10000.5, 10001.5, np.nan, 10002.5],
                           "B": [np.nan, 9999.6, np.nan, 5.0, np.nan]}, index=idx)
    spec = cards.card_spec("T", "s", ["l"], growth, "f")
    rows = spec["layer"][1]["data"]["values"]
    assert rows == [  # March has no value: no row; B's April value is its last valid one, not the last row's NaN
        {"d": "2020-01-31", "A": 10000.0, "B": 10000.0},
        {"d": "2020-02-29", "A": 10002.0},
        {"d": "2020-04-30", "A": 10002.0, "B": 5.0},
    ]
    assert all(type(v) is float for r in rows for k, v in r.items() if k != "d")
    assert spec["layer"][1]["transform"][0]["fold"] == ["A", "B"]


def _reference_rows(growth: pd.DataFrame) -> list[dict]:
    """The former implementation: pandas resample and one dict per iterrows row."""
    monthly = growth.resample("ME").last().dropna(how="all")
    return [{"d": d.strftime("%Y-%m-%d"), **{c: round(float(v), 0) for c, v in r.items() if pd.notna(v)}}
            for d, r in monthly.iterrows()]


@pytest.mark.parametrize("variant", ["sorted", "gaps", "unsorted", "tz", "short", "empty_column"])
def test_monthly_rows_equal_the_pandas_resample(variant):
    rng = np.random.default_rng(3)
    idx = pd.bdate_range("2009-03-10", "2014-08-20")
    growth = pd.DataFrame({"X": 1e4 * np.exp(np.cumsum(rng.normal(0, 0.01, len(idx)))),
                           "Y": 1e4 * np.exp(np.cumsum(rng.normal(0, 0.02, len(idx))))}, index=idx)
    growth.iloc[:300, 1] = np.nan  # a later inception
    if variant == "gaps":
        growth.iloc[500:560] = np.nan  # whole months without data
        growth.iloc[700:720, 0] = np.nan
    elif variant == "unsorted":
        growth = growth.iloc[::-1]
    elif variant == "tz":
        growth = growth.tz_localize("UTC")
    elif variant == "short":
        growth = growth.iloc[400:405]
    elif variant == "empty_column":
        growth = growth.assign(Z=np.nan)
    assert cards.monthly_rows(growth) == _reference_rows(growth)


# --------------------------------------------------------------------------- texts as outlines
def test_card_texts_are_glyph_outlines_not_text_elements():
    spec, root = _card()
    assert root.find(f"{SVG}title").text == spec["description"]  # still accessible
    assert root.get("role") == "img"
    assert _texts(root) == []
    labels = _labels(root)
    for s in ("QQQ vs IWM", "Fund Q · Fund I", "1 year: QQQ +10.0% · IWM +10.0%",
              "5 years, per year: QQQ \u22125.0% · IWM \u22125.0%", "$20k", "2020", "QQQ", "IWM"):
        assert s in labels
    title = next(p for p in root.iter(f"{SVG}path") if p.get("aria-label") == "QQQ vs IWM")
    assert title.get("fill") == "#1b1f24" and re.match(r"M\d+ -?\d+", title.get("d"))


def test_a_string_with_a_character_without_outline_stays_text():
    odd = "Fonds \u2248 Monde \u65e5\u672c"  # ≈ and CJK are not in the outline data
    _, root = _card(names=(odd, "Fund I"))
    assert _texts(root) == [f"{odd} · Fund I"]  # the whole string, nothing dropped
    assert "QQQ vs IWM" in _labels(root) and "$20k" in _labels(root)  # the rest are still outlines
    assert glyphs.outline(0, 0, odd, 20, "#000") is None and glyphs.width(odd, 20) is None


def test_every_printable_ascii_character_has_an_outline_in_both_weights():
    ascii_ = "".join(chr(c) for c in range(0x20, 0x7F))
    for weight in (400, 700):
        assert glyphs.face(weight).covers(ascii_ + "·…−–—$%")
    assert glyphs.face(700) is not glyphs.face(400) and glyphs.face(500) is glyphs.face(400)


def test_widths_are_the_fonts_advances_with_kerning():
    # Liberation Sans is metric-compatible with Arial: $, digits 1139/2048 em, k 1024/2048
    assert glyphs.width("$50k", 18) == pytest.approx((3 * 1139 + 1024) * 18 / 2048)
    assert glyphs.width("AV", 20) < glyphs.width("A", 20) + glyphs.width("V", 20)  # kerned pair
    assert glyphs.width("Fund", 20, 700) > glyphs.width("Fund", 20, 400)  # the bold face's own advances


@pytest.mark.parametrize("anchor,share", [("start", 0.0), ("middle", 0.5), ("end", 1.0)])
def test_anchor_places_the_advance_box_around_x(anchor, share):
    text, size = "$10k and AV", 18
    w = glyphs.width(text, size)
    x, y, scale = _place(glyphs.outline(500, 300, text, size, "#57606a", anchor))
    assert x + share * w == pytest.approx(500, abs=0.01)  # an end-anchored label's right edge is at x
    assert y == 300 and scale == pytest.approx(size / 2048, rel=1e-6)


def test_baselines_shift_like_the_text_elements_dy():
    assert _place(glyphs.outline(0, 100, "5", 20, "#000", baseline="middle"))[1] == pytest.approx(107)  # 0.35em
    assert _place(glyphs.outline(0, 100, "5", 20, "#000", baseline="top"))[1] == pytest.approx(116)  # 0.8em
    assert glyphs.outline(0, 0, "   ", 20, "#000") == ""  # only spaces: nothing to fill


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _png_channel(png: bytes) -> np.ndarray:
    """The first channel of an 8-bit, non-interlaced PNG (what resvg writes), as a 2-D array (no imaging library)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, head = 8, b"", None
    while pos < len(png):
        (n,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", png[pos + 8:pos + 8 + n])
        elif kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + n]
        pos += 12 + n
    width, height, depth, color, _, _, interlace = head
    assert depth == 8 and interlace == 0
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], [0] * stride
    for y in range(height):
        f, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        cur = [0] * stride
        for i in range(stride):  # undo the row's filter: None, Sub, Up, Average, Paeth
            a, b, c = (cur[i - bpp] if i >= bpp else 0), prev[i], (prev[i - bpp] if i >= bpp else 0)
            cur[i] = (line[i] + (0, a, b, (a + b) // 2, _paeth(a, b, c))[f]) % 256
        rows.append(cur)
        prev = cur
    return np.array(rows)[:, ::bpp]


def test_end_anchored_outline_ink_ends_at_x_when_rasterized():
    vlc = pytest.importorskip("vl_convert")
    path = glyphs.outline(300, 50, "$50k", 40, "#000", "end", baseline="middle")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">'
           f'<rect width="400" height="100" fill="#fff"/>{path}</svg>')
    ink = _png_channel(vlc.svg_to_png(svg, scale=1)) < 128  # red channel: the ink is black on white
    cols = np.flatnonzero(ink.any(axis=0))
    rows = np.flatnonzero(ink.any(axis=1))
    assert 296 <= cols.max() <= 300  # k's right side bearing is under 4 px at 40 px
    assert 300 - cols.min() == pytest.approx(glyphs.width("$50k", 40), abs=6)  # $'s left bearing
    assert 35 <= rows.min() and rows.max() <= 75  # centred on y=50, not dropped below it


def test_glyph_outlines_need_no_font_tools_at_build_time():
    code = ("import sys; from versus.charts import cards, glyphs; glyphs.faces(); glyphs.outline(0, 0, 'x', 9, '#000');"
            "assert 'fontTools' not in sys.modules, 'fontTools imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_glyph_data_names_its_source_and_license():
    notice = (ROOT / "versus" / "charts" / "fonts" / "NOTICE.md").read_text(encoding="utf-8")
    assert "SIL Open Font License" in notice and "2.1.5" in notice
    assert "SIL OPEN FONT LICENSE Version 1.1" in (ROOT / "versus" / "charts" / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    import json

    data = json.loads(glyphs.DATA.read_text(encoding="utf-8"))
    for face in ("regular", "bold"):
        assert "Open Font License" in data["sources"][face]["license"]


def _liberation2() -> Path | None:
    for d in (os.environ.get("VERSUS_LIBERATION2_DIR", ""), "/usr/share/fonts/truetype/liberation2"):
        if d and (Path(d) / "LiberationSans-Regular.ttf").is_file():
            return Path(d)
    return None


@pytest.mark.skipif(_liberation2() is None, reason="Liberation Sans 2.x not installed (fonts-liberation2)")
def test_glyph_data_regenerates_identically(tmp_path):
    pytest.importorskip("fontTools")
    out = tmp_path / "g.json"
    glyphs.generate(str(_liberation2() / "LiberationSans-Regular.ttf"),
                    str(_liberation2() / "LiberationSans-Bold.ttf"), out)
    assert out.read_bytes() == glyphs.DATA.read_bytes()


# --------------------------------------------------------------------------- the raster (the published card)
def _png_info(png: bytes) -> tuple[int, int, int, int, list[tuple[int, int, int]]]:
    """(width, height, bit depth, colour type, palette) from a PNG's IHDR and PLTE chunks."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png.endswith(b"IEND\xaeB`\x82")
    width, height, depth, color = struct.unpack(">IIBB", png[16:26])
    pos, palette = 8, []
    while pos < len(png):
        (n,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        if kind == b"PLTE":
            data = png[pos + 8:pos + 8 + n]
            palette = [tuple(data[i:i + 3]) for i in range(0, n, 3)]
        pos += 12 + n
    return width, height, depth, color, palette


def _rgb(png: bytes) -> np.ndarray:
    from PIL import Image
    import io

    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGB"), dtype=float)


def test_card_png_is_a_600_by_315_palette_png_of_its_own_colours_under_8_kb():
    spec, _ = _card()
    png = cards.card_png(spec, cards.CARD_SCALE)
    width, height, depth, color, palette = _png_info(png)
    assert (width, height, depth, color) == (600, 315, 8, 3)  # 8-bit palette image
    assert len(png) < 8 * 1024
    assert palette[0] == (255, 255, 255)  # the ground, painted first
    for exact in ((0x1b, 0x1f, 0x24), tuple(bytes.fromhex(cards.charts.PALETTE[0][1:])),
                  tuple(bytes.fromhex(cards.charts.PALETTE[1][1:]))):
        assert exact in palette  # ink and the two line colours at full coverage: no quantizer shifted them
    assert len(set(palette)) == len(palette) <= 64
    big = cards.card_png(spec, 1.0)
    assert _png_info(big)[:2] == (1200, 630)


def test_card_png_is_the_same_picture_as_resvg_draws_from_the_svg():
    vlc = pytest.importorskip("vl_convert")
    spec, _ = _card()
    mine = _rgb(cards.card_png(spec, 0.5))
    ref = _rgb(vlc.svg_to_png(cards.card_svg(spec), scale=0.5))
    assert mine.shape == ref.shape == (315, 600, 3)
    assert np.abs(mine - ref).mean() < 2.5  # of 255: the same layout, colours and anti-aliasing
    ink_mine, ink_ref = (255 - mine).sum(), (255 - ref).sum()
    assert abs(ink_mine - ink_ref) < 0.05 * ink_ref  # as much ink: no bolder, no thinner
    for rows in (slice(0, 50), slice(50, 115), slice(280, 315)):  # title, figures, axis labels and footer
        assert np.abs(mine[rows] - ref[rows]).mean() < 4


def test_card_png_bytes_are_the_same_in_a_fresh_process_whatever_was_drawn_before():
    spec, _ = _card()
    first = cards.card_png(spec, 0.5)
    other, _ = _card(names=("Another fund", "Yet another"))
    cards.card_png(other, 0.5)  # the glyph and word caches now hold other entries
    assert cards.card_png(spec, 0.5) == first
    code = ("import sys, hashlib; sys.path.insert(0, 'tests'); import test_cards as t; from versus.charts import cards;"
            "print(hashlib.sha256(cards.card_png(t._card()[0], 0.5)).hexdigest())")
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.strip()
    import hashlib

    assert out == hashlib.sha256(first).hexdigest()


def test_card_shows_the_same_texts_as_the_svg_and_the_spec():
    spec, root = _card()
    texts = cards.card_texts(spec)
    assert texts == _labels(root)  # one layout, drawn two ways
    rows = [t["t"] for t in spec["layer"][0]["data"]["values"]]
    assert texts[:len(rows)] == rows  # title, names, the two figures' lines, footer
    assert texts[-2:] == ["QQQ", "IWM"] and "$20k" in texts and "2020" in texts


def test_a_card_with_a_character_without_outline_goes_through_resvg(tmp_path):
    odd = "Fonds \u2248 Monde"
    spec, _ = _card(names=(odd, "Fund I"))
    with pytest.raises(raster.NotCovered):
        cards.card_png(spec, 0.5)
    png = cache.render([spec], "png", cache_dir=tmp_path, scale=0.5, colors=cards.CARD_COLORS)[0]
    width, height, _, color, palette = _png_info(png)
    assert (width, height, color) == (600, 315, 3) and len(palette) <= cards.CARD_COLORS
    assert list(tmp_path.rglob("*.png"))  # that one is cached; a card the raster draws is not
    plain, _ = _card()
    assert cache.render([plain], "png", cache_dir=tmp_path / "b", scale=0.5)[0] == cards.card_png(plain, 0.5)
    assert not (tmp_path / "b").exists()


def _index(r: raster.Raster) -> np.ndarray:
    r.flush()
    return r.index


def test_coverage_of_a_rectangle_is_its_area_in_each_pixel():
    # x from 1.25 to 3.75 (exact), y from 2.5 to 4.5 (sub-scanlines at 1/8, 3/8, 5/8, 7/8 of a row)
    x0, y0, x1, y1 = 1.25, 2.5, 3.75, 4.5
    edges = np.array([[x0, y0, x1, y0], [x1, y0, x1, y1], [x1, y1, x0, y1], [x0, y1, x0, y0]])
    r0, c0, cov = raster.coverage(edges, 8, 8)
    full = np.zeros((8, 8))
    full[r0:r0 + cov.shape[0], c0:c0 + cov.shape[1]] = cov
    expect = np.zeros((8, 8))
    for r, fy in ((2, 0.5), (3, 1.0), (4, 0.5)):
        for c, fx in ((1, 0.75), (2, 1.0), (3, 0.75)):
            expect[r, c] = fx * fy
    assert full == pytest.approx(expect)
    pos, vals = raster.coverage_cells(edges, 8, 8)
    cells = np.zeros(64)
    cells[pos] = vals
    assert cells.reshape(8, 8) == pytest.approx(expect)  # the segmented sums agree


def test_a_hole_stays_open_and_overlapping_pieces_do_not_darken():
    def square(a, b, reverse=False):
        pts = [(a, a), (b, a), (b, b), (a, b)]
        pts = pts[::-1] if reverse else pts
        return np.array([[*p, *q] for p, q in zip(pts, pts[1:] + pts[:1])], dtype=float)

    ring = np.vstack([square(0, 10), square(3, 7, reverse=True)])  # an "o": the inner contour wound the other way
    r0, c0, cov = raster.coverage(ring, 12, 12)
    assert cov[5 - r0, 5 - c0] == 0 and cov[1 - r0, 1 - c0] == 1
    twice = np.vstack([square(0, 10), square(2, 8)])  # same winding: 2 inside, clipped to full
    assert raster.coverage(twice, 12, 12)[2].max() == 1.0


def test_dashes_start_at_the_line_start_with_butt_ends():
    r = raster.Raster(40, 6)
    r.fill(raster.stroke_edges([0, 40], [3, 3], 2, [4, 4]), "#000000")
    row = _index(r)[2]  # the line covers rows 2 and 3 fully
    on = row != 0
    assert on.tolist() == [(x // 4) % 2 == 0 for x in range(40)]
    solid = raster.Raster(40, 6)
    solid.fill(raster.stroke_edges([0, 10, 20], [3, 3, 5], 2), "#000000")
    assert (_index(solid)[2, :10] != 0).all()


def test_layers_blend_over_what_is_under_them():
    r = raster.Raster(10, 4)
    r.fill(raster.stroke_edges([0, 10], [2, 2], 2), "#0000ff")
    r.fill(raster.stroke_edges([5, 5], [0, 4], 1), "#ff0000")  # a half-pixel-wide red line over blue
    idx = _index(r)
    pal = r.palette
    assert pal[idx[2, 0]] == (0, 0, 255)
    assert pal[idx[2, 4]] == (128, 0, 128) and pal[idx[2, 5]] == (128, 0, 128)  # half red over blue
    assert pal[idx[0, 4]] == (255, 128, 128)  # half red over the white ground


def test_raster_text_ends_at_x_when_end_anchored():
    c = cards._RasterCard(1.0)
    c.r = raster.Raster(400, 100)
    w = c.text(300, 50, "$50k", 40, "#000000", "end", baseline="middle")
    ink = _index(c.r) != 0
    cols, rows = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
    assert 296 <= cols.max() <= 300 and 300 - cols.min() == pytest.approx(w, abs=6)
    assert 33 <= rows.min() and rows.max() <= 75  # any coverage counts: the $ reaches above the digits
    assert c.texts == ["$50k"]


def test_cached_word_coverage_matches_the_outline_filled_at_its_place():
    """Texts are drawn from per-word caches placed to a quarter pixel: the same ink as filling the glyph
    outlines laid out exactly (advances, kerning), to a fraction of a coverage step on average."""
    text, size, x, y = "AVATAR Fund 1.23% Tow", 14.0, 10.37, 30.81
    face = glyphs.face(400)
    s = size / face.units
    parts, pen, prev = [], 0, ""
    for ch in text:
        pen += face.kern.get(prev + ch, 0) if prev else 0
        e = raster.glyph_edges(False, ch) * s
        e[:, 0::2] += x + pen * s
        e[:, 1::2] += y
        parts.append(e)
        pen += face.advance[ch]
        prev = ch
    r0, c0, cov = raster.coverage(np.vstack(parts), 300, 60, 16)
    direct = np.zeros((60, 300))
    direct[r0:r0 + cov.shape[0], c0:c0 + cov.shape[1]] = cov * raster.LEVELS
    left, top, lv = raster.text_levels(x, y, text, size)
    drawn = np.zeros((60, 300))
    drawn[top:top + lv.shape[0], left:left + lv.shape[1]] = lv
    ink = direct > 0
    assert np.abs(drawn - direct)[ink].mean() < 0.6  # of 4 steps
    assert abs(drawn.sum() - direct.sum()) < 0.05 * direct.sum()


def _pillow_png(index: np.ndarray, palette: list, level: int, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> bytes:
    import io

    from PIL import Image

    h, w = index.shape
    im = Image.frombuffer("P", (w, h), index.tobytes(), "raw", "P", 0, 1)
    im.putpalette([v for c in palette for v in c])
    out = io.BytesIO()
    im.save(out, "PNG", compress_level=level, compress_type=strategy)
    return out.getvalue()


@pytest.mark.parametrize("colors", [2, 5, 16, 17, 40, 256])
@pytest.mark.parametrize("shape", [(1, 1), (315, 600), (630, 1200), (3, 20000)])
def test_the_png_writer_writes_the_bytes_pillow_writes(colors, shape):
    """raster.pngfile writes palette PNGs with zlib directly: byte for byte what Pillow writes, for smooth and
    noisy pictures (noise at 630×1200 deflates to more than one IDAT chunk; a 20,000-pixel row makes the chunks
    larger), and pictures of 16 colours or fewer (packed pixels, filtered rows) go to Pillow."""
    from versus.charts.raster import pngfile

    rng = np.random.default_rng(colors * 7 + shape[1])
    palette = [tuple(int(v) for v in rng.integers(0, 256, 3)) for _ in range(colors)]
    h, w = shape
    smooth = (np.arange(h * w).reshape(h, w) // 997 % colors).astype(np.uint8)
    noisy = rng.integers(0, colors, shape).astype(np.uint8)
    for index in (smooth, noisy):
        for level in (1, raster.COMPRESS, 9):
            assert pngfile.palette_png(index, palette, level) == _pillow_png(index, palette, level)
        rle = pngfile.palette_png(index, palette, raster.COMPRESS, raster.STRATEGY)
        assert rle == _pillow_png(index, palette, raster.COMPRESS, raster.STRATEGY)


def test_card_png_bytes_are_pillows():
    spec, _ = _card()
    c = cards._RasterCard(cards.CARD_SCALE)
    cards._draw(spec, c)
    png = c.r.png()
    assert png == _pillow_png(c.r.index, c.r.palette, raster.COMPRESS, raster.STRATEGY)
    assert len(c.r.palette) > 16  # written by raster.pngfile, not handed to Pillow
    assert png != _pillow_png(c.r.index, c.r.palette, raster.COMPRESS)  # run-length matches, not the default


def test_cached_text_coverage_is_the_uncached_one_and_read_only():
    spec, _ = _card()
    placed = []
    c = cards._RasterCard(cards.CARD_SCALE)
    real = raster.text_levels
    import versus.charts.raster.picture as picture

    def spy(*args):
        placed.append(args)
        return real(*args)

    picture.text_levels = spy
    try:
        cards._draw(spec, c)
    finally:
        picture.text_levels = real
    assert len(placed) > 8
    for args in placed:
        left, top, lv = real(*args)
        left0, top0, lv0 = real.__wrapped__(*args)
        assert (left, top) == (left0, top0) and np.array_equal(lv, lv0)
        assert not lv.flags.writeable  # shared between cards: nobody may paint into it


@pytest.mark.parametrize("line", [(3.0, 10.0, 3.0, 200.0), (5.5, 7.25, 310.75, 7.25), (0.0, 0.0, 0.0, 0.0)])
@pytest.mark.parametrize("width", [1, 2.5, 5])
def test_a_solid_straight_line_is_the_one_dash_formulation(line, width):
    """A solid horizontal or vertical line's rectangle, made in Python floats, is what the dash machinery makes of
    one dash from 0 to the line's length (the formulation it replaced)."""
    x0, y0, x1, y1 = line
    half = width / 2
    a, b = np.array([0.0]), np.array([(x1 - x0) + (y1 - y0)])
    if x0 == x1:
        l, r, t, bt = np.full_like(a, x0 - half), np.full_like(a, x0 + half), y0 + a, y0 + b
    else:
        l, r, t, bt = x0 + a, x0 + b, np.full_like(a, y0 - half), np.full_like(a, y0 + half)
    expect = np.array([[l[0], t[0], r[0], t[0]], [r[0], t[0], r[0], bt[0]], [r[0], bt[0], l[0], bt[0]],
                       [l[0], bt[0], l[0], t[0]]])
    for dash in (None, [6, 0]):
        got = raster.stroke_edges([x0, x1], [y0, y1], width, dash)
        assert got.shape == (4, 4) and np.array_equal(got, expect)


def _reference_cells(edges: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """coverage_cells as it was before round 22 (crossings with np.clip, three repeats per cell): the reference
    the faster one must equal bit for bit."""
    n = raster.SUBROWS
    x0, y0, x1, y1 = edges.T
    dy = y1 - y0
    keep = dy != 0
    x0, y0, x1, y1, dy = x0[keep], y0[keep], x1[keep], y1[keep], dy[keep]
    lo, hi = np.minimum(y0, y1), np.maximum(y0, y1)
    ka = np.clip(np.ceil(lo * n - 0.5), 0, height * n).astype(np.int64)
    kb = np.clip(np.ceil(hi * n - 0.5), 0, height * n).astype(np.int64)
    cnt = kb - ka
    which = np.repeat(np.arange(len(cnt)), cnt)
    k = ka[which] + (np.arange(int(cnt.sum())) - (np.cumsum(cnt) - cnt)[which])
    sx = np.clip(x0[which] + ((k + 0.5) / n - y0[which]) * ((x1 - x0) / dy)[which], 0.0, float(width))
    row, sign = k // n, np.sign(dy)[which] / n
    if not len(row):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    xi = np.floor(sx)
    fr = sx - xi
    xi = xi.astype(np.int64)
    r0 = int(row.min())
    row = row - r0
    rows = int(row.max()) + 1
    nb = width // raster.BLOCK + 1
    occ = np.bincount(row * nb + xi // raster.BLOCK, minlength=rows * nb).reshape(rows, nb) > 0
    first = np.argmax(occ, axis=1)
    last = nb - 1 - np.argmax(occ[:, ::-1], axis=1)
    start = first * raster.BLOCK
    length = np.where(occ.any(axis=1), (last + 1) * raster.BLOCK - start + 2, 0)
    off = np.cumsum(length) - length
    total = int(length.sum())
    idx = off[row] + xi - start[row]
    acc = (np.bincount(idx, sign * (1 - fr), minlength=total)
           + np.bincount(idx + 1, sign * fr, minlength=total + 1)[:total])
    run = np.cumsum(acc)
    wind = run - np.repeat(np.concatenate([[0.0], run])[off], length)
    r = np.repeat(np.arange(rows), length)
    col = np.arange(total) - np.repeat(off, length) + np.repeat(start, length)
    ok = col < width
    return (r[ok] + r0) * width + col[ok], np.minimum(np.abs(wind[ok]), 1.0)


def _real_card_layers(monkeypatch) -> list[tuple[np.ndarray, int, int]]:
    """The edges of every layer of cards of real funds (QQQ, IWM, BND from the snapshot): full history, a short one
    (eight months), and one with a gap (a fund without prices for a year), at two dates."""
    from versus.charts.raster import picture
    from versus.sources.snapshot import SnapshotSource

    closes = SnapshotSource().load(["QQQ", "IWM", "BND"]).adj_close
    layers = []
    real = picture.coverage_cells

    def record(edges, width, height):
        layers.append((np.array(edges), width, height))
        return real(edges, width, height)

    monkeypatch.setattr(picture, "coverage_cells", record)
    for as_of, start in (("2024-12-31", None), ("2024-12-31", "2024-04-30"), ("2016-02-29", None)):
        c = closes.loc[start:as_of].dropna(how="all")
        gapped = c.copy()
        gapped.loc["2012-01-01":"2012-12-31", "BND"] = np.nan
        for frame in (c[["QQQ", "IWM"]], gapped[["IWM", "BND", "QQQ"]]):
            growth = frame.dropna(how="all") / frame.bfill().iloc[0] * 1e4
            funds = {t: {"total_return": {"1y": 0.1}, "cagr": {"5y": -0.05}} for t in growth.columns}
            spec = cards.comparison_card(list(growth.columns), list(growth.columns), funds, growth, as_of, "versus")
            picture._small_cells.cache_clear()
            cards.card_png(spec, cards.CARD_SCALE)
    monkeypatch.undo()
    return layers


def test_coverage_cells_equal_the_reference_on_real_cards_bit_for_bit(monkeypatch):
    from versus.charts.raster import picture

    layers = _real_card_layers(monkeypatch)
    assert len(layers) >= 12 and any(len(e) > 500 for e, _, _ in layers)  # growth lines and axis layers
    # a line leaving the picture on the right (cells right of it are dropped) and one crossing no sub-scanline
    layers.append((raster.stroke_edges([10.0, 70.0, 130.0], [5.0, 30.0, 12.0], 4), 100, 40))
    layers.append((raster.stroke_edges([10.0, 90.0], [5.0, 5.1], 0.01), 100, 40))
    for edges, width, height in layers:
        pos, cov = raster.coverage_cells(edges, width, height)
        ref_pos, ref_cov = _reference_cells(edges, width, height)
        assert np.array_equal(pos, ref_pos) and np.array_equal(cov, ref_cov)
        if len(edges) <= picture.SMALL_LAYER:  # the cached coverage of a small layer is the same
            small = picture._small_cells(np.ascontiguousarray(edges, dtype=np.float64).tobytes(), width, height)
            assert np.array_equal(small[0], pos) and np.array_equal(small[1], cov)

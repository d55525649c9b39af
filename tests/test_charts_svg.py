"""The hand-written SVG renderer of the no-JavaScript chart fallbacks, and the social cards it draws."""
from __future__ import annotations

import struct
import time
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from versus import charts
from versus.charts import cache as svg
from versus.charts import cards, svgplot

NS = {"s": "http://www.w3.org/2000/svg"}


def _days(start: str, end: str) -> pd.DatetimeIndex:
    return pd.bdate_range(start, end)


def _line_spec(kind: str, frame: pd.DataFrame, names: list[str], desc: str, rkind: str = "sig4", **kw) -> dict:
    data = charts.PageData()
    data.add_series({"growth_log": "growth", "price_log": "price"}.get(kind, kind), frame, rkind)
    return charts.standalone(charts.instantiate(kind, names, desc, **kw), data)


def _bar_spec(kind: str, rows: list[dict], names: list[str], desc: str) -> dict:
    data = charts.PageData()
    data.tables[{"years": "years", "months": "months", "sectors": "sectors", "dividends": "dividends"}[kind]] = rows
    return charts.standalone(charts.instantiate(kind, names, desc), data)


def _parse(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    return root


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def _series(root: ET.Element) -> list[ET.Element]:
    """The data lines: paths without fill, on their own or in a group of them (``<g fill="none">``)."""
    grouped = [p for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("fill") == "none"
               for p in g.iter("{http://www.w3.org/2000/svg}path")]
    return grouped + [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("fill") == "none"]


def _strokes(root: ET.Element) -> list[tuple[str, str | None]]:
    return [(p.get("stroke"), p.get("stroke-dasharray")) for p in _series(root)]


@pytest.fixture
def growth():
    idx = _days("2015-01-01", "2024-12-31")
    return pd.DataFrame({"QQQ": np.geomspace(1e4, 5e4, len(idx)), "IWM": np.linspace(1e4, 2e4, len(idx))}, index=idx)


DESC = "Growth of $10,000 invested on 1 Jan 2015: QQQ grew to $50,000, IWM grew to $20,000."


@pytest.mark.parametrize("kind", ["growth", "growth_log"])
def test_growth_lines_have_title_desc_fund_colours_dashes_and_money_labels(growth, kind):
    root = _parse(svgplot.render(_line_spec(kind, growth, ["QQQ", "IWM"], DESC)))
    assert root.find("s:title", NS).text == "Growth of $10,000 invested on 1 Jan 2015"
    # no <desc>: the finding in words is the page's caption, which the <img> points at (aria-describedby)
    assert root.find("s:desc", NS) is None and root.get("aria-labelledby") == "t"
    strokes = _strokes(root)
    assert (charts.PALETTE[0], None) in strokes and (charts.PALETTE[1], "6,3") in strokes
    texts = _texts(root)
    assert {"QQQ", "IWM"} <= set(texts)  # legend
    assert "$20k" in texts and "2020" in texts
    assert not [t for t in texts if t.endswith("k") and "." in t and t.endswith("0k")]  # "~" trims zeros


def test_percent_axis_uses_a_real_minus_and_a_zero_rule():
    idx = _days("2020-01-01", "2021-12-31")
    dd = pd.DataFrame({"A": -np.abs(np.sin(np.arange(len(idx)) / 40)) * 0.3}, index=idx)
    root = _parse(svgplot.render(_line_spec("drawdown", dd, ["A"], "Drawdown of A: fell 30%.", "frac3")))
    texts = _texts(root)
    assert "\u221220%" in texts and "0%" in texts and not [t for t in texts if t.startswith("-")]


def test_relative_strength_draws_the_rule_the_average_and_the_regime_note():
    idx = _days("2023-01-01", "2024-12-31")
    ratio = pd.Series(np.linspace(1.0, 1.3, len(idx)), index=idx)
    rel = pd.DataFrame({"A/B": ratio, "200-day average": ratio.rolling(200).mean()})
    spec = charts.standalone(
        charts.instantiate("relative", ["A/B", "200-day average"], "Relative strength of A against B: 1.30.",
                           subs={"__NOTE__": "Now: above its 200-day average and rising"}),
        _page("relative", rel, "sig4"))
    root = _parse(svgplot.render(spec))
    texts = _texts(root)
    assert "Now: above its 200-day average and rising" in texts and "1.00" in texts
    strokes = _strokes(root)
    assert ("#0072B2", None) in strokes and ("#6e7781", "6,3") in strokes
    assert any(p.get("stroke-dasharray") == "2,3" for p in root.iter("{http://www.w3.org/2000/svg}path"))


def _page(name, frame, kind):
    data = charts.PageData()
    data.add_series(name, frame, kind)
    return data


def test_nan_gaps_split_the_line_and_a_lone_point_is_a_dot():
    idx = _days("2024-01-01", "2024-06-28")
    v = np.linspace(0.1, 0.3, len(idx))
    v[40:50] = np.nan
    v[60:70] = np.nan
    v[71:] = np.nan
    v[69 + 1] = 0.2  # index 70: alone between gaps
    # rows where no series has a value are dropped by PageData.rows; A's gaps are rows where B has one
    frame = pd.DataFrame({"A": v, "B": np.full(len(idx), 0.25)}, index=idx)
    root = _parse(svgplot.render(_line_spec("volatility", frame, ["A", "B"], "Volatility: A 20%.", "frac3")))
    d = {p.get("stroke"): p.get("d") for p in _series(root)}
    assert d[charts.PALETTE[0]].count("M") == 2 and d[charts.PALETTE[1]].count("M") == 1
    assert len(list(root.iter("{http://www.w3.org/2000/svg}circle"))) == 1


def test_a_one_point_series_and_empty_data_still_render():
    idx = _days("2024-01-02", "2024-01-02")
    one = _parse(svgplot.render(_line_spec("growth", pd.DataFrame({"A": [1e4]}, index=idx), ["A"], "Growth: A.")))
    assert len(list(one.iter("{http://www.w3.org/2000/svg}circle"))) == 1
    empty = _bar_spec("months", [], ["A \u2212 B"], "No full month yet.")
    root = _parse(svgplot.render(empty))
    assert any("No data" in t for t in _texts(root)) and root.find("s:desc", NS) is None


def test_grouped_bars_negative_values_labels_and_formats():
    rows = [{"y": "2024 YTD", "A": 0.12, "B": -0.05}, {"y": "2023", "A": -0.2, "B": 0.3},
            {"y": "2022", "A": None, "B": 0.1}]
    root = _parse(svgplot.render(_bar_spec("years", rows, ["A", "B"], "Total return per year: A beat B once.")))
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert len(rects) == 2 and {r.get("fill") for r in rects} == set(charts.PALETTE[:2])  # the legend swatches
    # the bars: one path per fund, a closed subpath per bar (5: one value missing)
    bars = [b for b in root.iter("{http://www.w3.org/2000/svg}path") if b.get("fill") in charts.PALETTE]
    assert len(bars) == 2 and sum(b.get("d").count("z") for b in bars) == 5
    texts = _texts(root)
    assert {"2024 YTD", "2023", "2022", "Total return"} <= set(texts)
    assert "\u221220%" in texts and "20%" in texts
    assert texts.count("A") == 2 and texts.count("B") == 2  # legend + first-row direct labels
    months = _bar_spec("months", [{"m": "Jan", "A \u2212 B": 0.005}, {"m": "Feb", "A \u2212 B": -0.012}],
                       ["A \u2212 B"], "Average monthly difference: A ahead in January.")
    mt = _texts(_parse(svgplot.render(months)))
    assert "\u22121%" in mt and "0.2%" in mt and "0%" in mt and "Jan" in mt


def test_sectors_and_dividends_render_and_long_labels_are_cut():
    sectors = [{"s": "Information Technology and a very long sector name indeed", "A": 0.36}, {"s": "Energy", "A": 0.05}]
    t = _texts(_parse(svgplot.render(_bar_spec("sectors", sectors, ["A"], "Sector weights: A mostly tech."))))
    assert any(x.endswith("\u2026") for x in t) and "Energy" in t
    div = _bar_spec("dividends", [{"y": str(y), "A": 0.1 * (y - 2000)} for y in range(2003, 2027)], ["A"],
                    "Dividends per share: $2.60 in 2026.")
    t = _texts(_parse(svgplot.render(div)))
    assert "$2.00" in t and "2003" in t


@pytest.mark.parametrize("value,spec,out", [
    (20000, "$~s", "$20k"), (12500, "$~s", "$12.5k"), (1e6, "$~s", "$1M"), (0, "$~s", "$0"),
    (-0.2, "~%", "\u221220%"), (0.005, ".1~%", "0.5%"), (0.01, ".1~%", "1%"), (1.2, ".2f", "1.20"),
    (-0.0, ".1f", "0.0"), (1234.5, "$,.0f", "$1,235"), (2.5, "$.2f", "$2.50"), (0.3, ".1f", "0.3")])
def test_number_formats_follow_d3(value, spec, out):
    assert svgplot.format_number(value, spec) == out


def test_same_input_same_bytes_and_fast(growth):
    spec = _line_spec("growth", growth, ["QQQ", "IWM"], DESC)
    first = svgplot.render(spec)
    assert svgplot.render(spec) == first
    t = time.perf_counter()
    for _ in range(5):
        svgplot.render(spec)
    assert (time.perf_counter() - t) / 5 < 0.05  # a few ms; vl-convert takes 150–450 ms


def test_svg_render_uses_the_hand_renderer_and_falls_back_to_vl_convert(growth, tmp_path):
    spec = _line_spec("growth", growth, ["QQQ", "IWM"], DESC)
    out = svg.render([spec, {"data": {"values": [{"x": 1}]}, "mark": "point",
                             "encoding": {"x": {"field": "x", "type": "quantitative"}}}], cache_dir=tmp_path)
    assert out[0] == svgplot.render(spec).encode() and svg.svg_size(out[0])[0] == charts.SVG_WIDTH
    assert out[1].startswith(b"<svg") and b'class="marks"' in out[1]  # Vega's own output


def test_social_card_is_drawn_by_hand_1200_by_630(growth, tmp_path):
    funds = {t: {"total_return": {"1y": 0.1}, "cagr": {"5y": 0.05}} for t in growth.columns}
    spec = cards.comparison_card(["QQQ", "IWM"], ["Fund Q", "Fund I"], funds, growth, "2024-12-31", "versus")
    assert cards.is_card(spec)
    text = cards.card_svg(spec)
    root = _parse(text)
    assert (root.get("width"), root.get("height")) == ("1200", "630")
    # texts are glyph outlines (paths labelled with their text), see tests/test_cards.py
    labels = [p.get("aria-label") for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("aria-label")]
    assert "QQQ vs IWM" in labels and "$20k" in labels and not _texts(root)
    png = svg.render([spec], "png", cache_dir=tmp_path, scale=1)[0]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1200, 630)


def _vertices(path: str) -> np.ndarray:
    """The absolute points of one ``M x,y l dx dy ...`` subpath (whole pixels)."""
    head, body = path.split("l")
    start = [float(v) for v in head[1:].split(",")]
    steps = np.array([float(v) for v in body.replace("-", " -").split()]).reshape(-1, 2)
    return np.vstack([start, start + np.cumsum(steps, axis=0)])


def test_lines_are_thinned_where_it_cannot_show_and_kept_where_it_can():
    """Issue 17: a flat run is one segment; a zigzag of 3 pixels keeps every turn (only points within
    svgplot's THIN, 0.6 px, of their neighbours' line go)."""
    x = np.linspace(0, 500, 1000)
    path, _ = svgplot.polyline(x, np.full(1000, 100.0))
    assert path == "M0,100l500 0"
    zig = 100 + 3 * (np.arange(200) % 2)  # up and down every 5 px
    path, _ = svgplot.polyline(np.arange(200) * 5.0, zig)
    steps = path.split("l")[1].replace("-", " -").split()
    assert len(steps) == 2 * 199 and {abs(float(v)) for v in steps[1::2]} == {3.0}


def _distance_to_line(px: np.ndarray, py: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Each point's distance to the nearest segment of the polyline through ``v``."""
    a, b = v[:-1], v[1:]
    d = b - a
    p = np.column_stack([px, py])[:, None, :]
    t = np.clip(((p - a) * d).sum(-1) / np.maximum((d * d).sum(-1), 1e-12), 0, 1)
    return np.hypot(*(p - (a + t[..., None] * d)).transpose(2, 0, 1)).min(axis=1)


def test_a_thinned_line_passes_by_every_point_and_drops_what_cannot_show():
    """Min/max per 2-pixel column, then thinning on the exact positions: every point of the data is within
    two pixels of the line drawn (a column's lowest and highest within rounding and the tolerance: the
    points between them are under the 2-pixel stroke), a smooth curve within a pixel and a half in a
    fraction of its points, a noisy one in at most a point per pixel column."""
    rng = np.random.default_rng(3)
    x = np.linspace(10, 570, 1200)
    noisy = 150 + np.cumsum(rng.normal(0, 1.5, 1200))
    smooth = 150 + 60 * np.sin(x / 90)
    for y, most, near in ((noisy, 560, 2.0), (smooth, 120, 1.5)):
        path, _ = svgplot.polyline(x, y)
        v = _vertices(path)
        assert len(v) <= most
        assert _distance_to_line(x, y, v).max() <= near
        col = np.floor(x / 2)
        for c in np.unique(col):  # each column's extremes: within rounding and the tolerance
            i = np.flatnonzero(col == c)
            lo, hi = i[np.argmin(y[i])], i[np.argmax(y[i])]
            assert _distance_to_line(x[[lo, hi]], y[[lo, hi]], v).max() <= 1.5


@pytest.mark.parametrize("ys", [[291, 258.5, 226, 193.5, 161], [272, 234.857, 197.714, 160.571]])
def test_evenly_spaced_rules_are_one_dashed_stroke_a_dash_per_rule(ys):
    """Issue 17: grid lines and ticks: one path, a 1-pixel dash per rule, exactly where each rule was."""
    c = svgplot.Canvas(640, 320, "Arial", compact=True)
    c.rules(ys, 60, 620, "#d0d7de")
    root = ET.fromstring(c.finish("t", ""))
    (p,) = list(root.iter("{http://www.w3.org/2000/svg}path"))
    x, y0 = (float(v) for v in p.get("d")[1:].split("V")[0].split(","))
    y1 = float(p.get("d").split("V")[1])
    on, off = (float(v) for v in p.get("stroke-dasharray").split())
    assert (x, float(p.get("stroke-width")), on) == (340.0, 560.0, 1.0)
    centres = y0 + 0.5 + np.arange(len(ys)) * (on + off)
    assert np.allclose(centres, sorted(ys), atol=0.06) and abs(y1 - (max(ys) + 0.5)) < 0.06
    uneven = svgplot.Canvas(640, 320, "Arial", compact=True)
    uneven.rules([10, 20, 40], 60, 620, "#d0d7de")  # log-scale ticks: the rules one by one
    assert "stroke-dasharray" not in uneven.finish("t", "") and uneven.finish("t", "").count("H620") == 3

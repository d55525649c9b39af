"""Chart data, specs, build-time renders and the chart/holdings view-models (issue 4).

Small hand-made series; every expected number is arithmetic written next to its
assertion or an independent recomputation, never a figure copied from a build.
"""
from __future__ import annotations

import json
import math
import struct

import numpy as np
import pandas as pd
import pytest
import vl_convert as vlc

from versus import analysis, charts, fmt
from versus.charts import cache as svg
from versus.charts import cards
from versus.analysis import holdings as hold
from versus.analysis import series
from versus.charts.table import Table
from versus.pages import charts as pc
from versus.pages.holdings import fee_table, overlap_table
from versus.pages.sections import stats_table
from versus import metrics as m


def frame(dates, **cols) -> pd.DataFrame:
    return pd.DataFrame(cols, index=pd.DatetimeIndex(dates), dtype=float)


def business_days(start: str, end: str) -> pd.DatetimeIndex:
    return pd.bdate_range(start, end)


# --------------------------------------------------------------------------- resample and rounding
def test_resample_is_daily_for_the_last_year_and_weekly_before():
    idx = business_days("2020-01-01", "2023-06-30")
    f = pd.DataFrame({"A": np.arange(len(idx), dtype=float)}, index=idx)
    out = charts.resample(f)
    cut = idx[-1] - pd.Timedelta(days=charts.DAILY_DAYS)
    recent, old = out.loc[out.index > cut], out.loc[out.index <= cut]
    assert list(recent.index) == list(idx[idx > cut])              # every day of the last year
    gaps = old.index.to_series().diff().dt.days.dropna()
    assert (gaps.iloc[:-1] == 7).all() and gaps.iloc[-1] <= 7      # one row a week (the last week cut short)
    assert set(old.index) <= set(idx)                               # labelled with real trading days
    assert (old.index[:-1].day_of_week == 4).all()                  # the week's last day: Friday here
    # 'last' keeps the week's last value: values are the row numbers
    assert all(out.loc[d, "A"] == idx.get_loc(d) for d in old.index)


def test_resample_min_keeps_each_weeks_trough_on_the_same_dates():
    idx = business_days("2021-01-04", "2023-01-06")
    values = np.zeros(len(idx))
    values[7] = -0.5  # a Wednesday in the second week
    f = pd.DataFrame({"A": values}, index=idx)
    lo, last = charts.resample(f, "min"), charts.resample(f, "last")
    assert list(lo.index) == list(last.index)
    week = lo.index[lo.index >= idx[7]][0]
    assert lo.loc[week, "A"] == -0.5 and last.loc[week, "A"] == 0.0


def test_resample_weeks_with_holidays_are_labelled_with_their_last_trading_day():
    idx = business_days("2021-01-04", "2022-12-30").drop(pd.Timestamp("2021-04-02"))  # Good Friday
    out = charts.resample(pd.DataFrame({"A": 1.0}, index=idx))
    assert pd.Timestamp("2021-04-01") in out.index and pd.Timestamp("2021-04-02") not in out.index


def test_round_values_significant_digits_and_decimals():
    assert charts.round_values([12345.678, 0.0012345, 9999.6, -0.98766, 0.0], "sig4") == [12350, 0.001234, 10000,
                                                                                          -0.9877, 0]
    assert charts.round_values([0.12345, -0.5, float("nan"), float("inf")], "frac3") == [0.123, -0.5, None, None]
    out = charts.round_values([105013.2], "sig4")
    assert out == [105000] and isinstance(out[0], int)  # integral values travel without ".0"


# --------------------------------------------------------------------------- page data
def test_page_data_shares_dates_and_sends_them_as_day_steps():
    idx = pd.DatetimeIndex(["2024-01-05", "2024-01-12", "2024-01-15", "2024-01-16"])
    pdata = charts.PageData()
    pdata.add_series("growth", pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0]}, index=idx), "sig4")
    pdata.add_series("vol", pd.DataFrame({"A": [np.nan, 0.2, 0.3]}, index=idx[1:]), "frac3")
    doc = pdata.to_json()
    assert doc["d"] == {"start": "2024-01-05", "steps": [7, 3, 1]}  # a week, a weekend, a day
    rebuilt = [pd.Timestamp(doc["d"]["start"]) + pd.Timedelta(days=int(s)) for s in np.cumsum([0] + doc["d"]["steps"])]
    assert rebuilt == list(idx)
    assert doc["s"]["vol"]["A"] == [None, None, 0.2, 0.3]
    assert pdata.rows("vol") == [{"d": "2024-01-15", "A": 0.2}, {"d": "2024-01-16", "A": 0.3}]  # nulls left out


def test_page_data_aligns_later_series_on_the_first_dates():
    idx = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"])
    pdata = charts.PageData()
    pdata.add_series("a", pd.DataFrame({"X": [1.0, 2.0, 3.0]}, index=idx), "sig4")
    pdata.add_series("b", pd.DataFrame({"X": [5.0]}, index=idx[2:]), "sig4")
    assert pdata.series["b"]["X"] == [None, None, 5]


# --------------------------------------------------------------------------- specs
TICKERS = {1: ["QQQ"], 2: ["QQQ", "IWM"], 3: ["IWM", "SPY", "QQQ"], 5: ["A", "B", "C", "D", "E"]}


@pytest.mark.parametrize("kind, n", [(k, n) for k in sorted(charts.TEMPLATES) for n in (1, 2, 3, 5)
                                     if not (k == "correlation" and n == 1)])  # a correlation needs two funds
def test_every_template_instantiates_and_compiles_to_vega(kind, n):
    names = TICKERS[n]
    spec = charts.instantiate(kind, names, "A finding in words.")
    text = json.dumps(spec)
    assert "__S" not in text
    assert spec["description"] == "A finding in words."
    assert "config" not in spec and charts.dataset_of(spec)  # data and theme are added per page / per build
    for t in names[1:] if kind == "correlation" else names:
        assert json.dumps(t) in text
    vega = vlc.vegalite_to_vega({**spec, "datasets": {**spec.get("datasets", {}), charts.dataset_of(spec): []},
                                 "config": charts.THEME}, vl_version="6.4")
    assert vega["description"] == "A finding in words."


def test_series_keep_their_colour_and_dash_across_charts():
    styles = [("#0072B2", [1, 0]), ("#E69F00", [6, 3]), ("#009E73", [2, 2])]
    spec = charts.instantiate("correlation", ["IWM", "SPY", "QQQ"], "d", styles=styles)
    enc = json.dumps(spec)
    # the correlation lines are SPY and QQQ (IWM is the base): each in its own style, whatever is drawn
    lines = next(layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "line")
    assert lines["encoding"]["color"]["scale"] == {"domain": ["SPY", "QQQ"], "range": ["#E69F00", "#009E73"]}
    assert lines["encoding"]["strokeDash"]["scale"] == {"domain": ["SPY", "QQQ"], "range": [[6, 3], [2, 2]]}
    assert '"values": ["SPY", "QQQ"]' in enc  # the legend lists only what is drawn
    growth = charts.instantiate("growth", ["QQQ", "IWM"], "d", styles=[styles[2], styles[0]])
    assert growth["encoding"]["color"]["scale"] == {"domain": ["QQQ", "IWM"], "range": ["#009E73", "#0072B2"]}
    assert "__C" not in json.dumps(growth) and "__D" not in json.dumps(growth)
    plain = charts.instantiate("growth", ["QQQ", "IWM"], "d")  # no styles: the palette and dashes in order
    assert plain["encoding"]["color"]["scale"]["range"] == charts.PALETTE[:2]
    assert plain["encoding"]["strokeDash"]["scale"]["range"] == charts.DASHES[:2]


def test_palette_is_okabe_ito_and_dark_theme_swaps_only_presentation():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(charts.PALETTE) <= okabe_ito and set(charts.PALETTE_DARK) <= okabe_ito
    assert charts.THEME["range"]["category"] == charts.PALETTE
    assert charts.DARK["range"]["category"] == charts.PALETTE_DARK
    assert charts.DARK["axis"]["labelColor"] != charts.THEME["axis"]["labelColor"]
    assert len({json.dumps(d) for d in charts.DASHES}) == len(charts.DASHES)  # never colour alone


def test_standalone_spec_carries_its_rows_theme_and_width():
    idx = business_days("2024-01-01", "2024-03-29")
    pdata = charts.PageData()
    pdata.add_series("growth", pd.DataFrame({"A": np.linspace(1e4, 1.1e4, len(idx)),
                                             "B": np.linspace(1e4, 0.9e4, len(idx))}, index=idx), "sig4")
    spec = charts.standalone(charts.instantiate("growth", ["A", "B"], "d"), pdata)
    assert spec["datasets"]["growth"] == pdata.rows("growth") and spec["config"] == charts.THEME
    assert spec["width"] == charts.SVG_WIDTH
    svg_text = vlc.vegalite_to_svg(spec, vl_version="6.4")
    assert svg_text.startswith("<svg") and "stroke-dasharray" in svg_text


# --------------------------------------------------------------------------- build-time renders
def _tiny_spec(v: float) -> dict:
    return {"data": {"values": [{"x": 1, "y": v}]}, "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}


def test_renders_are_cached_by_spec_hash(tmp_path, monkeypatch):
    first = svg.render([_tiny_spec(1.0)], "svg", cache_dir=tmp_path)
    assert first[0].startswith(b"<svg") and svg.svg_size(first[0])[0] > 0

    def boom(*a, **k):
        raise AssertionError("rendered again although cached")

    monkeypatch.setattr(svg, "_render_one", boom)
    assert svg.render([_tiny_spec(1.0)], "svg", cache_dir=tmp_path) == first  # a hit: nothing rendered
    with pytest.raises(AssertionError):
        svg.render([_tiny_spec(2.0)], "svg", cache_dir=tmp_path)  # another spec is another key
    assert svg.spec_key(_tiny_spec(1.0), "svg") != svg.spec_key(_tiny_spec(1.0), "png")


def test_social_card_is_a_1200_by_630_png(tmp_path):
    idx = business_days("2015-01-01", "2024-12-31")
    growth = pd.DataFrame({"QQQ": np.linspace(1e4, 5e4, len(idx)), "IWM": np.linspace(1e4, 2e4, len(idx))}, index=idx)
    funds = {t: {"total_return": {"1y": 0.1}, "cagr": {"5y": 0.05}} for t in growth.columns}
    spec = cards.comparison_card(["QQQ", "IWM"], ["Fund Q", "Fund I"], funds, growth, "2024-12-31", "versus")
    png = svg.render([spec], "png", cache_dir=tmp_path, scale=1)[0]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (cards.WIDTH, cards.HEIGHT)


# --------------------------------------------------------------------------- metrics added for the charts
def test_rolling_volatility_matches_annual_volatility_of_each_window():
    rng = np.random.default_rng(1)
    rets = frame(business_days("2024-01-01", "2024-06-28"), A=rng.normal(0, 0.01, 130))
    roll = m.rolling_volatility(rets, 20)
    assert roll["A"].iloc[:19].isna().all()  # never over a shorter window
    for end in (19, 60, 129):
        assert roll["A"].iloc[end] == pytest.approx(m.annual_volatility(rets.iloc[end - 19:end + 1])["A"], rel=1e-12)


def test_moving_average_and_trend_regime():
    s = pd.Series([1.0, 2.0, 3.0, 4.0, 3.5], index=business_days("2024-01-01", "2024-01-05"))
    assert list(m.moving_average(s, 3).dropna()) == pytest.approx([2.0, 3.0, 3.5])  # (1+2+3)/3, (2+3+4)/3, (3+4+3.5)/3
    reg = m.trend_regime(s, window=3, lookback=2)
    # last 3.5 vs average 3.5 -> not above; 3.5 / 3.0 - 1 = +16.7% over 2 days -> rising
    assert reg["above"] is False and reg["rising"] is True and reg["change"] == pytest.approx(3.5 / 3.0 - 1)
    short = m.trend_regime(s, window=10, lookback=10)
    assert short["above"] is None and short["rising"] is None


def test_calendar_year_returns_first_year_from_the_first_close():
    f = frame(["2022-06-01", "2022-12-30", "2023-12-29", "2024-03-28"], A=[100, 110, 121, 133.1])
    yr = m.calendar_year_returns(f)
    assert list(yr.index) == [2022, 2023, 2024]
    assert list(yr["A"]) == pytest.approx([0.10, 0.10, 0.10])  # 110/100, 121/110, 133.1/121


def test_relative_return_by_month_averages_a_minus_b_per_calendar_month():
    dates = ["2022-12-30", "2023-01-31", "2023-02-28", "2023-12-29", "2024-01-31", "2024-02-29"]
    a = [100, 110, 110, 100, 105, 105]   # Jan 2023 +10%, Feb 0; Jan 2024 +5%, Feb 0
    b = [100, 100, 110, 100, 100, 100]   # Jan 2023 0, Feb +10%; Jan 2024 0, Feb 0
    out = m.relative_return_by_month(frame(dates, A=a, B=b), "A", "B")
    assert out.loc[1, "mean"] == pytest.approx((0.10 + 0.05) / 2) and out.loc[1, "a_wins"] == 1.0
    assert out.loc[2, "mean"] == pytest.approx((-0.10 + 0.0) / 2) and out.loc[2, "a_wins"] == 0.0
    assert out.loc[1, "count"] == 2 and math.isnan(out.loc[6, "mean"])


def test_window_statistics_on_a_short_window():
    f = frame(business_days("2024-01-01", "2024-01-05"), A=[100, 110, 99, 99, 108.9])
    st = m.window_statistics(f, days=4).loc["A"]
    # returns +10%, -10%, 0, +10%; total 108.9/100 - 1
    assert st["return"] == pytest.approx(0.089)
    assert st["best_day"] == pytest.approx(0.10) and st["worst_day"] == pytest.approx(-0.10)
    assert st["up_days"] == pytest.approx(2 / 4)
    assert st["max_drawdown"] == pytest.approx(99 / 110 - 1)


def test_dividends_concentration_and_overlap():
    d = pd.Series([0.5, 0.5, 1.0], index=pd.DatetimeIndex(["2023-03-01", "2023-09-01", "2024-03-01"]))
    assert dict(m.dividends_per_year(d)) == {2023: 1.0, 2024: 1.0}
    assert m.top_share([0.1] * 12, 10) == pytest.approx(1.0) and math.isnan(m.top_share([0.5], 10))
    assert m.holdings_overlap({"X": 0.3, "Y": 0.2}, {"X": 0.1, "Z": 0.5}) == pytest.approx(0.1)  # min(0.3, 0.1)


# --------------------------------------------------------------------------- view-models
def test_table_csv_keeps_fractions_and_the_page_keeps_percent():
    t = Table("x", "Caption", ["Measure", "A"], csv="api/x.csv")
    t.add("1 year", ["17.2%"], [0.1716])
    assert t.to_csv() == "Measure,A\n1 year,0.1716\n"
    assert t.rows[0]["cells"][0]["text"] == "17.2%"


def test_fee_table_uses_metrics_fee_cost_and_states_its_assumption():
    funds = {"A": {"expense_ratio": 0.0003}, "B": {"expense_ratio": 0.0019}}
    t = fee_table(["A", "B"], funds, "api/fees.csv")
    r = hold.FEE_RETURN
    assert f"{r * 100:.1f}%" in t.caption
    row = next(x for x in t.rows if x["label"] == "$100,000 for 30 years")
    assert row["raw"][0] == pytest.approx(m.fee_cost(100_000, 30, r, 0.0, 0.0003), abs=0.01)
    assert row["raw"][2] == pytest.approx(m.fee_cost(100_000, 30, r, 0.0003, 0.0019), abs=0.01)
    assert row["raw"][2] == pytest.approx(row["raw"][1] - row["raw"][0], abs=0.02)  # the gap of the two costs
    assert len(t.rows) == len(hold.FEE_AMOUNTS) * len(hold.FEE_YEARS)


def test_overlap_table_counts_common_holdings(tmp_path):
    from versus.data.funds import Fact, FundFacts

    info = {"A": FundFacts("A", holdings=Fact([{"ticker": "X", "name": "X", "weight": 0.3},
                                               {"ticker": "Y", "name": "Y", "weight": 0.2}], "2026-01", "s")),
            "B": FundFacts("B", holdings=Fact([{"ticker": "X", "name": "X", "weight": 0.1},
                                               {"ticker": "Z", "name": "Z", "weight": 0.5}], "2025-11", "s"))}
    t = overlap_table(["A", "B"], info, "api/o.csv")
    assert t.rows[0]["raw"][:2] == [1, pytest.approx(0.1)]


def test_time_series_charts_describe_their_main_finding():
    idx = business_days("2019-01-01", "2024-12-31")
    rng = np.random.default_rng(7)
    a = 100 * np.cumprod(1 + rng.normal(0.0006, 0.012, len(idx)))
    b = 100 * np.cumprod(1 + rng.normal(0.0002, 0.010, len(idx)))
    adj = frame(idx, A=a, B=b)
    cs = pc.ChartSet()
    funds = {t: analysis.fund_series(adj[t], idx[-1]) for t in "AB"}
    notes = pc.time_series_charts(cs, adj, ["A", "B"], "api/pairs/a-vs-b", funds)["regimes"]
    by_id = cs.by_id()
    assert set(by_id) == {"growth", "drawdown", "rolling_return", "relative", "correlation", "volatility"}
    one_year = m.rolling_return(adj, 12).iloc[-1]  # where each fund's one-year return stands now, in the words
    assert f"now A {fmt.pct(one_year['A'])}, B {fmt.pct(one_year['B'])}." in by_id["rolling_return"].description
    growth_end = 10_000 * adj.iloc[-1] / adj.iloc[0]
    assert f"{growth_end['A']:,.0f}" in by_id["growth"].description
    dd = m.drawdown(adj).min()
    assert f"{abs(dd['A']) * 100:.1f}%" in by_id["drawdown"].description
    below = 1 - adj["A"].iloc[-1] / adj["A"].max()  # against the all-time high, as on the fund page
    assert (f"{below * 100:.1f}% below its all-time high" in by_id["drawdown"].description) == (below >= 0.0005)
    reg = m.trend_regime(m.relative_strength(adj, "A", "B"), series.MA_DAYS, series.TREND_DAYS)
    word = ("above" if reg["above"] else "below") + " its 200-day average and " + ("rising" if reg["rising"] else "falling")
    assert word in notes["B"] and word in json.dumps(by_id["relative"].specs["ratio"])  # the label in the chart
    assert list(by_id["growth"].specs) == ["linear", "log"]
    log_spec = json.dumps(by_id["growth"].specs["log"])
    assert '"type": "log"' in log_spec
    # every chart's spec is the page spec: no inline data, one shared dataset
    for c in cs.charts:
        for spec in c.specs.values():
            assert charts.dataset_of(spec) in cs.data.series


def test_short_common_history_gives_words_not_numbers_over_a_shorter_window():
    idx = business_days("2024-01-01", "2024-03-22")  # 60 trading days: less than 90 and 200
    adj = frame(idx, A=np.linspace(100, 120, len(idx)), B=np.linspace(100, 90, len(idx)))
    cs = pc.ChartSet()
    pc.time_series_charts(cs, adj, ["A", "B"], "api/x", {t: analysis.fund_series(adj[t], idx[-1]) for t in "AB"})
    by_id = cs.by_id()
    assert f"fewer than {series.ROLL_DAYS} common trading days" in by_id["correlation"].description
    assert f"fewer than {series.ROLL_DAYS} common trading days" in by_id["volatility"].description
    assert "rolling_return" not in by_id  # under a year: no rolling one-year return, never a shorter window
    assert "not enough history for a 200-day average" in by_id["relative"].description
    assert all(v is None for v in cs.data.series["volatility"]["A"])
    stats = stats_table(adj, ["A", "B"], "api/x.csv")
    assert all(v is None for r in stats.rows for v in r["raw"]) and stats.note
    assert m.window_statistics(adj, 90).isna().all().all()


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_relative_strength_colours_follow_the_colour_scheme():
    """The ratio's colours are the theme's named range "relative" (issue 18: in dark mode the line kept the
    light theme's blue), each with 3:1 contrast on its background; the browser and vl-convert draw them."""
    import re as _re

    spec = charts.instantiate("relative", ["A/B", "200-day average"], "d", subs={"__NOTE__": "n"})
    assert '"range": "relative"' in json.dumps(spec)
    for theme, bg in ((charts.THEME, "#ffffff"), (charts.DARK, "#0d1117")):
        colours = theme["range"]["relative"]
        assert len(set(colours)) == 2 and all(_contrast(c, bg) >= 3 for c in colours), (colours, bg)
        rows = [{"d": f"2024-01-{i:02d}", "A/B": 1 + i / 100, "200-day average": 1 + i / 200} for i in range(1, 20)]
        full = {**spec, "datasets": {"relative": rows}, "config": theme, "width": 300}
        drawn = set(_re.findall(r'stroke="(#[0-9a-fA-F]{6})"', vlc.vegalite_to_svg(full)))
        assert {c.lower() for c in colours} <= {c.lower() for c in drawn}, (colours, drawn)
    assert charts.THEME["range"]["relative"] != charts.DARK["range"]["relative"]


@pytest.mark.parametrize("kind", ["dividends", "months"])
def test_category_labels_along_x_never_touch(kind):
    """Years or months along x drop every other label until none overlap (issue 18: "2000200120022003",
    "AprMay" at 390 px); vl-convert at phone width draws fewer labels than categories, none overlapping."""
    import re as _re

    spec = charts.instantiate(kind, ["A"], "d")
    axis = json.dumps(spec)
    assert '"labelOverlap": "parity"' in axis
    cats = [str(2000 + i) for i in range(27)] if kind == "dividends" else ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    key = "y" if kind == "dividends" else "m"
    rows = [{key: c, "A": 0.01 + i / 1000} for i, c in enumerate(cats)]
    svg = vlc.vegalite_to_svg({**spec, "datasets": {kind: rows}, "config": charts.THEME, "width": 300})
    shown = [c for c in cats if _re.search(rf'opacity="1">{c}</text>', svg)]  # hidden labels get opacity 0
    assert 2 <= len(shown) < len(cats)

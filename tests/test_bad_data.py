"""Bad market data: each problem is refused with one line naming the ticker and the problem."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from versus.data import prepare, validate
from versus.errors import DataError
from versus.sources import MarketData


def market(n: int = 300, tickers=("AAA", "BBB"), start="2023-01-02") -> MarketData:
    idx = pd.bdate_range(start, periods=n, name="date")
    rng = np.random.default_rng(1)
    adj = pd.DataFrame({t: 100 * np.cumprod(1 + rng.normal(0, 0.01, n)) for t in tickers}, index=idx)
    divs = pd.DataFrame({t: [0.5] for t in tickers}, index=pd.DatetimeIndex([idx[100]], name="ex_date"))
    return MarketData(close=adj * 1.01, adj_close=adj, dividends=divs, source="test")


def refused(md: MarketData, *needles: str) -> str:
    with pytest.raises(DataError) as info:
        validate(md)
    msg = str(info.value)
    assert "\n" not in msg
    for n in needles:
        assert n in msg, msg
    return msg


def test_clean_data_passes():
    validate(market())


def test_empty_history():
    md = market()
    md.adj_close["BBB"] = np.nan
    refused(md, "BBB", "no prices")


@pytest.mark.parametrize("bad", [0.0, -5.0, np.inf])
def test_non_positive_or_infinite_price(bad):
    md = market()
    md.adj_close.iloc[50, 0] = bad
    refused(md, "AAA", "non-positive or infinite", str(md.adj_close.index[50].date()))


def test_nan_inside_history_beyond_the_gap_limit():
    md = market()
    md.adj_close.iloc[50:60, 1] = np.nan  # two weeks without a close
    refused(md, "BBB", "gap in prices")


def test_duplicate_dates():
    md = market()
    idx = md.adj_close.index.tolist()
    idx[11] = idx[10]
    md.adj_close.index = pd.DatetimeIndex(idx, name="date")
    refused(md, "AAA, BBB: date", str(idx[10].date()), "appears twice in the prices")


def test_unsorted_dates():
    md = market()
    md.adj_close = md.adj_close.iloc[::-1]
    refused(md, "not sorted")


def test_timezone_aware_index():
    md = market()
    md.adj_close.index = md.adj_close.index.tz_localize("America/New_York")
    refused(md, "timezone")


def test_unexplained_jump_looks_like_an_unadjusted_split():
    md = market()
    md.adj_close.iloc[200:, 0] /= 4  # a 4:1 split not applied to earlier prices
    refused(md, "AAA", "one-day move", "split")


def test_dividend_without_a_price_that_day():
    md = market()
    sat = pd.Timestamp("2023-03-04")  # a Saturday inside the history
    md.dividends = pd.concat([md.dividends, pd.DataFrame({"AAA": [0.2]}, index=pd.DatetimeIndex([sat], name="ex_date"))]).sort_index()
    refused(md, "AAA", "dividend on 2023-03-04", "no price")


def test_negative_dividend():
    md = market()
    md.dividends.iloc[0, 0] = -0.5
    refused(md, "AAA", "non-positive dividend")


def test_weekend_as_of_uses_previous_close_and_says_so():
    md = market()
    prep = prepare(md, "2023-06-03")  # a Saturday
    assert prep.as_of == pd.Timestamp("2023-06-02")
    assert any("not a trading day" in n and "2023-06-02" in n for n in prep.notes)


def test_as_of_before_a_fund_starts_leaves_it_out_and_says_so():
    md = market()
    md.adj_close.iloc[:100, 1] = np.nan
    md.close.iloc[:100, 1] = np.nan
    day = md.adj_close.index[50]
    prep = prepare(md, str(day.date()))
    assert "BBB" not in prep.data.adj_close.columns and "BBB" not in prep.freshness
    assert list(prep.not_started) == ["BBB"] and prep.not_started["BBB"] == md.adj_close.index[100]
    assert prep.not_started_note.startswith("1 fund had not started trading by ") and "BBB; its pages" in prep.not_started_note
    assert prepare(md, str(md.adj_close.index[100].date())).not_started == {}  # its first day: in


def test_as_of_before_every_fund_starts_is_one_line():
    md = market()
    first = md.adj_close.index[0]
    with pytest.raises(DataError, match=rf"before any fund's first price \(the earliest: \w+, {first.date()}\)"):
        prepare(md, str((first - pd.Timedelta(days=3)).date()))


def test_fund_with_one_day_of_history_gets_nulls_not_an_error():
    from versus import analysis

    md = market()
    md.adj_close.iloc[:-1, 1] = np.nan  # BBB has only the last day
    md.close.iloc[:-1, 1] = np.nan
    prep = prepare(md)
    res = analysis.compute_funds(prep)["BBB"]
    assert res.values["total_return"]["inception"] is None
    assert "one day" in res.reasons["total_return.inception"]
    assert res.values["total_return"]["1m"] is None and "history starts" in res.reasons["total_return.1m"]


def test_stale_fund_is_flagged_with_its_own_date():
    md = market()
    md.adj_close.iloc[-5:, 1] = np.nan
    prep = prepare(md, str(md.adj_close.index[-1].date()))
    fr = prep.freshness["BBB"]
    assert fr.stale and fr.behind_days == 5 and fr.last == md.adj_close.index[-6]
    assert any(n.startswith("BBB: prices end") for n in prep.notes)


def test_default_as_of_note_names_the_funds_that_hold_the_date_back():
    """Each page is as of its own funds' common last close (issue 14.3): the build is as of the latest close and
    a note names each fund whose prices end earlier, with the date its pages are as of."""
    md = market(tickers=("AAA", "BBB", "CCC", "DDD", "EEE"))
    md.adj_close.iloc[-5:, 1] = np.nan  # BBB ends five days early
    md.adj_close.iloc[-1:, 2] = np.nan  # CCC one day early
    prep = prepare(md)
    last = md.adj_close.index
    assert prep.as_of == last[-1]
    assert prep.notes == [
        f"CCC: prices end {last[-2].date()}, 1 trading day(s) before {last[-1].date()}; its pages are as of "
        f"{last[-2].date()}.",
        f"BBB: prices end {last[-6].date()}, 5 trading day(s) before {last[-1].date()}; its pages are as of "
        f"{last[-6].date()}."]
    assert prep.stale_notes == prep.notes and {t for t, f in prep.freshness.items() if f.stale} == {"BBB", "CCC"}

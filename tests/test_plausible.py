"""Issue 11, item 7: implausible facts exit 2 naming file:line, the value and the plausible range (README lists
the ranges): a percent written as a fraction, an as_of in the future, an inception after the first price,
weights summing to 150%, control characters in names.  Implausible live values are ignored."""
from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import versus.funds as funds_mod
import versus.pipeline as pipeline_mod
from siteutil import MINIMAL_SITE_TOML
from versus import plausible
from versus.cli import main
from versus.errors import EXIT_CONFIG, ConfigError
from versus.funds import DEFAULT_PATH, load_funds, merge_live

TEXT = DEFAULT_PATH.read_text()
LINES = TEXT.splitlines()
TODAY = dt.date.today()


def line_of(needle: str, after: str = "") -> int:
    start = next(i for i, l in enumerate(LINES) if after in l) if after else 0
    return next(i for i, l in enumerate(LINES[start:], start + 1) if needle in l)


def edited(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    assert old in TEXT, old
    (tmp_path / "funds.toml").write_text(TEXT.replace(old, new, count))
    return tmp_path / "funds.toml"


def refused(tmp_path, old, new, line_needle, *needles) -> str:
    with pytest.raises(ConfigError) as e:
        load_funds(edited(tmp_path, old, new))
    msg = str(e.value)
    line = line_of(line_needle, "[" + msg.split(": ")[1].split(".")[0] + "]") if line_needle else None
    assert msg.startswith(f"{tmp_path / 'funds.toml'}:{line}: ") if line else True, msg
    for n in needles:
        assert n in msg, msg
    assert "\n" not in msg
    return msg


QQQ_ER = 'expense_ratio = { value = 0.0018, as_of = "2026-04"'


# --------------------------------------------------------------------------- ranges
@pytest.mark.parametrize("value, needles", [
    ("0.19", ["QQQ.expense_ratio.value: 0.19 is implausible (plausible: 0% to 2.5%", "write 0.0019"]),
    ("0.03", ["0.03 is implausible", "write 0.0003"]),  # VOO's 0.03% written as 0.03
    ("0.026", ["0.026 is implausible"]),
    ("-0.001", ["-0.001"]),
])
def test_expense_ratio_as_percent(tmp_path, value, needles):
    refused(tmp_path, QQQ_ER, QQQ_ER.replace("0.0018", value), QQQ_ER, *needles)


@pytest.mark.parametrize("old, new, needles", [
    ("aum = { value = 395e9", "aum = { value = 395", ["QQQ.aum.value: 395 is implausible", "$100,000 to $5 trillion"]),
    ("aum = { value = 395e9", "aum = { value = 6e12", ["6e+12 is implausible"]),
    ("holdings_count = { value = 101,", "holdings_count = { value = 1000000,", ["1e+06 is implausible", "1 to 100,000"]),
    ("dividend_yield = { value = 0.0046", "dividend_yield = { value = 0.46", ["0.46 is implausible", "0% to 25%"]),
])
def test_other_ranges(tmp_path, old, new, needles):
    refused(tmp_path, old, new, old, *needles)


@pytest.mark.parametrize("value", ["0", "0.025", "0.0003"])
def test_edges_of_the_expense_ratio_range_pass(tmp_path, value):
    assert load_funds(edited(tmp_path, QQQ_ER, QQQ_ER.replace("0.0018", value)))["QQQ"].facts["expense_ratio"]


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_the_rule_is_the_documented_range(x):
    for key, (lo, hi, _) in plausible.RANGES.items():
        assert (plausible.fact(key, x) is None) == (math.isfinite(x) and lo <= x <= hi)


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize("as_of, ok", [
    ((TODAY + dt.timedelta(days=30)).isoformat(), False), ("2099-01", False), ((TODAY + dt.timedelta(days=2)).isoformat(), False),
    ((TODAY + dt.timedelta(days=1)).isoformat(), True), (TODAY.isoformat(), True), ("1899-12", False), ("1900-01", True),
])
def test_as_of_in_the_future_or_the_distant_past(tmp_path, as_of, ok):
    new = QQQ_ER.replace('"2026-04"', f'"{as_of}"')
    if ok:
        assert load_funds(edited(tmp_path, QQQ_ER, new))["QQQ"].facts["expense_ratio"].as_of == as_of
    else:
        refused(tmp_path, QQQ_ER, new, QQQ_ER, f"QQQ.expense_ratio.as_of: as_of {as_of} is", "plausible:")


def test_as_of_of_a_block_in_the_future(tmp_path):
    old = '[IWM.sector_weights]\nas_of = "2026-04"'
    msg = refused(tmp_path, old, old.replace("2026-04", "2099-04"), None, "IWM.sector_weights.as_of",
                  "in the future")
    assert msg.startswith(f"{tmp_path / 'funds.toml'}:{line_of('[IWM.sector_weights]') + 1}: ")


@pytest.mark.parametrize("value, needle", [("2099-01-01", "inception 2099-01-01 is implausible"),
                                           ("1850-01-01", "inception 1850-01-01 is implausible")])
def test_inception_out_of_range(tmp_path, value, needle):
    old = 'inception = { value = "1999-03-10"'
    refused(tmp_path, old, old.replace("1999-03-10", value), old, needle)


def test_inception_after_the_first_price_exits_2(tmp_path, monkeypatch, capsys):
    """QQQ's first price is 1999-03-10: an inception of 2001 is a typo (checked against the market data)."""
    old = 'inception = { value = "1999-03-10"'
    path = edited(tmp_path, old, old.replace("1999-03-10", "2001-03-10"))
    monkeypatch.setattr(funds_mod.load_funds, "__defaults__", (path,))
    monkeypatch.setattr(pipeline_mod, "FUNDS_PATH", path)
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_CONFIG and "Traceback" not in err
    assert err.strip().splitlines() == [
        f"error: {path}:{line_of(old)}: QQQ.inception.value: inception 2001-03-10 is after the fund's first price "
        "(1999-03-10); plausible: on or before 1999-03-10"]
    assert not (tmp_path / "out").exists()


def test_inception_on_the_first_price_or_before_is_fine():
    assert plausible.inception("1999-03-10", dt.date(1999, 3, 10)) is None
    assert plausible.inception("1999-03-01", dt.date(1999, 3, 10)) is None
    assert "after" in plausible.inception("1999-03-11", dt.date(1999, 3, 10))


# --------------------------------------------------------------------------- weights
def test_sector_weights_summing_to_150_percent(tmp_path):
    msg = refused(tmp_path, '"Financials" = 0.17', '"Financials" = 0.67', "[IWM.sector_weights.weights]",
                  "IWM.sector_weights.weights: the weights sum to 150.0%", "at most 102%")
    assert msg


def test_top_holdings_summing_over_102_percent(tmp_path):
    refused(tmp_path, 'name = "NVIDIA", weight = 0.090', 'name = "NVIDIA", weight = 0.690', "holdings = [",
            "QQQ.top_holdings.holdings: the weights sum to 109.5%")


def test_a_holding_weighing_nothing(tmp_path):
    refused(tmp_path, 'name = "NVIDIA", weight = 0.090', 'name = "NVIDIA", weight = 0', 'name = "NVIDIA"',
            "QQQ.top_holdings.holdings: holding 'NVIDIA': weight 0.0 is implausible (plausible: above 0)")


def test_weights_that_sum_to_just_over_100_percent_pass(tmp_path):
    path = edited(tmp_path, '"Financials" = 0.17', '"Financials" = 0.185')  # rounding: 101.5%
    assert load_funds(path)["IWM"].sector_weights["Financials"] == 0.185


# --------------------------------------------------------------------------- text
@pytest.mark.parametrize("old, new, key", [
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u0000QQQ"', "QQQ.name"),
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u0007"', "QQQ.name"),
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco \\u202eQQQ"', "QQQ.name"),  # right-to-left override
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u001b[31mQQQ"', "QQQ.name"),  # terminal escape
    ('issuer = { value = "Invesco"', 'issuer = { value = "Inv\\u0085esco"', "QQQ.issuer.value"),
    ('index = { value = "Nasdaq-100"', 'index = { value = "Nasdaq\\r100"', "QQQ.index.value"),
    ('{ ticker = "NVDA", name = "NVIDIA"', '{ ticker = "NVDA", name = "NV\\u0000IDIA"', "QQQ.top_holdings.holdings"),
    ('"Financials" = 0.17', '"Finan\\u0008cials" = 0.17', "IWM.sector_weights.weights"),
    ('  "top 10 holdings over 50% of the fund",', '  "top 10\\u0000",', "QQQ.notes"),
    ('source = "fund_facts.md (published ETF comparisons, Jan 2026)" }', 'source = "x\\u0000" }', "QQQ.issuer.source"),
])
def test_control_characters_in_names(tmp_path, old, new, key):
    msg = refused(tmp_path, old, new, None, f"{key}: ", "plausible: printable text")
    assert re.search(r"funds\.toml:\d+: ", msg), msg


def test_a_control_character_in_a_name_exits_2_not_a_rust_backtrace(tmp_path, monkeypatch, capsys):
    path = edited(tmp_path, 'name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u0000QQQ"')
    monkeypatch.setattr(funds_mod.load_funds, "__defaults__", (path,))
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_CONFIG and "Traceback" not in err and "panicked" not in err
    line = line_of('name = "Invesco QQQ')
    assert err.strip().splitlines() == [f"error: {path}:{line}: QQQ.name: name contains U+0000 (null) at "
                                        "character 8; plausible: printable text"]


@pytest.mark.parametrize("old, new, needle", [
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "' + "Q" * 500 + '"', "name is 500 characters long"),
    ('{ ticker = "NVDA", name', '{ ticker = "=cmd|calc", name', "holding 'NVIDIA': ticker '=cmd|calc' is implausible"),
])
def test_long_names_and_odd_holding_tickers(tmp_path, old, new, needle):
    refused(tmp_path, old, new, None, needle)


# --------------------------------------------------------------------------- live values
@pytest.mark.parametrize("key, value", [("expense_ratio", 0.19), ("aum", 12.5), ("holdings_count", 10**7),
                                        ("dividend_yield", 0.9), ("issuer", "Inv\x00esco"), ("name", "Q\x1bQQ")])
def test_implausible_live_values_are_ignored(key, value):
    curated = load_funds()["QQQ"]
    merged = merge_live(curated, "QQQ", {key: {"value": value, "as_of": "2026-08-14", "source": "yahoo"}})
    assert merged.value(key) == curated.value(key)


def test_implausible_live_weights_are_ignored():
    curated = load_funds()["SPY"]
    live = {"sector_weights": {"value": {"Technology": 0.9, "Financials": 0.9}, "as_of": "x", "source": "y"},
            "top_holdings": {"value": [{"ticker": "A", "name": "A\x00", "weight": 0.1}], "as_of": "x", "source": "y"}}
    merged = merge_live(curated, "SPY", live)
    assert merged.sector_weights == curated.sector_weights and merged.top_holdings == curated.top_holdings


def test_plausible_live_values_still_replace_curated_ones():
    merged = merge_live(load_funds()["QQQ"], "QQQ", {"expense_ratio": {"value": 0.0015, "as_of": "2026-08-14",
                                                                      "source": "yahoo"}})
    assert merged.facts["expense_ratio"].value == 0.0015


def test_the_shipped_facts_are_plausible():
    for t, f in load_funds().items():
        for key, fact in f.facts.items():
            assert plausible.fact(key, fact.value) is None and plausible.as_of(fact.as_of) is None, (t, key)

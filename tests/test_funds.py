"""Tests for data/funds.toml and versus/funds.py."""
from __future__ import annotations

import re
import textwrap

import pytest

from versus.errors import ConfigError
from versus.data.funds import DEFAULT_PATH, FACT_KEYS, Fact, FundFacts, load_funds, merge_live


def value(fund: FundFacts, key: str):
    """The value of fact ``key`` of ``fund`` (or its name), None when unknown."""
    if key == "name":
        return fund.name
    fact = fund.facts.get(key)
    return None if fact is None else fact.value

PRICED = ("QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA")
AS_OF = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@pytest.fixture(scope="module")
def funds():
    return load_funds()


# --------------------------------------------------------------------------- the shipped file

def test_shipped_file_loads(funds):
    assert DEFAULT_PATH.name == "funds.toml"
    assert set(PRICED) | {"VTWO"} <= set(funds)
    assert all(isinstance(f, FundFacts) for f in funds.values())


def test_every_fund_has_name_issuer_index(funds):
    for ticker, fund in funds.items():
        assert fund.name, ticker
        assert value(fund, "issuer"), ticker
        assert value(fund, "index"), ticker


def test_priced_funds_have_inception(funds):
    # VTWO has facts but no price history, hence no inception.
    expected = {"QQQ": "1999-03-10", "IWM": "2000-05-26", "SPY": "1993-01-29", "DIA": "1998-01-20",
                "VOO": "2010-09-09", "VTI": "2001-06-15", "SCHA": "2009-11-03"}
    for ticker, date in expected.items():
        assert value(funds[ticker], "inception") == date


def test_every_fact_has_as_of_and_source(funds):
    for ticker, fund in funds.items():
        assert set(fund.facts) <= set(FACT_KEYS)
        for key, fact in fund.facts.items():
            assert isinstance(fact, Fact)
            assert AS_OF.match(fact.as_of), (ticker, key)
            assert fact.source.strip(), (ticker, key)
        if fund.sector_weights is not None:
            assert AS_OF.match(fund.sector_as_of) and fund.sector_source
        if fund.top_holdings is not None:
            assert AS_OF.match(fund.holdings_as_of) and fund.holdings_source
        assert all(isinstance(n, str) for n in fund.notes)


def test_fractions_are_fractions(funds):
    assert value(funds["QQQ"], "expense_ratio") < 0.01
    assert value(funds["QQQ"], "expense_ratio") == pytest.approx(0.0018)
    assert value(funds["SPY"], "expense_ratio") == pytest.approx(0.000945)
    assert value(funds["QQQ"], "aum") == pytest.approx(395e9)
    for ticker, fund in funds.items():
        for key in ("expense_ratio", "dividend_yield"):
            if value(fund, key) is not None:
                assert 0 <= value(fund, key) < 0.05, (ticker, key)
        if value(fund, "aum") is not None:
            assert value(fund, "aum") > 1e9, ticker  # dollars, not millions
        if fund.sector_weights:
            assert all(0 <= w <= 1 for w in fund.sector_weights.values())
            assert sum(fund.sector_weights.values()) == pytest.approx(1, abs=0.02), ticker
        if fund.top_holdings:
            weights = [h["weight"] for h in fund.top_holdings]
            assert len(weights) <= 25
            assert weights == sorted(weights, reverse=True)
            assert all(0 < w < 0.5 for w in weights)


def test_value_of_unknown_fact_is_none(funds):
    assert value(funds["VOO"], "aum") is None
    assert value(funds["VTWO"], "inception") is None


# --------------------------------------------------------------------------- errors

def write(tmp_path, text: str):
    path = tmp_path / "funds.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
    [ABC]
    name = "ABC Fund"
    issuer = { value = "Acme", as_of = "2026-01", source = "test" }
    expense_ratio = { value = 0.002, as_of = "2026-01-25", source = "test" }
    """


def raises(path, *fragments):
    with pytest.raises(ConfigError) as info:
        load_funds(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_small_good_file(tmp_path):
    funds = load_funds(write(tmp_path, GOOD))
    assert value(funds["ABC"], "expense_ratio") == 0.002
    assert funds["ABC"].facts["issuer"] == Fact("Acme", "2026-01", "test")
    assert funds["ABC"].sector_weights is None and funds["ABC"].top_holdings is None


def test_malformed_toml_has_line_number(tmp_path):
    path = write(tmp_path, GOOD + 'aum = { value = 1e9, as_of = "2026-01" source = "x" }\n')
    message = raises(path)
    assert message.startswith(f"{path}:5: "), message


def test_unknown_key_suggests(tmp_path):
    raises(write(tmp_path, GOOD + 'expnse_ratio = 0.1\n'),
           "ABC.expnse_ratio", "did you mean 'expense_ratio'?")


def test_unknown_key_inside_fact(tmp_path):
    raises(write(tmp_path, GOOD + 'aum = { value = 1e9, as_of = "2026-01", sorce = "x" }\n'),
           "ABC.aum.sorce", "did you mean 'source'?")


@pytest.mark.parametrize("part", ["value", "as_of", "source"])
def test_fact_missing_part(tmp_path, part):
    fields = {"value": "value = 1e9", "as_of": 'as_of = "2026-01"', "source": 'source = "x"'}
    del fields[part]
    raises(write(tmp_path, GOOD + f"aum = {{ {', '.join(fields.values())} }}\n"),
           "ABC.aum", f"missing '{part}'")


@pytest.mark.parametrize("as_of", ["2026", "Jan 2026", "2026-13", "2026-02-30", "spring 2026"])
def test_bad_as_of(tmp_path, as_of):
    raises(write(tmp_path, GOOD + f'aum = {{ value = 1e9, as_of = "{as_of}", source = "x" }}\n'),
           "ABC.aum.as_of", "bad as_of")


def test_toml_date_as_of_is_accepted(tmp_path):
    funds = load_funds(write(tmp_path, GOOD + 'aum = { value = 1e9, as_of = 2026-01-25, source = "x" }\n'))
    assert funds["ABC"].facts["aum"].as_of == "2026-01-25"


@pytest.mark.parametrize("key,value", [("expense_ratio", 18), ("dividend_yield", 1.3),
                                       ("dividend_yield", -0.01)])
def test_fraction_out_of_range(tmp_path, key, value):
    text = GOOD.replace("    expense_ratio", "    #") + \
        f'{key} = {{ value = {value}, as_of = "2026-01", source = "x" }}\n'
    raises(write(tmp_path, text), f"ABC.{key}", "[0, 1]")


def test_sector_weight_out_of_range(tmp_path):
    text = GOOD + textwrap.dedent("""\
        [ABC.sector_weights]
        as_of = "2026-01"
        source = "x"
        weights = { "Energy" = 0.1, "Information Technology" = 32 }
        """)
    raises(write(tmp_path, text), "ABC.sector_weights.weights", "Information Technology", "[0, 1]")


def test_holding_weight_out_of_range(tmp_path):
    text = GOOD + textwrap.dedent("""\
        [ABC.top_holdings]
        as_of = "2026-01"
        source = "x"
        holdings = [ { ticker = "NVDA", name = "NVIDIA", weight = 9.15 } ]
        """)
    raises(write(tmp_path, text), "ABC.top_holdings.holdings", "[0, 1]")


def test_too_many_holdings(tmp_path):
    rows = ", ".join(f'{{ ticker = "T{i}", weight = 0.01 }}' for i in range(26))
    text = GOOD + f'[ABC.top_holdings]\nas_of = "2026-01"\nsource = "x"\nholdings = [{rows}]\n'
    raises(write(tmp_path, text), "ABC.top_holdings.holdings", "at most 25")


def test_holdings_are_sorted(tmp_path):
    text = GOOD + textwrap.dedent("""\
        [ABC.top_holdings]
        as_of = "2026-01"
        source = "x"
        holdings = [ { ticker = "B", weight = 0.01 }, { ticker = "A", weight = 0.05 } ]
        """)
    funds = load_funds(write(tmp_path, text))
    assert [h["ticker"] for h in funds["ABC"].top_holdings] == ["A", "B"]
    assert funds["ABC"].top_holdings[0] == {"ticker": "A", "name": None, "weight": 0.05}


def test_sector_block_unknown_key(tmp_path):
    text = GOOD + '[ABC.sector_weights]\nas_of = "2026-01"\nsource = "x"\nwieghts = { "Energy" = 0.1 }\n'
    raises(write(tmp_path, text), "ABC.sector_weights.wieghts", "did you mean 'weights'?")


@pytest.mark.parametrize("key,value", [("aum", 0), ("aum", -5e9), ("holdings_count", 0),
                                       ("holdings_count", -3)])
def test_non_positive(tmp_path, key, value):
    raises(write(tmp_path, GOOD + f'{key} = {{ value = {value}, as_of = "2026-01", source = "x" }}\n'),
           f"ABC.{key}", "positive")


def test_missing_file(tmp_path):
    raises(tmp_path / "nope.toml", "cannot read")


# --------------------------------------------------------------------------- merge_live

def curated_fund():
    return FundFacts(
        ticker="QQQ", name="Invesco QQQ Trust, Series 1",
        facts={"expense_ratio": Fact(0.0018, "2026-04", "fund_facts.md"),
               "aum": Fact(395e9, "2026-04", "fund_facts.md"),
               "holdings_count": Fact(101, "2026-01", "fund_facts.md")},
        sector_weights={"Information Technology": 0.5, "Other": 0.5},
        sector_as_of="2026-04", sector_source="fund_facts.md",
        top_holdings=[{"ticker": "NVDA", "name": "NVIDIA", "weight": 0.09}],
        holdings_as_of="2026-01", holdings_source="note",
        notes=["top 10 over 50%"],
    )


YF = "Yahoo Finance (yfinance funds_data)"


def test_merge_live_replaces_present_values():
    live = {
        "expense_ratio": {"value": 0.002, "as_of": "2026-11-20", "source": YF},
        "sector_weights": {"value": {"Technology": 0.6, "Other": 0.4}, "as_of": "2026-11-20", "source": YF},
        "top_holdings": {"value": [{"ticker": "AAPL", "name": "Apple", "weight": 0.08},
                                   {"ticker": "NVDA", "name": "NVIDIA", "weight": 0.1}],
                         "as_of": "2026-11-20", "source": YF},
    }
    merged = merge_live(curated_fund(), "QQQ", live)
    assert merged.facts["expense_ratio"] == Fact(0.002, "2026-11-20", YF)
    assert merged.sector_weights == {"Technology": 0.6, "Other": 0.4}
    assert (merged.sector_as_of, merged.sector_source) == ("2026-11-20", YF)
    assert [h["ticker"] for h in merged.top_holdings] == ["NVDA", "AAPL"]
    assert merged.holdings_source == YF
    # untouched curated values remain
    assert value(merged, "aum") == 395e9
    assert merged.facts["aum"].source == "fund_facts.md"
    assert merged.name == "Invesco QQQ Trust, Series 1" and merged.notes == ["top 10 over 50%"]


def test_merge_live_falls_back_on_missing_none_or_empty():
    curated = curated_fund()
    live = {
        "aum": {"value": None, "as_of": "2026-11-20", "source": YF},
        "holdings_count": None,
        "sector_weights": {"value": {}, "as_of": "2026-11-20", "source": YF},
        "top_holdings": {"value": [], "as_of": "2026-11-20", "source": YF},
        "expense_ratio": {"value": 18, "as_of": "2026-11-20", "source": YF},  # not a fraction: rejected
    }
    merged = merge_live(curated, "QQQ", live)
    assert merged.facts == curated.facts
    assert merged.sector_weights == curated.sector_weights and merged.sector_source == "fund_facts.md"
    assert merged.top_holdings == curated.top_holdings and merged.holdings_source == "note"
    assert merge_live(curated, "QQQ", {}) == curated


def test_merge_live_without_curated():
    merged = merge_live(None, "XYZ", {"aum": {"value": 5e9, "as_of": "2026-11-20", "source": YF},
                                      "dividend_yield": {"value": None}})
    assert merged.ticker == "XYZ" and merged.name is None
    assert value(merged, "aum") == 5e9 and value(merged, "dividend_yield") is None
    assert merged.sector_weights is None and merged.top_holdings is None


def test_merge_live_on_shipped_data(funds):
    merged = merge_live(funds["VOO"], "VOO", {"aum": {"value": 7e11, "as_of": "2026-11-20", "source": YF}})
    assert value(merged, "aum") == 7e11
    assert value(merged, "expense_ratio") == value(funds["VOO"], "expense_ratio")
    assert value(funds["VOO"], "aum") is None  # the curated object is not modified

"""data/funds.toml and versus/data/funds/: the dated format, its errors (file:line), facts as of a date, live merge."""
from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from versus.errors import ConfigError
from versus.data.funds import (DEFAULT_PATH, FACT_KEYS, SECTOR_NAMES, Fact, FundFacts, FundRecord, FundsFile,
                          Observation, common_sectors, is_old, key_lines, load_funds, merge_live, months_apart,
                          resolve, select)

ROOT = Path(__file__).resolve().parent.parent
AS_OF = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def funds():
    return load_funds()


# --------------------------------------------------------------------------- the shipped file

def snapshot_tickers() -> set[str]:
    import pyarrow.parquet as pq

    return set(pq.read_table(ROOT / "data" / "snapshot" / "prices.parquet", columns=["ticker"])
               .column("ticker").to_pandas().astype(str).unique())


def test_shipped_file_covers_every_fund_of_the_snapshot(funds):
    assert DEFAULT_PATH.name == "funds.toml" and isinstance(funds, FundsFile)
    assert set(funds) == snapshot_tickers()
    assert len(funds) >= 63
    assert all(isinstance(r, FundRecord) for r in funds.values())


def test_every_fund_has_a_category_with_asset_class_and_benchmark(funds):
    assert len(funds.categories) >= 20
    for t, r in funds.items():
        cat = funds.categories[r.category]
        assert cat.asset_class in ("equity", "bonds", "real estate", "commodity", "cash"), t
        assert cat.benchmark in funds
    used = {r.category for r in funds.values()}
    assert used == set(funds.categories), "every category has a fund"
    by = {t: funds.categories[r.category] for t, r in funds.items()}
    assert by["BND"].id == by["AGG"].id == "us-aggregate-bonds" and by["BND"].asset_class == "bonds"
    assert by["GLD"].id == by["IAU"].id == "gold" and by["GLD"].asset_class == "commodity"
    assert by["IWM"].id == by["VTWO"].id == by["SCHA"].id == "us-small-cap"
    assert by["SCHD"].id == by["VYM"].id == "dividend"
    assert by["XLK"].id == by["VGT"].id == "technology"
    assert by["TLT"].name == "Long-term Treasuries" and by["SGOV"].asset_class == "cash"
    assert by["VNQ"].asset_class == "real estate"


def test_every_observation_is_dated_and_sourced(funds):
    n = 0
    for t, r in funds.items():
        for key, obs in r.observations.items():
            for o in obs:
                n += 1
                assert AS_OF.match(o.as_of), (t, key)
                assert o.source in funds.sources, (t, key, o.source)
    assert n > 600
    for s in funds.sources.values():
        assert s.name and s.date
        assert not re.search(r"@|[0-9a-f]{12}|\.json|\.csv|\.md\b", s.name), s.name  # never a repository path
        assert s.url is None or s.url.startswith("https://github.com/")


def test_fractions_and_dollars(funds):
    for t, r in funds.items():
        for key in ("expense_ratio", "dividend_yield"):
            for o in r.history(key):
                assert 0 <= o.value < 0.12, (t, key, o)
        for o in r.history("expense_ratio"):
            assert o.value < 0.01, (t, o)  # 1 % would be a percent typed as a fraction
        for key in ("aum", "fund_assets"):
            for o in r.history(key):
                assert o.value > 1e8, (t, key, o)  # dollars, not millions
        for o in r.history("sector_weights"):
            assert sum(o.value.values()) == pytest.approx(1, abs=0.02), (t, o.as_of)
            assert o.taxonomy in ("gics", "morningstar")
            names = set(SECTOR_NAMES[o.taxonomy]) | {"Other", "Unknown", "Unassigned", "Cash and/or Derivatives"}
            assert set(o.value) <= names, (t, o.source)
        for o in r.history("top_holdings"):
            weights = [h["weight"] for h in o.value]
            assert len(weights) <= 25 and weights == sorted(weights, reverse=True)
            assert all(0 < w < 0.5 for w in weights), t


def test_older_observations_are_kept(funds):
    qqq = funds["QQQ"]
    assert [(o.value, o.as_of) for o in qqq.history("expense_ratio")] == [
        (0.002, "2022-08-29"), (0.002, "2026-01-25"), (0.0018, "2026-04")]
    assert [o.value for o in qqq.history("aum")] == [169.91e9, 406.2e9, 395e9]
    iwm = funds["IWM"]
    assert [o.value for o in iwm.history("holdings_count")] == [1975, 1965, 1956, 1942]
    # 2022 observations from the same scrape are kept for the new funds too
    assert any(o.as_of.startswith("2022") for o in funds["EEM"].history("expense_ratio"))


def test_conflicting_sources_are_both_kept_with_their_dates(funds):
    er = {(o.value, o.as_of, o.source) for o in funds["VTWO"].history("expense_ratio")}
    assert (0.001, "2026-01", "articles-2026") in er and (0.0006, "2026-09-27", "yahoo-2026-09") in er
    assert funds.facts_as_of("VTWO", D("2026-07-31")).value("expense_ratio") == 0.001
    assert funds.facts_as_of("VTWO", D("2026-10-01")).value("expense_ratio") == 0.0006


def test_unreliable_values_are_left_out_with_a_comment(funds):
    # State Street holdings files count more rows than the index has constituents (SPY 589)
    for t in ("SPY", "XLK", "XLF", "XLE", "XLV", "MDY"):
        assert all(o.source != "holdings-2025-11" for o in funds[t].history("holdings_count")), t
    text = DEFAULT_PATH.read_text()
    assert "holdings_count 589" in text and "left out" in text
    # the rounded, undated QQQ note gives only its top 10, not its AUM or expense ratio
    assert all(o.source != "qqq-note-2026" for k in FACT_KEYS for o in funds["QQQ"].history(k))


def test_vanguard_fund_level_assets_are_not_aum(funds):
    voo = funds["VOO"]
    assert not any(o.source == "yahoo-2026-09" for o in voo.history("aum"))
    assert voo.history("fund_assets")[0].value > 1e12  # the whole fund, all share classes


def test_notes_are_dated_quotes_not_figures(funds):
    for t, r in funds.items():
        for o in r.history("notes"):
            assert o.source in funds.sources and AS_OF.match(o.as_of)
            assert not re.search(r"top 10 over|largest holding|ER \d|AUM \$", o.value), (t, o.value)


# --------------------------------------------------------------------------- facts as of a date

def test_qqq_and_iwm_as_of_25_jan_2026(funds):
    qqq = funds.facts_as_of("QQQ", D("2026-01-25"))
    iwm = funds.facts_as_of("IWM", D("2026-01-25"))
    assert qqq.value("expense_ratio") == 0.002 and qqq.facts["expense_ratio"].as_of == "2026-01-25"
    assert qqq.value("aum") == 406.2e9
    assert iwm.value("aum") == 78.41e9 and iwm.value("holdings_count") == 1956
    assert not qqq.facts["aum"].after and not qqq.facts["aum"].old


def test_qqq_today(funds):
    qqq = funds.facts_as_of("QQQ", D("2026-07-31"))
    assert qqq.value("expense_ratio") == 0.0018 and qqq.value("aum") == 395e9


def obs(*dates):
    return [Observation(i, d, "s") for i, d in enumerate(dates)]


@pytest.mark.parametrize("date,expected,after", [
    ("2000-01-01", 0, True),      # before the first observation: the earliest, flagged
    ("2022-08-28", 0, True),
    ("2022-08-29", 0, False),     # exactly on an observation date
    ("2023-06-30", 0, False),     # between
    ("2026-01-24", 0, False),
    ("2026-01-25", 1, False),
    ("2026-03-31", 1, False),
    ("2026-04-01", 2, False),     # a month-only date counts from the first of its month
    ("2026-04-30", 2, False),
    ("2030-12-31", 2, False),     # after the last
])
def test_select(date, expected, after):
    chosen, was_after = select(obs("2022-08-29", "2026-01-25", "2026-04"), D(date))
    assert (chosen.value, was_after) == (expected, after)


def test_select_ties_and_order():
    history = obs("2026-04", "2026-01", "2026-04")  # not in date order; two on the same date
    assert select(history, D("2026-05-01"))[0].value == 2  # the one listed last wins
    assert select(history, D("2026-02-01"))[0].value == 1
    assert select(obs("2026-05", "2026-05"), D("2026-01-01"))[0].value == 0  # the earliest later, listed first
    assert select([], D("2026-01-01")) is None


def test_month_and_day_observations_in_one_month():
    history = obs("2026-01", "2026-01-25")
    assert select(history, D("2026-01-10"))[0].value == 0
    assert select(history, D("2026-01-25"))[0].value == 1


@pytest.mark.parametrize("as_of,date,old", [
    ("2025-07-31", "2026-07-31", False), ("2025-07-30", "2026-07-31", True), ("2025-07", "2026-07-31", True),
    ("2025-08", "2026-07-31", False), ("2022-08-29", "2026-07-31", True), ("2026-09-27", "2026-07-31", False),
])
def test_old(as_of, date, old):
    assert is_old(as_of, D(date)) is old


@pytest.mark.parametrize("a,b,apart", [
    ("2026-01", "2026-07-01", False), ("2026-01", "2026-07-02", True), ("2025-11", "2026-04", False),
    ("2022-08-29", "2026-04", True), ("2026-04", "2022-08-29", True), ("2026-01-25", "2026-01-25", False),
])
def test_months_apart(a, b, apart):
    assert months_apart(a, b) is apart


def test_resolve_flags_and_sources(funds):
    old = funds.facts_as_of("SCHA", D("2026-07-31")).facts["holdings_count"]
    assert old.as_of == "2022-08-29" and old.old and not old.after
    assert old.source == funds.sources["stockanalysis-2022"].name and old.url.startswith("https://")
    later = funds.facts_as_of("EEM", D("2010-06-30")).facts["expense_ratio"]
    assert later.after and later.as_of == "2022-10"  # the earliest observation after the date
    assert later.to_json()["observed_after_as_of"] is True


def test_resolve_many_dates(funds):
    """At every date each fact is one of its observations, dated by the rule."""
    dates = [D(f"{y}-{m:02d}-28") for y in range(2000, 2027) for m in (1, 6, 12)]
    for t in ("QQQ", "IWM", "VTWO", "SCHA", "BND", "GLD", "XLK"):
        record = funds[t]
        for date in dates:
            ff = funds.facts_as_of(t, date)
            for key, fact in ff.facts.items():
                starts = [o.start for o in record.history(key)]
                if fact.after:
                    assert all(s > date for s in starts) and D(fact.as_of + "-01"[: 10 - len(fact.as_of)]) == min(starts)
                else:
                    chosen = D(fact.as_of if len(fact.as_of) == 10 else fact.as_of + "-01")
                    assert chosen <= date and chosen == max(s for s in starts if s <= date)


def test_notes_appear_from_their_date(funds):
    assert funds.facts_as_of("IWM", D("2025-12-31")).quotes == []
    assert "index reconstituted every June" in funds.facts_as_of("IWM", D("2026-01-05")).notes


def test_sector_taxonomies_are_not_mixed(funds):
    date = D("2026-07-31")
    voo, scha, iwm = (funds.facts_as_of(t, date) for t in ("VOO", "SCHA", "IWM"))
    assert voo.sectors.taxonomy == "gics"  # Nov 2025 issuer file; Yahoo's Morningstar sectors come later
    assert scha.sectors.taxonomy == "morningstar" and scha.sectors.after
    tx, chosen, other = common_sectors({"IWM": iwm, "SCHA": scha})
    assert tx in ("gics", "morningstar") and len(chosen) == 1 and len(other) == 1
    tx, chosen, other = common_sectors({"VOO": voo, "SCHA": scha})
    assert tx == "morningstar" and set(chosen) == {"VOO", "SCHA"} and other == {}
    assert chosen["VOO"].after  # VOO's Morningstar breakdown is dated after the page, and says so
    assert common_sectors({"BND": funds.facts_as_of("BND", date)}) == (None, {}, {})


# --------------------------------------------------------------------------- errors, with file:line

GOOD = """\
    [sources.test]
    name = "Test source, Jan 2026"
    date = "2026-01"
    url = "https://example.org/"

    [categories.demo]
    name = "Demo"
    asset_class = "equity"
    benchmark = "ABC"

    [ABC]
    name = "ABC Fund"
    category = "demo"
    issuer = [ { value = "Acme", as_of = "2026-01", source = "test" } ]
    expense_ratio = [
      { value = 0.002, as_of = "2026-01-25", source = "test" },
      { value = 0.0018, as_of = "2026-04", source = "test", note = "spring" },
    ]
    notes = [ { text = "a quote", as_of = "2026-01", source = "test" } ]

    [[ABC.sector_weights]]
    as_of = "2026-01"
    source = "test"
    taxonomy = "gics"
    weights = { "Energy" = 0.4, "Information Technology" = 0.6 }

    [[ABC.top_holdings]]
    as_of = "2026-01"
    source = "test"
    holdings = [ { ticker = "B", weight = 0.01 }, { ticker = "A", name = "A Corp", weight = 0.05 } ]
    """


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "funds.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def raises(path, *fragments, line: int | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        load_funds(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: " if line else str(path)), message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_good_file(tmp_path):
    f = load_funds(write(tmp_path, GOOD))
    abc = f["ABC"]
    assert [o.value for o in abc.history("expense_ratio")] == [0.002, 0.0018]
    assert abc.history("issuer")[0] == Observation("Acme", "2026-01", "test")
    ff = f.facts_as_of("ABC", D("2026-02-01"))
    assert ff.facts["expense_ratio"] == Fact(0.002, "2026-01-25", "Test source, Jan 2026", "test",
                                             "https://example.org/", None, False, False)
    assert [h["ticker"] for h in ff.top_holdings] == ["A", "B"]  # sorted by weight
    assert ff.sectors.taxonomy == "gics" and ff.asset_class == "equity" and ff.notes == ["a quote"]
    assert f.facts_as_of("ABC", D("2026-04-02")).value("expense_ratio") == 0.0018


def test_single_table_observation_is_accepted(tmp_path):
    text = GOOD.replace('issuer = [ { value = "Acme", as_of = "2026-01", source = "test" } ]',
                        'issuer = { value = "Acme", as_of = 2026-01-25, source = "test" }')
    assert load_funds(write(tmp_path, text))["ABC"].history("issuer")[0].as_of == "2026-01-25"


def line_of(text: str, fragment: str, nth: int = 1) -> int:
    lines = textwrap.dedent(text).splitlines()
    return [i + 1 for i, line in enumerate(lines) if fragment in line][nth - 1]


BAD = [
    # (replace this, with that, line holding this fragment, message fragments)
    ('value = 0.0018, as_of = "2026-04"', 'value = 0.0018, as_of = "spring 2026"', 'spring 2026',
     ["ABC.expense_ratio[1].as_of", "bad as_of 'spring 2026'"]),
    ('value = 0.0018, as_of = "2026-04"', 'value = 0.0018, as_of = "2026-13"', '2026-13', ["bad as_of"]),
    ('value = 0.0018, as_of = "2026-04"', 'value = 0.0018, as_of = "2026-02-30"', '2026-02-30', ["not a real date"]),
    ('value = 0.0018', 'value = 1.8', 'value = 1.8', ["ABC.expense_ratio[1].value", "[0, 1]"]),
    ('value = 0.0018', 'value = "0.18%"', '0.18%', ["expected a number"]),
    ('value = 0.002, as_of', 'valu = 0.002, as_of', 'valu =', ["ABC.expense_ratio[0].valu", "did you mean 'value'?"]),
    ('source = "test", note = "spring"', 'source = "tset", note = "spring"', 'tset',
     ["unknown source 'tset'", "did you mean 'test'?"]),
    ('source = "test", note = "spring"', 'source = "yahoo", note = "spring"', '"yahoo"',
     ["unknown source 'yahoo'", "[sources.yahoo]"]),
    ('expense_ratio = [', 'expnse_ratio = [', 'expnse_ratio', ["ABC.expnse_ratio", "did you mean 'expense_ratio'?"]),
    ('category = "demo"', 'category = "dmeo"', 'dmeo', ["unknown category 'dmeo'", "did you mean 'demo'?"]),
    ('category = "demo"\n', '', '[ABC]', ["ABC", "missing 'category'"]),
    ('taxonomy = "gics"', 'taxonomy = "gisc"', 'gisc', ["ABC.sector_weights[0].taxonomy", "did you mean 'gics'?"]),
    ('"Energy" = 0.4', '"Technology" = 0.4', '"Technology"',
     ["ABC.sector_weights[0].weights.Technology", "Morningstar sectors name"]),
    ('"Energy" = 0.4', '"Energy" = 40', '"Energy" = 40', ["'Energy'", "[0, 1]"]),
    ('{ ticker = "B", weight = 0.01 }', '{ ticker = "B", wieght = 0.01 }', 'wieght',
     ["ABC.top_holdings[0].holdings[0].wieght", "did you mean 'weight'?"]),
    ('asset_class = "equity"', 'asset_class = "stocks"', '"stocks"', ["unknown asset class 'stocks'"]),
    ('benchmark = "ABC"', 'benchmark = "ABD"', '"ABD"', ["categories.demo.benchmark", "did you mean 'ABC'?"]),
    ('name = "Test source, Jan 2026"', 'name = "alm0421/alm0421@37cbf5e:data/funds_meta.json"', '@37cbf5e',
     ["sources.test.name", "looks like a repository path"]),
    ('url = "https://example.org/"', 'url = "http://example.org/"', 'http://', ["https://"]),
    ('date = "2026-01"\n', '', '[sources.test]', ["sources.test", "missing 'date'"]),
    ('notes = [ { text = "a quote", as_of = "2026-01", source = "test" } ]', 'notes = [ "ER 0.20% / AUM $407B" ]',
     'notes = [', ["ABC.notes[0]", "dated quote"]),
    ('[categories.demo]', '[categories.Demo]', '[categories.Demo]', ["categories.Demo", "lower-case"]),
    ('[ABC]', '[abc]', '[abc]', ["abc", "not a ticker"]),
    ('[sources.test]', '[sorces.test]', '[sorces.test]', ["sorces", "did you mean 'sources'?"]),
    ('holdings = [ { ticker = "B", weight = 0.01 }', 'holdings = [ { ticker = "B" }', 'holdings = [',
     ["holding #1 needs a weight"]),
]


@pytest.mark.parametrize("old,new,at,fragments", BAD, ids=[b[1][:30] for b in BAD])
def test_bad_file_names_line_and_key(tmp_path, old, new, at, fragments):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    raises(write(tmp_path, text), *fragments, line=line_of(text, at))


def test_malformed_toml_has_line_number(tmp_path):
    text = GOOD + '    aum = [ { value = 1e9, as_of = "2026-01" source = "x" } ]\n'
    raises(write(tmp_path, text), "invalid TOML", line=len(textwrap.dedent(text).splitlines()))


def test_missing_parts(tmp_path):
    for part in ("value", "as_of", "source"):
        fields = {"value": "value = 1e9", "as_of": 'as_of = "2026-01"', "source": 'source = "test"'}
        del fields[part]
        text = GOOD.replace("    notes = [", f"    aum = [ {{ {', '.join(fields.values())} }} ]\n    notes = [")
        raises(write(tmp_path, text), "ABC.aum[0]", f"missing '{part}'", line=line_of(text, "aum = ["))


@pytest.mark.parametrize("key,value,fragment", [("aum", 0, "positive"), ("aum", -5e9, "positive"),
                                                ("holdings_count", 3.5, "whole number"),
                                                ("holdings_count", 0, "positive"), ("dividend_yield", 1.3, "[0, 1]"),
                                                ("aum", "nan", "finite")])
def test_bad_values(tmp_path, key, value, fragment):
    text = GOOD.replace("    notes = [", f'    {key} = [ {{ value = {value}, as_of = "2026-01", source = "test" }} ]\n'
                                        f"    notes = [")
    raises(write(tmp_path, text), f"ABC.{key}[0].value", fragment, line=line_of(text, f"{key} = ["))


def test_too_many_holdings(tmp_path):
    rows = ", ".join(f'{{ ticker = "T{i}", weight = 0.01 }}' for i in range(26))
    text = GOOD + f'\n    [[ABC.top_holdings]]\n    as_of = "2026-02"\n    source = "test"\n    holdings = [{rows}]\n'
    raises(write(tmp_path, text), "ABC.top_holdings[1].holdings", "at most 25")


def test_missing_and_undecodable_file(tmp_path):
    raises(tmp_path / "nope.toml", "cannot read")
    path = tmp_path / "latin1.toml"
    path.write_bytes("[ABC]\nname = \"Caf\xe9\"\n".encode("latin-1"))
    raises(path, "not UTF-8")


def test_check_hook_runs_on_every_value(tmp_path):
    seen = []

    def check(ticker, key, o):
        seen.append((ticker, key, o.as_of))
        return "an expense ratio above 0.19 % looks implausible here" if key == "expense_ratio" and o.value > 0.0019 else None

    path = write(tmp_path, GOOD)
    raises_msg = None
    with pytest.raises(ConfigError) as info:
        load_funds(path, checks=[check])
    raises_msg = str(info.value)
    assert raises_msg.startswith(f"{path}:{line_of(GOOD, 'value = 0.002,')}: ABC.expense_ratio[0]: an expense ratio")
    assert ("ABC", "issuer", "2026-01") in seen
    assert load_funds(path, checks=[lambda *a: None])["ABC"].name == "ABC Fund"


def test_key_lines_of_the_shipped_file():
    text = DEFAULT_PATH.read_text()
    lines = key_lines(text)
    numbered = text.splitlines()
    at = lines[("QQQ", "expense_ratio", 2)]
    assert '"2026-04"' in numbered[at - 1] and "0.0018" in numbered[at - 1]
    at = lines[("IWM", "sector_weights", 0)]
    assert numbered[at - 1] == "[[IWM.sector_weights]]"
    assert numbered[lines[("sources", "articles-2026")] - 1] == "[sources.articles-2026]"


# --------------------------------------------------------------------------- live observations

YF = "Yahoo Finance (yfinance funds_data)"


def curated() -> FundRecord:
    return FundRecord("QQQ", "Invesco QQQ Trust, Series 1", "us-large-growth", {
        "expense_ratio": (Observation(0.0018, "2026-04", "articles-2026"),),
        "aum": (Observation(395e9, "2026-04", "articles-2026"),),
        "sector_weights": (Observation({"Information Technology": 0.5, "Other": 0.5}, "2026-04", "articles-2026",
                                       None, "gics"),),
        "top_holdings": (Observation([{"ticker": "NVDA", "name": "NVIDIA", "weight": 0.09}], "2026-01", "x"),),
    })


def test_merge_live_adds_a_dated_observation():
    live = {
        "expense_ratio": {"value": 0.002, "as_of": "2026-11-20", "source": YF},
        "yield": {"value": 0.005, "as_of": "2026-11-20", "source": "Yahoo Finance (yfinance info)"},
        "sector_weights": {"value": {"Information Technology": 0.6, "Financials": 0.4}, "as_of": "2026-11-20",
                           "source": YF},
        "top_holdings": {"value": [{"ticker": "AAPL", "name": "Apple", "weight": 0.08},
                                   {"ticker": "NVDA", "name": "NVIDIA", "weight": 0.1}],
                         "as_of": "2026-11-20", "source": YF},
    }
    merged = merge_live(curated(), "QQQ", live)
    assert [o.value for o in merged.history("expense_ratio")] == [0.0018, 0.002]  # the curated one stays
    assert merged.history("dividend_yield")[0].value == 0.005
    sw = merged.history("sector_weights")[-1]
    assert sw.taxonomy == "morningstar" and sw.value == {"Technology": 0.6, "Financial Services": 0.4}
    today = resolve(merged, D("2026-11-20"))
    assert today.value("expense_ratio") == 0.002 and today.facts["expense_ratio"].source == YF
    assert [h["ticker"] for h in today.top_holdings] == ["NVDA", "AAPL"]
    assert today.value("aum") == 395e9  # no live AUM: the curated one
    earlier = resolve(merged, D("2026-07-31"))
    assert earlier.value("expense_ratio") == 0.0018 and earlier.sectors.taxonomy == "gics"


def test_merge_live_ignores_missing_none_empty_bad_or_undated():
    base = curated()
    live = {
        "aum": {"value": None, "as_of": "2026-11-20", "source": YF},
        "holdings_count": None,
        "sector_weights": {"value": {}, "as_of": "2026-11-20", "source": YF},
        "top_holdings": {"value": [], "as_of": "2026-11-20", "source": YF},
        "expense_ratio": {"value": 18, "as_of": "2026-11-20", "source": YF},  # not a fraction
        "dividend_yield": {"value": 0.01, "source": YF},                    # no date
        "bogus": {"value": 1, "as_of": "2026-11-20", "source": YF},
    }
    assert merge_live(base, "QQQ", live) == base
    assert merge_live(base, "QQQ", {}) == base


def test_merge_live_without_curated():
    merged = merge_live(None, "XYZ", {"aum": {"value": 5e9, "as_of": "2026-11-20", "source": YF}})
    ff = resolve(merged, D("2026-11-20"))
    assert ff.ticker == "XYZ" and ff.name is None and ff.value("aum") == 5e9 and ff.category is None


def test_merge_live_on_shipped_data(funds):
    ff = funds.facts_as_of("VOO", D("2026-11-20"), {"aum": {"value": 7e11, "as_of": "2026-11-20", "source": YF}})
    assert ff.value("aum") == 7e11
    assert funds.facts_as_of("VOO", D("2026-11-20")).value("aum") is None  # the loaded file is not modified


def test_fund_facts_compat_properties():
    ff = FundFacts("X")
    assert ff.sector_weights is None and ff.top_holdings is None and ff.notes == [] and ff.asset_class is None

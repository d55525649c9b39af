"""Issue 11, item 7: implausible facts exit 2 naming file:line, the value and the plausible range (README lists
the ranges): a percent written as a fraction, an as_of in the future, an inception after the first price,
weights summing to 150%, control characters in names.  Implausible live values are ignored.

The fixtures edit the shipped ``data/funds.toml`` (dated observations: ``expense_ratio = [ { value, as_of,
source }, ... ]``, ``[[QQQ.top_holdings]]`` blocks, notes as dated quotes, ``[sources]``) inside one fund's
tables, so each case changes exactly one value of that fund."""
from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import versus.data.funds as funds_mod
from siteutil import MINIMAL_SITE_TOML
from versus.data.funds import plausible
from versus.cli import main
from versus.errors import EXIT_CONFIG, ConfigError
from versus.data.funds import DEFAULT_PATH, load_funds
from versus.sources.snapshot import SnapshotSource

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / DEFAULT_PATH).read_text()
LINES = TEXT.splitlines()
TODAY = dt.date.today()


def line_of(needle: str, after: str = "") -> int:
    start = next(i for i, l in enumerate(LINES) if l.strip() == after) if after else 0
    return next(i for i, l in enumerate(LINES[start:], start + 1) if needle in l)


def edited(tmp_path: Path, old: str, new: str, fund: str = "QQQ") -> Path:
    """The shipped file with the first ``old`` inside ``[fund]``'s tables (or, ``fund=""``, in the file)
    replaced by ``new``, written as ``tmp_path/data/funds.toml`` (where a build of ``tmp_path/site.toml`` reads
    its fund facts)."""
    at = TEXT.index(f"\n[{fund}]\n") if fund else 0
    nxt = TEXT.find("\n# ---", at + 1) if fund else -1
    assert old in TEXT[at:nxt if nxt > 0 else None], (fund, old)
    path = tmp_path / "data" / "funds.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEXT[:at] + TEXT[at:].replace(old, new, 1))
    return path


def refused(tmp_path, old, new, line_needle, *needles, fund: str = "QQQ") -> str:
    with pytest.raises(ConfigError) as e:
        load_funds(edited(tmp_path, old, new, fund))
    msg = str(e.value)
    if line_needle:
        line = line_of(line_needle, f"[{fund}]" if fund else "")
        assert msg.startswith(f"{tmp_path / 'data' / 'funds.toml'}:{line}: "), msg
    for n in needles:
        assert n in msg, msg
    assert "\n" not in msg
    return msg


QQQ_ER = '{ value = 0.0018, as_of = "2026-04", source = "articles-2026"'  # QQQ.expense_ratio[2]
QQQ_INCEPTION = ('index = [', 'inception = [\n  { value = "1999-03-10", as_of = "2026-01", source = "articles-2026" },\n'
                 '  { value = "1999-03-10", as_of = "2026-04", source = "articles-2026" },\n]\nindex = [')
"""QQQ has no inception on file: the fixtures add two observations (QQQ.inception[0] and [1])."""


# --------------------------------------------------------------------------- ranges
@pytest.mark.parametrize("value, needles", [
    ("0.19", ["QQQ.expense_ratio[2].value: 0.19 is implausible (plausible: 0% to 2.5%", "write 0.0019"]),
    ("0.03", ["0.03 is implausible", "write 0.0003"]),  # VOO's 0.03% written as 0.03
    ("0.026", ["0.026 is implausible"]),
    ("-0.001", ["-0.001"]),
])
def test_expense_ratio_as_percent(tmp_path, value, needles):
    refused(tmp_path, QQQ_ER, QQQ_ER.replace("0.0018", value), QQQ_ER, *needles)


@pytest.mark.parametrize("old, new, needles", [
    ("{ value = 395e9,", "{ value = 395,", ["QQQ.aum[2].value: 395 is implausible", "$100,000 to $5 trillion"]),
    ("{ value = 395e9,", "{ value = 6e12,", ["6e+12 is implausible"]),
    ("{ value = 101,", "{ value = 1000000,", ["QQQ.holdings_count[1].value: 1e+06 is implausible", "1 to 100,000"]),
    ("{ value = 0.0046,", "{ value = 0.46,", ["QQQ.dividend_yield[2].value: 0.46 is implausible", "0% to 25%"]),
])
def test_other_ranges(tmp_path, old, new, needles):
    refused(tmp_path, old, new, old, *needles)


@pytest.mark.parametrize("value", ["0", "0.025", "0.0003"])
def test_edges_of_the_expense_ratio_range_pass(tmp_path, value):
    obs = load_funds(edited(tmp_path, QQQ_ER, QQQ_ER.replace("0.0018", value)))["QQQ"].history("expense_ratio")[2]
    assert obs.value == float(value)


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
        assert load_funds(edited(tmp_path, QQQ_ER, new))["QQQ"].history("expense_ratio")[2].as_of == as_of
    else:
        refused(tmp_path, QQQ_ER, new, QQQ_ER, f"QQQ.expense_ratio[2].as_of: as_of {as_of} is", "plausible:")


def test_as_of_of_a_block_in_the_future(tmp_path):
    old = '[[IWM.sector_weights]]\nas_of = "2026-04"'
    msg = refused(tmp_path, old, old.replace("2026-04", "2099-04"), None, "IWM.sector_weights[1].as_of",
                  "in the future", fund="IWM")
    header = next(i for i, l in enumerate(LINES, 1) if l == "[[IWM.sector_weights]]" and LINES[i] == 'as_of = "2026-04"')
    assert msg.startswith(f"{tmp_path / 'data' / 'funds.toml'}:{header + 1}: ")


@pytest.mark.parametrize("value, needle", [("2099-01-01", "TIP.inception[0].value: inception 2099-01-01 is implausible"),
                                           ("1850-01-01", "TIP.inception[0].value: inception 1850-01-01 is implausible")])
def test_inception_out_of_range(tmp_path, value, needle):
    old = '{ value = "2003-12-04"'
    refused(tmp_path, old, old.replace("2003-12-04", value), old, needle, fund="TIP")


def test_inception_after_the_first_price_exits_2(tmp_path, monkeypatch, capsys):
    """QQQ's first price is 1999-03-10: an inception of 2001 is a typo (checked against the market data);
    every observation is checked, here the second."""
    old, new = QQQ_INCEPTION
    path = edited(tmp_path, old, new.replace('"1999-03-10", as_of = "2026-04"', '"2001-03-10", as_of = "2026-04"'))
    assert path == tmp_path / "data" / "funds.toml"  # beside the site's config: the build reads it
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_CONFIG and "Traceback" not in err
    line = next(i for i, l in enumerate(path.read_text().splitlines(), 1) if '"2001-03-10"' in l)
    assert err.strip().splitlines() == [
        f"error: {path}:{line}: QQQ.inception[1].value: inception 2001-03-10 is after the fund's first price "
        "(1999-03-10); plausible: on or before 1999-03-10"]
    assert not (tmp_path / "out").exists()


def test_inception_on_the_first_price_or_before_is_fine():
    assert plausible.inception("1999-03-10", dt.date(1999, 3, 10)) is None
    assert plausible.inception("1999-03-01", dt.date(1999, 3, 10)) is None
    assert "after" in plausible.inception("1999-03-11", dt.date(1999, 3, 10))


# --------------------------------------------------------------------------- weights
IWM_2026 = 'weights = { "Information Technology" = 0.13, "Financials" = 0.17,'  # IWM.sector_weights[1]


def test_sector_weights_summing_to_150_percent(tmp_path):
    msg = refused(tmp_path, IWM_2026, IWM_2026.replace("0.17", "0.67"), IWM_2026,
                  "IWM.sector_weights[1].weights: the weights sum to 150.0%", "at most 102%", fund="IWM")
    assert msg


def test_top_holdings_summing_over_102_percent(tmp_path):
    msg = refused(tmp_path, 'name = "NVIDIA", weight = 0.09 }', 'name = "NVIDIA", weight = 0.69 }', None,
                  "QQQ.top_holdings[1].holdings: the weights sum to 109.5%")
    qqq = LINES.index("[QQQ]")
    holdings = next(i for i, l in enumerate(LINES[qqq:], qqq + 1) if l == "holdings = [" and "NVIDIA" in LINES[i])
    assert msg.startswith(f"{tmp_path / 'data' / 'funds.toml'}:{holdings}: ")


def test_a_holding_weighing_nothing(tmp_path):
    refused(tmp_path, 'name = "NVIDIA", weight = 0.09 }', 'name = "NVIDIA", weight = 0 }', 'name = "NVIDIA"',
            "QQQ.top_holdings[1].holdings[0].weight: holding 'NVIDIA': weight 0.0 is implausible (plausible: above 0)")


def test_weights_that_sum_to_just_over_100_percent_pass(tmp_path):
    path = edited(tmp_path, IWM_2026, IWM_2026.replace("0.17", "0.185"), "IWM")  # rounding: 101.5%
    assert load_funds(path)["IWM"].history("sector_weights")[1].value["Financials"] == 0.185


# --------------------------------------------------------------------------- text
@pytest.mark.parametrize("old, new, key, fund", [
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u0000QQQ"', "QQQ.name", "QQQ"),
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u0007"', "QQQ.name", "QQQ"),
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco \\u202eQQQ"', "QQQ.name", "QQQ"),  # right-to-left override
    ('name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u001b[31mQQQ"', "QQQ.name", "QQQ"),  # terminal escape
    ('{ value = "Invesco"', '{ value = "Inv\\u0085esco"', "QQQ.issuer[0].value", "QQQ"),
    ('{ value = "Nasdaq-100"', '{ value = "Nasdaq\\r100"', "QQQ.index[0].value", "QQQ"),
    ('{ ticker = "NVDA", name = "NVIDIA"', '{ ticker = "NVDA", name = "NV\\u0000IDIA"', "QQQ.top_holdings[1].holdings[0].name",
     "QQQ"),
    # a sector name outside GICS and Morningstar's lists needs taxonomy "other" (a GICS snapshot refuses it by name)
    ('taxonomy = "gics"\n' + IWM_2026, 'taxonomy = "other"\n' + IWM_2026.replace('"Financials"', '"Finan\\u0008cials"'),
     'IWM.sector_weights[1].weights."Finan\\u0008cials"', "IWM"),
    ('{ text = "technology about 50%"', '{ text = "tech\\u0000"', "QQQ.notes[0].text", "QQQ"),
    # sources are [sources] ids now: the text a reader sees is the source's name
    ('name = "ETF comparison articles and guides, Jan–May 2026"', 'name = "ETF\\u0000"', "sources.articles-2026.name", ""),
])
def test_control_characters_in_names(tmp_path, old, new, key, fund):
    msg = refused(tmp_path, old, new, None, f"{key}: ", "plausible: printable text", fund=fund)
    assert re.search(r"funds\.toml:\d+: ", msg), msg


def test_a_control_character_in_a_name_exits_2_not_a_rust_backtrace(tmp_path, monkeypatch, capsys):
    path = edited(tmp_path, 'name = "Invesco QQQ Trust, Series 1"', 'name = "Invesco\\u0000QQQ"')
    assert path == tmp_path / "data" / "funds.toml"  # beside the site's config: the build reads it
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
LIVE_DAY = "2026-08-14"


@pytest.mark.parametrize("key, value", [("expense_ratio", 0.19), ("aum", 12.5), ("holdings_count", 10**7),
                                        ("dividend_yield", 0.9), ("issuer", "Inv\x00esco"), ("name", "Q\x1bQQ")])
def test_implausible_live_values_are_ignored(key, value):
    """A live value is one more dated observation: an implausible one is not added, so the build (as of the
    day it was fetched) keeps the curated value."""
    funds = load_funds()
    live = {key: {"value": value, "as_of": LIVE_DAY, "source": "yahoo"}}
    merged = funds.facts_as_of("QQQ", LIVE_DAY, live)
    assert merged.value(key) == funds.facts_as_of("QQQ", LIVE_DAY).value(key) is not None
    assert funds_mod.merge_live(funds["QQQ"], "QQQ", live) == funds["QQQ"]


def test_implausible_live_weights_are_ignored():
    funds = load_funds()
    live = {"sector_weights": {"value": {"Technology": 0.9, "Financials": 0.9}, "as_of": LIVE_DAY, "source": "y"},
            "top_holdings": {"value": [{"ticker": "A", "name": "A\x00", "weight": 0.1}], "as_of": LIVE_DAY,
                             "source": "y"}}
    merged, curated = funds.facts_as_of("SPY", LIVE_DAY, live), funds.facts_as_of("SPY", LIVE_DAY)
    assert merged.sector_weights == curated.sector_weights and merged.top_holdings == curated.top_holdings
    assert funds_mod.merge_live(funds["SPY"], "SPY", live) == funds["SPY"]


def test_plausible_live_values_still_replace_curated_ones():
    merged = load_funds().facts_as_of("QQQ", LIVE_DAY, {"expense_ratio": {"value": 0.0015, "as_of": LIVE_DAY,
                                                                           "source": "yahoo"}})
    assert merged.facts["expense_ratio"].value == 0.0015


def test_the_shipped_facts_are_plausible():
    """Every observation of every fund, and every inception against the fund's first price in the snapshot.
    One inception is after the first price (SMH: Yahoo dates VanEck's 2011 launch, the shared data's prices start
    in 2000): its note acknowledges that exact first price, and only that date passes."""
    funds = load_funds()
    for t, record in funds.items():
        for key, history in record.observations.items():
            for obs in history:
                assert plausible.check(t, key, obs) is None and plausible.as_of(obs.as_of) is None, (t, key, obs)
    md = SnapshotSource().load(list(funds))
    firsts = {t: md.adj_close[t].first_valid_index().date() for t in funds}
    plausible.check_inceptions(funds, firsts)
    after = {t: (o.value, firsts[t].isoformat()) for t in funds for o in funds[t].history("inception")
             if plausible.inception(o.value, firsts[t])}
    assert after == {"SMH": ("2011-12-20", "2000-06-05")}
    with pytest.raises(ConfigError, match=r"funds\.toml:\d+: SMH\.inception\[0\]\.value: inception 2011-12-20 is "
                                          r"after the fund's first price \(2000-06-02\)"):
        plausible.check_inceptions(funds, {"SMH": dt.date(2000, 6, 2)})  # other prices: acknowledged no more

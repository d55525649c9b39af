"""Issue 11, item 8: one line instead of a traceback.  Each case that used to print a traceback, and the
last resort: any unexpected exception is one line naming the stage, exit 1; ``--debug`` shows the traceback."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import versus.analysis as analysis_mod
import versus.config as config_mod
import versus.content as content_mod
import versus.pages.base as pages_base_mod
from siteutil import MINIMAL_SITE_TOML
from versus.cli import main
from versus.data import prepare, validate
from versus.errors import EXIT_CONFIG, EXIT_DATA, DataError, some
from versus.sources import MarketData

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def config(tmp_path):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    return tmp_path / "site.toml"


def run(capsys, config, out, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--config", str(config), "--out", str(out), "--quiet", *extra])
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# --------------------------------------------------------------------------- the last resort
def boom(message: str = "boom", exc=ZeroDivisionError):
    def raise_(*a, **k):
        raise exc(message)
    return raise_


@pytest.mark.parametrize("target, stage, exc", [
    ((config_mod, "load_config"), "site config", KeyError),
    ((analysis_mod, "compute_funds_at"), "metrics", ZeroDivisionError),
    ((content_mod, "load"), "content", RecursionError),
    # a pair's figures are computed by the page that reads them (versus.pages.base.PairFigures; issue 17)
    ((pages_base_mod, "compute_pair"), "pages", MemoryError),
])
def test_an_unexpected_error_is_one_line_naming_the_stage(tmp_path, capsys, monkeypatch, config, target, stage, exc):
    owner, name = target
    if owner is config_mod:
        import versus.cli.build as cli_mod
        monkeypatch.setattr(cli_mod, "load_config", boom("x", exc))
    else:
        monkeypatch.setattr(owner, name, boom("x", exc))
    code, err = run(capsys, config, tmp_path / "out")
    assert code == 1, err
    line = one_line(err)
    assert line.startswith(f"error: internal error in {stage}: {exc.__name__}")
    assert line.endswith("; run with --debug for the traceback")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site.toml"]  # no temporary folder, no lock file


def test_debug_shows_the_traceback(tmp_path, capsys, monkeypatch, config):
    monkeypatch.setattr(analysis_mod, "compute_funds_at", boom("a bug"))
    code, err = run(capsys, config, tmp_path / "out", "--debug")
    assert code == 1
    assert "Traceback (most recent call last)" in err and "ZeroDivisionError: a bug" in err
    assert err.strip().splitlines()[-1].startswith("error: internal error in metrics: ZeroDivisionError: a bug")


def test_a_long_multi_line_message_stays_one_short_line(tmp_path, capsys, monkeypatch, config):
    monkeypatch.setattr(analysis_mod, "compute_funds_at", boom("first line\n" + "x" * 5000 + "\nlast line", ValueError))
    code, err = run(capsys, config, tmp_path / "out")
    line = one_line(err)
    assert code == 1 and len(line) < 450 and "first line x" in line


def test_an_error_with_an_unprintable_message(tmp_path, capsys, monkeypatch, config):
    class Weird(Exception):
        def __str__(self):
            raise RuntimeError("cannot print me")

    def raise_(*a, **k):
        raise Weird()

    monkeypatch.setattr(analysis_mod, "compute_funds_at", raise_)
    code, err = run(capsys, config, tmp_path / "out")
    assert code == 1 and one_line(err) == ("error: internal error in metrics: Weird; run with --debug for the "
                                           "traceback")


def test_the_failure_goes_to_the_step_summary(tmp_path, capsys, monkeypatch, config):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setattr(analysis_mod, "compute_funds_at", boom())
    code, _ = run(capsys, config, tmp_path / "out")
    assert code == 1
    assert "build FAILED (exit 1)" in summary.read_text() and "internal error in metrics" in summary.read_text()


# --------------------------------------------------------------------------- --as-of: a date, nothing else
@pytest.mark.parametrize("value", ["2026-07-31T10:00:00+02:00", "2026-07-31 10:00", "2026-07-31T00:00",
                                   "20260731", "2026-W31-5", "2026-07-31\n", " 2026-07-31", "31/07/2026", "",
                                   "2026-02-30", "9999-99-99", "2026-07-31" + "0" * 10000])
def test_as_of_must_be_a_plain_date(tmp_path, capsys, config, value):
    code, err = run(capsys, config, tmp_path / "out", "--as-of", value)
    assert code == EXIT_CONFIG, err
    line = one_line(err)
    assert line.startswith("error: --as-of ") and ("not a date" in line or "not a real date" in line), line
    assert len(line) < 200
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- site.toml
@pytest.mark.parametrize("edit, needle", [
    ('funds = ["QQQ", "IWM"]\npairs = [["QQQ", "IWM"]]',
     'funds = ["QQQ", "IWM", "SPY"]\npairs = [["QQQ", "IWM"]]\ngroups = [["QQQ", "IWM", "SPY"], ["QQQ", "IWM", "SPY"]]'),
    ('funds = ["QQQ", "IWM"]\npairs = [["QQQ", "IWM"]]',
     'funds = ["QQQ", "IWM", "SPY"]\npairs = [["QQQ", "IWM"]]\ngroups = [["QQQ", "IWM", "SPY"], ["SPY", "QQQ", "IWM"]]'),
])
def test_the_same_group_twice(tmp_path, capsys, edit, needle):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace(edit, needle))
    code, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_CONFIG
    assert ":6: group " in one_line(err) and "is listed twice" in err


def test_two_entries_that_would_write_the_same_page(tmp_path, capsys):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace(
        'funds = ["QQQ", "IWM"]\npairs = [["QQQ", "IWM"]]',
        'funds = ["A-VS", "B", "A", "VS-B"]\npairs = [["A-VS", "B"], ["A", "VS-B"]]'))
    code, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_CONFIG and "would both be published as 'a-vs-vs-b'" in one_line(err)


@pytest.mark.parametrize("ticker", ["SPY\\n", "SPY\\r", "SPY ", " SPY", "SP\\u0000Y", "SPY\\u200e"])
def test_a_ticker_with_a_trailing_newline_is_not_a_ticker(tmp_path, capsys, ticker):
    """``$`` matches before a final newline: every name check uses fullmatch."""
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace('"IWM"]\npairs', f'"IWM", "{ticker}"]\npairs'))
    code, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_CONFIG and "is not a ticker" in one_line(err), err


def test_a_ticker_with_a_newline_in_funds_toml(tmp_path):
    from versus.errors import ConfigError
    from versus.data.funds import load_funds

    (tmp_path / "funds.toml").write_text('[sources.s]\nname = "S"\ndate = "2026-04"\n'
                                         '[categories.c]\nname = "C"\nasset_class = "equity"\nbenchmark = "SPY"\n'
                                         '["SPY\\n"]\nname = "x"\ncategory = "c"\n')
    with pytest.raises(ConfigError, match=r'funds\.toml:8: "SPY\\u000A": not a ticker'):
        load_funds(tmp_path / "funds.toml")


@pytest.mark.parametrize("bom, name", [(b"\xef\xbb\xbf", "UTF-8"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")])
def test_a_byte_order_mark_is_named(tmp_path, capsys, bom, name):
    (tmp_path / "site.toml").write_bytes(bom + MINIMAL_SITE_TOML.encode())
    code, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_CONFIG
    assert one_line(err).endswith(f"site.toml:1: starts with a {name} byte-order mark (BOM); save it as UTF-8 "
                                  "without a BOM")


def test_a_byte_order_mark_in_funds_toml_and_commentary(tmp_path):
    from versus.errors import ConfigError, ContentError
    from versus.data.funds import load_funds

    (tmp_path / "funds.toml").write_bytes(b"\xef\xbb\xbf[QQQ]\n")
    with pytest.raises(ConfigError, match=r"funds\.toml:1: starts with a UTF-8 byte-order mark"):
        load_funds(tmp_path / "funds.toml")
    (tmp_path / "x.md").write_bytes(b"\xef\xbb\xbf---\ntitle: t\n---\nbody\n")
    with pytest.raises(ContentError, match=r"x\.md:1: starts with a UTF-8 byte-order mark"):
        content_mod.parse_document(tmp_path / "x.md", "fund", "QQQ")


# --------------------------------------------------------------------------- long lists
def test_a_thousand_unknown_funds_are_summarised(tmp_path, capsys):
    unknown = [f"Z{i:03d}" for i in range(1000)]
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace(
        'funds = ["QQQ", "IWM"]', "funds = " + json.dumps(["QQQ", "IWM", *unknown])))
    code, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_DATA
    line = one_line(err)
    where = f"error: {tmp_path / 'site.toml'}:4: "  # the line that lists the first (issue 15), then the fix
    assert line.startswith(where + "Z000, Z001, Z002, Z003, Z004 and 995 more (1,000 in all): not in the embedded "
                           "snapshot") and len(line) - len(where) < 300


def test_some_lists_few_items_whole():
    assert some(["A"]) == "A" and some(list("ABCDE")) == "A, B, C, D, E"
    assert some(list("ABCDEF")) == "A, B, C, D, E and 1 more (6 in all)"


# --------------------------------------------------------------------------- market data
def frame(start: str, n: int, tickers=("A",)) -> pd.DataFrame:
    idx = pd.bdate_range(start, periods=n, name="date")
    return pd.DataFrame({t: np.linspace(100, 110, n) for t in tickers}, index=idx)


def market(adj: pd.DataFrame) -> MarketData:
    divs = pd.DataFrame(columns=adj.columns, dtype=float, index=pd.DatetimeIndex([], name="ex_date"))
    return MarketData(close=adj.copy(), adj_close=adj, dividends=divs, source="test")


def test_a_fund_whose_rows_start_after_the_others_end():
    a = frame("2020-01-01", 300, ["A"])
    b = frame("2021-06-01", 3, ["B"])  # a few rows, all after A's last price
    with pytest.raises(DataError) as e:
        prepare(market(a.join(b, how="outer")))
    assert str(e.value) == ("B: prices start 2021-06-01, after A's last price (2021-02-23): the funds have no day "
                            "in common")


def test_a_fund_whose_rows_start_after_the_others_end_in_a_build(tmp_path, monkeypatch, capsys):
    import shutil

    # a snapshot beside the site's config (where the build looks for it first)
    snap = Path(shutil.copytree(ROOT / "data" / "snapshot", tmp_path / "data" / "snapshot"))
    p = pd.read_parquet(snap / "prices.parquet")
    p = p[(p["ticker"] != "QQQ") | (p["date"] < "2010-01-01")]
    p = p[(p["ticker"] != "IWM") | (p["date"] > "2026-08-17")]
    p.to_parquet(snap / "prices.parquet", index=False)
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    code, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_DATA
    assert "IWM: prices start 2026-08-18, after QQQ's last price (2009-12-31)" in one_line(err)


def test_duplicate_dates_name_the_ticker_and_the_date():
    a = frame("2020-01-01", 10, ["A", "B"])
    a = pd.concat([a, a.iloc[[4]]]).sort_index()
    a.loc[a.index[4:6], "B"] = np.nan
    with pytest.raises(DataError, match=r"^A: date 2020-01-07 appears twice in the prices$"):
        validate(market(a))


@pytest.mark.parametrize("value", ["9999-12-31", "1677-01-01", "2262-05-01", "0001-01-01", "1990-06-01"])
def test_today_out_of_range(tmp_path, capsys, config, value):
    code, err = run(capsys, config, tmp_path / "out", "--live", "--store", str(tmp_path / "s"), "--today", value)
    assert code == EXIT_CONFIG and "--today" in one_line(err) and "out of range" in err


def test_holdings_count_inf_is_one_line(tmp_path, monkeypatch, capsys, config):
    text = (ROOT / "data" / "funds.toml").read_text()
    qqq = text.index("\n[QQQ]\n")  # QQQ.holdings_count[1]
    text = text[:qqq] + text[qqq:].replace('{ value = 101, as_of = "2026-01"', '{ value = inf, as_of = "2026-01"', 1)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "funds.toml").write_text(text)  # beside the site's config: the build reads it
    code, err = run(capsys, config, tmp_path / "out")
    assert code == EXIT_CONFIG and "QQQ.holdings_count[1].value: expected a finite number, got inf" in one_line(err)

"""Bad input not covered elsewhere (issue 6, item 1): each gives one line naming the input (file:line where
there is one), a documented exit code, no traceback and no output written.

Covered in other files: unknown/misspelt keys, a pair naming an unconfigured fund, a fund paired with itself,
duplicate pairs, malformed TOML, --as-of in the future / before inception / not a date (test_cli_errors);
NaN, zero, negative or infinite prices, duplicate or unsorted dates, one-day jumps, dividends without a price,
timezone-aware index, empty history, one day of history, weekend --as-of (test_bad_data); a fund younger than
the horizon (test_build); commentary for a pair or fund that does not exist, broken front matter, unknown
placeholders (test_content); template overrides (test_templates); corrupted or truncated store (test_store).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import versus.sources.cache as cache_mod
from fakes_yahoo import YahooWorld, refuse_network
from versus.cli import main
from versus.errors import EXIT_CONFIG, EXIT_DATA, EXIT_OUTPUT
from siteutil import MINIMAL_SITE_TOML

SITE_TOML = MINIMAL_SITE_TOML + "allow_html = false\n"


def run(capsys, config: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--config", str(config), "--out", str(out), "--quiet", *extra])
    o, e = capsys.readouterr()
    return code, o, e


def one_line_error(err: str, *needles: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- site.toml: wrong types and values
@pytest.mark.parametrize("old, new, needles", [
    ('funds = ["QQQ", "IWM"]', 'funds = "QQQ"', [":4:", "'funds' must be a list, not str"]),
    ('title = "t"', "title = 5", [":1:", "'title' must be a string, not int"]),
    ('base_url = "https://example.org/"', "base_url = true", [":3:", "'base_url' must be a string, not bool"]),
    ("allow_html = false", 'allow_html = "yes"', [":7:", "'options.allow_html' must be true or false, not str"]),
    ("allow_html = false", "max_stale_days = 2.5", [":7:", "'options.max_stale_days' must be a whole number"]),
    ("allow_html = false", "max_stale_days = true", [":7:", "'options.max_stale_days' must be a whole number"]),
    ("allow_html = false", "templates = ['a']", [":7:", "'options.templates' must be a string, not list"]),
    ("[options]\nallow_html = false", "options = 3", [":6:", "'options' must be a table, not int"]),
    ('pairs = [["QQQ", "IWM"]]', 'pairs = ["QQQ-IWM"]', [":5:", "must be a list of 2 tickers, got 'QQQ-IWM'"]),
    ('pairs = [["QQQ", "IWM"]]', 'pairs = [["QQQ", "IWM", "SPY"]]', [":5:", "must be a list of 2 tickers"]),
    ('pairs = [["QQQ", "IWM"]]', 'pairs = [["QQQ", "IWM"]]\ngroups = [["QQQ", "IWM"]]',
     [":6:", "'groups' must be a list of 3-5 tickers"]),
    ('funds = ["QQQ", "IWM"]', 'funds = ["QQQ", "IWM", 7]', [":4:", "'7' is not a ticker"]),
    ('funds = ["QQQ", "IWM"]', 'funds = ["QQQ", "iwm"]', [":4:", "'iwm' is not a ticker"]),
    ('funds = ["QQQ", "IWM"]', 'funds = ["QQQ", "IWM", "QQQ"]', [":4:", "fund 'QQQ' is listed twice"]),
    ('funds = ["QQQ", "IWM"]\npairs = [["QQQ", "IWM"]]', "funds = []\npairs = []", [":4:", "'funds' is empty"]),
    ('description = "d"', "risk_free_rate = 4", [":2:", "risk_free_rate 4.0 is not an annual fraction"]),
    ('base_url = "https://example.org/"', 'base_url = "example.org"', [":3:", "must be an absolute http(s) URL"]),
    ('title = "t"\n', "", ["missing required key 'title'"]),
])
def test_wrong_types_and_values_in_site_toml(tmp_path, capsys, old, new, needles):
    assert old in SITE_TOML
    (tmp_path / "site.toml").write_text(SITE_TOML.replace(old, new, 1))
    code, _, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_CONFIG
    one_line_error(err, "site.toml", *needles)
    assert not (tmp_path / "out").exists()


def test_site_toml_that_is_not_utf8(tmp_path, capsys):
    (tmp_path / "site.toml").write_bytes(SITE_TOML.replace('description = "d"', 'description = "caf\xe9"')
                                         .encode("latin-1"))
    code, _, err = run(capsys, tmp_path / "site.toml", tmp_path / "out")
    assert code == EXIT_CONFIG
    one_line_error(err, "site.toml:2: not UTF-8 text (byte 0xe9)")
    assert not (tmp_path / "out").exists()


def test_site_toml_missing(tmp_path, capsys):
    code, _, err = run(capsys, tmp_path / "nope.toml", tmp_path / "out")
    assert code == EXIT_CONFIG
    one_line_error(err, "nope.toml: cannot read config (No such file or directory)")


# --------------------------------------------------------------------------- --as-of on a holiday
def test_as_of_on_a_market_holiday_uses_the_previous_close_and_says_so(tmp_path, capsys):
    (tmp_path / "site.toml").write_text(SITE_TOML)
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--as-of", "2025-07-04"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "note: 2025-07-04 was not a trading day; using the previous close (2025-07-03)." in err
    assert "as of 2025-07-03" in out
    doc = json.loads((tmp_path / "out" / "api" / "pairs" / "qqq-vs-iwm.json").read_text())
    assert doc["as_of"] == "2025-07-03"
    assert "2025-07-04 was not a trading day" in (tmp_path / "out" / "index.html").read_text()  # and on the pages


# --------------------------------------------------------------------------- an output folder that cannot be written
@pytest.fixture
def config(tmp_path) -> Path:
    (tmp_path / "site.toml").write_text(SITE_TOML)
    return tmp_path / "site.toml"


def test_output_under_a_regular_file(tmp_path, capsys, config):
    """mkdir fails (root ignores permissions, so a read-only parent would not do): --out somefile/site."""
    (tmp_path / "somefile").write_text("not a folder")
    code, _, err = run(capsys, config, tmp_path / "somefile" / "site")
    assert code == EXIT_OUTPUT
    one_line_error(err, "somefile/site", "somefile is a file, not a folder")
    assert (tmp_path / "somefile").read_text() == "not a folder"


def test_output_is_a_regular_file(tmp_path, capsys, config):
    (tmp_path / "notes.txt").write_text("keep me")
    code, _, err = run(capsys, config, tmp_path / "notes.txt")
    assert code == EXIT_OUTPUT
    one_line_error(err, "notes.txt: it is a file, not a folder")
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "site.toml"]


@pytest.mark.parametrize("where", ["config folder", "its parent"])
def test_output_that_would_replace_the_project(tmp_path, capsys, config, where):
    """--out . (or a parent) would swap the whole project for the site: refused before anything is read."""
    before = tree(tmp_path)
    out = tmp_path if where == "config folder" else tmp_path.parent
    code, _, err = run(capsys, config, out)
    assert code == EXIT_OUTPUT
    one_line_error(err, "would replace", str(tmp_path))
    assert tree(tmp_path) == before


def test_output_folder_that_is_not_a_site(tmp_path, capsys, config):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.tex").write_text("years of work")
    code, _, err = run(capsys, config, tmp_path / "docs")
    assert code == EXIT_OUTPUT
    one_line_error(err, "docs: not a site versus built (no build.json; it holds thesis.tex)")
    assert (tmp_path / "docs" / "thesis.tex").read_text() == "years of work"
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["thesis.tex"]


def test_empty_output_folder_is_fine(tmp_path, capsys, config):
    (tmp_path / "out").mkdir()
    code, _, err = run(capsys, config, tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out" / "index.html").is_file()


# --------------------------------------------------------------------------- the live source
@pytest.mark.parametrize("case", ["unknown ticker", "delisted ticker"])
def test_ticker_the_live_source_does_not_have_on_a_first_run(tmp_path, monkeypatch, capsys, case):
    """No store to fall back on: Yahoo returns nothing for the ticker (unknown symbol, or delisted: empty
    history), so the build stops naming it, and writes nothing."""
    refuse_network(monkeypatch)
    world = YahooWorld("2026-08-14")
    funds = ["SPY", "QQQ", "ZZZZ"] if case == "unknown ticker" else ["SPY", "QQQ"]
    if case == "delisted ticker":
        world.fail = {"QQQ"}
    text = SITE_TOML.replace('funds = ["QQQ", "IWM"]', f"funds = {json.dumps(funds)}").replace(
        'pairs = [["QQQ", "IWM"]]', 'pairs = [["SPY", "QQQ"]]')
    (tmp_path / "site.toml").write_text(text)
    monkeypatch.setattr(cache_mod, "default_source", lambda today: world.source([]))
    code, _, err = run(capsys, tmp_path / "site.toml", tmp_path / "out", "--live", "--store", str(tmp_path / "store"),
                       "--today", "2026-08-14T18:35")
    missing = "ZZZZ" if case == "unknown ticker" else "QQQ"
    assert code == EXIT_DATA
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"error: {missing}: ") and "no stored prices to fall back on" in last, last
    assert not (tmp_path / "out").exists()

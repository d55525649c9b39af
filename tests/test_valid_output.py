"""Issue 11, item 5: the public output is always valid.  No NaN or Infinity in any JSON (fund facts are
validated finite, every JSON is written with NaN forbidden), sitemap.xml and feed.xml built with an XML library
(``&`` in base_url), no CSV cell a spreadsheet would run as a formula (OWASP CSV injection)."""
from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from versus.build import build
from versus.render import safeout, sitemap
from versus.cli import main
from versus.config import load_config
from versus.errors import EXIT_CONFIG
from versus.data.funds import DEFAULT_PATH, load_funds, merge_live
from versus.render import dumps, json_script
from versus.sources.snapshot import SnapshotSource
from siteutil import MINIMAL_SITE_TOML

ROOT = Path(__file__).resolve().parent.parent


def strict_json(text: str):
    """json.loads that refuses NaN, Infinity and -Infinity (Python's parser accepts them; JSON does not)."""
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def check_all_output_valid(out: Path) -> int:
    """Every JSON file and embedded JSON block parses strictly, every XML file parses, every CSV cell is safe."""
    n = 0
    for f in out.rglob("*"):
        if f.suffix == ".json" or f.name == "build.json":
            strict_json(f.read_text(encoding="utf-8"))
        elif f.suffix in (".xml", ".svg"):  # sitemap, feed, and every chart SVG
            ET.fromstring(f.read_bytes())
        elif f.suffix == ".csv":
            for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8"))):
                for cell in row:
                    assert not cell.startswith(("=", "@", "\t", "\r")), (f, cell)
                    assert not cell.startswith(("+", "-")) or re.fullmatch(r"[-+][\d.]+(e[-+]?\d+)?", cell), (f, cell)
        elif f.suffix == ".html":
            for block in re.findall(r'<script type="application/(?:ld\+)?json"[^>]*>(.*?)</script>', f.read_text(), re.S):
                strict_json(block)
        else:
            continue
        n += 1
    return n


def test_the_default_site_is_strictly_valid(site):
    assert check_all_output_valid(site) > 300


def test_tojson_in_templates_never_writes_nan():
    from versus.render import make_env

    with pytest.raises(safeout.InvalidOutput):
        make_env().from_string("{{ x|tojson }}").render(x={"a": float("inf")})


# --------------------------------------------------------------------------- JSON: never NaN
FUND = """[sources.s]
name = "S"
date = "2026-04"

[categories.c]
name = "C"
asset_class = "equity"
benchmark = "QQQ"

[QQQ]
name = "Invesco QQQ"
category = "c"
aum = [ { value = 395e9, as_of = "2026-04", source = "s" } ]
expense_ratio = [ { value = 0.0018, as_of = "2026-04", source = "s" } ]
holdings_count = [ { value = 101, as_of = "2026-01", source = "s" } ]
"""


@pytest.mark.parametrize("old, new", [
    ("395e9", "nan"), ("395e9", "inf"), ("395e9", "-inf"), ("0.0018", "nan"), ("101", "inf"), ("101", "nan"),
    ("395e9", "+nan"),
])
def test_non_finite_fund_facts_are_refused(tmp_path, old, new):
    (tmp_path / "ok.toml").write_text(FUND)
    assert load_funds(tmp_path / "ok.toml")["QQQ"].history("aum")  # the fixture itself is valid
    (tmp_path / "funds.toml").write_text(FUND.replace(old, new, 1))
    with pytest.raises(Exception) as e:
        load_funds(tmp_path / "funds.toml")
    assert type(e.value).__name__ == "ConfigError" and "funds.toml" in str(e.value) and "QQQ." in str(e.value)
    assert new.lstrip("+") in str(e.value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize("key", ["aum", "expense_ratio", "holdings_count", "dividend_yield"])
def test_a_non_finite_live_fact_is_ignored(key, value):
    """A live value is one more dated observation: a non-finite one is not added (the build as of the day it
    was fetched keeps the curated value)."""
    funds = load_funds()
    curated = funds["QQQ"]
    live = {key: {"value": value, "as_of": "2026-08-14", "source": "yahoo"}}
    assert merge_live(curated, "QQQ", live).history(key) == curated.history(key)
    assert funds.facts_as_of("QQQ", "2026-08-14", live).facts[key] == funds.facts_as_of("QQQ", "2026-08-14").facts[key]
    bad_sectors = {"sector_weights": {"value": {"Technology": value}, "as_of": "2026-08-14", "source": "y"},
                   "top_holdings": {"value": [{"ticker": "A", "name": "A", "weight": value}], "as_of": "2026-08-14",
                                    "source": "y"}}
    merged = merge_live(curated, "QQQ", bad_sectors)
    assert merged.history("sector_weights") == curated.history("sector_weights")
    assert merged.history("top_holdings") == curated.history("top_holdings")


def test_nan_in_the_live_store_never_reaches_the_json(tmp_path, capsys):
    """The issue's case: NaN in the store's fund facts was published as "aum": NaN."""
    from versus.sources.store import Manifest, write_live_store

    md = SnapshotSource().load(["QQQ", "IWM"])
    md.meta = {"QQQ": {"aum": {"value": float("nan"), "as_of": "2026-07-31", "source": "yahoo"},
                       "expense_ratio": {"value": float("inf"), "as_of": "2026-07-31", "source": "yahoo"}}}
    write_live_store(md, Manifest(tickers={t: {"first": "2000-01-03", "last": "2026-07-31", "full_refresh": None,
                                              "meta_refresh": None} for t in ("QQQ", "IWM")}), tmp_path / "store")
    assert "NaN" not in (tmp_path / "store" / "meta.json").read_text()  # written as null
    raw = json.loads((tmp_path / "store" / "meta.json").read_text())
    raw["QQQ"]["aum"]["value"] = float("nan")  # and a store that has it anyway (written by another tool)
    (tmp_path / "store" / "meta.json").write_text(json.dumps(raw))
    _manifest_matches(tmp_path / "store")
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--store",
                 str(tmp_path / "store"), "--quiet"])
    assert code == 0, capsys.readouterr().err
    doc = strict_json((tmp_path / "out" / "api" / "funds" / "qqq.json").read_text())
    curated = load_funds().facts_as_of("QQQ", doc["as_of"]).facts["aum"]  # the curated fallback
    assert doc["funds"]["QQQ"]["aum"] == curated.value and doc["funds"]["QQQ"]["sources"]["aum"]["as_of"] == curated.as_of
    check_all_output_valid(tmp_path / "out")


def _manifest_matches(store: Path) -> None:
    import hashlib

    man = json.loads((store / "store.json").read_text())
    data = (store / "meta.json").read_bytes()
    man["files"]["meta.json"] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (store / "store.json").write_text(json.dumps(man))


@pytest.mark.parametrize("doc, where", [
    ({"funds": {"QQQ": {"aum": float("nan")}}}, "funds.QQQ.aum = nan"),
    ({"a": [1.0, 2.0, float("inf")]}, "a[2] = inf"),
    ([{"x": -float("inf")}], "[0].x = -inf"),
    (float("nan"), "(the document) = nan"),
])
def test_json_with_nan_is_an_error_naming_file_and_key(doc, where):
    with pytest.raises(safeout.InvalidOutput, match=re.escape(f"api/x.json: {where} is not a number JSON can carry")):
        dumps(doc, "api/x.json")
    with pytest.raises(safeout.InvalidOutput):
        json_script(doc)


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=3), kids, max_size=4),
                    max_leaves=30))
def test_published_json_is_always_strict_json(value):
    try:
        text = dumps(value, "x.json")
    except safeout.InvalidOutput:
        assert safeout._non_finite(value) is not None
        return
    strict_json(text)
    strict_json(str(json_script(value)))


# --------------------------------------------------------------------------- XML: built with a library
NASTY_URLS = ["https://example.org/?a=1&b=2/", "https://example.org/<x>/", "https://example.org/a\"b'c/",
              "https://example.org/%26&amp;/"]


@pytest.mark.parametrize("base", NASTY_URLS)
def test_sitemap_is_valid_xml_for_any_base_url(base):
    urls = ["", "qqq-vs-iwm/", "funds/qqq/"]
    text = sitemap(base, urls, dict.fromkeys(urls, "2026-07-31"))
    root = ET.fromstring(text.encode())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert [e.text for e in root.findall("s:url/s:loc", ns)] == [base, base + "qqq-vs-iwm/", base + "funds/qqq/"]
    assert [e.text for e in root.findall("s:url/s:lastmod", ns)] == ["2026-07-31"] * 3


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30))
def test_sitemap_round_trips_any_text(path):
    text = sitemap("https://example.org/", [path], {path: "2026-07-31"})
    loc = ET.fromstring(text.encode()).find("{http://www.sitemaps.org/schemas/sitemap/0.9}url/"
                                           "{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text
    assert loc == "https://example.org/" + path


def test_xml_with_a_control_character_is_refused_not_published():
    with pytest.raises(safeout.InvalidOutput, match="sitemap.xml: would not be valid XML"):
        sitemap("https://example.org/", ["a\x01b/"], {"a\x01b/": "2026-07-31"})


def test_a_site_with_an_ampersand_in_base_url_is_valid_throughout(tmp_path, capsys):
    nasty = NASTY_URLS[0] + "<&>'\\\"/"  # base_url = "https://example.org/?a=1&b=2/<&>'\"/"
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace("https://example.org/", nasty))
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 0, capsys.readouterr().err
    assert check_all_output_valid(tmp_path / "out") > 20
    base = load_config(tmp_path / "site.toml").base_url
    sm = ET.fromstring((tmp_path / "out" / "sitemap.xml").read_bytes())
    assert sm[0][0].text == base
    feed = ET.fromstring((tmp_path / "out" / "feed.xml").read_bytes())
    assert feed.find("{http://www.w3.org/2005/Atom}id").text == base + "feed.xml"
    assert (tmp_path / "out" / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {base}sitemap.xml"


@pytest.mark.parametrize("key, value", [
    ("base_url", "https://example.org/\\u0001"), ("base_url", "https://example.org/\\n"),
    ("base_url", "https://example.org/\\u007f"), ("title", "t\\u0007"), ("title", "a\\nb"),
    ("description", "d\\u0000"), ("description", "d\\u001b[31m"),
])
def test_control_characters_in_titles_and_urls_exit_2(tmp_path, capsys, key, value):
    line = {"title": 'title = "t"', "description": 'description = "d"',
            "base_url": 'base_url = "https://example.org/"'}[key]
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace(line, f'{key} = "{value}"'))
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_CONFIG and "Traceback" not in err, err
    assert re.search(rf"site\.toml:\d: .*{key}", err), err
    assert not (tmp_path / "out").exists()


def test_a_description_may_span_lines(tmp_path):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace('description = "d"', 'description = """one\ntwo"""'))
    assert load_config(tmp_path / "site.toml").description == "one\ntwo"


# --------------------------------------------------------------------------- CSV: no formulas
FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tTab", "\rCR",
            "=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_are_neutralised(text):
    out = safeout.csv_text(["h", text], [[text, 1.5, -0.25, None, float("nan")]])
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["h", "'" + text] and rows[1] == ["'" + text, "1.5", "-0.25", "", ""]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=8) | st.floats(allow_nan=False, allow_infinity=False) | st.none(), max_size=6))
def test_no_csv_cell_starts_a_formula(row):
    out = safeout.csv_text(["a"], [row])
    got = list(csv.reader(io.StringIO(out), strict=True))[1] if row else []
    for cell, value in zip(got, row):
        if isinstance(value, str):
            assert cell == value or (cell == "'" + value and value.startswith(safeout.FORMULA_START))
            assert not cell.startswith(safeout.FORMULA_START)


CELLS = (st.text(max_size=6) | st.sampled_from(["\r", "a\rb", "=x", "-1", "", " ", ",", '"', "\n"])
         | st.floats() | st.integers() | st.booleans() | st.none()
         | st.floats(allow_nan=False).map(np.float64))


@settings(max_examples=400, deadline=None)
@given(st.lists(CELLS, max_size=4), st.lists(st.lists(CELLS, max_size=5), max_size=5), st.booleans())
def test_csv_in_one_pass_is_the_row_by_row_text(header, rows, as_generator):
    """``csv_text`` (one writer for the document, finite numbers not checked one by one) writes the very text
    of the row-by-row writer (``_csv_rows``: each cell through ``csv_cell``, a row with a carriage return
    quoted), for any mix of texts, numbers (NaN, infinities, numpy floats, bools, ints) and None."""
    from versus.charts.table import _csv_rows
    given_rows = (list(r) for r in rows) if as_generator else rows
    assert safeout.csv_text(header, given_rows) == _csv_rows(header, rows)


def test_holding_and_sector_names_in_the_csv_downloads(tmp_path):
    """Formula-looking holding and sector names (hand-edited funds.toml, or a data source) reach the CSVs
    neutralised; the pages show them as text."""
    text = (ROOT / DEFAULT_PATH).read_text()
    text = text.replace('name = "NVIDIA"', 'name = "=HYPERLINK(\\"http://x\\")"').replace(
        'name = "Apple"', 'name = "@SUM(1)"').replace('name = "Microsoft"', 'name = "-1+2"')
    # SPY's sector weights as of spring 2026, under the source's own sector names (taxonomy "other": GICS and
    # Morningstar snapshots only take their own names)
    spy = 'taxonomy = "gics"\nweights = { "Information Technology" = 0.32, "Financials" = 0.13, "Health Care" = 0.12,'
    assert text.count(spy) == 1
    text = text.replace(spy, spy.replace('"gics"', '"other"').replace('"Financials" = 0.13', '"+Financials" = 0.13').replace(
        '"Health Care" = 0.12', '"R&D <Health> \\"Care\\"" = 0.12'))  # and XML's special characters, in the SVGs
    (tmp_path / "funds.toml").write_text(text)
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML.replace('["QQQ", "IWM"]', '["QQQ", "SPY"]', 1)
                                        .replace('[["QQQ", "IWM"]]', '[["QQQ", "SPY"]]'))
    cfg = load_config(tmp_path / "site.toml")
    build(cfg, SnapshotSource().load(cfg.funds), tmp_path / "out", funds_path=tmp_path / "funds.toml", quiet=True)
    cells = [c for f in (tmp_path / "out" / "api").rglob("*.csv") for row in csv.reader(f.open()) for c in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@SUM(1)" in cells and "'-1+2" in cells
    assert "'+Financials" in cells and 'R&D <Health> "Care"' in cells
    check_all_output_valid(tmp_path / "out")
    page = (tmp_path / "out" / "qqq-vs-spy" / "index.html").read_text()
    assert "=HYPERLINK(&#34;http://x&#34;)" in page or "=HYPERLINK(&quot;http://x&quot;)" in page

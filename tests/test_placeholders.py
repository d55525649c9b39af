"""Stricter placeholders (issue 16 item 4): a name with no value and a raw fraction are warnings with
file:line, a filter on the wrong type is one line naming the filter and the value's type, small
fractions keep their digits, front matter placeholders are rendered, unread files are warned about;
and the reference of names and filters (item 3)."""
from __future__ import annotations

import html
import inspect
from pathlib import Path

import pytest

from versus import content, fmt
from versus.cli import main
from versus.content import placeholders as ph
from versus.errors import EXIT_STRICT, ContentError
from siteutil import MINIMAL_SITE_TOML

FLAT = content.names(
    {"QQQ": {"total_return": {"1y": 0.19495526, "10y": None}, "expense_ratio": None, "name": "Invesco QQQ",
             "holdings_count": 101, "max_drawdown": {"5y": {"value": -0.35, "peak": "2021-12-27"}, "10y": None}}},
    {"correlation": {"1y": 0.7248}})


def doc_with(tmp_path: Path, body: str, front: str = "title: t\n") -> content.Document:
    p = tmp_path / "x.md"
    p.write_text(f"---\n{front}---\n{body}")
    return content.parse_document(p, "pair", "x")


def test_a_null_value_is_a_warning_with_file_line_and_date(tmp_path):
    d = doc_with(tmp_path, "one\nfee {{ QQQ.expense_ratio | pct(2) }} and {{ QQQ.max_drawdown.10y.value | pct }}")
    text, warnings = content.fill_checked(d, FLAT, "2026-07-31")
    assert text == f"one\nfee {fmt.DASH} and {fmt.DASH}"
    assert warnings == [f"{d.shown}:5: QQQ.expense_ratio has no value as of 31 Jul 2026; the page shows {fmt.DASH}",
                        f"{d.shown}:5: QQQ.max_drawdown.10y.value has no value as of 31 Jul 2026; the page shows "
                        f"{fmt.DASH}"]


def test_a_null_value_says_why_when_the_data_say(tmp_path):
    flat = content.names({"SCHA": {"dividend_yield_ttm": None, "total_return": {"10y": None},
                                   "null_reasons": {"dividend_yield_ttm": "no unadjusted close for 2026-07-31",
                                                    "total_return.10y": "SCHA's history starts 2009-11-03"}}})
    d = doc_with(tmp_path, "{{ SCHA.dividend_yield_ttm | pct }} {{ SCHA.total_return.10y | pct }}")
    _, warnings = content.fill_checked(d, flat, "2026-07-31")
    assert warnings == [
        f"{d.shown}:4: SCHA.dividend_yield_ttm has no value as of 31 Jul 2026 (no unadjusted close for 2026-07-31); "
        f"the page shows {fmt.DASH}",
        f"{d.shown}:4: SCHA.total_return.10y has no value as of 31 Jul 2026 (SCHA's history starts 2009-11-03); "
        f"the page shows {fmt.DASH}"]


def test_a_fraction_without_a_filter_is_a_warning_naming_the_filter_to_use(tmp_path):
    d = doc_with(tmp_path, "{{ QQQ.total_return.1y }} {{ QQQ.holdings_count }} {{ pair.correlation.1y }}")
    text, warnings = content.fill_checked(d, FLAT)
    assert text == "0.19495526 101 0.7248"
    assert warnings[0] == (f"{d.shown}:4: QQQ.total_return.1y is shown unformatted (0.19495526): add a filter, e.g. "
                           "{{ QQQ.total_return.1y | pct }}")
    assert "{{ pair.correlation.1y | num(2) }}" in warnings[1] and len(warnings) == 2  # an integer reads fine


@pytest.mark.parametrize("expr, message", [
    ("QQQ.max_drawdown.5y | pct", "filter 'pct' needs a number, but QQQ.max_drawdown.5y is a mapping (keys: value, "
                                  "peak) (did you mean 'QQQ.max_drawdown.5y.value'?)"),
    ("QQQ.name | num(2)", "filter 'num' needs a number, but QQQ.name is text ('Invesco QQQ')"),
    ("QQQ.total_return.1y | date", "filter 'date' needs a date (YYYY-MM-DD), but QQQ.total_return.1y is a number "
                                   "(0.19495526)"),
    ("QQQ.total_return.1y | pct('')", "filter 'pct': digits must be a whole number from 0 to 10, got ''"),
    ("QQQ.total_return.1y | pct(1, 'yes')", "filter 'pct': sign must be true or false, got 'yes'"),
    ("QQQ.total_return.1y | pct(1, true, 3)", "filter 'pct' takes pct(digits=1, sign=false), got 3 argument(s)"),
    ("QQQ.max_drawdown.5y.peak | date('short')", "filter 'date': style must be 'long' or 'day', got 'short'"),
    ("QQQ.total_return.1y | pct | num", "filter 'num' needs a number, got text ('19.5%')"),
])
def test_a_filter_on_the_wrong_type_is_one_line_naming_filter_and_type(tmp_path, expr, message):
    d = doc_with(tmp_path, "{{ " + expr + " }}")
    with pytest.raises(ContentError) as e:
        content.fill(d, FLAT)
    assert str(e.value) == f"{d.shown}:4: {message}"
    assert "__format__" not in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("x, digits, shown", [
    (0.000945, 1, "0.0945%"), (0.0019, 1, "0.19%"), (0.0004, 2, "0.04%"), (0.005, 1, "0.5%"), (0.2235, 1, "22.4%"),
    (0.0, 1, "0.0%"), (-0.000945, 1, "\u22120.0945%"), (0.0123456, 2, "1.23%"), (None, 1, fmt.DASH),
])
def test_pct_never_rounds_a_small_fraction_away(x, digits, shown):
    assert fmt.pct_exact(x, digits) == shown
    assert ph.render_one(f"v | pct({digits})", {"v": x}, "w")[0] == shown


def test_small_fractions_keep_three_significant_figures_at_any_scale():
    for k in range(3, 9):  # under 1%
        x = 1.2345 * 10 ** -k
        text = fmt.pct_exact(x).rstrip("%")
        assert abs(float(text) - x * 100) <= 0.005 * x * 100, (x, text)


def test_placeholders_in_title_and_description_are_rendered(tmp_path):
    front = 'title: "QQQ at {{ QQQ.total_return.1y | pct }}"\ndescription: "{{ QQQ.name }} in {{ QQQ.nope }}"\n'
    d = doc_with(tmp_path, "body", front)
    with pytest.raises(ContentError, match=r"x\.md:3: unknown fact 'QQQ\.nope'"):
        content.render(d, FLAT)
    d = doc_with(tmp_path, "body", front.replace("QQQ.nope", "QQQ.expense_ratio"))
    view, warnings = content.render(d, FLAT, as_of="2026-07-31")
    assert view["title"] == "QQQ at 19.5%" and view["description"] == f"Invesco QQQ in {fmt.DASH}"
    assert warnings == [f"{d.shown}:3: QQQ.expense_ratio has no value as of 31 Jul 2026; the page shows {fmt.DASH}"]


NOTE = "---\ntitle: 'QQQ returned {{ QQQ.total_return.1y | pct }}'\n---\nText.\n"


def test_the_built_page_shows_the_rendered_title_and_unread_files_are_warned(tmp_path, capsys):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    for rel, text in {"pairs/qqq-vs-iwm.md": NOTE, "pair/iwm-vs-qqq.md": NOTE, "pairs/x.markdown": NOTE,
                      "funds/.qqq.md.swp": "x", "notes.md": NOTE}.items():
        (tmp_path / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / rel).write_text(text)
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet", "--strict"])
    err = capsys.readouterr().err
    assert code == EXIT_STRICT, err
    page = html.unescape((tmp_path / "out/qqq-vs-iwm/index.html").read_text())
    assert "QQQ returned " in page and "{{" not in page
    warned = sorted(line for line in err.splitlines() if line.startswith("warning:"))
    assert len(warned) == 3, warned
    assert "content/pair/iwm-vs-qqq.md: not read: commentary goes in content/pairs/" in warned[1]
    assert warned[1].endswith("(did you mean 'pairs'?)")
    assert "content/notes.md: not read: only content/index.md" in warned[0]
    assert "content/pairs/x.markdown: not read: commentary files end in .md (rename it to x.md)" in warned[2]


def test_every_filter_is_documented_with_its_arguments():
    docs = {d["name"]: d for d in ph.filter_docs()}
    assert set(docs) == set(fmt.EDITOR_FILTERS) >= {"pct", "pts", "num", "money", "count", "date"}
    assert docs["pct"]["signature"] == "pct(digits=1, sign=false)"
    assert docs["date"]["signature"] == "date(style='long')" and docs["count"]["signature"] == "count"
    for name, d in docs.items():
        params = list(inspect.signature(fmt.EDITOR_FILTERS[name]).parameters)[1:]
        assert list(d["args"]) == params and all(d["args"].values()), name
        assert d["doc"], name


def test_the_reference_lists_every_value_with_a_placeholder_that_formats_it():
    rows = {r["name"]: r for r in ph.reference(FLAT)}
    assert set(rows) == {k for k, v in FLAT.items() if "." in k and not isinstance(v, dict) and k != ph.REASONS}
    assert rows["QQQ.total_return.1y"]["placeholder"] == "{{ QQQ.total_return.1y | pct }}"
    assert rows["QQQ.total_return.1y"]["shows"] == "19.5%"
    assert rows["QQQ.max_drawdown.5y.peak"]["shows"] == "27 Dec 2021"
    assert rows["QQQ.holdings_count"]["placeholder"] == "{{ QQQ.holdings_count | count }}"
    assert rows["pair.correlation.1y"]["shows"] == "0.72"
    assert rows["QQQ.expense_ratio"]["shows"] == fmt.DASH

"""The metric registry drives the JSON, the tables, the methodology page and the null reasons (issue 12).

Every function of :mod:`versus.metrics` is a published figure's convention and is printed on the
methodology page; every per-fund figure of the registry is in every fund's JSON section for each of its
horizons; the tables' rows are the registry's; every null reason the build writes is one of the
registry's templates; the page states the validation limits the code applies.
"""
from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

from versus import metrics as m
from versus.analysis import registry
from versus.data import MAX_DAILY_MOVE, MAX_GAP_DAYS
from versus.pages.methodology import doc_html

FUNCTIONS = [name for name in m.__all__ if callable(getattr(m, name))]


def methodology(site: Path) -> str:
    return html.unescape((site / "methodology" / "index.html").read_text(encoding="utf-8"))


def test_every_metric_function_is_some_figures_convention():
    documented = {f for e in registry.REGISTRY for f in e.fns} | set(registry.SUPPORT) | set(registry.HELPERS)
    missing = [n for n in FUNCTIONS if getattr(m, n) not in documented]
    assert not missing, f"metrics functions no registry entry names: {missing}"
    assert len(FUNCTIONS) >= 33


def test_methodology_lists_every_figure_with_its_convention(site):
    page = methodology(site)
    for e in registry.REGISTRY:
        assert f"<code>{e.key}</code>" in page, e.key
        for f in e.fns:  # the docstring as prose: code spans as <code>, no raw ``markup`` (issue 18)
            assert html.unescape(str(doc_html(f.__doc__))) in page, (e.key, f.__name__)
        for null in e.nulls:
            assert null.words in page, (e.key, null.words)
    for f in registry.SUPPORT:
        assert f"<code>{f.__name__}</code>" in page
    assert "``" not in page and ":func:" not in page
    named = set(re.findall(r"<code>(\w+)</code>", page))
    assert {n for n in FUNCTIONS if getattr(m, n) not in registry.HELPERS} <= named


def test_methodology_states_the_validation_limits_of_the_code(site):
    page = methodology(site)
    assert f"no gap over {MAX_GAP_DAYS} calendar days" in page
    assert f"no one-day move beyond ±{MAX_DAILY_MOVE * 100:.0f}%" in page


def test_fund_sections_hold_every_registry_figure_for_its_horizons(site):
    doc = json.loads((site / "api" / "funds" / "qqq.json").read_text())
    section = doc["funds"]["QQQ"]
    for e in registry.FUND_METRICS:
        assert set(section[e.key]) == set(e.horizons), e.key
    for e in registry.FUND_FIELDS:
        assert e.key in section, e.key


def test_table_rows_are_the_registry_rows(site):
    page = (site / "qqq-vs-iwm" / "index.html").read_text(encoding="utf-8")
    for table in ("returns", "risk"):
        body = page[page.index(f'<table id="{table}"'):]
        body = body[:body.index("</table>")]
        labels = re.findall(r'<th>([^<]+)', body[body.index("</thead>"):])  # the row headers
        rows = [e.row_label(h) for e, h in registry.TABLES[table].rows()]
        assert labels[:len(rows)] == rows, table
        extra = labels[len(rows):]  # returns: the two rows since the pair's common start
        assert extra == ([] if table == "risk" else [f"Since 26 May 2000 (both funds)",
                                                      "Since 26 May 2000 (both funds), per year"]), table
    # issue 17: as of both funds' own date, the pair's risk table links each fund's risk.csv (same rows)
    assert '<a class="csv" href="../api/funds/qqq/risk.csv" download aria-describedby="risk-c">' in page
    rows = list(csv.reader((site / "api" / "funds" / "qqq" / "risk.csv").read_text().splitlines()))
    assert [r[0] for r in rows[1:]] == [e.row_label(h) for e, h in registry.TABLES["risk"].rows()]


def _pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(template)) + r"\Z")


def test_every_null_reason_comes_from_the_registry(site):
    templates = [n.template for n in registry.WINDOW_NULLS + registry.PAIR_NULLS]
    templates += [n.template for e in registry.REGISTRY for n in e.nulls] + [e.nan_reason for e in registry.REGISTRY
                                                                            if e.nan_reason]
    patterns = [_pattern(t) for t in templates]
    reasons = set()
    for path in (site / "api").rglob("*.json"):
        doc = json.loads(path.read_text())
        if "as_of" not in doc or "tickers" not in doc:
            continue  # the API index, the search index
        for f in doc["funds"].values():
            reasons.update(f["null_reasons"].values())
        reasons.update(((doc.get("pair") or {}).get("null_reasons") or {}).values())
        for p in (doc.get("pairs") or {}).values():
            reasons.update(p["null_reasons"].values())
    assert reasons, "the default site has null figures (VOO and SCHA are too young for some windows)"
    unknown = [r for r in reasons if not any(p.match(r) for p in patterns)]
    assert not unknown, unknown

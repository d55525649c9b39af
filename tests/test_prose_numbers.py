"""Every number in every generated sentence is traceable to that page's facts JSON.

Builds the default site once, then for every pair and fund page takes the generated
sentences (summary, key takeaways, FAQ, fund facts, what-changed items), extracts every
date and number, and finds each among the values of the page's ``facts`` (formatted the
ways :mod:`versus.fmt` formats them).  The sentences must also appear on the page.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from versus import fmt
from versus.cli import main
from versus.pages.base import expand_facts
from siteutil import small_site

DATE = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b")
MONTH = re.compile(r"\b[A-Z][a-z]{2} \d{4}\b")  # an observation dated to the month ("Apr 2026")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
_CORE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
NUMBER = re.compile(rf"\${_CORE}[BM]?|[+\u2212-]?{_CORE}(?:%| points)?")


def leaves(obj):
    """Every scalar inside a JSON value."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from leaves(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from leaves(v)
    else:
        yield obj


def renderings(values) -> tuple[set[str], set[str]]:
    """(numbers, dates) as fmt would print any value found in ``values``."""
    nums, dates = set(), set()
    for v in leaves(values):
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, str):
            if ISO.match(v):
                dates.update({fmt.date(v), fmt.date(v, "day")})
            elif ISO_MONTH.match(v):
                dates.add(fmt.observed(v))
            else:
                nums.update(NUMBER.findall(v))
            continue
        for x in {v, abs(v)}:
            for d in (0, 1, 2):
                nums.update({fmt.pct(x, d), fmt.pct(x, d, sign=True), fmt.pts(x, d), fmt.num(x, d)})
            nums.update({fmt.money(x), fmt.count(x)})
    return nums, dates


def numbers_in(sentence: str) -> tuple[list[str], list[str]]:
    dates = DATE.findall(sentence)
    rest = DATE.sub(" ", sentence)
    dates += MONTH.findall(rest)
    rest = MONTH.sub(" ", rest)
    return NUMBER.findall(rest), dates


def untraceable(sentence: str, values, known: tuple[set[str], set[str]] | None = None) -> list[str]:
    """The numbers and dates of ``sentence`` that are not renderings of ``values`` (``known``: their
    :func:`renderings`, when the caller checks many sentences against the same values)."""
    nums, dates = known or renderings(values)
    found_nums, found_dates = numbers_in(sentence)
    return [n for n in found_nums if n not in nums] + [d for d in found_dates if d not in dates]


def pages(site: Path):
    """(page html path, api doc, generated sentences) for every pair and fund page."""
    index = json.loads((site / "api/index.json").read_text())
    for rel in index["pairs"] + index["funds"]:
        doc = json.loads((site / rel).read_text())
        doc["facts"] = expand_facts(doc)  # pair documents publish them compact (issue 17)
        slug = Path(rel).stem
        page = site / (slug if "/pairs/" in rel else f"funds/{slug}") / "index.html"
        sentences = [f["text"] for f in doc["facts"]]
        if "summary" in doc:
            sentences += [doc["summary"], *doc["takeaways"]]
            sentences += [q["question"] for q in doc["faq"]] + [q["answer"] for q in doc["faq"]]
        yield page, doc, sentences


def test_every_number_in_generated_prose_is_in_the_facts(site):
    checked = 0
    problems = []
    for page, doc, sentences in pages(site):
        values = [f["values"] for f in doc["facts"]]
        known = renderings(values)
        for s in sentences:
            bad = untraceable(s, values, known)
            n, d = numbers_in(s)
            checked += len(n) + len(d)
            if bad:
                problems.append(f"{page.parent.name}: {bad} in {s!r}")
    assert problems == []
    assert checked > 300  # the test really looked at numbers


def test_generated_sentences_are_on_the_pages(site):
    """Pair pages show the summary, takeaways and FAQ; fund pages their facts (every fact
    text is in the JSON in any case)."""
    for page, doc, sentences in pages(site):
        text = html.unescape(page.read_text())
        shown = sentences if "summary" not in doc else sentences[len(doc["facts"]):]
        for s in shown:
            assert s in text, (page, s)


def test_what_changed_items_are_traceable(tmp_path):
    out, cfg = tmp_path / "site", str(small_site(tmp_path / "project", (("QQQ", "IWM"), ("VOO", "IWM"))))
    assert main(["--config", cfg, "--out", str(out), "--as-of", "2026-01-23", "--quiet"]) == 0
    assert main(["--config", cfg, "--out", str(out), "--as-of", "2026-04-16", "--quiet"]) == 0
    items = 0
    for rel in json.loads((out / "api/index.json").read_text())["pairs"]:
        doc = json.loads((out / rel).read_text())
        for item in doc["changes"]["items"]:
            items += 1
            assert untraceable(item["text"], item["values"]) == [], item
    assert items > 0


def test_prose_with_dated_fund_facts_is_traceable(tmp_path):
    """Pairs whose fund facts are dated far apart, after the page's date or years before it: their sentences
    cite the observation dates, and every date and number is in the facts."""
    cfg = small_site(tmp_path / "p", (("IWM", "SCHA"), ("BND", "AGG"), ("VOO", "VTI"), ("GLD", "IAU")))
    out = tmp_path / "site"
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", "2026-07-10", "--quiet"]) == 0
    checked = months = 0
    for page, doc, sentences in pages(out):
        values = [f["values"] for f in doc["facts"]]
        known = renderings(values)
        for s in sentences:
            assert untraceable(s, values, known) == [], (page.parent.name, s)
            n, d = numbers_in(s)
            checked += len(n) + len(d)
            months += len([x for x in d if not DATE.fullmatch(x)])
    assert checked > 100 and months >= 4  # month-dated observations were cited and checked


def test_the_checker_catches_an_invented_number(site):
    page, doc, sentences = next(pages(site))
    values = [f["values"] for f in doc["facts"]]
    nums, dates = renderings(values)
    invented = next(f"{x / 10:.1f}%" for x in range(1, 1000) if f"{x / 10:.1f}%" not in nums)
    assert untraceable(f"{doc['tickers'][0]} returned {invented} last year.", values) == [invented]
    assert untraceable("It peaked on 1 Jan 1901.", values) == ["1 Jan 1901"]
    assert untraceable("Its expense ratio dates from Mar 1901.", values) == ["Mar 1901"]
    assert untraceable(sentences[0], values) == []

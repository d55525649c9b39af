"""What readers should not see (issue 18, item 4): over every page of the built site, no "−0.0", no
internal name of the code (module paths, registry keys, function names, repository paths, docstring markup)
outside the methodology's <code> references, no repository path as a source, no build note meant for the
maintainer. The checker itself is tested on a page that has every defect, so it can fail."""
from __future__ import annotations

import bisect
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from versus import fmt
from versus import metrics as m
from versus.analysis.registry import CHART_FIGURES, FUND_FIELDS, FUND_METRICS, PAIR_METRICS
from versus.facts.calendar import years_by_month
from versus.pages.methodology import doc_html
from versus.sources.snapshot import label, origins

ROOT = Path(__file__).resolve().parent.parent

NEG_ZERO = re.compile(r"(?:^|(?<=[\s(>]))[\u2212-]0(?:\.0+)?(?![\d.,])")
MODULE = re.compile(r"(?<![\w/.])(?:versus|metrics|analysis|facts|pages|charts|sources|render|build|m)\.[a-z_]{2,}\b")
REPO_PATH = re.compile(r"(?<![\w/.])(?:data|content|templates|static|versus|tests)/[\w./-]+|\b[\w-]+\.(?:md|toml|py|parquet)\b")
MARKUP = re.compile(r"``|:(?:func|mod|meth|class):|`")
# names of the code that only an engineer knows: registry keys and metric functions with an underscore
CODE_NAMES = sorted({e.key for g in (FUND_METRICS, FUND_FIELDS, PAIR_METRICS, CHART_FIGURES) for e in g}
                    | set(m.__all__), key=len, reverse=True)
CODE_NAMES = [n for n in CODE_NAMES if "_" in n]
IDENT = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, CODE_NAMES)) + r")(?![\w-])")


class _Text(HTMLParser):
    """A page's text as a reader meets it: body text, alt/title/aria-label, the meta description; text inside
    <code>/<pre> (the methodology's references to the code) is kept apart.  Also the page's <link> elements and
    its named <meta> contents (the feed and description tests read them from this one parse)."""

    SKIP = {"script", "style"}
    ATTRS = {"alt", "title", "aria-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.prose: list[str] = []
        self.code: list[str] = []
        self.links: list[dict] = []
        self.meta: dict[str, str | None] = {}
        self._skip = self._code = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in self.SKIP
        self._code += tag in ("code", "pre")
        if tag == "link":
            self.links.append(dict(attrs))
        elif tag == "meta":
            a = dict(attrs)
            if a.get("name") or a.get("property"):
                self.meta[a.get("name") or a.get("property")] = a.get("content")
            if a.get("name") == "description":
                self.prose.append(a.get("content") or "")
        for k, v in attrs:
            if v and k in self.ATTRS:
                self.prose.append(v)

    def handle_endtag(self, tag):
        self._skip -= tag in self.SKIP and self._skip > 0
        self._code -= tag in ("code", "pre") and self._code > 0

    def handle_data(self, data):
        if not self._skip:
            (self.code if self._code else self.prose).append(data)


def parse(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


CHECKS = ((NEG_ZERO, "negative zero"), (MODULE, "module path"), (REPO_PATH, "repository path"),
          (MARKUP, "docstring markup"), (IDENT, "code name"))


def problems(html: str | _Text) -> list[str]:
    """Everything a reader should not see in ``html`` (an HTML page or an SVG chart, or its :func:`parse`).

    Each pattern runs once over the page's text chunks joined by newlines (none of them matches across a newline,
    and a newline on either side of a chunk matches as its start or end did), in the order of chunk by chunk."""
    p = parse(html) if isinstance(html, str) else html
    text = "\n".join(p.prose)
    starts = list(itertools.accumulate((len(c) + 1 for c in p.prose[:-1]), initial=0))
    found = []
    for i, (rx, what) in enumerate(CHECKS):
        for mt in rx.finditer(text):
            k = bisect.bisect_right(starts, mt.start()) - 1
            found.append((k, i, mt.start(), f"{what}: {mt.group(0)!r} in {p.prose[k].strip()[:120]!r}"))
    out = [msg for *_, msg in sorted(found)]
    out += [f"docstring markup in code: {c!r}" for c in p.code if MARKUP.search(c)]
    return out


@pytest.fixture(scope="module")
def parsed(site) -> dict[str, _Text]:
    """Every HTML page and SVG chart of the site, parsed once for the tests that read them all."""
    files = sorted(site.rglob("*.html")) + sorted(site.rglob("*.svg"))
    return {f.relative_to(site).as_posix(): parse(f.read_text(encoding="utf-8")) for f in files}


def test_the_checker_finds_each_defect():
    page = ("<html><head><meta name='description' content='grew −0.0%'></head><body>"
            "<p>compounded yearly (metrics.fee_cost).</p><p>Source: embedded snapshot (see data/snapshot/SOURCES.md)</p>"
            "<p>``as_of - 1``</p><p>a lead of −0.0 points</p><img alt='total_return over 1y'>"
            "<pre>see :func:`cagr`</pre><code>total_return</code><p>−0.05 and 2026-07-01 are fine</p></body></html>")
    found = "\n".join(problems(page))
    for what in ("in 'grew −0.0%'", "'metrics.fee_cost'", "'data/snapshot/SOURCES.md'", "'``'", "'−0.0'",
                 "code name: 'total_return'", "docstring markup in code"):
        assert what in found, what
    assert "−0.05" not in found and "2026-07" not in found
    assert len(problems("<p>IWM fell 0.0% and QQQ −3.5%; see <code>total_return</code>.</p>")) == 0


def test_no_page_shows_negative_zero_or_an_internal_name(parsed):
    assert len(parsed) > 20
    bad = {rel: problems(p) for rel, p in parsed.items()}
    bad = {k: v[:5] for k, v in bad.items() if v}
    assert not bad, json.dumps(bad, indent=1, ensure_ascii=False)


def test_the_price_source_is_named_dated_and_linked(site):
    html = (site / "qqq-vs-iwm" / "index.html").read_text()
    head = re.search(r'<div class="asof".*?</div>', html, re.S).group(0)
    link = re.search(r'Source: <a href="\.\./methodology/#sources-h">([^<]+)</a>', head)
    assert link, head
    assert re.fullmatch(r"Yahoo Finance daily closes via public GitHub repositories, files of \d{1,2} \w{3} \d{4}",
                        link.group(1))
    method = (site / "methodology" / "index.html").read_text()
    section = re.search(r'<section aria-labelledby="sources-h">.*?</section>', method, re.S).group(0)
    listed = re.findall(r'<a href="(https://github\.com/[^"]+/tree/[0-9a-f]{40})"', section)
    assert len(listed) == len(origins(ROOT / "data/snapshot/SOURCES.md")) >= 10


def test_the_build_note_is_for_the_maintainer_not_the_reader(site):
    """Each page is as of its own funds' common last close (issue 14.3): which funds' prices end early is a
    build note (printed, in build.json); a page of funds says it in its own words, never as that note."""
    build = json.loads((site / "build.json").read_text())
    stale = [n for n in build["notes"] if "pages are as of" in n]
    assert stale
    for page in site.rglob("index.html"):
        if page.parent == site or page.parent.name in ("methodology", "compare") or "category" in page.parts:
            continue  # the site as a whole: every fund to its own last close
        text = page.read_text()
        assert not any(n in text for n in stale), page


def test_origins_are_read_from_the_sources_table(tmp_path):
    md = tmp_path / "SOURCES.md"
    md.write_text("| key | repository | commit | used for |\n|---|---|---|---|\n"
                  f"| DS | someone/Data_Repo | {'a' * 40} (data added 2026-08-03 11:45 EDT) | adj_close of every fund |\n"
                  f"| KL | other/repo | {'b' * 40} (2026-08-22) | dividend lists |\n| not | a | row |\n")
    found = origins(md)
    assert [(o["key"], o["date"]) for o in found] == [("DS", "2026-08-03"), ("KL", "2026-08-22")]
    assert found[0]["url"] == f"https://github.com/someone/Data_Repo/tree/{'a' * 40}"
    assert found[0]["used_for"] == "dividend-adjusted close of every fund"
    assert label(found).endswith("files of 22 Aug 2026") and origins(tmp_path / "missing.md") == []


@pytest.mark.parametrize("x, digits, sign, text", [
    (-0.00001, 1, False, "0.0%"), (0.00001, 1, True, "0.0%"), (-0.0004, 1, True, "0.0%"),
    (-0.0001, 2, False, "\u22120.01%"), (-0.5, 1, True, "\u221250.0%"), (0.012, 1, True, "+1.2%"), (-0.0, 1, False, "0.0%"),
])
def test_percent_never_signs_zero(x, digits, sign, text):
    assert fmt.pct(x, digits, sign) == text


def test_number_never_signs_zero():
    assert (fmt.num(-0.001), fmt.num(-0.004, 2), fmt.num(-0.006, 2), fmt.num(-1234.5, 0)) == (
        "0.00", "0.00", "\u22120.01", "\u22121,234")


def test_returns_table_difference_has_no_signed_zero():
    from versus.pages.tables import returns_rows

    funds = {t: {"total_return": {"1m": r}, "cagr": {}, "null_reasons": {}} for t, r in (("A", 0.0421), ("B", 0.0423))}
    row = next(r for r in returns_rows(["A", "B"], funds) if r["diff_raw"] is not None)
    assert (row["diff_sign"], row["diff"]) == ("", "0.0")


@pytest.mark.parametrize("counts, words", [
    ([26] * 12, "over 26 years"),
    ([26] * 5 + [27, 27] + [26] * 5, "over 26 years (27 for June and July)"),
    ([27] * 11 + [26], "over 27 years (26 for December)"),
    ([16] * 6 + [17] * 6, "over 16 to 17 years, depending on the month"),
    ([1] + [float("nan")] * 11, "over 1 year"),
])
def test_seasonality_says_how_many_years_each_month_has(counts, words):
    assert years_by_month(np.array(counts, dtype=float)) == words


def test_docstrings_read_as_prose_on_the_methodology_page():
    def f():
        """Beta of A on B: ``cov(a, b) / var(b)`` (as :func:`versus.metrics.beta`), *all* days.

        Parameters
        ----------
        x : np.ndarray
            Returns.
        """

    html = str(doc_html(f.__doc__))
    assert "<code>cov(a, b) / var(b)</code>" in html and "<code>beta</code>" in html and "<em>all</em>" in html
    assert "``" not in html and ":func:" not in html and "Parameters" not in html and "ndarray" not in html


# --------------------------------------------------------------------------- feed link, meta descriptions (item 6)
def _index_pages(site, parsed) -> list[tuple[Path, _Text]]:
    return [(site / rel, p) for rel, p in parsed.items() if rel == "index.html" or rel.endswith("/index.html")]


def test_every_page_links_the_feed(site, parsed):
    pages = _index_pages(site, parsed)
    assert len(pages) >= 17
    for page, h in pages:
        feeds = [a for a in h.links if a.get("rel") == "alternate" and a.get("type") == "application/atom+xml"]
        assert len(feeds) == 1, page
        assert (page.parent / feeds[0]["href"]).resolve() == (site / "feed.xml").resolve(), page


def test_meta_descriptions_end_on_a_whole_word(site, parsed):
    for page, h in _index_pages(site, parsed):
        text = h.meta["description"]
        assert text == h.meta["og:description"] and 40 < len(text) <= 300, page
        body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", __import__("html").unescape(page.read_text())))
        whole = text.removesuffix("\u2026")
        if text.endswith("\u2026"):  # cut: what is kept ends a word of the page's text
            assert re.search(re.escape(whole) + r"[\s,;:(]", body), (page, text)
        else:
            assert text.endswith((".", ")")) or page.parent.name in ("", "methodology") or page == site / "index.html", \
                (page, text)


@pytest.mark.parametrize("text, limit, out", [
    ("Short and whole.", 300, "Short and whole."),
    ("First sentence is long enough here. Second one is cut somewhere in the middle of it", 60,
     "First sentence is long enough here."),
    ("Over five years $1,000 grew to much more in QQQ than in IWM", 32, "Over five years $1,000 grew to\u2026"),
    ("Over five years $1,000 grew to much more", 31, "Over five years $1,000 grew to\u2026"),
    ("a" * 50 + " bbbbbbb ccc", 55, "a" * 50 + "\u2026"),
    ("x" * 80, 40, "x" * 39 + "\u2026"),
])
def test_clip_never_cuts_inside_a_word(text, limit, out):
    assert fmt.clip(text, limit) == out and len(fmt.clip(text, limit)) <= limit


# --------------------------------------------------------------------------- holding names (item 3)
@pytest.mark.parametrize("raw, shown", [
    ("BLOOM ENERGY CLASS A CORP", "Bloom Energy Class A Corp."),
    ("CREDO TECHNOLOGY GROUP HOLDING LTD", "Credo Technology Group Holding Ltd."),   # 34 characters, complete
    ("KRATOS DEFENSE AND SECURITY SOLUTI", "Kratos Defense and Security Soluti\u2026"),  # cut by the issuer file
    ("IONQ INC", "IonQ Inc."), ("JPMORGAN CHASE + CO", "JPMorgan Chase & Co."), ("ALPHABET INC CL A", "Alphabet Inc. Class A"),
    ("BLK CSH FND TREASURY SL AGENCY", "BLK CSH FND Treasury SL Agency"), ("PHILLIPS 66", "Phillips 66"),
    ("BANK OF AMERICA CORP", "Bank of America Corp."), ("NVIDIA", "NVIDIA"),
    ("Apple", "Apple"), ("Alphabet (GOOGL)", "Alphabet (GOOGL)"), (None, None),
])
def test_holding_names_read_as_names(raw, shown):
    assert fmt.company(raw) == shown


def test_top_holdings_tables_show_no_name_in_capitals(site):
    for page in [site / "funds" / "iwm" / "index.html", site / "qqq-vs-iwm" / "index.html"]:
        html = page.read_text()
        for table in re.findall(r'<table id="top10-[a-z]+".*?</table>', html, re.S):
            body = table[table.index("</thead>"):]  # the row headers (the head row's cells are <th> too; no <tbody> tag)
            names = re.findall(r'<th>([^<]+)<td', body)[:-1]  # the last row is "Top 10 together"
            assert len(names) == 10
            assert all(any(c.islower() for c in n) or " " not in n for n in names), names  # NVIDIA is its name
        assert "KRATOS" not in html
    # a pair page shows what compares (each fund's largest holding and top-10 weight); the fund page the full table
    assert "Kratos Defense and Security Soluti\u2026" in (site / "funds" / "iwm" / "index.html").read_text()

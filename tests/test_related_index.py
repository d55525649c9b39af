"""``Site.nav_by_fund`` (:class:`versus.pages.base.RelatedIndex`): a page's related comparisons from the index of
comparisons by fund equal :func:`versus.pages.related_pairs`'s walk over all of them (same dicts, same order),
for pair, group and fund pages, limits below and above the funds' own comparisons, a page not in the list, a
fund in no comparison, a fund against itself and a slug listed twice."""
from __future__ import annotations

import random

import pytest

from versus.config import pair_slug
from versus.pages import RELATED_MAX, related_pairs
from versus.pages.related import RelatedIndex


def _nav(pairs):
    return [{"slug": pair_slug(a, b), "a": a, "b": b} for a, b in pairs]


def _cases(nav, funds, rng):
    for p in nav[:40]:
        yield [p["a"], p["b"]], p["slug"] + "/"
    for _ in range(20):
        yield rng.sample(funds, rng.randint(2, 5)), "compare/g/"
    for t in funds[:15]:
        yield [t], f"funds/{t.lower()}/"
    yield ["NONE"], "funds/none/"


@pytest.mark.parametrize("n_funds, n_pairs", [(8, 6), (30, 60), (60, 400)])
def test_index_equals_the_walk(n_funds, n_pairs):
    rng = random.Random(n_funds * 1000 + n_pairs)
    funds = [f"F{i:02d}" for i in range(n_funds)]
    pairs = [tuple(rng.sample(funds, 2)) for _ in range(n_pairs)]
    pairs += [(funds[0], funds[0]), pairs[0]]  # a fund against itself (SPY's beta on SPY), a pair listed twice
    nav = _nav(pairs)
    index = RelatedIndex(nav)
    for tickers, url in _cases(nav, funds, rng):
        for limit in (0, 1, 3, RELATED_MAX, RELATED_MAX + 25, len(nav) + 5):
            want = related_pairs(tickers, nav, url, limit)
            got = index.related(tickers, url, limit)
            assert [id(p) for p in got] == [id(p) for p in want], (tickers, url, limit)
        assert index.related(tickers, url) == related_pairs(tickers, nav, url)
    for t in funds + ["NONE"]:
        assert [id(p) for p in index.of(t)] == [id(p) for p in nav if t in (p["a"], p["b"])]


def test_site_index_is_of_its_nav():
    nav = _nav([("A", "B"), ("B", "C"), ("C", "D")])
    index = RelatedIndex(nav)
    assert index.by_fund == {"A": [0], "B": [0, 1], "C": [1, 2], "D": [2]}
    assert index.related(["D"], "a-vs-b/", 2) == [nav[2], nav[1]]

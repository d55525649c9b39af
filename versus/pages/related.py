"""A page's related comparisons: those sharing a fund with the page first, then the others, up to
:data:`RELATED_MAX` (:func:`related_pairs`, the reference; :class:`RelatedIndex`, the same lists from the
comparisons indexed by fund, once per build: ``Site.nav_by_fund``)."""
from __future__ import annotations

RELATED_MAX = 12
"""Related comparisons listed at the end of a pair or group page (and "other comparisons" on fund pages)."""


def related_pairs(tickers: list[str], pairs: list[dict], url: str, limit: int = RELATED_MAX) -> list[dict]:
    """Comparisons sharing a fund with ``tickers`` first, then the rest; never the page itself; at most ``limit``."""
    mine = set(tickers)
    others = [p for p in pairs if p["slug"] + "/" != url]
    sharing = [p for p in others if p["a"] in mine or p["b"] in mine]
    shared = {p["slug"] for p in sharing}
    return (sharing + [p for p in others if p["slug"] not in shared])[:limit]


class RelatedIndex:
    """The site's comparisons (``nav``: ``{"slug", "a", "b"}`` each) by fund, made once per build:
    :meth:`related` is :func:`related_pairs` over them without walking every comparison for every page (issue 17:
    at 10,000 pairs the walk was ~3.4 ms a page; now it reads the page's funds' comparisons and, when they are
    fewer than asked for, the first others in order)."""

    def __init__(self, pairs: list[dict]):
        self.pairs = pairs
        self.by_fund: dict[str, list[int]] = {}  # ticker -> positions in ``pairs`` of the comparisons it is in
        for k, p in enumerate(pairs):
            for t in dict.fromkeys((p["a"], p["b"])):
                self.by_fund.setdefault(t, []).append(k)

    def of(self, t: str) -> list[dict]:
        """The comparisons ``t`` is in, in their order (``[p for p in pairs if t in (p["a"], p["b"])]``)."""
        return [self.pairs[k] for k in self.by_fund.get(t, ())]

    def related(self, tickers: list[str], url: str, limit: int = RELATED_MAX) -> list[dict]:
        """``related_pairs(tickers, pairs, url, limit)`` (``limit`` >= 0): the same dicts, in the same order."""
        rows = sorted({k for t in set(tickers) for k in self.by_fund.get(t, ())})
        sharing = [self.pairs[k] for k in rows if self.pairs[k]["slug"] + "/" != url]
        if len(sharing) >= limit:
            return sharing[:limit]
        shared = {p["slug"] for p in sharing}
        out = sharing
        for p in self.pairs:
            if len(out) >= limit:
                break
            if p["slug"] + "/" != url and p["slug"] not in shared:
                out.append(p)
        return out

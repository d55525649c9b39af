"""What every page kind shares: the site's data as pages read it, a page's output, the page context,
JSON-LD and related comparisons.

A page kind (Pelican's generators) is a class with ``name``, ``template``, ``len()`` (how many pages)
and ``generate(i, clock) -> PageOutput``: its context for the template and its files (API document,
CSVs, SVGs, social card).  Rendering the template and writing the files is the build's job
(:mod:`versus.build.jobs`), so a page kind never touches Jinja or the disk.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..charts import identity
from ..config import SiteConfig, pair_slug
from ..content import Content
from ..data import Prepared

RELATED_MAX = 12
"""Related comparisons listed at the end of a pair or group page (and "other comparisons" on fund pages)."""
NAV_MAX = 24
"""Comparisons listed in every page's footer; a bigger site links to the index for the rest (a
footer of 1,000 links would be most of each page and of its render time)."""


@dataclass
class Site:
    """What the pages read: the config, the data cut at the as-of date, fund facts, the fund sections
    and pair figures computed by the analysis stage, commentary and the previous build's documents."""

    cfg: SiteConfig
    prep: Prepared
    info: dict                      # ticker -> FundFacts
    funds: dict                     # ticker -> its section of the JSON (figures, null reasons, sources)
    pairs: dict                     # (a, b) -> (values, null reasons)
    returns: pd.DataFrame           # daily returns of every fund
    content: Content
    previous: dict = field(default_factory=dict)  # the previous build's API documents by path
    common: dict = field(default_factory=dict)    # template values of every page (site, as_of, banner, ...)
    categories: dict = field(default_factory=dict)  # id -> {id, name, asset_class, benchmark, note, funds}
    nav: list[dict] = field(init=False)           # every comparison, for footers and related links
    styles: dict = field(init=False)              # ticker -> Style: each fund's colour and dash on every page

    def __post_init__(self):
        self.nav = [{"slug": pair_slug(a, b), "a": a, "b": b} for a, b in self.cfg.pairs]
        self.styles = identity.assign(self.cfg.funds, [*self.cfg.pairs, *self.cfg.groups])

    @property
    def as_of(self) -> str:
        return self.prep.as_of.date().isoformat()

    @property
    def meta(self) -> dict:
        return self.common["site"]


    def context(self, url: str, **kw) -> dict:
        """A page's template context: the shared values, its URL, the way back to the root, the footer."""
        nav = self.nav
        return {**self.common, "url": url, "root": root_prefix(url), "canonical": self.cfg.base_url + url,
                "pairs": nav[:NAV_MAX], "pairs_total": len(nav), **kw}


@dataclass
class PageOutput:
    """One page: its URL, template and context, and its files (``api`` documents and other files by path)."""

    url: str
    template: str
    context: dict
    api: dict[str, dict] = field(default_factory=dict)
    files: dict[str, str | bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    summary: dict | None = None  # what the index and the feed need from this page


class PageKind:
    """One kind of page; subclasses set ``name`` and ``template`` and define ``__len__`` and ``generate``."""

    name = ""
    template = ""

    def __init__(self, site: Site):
        self.site = site

    def __len__(self) -> int:  # pragma: no cover - every kind defines it
        raise NotImplementedError

    def generate(self, i: int, clock) -> PageOutput:  # pragma: no cover
        raise NotImplementedError


def root_prefix(url: str) -> str:
    """Relative prefix from a page back to the site root ('' -> './', 'a/b/' -> '../../')."""
    depth = url.count("/")
    return "./" if depth == 0 else "../" * depth


def related_pairs(tickers: list[str], pairs: list[dict], url: str, limit: int = RELATED_MAX) -> list[dict]:
    """Comparisons sharing a fund with ``tickers`` first, then the rest; never the page itself; at most ``limit``."""
    mine = set(tickers)
    others = [p for p in pairs if p["slug"] + "/" != url]
    sharing = [p for p in others if p["a"] in mine or p["b"] in mine]
    shared = {p["slug"] for p in sharing}
    return (sharing + [p for p in others if p["slug"] not in shared])[:limit]


def jsonld(kind: str, title: str, description: str, canonical: str, site: dict, as_of: str,
           start: str | None = None, downloads: list[str] | None = None) -> dict:
    """schema.org JSON-LD: a WebPage, plus a Dataset with its downloads for comparisons and funds."""
    page = {"@type": "WebPage", "@id": canonical, "url": canonical, "name": title, "description": description,
            "dateModified": as_of, "inLanguage": "en",
            "isPartOf": {"@type": "WebSite", "name": site["title"], "url": site["base_url"]}}
    graph = [page]
    if kind in ("pair", "group", "fund") and downloads:
        ds = {"@type": "Dataset", "name": title, "description": description, "url": canonical,
              "dateModified": as_of, "isAccessibleForFree": True,
              "creator": {"@type": "Organization", "name": site["title"], "url": site["base_url"]},
              "distribution": [{"@type": "DataDownload", "contentUrl": site["base_url"] + d,
                                "encodingFormat": "application/json" if d.endswith(".json") else "text/csv"}
                               for d in downloads]}
        if start:
            ds["temporalCoverage"] = f"{start}/{as_of}"
        graph.append(ds)
    return {"@context": "https://schema.org", "@graph": graph}

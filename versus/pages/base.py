"""What every page kind shares: the site's data as pages read it, a page's output, the page context,
JSON-LD and related comparisons.

A page kind (Pelican's generators) is a class with ``name``, ``template``, ``len()`` (how many pages)
and ``generate(i, clock) -> PageOutput``: its context for the template and its files (API document,
CSVs, SVGs, social card).  Rendering the template and writing the files is the build's job
(:mod:`versus.build.jobs`), so a page kind never touches Jinja or the disk.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..charts import identity
from ..config import SiteConfig, group_slug, pair_slug
from .. import content
from ..analysis.pairs import compute_pair, joint_returns, pair_series
from ..content import Content
from ..data import Prepared, common_end
from .compact import compact_facts, expand_facts  # noqa: F401 (the pair document's facts; re-exported)
from .fundparts import FundParts
from .related import RELATED_MAX, RelatedIndex, related_pairs  # noqa: F401 (re-exported)



@dataclass
class PageFunds:
    """The funds of one page, measured to the page's date: their common last close."""

    end: pd.Timestamp
    funds: dict      # ticker -> its JSON section measured to ``end``
    info: dict       # ticker -> FundFacts (dated against ``end``)
    behind: list     # the funds whose prices end before the build's date (they set ``end``)
    banner: dict | None = None

    @property
    def as_of(self) -> str:
        return self.end.date().isoformat()

class PairFigures(Mapping):
    """The site's pairs' figures, ``(a, b) -> (values, null reasons)`` of
    :func:`versus.analysis.compute_pair`, computed on first use and kept: each pair page's in the page worker
    that builds it (issue 17: ~2 ms a pair no longer serial in the parent), a group page's pairs where it
    reads them.  The keys are the configured pairs, in their orientation; the figures are the same
    whichever process computes them (a pure function of the prepared data).

    :meth:`series`: the pair page's series-based figures (:func:`versus.analysis.pair_series`), on the joint
    returns its figures were just computed from (once a page, not once per function)."""

    def __init__(self, prep: Prepared, returns: pd.DataFrame, pairs):
        self.prep, self.returns = prep, returns
        self.keys_ = {tuple(p): None for p in pairs}
        self.done: dict = {}
        self.recent = None  # (key, end, joint returns) of the pair last computed, until :meth:`series` reads them

    def __getitem__(self, key):
        got = self.done.get(key)
        if got is None:
            if key not in self.keys_:
                raise KeyError(key)
            end = common_end(self.prep, key)  # compute_pair's end: the earlier of the two last closes
            joint = joint_returns(self.returns, *key, end)
            got = self.done[key] = compute_pair(self.prep, self.returns, *key, joint=joint)
            self.recent = (key, end, joint)
        return got

    def series(self, key, end: pd.Timestamp) -> tuple[dict, dict[str, str]]:
        """:func:`versus.analysis.pair_series` of the pair ``key`` to ``end`` (this mapping's returns), on the joint
        returns of the pair just computed when they are this pair's to this ``end`` (the same arrays), else anew."""
        recent, self.recent = self.recent, None
        joint = recent[2] if recent is not None and recent[0] == tuple(key) and recent[1] == end else None
        return pair_series(self.returns, *key, end, joint=joint)

    def __iter__(self):
        return iter(self.keys_)

    def __len__(self) -> int:
        return len(self.keys_)


CHECKS_SHOWN = 5
"""Data-check findings listed on a page (the most recent); the methodology page lists every one."""


@dataclass
class Site:
    """What the pages read: the config, the data cut at the as-of date, fund facts, the fund sections
    and pair figures computed by the analysis stage, commentary and the previous build's documents.

    Every page is as of its own funds' common last close (:meth:`page`): a fund whose prices end
    early holds back only the pages it is on."""

    cfg: SiteConfig
    prep: Prepared
    info: dict                      # ticker -> FundFacts (on the fund's own page)
    sections: dict                  # (ticker, end) -> the fund's JSON section measured to ``end``
    pairs: PairFigures              # (a, b) -> (values, null reasons), computed when read; its pair series
    returns: pd.DataFrame           # daily returns of every fund
    content: Content
    previous: dict = field(default_factory=dict)  # the previous build's API documents by path
    common: dict = field(default_factory=dict)    # template values of every page (site, as_of, banner, ...)
    facts_at: object = None                       # (ticker, end) -> FundFacts dated against ``end``
    freshness: object = None                      # a live build's FreshnessReport (the page banners)
    then: dict = field(default_factory=dict)      # (kind, key) -> figures on a commentary's 'updated' date
    findings: list = field(default_factory=list)  # data checks across funds (versus.analysis.sanity)
    on_file: str = "dated"                        # "latest": all commentary even with --as-of (--on-file)
    categories: dict = field(default_factory=dict)  # id -> {id, name, asset_class, benchmark, note, funds}
    nav: list[dict] = field(init=False)           # every comparison, for footers and related links
    nav_by_fund: RelatedIndex = field(init=False)  # nav by fund: each page's related comparisons
    funds: dict = field(init=False)               # ticker -> its section to its own last close
    styles: dict = field(init=False)              # ticker -> Style: each fund's colour and dash on every page
    parts: FundParts = field(init=False)          # each fund's part of the comparison pages (this build's memo)

    def __post_init__(self):
        self.nav = [{"slug": pair_slug(a, b), "a": a, "b": b} for a, b in self.cfg.pairs]
        self.nav_by_fund = RelatedIndex(self.nav)
        self.funds = {t: self.sections[(t, self.prep.freshness[t].last)] for t in self.cfg.funds}
        self.styles = identity.assign(self.cfg.funds, [*self.cfg.pairs, *self.cfg.groups])
        self.parts = FundParts()  # this build's own: a Site is made per build, with its data

    @property
    def as_of(self) -> str:
        return self.prep.as_of.date().isoformat()

    @property
    def meta(self) -> dict:
        return self.common["site"]

    def page(self, tickers) -> PageFunds:
        """The funds of a page of ``tickers``, each measured to their common last close."""
        end = common_end(self.prep, tickers)
        behind = [t for t in tickers if self.prep.freshness[t].stale]
        banner = self.freshness.banner(end, tickers) if self.freshness is not None else None
        return PageFunds(end, {t: self.sections[(t, end)] for t in tickers},
                         {t: self.facts_at(t, end) if self.facts_at else self.info.get(t) for t in tickers},
                         behind, banner)

    def whole(self) -> PageFunds:
        """The site as a whole (index, methodology): as of the build's date, every fund to its own last close."""
        return PageFunds(self.prep.as_of, self.funds, self.info, [])

    def quotable(self, page: PageFunds) -> dict:
        """What commentary on a page may quote: every configured fund measured to the page's date (or to its
        own last close when that is earlier)."""
        return {t: self.sections[(t, min(self.prep.freshness[t].last, page.end))] for t in self.cfg.funds}

    def commentary(self, kind: str, key: str, flat: dict, page: PageFunds, tickers=()) -> tuple[dict | None, list]:
        """A page's commentary, rendered: left out of an ``--as-of`` build when written after the date asked for;
        its claims checked now and on the day it was written (:mod:`versus.build.then`)."""
        doc = {"pair": self.content.pairs, "fund": self.content.funds}.get(kind, {}).get(key) if kind != "index" \
            else self.content.index
        dated = self.prep.requested is not None and self.on_file == "dated"
        requested = self.prep.requested.date().isoformat() if dated else None
        return content.render(doc, flat() if doc else {}, self.cfg.allow_html, page.as_of, requested,
                              self.then.get((kind, key)), tuple(tickers))

    def data_checks(self, page: PageFunds) -> dict | None:
        """The data-check findings on a page's funds up to its date (the latest :data:`CHECKS_SHOWN`; the
        methodology page lists them all), or None."""
        mine = [f for f in self.findings if f.date <= page.as_of and set(f.funds) & set(page.funds)]
        if not mine:
            return None
        return {"shown": [f.to_json() for f in mine[-CHECKS_SHOWN:]][::-1], "total": len(mine)}

    def context(self, url: str, page: PageFunds | None = None, **kw) -> dict:
        """A page's template context: the shared values, its URL, the way back to the root, the footer's count of
        comparisons (it links to the index, which lists them all: issue 17);
        a page of funds is as of their common last close, with the banner of its own funds."""
        nav = self.nav
        dated = {"as_of": page.as_of, "behind": page.behind, "banner": page.banner,  # the page's own funds only
                 "notes": [n for n in self.common["notes"] if n not in self.prep.stale_notes],
                 "data_checks": self.data_checks(page)} if page else {}
        return {**self.common, **dated, "url": url, "root": root_prefix(url), "canonical": self.cfg.base_url + url,
                "pairs_total": len(nav), **kw}


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


def groups_with(tickers: list[str], groups, url: str) -> list[dict]:
    """The group pages holding any of ``tickers`` (those holding all of them first), never the page itself:
    ``{"url", "title", "tickers"}`` each (pair and fund pages link to their groups)."""
    mine = set(tickers)
    found = [g for g in groups if mine & set(g) and f"compare/{group_slug(g)}/" != url]
    found.sort(key=lambda g: not mine <= set(g))
    return [{"url": f"compare/{group_slug(g)}/", "title": " vs ".join(g), "tickers": list(g)} for g in found]


def jsonld(kind: str, title: str, description: str, canonical: str, site: dict, as_of: str,
           start: str | None = None, downloads: list[str] | None = None) -> dict:
    """schema.org JSON-LD: a WebPage, plus a Dataset with its downloads for comparisons and funds."""
    page = {"@type": "WebPage", "@id": canonical, "url": canonical, "name": title, "description": description,
            "dateModified": as_of, "inLanguage": "en",
            "isPartOf": {"@type": "WebSite", "name": site["title"], "url": site["base_url"]}}
    graph = [page]
    if kind in ("pair", "group", "fund") and downloads:
        del page["description"]  # the Dataset's (the same words once; the page's own is its <meta name=description>)
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


def statements_json(said: list, charts: list, changes: dict | None = None, doc: dict | None = None) -> list[dict]:
    """Every sentence a page generates, with the facts it rests on and its claims (``statements`` in the
    page's JSON): the summary, takeaways and FAQ answers given, the chart descriptions and what changed.

    With the page's document ``doc`` they are written compact (:func:`compact_statement`): a text the document
    already holds and a claim one of its facts already makes are referred to, not repeated."""
    out = [st.to_json() for st in said]
    out += [c.statement.to_json() for c in charts if getattr(c, "statement", None) is not None]
    for item in (changes or {}).get("items", []):
        out.append({"where": "change", "text": item["text"], "facts": [], "claims": item.get("claims", [])})
    if doc is None:
        return out
    texts = _text_places(doc)
    facts = {f["id"]: f for f in doc.get("facts", [])}
    anywhere = _anywhere(texts)
    return [compact_statement(st, texts, facts, doc.get("summary") or "", anywhere) for st in out]


STATEMENT_DIGITS = 10
"""Decimal places of a number in a claim written out in ``statements`` (:func:`claim_number`): finer than the 8
of every published figure, so a claim still equals the figure it cites to 1e-8 and a share ("beat IWM's in 60%
of these windows") still equals its count over its windows to 1e-9."""
SAME = "^"
"""A written-out claim's field whose value is this string has the value of the same field in the claim before
it (a calendar-year chart's tally and widest gap rest on the same rows)."""


_AS_IS = frozenset({str, int, bool, type(None)})
"""Types :func:`claim_number` returns unchanged (looked at first: most of a claim's fields)."""


def claim_number(x):
    """A claim's numbers as ``statements`` publish them, to :data:`STATEMENT_DIGITS` decimals (the float noise
    after them says nothing a sentence could state)."""
    t = type(x)
    if t is dict:  # a claim: its texts, counts and flags as they are without a call each (issue 17)
        return {k: v if type(v) in _AS_IS else claim_number(v) for k, v in x.items()}
    if isinstance(x, float) and x == x and x not in (float("inf"), float("-inf")):
        return round(x, STATEMENT_DIGITS)
    if isinstance(x, dict):
        return {k: claim_number(v) for k, v in x.items()}
    if isinstance(x, list):
        return [v if type(v) in _AS_IS else claim_number(v) for v in x]
    return x


TEXT_PLACES = {"takeaway": "takeaways", "faq": "faq", "change": "changes", "fund": "facts"}
"""Where a statement's text is looked for first, by its ``where`` (then anywhere in :func:`_text_places`)."""


def _text_places(doc: dict) -> dict[str, dict[str, str]]:
    """Where a page document holds a sentence: by kind of place (``takeaways``, ``faq``, ``changes``, ``facts``),
    text -> its JSON path (as claims' ``ref``), the first place of each text."""
    places: dict[str, dict[str, str]] = {"takeaways": {}, "faq": {}, "changes": {}, "facts": {}}
    for i, text in enumerate(doc.get("takeaways") or []):
        places["takeaways"].setdefault(text, f"takeaways.{i}")
    for i, item in enumerate(doc.get("faq") or []):
        places["faq"].setdefault(item["answer"], f"faq.{i}.answer")
    for i, item in enumerate((doc.get("changes") or {}).get("items", [])):
        places["changes"].setdefault(item["text"], f"changes.items.{i}.text")
    for i, f in enumerate(doc.get("facts") or []):
        places["facts"].setdefault(f["text"], f"facts.{i}.text")
    return places


def _anywhere(texts: dict[str, dict[str, str]]) -> dict[str, str]:
    """Every text of :func:`_text_places` -> its first place in the order kinds are listed there."""
    return {t: at for kind in reversed(list(texts.values())) for t, at in kind.items()}


def compact_statement(st: dict, texts: dict[str, str], facts: dict[str, dict], summary: str = "",
                      anywhere: dict[str, str] | None = None) -> dict:
    """One statement as ``statements`` publish it (README, "API"; :func:`expand_statement` reads it back):

    * ``text`` is left out when the document holds it: ``at`` names where (``"takeaways.2"``, ``"faq.1.answer"``,
      ``"facts.4.text"``, ``"changes.items.0.text"``), or ``at: "summary"`` with ``span``: [start, end), its
      characters in the summary paragraph;
    * a claim one of its facts makes is written ``"<fact id>#<n>"`` (that fact's n-th claim), or
      ``"<fact id>#<n>-lead"`` when the sentence does not state the lead in points (the claim without ``lead``);
      other claims are written out, numbers to :data:`STATEMENT_DIGITS` decimals;
    * ``claims`` is left out when it is exactly its facts' claims, in order; ``facts`` when empty.

    ``anywhere``: :func:`_anywhere` of ``texts`` when the caller made it once for every statement."""
    out: dict = {"where": st["where"]}
    if st["facts"]:
        out["facts"] = st["facts"]
    text = st["text"]
    first = texts.get(TEXT_PLACES.get(st["where"], ""), {})
    if anywhere is None:
        anywhere = _anywhere(texts)
    start = summary.find(text) if st["where"] == "summary" and text else -1
    if start >= 0:  # a sentence of the summary paragraph: its characters there
        out.update(at="summary", span=[start, start + len(text)])
    elif text in first or text in anywhere:
        out["at"] = first.get(text) or anywhere[text]
    else:
        out["text"] = text
    claims, before = [], {}
    for c in st["claims"]:
        ref = _claim_ref(c, st["facts"], facts)
        if ref is None:
            full = claim_number(c)
            ref = {k: SAME if isinstance(v, (dict, list)) and before.get(k) == v else v for k, v in full.items()}
            before = full
        else:
            before = c
        claims.append(ref)
    if claims != [f"{i}#{n}" for i in st["facts"] if i in facts for n in range(len(facts[i]["claims"]))]:
        out["claims"] = claims
    return out


def _claim_ref(c: dict, ids: list[str], facts: dict[str, dict]) -> str | None:
    for i in ids:
        for n, fc in enumerate((facts.get(i) or {}).get("claims", [])):
            if fc == c:
                return f"{i}#{n}"
            if "lead" in fc and "lead" not in c and {k: v for k, v in fc.items() if k != "lead"} == c:
                return f"{i}#{n}-lead"
    return None


def expand_statement(st: dict, doc: dict) -> dict:
    """A statement of ``doc["statements"]`` written out: ``{"where", "text", "facts", "claims"}``
    (the inverse of :func:`compact_statement`; ``doc``'s facts written out, :func:`expand_facts`)."""
    facts = {f["id"]: f for f in doc.get("facts", [])}
    ids = st.get("facts", [])
    if "text" in st:
        text = st["text"]
    elif st["at"] == "summary":
        text = doc["summary"][st["span"][0]:st["span"][1]]
    else:
        node = doc
        for part in st["at"].split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
        text = node
    if "claims" not in st:
        claims = [c for i in ids for c in facts[i]["claims"]]
    else:
        claims = []
        for c in st["claims"]:
            if isinstance(c, str):
                fid, n = c.split("#")
                claim = dict(facts[fid]["claims"][int(n.split("-")[0])])
                if n.endswith("-lead"):
                    claim.pop("lead", None)
            else:
                claim = {k: claims[-1][k] if v == SAME else v for k, v in c.items()}
            claims.append(claim)
    return {"where": st["where"], "text": text, "facts": list(ids), "claims": claims}


def expand_statements(doc: dict) -> list[dict]:
    """Every statement of a page document written out (:func:`expand_statement`), its facts first
    (:func:`expand_facts`)."""
    doc = {**doc, "facts": expand_facts(doc)}
    return [expand_statement(st, doc) for st in doc.get("statements", [])]

"""What a build reads back from an earlier output is input too: validate it (:mod:`versus.sources.readback`
reads it, bounded, and checks the data store).

A previous build's ``api/pairs/*.json``, ``api/groups/*.json``, ``api/index.json`` and ``feed.xml`` (what changed, the feed's older
entries) may have been edited, truncated or written by another tool.  Each validator raises
:class:`~versus.sources.readback.Unexpected` with a short reason when a document does not have the shape
the build relies on; :class:`versus.build.previous.Previous` then ignores it with a warning naming the file
and the reason, never a traceback.  Validators check only what is used.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..render.feed import CONTENT_ATTRIBUTES, CONTENT_TAGS
from ..sources.readback import Unexpected, check_date, check_json_values, check_number, check_text, need
from ..util import TICKER

ATOM = "{http://www.w3.org/2005/Atom}"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T00:00:00Z")
_ENTRY_ID = re.compile(r"tag:[^\s,]{1,253},\d{4}-\d{2}-\d{2}:build")


# --------------------------------------------------------------------------- previous output
def changes_block(ch) -> None:
    """A pair document's ``changes``: ``{"since": date or null, "items": [{"id", "text", "values"[, "claims"]}]}``
    (carried over verbatim when the previous build has the same as-of date)."""
    need(isinstance(ch, dict), "changes is not an object")
    check_date(ch.get("since"), "changes.since", optional=True)
    items = ch.get("items")
    need(isinstance(items, list) and len(items) <= 1000, "changes.items is not a list")
    for i, item in enumerate(items):
        need(isinstance(item, dict) and set(item) - {"claims"} == {"id", "text", "values"},
             f"changes.items[{i}] is not {{id, text, values, claims}}")
        need(isinstance(item.get("claims", []), list), f"changes.items[{i}].claims is not a list")
        check_json_values(item.get("claims", []), f"changes.items[{i}].claims")
        check_text(item["id"], f"changes.items[{i}].id")
        check_text(item["text"], f"changes.items[{i}].text")
        need(isinstance(item["values"], dict), f"changes.items[{i}].values is not an object")
        check_json_values(item["values"], f"changes.items[{i}].values")


def pair_doc(doc) -> None:
    """What :func:`versus.facts.changes.pair_changes` reads from a previous pair document."""
    tickers = _fund_doc(doc, 2, 2)
    pair = doc.get("pair", {})
    need(isinstance(pair, dict), "pair is not an object")
    corr = pair.get("correlation", {})
    need(isinstance(corr, dict), "pair.correlation is not an object")
    _correlation(corr.get("1y"), "pair.correlation.1y")
    del tickers


def group_doc(doc) -> None:
    """What :func:`versus.facts.changes.group_changes` reads from a previous group document."""
    tickers = _fund_doc(doc, 2, 12)
    mx = doc.get("correlation_matrix", {})
    need(isinstance(mx, dict), "correlation_matrix is not an object")
    need(mx.get("tickers", tickers) == tickers, "correlation_matrix.tickers are not the group's tickers")
    rows = (mx.get("values") or {}).get("1y", [])
    need(isinstance(rows, list) and all(isinstance(r, list) and len(r) == len(tickers) for r in rows)
         and len(rows) in (0, len(tickers)), "correlation_matrix.values.1y is not a square of the group's funds")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            _correlation(v, f"correlation_matrix.values.1y[{i}][{j}]")


def _correlation(v, where: str) -> None:
    check_number(v, where)
    if v is not None:
        need(-1.0000001 <= v <= 1.0000001, f"{where} is not a correlation")


def _fund_doc(doc, least: int, most: int) -> list[str]:
    """The shared part of a previous pair or group document: as-of date, tickers, the one-year leader, each fund's
    current drawdown and the changes carried over; returns the tickers."""
    need(isinstance(doc, dict), f"a {type(doc).__name__}, not an object")
    check_date(doc.get("as_of"), "as_of")
    tickers = doc.get("tickers")
    ok = isinstance(tickers, list) and least <= len(tickers) <= most
    need(ok and all(isinstance(t, str) and TICKER.fullmatch(t) for t in tickers),
         "tickers is not two tickers" if most == 2 else f"tickers is not {least} to {most} tickers")
    facts = doc.get("facts", [])
    need(isinstance(facts, list), "facts is not a list")
    for i, f in enumerate(facts):
        need(isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("values", {}), dict),
             f"facts[{i}] is not {{id, values}}")
        if f.get("id") == "return_1y_leader":
            v = f["values"]
            need(v.get("leader") is None or v.get("leader") in tickers, "the one-year leader is not one of tickers")
            for t in tickers:
                check_number(v.get(t), f"facts[{i}].values.{t}")
    funds = doc.get("funds", {})
    need(isinstance(funds, dict), "funds is not an object")
    for t, f in funds.items():
        need(isinstance(f, dict), f"funds.{t} is not an object")
        dd = f.get("drawdown_now")
        need(dd is None or isinstance(dd, dict), f"funds.{t}.drawdown_now is not an object")
        if dd is not None:
            check_number(dd.get("value"), f"funds.{t}.drawdown_now.value")
    if "changes" in doc:
        changes_block(doc["changes"])
    return tickers


def index_doc(doc) -> None:
    need(isinstance(doc, dict), f"a {type(doc).__name__}, not an object")
    check_date(doc.get("as_of"), "as_of")


def feed_text(text: str) -> tuple[str | None, list[str]]:
    """A previous ``feed.xml`` reduced to its valid entries (written by versus: tag-URI id, a date stamp,
    a title, a link, HTML content that nh3 leaves as it is), as feed text; and why others were dropped."""
    import nh3

    problems: list[str] = []
    if re.search(r"<!DOCTYPE|<!ENTITY", text[:65536], re.I):
        return None, ["it has a DOCTYPE or entities (a versus feed has none); starting a new feed"]
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return None, [f"not XML ({exc}); starting a new feed"]
    if root.tag != f"{ATOM}feed":
        return None, ["not an Atom feed; starting a new feed"]
    keep = ET.Element(f"{ATOM}feed")
    for n, e in enumerate(root.findall(f"{ATOM}entry"), 1):
        try:
            kids = {c.tag: c for c in e}
            need(len(e) == 5 and set(kids) == {f"{ATOM}{k}" for k in ("id", "title", "updated", "link", "content")},
                 "not {id, title, updated, link, content}")
            need(_ENTRY_ID.fullmatch(kids[f"{ATOM}id"].text or "") is not None, "its id is not a versus build id")
            need(_STAMP.fullmatch(kids[f"{ATOM}updated"].text or "") is not None, "updated is not a date")
            check_text(kids[f"{ATOM}title"].text or "", "title")
            need(set(kids[f"{ATOM}link"].attrib) == {"href"}, "the link is not an href")
            content = kids[f"{ATOM}content"]
            need(content.attrib == {"type": "html"} and len(content) == 0, "the content is not HTML text")
            html = content.text or ""
            need(len(html) <= 200_000, "the content is too long")
            need(nh3.clean(html, tags=CONTENT_TAGS, attributes=CONTENT_ATTRIBUTES, link_rel=None) == html,
                 "its HTML is not what versus writes")
        except Unexpected as exc:
            problems.append(f"entry {n} dropped: {exc}")
            continue
        keep.append(e)
    return ET.tostring(keep, encoding="unicode"), problems

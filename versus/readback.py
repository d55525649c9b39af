"""What a build reads back from an earlier output or from the data store is input too: validate it.

A previous build's ``api/pairs/*.json``, ``api/index.json`` and ``feed.xml`` (what changed, the feed's older
entries), and the data store's manifest and fund facts, may have been edited, truncated or written by another
tool.  Each validator here returns ``None`` when a document has the shape the build relies on, else a short
reason; the caller ignores the document with a warning naming the file and the reason, never a traceback.
Validators check only what is used, and bound sizes (:mod:`versus.bounded`).
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from . import bounded

MAX_FILE = 32 << 20
"""A file read back larger than this is ignored."""
MAX_TEXT = 2000
"""Longest text read back into a page (a change's sentence, a feed title)."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TICKER = re.compile(r"[A-Z][A-Z0-9.\-]{0,9}")
ATOM = "{http://www.w3.org/2005/Atom}"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T00:00:00Z")
_ENTRY_ID = re.compile(r"tag:[^\s,]{1,253},\d{4}-\d{2}-\d{2}:build")


class Unexpected(ValueError):
    """A document read back that does not have the expected shape."""


def read_text(path: Path) -> str:
    """A regular file's text (UTF-8, at most :data:`MAX_FILE` bytes); :class:`Unexpected` otherwise (a
    symlink, a device such as /dev/zero, a huge file, bytes that are not UTF-8)."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if path.is_symlink() or not path.is_file():
        raise Unexpected("not a regular file")
    if path.stat().st_size > MAX_FILE:
        raise Unexpected(f"larger than {MAX_FILE >> 20} MB")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unexpected(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None


def load_json(text: str):
    """``json.loads`` bounded in depth and size; :class:`Unexpected` for anything else."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise Unexpected("nested too deeply") from None
    except ValueError as exc:
        raise Unexpected(f"not JSON ({' '.join(str(exc).split())})") from None
    why = bounded.too_big(value, max_nodes=2_000_000, max_depth=64)
    if why:
        raise Unexpected(why)
    return value


# --------------------------------------------------------------------------- small checks
def _need(ok: bool, what: str) -> None:
    if not ok:
        raise Unexpected(what)


def _date(v, what: str, optional: bool = False) -> None:
    _need((optional and v is None) or (isinstance(v, str) and ISO_DATE.fullmatch(v) is not None),
          f"{what} is not a date YYYY-MM-DD")


def _number(v, what: str, optional: bool = True) -> None:
    _need((optional and v is None) or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)),
          f"{what} is not a finite number")


def _text(v, what: str) -> None:
    _need(isinstance(v, str) and len(v) <= MAX_TEXT, f"{what} is not a text of at most {MAX_TEXT} characters")
    bad = next((c for c in v if unicodedata.category(c) in ("Cc", "Cs") or c in "\ufffe\uffff"), None)
    _need(bad is None, f"{what} holds a control character")


def _json_values(v, what: str) -> None:
    """Plain JSON values with finite numbers (they are published again)."""
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            _need(all(isinstance(k, str) for k in x), f"{what} has a key that is not text")
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, float):
            _number(x, what)
        elif isinstance(x, str):
            _text(x, what)
        else:
            _need(x is None or isinstance(x, (bool, int)), f"{what} holds a {type(x).__name__}")


# --------------------------------------------------------------------------- previous output
def changes_block(ch) -> None:
    """A pair document's ``changes``: ``{"since": date or null, "items": [{"id", "text", "values"}]}``
    (carried over verbatim when the previous build has the same as-of date)."""
    _need(isinstance(ch, dict), "changes is not an object")
    _date(ch.get("since"), "changes.since", optional=True)
    items = ch.get("items")
    _need(isinstance(items, list) and len(items) <= 1000, "changes.items is not a list")
    for i, item in enumerate(items):
        _need(isinstance(item, dict) and set(item) == {"id", "text", "values"},
              f"changes.items[{i}] is not {{id, text, values}}")
        _text(item["id"], f"changes.items[{i}].id")
        _text(item["text"], f"changes.items[{i}].text")
        _need(isinstance(item["values"], dict), f"changes.items[{i}].values is not an object")
        _json_values(item["values"], f"changes.items[{i}].values")


def pair_doc(doc) -> None:
    """What :func:`versus.changes.pair_changes` reads from a previous pair document."""
    _need(isinstance(doc, dict), f"a {type(doc).__name__}, not an object")
    _date(doc.get("as_of"), "as_of")
    tickers = doc.get("tickers")
    _need(isinstance(tickers, list) and len(tickers) == 2 and all(isinstance(t, str) and TICKER.fullmatch(t)
                                                                  for t in tickers), "tickers is not two tickers")
    facts = doc.get("facts", [])
    _need(isinstance(facts, list), "facts is not a list")
    for i, f in enumerate(facts):
        _need(isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("values", {}), dict),
              f"facts[{i}] is not {{id, values}}")
        if f.get("id") == "return_1y_leader":
            v = f["values"]
            _need(v.get("leader") is None or v.get("leader") in tickers, "the one-year leader is not one of tickers")
            for t in tickers:
                _number(v.get(t), f"facts[{i}].values.{t}")
    funds = doc.get("funds", {})
    _need(isinstance(funds, dict), "funds is not an object")
    for t, f in funds.items():
        _need(isinstance(f, dict), f"funds.{t} is not an object")
        dd = f.get("drawdown_now")
        _need(dd is None or isinstance(dd, dict), f"funds.{t}.drawdown_now is not an object")
        if dd is not None:
            _number(dd.get("value"), f"funds.{t}.drawdown_now.value")
    pair = doc.get("pair", {})
    _need(isinstance(pair, dict), "pair is not an object")
    corr = pair.get("correlation", {})
    _need(isinstance(corr, dict), "pair.correlation is not an object")
    _number(corr.get("1y"), "pair.correlation.1y")
    if corr.get("1y") is not None:
        _need(-1.0000001 <= corr["1y"] <= 1.0000001, "pair.correlation.1y is not a correlation")
    if "changes" in doc:
        changes_block(doc["changes"])


def index_doc(doc) -> None:
    _need(isinstance(doc, dict), f"a {type(doc).__name__}, not an object")
    _date(doc.get("as_of"), "as_of")


def feed_text(text: str) -> tuple[str | None, list[str]]:
    """A previous ``feed.xml`` reduced to its valid entries (written by versus: tag-URI id, a date stamp,
    a title, a link, HTML content that nh3 leaves as it is), as feed text; and why others were dropped."""
    import nh3

    from .feed import CONTENT_ATTRIBUTES, CONTENT_TAGS

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
            _need(len(e) == 5 and set(kids) == {f"{ATOM}{k}" for k in ("id", "title", "updated", "link", "content")},
                  "not {id, title, updated, link, content}")
            _need(_ENTRY_ID.fullmatch(kids[f"{ATOM}id"].text or "") is not None, "its id is not a versus build id")
            _need(_STAMP.fullmatch(kids[f"{ATOM}updated"].text or "") is not None, "updated is not a date")
            _text(kids[f"{ATOM}title"].text or "", "title")
            _need(set(kids[f"{ATOM}link"].attrib) == {"href"}, "the link is not an href")
            content = kids[f"{ATOM}content"]
            _need(content.attrib == {"type": "html"} and len(content) == 0, "the content is not HTML text")
            html = content.text or ""
            _need(len(html) <= 200_000, "the content is too long")
            _need(nh3.clean(html, tags=CONTENT_TAGS, attributes=CONTENT_ATTRIBUTES, link_rel=None) == html,
                  "its HTML is not what versus writes")
        except Unexpected as exc:
            problems.append(f"entry {n} dropped: {exc}")
            continue
        keep.append(e)
    return ET.tostring(keep, encoding="unicode"), problems


# --------------------------------------------------------------------------- the data store
def manifest_tickers(tickers) -> None:
    """``store.json``'s ``tickers``: ``{T: {first, last, full_refresh, meta_refresh}}``, dates or null."""
    _need(isinstance(tickers, dict), "tickers is not an object")
    for t, info in tickers.items():
        _need(isinstance(t, str) and TICKER.fullmatch(t) is not None, f"{str(t)[:20]!r} is not a ticker")
        _need(isinstance(info, dict) and set(info) <= {"first", "last", "full_refresh", "meta_refresh"},
              f"tickers.{t} is not {{first, last, full_refresh, meta_refresh}}")
        for k, v in info.items():
            _date(v, f"tickers.{t}.{k}", optional=True)


def store_meta(meta) -> None:
    """``meta.json``: ``{T: {key: {value, as_of, source}}}`` (values are checked again when merged)."""
    _need(isinstance(meta, dict), "not an object")
    for t, facts in meta.items():
        _need(isinstance(t, str) and TICKER.fullmatch(t) is not None, f"{str(t)[:20]!r} is not a ticker")
        _need(isinstance(facts, dict), f"{t} is not an object")
        for k, entry in facts.items():
            _need(isinstance(entry, dict), f"{t}.{k} is not {{value, as_of, source}}")

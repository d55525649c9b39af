"""``/feed.xml``: an Atom feed with one entry per build, listing what changed.

Entry ids and dates come from the as-of date, never the wall clock, so a build is
reproducible; the previous build's entries are carried over (newest first, at most
:data:`MAX_ENTRIES`; entries after the as-of date are left out, so a rebuild of a past date lists
only what was known then), and rebuilding the same as-of date keeps its entry as it was.  The
previous feed is the previous output's, or on a fresh runner the data store's history
(:mod:`versus.build.previous`).  A fund's own event (a new 52-week high, a fall through a drawdown
level) is listed once per entry, under the fund, however many pairs it appears in.
Built with ElementTree, so every text is escaped and the output is valid XML.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from .. import fmt
from . import safeout

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100
ET.register_namespace("", ATOM)


def _q(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def entry_id(base_url: str, as_of: str) -> str:
    """A tag URI (RFC 4151) from the site's host and the as-of date."""
    host = urlsplit(base_url).hostname or "versus.invalid"
    return f"tag:{host},{as_of}:build"


def _stamp(as_of: str) -> str:
    return f"{as_of}T00:00:00Z"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    el = ET.SubElement(parent, _q(tag), attrs)
    if text is not None:
        el.text = text
    return el


CONTENT_TAGS = {"p", "h3", "ul", "li", "a"}
CONTENT_ATTRIBUTES = {"a": {"href"}}
"""The HTML an entry's content may hold; a previous feed's entry holding anything else is dropped
(:func:`versus.build.readback.feed_text`)."""


def _split(pairs: list[dict]) -> tuple[dict[str, dict], list[tuple[dict, list[dict]]]]:
    """(a fund's own events by id, once however many pairs list them; each pair's own events)."""
    funds: dict[str, dict] = {}
    own = []
    for p in pairs:
        mine = []
        for item in p["items"]:
            if (item.get("values") or {}).get("ticker"):  # about one fund: new high, drawdown level crossed
                funds.setdefault(item.get("id", item["text"]), item)
            else:
                mine.append(item)
        own.append((p, mine))
    return funds, own


def _content_html(base_url: str, since: str | None, pairs: list[dict]) -> tuple[str, int]:
    """The entry body as (escaped-on-serialisation) HTML text in nh3's normal form (so a later build can
    check that a carried entry is one versus wrote), and how many changes it lists."""
    import nh3

    raw, n = _content_raw(base_url, since, pairs)
    return nh3.clean(raw, tags=CONTENT_TAGS, attributes=CONTENT_ATTRIBUTES, link_rel=None), n


def _content_raw(base_url: str, since: str | None, pairs: list[dict]) -> tuple[str, int]:
    """The entry body before sanitizing, and how many changes it lists (a fund's event once)."""
    from markupsafe import escape

    if since is None:
        return "<p>No earlier build to compare with.</p>", 0
    funds, own = _split(pairs)
    parts = []
    if funds:
        lis = "".join(f"<li>{escape(i['text'])}</li>" for i in funds.values())
        parts.append(f"<h3>Funds</h3><ul>{lis}</ul>")
    for p, items in own:
        if items:
            lis = "".join(f"<li>{escape(i['text'])}</li>" for i in items)
            parts.append(f'<h3><a href="{escape(base_url + p["slug"] + "/")}">{escape(p["title"])}</a></h3><ul>{lis}</ul>')
    n = len(funds) + sum(len(items) for _, items in own)
    if not parts:
        return f"<p>No notable changes since the build of {escape(fmt.date(since))}.</p>", 0
    return f"<p>Changes since the build of {escape(fmt.date(since))}:</p>" + "".join(parts), n


def _old_entries(previous: str | None) -> list:
    if not previous:
        return []
    try:
        root = ET.fromstring(previous)
    except ET.ParseError:
        return []
    return root.findall(_q("entry"))


def build(title: str, base_url: str, as_of: str, since: str | None, pairs: list[dict],
          previous: str | None = None) -> str:
    """The feed text.  ``pairs``: ``[{"slug", "title", "items": [{"text", …}]}]`` for this build."""
    eid = entry_id(base_url, as_of)
    entries = {}
    for e in _old_entries(previous):
        id_el = e.find(_q("id"))
        if id_el is not None and id_el.text:
            entries[id_el.text] = e
    stamp = _stamp(as_of)
    entries = {k: e for k, e in entries.items() if (getattr(e.find(_q("updated")), "text", "") or "") <= stamp}
    if eid not in entries:  # the same as-of date rebuilt: keep the entry as first published
        e = ET.Element(_q("entry"))
        _sub(e, "id", eid)
        body, n = _content_html(base_url, since, pairs)
        what = "no notable changes" if n == 0 else f"{fmt.count(n)} change{'s' if n != 1 else ''}"
        _sub(e, "title", f"Figures as of {fmt.date(as_of)}: {what}" if since else f"Figures as of {fmt.date(as_of)}")
        _sub(e, "updated", _stamp(as_of))
        _sub(e, "link", href=base_url)
        _sub(e, "content", body, type="html")
        entries[eid] = e

    def key(e):
        u = e.find(_q("updated"))
        return (u.text if u is not None and u.text else "", e.find(_q("id")).text)

    kept = sorted(entries.values(), key=key, reverse=True)[:MAX_ENTRIES]
    feed = ET.Element(_q("feed"))
    _sub(feed, "title", f"{title}: what changed")
    _sub(feed, "id", base_url + "feed.xml")
    _sub(feed, "updated", key(kept[0])[0] if kept else _stamp(as_of))
    _sub(feed, "link", href=base_url + "feed.xml", rel="self")
    _sub(feed, "link", href=base_url)
    author = _sub(feed, "author")
    _sub(author, "name", title)
    for e in kept:
        feed.append(e)
    ET.indent(feed)
    return safeout.xml_text(feed, "feed.xml")

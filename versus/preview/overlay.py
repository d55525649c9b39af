"""What the preview adds to a served page (never to a built one): its stylesheet and reload script, and
the overlay of errors and warnings; and the /reference/ pages (the names of a page, with search)."""
from __future__ import annotations

import re
from html import escape

from .. import fmt

MESSAGE = re.compile(r"^(?P<where>[^\s:][^:]*?(?::\d+)?): (?P<text>.*?)(?: \(did you mean (?P<hint>.+?)\?\))?$", re.S)
"""``file:line: message (did you mean 'x'?)``, the shape of every content and config error."""
HEAD = '<link rel="stylesheet" href="/__preview/preview.css">'


def split(message: str) -> dict:
    """A message's parts: ``where`` (file:line, or None), ``text`` and ``hint`` (the did-you-mean, or None)."""
    mt = MESSAGE.match(message.strip())
    if not mt or ("/" not in mt.group("where") and "." not in mt.group("where")):
        return {"where": None, "text": message.strip(), "hint": None}
    return mt.groupdict()


def _item(message: str) -> str:
    p = split(message)
    where = f'<code class="vp-where">{escape(p["where"])}</code>' if p["where"] else ""
    hint = f'<p class="vp-hint">did you mean {escape(p["hint"])}?</p>' if p["hint"] else ""
    return f'<li>{where}<p class="vp-text">{escape(p["text"])}</p>{hint}</li>'


def overlay(errors: list[str], warnings: list[str]) -> str:
    """The panel over the page: errors first (the page under it is the last good build), then warnings."""
    if not errors and not warnings:
        return ""
    parts = ['<aside id="vp-overlay" class="vp-overlay" role="alert" aria-labelledby="vp-title">']
    if errors:
        n = len(errors)
        parts.append(f'<h2 id="vp-title" class="vp-title vp-error">{n} error{"s" if n != 1 else ""}: this page is '
                     'the last good build</h2>')
        parts.append('<ol class="vp-list">' + "".join(map(_item, errors)) + "</ol>")
    if warnings:
        n = len(warnings)
        tag = ' id="vp-title"' if not errors else ""
        parts.append(f'<h2{tag} class="vp-title vp-warning">{n} warning{"s" if n != 1 else ""} on this page</h2>')
        parts.append('<ol class="vp-list">' + "".join(map(_item, warnings)) + "</ol>")
    parts.append('<p class="vp-foot">Fix the file and save: this panel updates by itself. '
                 '<button type="button" id="vp-hide">Hide</button></p></aside>')
    return "".join(parts)


def inject(page: str, version: int, errors: list[str], warnings: list[str]) -> str:
    """``page`` with the preview's stylesheet, overlay and reload script (the files on disk stay as built)."""
    script = f'<script src="/__preview/preview.js" data-version="{version}" defer></script>'
    body = overlay(errors, warnings) + script
    page = page.replace("</head>", HEAD + "</head>", 1) if "</head>" in page else HEAD + page
    return page.replace("</body>", body + "</body>", 1) if "</body>" in page else page + body


def missing(version: int, errors: list[str], path: str) -> str:
    """A page that does not exist (yet): the overlay on an empty page (e.g. the first build failed)."""
    text = "The site has not been built yet." if errors else f"No page at /{escape(path)}."
    return inject(f"<!doctype html><html lang=en><head><meta charset=utf-8><title>versus preview</title></head>"
                  f'<body><main class="vp-empty"><p>{text}</p></main></body></html>', version, errors, [])


def reference(title: str, rows: list[dict], filters: list[dict], pages: dict, key: str, as_of: str,
              version: int) -> str:
    """/reference/ (and /reference/<page>/): every name of a page, searchable, and every filter."""
    links = " · ".join(f'<a href="/reference/{"" if k == "index" else k + "/"}"'
                       f'{" aria-current=page" if k == key else ""}>{escape(t)}</a>' for k, (t, _) in pages.items())
    body = "".join(
        f'<tr><td><code>{escape(r["name"])}</code></td><td data-label="value">'
        f'{escape("null" if r["value"] is None else repr(r["value"]))}'
        f'{"<br><small>" + escape(r["why"]) + "</small>" if r.get("why") else ""}</td><td data-label="write">'
        f'<code>{escape(r["placeholder"])}</code></td><td data-label="shows">{escape(r["shows"])}</td></tr>' for r in rows)
    filt = "".join(
        f'<tr><td><code>{escape(d["signature"])}</code></td><td>{escape(d["doc"])}'
        + "".join(f"<br><code>{escape(a)}</code>: {escape(w)}" for a, w in d["args"].items()) + "</td></tr>"
        for d in filters)
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Placeholder reference: ' + escape(title) + "</title>"
        '</head><body><main class="vp-ref"><h1>Names on ' + escape(title) + "</h1>"
        f"<p>{len(rows)} names, values as of {escape(fmt.date(as_of))}. Quote one in commentary as "
        "<code>{{ name | filter }}</code>; the last column is what the page shows today.</p>"
        f'<nav aria-label="Pages">Pages: {links}</nav>'
        '<p><label for="ref-search">Search names</label> <input id="ref-search" type="search" '
        'placeholder="total_return.1y, drawdown, facts…" autocomplete="off"></p>'
        '<table id="ref-names"><caption>Names, current values and formatted examples</caption><thead><tr>'
        '<th scope="col">Name</th><th scope="col">Value</th><th scope="col">Placeholder</th>'
        f'<th scope="col">Shows</th></tr></thead><tbody>{body}</tbody></table>'
        '<h2>Filters</h2><table id="ref-filters"><caption>Every filter with its arguments</caption><thead><tr>'
        f'<th scope="col">Filter</th><th scope="col">What it does</th></tr></thead><tbody>{filt}</tbody></table>'
        "</main></body></html>")
    return inject(page, version, [], [])

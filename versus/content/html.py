"""Commentary Markdown to safe HTML: CommonMark plus tables (markdown-it-py), raw HTML escaped unless allowed,
always sanitized with nh3; links other than http(s), mailto and relative ones are dropped."""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {"p", "a", "em", "strong", "b", "i", "span", "code", "pre", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "hr", "br",
        "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_BAD_LINK = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)


def _link_ok(url: str) -> bool:
    return not _BAD_LINK.match(url)


def markdown(text: str, allow_html: bool = False) -> Markup:
    """CommonMark + tables to HTML; raw HTML escaped unless ``allow_html``; always sanitized."""
    md = MarkdownIt("commonmark", {"html": bool(allow_html)}).enable("table")
    md.validateLink = _link_ok
    html = md.render(text)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                      filter_style_properties={"text-align"}, link_rel="noopener noreferrer",
                      clean_content_tags={"script", "style"}, strip_comments=True)
    return Markup(clean)

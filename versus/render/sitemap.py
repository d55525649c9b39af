"""sitemap.xml and robots.txt."""
from __future__ import annotations

from . import safeout


def sitemap(base_url: str, urls: list[str], lastmod: dict[str, str]) -> str:
    """``sitemap.xml``, built with ElementTree (:func:`versus.render.safeout.sitemap`: ``&`` and ``<`` escaped);
    ``lastmod``: each page's date (its funds' common last close) by URL."""
    return safeout.sitemap(base_url, urls, lastmod)


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"

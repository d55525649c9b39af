"""sitemap.xml and robots.txt."""
from __future__ import annotations


def sitemap(base_url: str, urls: list[str], lastmod: str | dict[str, str]) -> str:
    """``lastmod``: the build's date, or each page's (its funds' common last close) by URL."""
    dates = lastmod if isinstance(lastmod, dict) else {}
    items = "".join(
        f"  <url><loc>{base_url}{u}</loc><lastmod>{dates.get(u, lastmod if not dates else '')}</lastmod></url>\n"
        for u in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + items + "</urlset>\n"
    )


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"

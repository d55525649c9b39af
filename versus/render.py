"""Render: pages (Jinja), the JSON API, sitemap and robots.txt, static assets.

Pages never compute: every figure arrives here already in the view-models built by
:mod:`versus.pipeline`; templates only loop and format.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import fmt

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"


def make_env(templates: Path = TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(fmt.FILTERS)
    env.filters["json_script"] = json_script
    return env


def json_script(value) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped."""
    from markupsafe import Markup

    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def dumps(obj) -> str:
    """The API's JSON format: sorted keys, two-space indent, UTF-8, trailing newline."""
    return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Writer:
    """Writes files under ``out`` and remembers them (for the sitemap and the report)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.written: list[Path] = []

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            text = text.encode("utf-8")
        path.write_bytes(text)
        self.written.append(path)
        return path

    def copy_static(self, src: Path = STATIC) -> None:
        for f in sorted(src.rglob("*")):
            if f.is_file():
                rel = Path("static") / f.relative_to(src)
                dest = self.out / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
                self.written.append(dest)


def page_path(url: str) -> str:
    """Pretty URL -> file: '' -> index.html, 'qqq-vs-iwm/' -> qqq-vs-iwm/index.html."""
    return (url + "index.html") if url.endswith("/") or url == "" else url


def root_prefix(url: str) -> str:
    """Relative prefix from a page back to the site root ('' -> './', 'a/b/' -> '../../')."""
    depth = url.count("/")
    return "./" if depth == 0 else "../" * depth


def sitemap(base_url: str, urls: list[str], lastmod: str) -> str:
    items = "".join(
        f"  <url><loc>{base_url}{u}</loc><lastmod>{lastmod}</lastmod></url>\n" for u in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + items + "</urlset>\n"
    )


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"

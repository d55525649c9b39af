"""The render stage: the Jinja environment (:mod:`.env`, with the CSP), the writer and the API's JSON
format (:mod:`.writer`), sitemap and robots.txt (:mod:`.sitemap`) and the Atom feed (:mod:`.feed`)."""
from __future__ import annotations

from .env import CSP, STATIC, TEMPLATES, json_script, make_env
from .sitemap import robots, sitemap
from .writer import Writer, dumps, page_path, root_prefix

__all__ = ["CSP", "STATIC", "TEMPLATES", "json_script", "make_env", "robots", "sitemap", "Writer", "dumps",
           "page_path", "root_prefix"]

"""The names an editor may quote on a page (``python build.py names``, the preview's /reference/)."""
from __future__ import annotations

from .. import content
from ..config import pair_slug
from ..errors import ConfigError
from ..util import suggest
from .pair import PairPages


def pages(site) -> dict[str, tuple[str, str]]:
    """Every page with commentary: key (``qqq-vs-iwm``, ``qqq``, ``index``) -> (title, URL)."""
    out = {"index": ("the index page", "")}
    out.update({pair_slug(a, b): (f"{a} vs {b}", f"{pair_slug(a, b)}/") for a, b in site.cfg.pairs})
    out.update({t.lower(): (t, f"funds/{t.lower()}/") for t in site.cfg.funds})
    return out


def page_key(site, page: str | None) -> str:
    """``page`` as a key of :func:`pages`: a pair (``QQQ-vs-IWM``, ``qqq vs iwm``, ``QQQ/IWM``), a fund
    or nothing (the index); ConfigError with the nearest page otherwise."""
    known = pages(site)
    if not page:
        return "index"
    key = "-vs-".join(page.strip().lower().replace("/", " vs ").replace("-vs-", " vs ").replace(" vs ", " ").split())
    if key not in known:
        raise ConfigError(f"names: no page {page!r} (a pair such as 'QQQ-vs-IWM' or a fund such as 'QQQ' of "
                          f"{site.cfg.path.name}){suggest(key, known)}")
    return key


def names(site, key: str) -> dict:
    """The flat names (``dotted.path -> value``) of the page ``key`` (of :func:`pages`)."""
    if key in pages(site) and "-vs-" in key:
        i = [pair_slug(a, b) for a, b in site.cfg.pairs].index(key)
        flat = PairPages(site).names(i)
        own = tuple(f"{t}." for t in site.cfg.pairs[i]) + ("pair.", "facts.")
        return {k: flat[k] for k in sorted(flat, key=lambda k: not k.startswith(own))}  # the page's own first
    flat = content.names(site.funds)
    own = f"{key.upper()}."
    return {k: flat[k] for k in sorted(flat, key=lambda k: not k.startswith(own))}

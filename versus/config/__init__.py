"""``site.toml``: what to publish (:mod:`.site`: funds, explicit pairs and groups, options) and the
rules that generate pairs and groups from the fund categories (:mod:`.rules`)."""
from __future__ import annotations

from .rules import GROUP_RULES, PAIR_RULES, Rule, Universe, expand
from .site import (
    DEFAULT_CONFIG, FUNDS_FILE, OPTION_KEYS, SNAPSHOT_DIR, STORE_DIR, TOP_KEYS, SiteConfig, decode_text, group_slug,
    load_config, load_toml, pair_slug, site_path,
)

__all__ = ["DEFAULT_CONFIG", "FUNDS_FILE", "OPTION_KEYS", "SNAPSHOT_DIR", "STORE_DIR", "TOP_KEYS", "SiteConfig",
           "decode_text", "load_toml", "group_slug", "load_config", "pair_slug", "site_path", "GROUP_RULES", "PAIR_RULES", "Rule", "Universe",
           "expand"]

"""The pages a site publishes: the explicit pairs and groups of ``site.toml`` and those its ``[[rules]]``
make from the fund categories of ``data/funds.toml`` (:func:`versus.config.expand`)."""
from __future__ import annotations

from pathlib import Path

from ..config import expand
from ..data.funds import DEFAULT_PATH, load_funds


def expand_rules(cfg, funds_path: Path | None = None):
    """``cfg`` with the pairs and groups of its rules added (``cfg`` itself when it has none)."""
    if not cfg.rules:
        return cfg
    curated = load_funds(funds_path or cfg.site_path(DEFAULT_PATH))
    return expand(cfg, curated.universe())


def summary(cfg, source) -> str:
    """``63 funds, 160 pairs, 10 groups from site.toml (151 pairs and 8 groups from rules)``."""
    pairs, groups = cfg.from_rules
    extra = f" ({pairs} pairs and {groups} groups from rules)" if pairs or groups else ""
    return f"{len(cfg.funds)} funds, {len(cfg.pairs)} pairs, {len(cfg.groups)} groups from {source}{extra}"

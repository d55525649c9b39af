"""The pages a site publishes: the explicit pairs and groups of ``site.toml`` and those its ``[[rules]]``
make from the fund categories of ``data/funds.toml`` (:func:`versus.config.expand`)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from ..config import expand
from ..data.funds import DEFAULT_PATH, load_funds


def expand_rules(cfg, funds_path: Path | None = None):
    """``cfg`` with the pairs and groups of its rules added (``cfg`` itself when it has none)."""
    if not cfg.rules:
        return cfg
    curated = load_funds(funds_path or cfg.site_path(DEFAULT_PATH))
    return expand(cfg, curated.universe())


def trading(cfg, funds: set[str], funds_path: Path | None = None):
    """``cfg`` as of a date when only ``funds`` had started trading: the others left out with every pair that
    shows one; a group keeps its funds that trade (dropped when fewer than 2 remain, or when another group
    has the same funds); the rules expanded again over the funds that trade, so no rule picks a fund that
    did not exist yet (``cfg`` itself when every fund trades)."""
    base = cfg.unexpanded or cfg
    if all(t in funds for t in base.funds):
        return cfg
    groups, seen = [], set()
    for g in base.groups:
        kept = tuple(t for t in g if t in funds)
        if len(kept) >= 2 and frozenset(kept) not in seen:
            seen.add(frozenset(kept))
            groups.append(kept)
    cut = dataclasses.replace(base, funds=[t for t in base.funds if t in funds],
                              pairs=[p for p in base.pairs if all(t in funds for t in p)], groups=groups)
    return expand_rules(cut, funds_path)


def summary(cfg, source) -> str:
    """``63 funds, 160 pairs, 10 groups from site.toml (151 pairs and 8 groups from rules)``."""
    pairs, groups = cfg.from_rules
    extra = f" ({pairs} pairs and {groups} groups from rules)" if pairs or groups else ""
    return f"{len(cfg.funds)} funds, {len(cfg.pairs)} pairs, {len(cfg.groups)} groups from {source}{extra}"

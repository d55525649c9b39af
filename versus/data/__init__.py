"""The data stage: market data validated and cut at the as-of date, the freshness policy of live
builds, and the curated fund facts (``data/funds.toml``) merged with live ones.

- :mod:`.validate`: every rule a price or dividend series must pass (:data:`MAX_GAP_DAYS`, :data:`MAX_DAILY_MOVE`);
- :mod:`.asof`: the as-of cut (:func:`prepare`) and each fund's :class:`Freshness`;
- :mod:`.freshness`: the NYSE-calendar policy of ``--live`` builds (expected session, banner, exit 7);
- :mod:`.funds`: ``data/funds.toml`` and its overlay with live values.
"""
from __future__ import annotations

from .asof import Freshness, Prepared, common_end, prepare
from .validate import MAX_DAILY_MOVE, MAX_GAP_DAYS, validate

__all__ = ["Freshness", "Prepared", "common_end", "prepare", "validate", "MAX_GAP_DAYS", "MAX_DAILY_MOVE"]

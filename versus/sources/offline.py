"""The editors' commands' data: a data store or the embedded snapshot, never the network."""
from __future__ import annotations

from ..config import SNAPSHOT_DIR
from . import MarketData
from .cache import CacheSource
from .snapshot import SnapshotSource


def offline(cfg, store=None, tickers: list[str] | None = None) -> MarketData:
    """The prices and fund metadata of ``tickers`` (default: the config's) without the network: a data store
    (``--store DIR``) if given, else the embedded snapshot beside the config (the editors' commands)."""
    if store is not None:
        return CacheSource(store).load(tickers or cfg.funds)
    return SnapshotSource(cfg.site_path(SNAPSHOT_DIR)).load(tickers or cfg.funds)

"""The embedded snapshot: real daily data shipped in ``data/snapshot/`` (no network)."""
from __future__ import annotations

from pathlib import Path

from ..config import SNAPSHOT_DIR
from ..errors import DataError, some
from . import MarketData
from .store import read_store

DEFAULT_DIR = SNAPSHOT_DIR


class SnapshotSource:
    name = "snapshot"

    def __init__(self, folder: Path = DEFAULT_DIR):
        self.folder = Path(folder)

    def load(self, tickers: list[str]) -> MarketData:
        try:
            md = read_store(self.folder, tickers, "embedded snapshot (see data/snapshot/SOURCES.md)")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{self.folder}: cannot read the snapshot ({' '.join(str(exc).split())[:300]})") \
                from None
        missing = [t for t in tickers if t not in md.adj_close.columns]
        if missing:
            raise DataError(f"{some(missing)}: not in the embedded snapshot ({self.folder})")
        return md

"""The embedded snapshot: real daily data shipped in ``data/snapshot/`` (no network)."""
from __future__ import annotations

import re
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

    def load(self, tickers: list[str], config: Path | None = None) -> MarketData:
        """The ``tickers``' data; a ticker the snapshot lacks is a one-line :class:`DataError` naming the fix
        (and, given the site's ``config``, the file:line that lists it)."""
        try:
            md = read_store(self.folder, tickers, "embedded snapshot (see data/snapshot/SOURCES.md)")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{self.folder}: cannot read the snapshot ({' '.join(str(exc).split())[:300]})") \
                from None
        missing = [t for t in tickers if t not in md.adj_close.columns]
        if missing:
            it = "it" if len(missing) == 1 else "them"
            where = _listed_at(config, missing[0]) if config else ""
            raise DataError(f"{where}{some(missing)}: not in the embedded snapshot ({self.folder}); fetch {it} "
                            f"once with `python build.py --live`, then embed {it} with `python build.py snapshot`")
        return md


def _listed_at(config: Path, ticker: str) -> str:
    """``"site.toml:12: "``, the first line of ``config`` that lists ``ticker`` (quoted), or ``""``."""
    try:
        lines = Path(config).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    needle = re.compile(rf"""["']{re.escape(ticker)}["']""", re.I)
    line = next((i for i, text in enumerate(lines, 1) if needle.search(text.split("#")[0])), None)
    return f"{config}:{line}: " if line else ""

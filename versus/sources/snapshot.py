"""The embedded snapshot: real daily data shipped in ``data/snapshot/`` (no network).

Readers see where it came from as a name, a date and links, never a repository path: the label says
"Yahoo Finance daily closes via public GitHub repositories, read <latest commit date>", and the
methodology page lists each repository of ``SOURCES.md``'s "Source repositories" table with a link to
the commit the files were read at (:func:`origins`).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..config import SNAPSHOT_DIR
from ..errors import DataError, some
from . import YAHOO, MarketData
from .store import read_store

DEFAULT_DIR = SNAPSHOT_DIR
LABEL = "Yahoo Finance daily closes via public GitHub repositories"

# | KEY | owner/repo | 40-hex commit (... YYYY-MM-DD ...) | used for |
_ROW = re.compile(r"^\|\s*(?P<key>[A-Z0-9]+)\s*\|\s*(?P<repo>[\w.-]+/[\w.-]+)\s*\|\s*(?P<commit>[0-9a-f]{40})"
                  r"\s*(?P<when>[^|]*)\|\s*(?P<used>[^|]*)\|\s*$")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ADJ = re.compile(r"\badj_close\b")  # the table's column name, in words for readers


def origins(sources_md: Path) -> list[dict]:
    """The repositories of ``SOURCES.md``'s table (key, repository, commit, date, used for), each with a
    link to the commit it was read at; empty when the file or the table is missing."""
    try:
        text = sources_md.read_text(encoding="utf-8")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        row = _ROW.match(line.strip())
        if not row:
            continue
        day = _DATE.search(row["when"])
        out.append({"key": row["key"], "name": row["repo"], "date": day.group(0) if day else None,
                    "url": f"https://github.com/{row['repo']}/tree/{row['commit']}",
                    "used_for": _ADJ.sub("dividend-adjusted close", row["used"].strip())})
    return out


def label(found: list[dict]) -> str:
    """The page's one-line source: readable, with the date of the latest repository read."""
    days = [o["date"] for o in found if o["date"]]
    if not days:
        return LABEL
    return f"{LABEL}, files of {pd.Timestamp(max(days)).strftime('%-d %b %Y')}"


class SnapshotSource:
    name = "snapshot"

    def __init__(self, folder: Path = DEFAULT_DIR):
        self.folder = Path(folder)

    def load(self, tickers: list[str], config: Path | None = None) -> MarketData:
        """The ``tickers``' data; a ticker the snapshot lacks is a one-line :class:`DataError` naming the fix
        (and, given the site's ``config``, the file:line that lists it)."""
        found = origins(self.folder / "SOURCES.md")
        try:
            md = read_store(self.folder, tickers, label(found))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{self.folder}: cannot read the snapshot ({' '.join(str(exc).split())[:300]})") \
                from None
        missing = [t for t in tickers if t not in md.adj_close.columns]
        if missing:
            it = "it" if len(missing) == 1 else "them"
            where = _listed_at(config, missing[0]) if config else ""
            raise DataError(f"{where}{some(missing)}: not in the embedded snapshot ({self.folder}); fetch {it} "
                            f"once with `python build.py --live`, then embed {it} with `python build.py snapshot`")
        md.origins = [dict(YAHOO, used_for="every price and dividend: Yahoo Finance's, as kept by the repositories "
                                           "below (daily closes, dividend-adjusted closes, dividends)")] + found
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

"""The previous build's output, read before the new site replaces it: its API documents (what changed,
:mod:`versus.facts.changes`) and its feed (carried over, :mod:`versus.render.feed`)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Previous:
    """An earlier build's API documents (``rel path -> doc``) and feed text."""

    root: Path | None = None
    docs: dict[str, dict] = field(default_factory=dict)
    feed: str | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, root: Path | None) -> "Previous":
        """Read what exists under ``root``; unreadable files are skipped and named in ``problems``."""
        prev = cls(root)
        if root is None or not (Path(root) / "api").is_dir():
            return prev
        root = Path(root)
        for path in sorted((root / "api").rglob("*.json")):
            rel = path.relative_to(root).as_posix()
            try:
                prev.docs[rel] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                prev.problems.append(f"{path}: previous build's file unreadable, not compared ({exc})")
        feed = root / "feed.xml"
        if feed.is_file():
            try:
                prev.feed = feed.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                prev.problems.append(f"{feed}: previous feed unreadable, starting a new one ({exc})")
        return prev

    @property
    def as_of(self) -> str | None:
        return (self.docs.get("api/index.json") or {}).get("as_of")

"""The previous build's output, read before the new site replaces it: its API documents (what changed,
:mod:`versus.facts.changes`) and its feed (carried over, :mod:`versus.render.feed`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..sources.readback import Unexpected, load_json, read_text
from . import readback


@dataclass
class Previous:
    """An earlier build's API documents (``rel path -> doc``) and feed text."""

    root: Path | None = None
    docs: dict[str, dict] = field(default_factory=dict)
    feed: str | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, root: Path | None) -> "Previous":
        """Read what is used from under ``root``: ``api/index.json``, ``api/pairs/*.json`` and ``feed.xml``.
        They are input like any other (another tool, an edit, a truncated copy may have written them): each is
        validated (:mod:`versus.build.readback`), and anything unexpected is skipped and named in ``problems``."""
        prev = cls(root)
        if root is None or not (Path(root) / "api").is_dir():
            return prev
        root = Path(root)
        paths = [root / "api" / "index.json"] + sorted((root / "api" / "pairs").glob("*.json"))
        for path in paths:
            if not path.exists() and not path.is_symlink():
                continue
            rel = path.relative_to(root).as_posix()
            try:
                doc = load_json(read_text(path))
                (readback.index_doc if rel == "api/index.json" else readback.pair_doc)(doc)
            except (OSError, Unexpected) as exc:
                prev.problems.append(f"{path}: previous build's file ignored, not compared "
                                     f"({getattr(exc, 'strerror', None) or exc})")
                continue
            prev.docs[rel] = doc
        prev._read_feed(root / "feed.xml")
        return prev

    def _read_feed(self, feed: Path) -> None:
        """The previous feed, reduced to the entries versus wrote (:func:`versus.build.readback.feed_text`)."""
        if not feed.exists() and not feed.is_symlink():
            return
        try:
            self.feed, dropped = readback.feed_text(read_text(feed))
        except (OSError, Unexpected) as exc:
            self.feed, dropped = None, [f"unreadable ({getattr(exc, 'strerror', None) or exc}); starting a new one"]
        self.problems += [f"{feed}: previous feed: {d}" for d in dropped]

    @property
    def as_of(self) -> str | None:
        return (self.docs.get("api/index.json") or {}).get("as_of")

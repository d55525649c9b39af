"""The previous build, read before the new site replaces it: its API documents (what changed,
:mod:`versus.facts.changes`) and its feed (carried over, :mod:`versus.render.feed`).

It is the previous output folder when there is one.  A fresh runner (the publish workflow) starts
with an empty output folder, so a live build also keeps what the next build needs in the data store,
which persists on the ``data`` branch: ``history.json`` = the published as-of date, each pair
document's :func:`~versus.facts.changes.essentials` (each group's under ``groups``) and the feed (at most
:data:`versus.render.feed.MAX_ENTRIES` entries).  It is written only after a live build that exits
0 (what was published), never by an offline build from the store, and is not part of the store's
manifest: a damaged history is a note and a fresh start of "what changed", never a failed publish.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..sources.readback import Unexpected, load_json, read_text
from . import readback

HISTORY = "history.json"
HISTORY_FORMAT = 1


@dataclass
class Previous:
    """An earlier build's API documents (``rel path -> doc``) and feed text."""

    root: Path | None = None
    docs: dict[str, dict] = field(default_factory=dict)
    feed: str | None = None
    problems: list[str] = field(default_factory=list)  # warnings
    notes: list[str] = field(default_factory=list)     # information (the store's history was unusable)

    @classmethod
    def read(cls, root: Path | None) -> "Previous":
        """Read what is used from under ``root``: ``api/index.json``, ``api/pairs/*.json`` and ``feed.xml``.
        They are input like any other (another tool, an edit, a truncated copy may have written them): each is
        validated (:mod:`versus.build.readback`), and anything unexpected is skipped and named in ``problems``."""
        prev = cls(root)
        if root is None or not (Path(root) / "api").is_dir():
            return prev
        root = Path(root)
        paths = ([root / "api" / "index.json"] + sorted((root / "api" / "pairs").glob("*.json"))
                 + sorted((root / "api" / "groups").glob("*.json")))
        for path in paths:
            if not path.exists() and not path.is_symlink():
                continue
            rel = path.relative_to(root).as_posix()
            try:
                doc = load_json(read_text(path))
                (readback.index_doc if rel == "api/index.json" else
                 readback.group_doc if rel.startswith("api/groups/") else readback.pair_doc)(doc)
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
    @classmethod
    def from_history(cls, store: Path | None) -> "Previous":
        """The data store's ``history.json`` (nothing when there is none; a note when it is unusable)."""
        prev = cls(None)
        path = Path(store) / HISTORY if store is not None else None
        if path is None or not path.is_file():
            return prev
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict) or doc.get("format") != HISTORY_FORMAT:
                raise ValueError(f"format {doc.get('format') if isinstance(doc, dict) else None!r}, "
                                 f"expected {HISTORY_FORMAT}")
            pairs, groups, feed, as_of = doc["pairs"], doc.get("groups", {}), doc.get("feed"), doc["as_of"]
            if not (isinstance(pairs, dict) and isinstance(groups, dict)
                    and all(isinstance(d, dict) for d in [*pairs.values(), *groups.values()])
                    and isinstance(as_of, str) and isinstance(feed, (str, type(None)))):
                raise ValueError("unexpected contents")
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
            prev.notes.append(f"{path}: unusable ({str(exc).splitlines()[0]}); what changed and the feed start "
                              "again from this build")
            return prev
        prev.root = path
        if feed is not None:  # the stored feed is input like the output folder's: only versus's entries
            prev.feed, dropped = readback.feed_text(feed)
            prev.notes += [f"{path}: stored feed: {d}" for d in dropped]
        prev.docs = {**pairs, **groups, "api/index.json": {"as_of": as_of}}
        return prev

    @classmethod
    def choose(cls, previous: Path | None, out: Path, store: Path | None, as_of: str) -> "Previous":
        """``--previous DIR`` when given; else the output folder's site or the store's history, whichever
        is the later build not after ``as_of`` (the output folder on a tie)."""
        if previous is not None:
            return cls.read(previous)
        here, kept = cls.read(out), cls.from_history(store)
        if kept.as_of and kept.as_of <= as_of and (not here.as_of or here.as_of > as_of or here.as_of < kept.as_of):
            return kept
        here.notes += kept.notes
        return here

    @property
    def as_of(self) -> str | None:
        return (self.docs.get("api/index.json") or {}).get("as_of")


def save_history(store: Path, result, say=print) -> None:
    """After a live build that published ``result.out``: keep its figures and feed in ``store/history.json``
    (atomically; a failure is reported and changes nothing else).  What is kept comes from the build itself
    (``result.history``: each pair's :func:`~versus.facts.changes.essentials`, each group's
    :func:`~versus.facts.changes.group_essentials` and its own feed), not read back."""
    from ..sources.store import _atomic_write_bytes

    kept = result.history
    if not kept or not kept.get("as_of"):
        return
    doc = {"format": HISTORY_FORMAT, "as_of": kept["as_of"], "feed": kept.get("feed"),
           "pairs": dict(sorted(kept["pairs"].items())), "groups": dict(sorted(kept.get("groups", {}).items()))}
    try:
        _atomic_write_bytes(Path(store) / HISTORY, (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode())
    except OSError as exc:
        say(f"warning: {Path(store) / HISTORY}: not written ({exc.strerror}); the next build on a fresh runner "
            "will not list what changed")

"""The no-change fast path: skip a snapshot build whose inputs are byte-identical to the last one.

Imports nothing heavy (no pandas, no altair), so ``python build.py`` on unchanged inputs answers
in well under a second.  The inputs are every file the output depends on (config, fund facts,
commentary, templates and overrides, static files, the embedded snapshot, the installed package's
code and data, the pinned versions beside the config when there are, the installed library versions,
the git commit recorded in build.json) plus every command-line argument that can change the output
or the exit status (:func:`outcome_args`: ``--strict``, ``--claims``, …).  Their SHA-256 is stored in
``build.json`` as ``inputs_sha256``.  A build that raised warnings is never skipped (``--strict``
must exit 6 again).  Live builds (``--live``, ``--store``, ``--today``) never take this path: their
data comes from outside.
"""
from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from .. import resources
from ..config import FUNDS_FILE, SNAPSHOT_DIR, site_path
from .report import git_commit, versions



def _files(path: Path):
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


NOT_OUTCOME = frozenset({"quiet", "out", "inputs_sha256", "command", "command_module", "shard", "shard_kn",
                         "merge"})
"""Arguments that change neither the site nor the exit status (``--out`` is where build.json is read; a
shard writes no ``inputs_sha256``, and a merge records the unsharded build's)."""


def outcome_args(args) -> dict[str, str]:
    """Every argument but :data:`NOT_OUTCOME` (``--strict``, ``--claims``, ``--as-of``, ``--previous``, …;
    an option added later is in by default)."""
    return {k: str(v) for k, v in sorted(vars(args).items()) if k not in NOT_OUTCOME}


def inputs_hash(args) -> str | None:
    """SHA-256 over the build's inputs, or None when this build cannot be skipped."""
    if getattr(args, "live", False) or getattr(args, "store", None) or getattr(args, "today", None) \
            or getattr(args, "check", False):
        return None
    config = Path(args.config).resolve()
    folder = config.parent
    try:
        options = tomllib.loads(config.read_text(encoding="utf-8")).get("options", {})
    except (OSError, ValueError, RecursionError):
        return None  # let the real build report the problem
    overrides = options.get("templates") if isinstance(options, dict) else None
    sources = [config, site_path(folder, FUNDS_FILE), folder / "content", site_path(folder, SNAPSHOT_DIR),
               resources.package(), resources.templates(), resources.static()]
    sources += [folder / name for name in ("build.py", "constraints.txt", "pyproject.toml")]
    if isinstance(overrides, str):
        sources.append((folder / overrides).resolve())
    h = hashlib.sha256()
    h.update(json.dumps([outcome_args(args), str(config), git_commit(folder), versions()]).encode())
    for src in sources:
        for f in _files(src):
            h.update(str(f.relative_to(folder) if f.is_relative_to(folder) else f).encode() + b"\0")
            h.update(f.read_bytes() + b"\0")
    return h.hexdigest()


def up_to_date(out: Path, digest: str | None) -> bool:
    """True when ``out/build.json`` records exactly ``digest``, the site's index is there and that build raised
    no warning (a build with warnings runs again: it prints them, and ``--strict`` exits 6 again)."""
    if digest is None:
        return False
    path = Path(out) / "build.json"
    try:  # a previous output is input too: anything unexpected there means "build"
        if path.stat().st_size > 32 << 20:
            return False
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return (isinstance(doc, dict) and doc.get("generator") == "versus" and doc.get("inputs_sha256") == digest
            and not doc.get("warnings") and (Path(out) / "index.html").is_file())

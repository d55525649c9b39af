"""The output folder: which folders a build may replace, and one build at a time per folder.

The site is written into a temporary sibling folder and swapped into ``--out`` wholesale, so
whatever ``--out`` held before is deleted.  :func:`check` refuses, before anything is computed:

* a file (or a path under a file);
* a folder holding the site's folder (the one holding ``site.toml``), the current folder or the
  installed ``versus`` package (``--out .``, ``--out ..``);
* inside a source checkout of versus (the repository versus runs from, e.g. an editable install), any
  folder except its ``site/`` (``--out templates``, ``--out data``); an installed package's folder,
  and anything inside it;
* an input of the build: the site's commentary folder, fund facts, snapshot and data store (beside
  ``site.toml``), its template overrides, the built-in templates and static files (or a folder holding
  one of them, or one inside them);
* an existing folder that versus did not build: only an empty folder, or one whose ``build.json``
  carries versus's signature (:data:`SIGNATURE`, written by every build since this check exists; older
  builds are recognised by their ``versions.versus`` entry) may be replaced.

A site's own folder (a folder of site files, with no versus code) is protected by the last two rules:
its inputs are never an output, and anything else in it that is not empty must be a site versus built.

:class:`Lock` makes two builds into the same folder exclude each other: a lock file beside the output
(``.<name>.lock``, ``flock``-ed, holding the pid), taken before the start-up cleanup and held until the
swap is done.  Taking it is also the check that the output's parent folder can be written.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import time
from pathlib import Path

from .. import resources
from ..errors import OutputError

SIGNATURE = {"generator": "versus"}
"""The mark in ``build.json`` that says versus built the folder (its keys are added to build.json)."""
MAX_BUILD_JSON = 32 << 20
"""A build.json larger than this is not read (not versus's)."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def checkout() -> Path | None:
    """The source checkout versus runs from (the folder holding the ``versus`` package and its
    ``pyproject.toml``: an editable install, or ``python build.py`` in the repository), else None (an
    installed package)."""
    root = resources.package().resolve().parent
    return root if (root / "pyproject.toml").is_file() else None


def signed(folder: Path) -> str | None:
    """``None`` when ``folder/build.json`` carries versus's signature, else why not (for messages)."""
    path = Path(folder) / "build.json"
    try:
        if path.is_symlink() or not path.is_file():
            return "no build.json"
        if path.stat().st_size > MAX_BUILD_JSON:
            return "its build.json is not versus's (too large)"
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return "its build.json is unreadable"
    if not isinstance(doc, dict):
        return "its build.json is not versus's"
    if all(doc.get(k) == v for k, v in SIGNATURE.items()):
        return None
    versions = doc.get("versions")  # a build made before the signature existed
    if isinstance(versions, dict) and isinstance(versions.get("versus"), str) and isinstance(doc.get("pages"), (list, dict)):
        return None
    return "its build.json has no versus signature"


def _sample(folder: Path, n: int = 3) -> str:
    try:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir())
    except OSError:
        return ""
    more = f", … ({len(names)} entries)" if len(names) > n else ""
    return f"; it holds {', '.join(names[:n])}{more}" if names else ""


def check(out: Path, config: Path | None = None, inputs: list[Path] | tuple = ()) -> Path:
    """Raise :class:`OutputError` (exit 5) naming ``out`` and why, unless a build may replace it.
    ``config``: the site's ``site.toml`` (its folder is never replaced); ``inputs``: files and folders the
    build reads (commentary, fund facts, snapshot, template overrides, data store; the built-in templates
    and static files are added here).  Returns ``out`` resolved."""
    shown = out
    out = Path(out).resolve()
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            raise OutputError(f"--out {shown}: {'it' if path == out else path} is a file, not a folder")
    _protected(out, shown, config)
    code = resources.package().resolve()
    for folder in [*inputs, resources.templates(), resources.static(), code]:
        if folder is None:
            continue
        folder = Path(folder).resolve()
        if _inside(out, folder) or _inside(folder, out):
            raise OutputError(f"--out {shown}: {'is' if out == folder else 'overlaps'} {folder}, which the build "
                              "reads (commentary, fund facts, data, templates or the data store)")
    if out.is_dir():
        _replaceable(out, shown)
    return out


def _protected(out: Path, shown, config: Path | None) -> None:
    """``out`` must not hold the site's folder, the current folder or the versus code, nor lie in a source
    checkout of versus other than as its ``site/``."""
    root = checkout()
    keep = [Path.cwd().resolve(), resources.package().resolve().parent]
    keep += [Path(config).resolve().parent] if config is not None else []
    for k in keep:
        if _inside(k, out):
            raise OutputError(f"--out {shown}: would replace {k} (the output folder is deleted and rewritten "
                              "on every build)")
    if root is not None and _inside(out, root) and out != root / "site":
        raise OutputError(f"--out {shown}: inside the versus project ({root}), where the only output folder "
                          "allowed is site/ (the build replaces the folder wholesale)")


def _replaceable(out: Path, shown) -> None:
    """An existing folder may be replaced when it is empty or a site versus built."""
    try:
        empty = not any(out.iterdir())
    except OSError as exc:
        raise OutputError(f"--out {shown}: cannot read the folder ({exc.strerror or exc})") from None
    if not empty:
        why = signed(out)
        if why is not None:
            raise OutputError(f"--out {shown}: not a site versus built ({why}{_sample(out)}); the build "
                              "replaces the whole folder, so it refuses: choose an empty or new folder")


class Lock:
    """``.<out>.lock`` beside the output, held (``flock``) by the build writing ``out``.

    Re-entrant within a process (the CLI takes it before loading data, the pipeline again around
    the write).  ``wait``: seconds to wait for another build to finish; 0 = refuse at once."""

    _held: dict[Path, list] = {}  # path -> [fd, depth]

    def __init__(self, out: Path, wait: float = 0.0):
        out = Path(out).resolve()
        self.out = out
        self.path = out.parent / f".{out.name}.lock"
        self.wait = max(0.0, float(wait))

    def __enter__(self) -> "Lock":
        held = Lock._held.get(self.path)
        if held is not None:
            held[1] += 1
            return self
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot create the output folder's parent ({exc.strerror or exc})") from None
        deadline = time.monotonic() + self.wait
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise OutputError(f"{self.out}: cannot lock the output folder ({exc.strerror or exc})") from None
                if time.monotonic() >= deadline:
                    raise OutputError(self._busy()) from None
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())) or 0.01)
                continue
            try:  # the file may have been removed (and re-created) by the build that held it: lock the current one
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            Lock._held[self.path] = [fd, 1]
            return self

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise OutputError(f"{self.out}: cannot write beside the output folder ({exc.strerror or exc}: "
                              f"{self.path})") from None

    def _busy(self) -> str:
        try:
            pid = self.path.read_text().strip()
        except OSError:
            pid = ""
        who = f"another build (pid {pid})" if pid.isdigit() else "another build"
        waited = f" (waited {self.wait:g}s)" if self.wait else ""
        return (f"{who} is writing {self.out}{waited}; run again when it is done, or pass --wait SECONDS "
                "to wait for it")

    def __exit__(self, *exc) -> None:
        held = Lock._held.get(self.path)
        if held is None:
            return
        held[1] -= 1
        if held[1] > 0:
            return
        del Lock._held[self.path]
        try:
            self.path.unlink()  # while still holding it: a build waiting on this file re-checks the inode
        except OSError:
            pass
        os.close(held[0])


"""The output folder: written into a temporary sibling, swapped into place only when everything
succeeded; what a killed build left is recovered by the next one."""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import OutputError
from ..render import writer
from ..render.writer import Writer, dumps, page_path
from . import lastresort
from .outdir import check, signed


def recover_output(out: Path) -> list[str]:
    """Tidy up after a build that was killed while writing ``out`` (call before reading the previous site).

    A killed build leaves its temporary sibling folder (``.<out>.tmp-*``) and, if it died between the
    two renames of the swap, the previous site set aside as ``.<out>.old-<pid>`` with ``out`` missing:
    that previous site is put back, every other leftover is deleted.  Returns what was done, for tests.
    The caller holds the output's lock (:class:`versus.build.outdir.Lock`): another build's folders are never
    touched.  A ``.<out>.old-*`` folder that is not a site versus built is left alone.
    """
    out = Path(out).resolve()
    done: list[str] = []
    try:
        parent = out.parent
        if not parent.is_dir():
            return done
        # a previous site set aside is a real folder holding a site versus built (never a symlink, never a
        # folder versus did not build: those are left alone)
        olds = [p for p in sorted(parent.glob(f".{out.name}.old-*")) if p.is_symlink() or not p.is_dir()
                or signed(p) is None]
        sites = [p for p in olds if p.is_dir() and not p.is_symlink()]
        if not out.exists() and not out.is_symlink() and len(sites) == 1:
            os.replace(sites[0], out)
            done.append(f"restored {out} from {sites[0].name}")
            olds.remove(sites[0])
        for stale in sorted(parent.glob(f".{out.name}.tmp-*")) + olds:
            if stale.is_symlink() or not stale.is_dir():
                stale.unlink()  # a link is removed, never followed
            else:
                shutil.rmtree(stale, ignore_errors=True)
            done.append(f"removed {stale.name}")
    except OSError:
        pass  # best effort: the build itself reports an output folder it cannot write
    return done


class LinkingWriter(Writer):
    """A :class:`Writer` that hard-links a file from the previous output when its bytes are unchanged
    (same inode, mtime kept, no write), so an incremental build writes only what changed."""

    def __init__(self, out: Path, previous: Path | None):
        super().__init__(out)
        self.previous = previous

    def write(self, rel: str, text: str | bytes) -> str:
        data = text.encode("utf-8") if isinstance(text, str) else text
        path = self.path(rel)
        self.folder(path)
        if self.previous is not None and self._same(self.previous / rel, data):
            try:
                os.link(self.previous / rel, path)
            except FileExistsError:
                raise RuntimeError(f"{rel}: written twice in one build") from None
            except OSError:  # another file system, or links not allowed: write it
                self._new(rel, path, data)
        else:
            self._new(rel, path, data)
        self.written.append(path)
        return path

    @staticmethod
    def _new(rel: str, path: str, data: bytes) -> None:
        """Create ``path``: never write through a file already there (it may be a link)."""
        try:
            writer.put(path, data, new=True)  # the module's: every file of the site is written by writer.put
        except FileExistsError:
            raise RuntimeError(f"{rel}: written twice in one build") from None

    @staticmethod
    def _same(old: Path, data: bytes) -> bool:
        try:
            return not old.is_symlink() and old.stat().st_size == len(data) and old.read_bytes() == data
        except OSError:
            return False


class SiteOutput:
    """The build's temporary output folder, a sibling of ``out``: created before the pages, written by the page
    jobs (forked workers inherit it) and by :meth:`finish`, then swapped into ``out``; deleted on failure."""

    def __init__(self, out: Path, tmp: Path):
        self.out, self.tmp = out, tmp
        self.writer = LinkingWriter(tmp, out if out.is_dir() else None)
        self.paths: set[str] = set()  # every file written so far (in the parent's view)

    @classmethod
    def open(cls, out: Path) -> "SiteOutput":
        out = check(out)  # only a missing or empty folder, or one versus built, is ever replaced
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        except OSError as exc:
            raise OutputError(f"{out}: cannot write the output directory ({exc.strerror})") from None
        return cls(out, tmp)

    def failed(self, exc: OSError) -> OutputError:
        return OutputError(f"{self.out}: cannot write the site ({exc.strerror or exc})")

    def write_job(self, pages: dict[str, str], api: dict[str, dict], files: dict[str, str | bytes]) -> list[str]:
        """Write one page job's output (its page, API document, CSV/SVG/PNG files); returns the paths written."""
        rels = []
        try:
            if not self.tmp.is_dir():  # the build was killed and its folder removed: never recreate it
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(self.tmp))
            items = [(page_path(u), h) for u, h in sorted(pages.items())]
            items += [(rel, dumps(doc, rel)) for rel, doc in sorted(api.items())] + sorted(files.items())
            for rel, data in items:
                rels.append(rel)
                self.writer.write(rel, data)
        except OSError as exc:
            raise self.failed(exc) from None
        return rels

    def claim(self, rels: list[str]) -> None:
        """Record files written (by a job); two writers of one path would make the output depend on timing."""
        for rel in rels:
            if rel in self.paths:
                raise RuntimeError(f"{rel}: written twice in one build")
            self.paths.add(rel)

    def finish(self, files: list[tuple[str, str | bytes]], static: bool = True) -> None:
        """Write the static files (unless ``static`` is false: a shard) and ``files`` (the pages and documents
        made in the parent, sitemap, ...), then swap the folder into ``out``."""
        try:
            if static:
                self.writer.copy_static()
            self.claim([rel for rel, _ in files])
            for rel, text in sorted(files):
                self.writer.write(rel, text)
            swap(self.tmp, self.out)
        except OSError as exc:
            raise self.failed(exc) from None

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


def swap(new: Path, out: Path) -> None:
    """Replace ``out`` by ``new``: rename the old one aside, rename the new one in, delete the old.
    Ctrl-C and SIGTERM wait until both renames are done (only SIGKILL can split them: :func:`recover_output`)."""
    with lastresort.critical():
        old = _renames(new, out)
        lastresort.swapped[0] = True
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _renames(new: Path, out: Path) -> Path | None:
    """The two renames of the swap; returns the previous site, set aside (or None)."""
    os.chmod(new, 0o755)
    if not out.exists():
        os.replace(new, out)
        return None
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    try:
        os.replace(new, out)
    except OSError:
        os.replace(old, out)  # put the previous site back before reporting the failure
        raise
    return old

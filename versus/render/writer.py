"""Files of the site: the API's JSON format, page paths, and the writer that puts files under the output."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .. import resources
from . import safeout


def dumps(obj, where: str = "JSON") -> str:
    """The API's JSON format: sorted keys, UTF-8, trailing newline; compact (no indent) for the documents under
    ``api/``, two-space indent for ``build.json``; a NaN or infinity is an error naming ``where``
    (:mod:`versus.render.safeout`), never invalid JSON."""
    return safeout.api_json(obj, where, compact=str(where).startswith("api/"))


class Writer:
    """Writes files under ``out`` and remembers them (for the sitemap and the report)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.root = os.fspath(self.out)  # file paths are joined as text (issue 17: no Path object per file)
        self.written: list[str | Path] = []
        self._folders: set[str] = set()  # made already (a page writes ~15 files into a few folders)

    def folder(self, path: str | Path) -> None:
        """Make ``path``'s folder (and its parents) unless this writer has made it already."""
        parent = os.path.dirname(os.fspath(path))
        if parent not in self._folders:
            os.makedirs(parent, exist_ok=True)
            self._folders.add(parent)

    def path(self, rel: str) -> str:
        """The file ``rel`` (a '/'-separated path under the output) as a path."""
        return f"{self.root}/{rel}"

    def write(self, rel: str, text: str | bytes) -> str:
        path = self.path(rel)
        self.folder(path)
        put(path, text.encode("utf-8") if isinstance(text, str) else text)
        self.written.append(path)
        return path

    def copy_static(self) -> None:
        """The built-in static files (:func:`versus.resources.static_files`) under ``static/``."""
        for rel, f in resources.static_files():
            dest = self.out / "static" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
            self.written.append(dest)


_FLAGS = os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def put(path, data: bytes, new: bool = False) -> None:
    """Write ``data`` to ``path`` (mode 0o666 less the umask, as ``open()``) with one ``open``/``write``/``close``
    and no Python file object (a page job writes ~30 files; issue 17).  ``new``: the file must not exist yet
    (``O_EXCL``: not even as a symlink, which is never followed): :class:`FileExistsError` if it does."""
    fd = os.open(path, _FLAGS | (os.O_EXCL if new else os.O_TRUNC), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def page_path(url: str) -> str:
    """Pretty URL -> file: '' -> index.html, 'qqq-vs-iwm/' -> qqq-vs-iwm/index.html."""
    return (url + "index.html") if url.endswith("/") or url == "" else url


def root_prefix(url: str) -> str:
    """Relative prefix from a page back to the site root ('' -> './', 'a/b/' -> '../../')."""
    depth = url.count("/")
    return "./" if depth == 0 else "../" * depth

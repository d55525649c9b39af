"""Watching the site's sources with watchfiles (inotify on Linux, no polling): ``content/``, the
templates and static files (with their subfolders), ``site.toml`` and ``data/funds.toml``."""
from __future__ import annotations

import queue
import threading
from pathlib import Path

TOP_FILES = {"site.toml", "funds.toml"}
"""The files watched in folders watched without their subfolders (the config's folder, ``data/``)."""
STEP_MS = 30
"""How long watchfiles waits for more changes after one (an editor's save is often several writes)."""


def _editor_noise(path: str) -> bool:
    name = Path(path).name
    return name.startswith((".#", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp", ".preview-tmp")) or name == "4913"


class Watcher:
    """Changed paths from background threads into :attr:`changes` (a queue of sets of paths)."""

    def __init__(self, deep: list[Path], flat: list[Path], config: Path):
        self.deep, self.flat, self.config = deep, flat, Path(config).resolve()
        self.changes: queue.Queue[set[Path]] = queue.Queue()
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> "Watcher":
        if self.deep:
            self._thread(self.deep, True, lambda p: not _editor_noise(p))
        if self.flat:
            self._thread(self.flat, False, lambda p: Path(p).name in TOP_FILES | {self.config.name})
        return self

    def _thread(self, paths: list[Path], recursive: bool, keep) -> None:
        from watchfiles import watch

        def run():
            for batch in watch(*paths, recursive=recursive, stop_event=self.stop_event, step=STEP_MS,
                               debounce=400, rust_timeout=500, raise_interrupt=False,
                               watch_filter=lambda change, p: keep(p)):
                self.changes.put({Path(p) for _, p in batch})

        t = threading.Thread(target=run, name="versus-preview-watch", daemon=True)
        t.start()
        self.threads.append(t)

    def next(self, timeout: float | None = None) -> set[Path] | None:
        """The next changed paths (every batch waiting merged), or None after ``timeout`` seconds."""
        try:
            paths = set(self.changes.get(timeout=timeout))
        except queue.Empty:
            return None
        while True:
            try:
                paths |= self.changes.get_nowait()
            except queue.Empty:
                return paths

    def stop(self) -> None:
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=2)

"""The preview (``versus serve``, ``python build.py serve``, ``make preview``): the site built once, served on
127.0.0.1, rebuilt in part on every save (:mod:`.session`), watched with watchfiles (:mod:`.watch`); each
served page gets a reload script (server-sent events) and an overlay of errors and warnings
(:mod:`.server`, :mod:`.overlay`) that no built file ever contains."""
from __future__ import annotations

from .server import make_server, start
from .session import GLOBAL, Options, Rebuild, Session
from .watch import Watcher

__all__ = ["GLOBAL", "Options", "Rebuild", "Session", "Watcher", "make_server", "start"]

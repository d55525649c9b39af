"""The preview's HTTP server (127.0.0.1 only): the built site as files, each HTML page with the preview's
script and overlay added as it is served; ``/__preview/events`` (server-sent events: the site's version,
sent on every change) and ``/reference/``."""
from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import overlay
from .session import Session

ASSETS = {"/__preview/preview.js": ("preview.js", "text/javascript; charset=utf-8"),
          "/__preview/preview.css": ("preview.css", "text/css; charset=utf-8")}
PING_SECONDS = 15.0
"""A comment on the event stream this often, so a closed tab is noticed and proxies keep it open."""


def _asset(name: str) -> bytes:
    return (files("versus.preview") / name).read_bytes()


class Handler(SimpleHTTPRequestHandler):
    session: Session  # set on the subclass made by :func:`make_server`

    def log_message(self, *args) -> None:  # the terminal shows rebuilds and problems, not every request
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = unquote(urlsplit(self.path).path)
        if path == "/__preview/events":
            return self.events()
        if path in ASSETS:
            name, kind = ASSETS[path]
            return self.send(_asset(name), kind)
        if path == "/reference" or path.startswith("/reference/"):
            return self.reference(path)
        return self.page(path)

    def send(self, data: bytes, kind: str, status: int = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def page(self, path: str) -> None:
        """A built file; HTML pages with the preview added; a missing page shows the errors, if any."""
        local = Path(self.translate_path(path))
        if local.is_dir():
            if not path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            local = local / "index.html"
        s = self.session
        url = path.lstrip("/")
        if not local.is_file():
            errors, _ = s.problems(url)
            html = overlay.missing(s.version, errors, url)
            return self.send(html.encode(), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)
        if local.suffix != ".html":
            return super().do_GET()
        errors, warnings = s.problems(url)
        html = overlay.inject(local.read_text(encoding="utf-8"), s.version, errors, warnings)
        self.send(html.encode("utf-8"), "text/html; charset=utf-8")

    def reference(self, path: str) -> None:
        from ..content import placeholders as ph
        from ..errors import VersusError
        from ..pages import names

        s = self.session
        with s.lock:
            if s.ctx is None:
                errors, _ = s.problems("")
                return self.send(overlay.missing(s.version, errors, path).encode(), "text/html; charset=utf-8")
            site = s.ctx.site
            known = names.pages(site)
            key = path[len("/reference"):].strip("/") or "index"
            if key not in known:
                try:
                    key = names.page_key(site, key)
                except VersusError:
                    return self.send(overlay.missing(s.version, [], path).encode(), "text/html; charset=utf-8",
                                     HTTPStatus.NOT_FOUND)
            rows = ph.reference(names.names(site, key))
            html = overlay.reference(known[key][0], rows, ph.filter_docs(), known, key, s.ctx.as_of, s.version)
        self.send(html.encode("utf-8"), "text/html; charset=utf-8")

    def events(self) -> None:
        """Server-sent events: the site's version now, then again on every change (a tab reloads when it
        differs from the version of the page it shows)."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        s, seen = self.session, None
        try:
            while not s.stopped:
                version = s.wait(seen, PING_SECONDS)
                self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": ping\n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            return


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(session: Session, port: int = 8000, host: str = "127.0.0.1") -> Server:
    """An HTTP server for ``session``'s folder (not started: call ``serve_forever``)."""
    out = str(session.options.out)

    class Bound(Handler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=out, **kwargs)

    Bound.session = session
    return Server((host, port), Bound)


def start(server: Server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="versus-preview-http", daemon=True)
    thread.start()
    return thread

"""``versus serve`` (``python build.py serve``, ``make preview``): build, serve on 127.0.0.1, rebuild on save."""
from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from .build import _as_of
from .common import add_site_options

DESCRIPTION = "Preview the site: build it, serve it on 127.0.0.1 and rebuild the page you edit on every save."
EPILOG = """\
Watches content/, the templates and static files, site.toml and data/funds.toml. A commentary edit
rebuilds its page only; the open tab reloads by itself and shows errors (file:line, did-you-mean) over
the last good page. /reference/ lists every name a page can quote. The preview's files go to a
temporary folder (never site/), and the reload script exists only in what the preview serves.
"""


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0: any free port)")
    p.add_argument("--out", type=Path, default=None, help="where the preview's build goes (default: a temporary "
                   "folder, deleted on exit)")
    add_site_options(p)


def defaults(args: argparse.Namespace) -> argparse.Namespace:
    return args


def _say(*a) -> None:
    print(*a, flush=True)


def _report(session, result, what: str) -> None:
    errors = [e for msgs in session.errors.values() for e in msgs]
    pages = "the whole site" if result.full else (", ".join("/" + u for u in result.urls) or "no page")
    done = f"rebuilt {pages}" if result.urls or not errors else "nothing rebuilt (the last good pages stay)"
    _say(f"{what}: {done} in {result.seconds:.2f}s" + (f"; {len(errors)} error(s)" if errors else ""))
    for e in errors:
        print(f"  error: {e}", file=sys.stderr, flush=True)


def _apply(session, paths) -> None:
    """Rebuild for ``paths``; a failure the session does not expect is shown too, and the preview goes on."""
    names = ", ".join(sorted(p.name for p in paths))
    try:
        _report(session, session.apply(paths), names)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the editor's preview
        import traceback

        traceback.print_exc()
        session.fail(f"{names}: the preview failed to rebuild ({type(exc).__name__}: {exc}); see the terminal")


def _interrupt(*_):
    raise KeyboardInterrupt


def execute(args: argparse.Namespace) -> int:
    from ..preview import Options, Session, Watcher, make_server, start

    own = args.out is None
    out = Path(tempfile.mkdtemp(prefix="versus-preview-")) / "site" if own else Path(args.out)
    session = Session(Options(Path(args.config), out, args.store, _as_of(args.as_of)))
    _say(f"preview: building {args.config} …")
    _report(session, session.full(), "start")
    try:
        server = make_server(session, args.port)
    except OSError as exc:
        print(f"error: --port {args.port}: cannot listen on 127.0.0.1 ({exc.strerror})", file=sys.stderr)
        return 2
    start(server)
    deep, flat = session.watched()
    watcher = Watcher(deep, flat, Path(args.config)).start()
    signal.signal(signal.SIGTERM, _interrupt)  # a stop from a test or a process manager: tidy up too
    signal.signal(signal.SIGINT, _interrupt)   # also when started in the background (SIGINT ignored)
    _say(f"preview: serving http://127.0.0.1:{server.server_address[1]}/  (reference: /reference/; Ctrl-C stops)")
    try:
        while True:
            paths = watcher.next(timeout=1.0)
            if paths:
                _apply(session, paths)
    except KeyboardInterrupt:
        _say("preview: stopped")
    finally:
        session.stop()
        watcher.stop()
        server.shutdown()
        server.server_close()
        if own:
            shutil.rmtree(out.parent, ignore_errors=True)
    return 0

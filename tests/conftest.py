"""Fixtures shared by the test modules.

Costly things exist once per run (session scope) and are read-only: the default site, the seven-fund site (as of
its default date, and as published the day before for the tests that build over it), the one-pair site as published, one Chromium and one local
HTTP server per served folder.  A test that changes files works on a copy."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from siteutil import CHROMIUM, CHROMIUM_ARGS, CLASSIC_SITE_TOML, MINIMAL_SITE_TOML, NO_CHROMIUM, classic_site, publish
from versus.cli import main

STARTS_VEGA = ("test_charts.py", "test_charts_svg.py")
"""Modules that run vl-convert's Vega (its V8 JavaScript runtime) in the test process.  Once its threads exist,
a build may no longer fork its page workers (:func:`versus.build.jobs._fork_safe`) and every later build in the
run is serial, so these modules run last (:func:`pytest_collection_modifyitems`)."""


def pytest_collection_modifyitems(session, config, items):
    """Run the modules of :data:`STARTS_VEGA` after all others (in their usual order otherwise)."""
    items.sort(key=lambda item: item.path.name in STARTS_VEGA)


@pytest.fixture(scope="session")
def default_site(tmp_path_factory) -> Path:
    """The default site (site.toml, embedded snapshot) built once for the whole run. Read-only: a test that
    changes files works on a copy."""
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="session")
def site(default_site) -> Path:
    """The default site; a module that needs another site defines its own ``site`` fixture."""
    return default_site


@pytest.fixture(scope="session")
def classic(tmp_path_factory) -> Path:
    """The seven-fund site (:data:`siteutil.CLASSIC_SITE_TOML`, as of 2026-07-31) built once for the whole run,
    for tests that check figures and pages of those funds. Read-only."""
    folder = tmp_path_factory.mktemp("classic")
    out = folder / "site"
    assert main(["--config", str(classic_site(folder)), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="session")
def published_classic(tmp_path_factory) -> Path:
    """The seven-fund site as published yesterday (:func:`siteutil.publish`: ``site.toml`` and ``site/`` as of
    2026-07-30), built once for the whole run: tests that interrupt or fault the next build over it
    (test_signals.py, test_streaming.py) each work on a copy (:func:`siteutil.copy_project`). Read-only."""
    return publish(tmp_path_factory.mktemp("published-classic"), CLASSIC_SITE_TOML)


@pytest.fixture(scope="session")
def published_minimal(tmp_path_factory) -> Path:
    """The one-pair site (:data:`siteutil.MINIMAL_SITE_TOML`, QQQ vs IWM) as published yesterday (as of
    2026-07-30), built once for the whole run: test_readback.py and test_faults.py rebuild, fault or read back a
    copy of it. Read-only."""
    return publish(tmp_path_factory.mktemp("published-minimal"), MINIMAL_SITE_TOML)


# --------------------------------------------------------------------------- the browser and the HTTP servers
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    """``serve(folder)`` -> the URL (ending in /) of a local HTTP server of ``folder``: one server per folder for
    the whole run (the folders served are read-only), all stopped at the end."""
    servers: dict[Path, tuple] = {}

    def url(folder: Path) -> str:
        folder = Path(folder)
        if folder not in servers:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(_Quiet, directory=str(folder)))
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            servers[folder] = (server, thread, f"http://127.0.0.1:{server.server_address[1]}/")
        return servers[folder][2]

    yield url
    for server, thread, _ in servers.values():
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def base_url(serve, default_site) -> str:
    """The default site served over HTTP."""
    return serve(default_site)


@pytest.fixture(scope="session")
def classic_url(serve, classic) -> str:
    """The seven-fund site served over HTTP."""
    return serve(classic)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Playwright) for the whole run; each test opens its own context (no state is
    shared between tests).  Skips only when /usr/bin/chromium is missing (``.ci/run`` installs it)."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()

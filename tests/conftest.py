"""Fixtures shared by the test modules."""
from __future__ import annotations

from pathlib import Path

import pytest

from siteutil import classic_site
from versus.cli import main


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

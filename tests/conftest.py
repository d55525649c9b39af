"""Fixtures shared by the test modules."""
from __future__ import annotations

from pathlib import Path

import pytest

from versus.cli import main


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The default site (site.toml, embedded snapshot) built once for the whole run. Read-only: a test that
    changes files works on a copy. A module that needs another site defines its own ``site`` fixture."""
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["--out", str(out), "--quiet"]) == 0
    return out

"""Helpers shared by test modules that build a small site (one or two pairs) to stay fast."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path


MINIMAL_SITE_TOML = """title = "t"
description = "d"
base_url = "https://example.org/"
funds = ["QQQ", "IWM"]
pairs = [["QQQ", "IWM"]]
[options]
"""
"""A two-fund, one-pair site.toml up to its ``[options]`` table; tests append the options they need."""


ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, driven by Playwright (the ``browser`` fixture of conftest.py); ``.ci/run`` installs it."""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
NO_CHROMIUM = "Debian Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium; .ci/run does it)"
CLASSIC_SITE_TOML = """title = "versus"
description = "Side-by-side ETF comparisons from daily total-return data: returns, risk, costs and who leads."
base_url = "https://versus.example.org/"
risk_free_rate = 0.0
funds = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]
pairs = [["QQQ", "IWM"], ["VOO", "IWM"], ["SPY", "IWM"], ["SPY", "QQQ"], ["IWM", "SCHA"], ["VOO", "VTI"], ["DIA", "SPY"]]
groups = [["IWM", "SPY", "QQQ"]]
[options]
allow_html = false
max_stale_days = 3
"""
"""The seven-fund site of the first releases (its funds all have prices to 2026-07-31): tests that check
figures, dates or pages of these funds build it instead of the default site, whose size and as-of date
follow site.toml (tests never depend on how many funds that lists)."""


def classic_site(folder: Path, pairs=None) -> Path:
    """:data:`CLASSIC_SITE_TOML` in ``folder`` with the shipped content/ and data/ beside it (linked).  ``pairs``:
    only those pairs and their funds, no group, the same options, and the shipped commentary of those pairs only,
    for a test that reads one pair's figures as of some date and need not build the other 20 pages."""
    folder.mkdir(parents=True, exist_ok=True)
    text = CLASSIC_SITE_TOML
    if pairs is not None:
        funds = list(dict.fromkeys(t for p in pairs for t in p))
        lines = [line for line in text.splitlines(keepends=True) if not line.startswith("groups = ")]
        text = "".join(f"funds = {json.dumps(funds)}\n" if line.startswith("funds = ") else
                       f"pairs = {json.dumps([list(p) for p in pairs])}\n" if line.startswith("pairs = ") else line
                       for line in lines)
    (folder / "site.toml").write_text(text)
    if pairs is not None and not (folder / "content").exists():  # the commentary of its pairs only (copied)
        (folder / "content" / "pairs").mkdir(parents=True)
        for src in [ROOT / "content" / "index.md"] + [ROOT / "content" / "pairs" / f"{a.lower()}-vs-{b.lower()}.md"
                                                      for a, b in pairs]:
            if src.is_file():
                shutil.copyfile(src, folder / src.relative_to(ROOT))
    for name in ("content", "data"):
        if not (folder / name).exists():
            (folder / name).symlink_to(ROOT / name)
    return folder / "site.toml"


def small_site(tmp: Path, pairs=(("QQQ", "IWM"),)) -> Path:
    """A site.toml with only ``pairs`` (faster to build) and the shipped commentary for them beside it."""
    funds = list(dict.fromkeys(t for p in pairs for t in p))
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "site.toml").write_text(
        'title = "versus"\ndescription = "d"\nbase_url = "https://versus.example.org/"\n'
        f"funds = {json.dumps(funds)}\npairs = {json.dumps([list(p) for p in pairs])}\n")
    for a, b in pairs:
        src = Path(__file__).resolve().parent.parent / "content/pairs" / f"{a.lower()}-vs-{b.lower()}.md"
        if src.is_file():
            (tmp / "content/pairs").mkdir(parents=True, exist_ok=True)
            (tmp / "content/pairs" / src.name).write_text(src.read_text())
    return tmp / "site.toml"


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with its SHA-256 (to compare two outputs byte for byte)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path, name: str = "site") -> list[str]:
    """What builds left beside ``folder/name``: temporary folders and sites set aside (``.site.*``)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


def publish(root: Path, site_toml: str) -> Path:
    """``root/site.toml`` and the site it builds into ``root/site`` as of 2026-07-30 ("published yesterday")."""
    from versus.cli import main

    (root / "site.toml").write_text(site_toml)
    assert main(["--config", str(root / "site.toml"), "--out", str(root / "site"), "--as-of", "2026-07-30",
                 "--quiet"]) == 0
    return root


def copy_project(published: Path, dest: Path) -> Path:
    """A copy of a :func:`publish` folder (site.toml and site) for one test to change."""
    shutil.copy(published / "site.toml", dest / "site.toml")
    shutil.copytree(published / "site", dest / "site")
    return dest


SLOW_WRITES = """
import sys, time
import versus.render.writer as render

real = render.put

def slow(path, data, new=False):  # a slow disk: every file takes 50 ms
    time.sleep(0.05)
    return real(path, data, new)

render.put = slow
"""
"""A script prelude that makes every file the build writes take 50 ms (a slow disk), for kill-mid-write tests.
It patches :func:`versus.render.writer.put`, which writes every file of a page job and of the parent (the
site's :class:`versus.build.output.LinkingWriter` calls it through the module; patching ``Writer.write`` did not
reach it); a file hard-linked unchanged from the previous site writes nothing and is not slowed
(tests/test_streaming.py checks the prelude)."""


def fund_series(site: Path, t: str):
    """A fund's published daily series (``api/funds/<t>/series.csv``, versus.pages.series) as a frame by date:
    ``adj_close`` and ``close`` (NaN: not on file); pandas reads each float back exactly as written (its repr)."""
    import pandas as pd

    return pd.read_csv(site / f"api/funds/{t.lower()}/series.csv", index_col="date", parse_dates=["date"])

"""Faults while writing: disk full during the write of the site or of the data store, and the process
killed mid-build.  Whatever happens, the previous site and the previous store are still there, whole."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

import versus.render.writer as render_mod
import versus.sources.cache as cache_mod
import versus.sources.store as store_mod
from fakes_yahoo import YahooWorld, refuse_network
from siteutil import SLOW_WRITES, copy_project, leftovers, tree
from versus.cli import main
from versus.errors import EXIT_OUTPUT
from versus.build.output import recover_output
from versus.sources.store import MANIFEST, open_store, write_live_store

ROOT = Path(__file__).resolve().parent.parent
SITE_TOML = """title = "t"
description = "d"
base_url = "https://example.org/"
funds = ["QQQ", "IWM"]
pairs = [["QQQ", "IWM"]]
"""
ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def project(published_minimal, tmp_path) -> Path:
    """A copy of the one-pair site as published yesterday (as of 2026-07-30; conftest.py: one publish for the
    whole run)."""
    return copy_project(published_minimal, tmp_path)


def rebuild(project: Path, *extra: str) -> int:
    return main(["--config", str(project / "site.toml"), "--out", str(project / "site"), "--quiet", *extra])


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# --------------------------------------------------------------------------- disk full: the site
def fail_nth(real, n: int, when=lambda *a, **k: True):
    """``real`` that raises ENOSPC on its ``n``-th call (counting only calls where ``when`` holds)."""
    calls = []

    def fake(*args, **kwargs):
        if when(*args, **kwargs):
            calls.append(args)
            if len(calls) == n:
                raise ENOSPC
        return real(*args, **kwargs)

    fake.calls = calls
    return fake


def _is_tmp(*args, **kwargs):
    return str(kwargs.get("prefix", "")).startswith(".site.tmp-")


SITE_FAULTS = {
    # the 10th page/JSON/CSV/SVG file written into the temporary folder (every file goes through writer.put)
    "file write": (render_mod, "put", lambda real: fail_nth(real, 10)),
    # copying the static files (style.css, site.js, the Vega bundle) into it
    "static copy": (render_mod.shutil, "copyfile", lambda real: fail_nth(real, 2)),
    # creating the temporary folder itself
    "temp folder": (tempfile, "mkdtemp", lambda real: fail_nth(real, 1, _is_tmp)),
    # the swap: setting the previous site aside (rename 1) ...
    "swap, rename 1": (os, "replace", lambda real: fail_nth(real, 1, lambda s, d: Path(d).name.startswith(".site.old-"))),
    # ... or moving the new one in (rename 2): the CLI puts the previous site back
    "swap, rename 2": (os, "replace", lambda real: fail_nth(real, 1, lambda s, d: Path(s).name.startswith(".site.tmp-"))),
}


@pytest.mark.parametrize("fault", list(SITE_FAULTS))
def test_disk_full_while_writing_the_site_keeps_the_previous_one(project, monkeypatch, capsys, fault):
    before = tree(project / "site")
    owner, name, make = SITE_FAULTS[fault]
    fake = make(getattr(owner, name))
    monkeypatch.setattr(owner, name, fake)
    capsys.readouterr()
    code = rebuild(project)
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == EXIT_OUTPUT, err
    assert "No space left on device" in one_line_error(err)
    assert fake.calls, "the fault was never reached"
    assert tree(project / "site") == before  # byte-identical
    assert leftovers(project) == []  # no temporary folder, no previous site left aside
    assert rebuild(project) == 0  # and the next build goes through


# --------------------------------------------------------------------------- disk full: the data store
def sample_store(folder: Path):
    from fakes_yahoo import SNAP
    from versus.sources import MarketData
    from versus.sources.store import Manifest

    md = MarketData(close=SNAP.close.copy(), adj_close=SNAP.adj_close.copy(), dividends=SNAP.dividends.copy(),
                    source="test", meta={"SPY": {"expense_ratio": {"value": 0.0009, "as_of": "2026-08-14",
                                                                   "source": "x"}}})
    man = Manifest(tickers={t: {"first": "2016-01-04", "last": "2026-08-21", "full_refresh": "2026-08-14",
                                "meta_refresh": "2026-08-14"} for t in ("SPY", "QQQ")}, updated="2026-08-14",
                   source="test")
    write_live_store(md, man, folder)
    return md, man


@pytest.mark.parametrize("nth", [1, 2, 3, 4], ids=["prices.csv", "dividends.csv", "meta.json", "store.json"])
def test_disk_full_while_writing_the_store_changes_nothing(tmp_path, monkeypatch, nth):
    md, man = sample_store(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    newer = md
    newer.adj_close = md.adj_close * 1.01
    man.updated = "2026-08-17"
    fake = fail_nth(os.fsync, nth)
    monkeypatch.setattr(store_mod.os, "fsync", fake)
    with pytest.raises(OSError) as info:
        write_live_store(newer, man, tmp_path)
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # unchanged, no temp files
    back, manifest, problem = open_store(tmp_path, "x")
    assert problem is None and manifest.updated == "2026-08-14"  # still readable: the last good store
    assert back.adj_close["SPY"].dropna().iloc[-1] == pytest.approx(md.adj_close["SPY"].dropna().iloc[-1] / 1.01)


def test_disk_full_on_the_store_in_a_live_build(tmp_path, monkeypatch, capsys):
    """The daily build: the site is published from fresh prices, the store keeps the last good state, and the
    next day's run fetches what the store missed."""
    refuse_network(monkeypatch)
    (tmp_path / "site.toml").write_text(SITE_TOML.replace('["QQQ", "IWM"]]', '["SPY", "QQQ"]]')
                                        .replace('funds = ["QQQ", "IWM"]', 'funds = ["SPY", "QQQ"]'))
    world = YahooWorld("2026-08-14")
    monkeypatch.setattr(cache_mod, "default_source", lambda today: world.source([]))
    store = tmp_path / "store"

    def live(now: str) -> int:
        world.day = pd.Timestamp(now[:10])
        return main(["--live", "--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "site"),
                     "--store", str(store), "--today", now, "--quiet"])

    assert live("2026-08-14T18:35") == 0
    kept = {p.name: p.read_bytes() for p in store.iterdir()}
    real = store_mod._stage
    monkeypatch.setattr(store_mod, "_stage", fail_nth(real, 2))  # dividends.csv: the disk is full
    capsys.readouterr()
    assert live("2026-08-17T18:35") == 0
    monkeypatch.setattr(store_mod, "_stage", real)
    err = capsys.readouterr().err
    assert f"warning: {store}: could not update the data store" in err and "No space left on device" in err
    now = {p.name: p.read_bytes() for p in store.iterdir()}
    assert now.pop("history.json") != kept.pop("history.json")  # the history is what was published (the 17th)
    assert now == kept                                             # the prices, facts and manifest as they were
    md, man, problem = open_store(store, "x")
    assert problem is None and man.tickers["SPY"]["last"] == "2026-08-14"
    assert '"as_of": "2026-08-17"' in (tmp_path / "site" / "build.json").read_text()  # published anyway
    assert live("2026-08-18T18:35") == 0
    md, man, problem = open_store(store, "x")
    assert problem is None and man.tickers["SPY"]["last"] == "2026-08-18"
    assert pd.Timestamp("2026-08-17") in md.adj_close["SPY"].dropna().index


def test_temp_files_of_a_killed_store_writer_are_ignored_then_removed(tmp_path):
    """SIGKILL while the temp files are written: no rename happened, the store is as it was; the next
    write removes the leftovers."""
    md, man = sample_store(tmp_path)
    (tmp_path / ".prices.csv.x1y2z3.tmp").write_bytes(b"ticker,date,close,adj_close\nSPY,2026-")
    (tmp_path / f".{MANIFEST}.abc.tmp").write_bytes(b"{")
    back, _, problem = open_store(tmp_path, "x")
    assert problem is None and back is not None
    write_live_store(md, man, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dividends.csv", "meta.json", "prices.csv", MANIFEST]


# --------------------------------------------------------------------------- killed mid-build
SLOW_BUILD = SLOW_WRITES + """from versus.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_killed_while_writing_the_site(project):
    before = tree(project / "site")
    script = project / "slow_build.py"
    script.write_text(SLOW_BUILD)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERSUS_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, str(script), "--config", str(project / "site.toml"),
                             "--out", str(project / "site"), "--quiet"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = [p for p in project.iterdir() if p.name.startswith(".site.tmp-")]
            if tmp and sum(1 for f in tmp[0].rglob("*") if f.is_file()) > 12:
                break
            time.sleep(0.01)
        assert proc.poll() is None, proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)  # mid-write: no handler, no cleanup runs
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    stale = leftovers(project)
    # what the killed build left: its temporary folder, and its lock file (the lock itself died with it)
    assert len(stale) == 2 and stale[0] == ".site.lock" and stale[1].startswith(".site.tmp-"), stale
    assert tree(project / "site") == before  # the published site is untouched
    assert rebuild(project) == 0  # the next build succeeds ...
    assert leftovers(project) == []  # ... and removes the leftover
    assert '"as_of": "2026-08-21"' in (project / "site" / "build.json").read_text()


def test_killed_between_the_two_renames_of_the_swap(project):
    """The one moment site/ does not exist: the previous site is aside, the new one not yet in.
    The next build (or the CLI after a failed write) puts the previous site back before anything else."""
    before = tree(project / "site")
    os.replace(project / "site", project / ".site.old-4242")
    (project / ".site.tmp-abc123").mkdir()
    (project / ".site.tmp-abc123" / "index.html").write_text("half")
    assert recover_output(project / "site") == ["restored " + str((project / "site").resolve()) + " from .site.old-4242",
                                                "removed .site.tmp-abc123"]
    assert tree(project / "site") == before and leftovers(project) == []
    os.replace(project / "site", project / ".site.old-4242")
    assert rebuild(project) == 0
    assert leftovers(project) == []
    # the previous site was read before being replaced: its feed entry is kept
    assert "2026-07-30" in (project / "site" / "feed.xml").read_text()

"""A new fund in one line: offline, a ticker the snapshot lacks is a one-line error naming the fix; with --live
it builds; ``build.py snapshot`` then embeds it and the offline build works.

Runs in a site folder of its own (site.toml and data/snapshot/ holding SPY only; data/funds.toml is the
project's), against the fake Yahoo of tests/fakes_yahoo.py (no network).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

import versus.sources.cache as cache_mod
from fakes_yahoo import FakeTicker, YahooWorld, refuse_network
from versus.cli import console, main
from versus.errors import EXIT_DATA
from versus.sources import embed
from versus.sources.snapshot import SnapshotSource
from versus.sources.store import open_store

CONFIG = """title = "one line"
description = "d"
base_url = "https://example.org/"
funds = ["SPY",
         "QQQ"]
pairs = [["SPY", "QQQ"]]
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    refuse_network(monkeypatch)
    (tmp_path / "site.toml").write_text(CONFIG)
    snap = tmp_path / "data" / "snapshot"
    snap.mkdir(parents=True)
    spy = SnapshotSource().load(["SPY"])
    embed.write_snapshot(snap, spy, "# Embedded snapshot: where the data came from\n\nSPY: the project's snapshot.\n")
    world = YahooWorld("2026-08-14", tickers=("SPY", "QQQ"))
    monkeypatch.setattr(cache_mod, "default_source", lambda today: world.source([]))
    FakeTicker.created.clear()
    return tmp_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_fund_offline_then_live_then_embedded(folder, capsys):
    cfg, out, snap = folder / "site.toml", folder / "site", folder / "data" / "snapshot"
    assert main(["--config", str(cfg), "--out", str(out), "--quiet"]) == EXIT_DATA
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    assert err[0].startswith(f"error: {cfg}:5: QQQ: not in the embedded snapshot")  # file:line of the ticker
    assert "`python build.py --live`" in err[0] and "`python build.py snapshot`" in err[0]
    assert not out.exists()

    assert main(["--live", "--config", str(cfg), "--out", str(out), "--today", "2026-08-14", "--quiet"]) == 0
    assert (out / "spy-vs-qqq" / "index.html").is_file()  # with --live it just works
    assert (folder / "data" / "cache" / "store.json").is_file()
    capsys.readouterr()

    before = digest(snap / "prices.parquet")
    assert main(["snapshot", "--config", str(cfg)]) == 0  # python build.py snapshot
    said = capsys.readouterr()
    assert "QQQ: added" in said.err and "SPY: replaced" in said.err and "2 tickers" in said.out
    assert digest(snap / "prices.parquet") != before
    md = SnapshotSource(snap).load(["SPY", "QQQ"])
    live, _, problem = open_store(folder / "data" / "cache", "x")  # the store's rows, exactly
    assert problem is None
    pd.testing.assert_frame_equal(md.adj_close, live.adj_close[["SPY", "QQQ"]], check_freq=False)
    assert json.loads((snap / "meta.json").read_text()).keys() == {"SPY", "QQQ"}  # live fund facts kept
    sources = (snap / "SOURCES.md").read_text()
    assert sources.startswith("# Embedded snapshot") and "SPY: the project's snapshot." in sources
    assert sources.count(embed.BEGIN) == 1 and "| QQQ | 2016-01-04 .. 2026-08-14 |" in sources

    again = {p.name: digest(p) for p in snap.iterdir()}
    assert console(["snapshot", "--config", str(cfg), "--quiet"]) == 0  # versus snapshot: same store, same bytes
    assert {p.name: digest(p) for p in snap.iterdir()} == again

    assert main(["--config", str(cfg), "--out", str(out), "--quiet"]) == 0  # offline, from the new snapshot
    doc = json.loads((out / "api" / "funds" / "qqq.json").read_text())
    assert doc["funds"]["QQQ"]["total_return"]["1y"] is not None


def test_only_named_tickers_are_taken_and_the_others_kept(folder, capsys):
    cfg, snap = folder / "site.toml", folder / "data" / "snapshot"
    assert main(["--live", "--config", str(cfg), "--out", str(folder / "site"), "--today", "2026-08-14",
                 "--quiet"]) == 0
    old = SnapshotSource(snap).load(["SPY"])
    assert main(["snapshot", "--config", str(cfg), "--tickers", "qqq", "--quiet"]) == 0
    md = SnapshotSource(snap).load(["SPY", "QQQ"])
    pd.testing.assert_series_equal(md.adj_close["SPY"].dropna(), old.adj_close["SPY"].dropna(), check_freq=False)
    assert md.adj_close["SPY"].first_valid_index() < pd.Timestamp("2000-01-01")  # not the store's 2016 start
    capsys.readouterr()
    assert main(["snapshot", "--config", str(cfg), "--tickers", "VTI"]) == EXIT_DATA
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "VTI not in the live store" in err


def test_no_store_names_the_fix(folder, capsys):
    before = {p.name: digest(p) for p in (folder / "data" / "snapshot").iterdir()}
    assert main(["snapshot", "--config", str(folder / "site.toml")]) == EXIT_DATA
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no live store" in err and "`python build.py --live`" in err
    assert {p.name: digest(p) for p in (folder / "data" / "snapshot").iterdir()} == before


def test_the_embedded_snapshot_rewritten_from_itself_is_byte_identical(tmp_path):
    """The command's writer and scripts/import_shared_data.py agree: same data, same bytes."""
    root = Path(__file__).resolve().parent.parent / "data" / "snapshot"
    merged, changes = embed.merge(None, embed.read_snapshot(root))
    assert len(changes) == merged.adj_close.shape[1]
    embed.write_snapshot(tmp_path, merged, "x")
    for name in ("prices.parquet", "dividends.parquet"):
        assert digest(tmp_path / name) == digest(root / name), name

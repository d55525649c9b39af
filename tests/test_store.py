"""The live data store (versus.sources.store): exact round trip, manifest, corruption and crash detection."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import versus.sources.store as store_mod
from fakes_yahoo import SNAP, refuse_network
from versus.errors import DataError
from versus.sources.cache import CacheSource
from versus.sources.store import MANIFEST, Manifest, open_store, write_live_store


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    refuse_network(monkeypatch)


def sample():
    md = SnapshotCopy()
    md.meta = {"SPY": {"expense_ratio": {"value": 0.0009, "as_of": "2026-08-14", "source": "x"}}}
    return md


def SnapshotCopy():
    from versus.sources import MarketData

    return MarketData(close=SNAP.close.copy(), adj_close=SNAP.adj_close.copy(), dividends=SNAP.dividends.copy(),
                      source="test")


def manifest():
    return Manifest(tickers={"SPY": {"first": "1993-01-29", "last": "2026-08-21", "full_refresh": "2026-08-14",
                                     "meta_refresh": "2026-08-14"}}, updated="2026-08-14", source="test")


def test_round_trip_is_bit_exact(tmp_path):
    md = sample()
    write_live_store(md, manifest(), tmp_path)
    back, man, problem = open_store(tmp_path, "stored")
    assert problem is None and back.source == "stored"
    for name in ("close", "adj_close", "dividends"):
        a, b = getattr(md, name), getattr(back, name)
        a = a.dropna(how="all")
        b = b[a.columns]  # the store keeps tickers sorted
        pd.testing.assert_frame_equal(a, b, check_exact=True, check_index_type=False, check_freq=False)
        assert a.index.name == b.index.name
    assert back.meta == md.meta
    assert man.tickers == manifest().tickers and man.updated == "2026-08-14"
    assert man.date("SPY", "full_refresh").isoformat() == "2026-08-14" and man.date("QQQ", "full_refresh") is None


def test_files_are_text_sorted_and_deterministic(tmp_path):
    write_live_store(sample(), manifest(), tmp_path / "a")
    write_live_store(sample(), manifest(), tmp_path / "b")
    for name in ("prices.csv", "dividends.csv", "meta.json", MANIFEST):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    lines = (tmp_path / "a" / "prices.csv").read_text().splitlines()
    assert lines[0] == "ticker,date,close,adj_close"
    assert lines[1].startswith("QQQ,1999-03-10,") and lines[-1].startswith("SPY,2026-08-21,")
    doc = json.loads((tmp_path / "a" / MANIFEST).read_text())
    assert set(doc["files"]) == {"prices.csv", "dividends.csv", "meta.json"}
    assert doc["files"]["prices.csv"]["bytes"] == (tmp_path / "a" / "prices.csv").stat().st_size
    assert not list((tmp_path / "a").glob(".*.tmp"))  # no temp files left behind


def flip(data: bytes) -> bytes:
    """One digit changed in the middle of the file: same size, different content."""
    i = next(i for i in range(len(data) // 2, len(data)) if chr(data[i]).isdigit())
    return data[:i] + (b"1" if data[i:i + 1] != b"1" else b"2") + data[i + 1:]


def test_empty_folder_is_a_first_run(tmp_path):
    assert open_store(tmp_path / "nothing", "x") == (None, None, None)
    assert open_store(tmp_path, "x") == (None, None, None)


@pytest.mark.parametrize("damage, needle", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "truncated or corrupted"),
    (lambda p: p.write_bytes(flip(p.read_bytes())), "truncated or corrupted"),
    (lambda p: p.unlink(), "cannot read"),
])
@pytest.mark.parametrize("name", ["prices.csv", "dividends.csv", "meta.json"])
def test_damaged_file_is_detected_and_named(tmp_path, name, damage, needle):
    write_live_store(sample(), manifest(), tmp_path)
    path = tmp_path / name
    damage(path)
    md, man, problem = open_store(tmp_path, "x")
    assert md is None and man is None
    assert problem.startswith(str(path)) and needle in problem and "fetching full history" in problem
    assert "\n" not in problem
    with pytest.raises(DataError, match="truncated or corrupted|cannot read"):
        CacheSource(tmp_path).load(["SPY"])


@pytest.mark.parametrize("content, needle", [(None, "missing"), (b"{not json", "unreadable"),
                                             (b'{"format": 99, "files": {}}', "format 99")])
def test_bad_manifest_is_detected(tmp_path, content, needle):
    write_live_store(sample(), manifest(), tmp_path)
    path = tmp_path / MANIFEST
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    md, _, problem = open_store(tmp_path, "x")
    assert md is None and problem.startswith(str(path)) and needle in problem


def test_crash_mid_write_leaves_a_store_that_is_detected(tmp_path, monkeypatch):
    """Kill the writer after the rename of prices.csv: the new prices do not match the old manifest."""
    old = sample()
    write_live_store(old, manifest(), tmp_path)
    newer = sample()
    newer.adj_close = newer.adj_close * 1.01
    real = store_mod.os.replace
    renamed = []

    def crash(src, dst):
        if renamed:
            raise KeyboardInterrupt  # the process dies before dividends.csv is renamed into place
        renamed.append(Path(dst).name)
        real(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_live_store(newer, manifest(), tmp_path)
    monkeypatch.setattr(store_mod.os, "replace", real)
    assert renamed == ["prices.csv"]
    md, _, problem = open_store(tmp_path, "x")
    assert md is None and "prices.csv: does not match store.json" in problem
    assert not list(tmp_path.glob(".*.tmp"))


def test_atomic_write_keeps_the_old_file_when_interrupted(tmp_path, monkeypatch):
    path = tmp_path / "prices.csv"
    path.write_bytes(b"old")

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_mod.os, "fsync", boom)
    with pytest.raises(OSError):
        store_mod._atomic_write_bytes(path, b"new content")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["prices.csv"]


def test_legacy_parquet_cache_is_reported_and_removed_on_write(tmp_path):
    from versus.sources.store import to_long

    prices, divs = to_long(sample())  # the cache format before the manifest: parquet files
    prices.to_parquet(tmp_path / "prices.parquet", index=False)
    divs.to_parquet(tmp_path / "dividends.parquet", index=False)
    md, _, problem = open_store(tmp_path, "x")
    assert md is None and "old cache format" in problem
    write_live_store(sample(), manifest(), tmp_path)
    assert not (tmp_path / "prices.parquet").exists() and open_store(tmp_path, "x")[2] is None


def test_cache_source_serves_the_store(tmp_path):
    write_live_store(sample(), manifest(), tmp_path)
    md = CacheSource(tmp_path).load(["QQQ"])
    assert md.tickers == ["QQQ"] and np.isfinite(md.adj_close["QQQ"].iloc[-1])
    with pytest.raises(DataError, match="XYZ: not in the data store"):
        CacheSource(tmp_path).load(["XYZ"])
    with pytest.raises(DataError, match="no stored live data"):
        CacheSource(tmp_path / "empty").load(["SPY"])

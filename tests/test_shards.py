"""Issue 17, item 4: ``build.py --shard K/N`` and ``build.py merge``: the merged shards are the unsharded site,
byte for byte (every file, build.json included: it holds no time or duration, so nothing is excluded), and the
one-line errors for a bad ``--shard`` and for shards that do not belong together.

The seven-fund site in three shards runs here; the default site (63 funds) in three shards is the slower,
optional run: ``make shards`` (``VERSUS_SHARDS_DEFAULT=1``)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from siteutil import tree
from versus.build.shard import mine
from versus.cli import main


def _shards(config: Path, folder: Path, n: int, *extra: str) -> list[Path]:
    outs = []
    for k in range(1, n + 1):
        out = folder / f"shard-{k}"
        assert main(["--config", str(config), "--shard", f"{k}/{n}", "--out", str(out), "--quiet", *extra]) == 0
        outs.append(out)
    return outs


def _same_site(full: Path, merged: Path) -> None:
    a, b = tree(full), tree(merged)
    assert sorted(a) == sorted(b), (sorted(set(a) - set(b))[:5], sorted(set(b) - set(a))[:5])
    differ = [rel for rel in a if a[rel] != b[rel]]
    assert not differ, differ[:10]


@pytest.fixture(scope="module")
def shards(classic, tmp_path_factory) -> list[Path]:
    return _shards(classic.parent / "site.toml", tmp_path_factory.mktemp("shards"), 3)


def test_merged_shards_are_the_unsharded_site(classic, shards, tmp_path):
    merged = tmp_path / "merged"
    assert main(["merge", *map(str, shards), "--out", str(merged), "--quiet"]) == 0
    _same_site(classic, merged)
    # each page is built by exactly one shard, and no shard writes a site-level file
    pages = [p["urls"][0] for s in shards for p in json.loads((s / "shard.json").read_text())["pages"]]
    assert len(pages) == len(set(pages)) and all(pages)
    assert all(not (s / "index.html").exists() and not (s / "sitemap.xml").exists() for s in shards)
    assert all(json.loads((s / "shard.json").read_text())["pages"] for s in shards)  # three non-empty shards


def test_assignment_is_stable_and_covers_every_page():
    keys = [f"pair:a{i}-vs-b{i}" for i in range(200)]
    for n in (1, 2, 3, 7):
        owners = [[k for k in range(1, n + 1) if mine(key, (k, n))] for key in keys]
        assert all(len(o) == 1 for o in owners)
        if n > 1:
            assert len({o[0] for o in owners}) == n  # every shard gets pages
    assert mine("pair:qqq-vs-iwm", (1, 1))


@pytest.mark.parametrize("value, words", [("0/3", "K must be between 1 and N"), ("4/3", "K must be between 1 and N"),
                                          ("1/0", "K must be between 1 and N"), ("two/3", "expected K/N"),
                                          ("3", "expected K/N"), ("1/3/5", "expected K/N")])
def test_bad_shard_is_one_line(value, words, classic, tmp_path, capsys):
    assert main(["--config", str(classic.parent / "site.toml"), "--shard", value, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: --shard ") and words in err and "\n" not in err
    assert not (tmp_path / "o").exists()


def _tampered(folder: Path, dest: Path, **changes) -> Path:
    shutil.copytree(folder, dest)
    doc = json.loads((dest / "shard.json").read_text())
    for k, v in changes.items():
        doc[k] = {**doc[k], **v} if isinstance(v, dict) else v
    (dest / "shard.json").write_text(json.dumps(doc))
    return dest


@pytest.mark.parametrize("change, words", [
    ({"as_of": "2026-06-30"}, "different as-of date (2026-06-30 vs "),
    ({"options": {"config": "other/site.toml"}}, "different build options (config: "),
    ({"data_sha256": "0" * 64}, "different market data"),
    ({"shard": [2, 4]}, "shards of one site share N"),
])
def test_merge_refuses_shards_that_differ(change, words, shards, tmp_path, capsys):
    odd = _tampered(shards[1], tmp_path / "odd", **change)
    out = tmp_path / "merged"
    assert main(["merge", str(shards[0]), str(odd), str(shards[2]), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: merge: ") and words in err and "\n" not in err, err
    assert not out.exists()


def test_merge_refuses_missing_twice_and_non_shards(classic, shards, tmp_path, capsys):
    cases = [([shards[0], shards[1]], "missing 3/3"), ([shards[0], shards[1], shards[1]], "2/3 given twice"),
             ([shards[0], classic, shards[2]], "not a shard")]
    for folders, words in cases:
        assert main(["merge", *map(str, folders), "--out", str(tmp_path / "m")]) == 2
        err = capsys.readouterr().err.strip()
        assert words in err and "\n" not in err, err


def test_merge_keeps_the_output_folder_rules(shards, tmp_path, capsys):
    """Only an empty folder or a site versus built is replaced by a merge, as by a build."""
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    assert main(["merge", *map(str, shards), "--out", str(keep), "--quiet"]) == 5
    assert "not a site versus built" in capsys.readouterr().err
    assert (keep / "notes.txt").read_text() == "mine"


@pytest.mark.skipif(not os.environ.get("VERSUS_SHARDS_DEFAULT"), reason="the default site in shards: make shards")
def test_default_site_merged_shards(default_site, tmp_path):
    from versus.config import DEFAULT_CONFIG

    merged = tmp_path / "merged"
    shards = _shards(Path(DEFAULT_CONFIG), tmp_path, 3)
    assert main(["merge", *map(str, shards), "--out", str(merged), "--quiet"]) == 0
    _same_site(default_site, merged)

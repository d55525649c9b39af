"""The no-change fast path: an unchanged snapshot build is skipped; any changed input rebuilds."""
from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
from pathlib import Path

from siteutil import small_site
from versus.build.uptodate import inputs_hash, up_to_date
from versus.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _project(folder: Path) -> Path:
    """A one-pair site (QQQ vs IWM, its shipped commentary with its claims) and the shipped index.md: the fast
    path does not depend on the site's size, and six builds of the full default site took minutes."""
    small_site(folder)
    shutil.copy(ROOT / "content" / "index.md", folder / "content" / "index.md")
    return folder


def build(*args: str) -> subprocess.CompletedProcess:
    """``build.py --quiet ARGS`` in this process (what it prints, its exit status): a fresh interpreter for each
    of the eight builds added its start-up to every one."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--quiet", *args])
    return subprocess.CompletedProcess(["build.py", "--quiet", *args], code, out.getvalue(), err.getvalue())


def test_unchanged_rebuild_is_skipped_and_a_change_rebuilds(tmp_path):
    cfg_dir = _project(tmp_path / "proj")
    out = tmp_path / "site"
    first = build("--config", str(cfg_dir / "site.toml"), "--out", str(out))
    assert first.returncode == 0, first.stderr
    stamp = (out / "build.json").read_bytes()
    again = build("--config", str(cfg_dir / "site.toml"), "--out", str(out))
    assert again.returncode == 0 and again.stdout.startswith("up to date")
    assert (out / "build.json").read_bytes() == stamp
    # a changed commentary file is a changed input
    page = cfg_dir / "content" / "index.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    third = build("--config", str(cfg_dir / "site.toml"), "--out", str(out))
    assert third.returncode == 0 and third.stdout.startswith("built"), third.stdout
    assert "One more sentence." in (out / "index.html").read_text()


def test_other_arguments_and_live_builds_are_never_skipped(tmp_path):
    def ns(**kw):
        base = dict(config=ROOT / "site.toml", as_of=None, previous=None, live=False, store=None, today=None,
                    check=False)
        return argparse.Namespace(**{**base, **kw})

    assert inputs_hash(ns()) == inputs_hash(ns())
    assert inputs_hash(ns()) != inputs_hash(ns(as_of="2026-01-23"))
    for kw in (dict(live=True), dict(store=tmp_path), dict(today="2026-08-03"), dict(check=True)):
        assert inputs_hash(ns(**kw)) is None
    assert not up_to_date(tmp_path, inputs_hash(ns()))  # no build.json there


def test_every_outcome_changing_argument_is_an_input(tmp_path):
    """Issue 14 item 4: build, then build again with --strict: exit 6 (claims fail as of 23 Jan 2026), not
    "up to date"; and again (a build with warnings is never skipped)."""
    cfg_dir = _project(tmp_path / "proj")
    args = ("--config", str(cfg_dir / "site.toml"), "--out", str(tmp_path / "site"), "--as-of", "2026-01-23",
            "--on-file", "latest")  # the commentary (written 3 Aug 2026) shown as of 23 Jan: its claims fail
    assert build(*args).returncode == 0
    for _ in range(2):
        strict = build(*args, "--strict")
        assert strict.returncode == 6 and not strict.stdout.startswith("up to date"), strict.stdout
    assert build(*args, "--strict", "--claims=flag").returncode == 0
    base = dict(config=ROOT / "site.toml", as_of=None, previous=None, live=False, store=None, today=None,
                check=False, strict=False, claims="fail", quiet=False, out=tmp_path)
    h = inputs_hash(argparse.Namespace(**base))
    for kw in (dict(strict=True), dict(claims="flag"), dict(max_stale_days=5)):
        assert inputs_hash(argparse.Namespace(**{**base, **kw})) != h, kw
    assert inputs_hash(argparse.Namespace(**{**base, "quiet": True, "out": tmp_path / "x"})) == h

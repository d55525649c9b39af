"""Issue 11, items 1 and 2: the output folder is replaced only if versus built it (or it is empty or missing),
nothing inside the project but its site/ is ever an output, the output is checked (and locked) before anything
is computed, and two builds into one folder never destroy each other."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import versus.build as build_pkg
import versus.build.outdir as outdir
import versus.sources.snapshot as snapshot_mod
from siteutil import MINIMAL_SITE_TOML, leftovers, tree
from versus.cli import main
from versus.errors import EXIT_OUTPUT, OutputError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def config(tmp_path) -> Path:
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    return tmp_path / "site.toml"


@pytest.fixture
def never_computes(monkeypatch):
    """Fail the test if the build gets as far as loading market data or building."""
    def refuse(*a, **k):
        raise AssertionError("the build computed something before refusing the output folder")

    monkeypatch.setattr(snapshot_mod.SnapshotSource, "load", refuse)
    monkeypatch.setattr(build_pkg, "build", refuse)


def run(capsys, config: Path, out: Path, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--config", str(config), "--out", str(out), "--quiet", *extra])
    return code, capsys.readouterr().err


def refused(code: int, err: str, *needles: str) -> str:
    assert code == EXIT_OUTPUT, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --out "), err
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small site versus built (each test copies it)."""
    root = tmp_path_factory.mktemp("built")
    (root / "site.toml").write_text(MINIMAL_SITE_TOML)
    assert main(["--config", str(root / "site.toml"), "--out", str(root / "site"), "--quiet"]) == 0
    return root / "site"


# --------------------------------------------------------------------------- 1. replaced only if versus built it
def foreign_site(folder: Path) -> Path:
    """Another generator's site: index.html, posts/, CNAME (what `--out ~/blog` would have wiped)."""
    (folder / "posts").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>my blog</h1>")
    (folder / "posts" / "first.html").write_text("years of writing")
    (folder / "CNAME").write_text("blog.example.org")
    return folder


FOREIGN = {
    "another generator's site": lambda d: foreign_site(d),
    "a build.json that is not versus's": lambda d: foreign_site(d) and (d / "build.json").write_text('{"as_of": "x"}'),
    "a build.json that is a list": lambda d: foreign_site(d) and (d / "build.json").write_text("[1, 2]"),
    "a build.json that is not JSON": lambda d: foreign_site(d) and (d / "build.json").write_bytes(b"\xff\x00garbage"),
    "a build.json that is a folder": lambda d: foreign_site(d) and (d / "build.json").mkdir(),
    "a single hidden file": lambda d: d.mkdir() or (d / ".keep").write_text(""),
    "documents": lambda d: d.mkdir() or (d / "thesis.tex").write_text("years of work"),
}


@pytest.mark.parametrize("case", list(FOREIGN))
def test_a_folder_versus_did_not_build_is_never_replaced(tmp_path, capsys, config, never_computes, case):
    out = tmp_path / "blog"
    FOREIGN[case](out)
    before = tree(out)
    code, err = run(capsys, config, out)
    line = refused(code, err, str(out), "not a site versus built")
    assert "build.json" in line  # says why
    assert tree(out) == before
    assert leftovers(tmp_path, "blog") == []


def test_a_symlink_to_a_foreign_folder_is_refused(tmp_path, capsys, config, never_computes):
    target = foreign_site(tmp_path / "blog")
    (tmp_path / "link").symlink_to(target)
    before = tree(target)
    code, err = run(capsys, config, tmp_path / "link")
    refused(code, err, "not a site versus built")
    assert tree(target) == before and (tmp_path / "link").is_symlink()


def test_signed_site_empty_and_missing_folders_are_replaced(tmp_path, capsys, config, built):
    import shutil

    shutil.copytree(built, tmp_path / "site")
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "site", tmp_path / "empty", tmp_path / "new" / "deeper" / "site"):
        code, err = run(capsys, config, out)
        assert code == 0, err
        doc = json.loads((out / "build.json").read_text())
        assert doc["generator"] == "versus"


def test_a_site_built_before_the_signature_existed_is_still_replaced(tmp_path, capsys, config, built):
    """Sites built by earlier versions carry versions.versus and pages in build.json, not the signature."""
    import shutil

    out = shutil.copytree(built, tmp_path / "site")
    doc = json.loads((out / "build.json").read_text())
    del doc["generator"]
    (out / "build.json").write_text(json.dumps(doc))
    assert outdir.signed(out) is None
    code, err = run(capsys, config, out)
    assert code == 0, err


def test_the_signature_is_a_versus_build_json():
    assert outdir.signed(ROOT / "templates") == "no build.json"
    assert outdir.signed(ROOT) == "no build.json"


# --------------------------------------------------------------------------- inside the project and the inputs
@pytest.mark.parametrize("rel", ["templates", "static", "data", "content", "versus", "tests", "build", "site/api",
                                 "data/cache", ".venv"])
def test_inside_the_project_only_site_is_an_output(rel):
    """``--out templates`` used to replace the project's own templates/ with the site (checked without building).
    The tests run from the source checkout (an editable install), so that is the versus project."""
    assert outdir.checkout() == ROOT.resolve()
    with pytest.raises(OutputError, match="inside the versus project"):
        outdir.check(ROOT / rel, ROOT / "site.toml")
    assert outdir.check(ROOT / "site", ROOT / "site.toml") == (ROOT / "site").resolve()


def test_out_templates_exits_5_before_computing_anything(capsys, never_computes):
    before = tree(ROOT / "templates")
    capsys.readouterr()
    code = main(["--out", "templates", "--quiet"])
    refused(code, capsys.readouterr().err, "--out templates", "inside the versus project", "site/")
    assert tree(ROOT / "templates") == before


@pytest.mark.parametrize("where", ["config folder", "its parent", "the root"])
def test_a_folder_holding_the_project_is_refused(tmp_path, capsys, config, never_computes, where):
    out = {"config folder": tmp_path, "its parent": tmp_path.parent, "the root": Path("/")}[where]
    code, err = run(capsys, config, out)
    refused(code, err, "would replace")


def test_an_input_folder_is_never_the_output(tmp_path, capsys, config, never_computes):
    """The commentary folder beside the config, the template overrides and the data store are inputs: an output
    there (or holding them, or inside them) would replace them, even when they are empty."""
    (tmp_path / "content").mkdir()
    code, err = run(capsys, config, tmp_path / "content")
    refused(code, err, "content", "which the build reads")
    code, err = run(capsys, config, tmp_path / "content" / "site")
    refused(code, err, "overlaps", "which the build reads")
    (tmp_path / "tpl").mkdir()
    config.write_text(MINIMAL_SITE_TOML + 'templates = "tpl"\n')
    code, err = run(capsys, config, tmp_path / "tpl")
    refused(code, err, "tpl", "which the build reads")
    config.write_text(MINIMAL_SITE_TOML)
    (tmp_path / "store").mkdir()
    code, err = run(capsys, config, tmp_path / "store", "--store", str(tmp_path / "store"))
    refused(code, err, "store", "which the build reads")


# --------------------------------------------------------------------------- checked before computing anything
def test_an_output_that_cannot_be_written_fails_before_computing(tmp_path, capsys, config, never_computes):
    if os.access("/sys", os.W_OK) and not Path("/sys/kernel").is_dir():
        pytest.skip("no read-only /sys here")
    for out in (Path("/sys/versus-site"), Path("/sys/kernel/versus-site")):
        code, err = run(capsys, config, out)
        assert code == EXIT_OUTPUT, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and str(out) in lines[0] and "Traceback" not in err, err


def test_an_output_under_a_file_fails_before_computing(tmp_path, capsys, config, never_computes):
    (tmp_path / "f").write_text("x")
    code, err = run(capsys, config, tmp_path / "f" / "site")
    refused(code, err, "is a file")


# --------------------------------------------------------------------------- 2. one build at a time
HOLD = """import sys, time
from versus.build.outdir import Lock
with Lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(out: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out), str(seconds)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_build_exits_at_once_naming_the_pid(tmp_path, capsys, config, never_computes):
    holder = hold_lock(tmp_path / "site", 30)
    try:
        t0 = time.monotonic()
        code, err = run(capsys, config, tmp_path / "site")
        assert time.monotonic() - t0 < 5
        assert code == EXIT_OUTPUT, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert lines[0].startswith(f"error: another build (pid {holder.pid}) is writing {tmp_path / 'site'}")
        assert "--wait" in lines[0]
    finally:
        holder.kill()
        holder.wait()


def test_a_second_build_waits_a_bounded_time(tmp_path, capsys, config, never_computes):
    holder = hold_lock(tmp_path / "site", 30)
    try:
        t0 = time.monotonic()
        code, err = run(capsys, config, tmp_path / "site", "--wait", "0.6")
        assert 0.6 <= time.monotonic() - t0 < 10
        assert code == EXIT_OUTPUT and f"(pid {holder.pid})" in err and "waited 0.6s" in err, err
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_build_goes_on_when_the_other_is_done(tmp_path, capsys, config):
    holder = hold_lock(tmp_path / "site", 0.5)
    try:
        code, err = run(capsys, config, tmp_path / "site", "--wait", "60")
        assert code == 0, err
    finally:
        holder.wait()
    assert json.loads((tmp_path / "site" / "build.json").read_text())["generator"] == "versus"
    assert leftovers(tmp_path) == []  # the lock file went with the build


def test_a_lock_file_left_by_a_killed_build_does_not_block(tmp_path, capsys, config):
    holder = hold_lock(tmp_path / "site", 30)
    holder.kill()  # SIGKILL: the file stays, the lock goes with the process
    holder.wait()
    assert (tmp_path / ".site.lock").exists()
    code, err = run(capsys, config, tmp_path / "site")
    assert code == 0, err
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("bad", ["-1", "nan", "1e9"])
def test_bad_wait(tmp_path, capsys, config, bad):
    code, err = run(capsys, config, tmp_path / "site", "--wait", bad)
    assert code == 2 and "--wait" in err and "Traceback" not in err, err


def test_lock_is_reentrant_in_one_process_and_exclusive_across(tmp_path):
    with outdir.Lock(tmp_path / "site"):
        with outdir.Lock(tmp_path / "site"):  # the pipeline inside the CLI
            assert (tmp_path / ".site.lock").read_text().strip() == str(os.getpid())
        assert (tmp_path / ".site.lock").exists()  # still held by the outer one
        proc = subprocess.run([sys.executable, "-c", HOLD, str(tmp_path / "site"), "0"], cwd=ROOT,
                              capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.returncode != 0 and f"another build (pid {os.getpid()})" in proc.stderr
    assert not (tmp_path / ".site.lock").exists()


HELD_WRITES = """
import os, sys, time
import versus.render.writer as render

real, gate = render.Writer.write, sys.argv.pop(1)

def held(self, rel, text):  # the build stops at its first file until the test creates the gate file
    deadline = time.monotonic() + 120
    while not os.path.exists(gate) and time.monotonic() < deadline:
        time.sleep(0.02)
    return real(self, rel, text)

render.Writer.write = held
"""
"""A script prelude: the build holds its first write (the lock taken, its temporary folder made) until the file
named by its first argument exists, so a second build surely starts while the first is writing."""


def test_two_builds_at_once_one_succeeds_the_other_exits_5(tmp_path, config):
    """Before the lock, each build's start-up clean-up deleted the other's temporary folder and both exited 5.
    Now the first (held mid-write) builds the whole site; the second exits 5 at once naming it; nothing is lost."""
    script, gate = tmp_path / "held_build.py", tmp_path / "gate"
    script.write_text(HELD_WRITES + "from versus.cli import main\nsys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERSUS_WORKERS": "1"}
    args = ["--config", str(config), "--out", str(tmp_path / "site"), "--quiet"]
    first = subprocess.Popen([sys.executable, str(script), str(gate), *args], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(p.name.startswith(".site.tmp-") for p in tmp_path.iterdir()):
            assert first.poll() is None, first.communicate()
            time.sleep(0.02)
        second = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert first.poll() is None  # the first was still writing all along
        gate.touch()
        assert second.returncode == EXIT_OUTPUT, second.stderr
        assert f"another build (pid {first.pid}) is writing" in second.stderr
        out, err = first.communicate(timeout=300)
    finally:
        first.kill()
        first.wait()
    assert first.returncode == 0, err
    assert leftovers(tmp_path) == []
    files = tree(tmp_path / "site")
    assert "index.html" in files and "api/pairs/qqq-vs-iwm.json" in files and "static/site.js" in files
    assert json.loads((tmp_path / "site" / "build.json").read_text())["generator"] == "versus"


def test_library_builds_take_the_lock_too(tmp_path, monkeypatch):
    """versus.build.build (bench, tests) locks its output as the CLI does."""
    seen = []
    real = outdir.Lock.__enter__

    def spy(self):
        seen.append(self.path)
        return real(self)

    monkeypatch.setattr(outdir.Lock, "__enter__", spy)
    from versus.config import load_config
    from versus.sources.snapshot import SnapshotSource

    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    cfg = load_config(tmp_path / "site.toml")
    build_pkg.build(cfg, SnapshotSource().load(cfg.funds), tmp_path / "site", quiet=True)
    assert seen == [(tmp_path / ".site.lock").resolve()]
    assert not (tmp_path / ".site.lock").exists()


def test_a_thread_releasing_the_lock_lets_the_waiter_in(tmp_path):
    """Lock files are removed on release; a waiter that opened the old file re-checks and locks the new one."""
    holder = hold_lock(tmp_path / "site", 0.3)
    got = []

    def wait():
        with outdir.Lock(tmp_path / "site", wait=30):
            got.append(os.getpid())

    t = threading.Thread(target=wait)
    t.start()
    t.join(60)
    holder.wait()
    assert got == [os.getpid()]

"""Pages are streamed to disk (issue 7, peak memory): every page job writes its page, API document and files
into the build's temporary folder itself and hands the parent only small things.  The guarantees of the
atomic write still hold when the writing happens in forked worker processes: same bytes as a serial build,
a fault or an error inside a worker leaves the previous site whole and no temporary folder, a build killed
with its workers leaves only its temporary folder (removed by the next build), --check writes nothing."""
from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import versus.build.jobs as jobs_mod
import versus.build.output as output_mod
from siteutil import CLASSIC_SITE_TOML, MINIMAL_SITE_TOML, SLOW_WRITES, copy_project, leftovers, tree
from versus.cli import main
from versus.errors import EXIT_OUTPUT

ROOT = Path(__file__).resolve().parent.parent
# the seven-fund site: 18 page jobs (pairs, funds, its group, categories), enough for worker processes
# (PARALLEL_MIN_PAGES); the default site's breadth adds nothing here but minutes
SITE_TOML = CLASSIC_SITE_TOML


def cli(project: Path, *extra: str, script: str | None = None, workers: str = "2", **popen) -> subprocess.Popen:
    """The CLI in a fresh process (forking is allowed there), optionally behind a small patching script."""
    args = [str(project / "run.py")] if script else [str(ROOT / "build.py")]
    if script:
        (project / "run.py").write_text("import sys\n" + script + "\nfrom versus.cli import main\n"
                                        "sys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERSUS_WORKERS": workers}
    return subprocess.Popen([sys.executable, *args, "--config", str(project / "site.toml"),
                             "--out", str(project / "site"), "--quiet", *extra],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen)


def run(project: Path, *extra: str, **kw) -> tuple[int, str]:
    proc = cli(project, *extra, **kw)
    _, err = proc.communicate(timeout=600)
    return proc.returncode, err.decode()


def rebuild(project: Path) -> int:
    """The next build, in this process (the fault was in another; a fresh interpreter adds nothing here)."""
    return main(["--config", str(project / "site.toml"), "--out", str(project / "site"), "--quiet"])


@pytest.fixture
def project(published_classic, tmp_path) -> Path:
    """A copy of the seven-fund site published as of 2026-07-30 (conftest.py: one publish for the whole run)."""
    return copy_project(published_classic, tmp_path)


def test_page_jobs_hand_back_no_pages_or_files(tmp_path, monkeypatch):
    """What travels from a job (a worker) to the parent is small: no HTML, no API document, no CSV/SVG/PNG."""
    sizes = []
    real = jobs_mod.run_jobs

    def spy(jobs, quiet, side=None):
        results = real(jobs, quiet, side)
        sizes.extend(len(pickle.dumps(r)) for r in results)
        for r in results:
            assert not {"pages", "api", "files"} & set(r)
            assert r["paths"] and all(isinstance(p, str) for p in r["paths"])
        return results

    monkeypatch.setattr(jobs_mod, "run_jobs", spy)
    (tmp_path / "site.toml").write_text(SITE_TOML)
    assert main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "site"), "--quiet"]) == 0
    index = json.loads((tmp_path / "site" / "api" / "index.json").read_text())
    assert len(sizes) == sum(len(index[k]) for k in ("pairs", "funds", "groups", "categories"))  # one per page job
    assert max(sizes) < 20_000, sizes  # a pair page and its files are ~300 KB


def test_workers_write_the_same_bytes_as_one_process(tmp_path):
    for n in ("1", "2"):
        (tmp_path / n).mkdir()
        (tmp_path / n / "site.toml").write_text(SITE_TOML)
    procs = [cli(tmp_path / n, workers=n) for n in ("1", "2")]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()
    serial, parallel = tree(tmp_path / "1" / "site"), tree(tmp_path / "2" / "site")
    assert serial.keys() == parallel.keys()
    differ = [k for k in serial if serial[k] != parallel[k]]
    assert differ in ([], ["build.json"])  # build.json: the inputs hash covers the arguments (another --out)
    if differ:
        docs = [json.loads((tmp_path / n / "site" / "build.json").read_text()) for n in ("1", "2")]
        for doc in docs:
            doc.pop("inputs_sha256")
        assert docs[0] == docs[1]


# a fault inside a worker process only (the parent writes nothing until every page is done)
IN_A_WORKER = """
import errno, os, sys
import versus.render.writer as writer

PARENT, MODE, real, count = os.getpid(), {mode!r}, writer.put, [0]

def put(path, data, new=False):  # every file of a page job is written by versus.render.writer.put
    if os.getpid() != PARENT:
        count[0] += 1
        if count[0] == 7:
            if MODE == "disk full":
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            raise RuntimeError("a bug in a page job")
    return real(path, data, new)

writer.put = put
"""


@pytest.mark.parametrize("mode", ["disk full", "error"])
def test_a_fault_inside_a_worker_keeps_the_previous_site(project, mode):
    before = tree(project / "site")
    code, err = run(project, script=IN_A_WORKER.format(mode=mode))
    if mode == "disk full":
        assert code == EXIT_OUTPUT, err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and "No space left on device" in lines[0], err
    else:
        lines = err.strip().splitlines()  # the last resort: one line, and the stage it happened in
        assert code == 1 and len(lines) == 1, err
        assert lines[0] == ("error: internal error in pages: RuntimeError: a bug in a page job; run with --debug for "
                            "the traceback"), err
    assert tree(project / "site") == before  # byte-identical
    assert leftovers(project) == []  # the temporary folder the workers wrote into is gone
    assert rebuild(project) == 0  # and the next build goes through
    assert '"as_of": "2026-08-21"' in (project / "site" / "build.json").read_text()  # the latest close in the data




def test_killed_with_its_workers_while_they_write(project):
    """SIGKILL to the whole build (parent and workers, as a CI cancel does) while the workers write pages."""
    before = tree(project / "site")
    proc = cli(project, script=SLOW_WRITES, start_new_session=True)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            tmp = [p for p in project.iterdir() if p.name.startswith(".site.tmp-")]
            if tmp and sum(1 for f in tmp[0].rglob("*") if f.is_file()) > 30:
                break
            time.sleep(0.01)
        assert proc.poll() is None, proc.stderr.read().decode()
        assert not (tmp[0] / "static").exists()  # the pages' files so far, written by the jobs
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
        proc.stderr.close()
    time.sleep(0.2)
    stale = leftovers(project)
    # what the killed build left: its temporary folder, and its lock file (the lock itself died with it)
    assert len(stale) == 2 and stale[0] == ".site.lock" and stale[1].startswith(".site.tmp-"), stale
    assert tree(project / "site") == before
    assert rebuild(project) == 0
    assert leftovers(project) == []


def test_check_never_creates_the_temporary_folder(tmp_path, monkeypatch, capsys):
    def refuse(*a, **k):
        raise AssertionError("--check opened the output")

    monkeypatch.setattr(output_mod.SiteOutput, "open", refuse)
    monkeypatch.setattr(output_mod.SiteOutput, "finish", refuse)
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)  # one pair: --check opens no output whatever the site
    assert main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "site"), "--check", "--quiet"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site.toml"]


def test_a_path_written_twice_is_refused(tmp_path):
    """Two writers of one path would make the output depend on which finished last (and writing through a
    hard link would change the previous site): refused."""
    site = output_mod.SiteOutput.open(tmp_path / "site")
    try:
        site.claim(site.write_job({"a/": "<p>1</p>"}, {}, {}))
        with pytest.raises(RuntimeError, match="written twice"):
            site.write_job({}, {}, {"a/index.html": b"x"})
        with pytest.raises(RuntimeError, match="written twice"):
            site.claim(["a/index.html"])
    finally:
        site.discard()
    assert list(tmp_path.iterdir()) == []


def test_the_slow_disk_of_the_kill_tests_slows_every_file_written(tmp_path, monkeypatch):
    """SLOW_WRITES (the slow disk of the kill-mid-write tests here, in test_signals.py and test_faults.py) naps
    before each file the site's writer creates, a page job's as the parent's; a file unchanged since the previous
    site is hard-linked (nothing written) without a nap."""
    import types

    import versus.render.writer as writer_mod
    from versus.build.outdir import SIGNATURE

    monkeypatch.setattr(writer_mod, "put", writer_mod.put)  # put back after the test
    naps: list[float] = []
    prelude: dict = {}
    exec(SLOW_WRITES, prelude)
    prelude["time"] = types.SimpleNamespace(sleep=naps.append)  # count the naps instead of taking them
    for n, expected in ((1, 5), (2, 1)):  # the second build: four files as before (linked), one changed
        site = output_mod.SiteOutput.open(tmp_path / "site")
        try:
            site.claim(site.write_job({"a/": "<p>1</p>"}, {"api/a.json": {"x": 1}}, {"a/b.csv": b"x\n"}))
            site.finish([("index.html", f"<p>build {n}</p>"), ("build.json", json.dumps(SIGNATURE))], static=False)
        finally:
            site.discard()
        assert naps == [0.05] * expected, n
        naps.clear()
    assert (tmp_path / "site" / "index.html").read_text() == "<p>build 2</p>"

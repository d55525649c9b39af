"""Issue 11, item 3: signals.  Workers die with their parent, so ``python build.py | tee log`` returns even
after SIGKILL of the build; SIGTERM is handled like Ctrl-C (temporary folder removed, previous site kept,
exit 143); Ctrl-C (SIGINT to the parent alone, or to the whole process group as a terminal sends it) exits 130
the same way, without a traceback from any worker."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import versus.build.output as output_mod
from siteutil import SLOW_WRITES, copy_project, leftovers, tree
from versus.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(published_classic, tmp_path) -> Path:
    """A copy of the seven-fund site published as of 2026-07-30 (conftest.py: one publish for the whole run): its
    page jobs are enough for worker processes; the 63-fund default site would only be slower."""
    return copy_project(published_classic, tmp_path)


def start(project: Path, workers: str = "2") -> subprocess.Popen:
    """The build with slow writes (150 ms a file), stdout and stderr on pipes (as ``| tee log``), in its own
    process group."""
    (project / "run.py").write_text("import sys\n" + SLOW_WRITES.replace("time.sleep(0.05)", "time.sleep(0.15)")
                                    + "\nfrom versus.cli import main\n"
                                    "sys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERSUS_WORKERS": workers}
    return subprocess.Popen([sys.executable, str(project / "run.py"), "--config", str(project / "site.toml"),
                             "--out", str(project / "site")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_until_writing(project: Path, proc: subprocess.Popen, files: int = 6) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        tmp = [p for p in project.iterdir() if p.name.startswith(".site.tmp-")]
        if tmp and sum(1 for f in tmp[0].rglob("*") if f.is_file()) > files:
            return
        time.sleep(0.01)
    raise AssertionError("the build never started writing")


def children(pid: int) -> list[int]:
    try:
        return [int(c) for t in os.listdir(f"/proc/{pid}/task")
                for c in Path(f"/proc/{pid}/task/{t}/children").read_text().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def finish(proc: subprocess.Popen, timeout: float = 30) -> tuple[str, str]:
    """What ``| tee`` sees: both pipes at end of file within ``timeout`` (no worker holds them)."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("stdout/stderr stayed open: a worker outlived the build") from None


def test_sigkill_of_the_build_takes_its_workers_with_it(project):
    before = tree(project / "site")
    proc = start(project)
    try:
        wait_until_writing(project, proc)
        workers = children(proc.pid)
        assert len(workers) >= 2, workers
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, as the kernel OOM killer or `kill -9 PID` does
        finish(proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers)
    assert tree(project / "site") == before
    assert main(["--config", str(project / "site.toml"), "--out", str(project / "site"), "--quiet"]) == 0
    assert leftovers(project) == []


@pytest.mark.parametrize("sig, code, word, workers, group", [
    (signal.SIGTERM, 143, "terminated (SIGTERM)", "2", False),
    (signal.SIGTERM, 143, "terminated (SIGTERM)", "1", False),
    (signal.SIGTERM, 143, "terminated (SIGTERM)", "2", True),
    (signal.SIGINT, 130, "interrupted", "2", False),
    (signal.SIGINT, 130, "interrupted", "2", True),
], ids=["SIGTERM", "SIGTERM serial", "SIGTERM to the group", "SIGINT", "Ctrl-C (SIGINT to the group)"])
def test_sigterm_and_ctrl_c_stop_cleanly(project, sig, code, word, workers, group):
    before = tree(project / "site")
    proc = start(project, workers)
    try:
        wait_until_writing(project, proc)
        pids = children(proc.pid)
        t0 = time.monotonic()
        (os.killpg if group else os.kill)(proc.pid, sig)
        out, err = finish(proc)
        stopped = time.monotonic() - t0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == code, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == f"{word}; the previous site was left as it was"
    assert not any(alive(p) for p in pids)
    assert stopped < 5, f"{stopped:.1f}s: the pages left were written before stopping"  # ~15 s of writes left
    assert leftovers(project) == []  # temporary folder and lock file removed
    assert tree(project / "site") == before


def test_a_signal_during_the_swap_waits_for_both_renames(published_minimal, tmp_path, monkeypatch, capsys):
    """SIGTERM arriving between the two renames of the swap is held until both are done: site/ is never
    missing, nothing is left beside it, and the build reports the signal (exit 143).  In this process, over a
    copy of the one-pair site published yesterday (the swap is the same for any site)."""
    project = copy_project(published_minimal, tmp_path)
    real = os.replace
    sent = []

    def replace(src, dst):
        if Path(dst).name.startswith(".site.old-") and not sent:
            sent.append(1)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # were it not blocked, the handler would run here, between the renames
        return real(src, dst)

    monkeypatch.setattr(output_mod.os, "replace", replace)
    capsys.readouterr()
    code = main(["--config", str(project / "site.toml"), "--out", str(project / "site"), "--quiet"])
    err = capsys.readouterr().err
    assert sent and code == 143, err
    assert err.strip().splitlines()[-1] == "terminated (SIGTERM); the new site had just been swapped in"
    # both renames happened: the new site (the default date, the published one was 2026-07-30) is in place
    assert json.loads((project / "site" / "build.json").read_text())["as_of"] > "2026-07-30"
    assert (project / "site" / "index.html").is_file()
    assert leftovers(project) == []


def test_sigterm_handler_is_restored_after_main(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    (tmp_path / "site.toml").write_text("nope")
    main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "o"), "--quiet"])
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_signal_during_the_store_renames_waits_for_all_of_them(tmp_path, monkeypatch):
    """SIGTERM between two renames of the data store's files is held until the manifest is in place."""
    from versus.build.lastresort import Terminated, sigterm_as_interrupt
    from versus.sources import store as store_mod
    from versus.sources.snapshot import SnapshotSource

    md = SnapshotSource().load(["QQQ"])
    man = store_mod.Manifest(tickers={"QQQ": {"first": "1999-03-10", "last": "2026-08-21", "full_refresh": None,
                                              "meta_refresh": None}})
    real, sent = os.replace, []

    def replace(src, dst):
        if not sent:
            sent.append(1)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
        return real(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", replace)
    with pytest.raises(Terminated), sigterm_as_interrupt():
        store_mod.write_live_store(md, man, tmp_path)
    got, _, problem = store_mod.open_store(tmp_path, "x")
    assert problem is None and got is not None  # every file and the manifest agree

"""The GitHub Actions workflows: structure checked here, then two linters.

actionlint's PyPI wrapper downloads a Go binary at install time (impossible here), so
the checks are: this file's structural rules (schedule, permissions, build -> deploy,
pinned actions, the strict live build), the GitHub workflow JSON schema bundled with
check-jsonschema, and zizmor (security: permissions, injection, credentials).
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
NY = ZoneInfo("America/New_York")


def load(name: str) -> dict:
    doc = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in doc:  # YAML 1.1 reads the key `on` as the boolean True
        doc["on"] = doc.pop(True)
    return doc


PUBLISH, CI = load("publish.yml"), load("ci.yml")


def steps(doc: dict):
    for job_id, job in doc["jobs"].items():
        for i, step in enumerate(job.get("steps", [])):
            yield job_id, i, step


# --------------------------------------------------------------------------- triggers
def test_schedule_runs_after_the_close_every_weekday():
    (entry,) = PUBLISH["on"]["schedule"]
    minute, hour, dom, month, dow = entry["cron"].split()
    assert (dom, month, dow) == ("*", "*", "1-5")
    assert minute != "0", "not on the hour: GitHub's scheduler is busiest then"
    # in both winter (EST) and summer (EDT) the run is >= 30 min after the 16:00 close,
    # on the same New York date (so 'today' is the session just closed)
    for day in (dt.date(2026, 1, 14), dt.date(2026, 7, 15)):
        utc = dt.datetime(day.year, day.month, day.day, int(hour), int(minute), tzinfo=dt.timezone.utc)
        local = utc.astimezone(NY)
        assert local.date() == day
        assert local.time() >= dt.time(16, 30), local


def test_manual_and_push_triggers():
    on = PUBLISH["on"]
    assert "workflow_dispatch" in on
    push = on["push"]
    assert push["branches"] == ["main"]
    paths = push["paths"]
    # versus/** holds the package data too (the card glyphs, once data/glyphs/, are versus/charts/fonts/)
    for needed in ("content/**", "templates/**", "site.toml", "static/**", "versus/**", "data/funds.toml",
                   "data/snapshot/**"):
        assert needed in paths, needed
    # every pattern matches something in the repository (none silently dead)
    files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file() and ".git/" not in p.as_posix()]
    for pattern in paths:
        if pattern.startswith("content/"):
            continue  # commentary may not exist yet
        assert any(fnmatch.fnmatch(f, pattern.replace("**", "*")) for f in files), pattern


def test_ci_runs_make_test_on_push_and_pull_request():
    assert set(CI["on"]) == {"push", "pull_request"}
    runs = [s.get("run", "") for _, _, s in steps(CI)]
    assert "env -u GITHUB_STEP_SUMMARY bash .ci/run" in runs  # the suite's builds stay out of the summary
    assert "make test" in (ROOT / ".ci" / "run").read_text()


# --------------------------------------------------------------------------- permissions
def test_least_privilege_permissions():
    for doc in (PUBLISH, CI):
        assert doc["permissions"] == {"contents": "read"}
    jobs = PUBLISH["jobs"]
    for job_id in ("build", "shards", "plan"):
        assert "permissions" not in jobs[job_id], "the jobs running project code and yfinance get read only"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["save-store"]["permissions"] == {"contents": "write"}
    assert jobs["keepalive"]["permissions"] == {"actions": "write"}
    assert jobs["claims-issue"]["permissions"] == {"issues": "write"}
    assert set(jobs) == {"plan", "shards", "build", "deploy", "save-store", "keepalive", "claims-issue"}
    for job in CI["jobs"].values():
        assert "permissions" not in job


def test_jobs_that_write_run_no_project_code():
    for job_id in ("save-store", "keepalive", "deploy", "claims-issue"):
        text = yaml.safe_dump(PUBLISH["jobs"][job_id])
        assert "build.py" not in text and "pip install" not in text and "setup-python" not in text, job_id


def test_checkout_does_not_keep_credentials_where_not_needed():
    for doc in (PUBLISH, CI):
        for job_id, _, step in steps(doc):
            if step.get("uses", "").startswith("actions/checkout@"):
                keep = step.get("with", {}).get("persist-credentials", True)
                assert keep is (job_id == "save-store"), job_id


# --------------------------------------------------------------------------- jobs
def test_build_then_deploy():
    jobs = PUBLISH["jobs"]
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert jobs["save-store"]["needs"] == "build"


def test_build_steps_in_order_and_strict_live_build():
    build = PUBLISH["jobs"]["build"]["steps"]
    names = [s.get("uses", "").split("@")[0] or s.get("name", "") for s in build]
    i_checkout = names.index("actions/checkout")
    i_python = names.index("actions/setup-python")
    i_restore = next(i for i, s in enumerate(build) if "data branch" in s.get("name", "") and "git archive" in s["run"])
    i_build = next(i for i, s in enumerate(build) if "build.py" in s.get("run", ""))
    i_pages = names.index("actions/upload-pages-artifact")
    assert i_checkout < i_python < i_restore < i_build < i_pages
    assert build[i_python]["with"]["cache"] == "pip"
    cmd = build[i_build]["run"].split()
    assert cmd[:2] == ["python", "build.py"] and "--live" in cmd and "--strict" in cmd
    assert "--claims=flag" in cmd, "a claim that no longer holds must not stop the publish (issue 14 item 1)"
    assert build[i_build]["id"] == "build"
    outputs = PUBLISH["jobs"]["build"]["outputs"]
    assert outputs["claims-failed"] == "${{ steps.build.outputs.claims-failed || steps.merge.outputs.claims-failed }}"
    assert outputs["claims-report"] == "${{ steps.build.outputs.claims-report || steps.merge.outputs.claims-report }}"
    assert cmd[cmd.index("--store") + 1] == "data/cache"
    out = cmd[cmd.index("--out") + 1]
    assert build[i_pages]["with"]["path"] == out
    # the one-job build runs unless VERSUS_SHARDS asks for shards (then the merge step builds the site)
    assert build[i_build].get("if") == "${{ needs.plan.outputs.shards == '' }}"
    assert "continue-on-error" not in build[i_build]
    assert "if" not in build[i_pages], "a failed build must never be uploaded"


def test_restore_treats_only_a_missing_branch_as_a_first_run():
    step = next(s for s in PUBLISH["jobs"]["build"]["steps"] if s.get("name", "").startswith("Restore the data store"))
    script = step["run"]
    assert "ls-remote --exit-code --heads origin data" in script
    assert 'if [ "$status" = 2 ]' in script and '[ "$status" = 0 ] || exit "$status"' in script
    assert "git archive FETCH_HEAD | tar -x -C data/cache" in script
    assert "continue-on-error" not in step and "|| true" not in script


def test_store_is_kept_even_when_the_build_fails_and_saved_by_its_own_job():
    build = PUBLISH["jobs"]["build"]
    keep = next(s for s in build["steps"] if s.get("id") == "keep-store")
    assert keep["if"] == "${{ !cancelled() }}" and keep["with"]["path"] == "data/cache/"
    assert build["outputs"]["store"] == "${{ steps.keep-store.outputs.artifact-id }}"
    save = PUBLISH["jobs"]["save-store"]
    assert "needs.build.outputs.store" in save["if"]
    script = save["steps"][-1]["run"]
    assert "git push origin data" in script and "--force" not in script


def test_claims_issue_job():
    job = PUBLISH["jobs"]["claims-issue"]
    assert job["needs"] == "build"
    assert "needs.build.outputs.claims-failed != ''" in job["if"] and "refs/heads/main" in job["if"]
    script = job["steps"][-1]["run"]
    assert "gh issue create" in script and "gh issue edit" in script and "gh issue close" in script
    assert "${{" not in script, "values reach the script through env only (no injection)"


def test_reruns_never_clash_on_artifact_names():
    build = PUBLISH["jobs"]["build"]
    keep = next(s for s in build["steps"] if s.get("id") == "keep-store")
    assert keep["with"]["overwrite"] is True
    pages = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["with"]["name"] == build["outputs"]["pages"] == "github-pages-${{ github.run_attempt }}"
    deploy = PUBLISH["jobs"]["deploy"]["steps"][-1]
    assert deploy["with"]["artifact_name"] == "${{ needs.build.outputs.pages }}"


def test_a_run_from_another_branch_never_touches_production():
    jobs = PUBLISH["jobs"]
    for job_id in ("save-store", "deploy", "claims-issue"):
        assert "github.ref == 'refs/heads/main'" in jobs[job_id]["if"], job_id


def test_concurrency():
    assert PUBLISH["concurrency"] == {"group": "publish", "cancel-in-progress": False}
    assert CI["concurrency"]["cancel-in-progress"] is True


def test_every_action_is_pinned_to_a_major_version():
    seen = set()
    for doc in (PUBLISH, CI):
        for job_id, i, step in steps(doc):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), (job_id, i, step["uses"])
                seen.add(step["uses"].split("@")[0])
    assert {"actions/checkout", "actions/setup-python", "actions/upload-pages-artifact", "actions/deploy-pages",
            "actions/upload-artifact", "actions/download-artifact"} <= seen


def test_timeouts_and_runner_pinned():
    for doc in (PUBLISH, CI):
        for job_id, job in doc["jobs"].items():
            assert job["runs-on"].startswith("ubuntu-") and job["runs-on"] != "ubuntu-latest", job_id
            assert 0 < job["timeout-minutes"] <= 45, job_id


def _plan(shards: str | None, tmp_path: Path) -> dict[str, str]:
    """Run the plan job's script with VERSUS_SHARDS = ``shards``; its outputs (None: it failed)."""
    script = PUBLISH["jobs"]["plan"]["steps"][0]["run"]
    out = tmp_path / "out"
    out.write_text("")
    env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(out), "SHARDS": shards or ""}
    proc = subprocess.run(["bash", "-e", "-c", script], env=env, capture_output=True, text=True, timeout=30)
    if proc.returncode:
        return None
    return dict(line.split("=", 1) for line in out.read_text().splitlines())


@pytest.mark.parametrize("value, shards", [(None, ""), ("", ""), ("1", ""), ("3", "[1,2,3]"), ("12", None),
                                           ("x", "error"), ("-2", "error")])
def test_shards_are_switched_on_by_a_repository_variable(value, shards, tmp_path):
    """VERSUS_SHARDS unset/1: one build job (its build step, no merge); N: N shard jobs and a merge; else an error."""
    out = _plan(value, tmp_path)
    if shards == "error":
        assert out is None
        return
    if shards is None:
        shards = "[" + ",".join(str(k) for k in range(1, 13)) + "]"
    assert out["shards"] == shards
    if shards:
        assert out["n"] == value and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", out["today"])


def test_shard_jobs_and_the_merge():
    jobs = PUBLISH["jobs"]
    assert jobs["plan"]["steps"][0]["env"]["SHARDS"] == "${{ vars.VERSUS_SHARDS }}"
    shards = jobs["shards"]
    assert shards["needs"] == "plan" and shards["if"] == "${{ needs.plan.outputs.shards != '' }}"
    assert shards["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.plan.outputs.shards || '[]') }}"
    run = next(s for s in shards["steps"] if "build.py" in s.get("run", ""))
    single = next(s for s in jobs["build"]["steps"] if "build.py" in s.get("run", ""))["run"].split()
    cmd = run["run"].split()
    # the publish's own options, plus the shard and the plan's time
    assert cmd[:cmd.index("--out")] == single[:single.index("--out")] + ["--today", '"$TODAY"', "--shard", '"$K/$N"']
    assert run["env"] == {"K": "${{ matrix.shard }}", "N": "${{ needs.plan.outputs.n }}",
                          "TODAY": "${{ needs.plan.outputs.today }}"}
    upload = shards["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "shard/"
    build = jobs["build"]
    assert build["needs"] == ["plan", "shards"]
    assert "needs.shards.result == 'success' || needs.shards.result == 'skipped'" in build["if"]
    merge = next(s for s in build["steps"] if s.get("id") == "merge")
    assert merge["run"] == "python build.py merge shards/shard-* --out site"
    assert merge["if"] == "${{ needs.plan.outputs.shards != '' }}"
    download = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"] == {"pattern": "shard-*-${{ github.run_attempt }}", "path": "shards"}
    names = [s.get("id") or s.get("uses", "") for s in build["steps"]]
    assert names.index("build") < names.index("merge") < next(i for i, n in enumerate(names) if "upload-pages" in n)


# --------------------------------------------------------------------------- linters
def _tool(name: str) -> str:
    path = shutil.which(name) or str(Path(sys.executable).parent / name)
    assert Path(path).exists(), f"{name} is not installed (it is a test dependency in pyproject.toml)"
    return path


def test_zizmor_finds_nothing():
    proc = subprocess.run([_tool("zizmor"), "--offline", "--no-progress", "--config", str(ROOT / ".github" / "zizmor.yml"),
                           str(WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["publish.yml", "ci.yml"])
def test_workflow_schema(name):
    proc = subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOWS / name)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- the data-branch scripts, run for real
def _script(job: str, name_start: str) -> str:
    step = next(s for s in PUBLISH["jobs"][job]["steps"] if s.get("name", "").startswith(name_start))
    return step["run"]


def _git(*args, cwd: Path) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(cwd), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _bash(script: str, cwd: Path, **env) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env={**base, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def origin(tmp_path):
    if not shutil.which("git"):
        pytest.fail("git is needed to test the workflow's data-branch scripts")
    bare = tmp_path / "origin.git"
    _git("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path)
    seed = tmp_path / "seed"
    _git("clone", "-q", f"file://{bare}", str(seed), cwd=tmp_path)
    (seed / "README.md").write_text("repo\n")
    _git("add", "README.md", cwd=seed)
    _git("commit", "-q", "-m", "main", cwd=seed)
    _git("push", "-q", "origin", "HEAD:main", cwd=seed)
    return bare


def _checkout(origin: Path, dest: Path) -> Path:
    _git("clone", "-q", "--depth=1", f"file://{origin}", str(dest), cwd=origin.parent)
    return dest


def test_save_and_restore_scripts_round_trip_the_store(origin, tmp_path):
    restore = _script("build", "Restore the data store")
    save = _script("save-store", "Commit the store")

    # first run: no data branch -> restore is a no-op, not a failure
    first = _checkout(origin, tmp_path / "run1")
    proc = _bash(restore, first, GH_TOKEN="x")
    assert proc.returncode == 0, proc.stderr
    assert "no data branch yet" in proc.stdout and list((first / "data" / "cache").iterdir()) == []

    # save-store creates the orphan data branch with exactly the store's files
    store = tmp_path / "artifact"
    store.mkdir()
    (store / "prices.csv").write_text("ticker,date,close,adj_close\nSPY,2026-08-14,1.0,1.0\n")
    (store / "store.json").write_text('{"updated": "2026-08-14"}\n')
    proc = _bash(save, _checkout(origin, tmp_path / "save1"), STORE=str(store), RUN_URL="https://example.org/run/1")
    assert proc.returncode == 0, proc.stderr
    log = _git("log", "--format=%s|%b", "data", cwd=origin)
    assert log.startswith("data: store updated 2026-08-14|https://example.org/run/1")
    assert sorted(_git("ls-tree", "--name-only", "data", cwd=origin).split()) == ["prices.csv", "store.json"]

    # next run restores it
    second = _checkout(origin, tmp_path / "run2")
    proc = _bash(restore, second, GH_TOKEN="x")
    assert proc.returncode == 0, proc.stderr
    assert (second / "data" / "cache" / "prices.csv").read_text() == (store / "prices.csv").read_text()

    # the same store again: no empty commit; a changed store: one commit on top (history kept)
    proc = _bash(save, _checkout(origin, tmp_path / "save2"), STORE=str(store), RUN_URL="u")
    assert proc.returncode == 0 and "data store unchanged" in proc.stdout
    (store / "store.json").write_text('{"updated": "2026-08-17"}\n')
    proc = _bash(save, _checkout(origin, tmp_path / "save3"), STORE=str(store), RUN_URL="u")
    assert proc.returncode == 0, proc.stderr
    subjects = _git("log", "--format=%s", "data", cwd=origin).split("\n")
    assert subjects[:2] == ["data: store updated 2026-08-17", "data: store updated 2026-08-14"]


def test_restore_fails_loudly_when_the_remote_is_unreachable(origin, tmp_path):
    run = _checkout(origin, tmp_path / "run")
    _git("remote", "set-url", "origin", f"file://{tmp_path}/missing.git", cwd=run)
    proc = _bash(_script("build", "Restore the data store"), run, GH_TOKEN="x")
    assert proc.returncode != 0 and "no data branch yet" not in proc.stdout


FAKE_GH = """#!/bin/bash
# a stand-in for the GitHub CLI: logs its arguments (and a --body-file's text), answers `issue list`
echo "gh $*" >> "$GH_LOG"
args=("$@")
for i in "${!args[@]}"; do
  if [ "${args[$i]}" = "--body-file" ]; then cat "${args[$((i + 1))]}" >> "$GH_LOG"; fi
done
if [ "$1 $2" = "issue list" ]; then printf '%s' "$OPEN_ISSUE"; fi
"""


@pytest.mark.parametrize("failed, open_issue, expect", [
    ("2", "", ["gh label create claims", "gh issue create --title Commentary claims no longer hold --label claims"]),
    ("2", "17", ["gh issue edit 17 --body-file"]),
    ("0", "17", ["gh issue close 17 --comment Every commentary claim holds again (u)."]),
    ("0", "", []),
])
def test_claims_issue_script_opens_updates_and_closes(tmp_path, failed, open_issue, expect):
    """The claims-issue job's script, run for real against a fake `gh`: opens the issue when claims fail and none
    is open, updates the open one (no second issue), closes it when every claim holds again."""
    (tmp_path / "bin").mkdir()
    gh = tmp_path / "bin" / "gh"
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    log = tmp_path / "gh.log"
    log.touch()
    report = "- [ ] `content/pairs/qqq-vs-iwm.md:7`: claim 'IWM.total_return.1y > QQQ.total_return.1y' no longer holds"
    script = PUBLISH["jobs"]["claims-issue"]["steps"][-1]["run"]
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, env={"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "GH_LOG": str(log),
                                           "OPEN_ISSUE": open_issue, "FAILED": failed, "REPORT": report,
                                           "RUN_URL": "u", "RUNNER_TEMP": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    calls = [line for line in log.read_text().splitlines() if line.startswith("gh ") and "issue list" not in line]
    assert len(calls) == len(expect) and all(c.startswith(e) for c, e in zip(calls, expect)), calls
    if failed != "0":
        assert report in log.read_text() and "2 claim(s) in the commentary no longer hold" in log.read_text()

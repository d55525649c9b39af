"""The replay: N consecutive weekdays of exactly what ``.github/workflows/publish.yml`` does.

    python tests/replay.py [--days N] [--end YYYY-MM-DD] [--short] [--keep DIR] [-v]
    make replay                                   # 60 days ending Fri 31 Jul 2026
    tests/test_replay.py                          # the short version (5 days), inside make test

Each weekday (the cron runs Monday to Friday, 22:35 UTC = 18:35 New York in summer):

1. a fresh runner: a new empty workspace, the data store restored from the ``data`` branch as
   ``git archive | tar -x`` would (only the files the branch holds), yfinance's process state new
   (session, crumb, time-zone cache);
2. the build step of publish.yml, read from the workflow file (its ``run:`` line with ``build.py``),
   run in-process from the workspace with ``--today`` set to that evening (New York), against the
   real yfinance 1.7 code answered by the fake Yahoo of ``tests/yahoo_http.py`` serving the snapshot
   up to that evening; ``GITHUB_ACTIONS`` and ``GITHUB_STEP_SUMMARY`` set as on a runner;
3. what the jobs after it do: the store is committed to the ``data`` branch (save-store: the
   store artifact is uploaded even when the build failed; upload-artifact leaves hidden files out,
   git commits what is left), and the site deployed only when the build exited 0;
4. the day's checks, one function each (:data:`CHECKS`): exit status, banner and what a reader sees
   (README's table "What each run does, and what people see"), what the maintainer sees (step
   summary, annotations), the store (valid, true to Yahoo), the site equal to an offline rebuild
   from the committed store (``--store S --as-of DAY``), nothing printed by third parties.

The oracle is independent of the product: which funds Yahoo serves each day is the schedule's
(:func:`schedule`), the expected session is computed here from the XNYS calendar and README's
rule (the last session that closed at least 30 minutes before the run), and a fund's last close
advances only on days Yahoo served it.

Checks of features not built yet (issue 14 items 1-3, another engineer's work) are in
:data:`PENDING`: their failures are reported as such, with the evidence, and do not fail the
replay; a pending check that passes on every day it ran is reported so it can be made required.
To add a check: write ``def check_x(r: Replay, d: Day) -> list[Result]`` and list it in CHECKS.
To add an event: an :class:`Event` in :func:`schedule` (``setup`` scripts the fake, ``fails``
tells the oracle, ``config`` edits site.toml from that day on, ``after`` adds checks).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from yahoo_http import NY, YahooHTTP, calendar, session_times  # noqa: E402

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
CRON_UTC = "22:35"          # publish.yml: cron "35 22 * * 1-5"
SETTLE = pd.Timedelta(minutes=30)
LIMIT = 3                   # README: "more than 3 sessions behind" -> exit 7
OVERLAP = 5                 # README: each run fetches from 5 stored sessions before the last stored date
SOURCE_LABELS = ("stored prices from earlier Yahoo Finance fetches (data store)",)

PENDING = {
    "check_claims_never_stop_the_publish": "1",
    "check_changes_since_previous_day": "2",
    "check_feed_grows": "2",
    "check_feed_names_a_fund_event_once": "2",
    "check_each_page_as_of_its_funds": "3",
}
"""Checks of issue 14 items not built yet (check -> item): reported, not failing the replay."""


# --------------------------------------------------------------------------- the workflow
def workflow_build_argv(path: Path = WORKFLOW) -> list[str]:
    """The arguments of ``build.py`` in publish.yml's build job (the ``run:`` line that calls it)."""
    import yaml

    doc = yaml.safe_load(path.read_text())
    for step in doc["jobs"]["build"]["steps"]:
        for line in str(step.get("run", "")).splitlines():
            argv = shlex.split(line)
            if "build.py" in argv:
                return argv[argv.index("build.py") + 1:]
    raise SystemExit(f"{path}: no step of the build job runs build.py")


def _arg(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


# --------------------------------------------------------------------------- the schedule
@dataclass
class Event:
    """What happens on a day.  ``fails``: the funds whose refresh fails (``None`` = every fund) - what
    the oracle expects; ``setup`` scripts the fake for the day; ``manual``: a workflow_dispatch run at
    this New York time before the cron; ``edit``: a change pushed to the repository that day, applied
    to a copy of the project's ``site.toml`` and ``content/`` (the folder it is given) from then on,
    e.g. ``Event("a fund added", edit=add_fund("SCHD", ["SCHD", "VTI"]))``; ``after``: extra checks."""

    name: str
    fails: frozenset | None = frozenset()
    setup: Callable[[YahooHTTP], None] | None = None
    manual: str | None = None
    edit: Callable[[Path], None] | None = None
    after: Callable[["Replay", "Day"], list["Result"]] | None = None


NORMAL = Event("normal trading day")


def add_fund(ticker: str, pair: list[str]) -> Callable[[Path], None]:
    """An ``Event.edit``: ``ticker`` added to site.toml's funds, with a pair."""
    def edit(project: Path) -> None:
        import tomllib

        path = project / "site.toml"
        text = path.read_text()
        funds = tomllib.loads(text)["funds"]
        text = re.sub(r"^funds = \[[^\]]*\]", lambda _: f"funds = {json.dumps(funds + [ticker])}", text, count=1,
                      flags=re.M)  # on one line or many
        text = text.replace("pairs = [\n", f"pairs = [\n  {json.dumps(pair)},\n", 1)
        assert tomllib.loads(text)["funds"] == funds + [ticker], "site.toml's funds line has another form"
        path.write_text(text)
    return edit


def _revise(ticker: str, sessions_back: int, factor: float) -> Callable:
    def setup(http: YahooHTTP) -> None:
        days = http.market.close[ticker].index
        day = days[days <= pd.Timestamp(http.now.date())][-1 - sessions_back]
        http.revise(ticker, day, factor)
    return setup


def schedule(days: list[pd.Timestamp], short: bool = False) -> dict[pd.Timestamp, Event]:
    """The events of the replay, by day: each at an offset from the first day (moved to the next
    session when it falls on a holiday); holidays are whatever the NYSE calendar says."""
    if short:
        plan = [(0, Event("first run (no data branch yet)")),
                (1, Event("Yahoo rate-limits, then answers", setup=lambda h: h.fail(429, until=5.0),
                          after=lambda r, d: check_retries_reported(r, d))),
                (2, Event("Yahoo fails all day (HTTP 429)", fails=None, setup=lambda h: h.fail(429))),
                (3, Event("a revised close (QQQ, 2 sessions back)", setup=_revise("QQQ", 2, 1.002),
                          after=lambda r, d: check_revision_picked_up(r, d, "QQQ")))]
    else:
        plan = [(0, Event("first run (no data branch yet)")),
                (2, Event("Yahoo rate-limits, then answers", setup=lambda h: h.fail(429, until=5.0),
                          after=lambda r, d: check_retries_reported(r, d))),
                (4, Event("a manual run at 12:00, then the cron", manual="12:00")),
                (6, Event("Yahoo fails all day (network)", fails=None, setup=lambda h: h.fail("network"))),
                (9, Event("a revised close (SPY, 3 sessions back)", setup=_revise("SPY", 3, 1.002),
                          after=lambda r, d: check_revision_picked_up(r, d, "SPY"))),
                (13, Event("a revised old close (QQQ, 15 sessions back)", setup=_revise("QQQ", 15, 0.997),
                           after=lambda r, d: watch_old_revision(r, d, "QQQ"))),
                (20, Event("outage day 1 (HTTP 429 all day)", fails=None, setup=lambda h: h.fail(429))),
                (21, Event("outage day 2", fails=None, setup=lambda h: h.fail(429))),
                (22, Event("outage day 3", fails=None, setup=lambda h: h.fail(429))),
                (23, Event("outage day 4: prices too old", fails=None, setup=lambda h: h.fail(429))),
                (24, Event("Yahoo answers again")),
                (28, Event("one fund missing (VTI)", fails=frozenset({"VTI"}),
                           setup=lambda h: h.missing.add("VTI"))),
                (34, Event("a split (SCHA 2-for-1)", setup=lambda h: h.split("SCHA", h.now.date(), 2.0),
                           after=lambda r, d: check_split(r, d, "SCHA", 2.0)))]
    out: dict[pd.Timestamp, Event] = {}
    sessions = [d for d in days if calendar().is_session(d)]
    for offset, event in plan:
        if offset >= len(days):
            continue
        day = days[offset]
        later = [d for d in sessions if d >= day and d not in out] if offset else [day]
        if later:
            out[later[0]] = event
    return out


# --------------------------------------------------------------------------- results
@dataclass
class Result:
    check: str
    status: str               # "ok", "fail", "pending", "n/a" (nothing to check that day)
    message: str = ""
    item: str | None = None   # issue 14 item of a pending failure


def ok(check: str) -> list[Result]:
    return [Result(check, "ok")]


def fail(check: str, message: str, item: str | None = None) -> list[Result]:
    return [Result(check, "pending" if item else "fail", message, item)]


def na(check: str) -> list[Result]:
    return [Result(check, "n/a")]


@dataclass
class Day:
    n: int
    date: pd.Timestamp
    event: Event
    now: pd.Timestamp = None          # the cron's moment (New York)
    expected_session: pd.Timestamp = None
    last: dict = field(default_factory=dict)      # the oracle: each fund's last close after the day
    behind: dict = field(default_factory=dict)
    exp_exit: int = 0
    exp_as_of: pd.Timestamp = None
    failed: frozenset = frozenset()
    code: int | None = None
    out: str = ""
    err: str = ""
    summary: str = ""
    seconds: float = 0.0
    ws: Path = None
    site: Path = None
    deployed_before: str | None = None
    requests: str = ""
    dividends: dict = field(default_factory=dict)  # fund -> (ex-date, amount) going ex since its last close
    results: list[Result] = field(default_factory=list)

    @property
    def holiday(self) -> bool:
        return not calendar().is_session(self.date)


# --------------------------------------------------------------------------- the replay
SITE_FILES = ["site.toml", "content", "data"]
"""What a checkout holds that a build reads (the package itself is installed): the config, commentary, and
``data/`` (funds.toml, the snapshot) without the git-ignored live store ``data/cache/``."""


def checkout(ws: Path, site_toml: str | None = None) -> None:
    """A fresh runner's checkout in ``ws``: the repository's site files (:data:`SITE_FILES`); the build finds
    them beside ``site.toml``, as publish.yml's build step does from the repository's root.  ``site_toml``:
    this text instead of the repository's site.toml (the short replay's small site)."""
    ws.mkdir(parents=True, exist_ok=True)
    for rel in SITE_FILES:
        src = ROOT / rel
        if src.is_dir():
            shutil.copytree(src, ws / rel, ignore=shutil.ignore_patterns("cache", "__pycache__"))
        else:
            shutil.copy2(src, ws / rel)
    if site_toml is not None:
        (ws / "site.toml").write_text(site_toml)


class Replay:
    def __init__(self, days: int = 60, end: str = "2026-07-31", short: bool = False, keep: Path | None = None,
                 verbose: bool = False, out=sys.stdout, site_toml: str | None = None):
        self.days = list(pd.bdate_range(end=pd.Timestamp(end), periods=days))
        self.events = schedule(self.days, short)
        self.argv = workflow_build_argv()
        self.store_rel, self.out_rel = _arg(self.argv, "--store"), _arg(self.argv, "--out")
        self.tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="versus-replay-"))
        self.keep = keep is not None
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.branch = self.tmp / "data-branch"   # the data branch's files (None until the first commit)
        self.deployed = self.tmp / "deployed"    # the last good deployment
        self.edits: list[Callable[[Path], None]] = []   # Event.edit of this and earlier days
        self.http = YahooHTTP(f"{self.days[0].date()}T18:35")
        import tomllib

        self.site_toml = site_toml  # None: the repository's site.toml (what publish.yml builds)
        self.funds = tomllib.loads(site_toml if site_toml is not None else (ROOT / "site.toml").read_text())["funds"]
        self.last: dict[str, pd.Timestamp] = {}
        self.history: list[Day] = []
        self.watches: list[tuple[str, pd.Timestamp, pd.Timestamp]] = []  # (ticker, revised day, since)
        self.verbose = verbose
        self.stream = out
        self.previous_store = None

    # -- one day ---------------------------------------------------------------
    def cron_time(self, day: pd.Timestamp) -> pd.Timestamp:
        return pd.Timestamp(f"{day.date()} {CRON_UTC}", tz="UTC").tz_convert(NY)

    def expect(self, d: Day, now: pd.Timestamp, fails) -> None:
        """README's rules, computed here: the expected session, each fund's last close, exit, as-of."""
        cal = calendar()
        sessions = cal.sessions_in_range(now.date() - pd.Timedelta(days=14), now.date())
        d.expected_session = next(pd.Timestamp(s).tz_localize(None) for s in reversed(sessions)
                                  if cal.session_close(s) + SETTLE <= now.tz_convert("UTC"))
        failing = set(self.funds) if fails is None else set(fails)
        d.failed = frozenset(t for t in self.funds if t in failing)
        last = dict(self.last)
        for t in self.funds:
            if t not in failing:
                last[t] = d.expected_session
        d.last = last
        d.behind = {t: len(cal.sessions_in_range(last[t] + pd.Timedelta(days=1), d.expected_session))
                    if t in last else None for t in self.funds}
        d.dividends = {}
        for t in self.funds:
            if t in failing or t not in self.last:
                continue
            divs = self.http.series(t)["dividends"]
            new = divs[(divs.index > self.last[t]) & (divs.index <= d.expected_session)]
            if len(new):
                d.dividends[t] = (new.index[-1], float(new.iloc[-1]))
        d.exp_exit = 7 if any(b is None or b > LIMIT for b in d.behind.values()) else 0
        d.exp_as_of = min(last.values()) if last else None

    def run_build(self, d: Day, now: pd.Timestamp, ws: Path) -> tuple[int, str, str, str]:
        """publish.yml's build job on a fresh runner at ``now``: restore, build; (exit, stdout, stderr, summary)."""
        from versus.cli import main

        if ws.exists():
            shutil.rmtree(ws)
        checkout(ws, self.site_toml)                   # actions/checkout: the site's files (the package is
        for edit in self.edits:                        # installed); the repository as changed by the day's pushes
            edit(ws)
        store = ws / self.store_rel
        store.mkdir(parents=True)
        if self.branch.exists():                       # git archive FETCH_HEAD | tar -x -C data/cache
            for f in sorted(self.branch.iterdir()):
                shutil.copy2(f, store / f.name)
        summary = ws / "step-summary.md"
        self.http.at(now)
        self.http.new_run(ws / "yf-cache")
        argv = list(self.argv) + ["--today", now.strftime("%Y-%m-%dT%H:%M")]  # site.toml: the workspace's
        env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary),
               "VERSUS_DEBUG_LOG": str(ws / ".cache" / "yahoo-debug.log")}
        out, err = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        saved = {k: os.environ.get(k) for k in env}
        try:
            os.environ.update(env)
            os.chdir(ws)
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        finally:
            os.chdir(cwd)
            for k, v in saved.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        return code, out.getvalue(), err.getvalue(), summary.read_text() if summary.exists() else ""

    def commit_store(self, ws: Path) -> None:
        """save-store: upload-artifact (no hidden files) of the store, then ``git rm -rf .; cp; git add -A``."""
        store = ws / self.store_rel
        files = [f for f in sorted(store.iterdir()) if f.is_file() and not f.name.startswith(".")] \
            if store.exists() else []
        if not files:                                  # if-no-files-found: ignore -> no artifact, no commit
            return
        if self.branch.exists():
            shutil.rmtree(self.branch)
        self.branch.mkdir()
        for f in files:
            shutil.copy2(f, self.branch / f.name)

    def day(self, n: int, date: pd.Timestamp) -> Day:
        event = self.events.get(date, NORMAL)
        if event is NORMAL and not calendar().is_session(date):
            event = Event("market holiday (the cron runs anyway)")
        d = Day(n, date, event)
        self.http.rules.clear()
        self.http.missing.clear()
        if event.edit is not None:
            import tomllib

            self.edits.append(event.edit)
            probe = Path(tempfile.mkdtemp(prefix="edit-", dir=self.tmp))
            checkout(probe, self.site_toml)
            for edit in self.edits:
                edit(probe)
            self.funds = tomllib.loads((probe / "site.toml").read_text())["funds"]
        d.deployed_before = tree_hash(self.deployed) if self.deployed.exists() else None
        if event.manual:                               # a workflow_dispatch run during the session
            now = pd.Timestamp(f"{date.date()} {event.manual}", tz=NY)
            m = Day(n, date, Event(f"manual run at {event.manual}"), now=now)
            self.http.at(now)
            self.expect(m, now, frozenset())
            m.code, m.out, m.err, m.summary = self.run_build(m, now, self.tmp / f"day{n:02d}-manual")
            m.ws = self.tmp / f"day{n:02d}-manual"
            m.site = m.ws / self.out_rel
            self.commit_store(m.ws)
            m.deployed_before = d.deployed_before
            if m.code == 0:
                self.deploy(m.site)
            m.results = self.check(m, manual=True)
            d.results += [Result(f"manual: {r.check}", r.status, r.message, r.item) for r in m.results]
            d.deployed_before = tree_hash(self.deployed) if self.deployed.exists() else None
        d.now = self.cron_time(date)
        self.http.rules.clear()
        self.http.at(d.now)
        if event.setup:
            event.setup(self.http)
        self.expect(d, d.now, event.fails)
        d.ws = self.tmp / f"day{n:02d}"
        t0 = time.perf_counter()
        d.code, d.out, d.err, d.summary = self.run_build(d, d.now, d.ws)
        d.seconds = time.perf_counter() - t0
        d.requests = self.http.summary()
        d.site = d.ws / self.out_rel
        self.commit_store(d.ws)
        if d.code == 0:
            self.deploy(d.site)
        self.last = dict(d.last)
        d.results += self.check(d)
        if event.after:
            d.results += event.after(self, d)
        for t, day_rev, since in list(self.watches):
            d.results += check_watch(self, d, t, day_rev, since)
        self.previous_store = self.read_store()
        if not self.keep and n > 1:
            shutil.rmtree(self.tmp / f"day{n - 1:02d}", ignore_errors=True)
            shutil.rmtree(self.tmp / f"day{n - 1:02d}-manual", ignore_errors=True)
            shutil.rmtree(self.tmp / f"day{n - 1:02d}-offline", ignore_errors=True)
        return d

    def deploy(self, site: Path) -> None:
        if self.deployed.exists():
            shutil.rmtree(self.deployed)
        shutil.copytree(site, self.deployed)

    def check(self, d: Day, manual: bool = False) -> list[Result]:
        results = []
        for fn in CHECKS:
            if manual and fn in DAY_ONLY:
                continue
            try:
                got = fn(self, d)
            except Exception as exc:  # a check that crashes is a failing check, with its reason
                got = fail(fn.__name__, f"the check raised {type(exc).__name__}: {exc}")
            item = PENDING.get(fn.__name__)
            for r in got:
                if item and r.status == "fail":
                    r.status, r.item = "pending", item
            results += got
        return results

    def read_store(self):
        from versus.sources.store import open_store

        if not self.branch.exists():
            return None
        md, manifest, problem = open_store(self.branch, "replay")
        return None if problem else (md, manifest)

    # -- the whole replay ------------------------------------------------------
    def run(self) -> int:
        t0 = time.perf_counter()
        self.say(f"replay: {len(self.days)} weekdays {self.days[0].date()} .. {self.days[-1].date()}, "
                 f"build command from {WORKFLOW.relative_to(ROOT)}: python build.py {' '.join(self.argv)} "
                 f"--today <evening>; work in {self.tmp}")
        self.say(f"{'day':>3} {'date':<14} {'event':<56} {'exit':>4} {'want':>4}  {'site as of':<10}  "
                 f"{'banner':<24} {'secs':>5}  checks")
        with self.http.installed(self.tmp / "yf-cache"):
            for n, date in enumerate(self.days, 1):
                d = self.day(n, date)
                self.history.append(d)
                self.say(self.line(d))
                if self.verbose:
                    for r in d.results:
                        if r.status not in ("ok", "n/a"):
                            self.say(f"      {r.status}{' (item ' + r.item + ')' if r.item else ''} "
                                     f"{r.check}: {r.message}")
        self.say(f"({time.perf_counter() - t0:.0f} s)")
        return self.report()

    def line(self, d: Day) -> str:
        doc = build_json(d.site)
        as_of = doc["as_of"] if doc else "-"
        banner = (doc or {}).get("banner")
        btxt = "-" if not banner else banner["headline"].split("; ", 1)[1][:24]
        bad = sorted({r.check for r in d.results if r.status == "fail"})
        pend = sorted({r.item for r in d.results if r.status == "pending"})
        status = ("FAIL " + ", ".join(bad) if bad else "ok") + (f"; pending items {', '.join(pend)}" if pend else "")
        name = d.event.name + "".join(f" + {t} dividend" for t in d.dividends)
        return (f"{d.n:>3} {d.date:%a %Y-%m-%d} {name[:56]:<56} {d.code:>4} {d.exp_exit:>4}  {as_of:<10}  "
                f"{btxt:<24} {d.seconds:>5.1f}  {status}")

    def report(self) -> int:
        fails = [(d, r) for d in self.history for r in d.results if r.status == "fail"]
        pending = [(d, r) for d in self.history for r in d.results if r.status == "pending"]
        self.say(f"\n{len(self.history)} days: {sum(1 for d in self.history if not any(r.status == 'fail' for r in d.results))}"
                 f" without a failing check, {len({d.n for d, _ in fails})} with; "
                 f"{len({d.n for d, _ in pending})} with pending checks (issue 14 items not built yet)")
        if fails:
            self.say("\nFAILED checks:")
            for d, r in fails:
                self.say(f"  day {d.n} {d.date.date()} ({d.event.name}) {r.check}: {r.message}")
        if pending:
            self.say("\npending checks (README rows that fail today; features of issue 14 not built yet):")
            by: dict[tuple[str, str], list] = {}
            for d, r in pending:
                by.setdefault((r.item, r.check), []).append((d, r))
            for (item, check), rows in sorted(by.items()):
                d, r = rows[0]
                self.say(f"  item {item} {check}: {len(rows)} day(s), first {d.date.date()}: {r.message}")
        for name, item in PENDING.items():
            statuses = [r.status for d in self.history for r in d.results if r.check == name and r.status != "n/a"]
            if statuses and all(s == "ok" for s in statuses):
                self.say(f"\npending check {name} (item {item}) passes on every day: make it required "
                         "(remove it from PENDING in tests/replay.py)")
                fails.append((None, Result(name, "fail", "a pending check passes: make it required")))
        return 1 if fails else 0

    def say(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


# --------------------------------------------------------------------------- helpers
def build_json(site: Path | None) -> dict | None:
    p = site / "build.json" if site else None
    return json.loads(p.read_text()) if p and p.exists() else None


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


BANNER_RE = re.compile(r'<div class="stale banner" role="alert">(.*?)</div>', re.S)


def banner_text(page: str) -> str | None:
    import html

    m = BANNER_RE.search(page)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", m.group(1)).split())) if m else None


def day_name(d) -> str:
    d = pd.Timestamp(d)
    return f"{d:%a} {d.day} {d:%b %Y}"


def claims_only(err: str) -> list[str]:
    """The claim warnings of a build that exited 6 because of them alone (else [])."""
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    claims = [w for w in warnings if "no longer holds" in w]
    strict = [line for line in err.splitlines() if line.startswith("error: --strict:")]
    return claims if claims and strict and len(claims) >= int(re.search(r"(\d+) warning", strict[-1]).group(1)) \
        else []


# --------------------------------------------------------------------------- the checks (README's table)
def check_exit(r: Replay, d: Day) -> list[Result]:
    """README: 0 on a normal day, a holiday, a rate-limited or failed refresh within the limit; 7 when the
    prices are more than 3 sessions behind."""
    if d.code == d.exp_exit:
        return ok("check_exit")
    claims = claims_only(d.err) if d.code == 6 else []
    if claims:
        return fail("check_exit", f"exit 6, expected {d.exp_exit}: {claims[0][9:]}", item="1")
    last = d.err.strip().splitlines()[-1] if d.err.strip() else ""
    return fail("check_exit", f"exit {d.code}, expected {d.exp_exit}: {last}")


def check_written(r: Replay, d: Day) -> list[Result]:
    """Exit 7 writes nothing; any other exit of a full build writes the whole site."""
    exists = (d.site / "index.html").exists()
    if d.code == 7 and d.site.exists():
        return fail("check_written", f"exit 7 but {d.site} was written")
    if d.code in (0, 6) and not exists:
        return fail("check_written", f"exit {d.code} and no site written")
    return ok("check_written")


def check_reader(r: Replay, d: Day) -> list[Result]:
    """What a reader sees: the deployed site as of the expected day; after exit 7, the previous deployment
    unchanged."""
    if d.exp_exit == 7:
        now = tree_hash(r.deployed) if r.deployed.exists() else None
        if now != d.deployed_before:
            return fail("check_reader", "the deployment changed on a day that must keep it")
        return ok("check_reader")
    doc = build_json(r.deployed)
    got = doc["as_of"] if doc else None
    if got == str(d.exp_as_of.date()):
        return ok("check_reader")
    claims = claims_only(d.err) if d.code == 6 else []
    msg = f"readers see a site as of {got}, expected {d.exp_as_of.date()}"
    return fail("check_reader", msg + (" (the build exited 6 on a claim: not deployed)" if claims else ""),
                item="1" if claims else None)


def check_banner(r: Replay, d: Day) -> list[Result]:
    """Every page: no banner when every fund is current; else "Prices as of <day>; today's refresh failed"
    (or "the latest close is not available yet") naming the funds not refreshed."""
    if not (d.site / "index.html").exists():
        return ok("check_banner")
    failed = sorted(d.failed)
    behind = max(b for b in d.behind.values() if b is not None)
    want = None
    if failed:
        want = f"Prices as of {day_name(d.exp_as_of)}; today's refresh failed"
    elif behind:
        want = f"Prices as of {day_name(d.exp_as_of)}; the latest close is not available yet"
    out = []
    for page in sorted(d.site.rglob("index.html")):
        text = banner_text(page.read_text())
        rel = page.relative_to(d.site).as_posix()
        if want is None and text is not None:
            out += fail("check_banner", f"{rel}: a banner on a day without one: {text[:120]}")
        elif want is not None and (text is None or not text.startswith(want)):
            out += fail("check_banner", f"{rel}: banner {text!r:.120}, expected it to start {want!r}")
        elif want and failed and not all(t in text for t in failed):
            out += fail("check_banner", f"{rel}: the banner does not name {', '.join(failed)}: {text[:160]}")
        if out:
            break
    return out or ok("check_banner")


def check_maintainer(r: Replay, d: Day) -> list[Result]:
    """The step summary and annotations: the per-fund table (0 behind on a normal day), the banner and a
    warning annotation when there is one, "build FAILED (exit 7)" and an error annotation on exit 7."""
    s, out = d.summary, d.out
    if d.code == 7:
        if "## versus: build FAILED (exit 7)" not in s or "::error title=versus build failed (exit 7)" not in out:
            return fail("check_maintainer", "exit 7 without 'build FAILED (exit 7)' in the summary or an error "
                                            "annotation")
        if not all(t in s for t in d.failed):
            return fail("check_maintainer", "the exit-7 summary does not name the funds")
        return ok("check_maintainer")
    if d.code not in (0, 6):
        return ok("check_maintainer")  # another check reports the unexpected exit
    problems = []
    for t in r.funds:
        row = re.search(rf"^\| {t} \| (\S+) \| (\d+) \| (.*) \|$", s, re.M)
        if not row:
            problems.append(f"no summary row for {t}")
            continue
        if row.group(1) != str(d.last[t].date()) or int(row.group(2)) != d.behind[t]:
            problems.append(f"{t}: summary says last {row.group(1)}, {row.group(2)} behind; expected "
                            f"{d.last[t].date()}, {d.behind[t]}")
        if (t in d.failed) != row.group(3).startswith("NOT refreshed"):
            problems.append(f"{t}: summary says '{row.group(3)[:60]}'")
    banner = (build_json(d.site) or {}).get("banner")
    if banner:
        if f"> **{banner['headline']}**" not in s:
            problems.append("the banner is not in the summary")
        if f"::warning title={banner['headline'].replace(':', '%3A').replace(',', '%2C')}::" not in out:
            problems.append("no warning annotation for the banner")
    return fail("check_maintainer", "; ".join(problems)) if problems else ok("check_maintainer")


def check_quiet(r: Replay, d: Day) -> list[Result]:
    """Nothing from yfinance or pandas in the build output; yfinance asked only for URLs Yahoo serves."""
    noise = [line for line in (d.out + d.err).splitlines()
             if any(k in line for k in ("Warning:", "site-packages", "Failed download", "Traceback"))]
    if noise:
        return fail("check_quiet", f"third-party output: {noise[0][:160]}")
    if r.http.unknown:
        return fail("check_quiet", f"yfinance asked for URLs the fake does not serve: {r.http.unknown[:2]}")
    return ok("check_quiet")


def check_store(r: Replay, d: Day) -> list[Result]:
    """The committed store: valid (files match the manifest), each fund's last close the one the oracle
    expects, the refetched window equal to what Yahoo serves, a fund's whole history equal to Yahoo's on
    the day of its full refresh, and every fund named (fund facts)."""
    from versus.sources.store import open_store

    if not r.branch.exists():
        return fail("check_store", "no data branch after the run")
    md, manifest, problem = open_store(r.branch, "replay")
    if problem:
        return fail("check_store", problem)
    problems = []
    today = str(d.now.date())
    for t in r.funds:
        adj = md.adj_close[t].dropna() if t in md.adj_close else pd.Series(dtype=float)
        if adj.empty:
            problems.append(f"{t}: not in the store")
            continue
        if adj.index[-1] != d.last[t]:
            problems.append(f"{t}: the store ends {adj.index[-1].date()}, expected {d.last[t].date()}")
        info = manifest.tickers.get(t, {})
        if info.get("last") != str(adj.index[-1].date()):
            problems.append(f"{t}: manifest says last {info.get('last')}")
        if t in d.failed:
            continue
        yahoo = yahoo_at(r.http, t, d.expected_session)["bars"]
        rows = adj.index if info.get("full_refresh") == today else adj.index[-(OVERLAP + 1):]
        y_adj = yahoo["adjclose"].reindex(rows)
        rel = (adj.reindex(rows) / y_adj - 1).abs()
        if not (rel < 1e-9).all():
            bad = rel.idxmax()
            problems.append(f"{t}: stored adjusted close of {bad.date()} {adj[bad]!r} differs from Yahoo's "
                            f"{y_adj[bad]!r}")
        close = md.close[t].reindex(rows)
        relc = (close / yahoo["close"].reindex(rows) - 1).abs()
        if not (relc < 1e-6).all():
            bad = relc.idxmax()
            problems.append(f"{t}: stored close of {bad.date()} {close[bad]!r} differs from Yahoo's "
                            f"{yahoo['close'][bad]!r}")
        name = (md.meta.get(t) or {}).get("name", {}).get("value")
        if name != r.http.fund(t).long_name:
            problems.append(f"{t}: fund facts name {name!r}")
    return fail("check_store", "; ".join(problems[:4])) if problems else ok("check_store")


def yahoo_at(http: YahooHTTP, t: str, session: pd.Timestamp) -> dict:
    """What Yahoo served for ``t`` the evening of ``session``: what the store must hold after a run whose
    expected session it is (a run during the next session drops that day's bar and its dividend)."""
    saved = http.now
    http.now = pd.Timestamp(f"{session.date()} 20:00", tz=NY)
    try:
        return http.series(t)
    finally:
        http.now = saved


def _normalized(folder: Path) -> dict[str, bytes]:
    """A site's files for comparison: the data-source label and the refresh banner (live-only
    provenance) taken out, build.json reduced to what the data decide."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(folder).as_posix()
        data = p.read_bytes()
        if rel == "build.json":
            doc = json.loads(data)
            data = json.dumps({"as_of": doc["as_of"], "pages": doc["pages"], "notes": doc["notes"],
                               "funds": {t: {k: v[k] for k in ("first", "last")} for t, v in doc["funds"].items()}},
                              sort_keys=True).encode()
        elif p.suffix in (".html", ".json", ".xml", ".csv", ".txt", ".js"):
            text = data.decode()
            for label in SOURCE_LABELS:
                text = text.replace(label, "<source>")
            text = LIVE_LABEL.sub("<source>", text)
            text = BANNER_RE.sub("", text).replace("</div>\n\n</header>", "</div>\n</header>")
            data = text.encode()
        out[rel] = data
    return out


LIVE_LABEL = re.compile(r"Yahoo Finance via yfinance [0-9][0-9.]*")


def check_offline_rebuild(r: Replay, d: Day) -> list[Result]:
    """README "Reproduce a past deployment": the day's site equals ``build.py --store S --as-of DAY`` from
    the store the run committed (the source label and the refresh banner aside)."""
    from versus.cli import main

    doc = build_json(d.site)
    if doc is None:
        return ok("check_offline_rebuild")
    off = d.ws.parent / f"{d.ws.name}-offline"
    if off.exists():
        shutil.rmtree(off)
    argv = ["--store", str(r.branch), "--as-of", doc["as_of"], "--out", str(off), "--quiet",
            "--config", str(d.ws / "site.toml")]  # the day's checkout (its site.toml, data/funds.toml, content/)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(argv)
    if code not in (0, 6):
        return fail("check_offline_rebuild", f"the offline rebuild exited {code}: {err.getvalue().strip()[-200:]}")
    live, offline = _normalized(d.site), _normalized(off)
    if live.keys() != offline.keys():
        return fail("check_offline_rebuild", f"files differ: {sorted(live.keys() ^ offline.keys())[:4]}")
    diff = [k for k in live if live[k] != offline[k]]
    if diff:
        # Some funds fresh, some not: the live site is as of the common day with a note that the others
        # have data to today, which --as-of leaves out. How such a day is published and reproduced is
        # issue 14 item 3 (each page as of its own funds).
        partial = bool(d.failed) and d.failed != frozenset(r.funds)
        return fail("check_offline_rebuild", f"{len(diff)} file(s) differ from the offline rebuild, e.g. "
                                             f"{diff[0]}: {_first_difference(live[diff[0]], offline[diff[0]])}",
                    item="3" if partial else None)
    return ok("check_offline_rebuild")


def _first_difference(a: bytes, b: bytes) -> str:
    i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    return f"live {a[max(0, i - 40):i + 60]!r} / offline {b[max(0, i - 40):i + 60]!r}"


def check_new_dividends(r: Replay, d: Day) -> list[Result]:
    """A fund going ex-dividend: the dividend is in the store and the fund's history was fetched again
    that day (README: a new dividend rewrites Yahoo's adjusted history)."""
    if not d.dividends:
        return na("check_new_dividends")
    md, manifest = r.read_store()
    problems = []
    for t, (day, amount) in d.dividends.items():
        stored = md.dividends[t].get(day) if t in md.dividends else None
        if stored is None or abs(stored - amount) > 1e-9:
            problems.append(f"{t}: dividend of {amount:g} on {day.date()} not in the store ({stored})")
        if manifest.tickers[t].get("full_refresh") != str(d.now.date()):
            problems.append(f"{t}: history not fetched again on its ex-date")
    return fail("check_new_dividends", "; ".join(problems)) if problems else ok("check_new_dividends")


# -- pending: issue 14 items 1-3 (another engineer's work) -------------------------
def check_claims_never_stop_the_publish(r: Replay, d: Day) -> list[Result]:
    """Item 1: a claim that no longer holds never stops the build (exit 0, flagged on the page)."""
    claims = claims_only(d.err) if d.code == 6 else []
    if claims:
        return fail("check_claims_never_stop_the_publish", f"exit 6 on {len(claims)} claim(s): {claims[0][9:160]}")
    if "no longer holds" in d.err:  # a claim failed and the build went on: what item 1 asks
        return ok("check_claims_never_stop_the_publish")
    return na("check_claims_never_stop_the_publish")


def check_changes_since_previous_day(r: Replay, d: Day) -> list[Result]:
    """Item 2: on a fresh runner, pair JSON's ``changes.since`` is the previous published day."""
    previous = next((p for p in reversed(r.history) if p.code == 0), None)
    doc = build_json(d.site)
    if doc is None or previous is None:
        return na("check_changes_since_previous_day")
    prev_as_of = str(previous.exp_as_of.date())
    if prev_as_of == doc["as_of"]:
        return na("check_changes_since_previous_day")
    pair = next(iter(sorted((d.site / "api" / "pairs").glob("*.json"))))
    since = json.loads(pair.read_text())["changes"]["since"]
    if since != prev_as_of:
        return fail("check_changes_since_previous_day", f"{pair.name}: changes.since = {since!r}, expected "
                                                        f"{prev_as_of} (the previous published day)")
    return ok("check_changes_since_previous_day")


def _feed_entries(site: Path) -> list[str]:
    feed = site / "feed.xml"
    return re.findall(r"<entry>.*?</entry>", feed.read_text(), re.S) if feed.exists() else []


def check_feed_grows(r: Replay, d: Day) -> list[Result]:
    """Item 2: the feed keeps the earlier days' entries (one more entry per new as-of date)."""
    previous = [p for p in r.history if p.code == 0]
    doc = build_json(d.site)
    if doc is None or not previous:
        return na("check_feed_grows")
    dates = {str(p.exp_as_of.date()) for p in previous} | {doc["as_of"]}
    entries = _feed_entries(d.site)
    if len(entries) < min(len(dates), 100):
        return fail("check_feed_grows", f"the feed has {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} "
                                        f"after {len(dates)} published days")
    return ok("check_feed_grows")


def check_feed_names_a_fund_event_once(r: Replay, d: Day) -> list[Result]:
    """Item 2: one fund's event (e.g. a new 52-week high) is one feed line, not one per pair."""
    entries = _feed_entries(d.site) if d.site else []
    seen = False
    for entry in entries:
        lines = re.findall(r"(\w+) set a new 52-week high", entry)
        seen = seen or bool(lines)
        dup = sorted({t for t in lines if lines.count(t) > 1})
        if dup:
            return fail("check_feed_names_a_fund_event_once",
                        f"'{dup[0]} set a new 52-week high' {lines.count(dup[0])} times in one entry")
    return ok("check_feed_names_a_fund_event_once") if seen else na("check_feed_names_a_fund_event_once")


def check_each_page_as_of_its_funds(r: Replay, d: Day) -> list[Result]:
    """Item 3: each page is as of its own funds' common last close (a stale fund holds back its pages only)."""
    if build_json(d.site) is None or not d.failed or d.failed == frozenset(r.funds):
        return na("check_each_page_as_of_its_funds")  # only a day when some funds fail tells
    for p in sorted((d.site / "api" / "pairs").glob("*.json")):
        doc = json.loads(p.read_text())
        want = min(d.last[t] for t in doc["tickers"])
        if doc["as_of"] != str(want.date()):
            return fail("check_each_page_as_of_its_funds", f"{p.stem} is as of {doc['as_of']}, its funds' last "
                                                           f"common close is {want.date()}")
    return ok("check_each_page_as_of_its_funds")


# -- event checks -------------------------------------------------------------------
def check_retries_reported(r: Replay, d: Day) -> list[Result]:
    """README: "the retries (2, 4, 8, 16 s, 4 min budget) listed in the summary"."""
    if "- retry: attempt 1: no data for every ticker (rate-limited, HTTP 429); retrying in 2s" not in d.summary:
        return fail("check_retries_reported", "the step summary does not list the retries")
    return ok("check_retries_reported")


def check_revision_picked_up(r: Replay, d: Day, t: str) -> list[Result]:
    """A revised close inside the refetched window: that fund's whole history fetched again the same day."""
    md, manifest = r.read_store()
    if manifest.tickers[t].get("full_refresh") != str(d.now.date()):
        return fail("check_revision_picked_up", f"{t}: no full refresh on the day Yahoo revised a close")
    return ok("check_revision_picked_up")


def watch_old_revision(r: Replay, d: Day, t: str) -> list[Result]:
    """A revised close older than the window: not seen today (README: the weekly full refresh catches it)."""
    (tt, day), = [(k[0], k[1]) for k in r.http.revisions if k[0] == t]
    r.watches.append((t, day, d.date))
    return ok("watch_old_revision")


def check_watch(r: Replay, d: Day, t: str, day: pd.Timestamp, since: pd.Timestamp) -> list[Result]:
    md, manifest = r.read_store()
    want = r.http.series(t)["bars"]["adjclose"][day]
    if abs(md.adj_close.at[day, t] / want - 1) < 1e-9:
        r.watches.remove((t, day, since))
        return ok("check_old_revision_within_a_week")
    if (d.date - since).days >= 7:
        return fail("check_old_revision_within_a_week", f"{t}: the close of {day.date()} revised on "
                                                        f"{since.date()} is still the old one in the store")
    return []


def check_split(r: Replay, d: Day, t: str, ratio: float) -> list[Result]:
    """A split: the fund's history fetched again that day, every stored price divided by the ratio, so every
    return (and page figure) is what it was."""
    md, manifest = r.read_store()
    prev, _ = r.previous_store
    if manifest.tickers[t].get("full_refresh") != str(d.now.date()):
        return fail("check_split", f"{t}: no full refresh on the day of the split")
    common = prev.adj_close[t].dropna().index
    ratios = (prev.adj_close[t].reindex(common) / md.adj_close[t].reindex(common))
    if not ((ratios / ratio - 1).abs() < 1e-9).all():
        return fail("check_split", f"{t}: stored prices before the split are not the old ones / {ratio:g} "
                                   f"(ratio {ratios.min():.6g}..{ratios.max():.6g})")
    return ok("check_split")


CHECKS = [check_exit, check_written, check_reader, check_banner, check_maintainer, check_quiet, check_store,
          check_new_dividends, check_offline_rebuild, check_claims_never_stop_the_publish, check_changes_since_previous_day,
          check_feed_grows, check_feed_names_a_fund_event_once, check_each_page_as_of_its_funds]
"""The checks after every run, in order (each ``(Replay, Day) -> list[Result]``)."""
DAY_ONLY = {check_changes_since_previous_day, check_feed_grows}
"""Not run after a manual run (they compare consecutive days)."""


# --------------------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--days", type=int, default=60, help="weekdays to replay (default 60)")
    p.add_argument("--end", default="2026-07-31", help="the last day (default: the snapshot's last common day)")
    p.add_argument("--short", action="store_true", help="the short schedule (first run, 429, outage, revision)")
    p.add_argument("--keep", type=Path, help="keep every day's workspace in this folder")
    p.add_argument("-v", "--verbose", action="store_true", help="print every failing or pending check")
    a = p.parse_args(argv)
    replay = Replay(a.days, a.end, a.short, a.keep, a.verbose)
    try:
        return replay.run()
    finally:
        if not replay.keep:
            shutil.rmtree(replay.tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""The replay: N consecutive weekdays of exactly what ``.github/workflows/publish.yml`` does.

    python tests/replay.py [--days N] [--end YYYY-MM-DD] [--short] [--keep DIR] [-v]
    make replay                                   # 60 days ending Fri 31 Jul 2026
    tests/test_replay.py                          # the short version (4 days), inside make test

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

Checks of features not built yet are in
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


CLAIM_FUND, CLAIM_PAIR = "DIA", "dia-vs-spy"
"""The fund of the replay's claim (no other event touches it) and the pair page whose commentary makes it."""


def add_commentary(slug: str, claim: str, updated: pd.Timestamp) -> Callable[[Path], None]:
    """An ``Event.edit``: an editor pushes ``content/pairs/<slug>.md`` making one claim."""
    def edit(project: Path) -> None:
        path = project / "content" / "pairs" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'---\ntitle: "Thirty blue chips or the whole market?"\nauthor: "replay"\n'
                        f'updated: {updated.date()}\nclaims:\n  - "{claim}"\n---\n'
                        f"{CLAIM_FUND} is {{{{ {CLAIM_FUND}.drawdown_now.value | pct }}}} from its all-time high.\n")
    return edit


def drawdown_at(http: YahooHTTP, t: str, session: pd.Timestamp) -> float:
    """The oracle's fall from the all-time high (adjusted closes Yahoo serves the evening of ``session``)."""
    adj = yahoo_at(http, t, session)["bars"]["adjclose"]
    return float(adj.iloc[-1] / adj.max() - 1)


def claim_plan(http: YahooHTTP, days: list[pd.Timestamp], first: int, taken: set[int]):
    """(offset the editor pushes the claim, offset it turns false, the claim): two consecutive sessions from
    ``first`` with no other event, on which CLAIM_FUND falls at least 0.2 % further below its high; the claim
    "its drawdown is above the midpoint" holds on the first evening and not on the second.  None if the
    window has no such pair of days."""
    cal = calendar()
    for i in range(first, len(days) - 1):
        if {i, i + 1} & taken or not (cal.is_session(days[i]) and cal.is_session(days[i + 1])):
            continue
        a, b = drawdown_at(http, CLAIM_FUND, days[i]), drawdown_at(http, CLAIM_FUND, days[i + 1])
        if a - b > 0.002:
            return i, i + 1, f"{CLAIM_FUND}.drawdown_now.value > {round((a + b) / 2, 4)}"
    return None


def _revise(ticker: str, sessions_back: int, factor: float) -> Callable:
    def setup(http: YahooHTTP) -> None:
        days = http.market.close[ticker].index
        day = days[days <= pd.Timestamp(http.now.date())][-1 - sessions_back]
        http.revise(ticker, day, factor)
    return setup


def schedule(days: list[pd.Timestamp], short: bool = False, http: YahooHTTP | None = None
             ) -> dict[pd.Timestamp, Event]:
    """The events of the replay, by day: each at an offset from the first day (moved to the next
    session when it falls on a holiday); holidays are whatever the NYSE calendar says.  The claim's
    two days are found in the data (:func:`claim_plan`)."""
    if short:
        claim = _short_claim(http, days)
        plan = [(0, Event("first run (no data branch yet)")),
                (1, Event("Yahoo rate-limits, then answers; an editor pushes a claim",
                          setup=lambda h: h.fail(429, until=5.0), edit=add_commentary(CLAIM_PAIR, claim, days[1]),
                          after=lambda r, d: check_retries_reported(r, d) + check_claim(r, d, claim, True))),
                (2, Event("Yahoo fails all day (HTTP 429)", fails=None, setup=lambda h: h.fail(429),
                          after=lambda r, d: check_claim(r, d, claim, True))),
                (3, Event("a revised close (QQQ, 2 sessions back); the claim turns false",
                          setup=_revise("QQQ", 2, 1.002),
                          after=lambda r, d: check_revision_picked_up(r, d, "QQQ") + check_claim(r, d, claim, False)))]
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
                           after=lambda r, d: check_split(r, d, "SCHA", 2.0))),
                (38, Event("a fund added to site.toml (SCHD, paired with VTI)", edit=add_fund("SCHD", ["SCHD", "VTI"]),
                           after=lambda r, d: check_fund_added(r, d, "SCHD", "schd-vs-vti")))]
    plan += _claim_events(days, 40, {o for o, _ in plan}, http)
    out: dict[pd.Timestamp, Event] = {}
    plan.sort(key=lambda e: e[0])
    sessions = [d for d in days if calendar().is_session(d)]
    for offset, event in plan:
        if offset >= len(days):
            continue
        day = days[offset]
        later = [d for d in sessions if d >= day and d not in out] if offset else [day]
        if later:
            out[later[0]] = event
    return out


def _short_claim(http: YahooHTTP | None, days: list[pd.Timestamp]) -> str:
    """The short replay's claim: pushed on its 2nd day, it holds then (and on the 3rd, a failed refresh: the
    site stays as of the 2nd) and not on the 4th (the oracle's midpoint of CLAIM_FUND's drawdowns)."""
    if http is None:
        return f"{CLAIM_FUND}.drawdown_now.value > -1"
    a, b = drawdown_at(http, CLAIM_FUND, days[1]), drawdown_at(http, CLAIM_FUND, days[3])
    assert a - b > 0.002, f"the short replay's window needs {CLAIM_FUND} to fall from day 2 to day 4 ({a}, {b})"
    return f"{CLAIM_FUND}.drawdown_now.value > {round((a + b) / 2, 4)}"


def _claim_events(days: list[pd.Timestamp], first: int, taken: set[int], http: YahooHTTP | None) -> list:
    """An editor pushes a claim that holds; the next session the data stop supporting it."""
    found = claim_plan(http, days, first, taken) if http is not None else None
    if found is None:
        return []
    i, j, claim = found
    return [(i, Event(f"an editor pushes a claim ({claim})", edit=add_commentary(CLAIM_PAIR, claim, days[i]),
                      after=lambda r, d: check_claim(r, d, claim, True))),
            (j, Event("the claim turns false (DIA falls further)",
                      after=lambda r, d: check_claim(r, d, claim, False)))]


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
    pairs: frozenset = frozenset()                 # the pair documents the day's site has (slugs)
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
                 verbose: bool = False, out=sys.stdout, site_toml: str | None = None,
                 offline_days: frozenset[int] | None = None):
        self.days = list(pd.bdate_range(end=pd.Timestamp(end), periods=days))
        self.offline_days = offline_days  # the days (1, 2, ...) of check_offline_rebuild; None: every day
        self.argv = workflow_build_argv()
        self.store_rel, self.out_rel = _arg(self.argv, "--store"), _arg(self.argv, "--out")
        self.tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="versus-replay-"))
        self.keep = keep is not None
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.branch = self.tmp / "data-branch"   # the data branch's files (None until the first commit)
        self.deployed = self.tmp / "deployed"    # the last good deployment
        self.edits: list[Callable[[Path], None]] = []   # Event.edit of this and earlier days
        self.http = YahooHTTP(f"{self.days[0].date()}T18:35")
        self.events = schedule(self.days, short, self.http)
        import tomllib

        self.site_toml = site_toml  # None: the repository's site.toml (what publish.yml builds)
        self.funds = tomllib.loads(site_toml if site_toml is not None else (ROOT / "site.toml").read_text())["funds"]
        self.last: dict[str, pd.Timestamp] = {}
        self.history: list[Day] = []
        self.watches: list[tuple[str, pd.Timestamp, pd.Timestamp]] = []  # (ticker, revised day, since)
        self.verbose = verbose
        self.stream = out
        self.previous_store = None
        self.previous_history: bytes | None = None   # the data branch's history.json before the day's run

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
        d.exp_as_of = max(last.values()) if last else None  # the latest close: a stale fund holds back its pages only

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
        env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(ws / "outputs.txt"),
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
            self.remember_history()
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
        if (d.site / "api" / "pairs").is_dir():
            d.pairs = frozenset(p.stem for p in (d.site / "api" / "pairs").glob("*.json"))
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
        self.remember_history()
        if not self.keep and n > 1:
            shutil.rmtree(self.tmp / f"day{n - 1:02d}", ignore_errors=True)
            shutil.rmtree(self.tmp / f"day{n - 1:02d}-manual", ignore_errors=True)
            shutil.rmtree(self.tmp / f"day{n - 1:02d}-offline", ignore_errors=True)
        return d

    def remember_history(self) -> None:
        path = self.branch / "history.json"
        self.previous_history = path.read_bytes() if path.exists() else None

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
    claims = [w for w in warnings if "no longer holds" in w or "does not hold" in w]
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
        return fail("check_exit", f"exit 6, expected {d.exp_exit}: {claims[0][9:]} (a claim stopped the publish)")
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
    return fail("check_reader", msg + (" (the build exited 6 on a claim: not deployed)" if claims else ""))


def page_funds(r: Replay, site: Path, page: Path) -> list[str]:
    """The funds of a page: a pair's two, a fund's own, a group's; the index, methodology and /compare/: every fund."""
    rel = page.relative_to(site).parts
    if rel[0] == "funds" and len(rel) == 3:
        return [rel[1].upper()]
    if "-vs-" in rel[0]:
        return [t.upper() for t in rel[0].split("-vs-")]
    if rel[0] == "compare" and len(rel) == 3:
        return [t.upper() for t in rel[1].split("-")]
    return list(r.funds)


def check_banner(r: Replay, d: Day) -> list[Result]:
    """Every page whose funds are all current: no banner; else "Prices as of <the page's date>; today's refresh
    failed" (or "the latest close is not available yet") naming its funds not refreshed (issue 14.3: a stale
    fund's banner is on its own pages only; the index and methodology name every fund)."""
    if not (d.site / "index.html").exists():
        return ok("check_banner")
    out = []
    for page in sorted(d.site.rglob("index.html")):
        funds = [t for t in page_funds(r, d.site, page) if t in d.last]
        failed = sorted(t for t in d.failed if t in funds)
        behind = max((d.behind[t] for t in funds if d.behind.get(t) is not None), default=0)
        site_level = page.parent == d.site or (page.parent.parent == d.site and page.parent.name in
                                               ("methodology", "compare"))  # dated as the build
        when = max(d.last[t] for t in funds) if site_level else min(d.last[t] for t in funds)
        want = None
        if failed:
            want = f"Prices as of {day_name(when)}; today's refresh failed"
        elif behind:
            want = f"Prices as of {day_name(when)}; the latest close is not available yet"
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
            text = BANNER_LINE_RE.sub("", text)  # the banner and its line: live-only, wherever it stands
            data = text.encode()
        out[rel] = data
    return out


LIVE_LABEL = re.compile(r"Yahoo Finance via yfinance [0-9][0-9.]*")
BANNER_LINE_RE = re.compile(BANNER_RE.pattern + r"\n?", re.S)


def check_offline_rebuild(r: Replay, d: Day) -> list[Result]:
    """README "Reproduce a past deployment": the day's site equals ``build.py --store S --as-of DAY`` from
    the store the run committed (the source label and the refresh banner aside)."""
    from versus.cli import main

    if r.offline_days is not None and d.n not in r.offline_days:
        return [Result("check_offline_rebuild", "n/a")]  # the short replay rebuilds on some days only
    doc = build_json(d.site)
    if doc is None:
        return ok("check_offline_rebuild")
    off = d.ws.parent / f"{d.ws.name}-offline"
    if off.exists():
        shutil.rmtree(off)
    argv = ["--store", str(r.branch), "--as-of", doc["as_of"], "--on-file", doc.get("on_file", "dated"),
            "--out", str(off), "--quiet",
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
        # a day some funds fail included (issue 14.3: each page as of its own funds, the build as of the latest
        # close, which --as-of reproduces)
        return fail("check_offline_rebuild", f"{len(diff)} file(s) differ from the offline rebuild, e.g. "
                                             f"{diff[0]}: {_first_difference(live[diff[0]], offline[diff[0]])}")
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


# -- issue 14 items 1-3 -------------------------------------------------------------
def check_claims_never_stop_the_publish(r: Replay, d: Day) -> list[Result]:
    """Item 1: a claim that no longer holds never stops the build (exit 0, flagged on the page)."""
    claims = claims_only(d.err) if d.code == 6 else []
    if claims:
        return fail("check_claims_never_stop_the_publish", f"exit 6 on {len(claims)} claim(s): {claims[0][9:160]}")
    if "no longer holds" in d.err or "does not hold" in d.err:  # a claim failed and the build went on
        return ok("check_claims_never_stop_the_publish")
    return na("check_claims_never_stop_the_publish")


def check_changes_since_previous_day(r: Replay, d: Day) -> list[Result]:
    """Item 2: on a fresh runner, every pair JSON's ``changes.since`` is the previous published day (a pair
    new today has nothing to compare with: null)."""
    previous = next((p for p in reversed(r.history) if p.code == 0), None)
    doc = build_json(d.site)
    if doc is None or previous is None:
        return na("check_changes_since_previous_day")
    prev_as_of = str(previous.exp_as_of.date())
    if prev_as_of == doc["as_of"]:
        return na("check_changes_since_previous_day")
    for pair in sorted((d.site / "api" / "pairs").glob("*.json")):
        since = json.loads(pair.read_text())["changes"]["since"]
        want = prev_as_of if pair.stem in previous.pairs else None
        if since != want:
            return fail("check_changes_since_previous_day", f"{pair.name}: changes.since = {since!r}, expected "
                                                            f"{want} ({'the previous published day' if want else 'a new pair'})")
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
def check_history(r: Replay, d: Day) -> list[Result]:
    """Item 2: the store's history.json is what was published (a day that exits 0 moves it to the day's as-of,
    with every pair, every group and the feed; any other day leaves it as it was), bounded."""
    path = r.branch / "history.json"
    doc = build_json(d.site)
    if d.code != 0:
        before = r.previous_history
        now = path.read_bytes() if path.exists() else None
        return ok("check_history") if now == before else fail("check_history", "history.json changed on a day "
                                                                               f"that exited {d.code}")
    try:
        kept = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        return fail("check_history", f"history.json unreadable after a published day: {exc}")
    problems = []
    if kept.get("as_of") != doc["as_of"]:
        problems.append(f"as_of {kept.get('as_of')}, the site is as of {doc['as_of']}")
    if set(kept.get("pairs", {})) != {f"api/pairs/{p.name}" for p in (d.site / "api" / "pairs").glob("*.json")}:
        problems.append("its pairs are not the site's")
    if set(kept.get("groups", {})) != {f"api/groups/{p.name}" for p in (d.site / "api" / "groups").glob("*.json")}:
        problems.append("its groups are not the site's")  # group pages list what changed too (issue 18)
    if kept.get("feed") != (d.site / "feed.xml").read_text():
        problems.append("its feed is not the site's")
    if len(_feed_entries(d.site)) > 100:
        problems.append("more than 100 feed entries")
    return fail("check_history", "; ".join(problems)) if problems else ok("check_history")


def check_claim(r: Replay, d: Day, claim: str, holds: bool) -> list[Result]:
    """Item 1: the replay's claim holds the day it is pushed; the day the data stop supporting it the build
    exits 0 and is deployed, the page flags it, the pair JSON says ``holds: false``, the maintainer gets a
    warning annotation on the file and line, a step-summary section and the claims-issue job's outputs."""
    page = d.site / CLAIM_PAIR / "index.html"
    if d.code != 0 or not page.exists():
        return fail("check_claim", f"exit {d.code}: the site with the claim was not published")
    doc = json.loads((d.site / "api" / "pairs" / f"{CLAIM_PAIR}.json").read_text())
    got = next((c["holds"] for c in (doc.get("commentary") or {}).get("claims", []) if c["claim"] == claim), "absent")
    if got is not holds:
        return fail("check_claim", f"{CLAIM_PAIR}.json: holds = {got!r}, expected {holds}")
    text = page.read_text()
    flagged = "claim-note" in text and " not hold " in text  # the note readers see, in words
    rel = f"content/pairs/{CLAIM_PAIR}.md"
    line = next(n for n, x in enumerate((d.ws / rel).read_text().splitlines(), 1) if claim in x)
    annotated = f"::warning file={rel},line={line},title=commentary claim no longer holds::" in d.out
    outputs = (d.ws / "outputs.txt").read_text() if (d.ws / "outputs.txt").exists() else ""
    told = ("Commentary claims that no longer hold" in d.summary and f"`{rel}:{line}`" in d.summary
            and "claims-failed=" in outputs and f"{rel}:{line}" in outputs)
    if holds and (flagged or annotated):
        return fail("check_claim", "the claim holds but is flagged")
    if not holds and not (flagged and annotated and told):
        return fail("check_claim", f"not flagged on the page ({flagged}), annotated ({annotated}) or in the "
                                   f"summary and outputs ({told})")
    return ok("check_claim")


def check_fund_added(r: Replay, d: Day, t: str, slug: str) -> list[Result]:
    """A fund added to site.toml: its whole history fetched that day, its pages published with the others."""
    md, manifest = r.read_store()
    problems = []
    if manifest.tickers.get(t, {}).get("full_refresh") != str(d.now.date()):
        problems.append(f"{t}: no full history fetched the day it was added")
    for rel in (f"{slug}/index.html", f"funds/{t.lower()}/index.html", f"api/pairs/{slug}.json"):
        if not (d.site / rel).exists():
            problems.append(f"{rel} not published")
    return fail("check_fund_added", "; ".join(problems)) if problems else ok("check_fund_added")


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
          check_history, check_new_dividends, check_offline_rebuild, check_claims_never_stop_the_publish, check_changes_since_previous_day,
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

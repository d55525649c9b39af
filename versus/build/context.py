"""The build context: everything one build's stages share (instead of variables captured by closures),
and the stage timer."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import lastresort


@dataclass
class BuildResult:
    out: Path
    as_of: str
    pages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # information, printed and shown on pages
    warnings: list[str] = field(default_factory=list)  # problems; --strict turns them into exit status 6
    timings: dict[str, float] = field(default_factory=dict)
    page_ms: list[float] = field(default_factory=list)  # per pair page, milliseconds (bench)
    fund_parts: dict = field(default_factory=dict)  # funds found in the memo / not, pages assembled (bench)
    checks: list[dict] = field(default_factory=list)   # data-check findings (versus.analysis.sanity), reported
    history: dict | None = None  # what the data store keeps for the next build (versus.build.previous.save_history)


@dataclass
class BuildOptions:
    """The build's options (the command line's, or a caller's)."""

    as_of: str | None = None
    funds_path: Path | None = None
    quiet: bool = False
    previous: Path | None = None
    history: Path | None = None       # the data store (its history.json: the previous build on a fresh runner)
    freshness: object = None          # a versus.data.freshness.FreshnessReport (live builds): the banner
    content_dir: Path | None = None
    check_only: bool = False          # build.py --check: everything up to the write, nothing written
    inputs_sha256: str | None = None  # versus.build.uptodate: recorded in build.json
    on_file: str | None = None        # --on-file: "latest" or "dated" fund facts and commentary (default: dated
                                      # with --as-of)
    editor: bool = False              # names/new: any page may get commentary, so every fund is measured to
                                      # every page's date (a page without commentary yet can list what it may quote)
    shard: tuple[int, int] | None = None  # --shard K/N: only this shard's pages, and its manifest (versus.build.shard)
    merge: list | None = None         # build.py merge: the shards' manifests, whose pages replace the page jobs
    options: dict | None = None       # the build's options, recorded in a shard's manifest


class Progress:
    """One line per stage on stderr, with its time; the times are kept for the report."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.timings: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + seconds

    def stage(self, name: str):
        progress = self

        class _Stage:
            def __enter__(self):
                self.t0 = time.perf_counter()
                lastresort.stage(name)
                if not progress.quiet:
                    print(f"  {name} …", end="", file=sys.stderr, flush=True)

            def __exit__(self, *exc):
                dt = time.perf_counter() - self.t0
                progress.add(name, dt)
                if not progress.quiet:
                    print(f" {dt:.2f}s" if exc[0] is None else " failed", file=sys.stderr, flush=True)

        return _Stage()


class BuildContext:
    """One build: its inputs and options, what each stage produced, and its warnings (counted here, in
    one place: :meth:`warn`)."""

    def __init__(self, cfg, md, out: Path, options: BuildOptions):
        self.cfg, self.md, self.out, self.options = cfg, md, Path(out), options
        self.configured = cfg   # the site as configured (ctx.cfg drops the funds that had not started yet)
        self.progress = Progress(options.quiet)
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.prep = None        # validate: the data cut at the as-of date
        self.info: dict = {}    # fund facts: ticker -> FundFacts (dated against its own last close)
        self.facts_at = None    # fund facts: (ticker, a page's date) -> FundFacts
        self.curated = None     # fund facts: the loaded data/funds.toml
        self.findings: list = []  # fund facts: data checks across funds (versus.analysis.sanity)
        self.on_file = "dated"  # fund facts: what is taken from funds.toml and content/ ("latest" or "dated")
        self.categories: dict = {}  # fund facts: the categories of the site's funds (data/funds.toml order)
        self.content = None     # content: the commentary
        self.previous = None    # content: the previous build's output (what changed)
        self.site = None        # metrics: versus.pages.base.Site, what the pages read
        self.env = None         # the Jinja environment
        self.output = None      # the temporary output folder (None under check_only)
        self.summaries: dict[str, list] = {}  # pages: per page kind, each page's summary
        self.urls: list[str] = []
        self.page_dates: dict[str, str] = {}  # url -> the page's date (its funds' common last close)
        self.pages: dict[str, str] = {}       # render: pages made in this process (index, methodology)
        self.api: dict[str, dict] = {}
        self.files: dict[str, str | bytes] = {}
        self.page_ms: list[float] = []
        self.fund_parts = {"hits": 0, "misses": 0, "pages": 0}  # versus.pages.fundparts, over every worker
        self.specs = None                     # pages: the shared chart templates (a versus.build.jobs.Side)
        self.shard_pages: list = []           # pages: (page key, job result) of this build's page jobs (a shard)
        self.result: BuildResult | None = None

    @property
    def check_only(self) -> bool:
        return self.options.check_only

    @property
    def as_of(self) -> str:
        return self.prep.as_of.date().isoformat()

    def warn(self, *messages: str) -> None:
        self.warnings.extend(messages)

    def finish(self) -> BuildResult:
        result = self.result or BuildResult(self.out, self.as_of, sorted(self.urls))
        result.notes, result.warnings = self.notes, self.warnings
        result.timings, result.page_ms = self.progress.timings, self.page_ms
        result.fund_parts = dict(self.fund_parts)
        result.checks = [f.to_json() for f in self.findings]
        return result

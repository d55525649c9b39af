"""``versus build`` (and ``python build.py``): build the site; errors -> one line and an exit code."""
from __future__ import annotations

import argparse
import datetime as _dt
import re
import sys
import time
import traceback
from pathlib import Path

from ..build import lastresort, outdir
from ..config import DEFAULT_CONFIG, FUNDS_FILE, SNAPSHOT_DIR, STORE_DIR, load_config
from ..errors import EXIT_CONFIG, EXIT_STRICT, VersusError

EPILOG = """\
examples:
  python build.py                       build site/ from the embedded snapshot (no network)
  python build.py --as-of 2026-01-23    the site exactly as it would have been on that date
  python build.py --live                fetch fresh data from Yahoo Finance (cached in data/cache/)
  python build.py --shard 2/4 --out s2  the second of four shards of the pages (then: build.py merge s1 s2 s3 s4 --out site)
  python build.py --check               validate config, fund facts, commentary, claims and data; write nothing
  python build.py --live --strict --claims=flag   the daily publish: strict on data, claims flagged, not fatal
  versus build --as-of 2026-01-23       the same options through the installed console script

editors' commands (python build.py COMMAND --help; also versus COMMAND):
  serve [--port 8000]                   live preview: rebuilds the page you edit, reloads the tab, shows errors
  names [PAIR or FUND]                  every name a page's commentary can quote, with its value and a filter
  new pair QQQ SCHD                     start content/pairs/qqq-vs-schd.md (front matter, figures, two claims)
  merge DIR_1 … DIR_N --out OUT         assemble the shards of --shard K/N into the whole site

exit codes: 0 ok, 1 internal error (a bug: --debug shows the traceback), 2 bad config, fund facts or
            arguments, 3 data missing or invalid, 4 bad content or templates, 5 output folder refused or
            not writable (or another build is writing it), 6 warnings under --strict or --check
            (with --claims=flag, claims that no longer hold are not counted),
            7 --live prices older than --max-stale-days (nothing written), 130 Ctrl-C, 143 SIGTERM
"""


DESCRIPTION = "Build the versus site: fund comparison pages from daily market data."


def add_options(p: argparse.ArgumentParser) -> None:
    """The build's options (``python build.py`` and ``versus build`` take the same)."""
    p.add_argument("--out", type=Path, default=None,
                   help="output directory (default: site/ beside the config file)")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                   help="build as of this date; later data is ignored (default: the latest close in the data; each page is as of its funds' common last close)")
    p.add_argument("--live", action="store_true", help="fetch prices and fund facts from Yahoo Finance (yfinance)")
    p.add_argument("--on-file", dest="on_file", choices=("latest", "dated"), default=None,
                   help="what to take from data/funds.toml and content/: 'latest' (the default without --as-of: "
                        "today's site) every fund fact's latest observation and all commentary; 'dated' (the default "
                        "with --as-of) what was on file by the date: each fact's latest observation on or before it "
                        "(else the earliest after it, flagged) and commentary written by then. A past daily "
                        "deployment is reproduced with --as-of DAY --on-file latest")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="site config (default: site.toml)")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 6 if the build raised any warning (failed claims, stale data); for CI")
    p.add_argument("--claims", choices=("fail", "flag"), default="fail",
                   help="a commentary claim that no longer holds: 'fail' (default) counts it as a warning, so "
                        "--strict and --check exit 6; 'flag' flags it on its page, in the pair JSON and in the "
                        "report (a file:line annotation on GitHub Actions) and builds on: the daily publish")
    p.add_argument("--previous", type=Path, metavar="DIR",
                   help="a previous build's output, to report what changed (default: the current --out, if any)")
    p.add_argument("--check", action="store_true",
                   help="validate site.toml, data/funds.toml, commentary (front matter, placeholders), claims, "
                        "templates and data, and write nothing; exit 6 if any warning (e.g. a claim no longer holds)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the final line")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="if another build is writing the same --out, wait up to SECONDS for it to finish "
                        "(default 0: exit 5 at once, naming its pid)")
    p.add_argument("--shard", metavar="K/N", default=None,
                   help="build only the K-th of N shards of the pages (each page's shard is fixed by its name) into "
                        "--out, with a manifest; then python build.py merge DIR_1 ... DIR_N --out OUT assembles the site")
    p.add_argument("--debug", action="store_true",
                   help="print the traceback of an error (an unexpected one is otherwise one line, exit 1)")
    live = p.add_argument_group("live builds (--live)")
    live.add_argument("--store", type=Path, default=None, metavar="DIR",
                      help="the data store kept between runs (default: data/cache/ beside the config); without --live, build "
                           "offline from this store")
    live.add_argument("--max-stale-days", dest="max_stale_days", type=int, default=None, metavar="N",
                      help="refuse to publish (exit 7) when prices are more than N NYSE sessions behind "
                           "(default: [options] max_stale_days in site.toml, else 3)")
    live.add_argument("--today", metavar="DATE[THH:MM]",
                      help="pretend the build runs at this New York time (default: now); a bare date = after its close")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_options(p)
    return defaults(p.parse_args(argv))


def defaults(args: argparse.Namespace) -> argparse.Namespace:
    """Fill the defaults that depend on the config file: the output folder beside it."""
    if args.out is None:
        args.out = Path(args.config).resolve().parent / "site"
    return args


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_of(value: str | None) -> str | None:
    """``--as-of``: exactly ``YYYY-MM-DD`` (a time or a time zone is refused: the as-of is a trading day)."""
    if value is None:
        return None
    if not _DATE.fullmatch(value):
        raise VersusError(f"--as-of {value[:40]!r}: not a date (expected YYYY-MM-DD, without a time)",
                          EXIT_CONFIG)
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        raise VersusError(f"--as-of {value}: not a real date", EXIT_CONFIG) from None
    if day > _dt.date.today():
        raise VersusError(f"--as-of {value}: is in the future", EXIT_CONFIG)
    return day.isoformat()


def _inputs(cfg, args) -> list[Path]:
    """What the build reads beside the site's config, which an output folder must never replace or overlap
    (the built-in templates and static files are added by :func:`versus.build.outdir.check`)."""
    return [cfg.folder / "content", cfg.site_path(FUNDS_FILE), cfg.site_path(SNAPSHOT_DIR),
            args.store or cfg.site_path(STORE_DIR), cfg.templates,
            *(d["folder"] for d in getattr(args, "merge", None) or ())]  # a merge's shards are read


def run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    from ..build.plan import expand_rules, summary

    lastresort.stage("site config")
    cfg = expand_rules(load_config(args.config))
    as_of = _as_of(args.as_of)
    args.shard_kn = getattr(args, "shard_kn", None)
    if args.shard_kn and args.check:
        raise VersusError("--check validates the whole site and writes nothing: drop --shard", EXIT_CONFIG)
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    say(f"versus: {summary(cfg, args.config)}")
    for note in cfg.notes:
        say(f"  {note}")
    if args.check and args.live:
        raise VersusError("--check validates offline and writes nothing: drop --live (--store DIR checks against "
                          "a saved store)", EXIT_CONFIG)
    if args.check:
        return _run(args, cfg, as_of, say, t0)
    if not (args.wait >= 0 and args.wait <= 24 * 3600):
        raise VersusError(f"--wait {args.wait:g}: must be between 0 and 86400 seconds", EXIT_CONFIG)
    lastresort.stage("output folder")
    outdir.check(args.out, args.config, _inputs(cfg, args))  # before anything is computed
    with outdir.Lock(args.out, wait=args.wait):  # also the check that the output can be written
        try:
            return _run(args, cfg, as_of, say, t0)
        except BaseException:
            _put_back(args.out)  # the swap had set the previous site aside: put it back (still locked)
            raise


def _run(args: argparse.Namespace, cfg, as_of: str | None, say, t0: float) -> int:
    """Load the market data (the snapshot, a data store, or Yahoo Finance with --live), then build or check."""
    from ..build import build

    live = fresh = None
    timings: dict[str, float] = {}
    lastresort.stage("market data")
    if args.live:
        from ..data import freshness, validate
        from ..sources.cache import load_live

        now = freshness.parse_now(args.today)
        limit = cfg.max_stale_days if args.max_stale_days is None else args.max_stale_days
        if limit < 0:
            raise VersusError(f"--max-stale-days {limit}: must be 0 or more", EXIT_CONFIG)
        say("  fetching from Yahoo Finance …")
        t1 = time.perf_counter()
        live = load_live(cfg.funds, args.store or cfg.site_path(STORE_DIR), freshness.local_date(now),
                         freshness.expected_session(now), validate)
        timings["fetch"] = time.perf_counter() - t1
        for w in live.warnings:
            print(f"warning: {w}", file=sys.stderr)
        fresh = freshness.assess(live.data.adj_close, now, limit, live.refreshed, live.failed)
        if as_of is None:
            fresh.check()  # too old: StaleDataError (exit 7) before anything is written
        md = live.data
    elif args.store is not None:  # offline, from a data store (e.g. a data-branch commit): reproduces a past build
        from ..sources.cache import CacheSource

        md = CacheSource(args.store).load(cfg.funds)
    else:
        from ..sources.snapshot import SnapshotSource

        md = SnapshotSource(cfg.site_path(SNAPSHOT_DIR)).load(cfg.funds, config=args.config)
    if args.check:
        return _check(cfg, md, args, as_of, say, t0)
    history = (args.store or cfg.site_path(STORE_DIR)) if args.live else args.store
    result = build(cfg, md, args.out, as_of=as_of, quiet=args.quiet, previous=args.previous, freshness=fresh,
                   inputs_sha256=getattr(args, "inputs_sha256", None), history=history,
                   on_file=getattr(args, "on_file", None), shard=args.shard_kn, merge=getattr(args, "merge", None),
                   options=recorded(args))
    for note in result.notes:
        say(f"  note: {note}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    dt = time.perf_counter() - t0
    from ..build import report

    report.emit(result, fresh, live, {**timings, **result.timings, "total": dt}, quiet=args.quiet,
                flag_claims=args.claims == "flag")
    if args.shard_kn:
        print(f"built shard {args.shard_kn[0]}/{args.shard_kn[1]}: {len(result.pages)} pages as of {result.as_of} in "
              f"{dt:.1f}s -> {result.out} (then: build.py merge, with every shard)")
    else:
        print(f"built {len(result.pages)} pages as of {result.as_of} in {dt:.1f}s -> {result.out}/index.html")
    fatal, flagged = counted(result.warnings, args.claims)
    if flagged:
        print(f"note: --claims=flag: {len(flagged)} commentary claim(s) no longer hold; flagged on their pages "
              "and in the pair JSON, the build goes on", file=sys.stderr)
    if args.strict and fatal:
        print(f"error: --strict: {len(fatal)} warning(s); the site was written but the build fails",
              file=sys.stderr)
        return EXIT_STRICT
    if args.live and as_of is None and args.shard_kn is None:  # a shard publishes nothing: its merge does
        from ..build.previous import save_history

        save_history(args.store or cfg.site_path(STORE_DIR), result, say)
    return 0


RECORDED_PATHS = ("config", "store", "previous")
"""The path options of a shard's recorded build options (:func:`recorded`; the merge reads them back)."""


def recorded(args: argparse.Namespace) -> dict:
    """The options a shard was built with (``shard.json``): the merge builds with exactly these."""
    from ..build.uptodate import NOT_OUTCOME

    skip = NOT_OUTCOME | {"wait", "debug"}
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in sorted(vars(args).items()) if k not in skip}


def counted(warnings: list[str], claims: str) -> tuple[list[str], list[str]]:
    """(the warnings ``--strict``/``--check`` count, the claim warnings ``--claims=flag`` only flags)."""
    from ..content import ClaimWarning

    flag = [claims == "flag" and isinstance(w, ClaimWarning) for w in warnings]
    return [w for w, f in zip(warnings, flag) if not f], [w for w, f in zip(warnings, flag) if f]


def _check(cfg, md, args: argparse.Namespace, as_of: str | None, say, t0: float) -> int:
    """``--check``: the whole build in memory (chart renders not cached), nothing written; one summary line."""
    from .. import content
    from ..build import build
    from ..charts import cache as svg

    docs = content.load(cfg)
    docs = [d for d in (*docs.pairs.values(), *docs.funds.values(), docs.index) if d is not None]
    claims = sum(len(d.claims) for d in docs)
    with svg.cache_read_only():
        result = build(cfg, md, args.out, as_of=as_of, quiet=args.quiet, previous=args.previous, check_only=True,
                       history=args.store, on_file=getattr(args, "on_file", None))
    for note in result.notes:
        say(f"  note: {note}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    what = (f"{args.config.name}, fund facts, {len(docs)} commentary file{'s' if len(docs) != 1 else ''} with "
            f"{claims} claim{'s' if claims != 1 else ''}, templates, data as of {result.as_of} "
            f"({len(result.pages)} pages rendered in memory)")
    fatal, flagged = counted(result.warnings, args.claims)
    if fatal:
        print(f"error: --check: {len(fatal)} warning(s) in {what}; nothing written", file=sys.stderr)
        return EXIT_STRICT
    print(f"check OK: {what} in {time.perf_counter() - t0:.1f}s; nothing written")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python build.py [options]``: the build's options, no subcommand."""
    return execute(parse_args(argv))


def execute(args: argparse.Namespace) -> int:
    """Run a parsed build command: the no-change fast path, else the build; errors -> one line, exit code
    (an unexpected one: ``internal error in STAGE: …``, exit 1); SIGTERM is handled like Ctrl-C (exit 143)."""
    lastresort.stage("start")
    lastresort.swapped[0] = False
    with lastresort.sigterm_as_interrupt():
        try:
            return _execute(args)
        except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM before _execute could answer
            return _interrupted(exc)


def _execute(args: argparse.Namespace) -> int:
    from ..build import report

    try:
        lastresort.stage("up-to-date check")
        from ..build.shard import parse
        from ..build.uptodate import inputs_hash, up_to_date

        args.shard_kn = parse(getattr(args, "shard", None))  # a bad --shard: one line, before anything

        args.inputs_sha256 = inputs_hash(args)
        if getattr(args, "merge", None) is None and up_to_date(args.out, args.inputs_sha256):
            print(f"up to date: nothing changed since the last build of {args.out} (delete {args.out}/build.json "
                  "to force)")
            return 0
        return run(args)
    except VersusError as exc:
        if args.debug:
            traceback.print_exc()
        report.failure(exc)
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        return _interrupted(exc)
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, exit 1 (--debug: the traceback)
        if args.debug:
            traceback.print_exc()
        line = lastresort.internal_error(exc)
        try:
            report.failure(VersusError(line, lastresort.EXIT_INTERNAL))
        except Exception:  # noqa: BLE001 - the step summary is a courtesy
            pass
        print(f"error: {line}", file=sys.stderr)
        return lastresort.EXIT_INTERNAL


def _interrupted(exc: KeyboardInterrupt) -> int:
    site = ("the new site had just been swapped in" if lastresort.swapped[0]
            else "the previous site was left as it was")
    if isinstance(exc, lastresort.Terminated):
        print(f"terminated (SIGTERM); {site}", file=sys.stderr)
        return lastresort.EXIT_TERMINATED
    print(f"interrupted; {site}", file=sys.stderr)
    return lastresort.EXIT_INTERRUPTED


def _put_back(out: Path) -> None:
    """After a failed write: if the swap had already set the previous site aside, put it back now."""
    from ..build.output import recover_output

    recover_output(out)

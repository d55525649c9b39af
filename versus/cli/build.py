"""``versus build`` (and ``python build.py``): build the site; errors -> one line and an exit code."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import resources
from ..config import DEFAULT_CONFIG, STORE_DIR, SNAPSHOT_DIR, load_config
from ..errors import EXIT_CONFIG, EXIT_STRICT, OutputError, VersusError

EPILOG = """\
examples:
  python build.py                       build site/ from the embedded snapshot (no network)
  python build.py --as-of 2026-01-23    the site exactly as it would have been on that date
  python build.py --live                fetch fresh data from Yahoo Finance (cached in data/cache/)
  python build.py --check               validate config, fund facts, commentary, claims and data; write nothing
  versus build --as-of 2026-01-23       the same options through the installed console script

exit codes: 0 ok, 2 bad config or arguments, 3 data missing or invalid,
            4 bad content or templates, 5 output not writable, 6 warnings under --strict or --check,
            7 --live prices older than --max-stale-days (nothing written)
"""


DESCRIPTION = "Build the versus site: fund comparison pages from daily market data."


def add_options(p: argparse.ArgumentParser) -> None:
    """The build's options (``python build.py`` and ``versus build`` take the same)."""
    p.add_argument("--out", type=Path, default=None,
                   help="output directory (default: site/ beside the config file)")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                   help="build as of this date; later data is ignored (default: last date all funds have)")
    p.add_argument("--live", action="store_true", help="fetch prices and fund facts from Yahoo Finance (yfinance)")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="site config (default: site.toml)")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 6 if the build raised any warning (failed claims, stale data); for CI")
    p.add_argument("--previous", type=Path, metavar="DIR",
                   help="a previous build's output, to report what changed (default: the current --out, if any)")
    p.add_argument("--check", action="store_true",
                   help="validate site.toml, data/funds.toml, commentary (front matter, placeholders), claims, "
                        "templates and data, and write nothing; exit 6 if any warning (e.g. a claim no longer holds)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the final line")
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


def _as_of(value: str | None) -> str | None:
    if value is None:
        return None
    import pandas as pd

    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise VersusError(f"--as-of {value!r}: not a date (expected YYYY-MM-DD)", EXIT_CONFIG) from None
    if day.normalize() > pd.Timestamp.now().normalize():
        raise VersusError(f"--as-of {value}: is in the future", EXIT_CONFIG)
    return day.date().isoformat()


def _refuse_unsafe_out(out: Path, config: Path) -> None:
    """The output folder is replaced wholesale on every build: refuse one that is a file, holds the project,
    or is a folder with other things in it (a versus site has an index.html)."""
    out = Path(out).resolve()
    for path in (out, *out.parents):
        if path.exists() and not path.is_dir():
            raise OutputError(f"--out {out}: {'it' if path == out else path} is a file, not a folder")
    for keep in (resources.package().parent, Path(config).resolve().parent, Path.cwd().resolve()):
        if keep == out or keep.is_relative_to(out):
            raise OutputError(f"--out {out}: would replace {keep} (the output folder is deleted and rewritten "
                              "on every build)")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        raise OutputError(f"--out {out}: a folder that is not a built site (no index.html); the build would "
                          "replace everything in it, so it refuses")


def run(args: argparse.Namespace) -> int:
    from ..build import build

    t0 = time.perf_counter()
    from ..build.plan import expand_rules, summary

    cfg = expand_rules(load_config(args.config))
    as_of = _as_of(args.as_of)
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))
    say(f"versus: {summary(cfg, args.config)}")
    for note in cfg.notes:
        say(f"  {note}")
    if not args.check:
        _refuse_unsafe_out(args.out, args.config)
    if args.check and args.live:
        raise VersusError("--check validates offline and writes nothing: drop --live (--store DIR checks against "
                          "a saved store)", EXIT_CONFIG)
    live = fresh = None
    timings: dict[str, float] = {}
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
    result = build(cfg, md, args.out, as_of=as_of, quiet=args.quiet, previous=args.previous, freshness=fresh,
                   inputs_sha256=getattr(args, "inputs_sha256", None))
    for note in result.notes:
        say(f"  note: {note}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    dt = time.perf_counter() - t0
    from ..build import report

    report.emit(result, fresh, live, {**timings, **result.timings, "total": dt}, quiet=args.quiet)
    print(f"built {len(result.pages)} pages as of {result.as_of} in {dt:.1f}s -> {result.out}/index.html")
    if args.strict and result.warnings:
        print(f"error: --strict: {len(result.warnings)} warning(s); the site was written but the build fails",
              file=sys.stderr)
        return EXIT_STRICT
    return 0


def _check(cfg, md, args: argparse.Namespace, as_of: str | None, say, t0: float) -> int:
    """``--check``: the whole build in memory (chart renders not cached), nothing written; one summary line."""
    from .. import content
    from ..build import build
    from ..charts import cache as svg

    docs = content.load(cfg)
    docs = [d for d in (*docs.pairs.values(), *docs.funds.values(), docs.index) if d is not None]
    claims = sum(len(d.claims) for d in docs)
    with svg.cache_read_only():
        result = build(cfg, md, args.out, as_of=as_of, quiet=args.quiet, previous=args.previous, check_only=True)
    for note in result.notes:
        say(f"  note: {note}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    what = (f"{args.config.name}, fund facts, {len(docs)} commentary file{'s' if len(docs) != 1 else ''} with "
            f"{claims} claim{'s' if claims != 1 else ''}, templates, data as of {result.as_of} "
            f"({len(result.pages)} pages rendered in memory)")
    if result.warnings:
        print(f"error: --check: {len(result.warnings)} warning(s) in {what}; nothing written", file=sys.stderr)
        return EXIT_STRICT
    print(f"check OK: {what} in {time.perf_counter() - t0:.1f}s; nothing written")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python build.py [options]``: the build's options, no subcommand."""
    return execute(parse_args(argv))


def execute(args: argparse.Namespace) -> int:
    """Run a parsed build command: the no-change fast path, else the build; errors -> one line, exit code."""
    from ..build.uptodate import inputs_hash, up_to_date

    args.inputs_sha256 = inputs_hash(args)
    if up_to_date(args.out, args.inputs_sha256):
        print(f"up to date: nothing changed since the last build of {args.out} (delete {args.out}/build.json to force)")
        return 0
    try:
        return run(args)
    except VersusError as exc:
        from ..build import report

        if isinstance(exc, OutputError) and not args.check:
            _put_back(args.out)
        report.failure(exc)
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        if not args.check:
            _put_back(args.out)
        print("interrupted; the previous site was left as it was", file=sys.stderr)
        return 130


def _put_back(out: Path) -> None:
    """After a failed write: if the swap had already set the previous site aside, put it back now."""
    from ..build.output import recover_output

    recover_output(out)

"""``versus snapshot`` (and ``python build.py snapshot``): embed the live store in ``data/snapshot/``.

A maintainer who adds a fund lists it in site.toml, fetches it once with ``python build.py --live`` (the live
store, ``data/cache/``, then holds it), and runs this command: the store's tickers replace theirs in the
snapshot, every other fund is kept, the data are validated before anything is written, and SOURCES.md says
which tickers came from the store.  ``make site`` then builds offline with the new fund.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import DEFAULT_CONFIG, SNAPSHOT_DIR, STORE_DIR, site_path
from ..errors import EXIT_OUTPUT, DataError, VersusError

DESCRIPTION = "Write data/snapshot/ (the embedded data `make site` builds from) from the live store of --live."
EPILOG = """\
examples:
  python build.py --live         fetch the site's funds into the live store (data/cache/)
  python build.py snapshot       embed them: the store's tickers replace theirs in data/snapshot/, others kept
  versus snapshot --tickers SCHD only SCHD from the store
"""


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                   help="site config; the store and snapshot are beside it (default: site.toml)")
    p.add_argument("--store", type=Path, default=None, metavar="DIR",
                   help="the live store to read (default: data/cache/ beside the config)")
    p.add_argument("--snapshot", type=Path, default=None, metavar="DIR",
                   help="the snapshot to write (default: data/snapshot/ beside the config)")
    p.add_argument("--tickers", nargs="+", metavar="T", help="take only these tickers from the store (default: all)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the final line")


def defaults(args: argparse.Namespace) -> argparse.Namespace:
    folder = Path(args.config).resolve().parent
    args.store = Path(args.store) if args.store else site_path(folder, STORE_DIR)
    args.snapshot = Path(args.snapshot) if args.snapshot else site_path(folder, SNAPSHOT_DIR)
    return args


def run(args: argparse.Namespace) -> int:
    from ..data import validate
    from ..sources import embed
    from ..sources.store import open_store

    md, manifest, problem = open_store(args.store, "live store")
    if md is None:
        raise DataError(problem or f"{args.store}: no live store here; fetch the funds first with "
                                   "`python build.py --live`, then run `python build.py snapshot`")
    if args.tickers:
        wanted = [t.upper() for t in args.tickers]
        missing = [t for t in wanted if t not in md.adj_close.columns]
        if missing:
            raise DataError(f"{args.store}: {', '.join(missing)} not in the live store (it holds "
                            f"{', '.join(md.adj_close.columns)}); fetch with `python build.py --live` first")
        md = md.__class__(close=md.close.reindex(columns=wanted), adj_close=md.adj_close[wanted],
                          dividends=md.dividends.reindex(columns=wanted), source=md.source,
                          meta={t: v for t, v in md.meta.items() if t in wanted})
    validate(md)
    old = embed.read_snapshot(args.snapshot)
    merged, changes = embed.merge(old, md)
    validate(merged)
    sources = args.snapshot / "SOURCES.md"
    text = sources.read_text() if sources.exists() else "# Embedded snapshot: where the data came from\n"
    store = str(args.store)
    sizes = embed.write_snapshot(args.snapshot, merged,
                                 embed.sources_section(text, changes, manifest.updated if manifest else None, store))
    if not args.quiet:
        for c in changes:
            print(f"  {c.line()}", file=sys.stderr)
    total = sum(v for k, v in sizes.items() if k.endswith(".parquet"))
    print(f"snapshot: {len(changes)} ticker{'s' if len(changes) != 1 else ''} from {args.store} -> {args.snapshot} "
          f"({len(merged.adj_close.columns)} funds, {total:,} bytes of parquet)")
    return 0


def execute(args: argparse.Namespace) -> int:
    try:
        return run(args)
    except VersusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"error: {args.snapshot}: cannot write the snapshot ({exc.strerror or exc}); nothing was changed",
              file=sys.stderr)
        return EXIT_OUTPUT

"""``versus merge`` (and ``python build.py merge``): assemble the shards of ``--shard K/N`` into the site.

The merge is the build itself, with the page jobs replaced by the shards' pages
(:mod:`versus.build.shard`): it builds with the options the shards recorded (so run it from the same
checkout, with the same data), refuses shards built from another as-of date, other options, other data
or another previous site, and renders the index, search index, methodology, sitemap, feed and build.json:
the merged site is the unsharded build's, byte for byte.  The output folder's rules are the build's
(:mod:`versus.build.outdir`: only an empty folder or a site versus built is replaced; one build at a time).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from . import build

DESCRIPTION = "Assemble the shards built with --shard K/N into the whole site."
EPILOG = """\
examples:
  python build.py --shard 1/2 --out s1 && python build.py --shard 2/2 --out s2
  python build.py merge s1 s2 --out site   the site, byte for byte as python build.py --out site builds it
"""


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("shards", nargs="+", type=Path, metavar="DIR", help="the shards' output folders (all N)")
    p.add_argument("--out", type=Path, required=True, help="the merged site's output folder")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the final line")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="if another build is writing --out, wait up to SECONDS for it to finish")
    p.add_argument("--debug", action="store_true", help="print the traceback of an error")


def defaults(args: argparse.Namespace) -> argparse.Namespace:
    return args


def execute(args: argparse.Namespace) -> int:
    """Read and check the shards' manifests, then run the build with their options and pages."""
    import sys

    from ..build import shard
    from ..errors import VersusError

    try:
        docs = shard.check([shard.read(d) for d in args.shards])
    except VersusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    merged = build_args(docs[0]["options"], args)
    merged.merge = docs
    return build.execute(merged)


def build_args(options: dict, args: argparse.Namespace) -> argparse.Namespace:
    """The build's arguments: its defaults, the shards' recorded options (paths back to paths), and the
    merge's own ``--out``, ``--quiet``, ``--wait`` and ``--debug``."""
    ns = build.parse_args([])
    for k, v in options.items():
        setattr(ns, k, Path(v) if k in build.RECORDED_PATHS and v is not None else v)
    ns.out, ns.quiet, ns.wait, ns.debug = args.out, args.quiet, args.wait, args.debug
    return ns

"""What the editors' commands (``names``, ``new``, ``serve``) share: the site's options and its figures
computed in memory (nothing written)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..config import DEFAULT_CONFIG, load_config
from ..sources.offline import offline


def add_site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="site config (default: site.toml)")
    p.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="the figures as of this date (default: "
                   "the last date all funds have)")
    p.add_argument("--store", type=Path, default=None, metavar="DIR",
                   help="read prices from this data store (default: the embedded snapshot)")


def site_context(args: argparse.Namespace, cfg=None, upto: str = "metrics"):
    """A build context run through ``upto`` in memory (check only): ``ctx.site`` is what the pages read."""
    from ..build import BuildContext, BuildOptions, run_stages
    from .build import _as_of

    cfg = cfg or load_config(args.config)
    md = offline(cfg, args.store)
    out = Path(args.config).resolve().parent / "site"
    ctx = BuildContext(cfg, md, out, BuildOptions(as_of=_as_of(args.as_of), quiet=True, check_only=True,
                                                editor=True))
    return run_stages(ctx, upto)


def defaults(args: argparse.Namespace) -> argparse.Namespace:
    return args

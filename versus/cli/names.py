"""``versus names [PAGE]`` (``python build.py names``): every name an editor may quote on a page, its
current value and a placeholder that formats it, then the filters with their arguments."""
from __future__ import annotations

import argparse
import sys

from .. import fmt
from ..errors import VersusError
from .common import add_site_options, defaults, site_context  # noqa: F401  (defaults: the command's hook)

DESCRIPTION = "List the names commentary may quote on a page, with their values today and formatted examples."
EPILOG = """\
examples:
  python build.py names                 names of the index page and fund pages (every fund's figures)
  python build.py names QQQ-vs-IWM      and the pair's own: pair.* and facts.*
  python build.py names QQQ --grep drawdown
"""


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("page", nargs="?", metavar="PAIR or FUND", help="a pair (QQQ-vs-IWM) or a fund (QQQ); "
                   "default: the index page")
    p.add_argument("--grep", metavar="TEXT", help="only names containing TEXT")
    add_site_options(p)


def lines(rows: list[dict], title: str, as_of: str) -> list[str]:
    """The listing: a heading, one aligned line per name, then the filters."""
    from ..content import placeholders as ph

    out = [f"{len(rows)} names on {title}, values as of {fmt.date(as_of)}  (name  value  placeholder -> shows)"]
    width = max((len(r["name"]) for r in rows), default=0)
    vwidth = min(24, max((len(repr(r["value"])) for r in rows), default=0))
    for r in rows:
        value = "null" if r["value"] is None else repr(r["value"])
        why = f"  ({r['why']})" if r.get("why") else ""
        out.append(f"  {r['name']:<{width}}  {value:<{vwidth}}  {r['placeholder']}  ->  {r['shows']}{why}")
    out.append("")
    out.append("filters (value | filter(arguments)):")
    for d in ph.filter_docs():
        out.append(f"  {d['signature']:<26} {d['doc']}")
        out += [f"  {'':<26}   {arg}: {what}" for arg, what in d["args"].items()]
    return out


def execute(args: argparse.Namespace) -> int:
    from ..content import placeholders as ph
    from ..pages import names as page_names

    try:
        ctx = site_context(args)
        key = page_names.page_key(ctx.site, args.page)
        rows = ph.reference(page_names.names(ctx.site, key))
    except VersusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    if args.grep:
        rows = [r for r in rows if args.grep.lower() in r["name"].lower()]
    title = page_names.pages(ctx.site)[key][0]
    print("\n".join(lines(rows, title, ctx.as_of)))
    return 0

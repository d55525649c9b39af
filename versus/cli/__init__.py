"""The command line.  ``versus COMMAND [options]`` (the console script; ``python -m versus``) and
``python build.py [options]`` (the build command's options alone).

Commands are registered in :data:`COMMANDS` (name -> module with ``add_options``, ``defaults``,
``execute`` and a one-line ``DESCRIPTION``); ``build`` is the first, and later ones (``serve``,
``names``, ``new``, ``snapshot``, ``merge``) are a module and one entry each.
"""
from __future__ import annotations

import argparse
import sys

from . import build, merge, names, new, serve, snapshot

COMMANDS = {"build": build, "serve": serve, "names": names, "new": new, "snapshot": snapshot, "merge": merge}
"""Subcommands of ``versus``, in the order ``versus --help`` lists them."""


def console(argv: list[str] | None = None) -> int:
    """``versus COMMAND [options]``: parse the command and its options, run it, return the exit status."""
    parser = argparse.ArgumentParser(prog="versus", description="versus: static sites of fund comparison pages.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.DESCRIPTION, description=command.DESCRIPTION,
                           epilog=getattr(command, "EPILOG", None), formatter_class=argparse.RawDescriptionHelpFormatter)
        command.add_options(p)
        p.set_defaults(command_module=command)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    module = args.command_module
    return module.execute(module.defaults(args))


def main(argv: list[str] | None = None) -> int:
    """``python build.py [options]``: the build command without its name; ``python build.py COMMAND …``
    (``serve``, ``names``, ``new``, ``snapshot``, ``merge``) runs that command as ``versus COMMAND …`` does."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] in COMMANDS and args[0] != "build":
        return console(args)
    return build.main(args)


__all__ = ["COMMANDS", "console", "main"]

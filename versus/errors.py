"""Errors the CLI turns into one-line messages and documented exit codes (no traceback)."""
from __future__ import annotations

# Exit codes (documented in README "Exit codes").
EXIT_OK = 0
EXIT_CONFIG = 2      # bad site.toml / funds.toml / command-line arguments
EXIT_DATA = 3        # market data missing or failing validation
EXIT_CONTENT = 4     # commentary / templates
EXIT_OUTPUT = 5      # the output directory cannot be written
EXIT_STRICT = 6      # --strict and a warning was raised
EXIT_STALE = 7       # --live: prices more trading days behind than the freshness limit (nothing published)
EXIT_INTERNAL = 1    # an unexpected error (a bug): one line, --debug for the traceback (versus.build.lastresort)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143   # SIGTERM (128 + SIGTERM)


def some(items, n: int = 5) -> str:
    """A list for a one-line message: all of it, or the first ``n`` and the count ("A, B, C, D, E and 995 more
    (1,000 in all)"): 1,000 unknown funds once made one 7,000-character line."""
    items = [str(i) for i in items]
    if len(items) <= n:
        return ", ".join(items)
    return f"{', '.join(items[:n])} and {len(items) - n:,} more ({len(items):,} in all)"


class VersusError(Exception):
    """An expected failure: printed as one line, exits with ``exit_code``."""

    exit_code = EXIT_CONFIG

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class ConfigError(VersusError):
    exit_code = EXIT_CONFIG


class DataError(VersusError):
    exit_code = EXIT_DATA


class ContentError(VersusError):
    exit_code = EXIT_CONTENT


class OutputError(VersusError):
    exit_code = EXIT_OUTPUT


class StaleDataError(VersusError):
    """Live prices too old to publish (versus.freshness); the previous site stays online."""

    exit_code = EXIT_STALE

"""Small helpers every stage shares: rounding for stable output, dates, "did you mean", tickers, TOML
error positions and month names (each was written more than once before)."""
from __future__ import annotations

import difflib
import math
import re

TICKER = re.compile(r"[A-Z][A-Z0-9.\-]{0,9}")
"""A ticker: an upper-case letter, then up to nine letters, digits, dots or dashes (``TICKER.fullmatch``)."""
TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
"""Where :mod:`tomllib` says a syntax error is, at the end of its message."""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def is_ticker(value) -> bool:
    """Whether ``value`` is a ticker string (the whole string: no trailing newline or space)."""
    return isinstance(value, str) and TICKER.fullmatch(value) is not None


def num(x, digits: int = 8):
    """A finite number rounded for stable output (JSON, CSV), or None (None, NaN and infinities)."""
    if x is None:
        return None
    x = float(x)
    return None if not math.isfinite(x) else round(x, digits)


def iso(d) -> str | None:
    """A date as ``YYYY-MM-DD``, or None."""
    import pandas as pd  # here: util is imported by the no-change fast path, which must not load pandas

    return None if d is None or pd.isna(d) else pd.Timestamp(d).date().isoformat()


def one_line(text: object) -> str:
    """``text`` on one line (runs of whitespace, newlines included, become one space): for messages."""
    return " ".join(str(text).split())


def suggest(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or an empty string."""
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{near[0]}'?)" if near else ""


def toml_position(message: str) -> tuple[int | None, int | None, str]:
    """(line, column, the message without its position) of a :class:`tomllib.TOMLDecodeError`."""
    found = TOML_POSITION.search(message)
    if not found:
        return None, None, message
    return int(found.group(1)), int(found.group(2)), TOML_POSITION.sub("", message)

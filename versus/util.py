"""Small helpers every stage shares: rounding for stable output, dates, "did you mean", tickers, TOML
error positions and month names (each was written more than once before); the bounds on nesting and size
that every parser of editors' input applies (:func:`toml_nesting`, :func:`too_big`; the rest of the bounds
is :mod:`versus.content.bounded`), and :func:`critical`, a block that signals wait for (renames)."""
from __future__ import annotations

import contextlib
import difflib
import math
import re
import signal
import threading

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


def finite(v) -> float | None:
    """``v`` as a finite float, or None (not a number, NaN or infinite)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


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


# --------------------------------------------------------------------------- bounds (issue 11)
MAX_DEPTH = 32
"""Deepest nesting of brackets, tables, lists or parentheses accepted in any input."""
MAX_NODES = 10_000
"""Most values a front matter (aliases expanded) or another small document may hold."""
MAX_TEXT = 1_000_000
"""Longest text a loaded value may hold (:func:`too_big`)."""


class TooBig(ValueError):
    """An input beyond a bound (the message says which)."""


def _skip_string(text: str, i: int) -> tuple[int, int]:
    """(index after the TOML string starting at ``i``, line breaks inside it)."""
    c, n = text[i], len(text)
    quote = c * 3 if text.startswith(c * 3, i) else c
    j, lines = i + len(quote), 0
    while j < n:
        if c == '"' and text[j] == "\\":
            lines += text.startswith("\n", j + 1)  # a line-ending backslash
            j += 2
            continue
        if text.startswith(quote, j):
            break
        if text[j] == "\n":
            if len(quote) == 1:
                return j, lines  # an unclosed string: the line break is counted by the caller
            lines += 1
        j += 1
    return j + len(quote), lines


def toml_nesting(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The 1-based line where brackets/braces in TOML ``text`` nest deeper than ``limit``, or None (the
    parser recurses: a RecursionError).  Strings (basic, literal, multi-line) and comments are skipped."""
    depth, line, i, n = 0, 1, 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            i, breaks = _skip_string(text, i)
            line += breaks
            continue
        if c == "\n":
            line += 1
        elif c in "[{":
            depth += 1
            if depth > limit:
                return line
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None


def too_big(value, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``value`` (lists, dicts, scalars; shared or recursive references counted each time they appear,
    as ``str()`` or a walk would meet them: YAML aliases) is too big, or None."""
    stack = [(value, 1)]
    seen = 0
    while stack:
        v, d = stack.pop()
        seen += 1
        if seen > max_nodes:
            return f"more than {max_nodes:,} values (YAML aliases that expand?)"
        if d > max_depth:
            return f"nested more than {max_depth} levels deep"
        if isinstance(v, dict):
            for k, x in v.items():
                stack.append((k, d + 1))
                stack.append((x, d + 1))
        elif isinstance(v, (list, tuple, set)):
            stack.extend((x, d + 1) for x in v)
        elif isinstance(v, (str, bytes)) and len(v) > MAX_TEXT:
            return f"a text of {len(v):,} characters"
    return None


# --------------------------------------------------------------------------- signals
@contextlib.contextmanager
def critical():
    """Within: SIGINT and SIGTERM are held, and acted on when the block is done (the two renames of a swap,
    the renames of the data store's files must not be split).  Python-level, so other threads (pyarrow's,
    vl-convert's), which the kernel may pick to deliver a signal to, cannot let one through.  Elsewhere than
    the main thread: nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum, frame):
        pending.append(signum)

    before = {s: signal.signal(s, hold) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in before.items():
            signal.signal(s, h)
    for s in dict.fromkeys(pending):  # the block is done: now the signal does what it would have done
        h = before[s]
        if callable(h):
            h(s, None)
        elif h == signal.SIG_DFL:
            signal.raise_signal(s)

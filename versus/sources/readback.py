"""What a build reads back from the data store (or, :mod:`versus.build.readback`, from an earlier output) is
input too: read it bounded, and validate it.

The data store's manifest and fund facts may have been edited, truncated or written by another tool.
:func:`read_text` reads only a regular file of bounded size, :func:`load_json` parses it bounded in depth and
size (:func:`versus.util.too_big`); each validator raises :class:`Unexpected` with a short reason when a
document does not have the shape the build relies on, and the caller ignores it with a warning naming the
file and the reason, never a traceback.  Validators check only what is used.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

from ..util import TICKER, too_big

MAX_FILE = 32 << 20
"""A file read back larger than this is ignored."""
MAX_TEXT = 2000
"""Longest text read back into a page (a change's sentence, a feed title)."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Unexpected(ValueError):
    """A document read back that does not have the expected shape."""


def read_text(path: Path) -> str:
    """A regular file's text (UTF-8, at most :data:`MAX_FILE` bytes); :class:`Unexpected` otherwise (a
    symlink, a device such as /dev/zero, a huge file, bytes that are not UTF-8)."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if path.is_symlink() or not path.is_file():
        raise Unexpected("not a regular file")
    if path.stat().st_size > MAX_FILE:
        raise Unexpected(f"larger than {MAX_FILE >> 20} MB")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unexpected(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None


def load_json(text: str):
    """``json.loads`` bounded in depth and size; :class:`Unexpected` for anything else."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise Unexpected("nested too deeply") from None
    except ValueError as exc:
        raise Unexpected(f"not JSON ({' '.join(str(exc).split())})") from None
    why = too_big(value, max_nodes=2_000_000, max_depth=64)
    if why:
        raise Unexpected(why)
    return value


# --------------------------------------------------------------------------- small checks
def need(ok: bool, what: str) -> None:
    if not ok:
        raise Unexpected(what)


def check_date(v, what: str, optional: bool = False) -> None:
    need((optional and v is None) or (isinstance(v, str) and ISO_DATE.fullmatch(v) is not None),
         f"{what} is not a date YYYY-MM-DD")


def check_number(v, what: str, optional: bool = True) -> None:
    need((optional and v is None) or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)),
         f"{what} is not a finite number")


def check_text(v, what: str) -> None:
    need(isinstance(v, str) and len(v) <= MAX_TEXT, f"{what} is not a text of at most {MAX_TEXT} characters")
    bad = next((c for c in v if unicodedata.category(c) in ("Cc", "Cs") or c in "\ufffe\uffff"), None)
    need(bad is None, f"{what} holds a control character")


def check_json_values(v, what: str) -> None:
    """Plain JSON values with finite numbers (they are published again)."""
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            need(all(isinstance(k, str) for k in x), f"{what} has a key that is not text")
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, float):
            check_number(x, what)
        elif isinstance(x, str):
            check_text(x, what)
        else:
            need(x is None or isinstance(x, (bool, int)), f"{what} holds a {type(x).__name__}")


# --------------------------------------------------------------------------- the data store
def manifest_tickers(tickers) -> None:
    """``store.json``'s ``tickers``: ``{T: {first, last, full_refresh, meta_refresh}}``, dates or null."""
    need(isinstance(tickers, dict), "tickers is not an object")
    for t, info in tickers.items():
        need(isinstance(t, str) and TICKER.fullmatch(t) is not None, f"{str(t)[:20]!r} is not a ticker")
        need(isinstance(info, dict) and set(info) <= {"first", "last", "full_refresh", "meta_refresh"},
             f"tickers.{t} is not {{first, last, full_refresh, meta_refresh}}")
        for k, v in info.items():
            check_date(v, f"tickers.{t}.{k}", optional=True)


def store_meta(meta) -> None:
    """``meta.json``: ``{T: {key: {value, as_of, source}}}`` (values are checked again when merged)."""
    need(isinstance(meta, dict), "not an object")
    for t, facts in meta.items():
        need(isinstance(t, str) and TICKER.fullmatch(t) is not None, f"{str(t)[:20]!r} is not a ticker")
        need(isinstance(facts, dict), f"{t} is not an object")
        for k, entry in facts.items():
            need(isinstance(entry, dict), f"{t}.{k} is not {{value, as_of, source}}")

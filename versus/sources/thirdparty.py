"""What yfinance prints itself, kept out of the build output: its Python warnings (pandas 3.1 raises
about 35 ``Pandas4Warning`` lines a live build inside it) and the records of its ``yfinance`` logger.

yfinance never raises for a failed ticker, it *logs* why (level ERROR): ``['QQQ']:
YFRateLimitError('Too Many Requests. ...')``, ``$SCHA: possibly delisted; no timezone found``.
:class:`ThirdParty` reads those records to say why a ticker is missing (:func:`why`), counts
everything for the build report and writes it to the debug log (:func:`debug_log_path`:
``.cache/yahoo-debug.log`` in the current folder, replaced by every live build, or
``$VERSUS_DEBUG_LOG``).
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import warnings as _warnings
from pathlib import Path

from ..util import one_line

DEBUG_LOG = Path(".cache") / "yahoo-debug.log"
"""Where a live build writes the warnings and log records of yfinance (replaced on every live build),
relative to the current folder (as ``.cache/svg/``, the render cache); ``$VERSUS_DEBUG_LOG`` names
another file (:func:`debug_log_path`)."""


def debug_log_path() -> Path:
    """The debug log: ``$VERSUS_DEBUG_LOG``, else :data:`DEBUG_LOG` in the current folder."""
    return Path(os.environ.get("VERSUS_DEBUG_LOG") or Path.cwd() / DEBUG_LOG)


class ThirdParty(logging.Handler):
    """Python warnings and ``yfinance`` log records raised while yfinance runs, kept out of the
    build output (:meth:`capture`) and written to the debug log (:meth:`write`).

    ``reasons[T]`` is the first error yfinance logged about ticker ``T`` since it was cleared (the
    cause; later ones are consequences, e.g. "no timezone found" after a network error).
    """

    _TICKERS = re.compile(r"^\[((?:'[^']+'(?:, )?)+)\]: (.+)$", re.S)  # "['QQQ', 'SPY']: YFRateLimitError(...)"
    _DOLLAR = re.compile(r"^\$([A-Z0-9.\-^=]+): (.+)$", re.S)          # "$SCHA: possibly delisted; no timezone found"
    _TZ = re.compile(r"^Failed to get ticker '([^']+)' reason: (.+)$", re.S)  # the time-zone probe failed

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.records: dict[str, int] = {}   # "LEVEL message" -> count
        self.warnings: dict[str, int] = {}  # "Category: message (file:line)" -> count
        self.reasons: dict[str, str] = {}
        self._lock2 = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:  # a malformed third-party record must not break the build
            msg = str(record.msg)
        with self._lock2:
            key = f"{record.levelname} {one_line(msg)}"
            self.records[key] = self.records.get(key, 0) + 1
            if record.levelno >= logging.ERROR:
                for t, why in self._parse(msg):
                    self.reasons.setdefault(t, why)

    @classmethod
    def _parse(cls, msg: str) -> list[tuple[str, str]]:
        msg = msg.strip()
        m = cls._TICKERS.match(msg)
        if m:
            return [(t, m.group(2)) for t in re.findall(r"'([^']+)'", m.group(1))]
        m = cls._DOLLAR.match(msg) or cls._TZ.match(msg)
        return [(m.group(1), m.group(2))] if m else []

    @contextlib.contextmanager
    def capture(self):
        """Inside: warnings are recorded (not printed) and the ``yfinance`` logger writes here only.

        Not ``warnings.catch_warnings``: yfinance downloads in threads, and any code in them that
        enters and leaves ``catch_warnings`` (pandas does) saves and restores the process-wide
        filters concurrently, which can leave them changed.  Here ``showwarning`` is replaced (the
        threads' ``catch_warnings`` put back what they found: this hook) and the filters as they
        were before are put back afterwards.
        """
        logger = logging.getLogger("yfinance")
        saved = logger.propagate, logger.level
        saved_filters, saved_show = list(_warnings.filters), _warnings.showwarning
        logger.addHandler(self)
        logger.propagate = False  # else the root logger (or Python's last resort) prints to stderr
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)  # not DEBUG: yfinance would stop using threads
        _warnings.showwarning = self._showwarning
        _warnings.filterwarnings("default")  # each warning once per place, including deprecations
        try:
            yield self
        finally:
            _warnings.showwarning = saved_show
            _warnings.filters[:] = saved_filters
            getattr(_warnings, "_filters_mutated", lambda: None)()
            logger.removeHandler(self)
            logger.propagate, level = saved
            logger.setLevel(level)

    def _showwarning(self, message, category, filename, lineno, file=None, line=None) -> None:
        key = f"{category.__name__}: {one_line(message)} ({filename}:{lineno})"
        with self._lock2:
            self.warnings[key] = self.warnings.get(key, 0) + 1

    @property
    def counts(self) -> tuple[int, int]:
        """(warnings, log records) captured."""
        return sum(self.warnings.values()), sum(self.records.values())

    def write(self, path: Path, header: str) -> str | None:
        """Replace the debug log with what was captured; the problem (one line) if it cannot be written."""
        lines = [header, f"python warnings: {self.counts[0]}"]
        lines += [f"  {n:>4} x {k}" for k, n in sorted(self.warnings.items())]
        lines.append(f"yfinance log records: {self.counts[1]}")
        lines += [f"  {n:>4} x {k}" for k, n in sorted(self.records.items())]
        try:
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as exc:
            return f"{path}: cannot write the debug log ({exc.strerror or exc})"
        return None


def why(text: str) -> str:
    """yfinance's reason for a failed ticker, in a few words."""
    t = one_line(text)
    if "YFRateLimitError" in t or "Too Many Requests" in t or "429" in t:
        return "rate-limited, HTTP 429"
    if "Could not resolve" in t or "DNSError" in t:
        return "network error: could not resolve the host"
    if "timed out" in t or "Timeout" in t:
        return "network error: timed out"
    if "ConnectionError" in t or "Failed to connect" in t or "curl: (" in t:
        return "network error: could not connect"
    if "Expecting value" in t or "JSONDecodeError" in t or "CURRENTLY DOWN" in t:
        return "Yahoo answered with a page that is not data (an outage page?)"
    return t if len(t) <= 160 else t[:157] + "..."


def transient(exc: BaseException) -> bool:
    """A failure to ask Yahoo (rate limit, network, server error), as opposed to Yahoo answering "no data"."""
    if type(exc).__name__ == "YFRateLimitError":
        return True
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):
        return status in (401, 403, 408, 429) or status >= 500
    return isinstance(exc, (OSError, TimeoutError))

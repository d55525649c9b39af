"""The last resort: what the CLI does with an error nobody expected, and with SIGTERM.

* :func:`stage` records which part of the build is running; an unexpected exception is printed
  as one line, ``internal error in STAGE: Type: message; run with --debug for the traceback``
  (exit 1), and ``--debug`` prints the traceback as well.
* :func:`sigterm_as_interrupt`: SIGTERM (a CI cancel, ``kill``, a container stop) raises
  :class:`Terminated`, a ``KeyboardInterrupt``, so it unwinds exactly like Ctrl-C: the temporary
  folder is removed, the previous site stays, and the CLI exits 143 (128 + SIGTERM).
* :func:`versus.util.critical` (re-exported here): a block, such as the two renames of the swap, that
  Ctrl-C and SIGTERM wait for.
"""
from __future__ import annotations

import contextlib
import signal
import threading

from ..errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TERMINATED
from ..util import critical

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_TERMINATED", "MAX_MESSAGE", "swapped", "stage", "current",
           "Terminated", "describe", "internal_error", "sigterm_as_interrupt", "critical"]
MAX_MESSAGE = 300

_stage = ["start"]
swapped = [False]
"""Set once the new site is in place (a signal arriving during the swap is acted on just after it)."""


def stage(name: str) -> None:
    """Record the stage now running (for the one-line internal error)."""
    _stage[0] = name


def current() -> str:
    return _stage[0]


class Terminated(KeyboardInterrupt):
    """SIGTERM received: unwinds like Ctrl-C."""


def describe(exc: BaseException) -> str:
    """``Type: message`` on one line, at most :data:`MAX_MESSAGE` characters."""
    try:
        text = " ".join(str(exc).split())
    except Exception:  # noqa: BLE001 - a str() that fails is still an error to report
        text = ""
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def internal_error(exc: BaseException) -> str:
    return f"internal error in {current()}: {describe(exc)}; run with --debug for the traceback"


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Within: SIGTERM raises :class:`Terminated` in the main thread (elsewhere: nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not interrupt the clean-up
        raise Terminated()

    before = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)

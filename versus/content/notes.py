"""The curated notes' claims (``data/funds.toml``: ``notes = [ { text, as_of, source, claim } ]``): their
syntax is checked when the fund facts are read (:func:`note_check`), their truth on the page that shows them
(:func:`versus.pages.fund.note_quotes`)."""
from __future__ import annotations

from .claims import ClaimError, parse


class _Problem(str):
    """A message that points at the ``claim`` key of the note (``sub``, as the fund facts loader expects)."""

    sub: tuple = ()


def note_check(ticker: str, key: str, obs) -> str | None:
    """A fund fact check (``load_funds(checks=...)``): a note's claim must parse, so a typo stops the build with
    the file and line (exit 2) instead of leaving the note unchecked."""
    if key != "notes" or not obs.claim:
        return None
    try:
        parse(obs.claim)
    except ClaimError as exc:
        problem = _Problem(f"claim {obs.claim!r}: {exc}")
        problem.sub = ("claim",)
        return problem
    return None

"""A commentary's claims checked against the page's figures (and against those of the day it was written):
one view per claim for the page and the JSON, and a :class:`~versus.content.claims.ClaimWarning` for each that
fails or cannot be checked."""
from __future__ import annotations

from ..errors import ContentError
from ..facts import claim_words
from . import claims as cl
from .claims import ClaimWarning
from .placeholders import resolve


def _held(claim, then: dict | None) -> bool | None:
    """Whether a claim held on the day its commentary was written (None: not known)."""
    if then is None:
        return None
    try:
        return cl.evaluate(claim, lambda p: then.get(p)).holds
    except cl.ClaimError:
        return None


def check_claims(doc: Document, flat: dict, then: dict | None = None, as_of: str | None = None,
                 funds: tuple[str, ...] = ()) -> tuple[list[dict], list[str]]:
    """Evaluate every claim: (one view per claim, warnings for those that fail or cannot be checked).

    ``then``: the figures as they were on the commentary's ``updated`` date.  A failing claim "no longer
    holds" only if it held then; one that never held "does not hold".  Each view also explains the claim to
    readers in words (:func:`versus.facts.claim_words.explain`), never as the expression."""
    views, warnings = [], []
    updated = doc.meta.get("updated")
    for text, line, claim in doc.claims:
        where = f"{doc.shown}:{line}"
        for p in claim.paths:
            resolve(flat, p, where)
        try:
            res = cl.evaluate(claim, lambda p: resolve(flat, p, where))
        except cl.ClaimError as exc:
            raise ContentError(f"{where}: claim {text!r}: {exc}") from None
        shown = ", ".join(f"{p} = {cl.show(v)}" for p, v in res.values.items())
        held = _held(claim, then)
        message = None
        if res.holds is None:
            nulls = ", ".join(p for p, v in res.values.items() if v is None)
            message = f"claim '{text}' cannot be checked: {nulls} is null"
        elif not res.holds:
            message = _failed(text, shown, held, updated, claim, then)
        views.append({"claim": text, "holds": res.holds, "held_when_written": held, "values": res.values,
                      "message": message,
                      "explained": claim_words.explain(claim.tree, res.holds, res.values, as_of or updated or "",
                                                       funds)})
        if message:
            warnings.append(ClaimWarning(f"{where}: {message}", doc.shown, line, text))
    return views, warnings


def _failed(text: str, shown: str, held: bool | None, updated: str | None, claim, then: dict | None) -> str:
    """The editor's message for a claim that fails: 'no longer holds' only when it held when written."""
    if held:
        was = ", ".join(f"{p} = {cl.show(then.get(p))}" for p in claim.paths)
        return f"claim '{text}' no longer holds ({shown}); it held on {updated}, when the commentary was written ({was})"
    if held is False:
        was = ", ".join(f"{p} = {cl.show(then.get(p))}" for p in claim.paths)
        return f"claim '{text}' does not hold ({shown}), and did not hold on {updated} either ({was})"
    return f"claim '{text}' does not hold ({shown}); whether it held on {updated or 'the day it was written'} is " \
           f"not known"

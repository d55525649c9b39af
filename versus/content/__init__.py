"""The content stage: editors' Markdown commentary (:mod:`.commentary`) and the claims it makes about
the figures (:mod:`.claims`, a small safe expression language, no ``eval``)."""
from __future__ import annotations

from .commentary import (ClaimWarning, Content, Document, api_view, check_claims, fill, load, markdown, names,
                         parse_document, render, resolve)

__all__ = ["ClaimWarning", "Content", "Document", "api_view", "check_claims", "fill", "load", "markdown", "names",
           "parse_document", "render", "resolve"]

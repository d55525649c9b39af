"""The content stage: editors' Markdown commentary (:mod:`.commentary`), its placeholders and their
filters (:mod:`.placeholders`) and the claims it makes about the figures (:mod:`.claims`, a small safe
expression language, no ``eval``)."""
from __future__ import annotations

from .claims import ClaimWarning
from .commentary import (Content, Document, api_view, check_claims, fill, fill_checked, kind_of, load,
                         load_file, markdown, names, not_built, parse_document, render, resolve, root_of, unread)

__all__ = ["ClaimWarning", "Content", "Document", "api_view", "check_claims", "fill", "fill_checked", "kind_of", "load",
           "load_file", "markdown", "names", "not_built", "parse_document", "render", "resolve", "root_of", "unread"]

"""The pages stage: one module per page kind, each building its context and files (Pelican's
generators): :mod:`.pair`, :mod:`.fund`, :mod:`.group`, :mod:`.index`, :mod:`.methodology`.

What a page shows comes from the stages before: numbers from :mod:`versus.analysis`, sentences from
:mod:`versus.facts`, charts from :mod:`versus.charts`; a page only puts them together
(:mod:`.sections`, :mod:`.charts`, :mod:`.tables`, :mod:`.holdings`).  Rendering the template and
writing the files is the build's (:mod:`versus.build.jobs`).
"""
from __future__ import annotations

from .base import RELATED_MAX, PageKind, PageOutput, Site, related_pairs
from .category import CategoryPages
from .compare import ComparePage
from .fund import FundPages
from .group import GroupPages
from .index import IndexPage, api_index
from .methodology import MethodologyPage
from .pair import PairPages

PAGE_KINDS = (PairPages, FundPages, GroupPages, CategoryPages)
"""The page kinds built one page per job, in the build's order."""

__all__ = ["RELATED_MAX", "PAGE_KINDS", "PageKind", "PageOutput", "Site", "related_pairs", "ComparePage", "FundPages",
           "GroupPages", "CategoryPages", "IndexPage", "MethodologyPage", "PairPages", "api_index"]

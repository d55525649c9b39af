"""The facts stage: typed statements computed from the figures, each with a stable id and the values it
rests on, and every sentence the site writes from them.

A :class:`Fact` carries the figures it compares (one per ticker), its unit and the comparison
(``leader``, ``difference`` in points, ``relative``).  Every number in a sentence is formatted from
the fact's ``values`` with :mod:`versus.fmt`, so the prose can never say something the data do not
(``tests/test_prose_numbers.py`` checks every number on every page).  Comparative wording follows
:data:`THRESHOLDS`, which the methodology page prints.

- :mod:`.model`: :class:`Fact`, :class:`Statement`, :class:`Threshold`, :data:`THRESHOLDS`;
- :mod:`.verdict`: the one comparison rule per kind of figure (who leads, "slightly", "about the same")
  and the machine-readable claims every sentence carries;
- :mod:`.pair`, :mod:`.costs`, :mod:`.fund`: the facts of pair and fund pages (a group's summary: :mod:`.charts`);
- :mod:`.prose`: the summary paragraph and key takeaways; :mod:`.faq`: questions and answers;
- :mod:`.charts`: the charts' findings in words; :mod:`.changes`: what changed since the previous build.
"""
from __future__ import annotations

from .faq import faq, faq_statements, group_faq
from .fund import fund_facts
from .group import group_facts
from .model import ADJ, LABELS, THRESHOLDS, Fact, Statement, Threshold
from .pair import corr_level, pair_facts
from .prose import TAKEAWAY_IDS, statements, summary, takeaway_statements, takeaways

__all__ = ["Fact", "Statement", "Threshold", "THRESHOLDS", "LABELS", "ADJ", "pair_facts", "fund_facts",
           "group_facts", "corr_level", "summary", "statements", "takeaways", "takeaway_statements", "TAKEAWAY_IDS",
           "faq", "faq_statements", "group_faq"]

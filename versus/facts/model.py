"""The fact model: a typed statement with the values it rests on, and the wording thresholds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .. import fmt
from ..analysis.holdings import FEE_RETURN
from ..analysis.pairs import LEAD_LAG_MARGIN, LEAD_LAG_NOISE
from ..analysis.registry import ADJ, LABELS


class Threshold(NamedTuple):
    """One wording rule: the cut-off, the rule in words, and the unit of the cut-off."""

    value: float
    rule: str
    unit: str = "points"  # points (fraction as percentage points), ratio, relative, correlation, fraction, sigma

    @property
    def display(self) -> str:
        """The cut-off as the methodology page shows it."""
        if self.unit == "points":
            return f"{self.value * 100:g} points"
        if self.unit == "ratio":
            return f"{self.value:g}×"
        if self.unit == "correlation":
            return fmt.num(self.value, 2)
        if self.unit == "sigma":
            return f"{self.value:g}/√n"
        return fmt.pct(self.value, 0)


THRESHOLDS = {
    "return_tie": Threshold(0.001, "Returns whose figures as shown (one decimal) are 0.1 points apart or less are "
                                   "called 'about the same'."),
    "return_slight": Threshold(0.02, "A lead under 2 points of return (as shown) is 'slightly'."),
    "fee_identical": Threshold(0.0002, "Expense ratios less than 0.02 points apart (as shown, two decimals) are "
                                       "'nearly identical'."),
    "fee_far": Threshold(5.0, "A fund charging over 5× the other's expense ratio makes the other 'far cheaper'.", "ratio"),
    "yield_tie": Threshold(0.0005, "Dividend yields less than 0.05 points apart (as shown) are 'about the same'."),
    "drawdown_tie": Threshold(0.005, "Drawdowns less than 0.5 points apart (as shown) are 'about as deep'."),
    "concentration_tie": Threshold(0.02, "Concentration is the weight of the ten largest holdings: within 2 points "
                                         "(as shown) the two are 'similarly concentrated'."),
    "concentration_far": Threshold(2.0, "A top-10 weight over twice the other's is 'far more concentrated' (the "
                                        "holdings counts are given beside it, never compared alone).", "ratio"),
    "growth_much": Threshold(0.25, "$1,000 became 'much more' when one ending value is over 25% above the other.",
                             "relative"),
    "growth_tie": Threshold(0.02, "Ending values within 2% of each other are 'about the same'.", "relative"),
    "correlation_high": Threshold(0.8, "A correlation of daily returns of 0.80 or more is 'closely correlated'.",
                                  "correlation"),
    "correlation_moderate": Threshold(0.5, "From 0.50 to 0.80 'moderately correlated'; below 0.50 'loosely'.",
                                      "correlation"),
    "correlation_shift": Threshold(0.15, "What changed: a move of one-year correlation across a band above, or by "
                                         "at least 0.15, is a correlation regime change.", "correlation"),
    "lead_lag_margin": Threshold(LEAD_LAG_MARGIN, "One fund 'leads' the other only if the correlation at some lag of 1 to 5 "
                                       "trading days beats the same-day correlation by more than 0.05 (absolute "
                                       "values) ...", "correlation"),
    "lead_lag_noise": Threshold(LEAD_LAG_NOISE, "... and is outside the noise band of 3/√n for n daily returns (what pure "
                                     "chance rarely reaches).", "sigma"),
    "drawdown_correction": Threshold(0.10, "What changed: falling through 10% below the all-time high is reported "
                                           "(a correction).", "fraction"),
    "drawdown_bear": Threshold(0.20, "What changed: falling through 20% below the all-time high is reported "
                                     "(a bear market).", "fraction"),
    "fee_assumed_return": Threshold(FEE_RETURN, "Fee-cost examples assume $10,000 growing 6% a year before fees for 10 "
                                          "years.", "fraction"),
}
"""name -> :class:`Threshold` (cut-off, rule in words, unit).  Printed on the methodology page."""


def _t(name: str) -> float:
    return THRESHOLDS[name].value


@dataclass
class Statement:
    """A sentence (or answer) a page shows, the facts it rests on and what it states (its claims)."""

    where: str          # "summary", "takeaway", "faq", "chart:<id>", "fund", "group", "change"
    text: str
    facts: list[str] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"where": self.where, "text": self.text, "facts": self.facts, "claims": self.claims}


@dataclass
class Fact:
    """A typed statement: ``values`` holds one figure per ticker plus the comparison
    (``leader``, ``difference``, ``relative``) and ``unit``; ``text`` states it."""

    id: str
    text: str
    values: dict = field(default_factory=dict)
    unit: str | None = None
    claims: list[dict] = field(default_factory=list)  # what the text states (versus.facts.verdict)

    def to_json(self) -> dict:
        values = dict(self.values)
        if self.unit:
            values["unit"] = self.unit
        return {"id": self.id, "text": self.text, "values": values, "claims": self.claims}


def _by_id(facts: list[Fact]) -> dict[str, Fact]:
    return {f.id: f for f in facts}

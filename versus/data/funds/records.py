"""What ``data/funds.toml`` holds (sources, categories, every dated observation of every fact) and the facts as of a date (:class:`Fact`, :class:`FundFacts`)."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ...config import FUNDS_FILE
from .dating import APART_MONTHS, OLD_MONTHS, as_of_start  # noqa: F401 - re-exported

DEFAULT_PATH = FUNDS_FILE
"""Where a site keeps its fund facts, relative to its folder (:func:`versus.config.site_path`)."""
FACT_KEYS = ("issuer", "index", "inception", "morningstar_category", "expense_ratio", "aum", "fund_assets",
             "holdings_count", "dividend_yield")
"""Facts kept as lists of observations.  ``aum``: the ETF's assets; ``fund_assets``: the whole fund's
net assets across share classes (what Yahoo reports for Vanguard funds), never mixed with ``aum``."""
SNAPSHOT_KEYS = ("sector_weights", "top_holdings")
FUND_KEYS = ("name", "category", "notes") + FACT_KEYS + SNAPSHOT_KEYS
OBS_FIELDS = ("value", "as_of", "source", "note")
NOTE_FIELDS = ("text", "as_of", "source", "note", "claim")
SECTOR_FIELDS = ("as_of", "source", "taxonomy", "weights", "note")
HOLDINGS_FIELDS = ("as_of", "source", "holdings", "note")
HOLDING_KEYS = ("ticker", "name", "weight")
SOURCE_FIELDS = ("name", "date", "url", "note")
CATEGORY_FIELDS = ("name", "asset_class", "benchmark", "note")
TOP_LEVEL = ("sources", "categories")
FRACTION_KEYS = ("expense_ratio", "dividend_yield")
POSITIVE_KEYS = ("aum", "fund_assets", "holdings_count")
TEXT_KEYS = ("issuer", "index", "morningstar_category")
MAX_HOLDINGS = 25
ASSET_CLASSES = ("equity", "bonds", "real estate", "commodity", "cash", "multi-asset")
#: Sector names per taxonomy.  GICS (MSCI/S&P) and Morningstar's sectors cover the same economy with
#: different boundaries and names, so one page never sets the two side by side.
SECTOR_NAMES = {
    "gics": ("Information Technology", "Financials", "Health Care", "Consumer Discretionary",
             "Communication Services", "Industrials", "Consumer Staples", "Energy", "Utilities",
             "Real Estate", "Materials"),
    "morningstar": ("Technology", "Financial Services", "Healthcare", "Consumer Cyclical",
                    "Communication Services", "Industrials", "Consumer Defensive", "Energy", "Utilities",
                    "Real Estate", "Basic Materials"),
}
SECTOR_EXTRAS = ("Other", "Unknown", "Unassigned", "Cash and/or Derivatives")
TAXONOMIES = ("gics", "morningstar", "other")
TAXONOMY_NAMES = {"gics": "GICS sectors", "morningstar": "Morningstar sectors", "other": "the source's own sectors"}
_AS_OF_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{0,62}$")
#: What a repository path looks like (readers must see a source's name, never a file path or a commit).
_REPO_PATH_RE = re.compile(r"@|\b[0-9a-f]{12,40}\b|\.(json|csv|md|js|py|toml|txt|parquet)\b|\bdata/")


@dataclass(frozen=True)
class Source:
    """Where observations come from: a readable name, its date, a public link when there is one."""

    id: str
    name: str
    date: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Category:
    """A group of comparable funds: its name, asset class and the fund its members are measured against."""

    id: str
    name: str
    asset_class: str
    benchmark: str
    note: str | None = None


@dataclass(frozen=True)
class Observation:
    """One dated value of a fact.  ``value`` is the weights dict (sector_weights), the holdings list
    (top_holdings) or the quote's text (notes); ``taxonomy`` only for sector weights; ``claim`` (notes only):
    what the note states, as a claim the build checks against the page's figures, and ``line`` its line."""

    value: object
    as_of: str
    source: str  # a key of [sources] (live observations: the live source's label)
    note: str | None = None
    taxonomy: str | None = None
    claim: str | None = None
    line: int | None = None

    @property
    def start(self) -> _dt.date:
        """The first day the date can mean ("2026-04" -> 2026-04-01): what as-of selection compares."""
        return as_of_start(self.as_of)


@dataclass(frozen=True)
class FundRecord:
    """Everything ``funds.toml`` holds about one fund: every observation of every fact."""

    ticker: str
    name: str | None = None
    category: str | None = None
    observations: dict[str, tuple[Observation, ...]] = field(default_factory=dict)

    def history(self, key: str) -> tuple[Observation, ...]:
        """Every observation of ``key`` (a fact, ``sector_weights``, ``top_holdings`` or ``notes``), in file order."""
        return self.observations.get(key, ())


#: A per-value check: ``check(ticker, key, observation)`` returns None when the value is fine, else a
#: message; :func:`load_funds` raises it as ``file:line: key: message`` (a message with a ``sub`` key path,
#: :class:`versus.data.funds.plausible.Problem`, points inside the observation).
#: :func:`versus.data.funds.plausible.check` always runs; ``load_funds(checks=...)`` adds more.
Check = Callable[[str, str, Observation], "str | None"]


@dataclass(frozen=True)
class Fact:
    """One fact as a page shows it: the value chosen for the build's date, its date and source.

    ``source`` is the source's readable name; ``after`` means it was observed after the build's date
    (no earlier observation exists); ``old`` that it is more than 12 months older than that date."""

    value: object
    as_of: str
    source: str
    source_id: str | None = None
    url: str | None = None
    note: str | None = None
    after: bool = False
    old: bool = False
    taxonomy: str | None = None
    claim: str | None = None  # a note's claim (versus.content.claims), checked on the page that shows it
    line: int | None = None   # ... and its line in data/funds.toml

    def to_json(self) -> dict:
        """The fact's entry in the API's ``sources`` object."""
        out = {"as_of": self.as_of, "source": self.source, "source_id": self.source_id, "url": self.url,
               "note": self.note, "observed_after_as_of": self.after, "old": self.old}
        if self.taxonomy:
            out["taxonomy"] = self.taxonomy
        return out


@dataclass(frozen=True)
class FundFacts:
    """A fund's facts as of one date (:func:`resolve`), as the build uses them."""

    ticker: str
    name: str | None = None
    facts: dict[str, Fact] = field(default_factory=dict)
    sectors: Fact | None = None                 # value: {sector: weight}; taxonomy set
    sector_options: dict[str, Fact] = field(default_factory=dict)  # the as-of choice within each taxonomy
    holdings: Fact | None = None                # value: [{ticker, name, weight}], largest first
    quotes: list[Fact] = field(default_factory=list)  # dated quotes (value: the text), observed by the date
    category: Category | None = None
    as_of: str | None = None                    # the date the facts were chosen for

    def value(self, key: str):
        """The value of fact ``key`` (or ``name``), or None when unknown."""
        if key == "name":
            return self.name
        fact = self.facts.get(key)
        return None if fact is None else fact.value

    # the names the views and prose used before facts were dated
    @property
    def sector_weights(self) -> dict[str, float] | None:
        return self.sectors.value if self.sectors else None

    @property
    def sector_as_of(self) -> str | None:
        return self.sectors.as_of if self.sectors else None

    @property
    def sector_source(self) -> str | None:
        return self.sectors.source if self.sectors else None

    @property
    def top_holdings(self) -> list[dict] | None:
        return self.holdings.value if self.holdings else None

    @property
    def holdings_as_of(self) -> str | None:
        return self.holdings.as_of if self.holdings else None

    @property
    def holdings_source(self) -> str | None:
        return self.holdings.source if self.holdings else None

    @property
    def notes(self) -> list[str]:
        return [q.value for q in self.quotes]

    @property
    def asset_class(self) -> str | None:
        return self.category.asset_class if self.category else None

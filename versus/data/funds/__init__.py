"""Dated fund facts (``data/funds.toml``): every observation of every fact, and the facts as of a date.

The file keeps *every* observation of a fact (value, the date it was true for, its source), so a
build as of any date can show what was known then.  Its header comment is the editor's guide;
in short::

    [sources.articles-2026]                    # readable name, date, public link
    name = "ETF comparison articles, Jan–May 2026"
    date = "2026-05"

    [categories.us-large-growth]               # name, asset class, benchmark fund
    name = "US large-cap growth"
    asset_class = "equity"
    benchmark = "QQQ"

    [QQQ]
    name = "Invesco QQQ Trust, Series 1"
    category = "us-large-growth"
    expense_ratio = [
      { value = 0.0020, as_of = "2026-01-25", source = "articles-2026" },
      { value = 0.0018, as_of = "2026-04", source = "articles-2026", note = "spring 2026" },
    ]
    notes = [ { text = "index reconstituted every June", as_of = "2026-01", source = "articles-2026" } ]

    [[QQQ.sector_weights]]                     # one dated snapshot per block
    as_of = "2025-11"
    source = "holdings-2025-11"
    taxonomy = "gics"                          # gics | morningstar | other: never mixed on a page
    weights = { "Information Technology" = 0.51, ... }

    [[QQQ.top_holdings]]
    as_of = "2025-11"
    source = "holdings-2025-11"
    holdings = [ { ticker = "NVDA", name = "NVIDIA", weight = 0.09 }, ... ]

Fractions are fractions (0.0018 = 0.18 %), money is in US dollars.

**As of a date D** (:func:`resolve`): each fact takes its latest observation on or before D; if
there is none, its earliest observation after D, flagged ``after`` so pages say "observed 27 Sep
2026".  A month-only date ("2026-04") counts as the first day of its month (a build as of any day
of April 2026 uses it); when two observations share a date, the one listed last wins.  A fact
whose date is more than 12 months before D is ``old``.

Errors name the file, the line and the key: ``data/funds.toml:41: QQQ.expense_ratio[1].as_of:
bad as_of 'spring 2026' (expected "YYYY-MM-DD" or "YYYY-MM")``; unknown keys get a did-you-mean.
Every value must also be plausible (:mod:`.plausible`, issue 11): fact ranges, no date in the
future, printable names, notes and sources, weights summing to at most 102%; ``data/funds.toml:1387:
QQQ.expense_ratio[2].value: 0.19 is implausible (plausible: 0% to 2.5% …)``.  Extra per-value checks
plug in through ``load_funds(checks=...)`` (see :data:`Check`).

Live values (``--live``, yfinance) are merged by :func:`merge_live` as one more dated
observation each; the curated ones stay, and implausible live values are ignored.

Modules: :mod:`.records` (what the file holds, the facts as of a date), :mod:`.dating`,
:mod:`.resolve` (the facts as of a date), :mod:`.load` (checks, errors with file:line), :mod:`.scanner`
(key lines), :mod:`.values` (checked values), :mod:`.plausible` (plausible ranges), :mod:`.live` (live
observations).
"""
from __future__ import annotations

from .records import (
    DEFAULT_PATH, FACT_KEYS, SNAPSHOT_KEYS, FUND_KEYS, FRACTION_KEYS, POSITIVE_KEYS, TEXT_KEYS,
    MAX_HOLDINGS, ASSET_CLASSES, OLD_MONTHS, APART_MONTHS, SECTOR_NAMES, SECTOR_EXTRAS, TAXONOMIES,
    TAXONOMY_NAMES, _REPO_PATH_RE, Source, Category, Observation, FundRecord, Check, Fact, FundFacts,
)
from .dating import (
    when_text, as_of_start, is_old, months_apart,
)
from .resolve import (
    select, resolve, common_sectors, FundsFile, facts_date,
)
from .scanner import (
    key_lines,
)
from .values import (
    fact_value, sector_weights, top_holdings,
)
from .load import (
    load_funds,
)
from .live import (
    merge_live,
)
from . import plausible

__all__ = [
    "DEFAULT_PATH", "FACT_KEYS", "SNAPSHOT_KEYS", "FUND_KEYS", "FRACTION_KEYS", "POSITIVE_KEYS",
    "TEXT_KEYS", "MAX_HOLDINGS", "ASSET_CLASSES", "OLD_MONTHS", "APART_MONTHS", "SECTOR_NAMES",
    "SECTOR_EXTRAS", "TAXONOMIES", "TAXONOMY_NAMES", "_REPO_PATH_RE", "Source", "Category", "Observation",
    "FundRecord", "Check", "Fact", "FundFacts", "when_text", "as_of_start", "is_old", "months_apart",
    "select", "resolve", "common_sectors", "FundsFile", "facts_date", "key_lines", "fact_value", "sector_weights",
    "top_holdings", "load_funds", "merge_live", "plausible",
]

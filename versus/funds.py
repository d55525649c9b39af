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
Every value must also be plausible (:mod:`versus.plausible`, issue 11): fact ranges, no date in the
future, printable names, notes and sources, weights summing to at most 102%; ``data/funds.toml:1387:
QQQ.expense_ratio[2].value: 0.19 is implausible (plausible: 0% to 2.5% …)``.  Extra per-value checks
plug in through ``load_funds(checks=...)`` (see :data:`Check`).

Live values (``--live``, yfinance) are merged by :func:`merge_live` as one more dated
observation each; the curated ones stay, and implausible live values are ignored.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from versus import bounded, plausible
from versus.errors import ConfigError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "funds.toml"

FACT_KEYS = ("issuer", "index", "inception", "morningstar_category", "expense_ratio", "aum", "fund_assets",
             "holdings_count", "dividend_yield")
"""Facts kept as lists of observations.  ``aum``: the ETF's assets; ``fund_assets``: the whole fund's
net assets across share classes (what Yahoo reports for Vanguard funds), never mixed with ``aum``."""
SNAPSHOT_KEYS = ("sector_weights", "top_holdings")
FUND_KEYS = ("name", "category", "notes") + FACT_KEYS + SNAPSHOT_KEYS
OBS_FIELDS = ("value", "as_of", "source", "note")
NOTE_FIELDS = ("text", "as_of", "source", "note")
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

OLD_MONTHS = 12   # a fact observed more than this many months before the as-of date is "old"
APART_MONTHS = 6  # two facts observed further apart than this are not compared without saying so

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
_TICKER_RE = re.compile(r"^[A-Z][A-Z0-9.\-]{0,9}$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{0,62}$")
_TOML_LINE_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
#: What a repository path looks like (readers must see a source's name, never a file path or a commit).
_REPO_PATH_RE = re.compile(r"@|\b[0-9a-f]{12,40}\b|\.(json|csv|md|js|py|toml|txt|parquet)\b|\bdata/")


# --------------------------------------------------------------------------- the file's contents

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
    (top_holdings) or the quote's text (notes); ``taxonomy`` only for sector weights."""

    value: object
    as_of: str
    source: str  # a key of [sources] (live observations: the live source's label)
    note: str | None = None
    taxonomy: str | None = None

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
#: :class:`versus.plausible.Problem`, points inside the observation).  :func:`versus.plausible.check`
#: always runs; ``load_funds(checks=...)`` adds more.
Check = Callable[[str, str, Observation], "str | None"]


@dataclass(frozen=True)
class FundsFile(Mapping):
    """The loaded ``funds.toml``: ``{ticker: FundRecord}`` plus its sources and categories."""

    funds: dict[str, FundRecord]
    sources: dict[str, Source] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    path: Path | None = None
    text: str = field(default="", repr=False, compare=False)

    def fail(self, where: tuple, message: str):
        """Raise ``ConfigError`` ``path:LINE: key: message`` for a key path of this file (a check made after
        loading, e.g. :func:`versus.plausible.check_inceptions`).  ``where`` indexes observations
        (``("QQQ", "inception", 0, "value")``); a fact written as a single table has no index."""
        ld = _Loader(self.path or DEFAULT_PATH, self.text, ())
        if len(where) > 2 and isinstance(where[2], int) and where[:3] not in ld.lines and where[:2] in ld.lines:
            where = where[:2] + where[3:]
        ld.fail(where, message)

    def __getitem__(self, ticker: str) -> FundRecord:
        return self.funds[ticker]

    def __iter__(self) -> Iterator[str]:
        return iter(self.funds)

    def __len__(self) -> int:
        return len(self.funds)

    def __hash__(self) -> int:  # Mapping sets __hash__ = None; identity is enough here
        return id(self)

    def facts_as_of(self, ticker: str, as_of, live: dict | None = None) -> "FundFacts":
        """The fund's facts as of ``as_of`` (a date), live observations merged first."""
        record = merge_live(self.funds.get(ticker), ticker, live or {})
        return resolve(record, as_of, self.sources, self.categories)


# --------------------------------------------------------------------------- facts as of a date

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


_DATE_WORDS = re.compile(r"^(?:(?:spring|summer|autumn|fall|winter) \d{4}|undated: .+|\d{4} \(year only\)"
                         r"|[A-Z][a-z]{2}–[A-Z][a-z]{2} \d{4})$")


def when_text(as_of: str, note: str | None, fmt_date: Callable[[str], str]) -> tuple[str, str | None]:
    """How a page dates an observation: (the date in words, the rest of its note).

    A note that says how the date was given ("spring 2026", "undated: Jan–May 2026", "2025 (year only)")
    or a span ("Aug–Oct 2022") is shown instead of the month the observation is filed under."""
    parts = [p.strip() for p in (note or "").split(";") if p.strip()]
    words = [p for p in parts if _DATE_WORDS.fullmatch(p)]
    rest = "; ".join(p for p in parts if p not in words) or None
    if words:
        w = words[0]
        return (f"{w[len('undated: '):]}, undated" if w.startswith("undated: ") else w), rest
    return fmt_date(as_of), rest


def as_of_start(as_of: str) -> _dt.date:
    """"2026-04" -> 2026-04-01, "2026-01-25" -> 2026-01-25."""
    return _dt.date.fromisoformat(as_of if len(as_of) == 10 else as_of + "-01")


def _to_date(d) -> _dt.date:
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if hasattr(d, "date") and callable(d.date):  # pandas Timestamp
        return d.date()
    return as_of_start(str(d)[:10])


def _add_months(d: _dt.date, months: int) -> _dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (_dt.date(year + (month == 12), month % 12 + 1, 1) - _dt.timedelta(days=1)).day
    return _dt.date(year, month, min(d.day, last))


def is_old(as_of: str, date) -> bool:
    """More than :data:`OLD_MONTHS` months before ``date``."""
    return _add_months(as_of_start(as_of), OLD_MONTHS) < _to_date(date)


def months_apart(a: str, b: str) -> bool:
    """True when two observation dates are more than :data:`APART_MONTHS` months apart."""
    lo, hi = sorted((as_of_start(a), as_of_start(b)))
    return _add_months(lo, APART_MONTHS) < hi


def select(history: Iterable[Observation], date) -> tuple[Observation, bool] | None:
    """The observation a build as of ``date`` uses, and whether it was observed after ``date``.

    The latest on or before ``date``; if none, the earliest after it.  Ties on the date: the one
    listed last (file order) wins among the earlier ones, the one listed first among the later ones."""
    day = _to_date(date)
    before, later = None, None
    for obs in history:
        s = obs.start
        if s <= day:
            if before is None or s >= before.start:
                before = obs
        elif later is None or s < later.start:
            later = obs
    if before is not None:
        return before, False
    return (later, True) if later is not None else None


def _fact(obs: Observation, after: bool, date, sources: Mapping[str, Source]) -> Fact:
    src = sources.get(obs.source)
    return Fact(obs.value, obs.as_of, src.name if src else obs.source, obs.source if src else None,
                src.url if src else None, obs.note, after, is_old(obs.as_of, date), obs.taxonomy)


def resolve(record: FundRecord | None, date, sources: Mapping[str, Source] | None = None,
            categories: Mapping[str, Category] | None = None, ticker: str | None = None) -> FundFacts:
    """The facts of ``record`` as of ``date`` (see the module docstring for the rule)."""
    sources, categories = sources or {}, categories or {}
    if record is None:
        return FundFacts(ticker=ticker or "", as_of=_to_date(date).isoformat())
    facts = {}
    for key in FACT_KEYS:
        chosen = select(record.history(key), date)
        if chosen:
            facts[key] = _fact(*chosen, date, sources)
    options = {}
    for tx in TAXONOMIES:
        chosen = select([o for o in record.history("sector_weights") if o.taxonomy == tx], date)
        if chosen:
            options[tx] = _fact(*chosen, date, sources)
    chosen = select(record.history("sector_weights"), date)
    sectors = _fact(*chosen, date, sources) if chosen else None
    chosen = select(record.history("top_holdings"), date)
    holdings = _fact(*chosen, date, sources) if chosen else None
    day = _to_date(date)
    quotes = [_fact(o, False, date, sources) for o in record.history("notes") if o.start <= day]
    return FundFacts(ticker=record.ticker, name=record.name, facts=facts, sectors=sectors, sector_options=options,
                     holdings=holdings, quotes=quotes, category=categories.get(record.category or ""),
                     as_of=day.isoformat())


def common_sectors(infos: Mapping[str, FundFacts | None]) -> tuple[str | None, dict[str, Fact], dict[str, str]]:
    """The sector breakdowns a page can set side by side: one taxonomy for every fund that has it.

    Returns (taxonomy, {ticker: Fact}, {ticker: the taxonomy it has instead}).  The taxonomy covering
    the most funds wins; ties go to the one whose chosen observations were all observed by the page's
    date, then the most recent, then GICS before Morningstar.  Funds whose sector weights are only in
    another taxonomy are listed apart rather than mixed in."""
    have = {t: f for t, f in infos.items() if f is not None and f.sector_options}
    if not have:
        return None, {}, {}

    def rank(tx):
        members = [f.sector_options[tx] for f in have.values() if tx in f.sector_options]
        return (len(members), not any(m.after for m in members),
                max(as_of_start(m.as_of) for m in members) if members else _dt.date.min,
                -TAXONOMIES.index(tx))

    used = [tx for tx in TAXONOMIES if any(tx in f.sector_options for f in have.values())]
    best = max(used, key=rank)
    chosen = {t: f.sector_options[best] for t, f in have.items() if best in f.sector_options}
    other = {t: f.sectors.taxonomy for t, f in have.items() if t not in chosen and f.sectors}
    return best, chosen, other


# --------------------------------------------------------------------------- where keys are in the file

class _Scanner:
    """Maps each key path of a (valid) TOML text to the line it starts on.

    tomllib gives no positions, so this walks the text once: table headers, ``[[arrays]]`` (indexed
    in order), dotted and quoted keys, inline tables and arrays (each element indexed), strings of
    every kind and comments.  Only called on text tomllib has already accepted."""

    def __init__(self, text: str):
        self.s, self.i, self.line = text, 0, 1
        self.pos: dict[tuple, int] = {}
        self.aot: dict[tuple, int] = {}

    def peek(self, k: int = 1) -> str:
        return self.s[self.i:self.i + k]

    def advance(self, k: int = 1) -> None:
        self.line += self.s.count("\n", self.i, self.i + k)
        self.i += k

    def skip(self, newlines: bool) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.advance()
            elif c == "#":
                end = self.s.find("\n", self.i)
                self.advance((len(self.s) if end < 0 else end) - self.i)
            else:
                return

    def string(self) -> str:
        s = self.s
        for q in ('"""', "'''"):
            if s.startswith(q, self.i):
                end = self.i + 3
                while True:
                    end = s.index(q, end)
                    if q == '"""' and _escaped(s, end):
                        end += 1
                        continue
                    while s.startswith(q[0], end + 3):  # up to two quotes may end the content
                        end += 1
                    break
                out = s[self.i + 3:end]
                self.advance(end + 3 - self.i)
                return out
        q = s[self.i]
        end = self.i + 1
        while s[end] != q or (q == '"' and _escaped(s, end)):
            end += 1
        raw = s[self.i + 1:end]
        self.advance(end + 1 - self.i)
        if q == '"':
            try:
                return tomllib.loads(f'k = "{raw}"')["k"]
            except tomllib.TOMLDecodeError:
                return raw
        return raw

    def key(self) -> tuple:
        parts = []
        while True:
            self.skip(False)
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                m = re.compile(r"[A-Za-z0-9_\-]+").match(self.s, self.i)
                parts.append(m.group(0))
                self.advance(m.end() - self.i)
            self.skip(False)
            if self.peek() == ".":
                self.advance()
                continue
            return tuple(parts)

    def value(self, path: tuple) -> None:
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.advance()
            n = 0
            while True:
                self.skip(True)
                if self.peek() == "]":
                    self.advance()
                    return
                self.pos.setdefault(path + (n,), self.line)
                self.value(path + (n,))
                n += 1
                self.skip(True)
                if self.peek() == ",":
                    self.advance()
        elif c == "{":
            self.advance()
            while True:
                self.skip(False)
                if self.peek() == "}":
                    self.advance()
                    return
                line = self.line
                k = path + self.key()
                self.pos.setdefault(k, line)
                self.advance()  # '='
                self.skip(False)
                self.value(k)
                self.skip(False)
                if self.peek() == ",":
                    self.advance()
        else:
            m = re.compile(r"[^,\]\}\s#]+").match(self.s, self.i)
            self.advance(m.end() - self.i)

    def run(self) -> dict[tuple, int]:
        table: tuple = ()
        while True:
            self.skip(True)
            if self.i >= len(self.s):
                return self.pos
            if self.peek(2) == "[[":
                line = self.line
                self.advance(2)
                p = self.key()
                self.advance(2)
                n = self.aot.get(p, 0)
                self.aot[p] = n + 1
                table = p + (n,)
                for k in range(1, len(p) + 1):
                    self.pos.setdefault(p[:k], line)
                self.pos.setdefault(table, line)
            elif self.peek() == "[":
                line = self.line
                self.advance()
                table = self.key()
                self.advance()
                for k in range(1, len(table) + 1):  # [a.b] also defines a
                    self.pos.setdefault(table[:k], line)
            else:
                line = self.line
                k = table + self.key()
                self.pos.setdefault(k, line)
                self.advance()  # '='
                self.skip(False)
                self.value(k)


def _escaped(s: str, i: int) -> bool:
    n = 0
    while i - 1 - n >= 0 and s[i - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def key_lines(text: str) -> dict[tuple, int]:
    """``{key path: line}`` for a TOML text tomllib accepts (array elements are indexed)."""
    try:
        return _Scanner(text).run()
    except (ValueError, IndexError, AttributeError):  # never let the locator hide the real error
        return {}


def _dotted(path: tuple) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + (p if re.fullmatch(r"[A-Za-z0-9_\-]+", p) else _quoted(p))
    return out


def _quoted(key: str) -> str:
    """A quoted key as TOML writes it, with control and bidirectional characters escaped (``"Finan\\u0008cials"``):
    an error message never carries them to the terminal."""
    return '"' + "".join(f"\\{ch}" if ch in '"\\' else ch if ch.isprintable() else f"\\u{ord(ch):04X}"
                         for ch in key) + '"'


# --------------------------------------------------------------------------- validation

class _Invalid(ValueError):
    """A validation failure; the caller adds the file, line and key."""

    def __init__(self, message: str, sub: tuple = ()):
        super().__init__(message)
        self.sub = sub  # a deeper key path the message is about


class _Loader:
    def __init__(self, path: Path, text: str, checks: Iterable[Check]):
        self.path, self.checks, self.toml = path, [plausible.check, *checks], text
        self._lines: dict[tuple, int] | None = None

    @property
    def lines(self) -> dict[tuple, int]:
        if self._lines is None:  # only when there is an error to place: the scan costs ~0.2 s
            self._lines = key_lines(self.toml)
        return self._lines

    def fail(self, where: tuple, message: str):
        line = None
        for n in range(len(where), -1, -1):
            line = self.lines.get(where[:n])
            if line is not None:
                break
        loc = f"{self.path}:{line}" if line else f"{self.path}"
        raise ConfigError(f"{loc}: {_dotted(where) + ': ' if where else ''}{message}")

    def keys(self, table: dict, allowed: tuple[str, ...], where: tuple) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(allowed)})"
                self.fail(where + (key,), f"unknown key{hint}")

    def text(self, raw, where: tuple, required: bool = True, what: str | None = None) -> str | None:
        """A non-empty string, plausible (printable, not too long: :func:`versus.plausible.text`)."""
        if raw is None and not required:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.fail(where, f"expected a non-empty string, got {raw!r}")
        what = what or next((p for p in reversed(where) if isinstance(p, str)), "text")
        self.plausible(where, plausible.text(raw, what, plausible.MAX_NAME if what == "name" else plausible.MAX_SOURCE))
        return raw

    def as_of(self, raw, where: tuple) -> str:
        """A date "YYYY-MM-DD" or "YYYY-MM", not in the future (:func:`versus.plausible.as_of`)."""
        try:
            value = _as_of(raw)
        except _Invalid as exc:
            self.fail(where, str(exc))
        self.plausible(where, plausible.as_of(value, what=where[-1] if isinstance(where[-1], str) else "as_of"))
        return value

    def plausible(self, where: tuple, problem: str | None) -> None:
        if problem:  # implausible (versus.plausible): the value and the plausible range
            self.fail(where + tuple(getattr(problem, "sub", ())), problem)

    def source(self, raw, where: tuple, sources: Mapping[str, Source]) -> str:
        if not isinstance(raw, str) or raw not in sources:
            close = difflib.get_close_matches(str(raw), list(sources), n=1)
            hint = (f" (did you mean {close[0]!r}?)" if close else
                    f" (add a [sources.{raw}] table with its name, date and link)" if isinstance(raw, str) and _ID_RE.fullmatch(raw)
                    else " (sources are keys of the [sources] table)")
            self.fail(where, f"unknown source {raw!r}{hint}")
        return raw

    def check(self, ticker: str, key: str, obs: Observation, where: tuple,
              remap: Callable[[tuple], tuple] | None = None) -> None:
        """Run every check on ``obs``; ``remap`` turns a problem's key path inside the parsed value into the
        file's (top holdings are sorted by weight once read)."""
        for check in self.checks:
            message = check(ticker, key, obs)
            if message:
                sub = tuple(getattr(message, "sub", ()))
                self.fail(where + (remap(sub) if remap else sub), message)


def _as_of(raw) -> str:
    """Normalise an as_of to "YYYY-MM" or "YYYY-MM-DD" (TOML dates are accepted)."""
    if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
        return raw.isoformat()
    if not isinstance(raw, str) or not _AS_OF_RE.fullmatch(raw):
        raise _Invalid(f"bad as_of {raw!r} (expected \"YYYY-MM-DD\" or \"YYYY-MM\")")
    try:
        as_of_start(raw)
    except ValueError:
        raise _Invalid(f"bad as_of {raw!r} (not a real date)") from None
    return raw


def _number(raw) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise _Invalid(f"expected a number, got {raw!r}")
    if not math.isfinite(raw):  # TOML has nan and inf; JSON has neither
        raise _Invalid(f"expected a finite number, got {raw!r}")
    return raw


def _fraction(raw) -> float:
    value = _number(raw)
    if not 0 <= value <= 1:
        raise _Invalid(f"{value!r} is not a fraction in [0, 1] (write 0.0018 for 0.18%)")
    return float(value)


def fact_value(key: str, raw):
    """Check and normalise one value of fact ``key`` (raises ValueError with the reason)."""
    if key in FRACTION_KEYS:
        return _fraction(raw)
    if key in POSITIVE_KEYS:
        value = _number(raw)
        if key == "holdings_count" and value != int(value):
            raise _Invalid(f"holdings_count must be a whole number, got {raw!r}")
        if value <= 0:
            raise _Invalid(f"must be positive, got {raw!r}")
        return int(value) if key == "holdings_count" else float(value)
    if key == "inception":
        if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
            return raw.isoformat()
        try:
            _dt.date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise _Invalid(f"inception must be a date \"YYYY-MM-DD\", got {raw!r}") from None
        return raw
    if not isinstance(raw, str) or not raw.strip():
        raise _Invalid(f"expected a non-empty string, got {raw!r}")
    return raw


def sector_weights(raw, taxonomy: str) -> dict[str, float]:
    """Check a ``{sector: fraction}`` table against the taxonomy's sector names."""
    if not isinstance(raw, dict) or not raw:
        raise _Invalid("weights must be a non-empty table of sector = fraction")
    allowed = SECTOR_NAMES.get(taxonomy)
    out = {}
    for sector, weight in raw.items():
        if allowed is not None and sector not in allowed and sector not in SECTOR_EXTRAS:
            names = allowed + SECTOR_EXTRAS
            close = difflib.get_close_matches(sector, names, n=1)
            other = next((tx for tx, n in SECTOR_NAMES.items() if sector in n), None)
            hint = (f" (did you mean {close[0]!r}?)" if close else "") + (
                f"; {sector!r} is a {TAXONOMY_NAMES[other]} name: one snapshot keeps one taxonomy"
                if other and other != taxonomy else "")
            raise _Invalid(f"{sector!r} is not one of the {TAXONOMY_NAMES[taxonomy]}{hint}", (sector,))
        try:
            out[str(sector)] = _fraction(weight)
        except _Invalid as exc:
            raise _Invalid(f"{sector!r}: {exc}", (sector,)) from None
    return out


def top_holdings(raw) -> list[dict]:
    """Check a holdings list; returns it sorted by weight, largest first (ties keep their order)."""
    if not isinstance(raw, list) or not raw:
        raise _Invalid("holdings must be a non-empty list of { ticker, name, weight }")
    if len(raw) > MAX_HOLDINGS:
        raise _Invalid(f"at most {MAX_HOLDINGS} holdings, got {len(raw)}")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise _Invalid(f"holding #{i + 1} must be a table {{ ticker, name, weight }}", (i,))
        extra = [k for k in item if k not in HOLDING_KEYS]
        if extra:
            close = difflib.get_close_matches(extra[0], HOLDING_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _Invalid(f"holding #{i + 1}: unknown key {extra[0]!r}{hint}", (i, extra[0]))
        if "weight" not in item or not (item.get("ticker") or item.get("name")):
            raise _Invalid(f"holding #{i + 1} needs a weight and a ticker or name", (i,))
        for k in ("ticker", "name"):
            if item.get(k) is not None and not isinstance(item[k], str):
                raise _Invalid(f"holding #{i + 1}: {k} must be a string", (i, k))
        try:
            weight = _fraction(item["weight"])
        except _Invalid as exc:
            raise _Invalid(f"holding #{i + 1} weight: {exc}", (i, "weight")) from None
        out.append({"ticker": item.get("ticker"), "name": item.get("name"), "weight": weight})
    return sorted(out, key=lambda h: -h["weight"])


# --------------------------------------------------------------------------- loading

def _parse_sources(ld: _Loader, raw) -> dict[str, Source]:
    if not isinstance(raw, dict):
        ld.fail(("sources",), "must be a table of [sources.<id>] tables")
    out = {}
    for sid, table in raw.items():
        where = ("sources", sid)
        if not _ID_RE.fullmatch(sid):
            ld.fail(where, "a source id is lower-case letters, digits and '-' (e.g. articles-2026)")
        if not isinstance(table, dict):
            ld.fail(where, "must be a table with name, date and url")
        ld.keys(table, SOURCE_FIELDS, where)
        name = ld.text(table.get("name"), where + ("name",))
        if _REPO_PATH_RE.search(name):
            ld.fail(where + ("name",), f"{name!r} looks like a repository path or commit: readers see this "
                                      f"name, so describe the source (e.g. \"Yahoo Finance fund profile (via "
                                      f"owner/repo), 27 Sep 2026\") and put the link in url")
        if "date" not in table:
            ld.fail(where, "missing 'date' (when the source was published or collected)")
        date = ld.as_of(table["date"], where + ("date",))
        url = ld.text(table.get("url"), where + ("url",), required=False)
        if url is not None and not url.startswith("https://"):
            ld.fail(where + ("url",), f"a public https:// link, got {url!r}")
        note = ld.text(table.get("note"), where + ("note",), required=False)
        out[sid] = Source(sid, name, date, url, note)
    return out


def _parse_categories(ld: _Loader, raw) -> dict[str, Category]:
    if not isinstance(raw, dict):
        ld.fail(("categories",), "must be a table of [categories.<id>] tables")
    out = {}
    for cid, table in raw.items():
        where = ("categories", cid)
        if not _ID_RE.fullmatch(cid):
            ld.fail(where, "a category id is lower-case letters, digits and '-' (e.g. us-small-cap)")
        if not isinstance(table, dict):
            ld.fail(where, "must be a table with name, asset_class and benchmark")
        ld.keys(table, CATEGORY_FIELDS, where)
        for part in ("name", "asset_class", "benchmark"):
            if part not in table:
                ld.fail(where, f"missing {part!r}")
        name = ld.text(table["name"], where + ("name",))
        ac = table["asset_class"]
        if ac not in ASSET_CLASSES:
            close = difflib.get_close_matches(str(ac), ASSET_CLASSES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (one of: {', '.join(ASSET_CLASSES)})"
            ld.fail(where + ("asset_class",), f"unknown asset class {ac!r}{hint}")
        bench = table["benchmark"]
        if not isinstance(bench, str) or not _TICKER_RE.fullmatch(bench):
            ld.fail(where + ("benchmark",), f"expected a ticker of this file, got {bench!r}")
        out[cid] = Category(cid, name, ac, bench, ld.text(table.get("note"), where + ("note",), required=False))
    return out


def _observations(ld: _Loader, ticker: str, key: str, raw, sources) -> tuple[Observation, ...]:
    where = (ticker, key)
    items = [raw] if isinstance(raw, dict) else raw  # a single { value, as_of, source } is one observation
    if not isinstance(items, list) or not items:
        ld.fail(where, 'must be a list of observations [ { value = ..., as_of = "...", source = "..." }, ... ]')
    out = []
    for n, item in enumerate(items):
        at = where + ((n,) if isinstance(raw, list) else ())
        if not isinstance(item, dict):
            ld.fail(at, 'each observation is a table { value = ..., as_of = "...", source = "..." }')
        ld.keys(item, OBS_FIELDS, at)
        for part in ("value", "as_of", "source"):
            if part not in item:
                ld.fail(at, f"missing {part!r}")
        try:
            value = fact_value(key, item["value"])
        except _Invalid as exc:
            ld.fail(at + ("value",), str(exc))
        obs = Observation(value, ld.as_of(item["as_of"], at + ("as_of",)),
                          ld.source(item["source"], at + ("source",), sources),
                          ld.text(item.get("note"), at + ("note",), required=False))
        ld.check(ticker, key, obs, at)
        out.append(obs)
    return tuple(out)


def _notes(ld: _Loader, ticker: str, raw, sources) -> tuple[Observation, ...]:
    where = (ticker, "notes")
    if not isinstance(raw, list):
        ld.fail(where, 'must be a list of dated quotes [ { text = "...", as_of = "...", source = "..." } ]')
    out = []
    for n, item in enumerate(raw):
        at = where + (n,)
        if not isinstance(item, dict):
            ld.fail(at, 'a note is a dated quote { text = "...", as_of = "YYYY-MM", source = "<source id>" }: '
                        'a figure belongs in its dated fact, not in a note')
        ld.keys(item, NOTE_FIELDS, at)
        for part in ("text", "as_of", "source"):
            if part not in item:
                ld.fail(at, f"missing {part!r}")
        obs = Observation(ld.text(item["text"], at + ("text",), what="note"), ld.as_of(item["as_of"], at + ("as_of",)),
                          ld.source(item["source"], at + ("source",), sources),
                          ld.text(item.get("note"), at + ("note",), required=False))
        ld.check(ticker, "notes", obs, at)
        out.append(obs)
    ld.plausible(where, plausible.notes([o.value for o in out]))  # at most MAX_NOTES
    return tuple(out)


def _snapshots(ld: _Loader, ticker: str, key: str, raw, sources) -> tuple[Observation, ...]:
    where = (ticker, key)
    items = [raw] if isinstance(raw, dict) else raw
    header = f"[[{ticker}.{key}]]"
    if not isinstance(items, list) or not items or not all(isinstance(x, dict) for x in items):
        ld.fail(where, f"must be one or more {header} blocks")
    fields = SECTOR_FIELDS if key == "sector_weights" else HOLDINGS_FIELDS
    content = "weights" if key == "sector_weights" else "holdings"
    out = []
    for n, item in enumerate(items):
        at = where + ((n,) if isinstance(raw, list) else ())
        ld.keys(item, fields, at)
        for part in fields:
            if part != "note" and part not in item:
                ld.fail(at, f"missing {part!r}")
        taxonomy = None
        if key == "sector_weights":
            taxonomy = item["taxonomy"]
            if taxonomy not in TAXONOMIES:
                close = difflib.get_close_matches(str(taxonomy), TAXONOMIES, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (one of: {', '.join(TAXONOMIES)})"
                ld.fail(at + ("taxonomy",), f"unknown taxonomy {taxonomy!r}{hint}")
        try:
            data = sector_weights(item[content], taxonomy) if taxonomy else top_holdings(item[content])
        except _Invalid as exc:
            ld.fail(at + (content,) + exc.sub, str(exc))
        obs = Observation(data, ld.as_of(item["as_of"], at + ("as_of",)),
                          ld.source(item["source"], at + ("source",), sources),
                          ld.text(item.get("note"), at + ("note",), required=False), taxonomy)
        remap = None
        if key == "top_holdings":  # the parsed list is sorted by weight (a stable sort): back to file order
            order = sorted(range(len(item[content])), key=lambda i: -float(item[content][i]["weight"]))

            def remap(sub, order=order):
                return (sub[0], order[sub[1]]) + sub[2:] if len(sub) > 1 and isinstance(sub[1], int) else sub
        ld.check(ticker, key, obs, at, remap)
        out.append(obs)
    return tuple(out)


def _parse_fund(ld: _Loader, ticker: str, table: dict, sources, categories) -> FundRecord:
    ld.keys(table, FUND_KEYS, (ticker,))
    name = ld.text(table.get("name"), (ticker, "name"), required=False)
    if "category" not in table:
        ld.fail((ticker,), f"missing 'category' (one of the [categories]: {', '.join(categories) or 'none defined'})")
    cat = table["category"]
    if cat not in categories:
        close = difflib.get_close_matches(str(cat), list(categories), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else " (add it to [categories])"
        ld.fail((ticker, "category"), f"unknown category {cat!r}{hint}")
    obs = {}
    for key in FACT_KEYS:
        if key in table:
            obs[key] = _observations(ld, ticker, key, table[key], sources)
    for key in SNAPSHOT_KEYS:
        if key in table:
            obs[key] = _snapshots(ld, ticker, key, table[key], sources)
    if "notes" in table:
        obs["notes"] = _notes(ld, ticker, table["notes"], sources)
    return FundRecord(ticker, name, cat, obs)


def load_funds(path: Path = DEFAULT_PATH, checks: Iterable[Check] = ()) -> FundsFile:
    """Read and validate ``funds.toml``; return a :class:`FundsFile` (a mapping ticker -> FundRecord).

    Raises ConfigError with a one-line message ``path:LINE: key: message``.  Every value is checked for
    plausibility (:mod:`versus.plausible`); ``checks`` are extra per-value checks (:data:`Check`), run on
    every observation after its own validation.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    from versus.config import decode_text

    text = decode_text(raw, path)  # a byte-order mark or bytes that are not UTF-8: named, with the line
    deep = bounded.toml_nesting(text)
    if deep is not None:
        raise ConfigError(f"{path}:{deep}: nested more than {bounded.MAX_DEPTH} levels deep")
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_LINE_RE.search(message)
        if match:
            message = _TOML_LINE_RE.sub("", message)
            raise ConfigError(f"{path}:{match.group(1)}: invalid TOML: {message} "
                              f"(column {match.group(2)})") from None
        raise ConfigError(f"{path}: invalid TOML: {message}") from None

    ld = _Loader(path, text, checks)
    sources = _parse_sources(ld, data.get("sources", {}))
    categories = _parse_categories(ld, data.get("categories", {}))
    funds = {}
    for ticker, table in data.items():
        if ticker in TOP_LEVEL:
            continue
        if not _TICKER_RE.fullmatch(ticker):
            close = difflib.get_close_matches(ticker, TOP_LEVEL, n=1)
            hint = (f" (did you mean {close[0]!r}?)" if close else
                    " (expected [sources], [categories] or an upper-case [TICKER] table such as [QQQ])")
            ld.fail((ticker,), f"not a ticker{hint}")
        if not isinstance(table, dict):
            ld.fail((ticker,), f"must be a [{ticker}] table")
        funds[ticker] = _parse_fund(ld, ticker, table, sources, categories)
    for cid, cat in categories.items():
        if cat.benchmark not in funds:
            close = difflib.get_close_matches(cat.benchmark, list(funds), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            ld.fail(("categories", cid, "benchmark"), f"{cat.benchmark!r} is not a fund of this file{hint}")
    return FundsFile(funds, sources, categories, path, text)


# --------------------------------------------------------------------------- live observations

#: yahoo.py names Yahoo's (Morningstar) sectors with GICS-like names; they are Morningstar's sectors.
_LIVE_SECTOR_NAMES = {"Information Technology": "Technology", "Financials": "Financial Services",
                      "Health Care": "Healthcare", "Consumer Discretionary": "Consumer Cyclical",
                      "Consumer Staples": "Consumer Defensive", "Materials": "Basic Materials"}
_LIVE_KEYS = {"yield": "dividend_yield"}


def _usable(entry) -> bool:
    if not isinstance(entry, dict):
        return False
    value = entry.get("value")
    return value is not None and not (isinstance(value, (dict, list, str)) and not value)


def merge_live(curated: FundRecord | None, ticker: str, live: dict) -> FundRecord:
    """Add live values (``{key: {"value", "as_of", "source"}}``, from yfinance) as one more dated
    observation each.

    A live value is used only when it is present, not None, not empty, dated, and passes the same
    checks as the curated file, plausibility included (so a percent where a fraction is expected, or a
    name with a control character, is ignored).  The curated
    observations all stay: a build as of an earlier date still uses them.  Yahoo's sector weights are
    Morningstar's sectors (yahoo.py gives them GICS-like names; they are mapped back here).  Unknown
    keys are ignored; a live ``name`` replaces the curated one.
    """
    base = curated if curated is not None else FundRecord(ticker=ticker)
    live = live or {}
    obs = {k: tuple(v) for k, v in base.observations.items()}
    name = base.name

    def add(key: str, value, entry: dict, taxonomy: str | None = None) -> None:
        try:
            as_of = _as_of(str(entry.get("as_of") or "")[:10])
        except _Invalid:
            return  # an undated live value cannot be placed in time
        item = Observation(value, as_of, str(entry.get("source") or "live"), None, taxonomy)
        if plausible.check(ticker, key, item):
            return  # implausible (a percent as a fraction, weights summing to 150%): the curated ones stay
        if item not in obs.get(key, ()):
            obs[key] = obs.get(key, ()) + (item,)

    entry = live.get("name")
    if _usable(entry) and isinstance(entry["value"], str) and entry["value"].strip() \
            and not plausible.text(entry["value"], "name"):
        name = entry["value"]
    for raw_key, entry in sorted(live.items()):
        key = _LIVE_KEYS.get(raw_key, raw_key)
        if key not in FACT_KEYS or not _usable(entry):
            continue
        try:
            add(key, fact_value(key, entry["value"]), entry)
        except _Invalid:
            continue
    entry = live.get("sector_weights")
    if _usable(entry) and isinstance(entry["value"], dict):
        renamed: dict[str, float] = {}
        for k, v in entry["value"].items():
            k = _LIVE_SECTOR_NAMES.get(str(k), str(k))
            renamed[k] = renamed.get(k, 0.0) + (v if isinstance(v, (int, float)) and not isinstance(v, bool) else float("nan"))
        for taxonomy in ("morningstar", "other"):
            try:
                add("sector_weights", sector_weights(renamed, taxonomy), entry, taxonomy)
                break
            except _Invalid:
                continue
    entry = live.get("top_holdings")
    if _usable(entry) and isinstance(entry["value"], list):
        try:
            rows = sorted(entry["value"], key=lambda h: -float(h.get("weight") or 0))[:MAX_HOLDINGS]
            add("top_holdings", top_holdings(rows), entry)
        except (_Invalid, AttributeError, TypeError, ValueError):
            pass
    return replace(base, ticker=ticker, name=name, observations=obs)

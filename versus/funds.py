"""Curated fund facts (``data/funds.toml``) and their overlay with live values.

Each fact carries its value, the date it was true for (``as_of``) and where it
came from (``source``).  Fractions are fractions (0.0018 = 0.18 %), money is
in USD.  Curated values are the fallback; values fetched live (yfinance) replace
them in :func:`merge_live` when they are actually present.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from versus import bounded, plausible
from versus.errors import ConfigError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "funds.toml"

FACT_KEYS = ("issuer", "index", "inception", "expense_ratio", "aum",
             "holdings_count", "dividend_yield")
FUND_KEYS = ("name", "notes", "sector_weights", "top_holdings") + FACT_KEYS
FACT_FIELDS = ("value", "as_of", "source")
SECTOR_KEYS = ("as_of", "source", "weights")
HOLDINGS_KEYS = ("as_of", "source", "holdings")
HOLDING_KEYS = ("ticker", "name", "weight")
FRACTION_KEYS = ("expense_ratio", "dividend_yield")
POSITIVE_KEYS = ("aum", "holdings_count")
MAX_HOLDINGS = 25

_AS_OF_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_TICKER_RE = re.compile(r"^[A-Z][A-Z0-9.\-]{0,9}$")
_TOML_LINE_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class Fact:
    """One curated value with the date it was true for and its source."""

    value: object
    as_of: str
    source: str


@dataclass(frozen=True)
class FundFacts:
    """Everything known about one fund, curated and/or live."""

    ticker: str
    name: str | None = None
    facts: dict[str, Fact] = field(default_factory=dict)
    sector_weights: dict[str, float] | None = None
    sector_as_of: str | None = None
    sector_source: str | None = None
    top_holdings: list[dict] | None = None
    holdings_as_of: str | None = None
    holdings_source: str | None = None
    notes: list[str] = field(default_factory=list)

    def value(self, key: str):
        """The value of fact ``key`` (or ``name``), or None when unknown."""
        if key == "name":
            return self.name
        fact = self.facts.get(key)
        return None if fact is None else fact.value


# --------------------------------------------------------------------------- validation

class _Invalid(ValueError):
    """A validation failure; the caller adds the file and key."""


def _check_keys(table: dict, allowed: tuple[str, ...], where: str, path) -> None:
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(allowed)})"
            raise ConfigError(f"{path}: {where}{key}: unknown key{hint}")


def _as_of(raw) -> str:
    """Normalise an as_of to "YYYY-MM" or "YYYY-MM-DD" (TOML dates are accepted)."""
    if isinstance(raw, _dt.date) and not isinstance(raw, _dt.datetime):
        return raw.isoformat()
    if not isinstance(raw, str) or not _AS_OF_RE.fullmatch(raw):
        raise _Invalid(f"bad as_of {raw!r} (expected \"YYYY-MM-DD\" or \"YYYY-MM\")")
    try:
        _dt.date.fromisoformat(raw if len(raw) == 10 else raw + "-01")
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


def _fact_value(key: str, raw):
    """Check and normalise the value of fact ``key``."""
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


def _weights(raw) -> dict[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise _Invalid("weights must be a non-empty table of sector = fraction")
    out = {}
    for sector, weight in raw.items():
        try:
            out[str(sector)] = _fraction(weight)
        except _Invalid as exc:
            raise _Invalid(f"{sector!r}: {exc}") from None
    return out


def _holdings(raw) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise _Invalid("holdings must be a non-empty list of { ticker, name, weight }")
    if len(raw) > MAX_HOLDINGS:
        raise _Invalid(f"at most {MAX_HOLDINGS} holdings, got {len(raw)}")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise _Invalid(f"holding #{i + 1} must be a table {{ ticker, name, weight }}")
        extra = [k for k in item if k not in HOLDING_KEYS]
        if extra:
            close = difflib.get_close_matches(extra[0], HOLDING_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _Invalid(f"holding #{i + 1}: unknown key {extra[0]!r}{hint}")
        if "weight" not in item or not (item.get("ticker") or item.get("name")):
            raise _Invalid(f"holding #{i + 1} needs a weight and a ticker or name")
        try:
            weight = _fraction(item["weight"])
        except _Invalid as exc:
            raise _Invalid(f"holding #{i + 1} weight: {exc}") from None
        out.append({"ticker": item.get("ticker"), "name": item.get("name"), "weight": weight})
    return sorted(out, key=lambda h: -h["weight"])  # stable: ties keep file order


# --------------------------------------------------------------------------- loading

def _parse_fund(ticker: str, table: dict, path, text: str = "") -> FundFacts:
    _check_keys(table, FUND_KEYS, f"{ticker}.", path)

    def fail(key: str, message: str, needle: str | None = None):
        line = plausible.toml_line(text, ticker, key, needle) if text else None
        raise ConfigError(f"{path}{f':{line}' if line else ''}: {ticker}.{key}: {message}")

    def implausible(key: str, problem: str | None, needle: str | None = None):
        if problem:  # implausible (versus.plausible): the value and the plausible range
            fail(key, problem, needle or getattr(problem, "needle", None))

    name = table.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        fail("name", "must be a non-empty string")
    implausible("name", plausible.text(name, "name"))
    notes = table.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        fail("notes", "must be a list of strings")
    implausible("notes", plausible.notes(notes))

    facts: dict[str, Fact] = {}
    for key in FACT_KEYS:
        if key not in table:
            continue
        raw = table[key]
        if not isinstance(raw, dict):
            fail(key, "must be a table { value = ..., as_of = \"...\", source = \"...\" }")
        _check_keys(raw, FACT_FIELDS, f"{ticker}.{key}.", path)
        for part in FACT_FIELDS:
            if part not in raw:
                fail(key, f"missing {part!r}")
        try:
            value = _fact_value(key, raw["value"])
        except _Invalid as exc:
            fail(f"{key}.value", str(exc))
        try:
            as_of = _as_of(raw["as_of"])
        except _Invalid as exc:
            fail(f"{key}.as_of", str(exc))
        if not isinstance(raw["source"], str) or not raw["source"].strip():
            fail(f"{key}.source", "must be a non-empty string")
        implausible(f"{key}.value", plausible.fact(key, value) or plausible.text(value, key))
        implausible(f"{key}.as_of", plausible.as_of(as_of))
        implausible(f"{key}.source", plausible.text(raw["source"], "source", plausible.MAX_SOURCE))
        facts[key] = Fact(value, as_of, raw["source"])

    blocks = {}
    for key, allowed, content, check in (("sector_weights", SECTOR_KEYS, "weights", _weights),
                                         ("top_holdings", HOLDINGS_KEYS, "holdings", _holdings)):
        raw = table.get(key)
        if raw is None:
            blocks[key] = (None, None, None)
            continue
        if not isinstance(raw, dict):
            fail(key, f"must be a table with {', '.join(allowed)}")
        _check_keys(raw, allowed, f"{ticker}.{key}.", path)
        for part in allowed:
            if part not in raw:
                fail(key, f"missing {part!r}")
        try:
            data = check(raw[content])
        except _Invalid as exc:
            fail(f"{key}.{content}", str(exc))
        try:
            as_of = _as_of(raw["as_of"])
        except _Invalid as exc:
            fail(f"{key}.as_of", str(exc))
        if not isinstance(raw["source"], str) or not raw["source"].strip():
            fail(f"{key}.source", "must be a non-empty string")
        implausible(f"{key}.{content}", (plausible.weights if key == "sector_weights" else plausible.holdings)(data))
        implausible(f"{key}.as_of", plausible.as_of(as_of))
        implausible(f"{key}.source", plausible.text(raw["source"], "source", plausible.MAX_SOURCE))
        blocks[key] = (data, as_of, raw["source"])

    sectors, holdings = blocks["sector_weights"], blocks["top_holdings"]
    return FundFacts(ticker=ticker, name=name, facts=facts,
                     sector_weights=sectors[0], sector_as_of=sectors[1], sector_source=sectors[2],
                     top_holdings=holdings[0], holdings_as_of=holdings[1], holdings_source=holdings[2],
                     notes=list(notes))


def load_funds(path: Path = DEFAULT_PATH) -> dict[str, FundFacts]:
    """Read and validate ``funds.toml``; return ``{ticker: FundFacts}``.

    Raises ConfigError with a one-line message naming the file and the key
    (``path:LINE: message`` for TOML syntax errors).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    from versus.config import decode_text

    text = decode_text(data, path)  # a byte-order mark or bytes that are not UTF-8: named, with the line
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

    funds = {}
    for ticker, table in data.items():
        if not _TICKER_RE.fullmatch(ticker):
            raise ConfigError(f"{path}: {ticker}: not a ticker (expected an upper-case "
                              f"[TICKER] table such as [QQQ])")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {ticker}: must be a [{ticker}] table")
        funds[ticker] = _parse_fund(ticker, table, path, text)
    return funds


# --------------------------------------------------------------------------- live overlay

def _usable(entry) -> bool:
    if not isinstance(entry, dict):
        return False
    value = entry.get("value")
    return value is not None and not (isinstance(value, (dict, list, str)) and not value)


def merge_live(curated: FundFacts | None, ticker: str, live: dict) -> FundFacts:
    """Overlay live values (``{key: {"value", "as_of", "source"}}``) on curated facts.

    A live value replaces the curated one only when it is present, not None,
    not empty, and passes the same checks as the curated file (so a percent
    where a fraction is expected is ignored).  Everything else keeps the curated
    value as fallback.  Unknown keys are ignored.
    """
    base = curated if curated is not None else FundFacts(ticker=ticker)
    live = live or {}
    changes: dict = {}

    def meta(entry):
        return str(entry.get("as_of") or ""), str(entry.get("source") or "live")

    if _usable(live.get("name")) and isinstance(live["name"]["value"], str) \
            and not plausible.text(live["name"]["value"], "name"):
        changes["name"] = live["name"]["value"]

    facts = dict(base.facts)
    for key in FACT_KEYS:
        entry = live.get(key)
        if not _usable(entry):
            continue
        try:
            value = _fact_value(key, entry["value"])
        except _Invalid:
            continue
        if plausible.fact(key, value) or plausible.text(value, key):  # implausible: the curated value stays
            continue
        facts[key] = Fact(value, *meta(entry))
    changes["facts"] = facts

    entry = live.get("sector_weights")
    if _usable(entry):
        try:
            weights = _weights(entry["value"])
        except _Invalid:
            weights = None
        if weights and not plausible.weights(weights):
            changes.update(sector_weights=weights,
                           **dict(zip(("sector_as_of", "sector_source"), meta(entry))))

    entry = live.get("top_holdings")
    if _usable(entry) and isinstance(entry["value"], list):
        try:
            holdings = _holdings(sorted(entry["value"], key=lambda h: -float(h.get("weight") or 0))
                                 [:MAX_HOLDINGS])
        except (_Invalid, AttributeError, TypeError, ValueError):
            holdings = None
        if holdings and not plausible.holdings(holdings):
            changes.update(top_holdings=holdings,
                           **dict(zip(("holdings_as_of", "holdings_source"), meta(entry))))

    return replace(base, ticker=ticker, **changes)

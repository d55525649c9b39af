"""Live values (``--live``, yfinance) as one more dated observation each."""
from __future__ import annotations

from dataclasses import replace

from . import plausible
from .records import FACT_KEYS, MAX_HOLDINGS, FundRecord, Observation
from .values import _as_of, _Invalid, fact_value, sector_weights, top_holdings

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
    entry = live.get("name")
    if _usable(entry) and isinstance(entry["value"], str) and entry["value"].strip() \
            and not plausible.text(entry["value"], "name"):
        name = entry["value"]
    for raw_key, entry in sorted(live.items()):
        key = _LIVE_KEYS.get(raw_key, raw_key)
        if key not in FACT_KEYS or not _usable(entry):
            continue
        try:
            _add(obs, ticker, key, fact_value(key, entry["value"]), entry)
        except _Invalid:
            continue
    _add_sectors(obs, ticker, live.get("sector_weights"))
    _add_holdings(obs, ticker, live.get("top_holdings"))
    return replace(base, ticker=ticker, name=name, observations=obs)


def _add(obs: dict, ticker: str, key: str, value, entry: dict, taxonomy: str | None = None) -> None:
    """One live observation of ``key``, unless undated or already there."""
    try:
        as_of = _as_of(str(entry.get("as_of") or "")[:10])
    except _Invalid:
        return  # an undated live value cannot be placed in time
    item = Observation(value, as_of, str(entry.get("source") or "live"), None, taxonomy)
    if plausible.check(ticker, key, item):
        return  # implausible (a percent as a fraction, weights summing to 150%): the curated ones stay
    if item not in obs.get(key, ()):
        obs[key] = obs.get(key, ()) + (item,)


def _add_sectors(obs: dict, ticker: str, entry) -> None:
    """Yahoo's sector weights, renamed back to Morningstar's sectors (else the source's own)."""
    if not _usable(entry) or not isinstance(entry["value"], dict):
        return
    renamed: dict[str, float] = {}
    for k, v in entry["value"].items():
        k = _LIVE_SECTOR_NAMES.get(str(k), str(k))
        renamed[k] = renamed.get(k, 0.0) + (v if isinstance(v, (int, float)) and not isinstance(v, bool) else float("nan"))
    for taxonomy in ("morningstar", "other"):
        try:
            _add(obs, ticker, "sector_weights", sector_weights(renamed, taxonomy), entry, taxonomy)
            return
        except _Invalid:
            continue


def _add_holdings(obs: dict, ticker: str, entry) -> None:
    if not _usable(entry) or not isinstance(entry["value"], list):
        return
    try:
        rows = sorted(entry["value"], key=lambda h: -float(h.get("weight") or 0))[:MAX_HOLDINGS]
        _add(obs, ticker, "top_holdings", top_holdings(rows), entry)
    except (_Invalid, AttributeError, TypeError, ValueError):
        pass

"""Checked values: dates, fractions, positive numbers, sector weights, holdings lists."""
from __future__ import annotations

import datetime as _dt
import math

from ...util import suggest
from .dating import as_of_start
from .records import (_AS_OF_RE, FRACTION_KEYS, HOLDING_KEYS, MAX_HOLDINGS, POSITIVE_KEYS, SECTOR_EXTRAS, SECTOR_NAMES,
                      TAXONOMY_NAMES)


class _Invalid(ValueError):
    """A validation failure; the caller adds the file, line and key."""

    def __init__(self, message: str, sub: tuple = ()):
        super().__init__(message)
        self.sub = sub  # a deeper key path the message is about


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
            close = suggest(sector, names)
            other = next((tx for tx, n in SECTOR_NAMES.items() if sector in n), None)
            hint = (close if close else "") + (
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
            close = suggest(extra[0], HOLDING_KEYS)
            hint = close if close else ""
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

"""Fund facts from Yahoo Finance (``Ticker(t).funds_data`` and ``Ticker(t).info``), each with the date
it was fetched and its source; every failure becomes a warning, never an exception.

Units (all stored as fractions, 0.0009 = 0.09 %): ``funds_data`` (quoteSummary ``fundProfile`` /
``topHoldings``, ``formatted=false``) holds raw fractions: ``annualReportExpenseRatio`` 0.0009,
``holdingPercent`` 0.071, sector weightings 0.33, used as they are.  ``info`` mixes units: ``yield``
(summaryDetail) and ``trailingAnnualDividendYield`` are fractions, whereas ``dividendYield`` and
``netExpenseRatio`` are percentage points (1.12 means 1.12 %) and are divided by 100 here.
``totalAssets`` is in the fund's currency (USD for US ETFs).  ``longName`` (else ``shortName``) is the
fund's name.

The facts are returned under the keys of ``data/funds.toml`` (``name``, ``expense_ratio``, ``aum``,
``dividend_yield``, ``top_holdings``, ``sector_weights``), each ``{"value", "as_of", "source"}`` with
``as_of`` the New York date of the run that fetched it (what :func:`versus.data.funds.merge_live` reads).

``Ticker.funds_data`` never raises: it returns a ``FundsData`` that fetches on the first attribute read,
and a failed fetch raises *there* (``HTTPError``, ``YFRateLimitError``, curl's ``ConnectionError``,
``YFDataException`` "No Fund data found" for a non-fund) and leaves the object empty, so every further
attribute read would ask Yahoo again: the first failed read answers for all.  :func:`fund_meta` also
says whether a request *failed* (rate limit, network, server error: ask again next run) as opposed to
Yahoo answering with what it has, possibly nothing (:func:`versus.sources.thirdparty.transient`).
"""
from __future__ import annotations

from typing import Any, Callable

import pandas as pd

from ..util import finite, one_line
from .thirdparty import transient

FUNDS_LABEL = "Yahoo Finance (yfinance funds_data)"
INFO_LABEL = "Yahoo Finance (yfinance info)"

#: Yahoo ``sectorWeightings`` keys -> GICS-like display names.
SECTOR_NAMES = {
    "technology": "Information Technology",
    "financial_services": "Financials",
    "healthcare": "Health Care",
    "consumer_cyclical": "Consumer Discretionary",
    "consumer_defensive": "Consumer Staples",
    "communication_services": "Communication Services",
    "basic_materials": "Materials",
    "realestate": "Real Estate",
    "industrials": "Industrials",
    "energy": "Energy",
    "utilities": "Utilities",
}


def as_number(v: Any) -> float | None:
    """A finite float from a yfinance value (raw number, {'raw': x}, pd.NA, None...)."""
    if isinstance(v, dict):
        v = v.get("raw")
    return None if v is None or v is pd.NA else finite(v)


class _Facts:
    """One fund's facts being gathered: the values, and the warnings about what is missing."""

    def __init__(self, t: str, today: str, warnings: list[str]):
        self.t, self.today, self.warnings = t, today, warnings
        self.meta: dict[str, dict] = {}
        self.funds = self.funds_err = self.info = self.info_err = None
        self.failed = False  # a request failed (as opposed to Yahoo answering without the fact)

    def put(self, key: str, value, source: str) -> None:
        self.meta[key] = {"value": value, "as_of": self.today, "source": source}

    def warn(self, what: str, why) -> None:
        self.warnings.append(f"{self.t}: {what} not available from Yahoo Finance ({one_line(why)})")

    def error(self, what: str, exc: BaseException) -> str:
        """The one-line reason of a failed read; notes whether the request failed."""
        self.failed = self.failed or transient(exc)
        return f"{what}: {type(exc).__name__}: {exc}"

    def funds_attr(self, name: str):
        """An attribute of ``funds_data`` and ``None``, or ``None`` and why not; the first failure answers
        for every later read (each would ask Yahoo again)."""
        if self.funds_err is not None:
            return None, self.funds_err
        try:
            value = getattr(self.funds, name)
        except Exception as exc:
            self.funds_err = self.error(f"funds_data.{name}", exc)
            return None, self.funds_err
        if value is None:  # yfinance logged a parse failure and left the object empty
            self.funds_err = f"funds_data.{name} is empty"
            return None, self.funds_err
        return value, None

    def info_value(self, key: str) -> float | None:
        return as_number(self.info.get(key)) if self.info else None


def fund_meta(ticker: Callable, t: str, today: str, warnings: list[str]) -> tuple[dict, bool]:
    """Per-fund facts (name, expense ratio, top holdings, sector weights, AUM, dividend yield) from
    ``ticker(t)``, and whether a request failed (rate limit, network, server error)."""
    f = _Facts(t, today, warnings)
    try:
        tk = ticker(t)
    except Exception as exc:
        f.warn("fund facts", f.error("Ticker", exc))
        return f.meta, f.failed
    _open(f, tk)
    _name(f)
    _expense_ratio(f, tk)
    _top_holdings(f)
    _sectors(f)
    _aum_and_yield(f)
    return f.meta, f.failed


def _open(f: _Facts, tk) -> None:
    try:
        f.funds = tk.funds_data
        if f.funds is None:
            f.funds_err = "funds_data is empty"
    except Exception as exc:
        f.funds_err = f.error("funds_data", exc)
    try:
        f.info = tk.info
        if not isinstance(f.info, dict) or not any(v is not None for v in f.info.values()):
            f.info, f.info_err = None, "info is empty"
    except Exception as exc:
        f.info_err = f.error("info", exc)


def _name(f: _Facts) -> None:
    """info's longName (quoteType module / v7 quote), else shortName."""
    info = f.info or {}
    name = next((info[k].strip() for k in ("longName", "shortName")
                 if isinstance(info.get(k), str) and info[k].strip()), None)
    if name:
        f.put("name", name, INFO_LABEL)
    else:
        f.warn("name", f.info_err or "no 'longName' in info")


def _expense_ratio(f: _Facts, tk) -> None:
    """funds_data.fund_operations (a fraction); else info's netExpenseRatio (percentage points)."""
    ops, err = f.funds_attr("fund_operations")
    er = None
    if isinstance(ops, pd.DataFrame) and not ops.empty and "Annual Report Expense Ratio" in ops.index:
        col = next((c for c in (f.t, f.t.upper(), getattr(tk, "ticker", None)) if c in ops.columns), None)
        if col is None:
            others = [c for c in ops.columns if c != "Category Average"]
            col = others[0] if others else None
        if col is not None:
            er = as_number(ops.at["Annual Report Expense Ratio", col])
    elif err is None:
        err = "fund_operations is empty"
    if er is not None and 0 <= er < 1:
        f.put("expense_ratio", er, FUNDS_LABEL)
        return
    alt = f.info_value("netExpenseRatio")
    if alt is not None and 0 <= alt < 100:
        f.put("expense_ratio", alt / 100.0, INFO_LABEL)  # percentage points -> fraction
    else:
        f.warn("expense ratio", err or "no 'Annual Report Expense Ratio' value")


def _top_holdings(f: _Facts) -> None:
    """A DataFrame indexed by Symbol, columns Name and Holding Percent (a fraction)."""
    th, err = f.funds_attr("top_holdings")
    holdings = []
    if isinstance(th, pd.DataFrame) and not th.empty and "Holding Percent" in th.columns:
        for sym, row in th.iterrows():
            w = as_number(row.get("Holding Percent"))
            if w is None:
                continue
            name = row.get("Name")
            name = str(name) if name is not None and not pd.isna(name) else str(sym)
            holdings.append({"ticker": str(sym), "name": name, "weight": w})
    if holdings:
        f.put("top_holdings", holdings, FUNDS_LABEL)
    else:
        f.warn("top holdings", err or "top_holdings is empty")


def _sectors(f: _Facts) -> None:
    """{yahoo_key: fraction}, keys renamed to GICS-like sector names."""
    sw, err = f.funds_attr("sector_weightings")
    sectors: dict[str, float] = {}
    if isinstance(sw, dict):
        for key, val in sw.items():
            w = as_number(val)
            if w is None:
                continue
            name = SECTOR_NAMES.get(str(key), str(key).replace("_", " ").title())
            sectors[name] = sectors.get(name, 0.0) + w
    if sectors:
        f.put("sector_weights", sectors, FUNDS_LABEL)
    else:
        f.warn("sector weights", err or "sector_weightings is empty")


def _aum_and_yield(f: _Facts) -> None:
    aum = f.info_value("totalAssets")
    if aum is not None and aum > 0:
        f.put("aum", aum, INFO_LABEL)
    else:
        f.warn("AUM", f.info_err or "no 'totalAssets' in info")
    y = f.info_value("yield")  # summaryDetail: a fraction
    if y is None:
        y = f.info_value("trailingAnnualDividendYield")  # a fraction
    if y is None and f.info:
        pp = f.info_value("dividendYield")  # percentage points
        y = pp / 100.0 if pp is not None else None
    if y is not None and 0 <= y < 1:
        f.put("dividend_yield", y, INFO_LABEL)
    else:
        f.warn("dividend yield", f.info_err or "no 'yield' in info")

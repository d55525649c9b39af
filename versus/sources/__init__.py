"""Where market data comes from. Every source returns the same :class:`MarketData`.

- ``snapshot``: the embedded real data in ``data/snapshot/`` (default, no network);
- ``yahoo``: yfinance (``--live``), through the data store of ``cache``; its fund facts in
  ``yahoo_facts``; what yfinance prints kept out of the output (``thirdparty``: the debug log);
- ``cache``: the live data store (``data/cache/``: CSV + manifest, see ``store``), refreshed incrementally.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd


YAHOO = {"name": "Yahoo Finance", "url": "https://finance.yahoo.com/", "date": None,
         "used_for": "daily closes, dividend-adjusted closes and dividends, fetched with yfinance"}
"""Every price on the site is Yahoo Finance's: the live source fetches it, the snapshot's repositories kept it."""


@dataclass
class MarketData:
    """Daily data for a set of funds, one column per ticker.

    close      split-adjusted close (the price you would have seen), NaN where unknown
    adj_close  dividend- and split-adjusted close (total return); NaN before a fund's first day
    dividends  cash dividends per share (unadjusted), indexed by ex-date, NaN where none
    meta       per-ticker facts from the source (e.g. yfinance funds_data), fractions; may be empty
    source     a label for the page, readable and dated ("Yahoo Finance daily closes via public GitHub
               repositories, read 22 Aug 2026", "Yahoo Finance via yfinance 1.7", ...)
    origins    where the data come from, for the methodology page's sources: name, url, date, used_for

    All indexes are tz-naive, normalized ``DatetimeIndex`` named ``date`` / ``ex_date``.
    """

    close: pd.DataFrame
    adj_close: pd.DataFrame
    dividends: pd.DataFrame
    source: str
    meta: dict[str, dict] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    origins: list[dict] = field(default_factory=lambda: [dict(YAHOO)])

    @property
    def tickers(self) -> list[str]:
        return list(self.adj_close.columns)


class Source(Protocol):
    """A market-data source: ``load`` returns data for the tickers asked for."""

    name: str

    def load(self, tickers: list[str]) -> MarketData: ...


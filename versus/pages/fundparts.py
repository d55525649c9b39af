"""Each fund's part of a comparison page, kept from the first page that computes it for the build's other pages
with the same fund on the same common days (issue 17: at 10,000 pairs from 500 funds a fund is on ~40 pair
pages, and most of them share its common days: the later inception of two funds fixes their window).

Most of a pair or group page's time series depend on one fund's closes over the page's common days only: its
growth of $10,000, drawdown, rolling volatility, rolling one-year return, calendar-year returns and deepest
fall within each year, their year-end tables (values and formatted cells) and their resampled, rounded chart
points.  A :class:`FundPart` holds those for one fund and one set of common days; :class:`FundParts`, the memo,
holds the parts of one build (an attribute of its :class:`versus.pages.base.Site`: made with the build's data,
inherited by the forked page workers, each of which fills its own copy; never shared between builds), keyed on
``(ticker, the exact common days)``.  Within one build a fund's adjusted closes are fixed, so the ticker and the
dates determine the closes, and with them every value of the part.  The common days are compared exactly
(:meth:`FundParts.days`: every date, not only the first and the last).  A page assembled from its funds' parts
still computes what compares them (relative strength, rolling correlation, seasonality, growth ends and deepest
falls in order, which fund was most volatile, how often the first one's rolling return beat the others') and the
few array operations its descriptions read (growth, drawdown and rolling return on the common days' arrays).
:attr:`FundParts.hits`, ``misses`` and ``pages`` count funds found, funds not found and pages assembled (the
build sums them over its workers: ``BuildResult.fund_parts``, in the synthetic bench's JSON).

Exact, and never dearer than without it: a page whose funds are not all in the memo is computed as without it,
then its funds' parts are taken from what it computed (:meth:`FundParts.learn`); a page whose funds all are
assembles them (:class:`PageParts`) with what compares them.  Every step that makes a part is column by column
except where a row is dropped for having no value in any column (resampling, the year-end tables, the rolling
return's first year), so a part is kept only from a page whose columns all miss the same days, and used only on
such a page (:attr:`FundPart.masks`): those rows are then the same for each fund alone as for the page.
tests/test_fundparts.py compares pages with and without the memo at several dates, on short and gapped days.

Bounded: least recently used parts are dropped beyond :data:`PARTS_BYTES` per process (a part is ~60-100 KB at
5,000 common days: the volatility column and four rounded chart series), and beyond :data:`DAYS_KEPT` sets of
common days (a part whose days are dropped is not found again, and goes as the least recently used)."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import metrics as m
from ..analysis import series as an
from ..charts.data import PageData
from ..charts.table import Table

PARTS_BYTES = 96 * 2 ** 20
"""The memo's size per process (each page worker has its own), by the arrays and an estimate of the tables."""
DAYS_KEPT = 512
"""Sets of common days remembered (a fund's parts are found through them)."""
SERIES = ("growth", "drawdown", "rolling_return", "volatility")
"""The page-data time series a part holds (:meth:`versus.charts.data.PageData.add_rounded`)."""


class Days:
    """One set of common days of a build (found again exactly by :meth:`FundParts.days`) and what follows
    from the dates alone: the rolling return's window starts, the page's chart dates, the calendar years."""

    def __init__(self, serial: int, index: pd.DatetimeIndex):
        self.serial, self.index = serial, index
        self.values = np.asarray(index.values)
        self._anchors = None
        self.page_dates: np.ndarray | None = None  # the page data's dates (the growth series', resampled)
        self.years: pd.Index | None = None         # the calendar-year returns' index

    @property
    def anchors(self) -> np.ndarray:
        """:func:`versus.metrics.rolling_anchors` of the dates (the rolling one-year return)."""
        if self._anchors is None:
            self._anchors = m.rolling_anchors(self.index, 12)
        return self._anchors


@dataclass
class FundPart:
    """One fund's part of a comparison page over one set of common days (see the module docstring)."""

    volatility: np.ndarray           # rolling volatility, one value per day after the first
    years: np.ndarray                # calendar-year total returns
    series: dict[str, np.ndarray]    # page-data series -> its rounded points on the page's dates (NaN: none)
    tables: dict[str, tuple]         # table -> (row labels, cell text per row, CSV value per row), latest first
                                     # (growth, drawdown, rolling_return, volatility, years)
    shown: list                      # the calendar-year returns as the bar chart reads them (rounded), latest first
    masks: bytes                     # where each daily series (growth, drawdown, volatility, rolling) is NaN
    nbytes: int = 0


@dataclass
class FundParts:
    """The memo of one build: (ticker, common days) -> :class:`FundPart` (least recently used dropped beyond
    ``max_bytes``).  :attr:`hits` and :attr:`misses` count funds of pages."""

    max_bytes: int = PARTS_BYTES
    entries: OrderedDict = field(default_factory=OrderedDict)
    bytes: int = 0
    hits: int = 0       # funds of pages found in the memo
    misses: int = 0     # funds of pages not found (their page computed them)
    pages: int = 0      # pages assembled from the memo
    _days: OrderedDict = field(default_factory=OrderedDict)
    _serial: int = 0

    def days(self, index: pd.DatetimeIndex) -> Days:
        """The :class:`Days` of ``index``: the one made before for exactly these dates (compared date by date),
        else a new one."""
        v = np.asarray(index.values)
        key = (len(v), v[:1].tobytes(), v[-1:].tobytes())
        for d in self._days.get(key, ()):
            if d.values is v or np.array_equal(d.values, v):
                self._days.move_to_end(key)
                return d
        self._serial += 1
        d = Days(self._serial, index)
        self._days.setdefault(key, []).append(d)
        self._days.move_to_end(key)
        while len(self._days) > DAYS_KEPT:
            self._days.popitem(last=False)
        return d

    def days_of(self, joint: pd.DataFrame, tickers: list[str]) -> Days | None:
        """The page's :class:`Days`, or None for a page the memo does not serve (a gap, a fund twice)."""
        values = joint.to_numpy(dtype=float)
        if list(joint.columns) != list(tickers) or len(set(tickers)) != len(tickers) or not len(values) \
                or np.isnan(values).any():
            return None
        return self.days(joint.index)

    def page(self, joint: pd.DataFrame, tickers: list[str]) -> PageParts | None:
        """The parts of a page's funds (``joint``: their closes on the common days, columns ``tickers``) when the
        memo has every one of them (with the same missing values); else None: the page computes them, and
        :meth:`learn` keeps them."""
        days = self.days_of(joint, tickers)
        if days is None:
            return None
        parts = [self.entries.get((t, days.serial)) for t in tickers]
        found = sum(p is not None for p in parts)
        self.hits, self.misses = self.hits + found, self.misses + len(parts) - found
        if found < len(parts):
            return None
        for t in tickers:
            self.entries.move_to_end((t, days.serial))
        first = parts[0]
        if any(p.masks != first.masks or p.tables.keys() != first.tables.keys()
               or any(p.tables[n][0] != first.tables[n][0] for n in p.tables) for p in parts[1:]):
            return None
        self.pages += 1
        return PageParts(days, parts, joint.columns)

    def learn(self, days: Days | None, tickers: list[str], cs, c: an.Comparison, cal: an.Calendar) -> None:
        """Keep the parts of the funds of a page just computed without the memo (``days`` its common days, as
        :meth:`days_of` found them, None for a page the memo does not serve; ``cs`` its charts, ``c`` and ``cal``
        its numbers) that the memo does not have yet, when every column of the page misses the same days (then
        each column is what its fund alone gives)."""
        if days is None:
            return
        joint = c.joint
        todo = [k for k, t in enumerate(tickers) if (t, days.serial) not in self.entries]
        if not todo:
            return
        rolling = m.rolling_return_at(joint, days.anchors).to_numpy()  # before its rows without a value drop
        masks = _masks(c.growth.to_numpy(), c.drawdown.to_numpy(), c.volatility.to_numpy(), rolling)
        if len(set(masks)) > 1:
            return
        if days.page_dates is None:
            days.page_dates, days.years = cs.data._index, cal.years.index
        charts = cs.by_id()
        tables = {n: charts[n].table for n in ("growth", "drawdown", "rolling_return", "volatility") if n in charts}
        tables["years"] = charts["years"].table
        shown = cs.data.tables["years"]
        vol, years = c.volatility.to_numpy(dtype=float), cal.years.to_numpy(dtype=float)
        for k in todo:
            t = tickers[k]
            series = {n: cs.data._floats[n][1][t].copy() for n in SERIES if n in cs.data.series}
            tabs = {n: ([r["label"] for r in tb.rows], [r["cells"][k]["text"] for r in tb.rows],
                        [r["raw"][k] for r in tb.rows]) for n, tb in tables.items()}
            v, y = vol[:, k].copy(), years[:, k].copy()
            size = v.nbytes + y.nbytes + sum(a.nbytes for a in series.values()) + len(masks[k]) \
                + 120 * sum(len(tb[1]) for tb in tabs.values()) + 1000
            self._store((t, days.serial), FundPart(v, y, series, tabs, [row[t] for row in shown], masks[k], size))

    def _store(self, key, part: FundPart) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= old.nbytes
        self.entries[key] = part
        self.bytes += part.nbytes
        while self.bytes > self.max_bytes and len(self.entries) > 1:
            _, gone = self.entries.popitem(last=False)
            self.bytes -= gone.nbytes

    def hit_rate(self) -> float | None:
        n = self.hits + self.misses
        return self.hits / n if n else None


def _masks(*blocks: np.ndarray) -> list[bytes]:
    """Each column's NaN pattern over ``blocks`` (a row per day, a column per fund), packed."""
    nan = np.concatenate([np.isnan(b) for b in blocks], axis=0)
    return [np.packbits(nan[:, k]).tobytes() for k in range(nan.shape[1])]


class PageParts:
    """The parts of one page's funds, in the page's order, and how the page assembles them."""

    def __init__(self, days: Days, parts: list[FundPart], columns: pd.Index):
        self.days, self.parts, self.columns = days, parts, columns

    def volatility(self) -> pd.DataFrame:
        """The page's rolling volatility frame (:attr:`versus.analysis.series.Comparison.volatility`)."""
        return pd.DataFrame(np.column_stack([p.volatility for p in self.parts]), index=self.days.index[1:],
                            columns=self.columns)

    def years(self) -> pd.DataFrame:
        """The page's calendar-year returns (:func:`versus.metrics.calendar_year_returns` of its closes)."""
        return pd.DataFrame(np.column_stack([p.years for p in self.parts]), index=self.days.years,
                            columns=self.columns)

    def add_series(self, data: PageData, name: str) -> None:
        """One of :data:`SERIES` into the page data, as ``add_resampled`` of the page's frame adds it."""
        data.add_rounded(name, self.days.page_dates, self.columns, [p.series[name] for p in self.parts])

    def table(self, name: str, id: str, caption: str, head: list[str], csv: str) -> Table:
        """A year-end table (``growth``, ``drawdown``, ``rolling_return``, ``volatility``) from the parts' cells."""
        t = Table(id, caption, head, csv=csv)
        labels = self.parts[0].tables[name][0]
        cols = [p.tables[name] for p in self.parts]
        for i, label in enumerate(labels):
            t.add(label, [c[1][i] for c in cols], [c[2][i] for c in cols])
        return t

    def years_rows(self) -> list[tuple[list[str], list, list]]:
        """Each calendar year's (cell texts, CSV values, rounded chart values) across the funds, latest first."""
        cols = [p.tables["years"] for p in self.parts]
        return [([c[1][i] for c in cols], [c[2][i] for c in cols], [p.shown[i] for p in self.parts])
                for i in range(len(cols[0][1]))]

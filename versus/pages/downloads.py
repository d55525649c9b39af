"""A pair page's downloads that are one fund's data link to that fund's own CSV (issue 17: a pair writes only
its own data; every fund page already writes its own).

* Fund facts and holdings, which do not depend on the page's date: the profile (``profile.csv``), each fund's ten
  largest holdings (``top10-<t>.csv``), the sector weights (``sectors.csv``, when the pair shows each fund's
  breakdown in the taxonomy its own page shows) and what the fees cost (``fees.csv``; the pair's difference is
  the two funds' costs subtracted).
* The risk and market tables (``risk.csv``, ``market.csv``): measured to the page's date, so they link the funds'
  CSVs only when the page is as of both funds' own last close (a fund's page measures it to its own); otherwise
  the pair writes its own, as before.
* A chart drawn from the funds' shared series (growth, drawdown, rolling return, volatility): every point is the
  funds' ``series.csv`` (linked under the chart); the table of year ends stays on the page, without a CSV of its
  own.  The pair's own series (relative strength, rolling correlation) keep theirs.

The pair's own tables keep their CSVs under ``api/pairs/<slug>/``: returns (the lead and the common start), how the
two move together, the last 90 days, the overlap, the relative strength, the rolling correlation, the calendar
years and months.

A fund page's charts of its own daily series (price, drawdown, rolling one-year return) link the fund's
``series.csv`` too (:func:`versus.pages.sections.collect`), not a weekly copy of their rounded points each (issue 17: 53 KB a
fund of the default site): the price is its ``close`` column (``adj_close`` for a fund without one), the
drawdown and the rolling return follow from ``adj_close`` by the conventions of the methodology page."""
from __future__ import annotations

from ..analysis import holdings as hold

FUND_TABLES = ("profile",)
"""Figures tables of fund facts (no measured figure): always each fund's CSV."""
MEASURED_TABLES = ("risk", "market")
"""Figures tables measured to the page's date: each fund's CSV when the page is as of the fund's own date."""
FUND_SERIES_CHARTS = ("growth", "drawdown", "rolling_return", "volatility")
"""Charts of each fund's own series (drawn from the funds' ``series.csv``): every point follows from the funds'
``series.csv``, so their tables of year ends get no CSV of the pair's."""
FUND_PAGE_SERIES = ("price", "drawdown", "rolling_return")
"""A fund page's time-series charts: each follows from the fund's ``series.csv`` alone."""


def fund_csv(t: str, name: str) -> str:
    """Site path of fund ``t``'s CSV ``name`` (as its fund page writes it: ``api/funds/<t>/<name>.csv``)."""
    return f"api/funds/{t.lower()}/{name}.csv"


def _link(table, tickers: list[str], name) -> None:
    """``table``'s download becomes each fund's CSV (``name(t)``): the pair writes no file of its own for it."""
    if table is None or not table.csv:
        return
    table.csv = None
    table.fund_csvs = [(t, fund_csv(t, name(t))) for t in tickers]


def share_fund_csvs(tables: dict, holdings: dict, cs, tickers: list[str], pg, own_date: dict[str, bool]) -> None:
    """Point a pair page's per-fund tables at the funds' CSVs (see the module docstring), when the tables are
    built and before their CSVs are written (:func:`versus.pages.sections.collect` writes a table's CSV only
    while it has a path of its own: nothing is formatted to be thrown away); ``tables`` the figures tables,
    ``holdings`` the holdings section, ``cs`` the page's charts; ``own_date[t]``: the page is as of fund
    ``t``'s own last close."""
    for key in FUND_TABLES:
        _link(tables.get(key), tickers, lambda t, key=key: key)
    if all(own_date.get(t) for t in tickers):
        for key in MEASURED_TABLES:
            _link(tables.get(key), tickers, lambda t, key=key: key)
    _link(holdings.get("fees"), tickers, lambda t: "fees")
    sectors = holdings.get("sectors")
    if sectors is not None:
        shown = hold.sectors(pg.info, tickers)
        same = all(hold.sectors(pg.info, [t])["chosen"].get(t) == shown["chosen"][t] for t in shown["funds"])
        if same:
            _link(sectors.table, shown["funds"], lambda t: "sectors")
    for c in cs.charts:  # drawn from the funds' shared series: every point is in their series.csv
        if c.id in FUND_SERIES_CHARTS and c.dataset in cs.data.derived and c.table is not None:
            c.table.csv = None

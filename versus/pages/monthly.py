"""The monthly-returns heatmap of a fund page: a table (years down, months across, the calendar-year return
last) whose cells are tinted by band, so it reads as a heatmap and stays a table for screen readers, phones,
print and pages without JavaScript.  Numbers from :func:`versus.analysis.series.monthly`."""
from __future__ import annotations

import math

from .. import fmt
from ..analysis import series as an
from ..charts.table import Table
from ..util import MONTHS

BANDS = (0.01, 0.03, 0.06)
"""Edges of the colour bands, both ways: within ±1% untinted, then 1–3%, 3–6% and beyond 6%."""


def band(value) -> str | None:
    """The CSS class of a monthly return's band: 'heat-p1' … 'heat-p3' up, 'heat-n1' … 'heat-n3' down, None
    within ±1% or when unknown."""
    if value is None or math.isnan(value) or abs(value) <= BANDS[0]:
        return None
    return f"heat-{'p' if value > 0 else 'n'}{sum(abs(value) > edge for edge in BANDS)}"


def monthly_table(t: str, adj, csv_base: str) -> Table:
    """The heatmap table of one fund's monthly total returns, latest year first."""
    mo = an.monthly(adj)
    table = Table("monthly", f"{t}: total return by month and calendar year (dividends reinvested), "
                             f"{fmt.date(mo['first'])} to {fmt.date(mo['last'])}",
                  ["Year", *MONTHS, "Year total"], csv=f"{csv_base}/monthly.csv",
                  note=(f"Each month from the last close of the month before to its last close; the first month from "
                        f"{t}'s first close ({fmt.date(mo['first'])})"
                        + (f", the last to {fmt.date(mo['last'])} (month to date)" if mo["last_partial"] else "")
                        + ". Tints: within ±1% none; then 1–3%, 3–6% and over 6%, green up and red down."))
    first_key, last_key = (mo["first"].year, mo["first"].month), (mo["last"].year, mo["last"].month)
    grid, totals = mo["grid"], mo["years"]
    totals = dict(zip(totals.index.tolist(), totals.to_numpy(dtype=float).tolist()))  # year -> calendar-year return
    for year, values in sorted(zip(grid.index.tolist(), grid.to_numpy(dtype=float).tolist()), reverse=True):
        cells = []
        for month, v in enumerate(values, start=1):
            detail = (None if math.isnan(v) else
                      "from " + fmt.date(mo["first"]).rsplit(" ", 1)[0] if (year, month) == first_key else
                      "to date" if (year, month) == last_key and mo["last_partial"] else None)
            cells.append({"text": "" if math.isnan(v) else fmt.pct(v), "cls": band(v), "detail": detail})
        total = totals.get(year, float("nan"))
        partial = (year == mo["first"].year and mo["first_partial"]) or (year == mo["last"].year
                                                                         and mo["last_year_partial"])
        cells.append({"text": fmt.pct(total), "detail": "part" if partial else None})
        table.add(str(year), cells, an.rounded(values + [total]))
    return table

"""The semantic table: every figures table of a page and every chart's data-table alternative.

A :class:`Table` is rendered by one macro (``templates/_macros.html``: ``table``) and written as CSV
from the same rows, so the page and its download cannot disagree.  Every CSV of the site is written by
:func:`csv_text`: no cell a spreadsheet would run as a formula (issue 11).
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field


@dataclass
class Table:
    """A semantic table: a caption, column heads, one header cell per row, and the raw values for CSV."""

    id: str
    caption: str
    head: list[str]
    rows: list[dict] = field(default_factory=list)  # {"label", "cells": [{"text","title","detail","span"}], "raw", "sub"}
    csv: str | None = None  # path under the site root
    note: str | None = None
    sortable: bool = False  # site.js makes the column heads sort buttons
    csv_head: list[str] | None = None  # CSV column names when they differ from the page's
    sources: list[dict] = field(default_factory=list)  # numbered sources cited by cells ({"n", "name", "url"})
    fund_csvs: list = field(default_factory=list)  # (ticker, path): each fund's own CSV of this table (pair pages)

    def add(self, label: str, cells: list, raw: list | None = None, sub: bool = False) -> None:
        """Add a row; ``cells`` are texts or cell dicts, ``raw`` the CSV values (default: the texts)."""
        cells = [_cell(c) if isinstance(c, dict) else
                 {"text": c, "sort": None, "title": None, "detail": None, "span": 1, "flag": None, "ref": None,
                  "check": None, "cls": None} for c in cells]  # a text: every key as _cell sets it, in its order
        self.rows.append({"label": label, "cells": cells, "sub": sub, "href": None, "detail": None,
                          "raw": raw if raw is not None else [c["text"] for c in cells]})

    def to_csv(self) -> str:
        """CSV of the raw values (fractions stay fractions), one header line; no cell a spreadsheet would run
        as a formula (:func:`csv_cell`)."""
        return csv_text(self.csv_head or self.head, ([r["label"], *r["raw"]] for r in self.rows))


def _cell(c: dict) -> dict:
    """A cell dict with every key a cell has (the keys it does not set, with their defaults)."""
    c.setdefault("sort", None)
    c.setdefault("title", None)
    c.setdefault("detail", None)
    c.setdefault("span", 1)
    c.setdefault("flag", None)
    c.setdefault("ref", None)
    c.setdefault("check", None)  # a data-check finding in the figure's period (versus.analysis.sanity)
    c.setdefault("cls", None)  # a CSS class (the monthly heatmap's colour band)
    return c


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell that no spreadsheet runs as a formula: text starting with one of :data:`FORMULA_START`
    gets a leading ``'`` (OWASP); None, NaN and infinities are empty; other values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return value


def csv_text(header: list, rows, numeric_rows: bool = False) -> str:
    """A CSV document (``\n`` line ends) with every cell through :func:`csv_cell`; a row with a carriage
    return in a text cell has its text cells quoted (the csv module quotes only the line terminator's
    characters, so a bare ``\r`` would end the record for most readers).  ``numeric_rows``: the rows are
    (ISO date, numbers or None…) built by the code (the charts' series), so only the header, which holds
    names, is checked (a series CSV has thousands of rows).

    In one pass: finite floats and ints are written as they are (:func:`csv_cell` would return them unchanged),
    other cells go through :func:`csv_cell`, and every row goes to one writer; a document with a carriage
    return anywhere (only a text cell can hold one) is written again row by row (:func:`_csv_rows`)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if numeric_rows:
        w.writerow(_cells(header))
        if "\r" in buf.getvalue():
            return _csv_rows(header, rows, numeric_rows)
        w.writerows(rows)
        return buf.getvalue()
    rows = list(rows)  # a generator is read once: kept for the row-by-row writing
    w.writerow(_cells(header))
    w.writerows([_cells(row) for row in rows])
    text = buf.getvalue()
    return text if "\r" not in text else _csv_rows(header, rows)


def _cells(row) -> list:
    """``[csv_cell(c) for c in row]``, without the call for a finite float, an int or a text that starts no
    formula (the bulk of a table)."""
    return [c if (t := type(c)) is float and c - c == 0.0 or t is int or t is str and not c.startswith(FORMULA_START)
            else csv_cell(c) for c in row]


def _csv_rows(header: list, rows, numeric_rows: bool = False) -> str:
    """:func:`csv_text` row by row: a row with a carriage return in a text cell is written with its text cells
    quoted."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)

    def put(row):
        cells = [csv_cell(c) for c in row]
        (quoted if any(isinstance(c, str) and "\r" in c for c in cells) else w).writerow(cells)

    put(header)
    if numeric_rows:
        w.writerows(rows)
    else:
        for row in rows:
            put(row)
    return buf.getvalue()

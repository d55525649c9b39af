"""The semantic table: every figures table of a page and every chart's data-table alternative.

A :class:`Table` is rendered by one macro (``templates/_macros.html``: ``table``) and written as CSV
from the same rows, so the page and its download cannot disagree.
"""
from __future__ import annotations

import csv
import io
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

    def add(self, label: str, cells: list, raw: list | None = None, sub: bool = False) -> None:
        """Add a row; ``cells`` are texts or cell dicts, ``raw`` the CSV values (default: the texts)."""
        cells = [c if isinstance(c, dict) else {"text": c} for c in cells]
        for c in cells:
            c.setdefault("sort", None)
            c.setdefault("title", None)
            c.setdefault("detail", None)
            c.setdefault("span", 1)
            c.setdefault("flag", None)
            c.setdefault("ref", None)
            c.setdefault("cls", None)  # a CSS class (the monthly heatmap's colour band)
        self.rows.append({"label": label, "cells": cells, "sub": sub, "href": None, "detail": None,
                          "raw": raw if raw is not None else [c["text"] for c in cells]})

    def to_csv(self) -> str:
        """CSV of the raw values (fractions stay fractions), one header line."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.csv_head or self.head)
        for r in self.rows:
            w.writerow([r["label"], *["" if v is None else v for v in r["raw"]]])
        return buf.getvalue()

"""The figures tables of pair, group and fund pages, row by row from the metric registry.

Rows, labels and formats come from :data:`versus.analysis.registry.TABLES`; values and null
reasons from the JSON sections the analysis stage built.  Nothing is computed here: a table
only formats (:mod:`versus.fmt`) what it is given.
"""
from __future__ import annotations

from .. import fmt
from ..analysis import difference
from ..analysis.registry import TABLES, TableSpec
from ..charts.table import Table

FORMATS = {"pct": fmt.pct, "num": fmt.num, "money": fmt.money, "count": fmt.count, "date": fmt.date,
           "text": lambda x, *_: str(x)}


def format_value(entry, value) -> str:
    """``value`` as the registry entry's table cell shows it (a dash when null)."""
    if value is None:
        return fmt.DASH
    f = FORMATS[entry.fmt]
    if entry.fmt in ("count", "date", "text"):
        return f(value)
    return f(value) if entry.digits is None else f(value, entry.digits)


def cell(value, text: str, reason: str | None = None) -> dict:
    return {"raw": value, "text": text, "title": reason, "detail": None}


def _drawdown_cell(dd: dict | None, reason: str | None) -> dict:
    """A max-drawdown cell: the fall, and its peak, trough and recovery dates underneath."""
    if dd is None:
        return cell(None, fmt.DASH, reason)
    detail = (f"{fmt.date(dd['peak'])} to {fmt.date(dd['trough'])}; "
              + (f"recovered {fmt.date(dd['recovery'])}" if dd["recovery"] else "not recovered")) if dd["peak"] else ""
    return {**cell(dd["value"], fmt.pct(dd["value"])), "detail": detail}


def figure_rows(spec: TableSpec, tickers: list[str], funds: dict) -> list[dict]:
    """The rows of a per-fund figures table (returns, risk): one per (metric, horizon) of ``spec``."""
    rows = []
    for entry, h in spec.rows():
        cells = []
        for t in tickers:
            value = funds[t][entry.key].get(h)
            reason = funds[t]["null_reasons"].get(f"{entry.key}.{h}")
            if entry.key == "max_drawdown":
                cells.append(_drawdown_cell(value, reason))
            else:
                cells.append(cell(value, format_value(entry, value), reason))
        rows.append({"label": entry.row_label(h), "cells": cells, "sub": entry.sub})
    return rows


def returns_rows(tickers: list[str], funds: dict) -> list[dict]:
    """Total return and CAGR by horizon; for a pair, the first fund's lead in points."""
    rows = figure_rows(TABLES["returns"], tickers, funds)
    for row in rows:
        vals = [c["raw"] for c in row["cells"]]
        d = difference(vals)
        row["diff"] = fmt.DASH if d is None else fmt.pts(d).replace(" points", "")
        row["diff_sign"] = "" if d is None else ("+" if d >= 0 else "\u2212")
        row["diff_raw"] = d
    return rows


def risk_rows(tickers: list[str], funds: dict) -> list[dict]:
    return figure_rows(TABLES["risk"], tickers, funds)


def pair_rows(pair: dict, reasons: dict) -> list[dict]:
    """Correlation and beta of a pair by horizon (the 'together' table)."""
    rows = []
    for entry, h in TABLES["together"].rows():
        val = pair[entry.key].get(h)
        rows.append({"label": entry.row_label(h), "text": format_value(entry, val),
                     "title": reasons.get(f"{entry.key}.{h}"), "raw": val})
    return rows


def profile_rows(tickers: list[str], funds: dict) -> list[dict]:
    """Fund facts: each value with its date and source (or why it is missing) as the cell's title."""
    rows = []
    for entry, _ in TABLES["profile"].rows():
        cells = []
        for t in tickers:
            val = funds[t].get(entry.key)
            src = funds[t]["sources"].get(entry.key)
            note = f"as of {src['as_of']} ({src['source']})" if src else funds[t]["null_reasons"].get(entry.key)
            cells.append(cell(val, format_value(entry, val), note))
        rows.append({"label": entry.label, "cells": cells, "sub": False})
    return rows


def fund_tables(tickers: list[str], funds: dict) -> dict[str, list[dict]]:
    """The rows of the profile, returns and risk tables (built once per page)."""
    return {"profile": profile_rows(tickers, funds), "returns": returns_rows(tickers, funds),
            "risk": risk_rows(tickers, funds)}


def table_from_rows(id: str, caption: str, rows: list[dict], tickers: list[str], csv_path: str | None,
                    diff: bool = False) -> Table:
    """A :class:`Table` from figure rows (``label``, ``cells`` with ``raw``/``text``)."""
    head = ["Measure", *tickers] + ([f"{tickers[0]} − {tickers[1]} (points)"] if diff else [])
    t = Table(id, caption, head, csv=csv_path)
    for r in rows:
        cells = [{"text": c["text"], "title": c.get("title"), "detail": c.get("detail")} for c in r["cells"]]
        raw = [_csv_raw(c["raw"]) for c in r["cells"]]
        if diff:
            d = r.get("diff_raw")
            cells.append({"text": (r.get("diff_sign", "") + r.get("diff", fmt.DASH)) if d is not None else fmt.DASH})
            raw.append(round(d, 8) if d is not None else None)
        t.add(r["label"], cells, raw, sub=r.get("sub", False))
    return t


def _csv_raw(v):
    return v["value"] if isinstance(v, dict) and "value" in v else v


def together_table(rows: list[dict], a: str, b: str, csv_path: str) -> Table:
    """How the two funds of a pair move together (correlation and beta by horizon)."""
    t = Table("together", f"How {a} and {b} move together (daily returns; beta of {a} on {b})", ["Measure", "Value"],
              csv=csv_path)
    for r in rows:
        t.add(r["label"], [{"text": r["text"], "title": r.get("title")}], [r.get("raw")])
    return t


def group_together_table(pairs: dict[str, dict], base: str, others: list[str], csv_path: str) -> Table:
    """Correlation and beta of each fund with the base fund (groups), by horizon."""
    t = Table("together", f"How each fund moves with {base} (daily returns; beta of {base} on each fund)",
              ["Measure", *others], csv=csv_path)
    for entry, h in TABLES["together"].rows():
        vals = [pairs[o]["values"][entry.key].get(h) for o in others]
        cells = [{"text": fmt.num(v), "title": pairs[o]["reasons"].get(f"{entry.key}.{h}")} for v, o in zip(vals, others)]
        t.add(entry.row_label(h), cells, vals)
    return t

"""The figures tables of pair, group and fund pages, row by row from the metric registry.

Rows, labels and formats come from :data:`versus.analysis.registry.TABLES`; values and null
reasons from the JSON sections the analysis stage built.  Nothing is computed here: a table
only formats (:mod:`versus.fmt`) what it is given.
"""
from __future__ import annotations

from .. import fmt
from ..analysis.registry import BY_KEY, HORIZON_LABELS, LABELS, TABLES, TableSpec
from ..charts.table import Table
from ..data.funds import when_text

FORMATS = {"pct": fmt.pct, "num": fmt.num, "money": fmt.money, "assets": fmt.assets, "count": fmt.count,
           "date": fmt.date, "text": lambda x, *_: str(x)}


def format_value(entry, value) -> str:
    """``value`` as the registry entry's table cell shows it (a dash when null)."""
    if value is None:
        return fmt.DASH
    f = FORMATS[entry.fmt]
    if entry.fmt in ("count", "date", "text", "assets"):
        return f(value)
    return f(value) if entry.digits is None else f(value, entry.digits)


def cell(value, text: str, reason: str | None = None) -> dict:
    return {"raw": value, "text": text, "title": reason, "detail": None}


def _drawdown_cell(dd: dict | None, reason: str | None) -> dict:
    """A max-drawdown cell: the fall, and its peak, trough and recovery dates underneath."""
    if dd is None:
        return cell(None, fmt.DASH, reason)
    # two lines, each kept whole (style.css): on a phone the cell is three lines and the table scrolls, not six
    start, end = fmt.date(dd["peak"]) if dd["peak"] else "", fmt.date(dd["trough"]) if dd["peak"] else ""
    if start[-4:] == end[-4:]:
        start = start[:-5]  # '22 Jan to 30 Mar 2026': one year said once
    detail = [f"{start} to {end};",
              f"recovered {fmt.date(dd['recovery'])}" if dd["recovery"] else "not recovered"] if dd["peak"] else ""
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
            _checked(cells[-1], funds[t], f"{entry.key}.{h}")
        rows.append({"label": entry.row_label(h), "cells": cells, "sub": entry.sub})
    return rows


def _checked(c: dict, section: dict, figure: str) -> None:
    """Mark a cell whose window holds a data-check finding on its fund (the finding's date, visible)."""
    dates = (section.get("data_checks") or {}).get("figures", {}).get(figure)
    if dates and c["raw"] is not None:
        said = "; ".join(fmt.date(d) for d in sorted(set(dates))[-2:])
        c["check"] = f"data check: {said}"


def returns_rows(tickers: list[str], funds: dict, common: dict | None = None) -> list[dict]:
    """Total return and CAGR by horizon; for a pair, the first fund's lead in points (from the two figures as
    shown).  Since inception, each fund's own first day is under its figure, and funds that started on
    different days get no lead: ``common`` (:func:`versus.analysis.pairs.since_common_start`) adds the
    rows measured from the first day all of them trade, which do."""
    rows = figure_rows(TABLES["returns"], tickers, funds)
    starts = {funds[t].get("inception") for t in tickers}
    for row in rows:
        if row["label"].startswith(HORIZON_LABELS["inception"]):
            for c, t in zip(row["cells"], tickers):
                c["detail"] = f"since {fmt.date(funds[t]['inception'])}" if funds[t].get("inception") else None
            if len(starts) > 1:
                row["no_diff"] = "different start dates"
    if common:
        rows += _common_rows(tickers, common)
    for row in rows:
        _lead(row)
    return rows


def _common_rows(tickers: list[str], common: dict) -> list[dict]:
    who = "both funds" if len(tickers) == 2 else "all funds"
    label = f"Since {fmt.date(common['start'])} ({who})"
    out = [{"label": label, "sub": False, "cells": [
        cell(common["total_return"][t], fmt.pct(common["total_return"][t])) for t in tickers]}]
    cagr = common.get("cagr")
    reason = None if cagr else BY_KEY["cagr"].nulls[0].template.format(first=common["start"])
    out.append({"label": f"{label}, per year", "sub": True, "cells": [
        cell(cagr[t] if cagr else None, fmt.pct(cagr[t]) if cagr else fmt.DASH, reason) for t in tickers]})
    return out


def _lead(row: dict) -> None:
    """The first fund's lead over the second in points, as the two figures are shown (never '−0.0')."""
    vals = [c["raw"] for c in row["cells"]]
    d = None if row.get("no_diff") or len(vals) != 2 or None in vals else fmt.lead(vals[0], vals[1]) / 100
    row["diff"] = fmt.DASH if d is None else fmt.pts(d).replace(" points", "")
    row["diff_sign"] = "" if d is None or d == 0 else ("+" if d > 0 else "\u2212")
    row["diff_raw"] = d
    row["diff_title"] = row.get("no_diff")


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


def fact_cell(val, text: str, src: dict | None, reason: str | None) -> dict:
    """A fund-fact cell: the value, then its observation date as visible text (phones have no hover),
    marked when observed after the page's date or more than 12 months before it; the source is
    numbered in the table's source list (:func:`table_from_rows`)."""
    if src is None:
        return cell(val, text if val is not None else "not on file", reason)
    when, note = when_text(src["as_of"], src.get("note"), fmt.observed)
    flag = "after" if src.get("observed_after_as_of") else "old" if src.get("old") else None
    detail = (f"observed {when}, after this date" if flag == "after" else
              f"{when}, over a year old" if flag == "old" else when)
    if note:
        detail += f" · {note}"
    return {"raw": val, "text": text, "title": None, "detail": detail, "flag": flag,
            "source": {"id": src.get("source_id") or src["source"], "name": src["source"], "url": src.get("url")}}


def profile_rows(tickers: list[str], funds: dict) -> list[dict]:
    """Fund facts: each value with its observation date and numbered source (or why it is missing), then the
    fund's category when the site classifies it."""
    rows = []
    for entry, _ in TABLES["profile"].rows():
        if entry.hide_empty and all(funds[t].get(entry.key) is None for t in tickers):
            continue  # only Vanguard funds report the whole fund's assets: no empty row elsewhere
        cells = [fact_cell(funds[t].get(entry.key), format_value(entry, funds[t].get(entry.key)),
                           funds[t]["sources"].get(entry.key), funds[t]["null_reasons"].get(entry.key))
                 for t in tickers]
        rows.append({"label": entry.label, "cells": cells, "sub": False})
    cats = [funds[t].get("category") for t in tickers]
    if any(cats):
        rows.append({"label": "Category (this site's)", "sub": False, "cells": [
            {**cell(c["name"] if c else None, c["name"] if c else "not classified"),
             "detail": funds[t]['asset_class'] + (f"; benchmark {c['benchmark']}" if c['benchmark'] else "")
             if c else None}
            for t, c in zip(tickers, cats)]})
    return rows


def fund_tables(tickers: list[str], funds: dict, common: dict | None = None) -> dict[str, list[dict]]:
    """The rows of the profile, returns, risk and market tables (built once per page; ``common``: the figures
    since the funds' common start, :func:`returns_rows`)."""
    return {"profile": profile_rows(tickers, funds), "returns": returns_rows(tickers, funds, common),
            "risk": risk_rows(tickers, funds), "market": figure_rows(TABLES["market"], tickers, funds)}


def table_from_rows(id: str, caption: str, rows: list[dict], tickers: list[str], csv_path: str | None,
                    diff: bool = False) -> Table:
    """A :class:`Table` from figure rows (``label``, ``cells`` with ``raw``/``text``)."""
    head = ["Measure", *tickers] + ([f"{tickers[0]} − {tickers[1]} (points)"] if diff else [])
    t = Table(id, caption, head, csv=csv_path)
    numbers: dict[str, int] = {}  # each cited source once, numbered in order of first citation
    for r in rows:
        cells = [{"text": c["text"], "title": c.get("title"), "detail": c.get("detail"), "flag": c.get("flag"),
                  "check": c.get("check")}
                 for c in r["cells"]]
        for cell, c in zip(cells, r["cells"]):
            src = c.get("source")
            if src:
                if src["id"] not in numbers:
                    numbers[src["id"]] = len(numbers) + 1
                    t.sources.append({"n": numbers[src["id"]], "name": src["name"], "url": src.get("url")})
                cell["ref"] = numbers[src["id"]]
        raw = [_csv_raw(c["raw"]) for c in r["cells"]]
        if diff:
            d = r.get("diff_raw")
            cells.append({"text": (r.get("diff_sign", "") + r.get("diff", fmt.DASH)) if d is not None else fmt.DASH,
                          "detail": r.get("diff_title")})
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


MATRIX_BANDS = (0.5, 0.8, 0.95)
"""Tints of a correlation matrix cell: below 0.50 (loosely, :data:`versus.facts.THRESHOLDS`), 0.50–0.80
(moderately), 0.80–0.95 (closely), 0.95 or more (almost in step); negative correlations their own tint."""


def matrix_band(value) -> str | None:
    """The CSS class of a correlation's tint: 'corr-n' below zero, 'corr-0' … 'corr-3' by :data:`MATRIX_BANDS`."""
    if value is None:
        return None
    return "corr-n" if value < 0 else f"corr-{sum(value >= edge for edge in MATRIX_BANDS)}"


def matrix_tables(matrix: dict, csv_base: str, as_of: str) -> list[Table]:
    """One table per horizon of a group's correlation matrix (:func:`versus.analysis.correlation_matrix`):
    a row and a column per fund, tinted cells (the tint repeats what the number says, it never replaces it)."""
    tickers, out = matrix["tickers"], []
    for h in matrix["horizons"]:
        t = Table(f"matrix-{h}", f"Correlation of daily returns, every fund with every other, over {LABELS[h]} to {fmt.date(as_of)}",
                  ["Fund", *tickers], csv=f"{csv_base}/correlation-{h}.csv",
                  note=("Each pair measured on the days both funds trade, as on the pair pages. Tints: below 0.50 "
                        "loosely correlated, 0.50–0.80 moderately, 0.80–0.95 closely, 0.95 or more almost in step."))
        for i, a in enumerate(tickers):
            row = matrix["values"][h][i]
            cells = [{"text": fmt.DASH if v is None else fmt.num(v), "cls": "corr-self" if i == j else matrix_band(v),
                      "title": matrix["null_reasons"].get(f"{a}-{b}.{h}") or matrix["null_reasons"].get(f"{b}-{a}.{h}")}
                     for j, (b, v) in enumerate(zip(tickers, row))]
            t.add(a, cells, row)
        out.append(t)
    return out

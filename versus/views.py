"""View-models for the chart and holdings sections of pair, group and fund pages.

Everything a template shows arrives here already computed and formatted: charts
(spec, description, static SVG name, data-table alternative, CSV), the 90-day
statistics, sector weights, top holdings, overlap and the fee-drag table.  Each
table is a :class:`Table`, rendered by one macro and written as CSV from the same
rows, so the page and its download cannot disagree.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import cards, charts, facts, fmt, safeout, svg, svgplot
from . import metrics as m
from .charts import PageData
from .metrics import leading_nan_only

ROLL_DAYS = 90
"""Window of the rolling correlation and volatility charts and the statistics table."""
MA_DAYS = 200
"""Moving average of the relative-strength ratio."""
TREND_DAYS = 20
"""Trading days over which the ratio's direction (rising/falling) is measured."""
FEE_RETURN = facts.THRESHOLDS["fee_assumed_return"].value
"""Assumed yearly return before fees in the fee-drag table (stated on the page); the same assumption
as the fee sentence of the summary (versus/facts.py), so the page never uses two."""
FEE_AMOUNTS = (10_000, 100_000)
FEE_YEARS = (10, 20, 30)
SVG_SECONDS = [0.0]
"""Time spent in :func:`versus.svg.render` by this process (the build's "SVG fallbacks" stage)."""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


# --------------------------------------------------------------------------- tables
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
        self.rows.append({"label": label, "cells": cells, "sub": sub, "href": None, "detail": None,
                          "raw": raw if raw is not None else [c["text"] for c in cells]})

    def to_csv(self) -> str:
        """CSV of the raw values (fractions stay fractions), one header line; no cell a spreadsheet would run
        as a formula (:func:`versus.safeout.csv_cell`)."""
        return safeout.csv_text(self.csv_head or self.head, ([r["label"], *r["raw"]] for r in self.rows))


def table_from_rows(id: str, caption: str, rows: list[dict], tickers: list[str], csv_path: str | None,
                    diff: bool = False) -> Table:
    """A :class:`Table` from the pipeline's fund-table rows (``label``, ``cells`` with ``raw``/``text``)."""
    head = ["Measure", *tickers] + ([f"{tickers[0]} − {tickers[1]} (points)"] if diff else [])
    t = Table(id, caption, head, csv=csv_path)
    numbers: dict[str, int] = {}  # each cited source once, numbered in order of first citation
    for r in rows:
        cells = [{"text": c["text"], "title": c.get("title"), "detail": c.get("detail"), "flag": c.get("flag")}
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
            vals = [c["raw"] for c in r["cells"]]
            ok = len(vals) == 2 and None not in vals
            cells.append({"text": (r.get("diff_sign", "") + r.get("diff", fmt.DASH)) if ok else fmt.DASH})
            raw.append(round(vals[0] - vals[1], 8) if ok else None)
        t.add(r["label"], cells, raw, sub=r.get("sub", False))
    return t


def _csv_raw(v):
    return v["value"] if isinstance(v, dict) and "value" in v else v


# --------------------------------------------------------------------------- charts
@dataclass
class Chart:
    """One chart on a page: spec(s), its finding in words, static SVG and data table."""

    id: str
    title: str
    description: str
    specs: dict[str, dict]  # variant -> spec; the first is the default (and the SVG)
    table: Table
    note: str | None = None  # a short line under the title (e.g. the ratio's regime)
    height: int = charts.HEIGHT
    series_csv: str | None = None  # every plotted point, under /api/
    svg_size: tuple[int, int] = (0, 0)  # of the static SVG, for <img width height>

    @property
    def svg(self) -> str:
        return f"{self.id}.svg"

    @property
    def variants(self) -> list[dict]:
        return [{"key": f"{self.id}" if i == 0 else f"{self.id}-{v}", "label": VARIANT_LABELS.get(v, v)}
                for i, v in enumerate(self.specs)]

    def spec_map(self) -> dict[str, dict]:
        return {v["key"]: spec for v, spec in zip(self.variants, self.specs.values())}


@dataclass
class ChartSet:
    """The charts of one page and the one dataset they share."""

    data: PageData = field(default_factory=PageData)
    charts: list[Chart] = field(default_factory=list)

    def specs(self) -> dict[str, dict]:
        out = {}
        for c in self.charts:
            out.update(c.spec_map())
        return out

    def svgs(self) -> list[bytes]:
        """Every chart's static SVG (its first variant), in order.

        Drawn by :mod:`versus.svgplot` (about a millisecond a chart): time series from the page
        data's arrays (:meth:`PageData.columns`), other charts (small tables) from the
        standalone spec with its rows.  These are not cached: drawing one costs about what a
        cache lookup and store cost.  A spec the hand renderer cannot draw goes to vl-convert
        through :func:`versus.svg.render`, which is cached.
        """
        out = []
        for c in self.charts:
            spec = next(iter(c.specs.values()))
            name = charts.dataset_of(spec)
            try:
                if name in self.data.series:
                    out.append(svgplot.render(charts.standalone(spec, None), self.data.columns(name)).encode("utf-8"))
                else:
                    out.append(svgplot.render(charts.standalone(spec, self.data)).encode("utf-8"))
            except svgplot.Unsupported:
                out.append(svg.render([charts.standalone(spec, self.data)], "svg")[0])
        return out

    def by_id(self) -> dict[str, Chart]:
        return {c.id: c for c in self.charts}


def _year_end_table(id: str, caption: str, frame: pd.DataFrame, fmt_fn, csv_path: str, how: str = "last") -> Table:
    """Data-table alternative of a time series: one row per calendar year (its last day, or its minimum)."""
    t = Table(id, caption, ["Date" if how == "last" else "Year", *frame.columns], csv=csv_path)
    values = frame.to_numpy(dtype=float)
    if len(frame) and leading_nan_only(values):
        # positional: the rows before the first value are dropped, then each year's last row holds
        # its last value of every column (or NaN when the column has none yet), and fmin skips NaN
        p = charts.plan(frame.index)
        valid = np.flatnonzero(~np.isnan(values).all(axis=1))
        first = int(valid[0]) if len(valid) else len(values)
        starts = p.year_starts[p.year_starts > first]
        starts = np.r_[first, starts].astype(np.int64) if first < len(values) else np.array([], np.int64)
        ends = np.r_[starts[1:], len(values)] - 1
        block = values[ends] if how == "last" else np.fmin.reduceat(values, starts, axis=0)
        labels = ([fmt.date(d) for d in frame.index[ends]] if how == "last"
                  else [str(y) for y in p.years[ends].tolist()])
    else:
        frame = frame.dropna(how="all")
        years = np.asarray(frame.index.year)
        ends = np.r_[np.flatnonzero(years[1:] != years[:-1]), len(years) - 1] if len(years) else np.array([], int)
        grouped = frame.groupby(years, sort=False)
        block = (grouped.last() if how == "last" else grouped.min()).to_numpy()
        labels = [fmt.date(frame.index[e]) if how == "last" else str(years[e]) for e in ends]
    for label, row in zip(labels, block):
        t.add(label, [fmt_fn(v) for v in row], [analysis_num(v) for v in row])
    t.rows.reverse()  # latest first
    return t


def analysis_num(v, digits: int = 6):
    return None if v is None or pd.isna(v) else round(float(v), digits)


def _trend_words(reg: dict) -> str:
    if reg["above"] is None:
        return "not enough history for a 200-day average"
    pos = "above" if reg["above"] else "below"
    if reg["rising"] is None:
        return f"{pos} its 200-day average"
    return f"{pos} its 200-day average and {'rising' if reg['rising'] else 'falling'}"


def joint_closes(adj: pd.DataFrame, tickers: list[str]) -> pd.DataFrame:
    """The adjusted closes of ``tickers`` on the days all of them trade (``adj`` itself when it is that already)."""
    if list(adj.columns) == list(tickers) and not adj.isna().to_numpy().any():
        return adj
    return adj[tickers].dropna()


def time_series_charts(cs: ChartSet, adj: pd.DataFrame, tickers: list[str], csv_base: str) -> dict:
    """Growth, drawdown, relative strength, rolling correlation and volatility for 2-5 funds.

    ``adj`` holds adjusted closes up to the as-of date; the charts start on the first
    day all ``tickers`` trade.  The first fund is the base of the ratios and correlations.
    Returns extra view values (the regime notes).
    """
    joint = joint_closes(adj, tickers)
    start, end = joint.index[0], joint.index[-1]
    span = f"{fmt.date(start)} to {fmt.date(end)}"
    base, others = tickers[0], tickers[1:]

    growth = 10_000 * joint / joint.iloc[0]
    cs.data.add_series("growth", charts.resample(growth), "sig4")
    ends = growth.iloc[-1].sort_values(ascending=False)
    desc = (f"Growth of $10,000 invested on {fmt.date(start)}, to {fmt.date(end)}: "
            + ", ".join(f"{t} grew to {fmt.money(v)}" for t, v in ends.items()) + ".")
    cs.charts.append(Chart(
        "growth", "Growth of $10,000", desc,
        {"linear": charts.instantiate("growth", tickers, desc), "log": charts.instantiate("growth_log", tickers, desc)},
        _year_end_table("growth-data", f"Value of $10,000 at each year end, {span}", growth, fmt.money,
                        f"{csv_base}/growth.csv")))

    dd = m.drawdown(joint)
    cs.data.add_series("drawdown", charts.resample(dd, "min"), "frac3")
    worst = dd.min().sort_values()
    desc = (f"Drawdown from the previous high, {span}: "
            + ", ".join(f"{t} fell as far as {fmt.pct(v)} (on {fmt.date(dd[t].idxmin())})" for t, v in worst.items())
            + ". " + ", ".join(f"{t} is {fmt.pct(-dd[t].iloc[-1])} below its high" if dd[t].iloc[-1] < 0
                               else f"{t} is at a new high" for t in tickers) + f" on {fmt.date(end)}.")
    cs.charts.append(Chart("drawdown", "Drawdown from the previous high", desc,
                           {"drawdown": charts.instantiate("drawdown", tickers, desc)},
                           _year_end_table("drawdown-data", f"Deepest drawdown in each calendar year, {span}",
                                           dd, fmt.pct, f"{csv_base}/drawdown.csv", how="min")))

    # relative strength: one chart per fund against the base (one chart for a pair)
    notes = {}
    for o in others:
        ratio = m.relative_strength(joint, base, o)
        ma = m.moving_average(ratio, MA_DAYS)
        reg = m.trend_regime(ratio, MA_DAYS, TREND_DAYS)
        label, avg_label = f"{base}/{o}", "200-day average"
        frame = pd.DataFrame({label: ratio, avg_label: ma})
        key = "relative" if len(others) == 1 else f"relative-{o.lower()}"
        cs.data.add_series(key, charts.resample(frame), "sig4")
        words = _trend_words(reg)
        note = f"Now: {words}"
        lead = ratio.iloc[-1] - 1
        desc = (f"Relative strength of {base} against {o} (ratio of their total-return prices, 1 on {fmt.date(start)}): "
                f"{fmt.num(ratio.iloc[-1])} on {fmt.date(end)}: money in {base} ended "
                f"{fmt.pct(abs(lead))} {'ahead of' if lead >= 0 else 'behind'} the same money in {o}. "
                f"The ratio is {words}"
                + (f" ({fmt.num(reg['average'])}; {fmt.pct(reg['change'], sign=True)} over {TREND_DAYS} trading days)."
                   if reg["average"] is not None and reg["change"] is not None else "."))
        spec = charts.instantiate("relative", [label, avg_label], desc, subs={"__NOTE__": note})
        if key != "relative":
            spec = _rename_dataset(spec, "relative", key)
        notes[o] = note
        cs.charts.append(Chart(key, f"Relative strength, {base} against {o}", desc, {"ratio": spec},
                               _year_end_table(f"{key}-data", f"Ratio {base}/{o} and its 200-day average at each year end",
                                               frame, fmt.num, f"{csv_base}/{key}.csv"), note=note))

    rets = m.simple_returns(joint).iloc[1:]
    corr = pd.DataFrame({o: m.rolling_window(rets[base], ROLL_DAYS).corr(rets[o]) for o in others})
    cs.data.add_series("correlation", charts.resample(corr), "corr")
    parts = []
    for col in corr.columns:
        s = corr[col].dropna()
        if s.empty:
            parts.append(f"{base}–{col}: fewer than {ROLL_DAYS} common trading days, no value yet")
            continue
        parts.append(f"{base}–{col} {fmt.num(s.iloc[-1])} now (lowest {fmt.num(s.min())} on {fmt.date(s.idxmin())}, "
                     f"average {fmt.num(s.mean())})")
    desc = f"Correlation of daily returns over the previous {ROLL_DAYS} trading days, {span}: " + "; ".join(parts) + "."
    cs.charts.append(Chart("correlation", f"Rolling {ROLL_DAYS}-day correlation", desc,
                           {"correlation": charts.instantiate("correlation", tickers, desc)},
                           _year_end_table("correlation-data", f"{ROLL_DAYS}-day correlation with {base} at each year end",
                                           corr.rename(columns=lambda o: f"{base}–{o}"), fmt.num,
                                           f"{csv_base}/correlation.csv")))

    vol = m.rolling_volatility(rets, ROLL_DAYS)
    cs.data.add_series("volatility", charts.resample(vol), "frac3")
    now = vol.iloc[-1].sort_values(ascending=False)
    valid = vol.dropna()
    if valid.empty:
        desc = (f"Annualized volatility of daily returns over the previous {ROLL_DAYS} trading days: "
                f"fewer than {ROLL_DAYS} common trading days, no value yet.")
    else:
        # the fund most often the most volatile (ties: the one first so), as idxmax(axis=1).value_counts()
        first = np.argmax(valid.to_numpy(), axis=1)
        counts = np.bincount(first, minlength=valid.shape[1])
        tied = np.flatnonzero(counts == counts.max())
        lead = min(tied, key=lambda k: int(np.argmax(first == k)))
        desc = (f"Annualized volatility of daily returns over the previous {ROLL_DAYS} trading days: now "
                + ", ".join(f"{t} {fmt.pct(v)}" for t, v in now.items())
                + (f". {valid.columns[lead]} was the most volatile on {fmt.pct(counts[lead] / len(valid), 0)} of days since "
                   f"{fmt.date(valid.index[0])}." if len(tickers) > 1 else "."))
    cs.charts.append(Chart("volatility", f"Rolling {ROLL_DAYS}-day volatility", desc,
                           {"volatility": charts.instantiate("volatility", tickers, desc)},
                           _year_end_table("volatility-data", f"{ROLL_DAYS}-day volatility at each year end",
                                           vol, fmt.pct, f"{csv_base}/volatility.csv")))
    return {"regimes": notes}


def _rename_dataset(spec: dict, old: str, new: str) -> dict:
    import json

    return json.loads(json.dumps(spec).replace(f'"name": "{old}"', f'"name": "{new}"'))


def calendar_charts(cs: ChartSet, adj: pd.DataFrame, tickers: list[str], csv_base: str, russell: bool = False,
                    joint: pd.DataFrame | None = None) -> None:
    """Calendar-year returns side by side and, for 2+ funds, average relative return by month.

    ``russell``: a fund tracks a Russell index, so the description names June (reconstitution).
    ``joint``: the closes of ``tickers`` on their common days, if the caller has them already
    (seasonality still reads ``adj``: each pair of a group over its own common days).
    """
    joint = joint_closes(adj, tickers) if joint is None else joint
    years = m.calendar_year_returns(joint)
    first_partial = joint.index[0] > pd.Timestamp(year=joint.index[0].year, month=1, day=10)
    last_partial = joint.index[-1] < pd.Timestamp(year=joint.index[-1].year, month=12, day=24)
    labels = charts.year_labels(years.index, first_partial, last_partial)
    table = Table("years-data", f"Total return per calendar year, {fmt.date(joint.index[0])} to {fmt.date(joint.index[-1])}",
                  ["Year", *tickers], csv=f"{csv_base}/years.csv")
    rows = []
    for label, r in zip(labels, years.to_numpy(dtype=float)):
        rows.append({"y": label, **{t: v for t, v in zip(tickers, charts.round_values(r, "pct"))}})
        table.add(label, [fmt.pct(v) for v in r], [analysis_num(v) for v in r])
    rows.reverse()
    table.rows.reverse()
    cs.data.tables["years"] = rows
    full = years.iloc[int(first_partial): len(years) - int(last_partial)]
    if full.empty:
        desc = "Total return per calendar year; no full calendar year yet, so only part-years are shown."
    elif len(tickers) == 1:
        t = tickers[0]
        best, worst = full[t].idxmax(), full[t].idxmin()
        desc = (f"{t}'s total return per calendar year: best {best} ({fmt.pct(full[t].max())}), worst {worst} "
                f"({fmt.pct(full[t].min())}); {int((full[t] > 0).sum())} of {len(full)} full years were positive.")
    elif len(tickers) == 2:
        a, b = tickers
        wins = int((full[a] > full[b]).sum())
        gap = (full[a] - full[b])
        big = gap.abs().idxmax()
        desc = (f"Total return per calendar year: {a} beat {b} in {wins} of {len(full)} full calendar years. "
                f"The widest gap was {big}: {a} {fmt.pct(full.loc[big, a])}, {b} {fmt.pct(full.loc[big, b])}.")
    else:
        leaders = full.idxmax(axis=1).value_counts()
        desc = ("Total return per calendar year. Best of the group most often: "
                + ", ".join(f"{t} in {n} of {len(full)} years" for t, n in leaders.items()) + ".")
    cs.charts.append(Chart("years", "Calendar-year returns", desc,
                           {"years": charts.instantiate("years", tickers, desc, height=charts.bar_height(len(rows), len(tickers)))},
                           table, height=charts.bar_height(len(rows), len(tickers))))
    if len(tickers) < 2:
        return
    base = tickers[0]
    seas = {o: m.relative_return_by_month(adj, base, o) for o in tickers[1:]}
    cols = [f"{base} − {o}" for o in tickers[1:]]
    rows = []
    table = Table("months-data", f"Average monthly return of {base} minus each fund, by calendar month",
                  ["Month", *[f"{c}: average" for c in cols], *[f"{c}: {base} ahead" for c in cols], "Years"],
                  csv=f"{csv_base}/months.csv")
    arrays = {o: {k: seas[o][k].to_numpy(dtype=float) for k in ("mean", "a_wins", "count")} for o in tickers[1:]}
    for i, name in enumerate(MONTH_NAMES, start=1):
        means = [arrays[o]["mean"][i - 1] for o in tickers[1:]]
        wins = [arrays[o]["a_wins"][i - 1] for o in tickers[1:]]
        count = arrays[tickers[1]]["count"][i - 1]
        n = 0 if np.isnan(count) else int(count)
        rows.append({"m": MONTHS[i - 1], **{c: v for c, v in zip(cols, charts.round_values(means, "pct"))}})
        table.add(name, [fmt.pct(v, 2, sign=True) for v in means] + [fmt.pct(w, 0) for w in wins] + [str(n)],
                  [analysis_num(v) for v in means] + [analysis_num(w) for w in wins] + [n])
    cs.data.tables["months"] = rows
    first = seas[tickers[1]]
    o = tickers[1]
    if first["mean"].isna().all():
        cs.charts.append(Chart("months", "Seasonality: average relative return by month",
                               f"Average monthly return of {base} minus {o}: no full calendar month of common history yet.",
                               {"months": charts.instantiate("months", cols, "No full month yet.")}, table))
        return
    hi, lo = first["mean"].idxmax(), first["mean"].idxmin()
    desc = (f"Average monthly return of {base} minus {o}, by calendar month, over {int(first['count'].max())} years: "
            f"{base} did best against {o} in {MONTH_NAMES[hi - 1]} ({fmt.pct(first.loc[hi, 'mean'], 1, sign=True)} on average, "
            f"ahead in {fmt.pct(first.loc[hi, 'a_wins'], 0)} of years) and worst in {MONTH_NAMES[lo - 1]} "
            f"({fmt.pct(first.loc[lo, 'mean'], 1, sign=True)}, ahead in {fmt.pct(first.loc[lo, 'a_wins'], 0)})"
            + (f"; June, when the Russell indexes are reconstituted, averaged {fmt.pct(first.loc[6, 'mean'], 1, sign=True)}."
               if russell else "."))
    cs.charts.append(Chart("months", "Seasonality: average relative return by month", desc,
                           {"months": charts.instantiate("months", cols, desc)}, table))


def stats_table(adj: pd.DataFrame, tickers: list[str], csv_path: str, days: int = ROLL_DAYS) -> Table:
    """The last-90-days statistics of each fund, with correlation to the first fund."""
    joint = joint_closes(adj, tickers)
    st = m.window_statistics(joint, days)
    win = joint.iloc[-(days + 1):]
    rets = m.simple_returns(win).iloc[1:]
    t = Table("stats90", f"The last {days} trading days, {fmt.date(win.index[0])} to {fmt.date(win.index[-1])}",
              ["Measure", *tickers], csv=csv_path)
    spec = [("Total return", "return", fmt.pct), ("Volatility (annualized)", "volatility", fmt.pct),
            ("Best day", "best_day", lambda x: fmt.pct(x, 2)), ("Worst day", "worst_day", lambda x: fmt.pct(x, 2)),
            ("Up days", "up_days", lambda x: fmt.pct(x, 0)), ("Max drawdown", "max_drawdown", fmt.pct)]
    by_fund = st.to_dict("index")
    for label, key, f in spec:
        vals = [by_fund[x][key] for x in tickers]
        t.add(label, [f(v) for v in vals], [analysis_num(v) for v in vals])
    base = tickers[0]
    short = len(joint) < days + 1  # never a shorter window: no correlation either
    if short:
        t.note = f"Fewer than {days} trading days of common history: no figures yet."
    if len(tickers) == 2:
        c = float("nan") if short else m.correlation(rets[base], rets[tickers[1]])
        t.add(f"Correlation of {base} and {tickers[1]}", [{"text": fmt.num(c), "span": 2}], [analysis_num(c), analysis_num(c)])
    else:
        vals = [None if x == base or short else m.correlation(rets[base], rets[x]) for x in tickers]
        t.add(f"Correlation with {base}", [fmt.DASH if v is None else fmt.num(v) for v in vals],
              [analysis_num(v) for v in vals])
    return t


def group_together_table(pairs: dict[str, dict], base: str, others: list[str], csv_path: str) -> Table:
    """Correlation and beta of each fund with the base fund (groups), by horizon."""
    from .analysis import PAIR_HORIZONS

    t = Table("together", f"How each fund moves with {base} (daily returns; beta of {base} on each fund)",
              ["Measure", *others], csv=csv_path)
    labels = {"90d": "90 trading days", "1y": "1 year", "3y": "3 years", "5y": "5 years"}
    for key, name in (("correlation", "Correlation"), ("beta", "Beta")):
        for h in PAIR_HORIZONS:
            vals = [pairs[o]["values"][key].get(h) for o in others]
            cells = [{"text": fmt.num(v), "title": pairs[o]["reasons"].get(f"{key}.{h}")} for v, o in zip(vals, others)]
            t.add(f"{name}, {labels[h]}", cells, vals)
    return t


# --------------------------------------------------------------------------- holdings and costs
#: Asset classes whose funds hold companies: sector weights and top holdings apply.  A bond, gold or cash
#: fund has no sectors (left out, not shown empty); a gold fund has no holdings list either.
SECTOR_CLASSES = ("equity", "real estate", "multi-asset", None)
HOLDINGS_CLASSES = ("equity", "real estate", "multi-asset", "bonds", "cash", None)


def _when(fact) -> str:
    """An observation's date as a caption says it: 'as of Nov 2025', 'observed 27 Sep 2026, after this date'."""
    when = fmt.observed(fact.as_of)
    if fact.after:
        return f"observed {when}, after this date"
    return f"as of {when}" + (", over a year old" if fact.old else "")


def holdings_section(cs: ChartSet, tickers: list[str], info: dict, funds: dict, csv_base: str) -> dict:
    """Sector weights chart, top-10 tables, overlap and the fee-drag table.

    Sector weights of one taxonomy only (:func:`versus.funds.common_sectors`): a fund whose breakdown
    is in another (GICS vs Morningstar) is named, not mixed in.  Sectors and holdings are left out for
    funds they do not apply to (bonds, gold, cash: :data:`SECTOR_CLASSES`)."""
    from .funds import TAXONOMY_NAMES, common_sectors

    out: dict = {"sectors": None, "holdings": [], "overlap": None, "missing_sectors": [], "missing_holdings": []}
    applies = [t for t in tickers if (info[t].asset_class if info.get(t) else None) in SECTOR_CLASSES]
    taxonomy, chosen, other = common_sectors({t: info.get(t) for t in applies})
    with_sectors = [t for t in applies if t in chosen]
    out["missing_sectors"] = [t for t in applies if t not in chosen and t not in other]
    if with_sectors:
        weights = {t: chosen[t].value for t in with_sectors}
        sectors: list[str] = []
        for t in with_sectors:
            for s in sorted(weights[t], key=lambda s: -weights[t][s]):
                if s not in sectors:
                    sectors.append(s)
        last = [s for s in sectors if s in ("Other", "Unknown", "Unassigned")]
        sectors = [s for s in sectors if s not in last] + last
        table = Table("sectors-data", f"Sector weights, {TAXONOMY_NAMES[taxonomy]} (" + "; ".join(
            f"{t} {_when(chosen[t])}, {chosen[t].source}" for t in with_sectors) + ")",
            ["Sector", *with_sectors], csv=f"{csv_base}/sectors.csv")
        rows = []
        for s in sectors:
            vals = [weights[t].get(s) for t in with_sectors]
            rows.append({"s": s, **{t: v for t, v in zip(with_sectors, charts.round_values(
                [float("nan") if v is None else v for v in vals], "pct"))}})
            table.add(s, [fmt.pct(v) if v is not None else fmt.DASH for v in vals], vals)
        cs.data.tables["sectors"] = rows
        tops = [f"{t}: {max(weights[t], key=weights[t].get)} {fmt.pct(max(weights[t].values()), 0)} "
                f"({_when(chosen[t])})" for t in with_sectors]
        desc = (f"Sector weights side by side, in {TAXONOMY_NAMES[taxonomy]}. Largest sector " + "; ".join(tops) + "."
                + "".join(f" {t}'s breakdown is only in {TAXONOMY_NAMES[tx]}, which do not line up with "
                          f"{TAXONOMY_NAMES[taxonomy]}, so it is not shown here." for t, tx in sorted(other.items()))
                + (f" No sector breakdown is published in our data for {', '.join(out['missing_sectors'])}."
                   if out["missing_sectors"] else ""))
        h = charts.bar_height(len(rows), len(with_sectors))
        chart = Chart("sectors", "Sector weights", desc,
                      {"sectors": charts.instantiate("sectors", with_sectors, desc, height=h)}, table, height=h)
        cs.charts.append(chart)
        out["sectors"] = chart
    for t in tickers:
        fi = info.get(t)
        if (fi.asset_class if fi else None) not in HOLDINGS_CLASSES:
            continue  # a gold trust holds bullion: no holdings list to show
        if not fi or not fi.top_holdings:
            out["missing_holdings"].append(t)
            continue
        top = fi.top_holdings[:10]
        share = m.top_share([h["weight"] for h in fi.top_holdings], 10)
        tab = Table(f"top10-{t.lower()}", f"{t}: 10 largest holdings, {_when(fi.holdings)}",
                    ["Holding", "Ticker", "Weight"], csv=f"{csv_base}/top10-{t.lower()}.csv",
                    note=f"Source: {fi.holdings_source}.")
        if fi.holdings.url:
            tab.sources.append({"n": 1, "name": fi.holdings_source, "url": fi.holdings.url})
            tab.note = None
        for h in top:
            tab.add(h["name"] or h["ticker"], [h["ticker"] or "", fmt.pct(h["weight"], 2)], [h["ticker"], h["weight"]])
        if pd.notna(share):
            tab.add("Top 10 together", ["", fmt.pct(share, 1)], ["", round(share, 6)], sub=True)
        count = funds[t].get("holdings_count")
        out["holdings"].append({"t": t, "table": tab, "share": share, "count": count,
                                "text": (f"The 10 largest of {fmt.count(count) if count else 'its'} holdings make up "
                                         f"{fmt.pct(share)} of {t}." if pd.notna(share) else "")})
    have = [t for t in tickers if info.get(t) and info[t].top_holdings
            and info[t].asset_class in HOLDINGS_CLASSES]
    if len(have) >= 2:
        out["overlap"] = overlap_table(have, info, f"{csv_base}/overlap.csv")
    out["fees"] = fee_table(tickers, funds, f"{csv_base}/fees.csv")
    return out


def overlap_table(tickers: list[str], info: dict, csv_path: str) -> Table:
    """Holdings the first fund shares with each other one, among their published top holdings."""
    base = tickers[0]
    wb = {h["ticker"]: h["weight"] for h in info[base].top_holdings}
    t = Table("overlap", f"Overlap of published top holdings with {base} (weight held in both = the smaller weight)",
              ["Fund", "Holdings in common", "Overlap by weight", "Common holdings"], csv=csv_path,
              note="Only the largest holdings are published here (up to 25 per fund), so the overlap is a lower bound.")
    for o in tickers[1:]:
        wo = {h["ticker"]: h["weight"] for h in info[o].top_holdings}
        common = [k for k in wb if k in wo]
        ov = m.holdings_overlap(wb, wo)
        names = ", ".join(common[:12]) + (" …" if len(common) > 12 else "")
        t.add(f"{base} and {o}", [str(len(common)), fmt.pct(ov, 1), names or fmt.DASH],
              [len(common), round(ov, 6), " ".join(common)])
    return t


def fee_table(tickers: list[str], funds: dict, csv_path: str) -> Table:
    """What each fund's expense ratio costs against a fee-free fund, and (pairs) the difference."""
    ers = [funds[t].get("expense_ratio") for t in tickers]
    head = ["Invested, held for", *[f"{t} ({fmt.pct(e, 2)} a year)" for t, e in zip(tickers, ers)]]
    pair = len(tickers) == 2 and None not in ers
    if pair:
        head.append("Difference")
    t = Table("fees", f"What the expense ratio costs, assuming {fmt.pct(FEE_RETURN)} a year before fees",
              head, csv=csv_path,
              note=("Cost = the value a fee-free fund would reach minus the value after the fee; both start with the same "
                    f"amount and grow at {fmt.pct(FEE_RETURN)} a year minus the fee, compounded yearly "
                    "(metrics.fee_cost). Past returns do not say what the assumed return will be."))
    for amount in FEE_AMOUNTS:
        for years in FEE_YEARS:
            costs = [None if e is None else m.fee_cost(amount, years, FEE_RETURN, 0.0, e) for e in ers]
            cells = [fmt.DASH if c is None else fmt.money(c) for c in costs]
            raw = [None if c is None else round(c, 2) for c in costs]
            if pair:
                lo, hi = sorted(ers)
                d = m.fee_cost(amount, years, FEE_RETURN, lo, hi)
                cheaper = tickers[ers.index(lo)]
                cells.append({"text": fmt.money(d), "detail": "level" if lo == hi else f"in favour of {cheaper}"})
                raw.append(round(d, 2))
            t.add(f"{fmt.money(amount)} for {years} years", cells, raw)
    return t


# --------------------------------------------------------------------------- fund pages
def fund_charts(cs: ChartSet, t: str, close: pd.Series, adj: pd.Series, dividends: pd.Series | None,
                csv_base: str) -> None:
    """Price (with a log variant), drawdown, calendar-year returns and dividends per year for one fund."""
    unadjusted = close.dropna()
    price = unadjusted if len(unadjusted) else adj.dropna()
    frame = price.to_frame(t)
    start, end = frame.index[0], frame.index[-1]
    cs.data.add_series("price", charts.resample(frame), "sig4")
    kind = "closing price" if len(unadjusted) else "dividend-adjusted closing price (no unadjusted close in the data)"
    desc = (f"{t}'s {kind} from {fmt.date(start)} to {fmt.date(end)}: from {fmt.money(price.iloc[0], 2)} "
            f"to {fmt.money(price.iloc[-1], 2)}, highest {fmt.money(price.max(), 2)} on {fmt.date(price.idxmax())}.")
    cs.charts.append(Chart(
        "price", "Price per share", desc,
        {"linear": charts.instantiate("price", [t], desc), "log": charts.instantiate("price_log", [t], desc)},
        _year_end_table("price-data", f"{t} closing price at each year end", frame,
                        lambda v: fmt.money(v, 2), f"{csv_base}/price.csv")))
    a = adj.dropna().to_frame(t)
    dd = m.drawdown(a)
    cs.data.add_series("drawdown", charts.resample(dd, "min"), "frac3")
    desc = (f"{t}'s drawdown from its previous high (total return), {fmt.date(a.index[0])} to {fmt.date(a.index[-1])}: "
            f"deepest {fmt.pct(dd[t].min())} on {fmt.date(dd[t].idxmin())}; {fmt.pct(-dd[t].iloc[-1])} below its high "
            f"on {fmt.date(a.index[-1])}.")
    cs.charts.append(Chart("drawdown", "Drawdown from the previous high", desc,
                           {"drawdown": charts.instantiate("drawdown", [t], desc)},
                           _year_end_table("drawdown-data", f"{t}: deepest drawdown in each calendar year", dd,
                                           fmt.pct, f"{csv_base}/drawdown.csv", how="min")))
    calendar_charts(cs, adj.to_frame(t), [t], csv_base)
    if dividends is None or dividends.dropna().empty:
        return
    per_year = m.dividends_per_year(dividends)
    per_year = per_year.loc[per_year.index <= end.year]
    labels = charts.year_labels(per_year.index, False, end < pd.Timestamp(year=end.year, month=12, day=24))
    rows, table = [], Table("dividends-data", f"{t}: cash dividends per share by calendar year (ex-date)",
                            ["Year", "Dividends per share"], csv=f"{csv_base}/dividends.csv")
    for label, v in zip(labels, per_year):
        rows.append({"y": label, t: round(float(v), 4)})
        table.add(label, [fmt.money(v, 2)], [round(float(v), 4)])
    table.rows.reverse()
    cs.data.tables["dividends"] = rows
    full = per_year.iloc[:-1] if labels and labels[-1].endswith("YTD") else per_year
    if full.empty:  # only the current, partial year so far
        desc = f"{t}'s cash dividends per share so far in {labels[-1]}: {fmt.money(per_year.iloc[-1], 2)}."
    else:
        desc = (f"{t}'s cash dividends per share by calendar year, {labels[0]} to {labels[-1]}: "
                f"{fmt.money(full.iloc[-1], 2)} in {full.index[-1]}"
                + (f", against {fmt.money(full.iloc[-11], 2)} ten years earlier" if len(full) > 10 else "") + ".")
    cs.charts.append(Chart("dividends", "Dividends per year", desc,
                           {"dividends": charts.instantiate("dividends", [t], desc)}, table))


RELATED_MAX = 12
"""Related comparisons listed at the end of a pair or group page (and "other comparisons" on fund pages)."""
NAV_MAX = 24
"""Comparisons listed in every page's footer; a bigger site links to the index for the rest (a
footer of 1,000 links would be most of each page and of its render time)."""


def related_pairs(tickers: list[str], pairs: list[dict], url: str, limit: int = RELATED_MAX) -> list[dict]:
    """Comparisons sharing a fund with ``tickers`` first, then the rest; never the page itself; at most ``limit``."""
    mine = set(tickers)
    others = [p for p in pairs if p["slug"] + "/" != url]
    sharing = [p for p in others if p["a"] in mine or p["b"] in mine]
    shared = {p["slug"] for p in sharing}
    return (sharing + [p for p in others if p["slug"] not in shared])[:limit]


# --------------------------------------------------------------------------- pages
VARIANT_LABELS = {"linear": "Linear scale", "log": "Log scale"}


@dataclass
class PageView:
    """What one page adds to the build: template context and files (CSV, SVG, PNG) by site path."""

    context: dict
    files: dict[str, str | bytes] = field(default_factory=dict)


def _chart_context(cs: ChartSet, url: str) -> dict:
    """Template values shared by every page with charts."""
    return {
        "charts": {c.id: c for c in cs.charts},
        "chart_list": cs.charts,
        "chart_page": {"specs": cs.specs(), "data": cs.data.to_json(),
                       "themes": {"light": charts.THEME, "dark": charts.DARK}},
    }


def _series_csv(cs: ChartSet, c: Chart) -> str:
    """Every plotted point of a chart's dataset, as CSV (date or category first)."""
    cols, rows = cs.data.row_tuples(charts.dataset_of(next(iter(c.specs.values()))))
    return safeout.csv_text(["date" if k == "d" else k for k in cols], rows, numeric_rows=True)  # None: empty


def _render(specs: list[dict], fmt: str, **opts) -> list[bytes]:
    """:func:`versus.svg.render`, timed into :data:`SVG_SECONDS`."""
    t0 = time.perf_counter()
    try:
        return svg.render(specs, fmt, **opts)
    finally:
        SVG_SECONDS[0] += time.perf_counter() - t0


def _collect(cs: ChartSet, url: str, csv_base: str, tables: list[Table | None]) -> dict:
    """CSV files of the tables and chart data, and the static SVG of every chart (rendered, cached)."""
    files: dict[str, str | bytes] = {}
    for t in tables + [c.table for c in cs.charts]:
        if t is not None and t.csv:
            files[t.csv] = t.to_csv()
    for c in cs.charts:  # time series: the table shows year ends, the CSV every point drawn
        if charts.dataset_of(next(iter(c.specs.values()))) in cs.data.series:
            c.series_csv = f"{csv_base}/{c.id}-series.csv"
            files[c.series_csv] = _series_csv(cs, c)
    t0 = time.perf_counter()
    try:
        rendered = cs.svgs()
    finally:
        SVG_SECONDS[0] += time.perf_counter() - t0
    for c, data in zip(cs.charts, rendered):
        files[f"{url}{c.svg}"] = data
        c.svg_size = svg.svg_size(data)
    return files


def jsonld(kind: str, title: str, description: str, canonical: str, site: dict, as_of: str,
           start: str | None = None, downloads: list[str] | None = None) -> dict:
    """schema.org JSON-LD: a WebPage, plus a Dataset with its downloads for comparisons and funds."""
    page = {"@type": "WebPage", "@id": canonical, "url": canonical, "name": title, "description": description,
            "dateModified": as_of, "inLanguage": "en",
            "isPartOf": {"@type": "WebSite", "name": site["title"], "url": site["base_url"]}}
    graph = [page]
    if kind in ("pair", "group", "fund") and downloads:
        ds = {"@type": "Dataset", "name": title, "description": description, "url": canonical,
              "dateModified": as_of, "isAccessibleForFree": True,
              "creator": {"@type": "Organization", "name": site["title"], "url": site["base_url"]},
              "distribution": [{"@type": "DataDownload", "contentUrl": site["base_url"] + d,
                                "encodingFormat": "application/json" if d.endswith(".json") else "text/csv"}
                               for d in downloads]}
        if start:
            ds["temporalCoverage"] = f"{start}/{as_of}"
        graph.append(ds)
    return {"@context": "https://schema.org", "@graph": graph}


def comparison_view(prep, tickers: list[str], funds: dict, info: dict, url: str, api: str, rows: dict,
                    site: dict, as_of: str, pair_tables: dict | None = None) -> PageView:
    """Charts, tables, downloads, social card and JSON-LD of a pair or group page.

    ``rows`` are the pipeline's fund-table rows (``profile``, ``returns``, ``risk``);
    ``pair_tables`` the pair's own ``together`` rows or, for groups, a :class:`Table`.
    """
    csv_base = api[: -len(".json")]
    adj = prep.data.adj_close
    joint = joint_closes(adj, tickers)  # once: the charts, the statistics and the card all start here
    cs = ChartSet()
    extra = time_series_charts(cs, joint, tickers, csv_base)
    russell = any("Russell" in str(funds[t].get("index") or "") for t in tickers)
    calendar_charts(cs, adj, tickers, csv_base, russell=russell, joint=joint)
    hold = holdings_section(cs, tickers, info, funds, csv_base)
    pair = len(tickers) == 2
    tables = {
        "profile": table_from_rows("profile", "Fund facts, each with the date it was observed and its source", rows["profile"],
                                   tickers, f"{csv_base}/profile.csv"),
        "returns": table_from_rows("returns", f"Total return by horizon, to {fmt.date(as_of)}", rows["returns"],
                                   tickers, f"{csv_base}/returns.csv", diff=pair),
        "risk": table_from_rows("risk", "Volatility, risk-adjusted return and drawdowns", rows["risk"], tickers,
                                f"{csv_base}/risk.csv"),
        "stats": stats_table(joint, tickers, f"{csv_base}/stats90.csv"),
    }
    together = (pair_tables or {}).get("together")
    if isinstance(together, Table):
        tables["together"] = together
    elif together is not None:
        t = Table("together", f"How {tickers[0]} and {tickers[1]} move together (daily returns; beta of {tickers[0]} "
                  f"on {tickers[1]})", ["Measure", "Value"], csv=f"{csv_base}/together.csv")
        for r in together:
            t.add(r["label"], [{"text": r["text"], "title": r.get("title")}], [r.get("raw")])
        tables["together"] = t
    by_id = cs.by_id()
    groups = {
        "performance": [by_id["growth"], by_id["drawdown"]],
        "relative": [c for c in cs.charts if c.id.startswith("relative")] + [by_id["correlation"], by_id["volatility"]],
        "calendar": [c for c in (by_id.get("years"), by_id.get("months")) if c],
    }
    files = _collect(cs, url, csv_base, list(tables.values()) + [hold.get("overlap"), hold.get("fees")]
                     + [h["table"] for h in hold["holdings"]])
    downloads = [api] + sorted(f for f in files if f.endswith(".csv"))
    growth = 10_000 * joint / joint.iloc[0]
    names = [funds[t]["name"] for t in tickers]
    card = cards.comparison_card(tickers, names, funds, growth, as_of, site["title"])
    files[f"{url}card.png"] = _render([card], "png", scale=1)[0]
    title = " vs ".join(tickers)
    context = {
        **_chart_context(cs, url), "chart_groups": groups, "tables": tables, "holdings": hold,
        "regimes": extra["regimes"], "fee_return": FEE_RETURN, "roll_days": ROLL_DAYS,
        "og_image": f"{site['base_url']}{url}card.png",
        "jsonld": jsonld("pair" if pair else "group", f"{title}: returns, risk and costs compared",
                         f"Side-by-side comparison of {', '.join(f'{t} ({n})' for t, n in zip(tickers, names))}: "
                         f"total returns, drawdowns, volatility, correlation, calendar-year returns, holdings and fees, "
                         f"from daily dividend-adjusted prices to {as_of}.",
                         site["base_url"] + url, site, as_of, joint.index[0].date().isoformat(), downloads),
    }
    return PageView(context, files)


def fund_view(prep, t: str, funds: dict, info: dict, url: str, api: str, rows: dict, site: dict,
              as_of: str) -> PageView:
    """Charts (price, drawdown, calendar years, dividends), holdings tables and downloads of a fund page."""
    csv_base = api[: -len(".json")]
    cs = ChartSet()
    divs = prep.data.dividends[t] if t in prep.data.dividends.columns else None
    close = prep.data.close[t] if t in prep.data.close.columns else pd.Series(dtype=float)
    fund_charts(cs, t, close.loc[: prep.as_of], prep.data.adj_close[t].loc[: prep.as_of], divs, csv_base)
    hold = holdings_section(cs, [t], info, funds, csv_base)
    tables = {
        "profile": table_from_rows("profile", "Fund facts, each with the date it was observed and its source", rows["profile"],
                                   [t], f"{csv_base}/profile.csv"),
        "returns": table_from_rows("returns", f"Total return by horizon, to {fmt.date(as_of)}", rows["returns"],
                                   [t], f"{csv_base}/returns.csv"),
        "risk": table_from_rows("risk", "Volatility, risk-adjusted return and drawdowns", rows["risk"], [t],
                                f"{csv_base}/risk.csv"),
    }
    files = _collect(cs, url, csv_base, list(tables.values()) + [hold.get("fees")]
                     + [h["table"] for h in hold["holdings"]])
    first = prep.data.adj_close[t].dropna().index[0].date().isoformat()
    context = {
        **_chart_context(cs, url), "tables": tables, "holdings": hold, "fee_return": FEE_RETURN,
        "jsonld": jsonld("fund", f"{t}: {funds[t]['name']}",
                         f"{t} ({funds[t]['name']}): total returns, drawdowns, calendar-year returns, dividends, "
                         f"holdings and fees from daily prices to {as_of}.",
                         site["base_url"] + url, site, as_of, first,
                         [api] + sorted(f for f in files if f.endswith(".csv"))),
    }
    return PageView(context, files)


def index_tables(pair_rows: list[dict], fund_rows: list[dict], groups: list[dict], as_of: str) -> dict:
    """The index's sortable tables (cells carry ``sort`` values) with their CSVs."""
    pairs = Table("all-pairs", f"Every comparison: who led over the year to {fmt.date(as_of)}, and by how much",
                  ["Comparison", "Leader, 1 year (points ahead)", "Correlation, 1 year"],
                  csv="api/index/pairs.csv", sortable=True)
    for p in pair_rows:
        lead = None if p["ra"] is None or p["rb"] is None else p["ra"] - p["rb"]
        leader = p["leader_1y"] or (p["a"] if lead is not None and lead >= 0 else p["b"])
        pairs.add(p["a"] + " vs " + p["b"], [
            {"text": fmt.DASH if lead is None else f"{leader} by {fmt.pts(lead).replace(' points', '')}",
             "sort": None if lead is None else round(abs(lead), 6)},
            {"text": fmt.num(p["corr_1y"]), "sort": p["corr_1y"]}],
            [None if lead is None else leader, None if lead is None else round(abs(lead), 8), p["corr_1y"]])
        pairs.rows[-1]["href"] = f"{p['slug']}/"
        pairs.rows[-1]["detail"] = f"1 year: {p['a']} {fmt.pct(p['ra'])} · {p['b']} {fmt.pct(p['rb'])}"
    pairs.csv_head = ["Comparison", "Leader, 1 year", "Lead, 1 year (fraction)", "Correlation, 1 year"]
    for g in groups:
        vals = {t: r for t, r in zip(g["tickers"], g["r1y"]) if r is not None}
        best = max(vals, key=vals.get) if vals else None
        pairs.add(g["title"], [{"text": best or fmt.DASH}, {"text": fmt.DASH}], [best, None, None])
        pairs.rows[-1]["href"] = g["url"]
        pairs.rows[-1]["detail"] = "1 year: " + " · ".join(f"{t} {fmt.pct(r)}" for t, r in zip(g["tickers"], g["r1y"]))
    funds = Table("all-funds", f"Key figures per fund, to {fmt.date(as_of)}",
                  ["Fund", "1 year", "5 years, per year", "Volatility, 1 year", "Expense ratio", "Prices to"],
                  csv="api/index/funds.csv", sortable=True)
    for r in fund_rows:
        f = r["f"]
        vals = [f["total_return"].get("1y"), f["cagr"].get("5y"), f["volatility"].get("1y"), f.get("expense_ratio")]
        cells = [{"text": fmt.pct(v, 2 if i == 3 else 1), "sort": v} for i, v in enumerate(vals)]
        cells.append({"text": fmt.date(f["as_of"]), "sort": f["as_of"]})
        funds.add(r["t"], cells, vals + [f["as_of"]])
        funds.rows[-1]["href"] = f"funds/{r['t'].lower()}/"
        funds.rows[-1]["detail"] = f["name"]
    return {"pairs": pairs, "funds": funds}


def search_index(funds: dict, pairs: list[dict], groups: list[dict]) -> list[dict]:
    """Entries of /api/search.json: ticker(s), names and index, and the page's URL."""
    out = [{"kind": "fund", "title": t, "names": f["name"], "index": f.get("index") or "", "url": f"funds/{t.lower()}/"}
           for t, f in funds.items()]
    out += [{"kind": "comparison", "title": f"{p['a']} vs {p['b']}",
             "names": f"{funds[p['a']]['name']} · {funds[p['b']]['name']}",
             "index": " · ".join(str(funds[t].get("index") or "") for t in (p["a"], p["b"])), "url": f"{p['slug']}/"}
            for p in pairs]
    out += [{"kind": "group", "title": g["title"], "names": " · ".join(funds[t]["name"] for t in g["tickers"]),
             "index": " · ".join(str(funds[t].get("index") or "") for t in g["tickers"]), "url": g["url"]}
            for g in groups]
    return out


def group_summary(tickers: list[str], funds: dict) -> str:
    """One sentence per horizon naming the best and worst fund of a group (1 and 5 years)."""
    parts = []
    for h, label, key in (("1y", "Over 1 year", "total_return"), ("5y", "Over 5 years", "cagr")):
        vals = {t: funds[t][key].get(h) for t in tickers if funds[t][key].get(h) is not None}
        if len(vals) < 2:
            continue
        hi, lo = max(vals, key=vals.get), min(vals, key=vals.get)
        per = " a year" if key == "cagr" else ""
        parts.append(f"{label} {hi} returned the most ({fmt.pct(vals[hi])}{per}) and {lo} the least "
                     f"({fmt.pct(vals[lo])}{per}).")
    ers = {t: funds[t].get("expense_ratio") for t in tickers if funds[t].get("expense_ratio") is not None}
    if len(ers) >= 2:
        fee = next(f for f in facts.group_facts(tickers, funds) if f.id == "cheaper_fund")
        v = fee.values  # expense ratios dated far apart, later than the page or old: see the fund facts table
        if v["comparable"] and not v["observed_after"] and not v["observed_old"]:
            cheap = fee.values["cheaper"]
            parts.append(f"{cheap} is the cheapest to hold ({fmt.pct(ers[cheap], 2)} a year).")
    return " ".join(parts)


def index_view(title: str, description: str, site: dict, as_of: str, funds: dict, pair_rows: list[dict],
               fund_rows: list[dict], nav_pairs: list[dict], groups: list[dict]) -> PageView:
    """The index's sortable tables, search index (inline and /api/search.json), CSVs and the site's card."""
    tables = index_tables(pair_rows, fund_rows, groups, as_of)
    entries = search_index(funds, nav_pairs, groups)
    files: dict[str, str | bytes] = {t.csv: t.to_csv() for t in tables.values()}
    files["card.png"] = svg.render([cards.site_card(title, description, as_of, list(funds))], "png", scale=1)[0]
    context = {
        "index_tables": tables, "groups": groups, "search_entries": entries,
        "search_doc": {"as_of": as_of, "entries": entries},
        "jsonld": jsonld("index", title, description, site["base_url"], site, as_of),
    }
    return PageView(context, files)

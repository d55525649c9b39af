"""The charts of a page: each a spec (or two), its finding in words, a static SVG and a data table.

Numbers come from :mod:`versus.analysis.series` and :mod:`versus.analysis.holdings`, sentences
from :mod:`versus.facts.charts`; here they are put together: series into the page's
:class:`~versus.charts.data.PageData`, specs filled in (:func:`versus.charts.specs.instantiate`),
the data tables built and formatted.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import fmt, metrics
from ..analysis import series as an
from ..charts import cache, specs, svgplot
from ..charts.data import PageData, round_values
from ..charts.table import Table
from ..facts import calendar as cal_words
from ..facts import charts as words
from ..util import MONTH_NAMES, MONTHS

VARIANT_LABELS = {"linear": "Linear scale", "log": "Log scale"}


@dataclass
class Chart:
    """One chart on a page: spec(s), its finding in words, static SVG and data table."""

    id: str
    title: str
    description: str
    recipes: dict[str, specs.Recipe]  # variant -> its spec's recipe; the first is the default (and the SVG)
    table: Table
    note: str | None = None  # a short line under the title (e.g. the ratio's regime)
    height: int = specs.HEIGHT
    series_csv: str | None = None  # every plotted point, under /api/
    fund_csvs: list = field(default_factory=list)  # (ticker, path): the funds' shared series a chart is drawn from
    svg_size: tuple[int, int] = (0, 0)  # of the static SVG, for <img width height>
    statement: object = None  # the description as a versus.facts.Statement (with its claims)
    period: dict | None = None  # a time series: what its static SVG shows and its period convention (caption)

    fund_svgs: list = field(default_factory=list)  # (ticker, path, alt): each fund's own static SVG stands for this one
    fund_note: str | None = None  # what those SVGs show (the line above them)

    @property
    def svg(self) -> str:
        return f"{self.id}.svg"

    @property
    def specs(self) -> dict[str, dict]:
        """variant -> the full spec (made on first use: the static SVG, the tests)."""
        return {v: r.spec() for v, r in self.recipes.items()}

    @property
    def dataset(self) -> str:
        """The page dataset the chart draws."""
        return next(iter(self.recipes.values())).dataset_name

    @property
    def variants(self) -> list[dict]:
        return [{"key": f"{self.id}" if i == 0 else f"{self.id}-{v}", "label": VARIANT_LABELS.get(v, v)}
                for i, v in enumerate(self.recipes)]

    def recipe_map(self) -> dict[str, specs.Recipe]:
        return {v["key"]: r for v, r in zip(self.variants, self.recipes.values())}


@dataclass
class ChartSet:
    """The charts of one page and the one dataset they share."""

    data: PageData = field(default_factory=PageData)
    charts: list[Chart] = field(default_factory=list)
    styles: dict = field(default_factory=dict)  # ticker -> its Style (versus.charts.identity): one look per fund

    def styled(self, tickers: list[str]) -> list | None:
        """The (colour, dash pattern) of each fund for :func:`versus.charts.specs.instantiate` (None: by position)."""
        if not all(t in self.styles for t in tickers):
            return None
        return [(self.styles[t].light, self.styles[t].pattern) for t in tickers]

    def recipes(self) -> dict[str, dict]:
        """Every chart's page-specific part by key (:meth:`versus.charts.specs.Recipe.page`): static/site.js
        fills the shared template (:func:`versus.charts.specs.shared_specs`, with the period selector's
        parameter for time series) with it."""
        out = {}
        for c in self.charts:
            out.update((k, r.page()) for k, r in c.recipe_map().items())
        return out

    def svgs(self) -> list[bytes | None]:
        """Every chart's static SVG (its first variant), in order; None for a chart whose fallback is each
        fund's own SVG (:attr:`Chart.fund_svgs`, drawn once per fund by its fund page).  Not cached (drawing
        one costs about what a cache lookup and store cost); all the page's lines traced in one pass (:meth:`_draw`)."""
        drawn = iter(self._draw([c for c in self.charts if not c.fund_svgs]))
        return [None if c.fund_svgs else next(drawn) for c in self.charts]

    def svg_of(self, c: Chart) -> bytes:
        """The static SVG of one chart (:meth:`svgs`)."""
        return self._draw([c])[0]

    def _draw(self, charts: list[Chart]) -> list[bytes]:
        """The charts' SVGs (:func:`versus.charts.svgplot.render_all`): time series from the page data's arrays,
        others from the spec's rows; vl-convert's (:func:`versus.charts.cache.render`) for a spec it cannot draw."""
        todo = []
        for c in charts:
            spec, name = next(iter(c.recipes.values())).spec(), c.dataset
            todo.append((specs.standalone(spec, None), self.data.columns(name)) if name in self.data.series
                        else (specs.standalone(spec, self.data), None))
        return [svg.encode("utf-8") if svg is not None else
                cache.render([specs.standalone(next(iter(c.recipes.values())).spec(), self.data)], "svg")[0]
                for c, svg in zip(charts, svgplot.render_all(todo))]

    def by_id(self) -> dict[str, Chart]:
        return {c.id: c for c in self.charts}

    def timed_svgs(self) -> list[bytes | None]:
        """:meth:`svgs`, timed into :data:`versus.charts.cache.SVG_SECONDS` (the "SVG fallbacks" stage)."""
        t0 = time.perf_counter()
        try:
            return self.svgs()
        finally:
            cache.SVG_SECONDS[0] += time.perf_counter() - t0


def year_end_table(id: str, caption: str, frame: pd.DataFrame, fmt_fn, csv_path: str, how: str = "last",
                   columns: list | None = None) -> Table:
    """Data-table alternative of a time series: a row per year (its last day, or its minimum); heads ``columns``."""
    t = Table(id, caption, ["Date" if how == "last" else "Year", *(columns or frame.columns)], csv=csv_path)
    keys, block = an.year_end(frame, how)
    for label, row in zip(fmt.dates(keys) if how == "last" else map(str, keys), block.tolist()):
        t.add(label, [fmt_fn(v) for v in row], an.rounded(row))  # Python floats: the same texts and values as numpy's
    t.rows.reverse()  # latest first
    return t


def year_drawdown_table(closes: pd.DataFrame, caption: str, csv_path: str) -> Table:
    """Each fund's deepest fall within each calendar year (from the year's own highs, the previous year's last
    close included: :func:`versus.metrics.calendar_year_drawdowns`), latest year first."""
    frame = an.year_drawdowns(closes)
    t = Table("drawdown-data", caption, ["Year", *frame.columns], csv=csv_path)
    for year, row in zip(frame.index, frame.to_numpy(dtype=float).tolist()):
        t.add(str(year), [fmt.pct(v) for v in row], an.rounded(row))
    t.rows.reverse()
    return t


def time_series_charts(cs: ChartSet, joint: pd.DataFrame, tickers: list[str], csv_base: str, funds: dict,
                       memo=None) -> dict:
    """Growth, drawdown, relative strength, rolling correlation and volatility for 2-5 funds.

    ``joint`` holds the adjusted closes of ``tickers`` on the days all of them trade, up to the page's
    date; the first fund is the base of the ratios and correlations; ``funds`` their JSON sections
    (where each stands against its all-time high).  Returns the regime notes and the growth frame, and
    (``"parts"``) the funds' parts from ``memo`` (the build's :class:`versus.pages.fundparts.FundParts`),
    if any: what depends on one fund alone comes from there, the same values and texts; ``"comparison"`` the
    page's numbers and ``"days"`` its common days in the memo (None without one, or for a page it does not serve).
    """
    joint = an.joint_closes(joint, tickers)
    got = memo.page(joint, tickers) if memo is not None else None
    days = got.days if got is not None else memo.days_of(joint, tickers) if memo is not None else None
    c = an.comparison(joint, tickers, None if got is None else got.volatility(),
                      None if days is None else days.anchors)  # the rolling return's window starts: once per days
    span = words.span(c.start, c.end)
    _add(cs, got, "growth", c.growth, "sig4")
    if cs.data.shared:  # the browser derives these from the funds' shared series (static/site.js derive)
        cs.data.window = {"start": c.start.date().isoformat(), "end": c.end.date().isoformat()}
        for name, more in (("growth", {}), ("drawdown", {"how": "min"}), ("rolling_return", {"months": 12}),
                           ("correlation", {"days": an.ROLL_DAYS}), ("volatility", {"days": an.ROLL_DAYS})):
            cs.data.derive(name, {"op": name, "funds": tickers, **more})
    st = words.growth(c)
    cs.charts.append(Chart(
        "growth", "Growth of $10,000", st.text,
        {"linear": specs.Recipe("growth", tickers, st.text, styles=cs.styled(tickers)),
         "log": specs.Recipe("growth_log", tickers, st.text, styles=cs.styled(tickers))},
        _year_end(got, "growth", "growth-data", f"Value of $10,000 at each year end, {span}", c.growth, fmt.money,
                  f"{csv_base}/growth.csv"), statement=st))
    _add(cs, got, "drawdown", c.drawdown, "frac3", "min")
    st = words.drawdown(c, funds)
    caption = f"Deepest fall within each calendar year, {span}"
    cs.charts.append(Chart("drawdown", "Drawdown from the previous high", st.text,
                           {"drawdown": specs.Recipe("drawdown", tickers, st.text, styles=cs.styled(tickers))},
                           year_drawdown_table(c.joint, caption, f"{csv_base}/drawdown.csv") if got is None else
                           got.table("drawdown", "drawdown-data", caption, ["Year", *c.joint.columns],
                                     f"{csv_base}/drawdown.csv"), statement=st))
    _rolling_return_chart(cs, c.rolling, csv_base, got)
    notes = {o: _relative_chart(cs, c, o, csv_base) for o in tickers[1:]}
    _rolling_charts(cs, c, csv_base, span, got)
    return {"regimes": notes, "growth": c.growth, "parts": got, "comparison": c, "days": days}


def comparison_charts(cs: ChartSet, adj: pd.DataFrame, joint: pd.DataFrame, tickers: list[str], csv_base: str,
                      funds: dict, russell: bool = False, memo=None) -> dict:
    """:func:`time_series_charts` and :func:`calendar_charts` of a pair or group page, with the build's memo of
    each fund's part (``memo``, :class:`versus.pages.fundparts.FundParts`): assembled from it when it has every
    fund's, else computed and then kept there.  Returns what :func:`time_series_charts` returns."""
    extra = time_series_charts(cs, joint, tickers, csv_base, funds, memo=memo)
    cal = calendar_charts(cs, adj, tickers, csv_base, russell=russell, joint=joint, got=extra["parts"])
    if memo is not None and extra["parts"] is None:
        memo.learn(extra["days"], tickers, cs, extra["comparison"], cal)
    return extra


def _add(cs: ChartSet, got, name: str, frame: pd.DataFrame, kind: str, how: str = "last") -> None:
    """``cs.data.add_resampled(name, frame, kind, how)``, or the same series from the funds' parts ``got``."""
    if got is None:
        cs.data.add_resampled(name, frame, kind, how)
    else:
        got.add_series(cs.data, name)


def _year_end(got, name: str, id: str, caption: str, frame: pd.DataFrame, fmt_fn, csv_path: str) -> Table:
    """:func:`year_end_table` of ``frame``, or the same table from the funds' parts ``got``."""
    return year_end_table(id, caption, frame, fmt_fn, csv_path) if got is None else \
        got.table(name, id, caption, ["Date", *frame.columns], csv_path)


def _rolling_return_chart(cs: ChartSet, r: an.Rolling, csv_base: str, got=None) -> None:
    """Each fund's total return over the previous 12 months, day by day (PortfoliosLab's "rolling returns");
    no chart before the funds have a year of common history."""
    frame = r.frame
    if np.isnan(frame.to_numpy(dtype=float)).any(axis=1).all():  # frame.dropna().empty: no row with every fund
        return
    _add(cs, got, "rolling_return", frame, "frac3")
    st = words.rolling_return(r)
    cs.charts.append(Chart("rolling_return", "Rolling one-year return", st.text,
                           {"rolling_return": specs.Recipe("rolling_return", r.tickers, st.text,
                                                                styles=cs.styled(r.tickers))},
                           _year_end(got, "rolling_return", "rolling_return-data",
                                     "One-year total return at each year end", frame, fmt.pct,
                                     f"{csv_base}/rolling_return.csv"), statement=st))


def _relative_chart(cs: ChartSet, c: an.Comparison, o: str, csv_base: str) -> str:
    """Relative strength of the base fund against ``o`` (one chart per other fund); returns its regime note."""
    base, rel = c.tickers[0], c.relative[o]
    label, avg_label = f"{base}/{o}", "200-day average"
    frame = _columns_frame(rel.ratio, rel.average, [label, avg_label])
    key = "relative" if len(c.tickers) == 2 else f"relative-{o.lower()}"
    cs.data.add_resampled(key, frame, "sig4")
    if cs.data.shared:
        cs.data.derive(key, {"op": "relative", "funds": [base, o], "cols": [label, avg_label], "days": an.MA_DAYS})
    note = words.relative_note(rel)
    st = words.relative(c, o, an.TREND_DAYS)
    spec = specs.Recipe("relative", [label, avg_label], st.text, subs={"__NOTE__": note},
                        dataset=None if key == "relative" else key)
    cs.charts.append(Chart(key, f"Relative strength, {base} against {o}", st.text, {"ratio": spec},
                           year_end_table(f"{key}-data", f"Ratio {base}/{o} and its 200-day average at each year end",
                                          frame, fmt.num, f"{csv_base}/{key}.csv"), note=note, statement=st))
    return note


def _columns_frame(a: pd.Series, b: pd.Series, names: list[str]) -> pd.DataFrame:
    """``pd.DataFrame({names[0]: a, names[1]: b})``, from the arrays when the two share their dates (a ratio and
    its moving average): no alignment to do."""
    if a.index is b.index or a.index.equals(b.index):
        return pd.DataFrame(np.column_stack([a.to_numpy(dtype=float), b.to_numpy(dtype=float)]), index=a.index,
                            columns=names)
    return pd.DataFrame(dict(zip(names, (a, b))))


def _rolling_charts(cs: ChartSet, c: an.Comparison, csv_base: str, span: str, got=None) -> None:
    """Rolling correlation with the base fund and rolling volatility."""
    days, base, tickers = an.ROLL_DAYS, c.tickers[0], c.tickers
    cs.data.add_resampled("correlation", c.correlation, "corr")
    st = words.correlation(c, days)
    cs.charts.append(Chart("correlation", f"Rolling {days}-day correlation", st.text,
                           {"correlation": specs.Recipe("correlation", tickers, st.text,
                                                             styles=cs.styled(tickers))},
                           year_end_table("correlation-data", f"{days}-day correlation with {base} at each year end",
                                          c.correlation, fmt.num, f"{csv_base}/correlation.csv",
                                          columns=[f"{base}–{o}" for o in c.correlation.columns]), statement=st))
    _add(cs, got, "volatility", c.volatility, "frac3")
    st = words.volatility(c, days)
    cs.charts.append(Chart("volatility", f"Rolling {days}-day volatility", st.text,
                           {"volatility": specs.Recipe("volatility", tickers, st.text, styles=cs.styled(tickers))},
                           _year_end(got, "volatility", "volatility-data", f"{days}-day volatility at each year end",
                                     c.volatility, fmt.pct, f"{csv_base}/volatility.csv"), statement=st))


def calendar_charts(cs: ChartSet, adj: pd.DataFrame, tickers: list[str], csv_base: str, russell: bool = False,
                    joint: pd.DataFrame | None = None, got=None) -> an.Calendar:
    """Calendar-year returns side by side and, for 2+ funds, average relative return by month.

    ``russell``: a fund tracks a Russell index, so the description names June (reconstitution).
    ``joint``: the closes of ``tickers`` on their common days, if the caller has them already
    (seasonality still reads ``adj``: each pair of a group over its own common days).  ``got``: the funds'
    parts over those days (:class:`versus.pages.fundparts.PageParts`), which hold each fund's years.  Returns
    the calendar-year returns (:class:`versus.analysis.series.Calendar`).
    """
    joint = an.joint_closes(adj, tickers) if joint is None else joint
    cal = an.calendar(joint, tickers) if got is None else an.calendar(joint, tickers, got.years())
    labels = specs.year_labels(cal.years.index, cal.first_partial, cal.last_partial)
    table = Table("years-data", f"Total return per calendar year, {words.span(joint.index[0], joint.index[-1])}",
                  ["Year", *tickers], csv=f"{csv_base}/years.csv")
    rows = []
    if got is not None:  # latest first, as the page lists them
        for label, (texts, raw, shown) in zip(labels[::-1], got.years_rows()):
            rows.append({"y": label, **{t: v for t, v in zip(tickers, shown)}})
            table.add(label, texts, raw)
    else:
        block = cal.years.to_numpy(dtype=float)
        for label, r, shown in zip(labels, block.tolist(), round_values(block, "pct")):  # rounded all at once
            rows.append({"y": label, **{t: v for t, v in zip(tickers, shown)}})
            table.add(label, [fmt.pct(v) for v in r], an.rounded(r))
        rows.reverse()
        table.rows.reverse()
    cs.data.tables["years"] = rows
    st = cal_words.calendar(cal, tickers)
    height = specs.bar_height(len(rows), len(tickers))
    cs.charts.append(Chart("years", "Calendar-year returns", st.text,
                           {"years": specs.Recipe("years", tickers, st.text, height=height,
                                                       styles=cs.styled(tickers))}, table, height=height,
                           statement=st))
    if len(tickers) >= 2:
        _seasonality_chart(cs, adj, tickers, csv_base, russell, joint)
    return cal


def _seasonality_chart(cs: ChartSet, adj: pd.DataFrame, tickers: list[str], csv_base: str, russell: bool,
                       joint: pd.DataFrame | None) -> None:
    """Average relative return by calendar month; ``joint``: the funds' closes on their common days, if known."""
    base, others = tickers[0], tickers[1:]
    seas = an.seasonality(adj, tickers, joint)
    cols = [f"{base} − {o}" for o in others]
    table = Table("months-data", f"Average monthly return of {base} minus each fund, by calendar month",
                  ["Month", *[f"{c}: average" for c in cols], *[f"{c}: {base} ahead" for c in cols], "Years"],
                  csv=f"{csv_base}/months.csv")
    rows, arrays = [], seas["by_fund"]
    means, wins = (np.column_stack([arrays[o][k] for o in others]) for k in ("mean", "a_wins"))  # month x fund
    for name, month, m_row, w_row, shown, count in zip(MONTH_NAMES, MONTHS, means.tolist(), wins.tolist(),
                                                       round_values(means, "pct"), arrays[others[0]]["count"]):
        n = 0 if count != count else int(count)
        rows.append({"m": month, **dict(zip(cols, shown))})
        table.add(name, [fmt.pct(v, 2, sign=True) for v in m_row] + [fmt.pct(w, 0) for w in w_row] + [str(n)],
                  an.rounded(m_row) + an.rounded(w_row) + [n])
    cs.data.tables["months"] = rows
    st = cal_words.seasonality(seas, base, others[0], russell)
    spec_desc = "No full month yet." if seas["empty"] else st.text
    cs.charts.append(Chart("months", "Seasonality: average relative return by month", st.text,
                           {"months": specs.Recipe("months", cols, spec_desc, styles=cs.styled(others))}, table,
                           statement=st))


def fund_charts(cs: ChartSet, t: str, close: pd.Series, adj: pd.Series, dividends: pd.Series | None,
                csv_base: str) -> None:
    """Price (with a log variant), drawdown, calendar-year returns and dividends per year for one fund."""
    p = an.price(close, adj)
    frame = p["series"].to_frame(t)
    cs.data.add_resampled("price", frame, "sig4")
    st = cal_words.price(t, p)
    cs.charts.append(Chart(
        "price", "Price per share", st.text,
        {"linear": specs.Recipe("price", [t], st.text, styles=cs.styled([t])),
         "log": specs.Recipe("price_log", [t], st.text, styles=cs.styled([t]))},
        year_end_table("price-data", f"{t} closing price at each year end", frame,
                       lambda v: fmt.money(v, 2), f"{csv_base}/price.csv"), statement=st))
    d = an.fund_drawdown(adj, t)
    cs.data.add_resampled("drawdown", d["frame"], "frac3", "min")
    st = cal_words.fund_drawdown(t, d)
    cs.charts.append(Chart("drawdown", "Drawdown from the previous high", st.text,
                           {"drawdown": specs.Recipe("drawdown", [t], st.text, styles=cs.styled([t]))},
                           year_drawdown_table(adj.dropna().to_frame(t), f"{t}: deepest fall within each calendar year",
                                               f"{csv_base}/drawdown.csv"), statement=st))
    _rolling_return_chart(cs, an.rolling_returns(adj.dropna().to_frame(t), [t]), csv_base)
    calendar_charts(cs, adj.to_frame(t), [t], csv_base)
    if dividends is not None and not dividends.dropna().empty:
        _dividends_chart(cs, t, dividends, frame.index[-1], csv_base)


def _dividends_chart(cs: ChartSet, t: str, dividends: pd.Series, end: pd.Timestamp, csv_base: str) -> None:
    d = an.dividends(dividends, end)
    labels = specs.year_labels(d["per_year"].index, False, d["partial"])
    rows, table = [], Table("dividends-data", f"{t}: cash dividends per share by calendar year (ex-date)",
                            ["Year", "Dividends per share"], csv=f"{csv_base}/dividends.csv")
    for label, v, r in zip(labels, d["per_year"], d["rounded"]):
        rows.append({"y": label, t: r})
        table.add(label, [fmt.money(v, 2)], [r])
    table.rows.reverse()
    cs.data.tables["dividends"] = rows
    st = cal_words.dividends(t, d, labels)
    cs.charts.append(Chart("dividends", "Dividends per year", st.text,
                           {"dividends": specs.Recipe("dividends", [t], st.text, styles=cs.styled([t]))}, table,
                           statement=st))


def fund_volatility_svg(styles: dict, t: str, adj: pd.Series) -> bytes:
    """The static SVG of one fund's rolling volatility over its own history (the no-JavaScript picture pair and
    group pages show for their volatility chart; the fund page has no such chart, only this file)."""
    closes = adj.dropna().to_frame(t)
    frame = metrics.rolling_volatility(metrics.simple_returns(closes).iloc[1:], an.ROLL_DAYS)
    cs = ChartSet(styles=styles)
    cs.data.add_resampled("volatility", frame, "frac3")
    desc = f"{t}: rolling {an.ROLL_DAYS}-day volatility (annualized) over its own history."
    chart = Chart("volatility", f"Rolling {an.ROLL_DAYS}-day volatility", desc,
                  {"volatility": specs.Recipe("volatility", [t], desc, styles=cs.styled([t]))}, None)
    return cs.svg_of(chart)

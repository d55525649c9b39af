"""The body shared by pair and group pages (and the fund page's): charts, figures tables, holdings,
their CSV and SVG files, the social card and the JSON-LD."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from .. import fmt
from ..analysis import holdings as hold
from ..analysis.registry import LAST_DAYS, MARKET
from ..analysis.series import ROLL_DAYS, joint_closes, last_days, rounded
from ..charts import cache, cards, period, recipes, specs
from ..charts.table import Table, csv_text
from .base import jsonld, root_prefix
from .charts import Chart, ChartSet, comparison_charts, fund_charts, fund_volatility_svg
from .downloads import FUND_PAGE_SERIES, share_fund_csvs
from .holdings import holdings_section
from .monthly import monthly_table
from .series import series_path
from .tables import format_value, table_from_rows


@dataclass
class PageView:
    """What the charts and tables add to one page: template context and files (CSV, SVG, PNG) by site path."""

    context: dict
    files: dict[str, str | bytes] = field(default_factory=dict)


def _first_date(cs: ChartSet, name: str) -> str | None:
    """The first date with a value in the page's time series ``name`` (None when it has none yet: a fund's
    first days, where a rolling or relative series has no value)."""
    cols = list(cs.data.series[name].values())
    return next((d for i, d in enumerate(cs.data.dates) if any(c[i] is not None for c in cols)), None)


def _periods(cs: ChartSet) -> dict | None:
    """The period selector's choices (None without time-series charts), and each time-series chart's caption
    line (``Chart.period``): what its static SVG shows and how a shorter period redraws it."""
    follow = []
    for c in cs.charts:
        name = c.dataset
        if name in cs.data.series and period.follows(name):
            first = _first_date(cs, name)
            if first is None:  # nothing drawn yet (a fund's first days): no period to choose or state
                continue
            c.period = {"shown": period.since(first), "convention": period.convention(name, first)}
            follow.append(c)
    return period.choices(cs.data.dates[0], cs.data.dates[-1]) if follow else None


def chart_context(cs: ChartSet) -> dict:
    """Template values shared by every page with charts."""
    return {
        "periods": _periods(cs),
        "charts": {c.id: c for c in cs.charts},
        "chart_list": cs.charts,
        "chart_page": dict(zip(("charts", "st"), recipes.compact_recipes(cs.recipes())), data=cs.data.to_json()),
    }


def _series_csv(cs: ChartSet, c: Chart) -> str:
    """Every plotted point of a chart's dataset, as CSV (date or category first)."""
    cols, rows = cs.data.row_tuples(c.dataset)
    return csv_text(["date" if k == "d" else k for k in cols], rows, numeric_rows=True)  # None: empty


def _render(specs_: list[dict], kind: str, **opts) -> list[bytes]:
    """:func:`versus.charts.cache.render`, timed into :data:`versus.charts.cache.SVG_SECONDS`."""
    t0 = time.perf_counter()
    try:
        return cache.render(specs_, kind, **opts)
    finally:
        cache.SVG_SECONDS[0] += time.perf_counter() - t0


def collect(cs: ChartSet, url: str, csv_base: str, tables: list[Table | None], own_series: str | None = None) -> dict:
    """CSV files of the tables and chart data, and the static SVG of every chart.

    A chart drawn from the funds' shared series (a comparison page's) gets no CSV of its own: the page links
    each fund's ``series.csv`` once, in its Data section (:func:`shared_series_csvs`).  ``own_series`` (a fund
    page: its ticker): its charts of :data:`versus.pages.downloads.FUND_PAGE_SERIES` link the fund's
    ``series.csv``, every point of which they follow from, instead of a weekly copy of their points."""
    files: dict[str, str | bytes] = {}
    for t in tables + [c.table for c in cs.charts]:
        if t is not None and t.csv:
            files[t.csv] = t.to_csv()
    for c in cs.charts:  # time series: the table shows year ends, the CSV every point drawn
        if c.dataset in cs.data.derived or c.dataset not in cs.data.series:
            continue
        if own_series is not None and c.id in FUND_PAGE_SERIES:
            c.fund_csvs = [(own_series, series_path(own_series))]
        else:
            c.series_csv = f"{csv_base}/{c.id}-series.csv"
            files[c.series_csv] = _series_csv(cs, c)
    for c, data in zip(cs.charts, cs.timed_svgs()):
        if data is None:  # each fund's own SVG stands for it (fund_fallbacks)
            continue
        files[f"{url}{c.svg}"] = data
        c.svg_size = cache.svg_size(data)
    return files


FUND_FALLBACKS = ("drawdown", "rolling_return", "volatility", "years", "sectors")
"""Charts of pair and group pages that show each fund on its own: without JavaScript they show each fund's
own static SVG, drawn once per fund by its fund page (``funds/<t>/<id>.svg``, over the fund's own
history; :func:`fund_view`), not a picture drawn again for every page the fund is on (issue 17: bytes and
build time per pair).  Growth (rebased at the funds' common start), relative strength, rolling correlation
and the monthly seasonality compare the funds with each other: their SVG stays the page's own."""


def fund_fallbacks(cs: ChartSet, root: str) -> None:
    """Point each chart of :data:`FUND_FALLBACKS` at its funds' own SVGs (``root``: the page's way back to
    the site root); the chart's reserved height (``svg_size``) is the one the browser draws."""
    for c in cs.charts:
        if c.id not in FUND_FALLBACKS:
            continue
        if c.id == "sectors":  # weights as each fund publishes them: no history
            c.fund_note = "Each fund's own sector weights, as on its fund page (the interactive chart sets them side by side)."
            alt = "{t}: sector weights"
        else:
            c.fund_note = "Each fund over its own history (the interactive chart draws them over their common days)."
            alt = f"{{t}}: {c.title[0].lower()}{c.title[1:]}"  # the note above says over what (issue 17: bytes)
        c.fund_svgs = [(t, f"{root}funds/{t.lower()}/{c.id}.svg", alt.format(t=t)) for t in chart_funds(c)]
        c.svg_size = (specs.SVG_WIDTH, fund_box_height(c))


def chart_funds(c: Chart) -> list[str]:
    """The funds a chart draws (its first variant's series; the sectors chart's funds with weights)."""
    return list(next(iter(c.recipes.values())).names)


def fund_box_height(c: Chart) -> int:
    """The height the drawn chart takes (its plot, legend and axis labels), reserved before it is drawn."""
    return c.height + 60


def stats_table(joint: pd.DataFrame, tickers: list[str], csv_path: str, days: int = ROLL_DAYS) -> Table:
    """The last-90-days statistics of each fund, with (groups) each one's correlation to the first fund; a pair's
    is in its together table (``Correlation, 90 trading days``), not repeated here."""
    ld = last_days(joint, tickers, days)
    t = Table("stats90", f"The last {days} trading days, {fmt.date(ld.start)} to {fmt.date(ld.end)}",
              ["Measure", *tickers], csv=csv_path)
    for entry in LAST_DAYS:
        vals = [ld.stats[x][entry.key] for x in tickers]
        t.add(entry.label, [format_value(entry, v) for v in vals], rounded(vals))
    base = tickers[0]
    if ld.short:
        t.note = f"Fewer than {days} trading days of common history: no figures yet."
    if len(tickers) > 2:  # a pair's together table gives its correlation over the same 90 days
        vals = ld.correlations
        t.add(f"Correlation with {base}", [fmt.DASH if v is None else fmt.num(v) for v in vals], rounded(vals))
    return t


def figure_tables(tickers: list[str], rows: dict, csv_base: str, as_of: str, diff: bool = False) -> dict:
    """The profile, returns and risk tables of a page, from its figure rows."""
    return {
        "profile": table_from_rows("profile", "Fund facts, each with the date it was observed and its source",
                                   rows["profile"],
                                   tickers, f"{csv_base}/profile.csv"),
        "returns": table_from_rows("returns", f"Total return by horizon, to {fmt.date(as_of)}", rows["returns"],
                                   tickers, f"{csv_base}/returns.csv", diff=diff),
        "risk": table_from_rows("risk", "Volatility, risk-adjusted return and drawdowns", rows["risk"], tickers,
                                f"{csv_base}/risk.csv"),
        "market": table_from_rows("market", f"Against the S&P 500 ({MARKET}): beta and correlation of daily returns",
                                  rows["market"], tickers, f"{csv_base}/market.csv"),
    }


def comparison_view(site, pg, tickers: list[str], url: str, api: str, rows: dict, together: Table,
                    own_date: dict[str, bool] | None = None) -> PageView:
    """Charts, tables, downloads, social card and JSON-LD of a pair or group page.

    ``rows`` are the page's figure rows (``profile``, ``returns``, ``risk``); ``together`` the table of
    how the funds move together (the pair's, or each fund's with the group's first).  ``own_date`` (a pair
    page: whether the page is as of each fund's own last close): the tables that are one fund's data link to
    the funds' CSVs (:func:`versus.pages.downloads.share_fund_csvs`) instead of writing the pair's own.
    """
    funds, info, meta, as_of = pg.funds, pg.info, site.meta, pg.as_of
    csv_base = api[: -len(".json")]
    adj = site.prep.data.adj_close.loc[: pg.end]
    joint = joint_closes(adj, tickers)  # once: the charts, the statistics and the card all start here
    cs = ChartSet(styles=site.styles)
    cs.data.shared = {t: root_prefix(url) + series_path(t) for t in tickers}  # drawn from each fund's series
    russell = any("Russell" in str(funds[t].get("index") or "") for t in tickers)
    extra = comparison_charts(cs, adj, joint, tickers, csv_base, funds, russell, site.parts)  # each fund's part once
    holdings = holdings_section(cs, tickers, info, funds, csv_base, compare=True)
    fund_fallbacks(cs, root_prefix(url))
    pair = len(tickers) == 2
    tables = {**figure_tables(tickers, rows, csv_base, as_of, diff=pair),
              "stats": stats_table(joint, tickers, f"{csv_base}/stats90.csv"), "together": together}
    if pair and tickers[1] == MARKET:  # "X vs SPY": the together table already gives X's beta on and correlation
        tables["market"] = None        # with SPY (the market table's only column that is not 1.00)
    if own_date is not None:
        share_fund_csvs(tables, holdings, cs, tickers, pg, own_date)
    by_id = cs.by_id()
    groups = {
        "performance": [c for c in (by_id["growth"], by_id["drawdown"], by_id.get("rolling_return")) if c],
        "relative": [c for c in cs.charts if c.id.startswith("relative")] + [by_id["correlation"], by_id["volatility"]],
        "calendar": [c for c in (by_id.get("years"), by_id.get("months")) if c],
    }
    files = collect(cs, url, csv_base, list(tables.values()) + [holdings.get("overlap"), holdings.get("fees")])
    # the Dataset's downloads: the page's JSON and each fund's daily series (every table's CSV is linked under it)
    downloads = [api] + [series_path(t) for t in tickers]
    names = [funds[t]["name"] for t in tickers]
    card = cards.comparison_card(tickers, names, funds, extra["growth"], as_of, meta["title"], cs.styled(tickers))
    files[f"{url}card.png"] = _render([card], "png", scale=cards.CARD_SCALE, colors=cards.CARD_COLORS)[0]
    title = " vs ".join(tickers)
    context = {
        **chart_context(cs), "chart_groups": groups, "tables": tables, "holdings": holdings, "matrix": [],
        "series_csvs": shared_series_csvs(cs),
        "fee_return": hold.FEE_RETURN, "roll_days": ROLL_DAYS, "og_image": f"{meta['base_url']}{url}card.png",
        "og_size": (round(cards.WIDTH * cards.CARD_SCALE), round(cards.HEIGHT * cards.CARD_SCALE)),
        "jsonld": jsonld("pair" if pair else "group", f"{title}: returns, risk and costs compared",
                         f"Side-by-side comparison of {', '.join(f'{t} ({n})' for t, n in zip(tickers, names))}: "
                         f"total returns, drawdowns, volatility, correlation, calendar-year returns, holdings and fees, "
                         f"from daily dividend-adjusted prices to {as_of}.",
                         meta["base_url"] + url, meta, as_of, joint.index[0].date().isoformat(), downloads),
    }
    return PageView(context, files)


def shared_series_csvs(cs: ChartSet) -> list[tuple[str, str]]:
    """(ticker, path) of each fund's ``series.csv`` that a comparison page's charts are drawn from, linked once in
    its Data section rather than under every chart's data table (issue 17: six copies of the same links a pair
    page)."""
    seen: dict[str, str] = {}
    for c in cs.charts:
        if c.dataset in cs.data.derived:
            seen.update((t, series_path(t)) for t in cs.data.derived[c.dataset]["funds"])
    return list(seen.items())


def fund_view(site, pg, t: str, url: str, api: str, rows: dict) -> PageView:
    """Charts (price, drawdown, calendar years, dividends), holdings tables and downloads of a fund page."""
    prep, funds, meta, as_of = site.prep, pg.funds, site.meta, pg.as_of
    csv_base = api[: -len(".json")]
    cs = ChartSet(styles=site.styles)
    divs = prep.data.dividends[t] if t in prep.data.dividends.columns else None
    close = prep.data.close[t] if t in prep.data.close.columns else pd.Series(dtype=float)
    fund_charts(cs, t, close.loc[: pg.end], prep.data.adj_close[t].loc[: pg.end], divs, csv_base)
    holdings = holdings_section(cs, [t], pg.info, funds, csv_base)
    tables = {**figure_tables([t], rows, csv_base, as_of),
              "monthly": monthly_table(t, prep.data.adj_close[t].loc[: pg.end], csv_base)}
    files = collect(cs, url, csv_base, list(tables.values()) + [holdings.get("fees")]
                    + [h["table"] for h in holdings["holdings"]], own_series=t)  # versus.pages.fund writes its series.csv
    files[f"{url}volatility.svg"] = fund_volatility_svg(cs.styles, t, prep.data.adj_close[t].loc[: pg.end])
    first = prep.data.adj_close[t].dropna().index[0].date().isoformat()
    context = {
        **chart_context(cs), "tables": tables, "holdings": holdings, "fee_return": hold.FEE_RETURN,
        "jsonld": jsonld("fund", f"{t}: {funds[t]['name']}",
                         f"{t} ({funds[t]['name']}): total returns, drawdowns, calendar-year returns, dividends, "
                         f"holdings and fees from daily prices to {as_of}.",
                         meta["base_url"] + url, meta, as_of, first,
                         [api] + sorted({series_path(t), *(f for f in files if f.endswith(".csv"))})),
    }
    return PageView(context, files)

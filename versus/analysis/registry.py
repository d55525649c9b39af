"""The metric registry: every figure the site publishes, one entry each (ffn's ``_STATISTICS`` style).

An entry names the figure's JSON key, the pure function of :mod:`versus.metrics` whose docstring
is its convention, the horizons it is published for, its label and format in tables, and the
reasons it can be null.  Everything else reads it: :mod:`versus.analysis.funds` computes the
per-horizon fund figures from :attr:`Metric.compute`, the tables (:mod:`versus.pages.tables`)
take their rows, labels and formats from :data:`TABLES`, the methodology page prints every entry
with its convention, and the null reasons of the JSON are the templates here.

Adding a figure (e.g. the Calmar ratio) is a function in ``versus/metrics/``, one :class:`Metric`
here and its test: the JSON, the tables, the CSVs and the methodology page follow.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from .. import metrics as m


@dataclass(frozen=True)
class Horizon:
    """A published horizon: its key, its table label, and how a sentence names it."""

    key: str
    label: str                  # "1 year" (tables, charts)
    prose: str | None = None    # "the past year" (sentences)
    adjective: str | None = None  # "one-year"


HORIZONS: dict[str, Horizon] = {h.key: h for h in (
    Horizon("1m", "1 month"), Horizon("3m", "3 months"), Horizon("6m", "6 months"), Horizon("ytd", "Year to date"),
    Horizon("1y", "1 year", "the past year", "one-year"), Horizon("3y", "3 years", "three years", "three-year"),
    Horizon("5y", "5 years", "five years", "five-year"), Horizon("10y", "10 years", "ten years", "ten-year"),
    Horizon("inception", "Since inception"), Horizon("90d", "90 trading days"),
)}
"""Every horizon a figure is published for, in display order."""

HORIZON_LABELS = {k: h.label for k, h in HORIZONS.items()}
LABELS = {k: h.prose for k, h in HORIZONS.items() if h.prose}
"""Horizon -> the words a sentence uses ("the past year")."""
ADJ = {k: h.adjective for k, h in HORIZONS.items() if h.adjective}
"""Horizon -> adjective ("one-year")."""

class Null(NamedTuple):
    """Why a figure can be null: the reason as the JSON gives it (a template), and in general terms."""

    template: str
    words: str


WINDOW_NULLS = (
    Null("no prices on or before {anchor}", "the data have no close on or before the window's start"),
    Null("{ticker}'s history starts {first}, after the {horizon} window start ({start})",
         "the fund's history starts after the window's start"),
    Null("only one day of prices ({first})", "the fund has a single day of prices (since inception)"),
)
"""Why any per-horizon figure can be null: it is never computed over a shorter window."""
PAIR_NULLS = (
    Null("fewer than {days} common trading days", "the two funds have fewer common trading days than the window"),
    Null("common history starts {first}, after the {horizon} window start ({anchor})",
         "the two funds' common history starts after the window's start"),
)
"""Why a pair figure can be null."""


@dataclass(frozen=True)
class Metric:
    """One published figure.

    ``compute`` takes a :class:`versus.analysis.funds.Window` (the closes of one horizon's window
    for every fund, with its returns, total return, CAGR and drawdowns computed once) and returns
    one value per fund; ``None`` for figures computed elsewhere (pairs, scalars, curated facts).
    ``fns`` are the :mod:`versus.metrics` functions whose docstrings are the convention.
    """

    key: str
    label: str
    fns: tuple[Callable, ...] = ()
    compute: Callable | None = None
    horizons: tuple[str, ...] = ()
    scope: str = "fund"          # fund, pair, chart (a chart or table figure, not in the JSON sections)
    fmt: str = "pct"             # the versus.fmt filter of its table cells: pct, num, money, count, date, text
    digits: int | None = None    # decimals of the table cell (None: the filter's default)
    row: str = "{label}, {horizon}"  # table row label
    sub: bool = False            # an indented sub-row (the CAGR under its total return)
    json_digits: int = 8         # rounding in the JSON
    nulls: tuple[Null, ...] = ()  # reasons it can be null beyond the window ones (shown and in null_reasons)
    nan_reason: str | None = None  # the reason when the function gives no finite number
    note: str | None = None      # one line for the methodology page when the docstrings need context
    hide_empty: bool = False     # a table leaves its row out when no fund has a value

    def row_label(self, horizon: str) -> str:
        return self.row.format(label=self.label, horizon=HORIZONS[horizon].label)


NOT_ON_FILE = Null("not on file: none of this site's fund-fact sources gives {ticker}'s {label}",
                   "none of this site's fund-fact sources gives it")
"""Why a fund fact (curated or live) is missing."""
_ROLLING_SHORT = "less than six years of common daily returns (five years of rolling one-year windows)"

FUND_METRICS: tuple[Metric, ...] = (
    Metric("total_return", "Total return", (m.total_return,), lambda w: w.total, tuple(m.RETURN_HORIZONS),
           row="{horizon}"),
    Metric("cagr", "Compound annual growth rate", (m.cagr,), lambda w: w.cagr, ("3y", "5y", "10y", "inception"),
           row="{horizon}, per year", sub=True,
           nulls=(Null("less than a year of history (since {first}): a return over less than a year is not "
                       "annualised", "the fund has less than a year of history: returns over less than a year are "
                       "never annualised (GIPS, Morningstar)"),)),
    Metric("growth_of_1000", "Growth of $1,000", (m.growth_of,), lambda w: m.growth_of(w.total),
           ("1y", "3y", "5y", "10y"), fmt="money", json_digits=4),
    Metric("volatility", "Volatility", (m.annual_volatility,), lambda w: m.annual_volatility(w.returns),
           ("1y", "3y", "5y")),
    Metric("sharpe", "Sharpe ratio", (m.sharpe_ratio, m.daily_risk_free), lambda w: m.sharpe_ratio(w.returns, w.rf),
           ("1y", "3y", "5y"), fmt="num"),
    Metric("sortino", "Sortino ratio", (m.sortino_ratio,), lambda w: m.sortino_ratio(w.returns, w.rf),
           ("1y", "3y", "5y"), fmt="num"),
    Metric("max_drawdown", "Max drawdown", (m.max_drawdown, m.drawdown), lambda w: w.max_drawdown,
           ("1y", "3y", "5y", "10y")),
    Metric("calmar", "Calmar ratio", (m.calmar_ratio,),
           lambda w: m.calmar_ratio(w.cagr, w.max_drawdown["value"].astype(float)), ("3y", "5y"), fmt="num",
           nan_reason="no drawdown in the window: the price never fell below a previous high"),
)
"""Per-fund figures published by horizon (``funds.<T>.<key>.<horizon>`` in the JSON), in table order."""

FUND_FIELDS: tuple[Metric, ...] = (
    Metric("issuer", "Issuer", fmt="text", note="from the site's curated fund facts or Yahoo Finance, with its date "
           "and source", nulls=(NOT_ON_FILE,)),
    Metric("index", "Index tracked", fmt="text", note="curated, with its date and source", nulls=(NOT_ON_FILE,)),
    Metric("expense_ratio", "Expense ratio", digits=2, note="the fund's published expense ratio, with its date "
           "and source", nulls=(NOT_ON_FILE,)),
    Metric("aum", "Assets under management", fmt="assets", note="the ETF's published assets, with its date and source",
           nulls=(NOT_ON_FILE,)),
    Metric("fund_assets", "Net assets of the whole fund (all share classes)", fmt="assets", hide_empty=True,
           note="the whole fund's net assets across share classes (what Yahoo reports for Vanguard funds), never "
                "mixed with the ETF's assets"),
    Metric("holdings_count", "Holdings", fmt="count", note="the number of holdings published, with its date",
           nulls=(NOT_ON_FILE,)),
    Metric("dividend_yield_ttm", "Dividend yield (trailing 12 months)",
           (m.dividend_yield_ttm, m.ttm_distributions, m.payment_schedule), digits=2,
           note="exactly one year of the fund's payment schedule: never one periodic payment twice (SPY's June "
                "ex-dates of 2025 and 2026 are 363 days apart), never a payment older than a year and half a "
                "period",
           nulls=(Null("less than a year of history (since {first})", "the fund has less than a year of history"),
                  Null("no unadjusted close for {end} in the data", "the data have no unadjusted close on its last day"),
                  Null("no dividend history in the data", "the data have no dividends for the fund"),
                  Null("no unadjusted close from {start} to {end}, so the dividends paid in the past year are not all "
                       "known", "the data have no unadjusted close for more than a week of the past year (a dividend "
                       "may be missing)"))),
    Metric("dividend_yield_published", "Dividend yield (published)", digits=2,
           note="the yield the issuer or Yahoo Finance publishes, with its date and source", nulls=(NOT_ON_FILE,)),
    Metric("inception", "Inception (first price)", fmt="date", note="the date of the fund's first price in the data"),
    Metric("drawdown_now", "Below the all-time high", (m.drawdown,), note="where the fund stands against its "
           "highest close on its last date, and the date of its highest close in the last 52 weeks"),
)
"""Per-fund figures without a horizon, in the order of the fund-facts table."""

PAIR_METRICS: tuple[Metric, ...] = (
    Metric("correlation", "Correlation", (m.correlation, m.correlation_of), horizons=("90d", "1y", "3y", "5y"),
           scope="pair", fmt="num",
           note="a group page's correlation matrix sets every fund against every other over one and five years by "
                "this same convention (each two funds on the days both trade, to the earlier of their last closes), "
                "so a cell equals the pair page's figure"),
    Metric("beta", "Beta", (m.beta, m.beta_of), horizons=("90d", "1y", "3y", "5y"), scope="pair", fmt="num"),
    Metric("correlation_rolling_1y", "Rolling one-year correlation, range over five years", (m.rolling_correlation,),
           scope="pair", fmt="num",
           nulls=(Null(_ROLLING_SHORT, _ROLLING_SHORT),)),
    Metric("since_common_start", "Total return (and CAGR, over a year or more) since the first day both funds "
           "trade", (m.total_return, m.cagr), scope="pair",
           note="since-inception figures of two funds that started on different days are never compared: the "
                "pair's lead since inception is measured from their common start"),
    Metric("lead_lag", "Lead-lag (cross-correlation at 1-5 trading days)", (m.cross_correlation,), scope="pair",
           fmt="num", nulls=(Null("less than a year of common daily returns", "the funds have less than a year of "
                                  "common daily returns"),)),
)
"""Per-pair figures (``pair.<key>`` in a pair's JSON, ``pairs`` in a group's)."""

MARKET = "SPY"
"""The fund every fund's beta and correlation are also measured against (the S&P 500), when the site has it."""
MARKET_NULLS = (Null(f"{MARKET} is not among this site's funds", f"the site does not publish {MARKET}"),) + PAIR_NULLS
_AGAINST = (f"each fund's daily returns against {MARKET}'s on the days both trade, the window ending at the earlier "
            "of the two last closes (as a pair's figures, with the fund as A and {MARKET} as B)").replace(
                "{MARKET}", MARKET)
MARKET_METRICS: tuple[Metric, ...] = (
    Metric("beta_spy", f"Beta on the S&P 500 ({MARKET})", (m.beta, m.beta_of), horizons=("1y", "3y", "5y"),
           scope="market", fmt="num", note=_AGAINST, nulls=MARKET_NULLS, row="Beta, {horizon}"),
    Metric("correlation_spy", f"Correlation with the S&P 500 ({MARKET})", (m.correlation, m.correlation_of),
           horizons=("1y", "3y", "5y"), scope="market", fmt="num", note=_AGAINST, nulls=MARKET_NULLS,
           row="Correlation, {horizon}"),
)
"""Per-fund figures against the market (``funds.<T>.beta_spy`` / ``correlation_spy`` by horizon)."""

CHART_FIGURES: tuple[Metric, ...] = (
    Metric("growth", "Growth of $10,000 (chart)", (m.simple_returns, m.growth_of), scope="chart", fmt="money"),
    Metric("drawdown", "Drawdown from the previous high (chart), and the deepest fall within each calendar year "
           "(its table)", (m.drawdown, m.calendar_year_drawdowns), scope="chart"),
    Metric("rolling_return", "Rolling one-year total return (chart)", (m.rolling_return,), scope="chart"),
    Metric("relative", "Relative strength and its 200-day average (chart)",
           (m.relative_strength, m.moving_average, m.trend_regime), scope="chart", fmt="num"),
    Metric("rolling", "Rolling 90-day correlation and volatility (charts)",
           (m.rolling_window, m.rolling_volatility), scope="chart", fmt="num"),
    Metric("years", "Calendar-year returns (chart)", (m.calendar_year_returns, m.period_returns), scope="chart"),
    Metric("months", "Seasonality by calendar month (chart)", (m.relative_return_by_month,), scope="chart"),
    Metric("monthly", "Monthly returns of a fund (heatmap table)", (m.monthly_returns, m.calendar_year_returns),
           scope="chart"),
    Metric("stats90", "The last 90 trading days (table)", (m.window_statistics,), scope="chart"),
    Metric("dividends", "Dividends per year (chart)", (m.dividends_per_year,), scope="chart", fmt="money"),
    Metric("top10", "Concentration in the ten largest holdings (table)", (m.top_share,), scope="chart"),
    Metric("overlap", "Overlap of top holdings (table)", (m.holdings_overlap,), scope="chart"),
    Metric("fees", "What the expense ratio costs (table)", (m.fee_cost,), scope="chart", fmt="money"),
)
"""Figures published in charts and their tables (and CSVs), with their conventions."""

LAST_DAYS: tuple[Metric, ...] = (
    Metric("return", "Total return", scope="window"),
    Metric("volatility", "Volatility (annualized)", scope="window"),
    Metric("best_day", "Best day", scope="window", digits=2),
    Metric("worst_day", "Worst day", scope="window", digits=2),
    Metric("up_days", "Up days", scope="window", digits=0),
    Metric("max_drawdown", "Max drawdown", scope="window"),
)
"""The rows of the last-90-days table (:func:`versus.metrics.window_statistics`' columns)."""
INDEX_FUNDS = (("total_return", "1y"), ("cagr", "5y"), ("volatility", "1y"), ("expense_ratio", None))
"""The figures of the index page's fund table (and of the social cards: the first two)."""
CATEGORY_FUNDS = (("total_return", "1y"), ("cagr", "5y"), ("volatility", "3y"), ("max_drawdown", "5y"),
                  ("expense_ratio", None), ("dividend_yield_ttm", None))
"""The figures of a category page's fund table: returns, volatility, drawdown, cost and yield."""


def column_label(key: str, horizon: str | None) -> str:
    """A figure's label as a column head: '1 year', '5 years, per year', 'Volatility, 1 year', 'Expense ratio'."""
    return BY_KEY[key].label if horizon is None else BY_KEY[key].row_label(horizon)


HEAD_NAMES = {"total_return": "Total return", "cagr": "Return"}
"""The name a column of figures whose row label is their horizon alone gets in a table of funds."""


def column_head(key: str, horizon: str | None) -> str:
    """A column head that stands alone in a table of funds (the index's, a category's): 'Total return, 1 year',
    'Return, 5 years, per year', 'Volatility, 3 years', 'Expense ratio'."""
    label = column_label(key, horizon)
    return f"{HEAD_NAMES[key]}, {label}" if key in HEAD_NAMES and horizon else label


SUPPORT = (m.window_anchor, m.window_start_row, m.simple_returns)
"""Conventions every windowed figure shares (printed first on the methodology page)."""
HELPERS = (m.leading_nan_only, m.regime_of, m.cross_correlation_of, m.rolling_volatility_of, m.rolling_mean,
           m.rolling_std, m.rolling_corr, m.rolling_anchors, m.rolling_return_at)
"""Functions of :mod:`versus.metrics` that are no figure's convention (implementation shortcuts: the array forms of
:func:`~versus.metrics.trend_regime`, :func:`~versus.metrics.cross_correlation` and
:func:`~versus.metrics.rolling_volatility`, whose conventions they follow, :mod:`versus.metrics.rolling`'s
pandas rolling statistics on arrays, which :func:`~versus.metrics.rolling_window`'s convention describes, and
:func:`~versus.metrics.rolling_return` in two steps, its window starts once per set of days and the returns)."""

REGISTRY: tuple[Metric, ...] = FUND_METRICS + FUND_FIELDS + MARKET_METRICS + PAIR_METRICS + CHART_FIGURES
BY_KEY: dict[str, Metric] = {e.key: e for e in REGISTRY}


@dataclass(frozen=True)
class TableSpec:
    """Which registry entries a figures table shows, in which order."""

    keys: tuple[str, ...]
    by: str = "metric"  # "metric": each metric's horizons in turn; "horizon": each horizon's metrics in turn
    horizons: tuple[str, ...] = field(default=())

    def rows(self) -> list[tuple[Metric, str | None]]:
        """``(metric, horizon)`` per row (horizon None for figures without one)."""
        entries = [BY_KEY[k] for k in self.keys]
        if self.by == "horizon":
            order = self.horizons or tuple(dict.fromkeys(h for e in entries for h in e.horizons))
            return [(e, h) for h in order for e in entries if h in e.horizons]
        return [(e, h) for e in entries for h in (e.horizons or (None,))]


TABLES: dict[str, TableSpec] = {
    "profile": TableSpec(("issuer", "index", "expense_ratio", "aum", "fund_assets", "holdings_count",
                          "dividend_yield_ttm", "dividend_yield_published", "inception")),
    "returns": TableSpec(("total_return", "cagr"), by="horizon", horizons=tuple(m.RETURN_HORIZONS)),
    "risk": TableSpec(("volatility", "sharpe", "sortino", "max_drawdown", "calmar")),
    "together": TableSpec(("correlation", "beta")),
    "market": TableSpec(("beta_spy", "correlation_spy")),
}
"""The figures tables of pair, group and fund pages, from the registry."""


def horizons_of(key: str) -> tuple[str, ...]:
    return BY_KEY[key].horizons


def published_at(horizon: str) -> list[Metric]:
    """The per-fund figures published for ``horizon`` (all null together when its window is missing)."""
    return [e for e in FUND_METRICS if horizon in e.horizons]

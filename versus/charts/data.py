"""The page data the charts draw: one compact columnar object per page, resampled and rounded."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import compress

import numpy as np
import pandas as pd

from ..metrics import leading_nan_only

DAILY_DAYS = 366
ROUND = {"sig4": ("sig", 4), "pct": ("dec", 4), "frac3": ("dec", 3), "corr": ("dec", 3), "money": ("dec", 4)}
_SATURDAY = pd.Timestamp("1970-01-03")
_SATURDAY_DAYS = 2
"""``_SATURDAY`` in days since 1970-01-01."""
_EPOCH_ORDINAL = 719163
"""``date(1970, 1, 1).toordinal()``."""


class DatePlan:
    """Positions that resample a daily index (see :func:`resample`) and split it by calendar year.

    Pages draw several frames over the same dates (growth, drawdown, ratio, correlation, …);
    the plan is computed once per index (:func:`plan`) and applied to each frame's values.
    """

    def __init__(self, index: pd.DatetimeIndex):
        self.index = index
        n = len(index)
        cut = index[-1] - pd.Timedelta(days=DAILY_DAYS)
        self.n_old = n_old = int(np.searchsorted(index.values, cut.to_datetime64(), side="right"))
        # calendar days and years from the datetime64 values (what ``(index - _SATURDAY).days`` and
        # ``index.year`` give, without pandas' Timedelta and field arrays: a plan is made per page)
        values = np.asarray(index.values)
        days = values.astype("datetime64[D]").astype(np.int64)
        week = (days[:n_old] - _SATURDAY_DAYS) // 7
        self.week_starts = np.flatnonzero(np.r_[True, week[1:] != week[:-1]]) if n_old else np.array([], int)
        week_ends = np.r_[self.week_starts[1:], n_old] - 1 if n_old else np.array([], int)
        self.take = np.r_[week_ends, np.arange(n_old, n)].astype(np.int64)  # weekly rows, then daily ones
        years = values.astype("datetime64[Y]").astype(np.int64) + 1970
        self.years = years
        self.days = days
        self.year_starts = np.flatnonzero(np.r_[True, years[1:] != years[:-1]]) if n else np.array([], int)

    def matches(self, index: pd.Index) -> bool:
        return index is self.index or (len(index) == len(self.index) and index.equals(self.index))


_PLANS: dict[tuple, DatePlan] = {}
PLANS_KEPT = 64
"""Plans kept: the pages of a build come back to the same common days (every pair of funds with the same
history), in any order."""


def plan(index: pd.DatetimeIndex) -> DatePlan:
    """The :class:`DatePlan` of ``index``, reused while the same dates come back (the last
    :data:`PLANS_KEPT` are kept, found by length and first and last date)."""
    v = np.asarray(index.values)
    key = (len(v), v.dtype.str, v[:1].tobytes(), v[-1:].tobytes())
    p = _PLANS.get(key)
    if p is not None and p.matches(index):
        return p
    p = DatePlan(index)
    _PLANS.pop(key, None)
    _PLANS[key] = p
    if len(_PLANS) > PLANS_KEPT:
        del _PLANS[next(iter(_PLANS))]
    return p


def resample(frame: pd.DataFrame, how: str = "last") -> pd.DataFrame:
    """Daily rows for the last year, one row per week (Saturday to Friday) before it.

    ``how`` is 'last' for levels and 'min' for drawdowns (keeps each week's trough),
    NaN skipped per column; weeks with no value at all are left out.  Each week is
    labelled with its last trading day, so frames with the same daily index resample
    to the same dates whatever ``how`` is.
    """
    if frame.empty:
        return frame
    got = _resampled_rows(frame, how)
    if got is None:
        return _resample_grouped(frame, how)
    take, block = got
    return pd.DataFrame(block, index=frame.index[take], columns=frame.columns)


def _resampled_rows(frame: pd.DataFrame, how: str) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`resample` of a non-empty frame by positions: (the rows of ``frame`` that label its rows, its
    values), or None when only grouping does it (missing values after a column's first)."""
    p = plan(frame.index)
    values = frame.to_numpy(dtype=float)
    n_old = p.n_old
    if how == "min":  # fmin skips NaN, and is NaN only for a week without any value: groupby().min()
        old = np.fmin.reduceat(values[:n_old], p.week_starts, axis=0) if n_old else values[:0]
        block = np.concatenate([old, values[n_old:]])
    elif leading_nan_only(values):  # a week's last row then holds the week's last value of every column
        block = values[p.take]
    else:
        return None
    take = p.take
    if n_old and np.isnan(block[: len(p.week_starts)]).any():
        weeks = len(p.week_starts)
        keep = np.r_[~np.isnan(block[:weeks]).all(axis=1), np.ones(len(block) - weeks, bool)]
        block, take = block[keep], take[keep]
    return take, block


def _resample_grouped(frame: pd.DataFrame, how: str) -> pd.DataFrame:
    """:func:`resample` by pandas groupby (any pattern of missing values)."""
    cut = frame.index[-1] - pd.Timedelta(days=DAILY_DAYS)
    old, recent = frame.loc[frame.index <= cut], frame.loc[frame.index > cut]
    if len(old):
        week = np.asarray((old.index - _SATURDAY).days // 7)
        ends = np.r_[np.flatnonzero(week[1:] != week[:-1]), len(week) - 1]
        weekly = getattr(old.groupby(week), how)()
        weekly.index = old.index[ends]
        old = weekly.dropna(how="all")
    return pd.concat([old, recent])


def round_values(values, kind: str) -> list:
    """Round for the page: 'sig4' keeps 4 significant digits, others fixed decimals.

    Integral results become ``int`` so JSON carries ``12340`` rather than ``12340.0``;
    NaN becomes None.  Scaling is by exact powers of ten, so values print short.
    """
    x = np.asarray(values, dtype=float)
    return _json_values(_rounded(x, kind), np.isfinite(x))


def _rounded(x: np.ndarray, kind: str) -> np.ndarray:
    """:func:`round_values`' arithmetic, element by element (any shape: a page's block of columns at once)."""
    mode, digits = ROUND[kind]
    if mode == "sig":
        ok = np.isfinite(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            mag = np.floor(np.log10(np.abs(np.where(ok & (x != 0), x, 1.0))))
        k = (mag - digits + 1).astype(int)
        up = np.power(10.0, np.maximum(k, 0))
        down = np.power(10.0, np.maximum(-k, 0))
        return np.where(k >= 0, np.round(x / up) * up, np.round(x * down) / down)
    return np.round(x, digits)


def _json_values(x: np.ndarray, ok: np.ndarray) -> list:
    """A rounded array as :func:`round_values` returns it (``tolist``: nested lists for a block): integral
    values as ``int``, other values as ``float``; None where the value before rounding (``ok``: finite) was NaN
    or infinite."""
    integral = ok & (x == np.floor(x))
    if ok.all() and not integral.any():
        return x.tolist()
    small = integral & (np.abs(x) < 2.0 ** 53)  # exact in int64
    if small.all():  # every value an int (growth of $10,000 to 4 significant digits)
        return x.astype(np.int64).tolist()
    out = x.astype(object)  # Python floats, replaced by ints and None below
    if small.any():
        out[small] = x[small].astype(np.int64).astype(object)
    for i in np.flatnonzero(integral & ~small).tolist():
        out.flat[i] = int(x.flat[i])
    if not ok.all():
        out[~ok] = None
    return out.tolist()


_ISO: dict[int, str] = {}
"""Day number (since 1970-01-01) -> its ISO date: the pages' dates, formatted once per build."""


def _iso_dates(dates: np.ndarray) -> list[str]:
    """``np.datetime_as_string(dates as datetime64[D], unit="D").tolist()``, each day formatted once."""
    days = np.asarray(dates, dtype="datetime64[D]")
    keys = days.astype(np.int64).tolist()
    if any(k not in _ISO for k in keys):
        _ISO.update(zip(keys, np.datetime_as_string(days, unit="D").tolist()))
    return [_ISO[k] for k in keys]


def _increasing(a: np.ndarray) -> bool:
    return bool((a[1:] > a[:-1]).all())


def _aligned(src: np.ndarray, values: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """``values`` (a row per date of ``src``) on the dates ``dst``: a date's row, or NaN where ``src`` has none
    (``DataFrame(values, index=src).reindex(dst)``; by positions when both are sorted without repeats)."""
    if src is dst or (src.dtype == dst.dtype and len(src) == len(dst) and np.array_equal(src, dst)):
        return values
    if not (src.dtype == dst.dtype and _increasing(src) and _increasing(dst)):
        return pd.DataFrame(values, index=pd.DatetimeIndex(src)).reindex(pd.DatetimeIndex(dst)).to_numpy(dtype=float)
    pos = np.searchsorted(src, dst)
    hit = pos < len(src)
    hit[hit] = src[pos[hit]] == dst[hit]
    out = np.full((len(dst), values.shape[1]), np.nan)
    out[hit] = values[pos[hit]]
    return out


@dataclass
class PageData:
    """Everything the charts on one page draw, in one compact JSON object.

    ``dates`` is shared by every time series in ``series`` (``{dataset: {column:
    [values]}}``, aligned with ``dates``); ``tables`` holds small datasets as rows.
    site.js expands ``series`` into rows ``{"d": date, column: value}``.
    """

    dates: list[str] = field(default_factory=list)
    series: dict[str, dict[str, list]] = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)  # ticker -> its series.csv, relative to the page
    window: dict | None = None                            # {"start", "end"}: the page's common days
    derived: dict[str, dict] = field(default_factory=dict)  # dataset -> how the browser derives it from ``shared``
    _index: np.ndarray | None = None  # the datetime64 values of ``dates``
    _floats: dict = field(default_factory=dict, repr=False, compare=False)  # name -> (its columns, float arrays)

    def add_series(self, name: str, frame: pd.DataFrame, kind: str) -> None:
        """Add a resampled frame; every series on a page shares the first one's dates."""
        self._add(name, np.asarray(frame.index.values), frame.to_numpy(dtype=float), frame.columns, kind)

    def add_resampled(self, name: str, frame: pd.DataFrame, kind: str, how: str = "last") -> None:
        """``add_series(name, resample(frame, how), kind)``, without making the resampled frame (its dates
        and values are taken by positions)."""
        got = None if frame.empty else _resampled_rows(frame, how)
        if got is None:
            self.add_series(name, resample(frame, how), kind)
            return
        take, block = got
        self._add(name, np.asarray(frame.index.values)[take], block, frame.columns, kind)

    def _add(self, name: str, dates: np.ndarray, values: np.ndarray, columns, kind: str) -> None:
        """One time series: ``values`` (a row per date of ``dates``, datetime64) aligned with the page's dates
        (the first series') and rounded (:func:`round_values`, every column at once)."""
        if self._index is None:
            self._index = dates
            self.dates = _iso_dates(dates)
        else:
            values = _aligned(dates, values, self._index)
        block, ok = _rounded(values, kind), np.isfinite(values)
        cols = self.series[name] = {str(c): _json_values(block[:, k], ok[:, k]) for k, c in enumerate(columns)}
        floats = np.where(ok, block, np.nan)  # each list as floats (None: NaN), for the SVG and the CSV
        floats[floats == 0] = 0.0  # -0.0 is listed as the int 0
        self._floats[name] = (cols, {c: floats[:, k] for k, c in enumerate(cols)})

    def add_rounded(self, name: str, dates: np.ndarray, columns, floats: list[np.ndarray]) -> None:
        """A time series as :meth:`_add` keeps it for each column (``floats``: rounded, on ``dates``, NaN where
        :meth:`_add` lists None), e.g. a fund's part of a page kept by the build's memo
        (:mod:`versus.pages.fundparts`): the same lists as :meth:`_add` makes (a value is None exactly where its
        float is NaN, and -0.0, listed as the int 0 either way, is kept as 0.0).  ``dates`` must be the page's
        dates (or become them: the first series)."""
        if self._index is None:
            self._index = dates
            self.dates = _iso_dates(dates)
        elif not (dates is self._index or np.array_equal(dates, self._index)):
            raise ValueError(f"{name}: not on the page's dates")
        cols = self.series[name] = {str(c): _json_values(f, ~np.isnan(f)) for c, f in zip(columns, floats)}
        self._floats[name] = (cols, {c: f.copy() for c, f in zip(cols, floats)})

    def rows(self, name: str) -> list[dict]:
        """One dataset as Vega rows (what site.js builds in the browser; used for the SVGs)."""
        if name in self.tables:
            return self.tables[name]
        cols = self.series[name]
        names = list(cols)
        out = []
        for d, *vals in zip(self.dates, *cols.values()):
            row = {"d": d}
            row.update((c, v) for c, v in zip(names, vals) if v is not None)
            if len(row) > 1:
                out.append(row)
        return out

    def columns(self, name: str) -> dict[str, np.ndarray]:
        """A time-series dataset as arrays: ``"d"`` (day ordinals, ``date.toordinal``) and one float
        array per column (NaN where missing), only the dates with a value: the same points as
        :meth:`rows`, for :func:`versus.svgplot.render`."""
        cols = self._float_columns(name)
        days = (np.asarray(self._index, dtype="datetime64[D]").astype(np.int64) + _EPOCH_ORDINAL).astype(float)
        if cols:
            keep = ~np.isnan(np.vstack(list(cols.values()))).all(axis=0)
            if not keep.all():
                days, cols = days[keep], {c: v[keep] for c, v in cols.items()}
        return {"d": days, **cols}

    def _float_columns(self, name: str) -> dict[str, np.ndarray]:
        """Each column of a time series as a float array, None as NaN (``np.array(values, dtype=float)``; kept
        from :meth:`_add` while the series is the one it made)."""
        cols = self.series[name]
        kept = self._floats.get(name)
        if kept is not None and kept[0] is cols:
            return dict(kept[1])
        return {c: np.array(v, dtype=float) for c, v in cols.items()}

    def row_tuples(self, name: str) -> tuple[list[str], list[tuple]]:
        """A time-series dataset as (columns, rows): the columns with at least one value, after
        ``"d"``; only dates with a value; a missing value is None (the CSV downloads)."""
        cols = self.series[name]
        arrays = {c: ~np.isnan(v) for c, v in self._float_columns(name).items()}
        first = {c: int(np.argmax(ok)) for c, ok in arrays.items() if ok.any()}
        keep = sorted(first, key=first.get)  # stable: ties keep the series order
        has = np.logical_or.reduce([arrays[c] for c in keep]) if keep else np.zeros(len(self.dates), bool)
        rows = list(compress(zip(self.dates, *(cols[c] for c in keep)), has.tolist()))
        return ["d", *keep], rows

    def derive(self, name: str, recipe: dict) -> None:
        """Mark a time series the browser derives from the funds' shared series (:attr:`shared`) instead of
        reading it from the page: it stays here for the static SVG and the tables, but :meth:`to_json` leaves it
        out and sends ``recipe`` (``{"op", "funds", "how"}``, static/site.js ``derive``)."""
        self.derived[name] = recipe

    def to_json(self) -> dict:
        """``{"d": {"start": first date, "steps": [days to the next date, …]}, "s": series, "t": tables}``,
        plus ``"f"`` (each fund's shared series), ``"w"`` (the page's window) and ``"x"`` (the derived datasets)
        when the page draws from the funds' shared series.

        Dates are sent as steps in calendar days from the first one (1 for the next
        weekday, 3 over a weekend, 7 between weekly rows): a few bytes per row.
        """
        inline = {k: v for k, v in self.series.items() if k not in self.derived}
        days = np.array(self.dates if inline else [], dtype="datetime64[D]").astype(np.int64)  # the ISO dates
        steps = np.diff(days).tolist()
        out = {"d": {"start": self.dates[0] if inline and self.dates else None, "steps": steps}, "s": inline,
               "t": self.tables}
        if self.derived:
            out.update(f=self.shared, w=self.window, x=self.derived)
        return out

"""The positional fast paths of issue 7 give exactly what the pandas reference gives.

Each fast path (weekly resampling, year-end tables, period returns, max drawdown, SVGs
drawn from arrays) keeps a pandas or row-based reference for the inputs it does not
handle; these tests run both on the real snapshot and on awkward frames (leading and
interior gaps, an empty month) and require equal results.  Issue 17's page data (a page's series
rounded as one block, resampled by positions straight into ``PageData``, aligned by positions) is
checked against the formulations it replaced, kept here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from versus import analysis, charts, fmt
from versus.charts import svgplot
from versus.pages import charts as pc
from versus.util import num
from versus import metrics as m
from versus.sources.snapshot import SnapshotSource

TICKERS = ["QQQ", "IWM", "SPY", "VOO", "DIA", "VTI", "SCHA"]


@pytest.fixture(scope="module")
def adj() -> pd.DataFrame:
    return SnapshotSource().load(TICKERS).adj_close


def _frames(adj: pd.DataFrame) -> list[pd.DataFrame]:
    """Real frames, plus one with leading gaps (a moving average) and one with a hole inside."""
    joint = adj[["QQQ", "IWM"]].dropna()
    ma = pd.DataFrame({"ratio": joint["QQQ"] / joint["IWM"], "avg": (joint["QQQ"] / joint["IWM"]).rolling(200).mean()})
    holed = joint.copy()
    holed.iloc[2000:2010, 1] = np.nan
    return [joint, adj[["SCHA", "SPY"]], ma, holed, joint.iloc[-100:]]


def _max_drawdown_reference(prices: pd.DataFrame) -> pd.DataFrame:
    """The pandas formulation max_drawdown had before its numpy rewrite."""
    dd = m.drawdown(prices)
    rows = {}
    for col in prices.columns:
        p, d = prices[col].dropna(), dd[col].dropna()
        if p.empty:
            rows[col] = (np.nan, pd.NaT, pd.NaT, pd.NaT)
            continue
        trough = d.idxmin()
        value = float(d.loc[trough])
        if value == 0.0:
            rows[col] = (0.0, pd.NaT, pd.NaT, pd.NaT)
            continue
        before = p.loc[:trough]
        peak = before.idxmax()
        after = p.loc[trough:]
        recovered = after[after >= before.loc[peak]]
        rows[col] = (value, peak, trough, recovered.index[0] if len(recovered) else pd.NaT)
    return pd.DataFrame.from_dict(rows, orient="index", columns=["value", "peak", "trough", "recovery"])


def test_weekly_resampling_by_positions_equals_groupby(adj):
    for frame in _frames(adj):
        for how in ("last", "min"):
            pd.testing.assert_frame_equal(charts.resample(frame, how), charts.data._resample_grouped(frame, how))


def test_leading_nan_only_tells_leading_from_interior_gaps():
    assert m.leading_nan_only(np.array([[np.nan, 1.0], [2.0, 3.0], [4.0, 5.0]]))
    assert not m.leading_nan_only(np.array([[1.0, 1.0], [np.nan, 3.0], [4.0, 5.0]]))
    assert m.leading_nan_only(np.array([[np.nan], [np.nan]]))


def _year_end_grouped(frame: pd.DataFrame, how: str) -> list[tuple]:
    frame = frame.dropna(how="all")
    years = frame.index.year
    out = []
    for y, part in frame.groupby(years, sort=False):
        vals = part.ffill().iloc[-1] if how == "last" else part.min()
        label = fmt.date(part.index[-1]) if how == "last" else str(y)
        out.append((label, [num(v, 6) for v in vals]))
    return out[::-1]


def test_year_end_tables_by_positions_equal_a_plain_groupby(adj):
    for frame in _frames(adj):
        for how in ("last", "min"):
            t = pc.year_end_table("x", "x", frame, fmt.num, "x.csv", how=how)
            assert [(r["label"], r["raw"]) for r in t.rows] == _year_end_grouped(frame, how)


def test_period_ends_by_positions_equal_pandas_resample(adj):
    gap = adj[["QQQ", "IWM"]].dropna()
    gap = gap[(gap.index < "2020-03-01") | (gap.index >= "2020-05-01")]  # April 2020 is empty
    for frame in _frames(adj) + [gap, adj]:
        for freq in ("YE", "ME"):
            pd.testing.assert_frame_equal(m.returns._period_last(frame, freq), frame.resample(freq).last())


def test_max_drawdown_equals_the_pandas_formulation(adj):
    for frame in _frames(adj) + [adj.iloc[-91:], adj.iloc[:1]]:
        pd.testing.assert_frame_equal(m.max_drawdown(frame), _max_drawdown_reference(frame))


def test_line_svgs_from_arrays_equal_svgs_from_rows(adj):
    cs = pc.ChartSet()
    end = adj.index[-1]  # where each fund stands against its all-time high (the chart descriptions)
    pc.time_series_charts(cs, adj, ["QQQ", "SCHA"], "api/x", {t: analysis.fund_series(adj[t], end) for t in ("QQQ", "SCHA")})
    assert len(cs.charts) == 6  # growth, drawdown, rolling one-year return, relative, correlation, volatility
    for c in cs.charts:
        spec = next(iter(c.specs.values()))
        name = charts.dataset_of(spec)
        from_rows = svgplot.render(charts.standalone(spec, cs.data))
        from_columns = svgplot.render(charts.standalone(spec, None), cs.data.columns(name))
        assert from_columns == from_rows
        cols = cs.data.columns(name)
        assert len(cols["d"]) == len(cs.data.rows(name))  # the same points: dates with a value


def test_round_values_makes_integral_values_ints_and_nan_none():
    out = charts.round_values([12345.6, 0.5, float("nan"), -3.0, 1e20], "sig4")
    assert out == [12350, 0.5, None, -3, 10 ** 20]
    assert [type(v) for v in out] == [int, float, type(None), int, int]


def _window_statistics_reference(prices: pd.DataFrame, days: int) -> pd.DataFrame:
    win = prices.iloc[-(days + 1):]
    rets = m.simple_returns(win).iloc[1:]
    out = pd.DataFrame({
        "return": m.total_return(win), "volatility": m.annual_volatility(rets), "best_day": rets.max(),
        "worst_day": rets.min(), "up_days": (rets > 0).sum() / rets.notna().sum(),
        "max_drawdown": m.max_drawdown(win)["value"].astype(float)})
    out.loc[win.iloc[0].isna()] = np.nan
    return out


def test_window_statistics_without_gaps_equal_the_pandas_formulation(adj):
    for frame in [adj[["QQQ", "IWM"]].dropna(), adj.dropna(), adj[["SCHA", "SPY"]].iloc[-400:]]:
        for days in (90, 20):
            pd.testing.assert_frame_equal(m.window_statistics(frame, days), _window_statistics_reference(frame, days),
                                          check_exact=True)


def _calendar_year_drawdowns_reference(prices: pd.DataFrame) -> pd.DataFrame:
    """The pandas formulation calendar_year_drawdowns had before its numpy rewrite (issue 17)."""
    years = prices.index.year
    out = {}
    for y in pd.unique(years):
        rows = np.flatnonzero(years == y)
        block = prices.iloc[max(rows[0] - 1, 0): rows[-1] + 1]
        out[int(y)] = (block / block.cummax() - 1.0).min(skipna=True).where(prices.iloc[rows].notna().any())
    return pd.DataFrame.from_dict(out, orient="index", columns=prices.columns)


def test_calendar_year_drawdowns_equal_the_pandas_formulation(adj):
    for frame in _frames(adj) + [adj, adj.iloc[:3], adj[["SCHA"]].iloc[:2000]]:
        want, got = _calendar_year_drawdowns_reference(frame), m.calendar_year_drawdowns(frame)
        assert list(got.index) == list(want.index) and list(got.columns) == list(want.columns)
        assert np.array_equal(got.to_numpy(), want.to_numpy(), equal_nan=True)


def test_payment_schedules_by_positions_equal_the_sliced_formulation():
    """The dividend-gap check reads each payment's schedule by positions (issue 17): the same schedule as
    payment_schedule on the list cut at that payment, for every real fund."""
    from versus.metrics.returns import _distributions, _schedule, schedule_of

    divs = SnapshotSource().load(TICKERS).dividends
    for t in [c for c in divs.columns if divs[c].notna().any()]:
        d = _distributions(divs[t].dropna(), divs[t].dropna().index[-1])
        first = d.index.searchsorted(d.index - pd.DateOffset(months=24), side="right")
        got = [schedule_of(d.index.to_numpy()[first[k]: k + 1]) for k in range(len(d))]
        assert got == [_schedule(d.loc[:day], day) for day in d.index], t


# ------------------------------------------------------------- page data (issue 17): the formulations before
def _round_values_reference(values, kind: str) -> list:
    """round_values before it took blocks (a column at a time, ints and None set one by one)."""
    mode, digits = charts.ROUND[kind]
    x = np.asarray(values, dtype=float)
    ok = np.isfinite(x)
    if mode == "sig":
        with np.errstate(all="ignore"):  # a subnormal's scale overflows (as in round_values)
            mag = np.floor(np.log10(np.abs(np.where(ok & (x != 0), x, 1.0))))
            k = (mag - digits + 1).astype(int)
            up = np.power(10.0, np.maximum(k, 0))
            down = np.power(10.0, np.maximum(-k, 0))
            x = np.where(k >= 0, np.round(x / up) * up, np.round(x * down) / down)
    else:
        x = np.round(x, digits)
    out = x.tolist()
    integral = ok & (x == np.floor(x))
    small = integral & (np.abs(x) < 2.0 ** 53)
    for i, v in zip(np.flatnonzero(small).tolist(), x[small].astype(np.int64).tolist()):
        out[i] = v
    for i in np.flatnonzero(integral & ~small).tolist():
        out[i] = int(out[i])
    for i in np.flatnonzero(~ok).tolist():
        out[i] = None
    return out


def _series_reference(frames: list[tuple[str, pd.DataFrame, str, str]]) -> tuple[list, dict]:
    """PageData's dates and series before add_resampled: each frame resampled, reindexed on the first one's
    dates and rounded column by column."""
    index, series = None, {}
    for name, frame, kind, how in frames:
        frame = charts.resample(frame, how)
        if index is None:
            index = frame.index
        if not frame.index.equals(index):
            frame = frame.reindex(index)
        series[name] = {str(c): _round_values_reference(frame[c].to_numpy(dtype=float), kind) for c in frame.columns}
    dates = np.datetime_as_string(np.asarray(index.values, dtype="datetime64[D]"), unit="D").tolist()
    return dates, series


def _same_values(a: list, b: list) -> bool:
    """Equal lists with equal types (NaN equals NaN)."""
    return len(a) == len(b) and all(type(x) is type(y) and (x == y or x != x and y != y) for x, y in zip(a, b))


def test_round_values_of_a_block_equal_the_column_by_column_formulation():
    rng = np.random.default_rng(3)
    values = np.r_[rng.normal(0, 1, 500), rng.normal(0, 1e4, 500), rng.integers(-5, 5, 50),
                   [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e17, -3e18, 123456789.0, 1e300, 5e-324, 5e-5, -5e-5, 0.5]]
    for kind in charts.ROUND:
        with np.errstate(all="ignore"):
            assert _same_values(charts.round_values(values, kind), _round_values_reference(values, kind)), kind
            ints = values[500:1000]  # all integral once rounded to 4 significant digits (or 4 decimals): -0.0 too
            ints = np.r_[np.round(ints[np.abs(ints) >= 1000]), -0.0, 0.0]
            assert _same_values(charts.round_values(ints, kind), _round_values_reference(ints, kind)), kind
            block = values[-1000:].reshape(-1, 2)  # a page's columns, rounded at once
            got = charts.round_values(block, kind)
        assert len(got) == len(block)
        assert all(_same_values(g, _round_values_reference(r, kind)) for g, r in zip(got, block)), kind


def test_page_data_from_positions_equals_the_resampled_frames(adj):
    """add_resampled (positions, datetime64 dates, alignment by positions) gives the dates and series the
    resampled frames gave, on the real closes cut at several dates: series on the first one's dates, on a day
    fewer (the returns' series), on a later start (a rolling window), and one with a hole inside (grouped)."""
    joint = adj[["QQQ", "SCHA"]].dropna()
    for end in ("2010-01-15", "2016-02-29", "2020-03-23", None):
        cut = joint.loc[:end] if end else joint
        g = 10_000 * cut / cut.iloc[0]
        dd = cut / cut.cummax() - 1
        rets = cut.pct_change().iloc[1:]
        vol = rets.rolling(90).std()
        holed = g.copy()
        holed.iloc[len(holed) // 2: len(holed) // 2 + 5, 1] = np.nan
        frames = [("growth", g, "sig4", "last"), ("drawdown", dd, "frac3", "min"), ("returns", rets, "pct", "last"),
                  ("volatility", vol, "frac3", "last"), ("late", g.iloc[300:], "sig4", "last"),
                  ("holed", holed, "sig4", "last"), ("ends", vol.dropna().iloc[:-40], "corr", "last")]
        page = charts.PageData()
        for name, frame, kind, how in frames:
            page.add_resampled(name, frame, kind, how)
        dates, series = _series_reference(frames)
        assert page.dates == dates, end
        assert list(page.series) == list(series)
        for name in series:
            assert list(page.series[name]) == list(series[name]), (end, name)
            for col in series[name]:
                assert _same_values(page.series[name][col], series[name][col]), (end, name, col)
            for col, got in page._float_columns(name).items():  # kept floats: the lists' (SVG, CSV)
                want = np.array(series[name][col], dtype=float)
                assert np.array_equal(got, want, equal_nan=True), (end, name, col)
                assert np.array_equal(np.signbit(got), np.signbit(want)), (end, name, col)
        idx = pd.DatetimeIndex(page.dates)  # the JSON's date steps, as pandas counts them
        assert page.to_json()["d"]["steps"] == [int(x) for x in (idx[1:] - idx[:-1]).days]


def test_pct_is_its_first_definition():
    """fmt.pct with its checks inline and its format specs kept (issue 17: ~400 calls a page) gives what
    ``_ok`` + an f-string + ``_signed`` gave, for every kind of value a page formats."""
    import random

    import numpy as np

    from versus import fmt

    def reference(x, digits=1, sign=False):
        if not fmt._ok(x):
            return fmt.DASH
        return fmt._signed(f"{x * 100:{'+' if sign else ''}.{digits}f}") + "%"

    rnd = random.Random(3)
    values = [None, float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1e-9, -1e-9, -0.0004, 0.0004, -0.0005,
              -0.00051, 3, -2, True, np.float64(-1e-5), np.float64("nan"), np.float32(0.25), np.int64(-3)]
    values += [rnd.uniform(-2, 2) * 10 ** rnd.randint(-8, 3) for _ in range(3000)]
    for x in values:
        for digits in (0, 1, 2):
            for sign in (False, True):
                assert fmt.pct(x, digits, sign) == reference(x, digits, sign), (x, digits, sign)


def _polyline_reference(xs, ys) -> tuple[str, list]:
    """svgplot.polyline as written before issue 17's round 21 (numpy's Python-level helpers, a run search always):
    the same three steps, kept here to check the leaner one against."""
    from versus.charts.svgplot import canvas as cv

    def m4(x, y):
        col = np.floor(x).astype(np.int64)
        n = len(x)
        d = col[1:] - col[:-1]
        if (d < 0).any():
            by_val = np.lexsort((y, col))
            sorted_col = col[by_val]
            gstart = np.flatnonzero(np.concatenate([[True], sorted_col[1:] != sorted_col[:-1]]))
            gend = np.concatenate([gstart[1:], [n]]) - 1
            return np.unique(np.concatenate([[0, n - 1], by_val[gstart], by_val[gend]]))
        starts = np.flatnonzero(d)
        if 2 * len(starts) + 2 >= n:
            return None
        starts = np.concatenate([[0], starts + 1])
        gid = np.repeat(np.arange(len(starts)), np.concatenate([starts[1:], [n]]) - starts)
        pos = np.arange(n)
        lo = np.minimum.reduceat(np.where(y == np.minimum.reduceat(y, starts)[gid], pos, n), starts)
        hi = np.minimum.reduceat(np.where(y == np.maximum.reduceat(y, starts)[gid], pos, n), starts)
        idx = np.column_stack([np.minimum(lo, hi), np.maximum(lo, hi)]).ravel()
        new = np.ones(len(idx), dtype=bool)
        new[1:] = idx[1:] != idx[:-1]
        idx = idx[new]
        if idx[0] != 0:
            idx = np.concatenate([[0], idx])
        if idx[-1] != n - 1:
            idx = np.concatenate([idx, [n - 1]])
        return idx

    def thin(x, y, tol=cv.THIN, passes=cv.PASSES):
        tol2 = tol * tol
        for _ in range(passes):
            n0 = len(x)
            for first in (1, 2):
                m = (len(x) - first) // 2
                if m < 1:
                    break
                ax, ay = x[first - 1:first - 1 + 2 * m:2], y[first - 1:first - 1 + 2 * m:2]
                acx, acy = x[first + 1:first + 1 + 2 * m:2] - ax, y[first + 1:first + 1 + 2 * m:2] - ay
                cross = acx * (y[first:first + 2 * m:2] - ay) - acy * (x[first:first + 2 * m:2] - ax)
                near = cross * cross <= tol2 * (acx * acx + acy * acy)
                if near.any():
                    keep = np.ones(len(x), dtype=bool)
                    keep[first:first + 2 * m:2] = ~near
                    x, y = x[keep], y[keep]
            if len(x) == n0:
                break
        return x, y

    def steps(ix, iy):
        dx, dy = ix[1:] - ix[:-1], iy[1:] - iy[:-1]
        moved = (dx != 0) | (dy != 0)
        dx, dy = dx[moved], dy[moved]
        head = f"M{int(ix[0])},{int(iy[0])}l"
        if not len(dx):
            return head + "0 0"
        if len(dx) > 1:
            straight = (dx[:-1] * dy[1:] == dy[:-1] * dx[1:]) & (dx[:-1] * dx[1:] + dy[:-1] * dy[1:] > 0)
            if straight.any():
                run = np.concatenate([[0], np.cumsum(~straight)])
                dx, dy = np.bincount(run, dx).astype(np.int64), np.bincount(run, dy).astype(np.int64)
        d = np.column_stack([dx, dy]).ravel()
        body = "".join(str(v) if v < 0 else f" {v}" for v in d.tolist())
        return head + (body[1:] if body[0] == " " else body)

    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    parts, lone = [], []
    if not ok.any():
        return "", lone
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    for a, b in zip(edges[::2].tolist(), edges[1::2].tolist()):
        rx, ry = x[a:b], y[a:b]
        if b - a == 1:
            lone.append((float(rx[0]), float(ry[0])))
            continue
        keep = m4(rx / cv.COLUMN, ry)
        if keep is not None:
            rx, ry = rx[keep], ry[keep]
        rx, ry = thin(rx, ry)
        parts.append(steps(np.rint(rx).astype(np.int64), np.rint(ry).astype(np.int64)))
    return "".join(parts), lone


def _real_lines(adj) -> list[tuple[np.ndarray, np.ndarray]]:
    """Real lines (daily and weekly, with leading gaps and holes, a lone point, flat stretches, x out of
    order) in pixels, at a page chart's and a card's sizes."""
    lines = []
    for frame in _frames(adj) + [adj[["QQQ"]].iloc[::5], adj[["SCHA"]].iloc[-400:]]:
        days = np.array([d.toordinal() for d in frame.index], dtype=float)
        for col in frame.columns:
            v = frame[col].to_numpy(float)
            lines.append((days, v))
    flat = lines[0][1].copy()
    flat[100:400] = flat[100]  # a stretch without change: equal values in a column
    lines.append((lines[0][0], flat))
    lone = lines[0][1].copy()
    lone[50], lone[52] = np.nan, np.nan  # a point between two gaps
    lines.append((lines[0][0], lone))
    shuffled = np.random.default_rng(3).permutation(len(lines[0][0]))
    lines.append((lines[0][0][shuffled], lines[0][1][shuffled]))  # x not in order
    out = []
    for width, height in ((700.0, 300.0), (1020.0, 330.0), (300.0, 120.0)):
        for days, v in lines:
            ok = np.isfinite(v)
            x = 60 + (days - days.min()) / (days.max() - days.min()) * width
            lo, hi = np.nanmin(v[ok]), np.nanmax(v[ok])
            out.append((x, 20 + height - (v - lo) / (hi - lo) * height))
    return out


def test_polyline_equals_its_reference_formulation_on_real_series(adj):
    """The path data of real lines is the reference's, character for character."""
    for x, y in _real_lines(adj):
        assert svgplot.polyline(x, y) == _polyline_reference(x, y)


def test_polylines_equal_polyline_line_by_line(adj):
    """All lines in one pass (runs end to end) give each line's own path and lone points: real lines in
    batches of one, two, a page's few and all, with empty, all-missing, two-point and lone-point lines
    among them (and a batch with a line out of order, drawn one by one)."""
    lines = [line for line in _real_lines(adj) if (np.diff(line[0]) >= 0).all()]
    odd = [(np.arange(0.0), np.arange(0.0)), (np.arange(3.0), np.full(3, np.nan)), (np.arange(2.0), np.array([1.0, 1.0])),
           (np.arange(5.0) * 90, np.array([1.0, np.nan, 2.0, 3.0, np.nan])), (np.arange(4.0), [np.inf, 2.0, None, 2.0])]
    lines = odd[:2] + lines[:7] + odd[2:] + lines[7:]
    for k in (1, 2, 5, len(lines)):
        for i in range(0, len(lines), k):
            batch = lines[i:i + k]
            assert svgplot.polylines(batch) == [svgplot.polyline(x, y) for x, y in batch]
    shuffled = _real_lines(adj)  # x out of order in one of them
    assert svgplot.polylines(shuffled) == [svgplot.polyline(x, y) for x, y in shuffled]
    assert svgplot.polylines([]) == []


def test_a_pages_svgs_drawn_together_equal_each_drawn_alone(adj):
    """ChartSet.svgs (every chart's lines traced in one pass) gives each chart's own SVG, byte for byte: pairs
    at several dates, a short history and a fund with a hole."""
    holed = adj[["QQQ", "SCHA"]].copy()
    holed.iloc[-300:-290, 1] = np.nan
    for frame in (adj[["QQQ", "SCHA"]], adj[["QQQ", "SCHA"]].iloc[:-700], adj[["SPY", "IWM"]].iloc[-150:], holed):
        frame = frame.dropna(how="all")
        tickers = list(frame.columns)
        cs = pc.ChartSet()
        end = frame.index[-1]
        pc.time_series_charts(cs, frame, tickers, "api/x", {t: analysis.fund_series(frame[t].dropna(), end)
                                                            for t in tickers})
        together = cs.svgs()
        assert len(together) == len(cs.charts) >= 5
        assert together == [cs.svg_of(c) for c in cs.charts]

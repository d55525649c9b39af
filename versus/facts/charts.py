"""The sentences that describe the time-series charts (each chart's finding in words: its caption, its
``aria-label`` and the SVG's ``<desc>``).  Every number comes from :mod:`versus.analysis.series` or the
fund sections; this module only words and formats it, and records each sentence's claims.

Calendar, seasonality, fund-page and holdings descriptions: :mod:`.calendar`."""
from __future__ import annotations

from .. import fmt
from .model import Statement
from .verdict import below_high, figure, grew, sign


def span(start, end) -> str:
    return f"{fmt.date(start)} to {fmt.date(end)}"


def _one_day(c) -> bool:
    return c.start == c.end


def growth(c) -> Statement:
    """What $10,000 became in each fund ("grew to" only for a gain)."""
    if _one_day(c):
        return Statement("chart:growth", f"Growth of $10,000 from {fmt.date(c.start)}: the funds have one common "
                         f"day of prices so far, so nothing has grown or fallen yet.")
    claims = []
    parts = []
    for t, v in c.growth_ends.items():
        verb = grew(v, 10_000)
        parts.append(f"{t} {verb} {fmt.money(v)}")
        claims += [sign(round(v) - 10_000, verb), figure(v, fmt.money(v))]
    return Statement("chart:growth", f"Growth of $10,000 invested on {fmt.date(c.start)}, to {fmt.date(c.end)}: "
                     + ", ".join(parts) + ".", [], claims)


def _below(t: str, now: dict | None, ref: str) -> tuple[str, list[dict]]:
    """Where a fund stands against its all-time high (its whole history, as on its own page)."""
    if not now or now.get("value") is None:
        return f"{t}'s all-time high is not known", []
    where, shown = below_high(now["value"])
    if where == "at":
        return f"{t} is at its all-time high", [sign(now["value"], "at its all-time high", ref)]
    claims = [sign(now["value"], "below its all-time high", ref)] + ([figure(-now["value"], shown)] if shown else [])
    return f"{t} is {where} its all-time high (of {fmt.date(now['peak'])})", claims


def drawdown(c, funds: dict) -> Statement:
    """The deepest fall of each fund on the chart (since the first common day) and, from the fund sections,
    how far each is below its all-time high on the last day."""
    claims, parts = [], []
    for t, v in c.worst.items():
        if v == 0:
            parts.append(f"{t} did not fall below a previous high")
            continue
        if fmt.shown(v) == 0:
            parts.append(f"{t} fell less than 0.1% below a previous high")
            claims.append(sign(v, "fell less than"))
            continue
        parts.append(f"{t} fell as far as {fmt.pct(v)} (on {fmt.date(c.worst_on[t])})")
        claims += [sign(v, "fell as far as"), figure(v, fmt.pct(v))]
    below = []
    for t in c.tickers:
        words, more = _below(t, funds[t].get("drawdown_now"), f"funds.{t}.drawdown_now.value")
        below.append(words)
        claims += more
    return Statement("chart:drawdown", f"Drawdown from the previous high, {span(c.start, c.end)} (the days "
                     f"{'both funds' if len(c.tickers) == 2 else 'all the funds'} trade): " + ", ".join(parts)
                     + ". On " + fmt.date(c.end) + ", " + ", ".join(below) + ".", [], claims)


def trend_words(reg: dict) -> str:
    if reg["above"] is None:
        return "not enough history for a 200-day average"
    pos = "above" if reg["above"] else "below"
    if reg["rising"] is None:
        return f"{pos} its 200-day average"
    if fmt.shown(reg["change"]) == 0:
        return f"{pos} its 200-day average and flat"
    return f"{pos} its 200-day average and {'rising' if reg['rising'] else 'falling'}"


def relative_note(rel) -> str:
    """The regime note in the chart's corner."""
    return f"Now: {trend_words(rel.regime)}"


def relative(c, o: str, trend_days: int) -> Statement:
    base, rel = c.tickers[0], c.relative[o]
    reg = rel.regime
    if fmt.shown(rel.lead) == 0:
        where, claims = f"level with the same money in {o}", [sign(fmt.shown(rel.lead), "level with")]
    else:
        word = "ahead of" if rel.lead > 0 else "behind"
        where = f"{fmt.pct(abs(rel.lead))} {word} the same money in {o}"
        claims = [sign(rel.lead, word), figure(abs(rel.lead), fmt.pct(abs(rel.lead)))]
    if reg["average"] is not None:
        claims.append(sign(reg["value"] - reg["average"], "above" if reg["above"] else "below"))
    if reg["change"] is not None and reg["average"] is not None:
        claims.append(sign(reg["change"] if fmt.shown(reg["change"]) else 0,
                           "rising" if fmt.shown(reg["change"]) > 0 else "falling" if fmt.shown(reg["change"]) < 0
                           else "flat"))
    text = (f"Relative strength of {base} against {o} (ratio of their total-return prices, 1 on {fmt.date(c.start)}): "
            f"{fmt.num(rel.ratio.iloc[-1])} on {fmt.date(c.end)}: money in {base} ended {where}. "
            f"The ratio is {trend_words(reg)}"
            + (f" ({fmt.num(reg['average'])}; {fmt.pct(reg['change'], sign=True)} over {trend_days} trading days)."
               if reg["average"] is not None and reg["change"] is not None else "."))
    return Statement(f"chart:relative-{o.lower()}", text, [], claims)


def correlation(c, days: int) -> Statement:
    base, parts, claims = c.tickers[0], [], []
    for col, s in c.correlation_stats.items():
        if s is None:
            parts.append(f"{base}–{col}: fewer than {days} common trading days, no value yet")
            continue
        parts.append(f"{base}–{col} {fmt.num(s['now'])} now (lowest {fmt.num(s['min'])} on {fmt.date(s['min_on'])}, "
                     f"average {fmt.num(s['mean'])})")
        claims += [figure(s[k], fmt.num(s[k])) for k in ("now", "min", "mean")]
        claims.append({"kind": "bounds", "low": s["min"], "values": [s["now"], s["mean"]]})
    return Statement("chart:correlation", f"Correlation of daily returns over the previous {days} trading days, "
                     f"{span(c.start, c.end)}: " + "; ".join(parts) + ".", [], claims)


def volatility(c, days: int) -> Statement:
    lead = c.most_volatile
    if lead is None:
        return Statement("chart:volatility", f"Annualized volatility of daily returns over the previous {days} "
                         f"trading days: fewer than {days} common trading days, no value yet.")
    now = list(c.volatility_now.items())
    claims = [figure(v, fmt.pct(v)) for _, v in now]
    claims.append({"kind": "order", "values": dict(now), "order": [t for t, _ in now], "higher_first": True})
    text = (f"Annualized volatility of daily returns over the previous {days} trading days: now "
            + ", ".join(f"{t} {fmt.pct(v)}" for t, v in now))
    if len(c.tickers) > 1:
        text += (f". {lead['ticker']} was the most volatile on {fmt.pct(lead['share'], 0)} of days since "
                 f"{fmt.date(lead['since'])}")
        claims.append(figure(lead["share"], fmt.pct(lead["share"], 0)))
    return Statement("chart:volatility", text + ".", [], claims)


def rolling_return(r) -> Statement:
    """The rolling one-year return (:class:`versus.analysis.series.Rolling`): where each fund stands now, its
    best and worst year, and how often the first fund's beat each other one's."""
    head = "Total return over the previous 12 months, at each day"
    if any(r.stats[t] is None for t in r.tickers):
        return Statement("chart:rolling_return", f"{head}: less than a year of history, no value yet.")
    st = r.stats
    claims = [figure(st[t][k], fmt.pct(st[t][k])) for t in r.tickers for k in ("now", "max", "min")]
    claims += [{"kind": "bounds", "low": st[t]["min"], "high": st[t]["max"], "values": [st[t]["now"]]}
               for t in r.tickers]  # the best and worst year bound where it stands now
    text = (f"{head} from {fmt.date(st[r.tickers[0]]['since'])} to {fmt.date(r.end)}: now "
            + ", ".join(f"{t} {fmt.pct(st[t]['now'])}" for t in r.tickers) + ". "
            + "; ".join(f"{t}'s best {fmt.pct(st[t]['max'])} (year to "
                        f"{fmt.date(st[t]['max_on'])}), worst {fmt.pct(st[t]['min'])} (year to "
                        f"{fmt.date(st[t]['min_on'])})" for t in r.tickers) + ".")
    led = [f"{o}'s in {fmt.pct(share, 0)}" for o, share in r.ahead.items() if share is not None]
    claims += [{"kind": "share", "funds": [r.tickers[0], o], "value": share, "count": r.windows[o][0],
                "of": r.windows[o][1], "shown": fmt.pct(share, 0), "words": "beat"}
               for o, share in r.ahead.items() if share is not None]
    if led:
        text += f" {r.tickers[0]}'s one-year return beat " + ", ".join(led) + " of these one-year windows."
    return Statement("chart:rolling_return", text, [], claims)

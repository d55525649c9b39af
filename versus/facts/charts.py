"""The sentences that describe the charts and tables (each chart's finding in words: its caption, its
``aria-label`` and the SVG's ``<desc>``).  Every number comes from :mod:`versus.analysis.series` or
:mod:`versus.analysis.holdings`; this module only words and formats it."""
from __future__ import annotations

from .. import fmt
from ..data.funds import TAXONOMY_NAMES
from ..util import MONTH_NAMES
from .group import group_facts


def span(start, end) -> str:
    return f"{fmt.date(start)} to {fmt.date(end)}"


def growth(c) -> str:
    return (f"Growth of $10,000 invested on {fmt.date(c.start)}, to {fmt.date(c.end)}: "
            + ", ".join(f"{t} grew to {fmt.money(v)}" for t, v in c.growth_ends.items()) + ".")


def drawdown(c) -> str:
    return (f"Drawdown from the previous high, {span(c.start, c.end)}: "
            + ", ".join(f"{t} fell as far as {fmt.pct(v)} (on {fmt.date(c.worst_on[t])})" for t, v in c.worst.items())
            + ". " + ", ".join(f"{t} is {fmt.pct(-c.below[t])} below its high" if c.below[t] < 0
                               else f"{t} is at a new high" for t in c.tickers) + f" on {fmt.date(c.end)}.")


def trend_words(reg: dict) -> str:
    if reg["above"] is None:
        return "not enough history for a 200-day average"
    pos = "above" if reg["above"] else "below"
    if reg["rising"] is None:
        return f"{pos} its 200-day average"
    return f"{pos} its 200-day average and {'rising' if reg['rising'] else 'falling'}"


def relative_note(rel) -> str:
    """The regime note in the chart's corner."""
    return f"Now: {trend_words(rel.regime)}"


def relative(c, o: str, trend_days: int) -> str:
    base, rel = c.tickers[0], c.relative[o]
    reg = rel.regime
    return (f"Relative strength of {base} against {o} (ratio of their total-return prices, 1 on {fmt.date(c.start)}): "
            f"{fmt.num(rel.ratio.iloc[-1])} on {fmt.date(c.end)}: money in {base} ended "
            f"{fmt.pct(abs(rel.lead))} {'ahead of' if rel.lead >= 0 else 'behind'} the same money in {o}. "
            f"The ratio is {trend_words(reg)}"
            + (f" ({fmt.num(reg['average'])}; {fmt.pct(reg['change'], sign=True)} over {trend_days} trading days)."
               if reg["average"] is not None and reg["change"] is not None else "."))


def correlation(c, days: int) -> str:
    base, parts = c.tickers[0], []
    for col, s in c.correlation_stats.items():
        if s is None:
            parts.append(f"{base}–{col}: fewer than {days} common trading days, no value yet")
            continue
        parts.append(f"{base}–{col} {fmt.num(s['now'])} now (lowest {fmt.num(s['min'])} on {fmt.date(s['min_on'])}, "
                     f"average {fmt.num(s['mean'])})")
    return (f"Correlation of daily returns over the previous {days} trading days, {span(c.start, c.end)}: "
            + "; ".join(parts) + ".")


def rolling_return(r) -> str:
    """The rolling one-year return (:class:`versus.analysis.series.Rolling`): where each fund stands now, its
    best and worst year, and how often the first fund's beat each other one's."""
    head = "Total return over the previous 12 months, at each day"
    if any(r.stats[t] is None for t in r.tickers):
        return f"{head}: less than a year of history, no value yet."
    st = r.stats
    text = (f"{head} from {fmt.date(st[r.tickers[0]]['since'])} to {fmt.date(r.end)}: now "
            + ", ".join(f"{t} {fmt.pct(st[t]['now'])}" for t in r.tickers) + ". "
            + "; ".join(f"{t}'s best {fmt.pct(st[t]['max'])} (year to "
                        f"{fmt.date(st[t]['max_on'])}), worst {fmt.pct(st[t]['min'])} (year to "
                        f"{fmt.date(st[t]['min_on'])})" for t in r.tickers) + ".")
    led = [f"{o}'s in {fmt.pct(share, 0)}" for o, share in r.ahead.items() if share is not None]
    if led:
        text += f" {r.tickers[0]}'s one-year return beat " + ", ".join(led) + " of these one-year windows."
    return text


def volatility(c, days: int) -> str:
    lead = c.most_volatile
    if lead is None:
        return (f"Annualized volatility of daily returns over the previous {days} trading days: "
                f"fewer than {days} common trading days, no value yet.")
    return (f"Annualized volatility of daily returns over the previous {days} trading days: now "
            + ", ".join(f"{t} {fmt.pct(v)}" for t, v in c.volatility_now.items())
            + (f". {lead['ticker']} was the most volatile on {fmt.pct(lead['share'], 0)} of days since "
               f"{fmt.date(lead['since'])}." if len(c.tickers) > 1 else "."))


def calendar(cal, tickers: list[str]) -> str:
    s = cal.summary
    if cal.full.empty:
        return "Total return per calendar year; no full calendar year yet, so only part-years are shown."
    if len(tickers) == 1:
        t = tickers[0]
        return (f"{t}'s total return per calendar year: best {s['best']} ({fmt.pct(s['best_value'])}), worst "
                f"{s['worst']} ({fmt.pct(s['worst_value'])}); {s['positive']} of {s['years']} full years were positive.")
    if len(tickers) == 2:
        a, b = tickers
        return (f"Total return per calendar year: {a} beat {b} in {s['wins']} of {s['years']} full calendar years. "
                f"The widest gap was {s['widest']}: {a} {fmt.pct(s['widest_a'])}, {b} {fmt.pct(s['widest_b'])}.")
    return ("Total return per calendar year. Best of the group most often: "
            + ", ".join(f"{t} in {n} of {s['years']} years" for t, n in s["leaders"].items()) + ".")


def years_by_month(counts) -> str:
    """How many years each calendar month's average covers, truly: "over 26 years" when every month has 26,
    "over 26 years (27 for June and July)" when a few months have one more, else "over 16 to 17 years,
    depending on the month"."""
    by_month = {i + 1: int(c) for i, c in enumerate(counts) if c == c and c > 0}
    values = sorted(set(by_month.values()))
    if len(values) == 1:
        return f"over {values[0]} year{'s' if values[0] != 1 else ''}"
    common = max(values, key=lambda v: (sum(1 for c in by_month.values() if c == v), v))
    others = [mo for mo, c in by_month.items() if c != common]
    if len(values) == 2 and len(others) <= 4:
        names = [MONTH_NAMES[mo - 1] for mo in others]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"over {common} years ({by_month[others[0]]} for {listed})"
    return f"over {values[0]} to {values[-1]} years, depending on the month"


def seasonality(seas: dict, base: str, o: str, russell: bool) -> str:
    if seas["empty"]:
        return f"Average monthly return of {base} minus {o}: no full calendar month of common history yet."
    hi, lo = seas["best"], seas["worst"]
    return (f"Average monthly return of {base} minus {o}, by calendar month, {years_by_month(seas['by_fund'][o]['count'])}: "
            f"{base} did best against {o} in {MONTH_NAMES[hi - 1]} ({fmt.pct(seas['best_mean'], 1, sign=True)} on "
            f"average, ahead in {fmt.pct(seas['best_wins'], 0)} of years) and worst in {MONTH_NAMES[lo - 1]} "
            f"({fmt.pct(seas['worst_mean'], 1, sign=True)}, ahead in {fmt.pct(seas['worst_wins'], 0)})"
            + (f"; June, when the Russell indexes are reconstituted, averaged {fmt.pct(seas['june'], 1, sign=True)}."
               if russell else "."))


def price(t: str, p: dict) -> str:
    kind = ("dividend-adjusted closing price (no unadjusted close in the data)" if p["adjusted"]
            else "closing price")
    s = p["series"]
    return (f"{t}'s {kind} from {fmt.date(s.index[0])} to {fmt.date(s.index[-1])}: from {fmt.money(p['first'], 2)} "
            f"to {fmt.money(p['last'], 2)}, highest {fmt.money(p['max'], 2)} on {fmt.date(p['max_on'])}.")


def fund_drawdown(t: str, d: dict) -> str:
    return (f"{t}'s drawdown from its previous high (total return), {span(d['start'], d['end'])}: "
            f"deepest {fmt.pct(d['min'])} on {fmt.date(d['min_on'])}; {fmt.pct(-d['now'])} below its high "
            f"on {fmt.date(d['end'])}.")


def dividends(t: str, d: dict, labels: list[str]) -> str:
    full, per_year = d["full"], d["per_year"]
    if full.empty:  # only the current, partial year so far
        return f"{t}'s cash dividends per share so far in {labels[-1]}: {fmt.money(per_year.iloc[-1], 2)}."
    return (f"{t}'s cash dividends per share by calendar year, {labels[0]} to {labels[-1]}: "
            f"{fmt.money(full.iloc[-1], 2)} in {full.index[-1]}"
            + (f", against {fmt.money(full.iloc[-11], 2)} ten years earlier" if len(full) > 10 else "") + ".")


def observed(fact) -> str:
    """An observation's date as a caption says it: 'as of Nov 2025', 'observed 27 Sep 2026, after this date'."""
    when = fmt.observed(fact.as_of)
    if fact.after:
        return f"observed {when}, after this date"
    return f"as of {when}" + (", over a year old" if fact.old else "")


def sectors(sec: dict) -> str:
    taxonomy, chosen = TAXONOMY_NAMES[sec["taxonomy"]], sec["chosen"]
    tops = [f"{t}: {name} {fmt.pct(weight, 0)} ({observed(chosen[t])})" for t, (name, weight) in sec["largest"].items()]
    return (f"Sector weights side by side, in {taxonomy}. Largest sector " + "; ".join(tops) + "."
            + "".join(f" {t}'s breakdown is only in {TAXONOMY_NAMES[tx]}, which do not line up with "
                      f"{taxonomy}, so it is not shown here." for t, tx in sorted(sec["other"].items()))
            + (f" No sector breakdown is published in our data for {', '.join(sec['missing'])}."
               if sec["missing"] else ""))


def top_holdings(t: str, share: float, count) -> str:
    """The line under a fund's top-10 table ('' when fewer than ten holdings are known)."""
    if share != share:  # NaN: fewer than ten known
        return ""
    return f"The 10 largest of {fmt.count(count) if count else 'its'} holdings make up {fmt.pct(share)} of {t}."


def group_summary(tickers: list[str], funds: dict) -> str:
    """One sentence per horizon naming the best and worst fund of a group (1 and 5 years), and the cheapest."""
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
        fee = next(f for f in group_facts(tickers, funds) if f.id == "cheaper_fund")
        v = fee.values  # expense ratios dated far apart, later than the page or old: see the fund facts table
        if v["comparable"] and not v["observed_after"] and not v["observed_old"]:
            cheap = fee.values["cheaper"]
            parts.append(f"{cheap} is the cheapest to hold ({fmt.pct(ers[cheap], 2)} a year).")
    return " ".join(parts)

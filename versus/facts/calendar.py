"""The sentences describing the calendar charts (years, seasonality), the fund page's charts (price,
drawdown, dividends), the holdings tables and a group's summary, each with its claims."""
from __future__ import annotations

from .. import fmt
from ..analysis.arrays import columns_of
from ..data.funds import TAXONOMY_NAMES
from ..util import MONTH_NAMES
from .group import group_facts
from .model import Statement
from .verdict import below_high, figure, horizon, names, rank, sign, tied


def calendar(cal, tickers: list[str]) -> Statement:
    s = cal.summary
    if cal.full.empty:
        return Statement("chart:years", "Total return per calendar year; no full calendar year yet, so only "
                         "part-years are shown.")
    if len(tickers) == 1:
        t = tickers[0]
        rows = dict(zip(map(str, cal.full.index.tolist()), columns_of(cal.full, tickers)[:, 0].tolist()))
        return Statement("chart:years", f"{t}'s total return per calendar year: best {s['best']} "
                         f"({fmt.pct(s['best_value'])}), worst {s['worst']} ({fmt.pct(s['worst_value'])}); "
                         f"{s['positive']} of {s['years']} full years were positive.", [],
                         [{"kind": "extremes", "values": rows, "best": str(s["best"]), "worst": str(s["worst"])},
                          {"kind": "tally", "test": "positive", "rows": {y: [v] for y, v in rows.items()},
                           "count": s["positive"], "of": s["years"]}])
    if len(tickers) == 2:
        a, b = tickers
        values = columns_of(cal.full, tickers)
        rows = {str(y): [va, vb] for y, va, vb in zip(cal.full.index.tolist(), values[:, 0].tolist(),
                                                      values[:, 1].tolist())}
        return Statement("chart:years", f"Total return per calendar year: {a} beat {b} in {s['wins']} of "
                         f"{s['years']} full calendar years. The widest gap was {s['widest']}: {a} "
                         f"{fmt.pct(s['widest_a'])}, {b} {fmt.pct(s['widest_b'])}.", [],
                         [{"kind": "tally", "test": "first_higher", "rows": rows, "count": s["wins"], "of": s["years"]},
                          {"kind": "widest", "rows": rows, "year": str(s["widest"])}])
    leaders = {t: int(n) for t, n in s["leaders"].items()}
    cols = list(cal.full.columns)
    rows = {str(y): dict(zip(cols, r)) for y, r in zip(cal.full.index, cal.full.to_numpy(dtype=float).tolist())}
    return Statement("chart:years", "Total return per calendar year. Best of the group most often: "
                     + ", ".join(f"{t} in {n} of {s['years']} years" for t, n in leaders.items()) + ".", [],
                     [{"kind": "leaders", "rows": rows, "counts": leaders}])


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


def seasonality(seas: dict, base: str, o: str, russell: bool) -> Statement:
    if seas["empty"]:
        return Statement("chart:months", f"Average monthly return of {base} minus {o}: no full calendar month of "
                         f"common history yet.")
    hi, lo = seas["best"], seas["worst"]
    means = {MONTH_NAMES[i]: float(v) for i, v in enumerate(seas["by_fund"][o]["mean"]) if v == v}
    claims = [{"kind": "extremes", "values": means, "best": MONTH_NAMES[hi - 1], "worst": MONTH_NAMES[lo - 1]},
              figure(seas["best_mean"], fmt.pct(seas["best_mean"], 1, sign=True)),
              figure(seas["worst_mean"], fmt.pct(seas["worst_mean"], 1, sign=True))]
    return Statement("chart:months", (
        f"Average monthly return of {base} minus {o}, by calendar month, {years_by_month(seas['by_fund'][o]['count'])}: "
        f"{base} did best against {o} in {MONTH_NAMES[hi - 1]} ({fmt.pct(seas['best_mean'], 1, sign=True)} on "
        f"average, ahead in {fmt.pct(seas['best_wins'], 0)} of years) and worst in {MONTH_NAMES[lo - 1]} "
        f"({fmt.pct(seas['worst_mean'], 1, sign=True)}, ahead in {fmt.pct(seas['worst_wins'], 0)})"
        + (f"; June, when the Russell indexes are reconstituted, averaged {fmt.pct(seas['june'], 1, sign=True)}."
           if russell else ".")), [], claims)


def price(t: str, p: dict) -> Statement:
    kind = ("dividend-adjusted closing price (no unadjusted close in the data)" if p["adjusted"]
            else "closing price")
    s = p["series"]
    return Statement("chart:price", f"{t}'s {kind} from {fmt.date(s.index[0])} to {fmt.date(s.index[-1])}: from "
                     f"{fmt.money(p['first'], 2)} to {fmt.money(p['last'], 2)}, highest {fmt.money(p['max'], 2)} on "
                     f"{fmt.date(p['max_on'])}.", [],
                     [{"kind": "bounds", "high": p["max"], "values": [p["first"], p["last"]]}])


def fund_drawdown(t: str, d: dict) -> Statement:
    """The fund's deepest fall over its whole history, and how far below its all-time high it is now."""
    if d["min"] == 0:
        deepest, claims = "it has not fallen below a previous high", []
    else:
        deepest = f"deepest {fmt.pct(d['min'])} on {fmt.date(d['min_on'])}"
        claims = [sign(d["min"], "deepest"), figure(d["min"], fmt.pct(d["min"]))]
    where, _ = below_high(d["now"])
    if where == "at":
        claims.append(sign(d["now"], "at its all-time high", f"funds.{t}.drawdown_now.value"))
    else:
        claims.append(sign(d["now"], "below its all-time high", f"funds.{t}.drawdown_now.value"))
    return Statement("chart:drawdown", f"{t}'s drawdown from its previous high (total return), "
                     f"{fmt.date(d['start'])} to {fmt.date(d['end'])}: {deepest}; {where} its all-time high on "
                     f"{fmt.date(d['end'])}.", [], claims)


def dividends(t: str, d: dict, labels: list[str]) -> Statement:
    full, per_year = d["full"], d["per_year"]
    if full.empty:  # only the current, partial year so far
        return Statement("chart:dividends", f"{t}'s cash dividends per share so far in {labels[-1]}: "
                         f"{fmt.money(per_year.iloc[-1], 2)}.")
    return Statement("chart:dividends", f"{t}'s cash dividends per share by calendar year, {labels[0]} to "
                     f"{labels[-1]}: {fmt.money(full.iloc[-1], 2)} in {full.index[-1]}"
                     + (f", against {fmt.money(full.iloc[-11], 2)} ten years earlier" if len(full) > 10 else "")
                     + ".")


def observed(fact) -> str:
    """An observation's date as a caption says it: 'as of Nov 2025', 'observed 27 Sep 2026, after this date'."""
    when = fmt.observed(fact.as_of)
    if fact.after:
        return f"observed {when}, after this date"
    return f"as of {when}" + (", over a year old" if fact.old else "")


def sectors(sec: dict) -> Statement:
    taxonomy, chosen = TAXONOMY_NAMES[sec["taxonomy"]], sec["chosen"]
    tops = [f"{t}: {name} {fmt.pct(weight, 0)} ({observed(chosen[t])})" for t, (name, weight) in sec["largest"].items()]
    claims = [{"kind": "extremes", "values": dict(chosen[t].value), "best": name}
              for t, (name, _) in sec["largest"].items()]
    return Statement("chart:sectors", (
        f"Sector weights side by side, in {taxonomy}. Largest sector " + "; ".join(tops) + "."
        + "".join(f" {t}'s breakdown is only in {TAXONOMY_NAMES[tx]}, which do not line up with "
                  f"{taxonomy}, so it is not shown here." for t, tx in sorted(sec["other"].items()))
        + (f" No sector breakdown is published in our data for {', '.join(sec['missing'])}."
           if sec["missing"] else "")), [], claims)


def top_holdings(t: str, share: float, count) -> str:
    """The line under a fund's top-10 table ('' when fewer than ten holdings are known)."""
    if share != share:  # NaN: fewer than ten known
        return ""
    return f"The 10 largest of {fmt.count(count) if count else 'its'} holdings make up {fmt.pct(share)} of {t}."


def group_summary(tickers: list[str], funds: dict) -> list[Statement]:
    """One sentence per horizon naming the best and worst fund of a group (1 and 5 years), and the cheapest."""
    parts = []
    for h, label, key in (("1y", "Over 1 year", "total_return"), ("5y", "Over 5 years", "cagr")):
        vals = {t: funds[t][key].get(h) for t in tickers if funds[t][key].get(h) is not None}
        if len(vals) < 2:
            continue
        hi, lo = tied(vals, 1), tied(vals, 1, highest=False)
        per = " a year" if key == "cagr" else ""
        text = (f"{label} {names(hi)} returned about the same ({fmt.pct(vals[hi[0]])}{per})." if len(hi) == len(vals)
                else f"{label} {names(hi)} returned the most ({fmt.pct(vals[hi[0]])}{per}) and {names(lo)} the "
                     f"least ({fmt.pct(vals[lo[0]])}{per}).")
        parts.append(Statement("group", text, [], [rank(vals, hi, lo, h), horizon(h)]))
    ers = {t: funds[t].get("expense_ratio") for t in tickers if funds[t].get("expense_ratio") is not None}
    if len(ers) >= 2:
        fee = next(f for f in group_facts(tickers, funds) if f.id == "cheaper_fund")
        v = fee.values  # expense ratios dated far apart, later than the page or old: see the fund facts table
        if v["comparable"] and not v["observed_after"] and not v["observed_old"]:
            cheap = tied(ers, 2, highest=False)
            low = {t: -e for t, e in ers.items()}
            text = (f"{names(cheap)} all charge {fmt.pct(ers[cheap[0]], 2)} a year." if len(cheap) == len(ers) else
                    f"{names(cheap)} {'is' if len(cheap) == 1 else 'are'} the cheapest to hold "
                    f"({fmt.pct(ers[cheap[0]], 2)} a year).")
            parts.append(Statement("group", text, ["cheaper_fund"], [rank(low, cheap, None, rule="fee")]))
    return parts

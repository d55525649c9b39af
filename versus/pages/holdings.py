"""The holdings and costs section of pair, group and fund pages: sector weights, the ten largest
holdings of each fund, the overlap of their published holdings and what the fees cost."""
from __future__ import annotations

from .. import fmt
from ..analysis import holdings as hold
from ..charts import specs
from ..charts.data import round_values
from ..charts.table import Table
from ..data.funds import TAXONOMY_NAMES
from ..facts import calendar as words
from ..util import num
from .charts import Chart, ChartSet


def holdings_section(cs: ChartSet, tickers: list[str], info: dict, funds: dict, csv_base: str,
                     compare: bool = False) -> dict:
    """Sector weights chart, top-10 tables, overlap of top holdings, and the fee-drag table.

    ``compare`` (pair and group pages): instead of each fund's own top-10 table, one table of what compares
    (:func:`concentration_table`), linking each fund's page for its full table (``top10``; issue 17: a comparison
    page carries what compares, not a copy of each fund's list)."""
    out: dict = {"sectors": None, "holdings": [], "overlap": None, "missing_sectors": [], "missing_holdings": [],
                 "top10": None}
    out["sectors"], out["missing_sectors"] = sectors_chart(cs, info, tickers, csv_base)
    tops = {}
    for t in tickers:
        if not hold.has_holdings(info.get(t)):
            continue  # a gold trust holds bullion: no holdings list to show
        top = hold.top_holdings(info.get(t))
        if top is None:
            out["missing_holdings"].append(t)
            continue
        tops[t] = top
    if compare:
        out["top10"] = concentration_table(tops, info) if tops else None
    else:
        out["holdings"] = [_top10(t, info[t], top, funds[t].get("holdings_count"), csv_base)
                           for t, top in tops.items()]
    have = [t for t in tickers if info.get(t) and info[t].top_holdings and hold.has_holdings(info[t])]
    if len(have) >= 2:
        out["overlap"] = overlap_table(have, info, f"{csv_base}/overlap.csv")
    out["fees"] = fee_table(tickers, funds, f"{csv_base}/fees.csv")
    return out


def _top10(t: str, fi, top: dict, count, csv_base: str) -> dict:
    share = top["share"]
    tab = Table(f"top10-{t.lower()}", f"{t}: 10 largest holdings, {words.observed(fi.holdings)}",
                ["Holding", "Ticker", "Weight"], csv=f"{csv_base}/top10-{t.lower()}.csv",
                note=f"Source: {fi.holdings_source}.")
    if fi.holdings.url:
        tab.sources.append({"n": 1, "name": fi.holdings_source, "url": fi.holdings.url})
        tab.note = None
    for h in top["top"]:
        tab.add(fmt.company(h["name"]) or h["ticker"], [h["ticker"] or "", fmt.pct(h["weight"], 2)], [h["ticker"], h["weight"]])
    if share == share:  # not NaN: ten or more holdings known
        tab.add("Top 10 together", ["", fmt.pct(share, 1)], ["", num(share, 6)], sub=True)
    return {"t": t, "table": tab, "share": share, "count": count, "text": words.top_holdings(t, share, count)}


def concentration_table(tops: dict[str, dict], info: dict) -> Table:
    """Each fund's largest holding and the weight of its ten largest together, with the date each list was
    observed and its source (pair and group pages: each fund's full top-10 table is on its own page, ``#top10-<t>``,
    with its CSV, linked from the table's foot as each fund's CSV)."""
    tickers = list(tops)
    t = Table("top10", "Largest holdings, with the date each list was observed",
              ["Measure", *tickers], fund_csvs=[(x, f"api/funds/{x.lower()}/top10-{x.lower()}.csv") for x in tickers])
    largest, share, seen, numbers = [], [], [], {}
    for x in tickers:
        first = tops[x]["top"][0]
        name = fmt.company(first["name"]) or first["ticker"]
        largest.append({"text": f"{name} ({fmt.pct(first['weight'], 2)})"})
        s = tops[x]["share"]
        share.append(fmt.pct(s, 1) if s == s else {"text": fmt.DASH, "title": "fewer than ten holdings on file"})
        fi = info[x]
        cell = {"text": words.observed(fi.holdings)}
        src = (fi.holdings_source, fi.holdings.url)
        if fi.holdings_source:
            if src not in numbers:
                numbers[src] = len(numbers) + 1
                t.sources.append({"n": numbers[src], "name": src[0], "url": src[1]})
            cell["ref"] = numbers[src]
        seen.append(cell)
    t.add("Largest holding", largest, [tops[x]["top"][0]["ticker"] for x in tickers])
    t.add("Top 10 together", share, [num(tops[x]["share"], 6) for x in tickers])
    t.add("List observed", seen, [fmt.observed(info[x].holdings.as_of) for x in tickers])
    return t


def overlap_table(tickers: list[str], info: dict, csv_path: str) -> Table:
    """Holdings each two of the funds share, among their published top holdings (every pair of a group)."""
    t = Table("overlap", "Overlap of published top holdings, fund by fund (weight held in both = the smaller weight)",
              ["Funds", "Holdings in common", "Overlap by weight", "Common holdings"], csv=csv_path,
              note="Only the largest holdings are published here (up to 25 per fund), so the overlap is a lower bound.")
    for i, a in enumerate(tickers):
        for o in tickers[i + 1:]:
            ov = hold.overlap(info[a].top_holdings, info[o].top_holdings)
            common = ov["common"]
            names = ", ".join(common[:12]) + (" …" if len(common) > 12 else "")
            t.add(f"{a} and {o}", [str(len(common)), fmt.pct(ov["overlap"], 1), names or fmt.DASH],
                  [len(common), num(ov["overlap"], 6), " ".join(common)])
    return t


def fee_table(tickers: list[str], funds: dict, csv_path: str) -> Table:
    """What each fund's expense ratio costs against a fee-free fund, and (pairs) the difference."""
    ers = [funds[t].get("expense_ratio") for t in tickers]
    head = ["Invested, held for", *[f"{t} ({fmt.pct(e, 2)} a year)" for t, e in zip(tickers, ers)]]
    costs = hold.fee_costs(ers)
    cheaper = {row.get("cheaper") for row in costs}
    once = len(cheaper) == 1 and None not in cheaper  # the same fund cheaper in every row: said once, in the head
    if costs and "gap" in costs[0]:
        head.append(f"Difference, in favour of {tickers[costs[0]['cheaper']]}" if once else "Difference")
    r = hold.FEE_RETURN
    t = Table("fees", f"What the expense ratio costs, assuming {fmt.pct(r)} a year before fees", head, csv=csv_path,
              note=("Cost = the value a fee-free fund would reach minus the value after the fee; both start with the same "
                    f"amount and grow at {fmt.pct(r)} a year minus the fee, compounded yearly. "
                    "Past returns do not say what the assumed return will be."))
    for row in costs:
        cells = [fmt.DASH if c is None else fmt.money(c) for c in row["costs"]]
        raw = [num(c, 2) for c in row["costs"]]
        if "gap" in row:
            detail = None if once else "level" if row["cheaper"] is None else f"in favour of {tickers[row['cheaper']]}"
            cells.append({"text": fmt.money(row["gap"]), "detail": detail})
            raw.append(num(row["gap"], 2))
        t.add(f"{fmt.money(row['amount'])} for {row['years']} years", cells, raw)
    return t


def sectors_chart(cs: ChartSet, info: dict, tickers: list[str], csv_base: str) -> tuple[Chart | None, list[str]]:
    """Sector weights side by side (None when no fund publishes them), and the funds without them."""
    sec = hold.sectors(info, tickers)
    have = sec["funds"]
    if not have:
        return None, sec["missing"]
    table = Table("sectors-data", f"Sector weights, {TAXONOMY_NAMES[sec['taxonomy']]} (" + "; ".join(
        f"{t} {words.observed(sec['chosen'][t])}, {sec['chosen'][t].source}" for t in have) + ")",
        ["Sector", *have], csv=f"{csv_base}/sectors.csv")
    rows = []
    for s in sec["sectors"]:
        vals = sec["weights"][s]
        rows.append({"s": s, **{t: v for t, v in zip(have, round_values(
            [float("nan") if v is None else v for v in vals], "pct"))}})
        table.add(s, [fmt.pct(v) if v is not None else fmt.DASH for v in vals], vals)
    cs.data.tables["sectors"] = rows
    st = words.sectors(sec)
    h = specs.bar_height(len(rows), len(have))
    chart = Chart("sectors", "Sector weights", st.text,
                  {"sectors": specs.Recipe("sectors", have, st.text, height=h, styles=cs.styled(have))}, table,
                  height=h, statement=st)
    cs.charts.append(chart)
    return chart, sec["missing"]

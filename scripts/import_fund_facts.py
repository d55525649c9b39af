"""Write data/funds.toml from the shared fund facts (../shared/data by default).

    python scripts/import_fund_facts.py [SHARED_DATA_DIR] [--out data/funds.toml]

Reads ``fund_facts.md`` (facts published in ETF comparison articles, Jan-May 2026) and
``etf_meta/<T>.json`` (every per-source snapshot, not only the ``summary``), and writes every
observation of every fact with its date and source, plus the [sources] and [categories] tables.
The output is deterministic.  Once written, ``data/funds.toml`` is the hand-edited source of truth:
this script documents where its values came from and can rebuild it, but edits made by hand
afterwards are not kept by a rerun (compare with ``git diff`` before committing one).

Rules applied (each is also stated in a comment of the written file):
- Percent becomes a fraction (0.20 % -> 0.002), $M and $B become dollars.  Values are never rounded.
- Dates: "Jan 25, 2026" -> 2026-01-25; "Jan 2026", "Apr 2026" -> the month; "spring 2026" ->
  2026-04 (note "spring 2026"); a year alone ("2025") -> its December (note "2025 (year only)"); an undated
  article value -> 2026-01, the month the article collection starts (note "undated: Jan–May 2026").
  Pages show such a note in place of the month it is filed under.  etf_meta dates as
  stated per snapshot.
- Left out, with a comment: holdings counts of State Street funds from the 2025 holdings files
  (row counts inflated: SPY 589 for a 503-stock index); article notes that restate a figure a
  dated fact already carries (top holdings, top-10 share, largest holding, which fund is cheaper);
  the rounded, undated figures of the hand-written QQQ note except its top 10.
- Vanguard net assets from Yahoo cover the whole fund (every share class): kept as ``fund_assets``,
  never as the ETF's ``aum``.
- Sector weights keep their taxonomy: Morningstar's (Yahoo) and GICS (issuer files, articles).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from versus.data.funds import SECTOR_EXTRAS, SECTOR_NAMES  # noqa: E402

ALM = "https://github.com/alm0421/alm0421/tree/37cbf5e54d03bc3dd27d8bc39caab4b0003a5566"
ALM_REF = "https://github.com/alm0421/alm0421/tree/e43fee4ccc4e4a3c62ea8aafb5926930a0369375"
PX = "https://github.com/MitchellRLayton/portfolio-xray/tree/9c506707ec7bed58122f057136dc913306cf4e62"
ES = "https://github.com/jmaslek/etf_scraper/tree/4eb7b35540fde18c98405540bc4ed40847f12f76"
KL = "https://github.com/Kleinster2/financial-charts/tree/3425c72c46cd5cae249348537f998c2012ba5979"

# id: (readable name, date, public link, note).  Readers see the name, never a repository path.
SOURCES = {
    "articles-2026": ("ETF comparison articles and guides, Jan–May 2026", "2026-05", None,
                      "Figures published in ETF comparison articles between January and May 2026, each kept with "
                      "the date the article gave (collected in the project's shared data, fund_facts.md)."),
    "yahoo-2026-09": ("Yahoo Finance fund profile (via alm0421/alm0421), 27 Sep 2026", "2026-09-27", ALM,
                      "yfinance Ticker.info and funds_data as collected by the alm0421/alm0421 repository on "
                      "27 Sep 2026. Sectors are Morningstar's; the yield is Yahoo's trailing distribution yield, "
                      "not the SEC 30-day yield; Vanguard net assets cover the whole fund (all share classes)."),
    "ishares-2026-09": ("iShares product screener (via alm0421/alm0421), 27 Sep 2026", "2026-09-27", ALM_REF,
                        "Issuer-published fund facts; net expense ratio."),
    "vanguard-2026": ("Vanguard fund catalog (via alm0421/alm0421), 2026", "2026-09-27", ALM_REF,
                      "Issuer-published fund facts; each expense ratio keeps the date Vanguard gave it."),
    "ssga-2026-09": ("State Street fund finder (via alm0421/alm0421), 27 Sep 2026", "2026-09-27", ALM_REF,
                     "Issuer-published fund facts; gross expense ratio."),
    "holdings-2025-11": ("Issuer holdings files (via MitchellRLayton/portfolio-xray), Nov 2025", "2025-11", PX,
                         "Holdings downloaded from the issuers and processed by the portfolio-xray repository "
                         "(last committed 24 Nov 2025; the exact holdings date is not stated). Sectors are GICS."),
    "stockanalysis-2022": ("stockanalysis.com ETF overviews (via jmaslek/etf_scraper), Aug–Oct 2022", "2022-10", ES,
                           "Scraped between August and October 2022. Yield = trailing 12-month dividends / price."),
    "holdings-2022-08": ("QQQ holdings list (via jmaslek/etf_scraper), 25 Aug 2022", "2022-08-25", ES, None),
    "qqq-note-2026": ("Hand-written QQQ research note (Kleinster2/financial-charts), undated", "2026-01", KL,
                      "Undated and rounded. Filed under Jan 2026: its AUM ($407B), expense ratio (0.20%) and "
                      "yield (0.45%) match the figures published for 25 Jan 2026. Only its top 10 is used."),
}

# id: (name, asset class, benchmark, note)
CATEGORIES = {
    "us-large-blend": ("US large-cap blend", "equity", "SPY", None),
    "us-large-growth": ("US large-cap growth", "equity", "QQQ", None),
    "us-large-value": ("US large-cap value", "equity", "VTV", None),
    "us-mid-cap": ("US mid-cap", "equity", "IJH", None),
    "us-small-cap": ("US small-cap", "equity", "IWM", None),
    "dividend": ("Dividend", "equity", "SCHD", "Funds that select stocks for their dividends (high yield or dividend growth)."),
    "factor": ("US factor (momentum, quality, minimum volatility)", "equity", "SPY",
               "Measured against the market they tilt, not against each other."),
    "covered-call": ("Covered-call equity income", "equity", "SPY", None),
    "thematic": ("Thematic growth (active)", "equity", "QQQ", None),
    "technology": ("Technology sector", "equity", "XLK", None),
    "financials": ("Financials sector", "equity", "SPY", None),
    "energy": ("Energy sector", "equity", "SPY", None),
    "health-care": ("Health care sector", "equity", "SPY", None),
    "real-estate": ("Real estate (REITs)", "real estate", "SPY", None),
    "intl-ex-us": ("International stocks (ex-US)", "equity", "EFA", None),
    "emerging": ("Emerging markets", "equity", "EEM", None),
    "global": ("Global stocks (US and international)", "equity", "ACWI", None),
    "us-aggregate-bonds": ("US aggregate bonds", "bonds", "AGG", None),
    "intl-bonds": ("International bonds (dollar-hedged)", "bonds", "AGG", None),
    "ig-corporate": ("Investment-grade corporate bonds", "bonds", "AGG", None),
    "high-yield": ("High-yield corporate bonds", "bonds", "AGG", None),
    "short-treasuries": ("Short-term Treasuries", "bonds", "IEF", None),
    "intermediate-treasuries": ("Intermediate-term Treasuries", "bonds", "AGG", None),
    "long-treasuries": ("Long-term Treasuries", "bonds", "IEF", None),
    "tips": ("Inflation-protected Treasuries (TIPS)", "bonds", "IEF", None),
    "treasury-bills": ("Treasury bills (cash-like)", "cash", "BIL",
                       "Treasury bills maturing within three months, held as a substitute for cash."),
    "gold": ("Gold", "commodity", "GLD", None),
}

# Morningstar category (Yahoo, 27 Sep 2026) -> our category.
MORNINGSTAR = {
    "Large Blend": "us-large-blend", "Large Growth": "us-large-growth", "Large Value": "us-large-value",
    "Mid-Cap Blend": "us-mid-cap", "Small Blend": "us-small-cap", "Foreign Large Blend": "intl-ex-us",
    "Diversified Emerging Mkts": "emerging", "Global Large-Stock Blend": "global", "Technology": "technology",
    "Financial": "financials", "Equity Energy": "energy", "Health": "health-care", "Real Estate": "real-estate",
    "Intermediate Core Bond": "us-aggregate-bonds", "Long Government": "long-treasuries",
    "Short Government": "short-treasuries", "Inflation-Protected Bond": "tips", "Ultrashort Bond": "treasury-bills",
    "Commodities Focused": "gold",
}
# Where the index (or the stated strategy) decides: no Morningstar category in our data, or the index
# says more than it.  ticker: (category, reason written next to the fund).
BY_INDEX = {
    "QQQ": ("us-large-growth", "Nasdaq-100, the index of QQQM (Morningstar: Large Growth)"),
    "IWM": ("us-small-cap", "Russell 2000, the index of VTWO (Morningstar: Small Blend)"),
    "SPY": ("us-large-blend", "S&P 500, the index of VOO and IVV (Morningstar: Large Blend)"),
    "SPYM": ("us-large-blend", "SPDR Portfolio S&P 500 (formerly SPLG): S&P 500, as VOO and IVV"),
    "DIA": ("us-large-blend", "Dow Jones Industrial Average: 30 large US companies"),
    "ITOT": ("us-large-blend", "S&P Total Market Index, a total-market index as VTI's and SCHB's "
                               "(Morningstar: Large Blend)"),
    "MDY": ("us-mid-cap", "S&P MidCap 400, the index of IJH (Morningstar: Mid-Cap Blend)"),
    "EFA": ("intl-ex-us", "MSCI EAFE: developed markets outside North America"),
    "EEM": ("emerging", "MSCI Emerging Markets"),
    "BND": ("us-aggregate-bonds", "the US investment-grade bond market, as AGG (Morningstar: Intermediate Core "
                                  "Bond); Vanguard's own category: Bond - Inter-term Investment"),
    "BNDX": ("intl-bonds", "Bloomberg Global Aggregate ex-USD, dollar-hedged; Vanguard's category: International"),
    "LQD": ("ig-corporate", "investment-grade US corporate bonds (no index or category in our data)"),
    "HYG": ("high-yield", "high-yield US corporate bonds (no index or category in our data)"),
    "BIL": ("treasury-bills", "Treasury bills of 1-3 months, as SGOV (Morningstar: Ultrashort Bond)"),
    "IAU": ("gold", "physical gold, as GLD"),
    "IEF": ("intermediate-treasuries", "7-10 year Treasuries (Yahoo lists its Morningstar category as Long "
                                       "Government, which its maturities do not fit)"),
    "SCHD": ("dividend", "Dow Jones U.S. Dividend 100 strategy (Morningstar: Large Value)"),
    "VYM": ("dividend", "FTSE High Dividend Yield strategy (Morningstar: Large Value)"),
    "NOBL": ("dividend", "S&P 500 Dividend Aristocrats (Morningstar: Large Value)"),
    "VIG": ("dividend", "dividend-growth strategy (Morningstar: Large Blend)"),
    "DGRO": ("dividend", "dividend-growth strategy (no Morningstar category in our data)"),
    "MTUM": ("factor", "MSCI USA momentum index (Morningstar: Large Blend)"),
    "QUAL": ("factor", "MSCI USA quality index (Morningstar: Large Blend)"),
    "USMV": ("factor", "MSCI USA minimum-volatility index (Morningstar: Large Blend)"),
    "JEPI": ("covered-call", "US stocks with an options-income overlay (no index or category in our data)"),
    "JEPQ": ("covered-call", "Nasdaq-100 stocks with an options-income overlay (no index or category in our data)"),
    "ARKK": ("thematic", "actively managed 'disruptive innovation' stocks, no index (no category in our data)"),
}
# Names not in the shared data, kept from the hand-curated file this one replaced.
KEPT_NAMES = {"QQQ": "Invesco QQQ Trust, Series 1", "IWM": "iShares Russell 2000 ETF",
              "SPY": "SPDR S&P 500 ETF Trust", "DIA": "SPDR Dow Jones Industrial Average ETF Trust",
              "VOO": "Vanguard S&P 500 ETF", "VTI": "Vanguard Total Stock Market ETF",
              "SCHA": "Schwab U.S. Small-Cap ETF"}
# Holding names the source spells out of date (the ticker is right).
NAME_FIXES = {"Facebook Inc. Class A": "Meta Platforms Inc. Class A"}
# Article notes that restate a figure of a dated fact: left out, and why.
RESTATED = {
    "top holdings NVIDIA, Apple, Microsoft": "the top-10 list carries the holdings with their weights",
    "top 10 over 50% of the fund": "the top-10 list carries the weights (the rounded note sums to 49.5%)",
    "largest holding under 0.5%": "the top holdings list carries the weights (0.83% in Nov 2025)",
    "largest holding about 7%": "the top holdings list carries the weights",
    "cheaper Russell 2000 alternative to IWM": "the dated expense ratios say which is cheaper, at every date",
    "cheaper small-cap alternative to IWM": "the dated expense ratios say which is cheaper, at every date",
}
FACT_ORDER = ("issuer", "index", "inception", "morningstar_category", "expense_ratio", "aum", "fund_assets",
              "holdings_count", "dividend_yield")
MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
UNDATED = "undated: Jan–May 2026"


# --------------------------------------------------------------------------- values
def frac(pct) -> Decimal:
    """Percent (a number or text) -> fraction, exactly: 0.0945 -> 0.000945."""
    return (Decimal(str(pct)) / 100).normalize()


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def toml_num(x) -> str:
    if isinstance(x, int):
        return str(x)
    d = Decimal(str(x)).normalize()
    if abs(d) >= Decimal("1e9"):
        return f"{(d / Decimal('1e9')).normalize():f}e9"
    return f"{d:f}"


def toml_value(v) -> str:
    if isinstance(v, str):
        return toml_str(v)
    return toml_num(v)


# --------------------------------------------------------------------------- fund_facts.md
def article_date(text: str | None) -> tuple[str, str | None]:
    """An article's date text -> (as_of, note)."""
    if not text:
        return "2026-01", UNDATED
    t = text.strip()
    if m := re.fullmatch(r"([A-Z][a-z]{2}) (\d{1,2}), (\d{4})", t):
        return f"{m[3]}-{MONTHS[m[1]]:02d}-{int(m[2]):02d}", None
    if m := re.fullmatch(r"([A-Z][a-z]{2}) (\d{4})", t):
        return f"{m[2]}-{MONTHS[m[1]]:02d}", None
    if m := re.fullmatch(r"spring (\d{4})", t):
        return f"{m[1]}-04", "spring " + m[1]
    if m := re.fullmatch(r"(\d{4})", t):
        return f"{m[1]}-12", f"{m[1]} (year only)"
    raise ValueError(f"fund_facts.md: unknown date {text!r}")


def article_number(text: str, key: str):
    text = text.strip()
    if text.endswith("%"):
        return frac(text[:-1])
    if text.startswith("$") and text.endswith("B"):
        return Decimal(text[1:-1]) * Decimal("1e9")
    if re.fullmatch(r"[\d,]+", text):
        return int(text.replace(",", ""))
    raise ValueError(f"fund_facts.md: {key}: cannot read {text!r}")


def parse_articles(path: Path) -> tuple[dict, list[tuple]]:
    """fund_facts.md -> ({ticker: {key: [obs]}}, [(ticker, text, as_of, note) of the notes])."""
    lines = path.read_text(encoding="utf-8").splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("| fund |"))
    cols = [c.strip() for c in lines[head].strip().strip("|").split("|")]
    keys = {"issuer": "issuer", "index tracked": "index", "expense ratio": "expense_ratio", "AUM": "aum",
            "holdings": "holdings_count", "dividend yield": "dividend_yield"}
    out: dict[str, dict] = {}
    notes = []
    for line in lines[head + 2:]:
        if not line.startswith("|"):
            break
        row = dict(zip(cols, (c.strip() for c in line.strip().strip("|").split("|"))))
        t = row["fund"]
        facts = out.setdefault(t, {})
        for col, key in keys.items():
            cell = row[col]
            if not cell:
                continue
            if key in ("issuer", "index"):  # text: undated, parentheses are part of the name
                as_of, note = article_date(None)
                facts.setdefault(key, []).append(dict(value=cell, as_of=as_of, source="articles-2026", note=note))
                continue
            for part in (p.strip() for p in cell.split(";") if p.strip()):
                m = re.fullmatch(r"(about )?(.+?)(?: \(([^)]*)\))?", part)
                as_of, note = article_date(m[3])
                if m[1]:
                    note = "about" + (f"; {note}" if note else "")
                facts.setdefault(key, []).append(dict(value=article_number(m[2], key), as_of=as_of,
                                                      source="articles-2026", note=note))
        for part in (p.strip() for p in row["other published facts"].split(";") if p.strip()):
            notes.append((t, part, *article_date(None)))
    text = "\n".join(lines)
    for m in re.finditer(r"(?:Approximate sector weights of (\w+) \(([^)]*)\)|For comparison, (\w+)): ([^\n]*)\.", text):
        t = m[1] or m[3]
        as_of, note = article_date(m[2] or "spring 2026")
        weights = {}
        for item in m[4].split(", "):
            name, pct = re.fullmatch(r"(.+?) ~(\d+)%", item.strip()).groups()
            name = {"Technology": "Information Technology", "other": "Other"}.get(name, name)
            weights[name] = frac(pct)
        out.setdefault(t, {}).setdefault("sector_weights", []).append(dict(
            value=weights, as_of=as_of, source="articles-2026", taxonomy="gics",
            note=f"approximate ({note}); the articles' 'Technology' is GICS Information Technology"))
    revenue = re.search(r"^(Russell 2000 companies derive[^\n]*?)\.?$", text, re.M)
    if revenue:
        notes.append(("*", revenue[1], *article_date(None)))
    return out, notes


# --------------------------------------------------------------------------- etf_meta
def split_index(raw: str) -> tuple[str, str | None]:
    """'Russell 1000 Value (subset of Russell 1000)' -> ('Russell 1000 Value', 'subset of Russell 1000')."""
    m = re.fullmatch(r"(.+?) \(((?:per |subset|parent|S&P 500 members|all S&P|developed|large/mid).*)\)", raw)
    if not m:
        return raw, None
    note = m[2]
    note = note.replace('per Yahoo description; fund name now says "Morningstar"',
                        "per Yahoo's description; the fund's name now says Morningstar (a possible index change)")
    return m[1], note


def meta_observations(doc: dict, state_street: bool) -> tuple[dict, dict, list[str]]:
    """One etf_meta file -> ({key: [obs]}, {name, morningstar}, [comments])."""
    obs: dict[str, list] = {}
    info: dict = {}
    comments: list[str] = []
    summary = doc.get("summary") or {}

    def put(key, value, as_of, source, note=None, taxonomy=None):
        item = dict(value=value, as_of=as_of, source=source, note=note)
        if taxonomy:
            item["taxonomy"] = taxonomy
        obs.setdefault(key, []).append(item)

    for snap in doc["snapshots"]:
        src = snap["source"]
        if src.startswith("alm0421/alm0421 data/funds_meta.json"):
            sid, as_of = "yahoo-2026-09", "2026-09-27"
            proxy = re.search(r"entry (\w+) \(([^)]*)\)", src)
            if proxy:
                share = f"from its {proxy[1]} share class"  # the entry of a mutual-fund share class of the same fund
                if "net_assets_usd_fund_level" in snap:
                    put("fund_assets", Decimal(str(snap["net_assets_usd_fund_level"])), as_of, sid, share)
                if "index" in snap:
                    value, note = split_index(snap["index"])
                    put("index", value, as_of, sid, share)
                continue
            if "issuer_family" in snap:
                put("issuer", snap["issuer_family"], as_of, sid)
            if "index_tracked" in summary and "description" in summary["index_tracked"]["source"]:
                value, note = split_index(summary["index_tracked"]["value"])
                put("index", value, as_of, sid, note)
            if "inception" in snap:
                put("inception", snap["inception"], as_of, sid, "Yahoo's fund inception date")
            if "category_yahoo" in snap:
                cat = snap["category_yahoo"].replace(" (Yahoo category)", "")
                put("morningstar_category", cat, as_of, sid)
                info["morningstar"] = cat
            if "expense_ratio_pct" in snap:
                put("expense_ratio", frac(snap["expense_ratio_pct"]), as_of, sid)
            if "aum_usd" in snap:
                put("fund_assets" if "aum_note" in snap else "aum", Decimal(str(snap["aum_usd"])), as_of, sid,
                    "the whole fund, all share classes" if "aum_note" in snap else None)
            if "yield_pct" in snap:
                put("dividend_yield", frac(snap["yield_pct"]), as_of, sid, "trailing distribution yield")
            if "sector_weights_pct" in snap:
                put("sector_weights", {k: frac(v) for k, v in snap["sector_weights_pct"].items()}, as_of, sid,
                    None, "morningstar")
            if snap.get("top_holdings"):
                put("top_holdings", [{"ticker": h.get("symbol"), "name": h.get("name"),
                                      "weight": frac(h["weight_pct"])} for h in snap["top_holdings"]], as_of, sid)
            if snap.get("name"):
                info.setdefault("name", snap["name"])
            if "partial" in src:
                comments.append("Yahoo entry only partly read by the harvest (its tail): sector weights and index only.")
        elif src.startswith("alm0421/alm0421 data/fund_reference.json"):
            sid = ("ishares-2026-09" if "iShares" in src else "vanguard-2026" if "Vanguard" in src else "ssga-2026-09")
            as_of = "2026-09-27"
            er_date = re.search(r"expense ratio as of (\d{4}-\d{2}-\d{2})", snap["as_of"])
            if snap.get("family"):
                put("issuer", snap["family"], as_of, sid)
            if "inception" in snap:
                put("inception", snap["inception"], as_of, sid)
            if "expense_ratio_pct" in snap:
                kind = {"gross": "gross expense ratio", "net": "net expense ratio"}.get(snap.get("er_kind"))
                put("expense_ratio", frac(snap["expense_ratio_pct"]), er_date[1] if er_date else as_of, sid, kind)
            if snap.get("category"):
                comments.append(f"issuer's own category ({SOURCES[sid][0].split(' (')[0]}): {snap['category']}")
            if snap.get("name"):
                info.setdefault("name", snap["name"])
        elif src.startswith("MitchellRLayton/portfolio-xray"):
            sid, as_of = "holdings-2025-11", "2025-11"
            if "holdings_count" in snap:
                if state_street:
                    comments.append(f"holdings_count {snap['holdings_count']} ({SOURCES[sid][0]}) left out: the "
                                    f"State Street file's row count looks inflated against the index's constituents.")
                else:
                    put("holdings_count", int(snap["holdings_count"]), as_of, sid)
            if snap.get("sector_weights_pct"):
                put("sector_weights", {k: frac(v) for k, v in snap["sector_weights_pct"].items()}, as_of, sid,
                    None, "gics")
            if snap.get("top_holdings"):
                rows = []
                for h in snap["top_holdings"]:
                    name = NAME_FIXES.get(h.get("name"), h.get("name"))
                    rows.append({"ticker": h.get("ticker"), "name": name,
                                 "weight": frac(h.get("weight_pct", h.get("weight")))})
                put("top_holdings", rows, as_of, sid)
        elif src.startswith("jmaslek/etf_scraper (scraped"):
            sid = "stockanalysis-2022"
            if snap["as_of"].startswith("~2022-08-29"):
                as_of, note = "2022-08-29", None
            else:
                as_of, note = "2022-10", "Aug–Oct 2022"  # the month it is filed under is the latest possible
            if snap.get("note"):
                note = (note + "; " if note else "") + snap["note"]
            if "expense_ratio_pct" in snap:
                put("expense_ratio", frac(snap["expense_ratio_pct"]), as_of, sid, note)
            if "aum_usd_millions" in snap:
                put("aum", Decimal(str(snap["aum_usd_millions"])) * Decimal("1e6"), as_of, sid, note)
            if "holdings_count" in snap:
                put("holdings_count", int(snap["holdings_count"]), as_of, sid, note)
            if "dividend_yield_pct" in snap:
                put("dividend_yield", frac(snap["dividend_yield_pct"]), as_of, sid, note)
        elif src == "jmaslek/etf_scraper":
            put("top_holdings", [{"ticker": h["ticker"], "name": None, "weight": frac(h["weight"])}
                                 for h in snap["top_holdings"]], "2022-08-25", "holdings-2022-08")
        elif src.startswith("Kleinster2/financial-charts"):
            names = {"NVIDIA": "NVDA", "Apple": "AAPL", "Microsoft": "MSFT", "Amazon": "AMZN", "Tesla": "TSLA",
                     "Meta": "META", "Alphabet (GOOGL)": "GOOGL", "Alphabet (GOOG)": "GOOG", "Broadcom": "AVGO",
                     "Palantir": "PLTR"}
            put("top_holdings", [{"ticker": names.get(h["name"]), "name": h["name"], "weight": frac(h["weight"])}
                                 for h in snap["top_holdings"]], "2026-01", "qqq-note-2026", "rounded")
            comments.append("The QQQ note's AUM ($407B), expense ratio (0.20%), holdings (100) and yield (0.45%) are "
                            "left out: rounded and undated; the articles give the same figures with their dates.")
        else:
            raise ValueError(f"{doc['ticker']}: unknown snapshot source {src!r}")
    return obs, info, comments


def dedupe(items: list[dict]) -> list[dict]:
    """Drop repeated observations; of several from the same source and date, keep the fullest."""
    out: list[dict] = []
    for item in items:
        same = [o for o in out if o["source"] == item["source"] and o["as_of"] == item["as_of"]
                and isinstance(o["value"], (list, dict)) and isinstance(item["value"], (list, dict))]
        if any(o == item for o in out):
            continue
        if same:
            if len(item["value"]) > len(same[0]["value"]):
                out[out.index(same[0])] = item
            continue
        out.append(item)
    return out


# --------------------------------------------------------------------------- writing
HEADER = '''\
# data/funds.toml: dated facts about every fund of the site, with their sources and categories.
#
# Written by scripts/import_fund_facts.py from the project's shared data (fund_facts.md and etf_meta/);
# from now on this file is the one edited by hand.  versus/data/funds/ reads and checks it; a mistake stops
# the build with the file, the line and the key (python build.py --check).
#
# Every observation of a fact is kept, several per fact:
#   expense_ratio = [
#     { value = 0.0020, as_of = "2026-01-25", source = "articles-2026" },
#     { value = 0.0018, as_of = "2026-04", source = "articles-2026", note = "spring 2026" },
#   ]
#   value   the figure.  Fractions, never percent (0.0018 = 0.18 %): expense_ratio, dividend_yield, sector
#           and holding weights.  Money in US dollars (395e9 = $395 billion): aum, fund_assets.
#   as_of   the date the value was true for: "YYYY-MM-DD", or "YYYY-MM" when only the month is known
#           (a month counts as its first day: a build as of any day of that month uses it).
#   source  a key of [sources] below; readers see the source's name, date and link.
#   note    optional, shown with the value ("about", "spring 2026", "gross expense ratio", ...).
# A build as of a date D shows, for each fact, the latest observation on or before D; if there is none,
# the earliest after D, marked "observed <date>".  Facts more than 12 months older than D are marked old,
# and no sentence compares two facts observed more than 6 months apart without saying so.
# To record a new value, ADD an observation (never overwrite one): older pages stay true.
#
# Facts:  issuer, index, inception (the fund's launch date per its source), morningstar_category,
#         expense_ratio, aum (the ETF's assets), fund_assets (the whole fund's net assets, all share classes:
#         what Yahoo reports for Vanguard funds; never compared with another fund's aum), holdings_count,
#         dividend_yield (a published trailing yield; the site computes its own from dividends where it can).
# Dated snapshots, one [[TICKER.block]] per observation:
#   [[QQQ.sector_weights]]  as_of, source, taxonomy = "gics" | "morningstar" | "other", weights = { name = fraction }
#                           Sector names must be the taxonomy's (GICS "Information Technology", Morningstar
#                           "Technology", ...): the two schemes differ and are never set side by side.
#   [[QQQ.top_holdings]]    as_of, source, holdings = [ { ticker, name, weight } ] (at most 25)
# notes = [ { text, as_of, source, note } ]: dated quotes shown on the fund page from their date on.  A figure
#   belongs in its dated fact, not in a note: notes that restate one were left out (see the comments).
# name = the fund's name; category = a key of [categories].  Unknown keys are refused (with a suggestion).
#
# Categories: each fund's category follows its Morningstar category (Yahoo, 27 Sep 2026) where our data
# has one; where it has none, or where the fund's index says more (dividend, factor and covered-call
# strategies, IEF's 7-10 year maturities), the index or stated strategy decides.  The comment next to
# each fund's category says which.  A category's benchmark is the fund its members are measured against:
# its largest or oldest plain index fund, or for one-fund categories and strategies measured against the
# market, the broad fund of that market (SPY, AGG, IEF, QQQ).
#
# Check an edit with:  python build.py --check   (or python -m pytest tests/test_funds.py -q)
'''


def obs_line(o: dict) -> str:
    parts = [f"value = {toml_value(o['value'])}", f'as_of = "{o["as_of"]}"', f'source = "{o["source"]}"']
    if o.get("note"):
        parts.append(f"note = {toml_str(o['note'])}")
    return "  { " + ", ".join(parts) + " },"


def start(o: dict) -> str:
    return o["as_of"] if len(o["as_of"]) == 10 else o["as_of"] + "-01"


def write(shared: Path, out: Path) -> dict:
    articles, notes = parse_articles(shared / "fund_facts.md")
    tickers = sorted(p.stem for p in (shared / "prices").glob("*.csv") if not p.stem.endswith("_dividends"))
    counts = {"funds": 0, "facts": 0, "observations": 0, "snapshots": 0, "notes": 0, "left_out": 0}
    lines = [HEADER, "", "# " + "-" * 75, "# Sources: readers see the name; the link goes to the public origin."]
    for sid, (name, date, url, note) in SOURCES.items():
        lines += ["", f"[sources.{sid}]", f"name = {toml_str(name)}", f'date = "{date}"']
        if url:
            lines.append(f"url = {toml_str(url)}")
        if note:
            lines.append(f"note = {toml_str(note)}")
    lines += ["", "", "# " + "-" * 75, "# Categories: name, asset class, benchmark fund (see the header for how "
              "funds were assigned)."]
    for cid, (name, ac, bench, note) in CATEGORIES.items():
        lines += ["", f"[categories.{cid}]", f"name = {toml_str(name)}", f'asset_class = "{ac}"', f'benchmark = "{bench}"']
        if note:
            lines.append(f"note = {toml_str(note)}")
    lines.append("")

    for t in tickers:
        doc = json.loads((shared / "etf_meta" / f"{t}.json").read_text(encoding="utf-8"))
        state_street = any("holdings_count_warning" in s for s in doc["snapshots"])
        meta, info, comments = meta_observations(doc, state_street)
        obs: dict[str, list] = {}
        for src in (articles.get(t, {}), meta):
            for k, v in src.items():
                obs.setdefault(k, []).extend(v)
        for k in obs:
            obs[k] = sorted(dedupe(obs[k]), key=start)  # stable: same date keeps source order
        if t in BY_INDEX:
            cat, why = BY_INDEX[t]
        elif info.get("morningstar") in MORNINGSTAR:
            cat, why = MORNINGSTAR[info["morningstar"]], f"Morningstar: {info['morningstar']}"
        else:
            raise ValueError(f"{t}: no category rule")
        name = KEPT_NAMES.get(t) or info.get("name")
        counts["funds"] += 1
        lines += ["", "# " + "-" * 75, f"[{t}]"]
        if name:
            lines.append(f"name = {toml_str(name)}")
        else:
            lines.append("# name: not in the shared data")
        lines.append(f'category = "{cat}"  # {why}')
        for c in dict.fromkeys(comments):  # once each, in order
            lines.append(f"# {c}")
            counts["left_out"] += c.startswith(("holdings_count", "The QQQ note"))
        for key in FACT_ORDER:
            if key not in obs:
                continue
            counts["facts"] += 1
            counts["observations"] += len(obs[key])
            lines.append(f"{key} = [")
            lines += [obs_line(o) for o in obs[key]]
            lines.append("]")
        missing = [k for k in ("issuer", "index", "expense_ratio", "aum", "holdings_count", "dividend_yield")
                   if k not in obs and not (k == "aum" and "fund_assets" in obs)]
        if missing:
            lines.append(f"# not in the shared data: {', '.join(missing)}")
        quotes = []
        for who, text, as_of, note in notes:
            index_values = {o["value"] for o in obs.get("index", [])}
            if who == t or (who == "*" and index_values & {"Russell 2000", "S&P 500"}):
                if text in RESTATED:
                    lines.append(f"# note left out ({text!r}): {RESTATED[text]}.")
                    counts["left_out"] += 1
                else:
                    quotes.append((text, as_of, note))
        if quotes:
            lines.append("notes = [")
            lines += [f'  {{ text = {toml_str(q)}, as_of = "{a}", source = "articles-2026"'
                      + (f", note = {toml_str(n)}" if n else "") + " }," for q, a, n in quotes]
            lines.append("]")
            counts["notes"] += len(quotes)
        for key in ("sector_weights", "top_holdings"):
            for o in obs.get(key, []):
                counts["snapshots"] += 1
                lines += ["", f"[[{t}.{key}]]", f'as_of = "{o["as_of"]}"', f'source = "{o["source"]}"']
                if o.get("note"):
                    lines.append(f"note = {toml_str(o['note'])}")
                if key == "sector_weights":
                    names = SECTOR_NAMES[o["taxonomy"]] + SECTOR_EXTRAS
                    order = sorted(o["value"], key=lambda s: (names.index(s) if s in names else 99, s))
                    lines.append(f'taxonomy = "{o["taxonomy"]}"')
                    lines.append("weights = { " + ", ".join(f"{toml_str(s)} = {toml_num(o['value'][s])}"
                                                            for s in order) + " }")
                else:
                    lines.append("holdings = [")
                    for h in o["value"]:
                        parts = [f"ticker = {toml_str(h['ticker'])}"] if h.get("ticker") else []
                        if h.get("name"):
                            parts.append(f"name = {toml_str(h['name'])}")
                        parts.append(f"weight = {toml_num(h['weight'])}")
                        lines.append("  { " + ", ".join(parts) + " },")
                    lines.append("]")
    text = "\n".join(lines).rstrip() + "\n"
    out.write_text(text, encoding="utf-8")
    counts["sources"], counts["categories"] = len(SOURCES), len(CATEGORIES)
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("shared", nargs="?", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "funds.toml")
    args = ap.parse_args(argv)
    counts = write(args.shared, args.out)
    print(f"{args.out}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


if __name__ == "__main__":
    main()

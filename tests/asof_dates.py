"""The full default site (site.toml: 63 funds, pages from rules) built ``--as-of`` dates before some funds
started trading: every such fund and every page that shows one is left out, and nothing else names it.

For each date :func:`problems` checks a built site: the build's ``not_started`` is exactly the funds whose
first price is after the date's close; no page, JSON document, CSV, feed, sitemap or search entry names
one of them (outside the dated note that lists them, build.json's ``not_started`` and the methodology's
list of data sources, which describes the snapshot files); every group and category lists only funds that
trade (a group keeps at least 2); a category's benchmark is one that trades or none; every internal link
resolves (:func:`versus.build.linkcheck.check_site`).

``python tests/asof_dates.py`` (``make asof``) builds and checks every date of :data:`DATES`;
``tests/test_before_start.py`` checks two of them in ``make test``.
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATES = ["2000-01-31", "2005-12-30", "2010-09-09", "2016-02-29", "2020-03-23", "2022-05-04",
         "2013-06-29", "2011-11-24"]
"""Few funds (2000), a year end, VOO's first day, 29 Feb 2016, the 2020 low, JEPQ's first day, a Saturday
and Thanksgiving."""
FAST_DATES = ["2000-01-31"]
"""What tests/test_before_start.py builds in ``make test``: the date with the most funds left out (few pages, a fast
build); 29 Feb 2016 (four left out: nearly the full site) and the others run in ``make asof``."""
TEXT = (".html", ".json", ".xml", ".csv", ".txt")


def first_prices() -> dict[str, str]:
    """Each configured fund's first price in the embedded snapshot (ISO dates)."""
    import pandas as pd

    from versus.config import load_config

    funds = load_config(ROOT / "site.toml").funds
    prices = pd.read_parquet(ROOT / "data/snapshot/prices.parquet", columns=["date", "ticker", "adj_close"])
    prices = prices[prices["ticker"].isin(funds)].dropna(subset=["adj_close"])
    return {t: str(d.date()) for t, d in prices.groupby("ticker")["date"].min().items()}


def build(day: str, out: Path) -> int:
    from versus.cli import main

    return main(["--as-of", day, "--out", str(out), "--quiet"])


def _allowed(text: str, rel: str, note: str) -> str:
    """``text`` without the places that may name a fund that had not started: the note listing them."""
    text = text.replace(note, "")
    if rel == "build.json":
        doc = json.loads(text)
        doc.pop("not_started", None)
        return json.dumps(doc)
    if rel == "methodology/index.html":  # the data sources: what the snapshot files hold, not the site's funds
        text = re.sub(r'id="sources-h".*?id="conv-h"', "", text, flags=re.S)
    return text


def problems(out: Path, firsts: dict[str, str]) -> list[str]:
    """What is wrong with the site built at ``out`` (empty: nothing)."""
    from versus.build.linkcheck import check_site

    found: list[str] = []
    build_json = json.loads((out / "build.json").read_text())
    as_of = build_json["as_of"]
    later = sorted(t for t, d in firsts.items() if d > as_of)
    if sorted(build_json.get("not_started", {})) != later:
        found.append(f"build.json not_started {sorted(build_json.get('not_started', {}))} != {later}")
    note = next((n for n in build_json["notes"] if "had not started trading" in n), "")
    index_html = (out / "index.html").read_text()
    if later and (not note or note not in index_html or ", ".join(later) not in note):
        found.append(f"the note on the index is missing or incomplete: {note!r}")
    names = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, later)) + r")(?![A-Za-z0-9])") if later else None
    for path in sorted(out.rglob("*")):
        if names is None or not path.is_file() or path.suffix not in TEXT:
            continue
        rel = str(path.relative_to(out))
        m = names.search(_allowed(path.read_text(errors="replace"), rel, note))
        if m:
            found.append(f"{rel} names {m.group(1)}, which had not started trading by {as_of}")
    index = json.loads((out / "api/index.json").read_text())
    for rel in index["groups"]:
        tickers = json.loads((out / rel).read_text()).get("tickers", [])
        if len(tickers) < 2 or set(tickers) & set(later):
            found.append(f"{rel}: funds {tickers}")
    for rel in index["categories"]:
        doc = json.loads((out / rel).read_text())
        bench = doc["category"]["benchmark"]
        if set(doc["funds"]) & set(later) or (bench is not None and bench in later):
            found.append(f"{rel}: funds {sorted(doc['funds'])}, benchmark {bench}")
    found += check_site(out)
    return found


def main() -> int:
    firsts = first_prices()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for day in DATES:
            out = Path(tmp) / day
            t0 = time.perf_counter()
            rc = build(day, out)
            dt = time.perf_counter() - t0
            found = problems(out, firsts) if rc == 0 else [f"build exited {rc}"]
            pages = len(json.loads((out / "build.json").read_text())["pages"]) if rc == 0 else 0
            print(f"  {day}: exit {rc}, {pages} pages in {dt:.1f}s, {len(found)} problems", flush=True)
            for p in found[:10]:
                print(f"    {p}")
            bad += bool(found)
    print(f"as-of dates: {len(DATES)} built, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""The facts as of a date: each fact's observation for the build's date, and the loaded file."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...config import Universe
from .dating import _to_date, as_of_start, is_old
from .live import merge_live
from .records import DEFAULT_PATH, FACT_KEYS, TAXONOMIES, Category, Fact, FundFacts, FundRecord, Observation, Source
from .scanner import fail_at, key_lines, locate


def select(history: Iterable[Observation], date, latest: bool = False) -> tuple[Observation, bool] | None:
    """The observation a build as of ``date`` uses, and whether it was observed after ``date``.

    The latest on or before ``date``; if none, the earliest after it.  Ties on the date: the one
    listed last (file order) wins among the earlier ones, the one listed first among the later ones.
    ``latest`` (a build without ``--as-of``: today's site): the latest observation of all, flagged as
    observed after ``date`` when it is."""
    day = _to_date(date)
    if latest:
        chosen = select(history, _dt.date.max)
        return (chosen[0], chosen[0].start > day) if chosen else None
    before, later = None, None
    for obs in history:
        s = obs.start
        if s <= day:
            if before is None or s >= before.start:
                before = obs
        elif later is None or s < later.start:
            later = obs
    if before is not None:
        return before, False
    return (later, True) if later is not None else None


def _fact(obs: Observation, after: bool, date, sources: Mapping[str, Source]) -> Fact:
    src = sources.get(obs.source)
    return Fact(obs.value, obs.as_of, src.name if src else obs.source, obs.source if src else None,
                src.url if src else None, obs.note, after, is_old(obs.as_of, date), obs.taxonomy, obs.claim, obs.line)


def resolve(record: FundRecord | None, date, sources: Mapping[str, Source] | None = None,
            categories: Mapping[str, Category] | None = None, ticker: str | None = None,
            latest: bool = False) -> FundFacts:
    """The facts of ``record`` as of ``date`` (see :func:`select` for the rule; ``latest``: each fact's
    latest observation, dated against ``date``)."""
    sources, categories = sources or {}, categories or {}
    if record is None:
        return FundFacts(ticker=ticker or "", as_of=_to_date(date).isoformat())
    facts = {}
    for key in FACT_KEYS:
        chosen = select(record.history(key), date, latest)
        if chosen:
            facts[key] = _fact(*chosen, date, sources)
    options = {}
    for tx in TAXONOMIES:
        chosen = select([o for o in record.history("sector_weights") if o.taxonomy == tx], date, latest)
        if chosen:
            options[tx] = _fact(*chosen, date, sources)
    chosen = select(record.history("sector_weights"), date, latest)
    sectors = _fact(*chosen, date, sources) if chosen else None
    chosen = select(record.history("top_holdings"), date, latest)
    holdings = _fact(*chosen, date, sources) if chosen else None
    day = _to_date(date)
    quotes = [_fact(o, o.start > day, date, sources) for o in record.history("notes") if latest or o.start <= day]
    return FundFacts(ticker=record.ticker, name=record.name, facts=facts, sectors=sectors, sector_options=options,
                     holdings=holdings, quotes=quotes, category=categories.get(record.category or ""),
                     as_of=day.isoformat())


def common_sectors(infos: Mapping[str, FundFacts | None]) -> tuple[str | None, dict[str, Fact], dict[str, str]]:
    """The sector breakdowns a page can set side by side: one taxonomy for every fund that has it.

    Returns (taxonomy, {ticker: Fact}, {ticker: the taxonomy it has instead}).  The taxonomy covering
    the most funds wins; ties go to the one whose chosen observations were all observed by the page's
    date, then the most recent, then GICS before Morningstar.  Funds whose sector weights are only in
    another taxonomy are listed apart rather than mixed in."""
    have = {t: f for t, f in infos.items() if f is not None and f.sector_options}
    if not have:
        return None, {}, {}

    def rank(tx):
        members = [f.sector_options[tx] for f in have.values() if tx in f.sector_options]
        return (len(members), not any(m.after for m in members),
                max(as_of_start(m.as_of) for m in members) if members else _dt.date.min,
                -TAXONOMIES.index(tx))

    used = [tx for tx in TAXONOMIES if any(tx in f.sector_options for f in have.values())]
    best = max(used, key=rank)
    chosen = {t: f.sector_options[best] for t, f in have.items() if best in f.sector_options}
    other = {t: f.sectors.taxonomy for t, f in have.items() if t not in chosen and f.sectors}
    return best, chosen, other


@dataclass(frozen=True)
class FundsFile(Mapping):
    """The loaded ``funds.toml``: ``{ticker: FundRecord}`` plus its sources and categories."""

    funds: dict[str, FundRecord]
    sources: dict[str, Source] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    path: Path | None = None
    text: str = field(default="", repr=False, compare=False)

    def fail(self, where: tuple, message: str):
        """Raise ``ConfigError`` ``path:LINE: key: message`` for a key path of this file (a check made after
        loading, e.g. :func:`versus.data.funds.plausible.check_inceptions`).  ``where`` indexes observations
        (``("QQQ", "inception", 0, "value")``); a fact written as a single table has no index."""
        lines = key_lines(self.text)
        if len(where) > 2 and isinstance(where[2], int) and where[:3] not in lines and where[:2] in lines:
            where = where[:2] + where[3:]
        fail_at(self.path or DEFAULT_PATH, locate(lines, where), where, message)

    def __getitem__(self, ticker: str) -> FundRecord:
        return self.funds[ticker]

    def __iter__(self) -> Iterator[str]:
        return iter(self.funds)

    def __len__(self) -> int:
        return len(self.funds)

    def __hash__(self) -> int:  # Mapping sets __hash__ = None; identity is enough here
        return id(self)

    def universe(self):
        """What the page rules of ``site.toml`` read (:class:`versus.config.Universe`): each fund's category,
        the categories' benchmarks and asset classes in file order, and each fund's size: its latest
        ``aum`` on file, else its latest ``fund_assets`` (the whole fund across share classes: Vanguard's
        figure, an upper bound of the ETF's own), whatever the build's date, so URLs never depend on it."""
        size = {}
        for t, record in self.funds.items():
            for key in ("aum", "fund_assets"):
                obs = record.history(key)
                if obs:
                    size[t] = float(sorted(obs, key=lambda o: o.start)[-1].value)  # a tie: the one listed last
                    break
        return Universe(category={t: r.category for t, r in self.funds.items() if r.category},
                        benchmark={c.id: c.benchmark for c in self.categories.values()},
                        asset_class={c.id: c.asset_class for c in self.categories.values()}, size=size)

    def site_categories(self, tickers) -> dict[str, dict]:
        """The categories of ``tickers`` in file order: ``{id: {id, name, asset_class, benchmark, note, funds}}``,
        ``funds`` the category's tickers largest first (:meth:`universe`'s sizes)."""
        tickers = list(tickers)  # a benchmark that is not one of them (not started yet) is left out: None
        order = self.universe().by_size(tickers)
        out = {}
        for c in self.categories.values():
            funds = [t for t in order if t in self.funds and self.funds[t].category == c.id]
            if funds:
                out[c.id] = {"id": c.id, "name": c.name, "asset_class": c.asset_class, "benchmark": c.benchmark if c.benchmark in tickers else None,
                             "note": c.note, "funds": funds}
        return out

    def facts_as_of(self, ticker: str, as_of, live: dict | None = None, latest: bool = False) -> "FundFacts":
        """The fund's facts as of ``as_of`` (a date), live observations merged first (``latest``: each
        fact's latest observation, flagged when observed after ``as_of``)."""
        record = merge_live(self.funds.get(ticker), ticker, live or {})
        return resolve(record, as_of, self.sources, self.categories, ticker, latest)


def facts_date(prep, md):
    """The date fund facts are dated against: the date asked for (``--as-of 2026-01-25``, a Sunday, uses
    the facts observed on the 25th with the prices of Friday the 23rd); otherwise the last close, or the
    day live values were fetched when that is later.  A build without ``--as-of`` takes each fact's latest
    observation (:func:`select` with ``latest``) and dates it against this day."""
    if prep.requested is not None:
        return prep.requested.date()
    day = prep.as_of.date()
    for meta in md.meta.values():
        for entry in (meta or {}).values():
            when = str(entry.get("as_of") or "") if isinstance(entry, dict) else ""
            if len(when) >= 10 and when[:10] > day.isoformat():
                try:
                    day = max(day, pd.Timestamp(when[:10]).date())
                except ValueError:
                    continue
    return day

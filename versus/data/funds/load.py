"""Loading ``data/funds.toml``: every table checked, every error naming file, line and key."""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ...config import decode_text
from ...errors import ConfigError
from ...util import MAX_DEPTH, is_ticker, suggest, toml_nesting, toml_position
from . import plausible
from .records import (_ID_RE, _REPO_PATH_RE, ASSET_CLASSES, CATEGORY_FIELDS, DEFAULT_PATH, FACT_KEYS, FUND_KEYS,
                      HOLDINGS_FIELDS, NOTE_FIELDS, OBS_FIELDS, SECTOR_FIELDS, SNAPSHOT_KEYS, SOURCE_FIELDS, TAXONOMIES,
                      TOP_LEVEL, Category, Check, FundRecord, Observation, Source)
from .resolve import FundsFile
from .scanner import fail_at, key_lines, locate
from .values import _as_of, _Invalid, fact_value, sector_weights, top_holdings


class _Loader:
    def __init__(self, path: Path, text: str, checks: Iterable[Check]):
        self.path, self.checks, self.toml = path, [plausible.check, *checks], text
        self._lines: dict[tuple, int] | None = None

    @property
    def lines(self) -> dict[tuple, int]:
        if self._lines is None:  # only when there is an error to place: the scan costs ~0.2 s
            self._lines = key_lines(self.toml)
        return self._lines

    def fail(self, where: tuple, message: str):
        fail_at(self.path, locate(self.lines, where), where, message)

    def keys(self, table: dict, allowed: tuple[str, ...], where: tuple) -> None:
        for key in table:
            if key not in allowed:
                close = suggest(key, allowed)
                hint = close if close else f" (known: {', '.join(allowed)})"
                self.fail(where + (key,), f"unknown key{hint}")

    def text(self, raw, where: tuple, required: bool = True, what: str | None = None) -> str | None:
        """A non-empty string, plausible (printable, not too long: :func:`plausible.text`)."""
        if raw is None and not required:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.fail(where, f"expected a non-empty string, got {raw!r}")
        what = what or next((p for p in reversed(where) if isinstance(p, str)), "text")
        self.plausible(where, plausible.text(raw, what, plausible.MAX_NAME if what == "name" else plausible.MAX_SOURCE))
        return raw

    def as_of(self, raw, where: tuple) -> str:
        """A date "YYYY-MM-DD" or "YYYY-MM", not in the future (:func:`plausible.as_of`)."""
        try:
            value = _as_of(raw)
        except _Invalid as exc:
            self.fail(where, str(exc))
        self.plausible(where, plausible.as_of(value, what=where[-1] if isinstance(where[-1], str) else "as_of"))
        return value

    def plausible(self, where: tuple, problem: str | None) -> None:
        if problem:  # implausible (versus.data.funds.plausible): the value and the plausible range
            self.fail(where + tuple(getattr(problem, "sub", ())), problem)

    def source(self, raw, where: tuple, sources: Mapping[str, Source]) -> str:
        if not isinstance(raw, str) or raw not in sources:
            close = suggest(str(raw), list(sources))
            hint = (close if close else
                    f" (add a [sources.{raw}] table with its name, date and link)" if isinstance(raw, str) and _ID_RE.fullmatch(raw)
                    else " (sources are keys of the [sources] table)")
            self.fail(where, f"unknown source {raw!r}{hint}")
        return raw

    def check(self, ticker: str, key: str, obs: Observation, where: tuple,
              remap: Callable[[tuple], tuple] | None = None) -> None:
        """Run every check on ``obs``; ``remap`` turns a problem's key path inside the parsed value into the
        file's (top holdings are sorted by weight once read)."""
        for check in self.checks:
            message = check(ticker, key, obs)
            if message:
                sub = tuple(getattr(message, "sub", ()))
                self.fail(where + (remap(sub) if remap else sub), message)


def _parse_sources(ld: _Loader, raw) -> dict[str, Source]:
    if not isinstance(raw, dict):
        ld.fail(("sources",), "must be a table of [sources.<id>] tables")
    out = {}
    for sid, table in raw.items():
        where = ("sources", sid)
        if not _ID_RE.fullmatch(sid):
            ld.fail(where, "a source id is lower-case letters, digits and '-' (e.g. articles-2026)")
        if not isinstance(table, dict):
            ld.fail(where, "must be a table with name, date and url")
        ld.keys(table, SOURCE_FIELDS, where)
        name = ld.text(table.get("name"), where + ("name",))
        if _REPO_PATH_RE.search(name):
            ld.fail(where + ("name",), f"{name!r} looks like a repository path or commit: readers see this "
                                      f"name, so describe the source (e.g. \"Yahoo Finance fund profile (via "
                                      f"owner/repo), 27 Sep 2026\") and put the link in url")
        if "date" not in table:
            ld.fail(where, "missing 'date' (when the source was published or collected)")
        date = ld.as_of(table["date"], where + ("date",))
        url = ld.text(table.get("url"), where + ("url",), required=False)
        if url is not None and not url.startswith("https://"):
            ld.fail(where + ("url",), f"a public https:// link, got {url!r}")
        note = ld.text(table.get("note"), where + ("note",), required=False)
        out[sid] = Source(sid, name, date, url, note)
    return out


def _parse_categories(ld: _Loader, raw) -> dict[str, Category]:
    if not isinstance(raw, dict):
        ld.fail(("categories",), "must be a table of [categories.<id>] tables")
    out = {}
    for cid, table in raw.items():
        where = ("categories", cid)
        if not _ID_RE.fullmatch(cid):
            ld.fail(where, "a category id is lower-case letters, digits and '-' (e.g. us-small-cap)")
        if not isinstance(table, dict):
            ld.fail(where, "must be a table with name, asset_class and benchmark")
        ld.keys(table, CATEGORY_FIELDS, where)
        for part in ("name", "asset_class", "benchmark"):
            if part not in table:
                ld.fail(where, f"missing {part!r}")
        name = ld.text(table["name"], where + ("name",))
        ac = table["asset_class"]
        if ac not in ASSET_CLASSES:
            close = suggest(str(ac), ASSET_CLASSES)
            hint = close if close else f" (one of: {', '.join(ASSET_CLASSES)})"
            ld.fail(where + ("asset_class",), f"unknown asset class {ac!r}{hint}")
        bench = table["benchmark"]
        if not isinstance(bench, str) or not is_ticker(bench):
            ld.fail(where + ("benchmark",), f"expected a ticker of this file, got {bench!r}")
        out[cid] = Category(cid, name, ac, bench, ld.text(table.get("note"), where + ("note",), required=False))
    return out


def _observations(ld: _Loader, ticker: str, key: str, raw, sources) -> tuple[Observation, ...]:
    where = (ticker, key)
    items = [raw] if isinstance(raw, dict) else raw  # a single { value, as_of, source } is one observation
    if not isinstance(items, list) or not items:
        ld.fail(where, 'must be a list of observations [ { value = ..., as_of = "...", source = "..." }, ... ]')
    out = []
    for n, item in enumerate(items):
        at = where + ((n,) if isinstance(raw, list) else ())
        if not isinstance(item, dict):
            ld.fail(at, 'each observation is a table { value = ..., as_of = "...", source = "..." }')
        ld.keys(item, OBS_FIELDS, at)
        for part in ("value", "as_of", "source"):
            if part not in item:
                ld.fail(at, f"missing {part!r}")
        try:
            value = fact_value(key, item["value"])
        except _Invalid as exc:
            ld.fail(at + ("value",), str(exc))
        obs = Observation(value, ld.as_of(item["as_of"], at + ("as_of",)),
                          ld.source(item["source"], at + ("source",), sources),
                          ld.text(item.get("note"), at + ("note",), required=False))
        ld.check(ticker, key, obs, at)
        out.append(obs)
    return tuple(out)


def _notes(ld: _Loader, ticker: str, raw, sources) -> tuple[Observation, ...]:
    where = (ticker, "notes")
    if not isinstance(raw, list):
        ld.fail(where, 'must be a list of dated quotes [ { text = "...", as_of = "...", source = "..." } ]')
    out = []
    for n, item in enumerate(raw):
        at = where + (n,)
        if not isinstance(item, dict):
            ld.fail(at, 'a note is a dated quote { text = "...", as_of = "YYYY-MM", source = "<source id>" }: '
                        'a figure belongs in its dated fact, not in a note')
        ld.keys(item, NOTE_FIELDS, at)
        for part in ("text", "as_of", "source"):
            if part not in item:
                ld.fail(at, f"missing {part!r}")
        claim = item.get("claim")  # checked by the pages (versus.content.claims); its syntax by the build's checks
        if claim is not None and (not isinstance(claim, str) or not claim.strip()):
            ld.fail(at + ("claim",), f"a claim is an expression in quotes, got {claim!r}")
        obs = Observation(ld.text(item["text"], at + ("text",), what="note"), ld.as_of(item["as_of"], at + ("as_of",)),
                          ld.source(item["source"], at + ("source",), sources),
                          ld.text(item.get("note"), at + ("note",), required=False), claim=claim,
                          line=locate(ld.lines, at + ("claim",)) if claim else None)
        ld.check(ticker, "notes", obs, at)
        out.append(obs)
    ld.plausible(where, plausible.notes([o.value for o in out]))  # at most MAX_NOTES
    return tuple(out)


def _snapshots(ld: _Loader, ticker: str, key: str, raw, sources) -> tuple[Observation, ...]:
    where = (ticker, key)
    items = [raw] if isinstance(raw, dict) else raw
    header = f"[[{ticker}.{key}]]"
    if not isinstance(items, list) or not items or not all(isinstance(x, dict) for x in items):
        ld.fail(where, f"must be one or more {header} blocks")
    fields = SECTOR_FIELDS if key == "sector_weights" else HOLDINGS_FIELDS
    content = "weights" if key == "sector_weights" else "holdings"
    out = []
    for n, item in enumerate(items):
        at = where + ((n,) if isinstance(raw, list) else ())
        ld.keys(item, fields, at)
        for part in fields:
            if part != "note" and part not in item:
                ld.fail(at, f"missing {part!r}")
        taxonomy = None
        if key == "sector_weights":
            taxonomy = item["taxonomy"]
            if taxonomy not in TAXONOMIES:
                close = suggest(str(taxonomy), TAXONOMIES)
                hint = close if close else f" (one of: {', '.join(TAXONOMIES)})"
                ld.fail(at + ("taxonomy",), f"unknown taxonomy {taxonomy!r}{hint}")
        try:
            data = sector_weights(item[content], taxonomy) if taxonomy else top_holdings(item[content])
        except _Invalid as exc:
            ld.fail(at + (content,) + exc.sub, str(exc))
        obs = Observation(data, ld.as_of(item["as_of"], at + ("as_of",)),
                          ld.source(item["source"], at + ("source",), sources),
                          ld.text(item.get("note"), at + ("note",), required=False), taxonomy)
        ld.check(ticker, key, obs, at, _file_order(item[content]) if key == "top_holdings" else None)
        out.append(obs)
    return tuple(out)


def _file_order(holdings: list) -> Callable[[tuple], tuple]:
    """The key path of a problem inside parsed top holdings (sorted by weight, a stable sort) back in the
    file's order: ``("holdings", 0, "name")`` -> the index the largest holding has in the file."""
    order = sorted(range(len(holdings)), key=lambda i: -float(holdings[i]["weight"]))

    def remap(sub: tuple) -> tuple:
        return (sub[0], order[sub[1]]) + sub[2:] if len(sub) > 1 and isinstance(sub[1], int) else sub

    return remap


def _parse_fund(ld: _Loader, ticker: str, table: dict, sources, categories) -> FundRecord:
    ld.keys(table, FUND_KEYS, (ticker,))
    name = ld.text(table.get("name"), (ticker, "name"), required=False)
    if "category" not in table:
        ld.fail((ticker,), f"missing 'category' (one of the [categories]: {', '.join(categories) or 'none defined'})")
    cat = table["category"]
    if cat not in categories:
        close = suggest(str(cat), list(categories))
        hint = close if close else " (add it to [categories])"
        ld.fail((ticker, "category"), f"unknown category {cat!r}{hint}")
    obs = {}
    for key in FACT_KEYS:
        if key in table:
            obs[key] = _observations(ld, ticker, key, table[key], sources)
    for key in SNAPSHOT_KEYS:
        if key in table:
            obs[key] = _snapshots(ld, ticker, key, table[key], sources)
    if "notes" in table:
        obs["notes"] = _notes(ld, ticker, table["notes"], sources)
    return FundRecord(ticker, name, cat, obs)


def load_funds(path: Path = DEFAULT_PATH, checks: Iterable[Check] = ()) -> FundsFile:
    """Read and validate ``funds.toml``; return a :class:`FundsFile` (a mapping ticker -> FundRecord).

    Raises ConfigError with a one-line message ``path:LINE: key: message``.  Every value is checked for
    plausibility (:mod:`.plausible`); ``checks`` are extra per-value checks (:data:`Check`), run on every
    observation after its own validation.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    text = decode_text(raw, path)  # a byte-order mark or bytes that are not UTF-8: named, with the line
    deep = toml_nesting(text)
    if deep is not None:
        raise ConfigError(f"{path}:{deep}: nested more than {MAX_DEPTH} levels deep")
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        line, column, message = toml_position(str(exc))
        if line:
            raise ConfigError(f"{path}:{line}: invalid TOML: {message} (column {column})") from None
        raise ConfigError(f"{path}: invalid TOML: {message}") from None

    ld = _Loader(path, text, checks)
    sources = _parse_sources(ld, data.get("sources", {}))
    categories = _parse_categories(ld, data.get("categories", {}))
    funds = {}
    for ticker, table in data.items():
        if ticker in TOP_LEVEL:
            continue
        if not is_ticker(ticker):
            close = suggest(ticker, TOP_LEVEL)
            hint = (close if close else
                    " (expected [sources], [categories] or an upper-case [TICKER] table such as [QQQ])")
            ld.fail((ticker,), f"not a ticker{hint}")
        if not isinstance(table, dict):
            ld.fail((ticker,), f"must be a [{ticker}] table")
        funds[ticker] = _parse_fund(ld, ticker, table, sources, categories)
    for cid, cat in categories.items():
        if cat.benchmark not in funds:
            close = suggest(cat.benchmark, list(funds))
            hint = close if close else ""
            ld.fail(("categories", cid, "benchmark"), f"{cat.benchmark!r} is not a fund of this file{hint}")
    return FundsFile(funds, sources, categories, path, text)

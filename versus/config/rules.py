"""Pages from rules: ``[[rules]]`` in ``site.toml`` generate pairs and groups from the fund categories of
``data/funds.toml``, next to the explicit ``pairs`` and ``groups`` lists.

    [[rules]]
    pairs = "within-category"       # every pair inside each category, the largest funds' first
    max = 15                        # at most this many per category (optional)
    [[rules]]
    pairs = "vs-benchmark"          # each fund against its category's benchmark fund
    [[rules]]
    pairs = "between-benchmarks"    # the categories' benchmark funds against each other, per asset class
    [[rules]]
    groups = "largest-per-category" # the `size` (3-5, default 4) largest funds of each category of 3 or more
    size = 4

Every rule also takes ``categories = ["us-small-cap", ...]`` (default: every category).  Fund size is the
latest assets figure on file (``aum``, else ``fund_assets``), not the one as of the build's date, so the
pages and their URLs do not change with ``--as-of``; funds without one come last, by ticker.

Explicit pairs come first, then each rule's in file order.  A pair already listed (in either order) is
not listed again: the first one wins and the rule's note says so ("SPY vs DIA is already listed as DIA vs
SPY (site.toml:14)").  Groups likewise, whatever the order of their funds.  Parsing (:func:`parse_rules`)
checks names and values with file:line; :func:`expand` needs the categories and sizes, which the build
reads from ``data/funds.toml`` (:class:`Universe`).
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..util import suggest

PAIR_RULES = {
    "within-category": "every pair inside each category, the largest funds' pairs first",
    "vs-benchmark": "each fund against its category's benchmark fund",
    "between-benchmarks": "the categories' benchmark funds against each other, within each asset class",
}
GROUP_RULES = {
    "largest-per-category": "the largest funds of each category with at least 3 (size = 3 to 5, default 4)",
}
RULE_OPTIONS = {"within-category": {"max", "categories"}, "vs-benchmark": {"categories"},
                "between-benchmarks": {"categories"}, "largest-per-category": {"size", "categories"}}
"""The keys each rule takes besides its name."""
KEYS = ("pairs", "groups", "max", "size", "categories")
GROUP_SIZE = (3, 5)
DEFAULT_GROUP_SIZE = 4


@dataclass(frozen=True)
class Rule:
    """One ``[[rules]]`` table: what it makes (``pairs`` or ``groups``), its name, options and line."""

    kind: str                              # "pairs" | "groups"
    name: str
    path: str
    line: int | None
    max: int | None = None                 # within-category: pairs per category
    size: int = DEFAULT_GROUP_SIZE         # largest-per-category: funds per group
    categories: tuple[str, ...] | None = None
    category_line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def label(self) -> str:
        return f'{self.kind} = "{self.name}"'


@dataclass(frozen=True)
class Universe:
    """What the rules read from ``data/funds.toml``: each fund's category, each category's benchmark and
    asset class (in the file's order), and each fund's size (latest assets on file, dollars)."""

    category: dict[str, str]
    benchmark: dict[str, str]
    asset_class: dict[str, str]
    size: dict[str, float] = field(default_factory=dict)

    def by_size(self, tickers) -> list[str]:
        """Largest first; funds without a size last, by ticker."""
        return sorted(tickers, key=lambda t: (t not in self.size, -self.size.get(t, 0.0), t))


# --------------------------------------------------------------------------- parsing
def _headers(text: str) -> list[int]:
    """Line numbers (1-based) of the ``[[rules]]`` headers, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*rules\s*\]\]", line)]


def _key_line(text: str, start: int | None, key: str) -> int | None:
    """Line of ``key = ...`` inside the rule starting at ``start`` (up to the next table header)."""
    if start is None:
        return None
    lines = text.splitlines()
    for n in range(start, len(lines)):
        line = lines[n]
        if re.match(r"^\s*\[", line):
            break
        if re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return n + 1
    return start


def parse_rules(raw, text: str, path: Path | str) -> tuple[Rule, ...]:
    """The ``[[rules]]`` tables, checked: one of ``pairs``/``groups`` naming a known rule, only the keys that
    rule takes, values of the right type and range.  Errors are one line with file:line."""
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise ConfigError(f"{path}: 'rules' must be [[rules]] tables (an array of tables)")
    starts = _headers(text)
    return tuple(_rule(entry, k, text, str(path), starts[k] if k < len(starts) else None)
                 for k, entry in enumerate(raw))


def _rule(entry: dict, k: int, text: str, path: str, start: int | None) -> Rule:
    def fail(key: str | None, msg: str):
        line = _key_line(text, start, key) if key else start
        raise ConfigError(f"{path}:{line}: rules[{k}]: {msg}" if line else f"{path}: rules[{k}]: {msg}")

    for key in entry:
        if key not in KEYS:
            fail(key, f"unknown key '{key}'{suggest(key, KEYS)}")
    kinds = [key for key in ("pairs", "groups") if key in entry]
    if len(kinds) != 1:
        fail(None, "give exactly one of pairs = \"<rule>\" or groups = \"<rule>\""
                   f" (pair rules: {', '.join(PAIR_RULES)}; group rules: {', '.join(GROUP_RULES)})")
    kind = kinds[0]
    known = PAIR_RULES if kind == "pairs" else GROUP_RULES
    name = entry[kind]
    if not isinstance(name, str) or name not in known:
        hint = suggest(str(name), known) or f" (known: {', '.join(known)})"
        fail(kind, f"unknown {kind[:-1]} rule {name!r}{hint}")
    for key in entry:
        if key not in (kind, *RULE_OPTIONS[name]):
            fail(key, f"'{key}' does not apply to {kind} = \"{name}\" (it takes: "
                      f"{', '.join(sorted(RULE_OPTIONS[name])) or 'nothing'})")
    opts = {}
    if "max" in entry:
        opts["max"] = _whole(entry["max"], "max", 1, None, fail)
    if "size" in entry:
        opts["size"] = _whole(entry["size"], "size", *GROUP_SIZE, fail)
    if "categories" in entry:
        cats = entry["categories"]
        if not isinstance(cats, list) or not cats or not all(isinstance(c, str) for c in cats):
            fail("categories", f"'categories' must be a non-empty list of category ids, got {cats!r}")
        opts["categories"] = tuple(cats)
        opts["category_line"] = _key_line(text, start, "categories")
    return Rule(kind, name, path, _key_line(text, start, kind), **opts)


def _whole(value, key: str, lo: int, hi: int | None, fail) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < lo or (hi is not None and value > hi):
        span = f"from {lo} to {hi}" if hi is not None else f"{lo} or more"
        fail(key, f"'{key}' must be a whole number {span}, got {value!r}")
    return value


# --------------------------------------------------------------------------- expansion
def expand(cfg, universe: Universe):
    """``cfg`` with its pairs and groups: the explicit ones, then each rule's, duplicates dropped with a
    note (``cfg.notes``).  Pairs and groups only name configured funds."""
    if not cfg.rules:
        return cfg
    funds = set(cfg.funds)
    _check_categories(cfg.rules, universe)
    pairs, seen = list(cfg.pairs), {frozenset(p): (p, f"{cfg.path} pairs") for p in cfg.pairs}
    groups, gseen = list(cfg.groups), {frozenset(g): (g, f"{cfg.path} groups") for g in cfg.groups}
    notes = [f"{t} has no category in data/funds.toml: left out of the category rules"
             for t in cfg.funds if t not in universe.category]
    for rule in cfg.rules:
        made, kept, dups = (_pairs if rule.kind == "pairs" else _groups)(rule, universe, funds), 0, []
        target, known = (pairs, seen) if rule.kind == "pairs" else (groups, gseen)
        for item in made:
            key = frozenset(item)
            if key in known:
                first, where = known[key]
                dups.append(f"{' vs '.join(item)} is already listed"
                            + ("" if tuple(first) == tuple(item) else f" as {' vs '.join(first)}")
                            + f" ({where})")
                continue
            known[key] = (item, rule.where)
            target.append(item)
            kept += 1
        notes.append(f"{rule.where}: {rule.label}: {kept} {rule.kind}"
                     + (f"; {len(dups)} already listed, kept once: {'; '.join(dups)}" if dups else ""))
    return dataclasses.replace(cfg, pairs=pairs, groups=groups, notes=tuple(cfg.notes) + tuple(notes), rules=(),
                               unexpanded=cfg.unexpanded or cfg,
                               from_rules=(len(pairs) - len(cfg.pairs), len(groups) - len(cfg.groups)))


def _check_categories(rules, universe: Universe) -> None:
    for rule in rules:
        for c in rule.categories or ():
            if c not in universe.benchmark:
                line = rule.category_line or rule.line
                raise ConfigError(f"{rule.path}:{line}: {rule.label}: unknown category '{c}'"
                                  f"{suggest(c, universe.benchmark)} (categories are defined in data/funds.toml)")


def _members(rule: Rule, universe: Universe, funds: set[str]) -> list[tuple[str, list[str]]]:
    """(category, its configured funds largest first) for the categories the rule covers, in file order."""
    wanted = rule.categories or tuple(universe.benchmark)
    out = []
    for c in universe.benchmark:
        if c in wanted:
            out.append((c, universe.by_size(t for t in funds if universe.category.get(t) == c)))
    return out


def _pairs(rule: Rule, universe: Universe, funds: set[str]) -> list[tuple[str, str]]:
    if rule.name == "within-category":
        out = []
        for _, members in _members(rule, universe, funds):
            # the pairs among the 2 largest, then those the 3rd largest adds, ...: capped, the largest stay
            made = [(members[i], members[j]) for j in range(1, len(members)) for i in range(j)]
            out += made[:rule.max] if rule.max is not None else made
        return out
    if rule.name == "vs-benchmark":
        out = []
        for c, members in _members(rule, universe, funds):
            bench = universe.benchmark[c]
            if bench in funds:
                out += [(t, bench) for t in members if t != bench]
        return out
    classes: dict[str, list[str]] = {}  # between-benchmarks
    for c, _ in _members(rule, universe, funds):
        bench = universe.benchmark[c]
        if bench in funds and bench not in classes.setdefault(universe.asset_class[c], []):
            classes[universe.asset_class[c]].append(bench)
    return [p for benches in classes.values() for p in itertools.combinations(universe.by_size(benches), 2)]


def _groups(rule: Rule, universe: Universe, funds: set[str]) -> list[tuple[str, ...]]:
    return [tuple(members[:rule.size]) for _, members in _members(rule, universe, funds) if len(members) >= 3]

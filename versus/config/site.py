"""``site.toml``: what to publish.  Parsed strictly; every error names file, line and key.  The
``[[rules]]`` tables are parsed here and expanded into pairs and groups by :func:`versus.config.rules.expand`
(which needs the fund categories)."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..util import MAX_DEPTH, is_ticker, suggest, toml_nesting, toml_position
from .rules import parse_rules

DEFAULT_CONFIG = Path("site.toml")
"""The site definition, in the current folder unless ``--config`` names another."""
FUNDS_FILE = Path("data") / "funds.toml"
SNAPSHOT_DIR = Path("data") / "snapshot"
STORE_DIR = Path("data") / "cache"
"""Site files, relative to the site's folder (:func:`site_path`): fund facts, embedded data, live store."""

TOP_KEYS = {
    "title": str,
    "description": str,
    "base_url": str,
    "funds": list,
    "pairs": list,
    "groups": list,
    "risk_free_rate": (int, float),
    "options": dict,
    "rules": list,
}
OPTION_KEYS = {"allow_html": bool, "max_stale_days": int, "templates": str}


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    title: str
    description: str
    base_url: str
    funds: list[str]
    pairs: list[tuple[str, str]]
    groups: list[tuple[str, ...]] = field(default_factory=list)
    risk_free_rate: float = 0.0
    allow_html: bool = False
    max_stale_days: int = 3  # --live: NYSE sessions prices may be behind before nothing is published
    templates: Path | None = None  # [options] templates: a folder of template overrides, searched first
    rules: tuple = ()              # [[rules]] not expanded yet (versus.config.rules.expand empties it)
    notes: tuple = ()              # what the expansion of the rules did (duplicates dropped, counts)
    from_rules: tuple = (0, 0)     # (pairs, groups) the rules added
    unexpanded: object = field(default=None, compare=False, repr=False)  # this config before its rules were
                                   # expanded: a build as of a date before some funds started expands them again

    @property
    def tickers(self) -> list[str]:
        return list(self.funds)

    @property
    def folder(self) -> Path:
        """The site's folder: the one holding its config file."""
        return Path(self.path).resolve().parent

    def site_path(self, rel: Path | str) -> Path:
        """A site file (``data/funds.toml``, ``data/snapshot``, ...), see :func:`site_path`."""
        return site_path(self.folder, rel)


def site_path(folder: Path, rel: Path | str) -> Path:
    """A site file: beside the config file (in ``folder``), else in the current folder when only that has it
    (a config kept elsewhere that reuses the site's data); the one beside the config when neither has it."""
    here = Path(folder) / rel
    if here.exists():
        return here
    cwd = Path.cwd().resolve() / rel
    return cwd if cwd.exists() else here


def pair_slug(a: str, b: str) -> str:
    """URL slug of a pair: ``qqq-vs-iwm`` (lower case, in config order)."""
    return f"{a.lower()}-vs-{b.lower()}"


def group_slug(tickers) -> str:
    """URL slug of a group: ``iwm-spy-qqq`` (lower case, in config order), published under /compare/."""
    return "-".join(t.lower() for t in tickers)


def _line_of(text: str, key: str) -> int | None:
    """First line (1-based) where ``key = ...`` or ``[key]`` appears, for error messages."""
    pat = re.compile(rf"^\s*(\[{re.escape(key)}\]|{re.escape(key)}\s*=)")
    for n, line in enumerate(text.splitlines(), 1):
        if pat.match(line):
            return n
    return None


def load_config(path: Path | str = DEFAULT_CONFIG) -> SiteConfig:
    """Read and validate ``site.toml``; raise :class:`ConfigError` with ``file:line: problem``."""
    path = Path(path)
    text, raw = _read(path)

    def fail(key: str, msg: str):
        line = _line_of(text, key.split(".")[-1])
        raise ConfigError(f"{path}:{line}: {msg}" if line else f"{path}: {msg}")

    _check_keys(raw, path, fail)
    options = raw.get("options", {})
    templates = _options(options, path, fail)
    funds = raw["funds"]
    if not funds:
        fail("funds", "'funds' is empty: list at least one ticker")
    for t in funds:
        if not is_ticker(t):
            fail("funds", f"{str(t)[:20]!r} is not a ticker (upper-case letters and digits, e.g. 'QQQ')")
    if len(set(funds)) != len(funds):
        dup = next(t for t in funds if funds.count(t) > 1)
        fail("funds", f"fund '{dup}' is listed twice")
    rules = parse_rules(raw["rules"], text, path) if "rules" in raw else ()
    pairs = [_members(p, "pairs", (2, 2), funds, fail) for p in raw.get("pairs", [])]
    seen: set[frozenset] = set()
    for p in pairs:
        if frozenset(p) in seen:
            fail("pairs", f"pair {p[0]}-{p[1]} is listed twice")
        seen.add(frozenset(p))
    groups = [_members(g, "groups", (3, 5), funds, fail) for g in raw.get("groups", [])]
    _distinct(pairs, groups, fail)
    rate = float(raw.get("risk_free_rate", 0.0))
    if not -0.05 <= rate <= 0.25:
        fail("risk_free_rate", f"risk_free_rate {rate} is not an annual fraction (0.04 for 4%)")
    for key in ("title", "description", "base_url"):
        bad = _control(raw.get(key, ""), "\n\t" if key == "description" else "")
        if bad:
            fail(key, f"'{key}' contains a control character ({bad}); it would break the feed and sitemap XML")
    base = raw["base_url"]
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", base):
        fail("base_url", f"base_url {base[:80]!r} must be an absolute http(s) URL")
    return SiteConfig(path=path, title=raw["title"], description=raw.get("description", ""),
                      base_url=base.rstrip("/") + "/", funds=list(funds), pairs=pairs, groups=groups,
                      risk_free_rate=rate, allow_html=options.get("allow_html", False),
                      max_stale_days=options.get("max_stale_days", 3), templates=templates, rules=rules)


_BOMS = {b"\xef\xbb\xbf": "UTF-8", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


def decode_text(data: bytes, path) -> str:
    """The UTF-8 text of a config file; ``ConfigError`` naming a byte-order mark (editors on Windows add one,
    and TOML then says "Invalid statement (line 1, column 1)") or the first byte that is not UTF-8."""
    for mark, name in _BOMS.items():
        if data.startswith(mark):
            raise ConfigError(f"{path}:1: starts with a {name} byte-order mark (BOM); save it as UTF-8 without "
                              "a BOM")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text (byte {data[exc.start]:#04x})") from None


def load_toml(data: bytes, path) -> tuple[str, dict]:
    """(text, table) of a TOML file's bytes: :func:`decode_text`, nesting bounded (:func:`versus.util.toml_nesting`:
    the parser recurses), syntax errors as ``ConfigError`` ``path:line: malformed TOML: …``."""
    text = decode_text(data, path)
    deep = toml_nesting(text)
    if deep is not None:
        raise ConfigError(f"{path}:{deep}: nested more than {MAX_DEPTH} levels deep")
    try:
        return text, tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        line, _, _ = toml_position(str(exc))
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{where}: malformed TOML: {exc}") from None


def _read(path: Path) -> tuple[str, dict]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror})") from None
    return load_toml(data, path)


def _control(text: str, allow: str = "") -> str | None:
    """``U+XXXX`` of the first control character in ``text`` not in ``allow`` (XML 1.0 has none but tab and
    line breaks, and none belongs in a title or URL), or None."""
    for ch in text:
        if ch not in allow and (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"):
            return f"U+{ord(ch):04X}"
    return None


def _distinct(pairs: list, groups: list, fail) -> None:
    """No group listed twice (the same funds in any order), and no two entries published at one address
    (``('A-VS', 'B')`` and ``('A', 'VS-B')`` are both ``a-vs-vs-b``)."""
    seen: set[frozenset] = set()
    for g in groups:
        if frozenset(g) in seen:
            fail("groups", f"group {'-'.join(g)} is listed twice (the same funds, in any order)")
        seen.add(frozenset(g))
    slugs: dict[str, tuple] = {}
    for key, entries, slug in (("pairs", pairs, lambda p: pair_slug(*p)), ("groups", groups, group_slug)):
        for e in entries:
            if slug(e) in slugs:
                fail(key, f"{key} entries {list(slugs[slug(e)])} and {list(e)} would both be published as "
                          f"'{slug(e)}'")
            slugs[slug(e)] = e


def _check_keys(raw: dict, path: Path, fail) -> None:
    """Known top-level keys of the right types, and the required ones."""
    for key, value in raw.items():
        if key not in TOP_KEYS:
            fail(key, f"unknown key '{key}'{suggest(key, TOP_KEYS)}")
        if not isinstance(value, TOP_KEYS[key]) or isinstance(value, bool):
            want = TOP_KEYS[key]
            want = "number" if isinstance(want, tuple) else {str: "string", list: "list", dict: "table"}[want]
            fail(key, f"'{key}' must be a {want}, not {type(value).__name__}")
    for key in ("title", "base_url", "funds", "pairs"):
        if key not in raw and not (key == "pairs" and "rules" in raw):
            raise ConfigError(f"{path}: missing required key '{key}' (or [[rules]] that make pairs)")


def _options(options: dict, path: Path, fail) -> Path | None:
    """Check ``[options]``; returns the template override folder (relative to the config file), if any."""
    for key, value in options.items():
        if key not in OPTION_KEYS:
            fail(key, f"unknown option 'options.{key}'{suggest(key, OPTION_KEYS)}")
        if not isinstance(value, OPTION_KEYS[key]) or (OPTION_KEYS[key] is int and isinstance(value, bool)):
            want = {bool: "true or false", int: "a whole number", str: "a string"}[OPTION_KEYS[key]]
            fail(key, f"'options.{key}' must be {want}, not {type(value).__name__}")
    if options.get("max_stale_days", 0) < 0:
        fail("max_stale_days", "'options.max_stale_days' must be 0 or more (NYSE sessions)")
    if "templates" not in options:
        return None
    templates = (path.resolve().parent / options["templates"]).resolve()
    if not templates.is_dir():
        fail("templates", f"'options.templates': template folder {options['templates']!r} does not exist "
                          f"(looked for {templates})")
    return templates


def _members(entry, key: str, size: tuple[int, int], funds: list[str], fail) -> tuple[str, ...]:
    """A pair or group: 2 (or 3-5) different configured funds."""
    lo, hi = size
    if not isinstance(entry, list) or not lo <= len(entry) <= hi:
        fail(key, f"each entry of '{key}' must be a list of {lo}{'' if lo == hi else f'-{hi}'} tickers, got {entry!r}")
    for t in entry:
        if t not in funds:
            fail(key, f"{key} entry {entry!r} names '{t}', which is not in funds{suggest(str(t), funds)}")
    if len(set(entry)) != len(entry):
        fail(key, f"{key} entry {entry!r} compares a fund with itself")
    return tuple(entry)

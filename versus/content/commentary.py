"""Editor commentary: ``content/pairs/<a>-vs-<b>.md``, ``content/funds/<ticker>.md`` and
``content/index.md``, each with YAML front matter and a Markdown body.

Front matter keys: ``title``, ``description``, ``author``, ``updated`` (a date) and
``claims`` (a list of :mod:`versus.claims` expressions checked on every build).  The
body is CommonMark plus tables (markdown-it-py).  Raw HTML is escaped unless
``site.toml`` sets ``[options] allow_html = true``; the result is always sanitized
with nh3 and links other than http(s), mailto and relative ones are dropped.

Live figures are quoted with placeholders, ``{{ QQQ.total_return.1y | pct }}`` or
``{{ pair.correlation.1y | num(2) }}``: the fact path is resolved here (Jinja cannot
parse ``.1y``), then the filters run in a Jinja ``SandboxedEnvironment`` that knows
only the :mod:`versus.fmt` filters.  Any problem is a :class:`ContentError` naming
``file:line``.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from .. import fmt
from ..config import SiteConfig, pair_slug
from ..errors import ContentError
from ..util import suggest
from . import bounded
from . import claims as cl
from .checking import check_claims
from .html import markdown
from . import placeholders as ph
from .placeholders import PLACEHOLDER, resolve

KEYS = ("title", "description", "author", "updated", "claims")
MAX_TEXT = 100_000
"""Longest commentary file, in characters (10,000 nested <div>s already take the sanitizer a second)."""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Document:
    """One commentary file, parsed and checked (claims parsed, not yet evaluated)."""

    path: Path
    shown: str                      # path as printed in messages (relative to the project)
    kind: str                       # "pair", "fund" or "index"
    key: str                        # pair slug, ticker or ""
    meta: dict
    body: str
    body_line: int                  # file line of the body's first line
    claims: list[tuple[str, int, cl.Claim]] = field(default_factory=list)
    meta_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> its file line


@dataclass
class Content:
    pairs: dict[str, Document] = field(default_factory=dict)
    funds: dict[str, Document] = field(default_factory=dict)
    index: Document | None = None
    warnings: list[str] = field(default_factory=list)  # files under content/ that are not read


def _shown(path: Path, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (the folder holding ``content/``), else to the current folder, else as is."""
    for root in ([base] if base else []) + [Path.cwd()]:
        rel = _relative(path, root)
        if rel is not None:
            return str(rel)
    return str(path)


# --------------------------------------------------------------------------- loading
def parse_document(path: Path, kind: str, key: str, base: Path | None = None) -> Document:
    """Read one file: front matter (validated), body and claims; ContentError on any problem."""
    shown = _shown(path, base)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{shown}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    if len(text) > MAX_TEXT:  # Markdown and the HTML sanitizer are superlinear on some inputs (deep nesting)
        raise ContentError(f"{shown}: {len(text):,} characters; a commentary file may have at most {MAX_TEXT:,}")
    if text.startswith("\ufeff"):
        raise ContentError(f"{shown}:1: starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without a BOM")
    lines = text.splitlines()
    end, meta = _front_matter(shown, lines)

    def line_of(needle: str, default: int = 2) -> int:
        for n, ln in enumerate(lines[1:end], 2):
            if needle in ln:
                return n
        return default

    raw_claims = _check_meta(shown, meta, line_of)
    doc = Document(path, shown, kind, key, meta, "\n".join(lines[end + 1:]), end + 2)
    doc.meta_lines = {k: line_of(f"{k}:") for k in ("title", "description") if k in meta}
    for c in raw_claims:
        at = line_of(str(c).strip(), line_of("claims"))
        try:
            doc.claims.append((c.strip(), at, cl.parse(c)))
        except cl.ClaimError as exc:
            raise ContentError(f"{shown}:{at}: claim {str(c)!r}: {exc}") from None
    return doc


def _front_matter(shown: str, lines: list[str]) -> tuple[int, dict]:
    """The line index closing the front matter, and the front matter parsed (a mapping)."""
    if not lines or lines[0].strip() != "---":
        raise ContentError(f"{shown}:1: missing YAML front matter (start the file with a '---' line)")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise ContentError(f"{shown}:1: front matter is not closed (no second '---' line)")
    fm_text = "\n".join(lines[1:end])
    try:  # bounded: no deep nesting, no aliases expanding to millions of values (versus.content.bounded)
        meta = frontmatter.YAMLHandler().load(fm_text, Loader=bounded.yaml_loader()) if fm_text.strip() else {}
        why = bounded.too_big(meta)
        if why:
            raise bounded.TooBig(why)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError(f"{shown}:{line}: broken YAML front matter: {problem}") from None
    except bounded.TooBig as exc:
        raise ContentError(f"{shown}:2: front matter too large: {exc}") from None
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        raise ContentError(f"{shown}:2: front matter must be a mapping of key: value")
    return end, meta


def _check_meta(shown: str, meta: dict, line_of) -> list:
    """Known keys of the right types (``updated`` normalized in place); returns the raw claims."""
    for k in meta:
        if k not in KEYS:
            raise ContentError(f"{shown}:{line_of(str(k))}: unknown front matter key '{k}'{suggest(str(k), KEYS)}")
    for k in ("title", "description", "author"):
        if k in meta and not isinstance(meta[k], str):
            raise ContentError(f"{shown}:{line_of(k)}: '{k}' must be text")
    if "updated" in meta:
        meta["updated"] = _date(meta["updated"], f"{shown}:{line_of('updated')}")
    raw_claims = meta.get("claims") or []
    if not isinstance(raw_claims, list):
        raise ContentError(f"{shown}:{line_of('claims')}: 'claims' must be a list of expressions")
    if raw_claims and "updated" not in meta:
        raise ContentError(f"{shown}:2: 'updated' (the date the commentary was written) is required with claims")
    for i, c in enumerate(raw_claims):
        if not isinstance(c, str):  # never str() a value: an alias could expand it to millions of items
            raise ContentError(f"{shown}:{line_of('claims')}: claim #{i + 1} must be text (one expression), "
                               f"not a {type(c).__name__}")
    return raw_claims


def _date(value, where: str) -> str:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        shown = repr(value) if isinstance(value, (str, int, float)) else f"a {type(value).__name__}"
        raise ContentError(f"{where}: 'updated' must be a date YYYY-MM-DD, got {shown[:40]}")
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ContentError(f"{where}: 'updated' must be a date YYYY-MM-DD, got {value!r}") from None


def root_of(cfg: SiteConfig, content_dir: Path | None = None) -> Path | None:
    """The content folder: ``content_dir``, else ``content/`` beside the site config (None for a config
    that is not a file, e.g. the benchmark's synthetic one)."""
    if content_dir is None and not Path(cfg.path).is_file():
        return None
    return Path(content_dir) if content_dir is not None else Path(cfg.path).resolve().parent / "content"


def kind_of(root: Path, path: Path) -> tuple[str, str] | None:
    """What a file under ``root`` is: ``("pair", slug)``, ``("fund", stem)``, ``("index", "")``, or None
    (a file the build does not read).

    By where the file sits under ``root`` (its own name, not what a symbolic link points at: a link in
    ``content/pairs/`` to a file kept elsewhere is that pair's commentary), or else by its resolved path (a
    watcher may report real paths under a linked content folder)."""
    rel = _relative(path, root)
    if rel is None:
        return None
    if rel.suffix != ".md":
        return None
    if rel.parts == ("index.md",):
        return "index", ""
    if len(rel.parts) == 2 and rel.parts[0] in ("pairs", "funds"):
        return rel.parts[0][:-1], rel.stem
    return None


def _relative(path: Path, root: Path) -> Path | None:
    """``path`` relative to ``root``: lexically (links not followed), else both resolved; None if outside."""
    for a, b in ((Path(os.path.abspath(path)), Path(os.path.abspath(root))),
                 (Path(path).resolve(), Path(root).resolve())):
        try:
            return a.relative_to(b)
        except ValueError:
            continue
    return None


def load_file(cfg: SiteConfig, root: Path, path: Path) -> Document:
    """One commentary file (of :func:`kind_of`), which must name a configured pair or fund."""
    shown = _shown(path, root.parent)
    what = kind_of(root, path)
    if what is None:
        raise ContentError(f"{shown}: not a commentary file: commentary goes in content/pairs/<a>-vs-<b>.md, "
                           "content/funds/<ticker>.md or content/index.md")
    kind, key = what
    if kind == "pair":
        slugs = {pair_slug(a, b) for a, b in cfg.pairs}
        if key not in slugs:
            x, vs, y = key.partition("-vs-")
            hint = f" (did you mean '{y}-vs-{x}.md'?)" if vs and f"{y}-vs-{x}" in slugs else suggest(key, slugs)
            raise ContentError(f"{shown}: commentary for a pair that is not in {cfg.path.name}: "
                               f"'{key.upper().replace('-VS-', ' vs ')}'{hint}")
    elif kind == "fund":
        tickers = {t.lower(): t for t in cfg.funds}
        if key.lower() not in tickers:
            raise ContentError(f"{shown}: commentary for a fund that is not in {cfg.path.name}: "
                               f"'{key.upper()}'{suggest(key.lower(), tickers)}")
        key = tickers[key.lower()]
    return parse_document(path, kind, key, root.parent)


def load(cfg: SiteConfig, content_dir: Path | None = None) -> Content:
    """Every commentary file under the content folder (:func:`root_of`); files must name a configured pair
    or fund.  Files that are not read (a ``.markdown`` file, a misspelt folder) are warnings."""
    out = Content()
    root = root_of(cfg, content_dir)
    if root is None or not root.is_dir():
        return out
    files = [root / "index.md"] if (root / "index.md").is_file() else []
    for folder in ("pairs", "funds"):
        files += sorted((root / folder).glob("*.md")) if (root / folder).is_dir() else []
    for path in files:
        doc = load_file(cfg, root, path)
        if doc.kind == "index":
            out.index = doc
        else:
            (out.pairs if doc.kind == "pair" else out.funds)[doc.key] = doc
    out.warnings = unread(root)
    return out


def not_built(content: Content, cfg: SiteConfig, prep) -> list[str]:
    """Leave out the commentary of pages an ``--as-of`` build does not make (a fund that had not started
    trading, or a pair with one), and a note for each."""
    if not prep.not_started:
        return []
    notes = []
    slugs = {pair_slug(a, b) for a, b in cfg.pairs}
    for kind, docs, built in (("pair", content.pairs, slugs), ("fund", content.funds, set(cfg.funds))):
        for key in [k for k in docs if k not in built]:
            notes.append(f"{docs.pop(key).shown}: left out: its {kind} page is not built as of "
                         f"{prep.as_of.date()} (a fund had not started trading)")
    return notes


IGNORED = (".", "#")
"""Names of files and folders under content/ that are never warned about (hidden files, editors' locks)."""


def unread(root: Path) -> list[str]:
    """A warning for each file under ``root`` the build does not read, with what to do instead."""
    out = []
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        if any(part.startswith(IGNORED) for part in rel.parts) or path.name.endswith(("~", ".swp", ".bak")):
            continue
        if kind_of(root, path) is not None:
            continue
        shown = _shown(path, Path(root).parent)
        if path.suffix.lower() in (".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".mdx") or (
                path.suffix == "" and len(rel.parts) <= 2):
            out.append(f"{shown}: not read: commentary files end in .md (rename it to {path.stem}.md)")
        elif len(rel.parts) > 1:
            hint = suggest(rel.parts[0], ("pairs", "funds"))
            out.append(f"{shown}: not read: commentary goes in content/pairs/<a>-vs-<b>.md, content/funds/"
                       f"<ticker>.md or content/index.md{hint}")
        else:
            out.append(f"{shown}: not read: only content/index.md is read at the top of content/ (a pair's "
                       f"commentary goes in content/pairs/, a fund's in content/funds/)")
    return out


# --------------------------------------------------------------------------- names
def names(funds: dict, pair: dict | None = None, facts: list[dict] | None = None) -> dict[str, object]:
    """Flatten the figures a document may quote into ``dotted.path -> value``:
    ``<TICKER>.<key>…`` for each fund's JSON section, ``pair.<key>…`` for the pair and
    ``facts.<id>.<key>…`` for the pair's facts (e.g. ``facts.fee_cost_10y.cost``).  Why a figure is null
    is kept under :data:`~versus.content.placeholders.REASONS` (not a name: it has no dot)."""
    flat: dict[str, object] = {}
    reasons: dict[str, str] = {}

    def walk(prefix: str, obj) -> None:
        flat[prefix] = obj
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(f"{prefix}.{k}", v)

    for t, f in funds.items():
        for k, v in f.items():
            if k not in ("null_reasons", "sources"):
                walk(f"{t}.{k}", v)
        reasons.update({f"{t}.{k}": r for k, r in (f.get("null_reasons") or {}).items()})
    for k, v in (pair or {}).items():
        if k != "null_reasons":
            walk(f"pair.{k}", v)
    reasons.update({f"pair.{k}": r for k, r in ((pair or {}).get("null_reasons") or {}).items()})
    for f in facts or []:
        walk(f"facts.{f['id']}", f["values"])
    flat[ph.REASONS] = reasons
    return flat


# --------------------------------------------------------------------------- rendering
def fill(doc: Document, flat: dict) -> str:
    """The body with every placeholder replaced by its formatted value."""
    return fill_checked(doc, flat)[0]


def fill_checked(doc: Document, flat: dict, as_of: str | None = None) -> tuple[str, list[str]]:
    """The body filled, and its warnings (a name with no value as of ``as_of``, a raw fraction)."""
    return ph.fill(doc.body, flat, lambda at: f"{doc.shown}:{doc.body_line + doc.body.count(chr(10), 0, at)}", as_of)


def fill_meta(doc: Document, flat: dict, as_of: str | None = None) -> tuple[dict, list[str]]:
    """``title`` and ``description`` with their placeholders filled (plain text), and their warnings."""
    out, warnings = {}, []
    for key in ("title", "description"):
        if doc.meta.get(key) is None:
            out[key] = None
            continue
        line = doc.meta_lines.get(key, 2)
        out[key], more = ph.fill(doc.meta[key], flat, lambda at, line=line: f"{doc.shown}:{line}", as_of)
        warnings += more
    return out, warnings


def omitted(doc: Document, requested: str) -> dict:
    """The view of a commentary left out of an ``--as-of`` build: written after the date asked for."""
    return {"omitted": True, "title": doc.meta.get("title"), "updated": doc.meta.get("updated"), "source": doc.shown,
            "note": f"Editor commentary on this page, written on {fmt.date(doc.meta.get('updated'))}, is left out: this "
                    f"site is built as of {fmt.date(requested)}, before it was written."}


def render(doc: Document | None, flat: dict, allow_html: bool = False,
           as_of: str | None = None, requested: str | None = None, then: dict | None = None,
           funds: tuple[str, ...] = ()) -> tuple[dict | None, list[str]]:
    """The page view of a document (None if there is none) and its claim warnings.

    ``requested``: the ``--as-of`` date asked for; commentary written after it is left out, with a note.
    ``then``: the figures on the commentary's ``updated`` date (:func:`check_claims`); ``funds``: the page's."""
    if doc is None:
        return None, []
    if requested and doc.meta.get("updated") and doc.meta["updated"] > requested:
        return omitted(doc, requested), []
    meta, warnings = fill_meta(doc, flat, as_of)
    body, more = fill_checked(doc, flat, as_of)
    claims_view, failed = check_claims(doc, flat, then, as_of, funds)
    warnings += more + failed
    html = markdown(body, allow_html)
    view = {
        "title": meta["title"], "description": meta["description"],
        "author": doc.meta.get("author"), "updated": doc.meta.get("updated"), "source": doc.shown,
        "html": html, "claims": claims_view, "failed": [c for c in claims_view if c["message"]],
    }
    n, k = len(view["failed"]), len(claims_view)
    changed = any(c["held_when_written"] for c in view["failed"])
    when = f"as of {fmt.date(as_of)}" if as_of else "on this page's figures"
    view["stale_note"] = (
        f"This commentary was written on {fmt.date(view['updated'])}"
        + ("; the data have changed since" if changed else "")
        + f". {n} of its {k} checked statement{'s' if k != 1 else ''} {'does' if n == 1 else 'do'} not hold {when}:"
        if n else None)
    return view, warnings


def api_view(view: dict | None) -> dict | None:
    """What the JSON publishes about a page's commentary: metadata and claim results (no HTML); a commentary
    left out of an ``--as-of`` build: ``omitted`` with the note."""
    if view is None:
        return None
    if view.get("omitted"):
        return {k: view[k] for k in ("omitted", "title", "updated", "source", "note")}
    return {k: view[k] for k in ("title", "description", "author", "updated", "source")} | {
        "claims": [{"claim": c["claim"], "holds": c["holds"], "held_when_written": c["held_when_written"],
                    "values": c["values"], "explained": c["explained"]} for c in view["claims"]]}

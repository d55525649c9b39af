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
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .. import fmt
from ..facts import claim_words
from ..config import SiteConfig, pair_slug
from ..errors import ContentError
from ..util import suggest
from . import bounded
from . import claims as cl
from .claims import ClaimWarning
from .html import markdown

KEYS = ("title", "description", "author", "updated", "claims")
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_EXPR = re.compile(r"^\s*(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*(?P<rest>(?:\|.*)?)$", re.S)
_FILTER_NAME = re.compile(r"\|\s*([A-Za-z_][A-Za-z0-9_]*)")
_LITERAL = r"""(?:[-+]?\d{1,3}(?:\.\d{1,6})?|True|False|true|false|None|none|'[^'\\]{0,24}'|"[^"\\]{0,24}")"""
_ARGUMENT = rf"(?:[A-Za-z_][A-Za-z0-9_]{{0,19}}\s*=\s*)?{_LITERAL}"
_FILTERS = re.compile(rf"(?:\|\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:\(\s*(?:{_ARGUMENT}(?:\s*,\s*{_ARGUMENT}){{0,3}})?\s*\))?\s*)*")
"""Filters with literal arguments only (a short number, true/false, a short quoted text): Jinja folds constant
expressions at compile time, even in its sandbox, so ``pct(9**(9**9))`` would hang the build."""
MAX_PLACEHOLDER = 200
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


@dataclass
class Content:
    pairs: dict[str, Document] = field(default_factory=dict)
    funds: dict[str, Document] = field(default_factory=dict)
    index: Document | None = None


def _shown(path: Path, base: Path | None = None) -> str:
    """``path`` relative to ``base`` (the folder holding ``content/``), else to the current folder, else as is."""
    for root in ([Path(base).resolve()] if base else []) + [Path.cwd().resolve()]:
        try:
            return str(path.resolve().relative_to(root))
        except ValueError:
            continue
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
    for c in raw_claims:  # texts (_check_meta)
        at = line_of(c.strip(), line_of("claims"))
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


def load(cfg: SiteConfig, content_dir: Path | None = None) -> Content:
    """Every commentary file under ``content_dir`` (default: ``content/`` beside the site config;
    none for a config that is not a file, e.g. the benchmark's synthetic one); files must name a
    configured pair or fund."""
    if content_dir is None and not Path(cfg.path).is_file():
        return Content()
    root = Path(content_dir) if content_dir is not None else Path(cfg.path).resolve().parent / "content"
    out = Content()
    slugs = {pair_slug(a, b): (a, b) for a, b in cfg.pairs}
    pairs_dir, funds_dir = root / "pairs", root / "funds"
    for path in sorted(pairs_dir.glob("*.md")) if pairs_dir.is_dir() else []:
        slug = path.stem
        if slug not in slugs:
            hint = ""
            if "-vs-" in slug:
                x, _, y = slug.partition("-vs-")
                if f"{y}-vs-{x}" in slugs:
                    hint = f" (did you mean '{y}-vs-{x}.md'?)"
            hint = hint or suggest(slug, slugs)
            raise ContentError(f"{_shown(path, root.parent)}: commentary for a pair that is not in {cfg.path.name}: "
                               f"'{slug.upper().replace('-VS-', ' vs ')}'{hint}")
        out.pairs[slug] = parse_document(path, "pair", slug, root.parent)
    tickers = {t.lower(): t for t in cfg.funds}
    for path in sorted(funds_dir.glob("*.md")) if funds_dir.is_dir() else []:
        if path.stem.lower() not in tickers:
            raise ContentError(f"{_shown(path, root.parent)}: commentary for a fund that is not in {cfg.path.name}: "
                               f"'{path.stem.upper()}'{suggest(path.stem.lower(), tickers)}")
        out.funds[tickers[path.stem.lower()]] = parse_document(path, "fund", tickers[path.stem.lower()], root.parent)
    if (root / "index.md").is_file():
        out.index = parse_document(root / "index.md", "index", "", root.parent)
    return out


# --------------------------------------------------------------------------- names
def names(funds: dict, pair: dict | None = None, facts: list[dict] | None = None) -> dict[str, object]:
    """Flatten the figures a document may quote into ``dotted.path -> value``:
    ``<TICKER>.<key>…`` for each fund's JSON section, ``pair.<key>…`` for the pair and
    ``facts.<id>.<key>…`` for the pair's facts (e.g. ``facts.fee_cost_10y.cost``)."""
    flat: dict[str, object] = {}

    def walk(prefix: str, obj) -> None:
        flat[prefix] = obj
        if isinstance(obj, dict):
            for k, v in obj.items():
                walk(f"{prefix}.{k}", v)

    for t, f in funds.items():
        for k, v in f.items():
            if k not in ("null_reasons", "sources"):
                walk(f"{t}.{k}", v)
    for k, v in (pair or {}).items():
        if k != "null_reasons":
            walk(f"pair.{k}", v)
    for f in facts or []:
        walk(f"facts.{f['id']}", f["values"])
    return flat


def resolve(flat: dict, path: str, where: str):
    """The value at ``path``; null when an enclosing figure is null; ContentError when unknown."""
    if path in flat:
        return flat[path]
    parts = path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:i])
        if head in flat:
            if flat[head] is None:
                return None
            break
    leaves = [k for k in flat if "." in k]
    raise ContentError(f"{where}: unknown fact '{path}'{suggest(path, leaves)}")


# --------------------------------------------------------------------------- rendering
def _sandbox() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)
    env.filters = dict(fmt.FILTERS)
    env.globals = {}
    env.tests = {}
    return env


_ENV = _sandbox()


def fill(doc: Document, flat: dict) -> str:
    """The body with every placeholder replaced by its formatted value."""

    def one(match: re.Match) -> str:
        line = doc.body_line + doc.body.count("\n", 0, match.start())
        where = f"{doc.shown}:{line}"
        expr = match.group(1)
        if len(expr) > MAX_PLACEHOLDER:
            raise ContentError(f"{where}: placeholder longer than {MAX_PLACEHOLDER} characters "
                               f"('{{{{{expr[:40]}…')")
        mt = _EXPR.fullmatch(expr)
        if not mt:
            raise ContentError(f"{where}: placeholder '{{{{{expr}}}}}' must be a fact name with optional filters, "
                               f"e.g. {{{{ QQQ.total_return.1y | pct }}}}")
        value = resolve(flat, mt.group("path"), where)
        for name in _FILTER_NAME.findall(mt.group("rest")):
            if name not in fmt.FILTERS:
                raise ContentError(f"{where}: unknown filter '{name}'{suggest(name, fmt.FILTERS)}")
        if not _FILTERS.fullmatch(mt.group("rest")):
            raise ContentError(f"{where}: placeholder '{{{{{expr}}}}}': filter arguments must be short literals "
                               "(a number of up to 3 digits, true/false or a short quoted text), e.g. pct(2)")
        try:
            return _ENV.from_string("{{ _v " + mt.group("rest") + " }}").render(_v=value)
        except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
            raise ContentError(f"{where}: placeholder '{{{{{expr}}}}}': {exc}") from None

    return PLACEHOLDER.sub(one, doc.body)


def _held(claim, then: dict | None) -> bool | None:
    """Whether a claim held on the day its commentary was written (None: not known)."""
    if then is None:
        return None
    try:
        return cl.evaluate(claim, lambda p: then.get(p)).holds
    except cl.ClaimError:
        return None


def check_claims(doc: Document, flat: dict, then: dict | None = None, as_of: str | None = None,
                 funds: tuple[str, ...] = ()) -> tuple[list[dict], list[str]]:
    """Evaluate every claim: (one view per claim, warnings for those that fail or cannot be checked).

    ``then``: the figures as they were on the commentary's ``updated`` date.  A failing claim "no longer
    holds" only if it held then; one that never held "does not hold".  Each view also explains the claim to
    readers in words (:func:`versus.facts.claim_words.explain`), never as the expression."""
    views, warnings = [], []
    updated = doc.meta.get("updated")
    for text, line, claim in doc.claims:
        where = f"{doc.shown}:{line}"
        for p in claim.paths:
            resolve(flat, p, where)
        try:
            res = cl.evaluate(claim, lambda p: resolve(flat, p, where))
        except cl.ClaimError as exc:
            raise ContentError(f"{where}: claim {text!r}: {exc}") from None
        shown = ", ".join(f"{p} = {cl.show(v)}" for p, v in res.values.items())
        held = _held(claim, then)
        message = None
        if res.holds is None:
            nulls = ", ".join(p for p, v in res.values.items() if v is None)
            message = f"claim '{text}' cannot be checked: {nulls} is null"
        elif not res.holds:
            message = _failed(text, shown, held, updated, claim, then)
        views.append({"claim": text, "holds": res.holds, "held_when_written": held, "values": res.values,
                      "message": message,
                      "explained": claim_words.explain(claim.tree, res.holds, res.values, as_of or updated or "",
                                                       funds)})
        if message:
            warnings.append(ClaimWarning(f"{where}: {message}", doc.shown, line, text))
    return views, warnings


def _failed(text: str, shown: str, held: bool | None, updated: str | None, claim, then: dict | None) -> str:
    """The editor's message for a claim that fails: 'no longer holds' only when it held when written."""
    if held:
        was = ", ".join(f"{p} = {cl.show(then.get(p))}" for p in claim.paths)
        return f"claim '{text}' no longer holds ({shown}); it held on {updated}, when the commentary was written ({was})"
    if held is False:
        was = ", ".join(f"{p} = {cl.show(then.get(p))}" for p in claim.paths)
        return f"claim '{text}' does not hold ({shown}), and did not hold on {updated} either ({was})"
    return f"claim '{text}' does not hold ({shown}); whether it held on {updated or 'the day it was written'} is " \
           f"not known"


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
    claims_view, warnings = check_claims(doc, flat, then, as_of, funds)
    html = markdown(fill(doc, flat), allow_html)
    view = {
        "title": doc.meta.get("title"), "description": doc.meta.get("description"),
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

"""Placeholders in commentary, ``{{ QQQ.total_return.1y | pct }}``: the names a page offers, the editors'
filters (documented from their signatures, checked: a filter on the wrong type is one line naming the
filter and the value's type), and what a build warns about (a name with no value, a raw fraction).

The fact path is resolved here (Jinja cannot parse ``.1y``), then the filters run in a Jinja
``SandboxedEnvironment`` that knows only :data:`versus.fmt.EDITOR_FILTERS`.
"""
from __future__ import annotations

import inspect
import re

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .. import fmt
from ..analysis.registry import BY_KEY
from ..errors import ContentError
from ..util import suggest

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
EXPR = re.compile(r"^\s*(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_\-]+)*)\s*(?P<rest>(?:\|.*)?)$", re.S)
_FILTER_NAME = re.compile(r"\|\s*([A-Za-z_][A-Za-z0-9_]*)")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_DIGITS = 10
_LITERAL = r"""(?:[-+]?\d{1,3}(?:\.\d{1,6})?|True|False|true|false|None|none|'[^'\\]{0,24}'|"[^"\\]{0,24}")"""
_ARGUMENT = rf"(?:[A-Za-z_][A-Za-z0-9_]{{0,19}}\s*=\s*)?{_LITERAL}"
_FILTERS = re.compile(rf"(?:\|\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:\(\s*(?:{_ARGUMENT}(?:\s*,\s*{_ARGUMENT}){{0,3}})?\s*\))?\s*)*")
"""Filters with literal arguments only (a short number, true/false, a short quoted text): Jinja folds constant
expressions at compile time, even in its sandbox, so ``pct(9**(9**9))`` would hang the build."""
MAX_PLACEHOLDER = 200
REASONS = "__null_reasons__"
"""The key of a page's names that holds why a figure is null (``QQQ.total_return.10y`` -> the reason)."""
NUMBER_FILTERS = {"pct", "pts", "num", "money", "count"}
FILTERS = fmt.EDITOR_FILTERS
FILTER_ARGS = {"digits": "decimals shown (a whole number, 0-10)", "sign": "true: a leading + on gains",
               "style": "'long' (31 Jul 2026) or 'day' (Fri 31 Jul 2026)"}
"""What each filter argument means (the reference prints them with each filter's signature)."""
_UNIT_FILTER = {"fraction": "pct", "usd": "money", "count": "count", "correlation": "num(2)"}
_FMT_FILTER = {"pct": "pct", "num": "num(2)", "money": "money", "assets": "money", "count": "count", "date": "date"}


class FilterProblem(ValueError):
    """A filter given a value or an argument it cannot format (the message names both)."""

    def __init__(self, message: str, value=None, first: bool = False):
        super().__init__(message)
        self.value, self.first = value, first


def kind_of(value) -> str:
    """A value's type in an editor's words: 'a number', 'text ('Invesco')', 'a mapping (keys: value, peak)'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if isinstance(value, dict):
        keys = ", ".join(list(map(str, value))[:6]) + (", …" if len(value) > 6 else "")
        return f"a mapping (keys: {keys})"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return type(value).__name__


def signature(name: str) -> str:
    """A filter as the reference shows it: ``pct(digits=1, sign=false)``, ``money(digits=0)``, ``count``."""
    params = list(inspect.signature(FILTERS[name]).parameters.values())[1:]
    if not params:
        return name
    shown = [f"{p.name}={str(p.default).lower() if isinstance(p.default, bool) else repr(p.default)}" for p in params]
    return f"{name}({', '.join(shown)})"


def filter_docs() -> list[dict]:
    """Every editors' filter: its signature, the first paragraph of its docstring, its arguments explained."""
    out = []
    for name, fn in FILTERS.items():
        params = list(inspect.signature(fn).parameters)[1:]
        out.append({"name": name, "signature": signature(name),
                    "doc": " ".join(inspect.cleandoc(fn.__doc__ or "").split("\n\n")[0].split()),
                    "args": {p: FILTER_ARGS.get(p, "") for p in params}})
    return out


def _check_args(name: str, args: tuple, kwargs: dict) -> None:
    try:
        bound = inspect.signature(FILTERS[name]).bind(None, *args, **kwargs)
    except TypeError:
        raise FilterProblem(f"filter '{name}' takes {signature(name)}, got "
                            f"{len(args) + len(kwargs)} argument(s)") from None
    for arg, v in list(bound.arguments.items())[1:]:
        if arg == "digits" and (isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= MAX_DIGITS):
            raise FilterProblem(f"filter '{name}': digits must be a whole number from 0 to {MAX_DIGITS}, got {v!r}")
        if arg == "sign" and not isinstance(v, bool):
            raise FilterProblem(f"filter '{name}': sign must be true or false, got {v!r}")
        if arg == "style" and v not in ("long", "day"):
            raise FilterProblem(f"filter '{name}': style must be 'long' or 'day', got {v!r}")


def _checked(name: str):
    """The filter ``name`` with its value and arguments checked first (:class:`FilterProblem`)."""
    fn = FILTERS[name]

    def run(value, *args, **kwargs):
        _check_args(name, args, kwargs)
        if value is None:
            return fmt.DASH
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if name in NUMBER_FILTERS and not number:
            raise FilterProblem(f"filter '{name}' needs a number, got {kind_of(value)}", value)
        if name == "date" and not (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
            raise FilterProblem(f"filter 'date' needs a date (YYYY-MM-DD), got {kind_of(value)}", value)
        return fn(value, *args, **kwargs)

    return run


def _sandbox() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)
    env.filters = {name: _checked(name) for name in FILTERS}
    env.globals = {}
    env.tests = {}
    return env


_ENV = _sandbox()


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


def suggested_filter(path: str, value, flat: dict) -> str | None:
    """The filter a name reads best with: its registry format, its fact's unit, else by type (None: as is)."""
    if isinstance(value, bool) or value is None and path not in flat:
        return None
    if isinstance(value, str):
        return "date" if _ISO_DAY.fullmatch(value) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return "count"
    parts = path.split(".")
    if parts[0] == "facts" and len(parts) > 2:
        unit = flat.get(f"facts.{parts[1]}.unit")
        if parts[-1] in ("relative", "window_days", "days"):
            return "num(2)"
        return _UNIT_FILTER.get(unit, "num(2)")
    metric = BY_KEY.get(parts[1]) if len(parts) > 1 else None
    if metric is not None and (parts[-1] == "value" or len(parts) <= 3):
        return _FMT_FILTER.get(metric.fmt)
    return "pct" if parts[-1] in ("value", "margin") else "num(2)" if isinstance(value, float) else None


def fill(text: str, flat: dict, where_of, as_of: str | None = None) -> tuple[str, list[str]]:
    """``text`` with every placeholder replaced by its formatted value, and the warnings (a name with no
    value, a fraction without a filter).  ``where_of(offset)`` is the ``file:line`` of a position."""
    warnings: list[str] = []

    def one(match: re.Match) -> str:
        where = where_of(match.start())
        out, warning = render_one(match.group(1), flat, where, as_of)
        if warning:
            warnings.append(warning)
        return out

    return PLACEHOLDER.sub(one, text), warnings


def render_one(expr: str, flat: dict, where: str, as_of: str | None = None) -> tuple[str, str | None]:
    """One placeholder's text, and its warning (or None); ContentError naming ``where`` on any problem."""
    if len(expr) > MAX_PLACEHOLDER:
        raise ContentError(f"{where}: placeholder longer than {MAX_PLACEHOLDER} characters ('{{{{{expr[:40]}…')")
    mt = EXPR.fullmatch(expr)
    if not mt:
        raise ContentError(f"{where}: placeholder '{{{{{expr}}}}}' must be a fact name with optional filters, "
                           f"e.g. {{{{ QQQ.total_return.1y | pct }}}}")
    path, rest = mt.group("path"), mt.group("rest")
    value = resolve(flat, path, where)
    names = _FILTER_NAME.findall(rest)
    for name in names:
        if name not in FILTERS:
            raise ContentError(f"{where}: unknown filter '{name}'{suggest(name, FILTERS)}")
    if not _FILTERS.fullmatch(rest):
        raise ContentError(f"{where}: placeholder '{{{{{expr.strip()}}}}}': filter arguments must be short literals "
                           "(a number of up to 3 digits, true/false or a short quoted text), e.g. pct(2)")
    try:
        out = _ENV.from_string("{{ _v " + rest + " }}").render(_v=value) if value is not None or names else fmt.DASH
    except FilterProblem as exc:
        message = str(exc)
        if exc.value is value and isinstance(value, dict) and "value" in value:
            message += f" (did you mean '{path}.value'?)"
        raise ContentError(f"{where}: {message.replace(', got ', f', but {path} is ', 1) if exc.value is value else message}"
                           ) from None
    except (TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise ContentError(f"{where}: placeholder '{{{{{expr.strip()}}}}}': {exc}") from None
    return out, _warning(path, value, names, flat, where, as_of)


def _warning(path: str, value, names: list[str], flat: dict, where: str, as_of: str | None) -> str | None:
    if value is None:
        when = f" as of {fmt.date(as_of)}" if as_of else ""
        why = null_reason(flat, path)
        return f"{where}: {path} has no value{when}{f' ({why})' if why else ''}; the page shows {fmt.DASH}"
    if not names and isinstance(value, float):
        hint = suggested_filter(path, value, flat) or "num(2)"
        return (f"{where}: {path} is shown unformatted ({value!r}): add a filter, e.g. "
                f"{{{{ {path} | {hint} }}}}")
    if not names and isinstance(value, (dict, list)):
        return f"{where}: {path} is {kind_of(value)}, shown raw: name one of its values"
    return None


def null_reason(flat: dict, path: str) -> str | None:
    """Why ``path`` (or the figure holding it) is null, when the data say."""
    reasons, parts = flat.get(REASONS) or {}, path.split(".")
    return next((reasons[k] for k in (".".join(parts[:i]) for i in range(len(parts), 1, -1)) if k in reasons), None)


def reference(flat: dict) -> list[dict]:
    """Every name of ``flat`` that holds a value (not a mapping): its value, a placeholder that formats it
    and what that placeholder shows today (the ``names`` command and the preview's /reference/)."""
    rows = []
    for name, value in flat.items():
        if isinstance(value, (dict, list)) or "." not in name or name == REASONS:
            continue
        hint = suggested_filter(name, value, flat)
        placeholder = f"{{{{ {name} | {hint} }}}}" if hint else f"{{{{ {name} }}}}"
        shown = render_one(placeholder[2:-2], flat, name)[0]
        rows.append({"name": name, "value": value, "placeholder": placeholder, "shows": shown,
                     "why": null_reason(flat, name) if value is None else None})
    return rows

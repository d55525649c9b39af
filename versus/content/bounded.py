"""Bounds on everything editors and earlier builds hand the build to evaluate: value size, nesting depth, time.

A build must never hang or exhaust memory on its input.  The ways it could, and the bound on each:

* deeply nested brackets in TOML (``a = [[[[…]]]]``) or JSON: the parsers recurse (RecursionError); a
  pre-scan refuses more than :data:`MAX_DEPTH` levels naming the line (:func:`toml_nesting`, in
  :mod:`versus.util` with :func:`too_big`: ``site.toml`` and the data store are read before this stage);
* YAML front matter: deep nesting (PyYAML's composer recurses: a RecursionError, and once a crash of the
  interpreter at 50,000 levels) is refused while composing (:func:`yaml_loader`), and aliases that expand exponentially (``&a [x,x,…]``, ``[*a,*a,…]``, the
  "billion laughs") are refused by counting the values they expand to (:func:`too_big`);
* template overrides (Jinja, sandboxed): Jinja folds constant expressions at compile time, even in the
  sandbox, so ``{{ 9**(9**9) }}`` or ``{{ 'x' * 10**10 }}`` would hang or exhaust memory before anything
  is rendered.  :class:`BoundedSandbox` intercepts ``** * % + //`` and checks their operands, bounds the
  integer arguments of every call and filter, the widths in format strings, the size of a page and the time
  it takes to render (:func:`render_bounded`).
"""
from __future__ import annotations

import contextlib
import math
import operator
import re
import signal
import threading

from ..util import MAX_DEPTH, MAX_NODES, TooBig, too_big, toml_nesting

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_INT_BITS", "MAX_SIZE", "MAX_PAGE", "RENDER_SECONDS", "TooBig", "too_big",
           "toml_nesting", "yaml_loader", "check_binop", "check_call", "bounded_filter", "sandbox_class",
           "time_limit", "render_bounded"]
MAX_INT_BITS = 256
"""Largest integer a template may compute (about 10**77)."""
MAX_SIZE = 1_000_000
"""Largest string or list a template operation may produce, and largest integer argument of a call."""
MAX_PAGE = 50_000_000
"""Largest page a template may render, in characters."""
RENDER_SECONDS = 60
"""Longest a template may take to render one page."""


def yaml_loader():
    """A ``yaml.SafeLoader`` that refuses nesting deeper than :data:`MAX_DEPTH` while composing (a
    ``yaml.YAMLError`` with the line).  Check the loaded value with :func:`too_big` (aliases)."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                                      self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return Loader


# --------------------------------------------------------------------------- templates
def _int_ok(x) -> bool:
    return not isinstance(x, int) or isinstance(x, bool) or abs(x) <= MAX_SIZE


def _size(x) -> int:
    return len(x) if isinstance(x, (str, list, tuple)) else 0


def _bits(x) -> int:
    return abs(x).bit_length() if isinstance(x, int) and not isinstance(x, bool) else 0


_FORMAT_WIDTH = re.compile(r"\d{7,}")


def check_binop(op: str, a, b) -> None:
    """Raise :class:`TooBig` when ``a op b`` would be huge (before computing it)."""
    if op == "**":
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            base = abs(float(a)) if not isinstance(a, int) else abs(a)
            if base > 1 and b > 0 and b * math.log2(base) > MAX_INT_BITS:
                raise TooBig(f"{a!r} ** {b!r} is too large (results are bounded to {MAX_INT_BITS} bits)")
        return
    if op == "*":
        for seq, k in ((a, b), (b, a)):
            if isinstance(seq, (str, list, tuple)) and isinstance(k, int) and _size(seq) * max(k, 0) > MAX_SIZE:
                raise TooBig(f"repeating a text or list {k!r} times is too large (at most {MAX_SIZE:,} items)")
        if _bits(a) + _bits(b) > MAX_INT_BITS:
            raise TooBig(f"a product of integers beyond {MAX_INT_BITS} bits")
        return
    if op == "+" and _size(a) + _size(b) > MAX_SIZE:
        raise TooBig(f"a text or list of more than {MAX_SIZE:,} items")
    if op == "%" and isinstance(a, str) and _FORMAT_WIDTH.search(a):
        raise TooBig("a width or precision of a million or more in a format")


_BINOPS = {"**": operator.pow, "*": operator.mul, "%": operator.mod, "+": operator.add}
"""The operators a bounded sandbox intercepts (so Jinja never folds them at compile time) and checks."""


def check_call(fn, args, kwargs) -> None:
    """Raise :class:`TooBig` for a call with an integer argument beyond :data:`MAX_SIZE` (widths, counts,
    repeats), a text argument longer than that, or a format string with a huge width."""
    for x in (*args, *kwargs.values()):
        if not _int_ok(x):
            raise TooBig(f"an argument of {x!r} is too large (at most {MAX_SIZE:,})")
        if isinstance(x, (str, list, tuple)) and len(x) > MAX_SIZE:
            raise TooBig(f"an argument of {len(x):,} items")
    owner = getattr(getattr(fn, "__wrapped__", fn), "__self__", None)  # "…".format(…) and its widths
    if isinstance(owner, str) and getattr(fn, "__name__", "") in ("format", "format_map") \
            and _FORMAT_WIDTH.search(owner):
        raise TooBig("a width or precision of a million or more in a format")


def bounded_filter(fn):
    """A template filter whose arguments are bounded like :func:`check_call` (the value piped in is not: it
    is already a value of the page, but a format string or a join separator is checked against it)."""
    from functools import wraps

    from jinja2.utils import _PassArg

    skip = 2 if _PassArg.from_obj(fn) is not None else 1  # (environment or context,) value
    name = getattr(fn, "__name__", "")

    @wraps(fn)
    def wrapper(*args, **kwargs):
        check_call(fn, args[skip:], kwargs)
        value = args[skip - 1] if len(args) >= skip else None
        if name == "do_format" and isinstance(value, str) and _FORMAT_WIDTH.search(value):
            raise TooBig("a width or precision of a million or more in a format")
        if name == "do_join" and hasattr(value, "__len__"):
            sep = args[skip] if len(args) > skip else kwargs.get("d", "")
            if len(value) * len(str(sep)) > MAX_SIZE:
                raise TooBig(f"joining {len(value):,} items with a {len(str(sep)):,}-character separator")
        return fn(*args, **kwargs)

    return wrapper


def sandbox_class():
    """A Jinja ``SandboxedEnvironment`` subclass with every bound above (a function: jinja2 is imported
    only when templates are)."""
    from jinja2.sandbox import SandboxedEnvironment
    from jinja2.utils import Namespace

    class BoundedNamespace(Namespace):
        """``namespace()``: a value stored in it is bounded (``{% set ns.x = ns.x ~ ns.x %}`` in a loop)."""

        def __setitem__(self, name, value):
            if _size(value) > MAX_SIZE:
                raise TooBig(f"a value of {_size(value):,} items stored in a namespace")
            super().__setitem__(name, value)

    class BoundedSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset(_BINOPS)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters = {k: bounded_filter(f) for k, f in self.filters.items()}
            self.globals["namespace"] = BoundedNamespace

        def call_binop(self, context, op, left, right):
            check_binop(op, left, right)
            return _BINOPS[op](left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805,B902 - Jinja's signature
            check_call(__obj, args, kwargs)
            return super().call(__context, __obj, *args, **kwargs)

    return BoundedSandbox


class _Timeout(BaseException):
    pass


@contextlib.contextmanager
def time_limit(seconds: float, what: str):
    """Raise :class:`TooBig` when the block runs longer than ``seconds`` (main thread, Unix; else no limit).
    Python-level loops are interrupted; one C-level operation is not (hence the size bounds above)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise _Timeout()

    before = signal.signal(signal.SIGALRM, expired)
    old = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Timeout:
        raise TooBig(f"{what} took longer than {seconds:g}s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
        if old[0]:
            signal.setitimer(signal.ITIMER_REAL, old[0])


def render_bounded(template, *args, **kwargs) -> str:
    """Render ``template`` piece by piece, refusing a page beyond :data:`MAX_PAGE` characters or
    :data:`RENDER_SECONDS` seconds."""
    parts, size = [], 0
    with time_limit(RENDER_SECONDS, "rendering the page"):
        for piece in template.generate(*args, **kwargs):
            size += len(piece)
            if size > MAX_PAGE:
                raise TooBig(f"the page is larger than {MAX_PAGE:,} characters")
            parts.append(piece)
    return "".join(parts)

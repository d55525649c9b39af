"""Claims: the tiny, safe expression language editors use to state what their
commentary depends on, e.g. ``QQQ.total_return.1y > IWM.total_return.1y`` or
``abs(QQQ.expense_ratio - IWM.expense_ratio) < 0.0005``.

A hand-written tokenizer and recursive-descent parser; nothing is ever passed to
``eval``.  The language has:

* fact paths: a name followed by dotted segments (``QQQ.max_drawdown.5y.value``);
  segments may start with a digit (``.1y``), which Python syntax could not parse;
* numbers (``0.05``, ``1e-3``) and single- or double-quoted strings (for ``==``);
* ``+ - * /``, unary ``-``, comparisons ``< <= > >= == !=`` (chainable),
  ``and``, ``or``, ``not``, parentheses, and the functions ``abs``, ``min``, ``max``.

A claim must be a comparison or a boolean combination of comparisons.  When a path's
value is null the claim cannot be checked (:attr:`Result.holds` is None).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

FUNCTIONS = {"abs": (1, 1), "min": (2, 16), "max": (2, 16)}
KEYWORDS = {"and", "or", "not"}
COMPARE = {"<", "<=", ">", ">=", "==", "!="}
MAX_LENGTH = 500
MAX_DEPTH = 32
"""Deepest nesting of parentheses, function calls, unary minus and ``not`` (the parser recurses)."""

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?(?![A-Za-z_]))
    | (?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
    | (?P<str>'[^'\\]*'|"[^"\\]*")
    | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|,)
    )""",
    re.VERBOSE,
)


class ClaimError(ValueError):
    """A claim that cannot be parsed (message says where)."""


@dataclass(frozen=True)
class Claim:
    text: str
    tree: tuple
    paths: tuple[str, ...]


@dataclass
class Result:
    holds: bool | None            # None: a value it needs is null
    values: dict = field(default_factory=dict)  # path -> value used


class _Missing(Exception):
    def __init__(self, path: str):
        self.path = path


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        mt = _TOKEN.match(text, pos)
        if not mt or mt.end() == pos:
            bad = text[pos:].lstrip()[:12]
            raise ClaimError(f"unexpected {bad!r} at character {len(text) - len(text[pos:].lstrip()) + 1}")
        kind = mt.lastgroup
        val, start = mt.group(kind), mt.start(kind)
        if kind == "path" and val in KEYWORDS:
            kind = "kw"
        out.append((kind, val, start))
        pos = mt.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0
        self.paths: list[str] = []

    def nested(self, parse):
        """``parse()`` one level deeper; a claim nested beyond :data:`MAX_DEPTH` is refused."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ClaimError(f"nested more than {MAX_DEPTH} levels deep (parentheses, functions, '-' or 'not')")
        try:
            return parse()
        finally:
            self.depth -= 1

    def peek(self, *vals) -> bool:
        return self.i < len(self.toks) and self.toks[self.i][1] in vals

    def take(self):
        if self.i >= len(self.toks):
            raise ClaimError("unexpected end of claim")
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, val: str) -> None:
        tok = self.take()
        if tok[1] != val:
            raise ClaimError(f"expected {val!r} at character {tok[2] + 1}, found {tok[1]!r}")

    def parse(self) -> tuple:
        if not self.toks:
            raise ClaimError("empty claim")
        tree = self.or_()
        if self.i < len(self.toks):
            tok = self.toks[self.i]
            raise ClaimError(f"unexpected {tok[1]!r} at character {tok[2] + 1}")
        if tree[0] not in ("cmp", "and", "or", "not"):
            raise ClaimError("a claim must be a comparison (e.g. A.x > B.x), possibly joined with and/or/not")
        return tree

    def or_(self):
        node = self.and_()
        while self.peek("or"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek("and"):
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.peek("not"):
            self.take()
            return ("not", self.nested(self.not_))
        return self.comparison()

    def comparison(self):
        first = self.sum()
        ops, rest = [], []
        while self.i < len(self.toks) and self.toks[self.i][1] in COMPARE:
            ops.append(self.take()[1])
            rest.append(self.sum())
        return ("cmp", first, tuple(ops), tuple(rest)) if ops else first

    def sum(self):
        node = self.term()
        while self.peek("+", "-"):
            op = self.take()[1]
            node = ("bin", op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.peek("*", "/"):
            op = self.take()[1]
            node = ("bin", op, node, self.unary())
        return node

    def unary(self):
        if self.peek("-", "+"):
            op = self.take()[1]
            return ("neg", self.nested(self.unary)) if op == "-" else self.nested(self.unary)
        return self.atom()

    def atom(self):
        kind, val, pos = self.take()
        if kind == "num":
            return ("num", float(val))
        if kind == "str":
            return ("str", val[1:-1])
        if kind == "path":
            if self.peek("("):
                if val not in FUNCTIONS:
                    raise ClaimError(f"unknown function {val!r} (allowed: {', '.join(FUNCTIONS)})")
                self.take()
                args = [self.nested(self.sum)]
                while self.peek(","):
                    self.take()
                    args.append(self.nested(self.sum))
                self.expect(")")
                lo, hi = FUNCTIONS[val]
                if not lo <= len(args) <= hi:
                    raise ClaimError(f"{val}() takes {lo if lo == hi else f'at least {lo}'} argument(s), got {len(args)}")
                return ("call", val, tuple(args))
            if val in FUNCTIONS:
                raise ClaimError(f"{val} is a function: write {val}(…)")
            self.paths.append(val)
            return ("path", val)
        if val == "(":
            node = self.nested(self.or_)
            self.expect(")")
            return node
        raise ClaimError(f"unexpected {val!r} at character {pos + 1}")


def parse(text: str) -> Claim:
    """Parse a claim; raise :class:`ClaimError` with the position of the problem."""
    if not isinstance(text, str):
        raise ClaimError(f"a claim must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ClaimError(f"claim longer than {MAX_LENGTH} characters")
    p = _Parser(text)
    tree = p.parse()
    return Claim(text.strip(), tree, tuple(dict.fromkeys(p.paths)))


def _num(x, what: str):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ClaimError(f"{what} needs numbers, got {x!r}")
    return x


def _eval(node: tuple, get: Callable[[str], object]):  # complexity: one branch per node kind of the grammar
    kind = node[0]
    if kind in ("num", "str"):
        return node[1]
    if kind == "path":
        v = get(node[1])
        if v is None:
            raise _Missing(node[1])
        return v
    if kind == "neg":
        return -_num(_eval(node[1], get), "-")
    if kind == "bin":
        x, y = _num(_eval(node[2], get), node[1]), _num(_eval(node[3], get), node[1])
        if node[1] == "/":
            if y == 0:
                raise ClaimError("division by zero")
            return x / y
        return {"+": x + y, "-": x - y, "*": x * y}[node[1]]
    if kind == "call":
        args = [_num(_eval(a, get), node[1] + "()") for a in node[2]]
        return {"abs": lambda: abs(args[0]), "min": lambda: min(args), "max": lambda: max(args)}[node[1]]()
    if kind == "cmp":
        left = _eval(node[1], get)
        for op, right_node in zip(node[2], node[3]):
            right = _eval(right_node, get)
            if op in ("==", "!="):
                ok = (left == right) if op == "==" else (left != right)
            else:
                _num(left, op), _num(right, op)
                ok = {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
            if not ok:
                return False
            left = right
        return True
    if kind == "not":
        return not _truth(_eval(node[1], get))
    if kind == "and":
        return _truth(_eval(node[1], get)) and _truth(_eval(node[2], get))
    if kind == "or":
        return _truth(_eval(node[1], get)) or _truth(_eval(node[2], get))
    raise ClaimError(f"unknown node {kind!r}")  # pragma: no cover - parser never builds one


def _truth(v) -> bool:
    if not isinstance(v, bool):
        raise ClaimError(f"and/or/not need comparisons, got {v!r}")
    return v


def evaluate(claim: Claim, get: Callable[[str], object]) -> Result:
    """Evaluate ``claim`` with ``get(path) -> value``.  ``holds`` is None when a value is null."""
    values = {p: get(p) for p in claim.paths}
    try:
        return Result(bool(_eval(claim.tree, values.__getitem__)), values)
    except _Missing:
        return Result(None, values)


def show(value) -> str:
    """A value in a warning: floats to 4 significant digits."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return "null" if value is None else str(value)


class ClaimWarning(str):
    """A warning about a commentary claim (it no longer holds, or cannot be checked): the message
    (``content/pairs/x.md:7: claim '…' no longer holds (…)``) with its ``file``, ``line`` and ``claim``.
    Counted like any warning by ``--strict`` and ``--check``; ``--claims=flag`` (the publish workflow) flags
    it on the page, in the JSON and in the report without failing the build."""

    def __new__(cls, text: str, file: str, line: int, claim: str):
        self = super().__new__(cls, text)
        self.file, self.line, self.claim = file, line, claim
        return self

    def __reduce__(self):  # pickled from the page workers with its fields
        return ClaimWarning, (str(self), self.file, self.line, self.claim)


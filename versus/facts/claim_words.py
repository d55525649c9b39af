"""Editors' claims in words: what a commentary says ("IWM returned more than QQQ over the past year") and
why it fails ("as of 23 Jan 2026 it did not (16.8% vs 17.5%)"), for readers who should never see the
expression itself.

A claim is the tree :mod:`versus.content.claims` parses (tuples: ``("cmp", left, ops, rights)``,
``("path", "IWM.total_return.1y")``, ``("call", "abs", args)`` ...); this module only words it.  The
common shapes read naturally (two funds on one figure, a figure against a number, the gap between two
funds); anything else falls back to a plain reading of the expression with every figure named.
"""
from __future__ import annotations

from .. import fmt
from .model import LABELS

UNITS = {"total_return": "pct", "cagr": "pct", "growth_of_1000": "money", "volatility": "pct", "sharpe": "num",
         "sortino": "num", "max_drawdown": "pct", "calmar": "num", "expense_ratio": "pct2", "aum": "money",
         "holdings_count": "count", "dividend_yield_ttm": "pct2", "dividend_yield_published": "pct2",
         "drawdown_now": "pct", "correlation": "num", "beta": "num", "cost": "money", "amount": "money"}
NOUNS = {"total_return": "total return", "cagr": "yearly growth rate", "growth_of_1000": "value of $1,000",
         "volatility": "volatility", "sharpe": "Sharpe ratio", "sortino": "Sortino ratio",
         "max_drawdown": "worst fall", "calmar": "Calmar ratio", "expense_ratio": "expense ratio",
         "aum": "assets", "holdings_count": "number of holdings", "dividend_yield_ttm": "dividend yield",
         "dividend_yield_published": "published dividend yield", "drawdown_now": "distance below its high",
         "correlation": "correlation of daily returns", "beta": "beta"}
MORE = {">": "more than", ">=": "at least as much as", "<": "less than", "<=": "at most as much as",
        "==": "the same as", "!=": "not the same as"}
ABOVE = {">": "above", ">=": "at least", "<": "below", "<=": "at most", "==": "exactly", "!=": "not"}


def _parts(path: str) -> tuple[str, str, str | None]:
    """('IWM', 'total_return', '1y') from 'IWM.total_return.1y' (the horizon None when there is none)."""
    bits = path.split(".")
    horizon = next((b for b in bits[2:] if b in LABELS or b in ("inception", "90d", "ytd")), None)
    return bits[0], bits[1] if len(bits) > 1 else "", horizon


def _unit(path: str) -> str:
    owner, key, _ = _parts(path)
    if owner == "facts":
        return UNITS.get(path.split(".")[-1], "num")
    return UNITS.get(key, "num")


def show(value, unit: str) -> str:
    """A figure of a claim as a page shows it."""
    if value is None:
        return "no figure"
    if isinstance(value, str):
        return value
    if unit == "pct":
        return fmt.pct(value)
    if unit == "pct2":
        return fmt.pct(value, 2)
    if unit == "money":
        return fmt.money(value)
    if unit == "count":
        return fmt.count(value)
    return fmt.num(value)


def _when(h: str | None) -> str:
    if h is None:
        return ""
    if h in LABELS:
        return f" over {LABELS[h]}"
    return {"inception": " since inception", "90d": " over the last 90 trading days", "ytd": " this year"}.get(h, "")


def _noun(path: str, funds: tuple[str, ...] = ()) -> str:
    """'IWM's total return over the past year', 'the correlation of daily returns of QQQ and IWM over the past
    year' (a pair's figure names the page's funds when known)."""
    owner, key, h = _parts(path)
    if owner == "facts":
        return f"the page's {path.split('.', 1)[1].replace('_', ' ').replace('.', ' ')}"
    noun = NOUNS.get(key, key.replace("_", " "))
    if owner == "pair":
        return f"the {noun} of {' and '.join(funds)}{_when(h)}" if funds else f"their {noun}{_when(h)}"
    return f"{owner}'s {noun}{_when(h)}"


def _same_figure(a: tuple, b: tuple) -> str | None:
    """The figure two paths share (their key and horizon) when they name two funds, else None."""
    if a[0] != "path" or b[0] != "path":
        return None
    pa, pb = a[1].split("."), b[1].split(".")
    if len(pa) < 2 or pa[1:] != pb[1:] or pa[0] == pb[0] or pa[0] in ("pair", "facts"):
        return None
    return pa[1]


def _two_funds(op: str, a: str, b: str) -> str:
    """'IWM returned more than QQQ over the past year' for two funds on one figure."""
    fa, key, h = _parts(a)
    fb = _parts(b)[0]
    when = _when(h)
    if key == "total_return":
        return f"{fa} returned {MORE[op]} {fb}{when}"
    if key == "max_drawdown":
        word = {"<": "deeper than", "<=": "at least as deep as", ">": "shallower than", ">=": "at most as deep as"}
        return f"{fa}'s worst fall{when} was {word.get(op, MORE[op])} {fb}'s"
    if key == "expense_ratio":
        return f"{fa} charges {MORE[op]} {fb}"
    if key in ("dividend_yield_ttm", "dividend_yield_published"):
        return f"{fa} yields {MORE[op]} {fb}"
    return f"{fa}'s {NOUNS.get(key, key.replace('_', ' '))}{when} is {MORE[op].replace('much ', '')} {fb}'s"


def _gap(node: tuple) -> tuple[str, str] | None:
    """('QQQ', 'IWM', key) when ``node`` is abs(A.key - B.key)."""
    if node[0] == "call" and node[1] == "abs" and node[2][0][0] == "bin" and node[2][0][1] == "-":
        left, right = node[2][0][2], node[2][0][3]
        if _same_figure(left, right):
            return left[1], right[1]
    return None


def says(tree: tuple, funds: tuple[str, ...] = ()) -> str:
    """What a claim says, in words (``funds``: the page's, which a pair figure is about)."""
    kind = tree[0]
    if kind == "not":
        return f"it is not so that {says(tree[1], funds)}"
    if kind in ("and", "or"):
        return f"{says(tree[1], funds)} {kind} {says(tree[2], funds)}"
    if kind == "cmp" and len(tree[2]) == 1:
        left, op, right = tree[1], tree[2][0], tree[3][0]
        if _same_figure(left, right):
            return _two_funds(op, left[1], right[1])
        gap = _gap(left)
        if gap and right[0] == "num":
            unit = _unit(gap[0])
            amount = fmt.pts(right[1], 2) if unit.startswith("pct") else show(right[1], unit)
            within = {"<": "less than", "<=": "at most"}.get(op)
            if within:
                noun = NOUNS.get(_parts(gap[0])[1], "figure")
                return (f"{_parts(gap[0])[0]}'s and {_parts(gap[1])[0]}'s {noun}s{_when(_parts(gap[0])[2])} "
                        f"are {within} {amount} apart")
        if left[0] == "bin" and left[1] == "-" and _same_figure(left[2], left[3]) and right[0] == "num":
            a, b = left[2][1], left[3][1]
            unit = _unit(a)
            amount = fmt.pts(right[1]) if unit.startswith("pct") else show(right[1], unit)
            word = {">": "by more than", ">=": "by at least", "<": "by less than", "<=": "by at most"}.get(op)
            if word:
                fa, key, h = _parts(a)
                return f"{fa}'s {NOUNS.get(key, key)}{_when(h)} is ahead of {_parts(b)[0]}'s {word} {amount}"
        if left[0] == "path" and right[0] == "num":
            return f"{_noun(left[1], funds)} is {ABOVE[op]} {show(right[1], _unit(left[1]))}"
    return "the statement " + expression(tree, funds=funds)


def expression(node: tuple, unit: str = "num", funds: tuple[str, ...] = ()) -> str:
    """A plain reading of any expression, every figure named."""
    kind = node[0]
    if kind == "path":
        return _noun(node[1], funds)
    if kind == "num":
        return show(node[1], unit)
    if kind == "str":
        return f"'{node[1]}'"
    if kind == "neg":
        return f"minus {expression(node[1], unit, funds)}"
    if kind == "bin":
        word = {"+": "plus", "-": "minus", "*": "times", "/": "divided by"}[node[1]]
        scale = "num" if node[1] in "*/" else unit  # a factor is a plain number: "2 times", never "200.0% times"
        return f"{expression(node[2], scale, funds)} {word} {expression(node[3], scale, funds)}"
    if kind == "call":
        return f"the {'absolute value' if node[1] == 'abs' else node[1]} of " + " and ".join(
            expression(a, unit, funds) for a in node[2])
    if kind == "cmp":
        out = expression(node[1], unit, funds)
        for op, right in zip(node[2], node[3]):
            out += f" is {ABOVE[op]} {expression(right, _unit_of(node[1]), funds)}"
        return out
    if kind == "not":
        return "not " + expression(node[1], unit, funds)
    return f"{expression(node[1], unit, funds)} {kind} {expression(node[2], unit, funds)}"


def _unit_of(node: tuple) -> str:
    return _unit(node[1]) if node[0] == "path" else "num"


def figures(values: dict, funds: tuple[str, ...] = ()) -> str:
    """The figures a claim rests on: '16.8% vs 17.5%' for two, each named for more."""
    shown = [(p, show(v, _unit(p))) for p, v in values.items()]
    if len(shown) == 2 and _parts(shown[0][0])[1:] == _parts(shown[1][0])[1:]:
        return f"{shown[0][1]} vs {shown[1][1]}"
    if len(shown) == 1:
        return shown[0][1]
    return ", ".join(f"{_parts(p)[0] if _parts(p)[0] not in ('pair', 'facts') else _noun(p, funds)} {s}"
                     for p, s in shown)


def explain(tree: tuple, holds: bool | None, values: dict, as_of: str, funds: tuple[str, ...] = ()) -> str:
    """For readers: 'This commentary says IWM returned more than QQQ over the past year; as of 23 Jan 2026 it
    did not (16.8% vs 17.5%).'"""
    said = says(tree, funds)
    if holds is None:
        missing = [p for p, v in values.items() if v is None]
        return (f"This commentary says {said}; as of {fmt.date(as_of)} that cannot be checked: "
                f"{' and '.join(_noun(p, funds) for p in missing)} {'is' if len(missing) == 1 else 'are'} "
                f"not available.")
    return f"This commentary says {said}; as of {fmt.date(as_of)} {'it did' if holds else 'it did not'} " \
           f"({figures(values, funds)})."

"""``versus new pair A B`` (``python build.py new pair QQQ SCHD``): a commentary file to start from, with front
matter, a few placeholders and two claims that hold today; the pair (and its funds) added to site.toml."""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import replace
from pathlib import Path

from ..config import load_config, pair_slug
from ..errors import ConfigError, VersusError
from ..util import is_ticker
from .common import add_site_options

DESCRIPTION = "Start a commentary file: python build.py new pair QQQ SCHD writes content/pairs/qqq-vs-schd.md."
EPILOG = """\
The file has front matter (title, description, updated, two claims that hold on today's figures) and
a paragraph quoting a few live figures. A pair not yet in site.toml is added to it (its funds too).
Then run: python build.py serve, and edit the file.
"""
CLAIMS = (
    ("{x}.total_return.1y > {y}.total_return.1y", "total_return.1y", 1),
    ("{x}.total_return.5y > {y}.total_return.5y", "total_return.5y", 1),
    ("{x}.volatility.1y < {y}.volatility.1y", "volatility.1y", -1),
    ("{x}.max_drawdown.5y.value > {y}.max_drawdown.5y.value", "max_drawdown.5y.value", 1),
    ("{x}.expense_ratio < {y}.expense_ratio", "expense_ratio", -1),
)
"""Claim templates: ``{x}`` is the fund with the higher (1) or lower (-1) value of the name."""
FIGURES = ("{a}.total_return.1y | pct", "{b}.total_return.1y | pct", "{a}.total_return.5y | pct",
           "{b}.total_return.5y | pct", "pair.correlation.1y | num(2)", "{a}.expense_ratio | pct(2)",
           "{b}.expense_ratio | pct(2)")


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["pair"], help="what to start (a pair's commentary)")
    p.add_argument("tickers", nargs=2, metavar="TICKER", help="the pair's two funds, e.g. QQQ SCHD")
    add_site_options(p)


def defaults(args: argparse.Namespace) -> argparse.Namespace:
    return args


def _array(text: str, key: str) -> tuple[int, int] | None:
    """The span of the top-level TOML array ``key = [ … ]`` (its brackets included), or None."""
    found = re.search(rf"(?m)^{key}\s*=\s*\[", text)
    if not found:
        return None
    depth, i = 0, found.end() - 1
    while i < len(text):
        depth += {"[": 1, "]": -1}.get(text[i], 0)
        if depth == 0:
            return found.end() - 1, i + 1
        i += 1
    return None


def _append(text: str, key: str, item: str) -> str:
    span = _array(text, key)
    if span is None:
        table = re.search(r"(?m)^\[", text)
        at = table.start() if table else len(text)
        return text[:at] + f"{key} = [{item}]\n" + text[at:]
    start, end = span
    body = text[start + 1:end - 1]
    kept = body.rstrip()
    comma = kept.endswith(",")
    kept = kept.rstrip(",")
    sep = ",\n  " if "\n" in body else ", "
    new = (kept + sep if kept.strip() else "") + item + ("," if comma else "") + body[len(body.rstrip()):]
    return text[:start + 1] + new + text[end - 1:]


def add_pair(config: Path, a: str, b: str) -> list[str]:
    """Add the pair (and funds not listed) to ``config``; returns what was added; the file is left as it
    was when the result would not load."""
    cfg = load_config(config)
    text = original = Path(config).read_text(encoding="utf-8")
    added = []
    for t in (a, b):
        if t not in cfg.funds:
            text = _append(text, "funds", f'"{t}"')
            added.append(t)
    if (a, b) not in cfg.pairs:
        text = _append(text, "pairs", f'["{a}", "{b}"]')
        added.append(f"{a} vs {b}")
    if text != original:
        Path(config).write_text(text, encoding="utf-8")
        try:
            load_config(config)
        except VersusError as exc:
            Path(config).write_text(original, encoding="utf-8")
            raise ConfigError(f"{config}: could not add {a} vs {b} ({exc}); add it to 'pairs' by hand") from None
    return added


def claims(flat: dict, a: str, b: str, n: int = 2) -> list[str]:
    """``n`` claims that hold on ``flat`` (checked with the claims language itself)."""
    from ..content import claims as cl

    out = []
    for template, name, sign in CLAIMS:
        va, vb = flat.get(f"{a}.{name}"), flat.get(f"{b}.{name}")
        if va is None or vb is None or va == vb:
            continue
        x, y = (a, b) if (va > vb) == (sign > 0) else (b, a)
        text = template.format(x=x, y=y)
        if cl.evaluate(cl.parse(text), flat.get).holds:
            out.append(text)
        if len(out) == n:
            break
    return out


def document(flat: dict, a: str, b: str, today: str) -> str:
    """The new file's text: front matter with two claims, then a paragraph of live figures."""
    shown = {f.split(" |")[0].format(a=a, b=b): "{{ " + f.format(a=a, b=b) + " }}" for f in FIGURES}
    q = {k: v for k, v in shown.items() if flat.get(k) is not None}
    lines = ["---", f'title: "{a} or {b}?"', f'description: "What separates {a} and {b}, in the editors\' words."',
             "# author: \"Your name\"", f"updated: {today}", "claims:"]
    lines += [f'  - "{c}"' for c in claims(flat, a, b)]
    lines.append("---")
    body = [f"Over the past year {a} returned {q.get(f'{a}.total_return.1y', 'no figure')} against "
            f"{q.get(f'{b}.total_return.1y', 'no figure')} for {b}."]
    if f"{a}.total_return.5y" in q and f"{b}.total_return.5y" in q:
        body.append(f"Over five years: {a} {q[f'{a}.total_return.5y']}, {b} {q[f'{b}.total_return.5y']}.")
    if "pair.correlation.1y" in q:
        body.append(f"The one-year correlation of their daily returns is {q['pair.correlation.1y']}.")
    if f"{a}.expense_ratio" in q and f"{b}.expense_ratio" in q:
        body.append(f"They cost {q[f'{a}.expense_ratio']} and {q[f'{b}.expense_ratio']} a year.")
    return "\n".join(lines) + "\n" + "\n".join(body) + "\n"


def execute(args: argparse.Namespace) -> int:
    from ..pages import PairPages
    from .common import site_context

    a, b = (t.upper() for t in args.tickers)
    try:
        if not (is_ticker(a) and is_ticker(b)) or a == b:
            raise ConfigError(f"new pair {a} {b}: two different tickers, e.g. new pair QQQ SCHD")
        config = Path(args.config)
        path = config.resolve().parent / "content" / "pairs" / f"{pair_slug(a, b)}.md"
        if path.exists():
            raise ConfigError(f"{path}: already exists (edit it, or delete it to start again)")
        cfg = load_config(config)  # the figures first, with the pair added in memory: nothing written on failure
        cfg = replace(cfg, funds=list(dict.fromkeys([*cfg.funds, a, b])), pairs=list(dict.fromkeys([*cfg.pairs, (a, b)])))
        ctx = site_context(args, cfg)
        flat = PairPages(ctx.site).names(ctx.cfg.pairs.index((a, b)))
        added = add_pair(config, a, b)
    except VersusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document(flat, a, b, dt.date.today().isoformat()), encoding="utf-8")
    if added:
        print(f"added to {config}: {', '.join(added)}")
    print(f"wrote {path} (figures as of {ctx.as_of}); preview it with: python build.py serve\n"
          f"names it can quote: python build.py names {a}-vs-{b} (or /reference/ in the preview)")
    return 0

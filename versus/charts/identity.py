"""One identity per fund across the site: the same colour and dash pattern on every page and chart.

With five accessible colours (Okabe–Ito, each with a dark-mode variant) and five dash patterns there are
25 styles and more funds than that, so styles are shared, but never by funds shown together.  The rule
(:func:`assign`), deterministic and depending only on which funds appear together (the pairs and groups
of ``site.toml`` after its rules), never on data or dates:

1. Two funds are *neighbours* when a pair or group page shows them together.
2. Funds are styled one at a time, the most constrained first (DSatur): the one whose styled neighbours
   have the most distinct colours, then dashes, then the one with the most neighbours, then by ticker.
3. A fund takes a colour none of its styled neighbours has and a dash pattern none of them has, so on a
   page lines differ in colour *and* dash; among those, the style used by the fewest funds so far, then
   the lowest dash, then the first colour (blue, orange, green, purple, vermillion).
4. When every colour (or dash) is taken by its neighbours, it takes the one the fewest of them have, and
   never a colour *and* dash a neighbour has: two funds on one page never look the same.  A dense rule
   can force this (ten category benchmarks all compared with each other need ten colours);
   :func:`conflicts` lists the pages where two funds share a colour (their lines still differ in dash,
   bars are labelled) or a dash (they differ in colour).

A fund keeps its style on its own page, on every pair and group page and in the social cards.
"""
from __future__ import annotations

from dataclasses import dataclass

COLORS = [("blue", "#0072B2", "#56B4E9"), ("orange", "#E69F00", "#E69F00"), ("green", "#009E73", "#009E73"),
          ("purple", "#CC79A7", "#CC79A7"), ("vermillion", "#D55E00", "#F0E442")]
"""(name, light, dark): Okabe–Ito colours; dark variants keep 3:1 contrast on the dark background (blue
becomes sky blue, vermillion becomes yellow)."""
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]]
"""Stroke dash patterns (pixels on, off): solid, dashed, dotted, dash-dot, even dashes."""
DASH_NAMES = ["solid", "dashed", "dotted", "dash-dot", "even dashes"]
DARK_COLORS = {light: dark for _, light, dark in COLORS}
"""Light colour -> its dark-mode variant (``static/site.js`` swaps them when the reader's scheme is dark)."""


@dataclass(frozen=True)
class Style:
    """A fund's colour (index into :data:`COLORS`) and dash pattern (index into :data:`DASHES`)."""

    color: int
    dash: int

    @property
    def light(self) -> str:
        return COLORS[self.color][1]

    @property
    def dark(self) -> str:
        return COLORS[self.color][2]

    @property
    def pattern(self) -> list[int]:
        return DASHES[self.dash]

    @property
    def words(self) -> str:
        return f"{COLORS[self.color][0]}, {DASH_NAMES[self.dash]}"


def neighbours(funds, together) -> dict[str, set[str]]:
    """Each fund's neighbours: the funds shown with it on some page (``together``: tuples of tickers)."""
    out: dict[str, set[str]] = {t: set() for t in funds}
    for members in together:
        for t in members:
            out.setdefault(t, set()).update(m for m in members if m != t)
    return out


def assign(funds, together) -> dict[str, Style]:
    """Every fund's style (see the module docstring for the rule)."""
    nb = neighbours(funds, together)
    used: dict[tuple[int, int], int] = {}
    styles: dict[str, Style] = {}
    todo = set(nb)

    def constrained(f: str):  # most distinct colours, then dashes, among styled neighbours; then most neighbours
        near = [styles[n] for n in nb[f] if n in styles]
        return (-len({s.color for s in near}), -len({s.dash for s in near}), -len(nb[f]), f)

    while todo:
        t = min(todo, key=constrained)
        todo.remove(t)
        near = [styles[n] for n in nb[t] if n in styles]
        color_count = _count(s.color for s in near)
        dash_count = _count(s.dash for s in near)
        taken = {(s.color, s.dash) for s in near}
        every = [(c, d) for c in range(len(COLORS)) for d in range(len(DASHES))]
        options = [cd for cd in every if cd not in taken] or every  # 25+ neighbours, all styled apart: share one
        c, d = min(options, key=lambda cd: (color_count.get(cd[0], 0), dash_count.get(cd[1], 0), used.get(cd, 0),
                                            cd[1], cd[0]))
        used[(c, d)] = used.get((c, d), 0) + 1
        styles[t] = Style(c, d)
    return styles


def _count(values) -> dict[int, int]:
    out: dict[int, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def conflicts(styles: dict[str, Style], together) -> list[str]:
    """Pages on which two funds share a colour or a dash pattern (``"QQQ and IWM: same colour"``)."""
    out = []
    for members in together:
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                sa, sb = styles[a], styles[b]
                if sa.color == sb.color or sa.dash == sb.dash:
                    what = "style" if sa == sb else ("colour" if sa.color == sb.color else "dash pattern")
                    out.append(f"{' vs '.join(members)}: {a} and {b} share a {what}")
    return out

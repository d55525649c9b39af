"""A page's chart recipes with each series' style said once (issue 17): what the page's ``chart-page`` JSON
carries (``charts`` and ``st``), and how static/site.js and the tests read it back."""
from __future__ import annotations

import json


def compact_recipes(recipes: dict[str, dict]) -> tuple[dict[str, dict], dict[str, list]]:
    """A page's recipes (:meth:`Recipe.page`) with each series' style said once (issue 17: ~0.5 KB a pair page):
    ``(recipes, styles)``, ``styles`` by series name ``[colour, dash]`` for every name drawn in one style
    throughout the page; a recipe whose every series has its page style leaves out ``c`` and ``d``.
    :func:`expand_recipes` (and static/site.js) put them back."""
    seen: dict[str, set] = {}
    for r in recipes.values():
        for n, c, d in zip(r["s"], r["c"], r["d"]):
            seen.setdefault(n, set()).add(json.dumps([c, d]))
    styles = {n: json.loads(next(iter(v))) for n, v in seen.items() if len(v) == 1}
    out = {}
    for key, r in recipes.items():
        if all(n in styles for n in r["s"]):
            r = {k: v for k, v in r.items() if k not in ("c", "d")}
        out[key] = r
    used = {n for r in out.values() if "c" not in r for n in r["s"]}
    return out, {n: styles[n] for n in sorted(used)}


def expand_recipes(page: dict) -> dict[str, dict]:
    """A page's chart recipes with their colours and dash patterns (the inverse of :func:`compact_recipes`;
    ``page``: the page's ``chart-page`` JSON, its ``charts`` and ``st``)."""
    st = page.get("st") or {}
    return {k: r if "c" in r else {**r, "c": [st[n][0] for n in r["s"]], "d": [st[n][1] for n in r["s"]]}
            for k, r in page["charts"].items()}

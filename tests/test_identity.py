"""One identity per fund (versus/charts/identity.py): the same colour and dash pattern on every page and
chart, never the same style as a fund shown beside it, and the same in every build of the same config."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

from versus.build.plan import expand_rules
from versus.charts import identity, recipes, specs
from versus.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def luminance(hex_color: str) -> float:
    rgb = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def default_together():
    cfg = expand_rules(load_config(ROOT / "site.toml"))
    return cfg, [*cfg.pairs, *cfg.groups]


def test_funds_shown_together_never_share_a_style_on_the_default_site():
    cfg, together = default_together()
    styles = identity.assign(cfg.funds, together)
    assert set(styles) == set(cfg.funds)
    problems = identity.conflicts(styles, together)
    assert not [p for p in problems if "share a style" in p]
    # a shared colour or dash is forced by dense rules (ten benchmarks all compared: a 10-clique needs ten
    # colours; at least 5 of its 45 pages share one): a guard against a rule change that makes it common
    pages_with_a_share = {p.split(":")[0] for p in problems}
    assert len(pages_with_a_share) < 0.15 * len(together), pages_with_a_share


def test_the_rule_is_deterministic_and_ignores_the_order_pages_are_listed_in():
    cfg, together = default_together()
    first = identity.assign(cfg.funds, together)
    shuffled = list(together)
    random.Random(4).shuffle(shuffled)
    funds = list(cfg.funds)
    random.Random(5).shuffle(funds)
    assert identity.assign(funds, shuffled) == first
    assert identity.assign(cfg.funds, [tuple(reversed(p)) for p in together]) == first


def test_small_pages_get_distinct_colours_and_dashes():
    together = [("A", "B", "C", "D", "E"), ("A", "F"), ("F", "G")]
    styles = identity.assign("ABCDEFG", together)
    assert identity.conflicts(styles, together) == []
    assert len({styles[t].color for t in "ABCDE"}) == 5 and len({styles[t].dash for t in "ABCDE"}) == 5


def test_a_clique_larger_than_the_palette_shares_colours_but_never_a_style():
    funds = [f"F{i}" for i in range(9)]
    together = [(a, b) for i, a in enumerate(funds) for b in funds[i + 1:]]
    styles = identity.assign(funds, together)
    assert len({(s.color, s.dash) for s in styles.values()}) == len(funds)
    problems = identity.conflicts(styles, together)
    assert problems and not [p for p in problems if "share a style" in p]
    # the fewest shares: 9 funds in 5 colours share 4 colours pairwise at least
    assert sum("colour" in p for p in problems) == 4


def test_dark_variants_keep_3_to_1_contrast_on_the_dark_background():
    for name, light, dark in identity.COLORS:
        assert contrast(dark, "#0d1117") >= 3, name
        assert identity.DARK_COLORS[light] == dark


def chart_styles(site: Path, url: str) -> dict[str, set]:
    """fund -> {(colour, dash)} over every chart spec of a page (fund series only)."""
    html = (site / url / "index.html").read_text()
    page = json.loads(re.search(r'id="chart-page">(.*?)</script>', html, re.S).group(1))
    out: dict[str, set] = {}

    def walk(node):
        enc = node.get("encoding", {})
        color = (enc.get("color") or {}).get("scale") or {}
        dash = (enc.get("strokeDash") or {}).get("scale") or {}
        for i, name in enumerate(color.get("domain") or []):
            d = dash["range"][i] if dash.get("range") else None
            out.setdefault(name, set()).add((color["range"][i], json.dumps(d) if d else None))
        for layer in node.get("layer", []):
            walk(layer)

    for recipe in recipes.expand_recipes(page).values():  # each chart: its shared template (static/specs/) filled in
        walk(specs.fill((site / "static/specs" / f"{recipe['k']}.json").read_text(), recipe, ""))
    return out


def test_every_page_draws_each_fund_in_its_one_style(site):
    cfg = expand_rules(load_config(ROOT / "site.toml"))
    styles = identity.assign(cfg.funds, [*cfg.pairs, *cfg.groups])
    urls = [f"{a.lower()}-vs-{b.lower()}" for a, b in cfg.pairs] + [f"funds/{t.lower()}" for t in cfg.funds]
    urls += ["compare/" + "-".join(t.lower() for t in g) for g in cfg.groups]
    seen: dict[str, set] = {}
    for url in urls:
        for fund, found in chart_styles(site, url).items():
            if fund in styles:
                seen.setdefault(fund, set()).update(found)
    assert set(seen) == set(cfg.funds)
    for fund, found in seen.items():
        colours = {c for c, _ in found}
        dashes = {d for _, d in found if d is not None}
        assert colours == {styles[fund].light}, (fund, found)
        assert dashes == {json.dumps(styles[fund].pattern)}, (fund, found)


def test_more_funds_compared_together_than_styles_still_get_one_each():
    """30 funds all compared with each other (a between-benchmarks rule over 30 categories of one asset class):
    the 25 styles run out, so some pairs share one; every fund still gets a style, each of the 25 used, and no
    style more than twice."""
    funds = [f"F{i:02d}" for i in range(30)]
    together = [(a, b) for i, a in enumerate(funds) for b in funds[i + 1:]]
    styles = identity.assign(funds, together)
    assert set(styles) == set(funds)
    counts = {}
    for s in styles.values():
        counts[(s.color, s.dash)] = counts.get((s.color, s.dash), 0) + 1
    assert len(counts) == len(identity.COLORS) * len(identity.DASHES) and max(counts.values()) == 2
    assert styles == identity.assign(list(reversed(funds)), list(reversed(together)))  # deterministic

"""Pages from rules (``[[rules]]`` in site.toml): parsing with file:line errors, what each rule makes,
duplicates and reversed pairs resolved deterministically with a note, and the default site's pairs."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from versus.build.plan import expand_rules
from versus.config import Universe, expand, load_config
from versus.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
HEAD = """title = "t"
description = "d"
base_url = "https://example.org/"
funds = ["SPY", "VOO", "IVV", "VTI", "QQQ", "QQQM", "IWM", "VTWO", "SCHA", "IJR", "GLD", "IAU", "AGG", "BND"]
pairs = [["QQQ", "IWM"], ["VOO", "VTI"]]
"""
UNIVERSE = Universe(
    category={"SPY": "blend", "VOO": "blend", "IVV": "blend", "VTI": "blend", "QQQ": "growth", "QQQM": "growth",
              "IWM": "small", "VTWO": "small", "SCHA": "small", "IJR": "small", "GLD": "gold", "IAU": "gold",
              "AGG": "agg", "BND": "agg"},
    benchmark={"blend": "SPY", "growth": "QQQ", "small": "IWM", "gold": "GLD", "agg": "AGG"},
    asset_class={"blend": "equity", "growth": "equity", "small": "equity", "gold": "commodity", "agg": "bonds"},
    size={"VTI": 2000.0, "VOO": 1700.0, "IVV": 800.0, "SPY": 600.0, "QQQ": 400.0, "QQQM": 100.0, "IJR": 100.0,
          "IWM": 70.0, "SCHA": 20.0, "GLD": 150.0, "IAU": 30.0, "AGG": 130.0, "BND": 400.0})  # VTWO: no size


def config(tmp_path: Path, rules: str, head: str = HEAD):
    path = tmp_path / "site.toml"
    path.write_text(head + rules)
    return load_config(path)


def expanded(tmp_path: Path, rules: str, head: str = HEAD):
    return expand(config(tmp_path, rules, head), UNIVERSE)


# --------------------------------------------------------------------------- what each rule makes
def test_within_category_orders_by_size_and_caps_per_category(tmp_path):
    cfg = expanded(tmp_path, '[[rules]]\npairs = "within-category"\nmax = 3\n')
    made = cfg.pairs[2:]
    # blend: VTI > VOO > IVV > SPY; (VTI, VOO) is listed already, as VOO vs VTI; the 3 pairs of the largest first
    assert made[:2] == [("VTI", "IVV"), ("VOO", "IVV")]
    assert ("VTI", "SPY") not in made  # the 4th pair of the blend category: over the cap
    small = [p for p in made if UNIVERSE.category[p[0]] == "small"]
    assert small == [("IJR", "IWM"), ("IJR", "SCHA"), ("IWM", "SCHA")]  # VTWO (no size) last, past the cap
    assert ("GLD", "IAU") in made and ("BND", "AGG") in made and ("QQQ", "QQQM") in made
    note = next(n for n in cfg.notes if "within-category" in n)
    assert note.startswith(f"{tmp_path / 'site.toml'}:7: ")
    assert "VTI vs VOO is already listed as VOO vs VTI" in note


def test_vs_benchmark_and_between_benchmarks(tmp_path):
    cfg = expanded(tmp_path, '[[rules]]\npairs = "vs-benchmark"\ncategories = ["small", "gold"]\n'
                             '[[rules]]\npairs = "between-benchmarks"\n')
    assert cfg.pairs[2:6] == [("IJR", "IWM"), ("SCHA", "IWM"), ("VTWO", "IWM"), ("IAU", "GLD")]
    # equity benchmarks SPY, QQQ, IWM by size; bonds and gold have one benchmark each: no pair
    assert cfg.pairs[6:] == [("SPY", "QQQ"), ("SPY", "IWM")]
    assert any("QQQ vs IWM is already listed" in n for n in cfg.notes)


def test_largest_per_category_groups(tmp_path):
    head = HEAD + 'groups = [["IWM", "SCHA", "VTWO"]]\n'
    cfg = expanded(tmp_path, '[[rules]]\ngroups = "largest-per-category"\nsize = 3\n', head)
    assert cfg.groups == [("IWM", "SCHA", "VTWO"), ("VTI", "VOO", "IVV"), ("IJR", "IWM", "SCHA")]
    cfg = expanded(tmp_path, '[[rules]]\ngroups = "largest-per-category"\nsize = 4\n', head)
    assert ("IJR", "IWM", "SCHA", "VTWO") in cfg.groups  # 4 small-cap funds
    cfg = expanded(tmp_path, '[[rules]]\ngroups = "largest-per-category"\nsize = 3\n',
                   HEAD + 'groups = [["SCHA", "IJR", "IWM"]]\n')
    assert cfg.groups == [("SCHA", "IJR", "IWM"), ("VTI", "VOO", "IVV")]  # the same funds in another order
    assert any("IJR vs IWM vs SCHA is already listed as SCHA vs IJR vs IWM" in n for n in cfg.notes)


def test_expansion_is_deterministic_and_independent_of_the_funds_order(tmp_path):
    rules = ('[[rules]]\npairs = "within-category"\n[[rules]]\npairs = "vs-benchmark"\n'
             '[[rules]]\ngroups = "largest-per-category"\n')
    a = expanded(tmp_path, rules)
    b = expanded(tmp_path, rules)
    shuffled = HEAD.replace('"SPY", "VOO", "IVV", "VTI"', '"VTI", "IVV", "SPY", "VOO"')
    c = expanded(tmp_path, rules, shuffled)
    assert a.pairs == b.pairs == c.pairs and a.groups == c.groups
    assert len({frozenset(p) for p in a.pairs}) == len(a.pairs)  # never twice, in either order


def test_funds_without_a_category_are_left_out_with_a_note(tmp_path):
    head = HEAD.replace('"BND"]', '"BND", "ZZZ"]')
    cfg = expanded(tmp_path, '[[rules]]\npairs = "within-category"\n', head)
    assert not any("ZZZ" in p for p in cfg.pairs)
    assert "ZZZ has no category in data/funds.toml: left out of the category rules" in cfg.notes


def test_a_config_without_rules_is_unchanged(tmp_path):
    cfg = config(tmp_path, "")
    assert expand(cfg, UNIVERSE) is cfg and expand_rules(cfg) is cfg


def test_rules_alone_need_no_pairs_list(tmp_path):
    head = HEAD.replace('pairs = [["QQQ", "IWM"], ["VOO", "VTI"]]\n', "")
    cfg = expanded(tmp_path, '[[rules]]\npairs = "vs-benchmark"\n', head)
    assert cfg.pairs[0] == ("VTI", "SPY") and cfg.from_rules == (len(cfg.pairs), 0)


# --------------------------------------------------------------------------- errors: one line, file:line
@pytest.mark.parametrize("rules, line, needles", [
    ('[[rules]]\npairs = "within-categroy"\n', 7, ["rules[0]: unknown pair rule 'within-categroy'",
                                                   "did you mean 'within-category'"]),
    ('[[rules]]\ngroups = "smallest"\n', 7, ["unknown group rule 'smallest'", "known: largest-per-category"]),
    ('[[rules]]\npairs = "vs-benchmark"\n\n[[rules]]\npairs = "within-category"\nmaxx = 3\n', 11,
     ["rules[1]: unknown key 'maxx'", "did you mean 'max'"]),
    ('[[rules]]\npairs = "within-category"\nmax = 0\n', 8, ["'max' must be a whole number 1 or more, got 0"]),
    ('[[rules]]\npairs = "within-category"\nmax = "ten"\n', 8, ["'max' must be a whole number"]),
    ('[[rules]]\ngroups = "largest-per-category"\nsize = 6\n', 8, ["'size' must be a whole number from 3 to 5"]),
    ('[[rules]]\npairs = "vs-benchmark"\nmax = 3\n', 8, ["'max' does not apply to pairs = \"vs-benchmark\""]),
    ('[[rules]]\npairs = "vs-benchmark"\ngroups = "largest-per-category"\n', 6, ["give exactly one of"]),
    ('[[rules]]\nmax = 3\n', 6, ["give exactly one of"]),
    ('[[rules]]\npairs = "vs-benchmark"\ncategories = "small"\n', 8, ["'categories' must be a non-empty list"]),
])
def test_bad_rules_name_file_and_line(tmp_path, rules, line, needles):
    with pytest.raises(ConfigError) as err:
        config(tmp_path, rules)
    msg = str(err.value)
    assert msg.startswith(f"{tmp_path / 'site.toml'}:{line}: "), msg
    assert "\n" not in msg
    for n in needles:
        assert n in msg, msg


def test_unknown_category_is_reported_at_expansion_with_its_line(tmp_path):
    cfg = config(tmp_path, '[[rules]]\npairs = "vs-benchmark"\ncategories = ["smal"]\n')
    with pytest.raises(ConfigError) as err:
        expand(cfg, UNIVERSE)
    assert str(err.value).startswith(f"{tmp_path / 'site.toml'}:8: ")
    assert "unknown category 'smal' (did you mean 'small'?)" in str(err.value)


def test_rules_must_be_tables(tmp_path):
    with pytest.raises(ConfigError, match="must be a list|must be \\[\\[rules\\]\\] tables"):
        config(tmp_path, 'rules = ["within-category"]\n')


def test_bad_rule_through_the_command_line_is_one_line_exit_2(tmp_path):
    (tmp_path / "site.toml").write_text(HEAD + '[[rules]]\npairs = "everything"\n')
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "--config", str(tmp_path / "site.toml"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'site.toml'}:7: rules[0]: unknown pair rule 'everything' (known: within-category, "
        "vs-benchmark, between-benchmarks)"]


# --------------------------------------------------------------------------- the default site
READERS_PAIRS = [("VOO", "VTI"), ("SCHD", "VYM"), ("QQQ", "QQQM"), ("IVV", "VOO"), ("VTI", "VXUS"), ("BND", "AGG"),
                 ("TLT", "IEF"), ("GLD", "IAU"), ("JEPI", "JEPQ"), ("XLK", "VGT")]
SEED_PAIRS = [("QQQ", "IWM"), ("VOO", "IWM"), ("SPY", "IWM"), ("SPY", "QQQ"), ("IWM", "SCHA"), ("IWM", "VTWO"),
              ("VOO", "VTI"), ("DIA", "SPY")]


def test_the_default_site_has_the_pairs_readers_look_for():
    cfg = expand_rules(load_config(ROOT / "site.toml"))
    have = {frozenset(p) for p in cfg.pairs}
    missing = [p for p in READERS_PAIRS + SEED_PAIRS if frozenset(p) not in have]
    assert not missing
    assert len(have) == len(cfg.pairs)
    groups = {frozenset(g) for g in cfg.groups}
    assert {frozenset(("IWM", "SPY", "QQQ")), frozenset(("IWM", "VTWO", "SCHA"))} <= groups
    assert dataclasses.replace(cfg).pairs[:len(SEED_PAIRS)]  # explicit pairs keep their order and orientation

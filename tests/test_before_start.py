"""``--as-of`` before some funds started trading (issue 13): the full default site (63 funds, pages from rules)
leaves out every fund with no price yet and every page that shows one, says so once (dated, on the index and
in build.json), expands its rules over the funds that trade, and links nothing that is not there.  One date
here (31 Jan 2000: :data:`asof_dates.FAST_DATES`); ``make asof`` (``tests/asof_dates.py``) builds the eight."""
from __future__ import annotations

import json

import pytest

import asof_dates
from versus.build.plan import expand_rules, trading
from versus.config import load_config
from versus.data.funds import load_funds

ROOT = asof_dates.ROOT


@pytest.fixture(scope="module")
def firsts() -> dict[str, str]:
    return asof_dates.first_prices()


@pytest.fixture(scope="module", params=asof_dates.FAST_DATES)
def built(request, tmp_path_factory):
    """The default site built as of each date, once per session."""
    out = tmp_path_factory.mktemp("asof") / request.param
    assert asof_dates.build(request.param, out) == 0
    return out


def test_funds_that_had_not_started_are_left_out_everywhere(built, firsts):
    assert asof_dates.problems(built, firsts) == []
    later = json.loads((built / "build.json").read_text())["not_started"]
    assert later, "each of these dates is before some fund's first price"
    for t in later:
        assert not (built / "funds" / t.lower()).exists()


def test_the_checker_finds_a_fund_that_is_named_and_a_broken_link(built, firsts, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    later = sorted(json.loads((built / "build.json").read_text())["not_started"])
    page = copy / "methodology" / "index.html"
    page.write_text(page.read_text().replace("</main>", f'<p>{later[0]}</p><a href="../funds/{later[0].lower()}/">x'
                                                        f"</a></main>"))
    found = asof_dates.problems(copy, firsts)
    assert any(f"names {later[0]}" in p for p in found) and any("does not exist" in p for p in found)


def test_the_rules_expand_over_the_funds_that_trade(firsts):
    cfg = expand_rules(load_config(ROOT / "site.toml"))
    day = "2005-12-30"
    funds = {t for t, d in firsts.items() if d <= day}
    cut = trading(cfg, funds)
    assert set(cut.funds) == funds
    assert all(set(p) <= funds for p in cut.pairs) and all(set(g) <= funds and len(g) >= 2 for g in cut.groups)
    universe = load_funds(ROOT / "data/funds.toml").universe()
    for g in cut.groups:  # the largest funds of its category that trade, not ones that did not exist yet
        cats = {universe.category.get(t) for t in g}
        if len(cats) == 1 and len(g) > 2:
            members = universe.by_size(t for t in funds if universe.category.get(t) in cats)
            assert list(g) == members[:len(g)]
    # a category whose benchmark had not started (dividend: SCHD, 2011) makes no vs-benchmark pair with it
    assert not any("SCHD" in p for p in cut.pairs)
    assert trading(cfg, set(cfg.funds)) is cfg  # every fund trades: nothing changes
    groups = {frozenset(g) for g in trading(cfg, funds - {"IWM"}).groups}
    assert frozenset({"SPY", "QQQ"}) in groups  # IWM, SPY, QQQ without IWM: 2 remain, the group stays


def test_commentary_of_a_page_left_out_is_left_out_with_a_note(built):
    """As of 31 Jan 2000, before IWM's first price, the shipped QQQ vs IWM and VOO vs IWM commentary has no page."""
    notes = json.loads((built / "build.json").read_text())["notes"]
    left = [f for f in sorted((ROOT / "content/pairs").glob("*.md")) if not (built / f.stem).is_dir()]
    for f in left:
        assert any(n.startswith(f"content/pairs/{f.name}: left out: its pair page is not built") for n in notes)
    if built.name == "2000-01-31":
        assert [f.stem for f in left] == ["qqq-vs-iwm", "voo-vs-iwm"]

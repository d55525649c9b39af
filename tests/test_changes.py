"""What changed since the previous build, and the Atom feed."""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from versus import fmt
from versus.facts import changes
from versus.render import feed
from versus.cli import main
from versus.facts import THRESHOLDS
from siteutil import small_site

ATOM = "{http://www.w3.org/2005/Atom}"
HI = THRESHOLDS["correlation_high"].value
BAR = THRESHOLDS["drawdown_correction"].value


def pair_doc(as_of="2026-04-16", leader="B", ra=0.1, rb=0.2, corr=HI + 0.05, dda=-0.01, ddb=-0.01,
             hia="2026-01-02", hib="2026-01-02"):
    return {
        "as_of": as_of, "tickers": ["A", "B"],
        "facts": [{"id": "return_1y_leader", "text": "", "values": {"A": ra, "B": rb, "leader": leader}}],
        "funds": {"A": {"drawdown_now": {"value": dda, "peak": "2025-12-01"}, "high_52w": {"date": hia, "weeks": 52}},
                  "B": {"drawdown_now": {"value": ddb, "peak": "2025-12-01"}, "high_52w": {"date": hib, "weeks": 52}}},
        "pair": {"correlation": {"1y": corr}},
    }


def ids(ch):
    return [i["id"] for i in ch["items"]]


# --------------------------------------------------------------------------- unit
def test_no_previous_build_means_nothing_to_compare():
    assert changes.pair_changes(None, pair_doc()) == {"since": None, "items": []}


def test_leader_flip():
    prev = pair_doc(as_of="2026-01-23", leader="A", ra=0.3, rb=0.2)
    ch = changes.pair_changes(prev, pair_doc())
    assert ch["since"] == "2026-01-23" and ids(ch) == ["return_1y_leader_flipped"]
    assert ch["items"][0]["text"].startswith(f"B has overtaken A on one-year total return: {fmt.pct(0.2)}")
    assert changes.pair_changes(pair_doc(as_of="2026-01-23"), pair_doc())["items"] == []


def test_new_52_week_high_after_the_previous_build():
    prev = pair_doc(as_of="2026-01-23")
    ch = changes.pair_changes(prev, pair_doc(hia="2026-04-15", hib="2026-01-20"))
    assert ids(ch) == ["new_high_52w.A"] and fmt.date("2026-04-15") in ch["items"][0]["text"]


def test_drawdown_crossing_either_way():
    prev = pair_doc(as_of="2026-01-23", dda=-(BAR / 2), ddb=-(BAR * 1.5))
    ch = changes.pair_changes(prev, pair_doc(dda=-(BAR * 1.5), ddb=-(BAR / 2)))
    assert ids(ch) == ["drawdown_crossed.A", "drawdown_recovered.B"]
    assert ch["items"][0]["values"]["level"] == -BAR
    bear = THRESHOLDS["drawdown_bear"].value
    ch = changes.pair_changes(prev, pair_doc(dda=-(bear + 0.01), ddb=-(BAR * 1.5)))
    assert ids(ch) == ["drawdown_crossed.A"] and ch["items"][0]["values"]["level"] == -bear


def test_correlation_regime_change_by_band_or_shift():
    prev = pair_doc(as_of="2026-01-23", corr=HI + 0.01)
    assert ids(changes.pair_changes(prev, pair_doc(corr=HI - 0.01))) == ["correlation_regime"]
    shift = THRESHOLDS["correlation_shift"].value
    prev = pair_doc(as_of="2026-01-23", corr=0.99)
    assert ids(changes.pair_changes(prev, pair_doc(corr=0.99 - shift - 0.01))) == ["correlation_regime"]
    assert ids(changes.pair_changes(prev, pair_doc(corr=0.99 - shift / 2))) == []


def test_same_as_of_carries_the_previous_items_over():
    prev = pair_doc()
    prev["changes"] = {"since": "2026-01-23", "items": [{"id": "x", "text": "t", "values": {}}]}
    assert changes.pair_changes(prev, pair_doc()) == prev["changes"]
    assert changes.pair_changes(pair_doc(as_of="2026-05-01"), pair_doc())["since"] is None


def test_feed_is_valid_escaped_capped_and_deterministic():
    items = [{"slug": "a-vs-b", "title": "A vs B", "items": [{"text": "A <b>&</b> \"B\" ]]>"}]}]
    xml = feed.build("t & <co>", "https://ex.org/", "2026-01-02", "2026-01-01", items)
    root = ET.fromstring(xml)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}id").text == feed.entry_id("https://ex.org/", "2026-01-02")
    assert entries[0].find(f"{ATOM}updated").text == "2026-01-02T00:00:00Z"
    assert "A &lt;b&gt;&amp;&lt;/b&gt;" in entries[0].find(f"{ATOM}content").text
    assert root.find(f"{ATOM}title").text == "t & <co>: what changed"
    assert xml == feed.build("t & <co>", "https://ex.org/", "2026-01-02", "2026-01-01", items)
    # carry over, newest first, same id not duplicated, capped
    for i in range(feed.MAX_ENTRIES + 5):
        day = f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}"
        xml = feed.build("t", "https://ex.org/", day, None, [], xml)
    again = feed.build("t", "https://ex.org/", day, None, items, xml)
    assert again == xml  # rebuilding the same date keeps its entry
    dates = [e.find(f"{ATOM}updated").text for e in ET.fromstring(xml).findall(f"{ATOM}entry")]
    assert len(dates) == feed.MAX_ENTRIES and dates == sorted(dates, reverse=True) and dates[0].startswith(day)
    assert feed.build("t", "https://ex.org/", "2026-01-02", None, [], "<not xml") .count("<entry>") == 1


# --------------------------------------------------------------------------- end to end: two builds into one folder
@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("changes")
    out, cfg = base / "site", small_site(base / "project")
    snaps = {}
    for day in ("2026-01-23", "2026-04-16"):
        assert main(["--config", str(cfg), "--out", str(out), "--as-of", day, "--quiet"]) == 0
        snaps[day] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                      if p.is_file() and p.suffix in (".json", ".html", ".xml")}
    return {"out": out, "snaps": snaps, "cfg": cfg}


def test_pair_page_shows_what_changed(rebuilt):
    snaps = rebuilt["snaps"]
    old = json.loads(snaps["2026-01-23"]["api/pairs/qqq-vs-iwm.json"])
    new = json.loads(snaps["2026-04-16"]["api/pairs/qqq-vs-iwm.json"])
    assert old["changes"] == {"since": None, "items": []}
    assert new["changes"]["since"] == old["as_of"]
    lead = lambda d: next(f["values"]["leader"] for f in d["facts"] if f["id"] == "return_1y_leader")  # noqa: E731
    flipped = lead(old) != lead(new)
    assert ("return_1y_leader_flipped" in ids(new["changes"])) is flipped
    assert flipped  # QQQ led on 23 Jan, IWM on 16 Apr
    page = snaps["2026-04-16"]["qqq-vs-iwm/index.html"].decode()
    assert 'id="changes-h"' in page and fmt.date(old["as_of"]) in page
    for item in new["changes"]["items"]:
        assert item["text"].replace("'", "&#39;") in page


def test_feed_has_one_entry_per_build_newest_first(rebuilt):
    root = ET.fromstring(rebuilt["snaps"]["2026-04-16"]["feed.xml"])
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}updated").text[:10] for e in entries] == ["2026-04-16", "2026-01-23"]
    body = entries[0].find(f"{ATOM}content").text
    new = json.loads(rebuilt["snaps"]["2026-04-16"]["api/pairs/qqq-vs-iwm.json"])
    for item in new["changes"]["items"]:
        assert item["text"].replace("'", "&#x27;").replace("'", "&#39;") in body or item["text"] in body


def test_rebuilding_the_same_date_changes_nothing(rebuilt):
    out = rebuilt["out"]
    assert main(["--config", str(rebuilt["cfg"]), "--out", str(out), "--as-of", "2026-04-16", "--quiet"]) == 0
    for rel in ("feed.xml", "api/pairs/qqq-vs-iwm.json", "qqq-vs-iwm/index.html"):
        assert (out / rel).read_bytes() == rebuilt["snaps"]["2026-04-16"][rel], rel


def test_previous_option_points_at_another_folder(rebuilt, tmp_path):
    old = tmp_path / "old"
    cfg = str(rebuilt["cfg"])
    assert main(["--config", cfg, "--out", str(old), "--as-of", "2026-01-23", "--quiet"]) == 0
    fresh = tmp_path / "fresh"
    assert main(["--config", cfg, "--out", str(fresh), "--as-of", "2026-04-16", "--previous", str(old), "--quiet"]) == 0
    assert (fresh / "feed.xml").read_bytes() == rebuilt["snaps"]["2026-04-16"]["feed.xml"]


# --------------------------------------------------------------------------- the history kept in the data store
def test_a_funds_event_is_listed_once_per_feed_entry():
    """Issue 14 item 2: A's new high is in both pairs' changes, once in the feed (under Funds); the count in the
    title counts it once; pair-level events stay under their pair."""
    prev, cur = pair_doc(), pair_doc(as_of="2026-04-17", hia="2026-04-17", leader="A", ra=0.3)
    ch = changes.pair_changes(prev, cur)
    assert "new_high_52w.A" in ids(ch) and "return_1y_leader_flipped" in ids(ch)
    pairs = [{"slug": "a-vs-b", "title": "A vs B", **ch}, {"slug": "a-vs-c", "title": "A vs C", **ch}]
    xml = feed.build("t", "https://ex.org/", "2026-04-17", ch["since"], pairs)
    body = ET.fromstring(xml).find(f"{ATOM}entry").find(f"{ATOM}content").text
    assert body.count("A set a new") == 1 and "<h3>Funds</h3>" in body
    assert body.count("has overtaken") == 2  # one per pair: each pair's own event
    title = ET.fromstring(xml).find(f"{ATOM}entry").find(f"{ATOM}title").text
    assert title.endswith(f"{fmt.count(1 + 2 * (len(ch['items']) - 1))} changes")


def test_a_rebuild_of_a_past_date_leaves_later_entries_out():
    xml = feed.build("t", "https://ex.org/", "2026-04-17", None, [])
    xml = feed.build("t", "https://ex.org/", "2026-04-20", "2026-04-17", [], xml)
    past = feed.build("t", "https://ex.org/", "2026-04-17", None, [], xml)
    assert [e.find(f"{ATOM}updated").text[:10] for e in ET.fromstring(past).findall(f"{ATOM}entry")] == ["2026-04-17"]


@pytest.mark.parametrize("kw", [dict(leader="A", ra=0.3), dict(corr=HI - 0.3), dict(dda=-BAR - 0.05),
                                dict(hia="2026-04-17")])
def test_essentials_compare_like_the_whole_document(kw):
    """What history.json keeps of a pair document gives the same changes as the document itself."""
    prev, cur = pair_doc(), pair_doc(as_of="2026-04-17", **kw)
    assert changes.pair_changes(changes.essentials(prev), cur) == changes.pair_changes(prev, cur)
    assert changes.pair_changes(changes.essentials(prev), cur)["items"]
    same = {**cur, "changes": changes.pair_changes(prev, cur)}
    assert changes.pair_changes(changes.essentials(same), cur) == same["changes"]  # rebuilt: carried over


# --------------------------------------------------------------------------- group pages (issue 18, item 2)
def group_doc(as_of="2026-04-16", leader="C", r=(0.1, 0.15, 0.2), corr_bc=HI + 0.05, dd=(-0.01, -0.01, -0.01),
              hi=("2026-01-02",) * 3):
    t = ["A", "B", "C"]
    return {
        "as_of": as_of, "tickers": t,
        "facts": [{"id": "return_1y_leader", "text": "", "values": {**dict(zip(t, r)), "leader": leader}}],
        "funds": {x: {"drawdown_now": {"value": d, "peak": "2025-12-01"}, "high_52w": {"date": h, "weeks": 52}}
                  for x, d, h in zip(t, dd, hi)},
        "correlation_matrix": {"tickers": t, "horizons": ["1y", "5y"],
                               "values": {"1y": [[1.0, 0.9, 0.9], [0.9, 1.0, corr_bc], [0.9, corr_bc, 1.0]]}},
    }


def test_group_changes_follow_the_pair_rules_for_every_two_funds():
    assert changes.group_changes(None, group_doc()) == {"since": None, "items": []}
    prev = group_doc(as_of="2026-01-23", leader="A", r=(0.3, 0.15, 0.2), corr_bc=HI + 0.01, dd=(-BAR / 2, -0.01, -0.01))
    cur = group_doc(corr_bc=HI - 0.01, dd=(-BAR * 1.5, -0.01, -0.01), hi=("2026-01-02", "2026-04-15", "2026-01-02"))
    ch = changes.group_changes(prev, cur)
    assert ch["since"] == "2026-01-23"
    assert ids(ch) == ["return_1y_leader_flipped", "new_high_52w.B", "drawdown_crossed.A", "correlation_regime.B-C"]
    assert ch["items"][0]["text"].startswith(f"C now has the group's best one-year total return: {fmt.pct(0.2)}")
    assert "B and C" in ch["items"][-1]["text"] and fmt.num(HI - 0.01) in ch["items"][-1]["text"]
    assert changes.group_changes(group_doc(as_of="2026-01-23"), group_doc())["items"] == []  # nothing moved
    same = {**cur, "changes": ch}
    assert changes.group_changes(changes.group_essentials(same), cur) == ch  # rebuilt: carried over
    assert changes.group_changes(changes.group_essentials(prev), cur) == ch  # history.json compares alike


def test_a_near_tie_in_the_group_is_no_new_leader():
    """The pair page's rule: two one-year returns that round to the same figure are 'about the same', never a flip."""
    prev = group_doc(as_of="2026-01-23", leader="B", r=(0.1, 0.20001, 0.2))
    assert changes.group_changes(prev, group_doc(r=(0.1, 0.2, 0.20001)))["items"] == []


def test_group_page_shows_what_changed(tmp_path):
    cfg = small_site(tmp_path / "project", pairs=(("QQQ", "IWM"),))
    text = cfg.read_text() + 'groups = [["QQQ", "IWM", "SPY"]]\n'
    cfg.write_text(text.replace('funds = ["QQQ", "IWM"]', 'funds = ["QQQ", "IWM", "SPY"]'))
    out = tmp_path / "site"
    for day in ("2026-01-23", "2026-04-16"):
        assert main(["--config", str(cfg), "--out", str(out), "--as-of", day, "--quiet"]) == 0
    doc = json.loads((out / "api/groups/qqq-iwm-spy.json").read_text())
    assert doc["changes"]["since"] == "2026-01-23" and doc["changes"]["items"]
    page = (out / "compare/qqq-iwm-spy/index.html").read_text()
    assert 'id="changes-h"' in page
    for item in doc["changes"]["items"]:
        assert item["text"].replace("'", "&#39;") in page
    body = ET.fromstring((out / "feed.xml").read_text()).find(f"{ATOM}entry").find(f"{ATOM}content").text
    own = [i for i in doc["changes"]["items"] if not i["values"].get("ticker")]  # the group's own events
    assert ("compare/qqq-iwm-spy/" in body) == bool(own)
    for item in own:
        assert item["text"].replace("'", "&#x27;") in body or item["text"] in body


def test_the_store_history_keeps_the_groups(tmp_path):
    """A fresh runner compares a group page with the published one too: history.json keeps each group's
    essentials, and they give the same changes as the whole previous document."""
    from versus.build.previous import Previous, save_history

    from versus.build.context import BuildResult

    out, store = tmp_path / "site", tmp_path / "store"
    store.mkdir()
    prev = group_doc(as_of="2026-01-23", leader="A", r=(0.3, 0.15, 0.2), corr_bc=HI + 0.01)
    # what the build hands over (stages.write): each group's essentials, from the build's own documents
    save_history(store, BuildResult(out, "2026-01-23", [], history={
        "as_of": "2026-01-23", "feed": None, "pairs": {},
        "groups": {"api/groups/a-b-c.json": changes.group_essentials(prev)}}))
    kept = Previous.from_history(store)
    assert kept.as_of == "2026-01-23" and "api/groups/a-b-c.json" in kept.docs
    cur = group_doc(corr_bc=HI - 0.01)
    assert changes.group_changes(kept.docs["api/groups/a-b-c.json"], cur) == changes.group_changes(prev, cur)
    assert changes.group_changes(kept.docs["api/groups/a-b-c.json"], cur)["items"]

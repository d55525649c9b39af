"""Issue 11, item 6: the previous site (and the data store, the snapshot, the render cache) is input too.
Everything read back is validated; anything unexpected is ignored with a warning naming the file, never a
traceback, and the build (and every later one) goes through."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import versus.sources.readback as store_readback
from siteutil import MINIMAL_SITE_TOML, leftovers, tree
from versus.build import readback
from versus.build.output import recover_output
from versus.build.previous import Previous
from versus.build.uptodate import up_to_date
from versus.charts import cache as svg
from versus.render import feed
from versus.cli import main
from versus.errors import EXIT_DATA, DataError
from versus.sources.cache import CacheSource
from versus.sources.snapshot import SnapshotSource
from versus.sources.store import MANIFEST, Manifest, open_store, write_live_store

PAIR = "api/pairs/qqq-vs-iwm.json"


@pytest.fixture
def project(published_minimal, tmp_path) -> Path:
    """A copy of the one-pair site published as of 2026-07-30 (conftest.py: one publish for the whole run)."""
    shutil.copy(published_minimal / "site.toml", tmp_path / "site.toml")
    shutil.copytree(published_minimal / "site", tmp_path / "site")
    return tmp_path


def rebuild(project: Path, capsys, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--config", str(project / "site.toml"), "--out", str(project / "site"), "--quiet", *extra])
    return code, capsys.readouterr().err


# --------------------------------------------------------------------------- the previous output
BAD_PAIR_DOCS = {
    "a string": '"a string"',  # the issue's case
    "a list": "[1, 2]",
    "null": "null",
    "an empty object": "{}",
    "as_of a number": '{"as_of": 5}',
    "as_of not a date": '{"as_of": "yesterday", "tickers": ["QQQ", "IWM"]}',
    "tickers a string": '{"as_of": "2026-07-30", "tickers": "QQQ"}',
    "tickers not tickers": '{"as_of": "2026-07-30", "tickers": ["<b>", "IWM"]}',
    "facts not a list": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "facts": {"a": 1}}',
    "a fact not an object": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "facts": ["x"]}',
    "leader not a ticker": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "facts": [{"id": "return_1y_leader", '
                           '"values": {"leader": "SPY", "QQQ": 0.1, "IWM": 0.2}}]}',
    "a return that is text": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "facts": [{"id": "return_1y_leader", '
                             '"values": {"leader": "QQQ", "QQQ": "0.1", "IWM": 0.2}}]}',
    "NaN drawdown": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "funds": {"QQQ": {"drawdown_now": '
                    '{"value": NaN}}}}',
    "drawdown a string": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "funds": {"QQQ": {"drawdown_now": "x"}}}',
    "funds a list": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "funds": []}',
    "correlation text": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "pair": {"correlation": {"1y": "high"}}}',
    "correlation 7": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "pair": {"correlation": {"1y": 7}}}',
    "changes a list": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "changes": []}',
    "a change with extra keys": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "changes": {"since": null, '
                                '"items": [{"id": "x", "text": "t", "values": {}, "html": "<script>"}]}}',
    "a change with a control character": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "changes": {"since": '
                                         'null, "items": [{"id": "x", "text": "t\\u0001", "values": {}}]}}',
    "a change with Infinity": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM"], "changes": {"since": null, '
                              '"items": [{"id": "x", "text": "t", "values": {"v": Infinity}}]}}',
    "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "not UTF-8": b"\xff\xfe{}",
    "empty": "",
    "truncated": '{"as_of": "2026-07-30", "tick',
}


@pytest.mark.parametrize("case", list(BAD_PAIR_DOCS))
def test_unexpected_previous_pair_documents_are_ignored(tmp_path, case):
    (tmp_path / "api" / "pairs").mkdir(parents=True)
    data = BAD_PAIR_DOCS[case]
    (tmp_path / PAIR).write_bytes(data if isinstance(data, bytes) else data.encode())
    prev = Previous.read(tmp_path)
    assert PAIR not in prev.docs
    assert len(prev.problems) == 1 and prev.problems[0].startswith(str(tmp_path / PAIR)), prev.problems
    assert "ignored" in prev.problems[0] and "\n" not in prev.problems[0]


GROUP = "api/groups/qqq-iwm-spy.json"
BAD_GROUP_DOCS = {
    "two tickers too many": '{"as_of": "2026-07-30", "tickers": ' + str(["QQQ"] * 13).replace("'", '"') + "}",
    "matrix not square": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM", "SPY"], "correlation_matrix": '
                         '{"values": {"1y": [[1.0, 0.9], [0.9, 1.0]]}}}',
    "matrix of another group": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM", "SPY"], "correlation_matrix": '
                               '{"tickers": ["QQQ", "IWM", "DIA"]}}',
    "correlation 7 in the matrix": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM", "SPY"], "correlation_matrix": '
                                   '{"values": {"1y": [[1, 7, 1], [1, 1, 1], [1, 1, 1]]}}}',
    "a leader outside the group": '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM", "SPY"], "facts": [{"id": '
                                  '"return_1y_leader", "values": {"leader": "DIA"}}]}',
    "truncated": '{"as_of": "2026-07-30", "tick',
}


@pytest.mark.parametrize("case", list(BAD_GROUP_DOCS))
def test_unexpected_previous_group_documents_are_ignored(tmp_path, case):
    """Group pages list what changed too (issue 18): their previous documents are input like the pairs'."""
    (tmp_path / "api" / "groups").mkdir(parents=True)
    (tmp_path / GROUP).write_text(BAD_GROUP_DOCS[case])
    prev = Previous.read(tmp_path)
    assert GROUP not in prev.docs
    assert len(prev.problems) == 1 and prev.problems[0].startswith(str(tmp_path / GROUP)), prev.problems
    good = '{"as_of": "2026-07-30", "tickers": ["QQQ", "IWM", "SPY"]}'
    (tmp_path / GROUP).write_text(good)
    assert Previous.read(tmp_path).docs[GROUP]["tickers"] == ["QQQ", "IWM", "SPY"]


def test_the_issues_case_end_to_end(project, capsys):
    """A previous pair document holding "a string" made this and every later build fail with a traceback."""
    (project / "site" / PAIR).write_text('"a string"')
    for _ in range(2):  # this build, and the next
        code, err = rebuild(project, capsys)
        assert code == 0, err
        assert "Traceback" not in err
    doc = json.loads((project / "site" / PAIR).read_text())
    assert doc["changes"]["since"] is None or isinstance(doc["changes"]["since"], str)


def test_a_warning_names_the_file_and_strict_fails(project, capsys):
    (project / "site" / PAIR).write_text("[1, 2]")
    code, err = rebuild(project, capsys, "--strict")
    assert code == 6 and "Traceback" not in err
    assert f"warning: {(project / 'site' / PAIR).resolve()}: previous build's file ignored" in err or \
        f"warning: {project / 'site' / PAIR}: previous build's file ignored" in err, err


@pytest.mark.parametrize("kind", ["symlink to /dev/zero", "a folder", "too large", "dangling symlink"])
def test_files_that_are_not_regular_json_files(tmp_path, monkeypatch, kind):
    (tmp_path / "api" / "pairs").mkdir(parents=True)
    path = tmp_path / PAIR
    if kind == "symlink to /dev/zero":
        path.symlink_to("/dev/zero")  # reading it would never end
    elif kind == "a folder":
        path.mkdir()
    elif kind == "dangling symlink":
        path.symlink_to(tmp_path / "nowhere")
    else:
        monkeypatch.setattr(store_readback, "MAX_FILE", 1000)
        path.write_text(json.dumps({"as_of": "2026-07-30", "pad": "x" * 2000}))
    prev = Previous.read(tmp_path)
    assert PAIR not in prev.docs and len(prev.problems) == 1, prev.problems


@pytest.mark.parametrize("text", ['"x"', '{"as_of": ["2026"]}', '{"as_of": "2026-07-30T00:00"}', "{"])
def test_unexpected_previous_index(tmp_path, text):
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "index.json").write_text(text)
    prev = Previous.read(tmp_path)
    assert prev.as_of is None and len(prev.problems) == 1


def test_carried_changes_are_validated_before_they_are_published_again(project, capsys):
    """Rebuilding the same as-of date carries the previous items over verbatim: they must be ours."""
    doc = json.loads((project / "site" / PAIR).read_text())
    doc["changes"] = {"since": "2026-07-01", "items": [{"id": "x", "text": "<script>alert(1)</script>\u0007",
                                                         "values": {}}]}
    (project / "site" / PAIR).write_text(json.dumps(doc))
    code, err = rebuild(project, capsys, "--as-of", "2026-07-30")
    assert code == 0 and "changes.items[0].text holds a control character" in err, err
    assert "\u0007" not in (project / "site" / PAIR).read_text()


# --------------------------------------------------------------------------- the previous feed
GOOD_ENTRY = ("<entry><id>tag:example.org,2026-07-01:build</id><title>Figures as of 1 Jul 2026</title>"
              "<updated>2026-07-01T00:00:00Z</updated><link href=\"https://example.org/\" />"
              "<content type=\"html\">&lt;p&gt;No earlier build to compare with.&lt;/p&gt;</content></entry>")


def atom(*entries: str) -> str:
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{"".join(entries)}</feed>'


BAD_FEEDS = {
    "not XML": ("<feed", "not XML"),
    "billion laughs": ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                       '<feed xmlns="http://www.w3.org/2005/Atom">&lol2;</feed>', "DOCTYPE"),
    "RSS, not Atom": ('<rss version="2.0"><channel/></rss>', "not an Atom feed"),
    "an entry with script": (atom(GOOD_ENTRY.replace("No earlier build", "&lt;script&gt;x&lt;/script&gt;")),
                             "entry 1 dropped: its HTML is not what versus writes"),
    "an entry without an id": (atom(GOOD_ENTRY.replace("<id>tag:example.org,2026-07-01:build</id>", "")),
                               "entry 1 dropped: not {id, title, updated, link, content}"),
    "an entry with a foreign id": (atom(GOOD_ENTRY.replace("tag:example.org", "urn:x:y")),
                                   "entry 1 dropped: its id is not a versus build id"),
    "an entry with a time": (atom(GOOD_ENTRY.replace("T00:00:00Z", "T12:34:56Z")), "updated is not a date"),
    "an extra element": (atom(GOOD_ENTRY.replace("</entry>", "<x/></entry>")), "entry 1 dropped"),
    "an onclick link": (atom(GOOD_ENTRY.replace("No earlier build", "&lt;a href=x onclick=y&gt;z&lt;/a&gt;")),
                        "entry 1 dropped"),
}


@pytest.mark.parametrize("case", list(BAD_FEEDS))
def test_unexpected_previous_feeds_and_entries_are_dropped(tmp_path, case):
    text, needle = BAD_FEEDS[case]
    (tmp_path / "api").mkdir()
    (tmp_path / "feed.xml").write_text(text)
    prev = Previous.read(tmp_path)
    assert any(needle in p for p in prev.problems), prev.problems
    out = feed.build("t", "https://example.org/", "2026-07-30", None, [], prev.feed)
    assert out.count("<entry>") == 1 and "script" not in out and "onclick" not in out and "lol" not in out


def test_good_entries_are_kept_and_bad_ones_dropped(tmp_path):
    (tmp_path / "api").mkdir()
    (tmp_path / "feed.xml").write_text(atom(GOOD_ENTRY, GOOD_ENTRY.replace("2026-07-01", "2026-06-01")
                                            .replace("No earlier", "&lt;script&gt;")))
    prev = Previous.read(tmp_path)
    assert prev.problems == [f"{tmp_path / 'feed.xml'}: previous feed: entry 2 dropped: its HTML is not what versus "
                             "writes"]
    out = feed.build("t", "https://example.org/", "2026-07-30", None, [], prev.feed)
    assert out.count("<entry>") == 2 and "2026-07-01T00:00:00Z" in out


def test_our_own_feed_entries_survive_the_check(project, capsys):
    """The entries versus writes pass readback.feed_text unchanged (the feed grows one entry per as-of)."""
    code, err = rebuild(project, capsys)
    assert code == 0 and "previous feed" not in err, err
    text = (project / "site" / "feed.xml").read_text()
    assert text.count("<entry>") == 2
    kept, problems = readback.feed_text(text)
    assert problems == [] and kept.count("entry>") == 4


# --------------------------------------------------------------------------- build.json and the up-to-date path
@pytest.mark.parametrize("text", ["[]", '"x"', "[" * 50_000 + "]" * 50_000, "\xff", '{"inputs_sha256": "abc"}'])
def test_unexpected_build_json_means_build(tmp_path, text):
    (tmp_path / "index.html").write_text("x")
    (tmp_path / "build.json").write_bytes(text.encode("utf-8", "surrogateescape") if text != "\xff" else b"\xff")
    assert up_to_date(tmp_path, "abc") is False


# --------------------------------------------------------------------------- the data store
def sample_store(folder: Path):
    md = SnapshotSource().load(["QQQ", "IWM"])
    md.meta = {"QQQ": {"aum": {"value": 1e11, "as_of": "2026-07-31", "source": "yahoo"}}}
    write_live_store(md, Manifest(tickers={t: {"first": "2000-01-03", "last": "2026-07-31", "full_refresh": None,
                                              "meta_refresh": None} for t in ("QQQ", "IWM")}), folder)
    return folder


def rehash(folder: Path, name: str, data: bytes) -> None:
    """Write ``name`` and make the manifest agree (so the content itself is what is checked)."""
    (folder / name).write_bytes(data)
    if name == MANIFEST:
        return
    man = json.loads((folder / MANIFEST).read_text())
    man["files"][name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (folder / MANIFEST).write_text(json.dumps(man))


def manifest_with(folder: Path, **changes) -> bytes:
    man = json.loads((folder / MANIFEST).read_text())
    man.update(changes)
    return json.dumps(man).encode()


STORE_DAMAGE = {
    "manifest a list": (MANIFEST, lambda f: b"[]", "not an object"),
    "ticker info a string": (MANIFEST, lambda f: manifest_with(f, tickers={"QQQ": "x"}), "tickers.QQQ"),
    "a refresh date that is not one": (MANIFEST, lambda f: manifest_with(
        f, tickers={"QQQ": {"first": "2000-01-03", "last": "x", "full_refresh": None, "meta_refresh": None}}),
        "tickers.QQQ.last is not a date"),
    "an unknown ticker key": (MANIFEST, lambda f: manifest_with(f, tickers={"QQQ": {"evil": 1}}), "tickers.QQQ"),
    "a ticker that is not one": (MANIFEST, lambda f: manifest_with(f, tickers={"=cmd": {}}), "is not a ticker"),
    "updated a number": (MANIFEST, lambda f: manifest_with(f, updated=5), "updated is not text"),
    "manifest nested deep": (MANIFEST, lambda f: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "meta a list": ("meta.json", lambda f: b"[1]", "not an object"),
    "meta of a ticker a list": ("meta.json", lambda f: b'{"QQQ": [1, 2]}', "QQQ is not an object"),
    "a meta entry a number": ("meta.json", lambda f: b'{"QQQ": {"aum": 5}}', "QQQ.aum is not"),
    "meta not UTF-8": ("meta.json", lambda f: b'{"QQQ": "\xff"}', "store unreadable"),
    "duplicate price rows": ("prices.csv", lambda f: (f / "prices.csv").read_bytes()
                             + b"QQQ,2026-07-31,1.0,1.0\n", "QQQ has two rows for 2026-07-31"),
    "a ticker cell that is a formula": ("prices.csv", lambda f: (f / "prices.csv").read_bytes()
                                        + b"=cmd,2026-07-31,1.0,1.0\n", "'=cmd' is not a ticker"),
    "a date that is not one": ("prices.csv", lambda f: (f / "prices.csv").read_bytes() + b"QQQ,someday,1.0,1.0\n",
                               "'someday' is not a date"),
    "a price that is text": ("prices.csv", lambda f: (f / "prices.csv").read_bytes() + b"QQQ,2026-08-03,abc,1.0\n",
                             "store unreadable"),
}


@pytest.mark.parametrize("case", list(STORE_DAMAGE))
def test_unexpected_store_content_is_reported_in_one_line(tmp_path, case):
    store = sample_store(tmp_path / "store")
    name, make, needle = STORE_DAMAGE[case]
    rehash(store, name, make(store))
    md, man, problem = open_store(store, "x")
    assert md is None and man is None and problem is not None
    assert needle in problem and "\n" not in problem and "fetching full history" in problem, problem
    with pytest.raises(DataError):
        CacheSource(store).load(["QQQ"])


def test_a_bad_store_in_an_offline_build_is_exit_3_one_line(tmp_path, capsys):
    store = sample_store(tmp_path / "store")
    rehash(store, "meta.json", b'{"QQQ": [1]}')
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--store", str(store),
                 "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_DATA and "Traceback" not in err and len(err.strip().splitlines()) == 1, err


# --------------------------------------------------------------------------- the snapshot
ROOT = Path(__file__).resolve().parent.parent


def snapshot_copy(tmp_path: Path) -> Path:
    """A copy of the snapshot beside ``tmp_path/site.toml`` (where the build looks for it first)."""
    return Path(shutil.copytree(ROOT / "data" / "snapshot", tmp_path / "data" / "snapshot"))


@pytest.mark.parametrize("damage, needle", [
    (lambda p: p.drop(columns=["adj_close"]), "prices: no 'adj_close' column"),
    (lambda p: p.drop(columns=["date", "close"]), "prices: no 'date', 'close' column"),
    (lambda p: pd.concat([p, p[(p["ticker"] == "QQQ") & (p["date"] == p["date"].max())]]),
     "prices: QQQ has two rows for 2026-08-21"),
    (lambda p: p.assign(ticker=p["ticker"].astype(str).where(p.index != 5, "qqq\n")), "is not a ticker"),
])
def test_a_damaged_snapshot_is_exit_3_naming_the_problem(tmp_path, monkeypatch, capsys, damage, needle):
    snap = snapshot_copy(tmp_path)
    prices = pd.read_parquet(snap / "prices.parquet")
    damage(prices).to_parquet(snap / "prices.parquet", index=False)
    with pytest.raises(DataError, match=needle):
        SnapshotSource(snap).load(["QQQ", "IWM"])
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_DATA and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {snap}: cannot read the snapshot (") and needle in lines[0]


@pytest.mark.parametrize("meta, needle", [("[1]", "meta.json: not an object"), ('{"QQQ": 1}', "QQQ is not an object"),
                                          ("{", "meta.json: not JSON")])
def test_a_damaged_snapshot_meta(tmp_path, meta, needle):
    snap = snapshot_copy(tmp_path)
    (snap / "meta.json").write_text(meta)
    with pytest.raises(DataError, match=needle):
        SnapshotSource(snap).load(["QQQ"])


# --------------------------------------------------------------------------- the render cache
@pytest.mark.parametrize("fmt, data", [("png", b"\x89PNG\r\n\x1a\n truncated"), ("png", b""),
                                       ("svg", b"<svg><path d='M0 0"), ("svg", b"<html>not a chart</html>")])
def test_a_damaged_cached_render_is_rendered_again(tmp_path, fmt, data):
    key = "ab" + "0" * 62
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / f"{key}.{fmt}").write_bytes(data)
    good = b"\x89PNG\r\n\x1a\n...IEND\xaeB`\x82" if fmt == "png" else b"<svg>ok</svg>"
    out = svg.cached([key], fmt, lambda missing: {i: good for i in missing}, tmp_path)
    assert out == [good]
    assert (tmp_path / "ab" / f"{key}.{fmt}").read_bytes() == good  # and the cache repaired


# --------------------------------------------------------------------------- leftovers beside the output
def test_a_symlink_posing_as_the_set_aside_site_is_never_followed(tmp_path):
    target = tmp_path / "precious"
    target.mkdir()
    (target / "build.json").write_text('{"generator": "versus"}')
    (target / "file").write_text("keep")
    (tmp_path / ".site.old-1").symlink_to(target)
    (tmp_path / ".site.tmp-x").symlink_to(target)
    recover_output(tmp_path / "site")
    assert not (tmp_path / "site").exists() and (target / "file").read_text() == "keep"
    assert leftovers(tmp_path) == []


def test_a_folder_versus_did_not_build_is_not_restored_nor_deleted(tmp_path):
    (tmp_path / ".site.old-1").mkdir()
    (tmp_path / ".site.old-1" / "thesis.tex").write_text("keep")
    assert recover_output(tmp_path / "site") == []
    assert (tmp_path / ".site.old-1" / "thesis.tex").read_text() == "keep" and not (tmp_path / "site").exists()

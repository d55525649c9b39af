"""``build.py --check``: config, fund facts, commentary, claims, templates and data validated; nothing written."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import versus.build.output as output_mod
import versus.charts.cache as svg_mod
from siteutil import ROOT, classic_site, small_site
from versus.cli import main
from versus.errors import EXIT_CONFIG, EXIT_CONTENT, EXIT_DATA, EXIT_STRICT

SITE_TOML = """title = "t"
description = "d"
base_url = "https://example.org/"
funds = ["QQQ", "IWM"]
pairs = [["QQQ", "IWM"]]
"""

NOTE = """---
title: "A note"
updated: 2026-07-31
claims:
  - "QQQ.expense_ratio < 1"
---
QQQ returned {{ QQQ.total_return.1y | pct }}.
"""


def project(tmp: Path, note: str | None = NOTE) -> Path:
    (tmp / "site.toml").write_text(SITE_TOML)
    if note is not None:
        (tmp / "content" / "pairs").mkdir(parents=True)
        (tmp / "content" / "pairs" / "qqq-vs-iwm.md").write_text(note)
    return tmp / "site.toml"


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def render_cache(tmp_path, monkeypatch) -> Path:
    """An empty chart-render cache: --check must not store the renders it makes."""
    cache = tmp_path / "render-cache"
    monkeypatch.setattr(svg_mod, "CACHE_DIR", cache)
    return cache


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--check", "--quiet", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_writes_nothing_and_says_ok_in_one_line(tmp_path, capsys, render_cache):
    cfg, out = project(tmp_path), tmp_path / "out"
    code, stdout, err = run(capsys, "--config", str(cfg), "--out", str(out))
    assert code == 0, err
    lines = stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("check OK: site.toml, fund facts, 1 commentary file with 1 claim")
    assert "data as of 2026-" in lines[0] and lines[0].endswith("nothing written")
    assert err == ""
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site.toml"]  # no temp folder either
    assert not render_cache.exists()  # the chart renders were made (cache empty) but not stored


def test_check_leaves_an_existing_site_as_it_was(tmp_path, capsys):
    cfg, out = project(tmp_path), tmp_path / "out"
    assert main(["--config", str(cfg), "--out", str(out), "--quiet"]) == 0
    before = tree(out)
    code, _, err = run(capsys, "--config", str(cfg), "--out", str(out))
    assert code == 0, err
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_check_never_reaches_the_writer(tmp_path, monkeypatch, capsys):
    def refuse(*a, **k):
        raise AssertionError("--check wrote the site")

    monkeypatch.setattr(output_mod.SiteOutput, "finish", refuse)
    code, _, err = run(capsys, "--config", str(project(tmp_path)), "--out", str(tmp_path / "out"))
    assert code == 0, err


def test_failed_claim_fails_the_check(tmp_path, capsys):
    cfg = project(tmp_path, NOTE.replace("QQQ.expense_ratio < 1", "QQQ.expense_ratio > 1"))
    code, stdout, err = run(capsys, "--config", str(cfg), "--out", str(tmp_path / "out"))
    assert code == EXIT_STRICT
    assert stdout == ""
    lines = err.strip().splitlines()
    # it never held, not even on the day it was written: "does not hold", never "no longer holds"
    assert lines[0].startswith("warning: content/pairs/qqq-vs-iwm.md:5: claim 'QQQ.expense_ratio > 1' does not hold")
    assert lines[-1].startswith("error: --check: 1 warning(s)") and lines[-1].endswith("nothing written")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("edit, code, needle", [
    (lambda t: t.replace("QQQ.total_return.1y", "QQQ.total_retrun.1y"), EXIT_CONTENT,
     "content/pairs/qqq-vs-iwm.md:7: unknown fact 'QQQ.total_retrun.1y' (did you mean 'QQQ.total_return.1y'?)"),
    (lambda t: t.replace('title: "A note"', "title: [oops"), EXIT_CONTENT, "broken YAML front matter"),
    (lambda t: t.replace("QQQ.expense_ratio < 1", "QQQ.expense_ratio <"), EXIT_CONTENT, "unexpected end"),
])
def test_bad_commentary_fails_the_check_in_one_line(tmp_path, capsys, edit, code, needle):
    cfg = project(tmp_path, edit(NOTE))
    rc, stdout, err = run(capsys, "--config", str(cfg), "--out", str(tmp_path / "out"))
    assert rc == code
    assert err.strip().splitlines() == [err.strip()] and needle in err and err.startswith("error: ")
    assert not (tmp_path / "out").exists()


def test_bad_data_and_config_fail_the_check(tmp_path, capsys):
    cfg = project(tmp_path, None)
    rc, _, err = run(capsys, "--config", str(cfg), "--out", str(tmp_path / "out"), "--as-of", "1990-01-02")
    assert rc == EXIT_DATA and "before " in err and "first price" in err
    cfg.write_text(SITE_TOML.replace("pairs =", "pairz ="))
    rc, _, err = run(capsys, "--config", str(cfg), "--out", str(tmp_path / "out"))
    assert rc == EXIT_CONFIG and "did you mean 'pairs'" in err
    assert not (tmp_path / "out").exists()


def test_check_as_of_where_the_shipped_claims_fail(tmp_path, capsys):
    """The shipped commentary's claims do not all hold in January 2026: --check says so, as --strict would, once
    the commentary is dated before that (written on 3 Aug 2026, an --as-of build in January leaves it out)."""
    shipped = [("QQQ", "IWM"), ("VOO", "IWM")]  # the pairs with shipped commentary (and content/index.md)
    assert {f"{a.lower()}-vs-{b.lower()}.md" for a, b in shipped} == {p.name for p in (ROOT / "content/pairs").glob("*.md")}
    rc, _, err = run(capsys, "--config", str(classic_site(tmp_path / "classic", shipped)), "--as-of", "2026-01-23",
                     "--out", "/nonexistent/never-written")
    assert rc == 0 and "claim" not in err
    cfg = small_site(tmp_path / "project")
    note = cfg.parent / "content/pairs/qqq-vs-iwm.md"
    note.write_text(note.read_text().replace("updated: 2026-08-03", "updated: 2026-01-02"))
    rc, _, err = run(capsys, "--config", str(cfg), "--as-of", "2026-01-23", "--out", "/nonexistent/never-written")
    assert rc == EXIT_STRICT
    assert "claim 'IWM.total_return.1y > QQQ.total_return.1y' does not hold" in err
    assert err.strip().splitlines()[-1].startswith("error: --check:")


def test_check_with_claims_flag_reports_claims_without_failing(tmp_path, capsys):
    """--check --claims=flag (what the publish does with claims): exit 0; --check alone still exits 6."""
    cfg = project(tmp_path, NOTE.replace("QQQ.expense_ratio < 1", "QQQ.expense_ratio > 1"))
    code, stdout, err = run(capsys, "--config", str(cfg), "--out", str(tmp_path / "out"), "--claims=flag")
    assert code == 0 and stdout.startswith("check OK:"), err
    assert "warning: content/pairs/qqq-vs-iwm.md:5: claim 'QQQ.expense_ratio > 1' does not hold" in err
    assert run(capsys, "--config", str(cfg), "--out", str(tmp_path / "out"))[0] == EXIT_STRICT


def test_check_refuses_live(tmp_path, capsys):
    rc, _, err = run(capsys, "--live", "--config", str(project(tmp_path, None)), "--out", str(tmp_path / "out"))
    assert rc == EXIT_CONFIG and "--check validates offline" in err

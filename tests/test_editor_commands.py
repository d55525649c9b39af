"""The editors' commands (issue 16): ``python build.py names [PAGE]`` and ``python build.py new pair A B``."""
from __future__ import annotations

import re
import tomllib

import pytest

from versus import fmt
from versus.cli import COMMANDS, console, main
from versus.content import claims as cl
from versus.content import placeholders as ph
from versus.errors import EXIT_CONFIG
from siteutil import small_site


def test_build_py_runs_the_commands_by_name(capsys):
    assert {"build", "serve", "names", "new"} <= set(COMMANDS)
    with pytest.raises(SystemExit) as e:
        main(["serve", "--help"])
    assert e.value.code == 0 and "--port" in capsys.readouterr().out


def test_names_of_a_pair_page_with_values_and_formatted_examples(tmp_path, capsys):
    cfg = small_site(tmp_path)
    assert main(["names", "QQQ-vs-IWM", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    head = out.splitlines()[0]
    assert re.match(r"\d+ names on QQQ vs IWM, values as of \d+ \w+ \d{4}", head), head
    line = next(ln for ln in out.splitlines() if ln.split()[:1] == ["QQQ.total_return.1y"])
    value = float(line.split()[1])
    assert line.endswith(f"{{{{ QQQ.total_return.1y | pct }}}}  ->  {fmt.pct_exact(value)}")
    assert re.search(r"pair\.correlation\.1y +0\.\d+ +\{\{ pair\.correlation\.1y \| num\(2\) \}\}  ->  0\.\d\d", out)
    assert "facts.fee_cost_10y.cost" in out
    for d in ph.filter_docs():  # every filter with its arguments
        assert d["signature"] in out
    assert "digits: decimals shown" in out


def test_names_of_a_fund_the_index_and_a_filter(tmp_path, capsys):
    cfg = small_site(tmp_path)
    assert main(["names", "iwm", "--config", str(cfg), "--grep", "expense"]) == 0
    rows = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("  ") and "  {{ " in ln]
    assert [r.split()[0] for r in rows] == ["IWM.expense_ratio", "QQQ.expense_ratio"]  # the page's fund first
    assert console(["names", "--config", str(cfg), "--grep", "pair."]) == 0
    assert capsys.readouterr().out.startswith("0 names on the index page")  # pair names only on pair pages


def test_names_of_an_unknown_page_suggests_one(tmp_path, capsys):
    cfg = small_site(tmp_path)
    assert main(["names", "QQQ-vs-IMW", "--config", str(cfg)]) == EXIT_CONFIG
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: names: no page 'QQQ-vs-IMW'") and err.endswith("(did you mean 'qqq-vs-iwm'?)")


def test_new_pair_writes_a_file_that_builds_clean_with_two_claims_that_hold(tmp_path, capsys):
    cfg = small_site(tmp_path)
    assert main(["new", "pair", "QQQ", "SCHD", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    path = tmp_path / "content/pairs/qqq-vs-schd.md"
    assert f"wrote {path}" in out and "added to" in out
    text = path.read_text()
    conf = tomllib.loads(cfg.read_text())
    assert "SCHD" in conf["funds"] and ["QQQ", "SCHD"] in conf["pairs"] and ["QQQ", "IWM"] in conf["pairs"]
    front, body = text.split("---\n")[1:3]
    claims = re.findall(r'^  - "(.+)"$', front, re.M)
    assert len(claims) == 2 and all(cl.parse(c) for c in claims)
    assert len(re.findall(r"\{\{ .+? \}\}", body)) >= 3
    assert 'title: "QQQ or SCHD?"' in front and "updated: " in front
    # the whole site builds with it and nothing to warn about: the claims hold, every placeholder has a value
    assert main(["--config", str(cfg), "--check", "--quiet"]) == 0, capsys.readouterr().err
    assert main(["new", "pair", "QQQ", "SCHD", "--config", str(cfg)]) == EXIT_CONFIG  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_new_pair_of_an_unknown_fund_writes_nothing(tmp_path, capsys):
    cfg = small_site(tmp_path)
    before = cfg.read_text()
    assert main(["new", "pair", "QQQ", "ZZZZ", "--config", str(cfg)]) != 0
    assert "ZZZZ" in capsys.readouterr().err
    assert cfg.read_text() == before and not (tmp_path / "content/pairs/qqq-vs-zzzz.md").exists()

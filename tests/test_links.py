"""Every internal link and asset of the built site resolves (and the checker does catch breakage)."""
from __future__ import annotations

import shutil

from versus.build.linkcheck import check_site


def test_every_internal_link_resolves(site):
    assert check_site(site) == []


def test_checker_reports_a_missing_page_and_a_missing_anchor(classic, tmp_path):
    """On a copy of the seven-fund site (the session's; a copy of the default site and its check took seconds)."""
    copy = tmp_path / "copy"
    shutil.copytree(classic, copy)
    assert check_site(copy) == []
    shutil.rmtree(copy / "funds" / "qqq")
    (copy / "extra.html").write_text('<a href="#nowhere">x</a><a href="../../etc/passwd">y</a>')
    problems = check_site(copy)
    assert any("funds/qqq/" in p and "does not exist" in p for p in problems)
    assert any("#nowhere has no target" in p for p in problems)
    assert any("outside the site" in p for p in problems)

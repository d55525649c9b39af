"""``--as-of`` on a fund's first days (issue 13.8): ``--as-of 2010-09-09``, VOO's first close, once crashed in
the time-series charts (IndexError).  Windows of one day must work: a fund with one close has no return yet
(said, with the reason), one with two closes has a one-day return, and neither is ever annualised."""
from __future__ import annotations

import html
import json
import re

import pytest

from siteutil import small_site
from versus.cli import main
from versus.pages.base import expand_statements

FIRST = {"VOO": "2010-09-09", "QQQM": "2020-10-13"}
NEXT = {"VOO": "2010-09-10", "QQQM": "2020-10-14"}
OLDER = {"VOO": "IWM", "QQQM": "QQQ"}


@pytest.mark.parametrize("fund", sorted(FIRST))
@pytest.mark.parametrize("which", ["first", "second"])
def test_a_fund_on_its_first_and_second_day(tmp_path, fund, which):
    day = (FIRST if which == "first" else NEXT)[fund]
    other = OLDER[fund]
    cfg = small_site(tmp_path / "project", pairs=((fund, other),))
    out = tmp_path / "site"
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", day, "--quiet"]) == 0
    slug = f"{fund.lower()}-vs-{other.lower()}"
    doc = json.loads((out / f"api/pairs/{slug}.json").read_text())
    f = doc["funds"][fund]
    assert doc["as_of"] == day and f["inception"] == FIRST[fund]
    assert f["cagr"]["inception"] is None and f["null_reasons"]["cagr.inception"]  # never annualised
    if which == "first":  # one close: no return, and the page says why
        assert f["total_return"]["inception"] is None and FIRST[fund] in f["null_reasons"]["total_return.inception"]
    else:  # two closes: a one-day return, the same as the closes give
        assert f["total_return"]["inception"] is not None
    for h in ("1y", "3y", "5y", "10y"):
        assert f["total_return"][h] is None and f["null_reasons"][f"total_return.{h}"]
    page = html.unescape((out / slug / "index.html").read_text())
    assert f'datetime="{day}"' in page and not re.search(r"\bnan\b|NaN|Infinity", page)
    fund_page = (out / f"funds/{fund.lower()}/index.html").read_text()
    assert fund in fund_page
    for st in expand_statements(doc):  # no sentence compares a figure that does not exist
        assert "None" not in st["text"] and "nan%" not in st["text"]

"""Labels that mean what they say (issue 13.5), on built sites at the dates that once broke them: "YTD" only for
the running year ("2015 YTD" appeared at 2016-02-29), the deepest drawdown *within* each calendar year (QQQ
2023 showed −34.7%, a fall from a 2021 high, in a year it rose 55%), "windows ending in the past five years"
only when the windows cover them."""
from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest

from versus.cli import main
from versus.pages.base import expand_statements
from versus.sources.snapshot import SnapshotSource


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("labels")
    cfg = base / "site.toml"
    cfg.write_text('title = "t"\ndescription = "d"\nbase_url = "https://example.org/"\nfunds = ["QQQ", "IWM", "QQQM"]\n'
                   'pairs = [["QQQ", "IWM"], ["QQQ", "QQQM"]]\n')
    old = base / "old.toml"
    old.write_text('title = "t"\ndescription = "d"\nbase_url = "https://example.org/"\nfunds = ["QQQ", "IWM"]\n'
                   'pairs = [["QQQ", "IWM"]]\n')
    out = {}
    for day, c in (("2016-02-29", old), ("2015-12-31", old), ("2016-01-04", old), ("2024-06-28", cfg),
                   ("2026-07-31", cfg)):
        out[day] = base / day
        assert main(["--config", str(c), "--out", str(out[day]), "--as-of", day, "--quiet"]) == 0
    return out


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


@pytest.mark.parametrize("day, running", [("2016-02-29", "2016"), ("2016-01-04", "2016"), ("2015-12-31", None)])
def test_ytd_only_for_the_running_year(sites, day, running):
    out = sites[day]
    for page in ("funds/qqq/index.html", "qqq-vs-iwm/index.html", "funds/iwm/index.html"):
        text = (out / page).read_text()
        labelled = {w for w in ("2014 YTD", "2015 YTD", "2016 YTD") if w in text}
        assert labelled <= ({f"{running} YTD"} if running else set()), (day, page, labelled)
    years = [r[0] for r in rows(out / "api/funds/qqq/dividends.csv")[1:]]
    assert "2015" in years and not any("YTD" in y for y in years if not y.startswith(running or "none"))


def test_the_deepest_drawdown_of_a_year_is_the_fall_within_that_year(sites):
    out = sites["2026-07-31"]
    # issue 17: a pair's drawdown chart has no CSV of its own (drawn from the funds' series): the fund's, same table
    assert not (out / "api/pairs/qqq-vs-iwm/drawdown.csv").exists()
    table = {r[0]: r for r in rows(out / "api/funds/qqq/drawdown.csv")}
    head = table.get("Year") or next(iter(table.values()))
    col = head.index("QQQ")
    adj = SnapshotSource().load(["QQQ"]).adj_close["QQQ"].dropna()
    year = adj.loc["2022-12-30":"2023-12-31"]  # the previous year's last close starts the year
    within = (year / year.cummax() - 1).min()
    assert float(table["2023"][col]) == pytest.approx(within, abs=1e-6)
    assert within > -0.15  # QQQ rose 55% in 2023: its worst fall inside the year was about 11%, not 34.7%
    from_2021 = adj.loc[:"2023-12-31"]
    assert (from_2021.loc["2023"] / from_2021.cummax().loc["2023"] - 1).min() < -0.3  # what the label once showed


def test_rolling_windows_past_five_years_only_when_they_cover_them(sites):
    short = json.loads((sites["2024-06-28"] / "api/pairs/qqq-vs-qqqm.json").read_text())  # QQQM from Oct 2020
    said = [st["text"] for st in expand_statements(short)]
    assert not any("ending in the past five years" in s for s in said)
    assert any("cannot be tracked over five years of rolling windows" in s for s in said)
    full = json.loads((sites["2026-07-31"] / "api/pairs/qqq-vs-iwm.json").read_text())
    assert any("ending in the past five years" in st["text"] for st in expand_statements(full))
    page = html.unescape((sites["2024-06-28"] / "qqq-vs-qqqm/index.html").read_text())
    assert "ending in the past five years" not in page

"""Curated notes that agree with the tables (issue 18, item 3): a note in data/funds.toml is either a dated
quote with its source, or carries a claim the build checks against the page's figures; a note whose claim does
not hold is never shown as a current fact (listed apart, struck, with a warning naming data/funds.toml:line)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from versus.cli import main
from versus.content.notes import note_check
from versus.data.funds import Observation

ROOT = Path(__file__).resolve().parent.parent
FAILS = 'largest holding under 0.5%'
HOLDS = 'top 10 holdings under half of the fund'


def site_with_notes(tmp_path: Path, notes: str) -> Path:
    """A one-pair site (QQQ vs IWM) whose data/funds.toml gives IWM ``notes`` (the shipped file otherwise)."""
    (tmp_path / "data").mkdir(parents=True)
    (tmp_path / "data/snapshot").symlink_to(ROOT / "data/snapshot")
    text = (ROOT / "data/funds.toml").read_text()
    start = text.index("notes = [", text.index("[IWM]"))
    (tmp_path / "data/funds.toml").write_text(text[:start] + notes + text[start:].split("\n]\n", 1)[1])
    (tmp_path / "site.toml").write_text('title = "versus"\ndescription = "d"\nbase_url = "https://versus.example.org/"\n'
                                        'funds = ["QQQ", "IWM"]\npairs = [["QQQ", "IWM"]]\n')
    return tmp_path / "site.toml"


NOTES = f'''notes = [
  {{ text = "{FAILS}", as_of = "2026-01", source = "articles-2026", claim = "IWM.holdings.largest_weight < 0.005" }},
  {{ text = "{HOLDS}", as_of = "2026-01", source = "articles-2026", claim = "IWM.holdings.top10_weight < 0.5" }},
  {{ text = "index reconstituted every June", as_of = "2026-01", source = "articles-2026" }},
]
'''


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notes")
    cfg = site_with_notes(folder, NOTES)
    return cfg, folder / "site"


def test_a_note_that_contradicts_the_data_is_not_shown_as_a_fact(built, capsys):
    cfg, out = built
    assert main(["--config", str(cfg), "--out", str(out), "--strict"]) == 6  # a warning, like a commentary claim
    err = capsys.readouterr()
    text = (cfg.parent / "data/funds.toml").read_text().splitlines()
    line = next(i for i, l in enumerate(text, 1) if f"text = \"{FAILS}\"" in l)
    said = err.out + err.err
    assert f"data/funds.toml:{line}: IWM note '{FAILS}': claim 'IWM.holdings.largest_weight < 0.005' does not hold" \
        in said
    assert HOLDS not in said  # a claim that holds is no warning
    html = (out / "funds/iwm/index.html").read_text()
    top = list(csv.reader((out / "api/funds/iwm/top10-iwm.csv").read_text().splitlines()))[1:]
    largest = max(float(r[2]) for r in top if r[2] and r[0] != "Top 10 together")
    share = float(next(r for r in top if r[0] == "Top 10 together")[2])
    assert largest >= 0.005 and share < 0.5  # what the data say, from the page's own table
    gone = re.search(r'<ul class="quotes outdated">(.*?)</ul>', html, re.S).group(1)
    held = re.search(r'<ul class="quotes checked">(.*?)</ul>', html, re.S).group(1)
    plain = re.search(r'<ul class="quotes">(.*?)</ul>', html, re.S).group(1)
    assert f"<s>“{FAILS}”</s>" in gone and FAILS not in held + plain
    assert HOLDS in held and HOLDS not in gone + plain
    assert "index reconstituted every June" in plain and "ETF comparison articles" in plain  # a dated quote, sourced


def test_claims_flag_publishes_with_the_note_flagged(built, tmp_path):
    cfg, _ = built
    assert main(["--config", str(cfg), "--out", str(tmp_path / "site"), "--claims=flag", "--strict", "--quiet"]) == 0


def test_a_claim_that_does_not_parse_stops_the_build_at_its_line(tmp_path, capsys):
    cfg = site_with_notes(tmp_path, 'notes = [\n  { text = "x", as_of = "2026-01", source = "articles-2026", '
                                    'claim = "IWM.holdings.largest_weight <" },\n]\n')
    assert main(["--config", str(cfg), "--out", str(tmp_path / "site"), "--quiet"]) == 2
    err = capsys.readouterr().err
    line = next(i for i, l in enumerate((tmp_path / "data/funds.toml").read_text().splitlines(), 1)
                if 'text = "x"' in l)
    assert f"funds.toml:{line}:" in err and "claim" in err


def test_the_check_only_looks_at_claims_of_notes():
    assert note_check("IWM", "notes", Observation("t", "2026-01", "s")) is None
    assert note_check("IWM", "notes", Observation("t", "2026-01", "s", claim="IWM.aum > 1")) is None
    bad = note_check("IWM", "notes", Observation("t", "2026-01", "s", claim="IWM.aum >"))
    assert bad and bad.sub == ("claim",)

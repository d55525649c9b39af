"""Claims: the safe expression language, and claims in the shipped commentary that are
checked on every build (a claim true on one as-of date is flagged on another)."""
from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from versus.content import claims as cl
from versus.cli import main
from versus.errors import EXIT_STRICT
from siteutil import small_site

V = {"QQQ.total_return.1y": 0.22, "IWM.total_return.1y": 0.34, "QQQ.expense_ratio": 0.0018,
     "IWM.expense_ratio": 0.0019, "X.null": None, "facts.return_1y_leader.leader": "IWM"}


def holds(text: str):
    return cl.evaluate(cl.parse(text), V.__getitem__).holds


# --------------------------------------------------------------------------- the language
@pytest.mark.parametrize("text, expected", [
    ("QQQ.total_return.1y > IWM.total_return.1y", V["QQQ.total_return.1y"] > V["IWM.total_return.1y"]),
    ("abs(QQQ.expense_ratio - IWM.expense_ratio) < 0.0005", abs(V["QQQ.expense_ratio"] - V["IWM.expense_ratio"]) < 0.0005),
    ("0 < QQQ.total_return.1y < IWM.total_return.1y", 0 < V["QQQ.total_return.1y"] < V["IWM.total_return.1y"]),
    ("max(QQQ.total_return.1y, IWM.total_return.1y) == IWM.total_return.1y", True),
    ("min(QQQ.expense_ratio, IWM.expense_ratio, 1) >= 0.0018", True),
    ("-QQQ.total_return.1y * 2 + 1 / 4 <= 0", -V["QQQ.total_return.1y"] * 2 + 1 / 4 <= 0),
    ("not QQQ.total_return.1y > 1 and (1 < 2 or 2 < 1)", True),
    ("facts.return_1y_leader.leader == 'IWM'", True),
    ('facts.return_1y_leader.leader != "QQQ"', True),
    ("1e-3 < 2.5E-2", True),
])
def test_claims_evaluate_like_arithmetic(text, expected):
    assert holds(text) is expected


def test_a_null_value_means_the_claim_cannot_be_checked():
    res = cl.evaluate(cl.parse("X.null > 0 or 1 < 2"), V.__getitem__)
    assert res.holds is None and res.values == {"X.null": None}


def test_paths_are_collected_once_in_order():
    c = cl.parse("IWM.total_return.1y > QQQ.total_return.1y and IWM.total_return.1y > 0")
    assert c.paths == ("IWM.total_return.1y", "QQQ.total_return.1y")


@pytest.mark.parametrize("text, message", [
    ("__import__('os') > 1", "unknown function '__import__'"),
    ("__import__('os').system('true') > 1", "unexpected .\\.system"),
    ("open('x') > 1", "unknown function 'open'"),
    ("QQQ.total_return.1y", "must be a comparison"),
    ("1 + 2", "must be a comparison"),
    ("QQQ.x >", "unexpected end"),
    ("QQQ.x > 1;", "unexpected ';'"),
    ("QQQ.x > 1 2", "unexpected '2'"),
    ("(QQQ.x > 1", "unexpected end"),
    ("QQQ.x > [1]", "unexpected '\\[1\\]'"),
    ("lambda: 1 > 0", "unexpected ':"),
    ("abs > 1", "abs is a function"),
    ("abs(1, 2) > 1", "abs\\(\\) takes 1 argument"),
    ("", "empty claim"),
    ("x" * 600 + " > 1", "longer than"),
])
def test_unsafe_or_malformed_claims_are_rejected(text, message):
    with pytest.raises(cl.ClaimError, match=message):
        cl.parse(text)


def test_type_errors_at_evaluation():
    with pytest.raises(cl.ClaimError, match="needs numbers"):
        cl.evaluate(cl.parse("facts.return_1y_leader.leader > 1"), V.__getitem__)
    with pytest.raises(cl.ClaimError, match="division by zero"):
        cl.evaluate(cl.parse("1 / 0 > 1"), V.__getitem__)


def test_no_eval_anywhere():
    import ast

    tree = ast.parse(Path(cl.__file__).read_text())
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__", "getattr"}


# --------------------------------------------------------------------------- shipped commentary, two dates
ROOT = Path(__file__).resolve().parent.parent
FLIP = "IWM.total_return.1y > QQQ.total_return.1y"
JAN, APR = "2026-01-23", "2026-04-16"


WRITTEN = "2026-01-02"
"""The commentary's ``updated`` in these tests: on 2 Jan 2026 QQQ led over one year (20.8% against 13.8%)."""


def written_on(cfg: Path, day: str, claims: list[str] | None = None) -> Path:
    """The shipped QQQ vs IWM commentary beside ``cfg``, as if written on ``day`` (with other claims)."""
    path = cfg.parent / "content/pairs/qqq-vs-iwm.md"
    text = path.read_text().replace("updated: 2026-08-03", f"updated: {day}")
    if claims is not None:
        head, rest = text.split("claims:\n", 1)
        body = rest[rest.index("---"):]
        text = head + "claims:\n" + "".join(f'  - "{c}"\n' for c in claims) + body
    path.write_text(text)
    return cfg


@pytest.fixture(scope="module")
def two_dates(tmp_path_factory):
    """The QQQ vs IWM site, its commentary written on 2 Jan 2026, built as of 23 Jan and of 16 Apr 2026."""
    base = tmp_path_factory.mktemp("claims")
    cfg = written_on(small_site(base / "project"), WRITTEN)
    out = {}
    for day in (JAN, APR):
        out[day] = base / day
        assert main(["--config", str(cfg), "--out", str(out[day]), "--as-of", day, "--quiet"]) == 0
    return out


def doc(site: Path) -> dict:
    return json.loads((site / "api/pairs/qqq-vs-iwm.json").read_text())


def test_the_flip_claim_is_shipped():
    text = (ROOT / "content/pairs/qqq-vs-iwm.md").read_text()
    assert f'"{FLIP}"' in text


def test_claim_true_in_april_is_flagged_in_january(two_dates, capsys):
    # On 2026-01-23 QQQ led over one year (17.5% against 16.8% for IWM); by 2026-04-16 IWM led
    # (47.5% against 44.9%).  The expectations below come from the built JSON, not these notes.
    jan, apr = doc(two_dates[JAN]), doc(two_dates[APR])
    for d, should_hold in ((jan, False), (apr, True)):
        f = d["funds"]
        assert (f["IWM"]["total_return"]["1y"] > f["QQQ"]["total_return"]["1y"]) is should_hold
        claim = next(c for c in d["commentary"]["claims"] if c["claim"] == FLIP)
        assert claim["holds"] is should_hold and claim["held_when_written"] is False
        assert claim["values"] == {"IWM.total_return.1y": f["IWM"]["total_return"]["1y"],
                                   "QQQ.total_return.1y": f["QQQ"]["total_return"]["1y"]}
    jan_page = html.unescape((two_dates[JAN] / "qqq-vs-iwm/index.html").read_text())
    apr_page = html.unescape((two_dates[APR] / "qqq-vs-iwm/index.html").read_text())
    # readers get it in words, with the figures; never the expression
    said = ("This commentary says IWM returned more than QQQ over the past year; as of 23 Jan 2026 it did not "
            "(16.8% vs 17.5%).")
    assert "claim-note" in jan_page and said in jan_page and FLIP not in jan_page
    assert next(c for c in jan["commentary"]["claims"] if c["claim"] == FLIP)["explained"] == said
    assert "This commentary was written on 2 Jan 2026. " in jan_page  # not "the data have changed since"
    assert "claim-note" not in apr_page and "This commentary says" not in apr_page


def test_editors_are_told_does_not_hold_for_a_claim_that_never_held(tmp_path, capsys):
    cfg = written_on(small_site(tmp_path / "project"), WRITTEN)
    assert main(["--config", str(cfg), "--out", str(tmp_path / "j"), "--as-of", JAN, "--quiet", "--strict"]) == EXIT_STRICT
    err = capsys.readouterr().err
    assert (f"warning: content/pairs/qqq-vs-iwm.md:{claim_line(cfg.parent / 'content/pairs/qqq-vs-iwm.md', FLIP)}: claim '{FLIP}' does not hold (IWM.total_return.1y = 0.1677, "
            f"QQQ.total_return.1y = 0.175), and did not hold on {WRITTEN} either (IWM.total_return.1y = 0.1376, "
            f"QQQ.total_return.1y = 0.2077)") in err
    assert "no longer holds" not in err


def test_no_longer_holds_only_when_it_held_when_written(tmp_path, capsys):
    """Written on 23 Jan 2026, when QQQ led (17.5% against 16.8%); by 16 Apr IWM led (47.5% against 44.9%)."""
    reverse = "QQQ.total_return.1y > IWM.total_return.1y"
    cfg = written_on(small_site(tmp_path / "project"), JAN, [reverse, FLIP])
    out = tmp_path / "apr"
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", APR, "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"claim '{reverse}' no longer holds (QQQ.total_return.1y = 0.4489, IWM.total_return.1y = 0.4752); it held " \
           f"on {JAN}, when the commentary was written (QQQ.total_return.1y = 0.175, IWM.total_return.1y = 0.1677)" in err
    claims = {c["claim"]: c for c in doc(out)["commentary"]["claims"]}
    assert claims[reverse]["held_when_written"] is True and claims[reverse]["holds"] is False
    assert claims[FLIP]["held_when_written"] is False and claims[FLIP]["holds"] is True
    page = html.unescape((out / "qqq-vs-iwm/index.html").read_text())
    assert "This commentary was written on 23 Jan 2026; the data have changed since. 1 of its 2 checked statements " \
           "does not hold as of 16 Apr 2026:" in page
    assert "This commentary says QQQ returned more than IWM over the past year; as of 16 Apr 2026 it did not " \
           "(44.9% vs 47.5%)." in page


def test_commentary_written_after_the_as_of_date_is_left_out(tmp_path, capsys):
    """The shipped commentary (written 3 Aug 2026) once showed, as of 23 Jan 2026, text saying IWM returned 16.8%
    against 17.5% for QQQ and 'the small companies finally had their turn'."""
    cfg = small_site(tmp_path / "project")
    out = tmp_path / "jan"
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", JAN, "--quiet", "--strict"]) == 0
    page = html.unescape((out / "qqq-vs-iwm/index.html").read_text())
    assert "finally had their turn" not in page and "claim-note" not in page
    assert ("Editor commentary on this page, written on 3 Aug 2026, is left out: this site is built as of 23 Jan "
            "2026, before it was written.") in page
    assert doc(out)["commentary"] == {"omitted": True, "title": "Mega-cap growth or the small-company market?",
                                      "updated": "2026-08-03", "source": "content/pairs/qqq-vs-iwm.md",
                                      "note": doc(out)["commentary"]["note"]}
    # without --as-of the site is today's: the commentary is shown
    assert main(["--config", str(cfg), "--out", str(tmp_path / "now"), "--quiet"]) == 0
    assert "finally had their turn" in (tmp_path / "now/qqq-vs-iwm/index.html").read_text()
    # --on-file latest: what a daily build on that day showed (all commentary on file, each fact's latest value)
    again = tmp_path / "published"
    assert main(["--config", str(cfg), "--out", str(again), "--as-of", JAN, "--on-file", "latest", "--quiet"]) == 0
    assert "finally had their turn" in (again / "qqq-vs-iwm/index.html").read_text()
    assert json.loads((again / "build.json").read_text())["on_file"] == "latest"
    assert json.loads((out / "build.json").read_text())["on_file"] == "dated"
    assert doc(again)["funds"]["QQQ"]["expense_ratio"] == 0.0018 and doc(out)["funds"]["QQQ"]["expense_ratio"] == 0.002


def claim_line(path: Path, claim: str) -> int:
    return next(n for n, text in enumerate(path.read_text().splitlines(), 1) if claim in text)


def test_claims_flag_publishes_and_tells_the_maintainer(tmp_path, capsys, monkeypatch):
    """Issue 14 item 1: --strict --claims=flag (publish.yml) exits 0 and writes the site when the only problem is a
    claim that no longer holds; the page flags it, the JSON says holds=false, the run gets a file:line warning
    annotation, a step-summary section and the step outputs the claims-issue job reads."""
    cfg = small_site(tmp_path / "project")
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    out = tmp_path / "site"
    # --on-file latest: the commentary (written 3 Aug 2026) is shown as of 23 Jan, as the daily build showed it
    code = main(["--config", str(cfg), "--out", str(out), "--as-of", JAN, "--on-file", "latest", "--quiet", "--strict",
                 "--claims=flag"])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    d = doc(out)
    assert next(c for c in d["commentary"]["claims"] if c["claim"] == FLIP)["holds"] is False
    page = html.unescape((out / "qqq-vs-iwm/index.html").read_text())
    assert "claim-note" in page and "not hold as of 23 Jan 2026:" in page  # flagged in words for readers
    line = claim_line(cfg.parent / "content/pairs/qqq-vs-iwm.md", FLIP)
    assert (f"::warning file=content/pairs/qqq-vs-iwm.md,line={line},title=commentary claim no longer holds::"
            f"claim '{FLIP}' ") in stdout
    text = summary.read_text()
    n = sum(c["holds"] is not True for c in d["commentary"]["claims"])
    assert n >= 1 and f"### Commentary claims that no longer hold: {n}" in text
    assert f"- `content/pairs/qqq-vs-iwm.md:{line}`: claim '{FLIP}' " in text
    assert "**Warnings: 0**" in text
    got = outputs.read_text()
    assert got.startswith(f"claims-failed={n}\nclaims-report<<versus_claims_")
    assert f"- [ ] `content/pairs/qqq-vs-iwm.md:{line}`: claim '{FLIP}' " in got
    assert f"--claims=flag: {n} commentary claim(s) no longer hold" in err
    # the same build without --claims=flag: exit 6 (editors' --strict), the site written anyway
    assert main(["--config", str(cfg), "--out", str(tmp_path / "strict"), "--as-of", JAN, "--on-file", "latest",
                 "--quiet", "--strict"]) == EXIT_STRICT


def test_claims_flag_still_fails_on_other_warnings_and_errors(tmp_path, capsys):
    """--claims=flag spares claims only: another warning (here a previous build's unreadable file) still
    exits 6 under --strict, and a template error still exits 4."""
    cfg = small_site(tmp_path / "project")
    out = tmp_path / "site"
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", JAN, "--quiet"]) == 0
    (out / "api/pairs/qqq-vs-iwm.json").write_text("{broken")
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", JAN, "--quiet", "--strict",
                 "--claims=flag"]) == EXIT_STRICT
    assert "previous build's file" in capsys.readouterr().err
    (cfg.parent / "templates").mkdir()
    (cfg.parent / "templates/pair.html").write_text("{% if %}")
    cfg.write_text(cfg.read_text() + '\n[options]\ntemplates = "templates"\n')
    assert main(["--config", str(cfg), "--out", str(out), "--as-of", JAN, "--quiet", "--strict",
                 "--claims=flag"]) == 4


def test_summary_paragraphs_differ_and_name_the_right_leader(two_dates):
    jan, apr = doc(two_dates[JAN]), doc(two_dates[APR])
    assert jan["summary"] != apr["summary"]
    for d in (jan, apr):
        r = {t: d["funds"][t]["total_return"]["1y"] for t in d["tickers"]}
        lead = max(r, key=r.get)
        y = {t: d["funds"][t]["dividend_yield_ttm"] for t in d["tickers"]}
        ylead = max(y, key=y.get)
        clause = "outperformed over the past year" if lead == ylead else f"but {lead} slightly outperformed"
        assert clause in d["summary"] or f"but {lead} outperformed" in d["summary"], d["summary"]
        assert d["summary"].startswith(f"{ylead} offers the higher dividend yield")
        page = html.unescape((two_dates[d["as_of"]] / "qqq-vs-iwm/index.html").read_text())
        assert d["summary"] in page


def test_shipped_claims_hold_on_the_default_build(tmp_path):
    out = tmp_path / "s"
    cfg = small_site(tmp_path / "project", (("QQQ", "IWM"), ("VOO", "IWM")))
    assert main(["--config", str(cfg), "--out", str(out), "--quiet"]) == 0
    for slug in ("qqq-vs-iwm", "voo-vs-iwm"):
        d = json.loads((out / f"api/pairs/{slug}.json").read_text())
        assert d["commentary"]["claims"], slug
        assert all(c["holds"] is True for c in d["commentary"]["claims"]), d["commentary"]["claims"]


@pytest.mark.parametrize("text, values, said", [
    ("abs(QQQ.expense_ratio - IWM.expense_ratio) < 0.0005", {"QQQ.expense_ratio": 0.002, "IWM.expense_ratio": 0.0019},
     "QQQ's and IWM's expense ratios are less than 0.05 points apart; as of 23 Jan 2026 it did (0.20% vs 0.19%)."),
    ("pair.correlation.1y < 0.8", {"pair.correlation.1y": 0.83},
     "the correlation of daily returns of QQQ and IWM over the past year is below 0.80; as of 23 Jan 2026 it did "
     "not (0.83)."),
    ("QQQ.max_drawdown.5y.value < IWM.max_drawdown.5y.value",
     {"QQQ.max_drawdown.5y.value": -0.35, "IWM.max_drawdown.5y.value": -0.3},
     "QQQ's worst fall over five years was deeper than IWM's; as of 23 Jan 2026 it did (\u221235.0% vs \u221230.0%)."),
    ("VOO.expense_ratio < IWM.expense_ratio", {"VOO.expense_ratio": 0.0003, "IWM.expense_ratio": 0.0019},
     "VOO charges less than IWM; as of 23 Jan 2026 it did (0.03% vs 0.19%)."),
    ("QQQ.total_return.1y > 2 * IWM.total_return.1y", {"QQQ.total_return.1y": 0.1, "IWM.total_return.1y": 0.2},
     "the statement QQQ's total return over the past year is above 2.00 times IWM's total return over the past "
     "year; as of 23 Jan 2026 it did not (10.0% vs 20.0%)."),
    ("QQQ.total_return.1y > 0.5", {"QQQ.total_return.1y": None},
     "QQQ's total return over the past year is above 50.0%; as of 23 Jan 2026 that cannot be checked: QQQ's total "
     "return over the past year is not available."),
])
def test_claims_are_explained_to_readers_in_words(text, values, said):
    """Readers never see the expression: every shape of claim is worded, with the figures as pages show them."""
    from versus.facts import claim_words

    claim = cl.parse(text)
    res = cl.evaluate(claim, values.get)
    out = claim_words.explain(claim.tree, res.holds, res.values, "2026-01-23", ("QQQ", "IWM"))
    assert out == "This commentary says " + said
    assert text not in out and "." + "total_return" not in out

"""Bad input: a one-line error naming the input, a documented exit code, no traceback, no output."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from versus.errors import EXIT_CONFIG, EXIT_DATA

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "site.toml").read_text()


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True, cwd=cwd)


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "site.toml"
    path.write_text(text)
    return str(path)


def check_error(proc: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ")
    for n in needles:
        assert n in last, last


@pytest.mark.parametrize(
    "edit, needles",
    [
        (lambda t: t.replace("pairs = [", "pairz = ["), ["site.toml:", "unknown key 'pairz'", "did you mean 'pairs'"]),
        (lambda t: t.replace('["DIA", "SPY"]', '["DIA", "XYZ"]'), ["'XYZ'", "not in funds"]),
        (lambda t: t.replace('["DIA", "SPY"]', '["DIA", "DIA"]'), ["compares a fund with itself"]),
        (lambda t: t.replace('["DIA", "SPY"]', '["IWM", "QQQ"]'), ["listed twice"]),
        (lambda t: t.replace('title = "versus"', 'title = "versus'), ["site.toml:", "malformed TOML"]),
        (lambda t: t.replace("risk_free_rate = 0.0", 'risk_free_rate = "zero"'), ["risk_free_rate", "must be a number"]),
        (lambda t: t.replace("allow_html = false", "alow_html = false"), ["unknown option", "did you mean 'allow_html'"]),
    ],
)
def test_bad_config(tmp_path, edit, needles):
    out = tmp_path / "out"
    proc = run("--config", config(tmp_path, edit(GOOD)), "--out", str(out))
    check_error(proc, EXIT_CONFIG, *needles)
    assert not out.exists()


def test_malformed_toml_names_the_line(tmp_path):
    bad = GOOD.replace('base_url = "https://versus.example.org/"', "base_url = https://nope")
    line = next(i for i, l in enumerate(bad.splitlines(), 1) if l.startswith("base_url"))
    proc = run("--config", config(tmp_path, bad), "--out", str(tmp_path / "o"))
    check_error(proc, EXIT_CONFIG, f"site.toml:{line}:")


def test_unknown_ticker_in_config_is_reported(tmp_path):
    text = GOOD.replace("funds = [", 'funds = ["ZZZZ", ', 1)  # whatever site.toml lists
    assert text != GOOD
    line = next(i for i, l in enumerate(text.splitlines(), 1) if '"ZZZZ"' in l)
    proc = run("--config", config(tmp_path, text), "--out", str(tmp_path / "o"))
    check_error(proc, EXIT_DATA, f"site.toml:{line}: ZZZZ: not in the embedded snapshot",
                "fetch it once with `python build.py --live`, then embed it with `python build.py snapshot`")


@pytest.mark.parametrize(
    "as_of, code, needle",
    [
        ("1990-01-02", EXIT_DATA, None),  # before every fund's first price (whichever site.toml lists)
        ("2026-09-15", EXIT_DATA, "after the data ends"),
        ("2099-01-01", EXIT_CONFIG, "in the future"),
        ("yesterday-ish", EXIT_CONFIG, "not a date"),
    ],
)
def test_bad_as_of(tmp_path, as_of, code, needle):
    out = tmp_path / "out"
    if needle is None:
        from versus.config import load_config
        from versus.sources.snapshot import SnapshotSource

        adj = SnapshotSource().load(load_config(ROOT / "site.toml").funds).adj_close
        firsts = {t: adj[t].first_valid_index() for t in adj.columns}
        oldest = min(firsts, key=firsts.get)
        needle = f"before any fund's first price (the earliest: {oldest}, {firsts[oldest].date()})"
    proc = run("--as-of", as_of, "--out", str(out))
    check_error(proc, code, needle)
    assert not out.exists()


def test_failed_build_leaves_previous_site_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("previous")
    (out / "build.json").write_text('{"generator": "versus"}')  # a site versus built (else: refused, exit 5)
    proc = run("--as-of", "1990-01-02", "--out", str(out))
    assert proc.returncode == EXIT_DATA
    assert (out / "index.html").read_text() == "previous"

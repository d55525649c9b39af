"""Issue 11, item 8: one line instead of a traceback.  Each case that used to print a traceback, and the
last resort: any unexpected exception is one line naming the stage, exit 1; ``--debug`` shows the traceback."""
from __future__ import annotations

import pytest

import versus.analysis as analysis_mod
import versus.config as config_mod
import versus.content as content_mod
from siteutil import MINIMAL_SITE_TOML
from versus.cli import main
from versus.errors import EXIT_CONFIG


@pytest.fixture
def config(tmp_path):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    return tmp_path / "site.toml"


def run(capsys, config, out, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--config", str(config), "--out", str(out), "--quiet", *extra])
    return code, capsys.readouterr().err


def one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


# --------------------------------------------------------------------------- the last resort
def boom(message: str = "boom", exc=ZeroDivisionError):
    def raise_(*a, **k):
        raise exc(message)
    return raise_


@pytest.mark.parametrize("target, stage, exc", [
    ((config_mod, "load_config"), "site config", KeyError),
    ((analysis_mod, "compute_funds"), "metrics", ZeroDivisionError),
    ((content_mod, "load"), "content", RecursionError),
    ((analysis_mod, "compute_pair"), "metrics", MemoryError),
])
def test_an_unexpected_error_is_one_line_naming_the_stage(tmp_path, capsys, monkeypatch, config, target, stage, exc):
    owner, name = target
    if owner is config_mod:
        import versus.cli as cli_mod
        monkeypatch.setattr(cli_mod, "load_config", boom("x", exc))
    else:
        monkeypatch.setattr(owner, name, boom("x", exc))
    code, err = run(capsys, config, tmp_path / "out")
    assert code == 1, err
    line = one_line(err)
    assert line.startswith(f"error: internal error in {stage}: {exc.__name__}")
    assert line.endswith("; run with --debug for the traceback")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site.toml"]  # no temporary folder, no lock file


def test_debug_shows_the_traceback(tmp_path, capsys, monkeypatch, config):
    monkeypatch.setattr(analysis_mod, "compute_funds", boom("a bug"))
    code, err = run(capsys, config, tmp_path / "out", "--debug")
    assert code == 1
    assert "Traceback (most recent call last)" in err and "ZeroDivisionError: a bug" in err
    assert err.strip().splitlines()[-1].startswith("error: internal error in metrics: ZeroDivisionError: a bug")


def test_a_long_multi_line_message_stays_one_short_line(tmp_path, capsys, monkeypatch, config):
    monkeypatch.setattr(analysis_mod, "compute_funds", boom("first line\n" + "x" * 5000 + "\nlast line", ValueError))
    code, err = run(capsys, config, tmp_path / "out")
    line = one_line(err)
    assert code == 1 and len(line) < 450 and "first line x" in line


def test_an_error_with_an_unprintable_message(tmp_path, capsys, monkeypatch, config):
    class Weird(Exception):
        def __str__(self):
            raise RuntimeError("cannot print me")

    def raise_(*a, **k):
        raise Weird()

    monkeypatch.setattr(analysis_mod, "compute_funds", raise_)
    code, err = run(capsys, config, tmp_path / "out")
    assert code == 1 and one_line(err) == ("error: internal error in metrics: Weird; run with --debug for the "
                                           "traceback")


def test_the_failure_goes_to_the_step_summary(tmp_path, capsys, monkeypatch, config):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setattr(analysis_mod, "compute_funds", boom())
    code, _ = run(capsys, config, tmp_path / "out")
    assert code == 1
    assert "build FAILED (exit 1)" in summary.read_text() and "internal error in metrics" in summary.read_text()


# --------------------------------------------------------------------------- --as-of: a date, nothing else
@pytest.mark.parametrize("value", ["2026-07-31T10:00:00+02:00", "2026-07-31 10:00", "2026-07-31T00:00",
                                   "20260731", "2026-W31-5", "2026-07-31\n", " 2026-07-31", "31/07/2026", "",
                                   "2026-02-30", "9999-99-99", "2026-07-31" + "0" * 10000])
def test_as_of_must_be_a_plain_date(tmp_path, capsys, config, value):
    code, err = run(capsys, config, tmp_path / "out", "--as-of", value)
    assert code == EXIT_CONFIG, err
    line = one_line(err)
    assert line.startswith("error: --as-of ") and ("not a date" in line or "not a real date" in line), line
    assert len(line) < 200
    assert not (tmp_path / "out").exists()

"""The benchmark harness runs end to end on a tiny universe (a smoke test, not a timing test).

Its "default site" is a one-pair site here (``--config``): the harness's code is the same, and a cold build of
the real default site added half a minute to ``make test``.  ``make bench-check`` (``VERSUS_BENCH_DEFAULT=1``)
runs it on the repository's site.toml, as ``make bench`` does."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from siteutil import small_site

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ["machine", "quantstats_s", "per_pair_ms_median", "quantstats_ratio", "default_cold_s", "default_noop_s",
            "synthetic_pairs", "synthetic_funds", "synthetic_cold_s", "synthetic_peak_rss_mb",
            "page_gzip_bytes_median", "page_gzip_bytes_max", "stages_s",
            # issue 17: bytes on disk of the synthetic and the default site, and the one large run
            "site_bytes_per_pair", "site_bytes_total", "default_site_bytes_per_pair", "default_site_bytes_total",
            "synthetic_large"]


def test_bench_quick_writes_every_key(tmp_path):
    out = tmp_path / "results.json"
    default = os.environ.get("VERSUS_BENCH_DEFAULT") == "1"
    site = [] if default else ["--config", str(small_site(tmp_path / "one-pair"))]
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out), *site], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "TMPDIR": str(scratch)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads(out.read_text())
    assert [k for k in REQUIRED if k not in res] == []
    assert res["synthetic_pairs"] == 8 and res["synthetic_funds"] == 6
    assert res["default_cold_s"] > 0 and res["synthetic_peak_rss_mb"] > 0
    assert 0 < res["page_gzip_bytes_median"] <= res["page_gzip_bytes_max"]
    assert "per pair page" in proc.stdout
    assert 0 < res["site_bytes_per_pair"] < res["site_bytes_total"]
    assert 0 < res["default_site_bytes_per_pair"] < res["default_site_bytes_total"]
    big = res["synthetic_large"]
    assert big["synthetic_pairs"] == 24 and big["synthetic_funds"] == 8 and big["synthetic_cold_s"] > 0
    # user and system CPU of the build and its page workers (stage times are wall seconds, so no bound between them
    # holds on a loaded machine)
    assert big["synthetic_cpu_user_s"] > 0 and big["synthetic_cpu_sys_s"] >= 0
    assert res["synthetic_cpu_user_runs_s"] and res["synthetic_cpu_user_s"] > 0
    # every run's output folder is gone when the bench ends (they are kept until then: see bench/__main__.py)
    assert [p.name for p in scratch.iterdir() if p.name.startswith("versus-bench-")] == []
    assert big["site_bytes_per_pair"] > 0 and big["quantstats_ratio"] == (
        res["quantstats_s"] / (big["per_pair_amortized_ms"] / 1000) if res["quantstats_s"] else None)


def test_synthetic_universe_is_valid_and_reproducible():
    from bench.synthetic import make_config, make_prices
    from versus.data import validate

    a, b = make_prices(5, years=3), make_prices(5, years=3)
    validate(a)
    assert a.adj_close.equals(b.adj_close) and a.dividends.equals(b.dividends)
    cfg = make_config(a.tickers, 8, 2)
    assert len({frozenset(p) for p in cfg.pairs}) == 8
    assert all(3 <= len(g) <= 5 for g in cfg.groups)

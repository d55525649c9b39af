"""``python -m bench [--quick]``: measure versus in one process run and write bench/results.json.

Measured, each in its own subprocess (wall time and peak RSS of that process alone):
  * the default site: cold build (empty caches, empty output) and no-change rebuild;
  * the synthetic universe (200 funds, 1,000 pairs, 20 groups by default): stage times, ms per
    pair page, page weights; plus smaller universes to report how build time grows with pairs;
  * QuantStats ``reports.html`` for one pair of the same synthetic series (needs the ``bench`` extra).
Timings are medians of ``--repeat`` runs.  ``--quick`` uses a tiny universe and one run (for make test).

Every run writes into its own new temporary folder, and the folders are deleted only when the bench ends: this
machine's ext4 (mounted with ``discard``) takes up to three times as long to create files right after many files
were deleted nearby, so deleting one run's site before the next run measured the file system's state, not versus
(on a fresh CI runner nothing was deleted).  Each synthetic run also reports its user and system CPU seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from .synthetic_build import page_weights, site_bytes

ROOT = Path(__file__).resolve().parent.parent
_TRASH: list[Path] = []
"""Output folders of the runs so far, deleted by :func:`clean_up` when the bench ends (see the module's doc)."""


def scratch() -> Path:
    """A new temporary folder for one run, deleted when the bench ends."""
    tmp = Path(tempfile.mkdtemp(prefix="versus-bench-"))
    _TRASH.append(tmp)
    return tmp


def clean_up() -> None:
    while _TRASH:
        shutil.rmtree(_TRASH.pop(), ignore_errors=True)


def machine() -> dict:
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gb": mem, "python": platform.python_version(),
            "platform": platform.platform(), "processor": platform.machine()}


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run ``cmd``; return (wall seconds, peak RSS in MB of that process tree's largest process, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    import resource

    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, rss, out


def run_rss(cmd: list[str], env: dict | None = None, cpu: dict | None = None) -> tuple[float, float, str]:
    """Like :func:`run` but the peak RSS is this child's own (os.wait4), not the max over all children;
    ``cpu``, if given, receives the user and system CPU seconds of the child and its own children."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as so, tempfile.TemporaryFile("w+") as se:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=so, stderr=se, text=True, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0)
        se.seek(0)
        out, err = so.read(), se.read()
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    if cpu is not None:  # the build's page workers, reaped by the build, are counted in its children's times
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu["user"], cpu["sys"] = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    return wall, usage.ru_maxrss / 1024, out


STAGES = ["load", "validate", "metrics", "facts", "charts", "SVG fallbacks", "render", "write", "pages (wall)"]
"""Stages of issue 7, in seconds.  facts, charts, SVG fallbacks and render are summed over every page
(CPU seconds across the worker processes); "pages (wall)" is the wall time of the parallel page stage."""


def median(xs):
    return statistics.median(xs) if xs else None


def bench_default(repeat: int, config: Path | None = None) -> dict:
    """The default site's cold and no-change builds (``config``: another site.toml instead, for the harness's
    own test)."""
    cold, noop, rss = [], [], []
    for _ in range(repeat):
        tmp = scratch()
        env = {"VERSUS_RENDER_CACHE": str(tmp / "cache")}
        cmd = [sys.executable, "build.py", *(["--config", str(Path(config).resolve())] if config else []), "--out",
               str(tmp / "site"), "--quiet"]
        w, r, _ = run_rss(cmd, env)
        cold.append(w)
        rss.append(r)
        sizes = site_bytes(tmp / "site")
        w, _, _ = run_rss(cmd, env)
        noop.append(w)
    return {"default_cold_s": median(cold), "default_noop_s": median(noop), "default_peak_rss_mb": max(rss),
            "default_cold_runs_s": cold, "default_noop_runs_s": noop,
            **{f"default_{k}": v for k, v in sizes.items()}}


def bench_synthetic(funds: int, pairs: int, groups: int, years: int, repeat: int) -> dict:
    walls, docs, rss, user, system = [], [], [], [], []
    for _ in range(repeat):
        tmp = scratch()
        cmd = [sys.executable, "-m", "bench.synthetic_build", "--funds", str(funds), "--pairs", str(pairs),
               "--groups", str(groups), "--years", str(years), "--out", str(tmp / "site")]
        cpu: dict = {}
        w, r, out = run_rss(cmd, {"VERSUS_RENDER_CACHE": str(tmp / "cache")}, cpu)
        walls.append(w)
        rss.append(r)
        user.append(cpu["user"])
        system.append(cpu["sys"])
        doc = json.loads(out.strip().splitlines()[-1])
        doc.update(page_weights(tmp / "site", doc.pop("pair_slugs")))
        docs.append(doc)
    best = sorted(docs, key=lambda d: d["build_s"])[len(docs) // 2]
    stages = {k: median([d["stages_s"].get(k, 0.0) for d in docs]) for k in STAGES}
    page_ms = best.get("page_ms") or []
    build_s = median([d["build_s"] for d in docs])
    return {
        "synthetic_funds": funds, "synthetic_pairs": pairs, "synthetic_groups": groups,
        "synthetic_cold_s": build_s, "synthetic_process_s": median(walls), "synthetic_peak_rss_mb": max(rss),
        "synthetic_cold_runs_s": [d["build_s"] for d in docs], "synthetic_process_runs_s": walls,
        "synthetic_cpu_user_s": median(user), "synthetic_cpu_sys_s": median(system),
        "synthetic_cpu_user_runs_s": user, "synthetic_cpu_sys_runs_s": system,
        "stages_s": stages,
        "per_pair_amortized_ms": 1000 * build_s / pairs,
        "per_pair_ms_median": statistics.median(page_ms) if page_ms else 1000 * build_s / pairs,
        "per_pair_ms_p95": (sorted(page_ms)[int(0.95 * (len(page_ms) - 1))] if page_ms else None),
        **{k: best[k] for k in ("page_raw_bytes_median", "page_raw_bytes_max", "page_gzip_bytes_median",
                                "page_gzip_bytes_max", "site_bytes_total", "site_files", "site_bytes_per_pair",
                                "site_bytes_per_pair_max")},
    }


def bench_quantstats(years: int, repeat: int) -> dict:
    try:
        import quantstats  # noqa: F401
    except ImportError:
        return {"quantstats_s": None, "quantstats_note": "quantstats not installed (pip install -e '.[bench]')"}
    times, rss, size = [], [], None
    for _ in range(repeat):
        tmp = scratch()
        w, r, out = run_rss([sys.executable, "-m", "bench.qs_once", "--years", str(years), "--out", str(tmp / "qs.html")])
        times.append(json.loads(out.strip().splitlines()[-1])["seconds"])
        rss.append(r)
        size = (tmp / "qs.html").stat().st_size
    return {"quantstats_s": median(times), "quantstats_runs_s": times, "quantstats_peak_rss_mb": max(rss),
            "quantstats_html_bytes": size}


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares seconds per pair from (pairs, seconds) points."""
    if len(points) < 2:
        return None
    xs, ys = zip(*points)
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)


def table(res: dict) -> str:
    rows = [
        ("machine", f"{res['machine']['cores']} cores, {res['machine']['memory_gb']} GB, Python {res['machine']['python']}"),
        ("default site cold build", f"{res['default_cold_s']:.2f} s (peak RSS {res['default_peak_rss_mb']:.0f} MB)"),
        ("default site no-change rebuild", f"{res['default_noop_s']:.2f} s"),
        (f"synthetic {res['synthetic_funds']} funds / {res['synthetic_pairs']} pairs cold",
         f"{res['synthetic_cold_s']:.1f} s (runs {', '.join(f'{x:.1f}' for x in res['synthetic_cold_runs_s'])}; "
         f"process {res['synthetic_process_s']:.1f} s, peak RSS {res['synthetic_peak_rss_mb']:.0f} MB)"),
        ("per pair page (median / p95)", f"{res['per_pair_ms_median']:.1f} ms / "
         + (f"{res['per_pair_ms_p95']:.1f} ms" if res.get("per_pair_ms_p95") else "n/a")),
        ("per pair page, amortized", f"{res['per_pair_amortized_ms']:.1f} ms"),
        ("pair page gzipped (median / max)", f"{res['page_gzip_bytes_median'] / 1024:.1f} KB / {res['page_gzip_bytes_max'] / 1024:.1f} KB"),
        ("build time slope", f"{res['slope_ms_per_pair']:.1f} ms per pair" if res.get("slope_ms_per_pair") else "n/a"),
        ("QuantStats reports.html, one pair", f"{res['quantstats_s']:.2f} s" if res.get("quantstats_s") else "not run"),
        ("QuantStats / our amortized per-pair cost", f"{res['quantstats_ratio']:.0f}x" if res.get("quantstats_ratio") else "n/a"),
        ("bytes per pair: default / synthetic", f"{res['default_site_bytes_per_pair'] / 1e3:.1f} KB / "
         f"{res['site_bytes_per_pair'] / 1e3:.1f} KB (sites {res['default_site_bytes_total'] / 1e6:.1f} MB / "
         f"{res['site_bytes_total'] / 1e6:.1f} MB)"),
    ]
    big = res.get("synthetic_large")
    if big and big.get("synthetic_cold_s"):
        rows.append((f"synthetic {big['synthetic_funds']} funds / {big['synthetic_pairs']} pairs cold",
                     f"{big['synthetic_cold_s']:.1f} s, peak RSS {big['synthetic_peak_rss_mb']:.0f} MB, "
                     f"{big['per_pair_amortized_ms']:.1f} ms a pair ({big['quantstats_ratio'] or 0:.0f}x QuantStats), "
                     f"{big['site_bytes_per_pair'] / 1e3:.1f} KB a pair, site {big['site_bytes_total'] / 1e6:.0f} MB, "
                     f"CPU {big['synthetic_cpu_user_s']:.0f} s user + {big['synthetic_cpu_sys_s']:.0f} s system"))
    elif big:
        rows.append((f"synthetic {big['synthetic_pairs']} pairs", f"failed: {big.get('failed', '')[:200]}"))
    width = max(len(r[0]) for r in rows)
    lines = [f"{k:<{width}}  {v}" for k, v in rows]
    lines.append("stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in res["stages_s"].items()))
    return "\n".join(lines)


def ratio(run: dict, res: dict) -> float | None:
    """QuantStats' tearsheet time over a synthetic run's amortized per-pair time (same bench run)."""
    if not res.get("quantstats_s") or not run.get("per_pair_amortized_ms"):
        return None
    return res["quantstats_s"] / (run["per_pair_amortized_ms"] / 1000)


def save(path: Path, res: dict) -> None:
    """Write the results so far (a long run that dies later keeps what it measured)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(res, indent=2, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="tiny universe, one run (used by make test)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    ap.add_argument("--large-funds", type=int, default=500, help="funds of the one large run (issue 17)")
    ap.add_argument("--large-pairs", type=int, default=10_000, help="pairs of the one large run; 0: none")
    ap.add_argument("--config", type=Path, default=None,
                    help="the site.toml of the 'default site' measurements (default: the repository's site.toml; "
                         "tests/test_bench.py uses a one-pair site)")
    a = ap.parse_args(argv)
    try:
        return measure(a)
    finally:
        clean_up()


def measure(a: argparse.Namespace) -> int:
    if a.quick:
        funds, pairs, groups, years, repeat, scale = 6, 8, 1, 4, 1, []
    else:
        funds, pairs, groups, years, repeat, scale = 200, 1000, 20, 20, a.repeat, [250, 500]
    res: dict = {"machine": machine(), "quick": a.quick}
    print(f"bench: {res['machine']['cores']} cores, {res['machine']['memory_gb']} GB", file=sys.stderr)
    print("bench: default site …", file=sys.stderr)
    res.update(bench_default(repeat, a.config))
    print(f"bench: synthetic {funds} funds / {pairs} pairs …", file=sys.stderr)
    res.update(bench_synthetic(funds, pairs, groups, years, repeat))
    points = [(pairs, res["synthetic_cold_s"])]
    for p in scale:
        print(f"bench: synthetic {funds} funds / {p} pairs (scaling) …", file=sys.stderr)
        points.append((p, bench_synthetic(funds, p, groups, years, 1)["synthetic_cold_s"]))
    res["scaling_points"] = sorted(points)
    s = slope(points)
    res["slope_ms_per_pair"] = None if s is None else 1000 * s
    print("bench: QuantStats …", file=sys.stderr)
    res.update(bench_quantstats(years, 1 if a.quick else repeat))
    res["quantstats_ratio"] = ratio(res, res)
    save(a.out, res)
    large_funds, large_pairs = (8, 24) if a.quick else (a.large_funds, a.large_pairs)
    if large_pairs:
        print(f"bench: synthetic {large_funds} funds / {large_pairs} pairs (once) …", file=sys.stderr)
        try:
            large = bench_synthetic(large_funds, large_pairs, groups, years, 1)
        except SystemExit as exc:  # report how far it got rather than nothing
            large = {"synthetic_funds": large_funds, "synthetic_pairs": large_pairs, "failed": str(exc)[-2000:]}
        large["quantstats_ratio"] = ratio(large, res)
        res["synthetic_large"] = large
        save(a.out, res)
    print(table(res))
    print(f"wrote {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Build the synthetic universe once and print a JSON line with stage times and the pair pages' slugs.

    python -m bench.synthetic_build --funds 200 --pairs 1000 --groups 20 --out DIR

Run in a subprocess by ``bench/__main__.py`` so its wall time and peak RSS are measured alone.
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

from versus.build import build

from .synthetic import make_config, make_prices


def _bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return 0


def site_bytes(out: Path, slugs: list[str] | None = None) -> dict:
    """Bytes on disk (what counts against GitHub Pages' 1 GB): the whole site, and everything each pair adds
    (its page folder: page, static SVGs, card; its API document and its folder of CSVs), mean and max.
    ``slugs``: the pairs (default: every ``api/pairs/*.json``)."""
    if slugs is None:
        slugs = sorted(p.stem for p in (out / "api/pairs").glob("*.json"))
    per = [_bytes(out / s) + _bytes(out / f"api/pairs/{s}.json") + _bytes(out / f"api/pairs/{s}") for s in slugs]
    files = [f for f in out.rglob("*") if f.is_file()]
    return {"site_bytes_total": sum(f.stat().st_size for f in files), "site_files": len(files),
            "site_bytes_per_pair": statistics.mean(per) if per else None,
            "site_bytes_per_pair_max": max(per) if per else None}


def page_weights(out: Path, slugs: list[str]) -> dict:
    raw, gz = [], []
    for s in slugs:
        data = (out / s / "index.html").read_bytes()
        raw.append(len(data))
        gz.append(len(gzip.compress(data, 6)))
    return {
        "page_raw_bytes_median": statistics.median(raw), "page_raw_bytes_max": max(raw),
        "page_gzip_bytes_median": statistics.median(gz), "page_gzip_bytes_max": max(gz),
        **site_bytes(out, slugs),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--funds", type=int, default=200)
    ap.add_argument("--pairs", type=int, default=1000)
    ap.add_argument("--groups", type=int, default=20)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    md = make_prices(a.funds, a.years)
    cfg = make_config(md.tickers, a.pairs, a.groups)
    t_gen = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = build(cfg, md, a.out, quiet=True)
    total = time.perf_counter() - t1
    from versus.config import pair_slug

    slugs = [pair_slug(x, y) for x, y in cfg.pairs]
    t = result.timings
    stages = {"load": t_gen, "validate": t.get("validate", 0.0),
              "metrics": t.get("metrics", 0.0) + t.get("fund facts", 0.0) + t.get("content", 0.0),
              "facts": t.get("facts", 0.0), "charts": t.get("charts", 0.0), "SVG fallbacks": t.get("SVG fallbacks", 0.0),
              "render": t.get("render", 0.0), "write": t.get("write", 0.0), "pages (wall)": t.get("pages", 0.0)}
    doc = {
        "generate_s": t_gen, "build_s": total, "stages_s": stages, "timings_raw": t,
        "pages": len(result.pages), "pairs": len(cfg.pairs), "funds": len(cfg.funds), "groups": len(cfg.groups),
        "page_ms": getattr(result, "page_ms", None),
        "fund_parts": getattr(result, "fund_parts", None),  # versus.pages.fundparts: funds of pages found / computed
        "pair_slugs": slugs,  # the page weights are measured by the caller, outside this process's time
    }
    print(json.dumps(doc))


if __name__ == "__main__":
    main()

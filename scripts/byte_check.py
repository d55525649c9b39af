"""Byte-identical check of the built output across a refactoring.

    python scripts/byte_check.py build DIR         # the four reference builds into DIR/<name>/
    python scripts/byte_check.py compare BASE NEW  # diff -r of two such folders; exit 1 if they differ
    python scripts/byte_check.py check BASE        # build into a temporary folder and compare with BASE

The four builds: the default site at the default date, ``--as-of 2026-01-23``, ``--as-of 2016-02-29``
(all from the embedded snapshot, through ``build.py``), and a deterministic synthetic site of 40 funds,
60 pairs and 4 groups (``bench/synthetic.py``, fixed seeds).  ``build.json`` records the git commit and
the inputs' hash, which differ between any two commits by design: both are blanked before comparing.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILDS = {"default": [], "asof-2026-01-23": ["--as-of", "2026-01-23"], "asof-2016-02-29": ["--as-of", "2016-02-29"]}
SYNTHETIC = {"funds": 40, "pairs": 60, "groups": 4, "years": 20}
BLANKED = ("commit", "inputs_sha256")


def _build_function():
    sys.path.insert(0, str(ROOT))
    try:
        from versus.build import build  # the layout after issue 12
    except ImportError:
        from versus.pipeline import build
    return build


def synthetic(out: Path) -> None:
    """The 40-fund synthetic site (same seeds as the benchmark's universe)."""
    sys.path.insert(0, str(ROOT))
    from bench.synthetic import make_config, make_prices

    md = make_prices(SYNTHETIC["funds"], SYNTHETIC["years"])
    cfg = make_config(md.tickers, SYNTHETIC["pairs"], SYNTHETIC["groups"])
    _build_function()(cfg, md, out, quiet=True)


def build_all(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VERSUS_RENDER_CACHE": str(dest / ".render-cache")}
    for name, args in BUILDS.items():
        shutil.rmtree(dest / name, ignore_errors=True)
        subprocess.run([sys.executable, "build.py", "--out", str(dest / name), "--quiet", *args], cwd=ROOT,
                       env=env, check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(dest / "synthetic-40", ignore_errors=True)
    subprocess.run([sys.executable, __file__, "synthetic", str(dest / "synthetic-40")], cwd=ROOT, env=env,
                   check=True)
    shutil.rmtree(dest / ".render-cache", ignore_errors=True)
    for name in (*BUILDS, "synthetic-40"):
        path = dest / name / "build.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        for key in BLANKED:
            if key in doc:
                doc[key] = "(blanked by byte_check)"
        path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


def compare(base: Path, new: Path) -> int:
    proc = subprocess.run(["diff", "-rq", str(base), str(new)], capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    for line in lines:
        print(line)
    print(f"{len(lines)} difference(s) between {base} and {new}")
    return 1 if lines else 0


def main(argv: list[str]) -> int:
    cmd, *rest = argv
    if cmd == "build":
        build_all(Path(rest[0]))
        return 0
    if cmd == "synthetic":
        synthetic(Path(rest[0]))
        return 0
    if cmd == "compare":
        return compare(Path(rest[0]), Path(rest[1]))
    if cmd == "check":
        with tempfile.TemporaryDirectory(prefix="byte-check-") as tmp:
            keep = Path(rest[1]) if len(rest) > 1 else None
            out = keep or Path(tmp)
            build_all(out)
            return compare(Path(rest[0]), out)
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

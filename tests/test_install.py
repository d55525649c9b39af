"""A regular (not editable) ``pip install .`` works on its own: templates, static files, the Vega bundle and
the glyph data travel inside the package, site files are found beside the config, and ``bench`` is not
installed (issue 12).

The install goes into a fresh virtual environment whose only link to the project's is a path to its
site-packages (for pip, setuptools and the dependencies; offline: ``--no-index --no-build-isolation``),
from a copy of the project's source files; the build then runs in a folder holding only site files.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from siteutil import CLASSIC_SITE_TOML

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ["pyproject.toml", "README.md", "versus", "templates", "static"]
SITE = ["site.toml", "content", "data/funds.toml", "data/snapshot"]


def _copy(names: list[str], dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in names:
        src, dst = ROOT / name, dest / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=ignore)
        else:
            shutil.copy(src, dst)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("install")
    _copy(SOURCE, tmp / "src")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "venv")], check=True)
    python = tmp / "venv" / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "_project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                          "--ignore-installed", "--disable-pip-version-check", str(tmp / "src")],
                         capture_output=True, text=True, env=env, cwd=tmp)
    assert pip.returncode == 0, pip.stderr[-3000:]
    _copy(SITE, tmp / "site")
    (tmp / "site" / "site.toml").write_text(CLASSIC_SITE_TOML)  # the seven-fund site: installing needs no breadth
    return {"tmp": tmp, "python": python, "purelib": Path(purelib), "env": env}


def test_the_installed_package_is_self_contained(installed):
    """The package imports from the new environment and finds its own templates, static files and glyphs."""
    out = subprocess.run([str(installed["python"]), "-c",
                          "import versus, versus.resources as r; print(versus.__file__); print(r.templates()); "
                          "print(r.static()); print(r.glyph_data()); print(len(r.static_files()))"],
                         capture_output=True, text=True, env=installed["env"], cwd=installed["tmp"] / "site")
    assert out.returncode == 0, out.stderr
    package, templates, static, glyphs, n_static = out.stdout.split()
    purelib = installed["purelib"]
    for path in (package, templates, static, glyphs):
        assert Path(path).is_relative_to(purelib), path
    assert (Path(templates) / "pair.html").is_file() and (Path(static) / "vendor" / "vega-bundle.js").is_file()
    assert int(n_static) == len([p for p in (ROOT / "static").rglob("*") if p.is_file() and p.name != "__init__.py"
                                 and "__pycache__" not in p.parts])
    assert not (purelib / "bench").exists(), "bench must not be installed"


def test_versus_build_runs_in_a_folder_with_only_site_files(installed):
    site = installed["tmp"] / "site"
    assert not (site / "versus").exists()
    env = {**installed["env"], "VERSUS_RENDER_CACHE": str(installed["tmp"] / "render-cache")}
    proc = subprocess.run([str(installed["tmp"] / "venv" / "bin" / "versus"), "build", "--quiet"],
                          capture_output=True, text=True, env=env, cwd=site)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = site / "site"  # the default output: beside the config
    index = json.loads((out / "api" / "index.json").read_text())
    pages = 3 + sum(len(index[k]) for k in ("pairs", "funds", "groups", "categories"))  # + index, methodology, compare
    assert f"built {pages} pages" in proc.stdout
    for rel in ("index.html", "qqq-vs-iwm/index.html", "qqq-vs-iwm/card.png", "static/vendor/vega-bundle.js",
                "static/site.js", "api/pairs/qqq-vs-iwm.json", "methodology/index.html",
                "compare/index.html", "static/compare.js", "api/compare.json", "api/funds/qqq/series.csv"):
        assert (out / rel).is_file(), rel
    assert not (out / "static" / "__init__.py").exists()
    assert (out / "static" / "style.css").read_bytes() == (ROOT / "static" / "style.css").read_bytes()
    again = subprocess.run([str(installed["tmp"] / "venv" / "bin" / "versus"), "build"], capture_output=True,
                           text=True, env=env, cwd=site)
    assert again.returncode == 0 and again.stdout.startswith("up to date"), again.stdout + again.stderr

"""The program's own files, found with :mod:`importlib.resources` (never relative to a source checkout):
the built-in templates and static files (``versus._templates`` and ``versus._static``, which setuptools
maps to the repository's top-level ``templates/`` and ``static/``, the vendored Vega bundle among the
static files) and the social cards' glyph outlines (``versus/charts/fonts/``).

Site files (``site.toml``, ``content/``, ``data/funds.toml``, ``data/snapshot/``, template overrides,
the default ``site/`` output) are not here: they are found relative to the config file
(:meth:`versus.config.SiteConfig.site_path`).  The package is installed unzipped (setuptools'
default), so every resource is a real folder or file.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

MARKERS = {"__init__.py", "__pycache__"}
"""What makes ``templates/`` and ``static/`` importable packages (for editable installs): not site files."""


def _folder(package: str) -> Path:
    return Path(str(files(package)))


def templates() -> Path:
    """The built-in Jinja templates."""
    return _folder("versus._templates")


def static() -> Path:
    """The static files copied to every site's ``static/`` (CSS, site.js, favicon, ``vendor/vega-bundle.js``)."""
    return _folder("versus._static")


def static_files() -> list[tuple[str, Path]]:
    """``(path under static/, file)`` of every static file, sorted (package markers left out)."""
    root = static()
    out = []
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root)
        if f.is_file() and not MARKERS & set(rel.parts):
            out.append((rel.as_posix(), f))
    return out


def glyph_data() -> Path:
    """The social cards' glyph outlines (Liberation Sans 2.1.5, OFL; NOTICE.md beside it)."""
    return _folder("versus.charts") / "fonts" / "card-glyphs.json"


def package() -> Path:
    """The installed ``versus`` package folder (its code, for the no-change fast path's hash)."""
    return _folder("versus")

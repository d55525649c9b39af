"""Build-time renders with vl-convert: static SVG chart fallbacks and PNG images, cached by spec hash.

A render is keyed by the SHA-256 of the spec (canonical JSON), the output format
and the vl-convert version, and kept in ``.cache/svg/`` (git-ignored; ``VERSUS_RENDER_CACHE`` names
another folder), so a rebuild with unchanged data renders nothing.  Delete the folder to reclaim space.  Cache misses are rendered on a
small thread pool (vl-convert releases the GIL while it works).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import vl_convert as vlc

from .errors import ContentError

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("VERSUS_RENDER_CACHE", ROOT / ".cache" / "svg"))
_VERSION = f"vlc{vlc.get_vega_version()}-{vlc.get_vegalite_versions()[-1]}"
_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')


def spec_key(spec: dict, fmt: str, **opts) -> str:
    """Cache key of one render: hash of the canonical spec, format, options and library version."""
    text = json.dumps([spec, fmt, opts, _VERSION], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _render_one(spec: dict, fmt: str, opts: dict) -> bytes:
    try:
        if fmt == "svg":
            return vlc.vegalite_to_svg(spec, vl_version="6.4").encode("utf-8")
        return vlc.vegalite_to_png(spec, vl_version="6.4", **opts)
    except Exception as exc:  # vl-convert raises ValueError with the Vega message
        desc = str(spec.get("description", ""))[:60]
        raise ContentError(f"chart '{desc}': vl-convert cannot render it ({exc})") from None


def render(specs: list[dict], fmt: str = "svg", cache_dir: Path | None = None, **opts) -> list[bytes]:
    """Render every spec (Vega-Lite v6, data inline) to ``fmt`` ('svg' or 'png'), in order.

    Hits come from ``cache_dir`` (default ``.cache/svg/``); misses are rendered in
    parallel and stored.  ``opts`` go to ``vegalite_to_png`` (e.g. ``scale=1``).
    """
    cache = Path(cache_dir or CACHE_DIR)
    keys = [spec_key(s, fmt, **opts) for s in specs]
    out: list[bytes | None] = []
    for k in keys:
        path = cache / k[:2] / f"{k}.{fmt}"
        out.append(path.read_bytes() if path.is_file() else None)
    missing = [i for i, b in enumerate(out) if b is None]
    if missing:
        workers = min(len(missing), max(1, (os.cpu_count() or 2)))
        with ThreadPoolExecutor(workers) as pool:
            done = list(pool.map(lambda i: _render_one(specs[i], fmt, opts), missing))
        for i, data in zip(missing, done):
            out[i] = data
            path = cache / keys[i][:2] / f"{keys[i]}.{fmt}"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".tmp{os.getpid()}")
                tmp.write_bytes(data)
                os.replace(tmp, path)
            except OSError:
                pass  # a read-only cache only costs time
    return out  # type: ignore[return-value]


def svg_size(svg: bytes) -> tuple[int, int]:
    """(width, height) in pixels from an SVG's root element (for ``<img width height>``)."""
    m = _SIZE.search(svg[:400])
    if not m:
        return (0, 0)
    return (round(float(m.group(1))), round(float(m.group(2))))

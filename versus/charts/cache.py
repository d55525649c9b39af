"""Build-time renders: static SVG chart fallbacks and PNG images, cached by spec hash.

**Why a hand-written renderer.**  Every chart's no-JavaScript fallback used to be drawn by
vl-convert (``vegalite_to_svg``), and every social card by ``vegalite_to_png``.  Measured on
the 2-core build machine: 100–630 ms per chart (median 250 ms over a pair page's 8 charts,
which is 2 s of CPU per page) and 0.27–0.43 s per card, while the performance target
(issue 7: 1,000 pair pages + 200 fund pages in 90 s) leaves well under 100 ms of CPU per
page for everything.  :mod:`versus.svgplot` draws the same standalone specs (folded lines
over dates, grouped bars) in 0.5–4 ms a chart, and social cards are drawn straight to a palette
PNG by :func:`versus.charts.cards.card_png` (:mod:`versus.charts.raster`, ~5–6 ms a card; before
issue 17 an SVG rasterized by resvg and quantized, ~19–21 ms).
A spec the hand renderer does not understand (:class:`versus.svgplot.Unsupported`) still goes
to vl-convert, so nothing breaks; only the look of such a chart differs.

A render through :func:`render` (any chart the hand renderer cannot draw, and a social card the
raster cannot draw, which goes through resvg) is keyed by the SHA-256 of the spec (canonical JSON), the output format, the vl-convert
version, the hand renderer's version and the card glyph outlines, and kept in ``.cache/svg/``
(git-ignored; ``VERSUS_RENDER_CACHE`` names another folder), so a rebuild with unchanged data
renders none of them again.  Delete the folder to reclaim space.  The pages' chart SVGs drawn
by hand are not cached (:meth:`versus.pages.charts.ChartSet.svgs`): drawing one takes about a
millisecond, which is what looking it up and storing it cost (measured: storing them added
~5 ms a page to a cold build).  Misses that need vl-convert are rendered on a small thread
pool (vl-convert releases the GIL while it works); hand-drawn ones in the calling thread.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import vl_convert as vlc

from ..errors import ContentError
from . import glyphs, svgplot

CACHE_DIR = Path(os.environ.get("VERSUS_RENDER_CACHE") or Path.cwd() / ".cache" / "svg").resolve()
"""Where renders are cached: ``.cache/svg/`` in the current folder, or ``$VERSUS_RENDER_CACHE``."""
_VERSION = (f"vlc{vlc.get_vega_version()}-{vlc.get_vegalite_versions()[-1]}-{svgplot.VERSION}-"
            + hashlib.sha256(glyphs.DATA.read_bytes()).hexdigest()[:12])
"""Part of every cache key: the renderers' versions and the card glyph outlines (data/glyphs)."""
SVG_SECONDS = [0.0]
"""Time spent drawing static SVGs and cached renders in this process (the build's "SVG fallbacks" stage)."""
READ_ONLY = "VERSUS_RENDER_CACHE_READ_ONLY"  # set: renders are read from the cache, never stored (--check)
_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')


def spec_key(spec: dict, fmt: str, **opts) -> str:
    """Cache key of one render: hash of the canonical spec, format, options and library version."""
    text = json.dumps([spec, fmt, opts, _VERSION], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _by_hand(spec: dict, fmt: str) -> bool:
    """Whether the spec is one the hand renderer draws (charts, cards); cheap, no drawing."""
    from . import cards

    if fmt == "png":
        return cards.is_card(spec)
    return fmt == "svg" and _main_is_folded(spec)


def _main_is_folded(spec: dict) -> bool:
    nodes = [spec]
    while nodes:
        node = nodes.pop()
        if any("fold" in t for t in node.get("transform", [])):
            return True
        nodes.extend(node.get("layer", []))
    return False


def _render_one(spec: dict, fmt: str, opts: dict) -> bytes:
    from . import cards

    try:
        if fmt == "svg":
            try:
                return svgplot.render(spec).encode("utf-8")
            except svgplot.Unsupported:
                pass
            return vlc.vegalite_to_svg(spec, vl_version="6.4").encode("utf-8")
        colors = opts.get("colors")
        opts = {k: v for k, v in opts.items() if k != "colors"}
        if cards.is_card(spec):
            try:
                png = vlc.svg_to_png(cards.card_svg(spec), scale=float(opts.get("scale", 1)))
                return cards.palette_png(png, colors) if colors else png
            except svgplot.Unsupported:
                pass
        png = vlc.vegalite_to_png(spec, vl_version="6.4", **opts)
        return cards.palette_png(png, colors) if colors else png
    except Exception as exc:  # vl-convert raises ValueError with the Vega message
        desc = str(spec.get("description", ""))[:60]
        raise ContentError(f"chart '{desc}': vl-convert cannot render it ({exc})") from None


def render(specs: list[dict], fmt: str = "svg", cache_dir: Path | None = None, **opts) -> list[bytes]:
    """Render every spec (Vega-Lite v6, data inline) to ``fmt`` ('svg' or 'png'), in order.

    Social cards (PNG) are drawn straight away, uncached (:func:`_cards`).  Other renders: hits come
    from ``cache_dir`` (default ``.cache/svg/``); misses are rendered in parallel and stored.  ``opts`` go
    to ``vegalite_to_png`` (e.g. ``scale=1``); ``colors=N`` makes such a PNG an N-colour palette PNG
    (:func:`versus.charts.cards.palette_png`; a card drawn by the raster has its own exact palette).
    """
    drawn = _cards(specs, fmt, float(opts.get("scale", 1)))
    if not drawn:
        return _render_cached(specs, fmt, cache_dir, opts)
    rest = [i for i in range(len(specs)) if i not in drawn]
    if rest:
        drawn.update(zip(rest, _render_cached([specs[i] for i in rest], fmt, cache_dir, opts)))
    return [drawn[i] for i in range(len(specs))]


def _render_cached(specs: list[dict], fmt: str, cache_dir: Path | None, opts: dict) -> list[bytes]:
    keys = [spec_key(s, fmt, **opts) for s in specs]
    slow = [i for i, s in enumerate(specs) if not _by_hand(s, fmt)]

    def make(missing: list[int]) -> dict[int, bytes]:
        done = {i: _render_one(specs[i], fmt, opts) for i in missing if i not in slow}
        vl = [i for i in missing if i in slow]
        if vl:
            with ThreadPoolExecutor(min(len(vl), max(1, (os.cpu_count() or 2)))) as pool:
                done.update(zip(vl, pool.map(lambda i: _render_one(specs[i], fmt, opts), vl)))
        return done

    return cached(keys, fmt, make, cache_dir)


def _cards(specs: list[dict], fmt: str, scale: float) -> dict[int, bytes]:
    """The social cards among ``specs`` drawn straight to PNG (:func:`versus.charts.cards.card_png`), not cached:
    drawing one costs about what hashing its spec and storing the file would.  A card the raster cannot draw
    (a character without an outline) is left out, for the cached resvg path."""
    from . import cards, raster

    out: dict[int, bytes] = {}
    if fmt != "png":
        return out
    for i, spec in enumerate(specs):
        if cards.is_card(spec):
            try:
                out[i] = cards.card_png(spec, scale)
            except (raster.CannotDraw, svgplot.Unsupported):
                pass
    return out


def cached(keys: list[str], fmt: str, make, cache_dir: Path | None = None) -> list[bytes]:
    """The renders named by ``keys`` (one file each in the cache, ``<key>.<fmt>``), in order;
    ``make(missing indices) -> {index: bytes}`` renders the misses, which are then stored."""
    cache = Path(cache_dir or CACHE_DIR)
    out: list[bytes | None] = []
    for k in keys:
        out.append(_cached_file(cache / k[:2] / f"{k}.{fmt}", fmt))
    missing = [i for i, b in enumerate(out) if b is None]
    if missing:
        for i, data in sorted(make(missing).items()):
            out[i] = data
            if os.environ.get(READ_ONLY):
                continue
            path = cache / keys[i][:2] / f"{keys[i]}.{fmt}"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".tmp{os.getpid()}")
                tmp.write_bytes(data)
                os.replace(tmp, path)
            except OSError:
                pass  # a read-only cache only costs time
    return out  # type: ignore[return-value]


_PNG_START, _PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"
MAX_CACHED = 16 << 20


def _cached_file(path: Path, fmt: str) -> bytes | None:
    """A render from the cache, or None (a miss) when it is not a whole SVG or PNG: the cache is read back
    into the published site, so a truncated or foreign file is rendered again rather than published."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_CACHED:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if fmt == "png":
        ok = data.startswith(_PNG_START) and data.endswith(_PNG_END)
    else:
        head, tail = data[:200].lstrip(), data[-50:].rstrip()
        ok = head.startswith((b"<svg", b"<?xml")) and tail.endswith(b"</svg>")
    return data if ok else None


@contextlib.contextmanager
def cache_read_only():
    """Within: cache misses are rendered but not stored (an environment variable, so worker processes see it)."""
    before = os.environ.get(READ_ONLY)
    os.environ[READ_ONLY] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(READ_ONLY, None)
        else:
            os.environ[READ_ONLY] = before


def svg_size(svg: bytes) -> tuple[int, int]:
    """(width, height) in pixels from an SVG's root element (for ``<img width height>``)."""
    m = _SIZE.search(svg[:400])
    if not m:
        return (0, 0)
    return (round(float(m.group(1))), round(float(m.group(2))))

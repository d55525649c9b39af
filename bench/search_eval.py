"""Search on a 250-page site: the hand-written index (api/search.json, inline in the index page) against Pagefind.

    python bench/search_eval.py SITE_DIR PAGEFIND_PYTHON

``SITE_DIR`` is a built site (``python build.py --out /tmp/s``); ``PAGEFIND_PYTHON`` a Python with the
``pagefind-bin`` wheel (``python -m venv /tmp/pf && /tmp/pf/bin/pip install pagefind-bin==1.5.2``; it is not a
project dependency).  The site is copied, Pagefind indexes the copy, and Chromium (Playwright, /usr/bin/chromium)
measures for a few queries the time from the query to the first result and the bytes fetched: the hand-written
search on the index page (its data are in the page), Pagefind's JS API cold in a fresh browser context (its
index and WebAssembly fetched on the first query).  Results are printed; README's "Search" quotes one run.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import re
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

QUERIES = ["agg", "bond", "treasur", "dividend", "small"]
HAND = """(q) => new Promise(res => { const i = document.getElementById('q'), l = document.getElementById('q-results');
  const t0 = performance.now(); const o = new MutationObserver(() => { if (l.querySelector('li')) {
  o.disconnect(); res([performance.now() - t0, l.querySelector('li a').textContent, l.querySelectorAll('li').length]); } });
  o.observe(l, {childList: true, subtree: true}); i.value = q; i.dispatchEvent(new Event('input', {bubbles: true})); })"""
PAGEFIND = """async (q) => { const t0 = performance.now(); const pf = await import('/pagefind/pagefind.js');
  const r = await pf.search(q); if (!r.results.length) return [performance.now() - t0, null, 0];
  const d = await r.results[0].data(); return [performance.now() - t0, d.meta.title, r.results.length]; }"""


def _serve(folder: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


def _browse(base: str) -> dict[str, list]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list] = {"hand": [], "pagefind": [], "pagefind_bytes": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for q in QUERIES:
            page = browser.new_page()
            page.goto(f"{base}/")
            page.wait_for_selector("#search:not([hidden])")
            hand = page.evaluate(HAND, q)
            page.close()
            ctx = browser.new_context()  # cold: nothing cached
            page, fetched = ctx.new_page(), []
            page.on("response", lambda r: fetched.append(r) if "/pagefind/" in r.url else None)
            page.goto(f"{base}/robots.txt")  # a page without the site's CSP (Pagefind needs 'wasm-unsafe-eval')
            pf = page.evaluate(PAGEFIND, q)
            page.wait_for_timeout(300)
            size = sum(len(r.body()) for r in fetched if r.ok)
            ctx.close()
            out["hand"].append(hand[0])
            out["pagefind"].append(pf[0])
            out["pagefind_bytes"].append(size)
            print(f"  {q!r}: hand-written {hand[0]:.1f} ms, first {hand[1]!r} of {hand[2]} | Pagefind {pf[0]:.0f} ms, "
                  f"first {pf[1]!r} of {pf[2]}, {size:,} bytes fetched")
        browser.close()
    return out


def main(site: Path, pagefind_python: str) -> None:
    html = (site / "index.html").read_bytes()
    inline = re.search(rb'<script type="application/json" id="search-index">(.*?)</script>', html, re.S).group(1)
    print(f"hand-written: {len(inline):,} bytes of JSON in index.html ({len(gzip.compress(inline, 9)):,} gzipped), "
          f"no extra request")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(site, copy)
        t0 = time.perf_counter()
        subprocess.run([pagefind_python, "-m", "pagefind_bin", "--site", str(copy)], check=True, capture_output=True)
        index = sum(f.stat().st_size for f in (copy / "pagefind").rglob("*") if f.is_file())
        print(f"Pagefind: indexed in {time.perf_counter() - t0:.1f} s, {index:,} bytes in pagefind/ "
              f"({sum(1 for _ in (copy / 'pagefind').rglob('*')):,} files)")
        srv, base = _serve(copy)
        try:
            res = _browse(base)
        finally:
            srv.shutdown()
    print(f"median to first result: hand-written {statistics.median(res['hand']):.1f} ms, Pagefind cold "
          f"{statistics.median(res['pagefind']):.0f} ms ({statistics.median(res['pagefind_bytes']):,.0f} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])

"""``python -m bench.preview [--edits N]`` (``make bench-preview``): save -> updated page in the preview.

Starts ``python build.py serve`` on a copy of the full default site (site.toml, content/, data/funds.toml;
the snapshot is read from the repository), then saves N commentary edits to content/pairs/qqq-vs-iwm.md,
one at a time, and times each from the moment the file is written until the new text is on the page:

* ``browser``: Chromium (Playwright, /usr/bin/chromium) has the pair page open; the page's preview script
  gets the server-sent event and reloads; timed until the reloaded page's text contains the edit;
* ``http``: a plain client on the event stream, then a GET of the page (no browser in the loop);
* ``server``: what the preview itself reports for the rebuild of the page ("rebuilt /qqq-vs-iwm/ in …").

Writes medians (and all samples) to bench/preview.json.  Not a test: figures vary with the machine's load.
"""
from __future__ import annotations

import argparse
import http.client
import json
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = "content/pairs/qqq-vs-iwm.md"
SENTENCE = "These two funds answer different questions."


class Server:
    def __init__(self, project: Path):
        self.proc = subprocess.Popen([sys.executable, "build.py", "serve", "--port", "0", "--config",
                                      str(project / "site.toml"), "--out", str(project / "out")], cwd=ROOT,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(ln) for ln in self.proc.stdout], daemon=True).start()
        while True:
            found = re.search(r"serving http://127\.0\.0\.1:(\d+)/", self.lines.get(timeout=300))
            if found:
                self.port = int(found.group(1))
                break
        self.events: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()
        self.events.get(timeout=60)

    def _listen(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port)
        conn.request("GET", "/__preview/events")
        for raw in conn.getresponse():
            if raw.startswith(b"data: "):
                self.events.put(raw.decode().strip())

    def get(self, path: str) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port)
        conn.request("GET", path)
        return conn.getresponse().read().decode()

    def rebuild_seconds(self) -> list[float]:
        out = []
        while not self.lines.empty():
            found = re.search(r"rebuilt /qqq-vs-iwm/ in ([\d.]+)s", self.lines.get())
            if found:
                out.append(float(found.group(1)))
        return out

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def project(tmp: Path) -> Path:
    (tmp / "data").mkdir(parents=True)
    shutil.copy(ROOT / "site.toml", tmp / "site.toml")
    shutil.copytree(ROOT / "content", tmp / "content")
    shutil.copy(ROOT / "data" / "funds.toml", tmp / "data" / "funds.toml")
    return tmp


def edit(note: Path, original: str, marker: str) -> float:
    """Save the note with ``marker`` in place of the first sentence; the time of the save."""
    text = original.replace(SENTENCE, f"{SENTENCE} {marker}.")
    t0 = time.perf_counter()
    note.write_text(text)
    return t0


def http_samples(server: Server, note: Path, original: str, n: int) -> list[float]:
    out = []
    for i in range(n):
        marker = f"HTTP-EDIT-{i}-{time.time_ns()}"
        t0 = edit(note, original, marker)
        while True:
            server.events.get(timeout=60)
            if marker in server.get("/qqq-vs-iwm/"):
                out.append(time.perf_counter() - t0)
                break
        time.sleep(0.5)
    return out


def browser_samples(server: Server, note: Path, original: str, n: int) -> list[float]:
    from playwright.sync_api import Error, sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{server.port}/qqq-vs-iwm/")
        page.wait_for_timeout(1500)
        for i in range(n):
            marker = f"BROWSER-EDIT-{i}-{time.time_ns()}"
            t0 = edit(note, original, marker)
            deadline = t0 + 60
            while time.perf_counter() < deadline:
                try:
                    if page.evaluate("m => !!document.body && document.body.innerText.includes(m)", marker):
                        out.append(time.perf_counter() - t0)
                        break
                except Error:  # the page is navigating (the reload)
                    pass
                time.sleep(0.005)
            page.wait_for_timeout(700)
        browser.close()
    return out


def summary(xs: list[float]) -> dict:
    return {"median_s": round(statistics.median(xs), 3), "min_s": round(min(xs), 3), "max_s": round(max(xs), 3),
            "n": len(xs), "samples_s": [round(x, 3) for x in xs]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.preview", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edits", type=int, default=15)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "preview.json")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="versus-bench-preview-") as tmp:
        proj = project(Path(tmp) / "project")
        note = proj / NOTE
        original = note.read_text()
        server = Server(proj)
        try:
            res = {"site": "the default site (site.toml: 7 funds, 7 pairs, 1 group; 17 pages)", "edit": NOTE}
            res["http"] = summary(http_samples(server, note, original, a.edits))
            if not a.no_browser:
                res["browser"] = summary(browser_samples(server, note, original, a.edits))
            res["server"] = summary(server.rebuild_seconds())
        finally:
            note.write_text(original)
            server.stop()
    from bench.__main__ import machine

    res["machine"] = machine()
    a.out.write_text(json.dumps(res, indent=2, sort_keys=True) + "\n")
    for k in ("browser", "http", "server"):
        if k in res:
            print(f"save -> updated page ({k}): median {res[k]['median_s']:.3f}s of {res[k]['n']} "
                  f"(min {res[k]['min_s']:.3f}, max {res[k]['max_s']:.3f})")
    print(f"wrote {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

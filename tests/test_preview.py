"""The preview server (issue 16): started as editors start it (``python build.py serve``) in a subprocess,
driven with a real HTTP client and its server-sent events: edit a file and see the served page change
(that page only), break a placeholder and see the error over the last good page, fix it and see the
error go.  No timing assertions: every wait is for an event, with a generous limit against hanging."""
from __future__ import annotations

import http.client
import queue
import re
import subprocess
import sys
import threading
from html import unescape
from pathlib import Path

import pytest

from siteutil import small_site, tree

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 120  # seconds: only so that a broken server fails the test instead of hanging it
PAGE = "/qqq-vs-iwm/"


class Preview:
    """A ``python build.py serve`` subprocess, its port, and the versions its event stream announced."""

    def __init__(self, config: Path, out: Path):
        self.proc = subprocess.Popen([sys.executable, "build.py", "serve", "--port", "0", "--config", str(config),
                                      "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        while True:
            line = self.lines.get(timeout=LIMIT)
            found = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
                break
        self.events: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._listen, daemon=True).start()
        self.version = self.events.get(timeout=LIMIT)  # the version now, sent on connecting

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)

    def _listen(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=LIMIT)
        conn.request("GET", "/__preview/events")
        resp = conn.getresponse()
        assert resp.getheader("Content-Type") == "text/event-stream"
        for raw in resp:
            line = raw.decode().strip()
            if line.startswith("data: "):
                self.events.put(line[6:])

    def get(self, path: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=LIMIT)
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode()

    def until(self, check, path: str = PAGE) -> str:
        """Wait for change events until the page at ``path`` passes ``check`` (an editor's save may be
        seen as more than one change); returns the page."""
        page = ""
        for _ in range(20):
            try:
                self.version = self.events.get(timeout=LIMIT)
            except queue.Empty:
                break
            page = self.get(path)[1]
            if check(page):
                return page
        raise AssertionError(f"{path} never passed the check; last page:\n{page[-3000:]}")

    def stop(self) -> str:
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=LIMIT)
        return err


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def overlay(page: str) -> str:
    found = re.search(r'<aside id="vp-overlay".*?</aside>', page, re.S)
    return unescape(re.sub(r"<[^>]+>", " ", found.group(0))) if found else ""


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One server for the module (each test puts back the files it changes, and waits for the page to be
    clean again)."""
    tmp = tmp_path_factory.mktemp("preview")
    p = Preview(small_site(tmp / "project"), tmp / "out")
    p.tmp = tmp
    yield p
    p.stop()


def test_edit_see_the_page_change_break_it_see_the_error_fix_it(preview):
    tmp_path = preview.tmp
    note = tmp_path / "project/content/pairs/qqq-vs-iwm.md"
    original = note.read_text()
    status, page = preview.get(PAGE)
    assert status == 200 and "These two funds answer different questions." in page
    assert '<script src="/__preview/preview.js" data-version="' in page and "vp-overlay" not in page
    built = tmp_path / "out"
    assert "__preview" not in (built / "qqq-vs-iwm/index.html").read_text()  # the files on disk are as published
    before, stamps = tree(built), mtimes(built)

    note.write_text(original.replace("These two funds answer different questions.", "EDITED IN PREVIEW."))
    page = preview.until(lambda p: "EDITED IN PREVIEW." in p)
    after, touched = tree(built), mtimes(built)
    assert {rel for rel in after if after[rel] != before.get(rel)} == {"qqq-vs-iwm/index.html"}
    rewritten = {rel for rel in touched if touched[rel] != stamps.get(rel)}
    assert rewritten and all(r.startswith(("qqq-vs-iwm/", "api/pairs/qqq-vs-iwm")) for r in rewritten), rewritten
    assert "__preview" not in (built / "qqq-vs-iwm/index.html").read_text()

    lines = original.splitlines()
    at = next(n for n, line in enumerate(lines, 1) if "{{ QQQ.total_return.1y | pct }}" in line)
    note.write_text(original.replace("These two funds answer different questions.", "EDITED IN PREVIEW.")
                    .replace("{{ QQQ.total_return.1y | pct }}", "{{ QQQ.total_retrun.1y | pct }}"))
    page = preview.until(lambda p: "vp-overlay" in p)
    text = overlay(page)
    assert f"content/pairs/qqq-vs-iwm.md:{at}" in text
    assert "unknown fact 'QQQ.total_retrun.1y'" in text and "did you mean 'QQQ.total_return.1y'?" in text
    assert "EDITED IN PREVIEW." in page  # the last good page stays underneath

    note.write_text(original)
    page = preview.until(lambda p: "vp-overlay" not in p)
    assert "These two funds answer different questions." in page and "EDITED IN PREVIEW." not in page


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace('author: "versus editors"', 'author: [versus editors'),
     ["content/pairs/qqq-vs-iwm.md:", "broken YAML front matter"]),
    (lambda t: t.replace("{{ pair.correlation.1y | num(2) }}", "{{ pair.correlation.1y | numb(2) }}"),
     ["unknown filter 'numb'", "did you mean 'num'?"]),
    (lambda t: t.replace("{{ pair.correlation.1y | num(2) }}", "{{ pair.correlation | num(2) }}"),
     ["filter 'num' needs a number, but pair.correlation is a mapping"]),
    (lambda t: t.replace('"pair.correlation.1y < 0.8"', '"pair.correlation.1y > 0.99"'),
     ["1 warning on this page", "content/pairs/qqq-vs-iwm.md:11 ", "claim 'pair.correlation.1y > 0.99' does not "
      "hold"]),
])
def test_each_kind_of_problem_shows_in_the_browser_and_clears(preview, edit, expected):
    tmp_path = preview.tmp
    note = tmp_path / "project/content/pairs/qqq-vs-iwm.md"
    original = note.read_text()
    note.write_text(edit(original))
    text = overlay(preview.until(lambda p: all(e in overlay(p) for e in expected)))
    assert all(e in text for e in expected), text
    note.write_text(original)
    preview.until(lambda p: "vp-overlay" not in p)


def test_reference_lists_the_names_of_a_page_with_search(preview):
    status, page = preview.get("/reference/qqq-vs-iwm/")
    assert status == 200 and 'id="ref-search"' in page
    text = unescape(page)
    assert "{{ QQQ.total_return.1y | pct }}" in text and "{{ pair.correlation.1y | num(2) }}" in text
    assert "pct(digits=1, sign=false)" in text and "date(style='long')" in text
    status, page = preview.get("/reference/")
    assert status == 200 and "{{ IWM.expense_ratio | pct }}" in unescape(page)
    assert preview.get("/reference/nope/")[0] == 404


def test_a_config_error_shows_on_every_page_and_a_fix_rebuilds(preview):
    tmp_path = preview.tmp
    config = tmp_path / "project/site.toml"
    good = config.read_text()
    config.write_text(good.replace('title = "versus"', 'titel = "versus"'))
    text = overlay(preview.until(lambda p: "vp-overlay" in p, "/"))
    assert "site.toml:1" in text and "unknown key 'titel'" in text and "did you mean 'title'?" in text
    config.write_text(good)
    preview.until(lambda p: "vp-overlay" not in p, "/")


def test_a_published_build_has_no_preview_script(site):
    """The reload script and the overlay are added only as the preview serves a page, never written."""
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert "__preview" not in text and "vp-overlay" not in text and "EventSource" not in text, page
    assert not any("__preview" in p.read_text() for p in (site / "static").rglob("*.js"))

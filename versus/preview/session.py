"""A preview session: the whole site built once into a folder, then rebuilt in part on each change.

The build's context (:class:`versus.build.BuildContext`) is kept: a commentary edit re-generates,
re-renders and re-writes only its own page (and the index page only for ``content/index.md``); a
template, ``site.toml`` or ``data/funds.toml`` change rebuilds the site; a static file is copied.
A change that fails (an unknown placeholder, broken YAML, a bad filter, a config typo) leaves the last
good page in place and is kept in :attr:`Session.errors` until a later change fixes it; each page's
warnings (a claim that no longer holds, a name with no value) are in :attr:`Session.warnings`.
Every change, good or bad, moves :attr:`Session.version` on (the open tabs reload on it).
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from .. import content, resources
from ..build import BuildContext, BuildOptions, run_stages
from ..build.jobs import PageJob
from ..content.commentary import _shown
from ..config import load_config, pair_slug
from ..errors import VersusError
from ..pages import FundPages, IndexPage, PairPages
from ..render import dumps, page_path
from ..sources.offline import offline

GLOBAL = "build"
"""The key of :attr:`Session.errors` for what is not one commentary file's (config, templates, data)."""


def problem(exc: Exception) -> str:
    """A failure as one line, ``file:line: message`` (a template's own error names its template and line)."""
    if isinstance(exc, TemplateError):
        name = getattr(exc, "filename", None) or getattr(exc, "name", None)
        line = getattr(exc, "lineno", None)
        where = f"{name}:{line}: " if name and line else f"{name}: " if name else ""
        return f"{where}template error: {exc.message or exc}"
    return str(exc)


@dataclass
class Options:
    config: Path
    out: Path
    store: Path | None = None
    as_of: str | None = None


class LiveOutput:
    """Writes one page job's files straight into the served folder, each atomically (a reader never sees
    half a page)."""

    def __init__(self, out: Path):
        self.out = Path(out)

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.preview-tmp")
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)

    def write_job(self, pages: dict, api: dict, files: dict) -> list[str]:
        items = [(page_path(u), h) for u, h in pages.items()] + [(r, dumps(d, r)) for r, d in api.items()]
        for rel, data in items + list(files.items()):
            self.write(rel, data)
        return [rel for rel, _ in items] + list(files)


@dataclass
class Rebuild:
    """What one change did: the pages written, and how long it took."""

    urls: list[str] = field(default_factory=list)
    full: bool = False
    seconds: float = 0.0


class Session:
    def __init__(self, options: Options):
        self.options = options
        self.ctx: BuildContext | None = None
        self.md = None
        self.errors: dict[str, list[str]] = {}
        self.warnings: dict[str, list[str]] = {}   # URL -> its warnings; "*" -> the whole site's
        self.version = 0
        self.changed = threading.Condition()
        self.lock = threading.RLock()
        self.stopped = False

    # ---------------------------------------------------------------- paths
    @property
    def folder(self) -> Path:
        return Path(self.options.config).resolve().parent

    def watched(self) -> tuple[list[Path], list[Path]]:
        """(folders watched with their subfolders, folders watched alone: site.toml, data/funds.toml)."""
        deep = [self.folder / "content", resources.templates(), resources.static()]
        if self.ctx is not None and self.ctx.cfg.templates is not None:
            deep.append(Path(self.ctx.cfg.templates))
        flat = [self.folder, self.folder / "data"]
        return [p for p in dict.fromkeys(deep) if p.is_dir()], [p for p in flat if p.is_dir()]

    # ---------------------------------------------------------------- building
    def full(self) -> Rebuild:
        """Build the whole site into the served folder (the previous one stays if it fails)."""
        t0 = time.perf_counter()
        with self.lock:
            try:
                cfg = load_config(self.options.config)
                if self.md is None or list(self.md.adj_close.columns) != list(cfg.funds):
                    self.md = offline(cfg, self.options.store)
                ctx = BuildContext(cfg, self.md, self.options.out, BuildOptions(as_of=self.options.as_of, quiet=True))
                run_stages(ctx)
            except (VersusError, TemplateError) as exc:
                self.errors = {GLOBAL: [problem(exc)]}
                return self._done(Rebuild(full=True), t0)
            self.ctx, self.errors = ctx, {}
            self.warnings = self._sort_warnings(ctx.warnings)
            return self._done(Rebuild(sorted(ctx.urls), True), t0)

    def _sort_warnings(self, warnings: list[str]) -> dict[str, list[str]]:
        """Each warning under the page of the commentary file it names, else under ``*`` (every page)."""
        docs = self._docs()
        out: dict[str, list[str]] = {}
        for w in warnings:
            url = next((u for shown, u in docs.items() if w.startswith(shown + ":")), "*")
            out.setdefault(url, []).append(w)
        return out

    def _docs(self) -> dict[str, str]:
        """Commentary file (as messages show it) -> its page's URL."""
        c = self.ctx.site.content
        out = {d.shown: f"{k}/" for k, d in c.pairs.items()}
        out.update({d.shown: f"funds/{k.lower()}/" for k, d in c.funds.items()})
        if c.index is not None:
            out[c.index.shown] = ""
        return out

    def apply(self, paths: set[Path]) -> Rebuild:
        """Rebuild what the changed ``paths`` touch."""
        t0 = time.perf_counter()
        paths = {Path(p).resolve() for p in paths}
        with self.lock:
            if self.ctx is None or GLOBAL in self.errors or any(self._needs_full(p) for p in paths):
                return self.full()
            result = Rebuild()
            root = self.folder / "content"
            for p in sorted(paths):
                if p.is_relative_to(resources.static()):
                    self._copy_static()
                elif p.is_relative_to(root):
                    result.urls += self._content(root, p)
            return self._done(result, t0)

    def _needs_full(self, p: Path) -> bool:
        templates = [resources.templates()] + ([Path(self.ctx.cfg.templates)] if self.ctx.cfg.templates else [])
        return (p == Path(self.options.config).resolve() or p == self.ctx.cfg.site_path("data/funds.toml").resolve()
                or any(p.is_relative_to(t) for t in templates))

    def _copy_static(self) -> None:
        for rel, f in resources.static_files():
            dest = Path(self.options.out) / "static" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)

    def _content(self, root: Path, path: Path) -> list[str]:
        """One commentary file changed (or appeared, or went): re-read it and rebuild its page only."""
        site = self.ctx.site
        self.warnings["*"] = [w for w in self.warnings.get("*", []) if ": not read: " not in w]
        self.warnings["*"] += content.unread(root)
        kind = content.kind_of(root, path)
        if kind is None:
            return []
        shown = _shown(path, root.parent)
        self.errors.pop(shown, None)
        try:
            doc = content.load_file(site.cfg, root, path) if path.is_file() else None
        except VersusError as exc:
            self.errors[shown] = [str(exc)]
            return []
        key = doc.key if doc is not None else kind[1]
        return self._page(kind[0], key, doc, shown)

    def _page(self, kind: str, key: str, doc, shown: str) -> list[str]:
        """Put ``doc`` (None: removed) in the site's content and rebuild its page."""
        site = self.ctx.site
        holder = {"pair": site.content.pairs, "fund": site.content.funds}.get(kind)
        if kind == "fund":
            key = next((t for t in site.cfg.funds if t.lower() == key.lower()), key)
        old = site.content.index if kind == "index" else holder.get(key)
        self._put(kind, holder, key, doc)
        try:
            url, warnings = self._render(kind, key)
        except (VersusError, TemplateError) as exc:
            self._put(kind, holder, key, old)  # the last good version stays in the site's content
            self.errors[shown] = [problem(exc)]
            return []
        self.warnings[url] = warnings
        return [url]

    def _put(self, kind: str, holder: dict | None, key: str, doc) -> None:
        if kind == "index":
            self.ctx.site.content.index = doc
        elif doc is None:
            holder.pop(key, None)
        else:
            holder[key] = doc

    def _render(self, kind: str, key: str) -> tuple[str, list[str]]:
        """Generate, render and write one page; returns its URL and warnings."""
        ctx, out = self.ctx, LiveOutput(self.options.out)
        if kind == "index":
            sums = ctx.summaries
            page = IndexPage(ctx.site).generate([s["view"] for s in sums.get("pair", [])],
                                                [s["view"] for s in sums.get("group", [])])
            html = ctx.env.get_template(page.template).render(page.context)
            out.write_job({page.url: html}, page.api, page.files)
            return page.url, page.warnings
        if kind == "pair":
            i = [pair_slug(a, b) for a, b in ctx.cfg.pairs].index(key)
            res = PageJob(PairPages(ctx.site), ctx.env, out)(i)
        else:
            res = PageJob(FundPages(ctx.site), ctx.env, out)(ctx.cfg.funds.index(key))
        return res["urls"][0], res["warnings"]

    def _done(self, result: Rebuild, t0: float) -> Rebuild:
        result.seconds = time.perf_counter() - t0
        with self.changed:
            self.version += 1
            self.changed.notify_all()
        return result

    # ---------------------------------------------------------------- what the server reads
    def problems(self, url: str) -> tuple[list[str], list[str]]:
        """(every error, the warnings of the page at ``url`` and of the whole site)."""
        with self.lock:
            errors = [e for key in sorted(self.errors, key=lambda k: k != GLOBAL) for e in self.errors[key]]
            return errors, self.warnings.get(url, []) + self.warnings.get("*", [])

    def wait(self, seen: int | None, timeout: float) -> int:
        """The version, once it differs from ``seen`` (or after ``timeout`` seconds, or when stopped)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.stopped, timeout)
            return self.version

    def fail(self, message: str) -> None:
        """An unexpected failure: shown on every page until a rebuild of the whole site succeeds."""
        with self.lock:
            self.errors[GLOBAL] = [message]
        self._done(Rebuild(), time.perf_counter())

    def stop(self) -> None:
        with self.changed:
            self.stopped = True
            self.changed.notify_all()


__all__ = ["GLOBAL", "LiveOutput", "Options", "Rebuild", "Session"]

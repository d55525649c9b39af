"""The Jinja environment of the pages: built-in templates, editors' overrides (sandboxed), the CSP."""
from __future__ import annotations

import os
import re
import traceback
from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, Template, TemplateError,
                    TemplateNotFound, TemplateSyntaxError, nodes, select_autoescape)
from jinja2 import tests as jinja_tests
from jinja2.compiler import CodeGenerator, optimizeconst

from .. import fmt, resources
from ..content import bounded
from ..errors import ContentError, VersusError
from . import safeout

TEMPLATES = resources.templates()
"""The built-in templates (the repository's ``templates/``, installed as ``versus._templates``)."""
STATIC = resources.static()
# The Content-Security-Policy of every page (a <meta> in templates/base.html): only this site's own scripts,
# styles and images.  No 'unsafe-eval': Vega interprets its expressions (site.js passes ast: true; the bundled
# vega-embed carries the interpreter) instead of compiling them with Function().  No inline scripts (the JSON
# blocks are data, not run) and no <style> elements (vega-embed's and vega-tooltip's are turned off; their
# rules are in style.css).  style-src-attr 'unsafe-inline' lets style *attributes* through: the chart height
# reservation (--h) and Markdown table alignment; they cannot run script and commentary keeps only text-align.
# frame-ancestors cannot be set from a <meta>; a host that can send headers should add it.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; frame-src 'none'; worker-src 'none'; "
       "base-uri 'none'; form-action 'none'")


try:  # markupsafe's escaping of a str, without the Markup object around it
    from markupsafe import _escape_inner as escape_str
except ImportError:  # pragma: no cover - another markupsafe
    def escape_str(s: str) -> str:
        from markupsafe import escape

        return str(escape(s))


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, lookups, tests and output made cheaper in the built-in templates (a page renders
    ~1,100 values and reads ~4,000 dict keys, most in the table macro; issue 17); the same output, the same errors:

    * ``name['key']`` is a plain subscript when ``name`` holds a dict that has the key, else Jinja's own
      ``environment.getitem`` as before;
    * ``name.key`` likewise when ``key`` is no attribute of ``dict`` (Jinja's ``getattr`` would fail on a dict,
      raising and catching an AttributeError, then read the key), else ``environment.getattr`` as before;
    * ``is none`` and ``is string`` inline (what Jinja's own tests return), when they are Jinja's;
    * ``{{ value }}`` of a str is :func:`escape_str` (what markupsafe's ``escape`` does, without making a
      ``Markup`` of it: the text goes straight into the page), a ``Markup`` (a macro's output, JSON for a
      script) itself (``escape`` would copy it), anything else Jinja's ``escape`` as before.

    A sandboxed environment (editors' templates) compiles exactly as Jinja does: every lookup checked (tested)."""

    def _plain(self, frame=None) -> bool:
        env = self.environment
        return not env.sandboxed and not env.is_async and (frame is None or not frame.eval_ctx.volatile)

    def visit_Template(self, node, frame=None) -> None:
        if self._plain():
            self.writeline(f"from {__name__} import escape_str as _escape_str")
        super().visit_Template(node, frame)

    @optimizeconst
    def visit_Getitem(self, node, frame) -> None:
        if not (self._plain(frame) and isinstance(node.node, nodes.Name) and node.node.ctx == "load"
                and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)):
            return super().visit_Getitem(node, frame)
        key = repr(node.arg.value)
        parts = [f"[{key}] if type(", f") is dict and {key} in ", " else environment.getitem(", f", {key}))"]
        self.write("(")
        for part in parts:  # (d['k'] if type(d) is dict and 'k' in d else environment.getitem(d, 'k'))
            self.visit(node.node, frame)  # a name: read four times, no side effect
            self.write(part)

    @optimizeconst
    def visit_Getattr(self, node, frame) -> None:
        if not (self._plain(frame) and isinstance(node.node, nodes.Name) and node.node.ctx == "load"
                and not hasattr(dict, node.attr)):
            return super().visit_Getattr(node, frame)
        # A dict has no attribute of that name (a dict instance has only its type's), so Jinja's getattr would
        # fail (an AttributeError raised and caught: ~1 µs, ~260 times a page) and then read the key
        key = repr(node.attr)
        parts = [f"[{key}] if type(", f") is dict and {key} in ", " else environment.getattr(", f", {key}))"]
        self.write("(")
        for part in parts:  # (d['k'] if type(d) is dict and 'k' in d else environment.getattr(d, 'k'))
            self.visit(node.node, frame)
            self.write(part)

    _INLINE_TESTS = {"none": (jinja_tests.test_none, "({}) is None"),
                     "string": (jinja_tests.test_string, "isinstance({}, str)")}

    @optimizeconst
    def visit_Test(self, node, frame) -> None:
        inline = self._INLINE_TESTS.get(node.name)
        if not (inline and self._plain(frame) and self.environment.tests.get(node.name) is inline[0]
                and not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)):
            return super().visit_Test(node, frame)
        before, after = inline[1].split("{}")  # what Jinja's own test function returns, without calling it
        self.write("(" + before)
        self.visit(node.node, frame)
        self.write(after + ")")

    def _fast_output(self, frame, finalize) -> bool:
        return self._plain(frame) and frame.eval_ctx.autoescape and finalize.src is None

    def _output_child_pre(self, node, frame, finalize) -> None:
        if not self._fast_output(frame, finalize):
            return super()._output_child_pre(node, frame, finalize)
        self.write("(_escape_str(_out) if type(_out := ")

    def _output_child_post(self, node, frame, finalize) -> None:
        if not self._fast_output(frame, finalize):
            return super()._output_child_post(node, frame, finalize)
        self.write(") is str else _out if type(_out) is Markup else escape(_out))")


def make_env(templates: Path = TEMPLATES, overrides: Path | None = None) -> Environment:
    """The page environment.  ``overrides`` (``[options] templates`` in site.toml) is searched before the
    built-in ``templates``; it is editors' input, so the environment is then sandboxed, every override is
    compiled here (a syntax error is a :class:`ContentError` ``path:line: template syntax error: ...``
    before anything is rendered) and no template can load a file outside these folders."""
    folders = [Path(overrides), Path(templates)] if overrides is not None else [Path(templates)]
    cls = _SandboxedPages if overrides is not None else Environment
    env = cls(
        loader=ChoiceLoader([_FolderLoader(f) for f in folders]),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment a build: no stat of each template at every include (issue 17)
    )
    env.template_class = _Page
    env.code_generator_class = _CodeGenerator
    env.overrides = overrides
    env.policies["json.dumps_function"] = _tojson  # the |tojson filter: never NaN either
    env.filters.update(fmt.FILTERS)
    env.filters["json_script"] = json_script
    env.globals["csp"] = CSP
    if overrides is not None:
        for f in sorted(Path(overrides).rglob("*")):
            if f.is_file() and not f.name.startswith("."):
                name = f.relative_to(overrides).as_posix()
                try:
                    env.get_template(name)
                except TemplateSyntaxError as exc:
                    raise ContentError(f"{_shown(exc.filename or f)}:{exc.lineno}: template syntax error: "
                                       f"{exc.message}") from None
                except _Refused as exc:
                    raise ContentError(f"{_shown(f)}: {exc.message}") from None
                except (UnicodeDecodeError, OSError) as exc:
                    raise ContentError(f"{_shown(f)}: cannot read the template ({exc})") from None
                except RecursionError:  # Jinja's parser recurses: {{ ((((…)))) }}, {% if %} in {% if %} …
                    raise ContentError(f"{_shown(f)}: template nested too deeply") from None
    return env


def _shown(path) -> str:
    """A template's path for messages: relative to the current folder or the project when inside them."""
    path = Path(os.path.abspath(path))
    for base in (Path.cwd(),):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


class _Refused(TemplateError):
    """A template asked for a file outside the template folders or a Python internal (not a
    TemplateNotFound, so the loader does not try the next folder)."""


class _FolderLoader(FileSystemLoader):
    """Loads only files inside ``folder``: no absolute names, no '..', no symlink leading out of it."""

    def __init__(self, folder: Path):
        super().__init__(str(folder))
        self.root = Path(folder).resolve()

    def get_source(self, environment, template):
        parts = template.replace("\\", "/").split("/")
        if template.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise _Refused(f"template {template!r} is outside the template folders (names are relative, "
                           f"without '..')")
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise _Refused(f"template {template!r} leads outside the template folders "
                           f"(to {Path(filename).resolve()})")
        return source, filename, uptodate


class _SandboxedPages(bounded.sandbox_class()):
    """The sandbox used when a site overrides templates: Python internals stay out of reach, and every
    evaluation is bounded (:mod:`versus.content.bounded`: no constant folding of ``9**(9**9)``, sizes, time)."""

    def unsafe_undefined(self, obj, attribute):
        raise _Refused(f"access to attribute {attribute!r} of a {type(obj).__name__!r} object is not allowed")


class _Page(Template):
    """A template whose render errors (unknown variable, sandbox, missing include, ...) become one line:
    ``path:line: template error: ...`` (ContentError, exit 4)."""

    def render(self, *args, **kwargs) -> str:
        try:
            if getattr(self.environment, "overrides", None) is not None:  # editors' templates: bounded
                html = bounded.render_bounded(self, *args, **kwargs)
            else:
                html = super().render(*args, **kwargs)
            return strip_indent(html) if (self.name or "").endswith(".html") else html
        except VersusError:
            raise
        except TemplateSyntaxError as exc:  # in a template included at render time
            raise ContentError(f"{_shown(exc.filename or self.filename)}:{exc.lineno}: template syntax error: "
                               f"{exc.message}") from None
        except Exception as exc:  # noqa: BLE001 - a built-in template's own bug keeps its traceback
            if not isinstance(exc, TemplateError) and getattr(self.environment, "overrides", None) is None:
                raise
            tb = traceback.extract_tb(exc.__traceback__)
            where = next((f"{_shown(fr.filename)}:{fr.lineno}" for fr in reversed(tb)
                          if fr.filename.endswith((".html", ".xml", ".txt", ".j2", ".jinja"))), _shown(self.filename))
            if isinstance(exc, TemplateNotFound):
                message = f"template {exc.name!r} not found in the template folders"
            else:
                message = getattr(exc, "message", None) or " ".join(str(exc).split()) or type(exc).__name__
            raise ContentError(f"{where}: template error: {message}") from None


_KEPT = re.compile(r"<(?:pre|textarea|script|style)\b", re.I)
_KEEP = re.compile(r"<(pre|textarea|script|style)\b[^<]*(?:<(?!/\1\s*>)[^<]*)*</\1\s*>", re.S | re.I)
# = <(name)\b.*?</\1\s*>: the text up to the first closing tag, read a run of non-"<" at a time (a lazy .*? tries the
# closing tag at every character: ~0.7 ms of a fund page's 100 KB of chart JSON, issue 17)
_INDENT = re.compile(r"\n[ \t\n]+(?=<|$)")  # "+": a lone line break before a tag is already what it becomes


def strip_indent(html: str) -> str:
    """A page without the templates' indentation: a line break and the blank lines and spaces after it are
    one line break when a tag follows (the same whitespace to a browser; issue 17: bytes per page).  Text
    inside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>`` (through the first closing tag of its
    name; an element never closed is text) is kept as it is."""
    out = []
    done = at = 0  # copied up to ``done``; the next element to keep is looked for from ``at``
    while (m := _KEPT.search(html, at)) is not None:
        kept = _KEEP.match(html, m.start())
        if kept is None:  # never closed: text
            at = m.start() + 1
            continue
        out.append(_INDENT.sub("\n", html[done:m.start()]))
        out.append(kept.group())
        done = at = kept.end()
    out.append(_INDENT.sub("\n", html[done:]))
    return "".join(out)


def _tojson(obj, **kwargs) -> str:
    return safeout.json_text(obj, "a template's |tojson", **kwargs)


def json_script(value) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped; never NaN."""
    from markupsafe import Markup

    text = safeout.json_text(value, "a page's embedded JSON", separators=(",", ":"), ensure_ascii=False,
                             sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)

"""Issue 17, render and write: the faster paths give the same bytes and the same errors as the plain ones.

* the built-in environment's code generator (:class:`versus.render.env._CodeGenerator`: dict subscripts,
  escaping of str output) against Jinja's own, on values of every kind and on the errors;
* :func:`versus.render.env.strip_indent` against its regular-expression definition;
* :func:`versus.render.writer.put` and the build's writer (a path written twice is refused, links are never
  followed, the file mode is ``open()``'s);
* :class:`versus.pages.base.PairFigures` (the pairs' figures, computed where they are read) against
  :func:`versus.analysis.compute_pair`.
"""
from __future__ import annotations

import os
import random
import re
import stat

import pytest
from jinja2 import StrictUndefined
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from versus.build.output import LinkingWriter
from versus.errors import ContentError
from versus.render import make_env
from versus.render.env import strip_indent
from versus.render.writer import put

TEMPLATE = """{% macro cell(c) %}<td{% if c['cls'] %} class="{{ c['cls'] }}"{% endif %}>{{ c['text'] }}{{ c.text }}</td>{% endmacro %}
{% for c in cells %}{{ cell(c) }}{{ c['n'] }}{% endfor %}{{ obj['a'] }}{{ pair[0] }}{{ safe }}{{ none }}{{ 1.5 }}
{% set block %}<b>{{ "<&>" }}</b>{% endset %}{{ block }}{{ "a<b" | upper }}{{ ns['k'] }}
{% for c in cells %}{{ c.cls }}{% if c.n is none %}N{% endif %}{% if c.n is not none %}{{ c.n }}{% endif %}{% if c.text is string %}S{% endif %}{{ c.text is string }}{% endfor %}
{{ obj.a }}{{ ns.k }}{{ (ns.get)('k') }}{{ ns.keys is defined }}{{ ns.nokey is defined }}{{ cell(cells[0]) }}{{ safe }}{{ lst.k is defined }}"""

VALUES = {
    "cells": [{"cls": "x<y", "text": "a & b", "n": 1}, {"cls": None, "text": Markup("<i>safe</i>"), "n": 2.5},
              {"cls": "", "text": "\"'", "n": None}],
    "obj": type("Obj", (), {"a": "<attr>", "__getitem__": lambda self, k: "<item>"})(),
    "pair": ("<0>", 1), "safe": Markup("<em>ok</em>"), "none": None, "ns": {"k": ["<l>"]}, "lst": [1],
}


def envs(tmp_path):
    (tmp_path / "t.html").write_text(TEMPLATE)
    fast = make_env(tmp_path)
    plain = make_env(tmp_path)
    plain.code_generator_class = CodeGenerator
    return fast, plain


def test_the_code_generator_renders_what_jinja_renders(tmp_path):
    fast, plain = envs(tmp_path)
    assert "_escape_str" in fast.compile(TEMPLATE, raw=True) and "_escape_str" not in plain.compile(TEMPLATE, raw=True)
    got = fast.get_template("t.html").render(VALUES)
    assert got == plain.get_template("t.html").render(VALUES)
    assert 'class="x&lt;y"' in got and "<i>safe</i>" in got and "&lt;item&gt;" in got and "None" in got


@pytest.mark.parametrize("values", [{**VALUES, "cells": [{"text": "t"}]},  # a missing key: undefined, strict
                                    {**VALUES, "ns": {}}, {**VALUES, "obj": None}, {**VALUES, "obj": {}},
                                    {**VALUES, "obj": {"b": 1}}, {**VALUES, "ns": {"keys": 1}}])
def test_the_code_generator_raises_what_jinja_raises(tmp_path, values):
    fast, plain = envs(tmp_path)
    errors = []
    for env in (fast, plain):
        assert env.undefined is StrictUndefined
        with pytest.raises(ContentError, match="template error: ") as exc:  # path:line: the same line
            env.get_template("t.html").render(values)
        errors.append(str(exc.value))
    assert errors[0] == errors[1]


def test_the_fast_paths_are_in_the_code(tmp_path):
    """Dict keys read as attributes (``c.cls``) and as items, ``is none`` and ``is string`` inline, a Markup output
    as it is; a dict's own attribute (``ns.keys``, ``ns.get``) and anything not a name through Jinja's getattr."""
    fast, plain = envs(tmp_path)
    code = fast.compile(TEMPLATE, raw=True)
    assert "(l_1_c['cls'] if type(l_1_c) is dict and 'cls' in l_1_c else environment.getattr(l_1_c, 'cls'))" in code
    assert "'keys' in" not in code and "'get' in" not in code and "else l_0_ns), 'keys')" in code
    assert "is None)" in code and "isinstance(" in code and "_out if type(_out) is Markup" in code
    got = fast.get_template("t.html").render(VALUES)
    assert "NS" in got and "2.5" in got and "TrueFalse" in got and "&lt;attr&gt;" in got


def test_editors_templates_compile_as_jinja_does(tmp_path):
    """A sandboxed environment (template overrides) keeps every lookup checked: the same code as Jinja's own
    code generator makes."""
    (tmp_path / "over").mkdir()
    (tmp_path / "over" / "t.html").write_text(TEMPLATE)
    env = make_env(overrides=tmp_path / "over")
    code = env.compile(TEMPLATE, raw=True)
    assert "_escape_str" not in code and "is dict" not in code and "isinstance(" not in code
    env.code_generator_class = CodeGenerator
    assert env.compile(TEMPLATE, raw=True) == code


_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*(?=<|$)")


def strip_reference(html: str) -> str:
    """The definition: split out the kept elements, one line break for each run of indentation before a tag."""
    parts = _KEEP.split(html)
    return "".join(_INDENT.sub("\n", p) if i % 3 == 0 else p for i, p in enumerate(parts) if i % 3 != 2)


@pytest.mark.parametrize("seed", range(120))
def test_strip_indent_is_its_definition(seed):
    rnd = random.Random(seed)
    bits = ["\n  ", "\n\t\n ", " \n", "\n", "<p>", "x", "</p>", "<pre>", "</pre>", "<PRE x>", "</pre >",
            "<script>", "</SCRIPT\n>", "<style>", "</style>", "<textarea>", "</textarea>", "<scripts>", "<ſcript>",
            "</ſcript>", "\r\n ", "<", "</", "</script", "</scriptx>", "</script x>", "<</pre>", "</sty", "le>"]
    html = "".join(rnd.choice(bits) for _ in range(rnd.randrange(1, 120)))
    assert strip_indent(html) == strip_reference(html), html


def test_put_writes_like_open_and_new_files_are_never_written_through(tmp_path):
    put(tmp_path / "a", b"one")
    put(tmp_path / "a", b"two")  # replaced, as open("w") does
    assert (tmp_path / "a").read_bytes() == b"two"
    with open(tmp_path / "ref", "wb") as f:
        f.write(b"")
    assert stat.S_IMODE(os.stat(tmp_path / "a").st_mode) == stat.S_IMODE(os.stat(tmp_path / "ref").st_mode)
    (tmp_path / "link").symlink_to(tmp_path / "target")
    with pytest.raises(FileExistsError):
        put(tmp_path / "link", b"x", new=True)
    assert not (tmp_path / "target").exists()
    big = os.urandom(3_000_000)
    put(tmp_path / "big", big, new=True)
    assert (tmp_path / "big").read_bytes() == big


def test_the_build_writer_refuses_a_path_twice_and_links_unchanged_files(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    (old / "same.txt").write_text("same")
    (old / "changed.txt").write_text("before")
    w = LinkingWriter(tmp_path / "new", old)
    w.write("same.txt", "same")
    w.write("changed.txt", "after")
    w.write("d/e/new.txt", b"\x00new")
    assert os.path.samefile(tmp_path / "new" / "same.txt", old / "same.txt")
    assert not os.path.samefile(tmp_path / "new" / "changed.txt", old / "changed.txt")
    assert (tmp_path / "new" / "changed.txt").read_text() == "after"
    assert (tmp_path / "new" / "d/e/new.txt").read_bytes() == b"\x00new"
    for rel in ("same.txt", "changed.txt", "d/e/new.txt"):
        with pytest.raises(RuntimeError, match="written twice"):
            w.write(rel, "same")
    assert (old / "same.txt").read_text() == "same"  # never written through the link


def test_pair_figures_are_compute_pair_computed_when_read():
    from bench.synthetic import make_config, make_prices
    from versus import metrics as m
    from versus.analysis import compute_pair
    from versus.data import prepare
    from versus.pages.base import PairFigures

    md = make_prices(6, 6)
    cfg = make_config(md.tickers, 5, 0)
    prep = prepare(md, None)
    returns = m.simple_returns(prep.data.adj_close)
    figures = PairFigures(prep, returns, cfg.pairs)
    assert list(figures) == [tuple(p) for p in cfg.pairs] and len(figures) == len(cfg.pairs)
    assert not figures.done  # nothing computed before a page reads it
    a, b = cfg.pairs[1]
    assert figures[(a, b)] == compute_pair(prep, returns, a, b)
    assert list(figures.done) == [(a, b)] and figures[(a, b)] is figures[(a, b)]
    assert (b, a) not in cfg.pairs and figures.get((b, a)) is None  # only the configured orientation
    with pytest.raises(KeyError):
        figures[("NOPE", a)]


@pytest.mark.parametrize("total,n", [(12, 2), (31, 2), (500, 2), (10_600, 2), (97, 3)])
def test_page_tasks_cover_every_page_once_and_shrink_to_single_pages(total, n):
    from versus.build.jobs import chunks

    spans = chunks(total, n)
    assert [k for a, b in spans for k in range(a, b)] == list(range(total))
    sizes = [b - a for a, b in spans]
    assert max(sizes) <= 8 and sizes == sorted(sizes, reverse=True)  # the big tasks first
    assert sizes[-4 * n:] == [1] * (4 * n)  # the last pages one by one: the workers end together
    if total >= 64 * n:
        assert sizes[0] == 8 and len(spans) < total / 4  # few round trips while many pages are left

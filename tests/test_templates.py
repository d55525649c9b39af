"""User template overrides (``[options] templates``): searched first, sandboxed, errors in one line with
path:line, and no template can read a file outside the template folders."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from versus.cli import main
from versus.config import load_config
from versus.errors import EXIT_CONFIG, EXIT_CONTENT, ContentError
from versus.render import TEMPLATES, make_env
from siteutil import MINIMAL_SITE_TOML

SECRET = "s3cret-outside-the-template-folders"

SITE_TOML = MINIMAL_SITE_TOML + 'templates = "my-templates"\n'

PAGE = """{% extends "base.html" %}
{% block main %}
<h1>Our own methodology page</h1>
BODY
{% endblock %}
"""


def project(tmp: Path, body: str = "", files: dict[str, str] | None = None) -> Path:
    (tmp / "site.toml").write_text(SITE_TOML)
    (tmp / "secret.txt").write_text(SECRET)
    folder = tmp / "my-templates"
    folder.mkdir()
    (folder / "methodology.html").write_text(PAGE.replace("BODY", body))
    for rel, text in (files or {}).items():
        (folder / rel).write_text(text)
    return tmp / "site.toml"


def build(tmp: Path, capsys) -> tuple[int, str, Path]:
    out = tmp / "out"
    code = main(["--config", str(tmp / "site.toml"), "--out", str(out), "--quiet"])
    return code, capsys.readouterr().err, out


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def test_override_is_used_and_the_rest_stays_built_in(tmp_path, capsys):
    project(tmp_path, "<p>{{ site.title }} as of {{ as_of | date }}</p>",
            {"_extra.html": "<p>included part</p>"})
    (tmp_path / "my-templates" / "methodology.html").write_text(
        PAGE.replace("BODY", '<p>{{ site.title }} as of {{ as_of | date }}</p>{% include "_extra.html" %}'))
    code, err, out = build(tmp_path, capsys)
    assert code == 0, err
    page = (out / "methodology" / "index.html").read_text()
    assert "Our own methodology page" in page and "included part" in page
    assert "Content-Security-Policy" in page  # base.html still comes from the built-ins
    assert "Our own methodology page" not in (out / "qqq-vs-iwm" / "index.html").read_text()


def test_syntax_error_in_an_override_stops_the_build(tmp_path, capsys):
    project(tmp_path, "{% if %}")
    code, err, out = build(tmp_path, capsys)
    assert code == EXIT_CONTENT
    line = one_line_error(err)
    assert line.startswith("error: ") and "my-templates/methodology.html:4: template syntax error: " in line
    assert not out.exists() and [p for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_syntax_error_in_an_unused_partial_is_also_caught(tmp_path, capsys):
    project(tmp_path, "", {"_unused.html": "line one\n{{ oops(\n"})
    code, err, out = build(tmp_path, capsys)
    assert code == EXIT_CONTENT and "my-templates/_unused.html:2: template syntax error" in one_line_error(err)
    assert not out.exists()


@pytest.mark.parametrize("body, needle", [
    ('{% include "../secret.txt" %}', "outside the template folders"),
    ('{% include "../../site.toml" %}', "outside the template folders"),
    ('{% include "/etc/passwd" %}', "outside the template folders"),
    ('{% include "SECRET_ABS" %}', "outside the template folders"),
    ('{% import "../secret.txt" as s %}', "outside the template folders"),
    ('{% include "nowhere.html" %}', "template 'nowhere.html' not found"),
    ("{{ site.__class__ }}", "access to attribute '__class__'"),
    ("{{ cycler.__init__.__globals__ }}", "access to attribute '__init__'"),
    ("{{ lipsum.__globals__['os'].popen('cat secret.txt').read() }}", "access to attribute '__globals__'"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "access to attribute '__class__'"),
    ("{{ undefined_name }}", "'undefined_name' is undefined"),
])
def test_templates_cannot_reach_outside(tmp_path, capsys, body, needle):
    project(tmp_path, body.replace("SECRET_ABS", str(tmp_path / "secret.txt")))
    code, err, out = build(tmp_path, capsys)
    assert code == EXIT_CONTENT
    line = one_line_error(err)
    assert "my-templates/methodology.html:4: template error: " in line and needle in line, line
    assert SECRET not in err and not out.exists()


def test_a_symlink_out_of_the_folder_is_refused(tmp_path, capsys):
    project(tmp_path, '{% include "leak.html" %}')
    os.symlink(tmp_path / "secret.txt", tmp_path / "my-templates" / "leak.html")
    code, err, out = build(tmp_path, capsys)
    assert code == EXIT_CONTENT
    line = one_line_error(err)
    assert "my-templates/leak.html: template 'leak.html' leads outside the template folders" in line
    assert SECRET not in err and not out.exists()


@pytest.mark.parametrize("source", ['{% include "../site.toml" %}', '{% include "/etc/hostname" %}',
                                    '{% extends "../versus/config.py" %}'])
def test_built_in_environment_cannot_read_outside_either(source):
    with pytest.raises(ContentError, match="outside the template folders"):
        make_env().from_string(source).render()
    assert (TEMPLATES.parent / "site.toml").is_file()  # the files exist: refused, not missing


@pytest.mark.parametrize("options, needle", [
    ('templates = "missing-folder"', "template folder 'missing-folder' does not exist"),
    ("templates = 3", "'options.templates' must be a string, not int"),
    ('template = "my-templates"', "did you mean 'templates'"),
])
def test_bad_templates_option(tmp_path, capsys, options, needle):
    project(tmp_path)
    (tmp_path / "site.toml").write_text(SITE_TOML.replace('templates = "my-templates"', options))
    code, err, out = build(tmp_path, capsys)
    assert code == EXIT_CONFIG
    line = one_line_error(err)
    assert "site.toml:7: " in line and needle in line
    assert not out.exists()


def test_templates_option_is_relative_to_the_config(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path.parent)
    assert load_config(tmp_path / "site.toml").templates == (tmp_path / "my-templates").resolve()


def test_pages_lose_the_templates_indentation_but_not_preformatted_text(tmp_path):
    """Issue 17: indentation before a tag goes (the same whitespace to a browser); pre, textarea, script and
    style keep theirs; templates not named .html (sitemap, feed, strings) are left as they are."""
    from versus.render.env import strip_indent

    html = ("<ul>\n    <li>a</li>\n\n    <li>b <i>c</i>\n  d</li>\n</ul>\n  <pre>\n  x\n    <b>y</b></pre>"
            "\n  <textarea>\n  t</textarea><script>\n  var s = 1;\n  </script>")
    assert strip_indent(html) == ("<ul>\n<li>a</li>\n<li>b <i>c</i>\n  d</li>\n</ul>\n<pre>\n  x\n    <b>y</b></pre>"
                                  "\n<textarea>\n  t</textarea><script>\n  var s = 1;\n  </script>")
    (tmp_path / "p.html").write_text("<p>\n    <a>x</a>\n</p>\n")
    (tmp_path / "s.xml").write_text("<u>\n    <v/>\n</u>\n")
    env = make_env(tmp_path)
    assert env.get_template("p.html").render() == "<p>\n<a>x</a>\n</p>\n"
    assert env.get_template("s.xml").render() == "<u>\n    <v/>\n</u>\n"

"""Issue 11, item 4: inputs that hang or explode.  Every evaluation of editors' input is bounded (value size,
nesting depth, time) and refused with file:line: commentary placeholders (Jinja folded ``9**(9**9)`` at compile
time, even in its sandbox), YAML front matter (alias bombs, deep nesting that crashed the interpreter), claims
(RecursionError), site.toml and funds.toml (deep brackets), template overrides (folded constants, huge
repeats, widths, joins, endless loops)."""
from __future__ import annotations

import json
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from versus import content
from versus.content import bounded, claims
from versus.cli import main
from versus.config import load_config
from versus.errors import EXIT_CONFIG, EXIT_CONTENT, ConfigError, ContentError
from versus.data.funds import load_funds
from versus.render import make_env
from siteutil import MINIMAL_SITE_TOML

FAST = 3.0  # seconds: each refusal must come at once, never after the bomb went off
BUILD = 30.0  # seconds: a refusal after a build's metrics stage (a loaded 2-core machine); the bomb takes hours


class quickly:
    def __init__(self, limit: float = FAST):
        self.limit = limit

    def __enter__(self):
        self.t0 = time.monotonic()

    def __exit__(self, *exc):
        assert time.monotonic() - self.t0 < self.limit, f"took {time.monotonic() - self.t0:.1f}s"


def flat() -> dict:
    return content.names({"QQQ": {"total_return": {"1y": 0.1716}, "expense_ratio": 0.002, "holdings_count": 101}})


def doc(tmp_path: Path, body: str, front: str = "title: t") -> content.Document:
    p = tmp_path / "qqq.md"
    p.write_text(f"---\n{front}\n---\n{body}\n")
    return content.parse_document(p, "fund", "QQQ")


# --------------------------------------------------------------------------- placeholders
@pytest.mark.parametrize("expr", [
    "QQQ.total_return.1y | pct(9**(9**9))", "QQQ.total_return.1y | pct(10**100)", "QQQ.total_return.1y | num(2*10**9)",
    "QQQ.total_return.1y | pct('x'*10**9)", "QQQ.total_return.1y | pct(1 if true else 2)",
    "QQQ.total_return.1y | pct((9))", "QQQ.total_return.1y | pct(12345)", "QQQ.total_return.1y | date('" + "a" * 100 + "')",
    "QQQ.total_return.1y | pct(digits=9**9**9)", "QQQ.total_return.1y | pct([1]*10**9)",
    "QQQ." + "x" * 50_000 + " | pct",
])
def test_placeholder_arguments_are_short_literals(tmp_path, expr):
    d = doc(tmp_path, "text\n{{ " + expr + " }}")
    with quickly(), pytest.raises(ContentError, match=r"qqq\.md:5: "):
        content.fill(d, flat())


@pytest.mark.parametrize("expr, text", [
    ("QQQ.total_return.1y | pct(2)", "17.16%"), ("QQQ.total_return.1y | pct(1, sign=true)", "+17.2%"),
    ("QQQ.total_return.1y | pct(digits=0)", "17%"), ("QQQ.holdings_count | count", "101"),
    ("QQQ.expense_ratio | pct(2) ", "0.20%"), ("QQQ.total_return.1y|num(3)", "0.172"),
])
def test_literal_arguments_still_work(tmp_path, expr, text):
    assert content.fill(doc(tmp_path, "{{ " + expr + " }}"), flat()).strip() == text


def test_placeholder_that_overflows_is_an_error(tmp_path):
    d = doc(tmp_path, "{{ QQQ.total_return.1y | count }}")
    inf = content.names({"QQQ": {"total_return": {"1y": float("inf")}}})
    with pytest.raises(ContentError, match=r"qqq\.md:4: placeholder"):
        content.fill(d, inf)


# --------------------------------------------------------------------------- YAML front matter
LAUGHS = """updated: 2026-01-01
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
claims: [*h,*h,*h,*h,*h,*h,*h,*h,*h]"""


@pytest.mark.parametrize("front, needle", [
    (LAUGHS, "front matter too large: more than 10,000 values"),  # 9**9 = 387 million claims once expanded
    (LAUGHS.replace("claims:", "title:"), "front matter too large"),
    (LAUGHS.replace("claims:", "updated2:"), "front matter too large"),
    ("updated: 2026-01-01\nclaims: &a [*a]", "front matter too large"),  # a list holding itself
    ("claims: " + "[" * 40_000 + "]" * 40_000, "nested more than 32 levels deep"),
    ("title: " + "{a: " * 40 + "1" + "}" * 40, "nested more than 32 levels deep"),
    ("claims:\n" + "".join("  " * i + "- \n" for i in range(60)) + "  " * 60 + "- x", "nested more than 32 levels"),
    ("updated: 2026-01-01\nclaims:\n  - [QQQ.x > 1]", "claim #1 must be text"),
    ("updated: 2026-01-01\nclaims:\n  - {a: 1}", "claim #1 must be text"),
    ("updated: 2026-01-01\nclaims:\n  - 5", "claim #1 must be text"),
    ("updated: [1, 2]", "'updated' must be a date YYYY-MM-DD, got a list"),
    ("updated: '2026-01-01\\n'", "'updated' must be a date"),
    ("updated: 2026-01-01\nclaims:\n  - '" + "(" * 40 + "QQQ.x > 1" + ")" * 40 + "'", "nested more than 32"),
    ("updated: 2026-01-01\nclaims:\n  - '" + "not " * 40 + "QQQ.x > 1'", "nested more than 32"),
])
def test_front_matter_bombs_are_refused_quickly(tmp_path, front, needle):
    p = tmp_path / "qqq.md"
    p.write_text(f"---\n{front}\n---\nbody\n")
    with quickly(), pytest.raises(ContentError) as e:
        content.parse_document(p, "fund", "QQQ")
    assert "qqq.md:" in str(e.value) and needle in str(e.value), str(e.value)
    assert len(str(e.value)) - len(str(p)) < 300


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "{a: " * 50_000 + "1" + "}" * 50_000,
                                  "".join("  " * i + "-\n" for i in range(3000))])
def test_the_yaml_loader_refuses_deep_nesting_before_it_crashes(text):
    """Deep nesting made PyYAML's recursive composer raise RecursionError (with 50,000 brackets under the
    frontmatter handler we once saw a segmentation fault)."""
    import yaml

    with quickly(), pytest.raises(yaml.YAMLError, match="nested more than 32 levels deep"):
        yaml.load(text, Loader=bounded.yaml_loader())


def test_an_alias_bomb_in_a_build_is_exit_4_naming_the_file(tmp_path, capsys):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML)
    (tmp_path / "content" / "funds").mkdir(parents=True)
    (tmp_path / "content" / "funds" / "qqq.md").write_text(f"---\n{LAUGHS}\n---\nbody\n")
    capsys.readouterr()
    with quickly():
        code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_CONTENT and "Traceback" not in err
    assert err.strip().splitlines() == [f"error: content/funds/qqq.md:2: front matter too large: more than 10,000 "
                                        "values (YAML aliases that expand?)"]


# --------------------------------------------------------------------------- claims
@pytest.mark.parametrize("text", ["(" * 200 + "A.x > 1" + ")" * 200, "- " * 240 + "A.x > 1", "not " * 120 + "A.x > 1",
                                  "abs(" * 60 + "A.x" + ")" * 60 + " > 1", "min(" * 40 + "A.x, 1" + ")" * 40 + " > 1"])
def test_deep_claims_are_refused_not_a_recursion_error(text):
    with pytest.raises(claims.ClaimError, match="nested more than 32 levels deep|longer than 500"):
        claims.parse(text)


def test_claims_up_to_the_limit_still_parse_and_evaluate():
    c = claims.parse("(" * 31 + "A.x > 1" + ")" * 31)
    assert claims.evaluate(c, lambda p: 2.0).holds is True
    c = claims.parse("+".join(["A.x"] * 120) + " > 1")  # long but flat: evaluated without recursion trouble
    assert claims.evaluate(c, lambda p: 2.0).holds is True


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="()+-*/<>=! .,'\"0123456789eAQx_notandrbsmiax", max_size=500))
def test_any_claim_text_parses_or_is_a_claim_error(text):
    try:
        c = claims.parse(text)
    except claims.ClaimError:
        return
    try:
        claims.evaluate(c, lambda p: 1.5)
    except claims.ClaimError:
        pass


# --------------------------------------------------------------------------- TOML nesting
@pytest.mark.parametrize("value", ["[" * 5000 + "]" * 5000, "[" * 40 + "1" + "]" * 40, "{a = " * 40 + "1" + "}" * 40,
                                   "[" + "{a = [" * 20 + "]}" * 20 + "]"])
def test_deep_brackets_in_site_toml_exit_2_with_the_line(tmp_path, capsys, value):
    text = MINIMAL_SITE_TOML.replace('description = "d"', f"description = {value}")
    (tmp_path / "site.toml").write_text(text)
    with pytest.raises(ConfigError, match=r"site\.toml:2: nested more than 32 levels deep"):
        load_config(tmp_path / "site.toml")
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_CONFIG and "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def test_deep_brackets_in_funds_toml(tmp_path):
    (tmp_path / "funds.toml").write_text("# facts\n[QQQ]\nnotes = " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(ConfigError, match=r"funds\.toml:3: nested more than 32 levels deep"):
        load_funds(tmp_path / "funds.toml")


def test_brackets_in_strings_and_comments_do_not_count(tmp_path):
    text = MINIMAL_SITE_TOML.replace('title = "t"', 'title = "' + "[" * 50 + '"  # ' + "{" * 50) \
        .replace('description = "d"', "description = '''\n" + "[" * 50 + "\n'''")
    (tmp_path / "site.toml").write_text(text)
    assert load_config(tmp_path / "site.toml").title == "[" * 50


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.integers(0, 9) | st.text("ab[]{}#'\"\\", max_size=5),
                    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.sampled_from("xyz"), kids, max_size=2),
                    max_leaves=40))
def test_nesting_prescan_agrees_with_the_toml_parser(value):
    """Any value written as TOML: the pre-scan refuses it exactly when it nests deeper than the limit."""
    def toml(v):
        if isinstance(v, list):
            return "[" + ", ".join(toml(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {toml(x)}" for k, x in v.items()) + "}"
        return json.dumps(v)

    def depth(v):
        return 1 + max((depth(x) for x in (v.values() if isinstance(v, dict) else v)), default=0) \
            if isinstance(v, (list, dict)) else 0

    text = f"# c [[[\nk = {toml(value)}  # ]]] {{\n"
    assert tomllib.loads(text)["k"] == value
    for limit in (1, 2, 3, 32):
        assert (bounded.toml_nesting(text, limit) is None) == (depth(value) <= limit)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=3),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=2), kids, max_size=3),
                    max_leaves=60))
def test_small_values_are_never_too_big(value):
    assert bounded.too_big(value) is None


# --------------------------------------------------------------------------- template overrides
def override(tmp_path: Path, text: str):
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "x.html").write_text(text)
    with quickly():
        env = make_env(overrides=folder)
        return env.get_template("x.html").render()


@pytest.mark.parametrize("text", [
    "{{ 9**(9**9) }}", "{{ 2**100000 }}", "{{ 10.0**100000 }}", "{{ 'x' * 10**10 }}", "{{ [1] * 10**10 }}",
    "{{ (10**60) * (10**60) * (10**60) * (10**60) * (10**60) }}", "{{ '%0999999999d' % 1 }}",
    "{{ 'x'|center(10**9) }}", "{{ 'x'|indent(10**9) }}", "{{ '{:>999999999}'.format(1) }}",
    "{{ 'x'.ljust(10**9) }}", "{{ 'x'.zfill(10**9) }}", "{{ range(100000)|join('x' * 100000) }}",
    "{{ '%999999999s'|format('x') }}", "{{ lipsum(10**7) }}",
    "{% set ns = namespace(x='ab') %}{% for i in range(64) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x|length }}",
    "{% macro f(x) %}{{ f(x ~ x) }}{% endmacro %}{{ f('abcdefgh') }}",
])
def test_template_bombs_are_refused(tmp_path, text):
    with pytest.raises(ContentError, match=r"tpl/x\.html(:\d+)?: template error: "):
        override(tmp_path, text)


def test_deeply_nested_template_is_refused(tmp_path):
    with pytest.raises(ContentError, match=r"x\.html: template nested too deeply"):
        override(tmp_path, "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}")


def test_an_endless_template_loop_is_stopped_by_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(bounded, "RENDER_SECONDS", 0.5)
    text = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with pytest.raises(ContentError, match="took longer than 0.5s"):
        override(tmp_path, text)


def test_a_huge_page_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(bounded, "MAX_PAGE", 1_000_000)
    with pytest.raises(ContentError, match="larger than 1,000,000 characters"):
        override(tmp_path, "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}")


@pytest.mark.parametrize("text, out", [("{{ 2**10 }}", "1024"), ("{{ 'ab' * 3 }}", "ababab"), ("{{ '%05d' % 42 }}", "00042"),
                                       ("{{ 'x'|center(5) }}", "  x  "), ("{{ '{:>4}'.format(7) }}", "   7"),
                                       ("{{ [1, 2] + [3] }}", "[1, 2, 3]"), ("{{ 7 * 6 }}", "42")])
def test_ordinary_template_arithmetic_still_works(tmp_path, text, out):
    assert override(tmp_path, text) == out


def test_a_template_bomb_in_a_build_is_exit_4_one_line(tmp_path, capsys):
    (tmp_path / "site.toml").write_text(MINIMAL_SITE_TOML + 'templates = "tpl"\n')
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "methodology.html").write_text('{% extends "base.html" %}{% block main %}\n'
                                                       "{{ 9**(9**9) }}{% endblock %}")
    capsys.readouterr()
    with quickly(BUILD):  # the template is rendered after the metrics: a whole (small) build's time
        code = main(["--config", str(tmp_path / "site.toml"), "--out", str(tmp_path / "out"), "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_CONTENT and "Traceback" not in err, err
    line = err.strip().splitlines()[-1]
    assert line.startswith("error: ") and "tpl/methodology.html:2: template error: 9 ** 387420489 is too large" in line


def test_a_huge_commentary_file_is_refused(tmp_path):
    """Markdown emphasis and the HTML sanitizer are superlinear on deep nesting (100,000 nested <div>s took the
    sanitizer minutes): a commentary file is at most 100,000 characters."""
    p = tmp_path / "qqq.md"
    p.write_text("---\ntitle: t\n---\n" + "<div>" * 20_000)
    with quickly(), pytest.raises(ContentError, match=r"qqq\.md: 100,017 characters; a commentary file may have "
                                                      r"at most 100,000"):
        content.parse_document(p, "fund", "QQQ")

"""The code's shape (issue 12): module and function sizes, cyclomatic complexity, and imports that
follow the pipeline one way (no cycles, no stage importing a later one).

Sizes are counted with :mod:`ast`, complexity with ``mccabe`` (flake8's checker).  A function may go
over the complexity limit only with a ``# complexity: <why>`` comment on its ``def`` line or the
line above it.  The import graph is read from every ``import`` statement, including those inside
functions (a lazy import still couples two modules).
"""
from __future__ import annotations

import ast
from pathlib import Path

import mccabe
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "versus"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
MAX_COMPLEXITY = 14  # "under 15"
STAGES = ["sources", "data", "metrics", "analysis", "facts", "content", "charts", "pages", "render", "build", "preview",
          "cli"]
"""The pipeline, in order: a stage imports only earlier stages and the shared modules."""
SHARED = {"errors", "fmt", "util", "config", "resources", "__init__"}
"""Modules every stage may import (they import only each other)."""
ENTRY = {"__main__"}
"""Entry points (``python -m versus``): they may import anything."""


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _resolve(module: str, level: int, target: str | None) -> str:
    """The absolute name of ``from <level dots><target> import ...`` inside ``module``."""
    if level == 0:
        return target or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imports(name: str) -> set[str]:
    """The package modules ``name`` imports (anywhere in its body)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            src = _resolve(name, node.level, node.module)
            for a in node.names:
                sub = f"{src}.{a.name}"
                out.add(sub if sub in MODULES else src)
    return {m for m in out if m in MODULES and m != name}


def graph() -> dict[str, set[str]]:
    return {name: imports(name) for name in MODULES}


def stage_of(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_no_function_is_over_80_lines():
    long = {f"{p.relative_to(ROOT)}:{f.lineno} {f.name}": f.end_lineno - f.lineno + 1
            for p in MODULES.values() for f in functions(p) if f.end_lineno - f.lineno + 1 > MAX_FUNCTION_LINES}
    assert not long, long


def complexities(path: Path) -> list[tuple[int, str, int]]:
    """(line, name, cyclomatic complexity) of every function and method (mccabe's graphs)."""
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(ast.parse(path.read_text(encoding="utf-8")), visitor)
    return [(g.lineno, g.entity, g.complexity()) for g in visitor.graphs.values()]


def test_cyclomatic_complexity_is_under_15_unless_a_comment_says_why():
    over = {}
    for path in MODULES.values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, name, cc in complexities(path):
            if cc <= MAX_COMPLEXITY:
                continue
            said = "# complexity:" in lines[line - 1] or (line > 1 and "# complexity:" in lines[line - 2])
            if not said:
                over[f"{path.relative_to(ROOT)}:{line} {name}"] = cc
    assert not over, over


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_stages_import_only_earlier_stages():
    order = {s: i for i, s in enumerate(STAGES)}
    wrong = []
    for name, deps in graph().items():
        mine = stage_of(name)
        if mine in ENTRY:
            continue
        for dep in deps:
            theirs = stage_of(dep)
            if theirs in SHARED or theirs == mine:
                continue
            if mine in SHARED or order[theirs] > order[mine]:
                wrong.append(f"{name} imports {dep}")
    assert not wrong, wrong


def test_the_checks_can_fail():
    """The helpers find what they look for (a cycle, a relative import, a long or complex function)."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _resolve("versus.pages.pair", 2, "analysis") == "versus.analysis"
    assert _resolve("versus.analysis", 1, "registry") == "versus.analysis.registry"
    assert "versus.analysis.registry" in imports("versus.analysis.funds")
    src = "def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(20)) + "    return 0\n"
    visitor = mccabe.PathGraphingAstVisitor()
    visitor.preorder(ast.parse(src), visitor)
    assert max(g.complexity() for g in visitor.graphs.values()) == 21


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_is_a_subpackage(stage):
    assert _is_package(f"versus.{stage}"), f"versus/{stage}/ should be a package"


def test_pyproject_installs_every_package_and_not_bench():
    """A subpackage left out of pyproject.toml would be missing from a regular install (tests/test_install.py
    builds one); bench/ is a tool of the repository, not part of the package."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    packages = {name for name in MODULES if _is_package(name)}
    assert packages <= listed, packages - listed
    assert {"versus._templates", "versus._static"} <= listed
    assert not {p for p in listed if p.split(".")[0] != "versus"}

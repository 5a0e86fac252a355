"""Which test modules run inside Pyodide: derived from what they import, never listed by hand.

Pyodide here has its standard library, pytest and hypothesis, and the project's wheel
(installed without dependencies). A test module joins the run when everything it needs to
import is among those: every import written in the module (its tests' own included), and
what importing each module of the package or test helper it names imports in turn. A
function's own import inside the package runs only on that function's path; the run itself
then proves that path (test_pyodide compares every outcome with CPython's). A module that
reads the repository's own files (docs/, workbooks/) is marked `checkout` and stays out.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent.parent
TOOLS = {"pytest", "_pytest", "hypothesis"}
# In Python's standard library, but not in Pyodide's (no processes, no GUI, no venvs).
NOT_IN_PYODIDE = {"subprocess", "multiprocessing", "venv", "ensurepip", "tkinter", "curses"}


def _file(name: str) -> Path | None:
    """The file of a module of the package or of the tests; None for anything else."""
    if name.split(".")[0] not in ("openness_xl", "tests"):
        return None
    base = ROOT.joinpath(*name.split("."))
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return base / "__init__.py" if (base / "__init__.py").is_file() else None


def _module_level(tree: ast.Module) -> Iterator[ast.AST]:
    """The statements that run on import: all but the bodies of functions."""
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        yield node
        todo += list(ast.iter_child_nodes(node))


def _imports(path: Path, name: str, whole: bool) -> Iterator[str]:
    """The modules a file imports (`whole`: in its functions too), relative ones resolved;
    `from a import b` also yields a.b, which may be a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in (ast.walk(tree) if whole else _module_level(tree)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(parts + ([node.module] if node.module else []))
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def blockers(test: Path) -> set[str]:
    """What a test module needs that Pyodide does not have, each with the module that imports it."""
    first = f"tests.{test.stem}"
    seen: set[str] = set()
    todo, found = [(first, test)], set()
    while todo:
        name, path = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in _imports(path, name, whole=name == first):
            root = imported.split(".")[0]
            sibling = ROOT / "tests" / f"{root}.py"  # a test module imported by its bare name
            if _file(imported) is not None:
                todo.append((imported, _file(imported)))
            elif sibling.is_file():
                todo.append((f"tests.{root}", sibling))
            elif root in ("openness_xl", "tests") or root in TOOLS:
                continue
            elif root not in sys.stdlib_module_names or root in NOT_IN_PYODIDE:
                found.add(f"{imported} ({name})")
    return found


def reads_checkout(test: Path) -> bool:
    """Whether the module as a whole is marked `checkout` (pytestmark = pytest.mark.checkout):
    it reads docs/ or workbooks/, which the wheel installed in Pyodide does not carry. A single
    test so marked is deselected in both Pythons instead (outcomes.py)."""
    tree = ast.parse(test.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets)
               and any(isinstance(n, ast.Attribute) and n.attr == "checkout" for n in ast.walk(node.value))
               for node in tree.body)


def pyodide_tests() -> list[str]:
    """The test modules (file names) whose imports Pyodide has and that need no checkout."""
    return [test.name for test in sorted((ROOT / "tests").glob("test_*.py"))
            if not blockers(test) and not reads_checkout(test)]

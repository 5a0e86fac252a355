"""The house keeps its shape: the layers of pyproject.toml's import-linter contract hold, and
no module of the package imports, however indirectly, a module that imports it back."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (Tarjan's strongly connected
    components of more than one module, or a module that imports itself)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]

    def visit(start):
        work = [(start, iter(sorted(imports.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in imports.get(node, ()):
                    found.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_cycles_finds_a_circle_and_nothing_else():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_module_of_the_package_imports_itself_in_a_circle():
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("openness_xl")
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert len(imports) > 60
    assert cycles(imports) == []


def test_the_layers_hold():
    """`lint-imports` with the contracts of pyproject.toml, as the test script runs it."""
    linter = shutil.which("lint-imports", path=os.path.dirname(sys.executable)) or shutil.which("lint-imports")
    if linter is None:
        pytest.skip("import-linter is not installed (the test extra installs it)")
    result = subprocess.run([linter, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_pyodide_subset_is_derived_from_imports(tmp_path):
    """tests/pyodide/subset.py picks the modules Pyodide can import: a test importing only the
    core joins; one that reaches XlsxWriter through the package, imports openpyxl inside a
    test or starts a process stays out, with the import that keeps it out named."""
    sys.path.insert(0, str(ROOT / "tests" / "pyodide"))
    from subset import blockers, pyodide_tests

    modules = {
        "test_core_only.py": "from openness_xl.core.scoring import evaluate\n",
        "test_through_package.py": "from openness_xl.workbooks.report import write_report\n",
        "test_inside_a_test.py": "def test_x():\n    import openpyxl\n",
        "test_process.py": "import subprocess\n",
    }
    for name, source in modules.items():
        (tmp_path / name).write_text(source, encoding="utf-8")
    assert blockers(tmp_path / "test_core_only.py") == set()
    assert any(b.startswith("xlsxwriter") for b in blockers(tmp_path / "test_through_package.py"))
    assert blockers(tmp_path / "test_inside_a_test.py") == {"openpyxl (tests.test_inside_a_test)"}
    assert blockers(tmp_path / "test_process.py") == {"subprocess (tests.test_process)"}
    chosen = pyodide_tests()
    assert "test_exact.py" in chosen and "test_cli.py" not in chosen
    assert "test_docs.py" not in chosen  # marked checkout: it reads docs/

"""What an installed wheel gives: the core with no dependencies, the Excel module, the extras.

The wheel is built from this checkout and installed into a bare directory; Python then runs
with no site packages but that directory (and, where a test says so, xlwings), so nothing
from the checkout or the editable install can stand in for it.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = "import sys\nfor name in {names!r}: sys.modules[name] = None  # not installed\n"

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    return target


def bare_python(code: str, path: list[Path], env: dict | None = None, cwd: Path | None = None):
    """Python without site packages: only `path` is importable besides the standard library."""
    prefix = "import sys\n" + "".join(f"sys.path.insert(0, {str(p)!r})\n" for p in reversed(path))
    return subprocess.run([sys.executable, "-S", "-c", prefix + textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})}, cwd=cwd or ROOT.parent)


def xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).resolve().parent.parent


def test_the_wheel_holds_the_excel_module_and_the_data(wheel):
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "openness_udfs.py" in names
    for data in ("openness_xl/methodology/2025.toml", "openness_xl/data/2025/report.txt",
                 "openness_xl/data/2025/report_errors.csv", "openness_xl/data/2025/narrative/facts_checkable.csv"):
        assert data in names


def test_the_wheel_declares_no_required_dependency(wheel):
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith("METADATA"))).decode()
    required = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert required == []
    for extra in ("workbooks", "records", "excel", "all"):
        assert f"Provides-Extra: {extra}" in metadata


def test_the_installed_core_scores_with_the_standard_library_only(installed):
    result = bare_python("""
        from openness_xl.cli import main
        code = main(["scores", "--format", "table"])
        print("exit", code)
        print(sorted(m for m in sys.modules if m.split(".")[0] in
                     ("numpy", "pandas", "duckdb", "pyarrow", "holidays", "openpyxl", "xlsxwriter", "defusedxml")))
    """, [installed])
    assert result.returncode == 0, result.stderr
    assert "МТ" in result.stdout and "exit 0" in result.stdout and "[]" in result.stdout


def test_the_installed_excel_module_imports_by_its_udf_modules_name(installed):
    result = bare_python("""
        import openness_udfs, openness_xl
        print(openness_udfs.__file__)
        print(openness_xl.__file__)
        print(openness_udfs.OPENNESS_TIMELINESS(22.0, 391954.0))
    """, [installed, xlwings_dir()])
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(str(installed)) and lines[1].startswith(str(installed))
    assert lines[2] == "3.78"


@pytest.mark.parametrize("setting, expected", [("", "2025.toml"), ("2025", "2025.toml"),
                                                (str(ROOT / "openness_xl" / "methodology" / "2025.toml"), "2025.toml")])
def test_the_excel_functions_take_the_methodology_from_the_setting(installed, setting, expected):
    result = bare_python("import openness_udfs; print(openness_udfs.METHODOLOGY.path)", [installed, xlwings_dir()],
                         env={"OPENNESS_METHODOLOGY": setting})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(expected)


def test_a_methodology_setting_that_names_nothing_is_an_error(installed, tmp_path):
    result = bare_python("import openness_udfs", [installed, xlwings_dir()],
                         env={"OPENNESS_METHODOLOGY": str(tmp_path / "1999.toml")})
    assert result.returncode != 0 and "no methodology file" in result.stderr


def test_a_changed_methodology_file_changes_the_functions(installed, tmp_path):
    source = (ROOT / "openness_xl" / "methodology" / "2025.toml").read_text(encoding="utf-8")
    changed = tmp_path / "2026.toml"
    changed.write_text(source.replace("year = 2025", "year = 2026", 1).replace(
        'params = { part = "late", whole = "reviewed", factor = 1000, when_whole_zero = "maximum" }',
        'params = { part = "late", whole = "reviewed", factor = 2000, when_whole_zero = "maximum" }', 1),
        encoding="utf-8")
    result = bare_python("import openness_udfs; print(openness_udfs.METHODOLOGY.year,"
                         " openness_udfs.OPENNESS_TIMELINESS(22.0, 391954.0))", [installed, xlwings_dir()],
                         env={"OPENNESS_METHODOLOGY": str(changed)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2026", "3.55"]  # 4 · (1 − 2000 · 22 / 391 954)


HEAVY = ["xlsxwriter", "openpyxl", "defusedxml", "duckdb", "pyarrow", "numpy", "holidays", "pandas", "docx",
         "matplotlib"]


@pytest.mark.parametrize("argv, extra", [
    (["template", "-o", "{tmp}/t.xlsx"], "workbooks"),
    (["report", "-o", "{tmp}/r.xlsx"], "workbooks"),
    (["scores", "-o", "{tmp}/s.xlsx"], "workbooks"),
    (["check", "{xlsx}"], "workbooks"),
    (["synthetic", "-d", "{tmp}/x"], "records"),
    (["aggregate", "{tmp}/a.csv", "{tmp}/b.csv"], "records"),
    (["roadmap", "МЗ", "-o", "{tmp}/r.docx"], "documents"),
])
def test_a_command_without_its_extra_says_which_to_install(argv, extra, tmp_path):
    xlsx = ROOT / "workbooks" / "inputs-template-2025.xlsx"
    argv = [a.format(tmp=tmp_path, xlsx=xlsx) for a in argv]
    code = BLOCK.format(names=HEAVY) + f"from openness_xl.cli import main\nraise SystemExit(main({argv!r}))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert f'pip install "openness-xl[{extra}]"' in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_light_commands_need_no_extra(tmp_path):
    inputs = tmp_path / "inputs.csv"
    inputs.write_text("body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\n"
                      "МЗ,appk_review_timeliness,reviewed,48981\n", encoding="utf-8")
    for argv in (["scores", "--format", "table"], ["check", str(inputs)], ["scores", str(inputs)],
                 ["reconcile", "--new"]):
        code = BLOCK.format(names=HEAVY) + f"from openness_xl.cli import main\nraise SystemExit(main({argv!r}))\n"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (argv, result.stderr)

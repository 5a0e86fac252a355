"""The offline Windows bundle builds, holds what install.bat needs, and resolves offline for
every supported Python, with Windows' environment markers (pywin32) taken into account."""
import importlib.util
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("windows_bundle", ROOT / "scripts" / "windows_bundle.py")
windows_bundle = importlib.util.module_from_spec(spec)
spec.loader.exec_module(windows_bundle)

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(["bash", str(ROOT / "scripts" / "windows-bundle.sh"), "-o", str(out)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    print(result.stdout)
    (zip_file,) = out.glob("openness-xl-*-windows.zip")
    return zip_file


def test_the_bundle_holds_the_wheels_the_workbooks_and_install_bat(bundle):
    names = zipfile.ZipFile(bundle).namelist()
    top = names[0].split("/")[0]
    for name in ("install.bat", "live-2025.xlsx", "inputs-template-2025.xlsx", "docs/excel.md"):
        assert f"{top}/{name}" in names
    wheels = [n.split("/")[-1] for n in names if n.endswith(".whl")]
    assert any(w.startswith("openness_xl-") for w in wheels)
    for python in ("311", "312", "313", "314"):
        assert any(w.startswith("pywin32-") and f"cp{python}-win_amd64" in w for w in wheels)
        assert any(w.startswith("xlwings-") and f"cp{python}-win_amd64" in w for w in wheels)


def test_install_bat_installs_offline_then_the_addin(bundle):
    archive = zipfile.ZipFile(bundle)
    bat = archive.read(next(n for n in archive.namelist() if n.endswith("install.bat")))
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b"")  # Windows line ends
    text = bat.decode("ascii")
    assert 'py -m pip install --no-index --find-links wheels "openness-xl[excel,workbooks]"' in text
    assert "py -m xlwings.cli addin install" in text


def test_every_supported_python_resolves_from_the_bundle_alone(bundle):
    used = windows_bundle.check(bundle)
    assert set(used) == {"3.11", "3.12", "3.13", "3.14"}
    for python, names in used.items():
        assert any(n.startswith("pywin32-") for n in names), python  # a Windows-only requirement


def test_the_check_sees_a_missing_windows_only_dependency(bundle, tmp_path):
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if "/pywin32-" not in item.filename:
                target.writestr(item, source.read(item))
    with pytest.raises(SystemExit, match="missing \\['pywin32"):
        windows_bundle.check(broken)


def test_the_bundle_is_not_committed():
    tracked = subprocess.run(["git", "ls-files", "dist"], capture_output=True, text=True, cwd=ROOT).stdout
    assert tracked == "" and "dist/" in (ROOT / ".gitignore").read_text()

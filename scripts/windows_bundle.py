"""Build the offline installation bundle for Windows PCs with no internet access.

    python scripts/windows_bundle.py [-o dist/]

The zip holds the project's wheel, every dependency of openness-xl[excel,workbooks] as
win_amd64 wheels for each supported Python version, the workbooks, and install.bat, which
installs with `py -m pip install --no-index --find-links wheels` and then the xlwings add-in.

pip evaluates environment markers for the machine it runs on, not for `--platform`: on Linux
it would leave out pywin32 («; platform_system == "Windows"»). So the bundle is closed here
with the markers evaluated for Windows, and checked the same way: every requirement of every
wheel, for every Python version, is met by a wheel in the bundle. The zip is an artefact of
a run and is never committed.
"""
from __future__ import annotations

import argparse
import email.parser
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.tags import Tag
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("excel", "workbooks")  # what a civil servant's PC needs; records stay on servers
PYTHONS = ("3.11", "3.12", "3.13", "3.14")  # requires-python >= 3.11, as python.org ships them
WORKBOOKS = ("live-2025.xlsx", "inputs-template-2025.xlsx", "report-2025.xlsx")

INSTALL_BAT = r"""@echo off
rem openness-xl: offline installation (no internet needed). Run it by double-clicking.
rem Needs Python {pythons} from python.org, installed with "Add python.exe to PATH".
cd /d "%~dp0"
where py >nul 2>nul || (echo Python is not installed: install it from python.org first & goto :failed)
py -m pip install --no-index --find-links wheels "openness-xl[{extras}]" || goto :failed
py -m xlwings.cli addin install || goto :failed
echo.
echo Installed. Open live-2025.xlsx, then the xlwings tab: see the guide docs\excel.md.
pause
exit /b 0
:failed
echo.
echo The installation did not finish; the message above says why.
pause
exit /b 1
"""


def windows(python: str) -> dict[str, str]:
    """The marker environment of CPython `python` on 64-bit Windows."""
    return {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
            "platform_release": "10", "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "python_version": python, "python_full_version": f"{python}.0", "implementation_version": f"{python}.0"}


def fits(wheel: Path, python: str) -> bool:
    """Can CPython `python` on win_amd64 install this wheel?"""
    _, _, _, tags = parse_wheel_filename(wheel.name)
    digits = python.replace(".", "")
    wanted = {Tag(f"cp{digits}", f"cp{digits}", "win_amd64"), Tag(f"cp{digits}", "abi3", "win_amd64"),
              Tag(f"cp{digits}", "none", "win_amd64"), Tag(f"py{digits[0]}", "none", "win_amd64"),
              Tag(f"py{digits[0]}", "none", "any"), Tag(f"py{digits}", "none", "any"),
              Tag(f"cp{digits}", "none", "any")}
    abi3 = {Tag(f"cp3{minor}", "abi3", "win_amd64") for minor in range(2, int(digits[1:]) + 1)}
    return bool(set(tags) & (wanted | abi3))


def requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]


def missing(wheels: list[Path], roots: list[Requirement], python: str) -> list[Requirement]:
    """Requirements, met for Windows and `python`, that no wheel in `wheels` satisfies."""
    by_name: dict[str, list[Path]] = {}
    for wheel in wheels:
        if fits(wheel, python):
            by_name.setdefault(canonicalize_name(parse_wheel_filename(wheel.name)[0]), []).append(wheel)
    unmet, seen, queue = [], set(), [(r, frozenset(r.extras)) for r in roots]
    while queue:
        requirement, extras = queue.pop()
        key = (canonicalize_name(requirement.name), str(requirement.specifier), extras)
        if key in seen:
            continue
        seen.add(key)
        candidates = [w for w in by_name.get(key[0], []) if parse_wheel_filename(w.name)[1] in requirement.specifier]
        if not candidates:
            unmet.append(requirement)
            continue
        chosen = max(candidates, key=lambda w: parse_wheel_filename(w.name)[1])
        for sub in requirements(chosen):
            environment = windows(python)
            if sub.marker is None or any(sub.marker.evaluate({**environment, "extra": e}) for e in (extras or {""})):
                queue.append((sub, frozenset(sub.extras)))
    return unmet


def download(requirement_texts: list[str], python: str, dest: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                    "--only-binary=:all:", "--platform", "win_amd64", "--python-version", python,
                    "--implementation", "cp", "--dest", str(dest), *requirement_texts], check=True)


def build(out: Path) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "built"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(built), str(ROOT)],
                       check=True)
        (own,) = built.glob("openness_xl-*.whl")
        version = str(parse_wheel_filename(own.name)[1])  # the package's own (openness_xl/version.py)
        stage = Path(scratch) / f"openness-xl-{version}-windows"
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        own = Path(shutil.move(own, wheels / own.name))
        root = Requirement(f"openness-xl[{','.join(EXTRAS)}]=={version}")
        for python in PYTHONS:
            for _ in range(5):  # each pass adds what the Windows markers need and pip skipped
                unmet = missing(sorted(wheels.glob("*.whl")), [root], python)
                if not unmet:
                    break
                download([str(r).split(";")[0] for r in unmet], python, wheels)
            else:
                raise SystemExit(f"Python {python}: cannot close the bundle, still missing {unmet}")
        for name in WORKBOOKS:
            shutil.copy2(ROOT / "workbooks" / name, stage / name)
        (stage / "docs").mkdir()
        shutil.copy2(ROOT / "docs" / "excel.md", stage / "docs" / "excel.md")
        bat = INSTALL_BAT.format(pythons=", ".join(PYTHONS), extras=",".join(EXTRAS))
        (stage / "install.bat").write_bytes(bat.replace("\n", "\r\n").encode("ascii"))
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{stage.name}.zip"
        partial = target.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(stage.rglob("*")):
                if path.is_file():
                    archive.write(path, Path(stage.name) / path.relative_to(stage))
        partial.replace(target)
        sizes = {python: sum(w.stat().st_size for w in wheels.glob("*.whl") if fits(w, python)) for python in PYTHONS}
        print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB; {own.name}; "
              + ", ".join(f"Python {p}: {s / 1e6:.1f} MB of wheels" for p, s in sizes.items()) + ")")
        return target


def check(bundle: Path) -> dict[str, list[str]]:
    """Every Python version's requirements met by the bundle's wheels: {python: wheels used}."""
    with tempfile.TemporaryDirectory() as scratch:
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(scratch)
        (stage,) = Path(scratch).iterdir()
        wheels = sorted((stage / "wheels").glob("*.whl"))
        own = next(w for w in wheels if w.name.startswith("openness_xl-"))
        root = Requirement(f"openness-xl[{','.join(EXTRAS)}]=={parse_wheel_filename(own.name)[1]}")
        result = {}
        for python in PYTHONS:
            unmet = missing(wheels, [root], python)
            if unmet:
                raise SystemExit(f"{bundle}: Python {python} cannot install offline, missing {[str(r) for r in unmet]}")
            result[python] = [w.name for w in wheels if fits(w, python)]
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", default=str(ROOT / "dist"), help="folder for the zip (default: dist/)")
    args = parser.parse_args()
    bundle = build(Path(args.out))
    for python, names in check(bundle).items():
        print(f"Python {python}: resolves offline with {len(names)} wheels")
    return 0


if __name__ == "__main__":
    sys.exit(main())

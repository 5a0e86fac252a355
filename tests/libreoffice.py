"""Recalculating a workbook in LibreOffice, headless, with recalculation forced on load."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# OOXMLRecalcMode 0 = always recalculate on load; the default keeps the file's cached values.
PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_without_libreoffice = pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"),
                                          reason="LibreOffice (libreoffice-calc) is not installed; CI installs it")


def needs_libreoffice(test):
    """A test that recalculates in LibreOffice: marked `engine`, skipped where LibreOffice is
    missing (never in CI, where a missing engine is a failure)."""
    return pytest.mark.engine(_without_libreoffice(test))


def recalculate(source: Path, workdir: Path, to: str = "xlsx", timeout: int = 300) -> Path:
    """Open `source` in LibreOffice with forced recalculation and save it as `to` into workdir/out.
    `timeout` guards against a hang, not against slowness: give a large workbook room."""
    out, result = _convert(source, workdir, to, timeout)
    converted = out / (source.stem + "." + to.split(":")[0])
    assert converted.exists(), f"LibreOffice did not convert {source}: {result.stdout} {result.stderr}"
    return converted


def _convert(source: Path, workdir: Path, to: str, timeout: int):
    assert SOFFICE, "LibreOffice is not installed (apt-get install libreoffice-calc)"
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_XCU, encoding="utf-8")
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    # A UTF-8 locale whatever the caller's: under LANG=C LibreOffice names «Расчёт»'s file «??????».
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    return out, result


# Every sheet as CSV (the 12th token, -1: LibreOffice 7.2 on), one file per sheet named
# «stem-sheet.csv»: comma, double quote, UTF-8, from line 1, no column formats, English (US:
# a decimal point whatever the machine's locale, which a comma would split);
# every text quoted (7th) and every number unquoted (8th), so that a number and a text that
# looks like one stay apart; values in full (9th false: 15 significant digits, not as shown); no
# formulas. A large workbook costs LibreOffice as much to write back as xlsx (every formula
# again) as to load and recalculate: CSV spares that (1,000 generated bodies 41 → 23 s).
CSV_EVERY_SHEET = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,true,true,false,false,false,-1"


def recalculated_rows(source: Path, workdir: Path, sheets: tuple[str, ...], timeout: int = 300) -> dict[str, list[list]]:
    """Open `source` in LibreOffice with forced recalculation and read back the values of
    `sheets`, every row from row 1: a number as float, a text as str, an empty cell as ""
    (as openpyxl would read them, but for whole numbers, which are floats here)."""
    out, result = _convert(source, workdir, CSV_EVERY_SHEET, timeout)
    rows = {}
    for sheet in sheets:
        path = out / f"{source.stem}-{sheet}.csv"
        assert path.exists(), f"LibreOffice wrote no {path.name} for {source}: {result.stdout} {result.stderr}"
        rows[sheet] = csv_rows(path.read_text(encoding="utf-8"))
    return rows


_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^,"\r\n]*)')
_UNQUOTED = {"": "", "TRUE": True, "FALSE": False}  # a cell with a logical format shows its 1 or 0 so


def csv_rows(text: str) -> list[list]:
    """The rows of LibreOffice's CSV (CSV_EVERY_SHEET): a quoted field is text, an unquoted one
    a number, empty, TRUE or FALSE; anything else fails (the csv module cannot tell quoted from
    unquoted but by turning every unquoted field into a float, which refuses TRUE)."""
    rows, position = [], 0
    while position < len(text):
        row = []
        while True:
            field = _FIELD.match(text, position)
            quoted, bare = field.groups()
            row.append(quoted.replace('""', '"') if quoted is not None else _UNQUOTED[bare] if bare in _UNQUOTED else float(bare))
            position = field.end()
            if not text.startswith(",", position):
                break
            position += 1
        assert position == len(text) or text[position] in "\r\n", (len(rows) + 1, text[position:position + 40])
        position += 2 if text.startswith("\r\n", position) else 1
        rows.append(row)
    return rows


def strip_cached_values(source: Path, target: Path, sheets: tuple[str, ...]) -> int:
    """Copy `source` with the cached value of every formula cell of `sheets` removed, so that a
    value read back after LibreOffice can only have come from recalculation. Returns how many."""
    import re
    import zipfile

    import openpyxl

    order = openpyxl.load_workbook(source, read_only=True).sheetnames
    members = {f"xl/worksheets/sheet{order.index(name) + 1}.xml" for name in sheets}
    # A formula of its own, or a shared one: its group's first cell with the text, the others without.
    formula_cell = re.compile(r'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?)(?: t="(?:str|b|e)")?'
                              r'(><f(?: t="shared"(?: ref="[A-Z]+[0-9]+:[A-Z]+[0-9]+")? si="[0-9]+")?(?:/>|>[^<]*</f>))'
                              r'<v>[^<]*</v>')
    removed = 0
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name in members:
        xml, count = formula_cell.subn(r"\1\2", parts[name].decode("utf-8"))
        parts[name] = xml.encode("utf-8")
        removed += count
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:  # a scratch copy: speed over size
        for name, data in parts.items():
            archive.writestr(name, data)
    return removed

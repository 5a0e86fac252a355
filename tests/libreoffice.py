"""Recalculating a workbook in LibreOffice, headless, with recalculation forced on load."""
import os
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

needs_libreoffice = pytest.mark.skipif(SOFFICE is None and not os.environ.get("CI"),
                                       reason="LibreOffice (libreoffice-calc) is not installed; CI installs it")


def recalculate(source: Path, workdir: Path, to: str = "xlsx") -> Path:
    """Open `source` in LibreOffice with forced recalculation and save it as `to` into workdir/out."""
    assert SOFFICE, "LibreOffice is not installed (apt-get install libreoffice-calc)"
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_XCU, encoding="utf-8")
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    converted = out / (source.stem + "." + to.split(":")[0])
    assert converted.exists(), f"LibreOffice did not convert {source}: {result.stdout} {result.stderr}"
    return converted

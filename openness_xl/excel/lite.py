"""`openness lite`: the two files an xlwings Lite workbook needs, `main.py` and `requirements.txt`.

xlwings Lite (Excel 365 and Excel on the web) runs Python in the browser (Pyodide) and
registers the functions it finds in the workbook's `main.py`; it installs what
`requirements.txt` names with micropip. openness-xl is not on a public index, so the
requirement is the URL where the IT department serves the project's wheel.
"""
from __future__ import annotations

import re

from pathlib import Path

from ..methodology import Methodology
from ..texts import text

MAIN = '''"""Openness Index functions for xlwings Lite, written by `openness lite` (openness-xl {version}).

Paste this into the workbook's main.py. The functions are the package's own (openness_udfs);
blank cells: see docs/excel.md, «xlwings Lite» — write «н/д» where a value was not submitted.
"""
import os

# The methodology the functions compute (a year shipped with the package).
os.environ.setdefault("OPENNESS_METHODOLOGY", "{year}")

from openness_udfs import *  # noqa: E402,F401,F403  every OPENNESS_… function, registered by xlwings
'''

REQUIREMENTS = '''# openness-xl is not on PyPI: put its wheel where Excel can fetch it (https, with CORS allowed)
# and keep this line pointing at it. It has no dependencies; xlwings Lite brings xlwings.
{wheel_url}
'''


def files(methodology: Methodology, wheel_url: str, version: str) -> dict[str, str]:
    """main.py and requirements.txt for a Lite workbook computing `methodology`."""
    from ..methodology import HERE

    if Path(methodology.path).resolve() != (HERE / f"{methodology.year}.toml").resolve():
        raise ValueError(text("refused.lite_methodology", path=methodology.path))
    # One https address of a wheel: Excel fetches it over https only, and a space or a line
    # break would slip another line (--extra-index-url …) into requirements.txt.
    if not re.fullmatch(r"https://[^\s\x00-\x1f\x7f]+\.whl", wheel_url):
        raise ValueError(text("refused.lite_wheel", version=version, url=repr(wheel_url)))
    return {"main.py": MAIN.format(version=version, year=methodology.year),
            "requirements.txt": REQUIREMENTS.format(wheel_url=wheel_url)}


def write(directory: Path, texts: dict[str, str], protect=()) -> list[Path]:
    from ..io.writing import atomic_write

    written = []
    for name, content in texts.items():
        atomic_write(directory / name, content.encode("utf-8"), protect=protect)
        written.append(directory / name)
    return written

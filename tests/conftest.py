import pytest

from openness_xl.bodies import registry
from openness_xl.methodology import load


@pytest.fixture(scope="session")
def methodology():
    return load(2025)


@pytest.fixture(scope="session")
def bodies():
    return registry(2025)

import sys
from pathlib import Path

# The Excel functions live outside the package, as xlwings loads them: a plain module on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "udfs"))

"""The bundled 2025 methodology and bodies, loaded once, for the test modules that parametrize
by them at collection (before any fixture exists); `conftest.py`'s `methodology` and `bodies`
fixtures hand out the same objects. The year is the report's these tests hold the code to,
not the package's default year, which may move on."""
from openness_xl.core.bodies import registry
from openness_xl.methodology import load

REPORT_YEAR = 2025
METHODOLOGY = load(REPORT_YEAR)
BODIES = registry(REPORT_YEAR)

import pytest

from openness_xl.bodies import registry
from openness_xl.methodology import load


@pytest.fixture(scope="session")
def methodology():
    return load(2025)


@pytest.fixture(scope="session")
def bodies():
    return registry(2025)

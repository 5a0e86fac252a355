import pytest

from openness_xl.core.bodies import registry
from openness_xl.methodology import load


@pytest.fixture(scope="session")
def methodology():
    return load(2025)


@pytest.fixture(scope="session")
def bodies():
    return registry(2025)


@pytest.fixture
def cli(capsys):
    """Run `openness ARGV…` in this process: (exit code, standard output, standard error)."""
    from openness_xl.cli.app import main

    def run(*argv):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run

import fcntl
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bundled import BODIES, METHODOLOGY


@pytest.fixture(scope="session")
def methodology():
    """The bundled 2025 methodology (`tests/bundled.py`)."""
    return METHODOLOGY


@pytest.fixture(scope="session")
def bodies():
    """The bundled 2025 bodies (`tests/bundled.py`)."""
    return BODIES


@pytest.fixture
def cli(capsys):
    """Run `openness ARGV…` in this process: (exit code, standard output, standard error)."""
    from openness_xl.cli.app import main

    def run(*argv):
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _run_folder(tmp_path_factory) -> Path:
    """The folder one run shares between its xdist workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory, name: str, build):
    """What `build()` returns, built by the first xdist worker that asks for it while the others
    wait, and read back by them (pickled): a fixture that takes many seconds is paid once a run."""
    shared = _run_folder(tmp_path_factory)
    path = shared / f"{name}.pickle"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            value = build()
            path.write_bytes(pickle.dumps(value))
            return value
    return pickle.loads(path.read_bytes())


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The package's wheel, built once for the whole run and shared by every xdist worker: pip
    builds in the source tree, and two builds at once trip over each other's build/ folder."""
    shared = _run_folder(tmp_path_factory)
    folder = shared / "wheel"
    with open(shared / "wheel.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not list(folder.glob("openness_xl-*.whl")):
            folder.mkdir(exist_ok=True)
            subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder),
                            str(Path(__file__).resolve().parent.parent)], check=True, capture_output=True, timeout=300)
    (built,) = folder.glob("openness_xl-*.whl")
    return built

#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run them.
# Used by the README and by CI (.ci/run), so the two can never drift apart.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
# LibreOffice is the real spreadsheet engine that recalculates the generated workbooks.
if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc >/dev/null
  else
    echo "LibreOffice is missing: install the Debian package libreoffice-calc (the engine checks will be skipped)" >&2
  fi
fi
# Pyodide (node) runs the core's tests as xlwings Lite would; fetched now, run offline.
bash scripts/pyodide.sh
# The layers of the package (pyproject.toml, [tool.importlinter]) before anything else.
.venv/bin/lint-imports --no-cache
# One worker per core (pytest-xdist): the engines run beside the pure tests. The slowest tests
# are printed at the end: where a faster suite must look.
OPENNESS_REQUIRE_PYODIDE=1 .venv/bin/python -m pytest -q -n auto --durations=20 "$@"

#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run them.
# Used by the README and by CI (.ci/run), so the two can never drift apart.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m pytest -q "$@"

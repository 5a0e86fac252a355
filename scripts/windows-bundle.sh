#!/usr/bin/env bash
# The offline installation bundle for Windows (dist/openness-xl-VERSION-windows.zip): the
# wheel, every dependency as win_amd64 wheels for Python 3.11–3.14, the workbooks and
# install.bat. Needs the internet here, none on the PC. See scripts/windows_bundle.py.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
.venv/bin/python -c "import packaging" 2>/dev/null || .venv/bin/python -m pip install --quiet packaging
.venv/bin/python scripts/windows_bundle.py "$@"

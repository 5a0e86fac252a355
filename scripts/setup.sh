#!/usr/bin/env bash
# Install openness-xl into a virtual environment (.venv) beside this repository.
# A virtual environment works on Debian's and Ubuntu's own Python as well, where a plain
# `pip install` is refused (externally-managed-environment). Usage: setup.sh [EXTRAS]
# (default: all — workbooks, records and the Excel functions; see pyproject.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-all}"
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  # Debian splits venv support into its own package.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  else
    echo "Python's venv module is missing: install the package python3-venv, then run this again" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras:+[$extras]}"

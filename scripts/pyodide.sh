#!/usr/bin/env bash
# Fetch what the Pyodide test needs into .cache/pyodide, so that the test itself runs with
# no network: the npm package pyodide (which ships no wheels) and the pure-Python wheels of
# micropip and the test tools. Node.js is installed when it is missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."
PYODIDE_VERSION=314.0.8
target=.cache/pyodide
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "node and npm are missing: install the Debian packages nodejs and npm (the Pyodide test needs them)" >&2
    exit 1
  fi
fi
mkdir -p "$target/wheels"
if [ ! -f "$target/node_modules/pyodide/pyodide.mjs" ] || ! grep -q "\"version\": \"$PYODIDE_VERSION\"" "$target/node_modules/pyodide/package.json"; then
  npm install --silent --no-audit --no-fund --prefix "$target" "pyodide@$PYODIDE_VERSION" >/dev/null
fi
# Pure-Python wheels only (py3-none-any), for the Python inside Pyodide.
.venv/bin/python -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --python-version 3.13 --implementation py --dest "$target/wheels" \
  micropip pytest pluggy iniconfig packaging pygments hypothesis sortedcontainers

#!/usr/bin/env bash
# Install what a fresh Debian machine lacks, then run the test suite (nox's default sessions).
# Needs root for apt-get (sudo is used when available and needed). Extra arguments go to nox.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

if ! command -v janus >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1 \
    || ! python3 -m venv --help >/dev/null 2>&1; then
    # iproute2: the media tests build a private network namespace with `ip`.
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq janus python3-venv \
        iproute2 >/dev/null
fi
command -v janus >/dev/null || { echo "Janus is not installed" >&2; exit 1; }

VENV=".ci/venv"
if [ ! -x "$VENV/bin/nox" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q "nox>=2025.2.9"
fi
exec "$VENV/bin/nox" "$@"

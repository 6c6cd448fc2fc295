#!/usr/bin/env bash
# Shared set-up of scripts/test.sh and scripts/demo.sh (sourced, not run): installs what a
# fresh Debian machine lacks and leaves nox in .ci/venv. Needs root for apt-get (sudo is used
# when available and needed). Sets NOX to the nox command.

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

if ! command -v janus >/dev/null 2>&1 || ! command -v ip >/dev/null 2>&1 \
    || ! python3 -m venv --help >/dev/null 2>&1; then
    # iproute2: real media runs in a private network namespace built with `ip`.
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
NOX="$VENV/bin/nox"

#!/usr/bin/env bash
# Install what a fresh Debian machine lacks, then run the test suite (nox's default sessions).
# Needs root for apt-get (sudo is used when available and needed). Extra arguments go to nox.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
exec "$NOX" "$@"

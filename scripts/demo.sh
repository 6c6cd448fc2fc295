#!/usr/bin/env bash
# The demo, in one command on a fresh Debian machine (Python >= 3.10, root or sudo):
#
#   sudo bash scripts/demo.sh [--duration SECONDS] [--json]
#
# Installs what is missing (janus, python3-venv, iproute2 with apt; nox in .ci/venv, as
# scripts/test.sh does), then `nox -s demo`: installs janus-client[media] in nox's venv and
# runs `python -m janus_media._demo` inside the private network namespace of
# scripts/netns.sh: a private Janus, an EchoTest call and a VideoRoom with real audio and
# video over 127.0.0.2 only, then a summary. Janus is stopped and its files removed at the
# end. Exit status: 0 media flowed, 1 it did not, 2 it cannot run here, 3 Janus did not
# start (other: the set-up failed). Arguments go to the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
exec "$NOX" -s demo -- "$@"

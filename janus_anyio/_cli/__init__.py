"""The pieces of the ``janus-client`` command; :mod:`janus_anyio.cli` is its entry point."""

from __future__ import annotations

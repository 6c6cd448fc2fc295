"""Fixtures of the ``janus-client`` tests: run the command in-process and capture it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pytest

from janus_anyio.cli import main
from janus_anyio.testing import janus_available

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_janus() -> None:
    """Skip without Janus (fail under CI=true, as the end-to-end suite does)."""
    if janus_available():
        return
    if IN_CI:
        pytest.fail("Janus is not installed (apt-get install janus); CI needs it")
    pytest.skip("Janus is not installed (apt-get install janus)")


@attrs.frozen
class Result:
    """What one ``janus-client`` run did."""

    status: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as one JSON document."""
        return json.loads(self.out)

    @property
    def text(self) -> str:
        """stdout and stderr together."""
        return self.out + self.err


Runner = Callable[..., Result]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Runner:
    """``run_cli(*argv, env={...})``: call ``main`` in-process and capture its output.

    The environment is only ``env`` (never the caller's JANUS_* variables).
    """

    def run(*argv: str, env: Mapping[str, str] | None = None) -> Result:
        capsys.readouterr()
        status = main(list(argv), environ=dict(env or {}))
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return run
